//! Organizer accounts: invitations, disabling, first passwords and resets.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::audit::{self as log, Record};
use crate::db::organizers::{self, CreateOutcome, Organizer, SetupRefused};
use crate::db::tokens::Purpose;
use crate::db::{outbox, DbError};
use crate::domain::{Token, TokenHash};
use crate::mail::messages;
use crate::model::{AuditAction, AuditArgs, OrganizerId};
use chrono::NaiveDateTime;

/// An admin invites an organizer: an account without a password, and a
/// setup link to choose one, sent by email through the outbox in the same
/// transaction (nobody copies a link by hand).
pub fn invite(
    tx: &mut Tx<'_>,
    actor: &Actor,
    email: &str,
    is_admin: bool,
    mail: &dyn Fn(&Organizer, &Token) -> outbox::NewEmail,
    now: NaiveDateTime,
) -> Outcome<CreateOutcome> {
    if !actor.admin {
        return Ok(Err(Refused::Forbidden));
    }
    let outcome = organizers::create(tx, email, is_admin, now)?;
    if let CreateOutcome::Created { organizer, setup } = &outcome {
        outbox::insert(tx, &mail(organizer, setup), now)?;
        let role = if is_admin { "admin" } else { "organizer" };
        let args = AuditArgs::new().text("email", email).text("role", role);
        audit(tx, &actor.id, None, AuditAction::OrganizerCreated, args, now)?;
    }
    Ok(Ok(outcome))
}

/// The invitation email, for [`invite`].
pub fn invitation_mail(
    tr: &crate::i18n::Tr<'_>,
    base_url: &str,
    invited_by: &str,
    o: &Organizer,
    token: &Token,
) -> outbox::NewEmail {
    let url = format!("{base_url}/workspace/setup/{}", token.as_str());
    messages::invitation(tr, &o.email, invited_by, &url)
}

/// What disabling or enabling an account did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountOutcome {
    Done,
    /// An admin may not disable their own account: they would lock the
    /// door behind them. Another admin can. With this rule the site always
    /// keeps an enabled admin: whoever disables one is another.
    Yourself,
}

/// An admin disables an account (which ends its sessions at once, and
/// stops the messages to signers it is sending) or enables it. An admin never disables themself, and the acting admin must
/// still be an enabled admin when the change commits: so the site always
/// keeps one, even when two admins disable each other at the same moment.
pub fn set_disabled(
    tx: &mut Tx<'_>,
    actor: &Actor,
    organizer: &OrganizerId,
    disabled: bool,
    now: NaiveDateTime,
) -> Outcome<AccountOutcome> {
    if !actor.admin {
        return Ok(Err(Refused::Forbidden));
    }
    // Locked until commit, so that two admins disabling each other at the
    // same moment cannot both succeed and leave the site with none.
    let admins = organizers::lock_enabled_admins(tx)?;
    if !admins.contains(&actor.id) {
        // Disabled (or no longer admin) since this request's session was read.
        return Ok(Err(Refused::Forbidden));
    }
    let Some(o) = organizers::find(tx, organizer)? else {
        return Ok(Err(Refused::NotFound));
    };
    if disabled && o.id == actor.id {
        return Ok(Ok(AccountOutcome::Yourself));
    }
    organizers::set_disabled(tx, &o.id, disabled, now)?;
    if disabled {
        for m in crate::db::mailings::sending_by(tx, &o.id)? {
            super::mailings::stop(tx, Some(&actor.id), &m, super::mailings::StopReason::Author, now)?;
        }
    }
    let action = if disabled {
        AuditAction::OrganizerDisabled
    } else {
        AuditAction::OrganizerEnabled
    };
    audit(
        tx,
        &actor.id,
        None,
        action,
        AuditArgs::new().text("email", &o.email),
        now,
    )?;
    Ok(Ok(AccountOutcome::Done))
}

/// A setup or reset link used: the password (and, for the first admin, the
/// address) set at once, the link spent, other sessions ended.
pub fn complete_setup(
    tx: &mut Tx<'_>,
    link: &TokenHash,
    email: Option<&str>,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Result<Organizer, SetupRefused>, DbError> {
    let done = organizers::complete_setup(tx, link, email, password_hash, now)?;
    if let Ok(o) = &done {
        let args = AuditArgs::new().text("email", &o.email);
        let entry = Record::new(Some(&o.id), None, AuditAction::PasswordSet, args);
        log::record(tx, entry, now)?;
    }
    Ok(done)
}

/// A forgotten password: a reset link by email when the account exists and
/// is enabled; nothing otherwise, and nothing that says which.
pub fn request_reset(
    tx: &mut Tx<'_>,
    email: &str,
    mail: &dyn Fn(&Organizer, &Token) -> outbox::NewEmail,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let Some(o) = organizers::find_by_email(tx, email)? else {
        return Ok(());
    };
    if o.disabled {
        return Ok(());
    }
    let token = organizers::issue_link(tx, &o.id, Purpose::Reset, now)?;
    outbox::insert(tx, &mail(&o, &token), now)
}

/// The reset email, for [`request_reset`].
pub fn reset_mail(
    tr: &crate::i18n::Tr<'_>,
    base_url: &str,
    o: &Organizer,
    token: &Token,
) -> outbox::NewEmail {
    let url = format!("{base_url}/workspace/setup/{}", token.as_str());
    messages::password_reset(tr, &o.email, &url)
}
