//! What a letter shows when its link is shared: Open Graph and Twitter card
//! tags, canonical and language alternates, and the share card image.

use super::{links, markdown};
use crate::db::letters::Letter;
use crate::domain::Lang;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup, PreEscaped};

/// Link previews cut descriptions around this length anyway.
const DESCRIPTION_MAX: usize = 200;

/// The `<head>` tags of a public letter page. `base_url` is the site's
/// public origin: previews and search engines need absolute URLs.
pub fn letter_head(tr: &Tr, letter: &Letter, base_url: &str) -> Markup {
    let canonical = format!("{base_url}{}", links::letter(&letter.slug));
    let image = format!("{base_url}{}", links::card(&letter.slug));
    let description = markdown::first_paragraph_text(&letter.body_markdown, DESCRIPTION_MAX);
    let locale = tr.i18n.message(letter.language, "language-locale", None);
    html! {
        link rel="canonical" href=(canonical);
        @for lang in Lang::all() {
            link rel="alternate" hreflang=(lang.code()) href={ (canonical) "?lang=" (lang.code()) };
        }
        link rel="alternate" hreflang="x-default" href=(canonical);
        meta name="description" content=(description);
        meta property="og:type" content="article";
        meta property="og:site_name" content=(tr.t("site-name"));
        meta property="og:locale" content=(locale);
        meta property="og:title" content=(letter.title);
        meta property="og:description" content=(description);
        meta property="og:url" content=(canonical);
        meta property="og:image" content=(image);
        meta property="og:image:type" content="image/svg+xml";
        meta property="og:image:width" content=(CARD_WIDTH);
        meta property="og:image:height" content=(CARD_HEIGHT);
        meta property="og:image:alt" content=(card_alt(tr, letter));
        meta name="twitter:card" content="summary_large_image";
        meta name="twitter:title" content=(letter.title);
        meta name="twitter:description" content=(description);
        meta name="twitter:image" content=(image);
    }
}

fn card_alt(tr: &Tr, letter: &Letter) -> String {
    tr.ta("share-card-alt", &[("title", letter.title.as_str().into())])
}

pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;
const TITLE_LINE_CHARS: usize = 34;
const TITLE_MAX_LINES: usize = 4;

/// Characters XML 1.0 cannot hold at all, even escaped.
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}')))
        .collect()
}

/// Breaks a title into lines on spaces; SVG text does not wrap by itself.
fn wrap(title: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in title.split_whitespace() {
        let len = current.chars().count() + word.chars().count() + 1;
        if !current.is_empty() && len > TITLE_LINE_CHARS {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > TITLE_MAX_LINES {
        lines.truncate(TITLE_MAX_LINES);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// The share card: title and live count, as an SVG document. maud escapes
/// `& < > "`, which is all XML needs in text and double-quoted attributes;
/// every element is written with a closing tag, so the output is XML.
pub fn card_svg(tr: &Tr, letter: &Letter, count: i64) -> String {
    let title = xml_safe(&letter.title);
    let lines = wrap(&title);
    let count_text = xml_safe(&tr.ta(
        "signature-count",
        &[("count", Arg::Num(count)), ("display", tr.count(count).into())],
    ));
    let site = xml_safe(&tr.t("site-name"));
    let svg = html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(CARD_WIDTH) height=(CARD_HEIGHT)
            viewBox={ "0 0 " (CARD_WIDTH) " " (CARD_HEIGHT) } role="img" lang=(letter.language.code()) {
            title { (title) }
            rect width="100%" height="100%" fill="#fffdf8" {}
            rect x="0" y="0" width="24" height="100%" fill="#0b5394" {}
            @for (i, line) in lines.iter().enumerate() {
                text x="80" y=(140 + i * 72) font-family="Georgia, serif" font-size="60"
                    font-weight="bold" fill="#1a1a1a" { (line) }
            }
            text x="80" y="520" font-family="system-ui, sans-serif" font-size="48"
                font-weight="bold" fill="#0b5394" { (count_text) }
            text x="80" y="585" font-family="system-ui, sans-serif" font-size="30" fill="#555555" { (site) }
        }
    };
    let PreEscaped(body) = svg;
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    fn letter(title: &str) -> Letter {
        Letter {
            id: "id".into(),
            slug: "une-lettre".into(),
            language: Lang::FR,
            title: title.into(),
            place: "Sherbrooke".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
            addressees: "À qui de droit".into(),
            preamble: "Nous".into(),
            body_markdown: "# T\n\nPremier <b>paragraphe</b> & suite.\n\nDeuxième.".into(),
            goal: None,
            stored_status: crate::db::letters::LetterStatus::Published,
            created_at: chrono::NaiveDateTime::default(),
            updated_at: chrono::NaiveDateTime::default(),
            published_at: None,
            closed_at: None,
            anonymise_after_days: None,
            anonymised_at: None,
            archived: false,
            close_at: None,
            publish_at: None,
            current_version: 1,
            modified_at: None,
            organized_by: String::new(),
            contacts: Default::default(),
        }
    }

    #[test]
    fn card_escapes_the_title_and_shows_the_count() {
        let i18n = I18n::new().unwrap();
        let svg = card_svg(&i18n.tr(Lang::FR), &letter("<script>&\"Oui\"\u{1}"), 1234);
        assert!(svg.starts_with("<?xml"), "{svg}");
        assert!(svg.contains("&lt;script&gt;&amp;&quot;Oui&quot;"), "{svg}");
        assert!(!svg.contains('\u{1}'));
        assert!(!svg.contains("<script"));
        assert!(svg.contains("1\u{202f}234 signatures"), "{svg}");
        assert!(svg.contains("<rect width=\"100%\" height=\"100%\" fill=\"#fffdf8\"></rect>"));
    }

    #[test]
    fn long_titles_wrap_and_stop() {
        let lines = wrap(&"mot ".repeat(100));
        assert_eq!(lines.len(), TITLE_MAX_LINES);
        assert!(lines.iter().all(|l| l.chars().count() <= TITLE_LINE_CHARS + 1));
        assert!(lines[TITLE_MAX_LINES - 1].ends_with('…'));
    }

    #[test]
    fn head_has_absolute_urls_and_a_plain_description() {
        let i18n = I18n::new().unwrap();
        let head = letter_head(&i18n.tr(Lang::FR), &letter("Titre"), "https://ex.org").into_string();
        assert!(head.contains("<link rel=\"canonical\" href=\"https://ex.org/letters/une-lettre\">"));
        assert!(head.contains("hreflang=\"en\" href=\"https://ex.org/letters/une-lettre?lang=en\""));
        assert!(head.contains("content=\"https://ex.org/letters/une-lettre/card.svg\""));
        assert!(
            head.contains("property=\"og:description\" content=\"Premier paragraphe &amp; suite.\""),
            "{head}"
        );
    }
}
