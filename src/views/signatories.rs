use super::components::{count, signatory_list};
use super::{layout, links};
use crate::db::letters::Letter;
use crate::db::signatures::PublicSignatory;
use crate::i18n::Tr;
use maud::{html, Markup};

pub struct SignatoriesPage<'a> {
    pub letter: &'a Letter,
    pub count: i64,
    /// Shown on the first page only.
    pub initial: &'a [PublicSignatory],
    pub public: &'a [PublicSignatory],
    pub next_cursor: Option<String>,
    pub is_first_page: bool,
}

pub fn render(tr: &Tr, page: &SignatoriesPage) -> Markup {
    let letter = page.letter;
    let path = links::signatories(&letter.slug);
    let content = html! {
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
        h1 { (tr.t("signatories-heading")) }
        (count(tr, page.count, None))
        p.downloads {
            (tr.t("export-downloads")) " "
            a href=(links::export(&letter.slug, "txt")) download { (tr.t("export-download-text")) }
            " · "
            // The spreadsheet link is for Excel, which needs the BOM to read UTF-8.
            a href={ (links::export(&letter.slug, "csv")) "?bom=1" } download { (tr.t("export-download-csv")) }
            " · "
            a href=(links::export(&letter.slug, "json")) download { (tr.t("export-download-json")) }
        }
        @if page.is_first_page && !page.initial.is_empty() {
            (signatory_list(tr, page.initial, "initial-signatories"))
        }
        @if page.public.is_empty() && page.is_first_page && page.initial.is_empty() {
            p { (tr.t("no-signatories-yet")) }
        }
        (signatory_list(tr, page.public, "public-signatories"))
        nav.pagination aria-label=(tr.t("pagination-label")) {
            @if !page.is_first_page {
                a href=(path) { (tr.t("first-page")) }
            }
            @if let Some(cursor) = &page.next_cursor {
                " " a rel="next" href={ (path) "?after=" (cursor) } { (tr.t("next-page")) }
            }
        }
    };
    layout::page(
        tr,
        &format!("{} · {}", tr.t("signatories-heading"), letter.title),
        &path,
        content,
    )
}
