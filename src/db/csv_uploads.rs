//! CSV files uploaded for import, kept between their preview and their
//! import, keyed by letter and the SHA-256 of their bytes.

use super::schema::csv_uploads;
use super::{new_id, DbConn, DbError, Tx};
use crate::model::{LetterId, OrganizerId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = csv_uploads)]
pub struct Upload {
    pub id: String,
    pub letter_id: LetterId,
    pub file_hash: String,
    pub file_name: String,
    /// The file's text (UTF-8, without its byte-order mark); empty once
    /// imported.
    pub content: String,
    pub created_at: NaiveDateTime,
    pub imported_at: Option<NaiveDateTime>,
    pub imported_mode: Option<String>,
    pub imported_count: Option<i32>,
}

/// The hex SHA-256 of a file's bytes.
pub fn hash_of(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// Keeps a file for its letter; the same file uploaded again (same hash)
/// keeps the row it has, imported or not.
pub fn store(
    conn: &mut DbConn,
    letter_id: &LetterId,
    file_hash: &str,
    file_name: &str,
    content: &str,
    by: &OrganizerId,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let insert = diesel::insert_into(csv_uploads::table)
        .values((
            csv_uploads::id.eq(new_id()),
            csv_uploads::letter_id.eq(letter_id),
            csv_uploads::file_hash.eq(file_hash),
            csv_uploads::file_name.eq(file_name),
            csv_uploads::content.eq(content),
            csv_uploads::uploaded_by.eq(by),
            csv_uploads::created_at.eq(now),
        ))
        .on_conflict((csv_uploads::letter_id, csv_uploads::file_hash))
        .do_nothing();
    // Per backend: diesel's multi-backend connection does not write
    // `ON CONFLICT`, though both backends take it.
    match conn {
        DbConn::Sqlite(c) => insert.execute(c)?,
        DbConn::Pg(c) => insert.execute(c)?,
    };
    Ok(())
}

/// A letter's upload by its hash; another letter's is not found, nor a
/// file never imported and kept since before `kept_since`: the promise is
/// to forget it, whether or not the maintenance pass has yet.
pub fn find(
    conn: &mut DbConn,
    letter_id: &LetterId,
    file_hash: &str,
    kept_since: NaiveDateTime,
) -> Result<Option<Upload>, DbError> {
    Ok(csv_uploads::table
        .filter(csv_uploads::letter_id.eq(letter_id))
        .filter(csv_uploads::file_hash.eq(file_hash))
        .filter(
            csv_uploads::imported_at
                .is_not_null()
                .or(csv_uploads::created_at.ge(kept_since)),
        )
        .select(Upload::as_select())
        .get_result(conn)
        .optional()?)
}

/// Claims an upload for its import: false when another import claimed
/// it first. A conditional update, so that on PostgreSQL a second import
/// of the same file waits for the first to commit and then finds it done,
/// instead of importing it twice beside it.
pub fn claim(
    tx: &mut Tx<'_>,
    id: &str,
    by: &OrganizerId,
    mode: &str,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let conn: &mut DbConn = tx;
    let claimed = diesel::update(
        csv_uploads::table
            .filter(csv_uploads::id.eq(id))
            .filter(csv_uploads::imported_at.is_null()),
    )
    .set((
        csv_uploads::imported_at.eq(Some(now)),
        csv_uploads::imported_by.eq(Some(by)),
        csv_uploads::imported_mode.eq(Some(mode)),
    ))
    .execute(conn)?;
    Ok(claimed == 1)
}

/// Records how many signatures the import added and drops the file's
/// text: they are stored, and the addresses in it need not stay twice.
/// The hash stays, so the same file uploaded again imports nothing.
pub fn finish(tx: &mut Tx<'_>, id: &str, count: i32) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    diesel::update(csv_uploads::table.find(id))
        .set((
            csv_uploads::content.eq(""),
            csv_uploads::imported_count.eq(Some(count)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets files uploaded before `cutoff` and never imported: they hold
/// addresses nobody chose to import.
/// Forgets the files of a letter never imported: its anonymisation takes
/// the addresses they hold with the rest.
pub fn forget_letter(conn: &mut DbConn, letter_id: &LetterId) -> Result<usize, DbError> {
    Ok(diesel::delete(
        csv_uploads::table
            .filter(csv_uploads::letter_id.eq(letter_id))
            .filter(csv_uploads::imported_at.is_null()),
    )
    .execute(conn)?)
}

pub fn purge_stale(conn: &mut DbConn, cutoff: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(
        csv_uploads::table
            .filter(csv_uploads::imported_at.is_null())
            .filter(csv_uploads::created_at.lt(cutoff)),
    )
    .execute(conn)?)
}
