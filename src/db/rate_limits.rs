//! The shared rate limit's state: one row per quota and client, moved by
//! one statement per request, so that several servers on one database
//! count a client once.
//!
//! The rule is governor's GCRA, as the per-process store applies it: each
//! allowed request pushes the row's theoretical arrival time (TAT) one
//! emission interval `T` later, and a request is allowed while the TAT is
//! at most `tolerance = T × (burst − 1)` ahead of now. Times are integers
//! (microseconds since the Unix epoch, UTC) computed in Rust and bound as
//! parameters: the statement only compares and adds them, the same on
//! SQLite and PostgreSQL.

use super::schema::rate_limits;
use super::{DbConn, DbError};
use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use std::time::Duration;

/// One quota as the statement uses it: a burst, then one request every
/// `emission_us`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gcra {
    emission_us: i64,
    tolerance_us: i64,
}

impl Gcra {
    /// `burst` requests at once, then `per_minute`. Zero counts as one, as
    /// in the per-process store.
    pub fn new(burst: u32, per_minute: u32) -> Gcra {
        let emission_us = (60_000_000 / i64::from(per_minute.max(1))).max(1);
        Gcra {
            emission_us,
            tolerance_us: emission_us * (i64::from(burst.max(1)) - 1),
        }
    }
}

/// What a check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Refused: the client may try again after this long.
    Wait(Duration),
}

impl Verdict {
    /// The verdict the statement returned, as `(tat_us, allowed)` of the
    /// row it wrote, read at `now_us` under `gcra`. A refused request left
    /// the TAT more than the tolerance ahead; it may come back when it is
    /// within it again.
    fn of(row: (i64, bool), gcra: Gcra, now_us: i64) -> Verdict {
        match row {
            (_, true) => Verdict::Allowed,
            (tat_us, false) => {
                let wait_us = tat_us - gcra.tolerance_us - now_us;
                Verdict::Wait(Duration::from_micros(wait_us.max(0) as u64))
            }
        }
    }
}

/// Checks one request of `key_hash` against the quota `action` at
/// `now_us`, and counts it if allowed: one upsert that returns the
/// verdict. A new client is allowed and its TAT set one interval ahead;
/// a known one is allowed when its TAT is within the tolerance, and then
/// moves on from the later of its TAT and now; a refusal leaves the TAT as
/// it was. Concurrent checks of one client wait for each other on the row,
/// so none is lost.
pub fn check(
    conn: &mut DbConn,
    action: &str,
    key_hash: &[u8],
    gcra: Gcra,
    now_us: i64,
) -> Result<Verdict, DbError> {
    use rate_limits::{allowed, tat_us};
    let latest = now_us + gcra.tolerance_us;
    let fits = tat_us.le(latest);
    // SET reads the row as it was before the update, in both backends, so
    // `allowed` and the new TAT judge the same old TAT.
    let next = case_when(fits.and(tat_us.gt(now_us)), tat_us + gcra.emission_us)
        .when(fits, (now_us + gcra.emission_us).into_sql::<BigInt>())
        .otherwise(tat_us);
    let upsert = diesel::insert_into(rate_limits::table)
        .values((
            rate_limits::action.eq(action),
            rate_limits::key_hash.eq(key_hash),
            tat_us.eq(now_us + gcra.emission_us),
            allowed.eq(true),
        ))
        .on_conflict((rate_limits::action, rate_limits::key_hash))
        .do_update()
        .set((tat_us.eq(next), allowed.eq(fits)))
        .returning((tat_us, allowed));
    // On the backends' own connections: diesel's multi-backend connection
    // does not write `ON CONFLICT`, though both backends take it.
    let row: (i64, bool) = match conn {
        DbConn::Sqlite(c) => upsert.get_result(c)?,
        DbConn::Pg(c) => upsert.get_result(c)?,
    };
    Ok(Verdict::of(row, gcra, now_us))
}

/// Forgets the clients whose quotas are full again at `now_us`: such a row
/// decides nothing a missing row would not. Returns how many went.
pub fn purge(conn: &mut DbConn, now_us: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(rate_limits::table.filter(rate_limits::tat_us.le(now_us))).execute(conn)?)
}

/// How many clients are tracked, over every quota.
pub fn tracked(conn: &mut DbConn) -> Result<i64, DbError> {
    Ok(rate_limits::table.count().get_result(conn)?)
}

/// The present, as the shared store counts it.
pub fn now_us() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::{Connection, SqliteConnection};

    fn conn() -> DbConn {
        let mut conn = DbConn::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        crate::db::migrations::run(&mut conn).unwrap();
        conn
    }

    const S: i64 = 1_000_000;
    const T0: i64 = 1_800_000_000 * S;

    #[test]
    fn a_quota_is_an_interval_and_a_tolerance() {
        let g = Gcra::new(10, 6);
        assert_eq!(g.emission_us, 10 * S);
        assert_eq!(g.tolerance_us, 90 * S);
        assert_eq!(
            Gcra::new(1, 60).tolerance_us,
            0,
            "a burst of one tolerates nothing"
        );
        assert_eq!(Gcra::new(0, 0), Gcra::new(1, 1), "zero counts as one");
        assert_eq!(Gcra::new(1, u32::MAX).emission_us, 1, "never a zero interval");
    }

    #[test]
    fn a_refusal_says_when_the_tat_is_back_within_the_tolerance() {
        let g = Gcra::new(3, 60);
        assert_eq!(Verdict::of((T0 + 3 * S, true), g, T0), Verdict::Allowed);
        assert_eq!(
            Verdict::of((T0 + 3 * S, false), g, T0),
            Verdict::Wait(Duration::from_secs(1))
        );
        assert_eq!(
            Verdict::of((T0 + 3 * S, false), g, T0 + S + 250_000),
            Verdict::Wait(Duration::ZERO),
            "never a negative wait"
        );
    }

    #[test]
    fn burst_then_refusal_then_one_more_per_interval() {
        let mut c = conn();
        let g = Gcra::new(3, 60);
        let key = [7u8; 16];
        for _ in 0..3 {
            assert_eq!(check(&mut c, "sign", &key, g, T0).unwrap(), Verdict::Allowed);
        }
        assert_eq!(
            check(&mut c, "sign", &key, g, T0).unwrap(),
            Verdict::Wait(Duration::from_secs(1))
        );
        assert_eq!(
            check(&mut c, "confirm", &key, g, T0).unwrap(),
            Verdict::Allowed,
            "each quota counts apart"
        );
        assert_eq!(
            check(&mut c, "sign", &[8u8; 16], g, T0).unwrap(),
            Verdict::Allowed,
            "and each client"
        );
        let later = T0 + S - 1;
        assert_eq!(
            check(&mut c, "sign", &key, g, later).unwrap(),
            Verdict::Wait(Duration::from_micros(1))
        );
        assert_eq!(check(&mut c, "sign", &key, g, T0 + S).unwrap(), Verdict::Allowed);
        assert!(matches!(
            check(&mut c, "sign", &key, g, T0 + S).unwrap(),
            Verdict::Wait(_)
        ));
    }

    #[test]
    fn the_purge_forgets_only_full_quotas() {
        let mut c = conn();
        let g = Gcra::new(2, 60);
        check(&mut c, "sign", &[1], g, T0).unwrap();
        check(&mut c, "sign", &[2], g, T0).unwrap();
        check(&mut c, "sign", &[2], g, T0).unwrap();
        assert_eq!(tracked(&mut c).unwrap(), 2);
        assert_eq!(purge(&mut c, T0 + S - 1).unwrap(), 0, "both still count");
        assert_eq!(
            purge(&mut c, T0 + S).unwrap(),
            1,
            "the one-request client is whole again"
        );
        assert_eq!(purge(&mut c, T0 + 2 * S).unwrap(), 1);
        assert_eq!(tracked(&mut c).unwrap(), 0);
    }
}
