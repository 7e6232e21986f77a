//! Email waiting to leave. A row is written in the same transaction as the
//! change that causes it, so an email is never sent for a change that rolled
//! back, and never lost for one that committed.

use super::schema::outbox;
use super::{new_id, DbConn, DbError, Tx};
use crate::domain::Token;
use crate::model::{LetterId, SignatureId};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

pub use crate::model::OutboxStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// For messages to signers who asked for news: where one click stops
    /// them (`List-Unsubscribe`, RFC 8058).
    pub unsubscribe: Option<String>,
    /// The name it is sent under, for a letter's messages: the body
    /// behind the letter. `None`: the configured sender as it is.
    pub sender_name: Option<String>,
    /// Where replies go: the letter's contact person. `None`: no
    /// `Reply-To`, replies go to the sender's address.
    pub reply_to: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i32,
    pub unsubscribe_url: Option<String>,
    pub sender_name: Option<String>,
    pub reply_to: Option<String>,
    /// For a confirmation written when it leaves ([`ConfirmLinks`]): the
    /// links it carries; its subject and bodies are empty until then.
    pub links: Option<String>,
}

/// The three links of a signing form's confirmation email, kept in its
/// outbox row instead of the email itself: a tenth of the bytes on the
/// busiest write of the service. The worker writes the email from them,
/// the letter and the content stored with the confirmation link, when it
/// sends it (`mail::deferred`). They are the same secrets a written body
/// would hold, and are erased the same way once it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmLinks {
    pub confirm: Token,
    pub manage: Token,
    pub withdraw: Token,
}

impl ConfirmLinks {
    pub fn to_stored(&self) -> String {
        format!(
            "{} {} {}",
            self.confirm.as_str(),
            self.manage.as_str(),
            self.withdraw.as_str()
        )
    }

    /// `None` for anything this build did not write.
    pub fn from_stored(stored: &str) -> Option<ConfirmLinks> {
        let mut parts = stored.split(' ').map(Token::parse);
        let links = ConfirmLinks {
            confirm: parts.next()?.ok()?,
            manage: parts.next()?.ok()?,
            withdraw: parts.next()?.ok()?,
        };
        parts.next().is_none().then_some(links)
    }
}

/// Queues a signing form's confirmation email, to be written when it
/// leaves.
pub fn insert_confirmation(
    conn: &mut DbConn,
    recipient: &str,
    signature_id: &SignatureId,
    links: &ConfirmLinks,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    // Nothing written yet: the worker fills these in when it sends.
    let unwritten = NewEmail {
        kind: CONFIRMATION_KIND,
        recipient: recipient.to_string(),
        subject: String::new(),
        text: String::new(),
        html: String::new(),
        unsubscribe: None,
        sender_name: None,
        reply_to: None,
    };
    insert_row(
        conn,
        &unwritten,
        Some(signature_id.as_str()),
        Some(links.to_stored()),
        now,
    )
}

/// The kind of a signing form's confirmation email.
pub const CONFIRMATION_KIND: &str = "confirm";

pub fn insert(conn: &mut DbConn, email: &NewEmail, now: NaiveDateTime) -> Result<(), DbError> {
    insert_about(conn, email, None, now)
}

/// Queues an email about one signature: its withdrawal, or the letter's
/// anonymisation, cancels and erases it.
pub fn insert_about(
    conn: &mut DbConn,
    email: &NewEmail,
    signature_id: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    insert_row(conn, email, signature_id, None, now)
}

/// One email of a batch, about one signature, maybe for a message to
/// signers.
pub struct BatchEmail<'a> {
    pub email: NewEmail,
    pub signature_id: &'a str,
    pub mailing_id: Option<&'a str>,
    /// When it may leave: an import's confirmations are spread out.
    pub not_before: NaiveDateTime,
}

/// Rows a statement carries: 15 parameters each, far below PostgreSQL's
/// 65,535.
const BATCH_ROWS: usize = 500;

/// Queues many emails in a few statements (an import's confirmations, a
/// message's batch): on PostgreSQL one round trip per 500 emails instead of
/// one each.
pub fn insert_batch(conn: &mut DbConn, rows: &[BatchEmail<'_>], now: NaiveDateTime) -> Result<(), DbError> {
    for chunk in rows.chunks(BATCH_ROWS) {
        let values: Vec<_> = chunk
            .iter()
            .map(|r| {
                let e = &r.email;
                (
                    (
                        outbox::id.eq(new_id()),
                        outbox::kind.eq(e.kind),
                        outbox::recipient.eq(e.recipient.clone()),
                        outbox::subject.eq(e.subject.clone()),
                        outbox::body_text.eq(e.text.clone()),
                        outbox::body_html.eq(e.html.clone()),
                        outbox::status.eq(OutboxStatus::Pending),
                        outbox::attempts.eq(0),
                    ),
                    (
                        outbox::next_attempt_at.eq(r.not_before),
                        outbox::created_at.eq(now),
                        outbox::signature_id.eq(Some(r.signature_id.to_string())),
                        outbox::unsubscribe_url.eq(e.unsubscribe.clone()),
                        outbox::sender_name.eq(e.sender_name.clone()),
                        outbox::mailing_id.eq(r.mailing_id.map(str::to_string)),
                        outbox::reply_to.eq(e.reply_to.clone()),
                    ),
                )
            })
            .collect();
        let insert = diesel::insert_into(outbox::table).values(values);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

fn insert_row(
    conn: &mut DbConn,
    email: &NewEmail,
    signature_id: Option<&str>,
    links: Option<String>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let insert = diesel::insert_into(outbox::table).values((
        outbox::id.eq(new_id()),
        outbox::kind.eq(email.kind),
        outbox::recipient.eq(&email.recipient),
        outbox::subject.eq(&email.subject),
        outbox::body_text.eq(&email.text),
        outbox::body_html.eq(&email.html),
        outbox::status.eq(OutboxStatus::Pending),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
        outbox::created_at.eq(now),
        outbox::signature_id.eq(signature_id),
        outbox::unsubscribe_url.eq(email.unsubscribe.as_deref()),
        outbox::sender_name.eq(email.sender_name.as_deref()),
        outbox::reply_to.eq(email.reply_to.as_deref()),
        outbox::links.eq(links),
    ));
    // Every signature writes one: on the backend's own connection, the
    // prepared insert is found by type (`db::on_backend!`).
    super::on_backend!(conn, c => insert.execute(c))?;
    Ok(())
}

/// Every message about a signature, queued, sent or failed: a queued one
/// is never sent, and none keeps the address, the letter's title in its
/// subject or its body. A message a worker is sending at this very moment
/// cannot be called back; it is the only one that can still leave.
pub fn erase_about(conn: &mut DbConn, signature_id: &SignatureId) -> Result<usize, DbError> {
    Ok(diesel::delete(outbox::table.filter(outbox::signature_id.eq(signature_id))).execute(conn)?)
}

/// News waiting for a signer who no longer wants it (a message to
/// signers, "the text changed"): withdrawn with the consent, so that no
/// more arrives. Their confirmation and "already signed" emails stay.
pub fn cancel_news(conn: &mut DbConn, signature_id: &SignatureId) -> Result<usize, DbError> {
    Ok(diesel::delete(
        outbox::table
            .filter(outbox::signature_id.eq(signature_id))
            .filter(outbox::status.eq(OutboxStatus::Pending))
            .filter(outbox::kind.eq_any(["mailing", "letter_updated"])),
    )
    .execute(conn)?)
}

/// Messages to a signer's address queued before messages recorded their
/// signature: the ones about signatures (never an organizer's password
/// link or invitation), found by address. Withdrawal erases them too.
pub fn erase_legacy_to(conn: &mut DbConn, recipient: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(
        outbox::table
            .filter(outbox::signature_id.is_null())
            .filter(outbox::recipient.eq(recipient))
            .filter(outbox::kind.ne_all(["password_reset", "invitation"])),
    )
    .execute(conn)?)
}

/// [`erase_about`] for every signature of a letter.
pub fn erase_about_letter(conn: &mut DbConn, letter_id: &LetterId) -> Result<usize, DbError> {
    use super::schema::signatures;
    let of_letter = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .select(signatures::id.nullable());
    Ok(diesel::delete(outbox::table.filter(outbox::signature_id.eq_any(of_letter))).execute(conn)?)
}

/// A cancelled message's emails still waiting: never sent. Returns how
/// many.
pub fn withdraw_mailing(conn: &mut DbConn, mailing_id: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(
        outbox::table
            .filter(outbox::mailing_id.eq(mailing_id))
            .filter(outbox::status.eq(OutboxStatus::Pending)),
    )
    .execute(conn)?)
}

/// Claims up to `limit` due messages for `lease`. A claimed message is not
/// handed to another worker until the lease runs out, so a worker that dies
/// mid-send delays a message but never loses it.
pub fn claim_due(
    tx: &mut Tx<'_>,
    now: NaiveDateTime,
    limit: i64,
    lease: Duration,
) -> Result<Vec<OutboxMessage>, DbError> {
    let until = now + lease;
    let conn: &mut DbConn = tx;
    // A macro rather than a value: the select clause is typed per backend.
    macro_rules! due {
        () => {
            outbox::table
                .filter(outbox::status.eq(OutboxStatus::Pending))
                .filter(outbox::next_attempt_at.le(now))
                .filter(
                    outbox::locked_until
                        .is_null()
                        .or(outbox::locked_until.lt(now)),
                )
                .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
                .limit(limit)
                .select(OutboxMessage::as_select())
        };
    }
    let messages: Vec<OutboxMessage> = match conn {
        // Several servers on one PostgreSQL database skip each other's
        // claimed rows instead of waiting on them.
        DbConn::Pg(pg) => due!().for_update().skip_locked().load(pg)?,
        // On SQLite the immediate transaction already serialises writers.
        DbConn::Sqlite(sqlite) => due!().load(sqlite)?,
    };
    let ids: Vec<&str> = messages.iter().map(|m| m.id.as_str()).collect();
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set(outbox::locked_until.eq(Some(until)))
        .execute(conn)?;
    Ok(messages)
}

/// Gives claimed messages back to the queue, due at once, when the worker
/// that claimed them stops before trying them.
pub fn release(conn: &mut DbConn, ids: &[&str]) -> Result<(), DbError> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::status.eq(OutboxStatus::Pending)),
    )
    .set(outbox::locked_until.eq(None::<NaiveDateTime>))
    .execute(conn)?;
    Ok(())
}

/// What became of one claimed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server accepted it.
    Sent { at: NaiveDateTime },
    /// A failure worth another try, at `next_attempt_at`.
    Retry {
        next_attempt_at: NaiveDateTime,
        error: String,
    },
    /// Given up: a permanent refusal, too many attempts, or nothing left to
    /// write the email from.
    Failed { error: String },
    /// Not tried after all (the server is down, a stop, a read that failed):
    /// back in the queue at once, for whichever node claims it next.
    Released,
}

/// Writes the outcomes of claimed messages, all in the caller's
/// transaction: a mailing's counters move with its messages' status, so a
/// delivery counted is a delivery recorded, and several senders' outcomes
/// cost one commit.
pub fn record(tx: &mut Tx<'_>, outcomes: &[(String, Outcome)]) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    for (id, outcome) in outcomes {
        match outcome {
            Outcome::Sent { at } => mark_sent(conn, id, *at)?,
            Outcome::Retry {
                next_attempt_at,
                error,
            } => mark_retry(conn, id, *next_attempt_at, error)?,
            Outcome::Failed { error } => mark_failed(conn, id, error)?,
            Outcome::Released => release(conn, &[id.as_str()])?,
        }
    }
    Ok(())
}

/// A delivered message's body is erased: it held live links, and the copy
/// that matters is now in the mailbox.
fn mark_sent(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), DbError> {
    super::mailings::count_outcome(conn, id, true)?;
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(OutboxStatus::Sent),
            outbox::sent_at.eq(Some(now)),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
            outbox::body_text.eq(""),
            outbox::body_html.eq(""),
            outbox::links.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

fn mark_retry(
    conn: &mut DbConn,
    id: &str,
    next_attempt_at: NaiveDateTime,
    error: &str,
) -> Result<(), DbError> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(next_attempt_at),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A message given up has its body and links erased as when sent: they
/// hold live links, and nothing will send them now.
fn mark_failed(conn: &mut DbConn, id: &str, error: &str) -> Result<(), DbError> {
    super::mailings::count_outcome(conn, id, false)?;
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(OutboxStatus::Failed),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(Some(error)),
            outbox::body_text.eq(""),
            outbox::body_html.eq(""),
            outbox::links.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many messages wait, and since when the oldest has.
pub fn depth(conn: &mut DbConn) -> Result<(i64, Option<NaiveDateTime>), DbError> {
    let pending = outbox::table.filter(outbox::status.eq(OutboxStatus::Pending));
    let count: i64 = pending.count().get_result(conn)?;
    let oldest: Option<NaiveDateTime> = pending
        .select(outbox::created_at)
        .order(outbox::created_at.asc())
        .first(conn)
        .optional()?;
    Ok((count, oldest))
}

/// The earliest time a pending message becomes due, so the worker can sleep
/// exactly until then.
pub fn next_due(conn: &mut DbConn) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(outbox::table
        .filter(outbox::status.eq(OutboxStatus::Pending))
        .select(outbox::next_attempt_at)
        .order(outbox::next_attempt_at.asc())
        .first(conn)
        .optional()?)
}
