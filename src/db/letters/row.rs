//! A letter as read from its table, turned into the `Letter` the rest of
//! the code sees.

use super::super::schema::letters;
use super::{Letter, LetterStatus};
use crate::model::LetterId;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = letters)]
pub(super) struct LetterRow {
    id: String,
    slug: String,
    language: String,
    title: String,
    place: String,
    letter_date: NaiveDate,
    addressees: String,
    preamble: String,
    body_markdown: String,
    goal: Option<i64>,
    status: LetterStatus,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    anonymise_after_days: Option<i32>,
    anonymised_at: Option<NaiveDateTime>,
    archived: bool,
    close_at: Option<NaiveDateTime>,
    current_version: i32,
    modified_at: Option<NaiveDateTime>,
    organized_by: String,
    publish_at: Option<NaiveDateTime>,
    #[diesel(embed)]
    contacts: super::super::contacts::ContactColumns,
    share_summary: String,
}

impl From<LetterRow> for Letter {
    fn from(r: LetterRow) -> Letter {
        Letter {
            id: LetterId::from_raw(r.id),
            slug: r.slug,
            language: r.language.parse().unwrap_or_default(),
            title: r.title,
            place: r.place,
            date: r.letter_date,
            addressees: r.addressees,
            preamble: r.preamble,
            body_markdown: r.body_markdown,
            goal: r.goal,
            stored_status: r.status,
            created_at: r.created_at,
            updated_at: r.updated_at,
            published_at: r.published_at,
            closed_at: r.closed_at,
            anonymise_after_days: r.anonymise_after_days,
            anonymised_at: r.anonymised_at,
            archived: r.archived,
            close_at: r.close_at,
            current_version: r.current_version,
            modified_at: r.modified_at,
            organized_by: r.organized_by,
            publish_at: r.publish_at,
            contacts: r.contacts.into(),
            share_summary: r.share_summary,
        }
    }
}
