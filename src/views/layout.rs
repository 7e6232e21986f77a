use crate::domain::Lang;
use crate::i18n::Tr;
use maud::{html, Markup, DOCTYPE};

/// The page skeleton: language attribute, skip link, header with the
/// language switch, and footer. `current_path` is where the language switch
/// leads, in the other language; it may carry a query
/// (`/…/signatories?q=…`), which the switch keeps.
pub fn page(tr: &Tr, title: &str, current_path: &str, content: Markup) -> Markup {
    page_with_head(tr, title, current_path, html! {}, content)
}

/// The same skeleton, with extra `<head>` markup such as sharing tags.
pub fn page_with_head(tr: &Tr, title: &str, current_path: &str, head: Markup, content: Markup) -> Markup {
    let body = html! {
            body {
                a.skip-link href="#main" { (tr.t("skip-to-content")) }
                header.site-header {
                    a.site-name href="/" { (tr.t("site-name")) }
                    nav aria-label=(tr.t("language-switch-label")) {
                        @for other in Lang::all().filter(|l| *l != tr.lang) {
                            a lang=(other.code()) hreflang=(other.code())
                                href={ (current_path) (if current_path.contains('?') { "&" } else { "?" }) "lang=" (other.code()) } {
                                (tr.i18n.name(other))
                            }
                        }
                    }
                }
                main #main { (content) }
                footer.site-footer {
                    p { (tr.t("footer-text")) }
                }
            }
    };
    document(tr, title, head, body)
}

/// A whole HTML document in the reader's language and the site's style:
/// the frame the site's pages and the embeddable widget share.
pub fn document(tr: &Tr, title: &str, head: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(tr.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (tr.t("site-name")) }
                link rel="stylesheet" href="/static/style.css";
                (head)
            }
            (body)
        }
    }
}
