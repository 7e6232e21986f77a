use super::cached::SpendToken;
use super::schema::tokens;
use super::{DbConn, DbError};
use crate::domain::{Token, TokenHash};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Withdraw,
    /// The "manage my signature" link: reusable for as long as the
    /// signature exists.
    Manage,
    /// An organizer's first password.
    Setup,
    /// An organizer's forgotten password.
    Reset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Withdraw => "withdraw",
            Purpose::Manage => "manage",
            Purpose::Setup => "setup",
            Purpose::Reset => "reset",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenState {
    Valid { signature_id: String },
    Used,
    Expired,
    Unknown,
}

/// Stores the hash of a token; the token itself only ever travels in the
/// email that carries it.
pub fn insert(
    conn: &mut DbConn,
    token: &Token,
    signature_id: &str,
    purpose: Purpose,
    expires_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    insert_all(conn, signature_id, now, [(token, purpose, expires_at)])
}

/// Fresh manage and withdrawal links for a signature, stored: every email
/// about a signature, and the page after confirming, carries a new pair.
pub fn issue_links(
    conn: &mut DbConn,
    signature_id: &str,
    now: NaiveDateTime,
) -> Result<(Token, Token), DbError> {
    let (manage, withdraw) = (Token::generate(), Token::generate());
    insert_all(
        conn,
        signature_id,
        now,
        [
            (&manage, Purpose::Manage, None),
            (&withdraw, Purpose::Withdraw, None),
        ],
    )?;
    Ok((manage, withdraw))
}

/// Stores the hashes of several tokens of one signature in one statement:
/// a submission issues three and a confirmation two, and on PostgreSQL
/// every statement is a round trip inside the transaction.
pub fn insert_all<const N: usize>(
    conn: &mut DbConn,
    signature_id: &str,
    now: NaiveDateTime,
    tokens: [(&Token, Purpose, Option<NaiveDateTime>); N],
) -> Result<(), DbError> {
    // Owned values: diesel's multi-row insert needs 'static rows (its
    // query id is the rows' type).
    let rows = tokens.map(|(token, purpose, expires_at)| {
        (
            tokens::token_hash.eq(token.hash().into_string()),
            tokens::signature_id.eq(Some(signature_id.to_string())),
            tokens::purpose.eq(purpose.as_str()),
            tokens::expires_at.eq(expires_at),
            tokens::created_at.eq(now),
        )
    });
    // On the backends' own connections: diesel's multi-backend connection
    // has no multi-row insert, since SQLite lacks the `DEFAULT` keyword.
    let insert = diesel::insert_into(tokens::table).values(rows);
    match conn {
        DbConn::Sqlite(c) => insert.execute(c)?,
        DbConn::Pg(c) => insert.execute(c)?,
    };
    Ok(())
}

pub fn find(
    conn: &mut DbConn,
    hash: &TokenHash,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<TokenState, DbError> {
    type Row = (
        String,
        Option<String>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let row: Option<Row> = tokens::table
        .find(hash.as_str())
        .filter(tokens::purpose.eq(purpose.as_str()))
        .select((
            tokens::token_hash,
            tokens::signature_id,
            tokens::expires_at,
            tokens::used_at,
        ))
        .get_result(conn)
        .optional()?;
    let Some((stored, signature_id, expires_at, used_at)) = row else {
        return Ok(TokenState::Unknown);
    };
    // The index lookup already matched; this keeps the final comparison in
    // constant time as well.
    if !TokenHash::from_stored(stored).matches(hash) {
        return Ok(TokenState::Unknown);
    }
    let Some(signature_id) = signature_id else {
        return Ok(TokenState::Unknown);
    };
    if used_at.is_some() {
        return Ok(TokenState::Used);
    }
    if expires_at.is_some_and(|e| e <= now) {
        return Ok(TokenState::Expired);
    }
    Ok(TokenState::Valid { signature_id })
}

pub fn mark_used(conn: &mut DbConn, hash: &TokenHash, now: NaiveDateTime) -> Result<(), DbError> {
    SpendToken {
        hash: hash.as_str(),
        at: now,
    }
    .execute(conn)?;
    Ok(())
}
