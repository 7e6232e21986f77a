//! Signatures brought in from a CSV file: which of a file's people the
//! letter already has, and the rows themselves, many per statement.

use super::{encode_titles, open_version, CONSENT_VERSION};
use crate::db::confirmed::{CONFIRMED, UNCONFIRMED};
use crate::db::schema::signatures;
use crate::db::{DbConn, DbError};
use crate::domain::csv_rows::{Person, PersonKey};
use crate::domain::{fold::fold, sort_key, Lang};
use crate::model::{LetterId, Moderation, SignatureId, SignatureStatus, Tier};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashSet;

/// Keys per lookup, and rows per insert: 21 values a row stays well
/// under both backends' limits on bound values.
const CHUNK: usize = 1000;

/// The current version of the letter when it takes signatures now.
pub fn open_letter_version(
    conn: &mut DbConn,
    letter_id: &LetterId,
    now: NaiveDateTime,
) -> Result<Option<i32>, DbError> {
    open_version(conn, letter_id, now)
}

/// Which of `keys` the letter already has: an address that signed (pending
/// or confirmed), or a name and city already there.
pub fn known_keys(
    conn: &mut DbConn,
    letter_id: &LetterId,
    keys: &[&PersonKey],
) -> Result<HashSet<PersonKey>, DbError> {
    let mut emails = Vec::new();
    let mut names = Vec::new();
    for key in keys {
        match key {
            PersonKey::Email(e) => emails.push(e.as_str()),
            PersonKey::Name(n, _) => names.push(n.as_str()),
        }
    }
    let mut known = HashSet::new();
    for chunk in emails.chunks(CHUNK) {
        let found: Vec<Option<String>> = signatures::table
            .filter(signatures::letter_id.eq(letter_id))
            .filter(signatures::email_key.eq_any(chunk))
            .select(signatures::email_key)
            .load(conn)?;
        known.extend(found.into_iter().flatten().map(PersonKey::Email));
    }
    names.sort_unstable();
    names.dedup();
    for chunk in names.chunks(CHUNK) {
        // Confirmed and pending apart, each through the index that holds
        // only them (`db::confirmed`): one query for both would read every
        // row of the letter.
        let confirmed: Vec<(String, Option<String>)> = signatures::table
            .filter(signatures::letter_id.eq(letter_id))
            .filter(CONFIRMED)
            .filter(signatures::sort_key.eq_any(chunk))
            .select((signatures::sort_key, signatures::city))
            .load(conn)?;
        // Withdrawn ones are left out here rather than in the query: a
        // bound status beside the partial indexes' own makes SQLite prepare
        // the statement again at every run.
        let unconfirmed: Vec<(String, Option<String>, SignatureStatus)> = signatures::table
            .filter(signatures::letter_id.eq(letter_id))
            .filter(UNCONFIRMED)
            .filter(signatures::sort_key.eq_any(chunk))
            .select((signatures::sort_key, signatures::city, signatures::status))
            .load(conn)?;
        let pending = unconfirmed
            .into_iter()
            .filter(|(_, _, status)| *status != SignatureStatus::Withdrawn)
            .map(|(name, city, _)| (name, city));
        known.extend(
            confirmed
                .into_iter()
                .chain(pending)
                .map(|(name, city)| PersonKey::Name(name, city.map(|c| fold(&c)))),
        );
    }
    Ok(known)
}

/// How imported rows are stored.
#[derive(Debug, Clone, Copy)]
pub enum Arrival {
    /// Waiting for its signer's confirmation, like a signature just
    /// submitted: one confirmation email sent, consent still to give.
    Pending,
    /// Collected in person: confirmed now, where the visibility rule put it.
    Confirmed,
}

/// One imported person to store.
pub struct Imported<'a> {
    pub id: SignatureId,
    pub person: &'a Person,
    /// Where the visibility rule placed it; `Shown` while pending (the
    /// confirmation places it again).
    pub moderation: Moderation,
}

/// Stores imported people as public-tier signatures of the letter.
pub fn insert_many(
    conn: &mut DbConn,
    letter_id: &LetterId,
    rows: &[Imported<'_>],
    arrival: Arrival,
    is_public: bool,
    language: Lang,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let pending = matches!(arrival, Arrival::Pending);
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<_> = chunk
            .iter()
            .map(|r| {
                let p = r.person;
                (
                    (
                        signatures::id.eq(r.id.to_string()),
                        signatures::letter_id.eq(letter_id.to_string()),
                        signatures::name.eq(p.name.as_str().to_string()),
                        signatures::sort_key.eq(sort_key(p.name.as_str())),
                        signatures::titles.eq(encode_titles(&p.titles.to_vec())),
                        signatures::email.eq(p.email.as_ref().map(|e| e.as_str().to_string())),
                        signatures::email_key.eq(p.email_key.clone()),
                        signatures::city.eq(p.city.as_ref().map(|c| c.as_str().to_string())),
                        signatures::is_public.eq(is_public),
                        signatures::tier.eq(Tier::Public),
                    ),
                    (
                        signatures::status.eq(if pending {
                            SignatureStatus::Pending
                        } else {
                            SignatureStatus::Confirmed
                        }),
                        signatures::language.eq(language.code()),
                        signatures::consent_version.eq(pending.then(|| CONSENT_VERSION.to_string())),
                        signatures::wants_updates.eq(false),
                        signatures::confirmation_sends.eq(i32::from(pending)),
                        signatures::sends_window_start.eq(pending.then_some(now)),
                        signatures::moderation.eq(r.moderation),
                        signatures::created_at.eq(now),
                        signatures::updated_at.eq(now),
                        signatures::confirmed_at.eq((!pending).then_some(now)),
                    ),
                )
            })
            .collect();
        // On the backends' own connections: diesel's multi-backend
        // connection has no multi-row insert.
        let insert = diesel::insert_into(signatures::table).values(values);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
        if !pending {
            // Confirmed now: found by name at once. Pending ones are
            // indexed when their owners confirm.
            let people: Vec<(String, String, Vec<String>)> = chunk
                .iter()
                .map(|r| {
                    (
                        r.id.to_string(),
                        r.person.name.as_str().to_string(),
                        r.person.titles.to_vec(),
                    )
                })
                .collect();
            super::search::index_many(conn, letter_id, &people)?;
        }
    }
    Ok(())
}
