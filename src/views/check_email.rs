use super::{layout, links};
use crate::db::letters::Letter;
use crate::i18n::Tr;
use maud::{html, Markup};

/// The page after signing. It is the same whatever happened to the
/// submission, so it reveals nothing about who has signed.
pub fn render(tr: &Tr, letter: &Letter) -> Markup {
    let content = html! {
        h1 { (tr.t("check-email-heading")) }
        p { (tr.t("check-email-body")) }
        p.hint { (tr.t("check-email-hint")) }
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
    };
    layout::page(
        tr,
        &tr.t("check-email-heading"),
        &links::check_email(&letter.slug),
        content,
    )
}
