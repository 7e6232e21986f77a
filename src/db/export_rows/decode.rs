//! What a million-row export reads per row, decoded without the general
//! machinery: diesel reads an SQLite time by trying chrono's format
//! strings one after another, which cost an export nearly as much as
//! writing its CSV. Times are read as text and parsed by hand here; anything unusual
//! falls back to chrono.

use crate::db::DbConn;
use crate::model::Moderation;
use chrono::{NaiveDate, NaiveDateTime};

/// The SQL that reads `confirmed_at` as text, as each backend can give
/// it: SQLite stores the text diesel wrote, PostgreSQL spells it out to the
/// microsecond it keeps, whatever the session's `DateStyle`.
pub fn confirmed_at_text(conn: &DbConn) -> &'static str {
    match conn {
        DbConn::Pg(_) => "to_char(confirmed_at, 'YYYY-MM-DD HH24:MI:SS.US')",
        DbConn::Sqlite(_) => "confirmed_at",
    }
}

/// Moderation as a number: 0 shown, 1 queued, 2 hidden.
pub const MODERATION_CODE: &str = "CASE moderation WHEN 'shown' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END";

/// The moderation a [`MODERATION_CODE`] names; anything unknown is kept
/// out of sight, as hidden.
pub fn moderation(code: i32) -> Moderation {
    match code {
        0 => Moderation::Shown,
        1 => Moderation::Queued,
        _ => Moderation::Hidden,
    }
}

/// The zone-less spellings among those diesel reads an SQLite timestamp
/// in, most likely first; the hand parser covers the first two. Diesel also
/// takes a zone suffix or a Julian day number, which the service never
/// writes: such a time stops the export with an error naming it.
const FALLBACK_FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
];

/// A stored time, or `None` for text no format reads.
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    by_hand(text).or_else(|| {
        FALLBACK_FORMATS
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    })
}

/// `YYYY-MM-DD HH:MM:SS` with an optional fraction of up to nine digits,
/// `T` or a space between date and time.
fn by_hand(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b' ' | b'T')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let number = |digits: &[u8]| -> Option<u32> {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(number(&b[0..4])? as i32, number(&b[5..7])?, number(&b[8..10])?)?;
    let (hour, minute, second) = (number(&b[11..13])?, number(&b[14..16])?, number(&b[17..19])?);
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            number(fraction)? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    date.and_hms_nano_opt(hour, minute, second, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stored_spellings() {
        let t = |s: &str| parse_timestamp(s).map(|t| t.format("%F %T%.f").to_string());
        assert_eq!(t("2026-01-01 00:00:01").as_deref(), Some("2026-01-01 00:00:01"));
        assert_eq!(
            t("2026-01-01T00:00:01.5").as_deref(),
            Some("2026-01-01 00:00:01.500")
        );
        assert_eq!(
            t("2026-12-01 18:05:09.123456").as_deref(),
            Some("2026-12-01 18:05:09.123456")
        );
        assert_eq!(t("2026-12-01 18:05").as_deref(), Some("2026-12-01 18:05:00"));
        for bad in [
            "",
            "2026-13-01 00:00:00",
            "2026-01-01 00:00:00.",
            "2026-01-01 24:00:00",
            "yesterday",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    /// The number read in SQL names each stored word's own state.
    #[test]
    fn moderation_codes_match_the_stored_words() {
        for (word, code) in [("shown", 0), ("queued", 1), ("hidden", 2)] {
            assert_eq!(moderation(code).as_str(), word);
            assert!(MODERATION_CODE.contains(&format!("'{word}' THEN {code}")) || code == 2);
        }
        assert_eq!(Moderation::ALL.len(), 3, "a new state needs its own code");
    }

    proptest! {
        /// Whatever diesel wrote (`%F %T%.f`, any precision), the hand
        /// parser reads back the very time, as chrono does.
        #[test]
        fn reads_what_diesel_writes(secs in 0i64..253_000_000_000i64, nanos in 0u32..1_000_000_000, digits in 0usize..4) {
            let nanos = [0, nanos / 1_000_000 * 1_000_000, nanos / 1_000 * 1_000, nanos][digits];
            let t = chrono::DateTime::from_timestamp(secs, nanos).unwrap().naive_utc();
            let stored = t.format("%F %T%.f").to_string();
            prop_assert_eq!(by_hand(&stored), Some(t));
            prop_assert_eq!(parse_timestamp(&stored), NaiveDateTime::parse_from_str(&stored, "%F %T%.f").ok());
        }
    }
}
