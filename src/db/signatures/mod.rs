//! Signatures: the public list and its count here; submitting, the token
//! links, confirming, withdrawing and the signer's own changes in the files
//! below, re-exported so callers name them all as `db::signatures::…`.

mod confirm;
pub mod imported;
mod links;
mod manage;
pub mod pages;
pub mod search;
mod submit;
mod submit_many;
mod titles;
mod withdraw;

pub use confirm::{confirm, confirm_in_tx, confirm_many, ConfirmRequest, Confirmed};
pub use links::{lookup_link, lookup_links, LinkError, TokenTarget};
pub use manage::{details, stop_news, update_details, DetailsSaved, DetailsUpdate, SignatureDetails};
pub use submit::{
    is_unique_violation, submit, submit_in_tx, EmailPlan, PreparedConfirmation, SubmitOutcome, SubmitPolicy,
    SubmitRequest, SEND_WINDOW_HOURS,
};
pub use submit_many::{submit_each, submit_many, Submission};
pub use titles::{count as count_titles, decode as decode_titles, encode as encode_titles};
pub use withdraw::{withdraw, Withdrawn};

use super::letters::LetterStatus;
use super::schema::{letters, signatures};
use super::{new_id, DbConn, DbError};
use crate::domain::letter_file::InitialSignatory;
use crate::domain::{sort_key, Lang};
use crate::model::SignatureId;
use crate::model::{LetterId, Moderation, SignatureStatus, Tier};
use chrono::NaiveDateTime;
use diesel::dsl;
use diesel::prelude::*;

/// The version of the consent text shown beside the checkbox. Bump it when
/// the wording changes, so each signature records what its signer agreed to.
pub const CONSENT_VERSION: &str = "2026-11-27";

/// A signatory as the public sees them: never an email address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicSignatory {
    #[serde(skip)]
    pub id: SignatureId,
    pub name: String,
    pub titles: Vec<String>,
    pub city: Option<String>,
    #[serde(skip)]
    pub confirmed_at: Option<NaiveDateTime>,
    /// Indexes of the title lines verified by email domain.
    pub verified_lines: Vec<usize>,
}

/// Where a page of the public list stops: the last row's signing time and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub confirmed_at: NaiveDateTime,
    pub id: SignatureId,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}_{}", self.confirmed_at.and_utc().timestamp_micros(), self.id)
    }
    pub fn decode(s: &str) -> Option<Cursor> {
        let (micros, id) = s.split_once('_')?;
        let confirmed_at = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
        uuid::Uuid::parse_str(id).ok()?;
        Some(Cursor {
            confirmed_at,
            id: SignatureId::from_raw(id),
        })
    }
}

/// The columns a public list shows.
#[derive(Queryable, Selectable)]
#[diesel(table_name = signatures)]
struct PublicRow {
    id: SignatureId,
    name: String,
    titles: String,
    city: Option<String>,
    confirmed_at: Option<NaiveDateTime>,
    verified_lines: Option<String>,
}

fn to_public(r: PublicRow) -> PublicSignatory {
    PublicSignatory {
        id: r.id,
        name: r.name,
        titles: decode_titles(&r.titles),
        city: r.city,
        confirmed_at: r.confirmed_at,
        verified_lines: r
            .verified_lines
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default(),
    }
}

/// Confirmed signatures of a letter, listed or counted only, initial ones
/// included. This is the one count every page and the API show.
pub fn count_confirmed(conn: &mut DbConn, letter_id: &LetterId) -> Result<i64, DbError> {
    Ok(counted(letter_id).count().get_result(conn)?)
}

/// The signatures the one count counts: confirmed and not excluded, listed
/// or not. The figures page groups exactly these.
pub(crate) fn counted(letter_id: &LetterId) -> Counted<'_> {
    signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::excluded.eq(false))
}

/// [`counted`]'s query, unboxed so that it can be grouped.
pub(crate) type Counted<'a> = dsl::Filter<
    dsl::Filter<
        dsl::Filter<signatures::table, dsl::Eq<signatures::letter_id, &'a LetterId>>,
        crate::db::confirmed::IsConfirmed,
    >,
    dsl::Eq<signatures::excluded, bool>,
>;

/// The one filter for what the public sees of a letter's signatures:
/// confirmed, listed by their owner, shown by moderation. The list, its
/// pages, its counts and the search all start from it.
fn listed(letter_id: &LetterId) -> signatures::BoxedQuery<'_, super::MultiBackend> {
    signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::is_public.eq(true))
        .filter(signatures::moderation.eq(Moderation::Shown))
        .into_boxed()
}

pub fn initial_signatories(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<PublicSignatory>, DbError> {
    Ok(listed(letter_id)
        .filter(signatures::tier.eq(Tier::Initial))
        .order((signatures::position.asc(), signatures::id.asc()))
        .select(PublicRow::as_select())
        .load::<PublicRow>(conn)?
        .into_iter()
        .map(to_public)
        .collect())
}

fn public_tier(letter_id: &LetterId) -> signatures::BoxedQuery<'_, super::MultiBackend> {
    listed(letter_id).filter(signatures::tier.eq(Tier::Public))
}

/// The most recent public signatories, newest first.
pub fn latest_public(
    conn: &mut DbConn,
    letter_id: &LetterId,
    limit: i64,
) -> Result<Vec<PublicSignatory>, DbError> {
    Ok(public_tier(letter_id)
        .order((signatures::confirmed_at.desc(), signatures::id.desc()))
        .limit(limit)
        .select(PublicRow::as_select())
        .load::<PublicRow>(conn)?
        .into_iter()
        .map(to_public)
        .collect())
}

/// One page of public (not initial) signatories in signing order, after
/// `after`. Reads one row more than asked to know whether a next page exists.
pub fn public_page(
    conn: &mut DbConn,
    letter_id: &LetterId,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<(Vec<PublicSignatory>, Option<Cursor>), DbError> {
    let mut query = public_tier(letter_id);
    if let Some(c) = after {
        query = query.filter(
            signatures::confirmed_at
                .gt(c.confirmed_at)
                .or(signatures::confirmed_at
                    .eq(c.confirmed_at)
                    .and(signatures::id.gt(c.id.clone()))),
        );
    }
    let mut rows: Vec<PublicSignatory> = query
        .order((signatures::confirmed_at.asc(), signatures::id.asc()))
        .limit(limit + 1)
        .select(PublicRow::as_select())
        .load::<PublicRow>(conn)?
        .into_iter()
        .map(to_public)
        .collect();
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().and_then(|r| {
            r.confirmed_at.map(|confirmed_at| Cursor {
                confirmed_at,
                id: r.id.clone(),
            })
        })
    } else {
        None
    };
    Ok((rows, next))
}

/// An initial signatory: confirmed and listed from the start, with no
/// address, so nothing to confirm, withdraw or anonymise.
pub(super) fn insert_initial(
    conn: &mut DbConn,
    letter_id: &LetterId,
    s: &InitialSignatory,
    position: i32,
    language: Lang,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let id = new_id();
    diesel::insert_into(signatures::table)
        .values((
            signatures::id.eq(&id),
            signatures::letter_id.eq(letter_id),
            signatures::name.eq(&s.name),
            signatures::sort_key.eq(sort_key(&s.name)),
            signatures::titles.eq(encode_titles(&s.titles)),
            signatures::email.eq(None::<String>),
            signatures::city.eq(None::<String>),
            signatures::is_public.eq(true),
            signatures::tier.eq(Tier::Initial),
            signatures::position.eq(Some(position)),
            signatures::status.eq(SignatureStatus::Confirmed),
            signatures::language.eq(language.code()),
            signatures::consent_version.eq(None::<String>),
            signatures::wants_updates.eq(false),
            signatures::confirmation_sends.eq(0),
            signatures::created_at.eq(now),
            signatures::updated_at.eq(now),
            signatures::confirmed_at.eq(Some(now)),
        ))
        .execute(conn)?;
    search::index(conn, &id, letter_id, &s.name, &s.titles)
}

/// Replaces the initial signatories of a letter, keeping the given order.
pub fn replace_initial(
    conn: &mut DbConn,
    letter_id: &LetterId,
    list: &[InitialSignatory],
    language: Lang,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::delete(
        signatures::table
            .filter(signatures::letter_id.eq(letter_id))
            .filter(signatures::tier.eq(Tier::Initial)),
    )
    .execute(conn)?;
    for (position, s) in list.iter().enumerate() {
        insert_initial(conn, letter_id, s, position as i32, language, now)?;
    }
    Ok(())
}

/// The current version when the letter takes signatures now.
fn open_version(conn: &mut DbConn, letter_id: &LetterId, now: NaiveDateTime) -> Result<Option<i32>, DbError> {
    let row: Option<(LetterStatus, Option<NaiveDateTime>, i32)> = letters::table
        .find(letter_id)
        .select((letters::status, letters::close_at, letters::current_version))
        .get_result(conn)
        .optional()?;
    Ok(row
        .filter(|(status, close_at, _)| {
            super::letters::status_at(*status, *close_at, now) == LetterStatus::Published
        })
        .map(|(_, _, version)| version))
}

/// Status counts for one letter, for the command line and tests.
pub fn status_of_email(
    conn: &mut DbConn,
    letter_id: &LetterId,
    email: &str,
) -> Result<Option<String>, DbError> {
    Ok(signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::email.eq(email))
        .select(signatures::status)
        .first(conn)
        .optional()?)
}
