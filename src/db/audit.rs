//! Every organizer action, for the letter's owners and the admins to read.

use super::schema::{audit_log, organizers};
use super::{new_id, DbConn, DbError, Tx};
use crate::model::{AuditAction, LetterId, OrganizerId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub who: Option<String>,
    pub action: AuditAction,
    pub detail: String,
    pub at: NaiveDateTime,
}

/// One row of the log. Its fields are named and typed, so an organizer's
/// id cannot land in the letter's column.
pub struct Record<'a> {
    /// `None` for what the service did by itself.
    pub by: Option<&'a OrganizerId>,
    /// `None` for site-wide actions (accounts, site-wide protected names).
    pub letter: Option<&'a LetterId>,
    pub action: AuditAction,
    pub detail: &'a str,
}

/// Writes the row inside the action's own transaction: an action and its
/// audit row commit together or not at all.
pub fn record(tx: &mut Tx<'_>, entry: Record<'_>, now: NaiveDateTime) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(new_id()),
            audit_log::organizer_id.eq(entry.by),
            audit_log::letter_id.eq(entry.letter),
            audit_log::action.eq(entry.action),
            audit_log::detail.eq(entry.detail),
            audit_log::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The latest entries for a letter, newest first.
pub fn for_letter(conn: &mut DbConn, letter_id: &LetterId, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
    let rows: Vec<(Option<String>, AuditAction, String, NaiveDateTime)> = audit_log::table
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
