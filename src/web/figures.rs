//! A letter's figures (by region, by day, listed and count-only), kept in
//! memory for `FIGURES_TTL`. Computing them reads every counted signature's
//! index entry once, so at a million signatures it is done at most once per
//! letter in that time, however many readers ask: moka makes concurrent
//! misses of one letter wait for the one computation. An organizer's change
//! to the letter drops them at once; a confirmation drops them only once
//! they are older than the count may be, so a wave of signatures does not
//! recompute them more often than that.

use crate::db::signatures::pages::count_listed;
use crate::db::stats::{figures, Figures};
use crate::db::{press, DbConn, DbError};
use crate::domain::SiteZone;
use crate::model::LetterId;
use moka::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

/// How old the figures page may be.
pub const FIGURES_TTL: Duration = Duration::from_secs(30);

/// The breakdown and the list's own counts, from one moment.
#[derive(Debug, Clone)]
pub struct LetterFigures {
    pub figures: Figures,
    pub listed: i64,
    pub count_only: i64,
    /// When they were computed (UTC).
    pub as_of: chrono::NaiveDateTime,
}

pub struct FigureCache {
    entries: Cache<String, Arc<LetterFigures>>,
    zone: SiteZone,
}

impl FigureCache {
    pub fn new(ttl: Duration, zone: SiteZone) -> FigureCache {
        FigureCache {
            entries: Cache::builder().max_capacity(1000).time_to_live(ttl).build(),
            zone,
        }
    }

    pub fn get(&self, conn: &mut DbConn, letter_id: &LetterId) -> Result<Arc<LetterFigures>, DbError> {
        let mut failed = None;
        let found = self.entries.optionally_get_with_by_ref(letter_id.as_str(), || {
            match compute(conn, letter_id, self.zone) {
                Ok(f) => Some(Arc::new(f)),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            }
        });
        match (found, failed) {
            (Some(f), _) => Ok(f),
            (None, Some(e)) => Err(e),
            // This caller waited on another one's computation, which
            // failed; its error is not ours to return: compute here.
            (None, None) => compute(conn, letter_id, self.zone).map(Arc::new),
        }
    }

    pub fn invalidate(&self, letter_id: &LetterId) {
        self.entries.invalidate(letter_id.as_str());
    }

    /// Drops a letter's figures if they are older than `age`.
    pub fn invalidate_older(&self, letter_id: &LetterId, age: Duration) {
        let stale = self.entries.get(letter_id.as_str()).is_some_and(|f| {
            let elapsed = crate::db::now() - f.as_of;
            elapsed.to_std().is_ok_and(|e| e >= age)
        });
        if stale {
            self.invalidate(letter_id);
        }
    }
}

fn compute(conn: &mut DbConn, letter_id: &LetterId, zone: SiteZone) -> Result<LetterFigures, DbError> {
    Ok(LetterFigures {
        figures: figures(conn, letter_id, zone)?,
        listed: count_listed(conn, letter_id)?,
        count_only: press::count_only(conn, letter_id)?,
        as_of: crate::db::now(),
    })
}
