use pulldown_cmark::{html, Options, Parser};

/// Renders a letter body to HTML that is safe to embed: Markdown first, then
/// ammonia strips scripts, handlers and anything else not on its allow list.
/// Smart punctuation stays off, so the author's own quotes and spaces are
/// the ones printed.
pub fn render(markdown: &str) -> String {
    render_with(markdown, false)
}

/// A message to signers, as [`render`] but without images: an image loads
/// from wherever its author chose when the email is opened, and so would
/// tell them who read it. A Markdown image leaves its alt text, as text;
/// an `<img>` typed as HTML leaves nothing.
pub fn render_message(markdown: &str) -> String {
    render_with(markdown, true)
}

fn render_with(markdown: &str, no_images: bool) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options).filter(|e| {
        let image = matches!(e, Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image));
        !(no_images && image)
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    let mut cleaner = ammonia::Builder::default();
    cleaner.link_rel(Some("noopener noreferrer nofollow"));
    if no_images {
        cleaner.rm_tags(["img"]);
    }
    let clean = cleaner.clean(&unsafe_html).to_string();
    // The serializer writes U+00A0 as an entity; keep the character itself
    // so the markup holds exactly what the author typed.
    clean.replace("&nbsp;", "\u{a0}")
}

/// The body's first paragraph that says something, as plain text, for link
/// previews: salutation lines ("Madame la Ministre,", "To the council:")
/// skipped, markup dropped, whitespace collapsed, cut at `max` characters on
/// a word. A body of nothing but salutations gives its first one.
pub fn first_paragraph_text(markdown: &str, max: usize) -> String {
    let paragraphs = paragraph_lines(markdown);
    let telling = paragraphs.iter().find_map(|lines| {
        let rest: Vec<&str> = lines
            .iter()
            .map(|l| l.as_str())
            .skip_while(|l| l.trim().is_empty() || is_salutation(l))
            .collect();
        (!rest.is_empty()).then(|| rest.join(" "))
    });
    let text = telling.unwrap_or_else(|| paragraphs.first().map(|l| l.join(" ")).unwrap_or_default());
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// Each paragraph's text, line by line (a line break in the source starts
/// a new line), with markup dropped.
fn paragraph_lines(markdown: &str) -> Vec<Vec<String>> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut paragraphs = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for event in Parser::new(markdown) {
        match (event, current.as_mut()) {
            (Event::Start(Tag::Paragraph), _) => current = Some(vec![String::new()]),
            (Event::End(TagEnd::Paragraph), Some(_)) => paragraphs.extend(current.take()),
            (Event::Text(t) | Event::Code(t), Some(lines)) => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(&t);
                }
            }
            (Event::SoftBreak | Event::HardBreak, Some(lines)) => lines.push(String::new()),
            _ => {}
        }
    }
    paragraphs
}

/// A salutation is a short line ending in a comma or a colon: "Madame la
/// Ministre,", "Monsieur le Premier ministre,", "Dear Minister,", "To the
/// council:". A sentence that says something is longer, or ends otherwise.
pub fn is_salutation(line: &str) -> bool {
    const SHORT: usize = 60;
    let line = line.trim();
    line.chars().count() <= SHORT && (line.ends_with(',') || line.ends_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_paragraph_is_plain_text() {
        let md = "# Titre\n\nNous, **soussignés**, demandons [ceci](https://x.org)\net cela.\n\nSecond.";
        assert_eq!(
            first_paragraph_text(md, 200),
            "Nous, soussignés, demandons ceci et cela."
        );
        assert_eq!(first_paragraph_text(md, 20), "Nous, soussignés…");
        assert_eq!(first_paragraph_text("", 20), "");
    }

    #[test]
    fn salutations_are_skipped() {
        for salutation in [
            "Madame la Ministre,",
            "Monsieur le Premier ministre,",
            "Dear Minister,",
            "To the council:",
            "Mesdames et Messieurs les députés\u{a0}:",
        ] {
            assert!(is_salutation(salutation), "{salutation}");
            let md = format!("{salutation}\n\nNous demandons un moratoire.\n\nSuite.");
            assert_eq!(first_paragraph_text(&md, 200), "Nous demandons un moratoire.");
        }
        // A salutation on the first line of the paragraph that follows it.
        assert_eq!(
            first_paragraph_text("Madame la Ministre,\nNous demandons ceci.", 200),
            "Nous demandons ceci."
        );
        // Two salutation paragraphs, then a heading, then the text.
        assert_eq!(
            first_paragraph_text("Madame,\n\nMonsieur,\n\n# Titre\n\nLe fond.", 200),
            "Le fond."
        );
        // Sentences are not salutations, even ending in a colon.
        assert!(!is_salutation(
            "Nous, soussignés, demandons au gouvernement ce qui suit, sans délai et en entier :"
        ));
        assert!(!is_salutation("Madame la Ministre."));
        assert_eq!(
            first_paragraph_text("Nous demandons ceci :\n\n- un", 200),
            "Nous demandons ceci :"
        );
        // Nothing but a salutation: it is still better than nothing.
        assert_eq!(first_paragraph_text("Chers amis,", 200), "Chers amis,");
    }

    #[test]
    fn renders_and_sanitises() {
        let html = render("# Titre\n\n« Bonjour\u{202f}! »\u{a0}: l’été\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))");
        assert!(html.contains("<h1>Titre</h1>"), "{html}");
        assert!(html.contains("« Bonjour\u{202f}! »\u{a0}: l’été"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn a_message_loads_no_image_and_a_letter_keeps_its_own() {
        let md = "Voir ![le logo](https://suivi.example/p.gif?u=1) et <img src=\"https://t.example/x.gif\" alt=\"x\">";
        let message = render_message(md);
        assert!(
            !message.contains("<img") && !message.contains("suivi.example"),
            "{message}"
        );
        assert!(message.contains("Voir le logo et"), "{message}");
        assert!(render(md).contains("<img src=\"https://suivi.example/p.gif?u=1\""));
    }

    #[test]
    fn keeps_straight_quotes_straight() {
        let html = render("Il a dit \"non\" -- et puis...");
        assert!(html.contains("\"non\" -- et puis..."), "{html}");
    }
}
