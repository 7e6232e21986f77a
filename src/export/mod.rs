//! Press exports: one streaming writer per format over the rows of
//! `db::export_rows`, read in keyset pages. Writers see one row at a time
//! and write it out at once; nothing holds the whole list.

pub mod body;
pub mod cell;
pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod stamp;
pub mod text;

use crate::db::export_rows::{ExportRow, Moderation, Who};
use crate::db::letters::Letter;
use crate::db::DbError;
use crate::i18n::{Arg, Tr};
use std::io::Write;

pub use stamp::Stamp;

/// The print stylesheet of the HTML export, served at `/static/print.css`.
pub const PRINT_CSS: &str = include_str!("print.css");

/// An export's format. The command line takes exactly these words; the
/// workspace form also takes `txt` and `md`, which it always has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    #[serde(alias = "txt")]
    Text,
    #[serde(alias = "md")]
    Markdown,
    Csv,
    Json,
    Html,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }
}

/// A format by its word (`text`, never `txt`), as the audit log names it.
impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match clap::ValueEnum::to_possible_value(self) {
            Some(value) => f.write_str(value.get_name()),
            None => Ok(()),
        }
    }
}

/// How the HTML export gets its print stylesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stylesheet {
    /// In a `<style>` element: a file saved to disk must print on its own.
    Inline,
    /// A `<link>` to this address: the site's CSP refuses inline styles.
    Link(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub who: Who,
    /// Only the signatories, without the letter (text, Markdown, HTML, PDF).
    pub list_only: bool,
    /// Whether the stamp (title, version, time, count, hash) is written.
    pub stamp: bool,
    /// A byte order mark first, for Excel (CSV and text).
    pub bom: bool,
    /// The list in one or two columns (HTML, PDF).
    pub columns: u8,
    /// Numbered list (Markdown, HTML, PDF).
    pub numbered: bool,
    pub stylesheet: Stylesheet,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            who: Who::Public,
            list_only: false,
            stamp: true,
            bom: false,
            columns: 1,
            numbered: false,
            stylesheet: Stylesheet::Inline,
        }
    }
}

/// Everything a writer needs besides the rows.
pub struct Export<'a> {
    /// The letter's own language: its place-and-date line and every label.
    pub tr: Tr<'a>,
    pub letter: &'a Letter,
    pub options: Options,
    pub stamp: Stamp,
    /// The most title lines of any listed row: the CSV header needs it first.
    pub max_titles: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("PDF: {0}")]
    Pdf(#[from] pdf::PdfError),
}

/// The rows of one pass over the list.
pub type Rows<'r> = Box<dyn Iterator<Item = Result<ExportRow, DbError>> + 'r>;

/// A format that writes the list as the rows arrive.
pub(crate) trait ListWriter {
    fn start(&mut self) -> Result<(), ExportError>;
    fn signatory(&mut self, position: u64, row: &ExportRow) -> Result<(), ExportError>;
    fn finish(&mut self, count: u64) -> Result<(), ExportError>;
}

/// Writes an export and returns how many signatories it lists. `rows` opens
/// a pass over the list; only the PDF makes two, the first to count its
/// pages. `progress` hears of each row written.
pub fn write(
    format: Format,
    ex: &Export,
    rows: &mut dyn FnMut() -> Rows<'static>,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, ExportError> {
    // Title lines verified by email domain carry their mark in every format:
    // as text, or in the print page as an element of its own, styled as
    // on the site's list.
    let mark = verified_mark(ex);
    let mut marked = || -> Rows<'static> {
        if format == Format::Html {
            return rows();
        }
        let mark = format!(" {mark}");
        Box::new(rows().map(move |r| {
            r.map(|mut row| {
                for i in &row.verified_lines {
                    if let Some(t) = row.titles.get_mut(*i) {
                        t.push_str(&mark);
                    }
                }
                row
            })
        }))
    };
    let rows = &mut marked;
    let mut writer: Box<dyn ListWriter + '_> = match format {
        Format::Text => Box::new(text::TextWriter::new(ex, &mut *out)),
        Format::Markdown => Box::new(markdown::MarkdownWriter::new(ex, &mut *out)),
        Format::Csv => Box::new(csv::CsvWriter::new(ex, &mut *out)),
        Format::Json => Box::new(json::JsonWriter::new(ex, &mut *out)),
        Format::Html => Box::new(html::HtmlWriter::new(ex, &mut *out)),
        Format::Pdf => return pdf::write(ex, rows, out, progress),
    };
    writer.start()?;
    let mut count = 0;
    for row in rows() {
        let row = row?;
        count += 1;
        writer.signatory(count, &row)?;
        progress(count);
    }
    writer.finish(count)?;
    Ok(count)
}

/// The stamp's two lines in the letter's language: title and version, then
/// export time (on the site's clock, with its offset), count and hash.
pub(crate) fn stamp_lines(ex: &Export, count: u64) -> [String; 2] {
    let tr = &ex.tr;
    let count = count as i64;
    [
        tr.ta(
            "export-stamp-letter",
            &[
                ("title", ex.stamp.title.as_str().into()),
                ("version", Arg::Num(ex.stamp.version as i64)),
            ],
        ),
        tr.ta(
            "export-stamp-details",
            &[
                ("time", tr.time_exact(ex.stamp.exported_at.naive_utc()).into()),
                ("count", Arg::Num(count)),
                ("display", tr.count(count).into()),
                ("hash", ex.stamp.letter_hash.as_str().into()),
            ],
        ),
    ]
}

/// What follows a title line verified by email domain: `✓ (vérifié par
/// courriel)`.
pub(crate) fn verified_mark(ex: &Export) -> String {
    format!("✓ ({})", ex.tr.t("verified-by-email"))
}

/// "Collected in person by …, on …: how": the evidence an organizer gave
/// for a signature that did not come through the site.
pub(crate) fn collected_mark(tr: &crate::i18n::Tr, c: &crate::domain::csv_rows::Evidence) -> String {
    tr.ta(
        "export-collected",
        &[
            ("by", c.by.as_str().into()),
            ("on", tr.date(c.on).into()),
            ("how", c.how.as_str().into()),
        ],
    )
}

/// The lines that mark, in organizer exports, a signature the public list
/// does not show: count-only by the signer's choice, or held or hidden by
/// moderation. Public exports never hold such rows, so they get none.
pub(crate) fn marks(ex: &Export, row: &ExportRow) -> Vec<String> {
    let mut marks = Vec::new();
    if !row.listed {
        marks.push(ex.tr.t("export-count-only"));
    }
    match row.moderation {
        Moderation::Shown => {}
        Moderation::Queued => marks.push(ex.tr.t("export-moderation-queued")),
        Moderation::Hidden => marks.push(ex.tr.t("export-moderation-hidden")),
    }
    if let Some(c) = &row.collected {
        marks.push(collected_mark(&ex.tr, c));
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_is_shown_by_its_command_line_word() {
        let words: Vec<String> = [
            Format::Text,
            Format::Markdown,
            Format::Csv,
            Format::Json,
            Format::Html,
            Format::Pdf,
        ]
        .iter()
        .map(Format::to_string)
        .collect();
        assert_eq!(words, ["text", "markdown", "csv", "json", "html", "pdf"]);
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A letter and rows for the writers' unit tests.
    use super::*;
    use crate::db::export_rows::Tier;
    use crate::db::letters::LetterStatus;
    use crate::domain::Lang;
    use chrono::{NaiveDate, TimeZone, Utc};

    pub fn letter() -> Letter {
        let t = NaiveDate::from_ymd_opt(2026, 3, 3)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        Letter {
            id: "l".into(),
            slug: "lettre".into(),
            language: Lang::FR,
            title: "Lettre « été »".into(),
            place: "Québec".into(),
            date: NaiveDate::from_ymd_opt(2015, 5, 26).unwrap(),
            addressees: "À la ministre".into(),
            preamble: "Nous soussignés\u{a0}:".into(),
            body_markdown: "Madame,\n\n## Demandes\n\nUn *toit*.".into(),
            goal: None,
            stored_status: LetterStatus::Published,
            created_at: t,
            updated_at: t,
            published_at: Some(t),
            closed_at: None,
            anonymise_after_days: None,
            anonymised_at: None,
            archived: false,
            close_at: None,
            publish_at: None,
            current_version: 2,
            modified_at: None,
            organized_by: String::new(),
            contacts: Default::default(),
            share_summary: String::new(),
        }
    }

    pub fn export<'a>(tr: Tr<'a>, letter: &'a Letter, options: Options) -> Export<'a> {
        Export {
            tr,
            letter,
            options,
            stamp: Stamp::new(letter, Utc.with_ymd_and_hms(2026, 11, 27, 14, 5, 9).unwrap()),
            max_titles: 2,
        }
    }

    pub fn rows() -> Vec<ExportRow> {
        let at = NaiveDate::from_ymd_opt(2026, 3, 4)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        vec![
            ExportRow {
                id: "1".into(),
                name: "Marie Tremblay,".into(),
                titles: vec!["Présidente (1998-2006)".into(), "=1+1".into()],
                city: None,
                tier: Tier::Initial,
                listed: true,
                moderation: Moderation::Shown,
                verified: true,
                verified_lines: vec![],
                email: None,
                confirmed_at: Some(at),
                organizer: None,
                collected: None,
            },
            ExportRow {
                id: "2".into(),
                name: "Robert \"Bob\" Gagnon, fils".into(),
                titles: vec![],
                city: Some("Lévis".into()),
                tier: Tier::Public,
                listed: true,
                moderation: Moderation::Shown,
                verified: false,
                verified_lines: vec![],
                email: None,
                confirmed_at: Some(at),
                organizer: None,
                collected: None,
            },
        ]
    }

    /// Runs a writer over the fixture rows and returns what it wrote.
    pub fn run_bytes(format: Format, options: Options) -> Vec<u8> {
        let i18n = crate::i18n::I18n::new().unwrap();
        let letter = letter();
        let ex = export(i18n.tr(Lang::FR), &letter, options);
        let mut out = Vec::new();
        let mut source = || -> Rows<'static> { Box::new(rows().into_iter().map(Ok)) };
        write(format, &ex, &mut source, &mut out, &mut |_| {}).unwrap();
        out
    }

    pub fn run(format: Format, options: Options) -> String {
        String::from_utf8(run_bytes(format, options)).unwrap()
    }
}
