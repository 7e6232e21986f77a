//! The fonts every PDF embeds, DejaVu Serif (see assets/fonts/LICENSE):
//! it covers French and far more, and its widths let the layout wrap lines
//! before anything is drawn. DejaVu Sans, of the same family, draws what
//! the serif lacks and it has: the ✓ of a verified mark, among symbols. Layout and drawing both take a character's
//! glyph and advance from `Face`, so a line is as wide on the page as it
//! was when it was wrapped.

use super::error::PdfError;
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::ReadError;
use skrifa::{FontRef, GlyphId, MetadataProvider};

pub(crate) static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif-Bold.ttf");
pub(crate) static ITALIC: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif-Italic.ttf");
pub(crate) static SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// How many faces a PDF embeds: one a style, then the fallback.
pub const FACES: usize = 4;
/// The slot of DejaVu Sans, after the styles' (`Style::index`).
pub const FALLBACK: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

impl Style {
    pub const ALL: [Style; 3] = [Style::Regular, Style::Bold, Style::Italic];

    /// Its place in `ALL`, for arrays with one slot per style.
    pub fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
        }
    }
}

/// One font file and what layout asks of it.
pub struct Face {
    data: &'static [u8],
    font: FontRef<'static>,
    units_per_em: f32,
    ascent: f32,
    charmap: Charmap<'static>,
    /// By glyph id, in ems. Layout measures the same characters over and
    /// over; keyed by glyph, this is bounded by the font, not by the
    /// distinct characters signers type.
    advances: Vec<f32>,
}

impl Face {
    fn new(data: &'static [u8]) -> Result<Face, ReadError> {
        let font = FontRef::new(data)?;
        let m = font.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(m.units_per_em).max(1.0);
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let advances = (0..metrics.glyph_count())
            .map(|g| metrics.advance_width(GlyphId::new(g)).unwrap_or(0.0) / units_per_em)
            .collect();
        Ok(Face {
            data,
            ascent: m.ascent / units_per_em,
            units_per_em,
            charmap: font.charmap(),
            font,
            advances,
        })
    }

    /// The font file, to subset.
    pub fn data(&self) -> &'static [u8] {
        self.data
    }

    pub fn font(&self) -> &FontRef<'static> {
        &self.font
    }

    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// The glyph drawn for `c`, or none for a character that is never
    /// drawn. Layout and drawing both ask here, so what takes no room is
    /// exactly what is not drawn.
    pub fn drawn_glyph(&self, c: char) -> Option<u16> {
        (!is_invisible(c)).then(|| self.glyph(c))
    }

    /// The glyph for `c`, without shaping: .notdef (0) when the face
    /// lacks it, so a missing character still takes the room it is drawn in.
    pub fn glyph(&self, c: char) -> u16 {
        self.charmap
            .map(c)
            .and_then(|g| u16::try_from(g.to_u32()).ok())
            .unwrap_or(0)
    }

    /// The advance of `glyph`, in ems.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.advances.get(usize::from(glyph)).copied().unwrap_or(0.0)
    }

    /// How many glyphs the face has, which bounds what is kept per glyph.
    pub fn glyph_count(&self) -> usize {
        self.advances.len()
    }
}

pub use crate::domain::text::is_invisible;

pub struct Fonts {
    /// By slot: `Style::index`, then `FALLBACK`.
    faces: [Face; FACES],
}

impl Fonts {
    pub fn load() -> Result<Fonts, PdfError> {
        let load = |face, data| Face::new(data).map_err(|source| PdfError::FontLoad { face, source });
        Ok(Fonts {
            faces: [
                load("DejaVuSerif", REGULAR)?,
                load("DejaVuSerif-Bold", BOLD)?,
                load("DejaVuSerif-Italic", ITALIC)?,
                load("DejaVuSans", SANS)?,
            ],
        })
    }

    pub fn face(&self, style: Style) -> &Face {
        &self.faces[style.index()]
    }

    /// The face in `slot` (`Style::index`, or `FALLBACK`).
    pub fn face_at(&self, slot: usize) -> &Face {
        &self.faces[slot]
    }

    /// The slot of the face that draws `c` in `style`, and its glyph (none
    /// for what is never drawn): the style's own face, or the fallback for
    /// a character only it has. One the fallback lacks too stays the
    /// style's .notdef.
    pub fn pick(&self, style: Style, c: char) -> (usize, Option<u16>) {
        let own = style.index();
        if is_invisible(c) {
            return (own, None);
        }
        let glyph = self.faces[own].glyph(c);
        if glyph == 0 {
            let other = self.faces[FALLBACK].glyph(c);
            if other != 0 {
                return (FALLBACK, Some(other));
            }
        }
        (own, Some(glyph))
    }

    /// `text` cut where the face that draws it changes: each run with its
    /// slot. Most lines are one run.
    pub fn runs<'t>(&self, style: Style, text: &'t str) -> Vec<(usize, &'t str)> {
        let mut runs: Vec<(usize, &'t str)> = Vec::new();
        let mut start = 0;
        let mut current = None;
        for (i, c) in text.char_indices() {
            let (slot, _) = self.pick(style, c);
            if let Some(before) = current.filter(|before| *before != slot) {
                runs.push((before, &text[start..i]));
                start = i;
            }
            current = Some(slot);
        }
        if let Some(slot) = current {
            runs.push((slot, &text[start..]));
        }
        runs
    }

    /// The width of `text` at `size` points, glyph advances only: drawing
    /// neither kerns nor shapes, so this is exactly the drawn width.
    pub fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        text.chars()
            .map(|c| match self.pick(style, c) {
                (slot, Some(glyph)) => self.faces[slot].advance(glyph),
                (_, None) => 0.0,
            })
            .sum::<f32>()
            * size
    }

    /// From the top of a line to its baseline, at `size` points.
    pub fn ascent(&self, style: Style, size: f32) -> f32 {
        self.face(style).ascent * size
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

    #[test]
    fn a_missing_character_is_notdef_and_keeps_its_width() {
        let f = Fonts::load().unwrap();
        let face = f.face(Style::Regular);
        // A private-use code point no font of this family draws.
        assert_eq!(face.glyph('\u{10fffd}'), 0);
        assert_ne!(face.glyph('é'), 0);
        assert_eq!(
            f.width(Style::Regular, 10.0, "\u{10fffd}"),
            face.advance(0) * 10.0
        );
    }

    #[test]
    fn what_the_serif_lacks_the_sans_draws() {
        let f = Fonts::load().unwrap();
        let sans = f.face_at(FALLBACK);
        let check = sans.glyph('✓');
        assert_ne!(check, 0);
        assert_eq!(f.pick(Style::Bold, '✓'), (FALLBACK, Some(check)));
        assert_eq!(f.pick(Style::Bold, 'é').0, Style::Bold.index());
        assert_eq!(f.width(Style::Italic, 10.0, "✓"), sans.advance(check) * 10.0);
        assert_eq!(
            f.runs(Style::Italic, "Avocate ✓✓ (vérifiée)"),
            [
                (Style::Italic.index(), "Avocate "),
                (FALLBACK, "✓✓"),
                (Style::Italic.index(), " (vérifiée)")
            ]
        );
        // Missing from both: the style's own .notdef, in the same run.
        assert_eq!(f.runs(Style::Regular, "a\u{10fffd}b"), [(0, "a\u{10fffd}b")]);
        assert!(f.runs(Style::Regular, "").is_empty());
    }

    #[test]
    fn widths_are_kept_by_glyph_not_by_character() {
        let f = Fonts::load().unwrap();
        let face = f.face(Style::Regular);
        assert!(face.glyph_count() > 1000 && face.glyph_count() <= 65_536);
        let glyph = face.glyph('é');
        let by_glyph = face.advances[usize::from(glyph)];
        assert!(by_glyph > 0.0);
        assert_eq!(f.width(Style::Regular, 1.0, "é"), by_glyph);
        // Measuring every character adds nothing: what is kept is the
        // font's, sized before the first character is measured.
        let all: String = ('\0'..=char::MAX).step_by(7).collect();
        f.width(Style::Regular, 10.0, &all);
        assert_eq!(face.advances.len(), face.glyph_count());
        assert_eq!(face.advance(u16::MAX), 0.0, "past the font is no glyph");
    }

    #[test]
    fn a_font_that_does_not_load_says_why() {
        let Err(source) = Face::new(b"not a font") else {
            panic!("loaded");
        };
        let error = PdfError::FontLoad {
            face: "DejaVuSerif",
            source,
        };
        let message = crate::export::ExportError::from(error).to_string();
        assert!(
            message.starts_with("PDF: the embedded font DejaVuSerif does not load: "),
            "{message}"
        );
        assert!(message.len() > "PDF: the embedded font DejaVuSerif does not load: ".len());
    }

    #[test]
    fn invisible_characters_take_no_room() {
        let f = Fonts::load().unwrap();
        let plain = f.width(Style::Regular, 10.0, "Zoé");
        for c in [
            '\u{00AD}',
            '\u{034F}',
            '\u{180E}',
            '\u{200B}',
            '\u{200D}',
            '\u{200F}',
            '\u{2060}',
            '\u{2064}',
            '\u{FE0F}',
            '\u{FEFF}',
            '\u{E0100}',
            '\u{E01EF}',
        ] {
            let text = format!("Z{c}oé");
            assert_eq!(f.width(Style::Regular, 10.0, &text), plain, "{:x}", c as u32);
            assert_eq!(f.face(Style::Regular).drawn_glyph(c), None);
        }
        assert_eq!(
            f.face(Style::Regular).drawn_glyph('\u{200A}'),
            Some(f.face(Style::Regular).glyph('\u{200A}'))
        );
    }
}
