//! The versions of a published letter's text. Drafts change freely; once
//! published, every change of the text, in any of its languages, adds a
//! version, so that each signature can say which text it was given for. An
//! organizer may instead mark a change as a correction: the current version
//! takes the corrected text and keeps its number.

use super::schema::{letter_translations, letter_version_translations, letter_versions, letters, signatures};
use super::{DbConn, DbError};
use crate::model::{LetterId, SignatureId, Tier};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = letter_versions)]
pub struct Version {
    pub number: i32,
    pub language: String,
    pub title: String,
    pub place: String,
    pub letter_date: NaiveDate,
    pub addressees: String,
    pub preamble: String,
    pub body_markdown: String,
    pub created_at: NaiveDateTime,
}

impl Version {
    /// The text as one document, for comparing versions line by line.
    pub fn as_text(&self) -> String {
        format!(
            "{}\n{} — {}\n{}\n\n{}\n\n{}\n",
            self.title, self.place, self.letter_date, self.addressees, self.body_markdown, self.preamble
        )
    }

    fn same_text(&self, other: &Version) -> bool {
        self.as_text() == other.as_text() && self.language == other.language
    }
}

/// A version's text in one of the letter's other languages.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = letter_version_translations)]
pub struct VersionText {
    pub number: i32,
    pub language: String,
    pub title: String,
    pub place: String,
    pub addressees: String,
    pub preamble: String,
    pub body_markdown: String,
}

impl VersionText {
    /// The text as one document, laid out as [`Version::as_text`].
    pub fn as_text(&self, date: NaiveDate) -> String {
        format!(
            "{}\n{} — {}\n{}\n\n{}\n\n{}\n",
            self.title, self.place, date, self.addressees, self.body_markdown, self.preamble
        )
    }
}

/// A version whole: the original text and the text in each other language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullVersion {
    pub original: Version,
    /// In the order of their language codes.
    pub translations: Vec<VersionText>,
}

impl FullVersion {
    fn same_text(&self, other: &FullVersion) -> bool {
        let texts = |v: &FullVersion| {
            v.translations
                .iter()
                .map(|t| (t.language.clone(), t.as_text(v.original.letter_date)))
                .collect::<Vec<_>>()
        };
        self.original.same_text(&other.original) && texts(self) == texts(other)
    }

    pub fn translation(&self, language: &str) -> Option<&VersionText> {
        self.translations.iter().find(|t| t.language == language)
    }
}

/// How an edit of a published letter is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// A new version, when the text changed.
    NewVersion,
    /// The current version takes the corrected text and keeps its number:
    /// a typo, not a change of what signers signed.
    Correction,
}

pub fn list(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<Version>, DbError> {
    Ok(letter_versions::table
        .filter(letter_versions::letter_id.eq(letter_id))
        .order(letter_versions::number.asc())
        .select(Version::as_select())
        .load(conn)?)
}

/// The letter's current text as a version-to-be.
fn current_text(
    conn: &mut DbConn,
    letter_id: &LetterId,
    number: i32,
    now: NaiveDateTime,
) -> Result<Version, DbError> {
    let (language, title, place, letter_date, addressees, preamble, body_markdown): (
        String,
        String,
        String,
        NaiveDate,
        String,
        String,
        String,
    ) = letters::table
        .find(letter_id)
        .select((
            letters::language,
            letters::title,
            letters::place,
            letters::letter_date,
            letters::addressees,
            letters::preamble,
            letters::body_markdown,
        ))
        .first(conn)?;
    Ok(Version {
        number,
        language,
        title,
        place,
        letter_date,
        addressees,
        preamble,
        body_markdown,
        created_at: now,
    })
}

/// Every version with its text in each language, oldest first.
pub fn list_full(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<FullVersion>, DbError> {
    let texts: Vec<VersionText> = letter_version_translations::table
        .filter(letter_version_translations::letter_id.eq(letter_id))
        .order((
            letter_version_translations::number.asc(),
            letter_version_translations::language.asc(),
        ))
        .select(VersionText::as_select())
        .load(conn)?;
    Ok(list(conn, letter_id)?
        .into_iter()
        .map(|original| FullVersion {
            translations: texts
                .iter()
                .filter(|t| t.number == original.number)
                .cloned()
                .collect(),
            original,
        })
        .collect())
}

/// The letter's current text in every language, as version `number`.
fn current_full(
    conn: &mut DbConn,
    letter_id: &LetterId,
    number: i32,
    now: NaiveDateTime,
) -> Result<FullVersion, DbError> {
    let original = current_text(conn, letter_id, number, now)?;
    let rows: Vec<(String, String, String, String, String, String)> = letter_translations::table
        .filter(letter_translations::letter_id.eq(letter_id))
        .order(letter_translations::language.asc())
        .select((
            letter_translations::language,
            letter_translations::title,
            letter_translations::place,
            letter_translations::addressees,
            letter_translations::preamble,
            letter_translations::body_markdown,
        ))
        .load(conn)?;
    let translations = rows
        .into_iter()
        // A version in the original's language would be a stale copy.
        .filter(|(language, ..)| *language != original.language)
        .map(
            |(language, title, place, addressees, preamble, body_markdown)| VersionText {
                number,
                language,
                title,
                place,
                addressees,
                preamble,
                body_markdown,
            },
        )
        .collect();
    Ok(FullVersion {
        original,
        translations,
    })
}

fn insert_full(conn: &mut DbConn, letter_id: &LetterId, v: &FullVersion) -> Result<(), DbError> {
    insert(conn, letter_id, &v.original)?;
    for t in &v.translations {
        diesel::insert_into(letter_version_translations::table)
            .values((
                letter_version_translations::letter_id.eq(letter_id),
                letter_version_translations::number.eq(t.number),
                letter_version_translations::language.eq(&t.language),
                letter_version_translations::title.eq(&t.title),
                letter_version_translations::place.eq(&t.place),
                letter_version_translations::addressees.eq(&t.addressees),
                letter_version_translations::preamble.eq(&t.preamble),
                letter_version_translations::body_markdown.eq(&t.body_markdown),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces version `old`'s text with the letter's current text. The
/// version keeps its number and the moment it was first published.
fn overwrite(conn: &mut DbConn, letter_id: &LetterId, old: &Version) -> Result<(), DbError> {
    let number = old.number;
    let v = current_full(conn, letter_id, number, old.created_at)?;
    diesel::delete(
        letter_version_translations::table
            .filter(letter_version_translations::letter_id.eq(letter_id))
            .filter(letter_version_translations::number.eq(number)),
    )
    .execute(conn)?;
    diesel::delete(
        letter_versions::table
            .filter(letter_versions::letter_id.eq(letter_id))
            .filter(letter_versions::number.eq(number)),
    )
    .execute(conn)?;
    insert_full(conn, letter_id, &v)
}

/// Records an edit of a published letter's text, in any language: a new
/// version (its number returned) when the text changed, or, for a
/// correction, the corrected text in the current version.
pub fn after_edit(
    conn: &mut DbConn,
    letter_id: &LetterId,
    edit: Edit,
    now: NaiveDateTime,
) -> Result<Option<i32>, DbError> {
    match edit {
        Edit::NewVersion => record_edit(conn, letter_id, now),
        Edit::Correction => {
            let Some(last) = list(conn, letter_id)?.pop() else {
                ensure_first(conn, letter_id, now)?;
                return Ok(None);
            };
            overwrite(conn, letter_id, &last)?;
            Ok(None)
        }
    }
}

fn insert(conn: &mut DbConn, letter_id: &LetterId, v: &Version) -> Result<(), DbError> {
    diesel::insert_into(letter_versions::table)
        .values((
            letter_versions::id.eq(format!("{letter_id}:{}", v.number)),
            letter_versions::letter_id.eq(letter_id),
            letter_versions::number.eq(v.number),
            letter_versions::language.eq(&v.language),
            letter_versions::title.eq(&v.title),
            letter_versions::place.eq(&v.place),
            letter_versions::letter_date.eq(v.letter_date),
            letter_versions::addressees.eq(&v.addressees),
            letter_versions::preamble.eq(&v.preamble),
            letter_versions::body_markdown.eq(&v.body_markdown),
            letter_versions::created_at.eq(v.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records version 1 at first publication.
pub fn ensure_first(conn: &mut DbConn, letter_id: &LetterId, now: NaiveDateTime) -> Result<(), DbError> {
    if list(conn, letter_id)?.is_empty() {
        let v = current_full(conn, letter_id, 1, now)?;
        insert_full(conn, letter_id, &v)?;
        diesel::update(letters::table.find(letter_id))
            .set(letters::current_version.eq(1))
            .execute(conn)?;
    }
    Ok(())
}

/// After an edit of a published letter: a new version when the text changed.
/// Returns its number.
pub fn record_edit(
    conn: &mut DbConn,
    letter_id: &LetterId,
    now: NaiveDateTime,
) -> Result<Option<i32>, DbError> {
    let versions = list_full(conn, letter_id)?;
    let Some(last) = versions.last() else {
        ensure_first(conn, letter_id, now)?;
        return Ok(None);
    };
    let next = current_full(conn, letter_id, last.original.number + 1, now)?;
    if next.same_text(last) {
        return Ok(None);
    }
    insert_full(conn, letter_id, &next)?;
    diesel::update(letters::table.find(letter_id))
        .set((
            letters::current_version.eq(next.original.number),
            letters::modified_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(Some(next.original.number))
}

/// The confirmed signers of a letter who asked for news and can be
/// written to: the one definition both the notices and the messages to
/// signers go by.
pub fn subscribers(letter_id: &LetterId) -> signatures::BoxedQuery<'_, super::MultiBackend> {
    signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::tier.eq(Tier::Public))
        .filter(signatures::wants_updates.eq(true))
        .filter(signatures::email.is_not_null())
        .into_boxed()
}

/// Confirmed signers who asked for news: (signature id, email, language),
/// in keyset pages so a large list never sits in memory at once.
pub fn subscribers_page(
    conn: &mut DbConn,
    letter_id: &LetterId,
    after: Option<&SignatureId>,
    limit: i64,
) -> Result<Vec<(SignatureId, String, String)>, DbError> {
    let mut q = subscribers(letter_id);
    if let Some(a) = after {
        q = q.filter(signatures::id.gt(a.clone()));
    }
    let rows: Vec<(SignatureId, Option<String>, String)> = q
        .order(signatures::id.asc())
        .limit(limit)
        .select((signatures::id, signatures::email, signatures::language))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, email, lang)| email.map(|e| (id, e, lang)))
        .collect())
}

/// When the letter's signers were last told of a changed text.
pub fn last_notified(conn: &mut DbConn, letter_id: &LetterId) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(letters::table
        .find(letter_id)
        .select(letters::notified_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}

/// When a new round of notifications may go out for a letter last notified
/// at `last`; `None` when it may now.
pub fn next_round(
    last: Option<NaiveDateTime>,
    interval: chrono::Duration,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let next = last? + capped(interval);
    (next > now).then_some(next)
}

/// A century is as good as forever here, and keeps the arithmetic (and the
/// timestamps sent to the database) in range.
fn capped(interval: chrono::Duration) -> chrono::Duration {
    interval.clamp(chrono::Duration::zero(), chrono::Duration::days(36_525))
}

/// Takes the letter's one round of notifications for the interval: true
/// when this caller may send, false when a round went out less than
/// `interval` ago. One conditional UPDATE, so of two organizers saving at
/// once only one gets it, on either database.
pub fn claim_round(
    conn: &mut DbConn,
    letter_id: &LetterId,
    interval: chrono::Duration,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let cutoff = now - capped(interval);
    let n = diesel::update(
        letters::table.find(letter_id).filter(
            letters::notified_at
                .is_null()
                .or(letters::notified_at.le(Some(cutoff))),
        ),
    )
    .set(letters::notified_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}
