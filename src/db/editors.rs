//! Who may work on which letter.

use super::schema::{letter_editors, letters, organizers};
use super::{DbConn, DbError, Tx};
use crate::model::{LetterId, OrganizerId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub use crate::model::Role;

pub fn grant(
    conn: &mut DbConn,
    letter_id: &LetterId,
    organizer_id: &OrganizerId,
    role: Role,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::delete(
        letter_editors::table
            .filter(letter_editors::letter_id.eq(letter_id))
            .filter(letter_editors::organizer_id.eq(organizer_id)),
    )
    .execute(conn)?;
    diesel::insert_into(letter_editors::table)
        .values((
            letter_editors::letter_id.eq(letter_id),
            letter_editors::organizer_id.eq(organizer_id),
            letter_editors::role.eq(role.as_str()),
            letter_editors::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn role_of(
    conn: &mut DbConn,
    letter_id: &LetterId,
    organizer_id: &OrganizerId,
) -> Result<Option<Role>, DbError> {
    Ok(letter_editors::table
        .filter(letter_editors::letter_id.eq(letter_id))
        .filter(letter_editors::organizer_id.eq(organizer_id))
        .select(letter_editors::role)
        .get_result(conn)
        .optional()?)
}

/// The letters an organizer may work on.
pub fn letter_ids_for(conn: &mut DbConn, organizer_id: &OrganizerId) -> Result<Vec<LetterId>, DbError> {
    Ok(letter_editors::table
        .inner_join(letters::table)
        .filter(letter_editors::organizer_id.eq(organizer_id))
        .select(letters::id)
        .load(conn)?)
}

/// One organizer of a letter, as its team list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: OrganizerId,
    pub email: String,
    pub role: Role,
}

/// The organizers of a letter, owners first.
pub fn team(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<Member>, DbError> {
    let rows: Vec<(OrganizerId, String, Role)> = letter_editors::table
        .inner_join(organizers::table)
        .filter(letter_editors::letter_id.eq(letter_id))
        .order((letter_editors::role.desc(), organizers::email.asc()))
        .select((organizers::id, organizers::email, letter_editors::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, email, role)| Member { id, email, role })
        .collect())
}

/// The letter's team, its letter row locked until the transaction ends on
/// PostgreSQL (on SQLite the write transaction holds the whole database):
/// two owners changing roles at the same moment take turns, so neither
/// change is judged on a team the other is changing.
pub fn lock_team(tx: &mut Tx<'_>, letter_id: &LetterId) -> Result<Vec<Member>, DbError> {
    let conn: &mut DbConn = tx;
    if let DbConn::Pg(pg) = conn {
        letters::table
            .find(letter_id)
            .select(letters::id)
            .for_update()
            .load::<LetterId>(pg)?;
    }
    team(conn, letter_id)
}

/// Changes a member's role; false when they are not on the letter.
pub fn set_role(
    conn: &mut DbConn,
    letter_id: &LetterId,
    organizer_id: &OrganizerId,
    role: Role,
) -> Result<bool, DbError> {
    Ok(diesel::update(
        letter_editors::table
            .filter(letter_editors::letter_id.eq(letter_id))
            .filter(letter_editors::organizer_id.eq(organizer_id)),
    )
    .set(letter_editors::role.eq(role.as_str()))
    .execute(conn)?
        > 0)
}

/// Takes a member off the letter; false when they were not on it.
pub fn revoke(conn: &mut DbConn, letter_id: &LetterId, organizer_id: &OrganizerId) -> Result<bool, DbError> {
    Ok(diesel::delete(
        letter_editors::table
            .filter(letter_editors::letter_id.eq(letter_id))
            .filter(letter_editors::organizer_id.eq(organizer_id)),
    )
    .execute(conn)?
        > 0)
}
