//! The evidence kept beside signatures collected in person: who collected
//! them, on what day, and how. The organizer's exports show it.

use super::schema::collected_signatures;
use super::{DbConn, DbError};
use crate::domain::csv_rows::Evidence;
use crate::model::{LetterId, SignatureId};
use chrono::NaiveDate;
use diesel::prelude::*;
use std::collections::HashMap;

/// Rows per statement: six values a row, well under both backends' limits
/// on bound values.
const CHUNK: usize = 1000;

/// Records the same evidence for every signature in `ids`.
pub fn insert_many(
    conn: &mut DbConn,
    letter_id: &LetterId,
    upload_id: &str,
    evidence: &Evidence,
    ids: &[SignatureId],
) -> Result<(), DbError> {
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|id| {
                (
                    collected_signatures::signature_id.eq(id.to_string()),
                    collected_signatures::letter_id.eq(letter_id.to_string()),
                    collected_signatures::upload_id.eq(upload_id.to_string()),
                    collected_signatures::collected_by.eq(evidence.by.clone()),
                    collected_signatures::collected_on.eq(evidence.on),
                    collected_signatures::collected_how.eq(evidence.how.clone()),
                )
            })
            .collect();
        // On the backends' own connections: diesel's multi-backend
        // connection has no multi-row insert.
        let insert = diesel::insert_into(collected_signatures::table).values(rows);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// The evidence of those of `ids` that were collected in person.
pub fn evidence_of(conn: &mut DbConn, ids: &[&str]) -> Result<HashMap<SignatureId, Evidence>, DbError> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(SignatureId, String, NaiveDate, String)> = collected_signatures::table
            .filter(collected_signatures::signature_id.eq_any(chunk))
            .select((
                collected_signatures::signature_id,
                collected_signatures::collected_by,
                collected_signatures::collected_on,
                collected_signatures::collected_how,
            ))
            .load(conn)?;
        found.extend(
            rows.into_iter()
                .map(|(id, by, on, how)| (id, Evidence { by, on, how })),
        );
    }
    Ok(found)
}
