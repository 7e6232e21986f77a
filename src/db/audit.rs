//! Every organizer action, for the letter's owners and the admins to read.

use super::schema::{audit_log, organizers};
use super::{new_id, DbConn, DbError};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub who: Option<String>,
    pub action: String,
    pub detail: String,
    pub at: NaiveDateTime,
}

pub fn record(
    conn: &mut DbConn,
    organizer_id: Option<&str>,
    letter_id: Option<&str>,
    action: &str,
    detail: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(new_id()),
            audit_log::organizer_id.eq(organizer_id),
            audit_log::letter_id.eq(letter_id),
            audit_log::action.eq(action),
            audit_log::detail.eq(detail),
            audit_log::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The latest entries for a letter, newest first.
pub fn for_letter(conn: &mut DbConn, letter_id: &str, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
    let rows: Vec<(Option<String>, String, String, NaiveDateTime)> = audit_log::table
        .left_join(organizers::table.on(audit_log::organizer_id.eq(organizers::id.nullable())))
        .filter(audit_log::letter_id.eq(letter_id))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(limit)
        .select((
            organizers::email.nullable(),
            audit_log::action,
            audit_log::detail,
            audit_log::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(who, action, detail, at)| AuditEntry {
            who,
            action,
            detail,
            at,
        })
        .collect())
}
