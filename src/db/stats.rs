//! The figures page: a letter's counted signatures by region and by day.
//! Every figure is counted with the one count's own filter
//! ([`signatures::counted`](super::signatures::counted)), grouped through
//! indexes (`signatures_count_city`, `signatures_count_day`), so the parts
//! add up to the count the pages show. Names are never read.

use super::schema::signatures;
use super::signatures::counted;
use super::{DbConn, DbError};
use crate::domain::regions::{Place, Places, Region};
use crate::domain::SiteZone;
use crate::model::LetterId;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// Most days drawn: a letter signed for longer shows its latest days, and
/// the days before are summed into `earlier`.
pub const MAX_DAYS: usize = 400;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The sum of every part below.
    pub total: i64,
    /// The 17 regions in official order, with zeros.
    pub regions: Vec<(Region, i64)>,
    pub other: i64,
    pub not_given: i64,
    /// Counted signatures confirmed before the first day shown.
    pub earlier: i64,
    /// Each day in the site's time zone from the first to the last
    /// signature (at most [`MAX_DAYS`]), days without signatures included.
    pub days: Vec<(NaiveDate, i64)>,
}

/// The figures of one letter as of now. One grouped read for the places,
/// one count per day for the days.
pub fn figures(conn: &mut DbConn, letter_id: &LetterId, zone: SiteZone) -> Result<Figures, DbError> {
    conn.transaction::<_, DbError, _>(|conn| {
        let by_city: Vec<(Option<String>, i64)> = counted(letter_id)
            .group_by(signatures::city)
            .select((signatures::city, count_star()))
            .load(conn)?;
        let mut regions: BTreeMap<Region, i64> = Region::all().map(|r| (r, 0)).collect();
        let (mut other, mut not_given, mut total) = (0, 0, 0);
        let places = Places::default();
        for (city, n) in by_city {
            total += n;
            match places.place_of(city.as_deref()) {
                Place::Region(r) => *regions.entry(r).or_default() += n,
                Place::Other => other += n,
                Place::NotGiven => not_given += n,
            }
        }
        let (earlier, days) = by_day(conn, letter_id, zone)?;
        Ok(Figures {
            total,
            regions: regions.into_iter().collect(),
            other,
            not_given,
            earlier,
            days,
        })
    })
}

fn by_day(
    conn: &mut DbConn,
    letter_id: &LetterId,
    zone: SiteZone,
) -> Result<(i64, Vec<(NaiveDate, i64)>), DbError> {
    let (first, last): (Option<NaiveDateTime>, Option<NaiveDateTime>) = counted(letter_id)
        .select((min(signatures::confirmed_at), max(signatures::confirmed_at)))
        .get_result(conn)?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok((0, Vec::new()));
    };
    let last_day = zone.local(last).date();
    let mut day = zone.local(first).date();
    let mut earlier = 0;
    if let Some(cut) = last_day.checked_sub_days(chrono::Days::new(MAX_DAYS as u64 - 1)) {
        if cut > day {
            earlier = counted(letter_id)
                .filter(signatures::confirmed_at.lt(zone.day_start(cut)))
                .count()
                .get_result(conn)?;
            day = cut;
        }
    }
    let mut days = Vec::new();
    while day <= last_day {
        let next = day.succ_opt().unwrap_or(day);
        let n: i64 = counted(letter_id)
            .filter(signatures::confirmed_at.ge(zone.day_start(day)))
            .filter(signatures::confirmed_at.lt(zone.day_start(next)))
            .count()
            .get_result(conn)?;
        days.push((day, n));
        if next == day {
            break;
        }
        day = next;
    }
    Ok((earlier, days))
}
