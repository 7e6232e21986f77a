//! What a letter's dashboard reads: counts by status, how the public count
//! is made up, recent confirmations, the latest signers with their
//! addresses.

use super::confirmed::{CONFIRMED, UNCONFIRMED};
use super::schema::signatures;
use super::{DbConn, DbError};
use crate::domain::email::AddressView;
use crate::model::{LetterId, Moderation, SignatureStatus, Tier};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Counts by status for the dashboard. Confirmed and the other statuses
/// are counted apart, each from the index that holds only them.
pub fn status_counts(
    conn: &mut DbConn,
    letter_id: &LetterId,
) -> Result<Vec<(SignatureStatus, i64)>, DbError> {
    let confirmed: i64 = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(CONFIRMED)
        .count()
        .get_result(conn)?;
    let mut counts: Vec<(SignatureStatus, i64)> = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(UNCONFIRMED)
        .group_by(signatures::status)
        .select((signatures::status, diesel::dsl::count_star()))
        .load(conn)?;
    if confirmed > 0 {
        counts.push((SignatureStatus::Confirmed, confirmed));
    }
    Ok(counts)
}

/// The confirmed signatures of a letter, sorted so that the parts add up
/// to the public count (`signatures::count_confirmed`): confirmed, less
/// those moderation excluded from the count, is the public count; and
/// every counted signature is exactly one of listed, count-only, held or
/// hidden.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Breakdown {
    pub confirmed: i64,
    /// Hidden by moderation and no longer counted.
    pub excluded: i64,
    /// Counted and shown in the public list, initial signatories included.
    pub listed: i64,
    /// Of `listed`, the initial signatories.
    pub initial: i64,
    /// Counted, the name not shown by the signer's choice.
    pub count_only: i64,
    /// Counted, waiting for an organizer's approval.
    pub held: i64,
    /// Counted, hidden by moderation.
    pub hidden: i64,
}

impl Breakdown {
    /// The count every page and the API show.
    pub fn public(&self) -> i64 {
        self.confirmed - self.excluded
    }
}

/// The letter's `Breakdown`, in one grouped query over its confirmed rows.
pub fn breakdown(conn: &mut DbConn, letter_id: &LetterId) -> Result<Breakdown, DbError> {
    let groups: Vec<(bool, bool, Moderation, Tier, i64)> = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .group_by((
            signatures::excluded,
            signatures::is_public,
            signatures::moderation,
            signatures::tier,
        ))
        .select((
            signatures::excluded,
            signatures::is_public,
            signatures::moderation,
            signatures::tier,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut b = Breakdown::default();
    for (excluded, is_public, moderation, tier, n) in groups {
        b.confirmed += n;
        // Moderation first: a held or hidden signature is not shown,
        // whatever its signer chose.
        let part = match (excluded, moderation, is_public) {
            (true, _, _) => &mut b.excluded,
            (false, Moderation::Queued, _) => &mut b.held,
            (false, Moderation::Hidden, _) => &mut b.hidden,
            (false, Moderation::Shown, false) => &mut b.count_only,
            (false, Moderation::Shown, true) => &mut b.listed,
        };
        *part += n;
        if !excluded && moderation == Moderation::Shown && is_public && tier == Tier::Initial {
            b.initial += n;
        }
    }
    Ok(b)
}

/// Confirmation times since `since` of the signatures people made, for the
/// chart of signatures per day. Initial signatories are left out: an
/// organizer adds them, all at once, and they would stand as a first day's
/// wave nobody signed.
pub fn confirmed_since(
    conn: &mut DbConn,
    letter_id: &LetterId,
    since: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>, DbError> {
    let times: Vec<Option<NaiveDateTime>> = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::tier.eq(Tier::Public))
        .filter(signatures::confirmed_at.ge(since))
        .select(signatures::confirmed_at)
        .load(conn)?;
    Ok(times.into_iter().flatten().collect())
}

/// Name, address, status and signing time, as organizers see them.
pub type SignatureLine = (String, Option<String>, String, NaiveDateTime);

/// The latest public-tier signatures with their addresses as `view` lets
/// this organizer see them.
pub fn latest_with_email(
    conn: &mut DbConn,
    letter_id: &LetterId,
    limit: i64,
    view: AddressView,
) -> Result<Vec<SignatureLine>, DbError> {
    let rows: Vec<SignatureLine> = signatures::table
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
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(name, email, status, at)| (name, view.show(email), status, at))
        .collect())
}
