//! CSV for spreadsheets: one row per signatory, quoted as RFC 4180 says by
//! the `csv` crate, every cell guarded against formula injection.

use super::{cell, stamp::push_timestamp, stamp::timestamp, Export, ExportError, ListWriter};
use crate::db::export_rows::{ExportRow, Moderation, Who};
use std::io::Write;

/// Joins all of a signatory's titles in the `titles` column.
pub const TITLES_SEPARATOR: &str = " ; ";

/// The columns only organizer exports (`--who all`) have, after the others.
pub const ORGANIZER_COLUMNS: [&str; 10] = [
    "listed",
    "moderation",
    "email",
    "opt_in",
    "language",
    "letter_version",
    "verified_by",
    "verified_at",
    "verified_how",
    "verified_lines",
];

pub struct CsvWriter<'a, W: Write> {
    ex: &'a Export<'a>,
    csv: csv::Writer<W>,
    bom: Option<std::io::Result<()>>,
    organizer: bool,
    /// Reused for each row's joined titles, position and time: a million
    /// rows should not mean millions of short-lived strings.
    scratch: String,
}

impl<'a, W: Write> CsvWriter<'a, W> {
    pub fn new(ex: &'a Export<'a>, mut out: W) -> Self {
        // The BOM goes out before the csv writer owns the output, which
        // offers no raw write; `start` reports a failure.
        let bom = if ex.options.bom {
            out.write_all("\u{feff}".as_bytes())
        } else {
            Ok(())
        };
        let csv = csv::WriterBuilder::new()
            // The stamp's rows at the end are shorter than the others.
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(64 * 1024)
            .from_writer(out);
        CsvWriter {
            ex,
            csv,
            bom: Some(bom),
            organizer: ex.options.who == Who::All,
            scratch: String::with_capacity(256),
        }
    }
}

/// The title lines verified by email, numbered from 1 as the `title_N`
/// columns are: `1 ; 3`.
pub fn verified_lines(lines: &[usize]) -> String {
    lines
        .iter()
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(TITLES_SEPARATOR)
}

impl<W: Write> ListWriter for CsvWriter<'_, W> {
    fn start(&mut self) -> Result<(), ExportError> {
        if let Some(bom) = self.bom.take() {
            bom?;
        }
        let mut header: Vec<String> = vec!["position".into(), "name".into()];
        header.extend((1..=self.ex.max_titles).map(|i| format!("title_{i}")));
        header.extend(
            ["titles", "city", "tier", "verified", "confirmed_at"]
                .iter()
                .map(|s| s.to_string()),
        );
        if self.organizer {
            header.extend(ORGANIZER_COLUMNS.map(String::from));
            header.extend(["collected_by", "collected_on", "collected_how"].map(String::from));
        }
        self.csv.write_record(&header)?;
        Ok(())
    }

    fn signatory(&mut self, position: u64, row: &ExportRow) -> Result<(), ExportError> {
        // Field by field, borrowing: a million rows should not mean a
        // million record vectors.
        let csv = &mut self.csv;
        let scratch = &mut self.scratch;
        scratch.clear();
        {
            use std::fmt::Write as _;
            let _ = write!(scratch, "{position}");
        }
        csv.write_field(scratch.as_bytes())?;
        csv.write_field(cell::guard(&row.name).as_bytes())?;
        for i in 0..self.ex.max_titles {
            csv.write_field(
                row.titles
                    .get(i)
                    .map(|t| cell::guard(t))
                    .unwrap_or_default()
                    .as_bytes(),
            )?;
        }
        scratch.clear();
        for (i, title) in row.titles.iter().enumerate() {
            if i > 0 {
                scratch.push_str(TITLES_SEPARATOR);
            }
            scratch.push_str(title);
        }
        csv.write_field(cell::guard(scratch).as_bytes())?;
        csv.write_field(
            row.city
                .as_deref()
                .map(cell::guard)
                .unwrap_or_default()
                .as_bytes(),
        )?;
        csv.write_field(row.tier.as_str())?;
        csv.write_field(if row.verified { "true" } else { "false" })?;
        scratch.clear();
        if let Some(at) = &row.confirmed_at {
            push_timestamp(at, scratch);
        }
        csv.write_field(scratch.as_bytes())?;
        if self.organizer {
            csv.write_field(if row.listed { "true" } else { "false" })?;
            csv.write_field(match row.moderation {
                Moderation::Shown => "shown",
                Moderation::Queued => "queued",
                Moderation::Hidden => "hidden",
            })?;
            fn text(value: &Option<String>) -> std::borrow::Cow<'_, str> {
                value.as_deref().map(cell::guard).unwrap_or_default()
            }
            csv.write_field(text(&row.email).as_bytes())?;
            if let Some(o) = &row.organizer {
                csv.write_field(if o.opt_in { "true" } else { "false" })?;
                csv.write_field(cell::guard(&o.language).as_bytes())?;
                csv.write_field(o.letter_version.map(|v| v.to_string()).unwrap_or_default())?;
                csv.write_field(text(&o.verified_by).as_bytes())?;
                csv.write_field(o.verified_at.as_ref().map(timestamp).unwrap_or_default())?;
                csv.write_field(text(&o.verified_how).as_bytes())?;
                csv.write_field(verified_lines(&row.verified_lines))?;
            } else {
                for _ in 3..ORGANIZER_COLUMNS.len() {
                    csv.write_field("")?;
                }
            }
            // Collected in person: the organizer's evidence.
            let c = row.collected.as_ref();
            csv.write_field(c.map(|c| cell::guard(&c.by)).unwrap_or_default().as_bytes())?;
            csv.write_field(c.map(|c| c.on.to_string()).unwrap_or_default())?;
            csv.write_field(c.map(|c| cell::guard(&c.how)).unwrap_or_default().as_bytes())?;
        }
        csv.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn finish(&mut self, count: u64) -> Result<(), ExportError> {
        if self.ex.options.stamp {
            let s = &self.ex.stamp;
            for (label, value) in [
                ("# title", cell::guard(&s.title).into_owned()),
                ("# version", s.version.to_string()),
                ("# exported_at", s.exported_at_text()),
                ("# count", count.to_string()),
                ("# letter_hash", s.letter_hash.clone()),
            ] {
                self.csv.write_record([label, value.as_str()])?;
            }
        }
        self.csv.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::run;
    use super::super::{Format, Options};

    #[test]
    fn rows_are_quoted_and_guarded() {
        let out = run(Format::Csv, Options::default());
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "position,name,title_1,title_2,titles,city,tier,verified,confirmed_at"
        );
        assert_eq!(
            lines[1],
            "1,\"Marie Tremblay,\",Présidente (1998-2006),'=1+1,Présidente (1998-2006) ; =1+1,,initial,true,2026-03-04T10:00:00Z"
        );
        assert_eq!(
            lines[2],
            "2,\"Robert \"\"Bob\"\" Gagnon, fils\",,,,Lévis,public,false,2026-03-04T10:00:00Z"
        );
        assert_eq!(lines[3], "# title,Lettre « été »");
        assert_eq!(lines[6], "# count,2");
    }

    #[test]
    fn bom_and_no_stamp() {
        let options = Options {
            bom: true,
            stamp: false,
            ..Options::default()
        };
        let out = run(Format::Csv, options);
        assert!(out.starts_with("\u{feff}position,"));
        assert!(!out.contains("# "));
        assert_eq!(out.matches("\r\n").count(), 3);
    }
}
