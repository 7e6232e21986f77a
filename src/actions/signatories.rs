//! A letter's first signatories, entered by its organizers.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::{initial, DbError};
use crate::domain::letter_file::InitialSignatory;
use crate::domain::Lang;
use crate::model::{AuditAction, AuditArgs, LetterId, SignatureId};
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
        AuditArgs::new().text("name", &person.name),
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
    let args = AuditArgs::new().num("n", new.len()).num("skipped", skipped.len());
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::SignatoriesImported,
        args,
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
    // The log names the person as they were before the change, and says
    // what became of them.
    let Some(before) = initial::name_of(tx, letter, signatory)? else {
        return Ok(Err(Refused::NotFound));
    };
    let args = AuditArgs::new().text("name", before);
    let (found, action, args) = match change {
        Change::Save(p) => (
            initial::update(tx, letter, signatory, p, now)?,
            AuditAction::SignatoryEdited,
            args.text("new", &p.name),
        ),
        Change::Delete => (
            initial::delete(tx, letter, signatory)?,
            AuditAction::SignatoryRemoved,
            args,
        ),
        Change::Up => (
            initial::shift(tx, letter, signatory, true)?,
            AuditAction::SignatoryMovedUp,
            args,
        ),
        Change::Down => (
            initial::shift(tx, letter, signatory, false)?,
            AuditAction::SignatoryMovedDown,
            args,
        ),
        Change::Verify(how) => (
            initial::verify(tx, letter, signatory, &actor.email, how.as_deref(), now)?,
            AuditAction::SignatoryVerified,
            match how.as_deref().filter(|h| !h.trim().is_empty()) {
                Some(h) => args.text("noted", "yes").text("how", h),
                None => args.text("noted", "no"),
            },
        ),
    };
    if !found {
        return Ok(Err(Refused::NotFound));
    }
    audit(tx, &actor.id, Some(letter), action, args, now)?;
    Ok(Ok(()))
}
