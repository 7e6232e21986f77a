//! PDF, written as it is drawn: embedded DejaVu Serif subsets, text that
//! can be selected and copied, the letter's header on the first page, the
//! list in one or two columns, "Page 2 sur 5" at the foot of each page.
//!
//! "sur 5" needs the page count before the first page is drawn, so the list
//! is read twice: a first pass lays it out only to count pages, the second
//! draws. Each pass holds one page of layout at a time, and each drawn page
//! goes out at once (`document`); the fonts, which must list every glyph
//! used, are written after the last page.

mod content;
mod document;
mod embed;
mod error;
pub mod fonts;
pub mod layout;
mod writer;

pub use error::PdfError;

use super::body::{self, BlockKind};
use super::{marks, stamp_lines, Export, ExportError, Rows};
use crate::db::export_rows::ExportRow;
use crate::i18n::Arg;
use crate::views::letter::place_and_date;
use document::{Document, Meta};
use fonts::{Fonts, Style};
use layout::{Align, EntryLine, Flow, Op, PageSink};
use std::io::Write;

const TITLE_SIZE: f32 = 17.0;
const TEXT_SIZE: f32 = 10.5;
const HEADING_SIZE: f32 = 11.5;
const NAME_SIZE: f32 = 10.0;
const LINE_SIZE: f32 = 9.0;
const SMALL_SIZE: f32 = 8.0;
const ENTRY_GAP: f32 = 7.0;
/// Wrapped title lines sit a little right of the line they continue.
const CONTINUATION_INDENT: f32 = 8.0;

/// The first pass: only counts pages.
struct PageCounter;

impl PageSink for PageCounter {
    fn page(&mut self, _number: u32, _ops: Vec<Op>) -> Result<(), ExportError> {
        Ok(())
    }
}

/// The second pass: draws each page, with its footer, into the document.
struct Drawer<'a, 'w> {
    document: Document<'w, 'a>,
    fonts: &'a Fonts,
    ex: &'a Export<'a>,
    total: u32,
}

impl PageSink for &mut Drawer<'_, '_> {
    fn page(&mut self, number: u32, mut ops: Vec<Op>) -> Result<(), ExportError> {
        // Stops as soon as the list has outgrown the count, rather than
        // drawing more pages that all state a wrong total.
        if number > self.total {
            return Err(PdfError::ListChanged.into());
        }
        let footer = self.ex.tr.ta(
            "export-page",
            &[
                ("page", Arg::Num(number as i64)),
                ("total", Arg::Num(self.total as i64)),
            ],
        );
        let footer_x = (layout::PAGE_WIDTH - self.fonts.width(Style::Regular, SMALL_SIZE, &footer)) / 2.0;
        ops.push(Op {
            x: footer_x,
            y: layout::FOOTER_BASELINE,
            style: Style::Regular,
            size: SMALL_SIZE,
            text: footer,
        });
        self.document.page(&ops)
    }
}

pub fn write(
    ex: &Export,
    rows: &mut dyn FnMut() -> Rows<'static>,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, ExportError> {
    let fonts = Fonts::load()?;

    let flow = Flow::new(&fonts, PageCounter);
    let (flow, _) = lay_out(ex, flow, rows(), &mut |_| {})?;
    let (total, _) = flow.finish()?;

    let mut drawer = Drawer {
        document: Document::start(out, &fonts)?,
        fonts: &fonts,
        ex,
        total,
    };
    let flow = Flow::new(&fonts, &mut drawer);
    let (flow, count) = lay_out(ex, flow, rows(), progress)?;
    // A signature added or withdrawn between the passes can change the
    // page count, and with it every footer's "sur M". Redrawing with the
    // new total is not possible: the pages have already gone out to the
    // reader as they were drawn, and holding them back is what streaming
    // avoids. So the export fails and says to try again, which succeeds
    // unless the list changes again within the few seconds an export takes.
    let (drawn, _) = flow.finish()?;
    if drawn != total {
        return Err(PdfError::ListChanged.into());
    }

    drawer.document.finish(&Meta {
        title: &ex.letter.title,
        lang: ex.letter.language.code(),
    })?;
    Ok(count)
}

/// Lays the whole export out on `flow`; returns it, ready to finish, with
/// the number of signatories.
fn lay_out<'f, S: PageSink>(
    ex: &Export,
    mut flow: Flow<'f, S>,
    rows: Rows<'static>,
    progress: &mut dyn FnMut(u64),
) -> Result<(Flow<'f, S>, u64), ExportError> {
    let letter = ex.letter;
    let tr = &ex.tr;
    flow.paragraph(&letter.title, Style::Bold, TITLE_SIZE, Align::Left, 0.0)?;
    flow.gap(8.0);
    if ex.options.list_only {
        let heading = tr.t("export-signatories-heading");
        flow.paragraph(&heading, Style::Bold, HEADING_SIZE, Align::Left, 0.0)?;
        flow.gap(8.0);
    } else {
        flow.paragraph(
            &place_and_date(tr, letter),
            Style::Italic,
            TEXT_SIZE,
            Align::Right,
            0.0,
        )?;
        flow.gap(6.0);
        flow.paragraph(&letter.addressees, Style::Italic, TEXT_SIZE, Align::Left, 0.0)?;
        flow.gap(10.0);
        for (kind, text) in body::blocks(&letter.body_markdown) {
            match kind {
                BlockKind::Heading => {
                    flow.gap(4.0);
                    flow.paragraph(&text, Style::Bold, HEADING_SIZE, Align::Left, 0.0)?;
                }
                BlockKind::List => flow.paragraph(&text, Style::Regular, TEXT_SIZE, Align::Left, 14.0)?,
                BlockKind::Paragraph => flow.paragraph(&text, Style::Regular, TEXT_SIZE, Align::Left, 0.0)?,
            }
            flow.gap(6.0);
        }
        flow.gap(6.0);
        flow.paragraph(&letter.preamble, Style::Bold, TEXT_SIZE, Align::Left, 0.0)?;
        flow.gap(10.0);
    }

    flow.start_columns(u32::from(ex.options.columns.clamp(1, 2)));
    let mut count = 0;
    for row in rows {
        let row = row?;
        count += 1;
        let lines = entry_lines(ex, flow.fonts(), flow.column_width(), count, &row);
        flow.entry(lines, ENTRY_GAP)?;
        progress(count);
    }
    flow.end_columns();

    if ex.options.stamp {
        flow.gap(12.0);
        // Kept together like an entry: a stamp cut by a page break would
        // leave a lone line above the footer, or at the top of a page.
        let fonts = flow.fonts();
        let lines = stamp_lines(ex, count)
            .iter()
            .flat_map(|line| layout::wrap(fonts, Style::Italic, SMALL_SIZE, line, layout::content_width()))
            .map(|line| (Style::Italic, SMALL_SIZE, line, 0.0))
            .collect();
        flow.entry(lines, 0.0)?;
    }
    Ok((flow, count))
}

/// A signatory's lines: the name in bold, then each title, wrapped to the
/// column; in a numbered list the number hangs before the name.
fn entry_lines(ex: &Export, fonts: &Fonts, width: f32, position: u64, row: &ExportRow) -> Vec<EntryLine> {
    let mut lines = Vec::with_capacity(row.titles.len() + 3);
    let (name, indent) = if ex.options.numbered {
        let number = format!("{position}. ");
        let indent = fonts.width(Style::Bold, NAME_SIZE, &number);
        (format!("{number}{}", row.name), indent)
    } else {
        (row.name.clone(), 0.0)
    };
    for (i, line) in layout::wrap(fonts, Style::Bold, NAME_SIZE, &name, width)
        .into_iter()
        .enumerate()
    {
        lines.push((Style::Bold, NAME_SIZE, line, if i == 0 { 0.0 } else { indent }));
    }
    let mut add = |style: Style, size: f32, text: &str| {
        let wrapped = layout::wrap(fonts, style, size, text, width - indent);
        let first = wrapped.first().cloned().unwrap_or_default();
        lines.push((style, size, first, indent));
        let rest = wrapped[1..].join(" ");
        if !rest.is_empty() {
            let narrower = width - indent - CONTINUATION_INDENT;
            for l in layout::wrap(fonts, style, size, &rest, narrower) {
                lines.push((style, size, l, indent + CONTINUATION_INDENT));
            }
        }
    };
    for title in &row.titles {
        add(Style::Regular, LINE_SIZE, title);
    }
    for mark in marks(ex, row) {
        add(Style::Italic, SMALL_SIZE, &mark);
    }
    if let Some(email) = &row.email {
        add(Style::Regular, SMALL_SIZE, email);
    }
    lines
}

/// Reads exported PDFs back, shared with the API suite.
#[cfg(test)]
#[path = "../../../tests/support/pdf_read.rs"]
mod read_back;

#[cfg(test)]
mod typeset_tests;

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, run_bytes};
    use super::super::{Format, Options, Rows};
    use super::read_back;
    use super::writer::check;
    use crate::domain::Lang;

    #[test]
    fn writes_a_pdf() {
        let pdf = run_bytes(Format::Pdf, Options::default());
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 1000);
        // Fonts are embedded as subsets, not whole files.
        assert!(pdf.len() < 300_000, "{}", pdf.len());
        // A page tree, four fonts (three styles and the fallback) of five
        // objects each, a page and its content, the catalog and the info.
        assert_eq!(check::structure(&pdf), 1 + 4 * 5 + 2 + 2);
    }

    #[test]
    fn every_page_is_written_and_found_by_the_xref_table() {
        let i18n = crate::i18n::I18n::new().unwrap();
        let letter = fixture::letter();
        let options = Options {
            columns: 2,
            ..Options::default()
        };
        let ex = fixture::export(i18n.tr(Lang::FR), &letter, options);
        let mut source = || -> Rows<'static> {
            Box::new((0..600).map(|i| {
                let mut row = fixture::rows()[0].clone();
                row.name = format!("Signataire {i}");
                Ok(row)
            }))
        };
        let mut pdf = Vec::new();
        let count = super::write(&ex, &mut source, &mut pdf, &mut |_| {}).unwrap();
        assert_eq!(count, 600);
        let objects = check::structure(&pdf);
        let pages = (objects - 1 - 4 * 5 - 2) / 2;
        assert!(pages > 3, "{pages}");
        assert_eq!(objects, 1 + 4 * 5 + 2 * pages + 2);
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains(&format!("/Count {pages}")),
            "one page tree lists them all"
        );
        assert!(text.contains("/Lang (fr)"));
        assert!(text.contains("/Creator (undersigned)"));

        let read = read_back::read(&pdf);
        assert_eq!(read.pages, pages);
        let page_texts: Vec<&str> = read.text.split_terminator('\x0c').collect();
        assert_eq!(page_texts.len(), pages);
        for (i, page) in page_texts.iter().enumerate() {
            let footer = format!("Page {} sur {pages}", i + 1);
            assert_eq!(page.lines().last(), Some(footer.as_str()), "{page}");
        }
        // Column after column, page after page, in the order written.
        let names: Vec<&str> = page_texts
            .iter()
            .flat_map(|page| page.lines())
            .filter(|l| l.starts_with("Signataire "))
            .collect();
        let expected: Vec<String> = (0..600).map(|i| format!("Signataire {i}")).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn the_read_back_fails_on_a_damaged_file() {
        let pdf = run_bytes(Format::Pdf, Options::default());
        read_back::read_rust(&pdf).expect("the undamaged file reads");
        let fails = |bad: &[u8], what: &str, says: &[&str]| match read_back::read_rust(bad) {
            Ok(_) => panic!("{what}: read back as if whole"),
            Err(e) => assert!(says.iter().any(|s| e.contains(s)), "{what}: {e}"),
        };
        let xref = pdf.windows(6).rposition(|w| w == b"\nxref\n").unwrap() + 1;
        let entries = xref + pdf[xref..].windows(2).position(|w| w == b"f\r").unwrap() + 3;
        assert_eq!(&pdf[entries + 10..entries + 20], b" 00000 n\r\n");

        // One xref entry pointing a byte into its object, for each object.
        // (A byte before it is white space, which readers skip.)
        for i in 0..check::structure(&pdf) {
            let mut bad = pdf.clone();
            let entry = &mut bad[entries + 20 * i..][..10];
            let offset: u64 = std::str::from_utf8(entry).unwrap().parse().unwrap();
            entry.copy_from_slice(format!("{:010}", offset + 1).as_bytes());
            let what = format!("xref entry of object {}", i + 1);
            fails(&bad, &what, &["invalid indirect object", "does not locate"]);
        }
        // startxref a byte past the table.
        let tail = format!("startxref\n{xref}\n");
        let at = pdf
            .windows(tail.len())
            .rposition(|w| w == tail.as_bytes())
            .unwrap();
        let mut bad = pdf[..at].to_vec();
        bad.extend(format!("startxref\n{}\n%%EOF\n", xref + 1).as_bytes());
        fails(&bad, "startxref", &["lopdf"]);
        // A byte changed inside the first compressed stream, which zlib's
        // checksum catches even where the rest still inflates.
        let mut bad = pdf.clone();
        let stream = pdf.windows(7).position(|w| w == b"stream\n").unwrap() + 7;
        bad[stream + 20] ^= 0x55;
        fails(&bad, "compressed stream", &["does not decode"]);
    }

    /// What a reader copies from `pdf`, as the Rust read-back, which honours
    /// `/ActualText`, gives it; poppler, where installed, must read the
    /// same words.
    fn copied(pdf: &[u8]) -> String {
        read_back::read(pdf).text
    }

    #[test]
    fn characters_the_font_lacks_copy_as_themselves() {
        let i18n = crate::i18n::I18n::new().unwrap();
        let letter = fixture::letter();
        let ex = fixture::export(i18n.tr(Lang::FR), &letter, Options::default());
        // DejaVu Serif has no CJK: both are .notdef, and must not copy as
        // one another, nor as nothing.
        const NAMES: [&str; 3] = ["中文 Zoé", "文中 Zoé", "Zoé"];
        let mut source = || -> Rows<'static> {
            Box::new(NAMES.iter().map(|name| {
                let mut row = fixture::rows()[0].clone();
                row.name = name.to_string();
                Ok(row)
            }))
        };
        let mut pdf = Vec::new();
        super::write(&ex, &mut source, &mut pdf, &mut |_| {}).unwrap();
        let text = copied(&pdf);
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for name in NAMES {
            assert!(lines.contains(&name), "{name} not in {text}");
        }
    }

    /// Writes a PDF whose first pass over the list sees `first` rows and
    /// whose second sees `second`.
    fn write_changing(first: usize, second: usize) -> Result<u64, super::ExportError> {
        let i18n = crate::i18n::I18n::new().unwrap();
        let letter = fixture::letter();
        let ex = fixture::export(i18n.tr(Lang::FR), &letter, Options::default());
        let mut passes = [first, second].into_iter();
        let mut source = || -> Rows<'static> {
            let n = passes.next().unwrap_or(0);
            Box::new((0..n).map(|i| {
                let mut row = fixture::rows()[0].clone();
                row.name = format!("Signataire {i}");
                Ok(row)
            }))
        };
        super::write(&ex, &mut source, &mut Vec::new(), &mut |_| {})
    }

    #[test]
    fn a_list_that_changes_page_count_between_passes_is_an_error() {
        use super::PdfError;
        assert_eq!(write_changing(300, 300).unwrap(), 300);
        // One more signature on the same pages keeps every footer true.
        assert_eq!(write_changing(300, 301).unwrap(), 301);
        for (first, second) in [(10, 300), (300, 10)] {
            let result = write_changing(first, second);
            assert!(
                matches!(result, Err(super::ExportError::Pdf(PdfError::ListChanged))),
                "{first} then {second}: {result:?}"
            );
        }
    }
}
