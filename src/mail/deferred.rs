//! Confirmation emails written when they leave.
//!
//! The signing form is the busiest write of the service, and its
//! confirmation email was most of what it wrote: 4 KB of subject and
//! bodies in the outbox row, against a few hundred bytes for the
//! signature. The row now holds the three links the email carries
//! (`db::outbox::ConfirmLinks`), and the worker writes the email from
//! them when it claims the row: the letter as it stands, and what the link
//! confirms as stored with it, which is what the email states. The words
//! are the same `messages::confirmation` the form used to write.

use super::messages::{self, LetterSender};
use crate::db::letters::{self, Letter};
use crate::db::outbox::{ConfirmLinks, OutboxMessage};
use crate::db::{tokens, translations};
use crate::db::{DbConn, DbError};
use crate::domain::{Lang, Proposal};
use crate::i18n::I18n;
use crate::model::LetterId;
use crate::views::links;
use std::collections::HashMap;
use std::sync::Arc;

/// What the worker needs to write a confirmation: the words, the site's
/// address, and how long a link lasts.
pub struct Deferred {
    pub i18n: Arc<I18n>,
    /// The public base URL, without a trailing slash.
    pub base_url: String,
    /// Days a confirmation link lasts, as the email states them.
    pub valid_days: i64,
}

impl std::fmt::Debug for Deferred {
    // The words bundle has no `Debug` of its own, nor anything to show.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deferred")
            .field("base_url", &self.base_url)
            .field("valid_days", &self.valid_days)
            .finish_non_exhaustive()
    }
}

/// Letters read during one round of the worker, by language: a burst of
/// signatures is mostly one letter's.
pub type Letters = HashMap<(LetterId, Lang), Option<Letter>>;

/// The letter as its signer read it: in the language they signed in, when
/// it has a version in it, as the signing page showed it.
fn in_language(conn: &mut DbConn, id: &LetterId, lang: Lang) -> Result<Option<Letter>, DbError> {
    let Some(letter) = letters::find_by_id(conn, id)? else {
        return Ok(None);
    };
    if lang == letter.language {
        return Ok(Some(letter));
    }
    let found = translations::find(conn, id, lang)?;
    Ok(Some(translations::localized(&letter, found)))
}

impl Deferred {
    /// Writes the email of a message that holds links instead: its subject,
    /// bodies, sender name and reply address. False when there is nothing
    /// left to write it from: its links do not read, or its signature or
    /// letter is gone.
    pub fn write(
        &self,
        conn: &mut DbConn,
        letters: &mut Letters,
        m: &mut OutboxMessage,
    ) -> Result<bool, DbError> {
        let Some(links) = m.links.as_deref().and_then(ConfirmLinks::from_stored) else {
            return Ok(false);
        };
        let Some((letter_id, Some(content))) = tokens::confirmation_for_email(conn, &links.confirm.hash())?
        else {
            return Ok(false);
        };
        let Ok(content) = Proposal::from_stored(&content) else {
            return Ok(false);
        };
        let key = (letter_id, content.language);
        let letter = match letters.get(&key) {
            Some(letter) => letter,
            None => {
                let found = in_language(conn, &key.0, key.1)?;
                letters.entry(key).or_insert(found)
            }
        };
        let Some(letter) = letter else {
            return Ok(false);
        };
        let url = |path: String| format!("{}{path}", self.base_url);
        let email = messages::confirmation(
            &self.i18n.tr(content.language),
            &messages::Confirmation {
                recipient: &m.recipient,
                name: &content.name,
                letter_title: &letter.title,
                sender: &LetterSender::of(letter),
                confirm_url: &url(links::confirm(links.confirm.as_str())),
                manage_url: &url(links::manage(links.manage.as_str())),
                withdraw_url: &url(links::withdraw(links.withdraw.as_str())),
                valid_days: self.valid_days,
                content: &content,
            },
        );
        m.subject = email.subject;
        m.body_text = email.text;
        m.body_html = email.html;
        m.unsubscribe_url = email.unsubscribe;
        m.sender_name = email.sender_name;
        m.reply_to = email.reply_to;
        Ok(true)
    }
}
