//! One face as the PDF embeds it: the glyphs drawn so far, renumbered from
//! 1 in the order they were first drawn, and at the end a Type0 font that
//! holds only those glyphs. What it keeps grows with the distinct
//! characters drawn, never with the text.
//!
//! Each glyph's new number is its CID in the page strings (two bytes,
//! Identity-H) and its glyph id in the subset (CIDToGIDMap Identity), as
//! subsetter numbers the subset's glyphs in the `GlyphRemapper`'s order.

use super::error::PdfError;
use super::fonts::Face;
use super::writer::{deflate, PdfWriter};
use crate::export::ExportError;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};
use skrifa::string::StringId;
use skrifa::MetadataProvider;
use subsetter::GlyphRemapper;

const IDENTITY_H: Name = Name(b"Identity-H");
const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};
/// CID fonts measure in thousandths of an em whatever the font's own units.
const PDF_UNITS: f32 = 1000.0;

pub struct Embedded<'f> {
    face: &'f Face,
    /// Numbers each glyph once, however many characters draw it.
    remapper: GlyphRemapper,
    /// By CID: the glyph's advance in ems, and the character it was first
    /// drawn for, which ToUnicode gives back; none for .notdef. One entry a
    /// glyph, so the font bounds it, not the characters signers type.
    glyphs: Vec<(f32, Option<char>)>,
}

impl<'f> Embedded<'f> {
    pub fn new(face: &'f Face) -> Embedded<'f> {
        // The remapper starts with .notdef as 0.
        Embedded {
            face,
            remapper: GlyphRemapper::new(),
            glyphs: vec![(face.advance(0), None)],
        }
    }

    /// Appends `text` to `out` as big-endian two-byte CIDs, one a character:
    /// no shaping, so each character is its glyph and its own advance.
    ///
    /// Returns whether ToUnicode cannot give `text` back: it holds a
    /// character the face lacks (.notdef stands for any of them), or one
    /// whose glyph another character drew first. The caller then wraps the
    /// run in `/ActualText`, so copying gives every character back.
    pub fn encode(&mut self, text: &str, out: &mut Vec<u8>) -> bool {
        let face = self.face;
        // What layout measured as nothing is not drawn.
        self.encode_glyphs(text.chars().filter_map(|c| Some((c, face.drawn_glyph(c)?))), out)
    }

    /// `encode` with each character's glyph already looked up.
    fn encode_glyphs(&mut self, text: impl Iterator<Item = (char, u16)>, out: &mut Vec<u8>) -> bool {
        let mut ambiguous = false;
        for (c, glyph) in text {
            let cid = self.add(c, glyph);
            let first = self.glyphs.get(usize::from(cid)).and_then(|(_, first)| *first);
            ambiguous |= first != Some(c);
            out.extend_from_slice(&cid.to_be_bytes());
        }
        ambiguous
    }

    fn add(&mut self, c: char, glyph: u16) -> u16 {
        // `remap` panics past 65,536 glyphs; `glyph` only gives ids of this
        // face, which has a few thousand.
        let cid = self.remapper.remap(glyph);
        // .notdef stays mapped to no character: whichever one it took would
        // be what every missing character copies as.
        if glyph != 0 && usize::from(cid) == self.glyphs.len() {
            self.glyphs.push((self.face.advance(glyph), Some(c)));
        }
        cid
    }

    /// Writes the font, its descendant CID font, descriptor, ToUnicode map
    /// and font file, `font` being the ref the pages already use.
    pub fn write(&self, file: &mut PdfWriter, font: Ref) -> Result<(), ExportError> {
        let cid_font = file.reserve()?;
        let descriptor = file.reserve()?;
        let to_unicode = file.reserve()?;
        let font_file = file.reserve()?;
        let base_font = self.base_font();
        let base_font = Name(base_font.as_bytes());

        let mut chunk = Chunk::new();
        chunk
            .type0_font(font)
            .base_font(base_font)
            .encoding_predefined(IDENTITY_H)
            .descendant_font(cid_font)
            .to_unicode(to_unicode);
        file.put(&chunk)?;

        let mut chunk = Chunk::new();
        let mut cid = chunk.cid_font(cid_font);
        cid.subtype(CidFontType::Type2)
            .base_font(base_font)
            .system_info(SYSTEM_INFO)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths()
            .consecutive(0, self.glyphs.iter().map(|(advance, _)| advance * PDF_UNITS));
        cid.finish();
        file.put(&chunk)?;

        self.write_descriptor(file, descriptor, base_font, font_file)?;

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
        for (cid, (_, text)) in self.glyphs.iter().enumerate() {
            if let (Some(c), Ok(cid)) = (text, u16::try_from(cid)) {
                cmap.pair(cid, *c);
            }
        }
        let data = deflate(cmap.finish().as_slice())?;
        let mut chunk = Chunk::new();
        chunk.cmap(to_unicode, &data).filter(Filter::FlateDecode);
        file.put(&chunk)?;

        let subset =
            subsetter::subset(self.face.data(), 0, &self.remapper).map_err(|source| PdfError::Subset {
                font: self.postscript_name(),
                source,
            })?;
        let data = deflate(&subset)?;
        let mut chunk = Chunk::new();
        let mut stream = chunk.stream(font_file, &data);
        stream.filter(Filter::FlateDecode);
        // The uncompressed length, which readers of TrueType font files expect.
        let length = i32::try_from(subset.len()).map_err(|_| PdfError::SubsetTooLarge)?;
        stream.pair(Name(b"Length1"), length);
        stream.finish();
        file.put(&chunk)
    }

    fn write_descriptor(
        &self,
        file: &mut PdfWriter,
        descriptor: Ref,
        base_font: Name,
        font_file: Ref,
    ) -> Result<(), ExportError> {
        let font = self.face.font();
        let m = font.metrics(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        );
        let scale = PDF_UNITS / self.face.units_per_em();
        let bbox = m
            .bounds
            .map(|b| Rect::new(b.x_min * scale, b.y_min * scale, b.x_max * scale, b.y_max * scale))
            .unwrap_or(Rect::new(0.0, m.descent * scale, PDF_UNITS, m.ascent * scale));
        let mut flags = FontFlags::SERIF | FontFlags::SYMBOLIC;
        flags.set(FontFlags::ITALIC, m.italic_angle != 0.0);
        flags.set(FontFlags::FIXED_PITCH, m.is_monospace);
        // The usual estimate from the weight class, as readers only use it
        // to fake a missing font, which an embedded one never is.
        let stem_v = 10.0 + 0.244 * (font.attributes().weight.value() - 50.0);

        let mut chunk = Chunk::new();
        chunk
            .font_descriptor(descriptor)
            .name(base_font)
            .flags(flags)
            .bbox(bbox)
            .italic_angle(m.italic_angle)
            .ascent(m.ascent * scale)
            .descent(m.descent * scale)
            .cap_height(m.cap_height.unwrap_or(m.ascent) * scale)
            .stem_v(stem_v)
            .font_file2(font_file);
        file.put(&chunk)
    }

    fn postscript_name(&self) -> String {
        let name = self
            .face
            .font()
            .localized_strings(StringId::POSTSCRIPT_NAME)
            .english_or_first()
            .map(|s| s.to_string())
            .unwrap_or_default();
        // A PostScript name is printable ASCII without delimiters already;
        // this keeps a damaged name table from breaking the PDF name.
        let name: String = name
            .chars()
            .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
            .take(100)
            .collect();
        if name.is_empty() {
            "Font".into()
        } else {
            name
        }
    }

    /// `ABCDEF+Name`: a subset's name is tagged with six capitals, which
    /// differ for different subsets of one font.
    fn base_font(&self) -> String {
        // FNV-1a: stable from one build to the next, unlike std's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for glyph in self.remapper.remapped_gids() {
            for byte in glyph.to_be_bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        let tag: String = (0..6)
            .map(|i| char::from(b'A' + ((hash >> (i * 8)) & 0xff) as u8 % 26))
            .collect();
        format!("{tag}+{}", self.postscript_name())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fonts::{is_invisible, Fonts, Style};
    use super::*;

    #[test]
    fn characters_become_cids_in_first_drawn_order() {
        let fonts = Fonts::load().unwrap();
        let mut font = Embedded::new(fonts.face(Style::Regular));
        let mut out = Vec::new();
        font.encode("été", &mut out);
        assert_eq!(out, [0, 1, 0, 2, 0, 1]);
        assert_eq!(font.glyphs[1].1, Some('é'));
        assert_eq!(font.glyphs.len(), 3);
        assert_eq!(font.remapper.num_gids(), 3);
    }

    #[test]
    fn notdef_copies_as_nothing_and_asks_for_actual_text() {
        let fonts = Fonts::load().unwrap();
        let mut font = Embedded::new(fonts.face(Style::Regular));
        let mut out = Vec::new();
        assert!(!font.encode("Zoé", &mut out));
        // Missing characters are all .notdef, which must not copy as any
        // one of them.
        assert!(font.encode("\u{10fffd}", &mut out));
        assert!(font.encode("a\u{10fffe}", &mut out));
        assert_eq!(&out[6..], [0, 0, 0, 4, 0, 0]);
        assert_eq!(font.glyphs[0].1, None);
        assert!(!font.encode("Zoé", &mut out), "now known, drawn as before");
    }

    #[test]
    fn a_glyph_drawn_for_two_characters_asks_for_actual_text() {
        let fonts = Fonts::load().unwrap();
        let face = fonts.face(Style::Regular);
        let mut font = Embedded::new(face);
        // DejaVu gives each character its own glyph, so this plays a font
        // that draws 'x' with the glyph of 'a'.
        assert!(!font.encode("a", &mut Vec::new()));
        let mut out = Vec::new();
        assert!(font.encode_glyphs([('x', face.glyph('a'))].into_iter(), &mut out));
        assert_eq!(out, [0, 1]);
        assert!(!font.encode("a", &mut Vec::new()));
    }

    #[test]
    fn invisible_characters_are_not_drawn() {
        let fonts = Fonts::load().unwrap();
        let mut font = Embedded::new(fonts.face(Style::Regular));
        let mut out = Vec::new();
        assert!(!font.encode("Z\u{200B}o\u{FE0F}\u{AD}é\u{FEFF}", &mut out));
        assert_eq!(out, [0, 1, 0, 2, 0, 3]);
    }

    #[test]
    fn what_is_kept_is_bounded_by_the_font() {
        let fonts = Fonts::load().unwrap();
        let face = fonts.face(Style::Regular);
        let mut font = Embedded::new(face);
        let all: String = ('\0'..=char::MAX).step_by(3).collect();
        let mut out = Vec::new();
        font.encode(&all, &mut out);
        let drawn = all.chars().filter(|c| !is_invisible(*c)).count();
        assert_eq!(out.len(), drawn * 2);
        assert!(font.glyphs.len() <= face.glyph_count());
        assert_eq!(font.glyphs.len(), usize::from(font.remapper.num_gids()));
    }

    #[test]
    fn widths_are_the_layout_widths() {
        let fonts = Fonts::load().unwrap();
        let mut font = Embedded::new(fonts.face(Style::Bold));
        let text = "«\u{a0}Béland\u{202f}»";
        let mut out = Vec::new();
        font.encode(text, &mut out);
        let drawn: f32 = out
            .chunks(2)
            .map(|c| font.glyphs[usize::from(u16::from_be_bytes([c[0], c[1]]))].0)
            .sum();
        assert!((drawn * 10.0 - fonts.width(Style::Bold, 10.0, text)).abs() < 1e-4);
    }

    #[test]
    fn the_base_font_is_tagged() {
        let fonts = Fonts::load().unwrap();
        let mut font = Embedded::new(fonts.face(Style::Italic));
        font.encode("abc", &mut Vec::new());
        let name = font.base_font();
        let (tag, rest) = name.split_once('+').unwrap();
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()));
        assert_eq!(rest, "DejaVuSerif-Italic");
    }
}
