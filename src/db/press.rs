//! The figures of a letter's press kit, beside the one count every page
//! shows (`signatures::count_confirmed`).

use super::export_rows::{self, Order, Selection, Who};
use super::schema::signatures;
use super::{DbConn, DbError};
use crate::model::LetterId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The names the public list shows, counted through the same filters as
/// the public downloads, so the kit's figure matches their stamps.
pub fn listed(conn: &mut DbConn, letter_id: &LetterId, now: NaiveDateTime) -> Result<i64, DbError> {
    let selection = Selection {
        letter_id: letter_id.clone(),
        who: Who::Public,
        order: Order::List,
        initial_first: true,
        as_of: now,
    };
    export_rows::count(conn, &selection)
}

/// Confirmed signatures that count but chose not to show a name.
pub fn count_only(conn: &mut DbConn, letter_id: &LetterId) -> Result<i64, DbError> {
    Ok(signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::excluded.eq(false))
        .filter(signatures::is_public.eq(false))
        .count()
        .get_result(conn)?)
}
