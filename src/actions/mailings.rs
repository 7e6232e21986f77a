//! Writing to a letter's signers who asked for news: an owner drafts a
//! message in the letter's languages, tries it on their own address, then
//! sends it. Sending queues it through the outbox a batch at a time
//! (`queue_due`, run by `jobs::spawn_mailings`), throttled and resumable.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::letters::{self, Letter};
use crate::db::mailings::{self, Mailing, MailingText};
use crate::db::outbox::{self, BatchEmail, NewEmail};
use crate::db::tokens::{self, Purpose, TokenRow};
use crate::db::{translations, versions, DbConn, DbError};
use crate::domain::mailing::{Draft, DraftError, Text};
use crate::domain::{Lang, Token};
use crate::mail::messages::LetterSender;
use crate::model::{AuditAction, AuditArgs, LetterId, LetterStatus, MailingId, MailingStatus};
use chrono::NaiveDateTime;

/// One email of a message, for the caller to word and link
/// (`mail::to_signers`).
pub struct Outgoing<'a> {
    pub recipient: &'a str,
    pub lang: Lang,
    pub subject: &'a str,
    pub body: &'a str,
    /// The letter's title, in the reader's language.
    pub letter_title: &'a str,
    /// Who it comes from, and where replies go.
    pub sender: &'a LetterSender,
    /// `None` for the organizer's test copy, which has no signature.
    pub tokens: Option<(&'a Token, &'a Token)>,
}

pub type Compose<'a> = &'a dyn Fn(&Outgoing) -> NewEmail;

/// The letter's languages, its own first: the ones a message is written in.
pub fn languages(conn: &mut DbConn, letter: &Letter) -> Result<Vec<Lang>, DbError> {
    let mut out = vec![letter.language];
    for t in translations::all(conn, &letter.id)? {
        match t.language.parse::<Lang>() {
            Ok(l) if !out.contains(&l) => out.push(l),
            _ => {}
        }
    }
    Ok(out)
}

/// A stored message's texts as a draft; `complete` as in `Draft::parse`.
pub fn stored_draft(
    conn: &mut DbConn,
    letter: &Letter,
    id: &MailingId,
    complete: bool,
) -> Result<Result<Draft, DraftError>, DbError> {
    let langs = languages(conn, letter)?;
    let typed: Vec<Text> = mailings::texts(conn, id)?
        .into_iter()
        .map(|t| Text {
            lang: t.language.parse().ok(),
            subject: t.subject,
            body: t.body,
        })
        .collect();
    Ok(Draft::parse(&langs, &typed, complete))
}

/// The owner's draft, checked: theirs to write, on this letter, still a
/// draft.
fn own_draft(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    id: &MailingId,
) -> Outcome<(Letter, Mailing)> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    let (Some(l), Some(m)) = (letters::find_by_id(tx, letter)?, mailings::find(tx, letter, id)?) else {
        return Ok(Err(Refused::NotFound));
    };
    if m.status != MailingStatus::Draft {
        return Ok(Err(Refused::NotAllowed));
    }
    Ok(Ok((l, m)))
}

/// Saves what the owner typed: a new draft (`id` = `None`) or over an
/// existing one. Returns the draft's id.
pub fn save(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    id: Option<&MailingId>,
    draft: &Draft,
    now: NaiveDateTime,
) -> Outcome<MailingId> {
    let id = match id {
        Some(id) => match own_draft(tx, actor, letter, id)? {
            Ok(_) => id.clone(),
            Err(r) => return Ok(Err(r)),
        },
        None => {
            if !actor.owns() {
                return Ok(Err(Refused::Forbidden));
            }
            if letters::find_by_id(tx, letter)?.is_none() {
                return Ok(Err(Refused::NotFound));
            }
            let id = MailingId::generate();
            mailings::create(tx, &id, letter, &actor.id, now)?;
            id
        }
    };
    let Some(l) = letters::find_by_id(tx, letter)? else {
        return Ok(Err(Refused::NotFound));
    };
    // The use case, not the form, decides which languages may be stored.
    let langs = languages(tx, &l)?;
    if draft.texts.iter().any(|(lang, _, _)| !langs.contains(lang)) {
        return Ok(Err(Refused::NotAllowed));
    }
    let texts: Vec<MailingText> = draft
        .texts
        .iter()
        .map(|(lang, subject, body)| MailingText {
            language: lang.code().to_string(),
            subject: subject.clone(),
            body: body.clone(),
        })
        .collect();
    mailings::replace_texts(tx, &id, &texts, now)?;
    Ok(Ok(id))
}

/// The owner gets one copy per language written, at their own address, to
/// read it as signers will. Only a complete draft. Returns how many.
pub fn test(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    id: &MailingId,
    compose: Compose,
    now: NaiveDateTime,
) -> Outcome<usize> {
    let l = match own_draft(tx, actor, letter, id)? {
        Ok((l, _)) => l,
        Err(r) => return Ok(Err(r)),
    };
    let Ok(draft) = stored_draft(tx, &l, id, true)? else {
        return Ok(Err(Refused::NotAllowed));
    };
    let titles = Titles::of(tx, &l)?;
    for (lang, subject, body) in &draft.texts {
        let email = compose(&Outgoing {
            recipient: &actor.email,
            lang: *lang,
            subject,
            body,
            letter_title: titles.get(*lang),
            sender: &LetterSender::of(&l),
            tokens: None,
        });
        outbox::insert(tx, &email, now)?;
    }
    let subject = draft.texts.first().map(|t| t.1.as_str()).unwrap_or_default();
    let args = AuditArgs::new()
        .text("subject", subject)
        .num("n", draft.texts.len());
    audit(tx, &actor.id, Some(letter), AuditAction::MailingTested, args, now)?;
    Ok(Ok(draft.texts.len()))
}

/// Starts sending a complete draft to the signers who asked for news, on
/// a letter that has signers (published or closed). Once only. Returns how
/// many signers it is for.
pub fn start(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    id: &MailingId,
    now: NaiveDateTime,
) -> Outcome<i64> {
    let l = match own_draft(tx, actor, letter, id)? {
        Ok((l, _)) => l,
        Err(r) => return Ok(Err(r)),
    };
    if !matches!(l.status(), LetterStatus::Published | LetterStatus::Closed) {
        return Ok(Err(Refused::NotAllowed));
    }
    let Ok(draft) = stored_draft(tx, &l, id, true)? else {
        return Ok(Err(Refused::NotAllowed));
    };
    let recipients = mailings::subscribers(tx, letter)?;
    if !mailings::start(tx, id, i32::try_from(recipients).unwrap_or(i32::MAX), now)? {
        return Ok(Err(Refused::NotAllowed));
    }
    let subject = draft.texts.first().map(|t| t.1.as_str()).unwrap_or_default();
    let args = AuditArgs::new().text("subject", subject).num("n", recipients);
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::MailingStarted,
        args,
        now,
    )?;
    Ok(Ok(recipients))
}

/// The letter's title in each of its languages, for the line that says
/// why a signer gets the message.
struct Titles(Vec<(Lang, String)>);

impl Titles {
    fn of(conn: &mut DbConn, l: &Letter) -> Result<Titles, DbError> {
        let mut all = vec![(l.language, l.title.clone())];
        for t in translations::all(conn, &l.id)? {
            if let Ok(lang) = t.language.parse() {
                all.push((lang, t.title));
            }
        }
        Ok(Titles(all))
    }

    fn get(&self, lang: Lang) -> &str {
        let found = self.0.iter().find(|(l, _)| *l == lang).or(self.0.first());
        found.map_or("", |(_, t)| t.as_str())
    }
}

/// Queues the next batch of each message being sent, at most `quota`
/// emails in all, and records how far each got. A message whose last
/// signers are queued is sent (and written in the audit log as the
/// service's). Returns how many emails were queued.
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

fn queue_batch(
    tx: &mut Tx<'_>,
    m: &Mailing,
    limit: i64,
    compose: Compose,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let Some(l) = letters::find_by_id(tx, &m.letter_id)? else {
        return Ok(0);
    };
    // A draft complete when it started stays so: it can no longer change.
    let Ok(draft) = stored_draft(tx, &l, &m.id, true)? else {
        return Ok(0);
    };
    let titles = Titles::of(tx, &l)?;
    let sender = LetterSender::of(&l);
    let page = versions::subscribers_page(tx, &m.letter_id, m.next_after.as_ref(), limit)?;
    let links: Vec<(Token, Token)> = page
        .iter()
        .map(|_| (Token::generate(), Token::generate()))
        .collect();
    let (mut rows, mut emails) = (Vec::new(), Vec::new());
    for ((signature, email, lang), (manage, unsubscribe)) in page.iter().zip(&links) {
        let lang: Lang = lang.parse().unwrap_or(l.language);
        let Some((text_lang, subject, body)) = draft.for_reader(lang) else {
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
            subject,
            body,
            letter_title: titles.get(*text_lang),
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
