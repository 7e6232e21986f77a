//! Reads back the PDFs the export writes, for tests: in Rust with lopdf, so
//! `cargo test` needs nothing outside Cargo; then, as a second opinion,
//! with poppler's `pdfinfo` and `pdftotext` when they are on PATH, which
//! they must be when `CI` is set (`.ci/run` installs them).
//!
//! lopdf parses the file (header, xref table, objects, streams, content
//! operators) and the fonts' ToUnicode CMaps. What it does not do is what
//! a reader does with our text: Identity-H codes are two bytes each, and a
//! `/Span` with `/ActualText` copies as that text instead of its glyphs,
//! which is how a character the font lacks copies as itself. That part is
//! here, for the few operators the export writes; any other text operator
//! is an error rather than text silently missed.
//!
//! Included with `#[path]` by the library's unit tests and by the API
//! suite, so it names nothing from either.

use lopdf::content::Content;
use lopdf::xref::XrefEntry;
use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object, ObjectId, Stream};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::Command;

/// What a reader gets from a PDF.
#[derive(Debug)]
pub struct ReadBack {
    pub pages: usize,
    /// Each page's lines in reading order, top to bottom and column after
    /// column, each ending with `\n`; a form feed ends each page, as with
    /// pdftotext.
    pub text: String,
}

/// Reads `pdf` back in Rust and panics at anything wrong; then, where
/// poppler is installed, checks that it counts the same pages and reads
/// the same words.
pub fn read(pdf: &[u8]) -> ReadBack {
    let ours = read_rust(pdf).unwrap_or_else(|e| panic!("the PDF does not read back: {e}"));
    if let Some(poppler) = read_poppler(pdf) {
        assert_eq!(
            poppler.pages, ours.pages,
            "pdfinfo and lopdf count pages differently"
        );
        // The same words, in whatever order: pdftotext reads two close
        // columns row by row, across both.
        let (only_poppler, only_ours) = difference(&poppler.text, &ours.text);
        assert!(
            only_poppler.is_empty() && only_ours.is_empty(),
            "pdftotext and the Rust read-back disagree: only pdftotext reads {only_poppler:?}, \
             only the Rust read-back reads {only_ours:?}\n--- Rust read-back ---\n{}",
            ours.text
        );
    }
    ours
}

/// The words of `a` missing from `b`, and those of `b` missing from `a`,
/// counting repeats; at most ten of each.
fn difference<'t>(a: &'t str, b: &'t str) -> (Vec<&'t str>, Vec<&'t str>) {
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for w in a.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        *counts.entry(w).or_default() += 1;
    }
    for w in b.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        *counts.entry(w).or_default() -= 1;
    }
    let only = |sign: i64| {
        counts
            .iter()
            .filter(|(_, n)| n.signum() == sign)
            .map(|(w, _)| *w)
            .take(10)
            .collect()
    };
    (only(1), only(-1))
}

/// The read-back in Rust alone: the file loads strictly, every object the
/// xref table lists is where it says and every stream decodes; the page
/// tree's count is its number of pages; and each page's text.
pub fn read_rust(pdf: &[u8]) -> Result<ReadBack, String> {
    let options = LoadOptions {
        strict: true,
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(pdf, options).map_err(|e| format!("lopdf: {e}"))?;
    if let Some(recovery) = doc.xref_recovery {
        return Err(format!("the xref table had to be repaired: {recovery:?}"));
    }
    check_objects(&doc)?;

    let pages = doc.get_pages();
    let tree = doc
        .catalog()
        .and_then(|catalog| catalog.get(b"Pages"))
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .map_err(|e| format!("no page tree: {e}"))?;
    let count = tree
        .get(b"Count")
        .and_then(Object::as_i64)
        .map_err(|e| format!("/Count: {e}"))?;
    if usize::try_from(count) != Ok(pages.len()) {
        return Err(format!("/Count {count}, but the tree has {} pages", pages.len()));
    }

    let mut text = String::new();
    for (number, id) in pages {
        for line in page_lines(&doc, id).map_err(|e| format!("page {number}: {e}"))? {
            text.push_str(&line);
            text.push('\n');
        }
        text.push('\x0c');
    }
    Ok(ReadBack {
        pages: count as usize,
        text,
    })
}

/// Each object in use in the xref table was loaded under its own number,
/// and each stream's filters decode it.
fn check_objects(doc: &Document) -> Result<(), String> {
    let mut in_use = 0;
    for (&number, entry) in &doc.reference_table.entries {
        let generation = match *entry {
            XrefEntry::Normal { generation, .. } => generation,
            XrefEntry::Free => continue,
            ref other => return Err(format!("object {number}: unexpected xref entry {other:?}")),
        };
        in_use += 1;
        let object = doc
            .objects
            .get(&(number, generation))
            .ok_or_else(|| format!("the xref entry for object {number} does not locate it"))?;
        if let Object::Stream(stream) = object {
            plain(stream).map_err(|e| format!("object {number}'s stream does not decode: {e}"))?;
        }
    }
    if in_use == 0 || doc.objects.len() != in_use {
        return Err(format!(
            "{} objects loaded for {in_use} xref entries in use",
            doc.objects.len()
        ));
    }
    Ok(())
}

/// A stream's data, decoded. The export compresses with FlateDecode alone,
/// which this decodes strictly: lopdf, like most readers, gives what it
/// could inflate of a damaged stream, without its checksum.
fn plain(stream: &Stream) -> Result<Vec<u8>, String> {
    let filters = stream.filters().unwrap_or_default();
    match filters.as_slice() {
        [] => Ok(stream.content.clone()),
        [b"FlateDecode"] => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(stream.content.as_slice())
                .read_to_end(&mut out)
                .map_err(|e| format!("FlateDecode: {e}"))?;
            Ok(out)
        }
        other => Err(format!("filters the export does not write: {other:?}")),
    }
}

/// A run of text where the content stream placed it.
struct Run {
    x: f32,
    y: f32,
    text: String,
}

/// The page's text lines. The export draws each line as one run at its own
/// text matrix, in reading order; this checks that order against where the
/// runs are, so text drawn out of place does not read back as if in order:
/// each run is below the one before, or above it and to its right (the
/// top of the next column). Runs on one baseline are one line.
fn page_lines(doc: &Document, page: ObjectId) -> Result<Vec<String>, String> {
    let mut lines: Vec<Run> = Vec::new();
    for run in page_runs(doc, page)? {
        // The rest of an `/ActualText` span, whose text its first run gave.
        if run.text.is_empty() {
            continue;
        }
        let Some(last) = lines.last_mut() else {
            lines.push(run);
            continue;
        };
        if (run.y - last.y).abs() < 0.01 && run.x > last.x {
            last.text.push(' ');
            last.text.push_str(&run.text);
            last.x = run.x;
        } else if run.y < last.y || run.x > last.x {
            lines.push(run);
        } else {
            return Err(format!(
                "{:?} at ({}, {}) is drawn after {:?} at ({}, {}), out of reading order",
                run.text, run.x, run.y, last.text, last.x, last.y
            ));
        }
    }
    Ok(lines.into_iter().map(|run| run.text).collect())
}

/// The page's text runs in content stream order.
fn page_runs(doc: &Document, page: ObjectId) -> Result<Vec<Run>, String> {
    let fonts: BTreeMap<Vec<u8>, Encoding> = doc
        .get_page_fonts(page)
        .map_err(|e| format!("fonts: {e}"))?
        .into_iter()
        .map(|(name, font)| Ok((name, to_unicode(doc, font)?)))
        .collect::<Result<_, String>>()?;

    let mut data = Vec::new();
    for id in doc.get_page_contents(page) {
        let stream = doc
            .get_object(id)
            .and_then(Object::as_stream)
            .map_err(|e| format!("contents {id:?}: {e}"))?;
        data.extend(plain(stream).map_err(|e| format!("contents {id:?}: {e}"))?);
        data.push(b'\n');
    }
    let content = Content::decode_strict(&data).map_err(|e| format!("content stream: {e}"))?;

    let mut runs = Vec::new();
    let mut font = None;
    let mut at = None;
    // Open marked content, innermost last: the `/ActualText` of each, and
    // whether a show inside it has given it already.
    let mut marked: Vec<(Option<String>, bool)> = Vec::new();
    for op in &content.operations {
        let operand = |i: usize| {
            op.operands
                .get(i)
                .ok_or_else(|| format!("{} lacks operand {i}", op.operator))
        };
        match op.operator.as_str() {
            "BT" => at = None,
            "ET" => {}
            "Tf" => {
                let name = operand(0)?.as_name().map_err(|e| e.to_string())?;
                font = Some(fonts.get(name).ok_or_else(|| {
                    format!(
                        "font {} is not in the page's resources",
                        String::from_utf8_lossy(name)
                    )
                })?);
            }
            "Tm" => {
                let x = operand(4)?.as_float().map_err(|e| e.to_string())?;
                let y = operand(5)?.as_float().map_err(|e| e.to_string())?;
                at = Some((x, y));
            }
            "BMC" => marked.push((None, false)),
            "BDC" => {
                let actual = match operand(1)? {
                    Object::Dictionary(properties) => match properties.get(b"ActualText") {
                        Ok(text) => Some(lopdf::decode_text_string(text).map_err(|e| e.to_string())?),
                        Err(_) => None,
                    },
                    _ => None,
                };
                marked.push((actual, false));
            }
            "EMC" => {
                marked.pop().ok_or("EMC without BMC or BDC")?;
            }
            "Tj" => {
                let bytes = operand(0)?.as_str().map_err(|e| e.to_string())?;
                let font = font.ok_or("text shown before Tf")?;
                let (x, y) = at.take().ok_or("text shown without its own Tm")?;
                let actual = marked.iter_mut().rev().find(|(actual, _)| actual.is_some());
                let text = match actual {
                    Some((Some(actual), given)) => {
                        // Its glyphs copy as the text, given once.
                        let text = if *given { String::new() } else { actual.clone() };
                        *given = true;
                        text
                    }
                    _ => decode(font, bytes)?,
                };
                runs.push(Run { x, y, text });
            }
            other @ ("TJ" | "'" | "\"" | "Td" | "TD" | "T*" | "Do") => {
                return Err(format!(
                    "{other} is not an operator the export writes; teach this read-back first"
                ))
            }
            _ => {}
        }
    }
    if !marked.is_empty() {
        return Err("marked content left open".into());
    }
    Ok(runs)
}

/// The ToUnicode map of one of our fonts, checked to be the kind the
/// export writes: Type0, Identity-H, over a CIDFontType2.
fn to_unicode<'a>(doc: &'a Document, font: &'a Dictionary) -> Result<Encoding<'a>, String> {
    let name = |dict: &Dictionary, key: &[u8]| -> Result<String, String> {
        let value = dict
            .get_deref(key, doc)
            .and_then(Object::as_name)
            .map_err(|e| format!("/{}: {e}", String::from_utf8_lossy(key)))?;
        Ok(String::from_utf8_lossy(value).into_owned())
    };
    let kind = (name(font, b"Subtype")?, name(font, b"Encoding")?);
    if kind != ("Type0".into(), "Identity-H".into()) {
        return Err(format!("a font is {kind:?}, not a Type0 Identity-H font"));
    }
    let descendant = font
        .get_deref(b"DescendantFonts", doc)
        .and_then(Object::as_array)
        .map_err(|e| format!("/DescendantFonts: {e}"))?
        .first()
        .ok_or("no descendant font")?;
    let descendant = doc
        .dereference(descendant)
        .and_then(|(_, object)| object.as_dict())
        .map_err(|e| format!("descendant font: {e}"))?;
    if name(descendant, b"Subtype")? != "CIDFontType2" {
        return Err("the descendant font is not CIDFontType2".into());
    }
    // lopdf falls back to StandardEncoding when ToUnicode does not parse.
    match font.get_font_encoding(doc) {
        Ok(encoding @ Encoding::UnicodeMapEncoding(_)) => Ok(encoding),
        other => Err(format!("ToUnicode does not read as a CMap: {other:?}")),
    }
}

/// Identity-H: two bytes a code, each looked up in ToUnicode; a code it
/// does not map (.notdef) reads as U+FFFD, never as nothing.
fn decode(font: &Encoding, bytes: &[u8]) -> Result<String, String> {
    let Encoding::UnicodeMapEncoding(cmap) = font else {
        unreachable!("to_unicode returns only CMaps")
    };
    let (codes, rest) = bytes.as_chunks::<2>();
    if !rest.is_empty() {
        return Err(format!("an odd number of bytes for two-byte codes: {bytes:02x?}"));
    }
    let mut units = Vec::new();
    for code in codes {
        match cmap.get(u32::from(u16::from_be_bytes(*code)), 2) {
            Some(unicode) => units.extend(unicode),
            None => units.push(0xfffd),
        }
    }
    String::from_utf16(&units).map_err(|e| format!("ToUnicode gives bad UTF-16: {e}"))
}

/// Whether poppler's `tools` run. Without them this says so once and
/// answers false, unless `CI` is set, where they are required.
fn poppler(tools: &[&str]) -> bool {
    let runs = |tool: &&str| Command::new(tool).arg("-v").output().is_ok();
    if tools.iter().all(runs) {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI is set but one of {tools:?} is missing: apt-get install poppler-utils");
    }
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        // Past the test harness's capture, which only takes print!.
        let _ = writeln!(
            std::io::stderr(),
            "!!!!! SKIPPING POPPLER'S SECOND OPINION on exported PDFs: {tools:?} not found \
             (apt-get install poppler-utils); the Rust read-back still runs !!!!!"
        );
    });
    false
}

/// The page count from pdfinfo and the text from pdftotext, when both are
/// on PATH. Without them this says so once and returns None, unless `CI`
/// is set, where they are required.
pub fn read_poppler(pdf: &[u8]) -> Option<ReadBack> {
    if !poppler(&["pdfinfo", "pdftotext"]) {
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("export.pdf");
    std::fs::write(&file, pdf).expect("write the PDF");

    let out = Command::new("pdfinfo").arg(&file).output().expect("pdfinfo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // pdfinfo complains on stderr, without failing, about a broken xref.
    assert!(out.status.success() && stderr.is_empty(), "pdfinfo: {stderr}");
    let info = String::from_utf8_lossy(&out.stdout);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"));

    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "pdftotext: {stderr}");
    let text = String::from_utf8(out.stdout).expect("pdftotext writes UTF-8");
    Some(ReadBack { pages, text })
}

/// A word where pdftotext finds it, in points from the page's top left.
#[derive(Debug, Clone, PartialEq)]
pub struct WordBox {
    pub text: String,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
}

/// Each page's words with their boxes, from `pdftotext -bbox`, when poppler
/// is installed.
pub fn word_boxes(pdf: &[u8]) -> Option<Vec<Vec<WordBox>>> {
    if !poppler(&["pdftotext"]) {
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("export.pdf");
    std::fs::write(&file, pdf).expect("write the PDF");
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext -bbox: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).expect("pdftotext writes UTF-8");
    let mut pages: Vec<Vec<WordBox>> = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push(Vec::new());
        } else if let Some(word) = line.strip_prefix("<word ") {
            let (attributes, rest) = word.split_once('>').expect("a word's tag ends");
            let text = rest.strip_suffix("</word>").expect("a word on one line");
            let attribute = |name: &str| -> f32 {
                let start = attributes.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
                let end = start + attributes[start..].find('"').expect(name);
                attributes[start..end].parse().expect(name)
            };
            let word = WordBox {
                text: unescape(text),
                x_min: attribute("xMin"),
                y_min: attribute("yMin"),
                x_max: attribute("xMax"),
                y_max: attribute("yMax"),
            };
            pages.last_mut().expect("a word inside a page").push(word);
        }
    }
    Some(pages)
}

/// The five entities pdftotext's XHTML writes.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A page as pdftoppm draws it, in grey: a byte a pixel, 0 black, 255 white.
pub struct Picture {
    pub width: usize,
    pub height: usize,
    /// Pixels per point.
    pub scale: f32,
    pub pixels: Vec<u8>,
}

impl Picture {
    /// Whether anything is drawn at pixel (`x`, `y`).
    pub fn ink(&self, x: usize, y: usize) -> bool {
        self.pixels[y * self.width + x] < 160
    }
}

/// Each page rendered by `pdftoppm -png` at `dpi`, when poppler is
/// installed.
pub fn render(pdf: &[u8], dpi: u32) -> Option<Vec<Picture>> {
    if !poppler(&["pdftoppm"]) {
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("export.pdf");
    std::fs::write(&file, pdf).expect("write the PDF");
    let out = Command::new("pdftoppm")
        .args(["-png", "-gray", "-r", &dpi.to_string()])
        .arg(&file)
        .arg(dir.path().join("page"))
        .output()
        .expect("pdftoppm runs");
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // page-1.png…, or page-01.png… past nine pages: the same width each,
    // so names sort as pages do.
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read the pictures")
        .map(|e| e.expect("a picture").path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    let pictures = files
        .iter()
        .map(|path| {
            let data = std::fs::read(path).expect("read a picture");
            let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
            decoder.set_transformations(png::Transformations::normalize_to_color8());
            let mut reader = decoder.read_info().expect("a PNG");
            let mut buf = vec![0; reader.output_buffer_size().expect("a PNG's size")];
            let frame = reader.next_frame(&mut buf).expect("a PNG's pixels");
            buf.truncate(frame.buffer_size());
            // Some pdftoppm builds write RGB even with -gray: a pixel is
            // as dark as its darkest channel, alpha aside.
            let (samples, colours) = match frame.color_type {
                png::ColorType::Grayscale => (1, 1),
                png::ColorType::GrayscaleAlpha => (2, 1),
                png::ColorType::Rgb => (3, 3),
                png::ColorType::Rgba => (4, 3),
                png::ColorType::Indexed => unreachable!("expanded to colour"),
            };
            let pixels = buf
                .chunks_exact(samples)
                .map(|p| p[..colours].iter().copied().min().unwrap_or(255))
                .collect();
            Picture {
                width: frame.width as usize,
                height: frame.height as usize,
                scale: dpi as f32 / 72.0,
                pixels,
            }
        })
        .collect();
    Some(pictures)
}

/// Checks, as poppler reads and draws `pdf`, that each page's footer
/// (`footers[i]`, its words in order) stands clear under everything else:
/// its words' boxes (`pdftotext -bbox`) at least `gap` points below every
/// other word's, and in the picture (`pdftoppm`) nothing drawn from `gap`
/// points above the footer to the page's foot but the footer itself.
/// Returns whether poppler was there to check.
pub fn assert_footers_clear(pdf: &[u8], footers: &[String], gap: f32) -> bool {
    let (Some(pages), Some(pictures)) = (word_boxes(pdf), render(pdf, 72)) else {
        return false;
    };
    assert_eq!(pages.len(), footers.len(), "pages");
    assert_eq!(pictures.len(), footers.len(), "pictures");
    for (number, ((words, picture), footer)) in pages.iter().zip(&pictures).zip(footers).enumerate() {
        let number = number + 1;
        let wanted: Vec<&str> = footer.split_whitespace().collect();
        let at = words
            .windows(wanted.len())
            .rposition(|w| w.iter().map(|b| b.text.as_str()).eq(wanted.iter().copied()))
            .unwrap_or_else(|| panic!("page {number}: no footer {footer:?} in {words:?}"));
        let (footer_words, body) = {
            let mut body = words.to_vec();
            let footer_words: Vec<WordBox> = body.drain(at..at + wanted.len()).collect();
            (footer_words, body)
        };
        let top = footer_words.iter().map(|w| w.y_min).fold(f32::MAX, f32::min);
        let bottom = footer_words.iter().map(|w| w.y_max).fold(f32::MIN, f32::max);
        let left = footer_words.iter().map(|w| w.x_min).fold(f32::MAX, f32::min);
        let right = footer_words.iter().map(|w| w.x_max).fold(f32::MIN, f32::max);
        for w in &body {
            assert!(
                w.y_max + gap <= top,
                "page {number}: {:?} (y {}–{}) is not {gap} pt above the footer {footer:?} (y {top}–{bottom})",
                w.text,
                w.y_min,
                w.y_max
            );
        }
        // The picture: from `gap` above the footer down, ink only inside
        // the footer's box (a pixel of slack for anti-aliasing).
        let s = picture.scale;
        let from = ((top - gap) * s).floor().max(0.0) as usize;
        let inside = |x: usize, y: usize| {
            let (x, y) = (x as f32, y as f32);
            x >= left * s - 2.0 && x <= right * s + 2.0 && y >= top * s - 2.0 && y <= bottom * s + 2.0
        };
        let mut footer_ink = 0;
        for y in from..picture.height {
            for x in 0..picture.width {
                if picture.ink(x, y) {
                    assert!(
                        inside(x, y),
                        "page {number}: something is drawn at ({:.1}, {:.1}) pt, within {gap} pt of the footer {footer:?}",
                        x as f32 / s,
                        y as f32 / s
                    );
                    footer_ink += 1;
                }
            }
        }
        assert!(footer_ink > 0, "page {number}: the footer is not drawn");
    }
    true
}
