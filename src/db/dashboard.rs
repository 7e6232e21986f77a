//! What a letter's dashboard reads: counts by status, recent confirmations,
//! the latest signers with their addresses.

use super::schema::signatures;
use super::{DbConn, DbError};
use crate::model::{LetterId, SignatureStatus, Tier};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Counts by status for the dashboard.
pub fn status_counts(
    conn: &mut DbConn,
    letter_id: &LetterId,
) -> Result<Vec<(SignatureStatus, i64)>, DbError> {
    Ok(signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .group_by(signatures::status)
        .select((signatures::status, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Confirmation times since `since`, for the chart of signatures per day.
pub fn confirmed_since(
    conn: &mut DbConn,
    letter_id: &LetterId,
    since: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>, DbError> {
    let times: Vec<Option<NaiveDateTime>> = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .filter(signatures::confirmed_at.ge(since))
        .select(signatures::confirmed_at)
        .load(conn)?;
    Ok(times.into_iter().flatten().collect())
}

/// Name, address, status and signing time, as organizers see them.
pub type SignatureLine = (String, Option<String>, String, NaiveDateTime);

/// The latest public-tier signatures with their addresses, for organizers.
pub fn latest_with_email(
    conn: &mut DbConn,
    letter_id: &LetterId,
    limit: i64,
) -> Result<Vec<SignatureLine>, DbError> {
    Ok(signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::tier.eq(Tier::Public))
        .order((signatures::created_at.desc(), signatures::id.desc()))
        .limit(limit)
        .select((
            signatures::name,
            signatures::email,
            signatures::status,
            signatures::created_at,
        ))
        .load(conn)?)
}
