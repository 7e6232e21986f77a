//! What every export carries so a journalist can tell which text and which
//! moment a list belongs to.

use crate::db::letters::Letter;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// Hex digits of the letter hash kept in a stamp: enough to tell two texts
/// apart at a glance, short enough to read aloud.
const HASH_DIGITS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub title: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub letter_hash: String,
}

impl Stamp {
    pub fn new(letter: &Letter, exported_at: DateTime<Utc>) -> Stamp {
        Stamp {
            title: letter.title.clone(),
            // Each edit of a published text adds a version; the letter row
            // holds the current one's text, which is what is exported.
            version: u32::try_from(letter.current_version).unwrap_or(1),
            exported_at,
            letter_hash: letter_hash(letter),
        }
    }

    /// The export time in UTC, to the second: `2026-11-27T14:05:09Z`.
    pub fn exported_at_text(&self) -> String {
        timestamp(&self.exported_at.naive_utc())
    }
}

/// A UTC time as exports write it: RFC 3339 to the second, with `Z`.
pub fn timestamp(t: &chrono::NaiveDateTime) -> String {
    let mut out = String::with_capacity(20);
    push_timestamp(t, &mut out);
    out
}

/// [`timestamp`] added to `out`: it runs once per row of a million-row
/// export, so it writes digits by hand, with no allocation and none of
/// `format!`'s machinery, which cost a tenth of a CSV export.
pub fn push_timestamp(t: &chrono::NaiveDateTime, out: &mut String) {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let year = t.year();
    if !(0..=9999).contains(&year) {
        // Never stored by the service, but written as chrono would.
        let _ = write!(
            out,
            "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        return;
    }
    let two = |out: &mut String, n: u32| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    two(out, year as u32 / 100);
    two(out, year as u32 % 100);
    out.push('-');
    two(out, t.month());
    out.push('-');
    two(out, t.day());
    out.push('T');
    two(out, t.hour());
    out.push(':');
    two(out, t.minute());
    out.push(':');
    two(out, t.second());
    out.push('Z');
}

/// The first 12 hex digits of the SHA-256 of the letter's text: title,
/// addressees, preamble and Markdown body, each followed by a line feed.
pub fn letter_hash(letter: &Letter) -> String {
    let mut hasher = Sha256::new();
    for part in [
        &letter.title,
        &letter.addressees,
        &letter.preamble,
        &letter.body_markdown,
    ] {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    let mut hex = hex::encode(hasher.finalize());
    hex.truncate(HASH_DIGITS);
    hex
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn timestamps_are_utc_to_the_second() {
        let t = NaiveDate::from_ymd_opt(2026, 3, 3)
            .unwrap()
            .and_hms_micro_opt(9, 5, 7, 123456)
            .unwrap();
        assert_eq!(timestamp(&t), "2026-03-03T09:05:07Z");
    }

    proptest::proptest! {
        /// The hand-written digits say what chrono's formatter says, for
        /// every year from 1 to 9999.
        #[test]
        fn timestamps_match_chrono(secs in -62_000_000_000i64..253_000_000_000i64, nanos in 0u32..1_000_000_000) {
            if let Some(t) = chrono::DateTime::from_timestamp(secs, nanos) {
                let t = t.naive_utc();
                proptest::prop_assert_eq!(timestamp(&t), t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            }
        }
    }
}
