use super::schema::{organizers, tokens};
use super::tokens::Purpose;
use super::{DbConn, DbError, Tx};
use crate::domain::{Token, TokenHash};
use crate::model::OrganizerId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = organizers)]
pub struct Organizer {
    pub id: crate::model::OrganizerId,
    pub email: String,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Setup and reset links are valid for a day.
pub const LINK_TTL_HOURS: i64 = 24;

pub fn count(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(organizers::table.count().get_result(conn)?)
}

pub fn find(conn: &mut DbConn, id: &OrganizerId) -> Result<Option<Organizer>, DbError> {
    Ok(organizers::table
        .find(id)
        .select(Organizer::as_select())
        .get_result(conn)
        .optional()?)
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<Organizer>, DbError> {
    Ok(organizers::table
        .filter(organizers::email.eq(email))
        .select(Organizer::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(conn: &mut DbConn) -> Result<Vec<Organizer>, DbError> {
    Ok(organizers::table
        .order(organizers::email.asc())
        .select(Organizer::as_select())
        .load(conn)?)
}

/// The enabled admins, their rows locked until the transaction ends on
/// PostgreSQL (on SQLite the write transaction already holds the whole
/// database): what a change that must leave one admin checks against.
pub fn lock_enabled_admins(tx: &mut Tx<'_>) -> Result<Vec<OrganizerId>, DbError> {
    let conn: &mut DbConn = tx;
    macro_rules! admins {
        () => {
            organizers::table
                .filter(organizers::is_admin.eq(true))
                .filter(organizers::disabled.eq(false))
                .select(organizers::id)
        };
    }
    Ok(match conn {
        DbConn::Pg(pg) => admins!().for_update().load(pg)?,
        DbConn::Sqlite(sqlite) => admins!().load(sqlite)?,
    })
}

#[derive(Debug)]
pub enum CreateOutcome {
    Created { organizer: Organizer, setup: Token },
    AlreadyExists,
}

/// Creates an account without a password and a setup link to choose one.
pub fn create(
    tx: &mut Tx<'_>,
    email: &str,
    is_admin: bool,
    now: NaiveDateTime,
) -> Result<CreateOutcome, DbError> {
    let conn: &mut DbConn = tx;
    if find_by_email(conn, email)?.is_some() {
        return Ok(CreateOutcome::AlreadyExists);
    }
    let id = OrganizerId::generate();
    diesel::insert_into(organizers::table)
        .values((
            organizers::id.eq(&id),
            organizers::email.eq(email),
            organizers::password_hash.eq(None::<String>),
            organizers::is_admin.eq(is_admin),
            organizers::disabled.eq(false),
            organizers::created_at.eq(now),
            organizers::updated_at.eq(now),
        ))
        .execute(conn)?;
    let setup = issue_link(conn, &id, Purpose::Setup, now)?;
    let organizer = find(conn, &id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
    Ok(CreateOutcome::Created { organizer, setup })
}

/// A fresh setup or reset link for an organizer.
pub fn issue_link(
    conn: &mut DbConn,
    organizer_id: &OrganizerId,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Token, DbError> {
    let token = Token::generate();
    diesel::insert_into(tokens::table)
        .values((
            tokens::token_hash.eq(token.hash().as_str()),
            tokens::organizer_id.eq(Some(organizer_id)),
            tokens::signature_id.eq(None::<String>),
            tokens::purpose.eq(purpose.as_str()),
            tokens::expires_at.eq(Some(now + Duration::hours(LINK_TTL_HOURS))),
            tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// A new link of this purpose that replaces the account's earlier ones: a
/// link printed at every start of a fresh install must not leave a trail
/// of valid links in old logs. The earlier ones expire now.
pub fn reissue_link(
    tx: &mut Tx<'_>,
    organizer_id: &OrganizerId,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Token, DbError> {
    let conn: &mut DbConn = tx;
    diesel::update(
        tokens::table
            .filter(tokens::organizer_id.eq(organizer_id))
            .filter(tokens::purpose.eq(purpose.as_str()))
            .filter(tokens::used_at.is_null())
            .filter(tokens::expires_at.gt(Some(now))),
    )
    .set(tokens::expires_at.eq(Some(now)))
    .execute(conn)?;
    issue_link(conn, organizer_id, purpose, now)
}

#[derive(Debug, PartialEq, Eq)]
pub enum LinkState {
    Valid(Organizer),
    Used,
    Expired,
    Unknown,
}

/// Where a setup or reset link leads.
pub fn lookup_link(conn: &mut DbConn, hash: &TokenHash, now: NaiveDateTime) -> Result<LinkState, DbError> {
    type Row = (
        String,
        Option<String>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let row: Option<Row> = tokens::table
        .find(hash.as_str())
        .filter(tokens::purpose.eq_any([Purpose::Setup.as_str(), Purpose::Reset.as_str()]))
        .select((
            tokens::token_hash,
            tokens::organizer_id,
            tokens::expires_at,
            tokens::used_at,
        ))
        .get_result(conn)
        .optional()?;
    let Some((stored, Some(organizer_id), expires_at, used_at)) = row else {
        return Ok(LinkState::Unknown);
    };
    if !TokenHash::from_stored(stored).matches(hash) {
        return Ok(LinkState::Unknown);
    }
    if used_at.is_some() {
        return Ok(LinkState::Used);
    }
    if expires_at.is_some_and(|e| e <= now) {
        return Ok(LinkState::Expired);
    }
    match find(conn, &OrganizerId::from_raw(organizer_id))? {
        Some(o) if !o.disabled => Ok(LinkState::Valid(o)),
        _ => Ok(LinkState::Unknown),
    }
}

/// Sets the password through a setup or reset link, using the link up and
/// ending every session of the account: whoever held one may be whom the
/// password change is meant to lock out.
pub fn set_password(
    tx: &mut Tx<'_>,
    hash: &TokenHash,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Result<Organizer, LinkState>, DbError> {
    Ok(
        complete_setup(tx, hash, None, password_hash, now)?.map_err(|e| match e {
            SetupRefused::Link(state) => state,
            // No address was given, so none can be taken.
            SetupRefused::EmailTaken => LinkState::Unknown,
        }),
    )
}

#[derive(Debug, PartialEq, Eq)]
pub enum SetupRefused {
    Link(LinkState),
    /// Another account has the address the first admin chose.
    EmailTaken,
}

/// Through a setup or reset link: sets the address when one is given (the
/// first admin chooses theirs), then the password, and uses up every link
/// of the account. One transaction: if anything is refused, nothing changed,
/// so an address is never set without the password that goes with it.
pub fn complete_setup(
    tx: &mut Tx<'_>,
    hash: &TokenHash,
    email: Option<&str>,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Result<Organizer, SetupRefused>, DbError> {
    let conn: &mut DbConn = tx;
    let organizer = match lookup_link(conn, hash, now)? {
        LinkState::Valid(o) => o,
        other => return Ok(Err(SetupRefused::Link(other))),
    };
    if let Some(email) = email {
        if find_by_email(conn, email)?.is_some_and(|o| o.id != organizer.id) {
            return Ok(Err(SetupRefused::EmailTaken));
        }
        diesel::update(organizers::table.find(&organizer.id))
            .set(organizers::email.eq(email))
            .execute(conn)?;
    }
    diesel::update(organizers::table.find(&organizer.id))
        .set((
            organizers::password_hash.eq(Some(password_hash)),
            organizers::updated_at.eq(now),
        ))
        .execute(conn)?;
    // Every outstanding link of this account is spent with this one.
    diesel::update(
        tokens::table
            .filter(tokens::organizer_id.eq(&organizer.id))
            .filter(tokens::used_at.is_null()),
    )
    .set(tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    // A new password ends every session of the account: a copied
    // cookie dies with the old password.
    super::sessions::end_all(conn, &organizer.id, now)?;
    // What was stored, new address included.
    let organizer = find(conn, &organizer.id)?.ok_or(DbError::Query(diesel::result::Error::NotFound))?;
    Ok(Ok(organizer))
}

/// Changes an account's address; false when another account holds it.
pub fn set_email(
    tx: &mut Tx<'_>,
    id: &OrganizerId,
    email: &str,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let conn: &mut DbConn = tx;
    if find_by_email(conn, email)?.is_some_and(|o| o.id != *id) {
        return Ok(false);
    }
    diesel::update(organizers::table.find(id))
        .set((organizers::email.eq(email), organizers::updated_at.eq(now)))
        .execute(conn)?;
    Ok(true)
}

/// Disabling an account also ends its sessions, so enabling it again later
/// does not bring them back.
pub fn set_disabled(
    tx: &mut Tx<'_>,
    id: &OrganizerId,
    disabled: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    diesel::update(organizers::table.find(id))
        .set((organizers::disabled.eq(disabled), organizers::updated_at.eq(now)))
        .execute(conn)?;
    if disabled {
        super::sessions::end_all(conn, id, now)?;
    }
    Ok(())
}
