//! The site's time zone: every time a person reads or types is in it, and
//! every time stored is UTC. The zone rules come from chrono-tz's copy of
//! the IANA database, never from offsets worked out by hand.

use chrono::{LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// `America/Toronto` unless the site says otherwise: Quebec's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteZone(Tz);

impl Default for SiteZone {
    fn default() -> SiteZone {
        SiteZone(chrono_tz::America::Toronto)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: give an IANA name such as America/Toronto")]
pub struct UnknownZone(pub String);

/// Why a typed date and time is not a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("not a date and time (YYYY-MM-DDTHH:MM)")]
    Malformed,
    /// The hour the clocks skip in spring: that time never happens.
    #[error("this time does not exist: the clocks skip it")]
    Skipped,
}

impl FromStr for SiteZone {
    type Err = UnknownZone;
    fn from_str(s: &str) -> Result<SiteZone, UnknownZone> {
        s.trim()
            .parse::<Tz>()
            .map(SiteZone)
            .map_err(|_| UnknownZone(s.to_string()))
    }
}

impl fmt::Display for SiteZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

impl SiteZone {
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The wall-clock time in the zone at the UTC moment `utc`.
    pub fn local(&self, utc: NaiveDateTime) -> NaiveDateTime {
        self.0.from_utc_datetime(&utc).naive_local()
    }

    /// "UTC−05:00": the offset in force at `utc`, with a true minus sign.
    pub fn offset(&self, utc: NaiveDateTime) -> String {
        let seconds = self.0.from_utc_datetime(&utc).offset().fix().local_minus_utc();
        let sign = if seconds < 0 { '\u{2212}' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }

    /// Whether the wall-clock time at `utc` happens twice (the hour the
    /// clocks go back): then only the offset tells which one is meant.
    pub fn is_ambiguous(&self, utc: NaiveDateTime) -> bool {
        matches!(
            self.0.from_local_datetime(&self.local(utc)),
            LocalResult::Ambiguous(..)
        )
    }

    /// "2026-11-01 01:30", with the offset when that time happens twice.
    pub fn show(&self, utc: NaiveDateTime) -> String {
        let text = self.local(utc).format("%Y-%m-%d %H:%M").to_string();
        if self.is_ambiguous(utc) {
            format!("{text} ({})", self.offset(utc))
        } else {
            text
        }
    }

    /// "2026-11-27 09:05:09 UTC−05:00": for stamps a reader may compare
    /// across zones.
    pub fn show_exact(&self, utc: NaiveDateTime) -> String {
        format!(
            "{} {}",
            self.local(utc).format("%Y-%m-%d %H:%M:%S"),
            self.offset(utc)
        )
    }

    /// The value of a `datetime-local` field showing `utc`.
    pub fn input_value(&self, utc: NaiveDateTime) -> String {
        self.local(utc).format("%Y-%m-%dT%H:%M").to_string()
    }

    /// A `datetime-local` value typed in the zone, as a UTC moment. Of a
    /// time that happens twice, the first is meant: the earlier moment.
    pub fn parse_input(&self, text: &str) -> Result<NaiveDateTime, LocalTimeError> {
        let text = text.trim();
        // Four-digit years only, as a date field sends them: chrono reads
        // "+10000-01-01", which the databases would store and compare as
        // text out of order.
        if !text
            .as_bytes()
            .get(..5)
            .is_some_and(|y| y[..4].iter().all(u8::is_ascii_digit) && y[4] == b'-')
        {
            return Err(LocalTimeError::Malformed);
        }
        let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| LocalTimeError::Malformed)?;
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) => Ok(t.naive_utc()),
            LocalResult::Ambiguous(first, _) => Ok(first.naive_utc()),
            LocalResult::None => Err(LocalTimeError::Skipped),
        }
    }

    /// The UTC moment a local day begins: its first midnight, or, where
    /// the clocks skip midnight, the first moment that exists that day.
    pub fn day_start(&self, day: chrono::NaiveDate) -> NaiveDateTime {
        let mut local = day.and_time(chrono::NaiveTime::MIN);
        for _ in 0..4 {
            match self.0.from_local_datetime(&local) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.naive_utc(),
                LocalResult::None => local += chrono::Duration::minutes(30),
            }
        }
        local
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_day_starts_at_local_midnight() {
        let z = SiteZone::default();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Winter: UTC−5; summer: UTC−4.
        assert_eq!(z.day_start(d(2026, 1, 15)).to_string(), "2026-01-15 05:00:00");
        assert_eq!(z.day_start(d(2026, 7, 1)).to_string(), "2026-07-01 04:00:00");
        assert_eq!(z.local(z.day_start(d(2026, 3, 8))).date(), d(2026, 3, 8));
    }

    #[test]
    fn only_four_digit_years_are_read() {
        let zone = SiteZone::default();
        for text in [
            "+10000-01-01T00:00",
            "10000-01-01T00:00",
            "-0001-01-01T00:00",
            "99-01-01T00:00",
            "",
        ] {
            assert_eq!(zone.parse_input(text), Err(LocalTimeError::Malformed), "{text}");
        }
        assert!(zone.parse_input("2099-06-01T06:00").is_ok());
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn toronto_by_default_with_its_clock_changes() {
        let z = SiteZone::default();
        assert_eq!(z.name(), "America/Toronto");
        // Winter: UTC−5; summer: UTC−4.
        assert_eq!(z.show(utc(2026, 1, 15, 11, 0)), "2026-01-15 06:00");
        assert_eq!(z.show(utc(2026, 7, 15, 10, 0)), "2026-07-15 06:00");
        assert_eq!(z.offset(utc(2026, 1, 15, 11, 0)), "UTC\u{2212}05:00");
        assert_eq!(z.offset(utc(2026, 7, 15, 10, 0)), "UTC\u{2212}04:00");
    }

    #[test]
    fn typed_times_round_trip() {
        let z = SiteZone::default();
        let t = z.parse_input("2026-06-01T06:00").unwrap();
        assert_eq!(t, utc(2026, 6, 1, 10, 0));
        assert_eq!(z.input_value(t), "2026-06-01T06:00");
        assert_eq!(z.parse_input("demain"), Err(LocalTimeError::Malformed));
    }

    #[test]
    fn clock_changes_are_explicit() {
        let z = SiteZone::default();
        // 2026-03-08: 02:00 becomes 03:00; 02:30 never happens.
        assert_eq!(z.parse_input("2026-03-08T02:30"), Err(LocalTimeError::Skipped));
        // 2026-11-01: 01:30 happens twice; the first (UTC−4) is meant, and
        // both show their offset.
        let first = z.parse_input("2026-11-01T01:30").unwrap();
        assert_eq!(first, utc(2026, 11, 1, 5, 30));
        assert_eq!(z.show(first), "2026-11-01 01:30 (UTC\u{2212}04:00)");
        assert_eq!(
            z.show(utc(2026, 11, 1, 6, 30)),
            "2026-11-01 01:30 (UTC\u{2212}05:00)"
        );
    }

    #[test]
    fn zones_are_named() {
        assert_eq!("Europe/Paris".parse::<SiteZone>().unwrap().name(), "Europe/Paris");
        assert!("Mars/Olympus".parse::<SiteZone>().is_err());
        assert_eq!(
            "UTC"
                .parse::<SiteZone>()
                .unwrap()
                .show_exact(utc(2026, 1, 1, 0, 0)),
            "2026-01-01 00:00:00 UTC+00:00"
        );
    }
}
