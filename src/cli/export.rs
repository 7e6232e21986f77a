//! `undersigned export SLUG --format …`: the press exports from the command
//! line, where organizers get every format and every list today.

use super::GlobalArgs;
use crate::app::open_database;
use crate::config::Settings;
use crate::db::export_rows::{self, ExportRows, Order, Selection, Who};
use crate::db::letters::{self, LetterStatus};
use crate::export::{self, Export, Format, Options, Rows, Stamp, Stylesheet};
use crate::i18n::I18n;
use clap::Args;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Large writes: an export is one long sequential stream.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// Rows read per query: five times the web's pages. Planning the keyset
/// query costs as much as reading a few hundred rows, and the command line
/// has the database to itself, so no download waits behind a longer read.
const PAGE_SIZE: i64 = 5_000;

/// Below this many rows an export is over before a bar could be read.
const PROGRESS_THRESHOLD: i64 = 5_000;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The letter's slug, as `undersigned letter list` shows it.
    pub slug: String,
    #[arg(long, value_enum)]
    pub format: Format,
    #[arg(long, value_enum, default_value = "list")]
    pub order: Order,
    /// In surname order, keep the initial signatories first (the default).
    #[arg(long, conflicts_with = "mixed")]
    pub initial_first: bool,
    /// In surname order, mix the initial signatories in with the others.
    #[arg(long)]
    pub mixed: bool,
    #[arg(long, value_enum, default_value = "public")]
    pub who: Who,
    /// Only the signatories, without the letter (text, Markdown, HTML, PDF).
    #[arg(long)]
    pub list_only: bool,
    /// Leave out the stamp: title, version, export time, count and hash.
    #[arg(long)]
    pub no_stamp: bool,
    /// Start with a byte order mark, for Excel (CSV, text).
    #[arg(long)]
    pub bom: bool,
    /// The list in one or two columns (HTML, PDF).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub columns: u8,
    /// Number the signatories (Markdown, HTML, PDF).
    #[arg(long)]
    pub numbered: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportCommandError {
    #[error("no letter has the slug {0:?}: `undersigned letter list` shows them")]
    UnknownSlug(String),
    #[error("the letter {0:?} is a draft: only published or closed letters can be exported")]
    Draft(String),
    #[error("cannot write {path}: {source}")]
    Output { path: String, source: std::io::Error },
}

pub fn run(global: &GlobalArgs, args: ExportArgs) -> anyhow::Result<()> {
    let settings = Settings::load(&global.overrides())?;
    crate::telemetry::init(settings.log_format);
    let pool = open_database(&settings)?;
    let letter = {
        let mut conn = pool.get()?;
        letters::find_by_slug(&mut conn, &args.slug)?
    }
    .ok_or_else(|| ExportCommandError::UnknownSlug(args.slug.clone()))?;
    if letter.status() == LetterStatus::Draft {
        return Err(ExportCommandError::Draft(args.slug.clone()).into());
    }

    let (format, who) = (args.format, args.who);
    let now = crate::db::now();
    let selection = Selection {
        letter_id: letter.id.clone(),
        who,
        order: args.order,
        initial_first: !args.mixed,
        as_of: now,
    };
    let watched = std::io::stderr().is_terminal();
    let (total, max_titles) = {
        let mut conn = pool.get()?;
        // Counted only for the progress bar, which only a person sees.
        let total = if watched {
            export_rows::count(&mut conn, &selection)?
        } else {
            0
        };
        let max_titles = if format == Format::Csv {
            export_rows::max_titles(&mut conn, &selection)?
        } else {
            0
        };
        (total, max_titles)
    };
    if who == Who::All {
        tracing::warn!(
            "organizer export: it lists email addresses and count-only signers; do not publish it"
        );
    }

    let i18n = I18n::new()?.with_zone(settings.time_zone);
    let ex = Export {
        tr: i18n.tr(letter.language),
        letter: &letter,
        options: Options {
            who,
            list_only: args.list_only,
            stamp: !args.no_stamp,
            bom: args.bom,
            columns: args.columns,
            numbered: args.numbered,
            stylesheet: Stylesheet::Inline,
        },
        stamp: Stamp::new(&letter, now.and_utc()),
        max_titles,
    };

    let bar = progress_bar(total, watched);
    let mut on_row = |n: u64| {
        if let Some(bar) = &bar {
            bar.set_position(n);
        }
    };
    let mut source = || -> Rows<'static> {
        Box::new(ExportRows::with_page_size(
            pool.clone(),
            selection.clone(),
            PAGE_SIZE,
        ))
    };

    let count = match &args.output {
        Some(path) => write_file(path, |out| {
            export::write(format, &ex, &mut source, out, &mut on_row)
        })?,
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, stdout.lock());
            export::write(format, &ex, &mut source, &mut out, &mut on_row)?
        }
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(path) = &args.output {
        eprintln!("{count} signatories written to {}", path.display());
    }
    Ok(())
}

/// Writes beside the target and renames at the end, so a failed export
/// never leaves a truncated file under the name asked for.
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<u64, export::ExportError>,
) -> anyhow::Result<u64> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let io_err = |source| ExportCommandError::Output {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::create(&partial).map_err(io_err)?;
    let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, file);
    let result = write(&mut out).and_then(|count| {
        out.flush()?;
        Ok(count)
    });
    match result {
        Ok(count) => {
            std::fs::rename(&partial, path).map_err(io_err)?;
            Ok(count)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e.into())
        }
    }
}

/// A bar on standard error when a person is watching a long export.
fn progress_bar(total: i64, watched: bool) -> Option<indicatif::ProgressBar> {
    if !watched || total < PROGRESS_THRESHOLD {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} signatories ({eta} left)")
    {
        bar.set_style(style);
    }
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn parse(extra: &[&str]) -> Option<ExportArgs> {
        let args = ["undersigned", "export", "lettre"].iter().chain(extra);
        match Cli::try_parse_from(args).ok()?.command {
            Some(Command::Export(args)) => Some(args),
            _ => None,
        }
    }

    #[test]
    fn the_command_line_takes_each_format_by_its_full_name_only() {
        for (word, want) in [
            ("text", Format::Text),
            ("markdown", Format::Markdown),
            ("csv", Format::Csv),
            ("json", Format::Json),
            ("html", Format::Html),
            ("pdf", Format::Pdf),
        ] {
            assert_eq!(parse(&["--format", word]).map(|a| a.format), Some(want), "{word}");
        }
        // The workspace form's `txt` and `md` were never words here.
        for word in ["txt", "md", "xlsx", ""] {
            assert!(parse(&["--format", word]).is_none(), "{word:?}");
        }
        assert!(parse(&[]).is_none(), "the format has no default");
    }

    #[test]
    fn who_and_order_by_word_with_their_defaults() {
        let who = |w: &str| parse(&["--format", "csv", "--who", w]).map(|a| a.who);
        assert_eq!(who("initial"), Some(Who::Initial));
        assert_eq!(who("public"), Some(Who::Public));
        assert_eq!(who("all"), Some(Who::All));
        assert_eq!(who("everyone"), None);
        assert_eq!(who(""), None);
        let order = |o: &str| parse(&["--format", "csv", "--order", o]).map(|a| a.order);
        assert_eq!(order("list"), Some(Order::List));
        assert_eq!(order("surname"), Some(Order::Surname));
        assert_eq!(order("prenom"), None);
        let bare = parse(&["--format", "csv"]).map(|a| (a.who, a.order));
        assert_eq!(bare, Some((Who::Public, Order::List)));
    }
}
