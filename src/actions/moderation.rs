//! Reviewing signatures, hiding them, and protecting names.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::moderation::{self, Bulk, Decision, Mode, Selected};
use crate::db::{visibility, DbError};
use crate::domain::SignerName;
use crate::model::{AuditAction, AuditArgs, LetterId};
use chrono::NaiveDateTime;

fn decision_action(decision: Decision) -> AuditAction {
    match decision {
        Decision::Approve => AuditAction::Approved,
        Decision::Hide => AuditAction::Hidden,
        Decision::HideAndExclude => AuditAction::HiddenAndExcluded,
        Decision::Include => AuditAction::Included,
    }
}

/// Applies a decision to the selected rows that are unchanged since the
/// organizer loaded them. Returns how many it applied to.
pub fn decide(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    selected: &[Selected],
    decision: Decision,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let n = moderation::decide(tx, letter, selected, decision, &actor.id, now)?;
    if n > 0 {
        audit(
            tx,
            &actor.id,
            Some(letter),
            decision_action(decision),
            AuditArgs::new().num("n", n),
            now,
        )?;
    }
    Ok(n)
}

pub fn set_mode(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    mode: Mode,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    moderation::set_mode(tx, letter, mode, now)?;
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::ModerationModeSet,
        AuditArgs::new().text("mode", mode.as_str()),
        now,
    )
}

/// Hides every signature matching `criteria`; returns how many.
pub fn bulk_hide(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    criteria: &Bulk,
    exclude: bool,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let n = moderation::bulk_hide(tx, letter, criteria, exclude, &actor.id, now)?;
    // `$scope` picks the sentence: by domain, by time, or both.
    let mut args = AuditArgs::new()
        .num("n", n)
        .text("excluded", if exclude { "yes" } else { "no" });
    if let Some(d) = &criteria.domain {
        args = args.text("domain", format!("@{d}"));
    }
    if let Some(from) = criteria.from {
        args = args.time("from", from);
    }
    if let Some(to) = criteria.to {
        args = args.time("to", to);
    }
    let scope = match (&criteria.domain, criteria.from.is_some() || criteria.to.is_some()) {
        (Some(_), true) => "both",
        (Some(_), false) => "domain",
        (None, _) => "time",
    };
    args = args.text("scope", scope);
    audit(tx, &actor.id, Some(letter), AuditAction::BulkHidden, args, now)?;
    Ok(n)
}

/// Protects a name on one letter, or site-wide (`letter` is `None`; admins
/// only). Names already listed that match go back to review, unless an
/// organizer approved them. Returns the letters whose list changed.
pub fn protect(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: Option<&LetterId>,
    name: &SignerName,
    now: NaiveDateTime,
) -> Outcome<Vec<LetterId>> {
    if letter.is_none() && !actor.admin {
        return Ok(Err(Refused::Forbidden));
    }
    moderation::add_protected(tx, letter, name.as_str(), now)?;
    let changed = visibility::hold_protected(tx, letter, now)?;
    audit(
        tx,
        &actor.id,
        letter,
        AuditAction::ProtectedAdded,
        AuditArgs::new().text("name", name.as_str()),
        now,
    )?;
    Ok(Ok(changed))
}

/// Removes a protected name; `NotFound` when it is not there (or belongs to
/// another letter).
pub fn unprotect(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: Option<&LetterId>,
    protected_id: &str,
    now: NaiveDateTime,
) -> Outcome<()> {
    if letter.is_none() && !actor.admin {
        return Ok(Err(Refused::Forbidden));
    }
    // Named in the log by the name, not by its row's id.
    let name = moderation::list_protected(tx, letter)?
        .into_iter()
        .find(|p| p.id == protected_id)
        .map(|p| p.name)
        .unwrap_or_default();
    if !moderation::remove_protected(tx, letter, protected_id)? {
        return Ok(Err(Refused::NotFound));
    }
    audit(
        tx,
        &actor.id,
        letter,
        AuditAction::ProtectedRemoved,
        AuditArgs::new().text("name", name),
        now,
    )?;
    Ok(Ok(()))
}
