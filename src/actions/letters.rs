//! A letter's text and life cycle: create, edit, publish, close, reopen,
//! schedule closing, archive, anonymise; its translation, its sharing, its
//! verified affiliations, its exports and its notices to signers.

use super::{audit, Actor, Outcome, Refused, Tx};
use crate::db::letters::{self, Letter, SaveOutcome};
use crate::db::outbox::{self, NewEmail};
use crate::db::tokens::{self, Purpose};
use crate::db::versions::Edit;
use crate::db::{affiliations, editors, maintenance, organizers, translations, versions, DbConn, DbError};
use crate::domain::{EmailDomain, Lang, LetterFile, Token};
use crate::model::{AuditAction, AuditArgs, LetterId, LetterStatus, Role, SignatureId};
use chrono::NaiveDateTime;

/// A new draft, owned by `actor`.
pub fn create(
    tx: &mut Tx<'_>,
    actor: &Actor,
    file: &LetterFile,
    now: NaiveDateTime,
) -> Result<SaveOutcome, DbError> {
    let outcome = letters::create_draft(tx, file, &actor.id, now)?;
    if let SaveOutcome::Saved(l, _) = &outcome {
        audit(
            tx,
            &actor.id,
            Some(&l.id),
            AuditAction::LetterCreated,
            AuditArgs::new().text("title", &l.title),
            now,
        )?;
    }
    Ok(outcome)
}

/// Saves the editor's text; a published text that changed becomes a new
/// version. Naming another privacy officer is for owners and admins.
pub fn edit(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    file: &LetterFile,
    edit: Edit,
    now: NaiveDateTime,
) -> Outcome<SaveOutcome> {
    let Some(current) = letters::find_by_id(tx, letter)? else {
        return Ok(Err(Refused::NotFound));
    };
    // The person who answers for the signers' personal information speaks
    // for the organization (Law 25), as sharing and anonymising do.
    if current.contacts.privacy_officer != file.contacts.privacy_officer && !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    let outcome = letters::update_content(tx, letter, file, edit, now)?;
    if let SaveOutcome::Saved(l, version) = &outcome {
        let args = version_args(
            AuditArgs::new(),
            *version,
            edit,
            l.status() != LetterStatus::Draft,
        );
        audit(tx, &actor.id, Some(&l.id), AuditAction::LetterEdited, args, now)?;
    }
    Ok(Ok(outcome))
}

/// What the audit log says of an edit: the new version, or that the
/// current one was corrected (`$change` picks the sentence).
fn version_args(args: AuditArgs, version: Option<i32>, edit: Edit, published: bool) -> AuditArgs {
    match (version, edit) {
        (Some(v), _) => args.text("change", "version").num("version", v),
        (None, Edit::Correction) if published => args.text("change", "correction"),
        (None, _) => args.text("change", "draft"),
    }
}

/// Publishes a draft; a letter already published is left as it is.
pub fn publish(tx: &mut Tx<'_>, actor: &Actor, letter: &LetterId, now: NaiveDateTime) -> Outcome<bool> {
    let Some(current) = letters::find_by_id(tx, letter)? else {
        return Ok(Err(Refused::NotFound));
    };
    if current.status() != LetterStatus::Draft {
        return Ok(Ok(false));
    }
    letters::publish(tx, letter, now)?;
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::LetterPublished,
        AuditArgs::new().text("title", &current.title),
        now,
    )?;
    Ok(Ok(true))
}

/// A change of a published or closed letter's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    Close,
    Reopen,
    /// Close automatically at this time; `None` cancels.
    ScheduleClose(Option<NaiveDateTime>),
    Archive,
    Unarchive,
    /// Irreversible: erases every signer's address and the pending
    /// signatures. Owners only, and only once closed.
    Anonymise,
}

impl Lifecycle {
    fn action(self) -> AuditAction {
        match self {
            Lifecycle::Close => AuditAction::LetterClosed,
            Lifecycle::Reopen => AuditAction::LetterReopened,
            Lifecycle::ScheduleClose(Some(_)) => AuditAction::CloseScheduled,
            Lifecycle::ScheduleClose(None) => AuditAction::CloseScheduleCancelled,
            Lifecycle::Archive => AuditAction::LetterArchived,
            Lifecycle::Unarchive => AuditAction::LetterUnarchived,
            Lifecycle::Anonymise => AuditAction::LetterAnonymised,
        }
    }

    /// Whether a letter in this state may take this change.
    fn allowed(self, letter: &Letter) -> bool {
        use LetterStatus::{Closed, Published};
        let anonymised = letter.anonymised_at.is_some();
        match (self, letter.status()) {
            (Lifecycle::Close | Lifecycle::ScheduleClose(_), Published) => true,
            (Lifecycle::Reopen | Lifecycle::Anonymise, Closed) => !anonymised,
            (Lifecycle::Archive | Lifecycle::Unarchive, Published | Closed) => true,
            _ => false,
        }
    }
}

pub fn change(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    change: Lifecycle,
    now: NaiveDateTime,
) -> Outcome<()> {
    if change == Lifecycle::Anonymise && !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    apply(tx, Some(&actor.id), letter, change, now)
}

/// The same change, made by the operator from the server's command line:
/// recorded in the audit log as the service's.
pub fn change_from_command_line(
    tx: &mut Tx<'_>,
    letter: &LetterId,
    change: Lifecycle,
    now: NaiveDateTime,
) -> Outcome<()> {
    apply(tx, None, letter, change, now)
}

fn apply(
    tx: &mut Tx<'_>,
    by: Option<&crate::model::OrganizerId>,
    letter: &LetterId,
    change: Lifecycle,
    now: NaiveDateTime,
) -> Outcome<()> {
    let Some(current) = letters::find_by_id(tx, letter)? else {
        return Ok(Err(Refused::NotFound));
    };
    if !change.allowed(&current) {
        return Ok(Err(Refused::NotAllowed));
    }
    let mut args = AuditArgs::new();
    match change {
        // Closing or reopening by hand ends any schedule: a reopened
        // letter past its scheduled closing would otherwise close again.
        Lifecycle::Close => {
            letters::set_status(tx, letter, LetterStatus::Closed, now)?;
            letters::set_close_at(tx, letter, None, now)?;
        }
        Lifecycle::Reopen => {
            letters::set_status(tx, letter, LetterStatus::Published, now)?;
            letters::set_close_at(tx, letter, None, now)?;
        }
        Lifecycle::ScheduleClose(Some(at)) if at <= now => return Ok(Err(Refused::InThePast)),
        Lifecycle::ScheduleClose(at) => {
            letters::set_close_at(tx, letter, at, now)?;
            if let Some(at) = at {
                args = args.time("at", at);
            }
            // What it cancels, so the log says which closing will not come.
            if at.is_none() {
                args = cancelled(args, current.close_at);
            }
        }
        Lifecycle::Archive => letters::set_archived(tx, letter, true, now)?,
        Lifecycle::Unarchive => letters::set_archived(tx, letter, false, now)?,
        Lifecycle::Anonymise => {
            let erased = maintenance::anonymise_letter(tx, letter, now)?;
            args = args.num("n", erased);
        }
    }
    if by.is_none() {
        // Only the operator's command line changes a letter with nobody
        // signed in; the clock's own changes are written in `schedule`.
        args = args.text("via", "command-line");
    }
    let entry = crate::db::audit::Record::new(by, Some(letter), change.action(), args);
    crate::db::audit::record(tx, entry, now)?;
    Ok(Ok(()))
}

/// What a cancelled schedule was for, so the log says which change will
/// not come (`$had` says whether there was one).
pub(crate) fn cancelled(args: AuditArgs, was: Option<NaiveDateTime>) -> AuditArgs {
    match was {
        Some(was) => args.text("had", "yes").time("was", was),
        None => args.text("had", "no"),
    }
}

/// Saves the letter's text in another language than its own. On a published letter
/// that is an edit like any other: a new version, or a correction.
pub fn save_translation(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    lang: Lang,
    file: &LetterFile,
    edit: Edit,
    now: NaiveDateTime,
) -> Outcome<()> {
    if let Err(why) = translatable(tx, letter, lang)? {
        return Ok(Err(why));
    }
    let t = translations::Translation {
        language: lang.code().to_string(),
        title: file.title.clone(),
        place: file.place.clone(),
        addressees: file.addressees.clone(),
        preamble: file.preamble.clone(),
        body_markdown: file.body.clone(),
        updated_at: now,
    };
    translations::save(tx, letter, &t)?;
    let version = version_after(tx, letter, edit, now)?;
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::TranslationSaved,
        version_args(
            AuditArgs::new().text("language", lang.code()),
            version,
            edit,
            true,
        ),
        now,
    )?;
    Ok(Ok(()))
}

/// A translation is into another language than the letter's own: its
/// text in its own language is the letter itself.
fn translatable(tx: &mut Tx<'_>, letter: &LetterId, lang: Lang) -> Outcome<()> {
    Ok(match letters::find_by_id(tx, letter)? {
        None => Err(Refused::NotFound),
        Some(l) if l.language == lang => Err(Refused::NotAllowed),
        Some(_) => Ok(()),
    })
}

/// The version an edit of a published letter's text makes, if any.
fn version_after(
    tx: &mut Tx<'_>,
    letter: &LetterId,
    edit: Edit,
    now: NaiveDateTime,
) -> Result<Option<i32>, DbError> {
    match letters::find_by_id(tx, letter)? {
        Some(l) if l.status() != LetterStatus::Draft => {
            crate::db::versions::after_edit(tx, letter, edit, now)
        }
        _ => Ok(None),
    }
}

pub fn delete_translation(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    lang: Lang,
    now: NaiveDateTime,
) -> Outcome<()> {
    if let Err(why) = translatable(tx, letter, lang)? {
        return Ok(Err(why));
    }
    translations::delete(tx, letter, lang)?;
    let version = version_after(tx, letter, Edit::NewVersion, now)?;
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::TranslationDeleted,
        version_args(
            AuditArgs::new().text("language", lang.code()),
            version,
            Edit::NewVersion,
            true,
        ),
        now,
    )?;
    Ok(Ok(()))
}

/// An owner shares the letter with another organizer as co-editor. Returns
/// false when no organizer has that address.
pub fn share(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    email: &str,
    now: NaiveDateTime,
) -> Outcome<bool> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    let team = editors::lock_team(tx, letter)?;
    // The actor's role as it is now, under the team's lock: an owner
    // demoted a moment ago shares nothing (see `team::change`).
    if !actor.admin && !team.iter().any(|m| m.id == actor.id && m.role == Role::Owner) {
        return Ok(Err(Refused::Forbidden));
    }
    let conn: &mut DbConn = tx;
    let Some(o) = organizers::find_by_email(conn, email)? else {
        return Ok(Ok(false));
    };
    if team.iter().any(|m| m.id == o.id) {
        // Already on the team, in whatever role: nothing changes, and the
        // log says nothing that did not happen.
        return Ok(Ok(true));
    }
    editors::grant(conn, letter, &o.id, Role::Editor, now)?;
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::EditorAdded,
        AuditArgs::new().text("email", &o.email),
        now,
    )?;
    Ok(Ok(true))
}

/// Signers whose address is at `domain` get `affiliation` as a verified
/// line, now and from now on.
pub fn map_affiliation(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    affiliation: &str,
    domain: &EmailDomain,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    affiliations::add(tx, letter, affiliation, domain, now)?;
    affiliations::recompute_domain(tx, letter, domain)?;
    let args = AuditArgs::new()
        .text("affiliation", affiliation)
        .text("domain", domain.to_string());
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::AffiliationAdded,
        args,
        now,
    )
}

/// Removes a mapping, and every mark it made: none may outlive it.
pub fn unmap_affiliation(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    mapping: &str,
    now: NaiveDateTime,
) -> Outcome<()> {
    let domain = affiliations::domain_of(tx, letter, mapping)?;
    // Named in the log by what it said, not by its row's id.
    let said = affiliations::list(tx, letter)?
        .into_iter()
        .find(|m| m.id == mapping)
        .map(|m| {
            AuditArgs::new()
                .text("affiliation", m.affiliation)
                .text("domain", m.domain.to_string())
        })
        .unwrap_or_default();
    if !affiliations::remove(tx, letter, mapping)? {
        return Ok(Err(Refused::NotFound));
    }
    if let Some(domain) = domain {
        affiliations::recompute_domain(tx, letter, &domain)?;
    }
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::AffiliationRemoved,
        said,
        now,
    )?;
    Ok(Ok(()))
}

/// An export about to be streamed. Signers' addresses are for owners only.
pub fn export(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    with_emails: bool,
    (format, list): (&str, &str),
    now: NaiveDateTime,
) -> Outcome<()> {
    if with_emails && !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::LetterExported,
        AuditArgs::new().text("format", format).text("list", list),
        now,
    )?;
    Ok(Ok(()))
}

/// Takes this interval's round of "the text changed" emails for the
/// letter: false when another save took it first. Emailing every
/// subscriber speaks for the letter: owners only.
pub fn claim_notice_round(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    interval: chrono::Duration,
    now: NaiveDateTime,
) -> Outcome<bool> {
    if !actor.owns() {
        return Ok(Err(Refused::Forbidden));
    }
    Ok(Ok(versions::claim_round(tx, letter, interval, now)?))
}

/// Records that signers were told of a new version.
pub fn record_notified(
    tx: &mut Tx<'_>,
    actor: &Actor,
    letter: &LetterId,
    sent: usize,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    audit(
        tx,
        &actor.id,
        Some(letter),
        AuditAction::SignersNotified,
        AuditArgs::new().num("n", sent),
        now,
    )
}

/// Queues the "the text changed" email for one page of subscribed signers
/// after `after`, each with a fresh link to manage their signature and one
/// that only stops the news.
/// Returns how many were queued and the last signature's id, to continue.
pub fn notify_page(
    tx: &mut Tx<'_>,
    letter: &LetterId,
    after: Option<&SignatureId>,
    limit: i64,
    mail: &dyn Fn(&str, &str, &Token, &Token) -> NewEmail,
    now: NaiveDateTime,
) -> Result<(usize, Option<SignatureId>), DbError> {
    let page = versions::subscribers_page(tx, letter, after, limit)?;
    for (signature_id, email, lang) in &page {
        let (manage, unsubscribe) = (Token::generate(), Token::generate());
        tokens::insert(tx, &manage, signature_id, Purpose::Manage, None, now)?;
        tokens::insert(tx, &unsubscribe, signature_id, Purpose::Unsubscribe, None, now)?;
        outbox::insert_about(
            tx,
            &mail(email, lang, &manage, &unsubscribe),
            Some(signature_id),
            now,
        )?;
    }
    Ok((page.len(), page.last().map(|(id, _, _)| id.clone())))
}
