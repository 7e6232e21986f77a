//! Words and links for an organizer's message to signers: the use case
//! (`actions::mailings`) decides who gets which text; this turns each into
//! an email, in the reader's language, with this site's links.

use super::messages::{to_signers, ToSigners};
use crate::actions::mailings::Outgoing;
use crate::db::outbox::NewEmail;
use crate::i18n::I18n;
use crate::views::links;
use std::sync::Arc;

#[derive(Clone)]
pub struct Composer {
    pub i18n: Arc<I18n>,
    /// The public base URL, without a trailing slash.
    pub base_url: String,
}

impl Composer {
    pub fn email(&self, o: &Outgoing) -> NewEmail {
        // The test copy has no signature behind it: its links show where
        // a signer's will lead, and open nothing.
        let (manage, unsubscribe) = match o.tokens {
            Some((m, u)) => (links::manage(m.as_str()), links::unsubscribe(u.as_str())),
            None => (links::manage("…"), links::unsubscribe("…")),
        };
        to_signers(
            &self.i18n.tr(o.lang),
            &ToSigners {
                recipient: o.recipient,
                subject: o.subject,
                body: o.body,
                letter_title: o.letter_title,
                sender: o.sender,
                manage_url: &format!("{}{manage}", self.base_url),
                unsubscribe_url: &format!("{}{unsubscribe}", self.base_url),
                test: o.tokens.is_none(),
            },
        )
    }
}
