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
/// Written field by field: it runs once per row, and chrono's `format`
/// parses its pattern on every call.
pub fn timestamp(t: &chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
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
}
