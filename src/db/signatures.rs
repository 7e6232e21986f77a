use super::cached::ConfirmSignature;
use super::letters::LetterStatus;
use super::outbox::{self, NewEmail};
use super::schema::{letters, signatures, tokens};
use super::tokens::{self as token_store, Purpose, TokenState};
use super::{new_id, write_tx, DbConn, DbError};
use crate::domain::letter_file::InitialSignatory;
use crate::domain::{sort_key, Lang, NewSignature, Proposal, Token, TokenHash};
use crate::model::{Moderation, SignatureStatus, Tier};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// The version of the consent text shown beside the checkbox. Bump it when
/// the wording changes, so each signature records what its signer agreed to.
pub const CONSENT_VERSION: &str = "2026-11-27";

/// A signatory as the public sees them: never an email address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicSignatory {
    #[serde(skip)]
    pub id: String,
    pub name: String,
    pub titles: Vec<String>,
    pub city: Option<String>,
    #[serde(skip)]
    pub confirmed_at: Option<NaiveDateTime>,
    /// Indexes of the title lines verified by email domain.
    pub verified_lines: Vec<usize>,
}

/// Where a page of the public list stops: the last row's signing time and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub confirmed_at: NaiveDateTime,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}_{}", self.confirmed_at.and_utc().timestamp_micros(), self.id)
    }
    pub fn decode(s: &str) -> Option<Cursor> {
        let (micros, id) = s.split_once('_')?;
        let confirmed_at = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
        uuid::Uuid::parse_str(id).ok()?;
        Some(Cursor {
            confirmed_at,
            id: id.to_string(),
        })
    }
}

type PublicColumns = (
    signatures::id,
    signatures::name,
    signatures::titles,
    signatures::city,
    signatures::confirmed_at,
    signatures::verified_lines,
);
const PUBLIC_COLUMNS: PublicColumns = (
    signatures::id,
    signatures::name,
    signatures::titles,
    signatures::city,
    signatures::confirmed_at,
    signatures::verified_lines,
);
type PublicRow = (
    String,
    String,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    Option<String>,
);

fn to_public((id, name, titles, city, confirmed_at, verified): PublicRow) -> PublicSignatory {
    PublicSignatory {
        id,
        name,
        titles: decode_titles(&titles),
        city,
        confirmed_at,
        verified_lines: verified
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default(),
    }
}

pub fn encode_titles(titles: &[String]) -> String {
    serde_json::to_string(titles).unwrap_or_else(|_| "[]".to_string())
}

pub fn decode_titles(stored: &str) -> Vec<String> {
    serde_json::from_str(stored).unwrap_or_default()
}

/// Confirmed signatures of a letter, listed or counted only, initial ones
/// included. This is the one count every page and the API show.
pub fn count_confirmed(conn: &mut DbConn, letter_id: &str) -> Result<i64, DbError> {
    Ok(signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .filter(signatures::excluded.eq(false))
        .count()
        .get_result(conn)?)
}

pub fn initial_signatories(conn: &mut DbConn, letter_id: &str) -> Result<Vec<PublicSignatory>, DbError> {
    Ok(signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .filter(signatures::tier.eq(Tier::Initial))
        .filter(signatures::is_public.eq(true))
        .filter(signatures::moderation.eq(Moderation::Shown))
        .order((signatures::position.asc(), signatures::id.asc()))
        .select(PUBLIC_COLUMNS)
        .load::<PublicRow>(conn)?
        .into_iter()
        .map(to_public)
        .collect())
}

fn public_tier(letter_id: &str) -> signatures::BoxedQuery<'_, super::MultiBackend> {
    signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::status.eq(SignatureStatus::Confirmed))
        .filter(signatures::tier.eq(Tier::Public))
        .filter(signatures::is_public.eq(true))
        .filter(signatures::moderation.eq(Moderation::Shown))
        .into_boxed()
}

/// The most recent public signatories, newest first.
pub fn latest_public(
    conn: &mut DbConn,
    letter_id: &str,
    limit: i64,
) -> Result<Vec<PublicSignatory>, DbError> {
    Ok(public_tier(letter_id)
        .order((signatures::confirmed_at.desc(), signatures::id.desc()))
        .limit(limit)
        .select(PUBLIC_COLUMNS)
        .load::<PublicRow>(conn)?
        .into_iter()
        .map(to_public)
        .collect())
}

/// One page of public (not initial) signatories in signing order, after
/// `after`. Reads one row more than asked to know whether a next page exists.
pub fn public_page(
    conn: &mut DbConn,
    letter_id: &str,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<(Vec<PublicSignatory>, Option<Cursor>), DbError> {
    let mut query = public_tier(letter_id);
    if let Some(c) = after {
        query = query.filter(
            signatures::confirmed_at
                .gt(c.confirmed_at)
                .or(signatures::confirmed_at
                    .eq(c.confirmed_at)
                    .and(signatures::id.gt(c.id.clone()))),
        );
    }
    let mut rows: Vec<PublicSignatory> = query
        .order((signatures::confirmed_at.asc(), signatures::id.asc()))
        .limit(limit + 1)
        .select(PUBLIC_COLUMNS)
        .load::<PublicRow>(conn)?
        .into_iter()
        .map(to_public)
        .collect();
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().and_then(|r| {
            r.confirmed_at.map(|confirmed_at| Cursor {
                confirmed_at,
                id: r.id.clone(),
            })
        })
    } else {
        None
    };
    Ok((rows, next))
}

/// Replaces the initial signatories of a letter, keeping the given order.
pub fn replace_initial(
    conn: &mut DbConn,
    letter_id: &str,
    list: &[InitialSignatory],
    language: Lang,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::delete(
        signatures::table
            .filter(signatures::letter_id.eq(letter_id))
            .filter(signatures::tier.eq(Tier::Initial)),
    )
    .execute(conn)?;
    for (position, s) in list.iter().enumerate() {
        diesel::insert_into(signatures::table)
            .values((
                signatures::id.eq(new_id()),
                signatures::letter_id.eq(letter_id),
                signatures::name.eq(&s.name),
                signatures::sort_key.eq(sort_key(&s.name)),
                signatures::titles.eq(encode_titles(&s.titles)),
                signatures::email.eq(None::<String>),
                signatures::city.eq(None::<String>),
                signatures::is_public.eq(true),
                signatures::tier.eq(Tier::Initial),
                signatures::position.eq(Some(position as i32)),
                signatures::status.eq(SignatureStatus::Confirmed),
                signatures::language.eq(language.code()),
                signatures::consent_version.eq(None::<String>),
                signatures::wants_updates.eq(false),
                signatures::confirmation_sends.eq(0),
                signatures::created_at.eq(now),
                signatures::updated_at.eq(now),
                signatures::confirmed_at.eq(Some(now)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether a letter takes signatures now: published, and not past its
/// scheduled closing.
fn letter_open(conn: &mut DbConn, letter_id: &str, now: NaiveDateTime) -> Result<bool, DbError> {
    Ok(open_version(conn, letter_id, now)?.is_some())
}

/// The current version when the letter takes signatures now.
fn open_version(conn: &mut DbConn, letter_id: &str, now: NaiveDateTime) -> Result<Option<i32>, DbError> {
    let row: Option<(String, Option<NaiveDateTime>, i32)> = letters::table
        .find(letter_id)
        .select((letters::status, letters::close_at, letters::current_version))
        .get_result(conn)
        .optional()?;
    Ok(match row {
        Some((status, close_at, version))
            if status == LetterStatus::Published.as_str() && close_at.is_none_or(|t| t > now) =>
        {
            Some(version)
        }
        _ => None,
    })
}

/// The email a submission leads to, with the fresh tokens it must carry.
pub enum EmailPlan {
    Confirm {
        confirm: Token,
        manage: Token,
        withdraw: Token,
    },
    AlreadySigned {
        manage: Token,
        withdraw: Token,
    },
}

impl EmailPlan {
    /// The manage and withdrawal tokens, which every such email carries.
    pub fn links(&self) -> (&Token, &Token) {
        match self {
            EmailPlan::Confirm { manage, withdraw, .. } | EmailPlan::AlreadySigned { manage, withdraw } => {
                (manage, withdraw)
            }
        }
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
    id: String,
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

/// The confirmation email of a submission, made before its transaction:
/// rendering it is the costliest step of a submission, and outside the
/// transaction it runs beside other writers instead of holding them up.
pub struct PreparedConfirmation {
    confirm: Token,
    manage: Token,
    withdraw: Token,
    email: NewEmail,
    /// The content the confirmation link confirms, stored with it.
    content: String,
}

impl PreparedConfirmation {
    /// The token of the confirmation link the email carries.
    pub fn confirm_token(&self) -> &Token {
        &self.confirm
    }

    /// Fresh tokens, and the email that carries them, from `render`, for
    /// the content of `sig`.
    pub fn new(sig: &NewSignature, render: &dyn Fn(&EmailPlan) -> NewEmail) -> PreparedConfirmation {
        let plan = EmailPlan::Confirm {
            confirm: Token::generate(),
            manage: Token::generate(),
            withdraw: Token::generate(),
        };
        let email = render(&plan);
        let EmailPlan::Confirm {
            confirm,
            manage,
            withdraw,
        } = plan
        else {
            unreachable!("built as Confirm just above")
        };
        PreparedConfirmation {
            confirm,
            manage,
            withdraw,
            email,
            content: Proposal::of(sig, CONSENT_VERSION, None).to_stored(),
        }
    }
}

/// Stores a signature submission and queues its email in one transaction.
/// `render` builds the email once the store knows which one is due.
pub fn submit(
    conn: &mut DbConn,
    letter_id: &str,
    sig: &NewSignature,
    policy: &SubmitPolicy,
    now: NaiveDateTime,
    render: &dyn Fn(&EmailPlan) -> NewEmail,
) -> Result<SubmitOutcome, DbError> {
    let prepared = PreparedConfirmation::new(sig, render);
    let attempt = |conn: &mut DbConn| {
        write_tx(conn, |conn| {
            submit_in_tx(conn, letter_id, sig, policy, now, &prepared, render)
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
    letter_id: &str,
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

/// [`submit`] inside a transaction the caller opened. `prepared` is the
/// confirmation email to queue when one is due; `render` makes any other.
pub fn submit_in_tx(
    conn: &mut DbConn,
    letter_id: &str,
    sig: &NewSignature,
    policy: &SubmitPolicy,
    now: NaiveDateTime,
    prepared: &PreparedConfirmation,
    render: &dyn Fn(&EmailPlan) -> NewEmail,
) -> Result<SubmitOutcome, DbError> {
    let titles = encode_titles(&sig.titles.to_vec());
    let city = sig.city.as_ref().map(|c| c.as_str());
    let confirm_expiry = now + policy.confirm_ttl;

    let send_confirmation = |conn: &mut DbConn, signature_id: &str, content: &str| -> Result<(), DbError> {
        token_store::insert_all(
            conn,
            signature_id,
            now,
            [
                (
                    &prepared.confirm,
                    Purpose::Confirm,
                    Some(confirm_expiry),
                    Some(content),
                ),
                (&prepared.manage, Purpose::Manage, None, None),
                (&prepared.withdraw, Purpose::Withdraw, None, None),
            ],
        )?;
        outbox::insert_about(conn, &prepared.email, Some(signature_id), now)
    };

    // Most submissions are an address's first on an open letter: one
    // statement checks the letter and stores the signature. Anything else
    // inserts nothing and takes the longer way below. On PostgreSQL the row
    // the insert met can be withdrawn (its address erased) before the lookup
    // that follows, or the letter reopen in between: both send us round
    // again, a bounded number of times.
    let id = new_id();
    let mut rounds = 0;
    let (version, row) = loop {
        if insert_first(conn, &id, letter_id, sig, &titles, city, now)? {
            send_confirmation(conn, &id, &prepared.content)?;
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
            outbox::insert_about(
                conn,
                &render(&EmailPlan::AlreadySigned { manage, withdraw }),
                Some(&row.id),
                now,
            )?;
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
            send_confirmation(conn, &row.id, &proposal.to_stored())?;
            Ok(SubmitOutcome::Resent)
        }
    }
}

/// What a token link leads to, for the page shown before the POST.
#[derive(Debug, Clone)]
pub struct TokenTarget {
    pub signature_id: String,
    pub signature_status: SignatureStatus,
    pub letter_id: String,
    pub email: Option<String>,
    pub moderation: Moderation,
    /// An organizer approved the stored content.
    pub approved: bool,
    /// An organizer took it out of the count.
    pub excluded: bool,
    /// What the link acts on: for a confirmation link, the content it was
    /// issued for; otherwise, and for older links, the row as stored.
    pub content: Proposal,
    /// When that content was submitted, for a confirmation link.
    pub proposed_at: Option<NaiveDateTime>,
    pub stored_letter_version: Option<i32>,
}

impl TokenTarget {
    pub fn signer_name(&self) -> &str {
        &self.content.name
    }
}

#[derive(Debug)]
pub enum LinkError {
    Unknown,
    Used,
    /// A later submission for the address proposed other content.
    Replaced,
    Expired,
    LetterClosed {
        letter_id: String,
    },
    /// The manage page changes only a confirmed signature.
    NotConfirmed,
}

#[derive(Queryable)]
struct LinkedRow {
    name: String,
    status: SignatureStatus,
    letter_id: String,
    is_public: bool,
    titles: String,
    city: Option<String>,
    wants_updates: bool,
    language: String,
    consent_version: Option<String>,
    consent_letter_version: Option<i32>,
    email: Option<String>,
    moderation: Moderation,
    approved_at: Option<NaiveDateTime>,
    excluded: bool,
}

pub fn lookup_link(
    conn: &mut DbConn,
    hash: &TokenHash,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Result<TokenTarget, LinkError>, DbError> {
    let state = token_store::find(conn, hash, purpose, now)?;
    let (signature_id, content, created_at) = match state {
        TokenState::Valid {
            signature_id,
            content,
            created_at,
        } => (signature_id, content, created_at),
        TokenState::Used => return Ok(Err(LinkError::Used)),
        TokenState::Replaced => return Ok(Err(LinkError::Replaced)),
        TokenState::Expired => return Ok(Err(LinkError::Expired)),
        TokenState::Unknown => return Ok(Err(LinkError::Unknown)),
    };
    let row: Option<LinkedRow> = signatures::table
        .find(&signature_id)
        .select((
            signatures::name,
            signatures::status,
            signatures::letter_id,
            signatures::is_public,
            signatures::titles,
            signatures::city,
            signatures::wants_updates,
            signatures::language,
            signatures::consent_version,
            signatures::consent_letter_version,
            signatures::email,
            signatures::moderation,
            signatures::approved_at,
            signatures::excluded,
        ))
        .get_result(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(Err(LinkError::Unknown));
    };
    if row.status == SignatureStatus::Withdrawn {
        return Ok(Err(LinkError::Used));
    }
    let moderation = row.moderation;
    let (content, proposed_at) = match content {
        Some(stored) => (
            Proposal::from_stored(&stored).map_err(|e| DbError::Corrupt(e.to_string()))?,
            Some(created_at),
        ),
        None => (
            Proposal {
                titles: decode_titles(&row.titles),
                city: row.city,
                is_public: row.is_public,
                wants_updates: row.wants_updates,
                language: row
                    .language
                    .parse()
                    .map_err(|e: crate::domain::lang::UnknownLang| DbError::Corrupt(e.to_string()))?,
                consent_version: row.consent_version.unwrap_or_else(|| CONSENT_VERSION.to_string()),
                letter_version: row.consent_letter_version,
                name: row.name,
            },
            None,
        ),
    };
    Ok(Ok(TokenTarget {
        signature_id,
        signature_status: row.status,
        letter_id: row.letter_id,
        email: row.email,
        moderation,
        approved: row.approved_at.is_some(),
        excluded: row.excluded,
        content,
        proposed_at,
        stored_letter_version: row.consent_letter_version,
    }))
}

#[derive(Debug, Clone)]
pub struct Confirmed {
    pub letter_id: String,
    /// What was confirmed: exactly what the confirmation page showed.
    pub content: Proposal,
    /// Where the signature stands now: shown, or held for review.
    pub moderation: Moderation,
    /// False when an earlier link had already confirmed this signature.
    pub newly_confirmed: bool,
    pub withdraw: Token,
    pub manage: Token,
}

/// Confirms the signature a confirmation token points to, uses the token up,
/// and issues a withdrawal token for the page that follows.
pub fn confirm(
    conn: &mut DbConn,
    hash: &TokenHash,
    now: NaiveDateTime,
) -> Result<Result<Confirmed, LinkError>, DbError> {
    write_tx(conn, |conn| confirm_in_tx(conn, hash, now))
}

/// [`confirm`] inside a transaction the caller opened. The signature takes
/// the content its link was issued for, and that content goes through the
/// one visibility rule.
pub fn confirm_in_tx(
    conn: &mut DbConn,
    hash: &TokenHash,
    now: NaiveDateTime,
) -> Result<Result<Confirmed, LinkError>, DbError> {
    let target = match lookup_link(conn, hash, Purpose::Confirm, now)? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    if !letter_open(conn, &target.letter_id, now)? {
        return Ok(Err(LinkError::LetterClosed {
            letter_id: target.letter_id,
        }));
    }
    let newly_confirmed = target.signature_status == SignatureStatus::Pending;
    let mut moderation = target.moderation;
    let content = target.content;
    if newly_confirmed {
        moderation = super::visibility::place_signature(
            conn,
            &target.letter_id,
            &content.name,
            content.is_public,
            None,
            false,
        )?;
        let verified = super::affiliations::lines_for(
            conn,
            &target.letter_id,
            target.email.as_deref(),
            &content.titles,
        )?;
        let updated = ConfirmSignature {
            id: &target.signature_id,
            at: now,
            moderation: moderation.as_str(),
            name: &content.name,
            sort_key: &sort_key(&content.name),
            titles: &encode_titles(&content.titles),
            city: content.city.as_deref(),
            is_public: content.is_public,
            wants_updates: content.wants_updates,
            language: content.language.code(),
            consent_version: &content.consent_version,
            consent_at: target.proposed_at.unwrap_or(now),
            consent_letter_version: content.letter_version.or(target.stored_letter_version),
            verified_lines: verified.as_deref(),
        }
        .execute(conn)?;
        if updated == 0 {
            // Withdrawn (or confirmed) by a transaction that committed
            // after this one read the row.
            return Ok(Err(LinkError::Used));
        }
    }
    token_store::mark_used(conn, hash, now)?;
    let (manage, withdraw) = token_store::issue_links(conn, &target.signature_id, now)?;
    Ok(Ok(Confirmed {
        letter_id: target.letter_id,
        content,
        moderation,
        newly_confirmed,
        withdraw,
        manage,
    }))
}

#[derive(Debug, Clone)]
pub struct Withdrawn {
    pub letter_id: String,
    pub was_confirmed: bool,
    /// It was in the count: confirmed, and not excluded by an organizer.
    pub was_counted: bool,
}

/// Withdraws the signature a withdrawal or manage token points to, erasing
/// everything personal. Every other link of that signature stops working.
pub fn withdraw(
    conn: &mut DbConn,
    hash: &TokenHash,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Result<Withdrawn, LinkError>, DbError> {
    write_tx(conn, |conn| {
        let target = match lookup_link(conn, hash, purpose, now)? {
            Ok(t) => t,
            Err(e) => return Ok(Err(e)),
        };
        // Keep only a tombstone: the row explains a count that went down,
        // and nothing in it identifies the person any more.
        diesel::update(signatures::table.find(&target.signature_id))
            .set((
                signatures::status.eq(SignatureStatus::Withdrawn),
                signatures::withdrawn_at.eq(Some(now)),
                signatures::updated_at.eq(now),
                signatures::name.eq(""),
                // The surname key is the name folded: it goes with it.
                signatures::sort_key.eq(sort_key("")),
                signatures::titles.eq("[]"),
                signatures::email.eq(None::<String>),
                signatures::email_key.eq(None::<String>),
                signatures::city.eq(None::<String>),
                signatures::wants_updates.eq(false),
            ))
            .execute(conn)?;
        diesel::update(
            tokens::table
                .filter(tokens::signature_id.eq(&target.signature_id))
                .filter(tokens::used_at.is_null()),
        )
        .set(tokens::used_at.eq(Some(now)))
        .execute(conn)?;
        // Mail still queued to the signer is not sent, and mail already
        // sent no longer names them here.
        outbox::erase_about(conn, &target.signature_id)?;
        if let Some(email) = &target.email {
            outbox::erase_legacy_to(conn, email)?;
        }
        Ok(Ok(Withdrawn {
            letter_id: target.letter_id,
            was_confirmed: target.signature_status == SignatureStatus::Confirmed,
            was_counted: target.signature_status == SignatureStatus::Confirmed && !target.excluded,
        }))
    })
}

/// Status counts for one letter, for the command line and tests.
pub fn status_of_email(conn: &mut DbConn, letter_id: &str, email: &str) -> Result<Option<String>, DbError> {
    Ok(signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::email.eq(email))
        .select(signatures::status)
        .first(conn)
        .optional()?)
}

/// Everything stored about one signature, shown to its signer.
#[derive(Queryable, Selectable, Debug, Clone, serde::Serialize)]
#[diesel(table_name = signatures)]
pub struct SignatureDetails {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub letter_id: String,
    pub name: String,
    #[serde(skip)]
    pub titles: String,
    pub email: Option<String>,
    pub city: Option<String>,
    pub is_public: bool,
    pub tier: String,
    pub status: SignatureStatus,
    pub language: String,
    pub consent_version: Option<String>,
    pub consent_at: Option<NaiveDateTime>,
    pub consent_letter_version: Option<i32>,
    pub wants_updates: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    /// Whether the name is listed, waits for review, or was hidden.
    pub moderation: Moderation,
}

impl SignatureDetails {
    pub fn title_lines(&self) -> Vec<String> {
        decode_titles(&self.titles)
    }
}

pub fn details(conn: &mut DbConn, signature_id: &str) -> Result<Option<SignatureDetails>, DbError> {
    Ok(signatures::table
        .find(signature_id)
        .select(SignatureDetails::as_select())
        .get_result(conn)
        .optional()?)
}

/// What a signer may change from their manage page.
pub struct DetailsUpdate {
    pub titles: Vec<String>,
    pub city: Option<String>,
    pub is_public: bool,
}

/// A signer's changes, saved.
#[derive(Debug, Clone)]
pub struct DetailsSaved {
    pub letter_id: String,
    /// Where the signature stands now.
    pub moderation: Moderation,
    pub is_public: bool,
    /// False when the form changed nothing.
    pub changed: bool,
}

/// Applies a signer's changes, through their manage token. A change of what
/// the public would see voids an organizer's approval and goes through the
/// one visibility rule again; the verified marks are computed again for the
/// new lines.
pub fn update_details(
    conn: &mut DbConn,
    hash: &TokenHash,
    update: &DetailsUpdate,
    now: NaiveDateTime,
) -> Result<Result<DetailsSaved, LinkError>, DbError> {
    write_tx(conn, |conn| {
        let target = match lookup_link(conn, hash, Purpose::Manage, now)? {
            Ok(t) => t,
            Err(e) => return Ok(Err(e)),
        };
        if target.signature_status != SignatureStatus::Confirmed {
            return Ok(Err(LinkError::NotConfirmed));
        }
        let before = &target.content;
        let changed = before.titles != update.titles
            || before.city != update.city
            || before.is_public != update.is_public;
        if !changed {
            return Ok(Ok(DetailsSaved {
                letter_id: target.letter_id,
                moderation: target.moderation,
                is_public: before.is_public,
                changed: false,
            }));
        }
        let moderation = super::visibility::place_signature(
            conn,
            &target.letter_id,
            &before.name,
            update.is_public,
            Some(target.moderation),
            false,
        )?;
        let verified =
            super::affiliations::lines_for(conn, &target.letter_id, target.email.as_deref(), &update.titles)?;
        let updated = diesel::update(
            signatures::table
                .find(&target.signature_id)
                // Not a row withdrawn since it was read (PostgreSQL).
                .filter(signatures::status.eq(SignatureStatus::Confirmed)),
        )
        .set((
            signatures::titles.eq(encode_titles(&update.titles)),
            signatures::city.eq(update.city.as_deref()),
            signatures::is_public.eq(update.is_public),
            signatures::moderation.eq(moderation.as_str()),
            signatures::verified_lines.eq(verified),
            signatures::approved_at.eq(None::<NaiveDateTime>),
            signatures::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Ok(Err(LinkError::Used));
        }
        Ok(Ok(DetailsSaved {
            letter_id: target.letter_id,
            moderation,
            is_public: update.is_public,
            changed: true,
        }))
    })
}
