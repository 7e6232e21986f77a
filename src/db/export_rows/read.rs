//! One keyset page of an export, read straight from the statement into the
//! page buffer.

use super::{decode, filtered, ExportRow, Key, KeyKind, OrganizerDetails, Phase, Selection, Tier, Who};
use crate::db::schema::signatures;
use crate::db::signatures::decode_titles;
use crate::db::{DbConn, DbError};
use crate::model::SignatureId;
use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::query_dsl::methods::LoadQuery as _;
use diesel::sql_types::{Bool, Integer, Nullable, Text};
use std::collections::VecDeque;

/// What organizer exports read beyond the rest: the address, then the
/// columns of `OrganizerDetails`.
type RawDetails = (
    Option<String>,
    bool,
    String,
    Option<i32>,
    Option<String>,
    Option<NaiveDateTime>,
    Option<String>,
);

/// What every export reads of a row.
type RawCore = (
    String,
    String,
    String,
    Option<String>,
    // tier = 'initial'
    bool,
    bool,
    // confirmed_at, as text: see `decode`.
    Option<String>,
    Option<i32>,
    String,
    // moderation, by `decode::MODERATION_CODE`
    i32,
    bool,
    Option<String>,
);

/// The rows of one page as they go into the buffer.
struct PageRows<'a> {
    out: &'a mut VecDeque<ExportRow>,
    read: usize,
    last_position: Option<i32>,
    last_sort_key: String,
}

impl<'a> PageRows<'a> {
    fn new(out: &'a mut VecDeque<ExportRow>) -> Self {
        PageRows {
            out,
            read: 0,
            last_position: None,
            last_sort_key: String::new(),
        }
    }

    fn push(&mut self, core: RawCore, details: Option<RawDetails>) -> Result<(), DbError> {
        let (
            id,
            name,
            titles,
            city,
            initial,
            listed,
            confirmed_at,
            position,
            sort_key,
            moderation,
            verified,
            verified_lines,
        ) = core;
        let confirmed_at = match confirmed_at {
            None => None,
            Some(text) => Some(decode::parse_timestamp(&text).ok_or_else(|| unreadable_time(&text))?),
        };
        let verified_lines: Vec<usize> = verified_lines
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        (self.read, self.last_position, self.last_sort_key) = (self.read + 1, position, sort_key);
        let (email, organizer) = match details {
            None => (None, None),
            Some((email, opt_in, language, letter_version, verified_by, verified_at, verified_how)) => (
                email,
                Some(OrganizerDetails {
                    opt_in,
                    language,
                    letter_version,
                    verified_by,
                    verified_at,
                    verified_how,
                }),
            ),
        };
        self.out.push_back(ExportRow {
            id: SignatureId::from_raw(id),
            name,
            titles: decode_titles(&titles),
            city,
            tier: if initial { Tier::Initial } else { Tier::Public },
            listed,
            moderation: decode::moderation(moderation),
            verified: verified || !verified_lines.is_empty(),
            verified_lines,
            email,
            confirmed_at,
            organizer,
            collected: None,
        });
        Ok(())
    }
}

pub(super) fn read_page(
    conn: &mut DbConn,
    sel: &Selection,
    phase: Phase,
    after: Option<&Key>,
    limit: i64,
    out: &mut VecDeque<ExportRow>,
) -> Result<(usize, Option<Key>), DbError> {
    let mut query = filtered(sel, phase.tier);
    // `key >= k AND (key > k OR id > id)` rather than the bare OR: the first
    // half gives both databases an index range to start from, so each page
    // costs its own rows instead of a scan from the top of the list.
    query = match after {
        None => query,
        Some(Key::Position(p, id)) => query.filter(
            signatures::position
                .ge(*p)
                .and(signatures::position.gt(*p).or(signatures::id.gt(id.clone()))),
        ),
        Some(Key::Confirmed(at, id)) => query.filter(
            signatures::confirmed_at
                .ge(*at)
                .and(signatures::confirmed_at.gt(*at).or(signatures::id.gt(id.clone()))),
        ),
        Some(Key::Surname(k, id)) => query.filter(
            signatures::sort_key.ge(k.clone()).and(
                signatures::sort_key
                    .gt(k.clone())
                    .or(signatures::id.gt(id.clone())),
            ),
        ),
    };
    query = match phase.key {
        KeyKind::Position => query.order((signatures::position.asc(), signatures::id.asc())),
        KeyKind::Confirmed => query.order((signatures::confirmed_at.asc(), signatures::id.asc())),
        KeyKind::SortKey => query.order((signatures::sort_key.asc(), signatures::id.asc())),
    };
    // Only the column of this phase's key is read: the others would be a
    // string or a number per row for nothing.
    let position = sql::<Nullable<Integer>>(if phase.key == KeyKind::Position {
        "position"
    } else {
        "NULL"
    });
    let sort_key = sql::<Text>(if phase.key == KeyKind::SortKey {
        "sort_key"
    } else {
        "''"
    });
    let confirmed_at = sql::<Nullable<Text>>(decode::confirmed_at_text(conn));
    let core = (
        signatures::id,
        signatures::name,
        signatures::titles,
        signatures::city,
        // The two stored words as a flag and a number: an enum read as
        // text costs a string per row.
        sql::<Bool>("tier = 'initial'"),
        signatures::is_public,
        confirmed_at,
        position,
        sort_key,
        sql::<Integer>(decode::MODERATION_CODE),
        signatures::verified_at.is_not_null(),
        signatures::verified_lines,
    );
    let query = query.limit(limit);
    // Each row goes straight into the page buffer; only the last row's
    // position or sort key is kept, for the next page to start after.
    let mut page = PageRows::new(out);
    if sel.who == Who::All {
        // The signer's address and choices, and who verified them, are
        // read for organizers only: other exports never read them at all,
        // rather than read and drop them (a column costs each row a
        // decoding, seven of them a tenth of the export).
        let details = (
            signatures::email,
            signatures::wants_updates,
            signatures::language,
            signatures::consent_letter_version,
            signatures::verified_by,
            signatures::verified_at,
            signatures::verified_how,
        );
        for row in query.select((core, details)).internal_load(conn)? {
            let (core, details): (RawCore, RawDetails) = row?;
            page.push(core, Some(details))?;
        }
    } else {
        for row in query.select(core).internal_load(conn)? {
            page.push(row?, None)?;
        }
    }
    let PageRows {
        out,
        read,
        last_position,
        last_sort_key,
    } = page;
    let key = out.back().filter(|_| read > 0).map(|row| {
        let id = row.id.as_str().to_owned();
        match phase.key {
            KeyKind::Position => Key::Position(last_position.unwrap_or(0), id),
            // Confirmed rows always have a time: the filter on as_of leaves
            // out the others.
            KeyKind::Confirmed => Key::Confirmed(row.confirmed_at.unwrap_or_default(), id),
            KeyKind::SortKey => Key::Surname(last_sort_key, id),
        }
    });
    Ok((read, key))
}

/// A stored time no format reads: the export stops rather than guess
/// where its next page starts.
fn unreadable_time(text: &str) -> DbError {
    DbError::Query(diesel::result::Error::DeserializationError(
        format!("unreadable confirmation time {text:?}").into(),
    ))
}
