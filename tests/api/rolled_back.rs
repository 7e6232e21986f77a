//! Running a use case in a write transaction that is always rolled back,
//! to compare what two ways of running it told and left.

use crate::helpers::TestApp;
use diesel::sql_types::Text;
use undersigned::db::{write_tx, DbError, Tx};

/// One text column of a row, as snapshots read them.
#[derive(diesel::QueryableByName)]
pub struct Row {
    #[diesel(sql_type = Text)]
    pub v: String,
}

/// Why a transaction of these tests ends: always rolled back, with what it saw.
enum End {
    Saw(Vec<String>, Vec<String>),
    Failed(DbError),
}

impl From<diesel::result::Error> for End {
    fn from(e: diesel::result::Error) -> Self {
        End::Failed(e.into())
    }
}

impl From<DbError> for End {
    fn from(e: DbError) -> Self {
        End::Failed(e)
    }
}

/// Runs `f` in a write transaction that is rolled back, and gives what it
/// told and the rows `snapshot` read before the rollback.
pub fn rolled_back(
    app: &TestApp,
    f: impl FnOnce(&mut Tx<'_>) -> Result<Vec<String>, DbError>,
    snapshot: impl FnOnce(&mut Tx<'_>) -> Result<Vec<String>, DbError>,
) -> (Vec<String>, Vec<String>) {
    let ended: Result<(), End> = app.with_conn(|conn| {
        write_tx(conn, |tx| {
            let told = f(tx)?;
            let rows = snapshot(tx)?;
            Err(End::Saw(told, rows))
        })
    });
    match ended {
        Err(End::Saw(told, rows)) => (told, rows),
        Err(End::Failed(e)) => panic!("the transaction failed: {e}"),
        Ok(()) => unreachable!("always rolled back"),
    }
}
