//! What a page draws: its text runs as a content stream, each run placed on
//! its baseline and written as the CIDs of its font's subset. A run that
//! ToUnicode alone would copy wrongly carries its text as `/ActualText`.

use super::embed::Embedded;
use super::fonts::{Fonts, FACES};
use super::layout::{Op, PAGE_HEIGHT};
use pdf_writer::{Content, Name, Str, TextStr};

/// The name each face has in every page's resources, by slot.
pub fn font_name(slot: usize) -> Name<'static> {
    const NAMES: [&[u8]; FACES] = [b"F0", b"F1", b"F2", b"F3"];
    Name(NAMES[slot])
}

/// The content stream of a page showing `ops`; `embedded` learn which
/// glyphs the page uses, by slot.
pub fn draw(ops: &[Op], fonts: &Fonts, embedded: &mut [Embedded; FACES]) -> Vec<u8> {
    let mut content = Content::new();
    let mut cids = Vec::new();
    let mut current = None;
    content.begin_text();
    for op in ops {
        let runs = fonts.runs(op.style, &op.text);
        // A line drawn by two faces copies as one text, not as runs a
        // reader might join with spaces.
        let mixed = runs.len() > 1;
        if mixed {
            content
                .begin_marked_content_with_properties(Name(b"Span"))
                .properties()
                .actual_text(TextStr(&op.text));
        }
        let mut x = op.x;
        for (slot, run) in runs {
            if current != Some((slot, op.size)) {
                content.set_font(font_name(slot), op.size);
                current = Some((slot, op.size));
            }
            // Layout measures y down from the top; PDF measures it up.
            content.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, PAGE_HEIGHT - op.y]);
            cids.clear();
            let ambiguous = embedded[slot].encode(run, &mut cids) && !mixed;
            if ambiguous {
                content
                    .begin_marked_content_with_properties(Name(b"Span"))
                    .properties()
                    .actual_text(TextStr(run));
            }
            content.show(Str(&cids));
            if ambiguous {
                content.end_marked_content();
            }
            x += fonts.width(op.style, op.size, run);
        }
        if mixed {
            content.end_marked_content();
        }
    }
    content.end_text();
    content.finish().into_vec()
}
