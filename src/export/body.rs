//! A letter body as plain blocks: what a communications officer pastes into
//! a press release. Read from pulldown-cmark's events, so no Markdown markup
//! is left and every character of the text itself is kept.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The same extensions as the letter page, so both read the body alike.
fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options
}

struct ListState {
    next: Option<u64>,
}

/// What a block of the body is, for layouts that set headings apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    List,
}

#[derive(Default)]
struct Blocks {
    blocks: Vec<(BlockKind, String)>,
    /// The paragraph, heading or list item being written.
    current: String,
    /// Lines of the list being written: a list is one block, an item a line.
    list_lines: Vec<String>,
    lists: Vec<ListState>,
    links: Vec<(String, usize)>,
    in_table_row: bool,
    cells: usize,
}

impl Blocks {
    fn push_block(&mut self) {
        self.push_kind(BlockKind::Paragraph);
    }

    fn push_kind(&mut self, kind: BlockKind) {
        let text = std::mem::take(&mut self.current);
        let text = text.trim_end_matches('\n');
        if !text.trim().is_empty() {
            self.blocks.push((kind, text.to_string()));
        }
    }

    fn in_list(&self) -> bool {
        !self.lists.is_empty()
    }

    fn push_line(&mut self) {
        let line = std::mem::take(&mut self.current);
        // The space after a loose item's paragraph is not the author's.
        let line = line.trim_end_matches(['\n', ' ']);
        if !line.trim().is_empty() {
            self.list_lines.push(line.to_string());
        }
    }

    fn start_item(&mut self) {
        self.push_line();
        let depth = self.lists.len().saturating_sub(1);
        let marker = match self.lists.last_mut().and_then(|l| l.next.as_mut()) {
            Some(n) => {
                let marker = format!("{n}. ");
                *n += 1;
                marker
            }
            None => "• ".to_string(),
        };
        self.current = format!("{}{marker}", "  ".repeat(depth));
    }

    fn end_block(&mut self) {
        if self.in_list() {
            // A loose list wraps its items in paragraphs: they stay on the
            // item's line.
            if !self.current.ends_with(' ') && !self.current.trim().is_empty() {
                self.current.push(' ');
            }
        } else {
            self.push_block();
        }
    }
}

/// The body's blocks in order: each paragraph, heading, list, quote
/// paragraph or code block one string. Lines inside a block are separated by
/// `\n` (hard breaks, list items); soft line breaks become spaces.
pub fn plain_blocks(markdown: &str) -> Vec<String> {
    blocks(markdown).into_iter().map(|(_, text)| text).collect()
}

/// The same blocks, each with its kind.
pub fn blocks(markdown: &str) -> Vec<(BlockKind, String)> {
    let mut b = Blocks::default();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::List(first)) => {
                if b.lists.is_empty() {
                    b.push_block();
                } else {
                    b.push_line();
                }
                b.lists.push(ListState { next: first });
            }
            Event::End(TagEnd::List(_)) => {
                b.push_line();
                b.lists.pop();
                if b.lists.is_empty() {
                    b.current = b.list_lines.join("\n");
                    b.list_lines.clear();
                    b.push_kind(BlockKind::List);
                }
            }
            Event::Start(Tag::Item) => b.start_item(),
            Event::End(TagEnd::Item) => b.push_line(),
            Event::End(TagEnd::Heading(_)) if !b.in_list() => b.push_kind(BlockKind::Heading),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock) => b.end_block(),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                b.current.push('\n');
                b.in_table_row = false;
            }
            Event::Start(Tag::TableRow | Tag::TableHead) => {
                b.in_table_row = true;
                b.cells = 0;
            }
            Event::Start(Tag::TableCell) => {
                if b.in_table_row && b.cells > 0 {
                    b.current.push('\t');
                }
                b.cells += 1;
            }
            Event::End(TagEnd::Table) => b.push_block(),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let at = b.current.len();
                b.links.push((dest_url.into_string(), at));
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, at)) = b.links.pop() {
                    // Keep the address, unless the text already is it: the
                    // reader of a press release cannot click.
                    let text = b.current.get(at..).unwrap_or("");
                    if !dest.is_empty() && text != dest && !dest.starts_with('#') {
                        b.current.push_str(" (");
                        b.current.push_str(&dest);
                        b.current.push(')');
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => b.current.push_str(&t),
            Event::SoftBreak => b.current.push(' '),
            Event::HardBreak => b.current.push('\n'),
            // Raw HTML is markup too; the letter page strips it the same way.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::Rule => b.push_block(),
            _ => {}
        }
    }
    b.push_line();
    if !b.list_lines.is_empty() {
        b.current = b.list_lines.join("\n");
        b.push_kind(BlockKind::List);
    }
    b.push_block();
    b.blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_headings_and_lists_become_blocks() {
        let md = "Madame la Ministre,\n\nDepuis *cinquante* ans, « un toit,\nune voix »\u{a0}!\n\n## Ce que **nous** demandons\n\n1. Un programme.\n2. Des terrains.\n\n- libre\n- égal\n\nFin.";
        assert_eq!(
            plain_blocks(md),
            [
                "Madame la Ministre,",
                "Depuis cinquante ans, « un toit, une voix »\u{a0}!",
                "Ce que nous demandons",
                "1. Un programme.\n2. Des terrains.",
                "• libre\n• égal",
                "Fin."
            ]
        );
    }

    #[test]
    fn links_keep_their_address_and_markup_goes() {
        let md = "Voir [le site](https://example.org), <https://a.org> et `code` <b>gras</b>.\\\nLigne 2";
        assert_eq!(
            plain_blocks(md),
            ["Voir le site (https://example.org), https://a.org et code gras.\nLigne 2"]
        );
    }

    #[test]
    fn loose_and_nested_lists() {
        let md = "3. un\n\n4. deux\n   - a\n   - b\n";
        assert_eq!(plain_blocks(md), ["3. un\n4. deux\n  • a\n  • b"]);
    }

    #[test]
    fn kinds_set_headings_apart() {
        let kinds: Vec<BlockKind> = blocks("# T\n\np\n\n- a").into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, [BlockKind::Heading, BlockKind::Paragraph, BlockKind::List]);
    }

    #[test]
    fn every_character_survives() {
        let text = "L’été\u{202f}: « c’est\u{a0}» — 100\u{a0}% (sûr)…";
        assert_eq!(plain_blocks(text), [text]);
    }
}
