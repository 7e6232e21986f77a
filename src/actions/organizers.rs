//! Organizer accounts: invitations, disabling, first passwords and resets.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::audit::{self as log, Record};
use crate::db::organizers::{self, CreateOutcome, Organizer, SetupRefused};
use crate::db::tokens::Purpose;
use crate::db::{outbox, DbError};
use crate::domain::TokenHash;
use crate::mail::messages;
use crate::model::{AuditAction, OrganizerId};
use chrono::NaiveDateTime;

/// An admin invites an organizer: an account without a password, and a
/// setup link to choose one.
pub fn invite(
    tx: &mut Tx<'_>,
    actor: &Actor,
    email: &str,
    is_admin: bool,
    now: NaiveDateTime,
) -> Outcome<CreateOutcome> {
    if !actor.admin {
        return Ok(Err(Refused::Forbidden));
    }
    let outcome = organizers::create(tx, email, is_admin, now)?;
    if matches!(outcome, CreateOutcome::Created { .. }) {
        audit(tx, &actor.id, None, AuditAction::OrganizerCreated, email, now)?;
    }
    Ok(Ok(outcome))
}

/// An admin disables an account (which ends its sessions) or enables it.
pub fn set_disabled(
    tx: &mut Tx<'_>,
    actor: &Actor,
    organizer: &OrganizerId,
    disabled: bool,
    now: NaiveDateTime,
) -> Outcome<()> {
    if !actor.admin {
        return Ok(Err(Refused::Forbidden));
    }
    let Some(o) = organizers::find(tx, organizer)? else {
        return Ok(Err(Refused::NotFound));
    };
    organizers::set_disabled(tx, &o.id, disabled, now)?;
    let action = if disabled {
        AuditAction::OrganizerDisabled
    } else {
        AuditAction::OrganizerEnabled
    };
    audit(tx, &actor.id, None, action, &o.email, now)?;
    Ok(Ok(()))
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
        let entry = Record {
            by: Some(&o.id),
            letter: None,
            action: AuditAction::PasswordSet,
            detail: "",
        };
        log::record(tx, entry, now)?;
    }
    Ok(done)
}

/// A forgotten password: a reset link by email when the account exists and
/// is enabled; nothing otherwise, and nothing that says which.
pub fn request_reset(
    tx: &mut Tx<'_>,
    email: &str,
    mail: &dyn Fn(&Organizer, &crate::domain::Token) -> outbox::NewEmail,
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
    token: &crate::domain::Token,
) -> outbox::NewEmail {
    let url = format!("{base_url}/workspace/setup/{}", token.as_str());
    messages::password_reset(tr, &o.email, &url)
}
