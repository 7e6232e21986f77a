//! A print page: the letter laid out as on paper, then the list in one or
//! two columns, styled by `print.css`. It has no script, and its style is
//! inline only in a file saved to disk; on the site it is a `<link>`, since
//! the CSP forbids inline styles.

use super::{marks, stamp_lines, verified_mark, Export, ExportError, ListWriter, Stylesheet, PRINT_CSS};
use crate::db::export_rows::ExportRow;
use crate::views::letter::place_and_date;
use crate::views::markdown;
use maud::{html, PreEscaped, DOCTYPE};
use std::io::Write;

pub struct HtmlWriter<'a, W: Write> {
    ex: &'a Export<'a>,
    out: W,
}

impl<'a, W: Write> HtmlWriter<'a, W> {
    pub fn new(ex: &'a Export<'a>, out: W) -> Self {
        HtmlWriter { ex, out }
    }

    fn list_tag(&self) -> &'static str {
        if self.ex.options.numbered {
            "ol"
        } else {
            "ul"
        }
    }
}

impl<W: Write> ListWriter for HtmlWriter<'_, W> {
    fn start(&mut self) -> Result<(), ExportError> {
        let ex = self.ex;
        let letter = ex.letter;
        let heading = ex.tr.t("export-signatories-heading");
        let columns = if ex.options.columns >= 2 {
            "print columns-2"
        } else {
            "print columns-1"
        };
        let head = html! {
            (DOCTYPE)
            html lang=(letter.language.code()) {
                head {
                    meta charset="utf-8";
                    title { (letter.title) " · " (heading) }
                    @match &ex.options.stylesheet {
                        Stylesheet::Inline => style { (PreEscaped(PRINT_CSS)) },
                        Stylesheet::Link(href) => link rel="stylesheet" href=(href);,
                    }
                }
            }
        };
        // maud closes every element it opens, so the page is cut where the
        // list begins and written in three parts around the streamed rows.
        let head = head.into_string();
        let head = head.trim_end_matches("</head></html>");
        self.out.write_all(head.as_bytes())?;
        write!(self.out, "</head><body class=\"{columns}\">")?;
        let top = html! {
            @if !ex.options.list_only {
                article.letter {
                    h1 { (letter.title) }
                    p.place-date { (place_and_date(&ex.tr, letter)) }
                    p.addressees { (letter.addressees) }
                    div.letter-body { (PreEscaped(markdown::render(&letter.body_markdown))) }
                    p.preamble { (letter.preamble) }
                }
            } @else {
                h1 { (letter.title) }
                h2.signatories-heading { (heading) }
            }
        };
        self.out.write_all(top.into_string().as_bytes())?;
        write!(self.out, "\n<{} class=\"signatories\">\n", self.list_tag())?;
        Ok(())
    }

    fn signatory(&mut self, _position: u64, row: &ExportRow) -> Result<(), ExportError> {
        let marks = marks(self.ex, row);
        let verified = verified_mark(self.ex);
        let item = html! {
            li.signatory {
                span.signatory-name { (row.name) }
                @for (i, title) in row.titles.iter().enumerate() {
                    span.signatory-title {
                        (title)
                        @if row.verified_lines.contains(&i) { " " span.verified-mark { (verified) } }
                    }
                }
                @for mark in &marks {
                    span.signatory-mark { (mark) }
                }
                @if let Some(email) = &row.email {
                    span.signatory-email { (email) }
                }
            }
        };
        self.out.write_all(item.into_string().as_bytes())?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    fn finish(&mut self, count: u64) -> Result<(), ExportError> {
        writeln!(self.out, "</{}>", self.list_tag())?;
        if self.ex.options.stamp {
            let [letter, details] = stamp_lines(self.ex, count);
            let stamp = html! {
                footer.stamp { p { (letter) } p { (details) } }
            };
            self.out.write_all(stamp.into_string().as_bytes())?;
        }
        self.out.write_all(b"\n</body></html>\n")?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::run;
    use super::super::{Format, Options, Stylesheet};

    #[test]
    fn a_whole_page_with_escaped_names() {
        let out = run(Format::Html, Options::default());
        assert!(
            out.starts_with("<!DOCTYPE html><html lang=\"fr\"><head>"),
            "{out}"
        );
        assert!(out.contains("<style>"), "{out}");
        assert!(out.contains("<span class=\"signatory-name\">Robert &quot;Bob&quot; Gagnon, fils</span>"));
        assert!(out.contains("<p class=\"place-date\">Québec, le 26 mai 2015</p>"));
        assert!(out.ends_with("</body></html>\n"));
        assert!(!out.contains("<script"));
    }

    #[test]
    fn a_line_verified_by_email_carries_its_mark() {
        use super::super::fixture;
        use crate::domain::Lang;
        let i18n = crate::i18n::I18n::new().unwrap();
        let letter = fixture::letter();
        let ex = fixture::export(i18n.tr(Lang::FR), &letter, Options::default());
        let mut source = || -> super::super::Rows<'static> {
            let mut rows = fixture::rows();
            rows[0].verified_lines = vec![0];
            Box::new(rows.into_iter().map(Ok))
        };
        let mut out = Vec::new();
        super::super::write(Format::Html, &ex, &mut source, &mut out, &mut |_| {}).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains(
                "<span class=\"signatory-title\">Présidente (1998-2006) \
                 <span class=\"verified-mark\">✓ (vérifié par courriel)</span></span>\
                 <span class=\"signatory-title\">=1+1</span>"
            ),
            "{out}"
        );
    }

    #[test]
    fn linked_stylesheet_and_two_numbered_columns() {
        let options = Options {
            stylesheet: Stylesheet::Link("/static/print.css".into()),
            columns: 2,
            numbered: true,
            ..Options::default()
        };
        let out = run(Format::Html, options);
        assert!(!out.contains("<style"), "{out}");
        assert!(out.contains("<link rel=\"stylesheet\" href=\"/static/print.css\">"));
        assert!(out.contains("<body class=\"print columns-2\">"));
        assert!(out.contains("<ol class=\"signatories\">"));
    }
}
