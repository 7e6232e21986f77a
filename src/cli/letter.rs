use super::GlobalArgs;
use crate::app::open_database;
use crate::config::Settings;
use crate::db::letters::{self, PublishOutcome};
use crate::db::signatures;
use crate::domain::LetterFile;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum LetterCommand {
    /// Create a letter from a file, or update it in place by its slug.
    Publish {
        /// TOML front matter between +++ lines, then the Markdown body.
        file: PathBuf,
    },
    /// List every letter with its status and signature count.
    List,
}

pub fn run(global: &GlobalArgs, cmd: LetterCommand) -> anyhow::Result<()> {
    let settings = Settings::load(&global.overrides())?;
    crate::telemetry::init(settings.log_format);
    match cmd {
        LetterCommand::Publish { file } => publish(&settings, &file),
        LetterCommand::List => list(&settings),
    }
}

fn publish(settings: &Settings, path: &PathBuf) -> anyhow::Result<()> {
    let source =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    // Parse before touching the database: a bad file changes nothing.
    let letter = LetterFile::parse(&source)
        .map_err(|e| anyhow::anyhow!("{}:{}: {}", path.display(), e.line, e.message))?;
    let pool = open_database(settings)?;
    let mut conn = pool.get()?;
    let (stored, outcome) = letters::publish_file(&mut conn, &letter, crate::db::now())?;
    let verb = match outcome {
        PublishOutcome::Created => "created",
        PublishOutcome::Updated => "updated",
    };
    println!(
        "{verb} letter {} ({}, {} initial signatories, status {})",
        stored.slug,
        stored.language,
        letter.signatories.len(),
        stored.status.as_str()
    );
    let base = settings
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.bind));
    println!("{base}/letters/{}", stored.slug);
    Ok(())
}

fn list(settings: &Settings) -> anyhow::Result<()> {
    let pool = open_database(settings)?;
    let mut conn = pool.get()?;
    let all = letters::list_all(&mut conn)?;
    if all.is_empty() {
        println!("no letters yet: publish one with `undersigned letter publish FILE`");
        return Ok(());
    }
    println!(
        "{:<40} {:<10} {:<4} {:>10}  TITLE",
        "SLUG", "STATUS", "LANG", "SIGNATURES"
    );
    for l in all {
        let count = signatures::count_confirmed(&mut conn, &l.id)?;
        println!(
            "{:<40} {:<10} {:<4} {:>10}  {}",
            l.slug,
            l.status.as_str(),
            l.language,
            count,
            l.title
        );
    }
    Ok(())
}
