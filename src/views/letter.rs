use super::components::{count, signatory_list};
use super::sign_form::{sign_form, FieldErrors, SignFormValues};
use super::{layout, links, markdown};
use crate::db::letters::Letter;
use crate::db::signatures::PublicSignatory;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup, PreEscaped};

pub struct LetterPage<'a> {
    pub letter: &'a Letter,
    /// `None` when it cannot be read (a database outage): not shown, rather
    /// than shown wrong.
    pub count: Option<i64>,
    pub initial: &'a [PublicSignatory],
    pub latest: &'a [PublicSignatory],
    pub form: &'a SignFormValues,
    pub errors: &'a FieldErrors,
    /// The site's public origin, for sharing tags; `None` on previews, which
    /// must not advertise a draft.
    pub base_url: Option<&'a str>,
    /// An organizer's preview: its own address (for the language switch)
    /// and the workspace page to go back to. A preview says so, and its
    /// form does not sign.
    pub preview: Option<Preview<'a>>,
    /// The site's privacy officer, for a letter that names none.
    pub site_officer: &'a crate::domain::contacts::Person,
}

pub struct Preview<'a> {
    pub path: &'a str,
    pub back: &'a str,
}

/// "Sherbrooke, le 3 mars 2026": part of the letter's text, so in the
/// language of the version shown, whatever the interface's.
pub fn place_and_date(tr: &Tr, letter: &Letter) -> String {
    let tr = tr.i18n.tr(letter.language);
    tr.ta(
        "place-date",
        &[
            ("place", letter.place.as_str().into()),
            ("date", tr.date(letter.date).into()),
        ],
    )
}

/// The letter as it reads on paper: title, place and date, addressees, body.
pub fn letter_text(tr: &Tr, letter: &Letter) -> Markup {
    // A letter keeps its own language for its text, even on a page in the
    // other one.
    let lang = (letter.language != tr.lang).then(|| letter.language.code());
    html! {
        article.letter lang=[lang] {
            h1 { (letter.title) }
            p.place-date { (place_and_date(tr, letter)) }
            @if let (true, Some(at)) = (letter.current_version > 1, letter.modified_at) {
                p.modified lang=[lang.map(|_| tr.lang.code())] {
                    (tr.ta("letter-modified", &[("date", tr.date(at.date()).into())])) " "
                    a href={ (links::letter(&letter.slug)) "/versions" } { (tr.t("letter-versions-link")) }
                }
            }
            p.addressees { (letter.addressees) }
            div.letter-body { (PreEscaped(markdown::render(&letter.body_markdown))) }
        }
    }
}

/// Above the letter, a way straight to the form with the count beside it:
/// on a phone the form sits several screens down, under the whole letter
/// and its first signatories. A plain link to the form's anchor.
fn sign_bar(tr: &Tr, count: Option<i64>) -> Markup {
    html! {
        div.sign-bar {
            @if let Some(n) = count {
                p.sign-bar-count { (tr.ta("signature-count", &[("count", Arg::Num(n)), ("display", tr.count(n).into())])) }
            }
            a.button.sign-link href="#sign" { (tr.t("phone-sign-link")) }
        }
    }
}

pub fn render(tr: &Tr, page: &LetterPage) -> Markup {
    let letter = page.letter;
    let content = html! {
        @if let Some(preview) = &page.preview {
            div.preview-banner role="note" {
                p { strong { (tr.t("preview-banner")) } " " (tr.t("preview-banner-detail")) }
                p { a href=(preview.back) { (tr.t("preview-back")) } }
            }
        }
        @if page.preview.is_some() || letter.is_open_for_signing() {
            (sign_bar(tr, page.count))
        }
        (letter_text(tr, letter))
        section.initial aria-labelledby="preamble" {
            p.preamble #preamble lang=[(letter.language != tr.lang).then(|| letter.language.code())] { (letter.preamble) }
            (signatory_list(tr, page.initial, "initial-signatories"))
        }
        @if let Some(n) = page.count {
            (count(tr, n, letter.goal))
        }
        @if page.preview.is_some() && letter.status() != crate::db::letters::LetterStatus::Closed {
            // The form as readers will see it, inert: a draft has no
            // public address to post to.
            fieldset.preview-form disabled { (sign_form(tr, &letter.slug, page.form, page.errors)) }
        } @else if letter.is_open_for_signing() {
            (sign_form(tr, &letter.slug, page.form, page.errors))
        } @else {
            p.closed-notice role="status" { (tr.t("letter-closed")) }
        }
        section.latest aria-labelledby="latest-heading" {
            h2 #latest-heading { (tr.t("latest-signatories")) }
            @if page.latest.is_empty() {
                p { (tr.t("no-signatories-yet")) }
            } @else {
                (signatory_list(tr, page.latest, "latest-signatories"))
            }
            p { a href=(links::signatories(&letter.slug)) { (tr.t("see-all-signatories")) } }
            p { a href=(links::stats(&letter.slug)) { (tr.t("stats-link")) } }
        }
        (super::behind::section(tr, letter, page.site_officer))
    };
    let head = match page.base_url {
        Some(base) => super::share::letter_head(tr, letter, base),
        None => html! {},
    };
    // Screen readers hear the title first: a refused form says so there.
    let title = if page.errors.is_empty() {
        letter.title.clone()
    } else {
        tr.ta("title-with-errors", &[("title", letter.title.as_str().into())])
    };
    let path = match &page.preview {
        Some(preview) => preview.path.to_string(),
        None => links::letter(&letter.slug),
    };
    layout::page_with_head(tr, &title, &path, head, content)
}
