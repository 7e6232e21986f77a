//! The fonts every PDF embeds, DejaVu Serif (see assets/fonts/LICENSE):
//! it covers French and far more, and its widths let the layout wrap lines
//! before anything is drawn.

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::cell::RefCell;
use std::collections::HashMap;

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif-Italic.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

/// Advance widths of one face, in ems, read once per character.
struct Metrics {
    font: FontRef<'static>,
    units_per_em: f32,
    ascent: f32,
    cache: RefCell<HashMap<char, f32>>,
}

impl Metrics {
    fn new(data: &'static [u8]) -> Option<Metrics> {
        let font = FontRef::new(data).ok()?;
        let m = font.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(m.units_per_em).max(1.0);
        Some(Metrics {
            ascent: m.ascent / units_per_em,
            units_per_em,
            font,
            cache: RefCell::new(HashMap::new()),
        })
    }

    fn advance(&self, c: char) -> f32 {
        if let Some(w) = self.cache.borrow().get(&c) {
            return *w;
        }
        let glyph = self.font.charmap().map(c).unwrap_or_default();
        let w = self
            .font
            .glyph_metrics(Size::unscaled(), LocationRef::default())
            .advance_width(glyph)
            .unwrap_or(0.0)
            / self.units_per_em;
        self.cache.borrow_mut().insert(c, w);
        w
    }
}

pub struct Fonts {
    regular: (Font, Metrics),
    bold: (Font, Metrics),
    italic: (Font, Metrics),
}

impl Fonts {
    pub fn load() -> Option<Fonts> {
        let face = |data: &'static [u8]| Some((Font::new(data.into(), 0)?, Metrics::new(data)?));
        Some(Fonts {
            regular: face(REGULAR)?,
            bold: face(BOLD)?,
            italic: face(ITALIC)?,
        })
    }

    fn face(&self, style: Style) -> &(Font, Metrics) {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
            Style::Italic => &self.italic,
        }
    }

    pub fn font(&self, style: Style) -> Font {
        self.face(style).0.clone()
    }

    /// The width of `text` at `size` points, without kerning: close enough to
    /// wrap lines with the small slack the layout keeps.
    pub fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        let m = &self.face(style).1;
        text.chars().map(|c| m.advance(c)).sum::<f32>() * size
    }

    /// From the top of a line to its baseline, at `size` points.
    pub fn ascent(&self, style: Style, size: f32) -> f32 {
        self.face(style).1.ascent * size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let f = Fonts::load().unwrap();
        let a = f.width(Style::Regular, 10.0, "Béland");
        assert!(a > 20.0 && a < 60.0, "{a}");
        assert!(f.width(Style::Regular, 20.0, "Béland") > a * 1.9);
        assert!(f.width(Style::Bold, 10.0, "Béland") > a);
        assert!(f.width(Style::Regular, 10.0, "«\u{a0}été\u{202f}»") > 0.0);
    }
}
