//! What the schedule thread looks for: the embargoes and closings whose
//! time has come.

use super::super::schema::letters;
use super::super::{DbConn, DbError};
use super::LetterStatus;
use crate::model::LetterId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Drafts whose scheduled publication has come, with its time.
pub fn due_to_publish(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> Result<Vec<(LetterId, NaiveDateTime)>, DbError> {
    let due: Vec<(LetterId, Option<NaiveDateTime>)> = letters::table
        .filter(letters::status.eq(LetterStatus::Draft.as_str()))
        .filter(letters::publish_at.le(now))
        .select((letters::id, letters::publish_at))
        .load(conn)?;
    Ok(due.into_iter().filter_map(|(id, at)| Some((id, at?))).collect())
}

/// Published letters whose scheduled closing has come, with its time.
pub fn due_to_close(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> Result<Vec<(LetterId, NaiveDateTime)>, DbError> {
    let due: Vec<(LetterId, Option<NaiveDateTime>)> = letters::table
        .filter(letters::status.eq(LetterStatus::Published.as_str()))
        .filter(letters::close_at.le(now))
        .select((letters::id, letters::close_at))
        .load(conn)?;
    Ok(due.into_iter().filter_map(|(id, at)| Some((id, at?))).collect())
}
