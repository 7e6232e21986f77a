//! Which confirmed signatures the public sees: review queue, hiding,
//! exclusion from the count, and names held for review.

use super::schema::{letters, protected_names, signatures};
use super::signatures::decode_titles;
use super::{new_id, DbConn, DbError};
use crate::domain::email::AddressView;
use crate::domain::fold::fold;
use crate::domain::protected;
use crate::model::{LetterId, OrganizerId, SignatureId, Tier};
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub use crate::model::Moderation;

pub use crate::model::ModerationMode as Mode;

mod bulk;
pub use bulk::{bulk_count, bulk_hide, bulk_names, Bulk, BulkProblem};

pub fn mode_of(conn: &mut DbConn, letter_id: &LetterId) -> Result<Mode, DbError> {
    Ok(letters::table
        .find(letter_id)
        .select(letters::moderation)
        .get_result(conn)?)
}

pub fn set_mode(
    conn: &mut DbConn,
    letter_id: &LetterId,
    mode: Mode,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(letters::table.find(letter_id))
        .set((letters::moderation.eq(mode.as_str()), letters::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// True when the name matches a protected name of this letter or the site,
/// whatever its order, titles, case and accents (see
/// `domain::protected`). Protected lists are a handful of names, so they
/// are compared here rather than in SQL; the stored `folded` column only
/// orders the lists.
pub fn is_protected(conn: &mut DbConn, letter_id: &LetterId, name: &str) -> Result<bool, DbError> {
    let protected = protected_for(conn, letter_id)?;
    Ok(protected::is_held(name, protected.iter().map(String::as_str)))
}

/// The protected names that apply to a letter: its own and the site's.
pub fn protected_for(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<String>, DbError> {
    let query = protected_names::table
        .filter(
            protected_names::letter_id
                .eq(letter_id)
                .or(protected_names::letter_id.is_null()),
        )
        .select(protected_names::name);
    // Read at every public confirmation.
    Ok(super::on_backend!(conn, c => query.load(c))?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedName {
    pub id: String,
    pub name: String,
}

/// Protected names of a letter, or of the whole site with `None`.
pub fn list_protected(
    conn: &mut DbConn,
    letter_id: Option<&LetterId>,
) -> Result<Vec<ProtectedName>, DbError> {
    let q = protected_names::table
        .order(protected_names::folded.asc())
        .into_boxed();
    let q = match letter_id {
        Some(id) => q.filter(protected_names::letter_id.eq(id.to_string())),
        None => q.filter(protected_names::letter_id.is_null()),
    };
    Ok(q.select((protected_names::id, protected_names::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(id, name)| ProtectedName { id, name })
        .collect())
}

pub fn add_protected(
    conn: &mut DbConn,
    letter_id: Option<&LetterId>,
    name: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(protected_names::table)
        .values((
            protected_names::id.eq(new_id()),
            protected_names::letter_id.eq(letter_id),
            protected_names::name.eq(name),
            protected_names::folded.eq(fold(name)),
            protected_names::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove_protected(conn: &mut DbConn, letter_id: Option<&LetterId>, id: &str) -> Result<bool, DbError> {
    let q = protected_names::table
        .filter(protected_names::id.eq(id))
        .into_boxed();
    let q = match letter_id {
        Some(l) => q.filter(protected_names::letter_id.eq(l.to_string())),
        None => q.filter(protected_names::letter_id.is_null()),
    };
    let ids: Vec<String> = q.select(protected_names::id).load(conn)?;
    Ok(diesel::delete(protected_names::table.filter(protected_names::id.eq_any(ids))).execute(conn)? > 0)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub id: SignatureId,
    /// When the row last changed: an approval sent back with it applies
    /// only if nothing changed since the organizer saw it.
    pub seen: NaiveDateTime,
    pub name: String,
    pub titles: Vec<String>,
    pub email: Option<String>,
    pub city: Option<String>,
    pub moderation: Moderation,
    pub excluded: bool,
    pub confirmed_at: Option<NaiveDateTime>,
}

type Row = (
    String,
    NaiveDateTime,
    String,
    String,
    Option<String>,
    Option<String>,
    Moderation,
    bool,
    Option<NaiveDateTime>,
);

/// Confirmed public-tier signatures in one moderation state, newest first.
pub fn list(
    conn: &mut DbConn,
    letter_id: &LetterId,
    state: Moderation,
    limit: i64,
    view: AddressView,
) -> Result<Vec<QueueRow>, DbError> {
    let rows: Vec<Row> = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::tier.eq(Tier::Public))
        .filter(signatures::moderation.eq(state))
        .order((signatures::confirmed_at.desc(), signatures::id.desc()))
        .limit(limit)
        .select((
            signatures::id,
            signatures::updated_at,
            signatures::name,
            signatures::titles,
            signatures::email,
            signatures::city,
            signatures::moderation,
            signatures::excluded,
            signatures::confirmed_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, seen, name, titles, email, city, moderation, excluded, confirmed_at)| QueueRow {
                id: SignatureId::from_raw(id),
                seen,
                name,
                titles: decode_titles(&titles),
                email: view.show(email),
                city,
                moderation,
                excluded,
                confirmed_at,
            },
        )
        .collect())
}

/// Counts by moderation state among confirmed signatures, and the excluded.
pub fn counts(conn: &mut DbConn, letter_id: &LetterId) -> Result<(i64, i64, i64), DbError> {
    let by_state = |conn: &mut DbConn, state: Moderation| -> Result<i64, DbError> {
        Ok(signatures::table
            .filter(signatures::letter_id.eq(letter_id))
            .filter(crate::db::confirmed::CONFIRMED)
            .filter(signatures::moderation.eq(state.to_string()))
            .count()
            .get_result(conn)?)
    };
    let excluded: i64 = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::excluded.eq(true))
        .count()
        .get_result(conn)?;
    Ok((
        by_state(conn, Moderation::Queued)?,
        by_state(conn, Moderation::Hidden)?,
        excluded,
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Hide,
    /// Hidden, and no longer counted.
    #[serde(rename = "exclude")]
    HideAndExclude,
    /// Counted again (still hidden unless approved).
    Include,
}

/// A row an organizer ticked, with the instant it last changed as the page
/// showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    pub id: SignatureId,
    pub seen: Option<NaiveDateTime>,
}

impl Selected {
    /// Reads a ticked box: `ID.NANOS`, as the queue page writes it, or a
    /// bare id (which no approval accepts).
    pub fn parse(value: &str) -> Selected {
        match value.split_once('.') {
            Some((id, nanos)) => Selected {
                id: SignatureId::from_raw(id),
                seen: nanos
                    .parse::<i64>()
                    .ok()
                    .map(|n| chrono::DateTime::from_timestamp_nanos(n).naive_utc()),
            },
            None => Selected {
                id: SignatureId::from_raw(value),
                seen: None,
            },
        }
    }

    /// What the queue page writes for a row.
    pub fn encode(id: &str, seen: NaiveDateTime) -> String {
        format!(
            "{id}.{}",
            seen.and_utc().timestamp_nanos_opt().unwrap_or_default()
        )
    }
}

/// Applies a decision to signatures of this letter; returns how many changed.
/// An approval publishes what the organizer saw and nothing else: a row that
/// changed since the page was loaded (or sent without its stamp) is left as
/// it is, for the organizer to look at again.
pub fn decide(
    conn: &mut DbConn,
    letter_id: &LetterId,
    selected: &[Selected],
    decision: Decision,
    by: &OrganizerId,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let stamp = (
        signatures::moderated_by.eq(Some(by)),
        signatures::moderated_at.eq(Some(now)),
    );
    if decision == Decision::Approve {
        let mut changed = 0;
        for s in selected {
            let Some(seen) = s.seen else { continue };
            changed += diesel::update(
                signatures::table
                    .filter(signatures::letter_id.eq(letter_id))
                    .filter(signatures::tier.eq(Tier::Public))
                    .filter(crate::db::confirmed::CONFIRMED)
                    .filter(signatures::id.eq(&s.id))
                    .filter(signatures::updated_at.eq(seen)),
            )
            // An approval covers the content as it stands: the signer's
            // next change of it voids the approval (see `db::visibility`).
            .set((
                signatures::moderation.eq(Moderation::Shown),
                signatures::excluded.eq(false),
                signatures::approved_at.eq(Some(now)),
                stamp,
            ))
            .execute(conn)?;
        }
        return Ok(changed);
    }
    let ids: Vec<&str> = selected.iter().map(|s| s.id.as_str()).collect();
    let target = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::tier.eq(Tier::Public))
        .filter(signatures::id.eq_any(ids));
    Ok(match decision {
        Decision::Approve => 0,
        Decision::Hide => diesel::update(target)
            .set((
                signatures::moderation.eq(Moderation::Hidden),
                signatures::approved_at.eq(None::<NaiveDateTime>),
                stamp,
            ))
            .execute(conn)?,
        Decision::HideAndExclude => diesel::update(target)
            .set((
                signatures::moderation.eq(Moderation::Hidden),
                signatures::excluded.eq(true),
                signatures::approved_at.eq(None::<NaiveDateTime>),
                stamp,
            ))
            .execute(conn)?,
        Decision::Include => diesel::update(target)
            .set((signatures::excluded.eq(false), stamp))
            .execute(conn)?,
    })
}
