//! The signatories page's ways through a long list, all keyset reads over
//! the public list's own filter ([`super::listed`]): forward and back in
//! signing order (`signatures_shown` index), its last page, and the list
//! in surname order (`signatures_surname` index) from a given initial.
//! No page costs more than a page's rows, wherever it is in the list.

use super::{listed, public_tier, to_public, PublicRow, PublicSignatory};
use crate::db::schema::signatures;
use crate::db::{DbConn, DbError, MultiBackend};
use crate::model::LetterId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The list's two orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// Signing order, after the initial signatories: the list's own.
    Signed,
    /// By surname, every listed signatory together.
    Name,
}

/// A row's place in an order: its signing time (microseconds) or its
/// surname key, then its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCursor {
    pub key: String,
    pub id: String,
}

impl ListCursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.id, self.key)
    }

    /// A cursor this site gave out for `order`, or `None`.
    pub fn decode(order: ListOrder, s: &str) -> Option<ListCursor> {
        let (id, key) = s.split_once('.')?;
        uuid::Uuid::parse_str(id).ok()?;
        let valid = match order {
            ListOrder::Signed => micros(key).is_some(),
            ListOrder::Name => key.chars().all(|c| c.is_alphanumeric() || c == ' '),
        };
        valid.then(|| ListCursor {
            key: key.to_string(),
            id: id.to_string(),
        })
    }

    fn of(order: ListOrder, row: &(PublicSignatory, String)) -> ListCursor {
        let key = match order {
            ListOrder::Signed => row
                .0
                .confirmed_at
                .map(|t| t.and_utc().timestamp_micros().to_string())
                .unwrap_or_default(),
            ListOrder::Name => row.1.clone(),
        };
        ListCursor {
            key,
            id: row.0.id.to_string(),
        }
    }
}

fn micros(key: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp_micros(key.parse().ok()?).map(|t| t.naive_utc())
}

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seek {
    First,
    After(ListCursor),
    Before(ListCursor),
    Last,
    /// In surname order, from the first surname at or after this initial.
    From(char),
}

/// A page and the cursors around it: `prev` is its first row when rows come
/// before it, `next` its last row when rows come after.
pub struct ListPage {
    pub rows: Vec<PublicSignatory>,
    pub prev: Option<ListCursor>,
    pub next: Option<ListCursor>,
}

fn base(order: ListOrder, letter_id: &LetterId) -> signatures::BoxedQuery<'_, MultiBackend> {
    match order {
        // The initial signatories open the first page in signing order.
        ListOrder::Signed => public_tier(letter_id),
        ListOrder::Name => listed(letter_id),
    }
}

/// One page of `limit` rows of the list in `order`, starting at `seek`.
pub fn list_page(
    conn: &mut DbConn,
    letter_id: &LetterId,
    order: ListOrder,
    seek: &Seek,
    limit: i64,
) -> Result<ListPage, DbError> {
    let forward = !matches!(seek, Seek::Before(_) | Seek::Last);
    let mut q = base(order, letter_id);
    q = match (order, seek) {
        (_, Seek::First | Seek::Last) => q,
        (ListOrder::Name, Seek::From(c)) => q.filter(signatures::sort_key.ge(c.to_string())),
        (ListOrder::Signed, Seek::From(_)) => q,
        (ListOrder::Signed, Seek::After(c) | Seek::Before(c)) => {
            let t = micros(&c.key).unwrap_or_default();
            let (id, after) = (c.id.clone(), forward);
            if after {
                q.filter(
                    signatures::confirmed_at
                        .gt(t)
                        .or(signatures::confirmed_at.eq(t).and(signatures::id.gt(id))),
                )
            } else {
                q.filter(
                    signatures::confirmed_at
                        .lt(t)
                        .or(signatures::confirmed_at.eq(t).and(signatures::id.lt(id))),
                )
            }
        }
        (ListOrder::Name, Seek::After(c) | Seek::Before(c)) => {
            let (k, id) = (c.key.clone(), c.id.clone());
            if forward {
                q.filter(
                    signatures::sort_key
                        .gt(k.clone())
                        .or(signatures::sort_key.eq(k).and(signatures::id.gt(id))),
                )
            } else {
                q.filter(
                    signatures::sort_key
                        .lt(k.clone())
                        .or(signatures::sort_key.eq(k).and(signatures::id.lt(id))),
                )
            }
        }
    };
    q = match (order, forward) {
        (ListOrder::Signed, true) => q.order((signatures::confirmed_at.asc(), signatures::id.asc())),
        (ListOrder::Signed, false) => q.order((signatures::confirmed_at.desc(), signatures::id.desc())),
        (ListOrder::Name, true) => q.order((signatures::sort_key.asc(), signatures::id.asc())),
        (ListOrder::Name, false) => q.order((signatures::sort_key.desc(), signatures::id.desc())),
    };
    let mut rows: Vec<(PublicSignatory, String)> = q
        .limit(limit + 1)
        .select((PublicRow::as_select(), signatures::sort_key))
        .load::<(PublicRow, String)>(conn)?
        .into_iter()
        .map(|(r, k)| (to_public(r), k))
        .collect();
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    if !forward {
        rows.reverse();
    }
    let (has_prev, has_next) = match seek {
        Seek::First => (false, more),
        Seek::After(_) => (true, more),
        Seek::Before(_) => (more, true),
        Seek::Last => (more, false),
        Seek::From(c) => (any_before(conn, letter_id, order, *c)?, more),
    };
    let first = rows.first().map(|r| ListCursor::of(order, r));
    let last = rows.last().map(|r| ListCursor::of(order, r));
    Ok(ListPage {
        rows: rows.into_iter().map(|(s, _)| s).collect(),
        prev: first.filter(|_| has_prev),
        next: last.filter(|_| has_next),
    })
}

/// Whether any surname sorts before this initial: then a page from it
/// has a page before it.
fn any_before(
    conn: &mut DbConn,
    letter_id: &LetterId,
    order: ListOrder,
    initial: char,
) -> Result<bool, DbError> {
    if order != ListOrder::Name {
        return Ok(false);
    }
    let first: Option<String> = listed(letter_id)
        .filter(signatures::sort_key.lt(initial.to_string()))
        .select(signatures::id)
        .first(conn)
        .optional()?;
    Ok(first.is_some())
}

/// How many the public list shows, initial signatories included.
pub fn count_listed(conn: &mut DbConn, letter_id: &LetterId) -> Result<i64, DbError> {
    Ok(listed(letter_id).count().get_result(conn)?)
}
