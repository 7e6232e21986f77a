//! Markdown: the letter as its author wrote it, then the list with names in
//! bold and each title on its own line (hard line breaks), numbered or not.

use super::{marks, stamp_lines, Export, ExportError, ListWriter};
use crate::db::export_rows::ExportRow;
use crate::views::letter::place_and_date;
use std::io::Write;

/// Escapes text so Markdown prints it as is: every character that could
/// open markup gets a backslash, and so does a line start that could open a
/// heading, a list, a quote or a setext underline.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let line_start = i == 0;
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|' | '&' | '!' => true,
            '#' | '+' | '-' | '=' => line_start,
            '.' | ')' => {
                // "1." or "1)" at the start would open an ordered list.
                !text[..i].is_empty() && text[..i].chars().all(|d| d.is_ascii_digit())
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub struct MarkdownWriter<'a, W: Write> {
    ex: &'a Export<'a>,
    out: W,
    wrote_block: bool,
}

impl<'a, W: Write> MarkdownWriter<'a, W> {
    pub fn new(ex: &'a Export<'a>, out: W) -> Self {
        MarkdownWriter {
            ex,
            out,
            wrote_block: false,
        }
    }

    fn block(&mut self, text: &str) -> Result<(), ExportError> {
        if self.wrote_block {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.wrote_block = true;
        Ok(())
    }
}

impl<W: Write> ListWriter for MarkdownWriter<'_, W> {
    fn start(&mut self) -> Result<(), ExportError> {
        if self.ex.options.list_only {
            return Ok(());
        }
        let letter = self.ex.letter;
        self.block(&format!("# {}", escape(&letter.title)))?;
        self.block(&escape(&place_and_date(&self.ex.tr, letter)))?;
        self.block(&escape(&letter.addressees))?;
        // The body already is Markdown: it goes in untouched.
        self.block(letter.body_markdown.trim_end())?;
        self.block(&escape(&letter.preamble))
    }

    fn signatory(&mut self, position: u64, row: &ExportRow) -> Result<(), ExportError> {
        let marker = if self.ex.options.numbered {
            format!("{position}. ")
        } else {
            String::new()
        };
        // Lines after the first line up under the list item's text.
        let indent = " ".repeat(marker.chars().count());
        let mut lines = vec![format!("{marker}**{}**", escape(&row.name))];
        lines.extend(row.titles.iter().map(|t| format!("{indent}{}", escape(t))));
        for mark in marks(self.ex, row) {
            lines.push(format!("{indent}*{}*", escape(&mark)));
        }
        if let Some(email) = &row.email {
            lines.push(format!("{indent}{}", escape(email)));
        }
        // A backslash at the end of a line is CommonMark's hard line break.
        self.block(&lines.join("\\\n"))
    }

    fn finish(&mut self, count: u64) -> Result<(), ExportError> {
        if self.ex.options.stamp {
            let [letter, details] = stamp_lines(self.ex, count);
            self.block("---")?;
            self.block(&format!("*{}*\\\n*{}*", escape(&letter), escape(&details)))?;
        }
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::run;
    use super::super::{Format, Options};
    use super::*;
    use pulldown_cmark::{Event, Parser};

    /// The text Markdown shows for a snippet, markup removed.
    fn rendered(md: &str) -> String {
        Parser::new(md)
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.into_string()),
                Event::HardBreak | Event::SoftBreak => Some("\n".into()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn escaped_text_renders_as_typed() {
        for s in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "Robert \"Bob\" Gagnon, fils",
            "- pas une liste",
            "1. pas une liste",
            "# pas un titre",
            "*pas* _en_ `code` [lien](x) <b> &amp; \\",
            "« L’été\u{a0}» 100\u{202f}%",
            "1998-2006",
        ] {
            assert_eq!(rendered(&escape(s)), s, "{s}");
        }
    }

    #[test]
    fn names_in_bold_titles_on_their_own_lines() {
        let options = Options {
            list_only: true,
            stamp: false,
            numbered: true,
            ..Options::default()
        };
        let out = run(Format::Markdown, options);
        assert_eq!(
            out,
            "1. **Marie Tremblay,**\\\n   Présidente (1998-2006)\\\n   \\=1+1\n\n2. **Robert \"Bob\" Gagnon, fils**\n"
        );
        let html = {
            let mut s = String::new();
            pulldown_cmark::html::push_html(&mut s, Parser::new(&out));
            s
        };
        assert!(html.contains("<strong>Marie Tremblay,</strong><br />"), "{html}");
        assert!(html.contains("Présidente (1998-2006)<br />"), "{html}");
    }
}
