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

/// The body's first paragraph as plain text, for link previews: markup
/// dropped, whitespace collapsed, cut at `max` characters on a word.
pub fn first_paragraph_text(markdown: &str, max: usize) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut text = String::new();
    let mut inside = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
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
