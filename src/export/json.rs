//! JSON with a documented schema (see docs/exports.md): the letter, then the
//! signatories written one element at a time, then the stamp. Each element
//! goes through serde; the document around them is written by hand so the
//! array never sits in memory.

use super::stamp::timestamp;
use super::{Export, ExportError, ListWriter};
use crate::db::export_rows::{ExportRow, Moderation, Tier, Who};
use crate::views::letter::place_and_date;
use serde::Serialize;
use std::io::Write;

/// Names the schema, so consumers can check what they read.
pub const SCHEMA: &str = "undersigned-export/1";

#[derive(Serialize)]
struct LetterJson<'a> {
    slug: &'a str,
    language: &'a str,
    title: &'a str,
    version: u32,
    place: &'a str,
    date: String,
    place_and_date: String,
    addressees: &'a str,
    body_markdown: &'a str,
    preamble: &'a str,
}

#[derive(Serialize)]
struct SignatoryJson<'a> {
    position: u64,
    name: &'a str,
    titles: &'a [String],
    city: Option<&'a str>,
    tier: Tier,
    verified: bool,
    confirmed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    moderation: Option<Moderation>,
    /// Outer `None`: not an organizer export, no member at all; inner
    /// `None`: an organizer export of a signatory without an address.
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<Option<&'a str>>,
    /// Organizer exports only, flattened beside `email`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    organizer: Option<OrganizerJson<'a>>,
    /// Organizer exports only: the evidence of a signature collected in
    /// person, `null` for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    collected: Option<Option<CollectedJson<'a>>>,
}

#[derive(Serialize)]
struct OrganizerJson<'a> {
    opt_in: bool,
    language: &'a str,
    letter_version: Option<i32>,
    verified_by: Option<&'a str>,
    verified_at: Option<String>,
    verified_how: Option<&'a str>,
    /// Title lines verified by email, numbered from 1.
    verified_lines: Vec<usize>,
}

#[derive(Serialize)]
struct CollectedJson<'a> {
    by: &'a str,
    on: String,
    how: &'a str,
}

#[derive(Serialize)]
struct StampJson<'a> {
    title: &'a str,
    version: u32,
    exported_at: String,
    count: u64,
    letter_hash: &'a str,
}

pub struct JsonWriter<'a, W: Write> {
    ex: &'a Export<'a>,
    out: W,
}

impl<'a, W: Write> JsonWriter<'a, W> {
    pub fn new(ex: &'a Export<'a>, out: W) -> Self {
        JsonWriter { ex, out }
    }
}

impl<W: Write> ListWriter for JsonWriter<'_, W> {
    fn start(&mut self) -> Result<(), ExportError> {
        let letter = self.ex.letter;
        write!(self.out, "{{\"schema\":")?;
        serde_json::to_writer(&mut self.out, SCHEMA)?;
        write!(self.out, ",\n\"letter\":")?;
        serde_json::to_writer(
            &mut self.out,
            &LetterJson {
                slug: &letter.slug,
                language: letter.language.code(),
                title: &letter.title,
                version: self.ex.stamp.version,
                place: &letter.place,
                date: letter.date.format("%Y-%m-%d").to_string(),
                place_and_date: place_and_date(&self.ex.tr, letter),
                addressees: &letter.addressees,
                body_markdown: &letter.body_markdown,
                preamble: &letter.preamble,
            },
        )?;
        write!(self.out, ",\n\"signatories\":[")?;
        Ok(())
    }

    fn signatory(&mut self, position: u64, row: &ExportRow) -> Result<(), ExportError> {
        let organizer = self.ex.options.who == Who::All;
        self.out.write_all(if position == 1 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(
            &mut self.out,
            &SignatoryJson {
                position,
                name: &row.name,
                titles: &row.titles,
                city: row.city.as_deref(),
                tier: row.tier,
                verified: row.verified,
                confirmed_at: row.confirmed_at.as_ref().map(timestamp),
                listed: organizer.then_some(row.listed),
                moderation: organizer.then_some(row.moderation),
                email: organizer.then_some(row.email.as_deref()),
                organizer: row.organizer.as_ref().map(|o| OrganizerJson {
                    opt_in: o.opt_in,
                    language: &o.language,
                    letter_version: o.letter_version,
                    verified_by: o.verified_by.as_deref(),
                    verified_at: o.verified_at.as_ref().map(timestamp),
                    verified_how: o.verified_how.as_deref(),
                    verified_lines: row.verified_lines.iter().map(|i| i + 1).collect(),
                }),
                collected: organizer.then(|| {
                    row.collected.as_ref().map(|c| CollectedJson {
                        by: &c.by,
                        on: c.on.to_string(),
                        how: &c.how,
                    })
                }),
            },
        )?;
        Ok(())
    }

    fn finish(&mut self, count: u64) -> Result<(), ExportError> {
        self.out.write_all(if count == 0 { b"]" } else { b"\n]" })?;
        if self.ex.options.stamp {
            let s = &self.ex.stamp;
            write!(self.out, ",\n\"stamp\":")?;
            serde_json::to_writer(
                &mut self.out,
                &StampJson {
                    title: &s.title,
                    version: s.version,
                    exported_at: s.exported_at_text(),
                    count,
                    letter_hash: &s.letter_hash,
                },
            )?;
        }
        self.out.write_all(b"}\n")?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::run;
    use super::super::{Format, Options};
    use serde_json::Value;

    #[test]
    fn a_valid_document_with_ordered_titles() {
        let out = run(Format::Json, Options::default());
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["schema"], "undersigned-export/1");
        assert_eq!(v["letter"]["place_and_date"], "Québec, le 26 mai 2015");
        assert_eq!(v["signatories"][0]["titles"][1], "=1+1");
        assert_eq!(v["signatories"][1]["name"], "Robert \"Bob\" Gagnon, fils");
        assert_eq!(v["signatories"][1]["tier"], "public");
        assert_eq!(v["signatories"][1]["verified"], false);
        assert!(v["signatories"][1].get("email").is_none());
        assert_eq!(v["stamp"]["count"], 2);
    }

    #[test]
    fn empty_list_without_stamp() {
        let options = Options {
            stamp: false,
            ..Options::default()
        };
        let i18n = crate::i18n::I18n::new().unwrap();
        let letter = super::super::fixture::letter();
        let ex = super::super::fixture::export(i18n.tr(crate::domain::Lang::FR), &letter, options);
        let mut out = Vec::new();
        let mut none = || -> super::super::Rows<'static> { Box::new(std::iter::empty()) };
        super::super::write(Format::Json, &ex, &mut none, &mut out, &mut |_| {}).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["signatories"], Value::Array(vec![]));
        assert!(v.get("stamp").is_none());
    }
}
