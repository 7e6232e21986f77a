use super::schema::letters;
use super::{new_id, DbConn, DbError, MultiBackend, Tx};
use crate::domain::letter_file::LetterFile;
use crate::domain::Lang;
use crate::model::{LetterId, OrganizerId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::Desc;
use diesel::prelude::*;

pub use crate::model::LetterStatus;

mod due;
mod row;
pub use due::{due_to_close, due_to_publish};
use row::LetterRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub id: crate::model::LetterId,
    pub slug: String,
    pub language: Lang,
    pub title: String,
    pub place: String,
    pub date: NaiveDate,
    pub addressees: String,
    pub preamble: String,
    pub body_markdown: String,
    pub goal: Option<i64>,
    /// The status as last written. A published letter past its scheduled
    /// closing is closed before the maintenance pass writes it: read
    /// `status()`, never this, to show or decide anything.
    pub stored_status: LetterStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub anonymise_after_days: Option<i32>,
    pub anonymised_at: Option<NaiveDateTime>,
    /// Hidden from the home page; its page and list stay.
    pub archived: bool,
    /// When signing stops on its own.
    pub close_at: Option<NaiveDateTime>,
    /// The published version of the text; new signatures record it.
    pub current_version: i32,
    /// When the published text last changed.
    pub modified_at: Option<NaiveDateTime>,
    /// Who is behind the letter; its emails are signed with this name.
    /// Empty: signed as the letter's organizers.
    pub organized_by: String,
    /// An embargo: when this draft publishes itself.
    pub publish_at: Option<NaiveDateTime>,
    /// Who to write to, and who answers for personal information.
    pub contacts: crate::domain::contacts::Contacts,
    /// The organizer's one sentence for link previews; empty when none.
    pub share_summary: String,
}

/// A letter's status at `now` from its stored status and scheduled
/// closing, for reads that take those two columns without the whole row.
pub fn status_at(stored: LetterStatus, close_at: Option<NaiveDateTime>, now: NaiveDateTime) -> LetterStatus {
    match (stored, close_at) {
        (LetterStatus::Published, Some(at)) if at <= now => LetterStatus::Closed,
        (status, _) => status,
    }
}

impl Letter {
    /// The status at `now`: a scheduled closing takes effect at its
    /// instant, everywhere, whether or not the maintenance pass has written
    /// it yet.
    pub fn status_at(&self, now: NaiveDateTime) -> LetterStatus {
        status_at(self.stored_status, self.close_at, now)
    }

    /// The status now.
    pub fn status(&self) -> LetterStatus {
        self.status_at(super::now())
    }

    /// When the status changes next by itself: the scheduled closing of a
    /// letter still open. Caches of what a reader sees end there.
    pub fn changes_at(&self) -> Option<NaiveDateTime> {
        match self.stored_status {
            LetterStatus::Published => self.close_at,
            _ => None,
        }
    }

    pub fn is_open_for_signing(&self) -> bool {
        self.status() == LetterStatus::Published
    }

    pub fn is_public(&self) -> bool {
        matches!(self.stored_status, LetterStatus::Published | LetterStatus::Closed)
    }
}

/// The fields a letter file and the editor both set, written the same way
/// on insert and on update (an absent goal is written as NULL).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = letters, treat_none_as_null = true)]
struct Content<'a> {
    slug: &'a str,
    language: &'a str,
    title: &'a str,
    place: &'a str,
    letter_date: NaiveDate,
    addressees: &'a str,
    preamble: &'a str,
    body_markdown: &'a str,
    goal: Option<i64>,
    organized_by: &'a str,
    #[diesel(embed)]
    contacts: super::contacts::ContactColumns,
    share_summary: &'a str,
}

impl<'a> Content<'a> {
    fn of(file: &'a LetterFile) -> Content<'a> {
        Content {
            slug: file.slug.as_str(),
            language: file.language.code(),
            title: &file.title,
            place: &file.place,
            letter_date: file.date,
            addressees: &file.addressees,
            preamble: &file.preamble,
            body_markdown: &file.body,
            goal: file.goal,
            organized_by: &file.organized_by,
            contacts: (&file.contacts).into(),
            share_summary: &file.share_summary,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishOutcome {
    Created,
    Updated,
}

pub fn find_by_slug(conn: &mut DbConn, slug: &str) -> Result<Option<Letter>, DbError> {
    Ok(letters::table
        .filter(letters::slug.eq(slug))
        .select(LetterRow::as_select())
        .get_result(conn)
        .optional()?
        .map(Letter::from))
}

pub fn find_by_id(conn: &mut DbConn, id: &LetterId) -> Result<Option<Letter>, DbError> {
    Ok(letters::table
        .find(id)
        .select(LetterRow::as_select())
        .get_result(conn)
        .optional()?
        .map(Letter::from))
}

/// Every letter, newest first.
pub fn list_all(conn: &mut DbConn) -> Result<Vec<Letter>, DbError> {
    load(conn, letters::table.into_boxed().order(newest_first()))
}

fn newest_first() -> (Desc<letters::created_at>, Desc<letters::id>) {
    (letters::created_at.desc(), letters::id.desc())
}

fn load(conn: &mut DbConn, query: letters::BoxedQuery<'_, MultiBackend>) -> Result<Vec<Letter>, DbError> {
    Ok(query
        .select(LetterRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Letter::from)
        .collect())
}

/// The letters the public can see: published and closed, newest first.
pub fn list_public(conn: &mut DbConn) -> Result<Vec<Letter>, DbError> {
    let query = letters::table
        .filter(letters::status.eq_any([LetterStatus::Published.as_str(), LetterStatus::Closed.as_str()]))
        .filter(letters::archived.eq(false))
        .order((letters::published_at.desc(), letters::id.desc()));
    load(conn, query.into_boxed())
}

/// Creates the letter of a file, or updates it in place by slug, and
/// replaces its initial signatories with the file's, in the file's order.
/// A draft becomes published; a closed letter stays closed.
pub fn publish_file(
    tx: &mut Tx<'_>,
    file: &LetterFile,
    now: NaiveDateTime,
) -> Result<(Letter, PublishOutcome), DbError> {
    let conn: &mut DbConn = tx;
    let existing = find_by_slug(conn, file.slug.as_str())?;
    let (id, outcome) = match existing {
        Some(letter) => {
            let status = match letter.stored_status {
                LetterStatus::Draft => LetterStatus::Published,
                other => other,
            };
            diesel::update(letters::table.find(&letter.id))
                .set((
                    Content::of(file),
                    letters::anonymise_after_days.eq(file.anonymise_after_days),
                    letters::status.eq(status.as_str()),
                    letters::updated_at.eq(now),
                    letters::published_at.eq(letter.published_at.unwrap_or(now)),
                ))
                .execute(conn)?;
            (letter.id, PublishOutcome::Updated)
        }
        None => {
            let id = new_id();
            diesel::insert_into(letters::table)
                .values((
                    letters::id.eq(&id),
                    Content::of(file),
                    letters::anonymise_after_days.eq(file.anonymise_after_days),
                    letters::status.eq(LetterStatus::Published.as_str()),
                    letters::created_at.eq(now),
                    letters::updated_at.eq(now),
                    letters::published_at.eq(Some(now)),
                ))
                .execute(conn)?;
            (LetterId::from_raw(id), PublishOutcome::Created)
        }
    };
    super::signatures::replace_initial(conn, &id, &file.signatories, file.language, now)?;
    let status: String = letters::table
        .find(&id)
        .select(letters::status)
        .get_result(conn)?;
    if status != LetterStatus::Draft.as_str() {
        match outcome {
            PublishOutcome::Created => super::versions::ensure_first(conn, &id, now)?,
            PublishOutcome::Updated => {
                super::versions::record_edit(conn, &id, now)?;
            }
        }
    }
    let letter = find_by_id(conn, &id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
    Ok((letter, outcome))
}

/// Sets a letter's status; used by the command line and tests until the
/// workspace manages the life cycle.
pub fn set_status(
    conn: &mut DbConn,
    id: &LetterId,
    status: LetterStatus,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    // The closing time starts the anonymisation clock.
    let closed_at = (status == LetterStatus::Closed).then_some(now);
    diesel::update(letters::table.find(id))
        .set((
            letters::status.eq(status.as_str()),
            letters::updated_at.eq(now),
            letters::closed_at.eq(closed_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Backdates a closed letter's closing time; for tests of scheduled work.
pub fn set_closed_at(conn: &mut DbConn, id: &LetterId, closed_at: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(letters::table.find(id))
        .set(letters::closed_at.eq(Some(closed_at)))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug)]
pub enum SaveOutcome {
    /// Saved; with a version number when a published text changed.
    Saved(Box<Letter>, Option<i32>),
    SlugTaken,
    /// The slug is fixed once the letter is published: its links are out.
    SlugLocked,
}

/// Creates a draft from the editor, owned by `owner_id`.
pub fn create_draft(
    tx: &mut Tx<'_>,
    file: &LetterFile,
    owner_id: &OrganizerId,
    now: NaiveDateTime,
) -> Result<SaveOutcome, DbError> {
    let conn: &mut DbConn = tx;
    if find_by_slug(conn, file.slug.as_str())?.is_some() {
        return Ok(SaveOutcome::SlugTaken);
    }
    let id = LetterId::generate();
    diesel::insert_into(letters::table)
        .values((
            letters::id.eq(&id),
            Content::of(file),
            letters::status.eq(LetterStatus::Draft.as_str()),
            letters::created_at.eq(now),
            letters::updated_at.eq(now),
        ))
        .execute(conn)?;
    super::editors::grant(conn, &id, owner_id, super::editors::Role::Owner, now)?;
    let letter = find_by_id(conn, &id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
    Ok(SaveOutcome::Saved(Box::new(letter), None))
}

/// Saves the editor's fields. Initial signatories are left alone.
pub fn update_content(
    tx: &mut Tx<'_>,
    id: &LetterId,
    file: &LetterFile,
    edit: super::versions::Edit,
    now: NaiveDateTime,
) -> Result<SaveOutcome, DbError> {
    let conn: &mut DbConn = tx;
    let Some(current) = find_by_id(conn, id)? else {
        return Err(DbError::Query(diesel::result::Error::NotFound));
    };
    if current.slug != file.slug.as_str() {
        if current.stored_status != LetterStatus::Draft {
            return Ok(SaveOutcome::SlugLocked);
        }
        if find_by_slug(conn, file.slug.as_str())?.is_some() {
            return Ok(SaveOutcome::SlugTaken);
        }
    }
    let swapped = super::translations::on_language_change(tx, &current, file, now)?;
    let file = swapped.as_ref().unwrap_or(file);
    let conn: &mut DbConn = tx;
    diesel::update(letters::table.find(id))
        .set((Content::of(file), letters::updated_at.eq(now)))
        .execute(conn)?;
    let new_version = match current.stored_status {
        LetterStatus::Draft => None,
        _ => super::versions::after_edit(conn, id, edit, now)?,
    };
    let letter = find_by_id(conn, id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
    Ok(SaveOutcome::Saved(Box::new(letter), new_version))
}

pub fn publish(tx: &mut Tx<'_>, id: &LetterId, now: NaiveDateTime) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    diesel::update(letters::table.find(id))
        .set((
            letters::status.eq(LetterStatus::Published.as_str()),
            letters::published_at.eq(Some(now)),
            letters::closed_at.eq(None::<NaiveDateTime>),
            letters::publish_at.eq(None::<NaiveDateTime>),
            letters::updated_at.eq(now),
        ))
        .execute(conn)?;
    super::versions::ensure_first(conn, id, now)
}

pub fn set_archived(
    conn: &mut DbConn,
    id: &LetterId,
    archived: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(letters::table.find(id))
        .set((letters::archived.eq(archived), letters::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Schedules (or cancels) the automatic closing.
pub fn set_close_at(
    conn: &mut DbConn,
    id: &LetterId,
    close_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(letters::table.find(id))
        .set((letters::close_at.eq(close_at), letters::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Publishes a draft whose embargo of `at` is still set, as `publish`
/// does, stamped `at`. False when it changed since it was found due (the
/// embargo was cancelled or moved, another thread published it): the
/// condition is in the statement, so each letter is published once.
pub fn publish_if_due(tx: &mut Tx<'_>, id: &LetterId, at: NaiveDateTime) -> Result<bool, DbError> {
    let conn: &mut DbConn = tx;
    let changed = diesel::update(
        letters::table
            .find(id)
            .filter(letters::status.eq(LetterStatus::Draft.as_str()))
            .filter(letters::publish_at.eq(at)),
    )
    .set((
        letters::status.eq(LetterStatus::Published.as_str()),
        letters::published_at.eq(Some(at)),
        letters::closed_at.eq(None::<NaiveDateTime>),
        letters::publish_at.eq(None::<NaiveDateTime>),
        letters::updated_at.eq(at),
    ))
    .execute(conn)?;
    if changed == 1 {
        super::versions::ensure_first(conn, id, at)?;
    }
    Ok(changed == 1)
}

/// Writes down a closing its schedule of `at` made; false when the letter
/// changed since it was found due.
pub fn close_if_due(conn: &mut DbConn, id: &LetterId, at: NaiveDateTime) -> Result<bool, DbError> {
    let changed = diesel::update(
        letters::table
            .find(id)
            .filter(letters::status.eq(LetterStatus::Published.as_str()))
            .filter(letters::close_at.eq(at)),
    )
    .set((
        letters::status.eq(LetterStatus::Closed.as_str()),
        letters::closed_at.eq(Some(at)),
        letters::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Schedules (or cancels) a draft's publication.
pub fn set_publish_at(
    conn: &mut DbConn,
    id: &LetterId,
    publish_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(letters::table.find(id))
        .set((letters::publish_at.eq(publish_at), letters::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// The letters with the given ids, newest first.
pub fn list_by_ids(conn: &mut DbConn, ids: &[LetterId]) -> Result<Vec<Letter>, DbError> {
    load(
        conn,
        letters::table
            .filter(letters::id.eq_any(ids))
            .into_boxed()
            .order(newest_first()),
    )
}
