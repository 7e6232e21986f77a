//! Who may work on which letter.

use super::schema::{letter_editors, letters, organizers};
use super::{DbConn, DbError};
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

/// The editors of a letter with their emails, owners first.
pub fn list(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<(String, Role)>, DbError> {
    Ok(letter_editors::table
        .inner_join(organizers::table)
        .filter(letter_editors::letter_id.eq(letter_id))
        .order((letter_editors::role.desc(), organizers::email.asc()))
        .select((organizers::email, letter_editors::role))
        .load(conn)?)
}
