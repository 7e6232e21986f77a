//! `letter_logos`: at most one logo per letter, its bytes kept in the
//! database so that every server sharing it serves the same file.

use super::schema::letter_logos as t;
use super::{DbConn, DbError, Tx};
use crate::domain::logo::Logo;
use crate::model::LetterId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What a page needs to show the logo, without its bytes.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = t)]
pub struct LogoInfo {
    pub content_type: String,
    pub digest: String,
    pub width: i32,
    pub height: i32,
}

pub fn info(conn: &mut DbConn, letter_id: &LetterId) -> Result<Option<LogoInfo>, DbError> {
    Ok(t::table
        .find(letter_id)
        .select(LogoInfo::as_select())
        .get_result(conn)
        .optional()?)
}

/// The logo's type and bytes, when `digest` still names the current one.
pub fn bytes(
    conn: &mut DbConn,
    letter_id: &LetterId,
    digest: &str,
) -> Result<Option<(String, Vec<u8>)>, DbError> {
    Ok(t::table
        .find(letter_id)
        .filter(t::digest.eq(digest))
        .select((t::content_type, t::data))
        .get_result(conn)
        .optional()?)
}

/// Sets the letter's logo, replacing any other.
pub fn set(tx: &mut Tx<'_>, letter_id: &LetterId, logo: &Logo, now: NaiveDateTime) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    diesel::delete(t::table.find(letter_id)).execute(conn)?;
    let (width, height) = logo.size();
    diesel::insert_into(t::table)
        .values((
            t::letter_id.eq(letter_id),
            t::content_type.eq(logo.content_type()),
            t::digest.eq(logo.digest()),
            t::width.eq(width as i32),
            t::height.eq(height as i32),
            t::data.eq(logo.bytes()),
            t::uploaded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes the letter's logo; false when it had none.
pub fn remove(tx: &mut Tx<'_>, letter_id: &LetterId) -> Result<bool, DbError> {
    let conn: &mut DbConn = tx;
    Ok(diesel::delete(t::table.find(letter_id)).execute(conn)? == 1)
}
