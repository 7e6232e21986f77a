//! The widget other sites frame: title, count and a link to sign. It is a
//! whole small document of its own, without the site's header and footer.

use super::components::count;
use super::layout::document;
use super::links;
use crate::db::letters::Letter;
use crate::i18n::Tr;
use maud::{html, Markup};

pub fn render(tr: &Tr, letter: &Letter, signatures: i64, base_url: &str) -> Markup {
    let letter_url = format!("{base_url}{}", links::letter(&letter.slug));
    let head = html! { meta name="robots" content="noindex"; };
    let body = html! {
            body.embed {
                main {
                    p.embed-title lang=[(letter.language != tr.lang).then(|| letter.language.code())] {
                        a href=(letter_url) target="_top" { (letter.title) }
                    }
                    (count(tr, signatures, letter.goal))
                    @if letter.is_open_for_signing() {
                        // Leaves the frame: signing happens on the letter's own
                        // page, where the form's protections apply.
                        a.button href={ (letter_url) "#sign" } target="_top" { (tr.t("embed-sign")) }
                    } @else {
                        p { (tr.t("letter-closed")) }
                    }
                }
            }
    };
    document(tr, &letter.title, head, body)
}

/// The snippet organizers paste into their site.
pub fn snippet(tr: &Tr, letter: &Letter, base_url: &str) -> String {
    let title = tr.ta("embed-frame-title", &[("title", letter.title.as_str().into())]);
    let escaped = maud::html! { (title) }.into_string();
    format!(
        "<iframe src=\"{base_url}{}\" title=\"{escaped}\" width=\"100%\" height=\"220\" \
         style=\"border:0;max-width:32rem\" loading=\"lazy\"></iframe>",
        links::embed(&letter.slug)
    )
}
