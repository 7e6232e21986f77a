//! Fills the surname sort key of rows stored before the column existed.

use super::schema::signatures;
use super::{DbConn, DbError};
use crate::domain::sort_key;
use diesel::prelude::*;

/// The migration that added the column; the backfill runs when it does.
pub const SORT_KEY_MIGRATION: &str = "2026-11-27-120000";

const BATCH: i64 = 1000;

/// Computes the key of every row that has none yet, a batch at a time so a
/// large table never sits in memory. Returns how many rows it filled.
pub fn backfill(conn: &mut DbConn) -> Result<u64, DbError> {
    let mut filled = 0;
    loop {
        let batch: Vec<(String, String)> = signatures::table
            .filter(signatures::sort_key.eq(""))
            .select((signatures::id, signatures::name))
            .limit(BATCH)
            .load(conn)?;
        if batch.is_empty() {
            return Ok(filled);
        }
        conn.transaction::<_, DbError, _>(|conn| {
            for (id, name) in &batch {
                diesel::update(signatures::table.find(id))
                    .set(signatures::sort_key.eq(sort_key(name)))
                    .execute(conn)?;
            }
            Ok(())
        })?;
        filled += batch.len() as u64;
    }
}
