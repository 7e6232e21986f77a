use super::{layout, links};
use crate::db::letters::Letter;
use crate::i18n::Tr;
use maud::{html, Markup};

/// The page after signing. It is the same whatever happened to the
/// submission, so it reveals nothing about who has signed.
/// While the signer goes to their mailbox, the page invites them to pass
/// the letter on, with its count as it stands (theirs joins it once
/// confirmed): `share`, the letter's share block with that count.
pub fn render(tr: &Tr, letter: &Letter, share: Markup) -> Markup {
    let content = html! {
        h1 { (tr.t("check-email-heading")) }
        p { (tr.t("check-email-body")) }
        p.hint { (tr.t("check-email-hint")) }
        (share)
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
    };
    layout::page(
        tr,
        &tr.t("check-email-heading"),
        &links::check_email(&letter.slug),
        content,
    )
}
