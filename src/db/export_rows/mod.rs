//! The rows of an export, read in keyset pages so that a list of a million
//! names streams in bounded memory. Each page takes a connection from the
//! pool and gives it back, so a slow download never holds one.

mod decode;
mod read;

use super::schema::signatures;
use super::signatures::count_titles;
use super::{DbConn, DbError, MultiBackend, Pool};
use crate::model::{LetterId, SignatureId};
pub use crate::model::{Moderation, Tier};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_dsl::methods::LoadQuery as _;
use std::collections::VecDeque;

/// Rows read per query.
pub const PAGE_SIZE: i64 = 1000;

/// Whose names an export lists. The command line (`--who`) and the
/// workspace form (`who=`) both read it by these words, so they cannot drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Who {
    /// The initial signatories only.
    Initial,
    /// Initial signatories and confirmed signers who chose to be listed,
    /// as the public list shows them: nothing moderation hides or holds.
    #[default]
    // The command line's help is one line; the comment above is for readers
    // of the code.
    #[value(help = "Initial signatories and confirmed public signers")]
    Public,
    /// Every signature that counts (confirmed, not excluded), count-only,
    /// hidden and held ones included, with their email: for organizers only.
    #[value(help = "Everyone confirmed, count-only signers marked, with email addresses")]
    All,
}

/// The order of an export, read by the same words everywhere (`--order`,
/// `order=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// Initial signatories in their set order, then by confirmation time.
    #[default]
    List,
    /// By surname, French style, through the stored sort key.
    #[value(help = "By surname, French collation (É sorts with E)")]
    Surname,
}

#[derive(Debug, Clone)]
pub struct Selection {
    pub letter_id: LetterId,
    pub who: Who,
    pub order: Order,
    /// In surname order, whether initial signatories come first (each part
    /// sorted by surname) or are mixed in with the others.
    pub initial_first: bool,
    /// Rows confirmed after this instant are left out, so an export that
    /// takes a while is one consistent cut and its count matches its rows.
    pub as_of: NaiveDateTime,
}

/// One signatory as exports see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub id: SignatureId,
    pub name: String,
    pub titles: Vec<String>,
    pub city: Option<String>,
    pub tier: Tier,
    /// False for a count-only signer, whom only `Who::All` returns.
    pub listed: bool,
    /// Anything but `Shown` only in `Who::All` exports.
    pub moderation: Moderation,
    /// An organizer checked who this is (the workspace records by whom).
    pub verified: bool,
    /// Title lines verified by email domain (0-based); exports mark them.
    pub verified_lines: Vec<usize>,
    /// Read only for `Who::All`; `None` in every other export.
    pub email: Option<String>,
    pub confirmed_at: Option<NaiveDateTime>,
    /// Only in `Who::All` exports.
    pub organizer: Option<OrganizerDetails>,
    /// Collected in person, with the organizer's evidence: read only for
    /// `Who::All`.
    pub collected: Option<crate::domain::csv_rows::Evidence>,
}

/// What only an organizer export tells of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizerDetails {
    /// The signer asked for news of the letter.
    pub opt_in: bool,
    /// The language the signer signed in (`fr`, `en`).
    pub language: String,
    /// The letter's version the signer consented to; none for an initial
    /// signatory, whom an organizer added.
    pub letter_version: Option<i32>,
    /// Who in the workspace verified who this is, when, and how.
    pub verified_by: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub verified_how: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Position,
    Confirmed,
    SortKey,
}

/// One stretch of the export read with one index order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Phase {
    tier: Option<Tier>,
    key: KeyKind,
}

/// Where the previous page stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Position(i32, String),
    Confirmed(NaiveDateTime, String),
    Surname(String, String),
}

fn phases(sel: &Selection) -> Vec<Phase> {
    let phase = |tier, key| Phase { tier, key };
    match (sel.who, sel.order, sel.initial_first) {
        (Who::Initial, Order::List, _) => vec![phase(Some(Tier::Initial), KeyKind::Position)],
        (Who::Initial, Order::Surname, _) => vec![phase(Some(Tier::Initial), KeyKind::SortKey)],
        (_, Order::List, _) => vec![
            phase(Some(Tier::Initial), KeyKind::Position),
            phase(Some(Tier::Public), KeyKind::Confirmed),
        ],
        (_, Order::Surname, true) => vec![
            phase(Some(Tier::Initial), KeyKind::SortKey),
            phase(Some(Tier::Public), KeyKind::SortKey),
        ],
        (_, Order::Surname, false) => vec![phase(None, KeyKind::SortKey)],
    }
}

/// The rows a selection covers, before any ordering.
fn filtered(sel: &Selection, tier: Option<Tier>) -> signatures::BoxedQuery<'static, MultiBackend> {
    let mut query = signatures::table
        .filter(signatures::letter_id.eq(sel.letter_id.clone()))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::confirmed_at.le(sel.as_of))
        .into_boxed();
    query = match sel.who {
        // What the count counts: excluded signatures do not.
        Who::All => query.filter(signatures::excluded.eq(false)),
        // What the public list shows, with the same filters.
        Who::Public | Who::Initial => query
            .filter(signatures::is_public.eq(true))
            .filter(signatures::moderation.eq(Moderation::Shown)),
    };
    let tier = tier.or((sel.who == Who::Initial).then_some(Tier::Initial));
    // Both tiers named when the selection takes both: the indexes hold the
    // tier before the visibility, and an equality lets the planner start
    // a range there instead of skipping through every tier value.
    query = match tier {
        Some(tier) => query.filter(signatures::tier.eq(tier)),
        None => query.filter(signatures::tier.eq_any([Tier::Initial, Tier::Public])),
    };
    query
}

/// How many rows the selection lists, through the same filters as the rows.
pub fn count(conn: &mut DbConn, sel: &Selection) -> Result<i64, DbError> {
    Ok(filtered(sel, None).count().get_result(conn)?)
}

/// How many title lines a stored array holds, in SQL: the last column of
/// SQLite's `signatures_shown` index, spelled as the migration
/// `2026-12-08-100000_export_title_lines` spells it, so that SQLite reads
/// it from the index.
pub const TITLE_LINES: &str = "CASE WHEN json_valid(titles) THEN json_array_length(titles) ELSE 0 END";

/// The most title lines any listed signatory has: the CSV needs it for its
/// header before the first row. On SQLite it comes from the list's index
/// (see [`TITLE_LINES`]), without reading a row of the table; PostgreSQL's
/// rows are read and counted by the same reading of the stored arrays as
/// the rows' titles. Both agree on every array the service writes; a
/// hand-written array of something else than strings may give SQLite a
/// `title_N` column that stays empty, never one too few.
pub fn max_titles(conn: &mut DbConn, sel: &Selection) -> Result<usize, DbError> {
    if let DbConn::Sqlite(_) = conn {
        let max: Option<i64> = filtered(sel, None)
            .select(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
            >(&format!("MAX({TITLE_LINES})")))
            .get_result(conn)?;
        return Ok(usize::try_from(max.unwrap_or(0)).unwrap_or(0));
    }
    let mut max = 0;
    for titles in filtered(sel, None)
        .select(signatures::titles)
        .internal_load(conn)?
    {
        let titles: String = titles?;
        max = max.max(count_titles(&titles));
    }
    Ok(max)
}

/// The rows of a selection in order, one keyset page at a time.
pub struct ExportRows {
    pool: Pool,
    sel: Selection,
    phases: Vec<Phase>,
    phase: usize,
    after: Option<Key>,
    buffer: VecDeque<ExportRow>,
    page_size: i64,
    failed: bool,
}

impl ExportRows {
    pub fn new(pool: Pool, sel: Selection) -> ExportRows {
        Self::with_page_size(pool, sel, PAGE_SIZE)
    }

    pub fn with_page_size(pool: Pool, sel: Selection, page_size: i64) -> ExportRows {
        ExportRows {
            pool,
            phases: phases(&sel),
            sel,
            phase: 0,
            after: None,
            buffer: VecDeque::new(),
            page_size: page_size.max(1),
            failed: false,
        }
    }

    fn fetch(&mut self) -> Result<(), DbError> {
        let phase = self.phases[self.phase];
        let mut conn = self.pool.get()?;
        let start = self.buffer.len();
        let page = read::read_page(
            &mut conn,
            &self.sel,
            phase,
            self.after.as_ref(),
            self.page_size,
            &mut self.buffer,
        );
        // A page that fails halfway leaves none of its rows behind.
        let (read, last) = page.inspect_err(|_| self.buffer.truncate(start))?;
        if self.sel.who == Who::All {
            // One more query a page, for organizers' exports only: which
            // of these rows were collected in person, and how.
            let page = self.buffer.range(start..);
            let ids: Vec<&str> = page.map(|r| r.id.as_str()).collect();
            let mut found = super::collected::evidence_of(&mut conn, &ids)?;
            for row in self.buffer.range_mut(start..) {
                row.collected = found.remove(&row.id);
            }
        }
        drop(conn);
        if (read as i64) < self.page_size {
            self.phase += 1;
            self.after = None;
        } else {
            self.after = last;
        }
        Ok(())
    }
}

impl Iterator for ExportRows {
    type Item = Result<ExportRow, DbError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.buffer.pop_front() {
                return Some(Ok(row));
            }
            if self.failed || self.phase >= self.phases.len() {
                return None;
            }
            if let Err(e) = self.fetch() {
                self.failed = true;
                return Some(Err(e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(who: Who, order: Order, initial_first: bool) -> Selection {
        Selection {
            letter_id: "x".into(),
            who,
            order,
            initial_first,
            as_of: NaiveDateTime::default(),
        }
    }

    #[test]
    fn list_order_reads_initial_then_public() {
        let p = phases(&sel(Who::Public, Order::List, false));
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].tier, Some(Tier::Initial));
        assert_eq!(p[0].key, KeyKind::Position);
        assert_eq!(p[1].tier, Some(Tier::Public));
        assert_eq!(p[1].key, KeyKind::Confirmed);
    }

    #[test]
    fn surname_order_mixes_or_keeps_initial_first() {
        assert_eq!(
            phases(&sel(Who::All, Order::Surname, false)),
            vec![Phase {
                tier: None,
                key: KeyKind::SortKey
            }]
        );
        let p = phases(&sel(Who::Public, Order::Surname, true));
        assert_eq!(
            p.iter().map(|p| p.tier).collect::<Vec<_>>(),
            [Some(Tier::Initial), Some(Tier::Public)]
        );
        let p = phases(&sel(Who::Initial, Order::Surname, false));
        assert_eq!(
            p.iter().map(|p| p.tier).collect::<Vec<_>>(),
            [Some(Tier::Initial)]
        );
    }
}
