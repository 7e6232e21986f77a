//! Submitting the signing form: the first insert, a resent link, the cap
//! on emails per address.

use super::{encode_titles, open_version, CONSENT_VERSION};
use crate::db::letters::LetterStatus;
use crate::db::outbox::{self, ConfirmLinks, NewEmail};
use crate::db::schema::{letters, signatures};
use crate::db::tokens::{self as token_store, Purpose};
use crate::db::{write_tx, DbConn, DbError, PooledConn, Tx};
use crate::domain::{sort_key, LinkKey, NewSignature, Proposal, Token};
use crate::model::{LetterId, SignatureId, SignatureStatus, Tier};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// The email a submission leads to when the address already signed: the
/// store makes its fresh links, the caller writes it. (A confirmation is
/// written when it leaves: see [`PreparedConfirmation`].)
pub struct EmailPlan {
    pub manage: Token,
    pub withdraw: Token,
}

impl EmailPlan {
    /// The manage and withdrawal tokens the email carries.
    pub fn links(&self) -> (&Token, &Token) {
        (&self.manage, &self.withdraw)
    }
}

/// What happened to a submission. The visitor sees the same page for all of
/// them, so that nobody learns by probing whether an address has signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOutcome {
    Created,
    Resent,
    AlreadySigned,
    /// The address reached the cap on emails for this letter: nothing sent.
    Capped,
    /// The letter stopped taking signatures between the page and the POST.
    LetterClosed,
}

#[derive(Debug, Clone)]
pub struct SubmitPolicy {
    pub confirm_ttl: Duration,
    /// How many emails one address can receive for one letter in a day.
    pub max_sends: i32,
}

/// The window over which `max_sends` counts.
pub const SEND_WINDOW_HOURS: i64 = 24;

#[derive(Queryable, Debug)]
struct ExistingRow {
    id: SignatureId,
    status: SignatureStatus,
    confirmation_sends: i32,
    sends_window_start: Option<NaiveDateTime>,
}

impl ExistingRow {
    /// Emails already sent in the current window, and the window's start.
    fn sends_in_window(&self, now: NaiveDateTime) -> (i32, NaiveDateTime) {
        match self.sends_window_start {
            Some(start) if now - start < Duration::hours(SEND_WINDOW_HOURS) => {
                (self.confirmation_sends, start)
            }
            _ => (0, now),
        }
    }
}

/// The links of a submission's confirmation email, made before its
/// transaction, and the content the confirmation link confirms. The email
/// itself is written when it leaves (`mail::deferred`), from these links
/// and that content as stored with the link: its row in the outbox holds
/// the links, not the rendered email, on the busiest write of the service.
pub struct PreparedConfirmation {
    pub(super) links: ConfirmLinks,
    /// The content the confirmation link confirms, stored with it.
    pub(super) content: String,
    /// The id of the key that derived the manage and withdrawal links.
    pub(super) links_key: Option<i64>,
}

impl PreparedConfirmation {
    /// The token of the confirmation link the email carries.
    pub fn confirm_token(&self) -> &Token {
        &self.links.confirm
    }

    /// The three links the email carries.
    pub fn links(&self) -> &ConfirmLinks {
        &self.links
    }

    /// A fresh confirmation link for the content of `sig`, and the manage
    /// and withdrawal links `key` derives from it: the page after
    /// confirming shows that same pair without storing another.
    pub fn new(sig: &NewSignature, key: &LinkKey) -> PreparedConfirmation {
        let confirm = Token::generate();
        let (links_key, (manage, withdraw)) = match key.pair(&confirm) {
            Some(pair) => (Some(key.id()), pair),
            None => (None, (Token::generate(), Token::generate())),
        };
        PreparedConfirmation {
            links: ConfirmLinks {
                confirm,
                manage,
                withdraw,
            },
            content: Proposal::of(sig, CONSENT_VERSION, None).to_stored(),
            links_key,
        }
    }
}

/// Stores a signature submission and queues its email in one transaction:
/// the confirmation `prepared` carries, or one `render` writes when the
/// address already signed.
pub fn submit(
    conn: &mut PooledConn,
    letter_id: &LetterId,
    sig: &NewSignature,
    policy: &SubmitPolicy,
    now: NaiveDateTime,
    prepared: &PreparedConfirmation,
    render: &dyn Fn(&EmailPlan) -> NewEmail,
) -> Result<SubmitOutcome, DbError> {
    let attempt = |conn: &mut PooledConn| {
        write_tx(conn, |tx| {
            submit_in_tx(tx, letter_id, sig, policy, now, prepared, render)
        })
    };
    match attempt(conn) {
        // A guard only: two first submissions of one address no longer
        // collide (the insert skips the conflict and finds the other's row),
        // but a write that does meet a unique index gets one more try.
        Err(e) if is_unique_violation(&e) => attempt(conn),
        other => other,
    }
}

/// A unique index refused a row another transaction inserted first.
pub fn is_unique_violation(e: &DbError) -> bool {
    matches!(
        e,
        DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))
    )
}

/// Stores an address's first signature of a letter, in one statement that
/// also checks the letter takes signatures now and records its current
/// version. Returns false, having stored nothing, when the letter is closed
/// or the address already signed it.
fn insert_first(
    conn: &mut DbConn,
    id: &str,
    letter_id: &LetterId,
    sig: &NewSignature,
    titles: &str,
    city: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamp};
    let open_letter = letters::table
        .filter(letters::id.eq(letter_id))
        .filter(letters::status.eq(LetterStatus::Published.as_str()))
        .filter(letters::close_at.is_null().or(letters::close_at.gt(now)))
        .select((
            id.into_sql::<Text>(),
            letters::id,
            sig.name.as_str().into_sql::<Text>(),
            sort_key(sig.name.as_str()).into_sql::<Text>(),
            titles.into_sql::<Text>(),
            Some(sig.email.as_str()).into_sql::<Nullable<Text>>(),
            Some(sig.email_key.as_str()).into_sql::<Nullable<Text>>(),
            city.into_sql::<Nullable<Text>>(),
            sig.is_public.into_sql::<Bool>(),
            Tier::Public.into_sql::<Text>(),
            SignatureStatus::Pending.into_sql::<Text>(),
            sig.language.code().into_sql::<Text>(),
            Some(CONSENT_VERSION).into_sql::<Nullable<Text>>(),
            sig.wants_updates.into_sql::<Bool>(),
            1.into_sql::<Integer>(),
            Some(now).into_sql::<Nullable<Timestamp>>(),
            Some(now).into_sql::<Nullable<Timestamp>>(),
            letters::current_version.nullable(),
            now.into_sql::<Timestamp>(),
            now.into_sql::<Timestamp>(),
        ));
    let insert = diesel::insert_into(signatures::table)
        .values(open_letter)
        .into_columns((
            signatures::id,
            signatures::letter_id,
            signatures::name,
            signatures::sort_key,
            signatures::titles,
            signatures::email,
            signatures::email_key,
            signatures::city,
            signatures::is_public,
            signatures::tier,
            signatures::status,
            signatures::language,
            signatures::consent_version,
            signatures::wants_updates,
            signatures::confirmation_sends,
            signatures::sends_window_start,
            signatures::consent_at,
            signatures::consent_letter_version,
            signatures::created_at,
            signatures::updated_at,
        ))
        .on_conflict((signatures::letter_id, signatures::email_key))
        .do_nothing();
    // On the backends' own connections: diesel's multi-backend connection
    // does not write `ON CONFLICT`, though both backends take it.
    let inserted = match conn {
        DbConn::Sqlite(c) => insert.execute(c)?,
        DbConn::Pg(c) => insert.execute(c)?,
    };
    Ok(inserted == 1)
}

/// One submission of the signing form, at `now`: the signature, the
/// links of the confirmation to queue when one is due (`prepared`), and
/// `render`, which writes the "already signed" email.
pub struct SubmitRequest<'a> {
    pub letter_id: &'a LetterId,
    pub sig: &'a NewSignature,
    pub policy: &'a SubmitPolicy,
    pub now: NaiveDateTime,
    pub prepared: &'a PreparedConfirmation,
    pub render: &'a dyn Fn(&EmailPlan) -> NewEmail,
}

/// [`submit`] inside a transaction the caller opened. `prepared` holds the
/// links of the confirmation to queue when one is due; `render` writes the
/// "already signed" email.
pub fn submit_in_tx(
    tx: &mut Tx<'_>,
    letter_id: &LetterId,
    sig: &NewSignature,
    policy: &SubmitPolicy,
    now: NaiveDateTime,
    prepared: &PreparedConfirmation,
    render: &dyn Fn(&EmailPlan) -> NewEmail,
) -> Result<SubmitOutcome, DbError> {
    SubmitRequest {
        letter_id,
        sig,
        policy,
        now,
        prepared,
        render,
    }
    .run(tx)
}

impl SubmitRequest<'_> {
    /// [`super::submit_many`] of this one submission.
    pub fn run(&self, tx: &mut Tx<'_>) -> Result<SubmitOutcome, DbError> {
        let mut outcomes = super::submit_many(tx, std::slice::from_ref(self))?;
        outcomes
            .pop()
            .ok_or_else(|| DbError::Corrupt("a submission came back without its outcome".into()))
    }
}

/// Queues the confirmation `prepared` carries for the signature `signature_id`,
/// whose link confirms `content`: its three links and its email.
fn send_confirmation(
    conn: &mut DbConn,
    request: &SubmitRequest<'_>,
    signature_id: &SignatureId,
    content: &str,
) -> Result<(), DbError> {
    let (prepared, now) = (request.prepared, request.now);
    token_store::insert_all(
        conn,
        signature_id,
        now,
        [
            (
                &prepared.links.confirm,
                Purpose::Confirm,
                Some(now + request.policy.confirm_ttl),
                Some(content),
                prepared.links_key,
            ),
            (&prepared.links.manage, Purpose::Manage, None, None, None),
            (&prepared.links.withdraw, Purpose::Withdraw, None, None, None),
        ],
    )?;
    outbox::insert_confirmation(
        conn,
        request.sig.email.as_str(),
        signature_id,
        &prepared.links,
        now,
    )
}

/// One submission, the long way: the first insert, and when the address
/// already signed (or the letter closed), what follows from that.
pub(super) fn submit_one(conn: &mut DbConn, request: &SubmitRequest<'_>) -> Result<SubmitOutcome, DbError> {
    let SubmitRequest {
        letter_id,
        sig,
        policy,
        now,
        prepared,
        render,
    } = *request;
    let titles = encode_titles(&sig.titles.to_vec());
    let city = sig.city.as_ref().map(|c| c.as_str());

    // Most submissions are an address's first on an open letter: one
    // statement checks the letter and stores the signature. Anything else
    // inserts nothing and takes the longer way below. On PostgreSQL the row
    // the insert met can be withdrawn (its address erased) before the lookup
    // that follows, or the letter reopen in between: both send us round
    // again, a bounded number of times.
    let id = SignatureId::generate();
    let mut rounds = 0;
    let (version, row) = loop {
        if insert_first(conn, &id, letter_id, sig, &titles, city, now)? {
            send_confirmation(conn, request, &id, &prepared.content)?;
            return Ok(SubmitOutcome::Created);
        }
        let Some(version) = open_version(conn, letter_id, now)? else {
            return Ok(SubmitOutcome::LetterClosed);
        };
        let existing: Option<ExistingRow> = signatures::table
            .filter(signatures::letter_id.eq(letter_id))
            .filter(signatures::email_key.eq(&sig.email_key))
            .select((
                signatures::id,
                signatures::status,
                signatures::confirmation_sends,
                signatures::sends_window_start,
            ))
            .get_result(conn)
            .optional()?;
        if let Some(row) = existing {
            break (version, row);
        }
        rounds += 1;
        if rounds == 3 {
            return Err(DbError::Contended(
                "a signature kept changing under its submission",
            ));
        }
    };

    match row {
        row if row.sends_in_window(now).0 >= policy.max_sends => Ok(SubmitOutcome::Capped),
        row if row.status == SignatureStatus::Confirmed => {
            let (sent, window_start) = row.sends_in_window(now);
            let (manage, withdraw) = token_store::issue_links(conn, &row.id, now)?;
            diesel::update(signatures::table.find(&row.id))
                .set((
                    signatures::confirmation_sends.eq(sent + 1),
                    signatures::sends_window_start.eq(Some(window_start)),
                ))
                .execute(conn)?;
            outbox::insert_about(conn, &render(&EmailPlan { manage, withdraw }), Some(&row.id), now)?;
            Ok(SubmitOutcome::AlreadySigned)
        }
        row => {
            // Still pending. Nobody has shown yet that they own the address,
            // so this submission changes nothing stored: it becomes a
            // proposal of its own, with its own link in an email to the
            // address. Links to other content stop working, so the owner
            // can only confirm what the latest email states.
            let (sent, window_start) = row.sends_in_window(now);
            let proposal = Proposal::of(sig, CONSENT_VERSION, Some(version));
            let replaced: Vec<String> = token_store::live_confirmations(conn, &row.id)?
                .into_iter()
                .filter(|(_, content)| {
                    // A link without stored content, or one that does not
                    // read, is replaced too: the new email carries its own.
                    !content
                        .as_deref()
                        .and_then(|c| Proposal::from_stored(c).ok())
                        .is_some_and(|p| p.same_content(&proposal))
                })
                .map(|(hash, _)| hash)
                .collect();
            token_store::mark_replaced(conn, &replaced, now)?;
            diesel::update(signatures::table.find(&row.id))
                .set((
                    signatures::confirmation_sends.eq(sent + 1),
                    signatures::sends_window_start.eq(Some(window_start)),
                    // The purge of expired pending signatures counts from
                    // the latest link sent.
                    signatures::updated_at.eq(now),
                ))
                .execute(conn)?;
            send_confirmation(conn, request, &row.id, &proposal.to_stored())?;
            Ok(SubmitOutcome::Resent)
        }
    }
}
