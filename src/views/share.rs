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
    let image = format!("{base_url}{}", links::card_png(&letter.slug));
    let description = description(letter);
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
        meta property="og:image:type" content="image/png";
        meta property="og:image:width" content=(CARD_WIDTH);
        meta property="og:image:height" content=(CARD_HEIGHT);
        meta property="og:image:alt" content=(card_alt(tr, letter));
        // X reads the title, description and image from the og: tags when
        // its own are absent; only the card's kind has no og: equivalent.
        // Repeating them cost every reader some 500 bytes of the page.
        meta name="twitter:card" content="summary_large_image";
    }
}

/// What a preview says under the title: the organizer's summary, or else
/// the first paragraph of the body that says something.
pub fn description(letter: &Letter) -> String {
    match letter.share_summary.trim() {
        "" => markdown::first_paragraph_text(&letter.body_markdown, DESCRIPTION_MAX),
        summary => summary.to_string(),
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

/// The count a PNG card shows: exact below 100, then floored to two
/// significant digits (1 234 → 1 200, 56 789 → 56 000). A card is drawn
/// once per letter and step, not once per signature.
pub fn count_step(count: i64) -> i64 {
    let mut unit = 1;
    while count / unit >= 100 {
        unit *= 10;
    }
    count / unit * unit
}

/// The share card: title and live count, as an SVG document.
pub fn card_svg(tr: &Tr, letter: &Letter, count: i64) -> String {
    let count_text = tr.ta(
        "signature-count",
        &[("count", Arg::Num(count)), ("display", tr.count(count).into())],
    );
    card_document(tr, letter, &count_text)
}

/// The card the PNG is drawn from: the count as its step, "more than 1 200
/// signatures" when it is past it.
pub fn card_svg_at_step(tr: &Tr, letter: &Letter, count: i64) -> String {
    let step = count_step(count);
    if step == count {
        return card_svg(tr, letter, count);
    }
    let count_text = tr.ta(
        "sharing-card-count-over",
        &[("count", Arg::Num(step)), ("display", tr.count(step).into())],
    );
    card_document(tr, letter, &count_text)
}

/// maud escapes `& < > "`, which is all XML needs in text and
/// double-quoted attributes; every element is written with a closing tag,
/// so the output is XML. The fonts are named first as the bundled DejaVu
/// faces the PNG is drawn with.
fn card_document(tr: &Tr, letter: &Letter, count_text: &str) -> String {
    let title = xml_safe(&letter.title);
    let lines = wrap(&title);
    let count_text = xml_safe(count_text);
    let site = xml_safe(&tr.t("site-name"));
    let svg = html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(CARD_WIDTH) height=(CARD_HEIGHT)
            viewBox={ "0 0 " (CARD_WIDTH) " " (CARD_HEIGHT) } role="img" lang=(letter.language.code()) {
            title { (title) }
            rect width="100%" height="100%" fill="#fffdf8" {}
            rect x="0" y="0" width="24" height="100%" fill="#0b5394" {}
            @for (i, line) in lines.iter().enumerate() {
                text x="80" y=(130 + i * 66) font-family="DejaVu Serif, Georgia, serif" font-size="54"
                    font-weight="bold" fill="#1a1a1a" { (line) }
            }
            text x="80" y="520" font-family="DejaVu Sans, system-ui, sans-serif" font-size="48"
                font-weight="bold" fill="#0b5394" { (count_text) }
            text x="80" y="585" font-family="DejaVu Sans, system-ui, sans-serif" font-size="30" fill="#555555" { (site) }
        }
    };
    let PreEscaped(body) = svg;
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}")
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A published letter to draw and describe.
    pub fn letter(title: &str) -> Letter {
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
            share_summary: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use tests_support::letter;

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
    fn the_summary_comes_before_the_body() {
        let mut l = letter("Titre");
        l.body_markdown = "Madame la Ministre,\n\nNous demandons.".into();
        assert_eq!(description(&l), "Nous demandons.");
        l.share_summary = "Une phrase pour tout dire.".into();
        assert_eq!(description(&l), "Une phrase pour tout dire.");
    }

    #[test]
    fn the_png_card_counts_in_steps() {
        assert_eq!(
            [0, 7, 99, 100, 1234, 56_789].map(count_step),
            [0, 7, 99, 100, 1200, 56_000]
        );
        let i18n = I18n::new().unwrap();
        let svg = card_svg_at_step(&i18n.tr(Lang::FR), &letter("T"), 1234);
        assert!(svg.contains("Plus de 1\u{202f}200 signatures"), "{svg}");
        let svg = card_svg_at_step(&i18n.tr(Lang::EN), &letter("T"), 1200);
        assert!(svg.contains("1,200 signatures"), "{svg}");
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
        assert!(head.contains("property=\"og:image\" content=\"https://ex.org/letters/une-lettre/card.png\""));
        assert!(head.contains("property=\"og:image:type\" content=\"image/png\""));
        assert!(head.contains("name=\"twitter:card\" content=\"summary_large_image\""));
        assert!(!head.contains("twitter:image"), "{head}");
        assert!(
            head.contains("property=\"og:description\" content=\"Premier paragraphe &amp; suite.\""),
            "{head}"
        );
    }
}
