//! Every organizer action, for the letter's owners and the admins to read.

use super::schema::{audit_log, organizers};
use super::{new_id, DbConn, DbError, Tx};
use crate::model::{AuditAction, AuditArgs, LetterId, OrganizerId, SignatureId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub who: Option<String>,
    pub action: AuditAction,
    /// The plain text of rows written before their arguments were kept.
    pub detail: String,
    /// The named values its sentence shows; `None` for older rows.
    pub args: Option<AuditArgs>,
    pub at: NaiveDateTime,
}

/// One row of the log. Its fields are named and typed, so an organizer's
/// id cannot land in the letter's column.
pub struct Record<'a> {
    /// `None` for what the service did by itself, or a signer.
    pub by: Option<&'a OrganizerId>,
    /// `None` for site-wide actions (accounts, site-wide protected names).
    pub letter: Option<&'a LetterId>,
    pub action: AuditAction,
    pub args: AuditArgs,
    /// The signature whose signer's words the row holds: its withdrawal
    /// erases them ([`forget_signature`]).
    pub signature: Option<&'a SignatureId>,
}

impl<'a> Record<'a> {
    pub fn new(
        by: Option<&'a OrganizerId>,
        letter: Option<&'a LetterId>,
        action: AuditAction,
        args: AuditArgs,
    ) -> Self {
        Record {
            by,
            letter,
            action,
            args,
            signature: None,
        }
    }
}

/// Writes the row inside the action's own transaction: an action and its
/// audit row commit together or not at all.
pub fn record(tx: &mut Tx<'_>, entry: Record<'_>, now: NaiveDateTime) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    insert(conn, entry, now)
}

/// [`record`] for a statement that already holds the transaction's
/// connection (a signer's change, written next to its storage).
pub fn insert(conn: &mut DbConn, entry: Record<'_>, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(new_id()),
            audit_log::organizer_id.eq(entry.by),
            audit_log::letter_id.eq(entry.letter),
            audit_log::action.eq(entry.action),
            audit_log::detail.eq(entry.args.plain()),
            audit_log::args.eq(Some(entry.args.to_json())),
            audit_log::signature_id.eq(entry.signature),
            audit_log::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A withdrawal erases the signer's name everywhere, the log included: the
/// rows about their signature keep only that something was done.
pub fn forget_signature(conn: &mut DbConn, signature: &SignatureId) -> Result<(), DbError> {
    let erased = AuditArgs::new().text("erased", "yes");
    diesel::update(audit_log::table.filter(audit_log::signature_id.eq(signature)))
        .set((
            audit_log::detail.eq(""),
            audit_log::args.eq(Some(erased.to_json())),
        ))
        .execute(conn)?;
    Ok(())
}

type Row = (Option<String>, AuditAction, String, Option<String>, NaiveDateTime);

/// The latest entries for a letter, newest first.
pub fn for_letter(conn: &mut DbConn, letter_id: &LetterId, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
    let rows: Vec<Row> = audit_log::table
        .left_join(organizers::table.on(audit_log::organizer_id.eq(organizers::id.nullable())))
        .filter(audit_log::letter_id.eq(letter_id))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(limit)
        .select((
            organizers::email.nullable(),
            audit_log::action,
            audit_log::detail,
            audit_log::args,
            audit_log::created_at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(entry).collect())
}

/// The latest site-wide entries (accounts, site-wide protected names),
/// newest first, for the admins.
pub fn site_wide(conn: &mut DbConn, limit: i64) -> Result<Vec<AuditEntry>, DbError> {
    let rows: Vec<Row> = audit_log::table
        .left_join(organizers::table.on(audit_log::organizer_id.eq(organizers::id.nullable())))
        .filter(audit_log::letter_id.is_null())
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(limit)
        .select((
            organizers::email.nullable(),
            audit_log::action,
            audit_log::detail,
            audit_log::args,
            audit_log::created_at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(entry).collect())
}

fn entry((who, action, detail, args, at): Row) -> AuditEntry {
    // Arguments this build cannot read leave the row as its plain text
    // rather than hide the whole log.
    let args = args.and_then(|json| match serde_json::from_str(&json) {
        Ok(args) => Some(args),
        Err(e) => {
            tracing::warn!(error = %e, %action, "an audit row's arguments do not parse");
            None
        }
    });
    AuditEntry {
        who,
        action,
        detail,
        args,
        at,
    }
}
