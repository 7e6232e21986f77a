//! Plain text, to paste into a press release: the letter block by block,
//! then each signatory as a name followed by one line per title.

use super::{body, marks, stamp_lines, Export, ExportError, ListWriter};
use crate::db::export_rows::ExportRow;
use crate::views::letter::place_and_date;
use std::io::Write;

pub struct TextWriter<'a, W: Write> {
    ex: &'a Export<'a>,
    out: W,
    /// Whether a block has been written, so the next one needs a blank line.
    wrote_block: bool,
}

impl<'a, W: Write> TextWriter<'a, W> {
    pub fn new(ex: &'a Export<'a>, out: W) -> Self {
        TextWriter {
            ex,
            out,
            wrote_block: false,
        }
    }

    /// One block: its lines, then a blank line before whatever follows.
    fn block(&mut self, lines: &[&str]) -> Result<(), ExportError> {
        if self.wrote_block {
            self.out.write_all(b"\n")?;
        }
        for line in lines {
            self.out.write_all(line.as_bytes())?;
            self.out.write_all(b"\n")?;
        }
        self.wrote_block = true;
        Ok(())
    }
}

impl<W: Write> ListWriter for TextWriter<'_, W> {
    fn start(&mut self) -> Result<(), ExportError> {
        if self.ex.options.bom {
            self.out.write_all("\u{feff}".as_bytes())?;
        }
        if self.ex.options.list_only {
            return Ok(());
        }
        let letter = self.ex.letter;
        self.block(&[&letter.title])?;
        self.block(&[&place_and_date(&self.ex.tr, letter)])?;
        self.block(&[&letter.addressees])?;
        for paragraph in body::plain_blocks(&letter.body_markdown) {
            self.block(&[&paragraph])?;
        }
        self.block(&[&letter.preamble])
    }

    fn signatory(&mut self, _position: u64, row: &ExportRow) -> Result<(), ExportError> {
        let marks = marks(self.ex, row);
        let mut lines: Vec<&str> = Vec::with_capacity(row.titles.len() + 3);
        lines.push(&row.name);
        lines.extend(row.titles.iter().map(String::as_str));
        lines.extend(marks.iter().map(String::as_str));
        if let Some(email) = &row.email {
            lines.push(email);
        }
        self.block(&lines)
    }

    fn finish(&mut self, count: u64) -> Result<(), ExportError> {
        if self.ex.options.stamp {
            let [letter, details] = stamp_lines(self.ex, count);
            self.block(&["———", &letter, &details])?;
        }
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::run;
    use super::super::{Format, Options};

    #[test]
    fn letter_then_names_with_their_titles() {
        let out = run(Format::Text, Options::default());
        assert_eq!(
            out,
            "Lettre « été »\n\nQuébec, le 26 mai 2015\n\nÀ la ministre\n\nMadame,\n\nDemandes\n\nUn toit.\n\n\
             Nous soussignés\u{a0}:\n\nMarie Tremblay,\nPrésidente (1998-2006)\n=1+1\n\n\
             Robert \"Bob\" Gagnon, fils\n\n———\nLettre « été » · version 2\n\
             Exporté le 2026-11-27 09:05:09 UTC\u{2212}05:00 · 2 signataires · empreinte a59daa44f3fe\n"
        );
    }

    #[test]
    fn list_only_without_stamp() {
        let options = Options {
            list_only: true,
            stamp: false,
            ..Options::default()
        };
        assert_eq!(
            run(Format::Text, options),
            "Marie Tremblay,\nPrésidente (1998-2006)\n=1+1\n\nRobert \"Bob\" Gagnon, fils\n"
        );
    }
}
