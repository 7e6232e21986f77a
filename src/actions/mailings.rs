//! Writing to a letter's signers who asked for news: an owner drafts a
//! message in the letter's languages, tries it on their own address, then
//! sends it. Sending queues it through the outbox a batch at a time
//! (`queue_due`, run by `jobs::spawn_mailings`), throttled and resumable.
//! An owner can stop it; it stops itself when its author may no longer
//! send it.

mod queue;
pub use queue::queue_due;

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::letters::{self, Letter};
use crate::db::mailings::{self, Mailing, MailingText, Snapshot};
use crate::db::outbox::{self, NewEmail};
use crate::db::{translations, DbConn, DbError};
use crate::domain::mailing::{Draft, DraftError, FieldError, Text};
use crate::domain::{Lang, Token};
use crate::mail::messages::LetterSender;
use crate::model::{AuditAction, AuditArgs, LetterId, LetterStatus, MailingId, MailingStatus, OrganizerId};
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
    if !mailings::replace_texts(tx, &id, &texts, now)? {
        // Sent by another owner since it was read: its words stay theirs.
        return Ok(Err(Refused::NotAllowed));
    }
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

/// Why a sending did not start, what was typed being kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The draft as saved; `None` when a field was refused before saving.
    pub id: Option<MailingId>,
    /// The fields still refused or missing, by language.
    pub errors: Vec<(&'static str, Lang, FieldError)>,
    /// The box saying "I confirm" was not ticked.
    pub unconfirmed: bool,
}

/// What "Send the message" did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sending {
    /// Saved and started, for this many signers.
    Started { id: MailingId, recipients: i64 },
    /// Saved if it could be, and not sent.
    Kept(Kept),
}

/// "Send the message": saves what the owner typed and, if it is complete
/// and they ticked the confirmation (`confirmed`), starts sending exactly
/// that, in one transaction, so two owners sending at once never send each
/// other's words. Otherwise the draft is kept as typed.
pub fn send(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    id: Option<&MailingId>,
    typed: &[Text],
    confirmed: bool,
    now: NaiveDateTime,
) -> Outcome<Sending> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    let Some(l) = letters::find_by_id(tx, letter)? else {
        return Ok(Err(Refused::NotFound));
    };
    let langs = languages(tx, &l)?;
    let kept = |id, errors| {
        Sending::Kept(Kept {
            id,
            errors,
            unconfirmed: !confirmed,
        })
    };
    let draft = match Draft::parse(&langs, typed, false) {
        Ok(d) => d,
        Err(DraftError::Language) => return Ok(Err(Refused::NotAllowed)),
        Err(DraftError::Fields(e)) => return Ok(Ok(kept(id.cloned(), e))),
    };
    let id = match save(tx, actor, letter, id, &draft, now)? {
        Ok(id) => id,
        Err(r) => return Ok(Err(r)),
    };
    let missing = match Draft::parse(&langs, typed, true) {
        Err(DraftError::Fields(e)) => e,
        _ => Vec::new(),
    };
    if !missing.is_empty() || !confirmed {
        return Ok(Ok(kept(Some(id), missing)));
    }
    Ok(start(tx, actor, letter, &id, now)?.map(|recipients| Sending::Started { id, recipients }))
}

/// Starts sending a complete draft to the signers who asked for news, on
/// a letter that has signers (published or closed). Once only. What it is
/// sent as (sender, reply address, the letter's language and titles) is
/// fixed here. Returns how many signers it is for.
fn start(
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
    let all = Titles::of(tx, &l)?;
    let titles: Vec<(String, String)> = draft
        .texts
        .iter()
        .map(|(lang, _, _)| (lang.code().to_string(), all.get(*lang).to_string()))
        .collect();
    let sender = LetterSender::of(&l);
    let snapshot = Snapshot {
        sender_name: &sender.organized_by,
        reply_to: &sender.reply_to,
        language: l.language.code(),
        titles: &titles,
    };
    let n = i32::try_from(recipients).unwrap_or(i32::MAX);
    if !mailings::start(tx, id, n, &snapshot, now)? {
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

/// An owner (or an admin) stops a message being sent: nobody else gets
/// it, and its emails still waiting in the outbox are withdrawn. Returns
/// how many were.
pub fn cancel(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    id: &MailingId,
    now: NaiveDateTime,
) -> Outcome<i32> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    let Some(m) = mailings::find(tx, letter, id)? else {
        return Ok(Err(Refused::NotFound));
    };
    let Some(withdrawn) = mailings::cancel(tx, id, now)? else {
        return Ok(Err(Refused::NotAllowed));
    };
    let args = AuditArgs::new()
        .text("subject", subject_of(tx, &m)?)
        .num("n", withdrawn);
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::MailingCancelled,
        args,
        now,
    )?;
    Ok(Ok(withdrawn))
}

/// Why a message stopped without anyone asking, as its audit row says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Its author is disabled, gone, or no longer an owner of the letter.
    Author,
    /// None of its texts can be sent.
    Texts,
}

/// Stops a message being sent, as [`cancel`] does, with the audit row
/// saying why; `by` is the admin whose act stopped it, or `None` for the
/// service. Returns whether it was still being sent.
pub(crate) fn stop(
    tx: &mut Tx<'_>,
    by: Option<&OrganizerId>,
    m: &Mailing,
    why: StopReason,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let Some(withdrawn) = mailings::cancel(tx, &m.id, now)? else {
        return Ok(false);
    };
    let reason = match why {
        StopReason::Author => "author",
        StopReason::Texts => "texts",
    };
    let args = AuditArgs::new()
        .text("subject", subject_of(tx, m)?)
        .text("reason", reason)
        .num("n", withdrawn);
    let record = crate::db::audit::Record::new(by, Some(&m.letter_id), AuditAction::MailingStopped, args);
    crate::db::audit::record(tx, record, now)?;
    Ok(true)
}

/// The subject in the letter's language (as when sending started), for
/// the message's audit rows.
fn subject_of(conn: &mut DbConn, m: &Mailing) -> Result<String, DbError> {
    let texts = mailings::texts(conn, &m.id)?;
    let own = texts.iter().find(|t| Some(&t.language) == m.language.as_ref());
    Ok(own
        .or(texts.first())
        .map(|t| t.subject.clone())
        .unwrap_or_default())
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
