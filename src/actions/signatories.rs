//! A letter's first signatories, entered by its organizers.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::{initial, DbError};
use crate::domain::letter_file::InitialSignatory;
use crate::domain::Lang;
use crate::model::{AuditAction, LetterId, SignatureId};
use chrono::NaiveDateTime;

/// Adds one person at the end of the list.
pub fn add(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    lang: Lang,
    person: &InitialSignatory,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    initial::append(tx, letter, std::slice::from_ref(person), lang, now)?;
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::SignatoryAdded,
        &person.name,
        now,
    )
}

/// Adds the people of a pasted list, in its order, at the end.
pub fn import(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    lang: Lang,
    people: &[InitialSignatory],
    now: NaiveDateTime,
) -> Result<Imported, DbError> {
    // Checked here, in the transaction that adds them, whatever the
    // preview showed: a name already on the list is not added again.
    let existing: Vec<String> = initial::list(tx, letter)?.into_iter().map(|s| s.name).collect();
    let (new, skipped) = crate::domain::paste::without_duplicates(&existing, people.to_vec());
    initial::append(tx, letter, &new, lang, now)?;
    let detail = format!("{} (+{} skipped)", new.len(), skipped.len());
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::SignatoriesImported,
        &detail,
        now,
    )?;
    Ok(Imported {
        added: new.len(),
        skipped: skipped.len(),
    })
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    /// Already on the list, or twice in the paste.
    pub skipped: usize,
}

/// A change to one signatory of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// New name and titles. A new name voids a verification: it vouched
    /// for the old one.
    Save(InitialSignatory),
    Delete,
    Up,
    Down,
    /// Marks the name verified, with how (a call, a letter on file…).
    Verify(Option<String>),
}

pub fn change(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    signatory: &SignatureId,
    change: &Change,
    now: NaiveDateTime,
) -> Outcome<()> {
    let (found, action, detail) = match change {
        Change::Save(p) => (
            initial::update(tx, letter, signatory, p, now)?,
            AuditAction::SignatoryEdited,
            p.name.clone(),
        ),
        Change::Delete => (
            initial::delete(tx, letter, signatory)?,
            AuditAction::SignatoryRemoved,
            signatory.to_string(),
        ),
        Change::Up => (
            initial::shift(tx, letter, signatory, true)?,
            AuditAction::SignatoryMovedUp,
            signatory.to_string(),
        ),
        Change::Down => (
            initial::shift(tx, letter, signatory, false)?,
            AuditAction::SignatoryMovedDown,
            signatory.to_string(),
        ),
        Change::Verify(how) => (
            initial::verify(tx, letter, signatory, &actor.email, how.as_deref(), now)?,
            AuditAction::SignatoryVerified,
            how.clone().unwrap_or_default(),
        ),
    };
    if !found {
        return Ok(Err(Refused::NotFound));
    }
    audit(tx, &actor.id, Some(letter), action, &detail, now)?;
    Ok(Ok(()))
}
