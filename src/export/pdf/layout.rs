//! Page layout for the PDF: lines wrapped with the fonts' widths, flowed
//! down A4 pages, the list in one or two columns. A page is handed to its
//! sink as soon as it is full, so only one page is ever held here.

use super::fonts::{Fonts, Style};
use crate::export::ExportError;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN_X: f32 = 56.7;
pub const MARGIN_TOP: f32 = 56.7;
pub const MARGIN_BOTTOM: f32 = 70.0;
pub const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 36.0;
const COLUMN_GAP: f32 = 24.0;
const LEADING: f32 = 1.3;
/// Widths ignore kerning; keeping a little room is cheaper than shaping twice.
const SLACK: f32 = 0.985;

/// One run of text to draw, its `y` on the baseline, from the page's top.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub x: f32,
    pub y: f32,
    pub style: Style,
    pub size: f32,
    pub text: String,
}

/// Where finished pages go: counted on the first pass, drawn on the second.
pub trait PageSink {
    fn page(&mut self, number: u32, ops: Vec<Op>) -> Result<(), ExportError>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// One line of a list entry: style, size, text and indent in its column.
pub type EntryLine = (Style, f32, String, f32);

pub struct Flow<'f, S: PageSink> {
    fonts: &'f Fonts,
    sink: S,
    ops: Vec<Op>,
    page: u32,
    y: f32,
    columns: u32,
    column: u32,
    column_top: f32,
    lowest: f32,
}

pub fn content_width() -> f32 {
    PAGE_WIDTH - 2.0 * MARGIN_X
}

const fn bottom() -> f32 {
    PAGE_HEIGHT - MARGIN_BOTTOM
}

/// Breaks `text` into lines no wider than `width`, at ASCII spaces only: a
/// no-break space (U+00A0, U+202F) keeps « guillemets » with their word. A
/// word wider than the line is cut between characters.
pub fn wrap(fonts: &Fonts, style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
    let width = width * SLACK;
    let fits = |s: &str| fonts.width(style, size, s) <= width;
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if fits(word) {
            current = word.to_string();
            continue;
        }
        for c in word.chars() {
            current.push(c);
            if !fits(&current) && current.chars().count() > 1 {
                current.pop();
                lines.push(std::mem::take(&mut current));
                current.push(c);
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

pub fn line_height(size: f32) -> f32 {
    size * LEADING
}

impl<'f, S: PageSink> Flow<'f, S> {
    pub fn new(fonts: &'f Fonts, sink: S) -> Self {
        Flow {
            fonts,
            sink,
            ops: Vec::new(),
            page: 1,
            y: MARGIN_TOP,
            columns: 1,
            column: 0,
            column_top: MARGIN_TOP,
            lowest: MARGIN_TOP,
        }
    }

    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    fn break_page(&mut self) -> Result<(), ExportError> {
        self.sink.page(self.page, std::mem::take(&mut self.ops))?;
        self.page += 1;
        self.y = MARGIN_TOP;
        self.column = 0;
        self.column_top = MARGIN_TOP;
        self.lowest = MARGIN_TOP;
        Ok(())
    }

    fn put(&mut self, x: f32, style: Style, size: f32, text: String) {
        let baseline = self.y + self.fonts.ascent(style, size);
        self.ops.push(Op {
            x,
            y: baseline,
            style,
            size,
            text,
        });
        self.y += line_height(size);
    }

    /// Full-width text, wrapped; each `\n` starts a new line, and lines after
    /// the first of each get `hanging` indent (list items).
    pub fn paragraph(
        &mut self,
        text: &str,
        style: Style,
        size: f32,
        align: Align,
        hanging: f32,
    ) -> Result<(), ExportError> {
        for hard_line in text.split('\n') {
            let mut lines = wrap(self.fonts, style, size, hard_line, content_width()).into_iter();
            let Some(head) = lines.next() else { continue };
            let mut all = vec![(head, 0.0)];
            let rest = lines.collect::<Vec<_>>().join(" ");
            if !rest.is_empty() {
                // Re-wrapped narrower, since these lines start further right.
                for l in wrap(self.fonts, style, size, &rest, content_width() - hanging) {
                    all.push((l, hanging));
                }
            }
            for (line, indent) in all {
                if self.y + line_height(size) > bottom() {
                    self.break_page()?;
                }
                let w = self.fonts.width(style, size, &line);
                let x = match align {
                    Align::Left => MARGIN_X + indent,
                    Align::Right => MARGIN_X + content_width() - w,
                    Align::Center => MARGIN_X + (content_width() - w) / 2.0,
                };
                self.put(x, style, size, line);
            }
        }
        Ok(())
    }

    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    pub fn start_columns(&mut self, columns: u32) {
        self.columns = columns.max(1);
        self.column = 0;
        self.column_top = self.y;
        self.lowest = self.y;
    }

    pub fn column_width(&self) -> f32 {
        (content_width() - COLUMN_GAP * (self.columns - 1) as f32) / self.columns as f32
    }

    /// A list entry, kept whole in one column: when it does not fit under
    /// what the column holds, it moves to the next column, or to the next
    /// page. Only an entry taller than a whole column is cut, between its
    /// lines, since no place could hold it whole.
    pub fn entry(&mut self, lines: Vec<EntryLine>, gap_after: f32) -> Result<(), ExportError> {
        let height: f32 = lines.iter().map(|(_, size, _, _)| line_height(*size)).sum();
        if self.y + height > bottom() {
            // The next column starts as high as this one did: worth moving
            // to only when this one already holds something.
            if self.y > self.column_top && self.column + 1 < self.columns {
                self.column += 1;
                self.y = self.column_top;
            }
            // A page's first column may start under the letter; a fresh page
            // gives the entry all the height there is.
            if self.y + height > bottom() && self.y > MARGIN_TOP {
                self.break_page()?;
            }
        }
        for (style, size, text, indent) in lines {
            if self.y + line_height(size) > bottom() && self.y > self.column_top {
                self.next_column()?;
            }
            let left = MARGIN_X + self.column as f32 * (self.column_width() + COLUMN_GAP);
            self.put(left + indent, style, size, text);
        }
        self.y += gap_after;
        self.lowest = self.lowest.max(self.y);
        Ok(())
    }

    /// Continues in the next column, or at the top of the next page.
    fn next_column(&mut self) -> Result<(), ExportError> {
        if self.column + 1 < self.columns {
            self.column += 1;
            self.y = self.column_top;
            Ok(())
        } else {
            self.break_page()
        }
    }

    pub fn end_columns(&mut self) {
        self.y = self.lowest.max(self.y);
        self.columns = 1;
        self.column = 0;
    }

    /// Hands over the last page; returns the page count and the sink.
    pub fn finish(mut self) -> Result<(u32, S), ExportError> {
        let ops = std::mem::take(&mut self.ops);
        self.sink.page(self.page, ops)?;
        Ok((self.page, self.sink))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Pages(Vec<Vec<Op>>);
    impl PageSink for &mut Pages {
        fn page(&mut self, _n: u32, ops: Vec<Op>) -> Result<(), ExportError> {
            self.0.push(ops);
            Ok(())
        }
    }

    #[test]
    fn wraps_at_spaces_and_keeps_no_break_spaces() {
        let fonts = Fonts::load().unwrap();
        let text = "Présidente de la Fédération des coopératives d’habitation de l’Estrie «\u{a0}Les Pignons\u{a0}» (1998-2006)";
        let lines = wrap(&fonts, Style::Regular, 10.0, text, 150.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().any(|l| l.contains("«\u{a0}Les")));
        for l in &lines {
            assert!(fonts.width(Style::Regular, 10.0, l) <= 150.0, "{l}");
        }
    }

    #[test]
    fn an_overlong_word_is_cut() {
        let fonts = Fonts::load().unwrap();
        let lines = wrap(&fonts, Style::Regular, 10.0, &"x".repeat(200), 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), "x".repeat(200));
    }

    /// Entries of a name and four titles after `lead` lines of letter,
    /// in `columns`; returns each page's ops.
    fn list_after(lead: usize, columns: u32) -> Vec<Vec<Op>> {
        let fonts = Fonts::load().unwrap();
        let mut pages = Pages::default();
        let mut flow = Flow::new(&fonts, &mut pages);
        for i in 0..lead {
            flow.paragraph(&format!("Ligne {i}"), Style::Regular, 10.5, Align::Left, 0.0)
                .unwrap();
        }
        flow.start_columns(columns);
        for i in 0..12 {
            let mut lines = vec![(Style::Bold, 10.0, format!("Nom {i}"), 0.0)];
            for t in 0..4 {
                lines.push((Style::Regular, 9.0, format!("Titre {i}.{t}"), 0.0));
            }
            flow.entry(lines, 7.0).unwrap();
        }
        flow.end_columns();
        flow.finish().unwrap();
        pages.0
    }

    #[test]
    fn an_entry_never_crosses_the_bottom_nor_a_page() {
        // Wherever the list starts, down to the last line of the page.
        for columns in [1, 2] {
            for lead in 40..62 {
                let pages = list_after(lead, columns);
                for (p, page) in pages.iter().enumerate() {
                    for op in page {
                        assert!(op.y <= bottom(), "{lead} lines, {columns} columns: {op:?}");
                    }
                    // Every name's titles are on its page, in its column.
                    for op in page.iter().filter(|op| op.text.starts_with("Nom ")) {
                        let i = &op.text["Nom ".len()..];
                        let titles = page
                            .iter()
                            .filter(|t| t.text.starts_with(&format!("Titre {i}.")) && t.x == op.x)
                            .count();
                        assert_eq!(
                            titles, 4,
                            "{lead} lines, {columns} columns, page {p}: {}",
                            op.text
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn an_entry_taller_than_a_page_is_cut_between_lines() {
        let fonts = Fonts::load().unwrap();
        let mut pages = Pages::default();
        let mut flow = Flow::new(&fonts, &mut pages);
        flow.start_columns(1);
        let lines = (0..120)
            .map(|i| (Style::Regular, 9.0, format!("Titre {i}"), 0.0))
            .collect();
        flow.entry(lines, 7.0).unwrap();
        let (count, _) = flow.finish().unwrap();
        assert_eq!(count, 2);
        assert_eq!(pages.0.iter().map(Vec::len).sum::<usize>(), 120);
        for op in pages.0.iter().flatten() {
            assert!(op.y <= bottom(), "{op:?}");
        }
    }

    #[test]
    fn entries_fill_columns_then_pages() {
        let fonts = Fonts::load().unwrap();
        let mut pages = Pages::default();
        let mut flow = Flow::new(&fonts, &mut pages);
        flow.start_columns(2);
        for i in 0..200 {
            let lines = vec![
                (Style::Bold, 10.0, format!("Nom {i}"), 0.0),
                (Style::Regular, 9.0, "Titre".to_string(), 0.0),
            ];
            flow.entry(lines, 6.0).unwrap();
        }
        flow.end_columns();
        let (count, _) = flow.finish().unwrap();
        assert_eq!(count as usize, pages.0.len());
        assert!(count >= 3, "{count}");
        let first = &pages.0[0];
        let right = first.iter().filter(|op| op.x > PAGE_WIDTH / 2.0).count();
        assert!(right > 0, "the second column is used");
        for page in &pages.0 {
            for op in page {
                assert!(op.y <= bottom(), "{op:?}");
            }
        }
    }
}
