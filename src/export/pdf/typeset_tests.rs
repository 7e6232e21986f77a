//! How the PDF is set on the page, as a reader sees it: the check mark of
//! a verified line, and the footer clear of the text wherever the list
//! meets the foot of a page.

use super::read_back;
use crate::domain::Lang;
use crate::export::fixture;
use crate::export::{Options, Rows};

#[test]
fn a_verified_line_shows_its_check_mark_and_copies_whole() {
    let i18n = crate::i18n::I18n::new().unwrap();
    let letter = fixture::letter();
    let ex = fixture::export(i18n.tr(Lang::FR), &letter, Options::default());
    let mut source = || -> Rows<'static> {
        let mut rows = fixture::rows();
        rows[0].verified_lines = vec![0];
        Box::new(rows.into_iter().map(Ok))
    };
    let mut pdf = Vec::new();
    crate::export::write(
        crate::export::Format::Pdf,
        &ex,
        &mut source,
        &mut pdf,
        &mut |_| {},
    )
    .unwrap();
    let text = read_back::read(&pdf).text;
    assert!(
        text.lines()
            .any(|l| l == "Présidente (1998-2006) ✓ (vérifié par courriel)"),
        "{text}"
    );
    // The serif has no ✓: the sans draws it, rather than a .notdef box.
    let fonts = super::Fonts::load().unwrap();
    assert_eq!(fonts.face(super::Style::Regular).glyph('✓'), 0);
    assert_eq!(fonts.pick(super::Style::Regular, '✓').0, super::fonts::FALLBACK);
    let from = pdf
        .windows(b"+DejaVuSans".len())
        .position(|w| w == b"+DejaVuSans");
    assert!(from.is_some(), "the fallback face is embedded");
}

/// Four signatories whose blocks are as tall as the issue's, after a
/// letter of `paragraphs` one-line paragraphs.
fn four_signatories(paragraphs: usize, columns: u8) -> Vec<u8> {
    let i18n = crate::i18n::I18n::new().unwrap();
    let mut letter = fixture::letter();
    letter.body_markdown = (0..paragraphs)
        .map(|i| format!("Paragraphe {i} de la lettre."))
        .collect::<Vec<_>>()
        .join("\n\n");
    let options = Options {
        columns,
        ..Options::default()
    };
    let ex = fixture::export(i18n.tr(Lang::FR), &letter, options);
    let mut source = || -> Rows<'static> {
        Box::new((0..4).map(|i| {
            let mut row = fixture::rows()[0].clone();
            row.name = format!("Signataire {i}");
            row.titles = vec![
                format!("Titre {i} : présidente d’honneur"),
                format!("Titre {i} : ancienne ministre"),
                format!("Titre {i} : Grand Officier du Québec"),
            ];
            Ok(row)
        }))
    };
    let mut pdf = Vec::new();
    super::write(&ex, &mut source, &mut pdf, &mut |_| {}).unwrap();
    pdf
}

#[test]
fn the_footer_stands_clear_and_no_signatory_is_cut_wherever_the_page_breaks() {
    // Lengths that bring the list's start down through the foot of the
    // first page a line at a time, from where all four blocks would
    // just fit (two a column in two columns) to the next page.
    for (columns, from) in [(1, 20), (2, 26)] {
        for paragraphs in from..34 {
            let pdf = four_signatories(paragraphs, columns);
            let read = read_back::read(&pdf);
            let pages: Vec<&str> = read.text.split_terminator('\x0c').collect();
            let footers: Vec<String> = (1..=read.pages)
                .map(|p| format!("Page {p} sur {}", read.pages))
                .collect();
            for (page, footer) in pages.iter().zip(&footers) {
                assert_eq!(page.lines().last(), Some(footer.as_str()), "{page}");
                // Each signatory whole on one page.
                for i in 0..4 {
                    let lines = page
                        .lines()
                        .filter(|l| l.contains(&format!("Titre {i} :")))
                        .count();
                    let named = page.lines().any(|l| l == format!("Signataire {i}"));
                    assert!(
                        (named && lines == 3) || (!named && lines == 0),
                        "{paragraphs} paragraphs, {columns} columns: signatory {i} cut\n{page}"
                    );
                }
            }
            read_back::assert_footers_clear(&pdf, &footers, 12.0);
        }
    }
}
