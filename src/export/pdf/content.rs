//! What a page draws: its text runs as a content stream, each run placed on
//! its baseline and written as the CIDs of its font's subset. A run that
//! ToUnicode alone would copy wrongly carries its text as `/ActualText`.

use super::embed::Embedded;
use super::fonts::Style;
use super::layout::{Op, PAGE_HEIGHT};
use pdf_writer::{Content, Name, Str, TextStr};

/// The name each style's font has in every page's resources.
pub fn font_name(style: Style) -> Name<'static> {
    match style {
        Style::Regular => Name(b"F0"),
        Style::Bold => Name(b"F1"),
        Style::Italic => Name(b"F2"),
    }
}

/// The content stream of a page showing `ops`; `fonts` learn which glyphs
/// the page uses, by `Style::index`.
pub fn draw(ops: &[Op], fonts: &mut [Embedded; 3]) -> Vec<u8> {
    let mut content = Content::new();
    let mut cids = Vec::new();
    let mut current = None;
    content.begin_text();
    for op in ops {
        if current != Some((op.style, op.size)) {
            content.set_font(font_name(op.style), op.size);
            current = Some((op.style, op.size));
        }
        // Layout measures y down from the top; PDF measures it up.
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, op.x, PAGE_HEIGHT - op.y]);
        cids.clear();
        let ambiguous = fonts[op.style.index()].encode(&op.text, &mut cids);
        if ambiguous {
            content
                .begin_marked_content_with_properties(Name(b"Span"))
                .properties()
                .actual_text(TextStr(&op.text));
        }
        content.show(Str(&cids));
        if ambiguous {
            content.end_marked_content();
        }
    }
    content.end_text();
    content.finish().into_vec()
}
