//! A letter's press kit: its logo. Any of the letter's editors may change
//! it, as they may change its text; the access check found their role.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::{letters, logos};
use crate::domain::logo::Logo;
use crate::model::{AuditAction, AuditArgs, LetterId};
use chrono::NaiveDateTime;

/// Whether `actor` works on `letter`: an editor of any role, or an admin.
fn may_edit(actor: &Actor) -> bool {
    actor.role.is_some() || actor.admin
}

/// Sets the logo of the press kit, replacing the one before.
pub fn set_logo(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    logo: &Logo,
    now: NaiveDateTime,
) -> Outcome<()> {
    if letters::find_by_id(tx, letter)?.is_none() {
        return Ok(Err(Refused::NotFound));
    }
    if !may_edit(actor) {
        return Ok(Err(Refused::Forbidden));
    }
    logos::set(tx, letter, logo, now)?;
    let (w, h) = logo.size();
    let args = AuditArgs::new()
        .text("type", logo.content_type())
        .num("width", w)
        .num("height", h);
    audit(tx, &actor.id, Some(letter), AuditAction::LogoChanged, args, now)?;
    Ok(Ok(()))
}

/// Removes the logo; nothing is written when there was none.
pub fn remove_logo(tx: &mut Tx<'_>, actor: &Actor, letter: &LetterId, now: NaiveDateTime) -> Outcome<()> {
    if letters::find_by_id(tx, letter)?.is_none() {
        return Ok(Err(Refused::NotFound));
    }
    if !may_edit(actor) {
        return Ok(Err(Refused::Forbidden));
    }
    if logos::remove(tx, letter)? {
        audit(
            tx,
            &actor.id,
            Some(letter),
            AuditAction::LogoRemoved,
            AuditArgs::new(),
            now,
        )?;
    }
    Ok(Ok(()))
}
