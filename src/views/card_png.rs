//! The share card as a PNG: link previews on Facebook, X, LinkedIn,
//! WhatsApp, Signal and iMessage show no SVG. The card's SVG is drawn in
//! process with resvg, with the fonts the repository bundles
//! (assets/fonts, DejaVu) loaded explicitly: what a card looks like must
//! not depend on the fonts of the host it runs on.

use super::share::{CARD_HEIGHT, CARD_WIDTH};
use crate::export::pdf::fonts;
use resvg::{tiny_skia, usvg};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the card's SVG does not parse: {0}")]
    Svg(#[from] usvg::Error),
    #[error("no {CARD_WIDTH}×{CARD_HEIGHT} canvas")]
    Canvas,
    #[error("the card does not encode as PNG: {0}")]
    Png(String),
}

/// Draws share cards. Building the font database parses the fonts once;
/// the painter is then shared by every card.
pub struct CardPainter {
    fontdb: Arc<usvg::fontdb::Database>,
}

impl Default for CardPainter {
    fn default() -> Self {
        Self::new()
    }
}

impl CardPainter {
    pub fn new() -> CardPainter {
        let mut db = usvg::fontdb::Database::new();
        for font in [fonts::REGULAR, fonts::BOLD, fonts::ITALIC, fonts::SANS] {
            db.load_font_data(font.to_vec());
        }
        // The generic families the card's font lists end with resolve to
        // the bundled faces too, never to a system font.
        db.set_serif_family("DejaVu Serif");
        db.set_sans_serif_family("DejaVu Sans");
        CardPainter { fontdb: Arc::new(db) }
    }

    /// The PNG of a card's SVG, at the card's size.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, CardError> {
        let options = usvg::Options {
            font_family: "DejaVu Serif".into(),
            fontdb: self.fontdb.clone(),
            // The card is our own markup, but nothing in it may reach
            // outside the process: no file or data image is ever loaded.
            image_href_resolver: usvg::ImageHrefResolver {
                resolve_data: Box::new(|_, _, _| None),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options)?;
        let mut pixmap = tiny_skia::Pixmap::new(CARD_WIDTH, CARD_HEIGHT).ok_or(CardError::Canvas)?;
        let size = tree.size();
        let transform = tiny_skia::Transform::from_scale(
            CARD_WIDTH as f32 / size.width(),
            CARD_HEIGHT as f32 / size.height(),
        );
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| CardError::Png(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    /// Decodes a PNG into its size and RGBA pixels.
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        assert_eq!(info.color_type, png::ColorType::Rgba);
        (info.width, info.height, buf)
    }

    #[test]
    fn the_card_is_drawn_with_the_bundled_fonts() {
        let i18n = I18n::new().unwrap();
        let letter = crate::views::share::tests_support::letter("Pour des logements abordables à Sherbrooke");
        let svg = crate::views::share::card_svg_at_step(&i18n.tr(crate::domain::Lang::FR), &letter, 1234);
        let (w, h, px) = decode(&CardPainter::new().png(&svg).unwrap());
        assert_eq!((w, h), (CARD_WIDTH, CARD_HEIGHT));
        // Ink where the title's first line goes (x 80…1100, y 85…150): the
        // fonts were found, since text without a font draws nothing.
        let dark = |x: u32, y: u32| {
            let i = ((y * w + x) * 4) as usize;
            px[i] < 100 && px[i + 1] < 100 && px[i + 2] < 100
        };
        let inked = (85..150)
            .flat_map(|y| (80..1100).map(move |x| (x, y)))
            .filter(|&(x, y)| dark(x, y))
            .count();
        assert!(inked > 2_000, "only {inked} dark pixels in the title's line");
        // The accent bar on the left, and the paper elsewhere.
        assert_eq!(&px[(300 * w + 10) as usize * 4..][..3], &[0x0b, 0x53, 0x94]);
        assert_eq!(&px[(10 * w + 1190) as usize * 4..][..3], &[0xff, 0xfd, 0xf8]);
    }
}
