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
use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamp};
use std::collections::VecDeque;

/// The columns of `OrganizerDetails`, read as NULL for other exports.
type RawDetails = (
    bool,
    String,
    Option<i32>,
    Option<String>,
    Option<NaiveDateTime>,
    Option<String>,
);

type RawRow = (
    String,
    String,
    String,
    Option<String>,
    // tier = 'initial'
    bool,
    bool,
    Option<String>,
    // confirmed_at, as text: see `decode`.
    Option<String>,
    Option<i32>,
    String,
    // moderation, by `decode::MODERATION_CODE`
    i32,
    bool,
    Option<String>,
    RawDetails,
);

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
    // Who verified (an organizer's address) and their note stay unread
    // outside organizer exports, as the signer's address does.
    let organizer_only_or = |column: &'static str, otherwise: &'static str| {
        if sel.who == Who::All {
            column
        } else {
            otherwise
        }
    };
    let organizer_only = |column: &'static str| organizer_only_or(column, "NULL");
    // Public exports never read the address at all, rather than read and drop it.
    let email = sql::<Nullable<Text>>(organizer_only("email"));
    // The signer's choices too: a public export would read a language
    // string per row only to drop it.
    let details = (
        sql::<Bool>(organizer_only_or("wants_updates", "false")),
        sql::<Text>(organizer_only_or("language", "''")),
        sql::<Nullable<Integer>>(organizer_only("consent_letter_version")),
        sql::<Nullable<Text>>(organizer_only("verified_by")),
        sql::<Nullable<Timestamp>>(organizer_only("verified_at")),
        sql::<Nullable<Text>>(organizer_only("verified_how")),
    );
    let confirmed_at = sql::<Nullable<Text>>(decode::confirmed_at_text(conn));
    let rows = query
        .select((
            signatures::id,
            signatures::name,
            signatures::titles,
            signatures::city,
            // The two stored words as a flag and a number: an enum read as
            // text costs a string per row.
            sql::<Bool>("tier = 'initial'"),
            signatures::is_public,
            email,
            confirmed_at,
            position,
            sort_key,
            sql::<Integer>(decode::MODERATION_CODE),
            signatures::verified_at.is_not_null(),
            signatures::verified_lines,
            details,
        ))
        .limit(limit)
        .internal_load(conn)?;
    // Each row goes straight into the page buffer; only the last row's
    // position or sort key is kept, for the next page to start after.
    let organizer = sel.who == Who::All;
    let (mut read, mut last_position, mut last_sort_key) = (0, None, String::new());
    for row in rows {
        let (
            id,
            name,
            titles,
            city,
            initial,
            listed,
            email,
            confirmed_at,
            position,
            sort_key,
            moderation,
            verified,
            verified_lines,
            (opt_in, language, letter_version, verified_by, verified_at, verified_how),
        ): RawRow = row?;
        let confirmed_at = match confirmed_at {
            None => None,
            Some(text) => Some(decode::parse_timestamp(&text).ok_or_else(|| unreadable_time(&text))?),
        };
        let verified_lines: Vec<usize> = verified_lines
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        (read, last_position, last_sort_key) = (read + 1, position, sort_key);
        out.push_back(ExportRow {
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
            organizer: organizer.then_some(OrganizerDetails {
                opt_in,
                language,
                letter_version,
                verified_by,
                verified_at,
                verified_how,
            }),
            collected: None,
        });
    }
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
