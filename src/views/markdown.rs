use pulldown_cmark::{html, Options, Parser};

/// Renders a letter body to HTML that is safe to embed: Markdown first, then
/// ammonia strips scripts, handlers and anything else not on its allow list.
/// Smart punctuation stays off, so the author's own quotes and spaces are
/// the ones printed.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    let clean = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string();
    // The serializer writes U+00A0 as an entity; keep the character itself
    // so the markup holds exactly what the author typed.
    clean.replace("&nbsp;", "\u{a0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_sanitises() {
        let html = render("# Titre\n\n« Bonjour\u{202f}! »\u{a0}: l’été\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))");
        assert!(html.contains("<h1>Titre</h1>"), "{html}");
        assert!(html.contains("« Bonjour\u{202f}! »\u{a0}: l’été"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn keeps_straight_quotes_straight() {
        let html = render("Il a dit \"non\" -- et puis...");
        assert!(html.contains("\"non\" -- et puis..."), "{html}");
    }
}
