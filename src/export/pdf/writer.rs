//! The PDF file's structure, written as it goes: the header, each indirect
//! object copied out as soon as it is made, and at the end the
//! cross-reference table and trailer, from the offsets noted on the way.
//!
//! pdf-writer's `Pdf` keeps the whole file in memory until `finish`; here
//! each object is made in its own `Chunk` and dropped once written, so what
//! stays is eight bytes an object.

use super::error::PdfError;
use crate::export::ExportError;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use pdf_writer::{Chunk, Ref};
use std::io::Write;

/// Binary bytes on the second line tell transfer tools the file is binary.
const HEADER: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
/// An xref entry holds its offset in ten digits.
const MAX_OFFSET: u64 = 9_999_999_999;

pub struct PdfWriter<'w> {
    out: &'w mut dyn Write,
    written: u64,
    /// Each object's byte offset, by id − 1; 0 while reserved and not yet
    /// written, which no object can have since the header comes first.
    offsets: Vec<u64>,
}

impl<'w> PdfWriter<'w> {
    pub fn start(out: &'w mut dyn Write) -> Result<PdfWriter<'w>, ExportError> {
        let mut file = PdfWriter {
            out,
            written: 0,
            offsets: Vec::new(),
        };
        file.emit(HEADER)?;
        Ok(file)
    }

    /// A new object id, to refer to before the object is written.
    pub fn reserve(&mut self) -> Result<Ref, ExportError> {
        let id = i32::try_from(self.offsets.len() + 1).map_err(|_| PdfError::TooManyObjects)?;
        self.offsets.push(0);
        Ok(Ref::new(id))
    }

    /// Writes a chunk holding one reserved object. One object a chunk,
    /// because a chunk does not tell where in it its objects start.
    pub fn put(&mut self, chunk: &Chunk) -> Result<(), ExportError> {
        let mut refs = chunk.refs();
        let (Some(id), None) = (refs.next(), refs.next()) else {
            return Err(PdfError::NotOneObject.into());
        };
        let slot = usize::try_from(id.get() - 1)
            .ok()
            .and_then(|i| self.offsets.get_mut(i))
            .filter(|offset| **offset == 0)
            .ok_or(PdfError::Unreserved(id.get()))?;
        *slot = self.written;
        self.emit(chunk.as_bytes())
    }

    /// Writes the cross-reference table and the trailer. Every reserved
    /// object must have been written.
    pub fn finish(mut self, catalog: Ref, info: Ref) -> Result<(), ExportError> {
        if let Some(i) = self.offsets.iter().position(|offset| *offset == 0) {
            return Err(PdfError::NeverWritten(i + 1).into());
        }
        let xref_at = self.written;
        let offsets = std::mem::take(&mut self.offsets);
        let mut table = Vec::with_capacity(64 * 1024 + 128);
        write!(table, "xref\n0 {}\n", offsets.len() + 1)?;
        table.extend_from_slice(b"0000000000 65535 f\r\n");
        for offset in &offsets {
            write!(table, "{offset:010} 00000 n\r\n")?;
            // Keeps the buffer small however many objects there are.
            if table.len() >= 64 * 1024 {
                self.emit(&table)?;
                table.clear();
            }
        }
        write!(
            table,
            "trailer\n<< /Size {} /Root {} 0 R /Info {} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
            offsets.len() + 1,
            catalog.get(),
            info.get(),
        )?;
        self.emit(&table)?;
        self.out.flush()?;
        Ok(())
    }

    /// Refuses bytes that would take the file past what an xref entry can
    /// point at, before writing them: found only at the end, the limit would
    /// cost a 10 GB upload for an error.
    fn emit(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        let written = self
            .written
            .checked_add(bytes.len() as u64)
            .filter(|end| *end <= MAX_OFFSET)
            .ok_or(PdfError::FileTooLarge)?;
        self.out.write_all(bytes)?;
        self.written = written;
        Ok(())
    }
}

/// `bytes` compressed for a `FlateDecode` stream.
pub fn deflate(bytes: &[u8]) -> Result<Vec<u8>, ExportError> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

#[cfg(test)]
pub(crate) mod check {
    //! Reads a file's structure back, for tests.

    /// Checks that `startxref` points at the xref table and that each of its
    /// entries points at its own `N 0 obj`; returns the number of objects.
    pub fn structure(pdf: &[u8]) -> usize {
        let tail = &pdf[pdf.len().saturating_sub(64)..];
        let tail = String::from_utf8_lossy(tail);
        assert!(tail.ends_with("%%EOF\n"), "{tail}");
        let xref_at: usize = tail
            .split("startxref\n")
            .nth(1)
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no startxref in {tail:?}"));
        assert!(pdf[xref_at..].starts_with(b"xref\n0 "), "startxref {xref_at}");
        let table = String::from_utf8_lossy(&pdf[xref_at..]);
        let mut lines = table.split('\n');
        lines.next();
        let count: usize = lines
            .next()
            .and_then(|l| l.strip_prefix("0 "))
            .and_then(|n| n.parse().ok())
            .expect("xref subsection header");
        let entries: Vec<&str> = lines.by_ref().take(count).collect();
        assert_eq!(entries.len(), count);
        assert_eq!(entries[0], "0000000000 65535 f\r");
        for (id, entry) in entries.iter().enumerate().skip(1) {
            assert_eq!(entry.len(), 19, "entries are 20 bytes with the \\n: {entry:?}");
            assert!(entry.ends_with(" 00000 n\r"), "{entry:?}");
            let offset: usize = entry[..10].parse().expect("offset");
            let head = format!("{id} 0 obj\n");
            assert!(
                pdf[offset..].starts_with(head.as_bytes()),
                "object {id} is not at {offset}"
            );
            assert!(offset == 0 || pdf[offset - 1] == b'\n');
        }
        assert_eq!(lines.next(), Some("trailer"));
        let trailer = lines.next().expect("trailer dictionary");
        assert!(trailer.contains(&format!("/Size {count} ")), "{trailer}");
        count - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::{Name, Rect, TextStr};

    #[test]
    fn the_xref_table_points_at_every_object() {
        let mut out = Vec::new();
        let mut file = PdfWriter::start(&mut out).unwrap();
        let catalog = file.reserve().unwrap();
        let tree = file.reserve().unwrap();
        let info = file.reserve().unwrap();
        let mut kids = Vec::new();
        for _ in 0..3 {
            let content = file.reserve().unwrap();
            let page = file.reserve().unwrap();
            let data = deflate(b"BT ET").unwrap();
            let mut chunk = Chunk::new();
            chunk
                .stream(content, &data)
                .filter(pdf_writer::Filter::FlateDecode);
            file.put(&chunk).unwrap();
            let mut chunk = Chunk::new();
            chunk
                .page(page)
                .parent(tree)
                .media_box(Rect::new(0.0, 0.0, 100.0, 100.0))
                .contents(content);
            file.put(&chunk).unwrap();
            kids.push(page);
        }
        let mut chunk = Chunk::new();
        chunk.pages(tree).count(3).kids(kids);
        file.put(&chunk).unwrap();
        let mut chunk = Chunk::new();
        chunk
            .indirect(catalog)
            .dict()
            .pair(Name(b"Type"), Name(b"Catalog"))
            .pair(Name(b"Pages"), tree);
        file.put(&chunk).unwrap();
        let mut chunk = Chunk::new();
        chunk.indirect(info).dict().pair(Name(b"Title"), TextStr("é"));
        file.put(&chunk).unwrap();
        file.finish(catalog, info).unwrap();

        assert!(out.starts_with(b"%PDF-1.7\n"));
        assert_eq!(check::structure(&out), 9);
    }

    #[test]
    fn an_object_reserved_but_never_written_is_an_error() {
        let mut out = Vec::new();
        let mut file = PdfWriter::start(&mut out).unwrap();
        let catalog = file.reserve().unwrap();
        let info = file.reserve().unwrap();
        let mut chunk = Chunk::new();
        chunk.indirect(catalog).dict();
        file.put(&chunk).unwrap();
        assert!(matches!(
            file.finish(catalog, info),
            Err(ExportError::Pdf(PdfError::NeverWritten(2)))
        ));
    }

    #[test]
    fn the_size_limit_stops_the_write_that_would_pass_it() {
        let mut out = Vec::new();
        let mut file = PdfWriter::start(&mut out).unwrap();
        let a = file.reserve().unwrap();
        // As if nearly 10 GB had gone out already.
        file.written = MAX_OFFSET - 4;
        let mut chunk = Chunk::new();
        chunk.indirect(a).primitive(1);
        assert!(matches!(
            file.put(&chunk),
            Err(ExportError::Pdf(PdfError::FileTooLarge))
        ));
        drop(file);
        assert_eq!(out, HEADER, "nothing past the limit is written");
    }

    #[test]
    fn a_chunk_holds_one_reserved_object() {
        let mut out = Vec::new();
        let mut file = PdfWriter::start(&mut out).unwrap();
        let a = file.reserve().unwrap();
        let b = file.reserve().unwrap();
        let mut two = Chunk::new();
        two.indirect(a).primitive(1);
        two.indirect(b).primitive(2);
        assert!(matches!(
            file.put(&two),
            Err(ExportError::Pdf(PdfError::NotOneObject))
        ));
        let mut stranger = Chunk::new();
        stranger.indirect(Ref::new(7)).primitive(1);
        assert!(matches!(
            file.put(&stranger),
            Err(ExportError::Pdf(PdfError::Unreserved(7)))
        ));
        let mut once = Chunk::new();
        once.indirect(a).primitive(1);
        file.put(&once).unwrap();
        assert!(
            matches!(file.put(&once), Err(ExportError::Pdf(PdfError::Unreserved(1)))),
            "written twice"
        );
    }
}
