use super::GlobalArgs;
use crate::app::open_database;
use crate::config::Settings;
use crate::db::letters::{self, LetterStatus, PublishOutcome};
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
    /// Stop taking signatures; the page and list stay.
    Close { slug: String },
    /// Take signatures again after closing.
    Reopen { slug: String },
    /// Erase every signer's email address of a closed letter; the public
    /// list stays as published.
    Anonymise { slug: String },
    /// Run one maintenance pass now: purge expired pending signatures and
    /// old outbox rows, anonymise letters that are due.
    Purge,
}

pub fn run(global: &GlobalArgs, cmd: LetterCommand) -> anyhow::Result<()> {
    let settings = Settings::load(&global.overrides())?;
    crate::telemetry::init(settings.log_format);
    match cmd {
        LetterCommand::Publish { file } => publish(&settings, &file),
        LetterCommand::List => list(&settings),
        LetterCommand::Close { slug } => set_status(&settings, &slug, LetterStatus::Closed),
        LetterCommand::Reopen { slug } => set_status(&settings, &slug, LetterStatus::Published),
        LetterCommand::Anonymise { slug } => anonymise(&settings, &slug),
        LetterCommand::Purge => purge(&settings),
    }
}

fn find(conn: &mut crate::db::DbConn, slug: &str) -> anyhow::Result<letters::Letter> {
    letters::find_by_slug(conn, slug)?
        .ok_or_else(|| anyhow::anyhow!("no letter with the slug {slug:?}: see `undersigned letter list`"))
}

fn set_status(settings: &Settings, slug: &str, status: LetterStatus) -> anyhow::Result<()> {
    use crate::actions::letters::{change_from_command_line, Lifecycle};
    use crate::actions::Refused;
    let pool = open_database(settings)?;
    let mut conn = pool.get()?;
    let letter = find(&mut conn, slug)?;
    let change = match status {
        LetterStatus::Closed => Lifecycle::Close,
        _ => Lifecycle::Reopen,
    };
    // The same use case as the workspace's: the same rules, the schedule
    // cleared, the audit log written.
    let outcome = crate::db::write_tx(&mut conn, |tx| {
        change_from_command_line(tx, &letter.id, change, crate::db::now())
    })?;
    match outcome {
        Ok(()) => {
            println!("{slug}: {}", status.as_str());
            Ok(())
        }
        Err(Refused::NotAllowed) if letter.anonymised_at.is_some() => {
            anyhow::bail!("{slug} was anonymised: it cannot take signatures again")
        }
        Err(_) => anyhow::bail!(
            "{slug} is {}: it cannot be made {}",
            letter.status().as_str(),
            status.as_str()
        ),
    }
}

fn anonymise(settings: &Settings, slug: &str) -> anyhow::Result<()> {
    let pool = open_database(settings)?;
    let mut conn = pool.get()?;
    let letter = find(&mut conn, slug)?;
    if letter.status() != LetterStatus::Closed {
        anyhow::bail!(
            "{slug} is {}: close it first (`undersigned letter close {slug}`)",
            letter.status().as_str()
        );
    }
    // The workspace's use case: the same rule, and the audit log written.
    use crate::actions::letters::{change_from_command_line, Lifecycle};
    let outcome = crate::db::write_tx(&mut conn, |tx| {
        change_from_command_line(tx, &letter.id, Lifecycle::Anonymise, crate::db::now())
    })?;
    match outcome {
        Ok(()) => {
            println!("{slug}: anonymised; no signature holds an email address any more");
            Ok(())
        }
        Err(_) => anyhow::bail!("{slug} was already anonymised"),
    }
}

fn purge(settings: &Settings) -> anyhow::Result<()> {
    let pool = open_database(settings)?;
    let mut conn = pool.get()?;
    let config = crate::jobs::MaintenanceConfig {
        interval: settings.purge_interval,
        confirm_ttl: settings.confirm_ttl,
        anonymise_after_days: settings.anonymise_after_days,
    };
    let r = crate::jobs::run_once(&mut conn, &config)?;
    println!(
        "purged {} expired pending signature(s) and {} old outbox message(s); anonymised {} letter(s)",
        r.purged_pending, r.purged_outbox, r.anonymised_letters
    );
    Ok(())
}

fn publish(settings: &Settings, path: &PathBuf) -> anyhow::Result<()> {
    let source =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    // Parse before touching the database: a bad file changes nothing.
    let letter = LetterFile::parse(&source)
        .map_err(|e| anyhow::anyhow!("{}:{}: {}", path.display(), e.line, e.message))?;
    let pool = open_database(settings)?;
    let mut conn = pool.get()?;
    let (stored, outcome) = crate::db::write_tx(&mut conn, |tx| {
        letters::publish_file(tx, &letter, crate::db::now())
    })?;
    let verb = match outcome {
        PublishOutcome::Created => "created",
        PublishOutcome::Updated => "updated",
    };
    println!(
        "{verb} letter {} ({}, {} initial signatories, status {})",
        stored.slug,
        stored.language,
        letter.signatories.len(),
        stored.status().as_str()
    );
    println!(
        "{}/letters/{}",
        super::organizer::base_url_of(settings),
        stored.slug
    );
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
            l.status().as_str(),
            l.language,
            count,
            l.title
        );
    }
    Ok(())
}
