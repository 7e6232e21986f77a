//! Workspace sessions, kept on the server so that they can be ended. The
//! browser's encrypted cookie holds a random token; this table holds the
//! time it was made and its SHA-256 (`domain::TokenHash`), so a copy of the
//! database opens no session.

use super::organizers::Organizer;
use super::schema::{organizers, sessions};
use super::{DbConn, DbError};
use crate::domain::{Token, TokenHash};
use crate::model::OrganizerId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub organizer_id: OrganizerId,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

/// `last_seen_at` moves at most this often: the workspace is not hot, but a
/// write on every page would still be a write for nothing. The idle timeout
/// is therefore up to this much early.
pub const TOUCH_EVERY_SECS: i64 = 60;

/// How long a session may last.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Without a request.
    pub idle: Duration,
    /// Since sign-in, however busy.
    pub absolute: Duration,
}

impl Lifetimes {
    pub fn from_std(idle: std::time::Duration, absolute: std::time::Duration) -> Lifetimes {
        // Out of chrono's range means "practically forever".
        let convert = |d| Duration::from_std(d).unwrap_or(Duration::MAX);
        Lifetimes {
            idle: convert(idle),
            absolute: convert(absolute),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// In use; `touch` when `last_seen_at` is due to move.
    Live {
        touch: bool,
    },
    /// Ended on purpose: sign-out, password change, account disabled.
    Ended,
    Idle,
    TooOld,
}

/// Whether a session may still be used at `now`.
pub fn judge(row: &SessionRow, now: NaiveDateTime, lifetimes: Lifetimes) -> Verdict {
    if row.ended_at.is_some() {
        Verdict::Ended
    } else if now - row.created_at >= lifetimes.absolute {
        Verdict::TooOld
    } else if now - row.last_seen_at >= lifetimes.idle {
        Verdict::Idle
    } else {
        Verdict::Live {
            touch: now - row.last_seen_at >= Duration::seconds(TOUCH_EVERY_SECS),
        }
    }
}

/// Opens a session for an organizer and returns the token for the cookie.
/// The account's sessions that are over for good by now are dropped on the
/// way, so the table holds a few rows per account at most.
pub fn start(
    conn: &mut DbConn,
    organizer_id: &OrganizerId,
    now: NaiveDateTime,
    lifetimes: Lifetimes,
) -> Result<Token, DbError> {
    let token = Token::generate();
    if let Some(cutoff) = now.checked_sub_signed(lifetimes.absolute) {
        diesel::delete(
            sessions::table
                .filter(sessions::organizer_id.eq(organizer_id))
                .filter(sessions::created_at.lt(cutoff)),
        )
        .execute(conn)?;
    }
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(token.hash().as_str()),
            sessions::organizer_id.eq(organizer_id),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::ended_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(token)
}

/// A session and its account.
pub fn find(conn: &mut DbConn, hash: &TokenHash) -> Result<Option<(SessionRow, Organizer)>, DbError> {
    Ok(sessions::table
        .inner_join(organizers::table)
        .filter(sessions::id.eq(hash.as_str()))
        .select((SessionRow::as_select(), Organizer::as_select()))
        .get_result(conn)
        .optional()?)
}

pub fn touch(conn: &mut DbConn, hash: &TokenHash, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(sessions::table.find(hash.as_str()))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Ends one session (sign-out).
pub fn end(conn: &mut DbConn, hash: &TokenHash, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(
        sessions::table
            .find(hash.as_str())
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(Some(now)))
    .execute(conn)?;
    Ok(())
}

/// Ends every session of an account (password set, account disabled) and
/// says how many were open.
pub fn end_all(conn: &mut DbConn, organizer_id: &OrganizerId, now: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::organizer_id.eq(organizer_id))
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(Some(now)))
    .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .expect("a valid time")
            .naive_utc()
            + Duration::minutes(minutes)
    }

    fn row(created: i64, seen: i64, ended: Option<i64>) -> SessionRow {
        SessionRow {
            id: "h".into(),
            organizer_id: "o".into(),
            created_at: at(created),
            last_seen_at: at(seen),
            ended_at: ended.map(at),
        }
    }

    const LIFE: Lifetimes = Lifetimes {
        idle: Duration::minutes(120),
        absolute: Duration::minutes(12 * 60),
    };

    #[test]
    fn a_fresh_session_is_live_and_not_touched_within_the_minute() {
        assert_eq!(
            judge(&row(0, 0, None), at(0), LIFE),
            Verdict::Live { touch: false }
        );
        let almost = at(0) + Duration::seconds(TOUCH_EVERY_SECS - 1);
        assert_eq!(
            judge(&row(0, 0, None), almost, LIFE),
            Verdict::Live { touch: false }
        );
        assert_eq!(
            judge(&row(0, 0, None), at(1), LIFE),
            Verdict::Live { touch: true }
        );
    }

    #[test]
    fn idle_absolute_and_ended_sessions_are_over() {
        assert_eq!(
            judge(&row(0, 0, None), at(119), LIFE),
            Verdict::Live { touch: true }
        );
        assert_eq!(judge(&row(0, 0, None), at(120), LIFE), Verdict::Idle);
        // Busy all along, but past the absolute lifetime.
        assert_eq!(
            judge(&row(0, 719, None), at(719), LIFE),
            Verdict::Live { touch: false }
        );
        assert_eq!(judge(&row(0, 719, None), at(720), LIFE), Verdict::TooOld);
        assert_eq!(judge(&row(0, 0, Some(0)), at(0), LIFE), Verdict::Ended);
    }

    #[test]
    fn huge_lifetimes_do_not_overflow() {
        let forever = Lifetimes::from_std(std::time::Duration::MAX, std::time::Duration::MAX);
        assert_eq!(
            judge(&row(0, 0, None), at(1), forever),
            Verdict::Live { touch: true }
        );
    }
}
