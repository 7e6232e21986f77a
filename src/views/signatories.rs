use super::components::{count, signatory_list};
use super::{layout, links};
use crate::db::letters::Letter;
use crate::db::signatures::pages::ListOrder;
use crate::db::signatures::PublicSignatory;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};

/// The initials offered for a jump in surname order.
pub const INITIALS: &str = "abcdefghijklmnopqrstuvwxyz";

/// What the page shows: a stretch of the list, or search results.
pub enum Showing {
    List {
        order: ListOrder,
        /// The initial jumped to, in surname order.
        initial: Option<char>,
    },
    Search {
        typed: String,
        /// Why no results are shown (a refused query, too many searches):
        /// the message beside the box, in the reader's language.
        error: Option<String>,
    },
}

pub struct SignatoriesPage<'a> {
    pub letter: &'a Letter,
    pub count: i64,
    /// Names on the public list, and signatures counted without one.
    pub listed: i64,
    pub count_only: i64,
    /// Shown at the start of the list in signing order only.
    pub initial: &'a [PublicSignatory],
    pub public: &'a [PublicSignatory],
    pub showing: Showing,
    /// Encoded cursors around the page.
    pub prev_cursor: Option<String>,
    pub next_cursor: Option<String>,
    /// Whether this page is the list's start or its end.
    pub at_start: bool,
    pub at_end: bool,
}

/// A link to the list with these parameters, percent-encoded.
pub fn list_href(slug: &str, params: &[(&str, &str)]) -> String {
    let path = links::signatories(slug);
    if params.is_empty() {
        return path;
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        query.append_pair(k, v);
    }
    format!("{path}?{}", query.finish())
}

pub fn render(tr: &Tr, page: &SignatoriesPage) -> Markup {
    let letter = page.letter;
    let path = links::signatories(&letter.slug);
    let content = html! {
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
        h1 { (tr.t("signatories-heading")) }
        (count(tr, page.count, None))
        p.list-counts {
            (tr.ta("list-count-listed", &[("count", Arg::Num(page.listed)), ("display", tr.count(page.listed).into())]))
            " · "
            (tr.ta("list-count-only", &[("count", Arg::Num(page.count_only)), ("display", tr.count(page.count_only).into())]))
            " · "
            a href=(links::stats(&letter.slug)) { (tr.t("stats-link")) }
        }
        (search_form(tr, &path, &page.showing))
        p.downloads {
            (tr.t("export-downloads")) " "
            a href=(links::export(&letter.slug, "txt")) download { (tr.t("export-download-text")) }
            " · "
            // The spreadsheet link is for Excel, which needs the BOM to read UTF-8.
            a href={ (links::export(&letter.slug, "csv")) "?bom=1" } download { (tr.t("export-download-csv")) }
            " · "
            a href=(links::export(&letter.slug, "json")) download { (tr.t("export-download-json")) }
        }
        @match &page.showing {
            Showing::Search { typed, error: None } => {
                h2 { (tr.ta("search-results-heading", &[("query", typed.as_str().into())])) }
                @if page.public.is_empty() && page.next_cursor.is_none() {
                    p.search-none { (tr.t("search-none")) }
                }
            }
            Showing::Search { .. } => {}
            Showing::List { .. } => {
                @if page.listed > crate::web::public::SIGNATORIES_PAGE_SIZE {
                    (initials_nav(tr, &letter.slug, &page.showing))
                }
                @if page.at_start && !page.initial.is_empty() {
                    (signatory_list(tr, page.initial, "initial-signatories"))
                }
                @if page.public.is_empty() && page.at_start && page.initial.is_empty() {
                    p { (tr.t("no-signatories-yet")) }
                }
            }
        }
        (signatory_list(tr, page.public, "public-signatories"))
        (pages_nav(tr, &letter.slug, page))
    };
    // Switching language keeps a search: the reader should not have to
    // type it again.
    let here = match &page.showing {
        Showing::Search { typed, .. } if !typed.is_empty() => {
            let q: String = form_urlencoded::byte_serialize(typed.as_bytes()).collect();
            format!("{path}?q={q}")
        }
        _ => path,
    };
    layout::page(
        tr,
        &format!("{} · {}", tr.t("signatories-heading"), letter.title),
        &here,
        content,
    )
}

/// A GET form: it works without any script, and its address can be shared.
fn search_form(tr: &Tr, path: &str, showing: &Showing) -> Markup {
    let (typed, error) = match showing {
        Showing::Search { typed, error } => (typed.as_str(), error.as_deref()),
        Showing::List { .. } => ("", None),
    };
    html! {
        form.search role="search" method="get" action=(path) {
            label for="q" { (tr.t("search-label")) }
            p.hint id="q-hint" { (tr.t("search-hint")) }
            @if let Some(error) = error {
                p.field-error id="q-error" { (error) }
            }
            div.search-row {
                input #q type="search" name="q" value=(typed) maxlength="200"
                    aria-describedby=(if error.is_some() { "q-hint q-error" } else { "q-hint" })
                    aria-invalid=[error.map(|_| "true")];
                " " button type="submit" { (tr.t("search-button")) }
            }
            @if !typed.is_empty() {
                p { a href=(path) { (tr.t("search-clear")) } }
            }
        }
    }
}

/// The jump to a surname initial, when the list is long.
fn initials_nav(tr: &Tr, slug: &str, showing: &Showing) -> Markup {
    let (current, by_name) = match showing {
        Showing::List { initial, order } => (*initial, *order == ListOrder::Name),
        Showing::Search { .. } => (None, false),
    };
    let signed_href = list_href(slug, &[]);
    let name_href = list_href(slug, &[("by", "name")]);
    html! {
        nav.list-order aria-label=(tr.t("list-order-label")) {
            ul {
                li { a href=(signed_href) aria-current=[(!by_name).then_some("page")] { (tr.t("list-order-signed")) } }
                li { a href=(name_href) aria-current=[(by_name && current.is_none()).then_some("page")] { (tr.t("list-order-name")) } }
            }
        }
        nav.initials aria-label=(tr.t("initials-label")) {
            p { (tr.t("initials-intro")) }
            ul {
                @for c in INITIALS.chars() {
                    li {
                        @let label = c.to_uppercase().to_string();
                        @let href = list_href(slug, &[("by", "name"), ("from", &c.to_string())]);
                        @if current == Some(c) {
                            a href=(href) aria-current="page" { (label) }
                        } @else {
                            a href=(href) { (label) }
                        }
                    }
                }
            }
        }
    }
}

/// First, previous, next and last; the current stretch is named for
/// screen readers.
fn pages_nav(tr: &Tr, slug: &str, page: &SignatoriesPage) -> Markup {
    let (mut base, order): (Vec<(&str, &str)>, Option<ListOrder>) = match &page.showing {
        Showing::Search { typed, error: None } => (vec![("q", typed.as_str())], None),
        Showing::Search { .. } => return html! {},
        Showing::List { order, .. } => match order {
            ListOrder::Signed => (vec![], Some(*order)),
            ListOrder::Name => (vec![("by", "name")], Some(*order)),
        },
    };
    let first = list_href(slug, &base);
    let prev = page.prev_cursor.as_deref().map(|c| {
        let mut p = base.clone();
        p.push(("before", c));
        list_href(slug, &p)
    });
    let next = page.next_cursor.as_deref().map(|c| {
        let mut p = base.clone();
        p.push(("after", c));
        list_href(slug, &p)
    });
    // A search has no "last": its results are read forward.
    let last = order.map(|_| {
        base.push(("page", "last"));
        list_href(slug, &base)
    });
    let search = order.is_none();
    html! {
        nav.pagination aria-label=(tr.t("pagination-label")) {
            ul {
                @if page.at_start && !search {
                    li { a href=(first) aria-current="page" { (tr.t("first-page")) } }
                } @else if !page.at_start {
                    li { a href=(first) { (tr.t("first-page")) } }
                }
                @if let Some(href) = prev.filter(|_| !search) {
                    li { a rel="prev" href=(href) { (tr.t("previous-page")) } }
                }
                @if let Some(href) = next {
                    li { a rel="next" href=(href) { (tr.t("next-page")) } }
                }
                @if let Some(href) = last {
                    @if page.at_end && !page.at_start {
                        li { a href=(href) aria-current="page" { (tr.t("last-page")) } }
                    } @else if !page.at_end {
                        li { a href=(href) { (tr.t("last-page")) } }
                    }
                }
            }
        }
    }
}
