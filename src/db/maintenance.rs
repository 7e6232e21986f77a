//! Deleting what must not be kept: expired pending signatures, old outbox
//! rows, and the addresses of letters due for anonymisation. Cut-offs are
//! computed in Rust so the SQL stays portable.

use super::letters::LetterStatus;
use super::schema::{letters, outbox, signatures, tokens};
use super::{DbConn, DbError, Tx};
use crate::model::{LetterId, SignatureStatus, Tier};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Pending signatures whose last confirmation link expired before `cutoff`,
/// with their tokens (by cascade). Returns how many were erased.
pub fn purge_expired_pending(tx: &mut Tx<'_>, cutoff: NaiveDateTime) -> Result<usize, DbError> {
    let conn: &mut DbConn = tx;
    // UNCONFIRMED, implied by the status, is the condition of the index the
    // purge reads (`signatures_unconfirmed_age`).
    let stale = signatures::table
        .filter(super::confirmed::UNCONFIRMED)
        .filter(signatures::status.eq(SignatureStatus::Pending))
        .filter(signatures::tier.eq(Tier::Public))
        .filter(signatures::updated_at.lt(cutoff))
        .select(signatures::id);
    diesel::delete(tokens::table.filter(tokens::signature_id.eq_any(stale.nullable()))).execute(conn)?;
    diesel::delete(outbox::table.filter(outbox::signature_id.eq_any(stale.nullable()))).execute(conn)?;
    Ok(diesel::delete(
        signatures::table
            .filter(super::confirmed::UNCONFIRMED)
            .filter(signatures::status.eq(SignatureStatus::Pending))
            .filter(signatures::tier.eq(Tier::Public))
            .filter(signatures::updated_at.lt(cutoff)),
    )
    .execute(conn)?)
}

/// Delivered or abandoned messages older than `cutoff`: they name their
/// recipient, and their job is done.
pub fn purge_old_outbox(conn: &mut DbConn, cutoff: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(
        outbox::table
            .filter(outbox::status.ne(super::outbox::OutboxStatus::Pending))
            .filter(outbox::created_at.lt(cutoff)),
    )
    .execute(conn)?)
}

/// Erases every email address of a letter and every link to its
/// signatures; the public list stays as published. Pending signatures, never
/// confirmed, are deleted.
pub fn anonymise_letter(tx: &mut Tx<'_>, letter_id: &LetterId, now: NaiveDateTime) -> Result<usize, DbError> {
    let conn: &mut DbConn = tx;
    let of_letter = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .select(signatures::id);
    diesel::delete(tokens::table.filter(tokens::signature_id.eq_any(of_letter.nullable()))).execute(conn)?;
    // Queued mail to the letter's signers is cancelled, and sent mail
    // no longer names them.
    super::outbox::erase_about_letter(conn, letter_id)?;
    // Files uploaded for import and never imported hold addresses too.
    super::csv_uploads::forget_letter(conn, letter_id)?;
    diesel::delete(
        signatures::table
            .filter(signatures::letter_id.eq(letter_id))
            .filter(signatures::status.eq(SignatureStatus::Pending)),
    )
    .execute(conn)?;
    let erased = diesel::update(signatures::table.filter(signatures::letter_id.eq(letter_id)))
        .set((
            signatures::email.eq(None::<String>),
            signatures::email_key.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(letters::table.find(letter_id))
        .set((letters::anonymised_at.eq(Some(now)), letters::updated_at.eq(now)))
        .execute(conn)?;
    Ok(erased)
}

/// Closed letters whose anonymisation date has come.
pub fn letters_due_for_anonymisation(
    conn: &mut DbConn,
    now: NaiveDateTime,
    default_days: Option<u32>,
) -> Result<Vec<LetterId>, DbError> {
    let candidates: Vec<(LetterId, Option<NaiveDateTime>, Option<i32>)> = letters::table
        .filter(letters::status.eq(LetterStatus::Closed.as_str()))
        .filter(letters::anonymised_at.is_null())
        .select((letters::id, letters::closed_at, letters::anonymise_after_days))
        .load(conn)?;
    Ok(candidates
        .into_iter()
        .filter_map(|(id, closed_at, days)| {
            let days = days.map(i64::from).or(default_days.map(i64::from))?;
            (closed_at? + Duration::days(days) <= now).then_some(id)
        })
        .collect())
}
