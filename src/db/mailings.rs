//! Messages to a letter's signers, and their texts per language. The
//! sending itself goes through the outbox; this table remembers how far it
//! has gone (`next_after`, `queued`) and how it went (`sent`, `failed`).

use super::schema::{mailing_texts as texts, mailings, outbox};
use super::{DbConn, DbError, Tx};
use crate::model::{LetterId, MailingId, MailingStatus, OrganizerId, SignatureId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = mailings)]
pub struct Mailing {
    pub id: MailingId,
    pub letter_id: LetterId,
    pub created_by: Option<OrganizerId>,
    pub status: MailingStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    /// Signers who asked for news when sending began.
    pub recipients: i32,
    pub queued: i32,
    pub sent: i32,
    pub failed: i32,
    pub next_after: Option<SignatureId>,
    /// Fixed when sending starts (`start`): the name the emails go out
    /// under, where replies go, and the letter's own language then.
    pub sender_name: String,
    pub reply_to: String,
    pub language: Option<String>,
}

/// A message's subject and Markdown body in one language.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = texts)]
pub struct MailingText {
    pub language: String,
    pub subject: String,
    pub body: String,
}

/// A text of a message being sent, with the letter's title in its
/// language as it was when sending started.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = texts)]
pub struct FrozenText {
    pub language: String,
    pub subject: String,
    pub body: String,
    pub letter_title: String,
}

/// What a message is sent as, fixed when its sending starts.
pub struct Snapshot<'a> {
    pub sender_name: &'a str,
    pub reply_to: &'a str,
    /// The letter's own language.
    pub language: &'a str,
    /// The letter's title in each language of the message's texts.
    pub titles: &'a [(String, String)],
}

pub fn create(
    conn: &mut DbConn,
    id: &MailingId,
    letter: &LetterId,
    by: &OrganizerId,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(mailings::table)
        .values((
            mailings::id.eq(id),
            mailings::letter_id.eq(letter),
            mailings::created_by.eq(Some(by)),
            mailings::status.eq(MailingStatus::Draft),
            mailings::created_at.eq(now),
            mailings::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The message `id` if it is one of `letter`'s: an id from another letter
/// reads as missing.
pub fn find(conn: &mut DbConn, letter: &LetterId, id: &MailingId) -> Result<Option<Mailing>, DbError> {
    Ok(mailings::table
        .find(id)
        .filter(mailings::letter_id.eq(letter))
        .select(Mailing::as_select())
        .first(conn)
        .optional()?)
}

/// A letter's messages, newest first.
pub fn for_letter(conn: &mut DbConn, letter: &LetterId) -> Result<Vec<Mailing>, DbError> {
    Ok(mailings::table
        .filter(mailings::letter_id.eq(letter))
        .order((mailings::created_at.desc(), mailings::id.desc()))
        .select(Mailing::as_select())
        .load(conn)?)
}

pub fn texts(conn: &mut DbConn, id: &MailingId) -> Result<Vec<MailingText>, DbError> {
    Ok(texts::table
        .filter(texts::mailing_id.eq(id))
        .order(texts::language.asc())
        .select(MailingText::as_select())
        .load(conn)?)
}

/// A sending message's texts as stored when it started, whatever the
/// letter's languages are now.
pub fn frozen_texts(conn: &mut DbConn, id: &MailingId) -> Result<Vec<FrozenText>, DbError> {
    Ok(texts::table
        .filter(texts::mailing_id.eq(id))
        .order(texts::language.asc())
        .select(FrozenText::as_select())
        .load(conn)?)
}

/// Replaces a draft's texts. Only a draft: a message being sent keeps the
/// words its first recipients got.
pub fn replace_texts(
    conn: &mut DbConn,
    id: &MailingId,
    new: &[MailingText],
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let touched = diesel::update(
        mailings::table
            .find(id)
            .filter(mailings::status.eq(MailingStatus::Draft)),
    )
    .set(mailings::updated_at.eq(now))
    .execute(conn)?;
    if touched == 0 {
        return Ok(false);
    }
    diesel::delete(texts::table.filter(texts::mailing_id.eq(id))).execute(conn)?;
    for t in new {
        diesel::insert_into(texts::table)
            .values((
                texts::mailing_id.eq(id),
                texts::language.eq(&t.language),
                texts::subject.eq(&t.subject),
                texts::body.eq(&t.body),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

/// Draft to sending, once: of two clicks on "Send" only one gets it. The
/// sender, the letter's language and its titles are fixed here.
pub fn start(
    conn: &mut DbConn,
    id: &MailingId,
    recipients: i32,
    snapshot: &Snapshot,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        mailings::table
            .find(id)
            .filter(mailings::status.eq(MailingStatus::Draft)),
    )
    .set((
        mailings::status.eq(MailingStatus::Sending),
        mailings::started_at.eq(Some(now)),
        mailings::updated_at.eq(now),
        mailings::recipients.eq(recipients),
        mailings::sender_name.eq(snapshot.sender_name),
        mailings::reply_to.eq(snapshot.reply_to),
        mailings::language.eq(Some(snapshot.language)),
    ))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    for (language, title) in snapshot.titles {
        diesel::update(texts::table.find((id, language)))
            .set(texts::letter_title.eq(title))
            .execute(conn)?;
    }
    Ok(true)
}

/// Sending to cancelled, once, and the message's emails still waiting in
/// the outbox withdrawn with it (one a worker is handing to the mail
/// server at this moment can still leave). Returns how many were
/// withdrawn, or `None` if the message was not being sent.
pub fn cancel(conn: &mut DbConn, id: &MailingId, now: NaiveDateTime) -> Result<Option<i32>, DbError> {
    let n = diesel::update(
        mailings::table
            .find(id)
            .filter(mailings::status.eq(MailingStatus::Sending)),
    )
    .set((
        mailings::status.eq(MailingStatus::Cancelled),
        mailings::updated_at.eq(now),
        mailings::finished_at.eq(Some(now)),
    ))
    .execute(conn)?;
    if n != 1 {
        return Ok(None);
    }
    let withdrawn = super::outbox::withdraw_mailing(conn, id.as_str())?;
    let withdrawn = i32::try_from(withdrawn).unwrap_or(i32::MAX);
    diesel::update(mailings::table.find(id))
        .set(mailings::queued.eq(mailings::queued - withdrawn))
        .execute(conn)?;
    Ok(Some(withdrawn))
}

/// The messages `author` wrote that are being sent, on any letter.
pub fn sending_by(conn: &mut DbConn, author: &OrganizerId) -> Result<Vec<Mailing>, DbError> {
    Ok(mailings::table
        .filter(mailings::status.eq(MailingStatus::Sending))
        .filter(mailings::created_by.eq(author))
        .select(Mailing::as_select())
        .load(conn)?)
}

/// The messages still being queued, oldest first. Inside a write
/// transaction: on PostgreSQL each row found is locked, and one another
/// server holds is skipped, so two servers never queue the same batch.
pub fn sending(tx: &mut Tx<'_>) -> Result<Vec<Mailing>, DbError> {
    let conn: &mut DbConn = tx;
    macro_rules! query {
        () => {
            mailings::table
                .filter(mailings::status.eq(MailingStatus::Sending))
                .order((mailings::started_at.asc(), mailings::id.asc()))
                .select(Mailing::as_select())
        };
    }
    Ok(match conn {
        DbConn::Pg(pg) => query!().for_update().skip_locked().load(pg)?,
        DbConn::Sqlite(sqlite) => query!().load(sqlite)?,
    })
}

/// Whether any message is being queued: a cheap read, so an idle second
/// takes no write lock.
pub fn any_sending(conn: &mut DbConn) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        mailings::table.filter(mailings::status.eq(MailingStatus::Sending)),
    ))
    .get_result(conn)?)
}

/// How many signers a message would reach (`versions::subscribers`).
pub fn subscribers(conn: &mut DbConn, letter: &LetterId) -> Result<i64, DbError> {
    Ok(super::versions::subscribers(letter).count().get_result(conn)?)
}

/// Records a batch queued after `from` (what the caller read): only if no
/// other server recorded it first, so two servers never queue the same
/// signers twice. `done` ends the queueing.
pub fn advance(
    conn: &mut DbConn,
    m: &Mailing,
    to: Option<&SignatureId>,
    count: i32,
    done: bool,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let status = if done {
        MailingStatus::Sent
    } else {
        MailingStatus::Sending
    };
    let target = mailings::table
        .find(&m.id)
        .filter(mailings::status.eq(MailingStatus::Sending))
        .filter(mailings::queued.eq(m.queued));
    let n = diesel::update(target)
        .set((
            mailings::next_after.eq(to.or(m.next_after.as_ref())),
            mailings::queued.eq(m.queued + count),
            mailings::status.eq(status),
            mailings::updated_at.eq(now),
            mailings::finished_at.eq(done.then_some(now)),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Counts one delivered or abandoned email toward its message's progress;
/// an email of no message counts nowhere. Called before the email's own
/// status changes: only a still pending email counts, so one marked twice
/// counts once.
pub fn count_outcome(conn: &mut DbConn, outbox_id: &str, delivered: bool) -> Result<(), DbError> {
    let of_email = outbox::table
        .find(outbox_id)
        .filter(outbox::status.eq(crate::model::OutboxStatus::Pending))
        .select(outbox::mailing_id);
    let target = mailings::table.filter(mailings::id.nullable().eq_any(of_email));
    if delivered {
        diesel::update(target)
            .set(mailings::sent.eq(mailings::sent + 1))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set(mailings::failed.eq(mailings::failed + 1))
            .execute(conn)?;
    }
    Ok(())
}
