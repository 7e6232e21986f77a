//! The initial signatories of a letter, as organizers edit them: ordered,
//! and optionally verified.

use super::schema::signatures;
use super::signatures::{decode_titles, encode_titles, insert_initial};
use super::{DbConn, DbError, Tx};
use crate::domain::letter_file::InitialSignatory;
use crate::domain::Lang;
use crate::model::Tier;
use crate::model::{LetterId, SignatureId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditableSignatory {
    pub id: SignatureId,
    pub name: String,
    pub titles: Vec<String>,
    pub position: i32,
    pub verified_by: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub verified_how: Option<String>,
}

type Row = (
    String,
    String,
    String,
    Option<i32>,
    Option<String>,
    Option<NaiveDateTime>,
    Option<String>,
);

pub fn list(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<EditableSignatory>, DbError> {
    let rows: Vec<Row> = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::tier.eq(Tier::Initial))
        .order((signatures::position.asc(), signatures::id.asc()))
        .select((
            signatures::id,
            signatures::name,
            signatures::titles,
            signatures::position,
            signatures::verified_by,
            signatures::verified_at,
            signatures::verified_how,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, titles, position, verified_by, verified_at, verified_how)| EditableSignatory {
                id: SignatureId::from_raw(id),
                name,
                titles: decode_titles(&titles),
                position: position.unwrap_or(0),
                verified_by,
                verified_at,
                verified_how,
            },
        )
        .collect())
}

/// The name of one initial signatory of this letter, if it is one.
pub fn name_of(conn: &mut DbConn, letter_id: &LetterId, id: &SignatureId) -> Result<Option<String>, DbError> {
    Ok(signatures::table
        .find(id)
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::tier.eq(Tier::Initial))
        .select(signatures::name)
        .get_result(conn)
        .optional()?)
}

/// Adds signatories after the existing ones, in the given order.
pub fn append(
    tx: &mut Tx<'_>,
    letter_id: &LetterId,
    people: &[InitialSignatory],
    language: Lang,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    let last: Option<i32> = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::tier.eq(Tier::Initial))
        .select(diesel::dsl::max(signatures::position))
        .first(conn)?;
    let start = last.map(|p| p + 1).unwrap_or(0);
    for (position, p) in (start..).zip(people) {
        insert_initial(conn, letter_id, p, position, language, now)?;
    }
    Ok(())
}

fn of_letter<'a>(letter_id: &'a str, id: &'a str) -> signatures::BoxedQuery<'a, super::MultiBackend> {
    signatures::table
        .filter(signatures::id.eq(id))
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::tier.eq(Tier::Initial))
        .into_boxed()
}

fn exists(conn: &mut DbConn, letter_id: &LetterId, id: &SignatureId) -> Result<bool, DbError> {
    let n: i64 = of_letter(letter_id, id).count().get_result(conn)?;
    Ok(n > 0)
}

/// Saves a signatory's name and titles; false when it is not this letter's.
pub fn update(
    conn: &mut DbConn,
    letter_id: &LetterId,
    id: &str,
    person: &InitialSignatory,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let Some((name, titles)) = of_letter(letter_id, id)
        .select((signatures::name, signatures::titles))
        .get_result::<(String, String)>(conn)
        .optional()?
    else {
        return Ok(false);
    };
    let titles_now = encode_titles(&person.titles);
    // An organizer vouched for this person as named and titled: another
    // name or other titles void that mark until someone verifies again.
    let verification_stands = name == person.name && titles == titles_now;
    diesel::update(signatures::table.find(id))
        .set((
            signatures::name.eq(&person.name),
            signatures::sort_key.eq(crate::domain::sort_key(&person.name)),
            signatures::titles.eq(titles_now),
            signatures::updated_at.eq(now),
        ))
        .execute(conn)?;
    super::signatures::search::index(conn, id, letter_id, &person.name, &person.titles)?;
    if !verification_stands {
        diesel::update(signatures::table.find(id))
            .set((
                signatures::verified_by.eq(None::<String>),
                signatures::verified_at.eq(None::<NaiveDateTime>),
                signatures::verified_how.eq(None::<String>),
                signatures::verified_lines.eq(None::<String>),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

pub fn delete(conn: &mut DbConn, letter_id: &LetterId, id: &SignatureId) -> Result<bool, DbError> {
    if !exists(conn, letter_id, id)? {
        return Ok(false);
    }
    diesel::delete(signatures::table.find(id)).execute(conn)?;
    Ok(true)
}

/// Swaps a signatory with its neighbour above (`up`) or below.
pub fn shift(tx: &mut Tx<'_>, letter_id: &LetterId, id: &SignatureId, up: bool) -> Result<bool, DbError> {
    let conn: &mut DbConn = tx;
    let list = list(conn, letter_id)?;
    let Some(i) = list.iter().position(|s| s.id == *id) else {
        return Ok(false);
    };
    let j = if up {
        i.checked_sub(1)
    } else {
        Some(i + 1).filter(|j| *j < list.len())
    };
    let Some(j) = j else {
        return Ok(true);
    };
    // Positions are rewritten densely, which also repairs gaps.
    let mut order: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
    order.swap(i, j);
    for (position, sid) in order.iter().enumerate() {
        diesel::update(signatures::table.find(*sid))
            .set(signatures::position.eq(Some(position as i32)))
            .execute(conn)?;
    }
    Ok(true)
}

/// Records who verified a signatory, when and how; `how` empty clears it.
pub fn verify(
    conn: &mut DbConn,
    letter_id: &LetterId,
    id: &SignatureId,
    by: &str,
    how: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    if !exists(conn, letter_id, id)? {
        return Ok(false);
    }
    let (by, at) = match how {
        Some(_) => (Some(by), Some(now)),
        None => (None, None),
    };
    diesel::update(signatures::table.find(id))
        .set((
            signatures::verified_by.eq(by),
            signatures::verified_at.eq(at),
            signatures::verified_how.eq(how),
        ))
        .execute(conn)?;
    Ok(true)
}
