//! The document's objects in the order a stream allows: each page, with its
//! content, written out as soon as it is drawn; then what refers to every
//! page or to everything drawn — the fonts, the page tree — and the catalog
//! and info. Between pages, what stays in memory is a ref a page, the
//! writer's offset an object, and the glyphs used so far.

use super::content;
use super::embed::Embedded;
use super::error::PdfError;
use super::fonts::{Fonts, FACES};
use super::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH};
use super::writer::{deflate, PdfWriter};
use crate::export::ExportError;
use pdf_writer::writers::{Catalog, DocumentInfo};
use pdf_writer::{Chunk, Filter, Finish, Rect, Ref, TextStr};
use std::io::Write;

/// What the catalog and the document info say of the letter.
pub struct Meta<'a> {
    pub title: &'a str,
    /// BCP 47, as `/Lang` wants it.
    pub lang: &'a str,
}

pub struct Document<'w, 'f> {
    file: PdfWriter<'w>,
    /// Pages name their parent and their fonts before these are written.
    page_tree: Ref,
    font_refs: [Ref; FACES],
    layout_fonts: &'f Fonts,
    fonts: [Embedded<'f>; FACES],
    pages: Vec<Ref>,
}

impl<'w, 'f> Document<'w, 'f> {
    pub fn start(out: &'w mut dyn Write, fonts: &'f Fonts) -> Result<Document<'w, 'f>, ExportError> {
        let mut file = PdfWriter::start(out)?;
        let page_tree = file.reserve()?;
        let font_refs = [file.reserve()?, file.reserve()?, file.reserve()?, file.reserve()?];
        Ok(Document {
            file,
            page_tree,
            font_refs,
            layout_fonts: fonts,
            fonts: std::array::from_fn(|slot| Embedded::new(fonts.face_at(slot))),
            pages: Vec::new(),
        })
    }

    /// Draws a page and writes it out.
    pub fn page(&mut self, ops: &[Op]) -> Result<(), ExportError> {
        let data = deflate(&content::draw(ops, self.layout_fonts, &mut self.fonts))?;
        let contents = self.file.reserve()?;
        let mut chunk = Chunk::new();
        chunk.stream(contents, &data).filter(Filter::FlateDecode);
        self.file.put(&chunk)?;

        let id = self.file.reserve()?;
        let mut chunk = Chunk::new();
        let mut page = chunk.page(id);
        page.parent(self.page_tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(contents);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        for (slot, font) in self.font_refs.iter().enumerate() {
            fonts.pair(content::font_name(slot), *font);
        }
        fonts.finish();
        resources.finish();
        page.finish();
        self.file.put(&chunk)?;
        self.pages.push(id);
        Ok(())
    }

    /// Writes the fonts, page tree, catalog and info, then the xref table.
    pub fn finish(mut self, meta: &Meta) -> Result<(), ExportError> {
        for (font, id) in self.fonts.iter().zip(self.font_refs) {
            font.write(&mut self.file, id)?;
        }

        let count = i32::try_from(self.pages.len()).map_err(|_| PdfError::TooManyPages)?;
        let mut chunk = Chunk::new();
        chunk
            .pages(self.page_tree)
            .count(count)
            .kids(self.pages.iter().copied());
        self.file.put(&chunk)?;

        let catalog = self.file.reserve()?;
        let mut chunk = Chunk::new();
        chunk
            .indirect(catalog)
            .start::<Catalog>()
            .pages(self.page_tree)
            .lang(TextStr(meta.lang));
        self.file.put(&chunk)?;

        let info = self.file.reserve()?;
        let mut chunk = Chunk::new();
        chunk
            .indirect(info)
            .start::<DocumentInfo>()
            .title(TextStr(meta.title))
            .creator(TextStr("undersigned"));
        self.file.put(&chunk)?;

        self.file.finish(catalog, info)
    }
}
