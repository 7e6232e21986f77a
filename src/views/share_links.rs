//! The invitation to share a letter, shown after signing: the count, plain
//! links to share it by email and on the usual networks (no JavaScript
//! needed), and two buttons that only work with JavaScript — copy the link,
//! and the system's share sheet — hidden until `share.js` shows them.

use super::links;
use crate::db::letters::Letter;
use crate::i18n::Tr;
use maud::{html, Markup, PreEscaped};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a query value may hold unescaped: RFC 3986's unreserved characters.
/// Spaces become `%20`, never `+`, which a `mailto:` body would show as is.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// A network's name (not translated: it is a brand) and its share link.
pub struct ShareLink {
    pub id: &'static str,
    pub label: String,
    pub href: String,
}

/// The share links for a letter whose public address is `url`.
pub fn share_links(tr: &Tr, letter: &Letter, url: &str) -> Vec<ShareLink> {
    let title = letter.title.as_str();
    let text = tr.ta("sharing-text", &[("title", title.into())]);
    let body = format!(
        "{}\n\n{url}",
        tr.ta("sharing-email-body", &[("title", title.into())])
    );
    let (u, t) = (enc(url), enc(&text));
    let link = |id: &'static str, label: String, href: String| ShareLink { id, label, href };
    vec![
        link(
            "email",
            tr.t("sharing-by-email"),
            format!("mailto:?subject={}&body={}", enc(title), enc(&body)),
        ),
        link(
            "facebook",
            "Facebook".into(),
            format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        ),
        link(
            "x",
            "X".into(),
            format!("https://x.com/intent/tweet?text={t}&url={u}"),
        ),
        link(
            "linkedin",
            "LinkedIn".into(),
            format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        ),
        link(
            "whatsapp",
            "WhatsApp".into(),
            format!("https://wa.me/?text={}", enc(&format!("{text} {url}"))),
        ),
    ]
}

/// The share block: `count` signatures so far, and how to pass it on.
pub fn block(tr: &Tr, letter: &Letter, count: i64, base_url: &str) -> Markup {
    ShareFrame::render(tr, letter, base_url).with_count(tr, count, letter.goal)
}

/// Where the count goes in a rendered frame. A letter's title or any text
/// rendered around it is escaped, so it can never hold this.
const COUNT_HERE: &str = "<!--share-count-->";

/// The share block around its count. Everything but the count is the same
/// for every reader of a letter in one language, and writing it (five
/// links percent-encoded, then escaped, and their translated texts) was a
/// fifth of the request threads' time on the page after confirming; the
/// web layer keeps frames (`web::share_cache`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareFrame {
    before: String,
    after: String,
}

impl ShareFrame {
    pub fn render(tr: &Tr, letter: &Letter, base_url: &str) -> ShareFrame {
        let url = format!("{base_url}{}", links::letter(&letter.slug));
        let text = tr.ta("sharing-text", &[("title", letter.title.as_str().into())]);
        let whole = html! {
            section.share aria-labelledby="share-heading" data-url=(url) data-title=(letter.title) data-text=(text) {
                h2 #share-heading { (tr.t("sharing-heading")) }
                (PreEscaped(COUNT_HERE))
                p { (tr.t("sharing-intro")) }
                ul.share-links {
                    @for l in share_links(tr, letter, &url) {
                        li {
                            a.button.secondary href=(l.href) data-share=(l.id)
                                target=[(l.id != "email").then_some("_blank")]
                                rel=[(l.id != "email").then_some("noopener noreferrer")] {
                                (l.label)
                            }
                        }
                    }
                }
                // Shown by share.js only where they can work.
                p.share-scripted hidden {
                    button.secondary type="button" data-share-copy=(url) { (tr.t("sharing-copy")) }
                    " "
                    button.secondary type="button" data-share-native hidden { (tr.t("sharing-native")) }
                    " "
                    span.share-status role="status" data-copied=(tr.t("sharing-copied")) {}
                }
                script src="/static/share.js" defer {}
            }
        }
        .into_string();
        let (before, after) = whole.split_once(COUNT_HERE).unwrap_or((&whole, ""));
        ShareFrame {
            before: before.to_string(),
            after: after.to_string(),
        }
    }

    /// The block with `count` signatures (of `goal`, if the letter has one).
    pub fn with_count(&self, tr: &Tr, count: i64, goal: Option<i64>) -> Markup {
        html! {
            (PreEscaped(&self.before))
            (super::components::count(tr, count, goal))
            (PreEscaped(&self.after))
        }
    }

    /// Bytes held, for a cache's weigher.
    pub fn weight(&self) -> usize {
        self.before.len() + self.after.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    #[test]
    fn links_carry_the_encoded_public_url() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(crate::domain::Lang::FR);
        let letter = crate::views::share::tests_support::letter("L’eau & nous");
        let links = share_links(&tr, &letter, "https://ex.org/letters/une-lettre");
        let enc_url = "https%3A%2F%2Fex.org%2Fletters%2Fune-lettre";
        let href = |id: &str| links.iter().find(|l| l.id == id).unwrap().href.clone();
        assert!(href("facebook").ends_with(&format!("?u={enc_url}")));
        assert!(href("linkedin").ends_with(&format!("?url={enc_url}")));
        assert!(href("x").contains(&format!("&url={enc_url}")));
        assert!(href("whatsapp").contains(enc_url));
        let mail = href("email");
        assert!(
            mail.starts_with("mailto:?subject=L%E2%80%99eau%20%26%20nous&body="),
            "{mail}"
        );
        assert!(
            mail.contains(enc_url) && !mail.contains('+') && !mail.contains(' '),
            "{mail}"
        );
    }

    #[test]
    fn a_frame_holds_everything_but_the_count() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(crate::domain::Lang::FR);
        let letter = crate::views::share::tests_support::letter("L’eau <!--share-count--> & nous");
        let frame = ShareFrame::render(&tr, &letter, "https://ex.org");
        let html = frame.with_count(&tr, 1234, letter.goal).into_string();
        let count = super::super::components::count(&tr, 1234, letter.goal).into_string();
        assert_eq!(html.matches(&count).count(), 1, "{html}");
        assert!(!html.contains(COUNT_HERE), "{html}");
        assert!(
            html.contains("L’eau &lt;!--share-count--&gt; &amp; nous"),
            "{html}"
        );
        let at = html.find(&count).unwrap();
        assert!(html.find("id=\"share-heading\"").unwrap() < at);
        assert!(at < html.find("share-links").unwrap());
        assert!(
            html.starts_with("<section") && html.ends_with("</section>"),
            "{html}"
        );
        // Another count changes that part alone.
        let five = super::super::components::count(&tr, 5, letter.goal).into_string();
        assert_eq!(
            frame.with_count(&tr, 5, letter.goal).into_string(),
            html.replace(&count, &five)
        );
    }

    #[test]
    fn scripted_buttons_start_hidden() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(crate::domain::Lang::EN);
        let letter = crate::views::share::tests_support::letter("T");
        let html = block(&tr, &letter, 3, "https://ex.org").into_string();
        assert!(html.contains("<p class=\"share-scripted\" hidden>"), "{html}");
        assert!(html.contains("data-share-native hidden"), "{html}");
        assert!(html.contains("3 signatures"), "{html}");
        assert!(!html.contains("<script>"), "no inline script: {html}");
    }
}
