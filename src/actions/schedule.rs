//! What happens at a set time: a draft's embargo ends, a letter's signing
//! closes. The schedule thread (`jobs::spawn_schedule`) runs the `_due`
//! use cases every second; a letter's status reads a closing as done from
//! its instant even before they run (`Letter::status`).

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::audit::Record;
use crate::db::letters;
use crate::db::DbError;
use crate::model::{AuditAction, AuditArgs, LetterId, LetterStatus};
use chrono::NaiveDateTime;

/// An embargo: the draft publishes itself at `at` (`None` cancels). Until
/// then it is a draft, and nothing of it is public; at the time the
/// schedule thread publishes it as `publish` would (`publish_due`).
pub fn schedule_publication(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Outcome<()> {
    let Some(current) = letters::find_by_id(tx, letter)? else {
        return Ok(Err(Refused::NotFound));
    };
    if current.status() != LetterStatus::Draft {
        return Ok(Err(Refused::NotAllowed));
    }
    if at.is_some_and(|t| t <= now) {
        return Ok(Err(Refused::InThePast));
    }
    letters::set_publish_at(tx, letter, at, now)?;
    let (action, args) = match at {
        Some(at) => (AuditAction::PublicationScheduled, AuditArgs::new().time("at", at)),
        None => (
            AuditAction::PublicationScheduleCancelled,
            super::letters::cancelled(AuditArgs::new(), current.publish_at),
        ),
    };
    audit(tx, &actor.id, Some(letter), action, args, now)?;
    Ok(Ok(()))
}

/// Publishes the drafts whose embargo has ended, each stamped with its
/// scheduled time and recorded as the service's. Returns the letters.
pub fn publish_due(tx: &mut Tx<'_>, now: NaiveDateTime) -> Result<Vec<LetterId>, DbError> {
    let due = letters::due_to_publish(tx, now)?;
    let mut published = Vec::new();
    for (id, at) in due {
        if !letters::publish_if_due(tx, &id, at)? {
            continue;
        }
        let (id, at) = &(id, at);
        let title = letters::find_by_id(tx, id)?.map(|l| l.title).unwrap_or_default();
        let args = AuditArgs::new().text("title", title).text("via", "schedule");
        let entry = Record::new(None, Some(id), AuditAction::LetterPublished, args);
        crate::db::audit::record(tx, entry, *at)?;
        published.push(id.clone());
    }
    Ok(published)
}

/// Writes down the closings that their schedule made: each letter's
/// status has been closed since its `close_at` (`Letter::status`); this
/// records it, in the audit log too, at that instant. Returns the letters.
pub fn close_due(tx: &mut Tx<'_>, now: NaiveDateTime) -> Result<Vec<LetterId>, DbError> {
    let due = letters::due_to_close(tx, now)?;
    let mut closed = Vec::new();
    for (id, at) in due {
        if !letters::close_if_due(tx, &id, at)? {
            continue;
        }
        let (id, at) = &(id, at);
        let args = AuditArgs::new().text("via", "schedule");
        let entry = Record::new(None, Some(id), AuditAction::LetterClosed, args);
        crate::db::audit::record(tx, entry, *at)?;
        closed.push(id.clone());
    }
    Ok(closed)
}

/// Anonymises a letter whose time to keep addresses is over
/// (`anonymise_after_days`), recorded as the service's. Returns how many
/// signatures no longer hold an address.
pub fn anonymise_due(tx: &mut Tx<'_>, letter: &LetterId, now: NaiveDateTime) -> Result<usize, DbError> {
    let erased = crate::db::maintenance::anonymise_letter(tx, letter, now)?;
    let args = AuditArgs::new().num("n", erased).text("via", "schedule");
    let entry = Record::new(None, Some(letter), AuditAction::LetterAnonymised, args);
    crate::db::audit::record(tx, entry, now)?;
    Ok(erased)
}
