//! Signatures collected elsewhere, brought in from a CSV file: upload it,
//! then import it. The letter's owner does this (it brings addresses in
//! and sends email in the letter's name); co-editors may not.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::outbox::{self, BatchEmail, NewEmail};
use crate::db::signatures::imported::{self, Arrival, Imported};
use crate::db::signatures::CONSENT_VERSION;
use crate::db::tokens::{self as token_store, Purpose, TokenRow};
use crate::db::visibility::Placer;
use crate::db::{collected, csv_uploads, DbError};
use crate::domain::csv_file;
use crate::domain::csv_rows::{self, Evidence, Mapping, Mode, Person, Plan};
use crate::domain::{EmailRules, Lang, NewSignature, Proposal, Token};
use crate::model::{AuditAction, AuditArgs, LetterId, Moderation, SignatureId};
use chrono::{Duration, NaiveDateTime};

/// How long an upload nobody imported is kept: it holds addresses.
pub const UPLOAD_KEPT_HOURS: i64 = 24;

/// Files never imported that were uploaded before this are forgotten.
pub fn kept_since(now: NaiveDateTime) -> NaiveDateTime {
    now - Duration::hours(UPLOAD_KEPT_HOURS)
}

/// Keeps an uploaded file (already decoded) until its import, and forgets
/// the uploads of the past that nobody imported.
pub fn upload(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    file_name: &str,
    text: &str,
    now: NaiveDateTime,
) -> Outcome<String> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    csv_uploads::purge_stale(tx, kept_since(now))?;
    let hash = csv_uploads::hash_of(text.as_bytes());
    csv_uploads::store(tx, letter, &hash, file_name, text, &actor.id, now)?;
    Ok(Ok(hash))
}

/// What the organizer chose on the preview page.
#[derive(Debug, Clone)]
pub struct Choices {
    pub mapping: Mapping,
    pub mode: Mode,
    /// Required for [`Mode::InPerson`].
    pub evidence: Option<Evidence>,
    /// Names listed publicly, or counted only.
    pub is_public: bool,
}

/// The links a confirmation email carries.
pub struct Links<'a> {
    pub confirm: &'a Token,
    pub manage: &'a Token,
    pub withdraw: &'a Token,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Imported {
        added: usize,
        duplicates: usize,
        invalid: usize,
    },
    /// This file was imported before: nothing more was done.
    AlreadyImported { at: NaiveDateTime },
}

/// Renders the confirmation email of one imported person, stating the
/// proposal its link confirms.
pub type Render = dyn Fn(&Person, &Proposal, Links<'_>) -> NewEmail + Send + Sync;

/// What the import needs besides the organizer's choices.
pub struct Context<'a> {
    pub language: Lang,
    pub rules: &'a EmailRules,
    pub confirm_ttl: Duration,
    /// The time between two confirmation emails of an import (the pace of
    /// messages to signers): a file of 100,000 addresses neither floods
    /// the mail relay nor holds back the site's other mail, which leaves
    /// first. Each link's validity starts when its email may leave.
    pub pace: Duration,
    /// The confirmation email of one imported person.
    pub render: &'a Render,
}

/// Imports the uploaded file `hash` into the letter, in this one
/// transaction: the rows that parse and are not already there become
/// signatures; duplicates and rows with problems are left out.
pub fn import(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    hash: &str,
    choices: &Choices,
    cx: &Context<'_>,
    now: NaiveDateTime,
) -> Outcome<Done> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    let Some(upload) = csv_uploads::find(tx, letter, hash, kept_since(now))? else {
        return Ok(Err(Refused::NotFound));
    };
    if let Some(at) = upload.imported_at {
        return Ok(Ok(Done::AlreadyImported { at }));
    }
    // Checked here, in the transaction that adds them: the letter takes
    // signatures now, whatever the preview showed.
    let Some(letter_version) = imported::open_letter_version(tx, letter, now)? else {
        return Ok(Err(Refused::NotAllowed));
    };
    let evidence = match (choices.mode, &choices.evidence) {
        (Mode::InPerson, None) => return Ok(Err(Refused::NotAllowed)),
        (_, e) => e,
    };
    let Ok(file) = csv_file::read(&upload.content) else {
        return Ok(Err(Refused::NotAllowed));
    };
    if choices.mapping.check(file.columns.len()).is_err() {
        return Ok(Err(Refused::NotAllowed));
    }
    if !csv_uploads::claim(tx, &upload.id, &actor.id, choices.mode.as_str(), now)? {
        return Ok(Ok(Done::AlreadyImported { at: now }));
    }
    let plan = plan(tx, letter, &file, choices, cx.rules)?;
    let people: Vec<&Person> = plan.new_people().collect();
    let ids: Vec<SignatureId> = people.iter().map(|_| SignatureId::generate()).collect();
    match (choices.mode, evidence) {
        (Mode::InPerson, Some(evidence)) => {
            let placer = Placer::for_letter(tx, letter)?;
            let rows: Vec<Imported> = people
                .iter()
                .zip(&ids)
                .map(|(p, id)| Imported {
                    id: id.clone(),
                    person: p,
                    moderation: placer.place(p.name.as_str(), choices.is_public),
                })
                .collect();
            let arrival = Arrival::Confirmed;
            imported::insert_many(tx, letter, &rows, arrival, choices.is_public, cx.language, now)?;
            collected::insert_many(tx, letter, &upload.id, evidence, &ids)?;
        }
        _ => {
            let rows: Vec<Imported> = people
                .iter()
                .zip(&ids)
                .map(|(p, id)| Imported {
                    id: id.clone(),
                    person: p,
                    moderation: Moderation::Shown,
                })
                .collect();
            let arrival = Arrival::Pending;
            imported::insert_many(tx, letter, &rows, arrival, choices.is_public, cx.language, now)?;
            send_confirmations(tx, &rows, choices.is_public, letter_version, cx, now)?;
        }
    }
    let (added, duplicates, invalid) = plan.tally();
    let args = AuditArgs::new()
        .text("file", &upload.file_name)
        .text("mode", choices.mode.as_str())
        .num("n", added)
        .num("duplicates", duplicates)
        .num("invalid", invalid);
    audit(tx, &actor.id, Some(letter), AuditAction::CsvImported, args, now)?;
    csv_uploads::finish(tx, &upload.id, added as i32)?;
    Ok(Ok(Done::Imported {
        added,
        duplicates,
        invalid,
    }))
}

/// Every row's fate, duplicates looked up on the letter in this
/// transaction. The preview calls it too, outside any transaction.
pub fn plan(
    conn: &mut crate::db::DbConn,
    letter: &LetterId,
    file: &csv_file::CsvFile,
    choices: &Choices,
    rules: &EmailRules,
) -> Result<Plan, DbError> {
    let mut failed = None;
    let plan = csv_rows::plan(file, &choices.mapping, choices.mode, rules, |keys| {
        imported::known_keys(conn, letter, keys).unwrap_or_else(|e| {
            failed = Some(e);
            Default::default()
        })
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(plan),
    }
}

/// The three links of each pending imported signature and the emails that
/// carry them, as the signing form's first submission stores them: in a
/// few statements for the whole file, not a round trip per person.
fn send_confirmations(
    tx: &mut Tx<'_>,
    rows: &[Imported<'_>],
    is_public: bool,
    letter_version: i32,
    cx: &Context<'_>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    // The plan admits no row without an address in this mode.
    let rows: Vec<&Imported> = rows.iter().filter(|r| r.person.email.is_some()).collect();
    let links: Vec<[Token; 3]> = rows
        .iter()
        .map(|_| [Token::generate(), Token::generate(), Token::generate()])
        .collect();
    let mut tokens = Vec::with_capacity(rows.len() * 3);
    let mut emails = Vec::with_capacity(rows.len());
    for (i, (row, [confirm, manage, withdraw])) in rows.iter().zip(&links).enumerate() {
        let p = row.person;
        let leaves = now + cx.pace * i32::try_from(i).unwrap_or(i32::MAX);
        let (Some(email), Some(email_key)) = (p.email.clone(), p.email_key.clone()) else {
            continue;
        };
        let sig = NewSignature {
            name: p.name.clone(),
            titles: p.titles.clone(),
            email,
            email_key,
            city: p.city.clone(),
            is_public,
            wants_updates: false,
            language: cx.language,
        };
        let proposal = Proposal::of(&sig, CONSENT_VERSION, Some(letter_version));
        let content = proposal.to_stored();
        let token = |token, purpose, expires_at, content| TokenRow {
            token,
            signature_id: &row.id,
            purpose,
            expires_at,
            content,
        };
        tokens.push(token(
            confirm,
            Purpose::Confirm,
            Some(leaves + cx.confirm_ttl),
            Some(content),
        ));
        tokens.push(token(manage, Purpose::Manage, None, None));
        tokens.push(token(withdraw, Purpose::Withdraw, None, None));
        let links = Links {
            confirm,
            manage,
            withdraw,
        };
        emails.push(BatchEmail {
            email: (cx.render)(p, &proposal, links),
            signature_id: row.id.as_str(),
            mailing_id: None,
            not_before: leaves,
        });
    }
    token_store::insert_batch(tx, &tokens, now)?;
    outbox::insert_batch(tx, &emails, now)
}

/// What the preview page shows of an upload.
pub enum Seen {
    /// The file read, the choices applied (guessed from its header when
    /// none were made), and every row's fate.
    File {
        upload: csv_uploads::Upload,
        file: csv_file::CsvFile,
        choices: Box<Choices>,
        plan: Plan,
    },
    /// Imported already: its text is gone.
    Imported(csv_uploads::Upload),
}

/// The preview of an upload: the owner's only, like the import, since it
/// shows the addresses in the file.
pub fn preview(
    conn: &mut crate::db::DbConn,
    actor: &Actor,
    letter: &LetterId,
    hash: &str,
    choices: Option<Choices>,
    rules: &EmailRules,
    now: NaiveDateTime,
) -> Outcome<Seen> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    let Some(upload) = csv_uploads::find(conn, letter, hash, kept_since(now))? else {
        return Ok(Err(Refused::NotFound));
    };
    if upload.imported_at.is_some() {
        return Ok(Ok(Seen::Imported(upload)));
    }
    // Read once already, at upload.
    let Ok(file) = csv_file::read(&upload.content) else {
        return Ok(Err(Refused::NotAllowed));
    };
    let choices = choices.unwrap_or_else(|| Choices {
        mapping: Mapping::guess(&file.columns),
        mode: Mode::Confirm,
        evidence: None,
        is_public: true,
    });
    if choices.mapping.check(file.columns.len()).is_err() {
        return Ok(Err(Refused::NotAllowed));
    }
    let plan = plan(conn, letter, &file, &choices, rules)?;
    Ok(Ok(Seen::File {
        upload,
        file,
        choices: Box::new(choices),
        plan,
    }))
}
