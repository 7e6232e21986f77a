//! A signer's own page: what is stored about them, and the changes they may
//! make.

use super::{decode_titles, encode_titles, lookup_link, LinkError};
use crate::db::schema::signatures;
use crate::db::tokens::Purpose;
use crate::db::{DbConn, DbError, Tx};
use crate::domain::TokenHash;
use crate::model::{Moderation, SignatureId, SignatureStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Stored times, written for a reader in another zone: RFC 3339 with
/// their offset (`Z`), never a bare local-looking time.
mod utc {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    pub fn one<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::export::stamp::timestamp(t))
    }

    pub fn option<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => one(t, s),
            None => s.serialize_none(),
        }
    }
}

/// Everything stored about one signature, shown to its signer.
#[derive(Queryable, Selectable, Debug, Clone, serde::Serialize)]
#[diesel(table_name = signatures)]
pub struct SignatureDetails {
    #[serde(skip)]
    pub id: crate::model::SignatureId,
    #[serde(skip)]
    pub letter_id: crate::model::LetterId,
    pub name: String,
    #[serde(skip)]
    pub titles: String,
    pub email: Option<String>,
    pub city: Option<String>,
    pub is_public: bool,
    pub tier: String,
    pub status: SignatureStatus,
    pub language: String,
    pub consent_version: Option<String>,
    #[serde(serialize_with = "utc::option")]
    pub consent_at: Option<NaiveDateTime>,
    pub consent_letter_version: Option<i32>,
    pub wants_updates: bool,
    #[serde(serialize_with = "utc::one")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "utc::one")]
    pub updated_at: NaiveDateTime,
    #[serde(serialize_with = "utc::option")]
    pub confirmed_at: Option<NaiveDateTime>,
    /// Whether the name is listed, waits for review, or was hidden.
    pub moderation: Moderation,
}

impl SignatureDetails {
    pub fn title_lines(&self) -> Vec<String> {
        decode_titles(&self.titles)
    }
}

pub fn details(conn: &mut DbConn, signature_id: &SignatureId) -> Result<Option<SignatureDetails>, DbError> {
    Ok(signatures::table
        .find(signature_id)
        .select(SignatureDetails::as_select())
        .get_result(conn)
        .optional()?)
}

/// What a signer may change from their manage page.
pub struct DetailsUpdate {
    /// Parsed as at signing (`SignerName::parse_public`).
    pub name: String,
    pub titles: Vec<String>,
    pub city: Option<String>,
    pub is_public: bool,
    /// Consent to news about the letter; the signature stands either way.
    pub wants_updates: bool,
}

/// A signer's changes, saved.
#[derive(Debug, Clone)]
pub struct DetailsSaved {
    pub letter_id: crate::model::LetterId,
    /// Where the signature stands now.
    pub moderation: Moderation,
    pub is_public: bool,
    /// False when the form changed nothing.
    pub changed: bool,
}

/// Applies a signer's changes, through their manage token. A change of what
/// the public would see voids an organizer's approval and goes through the
/// one visibility rule again; the verified marks are computed again for the
/// new lines.
pub fn update_details(
    tx: &mut Tx<'_>,
    hash: &TokenHash,
    update: &DetailsUpdate,
    now: NaiveDateTime,
) -> Result<Result<DetailsSaved, LinkError>, DbError> {
    let conn: &mut DbConn = tx;
    let target = match lookup_link(conn, hash, Purpose::Manage, now)? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    if target.signature_status != SignatureStatus::Confirmed {
        return Ok(Err(LinkError::NotConfirmed));
    }
    let before = &target.content;
    let renamed = before.name != update.name;
    let shown_changed = renamed
        || before.titles != update.titles
        || before.city != update.city
        || before.is_public != update.is_public;
    let consent_changed = before.wants_updates != update.wants_updates;
    if !shown_changed && !consent_changed {
        return Ok(Ok(DetailsSaved {
            letter_id: target.letter_id,
            moderation: target.moderation,
            is_public: before.is_public,
            changed: false,
        }));
    }
    // What the public sees of a closed letter is the record sent to its
    // addressees: it no longer changes. The consent to news still may.
    if shown_changed
        && crate::db::letters::find_by_id(conn, &target.letter_id)?
            .is_some_and(|l| l.status() == crate::model::LetterStatus::Closed)
    {
        return Ok(Err(LinkError::LetterClosed {
            letter_id: target.letter_id,
        }));
    }
    // Not a row withdrawn, hidden or approved since it was read
    // (PostgreSQL): the decision below was made from what was read.
    let row = signatures::table
        .find(&target.signature_id)
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::moderation.eq(target.moderation.as_str()));
    if !shown_changed {
        // Only the consent to news: what the public sees, and an
        // organizer's approval of it, stay as they are.
        let updated = diesel::update(row)
            .set((
                signatures::wants_updates.eq(update.wants_updates),
                signatures::updated_at.eq(now),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Ok(Err(LinkError::Used));
        }
        if !update.wants_updates {
            crate::db::outbox::cancel_news(conn, &target.signature_id)?;
        }
        return Ok(Ok(DetailsSaved {
            letter_id: target.letter_id,
            moderation: target.moderation,
            is_public: before.is_public,
            changed: true,
        }));
    }
    // The new name goes through the protected names as a new signature's
    // would.
    let moderation = crate::db::visibility::place_signature(
        conn,
        &target.letter_id,
        target.rules,
        &update.name,
        update.is_public,
        Some(target.moderation),
        false,
    )?;
    let verified =
        crate::db::affiliations::lines_for(conn, &target.letter_id, target.email.as_deref(), &update.titles)?;
    let updated = diesel::update(row)
        .set((
            signatures::name.eq(&update.name),
            signatures::sort_key.eq(crate::domain::sort_key(&update.name)),
            signatures::titles.eq(encode_titles(&update.titles)),
            signatures::city.eq(update.city.as_deref()),
            signatures::is_public.eq(update.is_public),
            signatures::wants_updates.eq(update.wants_updates),
            signatures::moderation.eq(moderation.as_str()),
            signatures::verified_lines.eq(verified),
            signatures::approved_at.eq(None::<NaiveDateTime>),
            signatures::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(Err(LinkError::Used));
    }
    if consent_changed && !update.wants_updates {
        crate::db::outbox::cancel_news(conn, &target.signature_id)?;
    }
    // The search finds the new name and titles, never the old ones.
    super::search::index(
        conn,
        target.signature_id.as_str(),
        &target.letter_id,
        &update.name,
        &update.titles,
    )?;
    if renamed {
        // The organizers see in the log that a listed name changed, and
        // from what; a withdrawal erases both names from it.
        let args = crate::model::AuditArgs::new()
            .text("old", &before.name)
            .text("new", &update.name)
            .text("erased", "no");
        let mut entry = crate::db::audit::Record::new(
            None,
            Some(&target.letter_id),
            crate::model::AuditAction::SignatureRenamed,
            args,
        );
        entry.signature = Some(&target.signature_id);
        crate::db::audit::insert(conn, entry, now)?;
        // An organizer vouched for the person by that name, not this one.
        diesel::update(signatures::table.find(&target.signature_id))
            .set((
                signatures::verified_by.eq(None::<String>),
                signatures::verified_at.eq(None::<NaiveDateTime>),
                signatures::verified_how.eq(None::<String>),
            ))
            .execute(conn)?;
    }
    Ok(Ok(DetailsSaved {
        letter_id: target.letter_id,
        moderation,
        is_public: update.is_public,
        changed: true,
    }))
}

/// The one-click "no more news" of a message to signers (RFC 8058),
/// through its unsubscribe token: the consent to news goes, the signature
/// and what the public sees stay. Returns the letter; saying it twice is
/// fine.
pub fn stop_news(
    tx: &mut Tx<'_>,
    hash: &TokenHash,
    now: NaiveDateTime,
) -> Result<Result<crate::model::LetterId, LinkError>, DbError> {
    let conn: &mut DbConn = tx;
    let target = match lookup_link(conn, hash, Purpose::Unsubscribe, now)? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    if target.signature_status != SignatureStatus::Confirmed {
        return Ok(Err(LinkError::NotConfirmed));
    }
    diesel::update(signatures::table.find(&target.signature_id))
        .set((
            signatures::wants_updates.eq(false),
            signatures::updated_at.eq(now),
        ))
        .execute(conn)?;
    crate::db::outbox::cancel_news(conn, &target.signature_id)?;
    Ok(Ok(target.letter_id))
}
