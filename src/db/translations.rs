//! A letter's text in its other language.

use super::letters::Letter;
use super::schema::letter_translations as t;
use super::{DbConn, DbError, Tx};
use crate::domain::{Lang, LetterFile};
use crate::model::LetterId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = t)]
pub struct Translation {
    pub language: String,
    pub title: String,
    pub place: String,
    pub addressees: String,
    pub preamble: String,
    pub body_markdown: String,
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, letter_id: &LetterId, lang: Lang) -> Result<Option<Translation>, DbError> {
    Ok(t::table
        .filter(t::letter_id.eq(letter_id))
        .filter(t::language.eq(lang.code()))
        .select(Translation::as_select())
        .get_result(conn)
        .optional()?)
}

/// Every version of the letter in another language.
pub fn all(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<Translation>, DbError> {
    Ok(t::table
        .filter(t::letter_id.eq(letter_id))
        .order(t::language.asc())
        .select(Translation::as_select())
        .load(conn)?)
}

pub fn save(tx: &mut Tx<'_>, letter_id: &LetterId, tr: &Translation) -> Result<(), DbError> {
    let conn: &mut DbConn = tx;
    diesel::delete(
        t::table
            .filter(t::letter_id.eq(letter_id))
            .filter(t::language.eq(&tr.language)),
    )
    .execute(conn)?;
    diesel::insert_into(t::table)
        .values((
            t::letter_id.eq(letter_id),
            t::language.eq(&tr.language),
            t::title.eq(&tr.title),
            t::place.eq(&tr.place),
            t::addressees.eq(&tr.addressees),
            t::preamble.eq(&tr.preamble),
            t::body_markdown.eq(&tr.body_markdown),
            t::updated_at.eq(tr.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, letter_id: &LetterId, lang: Lang) -> Result<(), DbError> {
    diesel::delete(
        t::table
            .filter(t::letter_id.eq(letter_id))
            .filter(t::language.eq(lang.code())),
    )
    .execute(conn)?;
    Ok(())
}

/// The text to save when the editor changes the letter's language, so that
/// no text is ever dropped. If the letter has a version in the new
/// language, the two swap: that version becomes the original and the
/// text in the language left becomes its version. Without one, a text the
/// organizer rewrote keeps the old one as the version in the language it
/// leaves; an unchanged text was only labelled wrong, and is relabelled.
pub fn on_language_change(
    tx: &mut Tx<'_>,
    current: &Letter,
    file: &LetterFile,
    now: NaiveDateTime,
) -> Result<Option<LetterFile>, DbError> {
    if file.language == current.language {
        return Ok(None);
    }
    let left = |title: &str, place: &str, addressees: &str, preamble: &str, body: &str| Translation {
        language: current.language.code().to_string(),
        title: title.to_string(),
        place: place.to_string(),
        addressees: addressees.to_string(),
        preamble: preamble.to_string(),
        body_markdown: body.to_string(),
        updated_at: now,
    };
    match find(tx, &current.id, file.language)? {
        Some(version) => {
            delete(tx, &current.id, file.language)?;
            save(
                tx,
                &current.id,
                &left(
                    &file.title,
                    &file.place,
                    &file.addressees,
                    &file.preamble,
                    &file.body,
                ),
            )?;
            Ok(Some(LetterFile {
                title: version.title,
                place: version.place,
                addressees: version.addressees,
                preamble: version.preamble,
                body: version.body_markdown,
                ..file.clone()
            }))
        }
        None => {
            let rewritten = (
                &file.title,
                &file.place,
                &file.addressees,
                &file.preamble,
                &file.body,
            ) != (
                &current.title,
                &current.place,
                &current.addressees,
                &current.preamble,
                &current.body_markdown,
            );
            if rewritten {
                save(
                    tx,
                    &current.id,
                    &left(
                        &current.title,
                        &current.place,
                        &current.addressees,
                        &current.preamble,
                        &current.body_markdown,
                    ),
                )?;
            }
            Ok(None)
        }
    }
}

/// The letter as read in `lang`: its translation when there is one.
pub fn localized(letter: &Letter, translation: Option<Translation>) -> Letter {
    match translation {
        Some(tr) => Letter {
            language: tr.language.parse().unwrap_or(letter.language),
            title: tr.title,
            place: tr.place,
            addressees: tr.addressees,
            preamble: tr.preamble,
            body_markdown: tr.body_markdown,
            // The summary is written in the letter's own language: a
            // translation's previews take its first paragraph instead.
            share_summary: String::new(),
            ..letter.clone()
        },
        None => letter.clone(),
    }
}
