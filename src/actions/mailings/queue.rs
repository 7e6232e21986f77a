//! Sending a started message, a batch at a time: to each signer who asked
//! for news, in their language, as it was when sending started. Nothing
//! the letter's editors change afterwards (its languages, its sender, its
//! titles) reaches a message already on its way.

use super::{stop, Compose, Outgoing, StopReason};
use crate::actions::Tx;
use crate::db::mailings::{self, FrozenText, Mailing};
use crate::db::outbox::{self, BatchEmail};
use crate::db::tokens::{self, Purpose, TokenRow};
use crate::db::{editors, organizers, versions, DbConn, DbError};
use crate::domain::{Lang, Token};
use crate::mail::messages::LetterSender;
use crate::model::{AuditAction, AuditArgs, Role};
use chrono::NaiveDateTime;

/// Queues the next batch of each message being sent, at most `quota`
/// emails in all, and records how far each got. A message whose last
/// signers are queued is sent (and written in the audit log as the
/// service's); one that may no longer go is stopped. Returns how many
/// emails were queued.
pub fn queue_due(
    tx: &mut Tx<'_>,
    quota: i64,
    compose: Compose,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let mut left = quota;
    let mut queued = 0;
    for m in mailings::sending(tx)? {
        if left <= 0 {
            break;
        }
        let n = queue_batch(tx, &m, left, compose, now)?;
        left -= n as i64;
        queued += n;
    }
    Ok(queued)
}

/// The texts of a message being sent, frozen: each reader gets the text
/// in their language, else the one in the letter's language when sending
/// started.
struct Frozen {
    texts: Vec<(Lang, FrozenText)>,
    own: Option<Lang>,
}

impl Frozen {
    fn of(conn: &mut DbConn, m: &Mailing) -> Result<Frozen, DbError> {
        let texts: Vec<(Lang, FrozenText)> = mailings::frozen_texts(conn, &m.id)?
            .into_iter()
            .filter_map(|t| Some((t.language.parse().ok()?, t)))
            .collect();
        let own = m.language.as_deref().and_then(|l| l.parse().ok());
        Ok(Frozen { texts, own })
    }

    fn for_reader(&self, lang: Option<Lang>) -> Option<&(Lang, FrozenText)> {
        let find = |lang: Option<Lang>| self.texts.iter().find(|(l, _)| Some(*l) == lang);
        find(lang).or_else(|| find(self.own)).or_else(|| match self.own {
            // Started before the letter's language was recorded.
            None => self.texts.first(),
            Some(_) => None,
        })
    }

    /// Whether any reader can be sent something: a text in a language
    /// this build knows.
    fn any(&self) -> bool {
        !self.texts.is_empty()
    }
}

/// Whether the message's author may still write to the letter's signers:
/// an enabled account, owner of the letter or admin.
fn author_may_send(conn: &mut DbConn, m: &Mailing) -> Result<bool, DbError> {
    let Some(author) = &m.created_by else {
        return Ok(false);
    };
    let Some(o) = organizers::find(conn, author)? else {
        return Ok(false);
    };
    if o.disabled {
        return Ok(false);
    }
    Ok(o.is_admin || editors::role_of(conn, &m.letter_id, author)? == Some(Role::Owner))
}

fn queue_batch(
    tx: &mut Tx<'_>,
    m: &Mailing,
    limit: i64,
    compose: Compose,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    if !author_may_send(tx, m)? {
        stop(tx, None, m, StopReason::Author, now)?;
        return Ok(0);
    }
    let frozen = Frozen::of(tx, m)?;
    if !frozen.any() {
        stop(tx, None, m, StopReason::Texts, now)?;
        return Ok(0);
    }
    let sender = LetterSender {
        organized_by: m.sender_name.clone(),
        reply_to: m.reply_to.clone(),
    };
    let page = versions::subscribers_page(tx, &m.letter_id, m.next_after.as_ref(), limit)?;
    let links: Vec<(Token, Token)> = page
        .iter()
        .map(|_| (Token::generate(), Token::generate()))
        .collect();
    let (mut rows, mut emails) = (Vec::new(), Vec::new());
    for ((signature, email, lang), (manage, unsubscribe)) in page.iter().zip(&links) {
        let Some((text_lang, text)) = frozen.for_reader(lang.parse().ok()) else {
            continue;
        };
        for (token, purpose) in [(manage, Purpose::Manage), (unsubscribe, Purpose::Unsubscribe)] {
            rows.push(TokenRow {
                token,
                signature_id: signature,
                purpose,
                expires_at: None,
                content: None,
            });
        }
        let email = compose(&Outgoing {
            recipient: email,
            lang: *text_lang,
            subject: &text.subject,
            body: &text.body,
            letter_title: &text.letter_title,
            sender: &sender,
            tokens: Some((manage, unsubscribe)),
        });
        emails.push(BatchEmail {
            email,
            signature_id: signature.as_str(),
            mailing_id: Some(m.id.as_str()),
            not_before: now,
        });
    }
    // A batch in a few statements, not three round trips per signer.
    tokens::insert_batch(tx, &rows, now)?;
    outbox::insert_batch(tx, &emails, now)?;
    let done = (page.len() as i64) < limit;
    let count = i32::try_from(page.len()).unwrap_or(i32::MAX);
    let last = page.last().map(|(id, _, _)| id);
    if !mailings::advance(tx, m, last, count, done, now)? {
        // Another server queued this batch first: undo ours.
        return Err(DbError::Contended("message batch queued twice"));
    }
    if done {
        let args = AuditArgs::new().num("n", m.queued.saturating_add(count));
        let record =
            crate::db::audit::Record::new(None, Some(&m.letter_id), AuditAction::MailingFinished, args);
        crate::db::audit::record(tx, record, now)?;
    }
    Ok(page.len())
}
