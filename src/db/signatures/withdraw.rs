//! Withdrawing a signature: what stays is a tombstone.

use super::{lookup_link, LinkError};
use crate::db::outbox;
use crate::db::schema::{signatures, tokens};
use crate::db::tokens::Purpose;
use crate::db::{DbConn, DbError, Tx};
use crate::domain::{sort_key, TokenHash};
use crate::model::SignatureStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone)]
pub struct Withdrawn {
    pub letter_id: crate::model::LetterId,
    pub was_confirmed: bool,
    /// It was in the count: confirmed, and not excluded by an organizer.
    pub was_counted: bool,
    /// The language the signer signed in, for the page that follows.
    pub language: crate::domain::Lang,
}

/// Withdraws the signature a withdrawal or manage token points to, erasing
/// everything personal. Every other link of that signature stops working.
pub fn withdraw(
    tx: &mut Tx<'_>,
    hash: &TokenHash,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Result<Withdrawn, LinkError>, DbError> {
    let conn: &mut DbConn = tx;
    let target = match lookup_link(conn, hash, purpose, now)? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    // Keep only a tombstone: the row explains a count that went down,
    // and nothing in it identifies the person any more.
    diesel::update(signatures::table.find(&target.signature_id))
        .set((
            signatures::status.eq(SignatureStatus::Withdrawn),
            signatures::withdrawn_at.eq(Some(now)),
            signatures::updated_at.eq(now),
            signatures::name.eq(""),
            // The surname key is the name folded: it goes with it.
            signatures::sort_key.eq(sort_key("")),
            signatures::titles.eq("[]"),
            signatures::email.eq(None::<String>),
            signatures::email_key.eq(None::<String>),
            signatures::city.eq(None::<String>),
            signatures::wants_updates.eq(false),
        ))
        .execute(conn)?;
    diesel::update(
        tokens::table
            .filter(tokens::signature_id.eq(&target.signature_id))
            .filter(tokens::used_at.is_null()),
    )
    .set(tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    // The words it could be found by are erased with the name.
    super::search::forget(conn, target.signature_id.as_str())?;
    // Mail still queued to the signer is not sent, and mail already
    // sent no longer names them here.
    outbox::erase_about(conn, &target.signature_id)?;
    if let Some(email) = &target.email {
        outbox::erase_legacy_to(conn, email)?;
    }
    // The audit log keeps that the name was corrected, not the names.
    crate::db::audit::forget_signature(conn, &target.signature_id)?;
    Ok(Ok(Withdrawn {
        letter_id: target.letter_id,
        was_confirmed: target.signature_status == SignatureStatus::Confirmed,
        was_counted: target.signature_status == SignatureStatus::Confirmed && !target.excluded,
        language: target.content.language,
    }))
}
