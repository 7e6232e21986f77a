//! Finding public signatories by name or title, through the words kept in
//! `signature_words`.
//!
//! The words are written whenever a signature's name or titles become what
//! it is confirmed with (confirmation, an import that confirms, the signer's
//! own edits, an organizer's edits of initial signatories) and erased with
//! them (withdrawal; deletion by cascade). They say nothing about who may be
//! found: every search goes back to `signatures` through the public list's
//! own filter ([`super::listed`]), so a hidden, held, count-only or
//! withdrawn signature is never found, whatever words it left.
//!
//! A search scans the index `(letter_id, word, signature_id)` over the
//! words that start with the query's rarest word, in batches; checks the
//! query's other words by primary key; and keeps a signature at its first
//! matching word only, so it appears once. Results come in the order of
//! that word, then id, and pages continue after a [`SearchCursor`]. A page
//! reads at most `MAX_SCAN` index entries: past that it ends early, with
//! a cursor to go on from.

use super::{listed, to_public, PublicRow, PublicSignatory};
use crate::db::schema::{signature_words, signatures};
use crate::db::{DbConn, DbError};
use crate::domain::search::{prefix_range, search_words, SearchQuery};
use crate::model::{LetterId, Tier};
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

/// Words read from the index at a time.
const BATCH: i64 = 256;
/// Most index entries one page of results reads.
const MAX_SCAN: i64 = 4096;
/// Signatures indexed at a time by the start-up backfill.
const BACKFILL_BATCH: i64 = 1000;

/// The migration that added the words; the backfill runs when it does.
pub const SEARCH_MIGRATION: &str = "2026-12-04-300000";

/// Where a page of search results stops: which of the query's words the
/// index was scanned by, and the word and id reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchCursor {
    pub word: String,
    pub id: String,
    pub term: usize,
}

impl SearchCursor {
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.id, self.term, self.word)
    }

    pub fn decode(s: &str) -> Option<SearchCursor> {
        let (id, rest) = s.split_once('.')?;
        let (term, word) = rest.split_once('.')?;
        uuid::Uuid::parse_str(id).ok()?;
        let term = term
            .parse()
            .ok()
            .filter(|t| *t < crate::domain::search::MAX_QUERY_WORDS)?;
        (!word.is_empty() && word.chars().all(char::is_alphanumeric)).then(|| SearchCursor {
            word: word.to_string(),
            id: id.to_string(),
            term,
        })
    }
}

/// A public signatory found, and whether they are an initial one.
#[derive(Debug, Clone)]
pub struct Found {
    pub signatory: PublicSignatory,
    pub initial: bool,
}

/// Replaces the words of one signature with those of this name and titles.
pub fn index(
    conn: &mut DbConn,
    signature_id: &str,
    letter_id: &LetterId,
    name: &str,
    titles: &[String],
) -> Result<(), DbError> {
    forget(conn, signature_id)?;
    index_new(conn, signature_id, letter_id, name, titles)
}

/// [`index`] for a signature that has no words yet: one being confirmed
/// (only confirmed signatures have words).
pub fn index_new(
    conn: &mut DbConn,
    signature_id: &str,
    letter_id: &LetterId,
    name: &str,
    titles: &[String],
) -> Result<(), DbError> {
    let words = search_words(name, titles);
    if let DbConn::Sqlite(c) = conn {
        // A statement a word: diesel prepares a multi-row insert of varying
        // length again at every call, and on SQLite a cached statement is a
        // function call, not a round trip.
        for word in &words {
            diesel::insert_into(signature_words::table)
                .values((
                    signature_words::signature_id.eq(signature_id),
                    signature_words::letter_id.eq(letter_id.as_str()),
                    signature_words::word.eq(word.as_str()),
                ))
                .execute(c)?;
        }
        return Ok(());
    }
    if let DbConn::Pg(c) = conn {
        let insert = crate::db::cached::InsertWords {
            signature_id,
            letter_id: letter_id.as_str(),
            words: &words,
        };
        insert.execute(c)?;
    }
    Ok(())
}

/// The words of many new signatures of one letter (an import).
pub fn index_many(
    conn: &mut DbConn,
    letter_id: &LetterId,
    people: &[(String, String, Vec<String>)],
) -> Result<(), DbError> {
    let words: Vec<(&str, Vec<String>)> = people
        .iter()
        .map(|(id, name, titles)| (id.as_str(), search_words(name, titles)))
        .collect();
    let rows: Vec<_> = words
        .iter()
        .flat_map(|(id, ws)| {
            ws.iter().map(move |w| {
                (
                    signature_words::signature_id.eq(*id),
                    signature_words::letter_id.eq(letter_id.as_str()),
                    signature_words::word.eq(w.as_str()),
                )
            })
        })
        .collect();
    insert_rows(conn, rows)
}

type WordRow<'a> = (
    diesel::dsl::Eq<signature_words::signature_id, &'a str>,
    diesel::dsl::Eq<signature_words::letter_id, &'a str>,
    diesel::dsl::Eq<signature_words::word, &'a str>,
);

fn insert_rows(conn: &mut DbConn, rows: Vec<WordRow<'_>>) -> Result<(), DbError> {
    // A few hundred rows a statement keeps under every backend's limit
    // on bound parameters. On the backends' own connections: diesel's
    // multi-backend connection has no multi-row insert.
    for chunk in rows.chunks(300) {
        let insert = diesel::insert_into(signature_words::table).values(chunk.to_vec());
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Erases the words of one signature (its withdrawal).
pub fn forget(conn: &mut DbConn, signature_id: &str) -> Result<(), DbError> {
    diesel::delete(signature_words::table.filter(signature_words::signature_id.eq(signature_id)))
        .execute(conn)?;
    Ok(())
}

/// Indexes every confirmed signature, a batch at a time, when the table
/// is new. Returns how many signatures were indexed.
pub fn backfill(conn: &mut DbConn) -> Result<u64, DbError> {
    let mut after = String::new();
    let mut done = 0;
    loop {
        let batch: Vec<(String, String, String, String)> = signatures::table
            .filter(crate::db::confirmed::CONFIRMED)
            .filter(signatures::id.gt(&after))
            .order(signatures::id.asc())
            .limit(BACKFILL_BATCH)
            .select((
                signatures::id,
                signatures::letter_id,
                signatures::name,
                signatures::titles,
            ))
            .load(conn)?;
        let Some(last) = batch.last() else {
            return Ok(done);
        };
        after = last.0.clone();
        conn.transaction::<_, DbError, _>(|conn| {
            for (id, letter, name, titles) in &batch {
                let letter = LetterId::from_raw(letter);
                index(conn, id, &letter, name, &super::decode_titles(titles))?;
            }
            Ok(())
        })?;
        done += batch.len() as u64;
    }
}

/// One page of public signatories matching `query`, after `after`. Reads
/// one result more than asked to know whether a next page exists.
pub fn search_page(
    conn: &mut DbConn,
    letter_id: &LetterId,
    query: &SearchQuery,
    after: Option<&SearchCursor>,
    limit: i64,
) -> Result<(Vec<Found>, Option<SearchCursor>), DbError> {
    let terms = query.terms();
    let driver = match after {
        Some(c) if c.term < terms.len() => c.term,
        Some(_) => return Ok((Vec::new(), None)),
        None => longest(terms),
    };
    let others: Vec<String> = terms
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != driver)
        .map(|(_, t)| t.clone())
        .collect();
    let (lo, hi) = prefix_range(&terms[driver]);
    let mut position = after.cloned();
    let mut found: Vec<(String, Found)> = Vec::new();
    let mut scanned = 0;
    let mut exhausted = false;
    while found.len() as i64 <= limit {
        if scanned >= MAX_SCAN {
            // A page costs at most this much, whatever the query: the
            // reader gets what was found so far and a link to go on.
            break;
        }
        let batch = scan(conn, letter_id, (&lo, &hi), position.as_ref())?;
        scanned += batch.len() as i64;
        let Some(last) = batch.last() else {
            exhausted = true;
            break;
        };
        position = Some(SearchCursor {
            id: last.0.clone(),
            word: last.1.clone(),
            term: driver,
        });
        found.extend(matching(conn, letter_id, &batch, (&lo, &hi), &others)?);
        if (batch.len() as i64) < BATCH {
            exhausted = true;
            break;
        }
    }
    let next = if found.len() as i64 > limit {
        found.truncate(limit as usize);
        found.last().map(|(word, f)| SearchCursor {
            word: word.clone(),
            id: f.signatory.id.to_string(),
            term: driver,
        })
    } else if exhausted {
        None
    } else {
        position
    };
    Ok((found.into_iter().map(|(_, f)| f).collect(), next))
}

/// The next words of the index in `[lo, hi)` after `position`, in order.
fn scan(
    conn: &mut DbConn,
    letter_id: &LetterId,
    (lo, hi): (&str, &str),
    position: Option<&SearchCursor>,
) -> Result<Vec<(String, String)>, DbError> {
    let mut scan = signature_words::table
        .filter(signature_words::letter_id.eq(letter_id.as_str()))
        .filter(signature_words::word.ge(lo))
        .filter(signature_words::word.lt(hi))
        .into_boxed();
    if let Some(c) = position {
        scan = scan.filter(
            signature_words::word.gt(c.word.clone()).or(signature_words::word
                .eq(c.word.clone())
                .and(signature_words::signature_id.gt(c.id.clone()))),
        );
    }
    Ok(scan
        .order((signature_words::word.asc(), signature_words::signature_id.asc()))
        .limit(BATCH)
        .select((signature_words::signature_id, signature_words::word))
        .load(conn)?)
}

/// Which term to scan by: the longest (the first in alphabetical order of
/// those as long), the one likely to start the fewest words. Never chosen
/// by counting the index: it holds hidden and count-only signers' words
/// too, and an order of results that followed their counts would tell a
/// stranger about them. `MAX_SCAN` bounds a page's cost either way.
fn longest(terms: &[String]) -> usize {
    terms
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| b.chars().count().cmp(&a.chars().count()).then_with(|| a.cmp(b)))
        .map_or(0, |(i, _)| i)
}

/// Of a batch of (signature, word) in index order, the public signatures
/// found at their first matching word that also match every other term,
/// in the batch's order, each with its matching word.
fn matching(
    conn: &mut DbConn,
    letter_id: &LetterId,
    batch: &[(String, String)],
    (lo, hi): (&str, &str),
    others: &[String],
) -> Result<Vec<(String, Found)>, DbError> {
    let ids: Vec<&str> = batch.iter().map(|(id, _)| id.as_str()).collect();
    // A signature with several words in range is kept at the first only.
    let in_range: Vec<(String, String)> = signature_words::table
        .filter(signature_words::signature_id.eq_any(&ids))
        .filter(signature_words::word.ge(lo))
        .filter(signature_words::word.lt(hi))
        .select((signature_words::signature_id, signature_words::word))
        .load(conn)?;
    let mut first: HashMap<String, String> = HashMap::new();
    for (id, word) in in_range {
        let entry = first.entry(id).or_insert_with(|| word.clone());
        if word < *entry {
            *entry = word;
        }
    }
    let mut keep: HashSet<&str> = batch
        .iter()
        .filter(|(id, word)| first.get(id) == Some(word))
        .map(|(id, _)| id.as_str())
        .collect();
    for term in others {
        if keep.is_empty() {
            break;
        }
        let (tlo, thi) = prefix_range(term);
        let candidates: Vec<&str> = keep.iter().copied().collect();
        let hits: HashSet<String> = signature_words::table
            .filter(signature_words::signature_id.eq_any(&candidates))
            .filter(signature_words::word.ge(&tlo))
            .filter(signature_words::word.lt(&thi))
            .select(signature_words::signature_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        keep.retain(|id| hits.contains(*id));
    }
    if keep.is_empty() {
        return Ok(Vec::new());
    }
    // One primary-key read each, through the public list's filter: with
    // `id IN (…)` beside the letter's equalities, SQLite without
    // statistics scans a letter-wide index instead (a million entries).
    let mut public: HashMap<String, Found> = HashMap::new();
    for id in keep {
        let row = listed(letter_id)
            .filter(signatures::id.eq(id))
            .select((PublicRow::as_select(), signatures::tier))
            .first::<(PublicRow, Tier)>(conn)
            .optional()?;
        if let Some((row, tier)) = row {
            public.insert(
                id.to_string(),
                Found {
                    signatory: to_public(row),
                    initial: tier == Tier::Initial,
                },
            );
        }
    }
    Ok(batch
        .iter()
        .filter_map(|(id, word)| public.remove(id).map(|f| (word.clone(), f)))
        .collect())
}
