//! What a token link (confirm, manage, withdraw) points to, or why it no
//! longer works.

use super::{decode_titles, CONSENT_VERSION};
use crate::db::letters::LetterStatus;
use crate::db::schema::{affiliation_domains, letters, protected_names, signatures, tokens};
use crate::db::tokens::{Purpose, StoredToken, TokenState};
use crate::db::visibility::LetterRules;
use crate::db::{DbConn, DbError};
use crate::domain::{Proposal, TokenHash};
use crate::model::SignatureId;
use crate::model::{Moderation, ModerationMode, SignatureStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What a token link leads to, for the page shown before the POST.
#[derive(Debug, Clone)]
pub struct TokenTarget {
    pub signature_id: SignatureId,
    pub signature_status: SignatureStatus,
    pub letter_id: crate::model::LetterId,
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
    /// The letter takes signatures now (published, not past its closing).
    pub letter_open: bool,
    /// How the letter's organizers moderate it.
    pub rules: LetterRules,
    /// The letter maps some address domain to an affiliation: without one,
    /// no signature of it carries a verified mark.
    pub any_affiliation: bool,
    /// For a confirmation link: the id of the key that derived the manage
    /// and withdrawal links issued with it ([`LinkKey`](crate::domain::LinkKey)).
    pub links_key: Option<i64>,
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
        letter_id: crate::model::LetterId,
    },
    /// The manage page changes only a confirmed signature.
    NotConfirmed,
}

#[derive(Queryable)]
struct LinkedRow {
    token: StoredToken,
    signature: SignatureRow,
    letter: (LetterStatus, Option<NaiveDateTime>, ModerationMode, bool, bool),
    links_key: Option<i64>,
}

#[derive(Queryable)]
struct SignatureRow {
    name: String,
    status: SignatureStatus,
    letter_id: crate::model::LetterId,
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

/// The query behind [`lookup_link`] and [`lookup_links`], for one link
/// or several: the same columns, judged the same way.
macro_rules! linked {
    ($filter:expr, $purpose:expr) => {
        tokens::table
            .inner_join(signatures::table.inner_join(letters::table))
            .filter($filter)
            .filter(tokens::purpose.eq($purpose.as_str()))
            .select((
                StoredToken::COLUMNS,
                (
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
                ),
                (
                    letters::status,
                    letters::close_at,
                    letters::moderation,
                    diesel::dsl::exists(
                        protected_names::table
                            .filter(
                                protected_names::letter_id
                                    .eq(letters::id.nullable())
                                    .or(protected_names::letter_id.is_null()),
                            )
                            .select(protected_names::id),
                    ),
                    diesel::dsl::exists(
                        affiliation_domains::table
                            .filter(affiliation_domains::letter_id.eq(letters::id))
                            .select(affiliation_domains::id),
                    ),
                ),
                tokens::links_key,
            ))
    };
}

/// The link, its signature and its letter in one query: confirming is the
/// busiest write there is, and on PostgreSQL each statement of it is a
/// round trip inside the transaction. Whether the letter has protected
/// names or affiliations comes with it, so that a letter with neither (most
/// of them) reads no lists. A token's signature cannot be missing
/// (the foreign key cascades), so the inner join loses no link.
pub fn lookup_link(
    conn: &mut DbConn,
    hash: &TokenHash,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Result<TokenTarget, LinkError>, DbError> {
    let query = linked!(tokens::token_hash.eq(hash.as_str()), purpose);
    let linked: Option<LinkedRow> = crate::db::on_backend!(conn, c => query.get_result(c).optional())?;
    target_of(linked, hash, now)
}

/// [`lookup_link`] for several links at once, each judged at its own
/// time, in the order given. On PostgreSQL one statement reads them all
/// (a batch of confirmations pays one round trip, not one a link); on
/// SQLite a cached statement a link is a function call each. The hashes
/// must differ.
pub fn lookup_links(
    conn: &mut DbConn,
    links: &[(&TokenHash, NaiveDateTime)],
    purpose: Purpose,
) -> Result<Vec<Result<TokenTarget, LinkError>>, DbError> {
    let DbConn::Pg(c) = conn else {
        return links
            .iter()
            .map(|(hash, now)| lookup_link(conn, hash, purpose, *now))
            .collect();
    };
    let hashes: Vec<&str> = links.iter().map(|(hash, _)| hash.as_str()).collect();
    let rows: Vec<LinkedRow> = linked!(tokens::token_hash.eq_any(&hashes), purpose).load(c)?;
    let mut by_hash: std::collections::HashMap<String, LinkedRow> = rows
        .into_iter()
        .map(|row| (row.token.hash().to_string(), row))
        .collect();
    links
        .iter()
        .map(|(hash, now)| target_of(by_hash.remove(hash.as_str()), hash, *now))
        .collect()
}

/// What a link's row says it leads to at `now`, or why it leads nowhere.
fn target_of(
    linked: Option<LinkedRow>,
    hash: &TokenHash,
    now: NaiveDateTime,
) -> Result<Result<TokenTarget, LinkError>, DbError> {
    let Some(LinkedRow {
        token,
        signature: row,
        letter: (letter_status, close_at, mode, any_protected_name, any_affiliation),
        links_key,
    }) = linked
    else {
        return Ok(Err(LinkError::Unknown));
    };
    let (signature_id, content, created_at) = match token.state(hash, now) {
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
        letter_open: crate::db::letters::status_at(letter_status, close_at, now) == LetterStatus::Published,
        rules: LetterRules {
            mode,
            any_protected_name,
        },
        any_affiliation,
        links_key,
    }))
}
