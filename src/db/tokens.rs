use super::cached::SpendToken;
use super::schema::tokens;
use super::{DbConn, DbError};
use crate::domain::{Token, TokenHash};
use crate::model::{LetterId, SignatureId};
use chrono::NaiveDateTime;
use diesel::dsl;
use diesel::prelude::*;

pub use crate::model::TokenPurpose as Purpose;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    Valid {
        signature_id: crate::model::SignatureId,
        /// What a confirmation link confirms (a stored [`Proposal`]); `None`
        /// for other links and for links issued before proposals were kept.
        ///
        /// [`Proposal`]: crate::domain::Proposal
        content: Option<String>,
        created_at: NaiveDateTime,
    },
    Used,
    /// A later submission for the same address proposed other content.
    Replaced,
    Expired,
    Unknown,
}

/// Stores the hash of a token; the token itself only ever travels in the
/// email that carries it.
pub fn insert(
    conn: &mut DbConn,
    token: &Token,
    signature_id: &SignatureId,
    purpose: Purpose,
    expires_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    insert_all(
        conn,
        signature_id,
        now,
        [(token, purpose, expires_at, None, None)],
    )
}

/// Fresh manage and withdrawal links for a signature, stored: every email
/// about a signature, and the page after confirming, carries a new pair.
pub fn issue_links(
    conn: &mut DbConn,
    signature_id: &SignatureId,
    now: NaiveDateTime,
) -> Result<(Token, Token), DbError> {
    let (manage, withdraw) = (Token::generate(), Token::generate());
    insert_all(
        conn,
        signature_id,
        now,
        [
            (&manage, Purpose::Manage, None, None, None),
            (&withdraw, Purpose::Withdraw, None, None, None),
        ],
    )?;
    Ok((manage, withdraw))
}

/// One token to store: the token, what it is for, when it expires, and
/// for a confirmation link the content it confirms and the id of the key
/// that derived its manage and withdrawal links
/// ([`LinkKey`](crate::domain::LinkKey)).
pub type NewToken<'a> = (
    &'a Token,
    Purpose,
    Option<NaiveDateTime>,
    Option<&'a str>,
    Option<i64>,
);

/// Stores the hashes of several tokens of one signature in one statement:
/// a submission issues three and a confirmation two, and on PostgreSQL
/// every statement is a round trip inside the transaction. The rows go as
/// an array, not a `Vec`: diesel keeps the prepared statement of a
/// fixed-size insert, and prepares a `Vec`'s again at every call (a
/// twentieth of the writer thread's time when it was one).
pub fn insert_all<const N: usize>(
    conn: &mut DbConn,
    signature_id: &SignatureId,
    now: NaiveDateTime,
    new: [NewToken<'_>; N],
) -> Result<(), DbError> {
    let values = new.map(|(token, purpose, expires_at, content, links_key)| {
        row_values(
            token,
            signature_id,
            purpose,
            expires_at,
            (content.map(str::to_string), links_key),
            now,
        )
    });
    let insert = diesel::insert_into(tokens::table).values(values);
    match conn {
        DbConn::Sqlite(c) => insert.execute(c)?,
        DbConn::Pg(c) => insert.execute(c)?,
    };
    Ok(())
}

/// A token row's values, as both inserts write them.
type RowValues = (
    dsl::Eq<tokens::token_hash, String>,
    dsl::Eq<tokens::signature_id, Option<String>>,
    dsl::Eq<tokens::purpose, &'static str>,
    dsl::Eq<tokens::expires_at, Option<NaiveDateTime>>,
    dsl::Eq<tokens::created_at, NaiveDateTime>,
    dsl::Eq<tokens::content, Option<String>>,
    dsl::Eq<tokens::links_key, Option<i64>>,
);

/// Owned values: an insert's cache key, and diesel's multi-row insert, take
/// the rows' type, so they must not borrow.
fn row_values(
    token: &Token,
    signature_id: &SignatureId,
    purpose: Purpose,
    expires_at: Option<NaiveDateTime>,
    (content, links_key): (Option<String>, Option<i64>),
    now: NaiveDateTime,
) -> RowValues {
    (
        tokens::token_hash.eq(token.hash().into_string()),
        tokens::signature_id.eq(Some(signature_id.to_string())),
        tokens::purpose.eq(purpose.as_str()),
        tokens::expires_at.eq(expires_at),
        tokens::created_at.eq(now),
        tokens::content.eq(content),
        tokens::links_key.eq(links_key),
    )
}

/// One token of a batch: its signature, what it is for, when it expires,
/// and for a confirmation link the content it confirms.
pub struct TokenRow<'a> {
    pub token: &'a Token,
    pub signature_id: &'a SignatureId,
    pub purpose: Purpose,
    pub expires_at: Option<NaiveDateTime>,
    pub content: Option<String>,
}

/// Rows a statement of a batch carries: 7 parameters each, far below
/// PostgreSQL's 65,535, and few enough to keep a statement's text small.
const BATCH_ROWS: usize = 1_000;

/// Stores many signatures' tokens (an import's, a message's batch) in a
/// few statements: on PostgreSQL one round trip per thousand rows instead
/// of one per signature.
pub fn insert_batch(conn: &mut DbConn, rows: &[TokenRow<'_>], now: NaiveDateTime) -> Result<(), DbError> {
    for chunk in rows.chunks(BATCH_ROWS) {
        let values: Vec<_> = chunk
            .iter()
            .map(|r| {
                row_values(
                    r.token,
                    r.signature_id,
                    r.purpose,
                    r.expires_at,
                    (r.content.clone(), None),
                    now,
                )
            })
            .collect();
        // On the backends' own connections: diesel's multi-backend
        // connection has no multi-row insert, since SQLite lacks the
        // `DEFAULT` keyword.
        let insert = diesel::insert_into(tokens::table).values(values);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

pub fn find(
    conn: &mut DbConn,
    hash: &TokenHash,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<TokenState, DbError> {
    let row: Option<StoredToken> = tokens::table
        .find(hash.as_str())
        .filter(tokens::purpose.eq(purpose.as_str()))
        .select(StoredToken::COLUMNS)
        .get_result(conn)
        .optional()?;
    Ok(row.map_or(TokenState::Unknown, |row| row.state(hash, now)))
}

/// A token's row as [`find`] reads it: a query that joins the signature
/// (`signatures::lookup_link`) reads the same columns and judges them the
/// same way.
#[derive(Queryable)]
pub struct StoredToken {
    token_hash: String,
    signature_id: Option<String>,
    expires_at: Option<NaiveDateTime>,
    used_at: Option<NaiveDateTime>,
    replaced_at: Option<NaiveDateTime>,
    content: Option<String>,
    created_at: NaiveDateTime,
}

impl StoredToken {
    pub const COLUMNS: (
        tokens::token_hash,
        tokens::signature_id,
        tokens::expires_at,
        tokens::used_at,
        tokens::replaced_at,
        tokens::content,
        tokens::created_at,
    ) = (
        tokens::token_hash,
        tokens::signature_id,
        tokens::expires_at,
        tokens::used_at,
        tokens::replaced_at,
        tokens::content,
        tokens::created_at,
    );

    /// The hash this row is stored under.
    pub fn hash(&self) -> &str {
        &self.token_hash
    }

    /// What the link can still do at `now`.
    pub fn state(self, hash: &TokenHash, now: NaiveDateTime) -> TokenState {
        // The index lookup already matched; this keeps the final comparison
        // in constant time as well.
        if !TokenHash::from_stored(self.token_hash).matches(hash) {
            return TokenState::Unknown;
        }
        let Some(signature_id) = self.signature_id else {
            return TokenState::Unknown;
        };
        if self.replaced_at.is_some() {
            return TokenState::Replaced;
        }
        if self.used_at.is_some() {
            return TokenState::Used;
        }
        if self.expires_at.is_some_and(|e| e <= now) {
            return TokenState::Expired;
        }
        TokenState::Valid {
            signature_id: crate::model::SignatureId::from_raw(signature_id),
            content: self.content,
            created_at: self.created_at,
        }
    }
}

pub fn mark_used(conn: &mut DbConn, hash: &TokenHash, now: NaiveDateTime) -> Result<(), DbError> {
    let spend = SpendToken {
        hash: hash.as_str(),
        at: now,
    };
    super::on_backend!(conn, c => spend.execute(c))?;
    Ok(())
}

/// The letter and the stored content of a confirmation link, for writing
/// the email that carries it. `None` when the link or its signature is
/// gone (withdrawn, purged).
pub fn confirmation_for_email(
    conn: &mut DbConn,
    hash: &TokenHash,
) -> Result<Option<(LetterId, Option<String>)>, DbError> {
    use super::schema::signatures;
    Ok(tokens::table
        .inner_join(signatures::table)
        .filter(tokens::token_hash.eq(hash.as_str()))
        .filter(tokens::purpose.eq(Purpose::Confirm.as_str()))
        .select((signatures::letter_id, tokens::content))
        .get_result(conn)
        .optional()?)
}

/// Live confirmation links of a signature with the content each confirms.
pub fn live_confirmations(
    conn: &mut DbConn,
    signature_id: &SignatureId,
) -> Result<Vec<(String, Option<String>)>, DbError> {
    Ok(tokens::table
        .filter(tokens::signature_id.eq(signature_id))
        .filter(tokens::purpose.eq(Purpose::Confirm.as_str()))
        .filter(tokens::used_at.is_null())
        .filter(tokens::replaced_at.is_null())
        .select((tokens::token_hash, tokens::content))
        .load(conn)?)
}

/// Marks confirmation links as replaced by a later proposal.
pub fn mark_replaced(conn: &mut DbConn, hashes: &[String], now: NaiveDateTime) -> Result<(), DbError> {
    if hashes.is_empty() {
        return Ok(());
    }
    diesel::update(tokens::table.filter(tokens::token_hash.eq_any(hashes)))
        .set(tokens::replaced_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}
