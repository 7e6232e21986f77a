//! A letter's team: its owners take a co-editor off the letter, change a
//! member's role, or hand the letter over. Sharing it with a new co-editor
//! is `letters::share`.
//!
//! Two promises hold here, whatever route leads to these use cases: only an
//! owner (or an admin) changes the team, and a letter always keeps an owner.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::editors::{self, Member};
use crate::model::{AuditAction, AuditArgs, LetterId, OrganizerId, Role};
use chrono::NaiveDateTime;

/// A change to one member of a letter's team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamChange {
    /// Off the letter: they no longer see it.
    Remove,
    /// Owner or co-editor, beside the letter's other owners.
    Role(Role),
    /// The member becomes the letter's only owner; every other owner
    /// stays on as co-editor.
    Transfer,
}

/// What a team change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamOutcome {
    Done,
    /// Refused: the letter would be left without an owner.
    LastOwner,
}

pub fn change(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    member: &OrganizerId,
    change: TeamChange,
    now: NaiveDateTime,
) -> Outcome<TeamOutcome> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    let team = editors::lock_team(tx, letter)?;
    // The actor's role as it is now, not as the request's access check read
    // it: an owner demoted a moment ago is a co-editor.
    if !actor.admin && !team.iter().any(|m| m.id == actor.id && m.role == Role::Owner) {
        return Ok(Err(Refused::Forbidden));
    }
    let Some(target) = team.iter().find(|m| m.id == *member).cloned() else {
        return Ok(Err(Refused::NotFound));
    };
    let other_owners = team
        .iter()
        .filter(|m| m.role == Role::Owner && m.id != target.id)
        .count();
    let args = AuditArgs::new().text("email", &target.email);
    let (action, args) = match change {
        TeamChange::Remove | TeamChange::Role(Role::Editor)
            if target.role == Role::Owner && other_owners == 0 =>
        {
            return Ok(Ok(TeamOutcome::LastOwner));
        }
        TeamChange::Remove => {
            editors::revoke(tx, letter, &target.id)?;
            (AuditAction::EditorRemoved, args)
        }
        TeamChange::Role(role) if role == target.role => return Ok(Ok(TeamOutcome::Done)),
        TeamChange::Role(role) => {
            editors::set_role(tx, letter, &target.id, role)?;
            (AuditAction::EditorRoleChanged, args.text("role", role.as_str()))
        }
        TeamChange::Transfer => {
            transfer(tx, letter, &team, &target)?;
            (AuditAction::OwnershipTransferred, args)
        }
    };
    audit(tx, &actor.id, Some(letter), action, args, now)?;
    Ok(Ok(TeamOutcome::Done))
}

/// `target` the only owner, the other owners co-editors.
fn transfer(
    tx: &mut Tx<'_>,
    letter: &LetterId,
    team: &[Member],
    target: &Member,
) -> Result<(), crate::db::DbError> {
    editors::set_role(tx, letter, &target.id, Role::Owner)?;
    for m in team.iter().filter(|m| m.role == Role::Owner && m.id != target.id) {
        editors::set_role(tx, letter, &m.id, Role::Editor)?;
    }
    Ok(())
}
