//! What names a kept page: which letter, which rendering of it, in which
//! language, and for a search, what was searched.

use crate::domain::Lang;

/// Which rendering of a letter a cached page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// The letter page, with its form.
    Letter,
    /// The first page of its signatories, in signing order.
    FirstSignatories,
    /// A page of search results on the signatories page.
    Search,
    /// The API's JSON of the letter (`/api/v1/letters/{slug}`).
    LetterJson,
    /// The figures page (`/letters/{slug}/stats`).
    Figures,
}

/// The slug and kind, the language chosen by switch, the language asked
/// for by switch or browser, and for a search what it was: together they
/// decide what is rendered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub slug: String,
    pub kind: PageKind,
    pub chosen: Option<Lang>,
    pub asked: Option<Lang>,
    /// Empty but for a search.
    pub search: String,
}

impl PageKey {
    /// A page that reads in the reader's language.
    pub fn page(slug: String, kind: PageKind, chosen: Option<Lang>, asked: Option<Lang>) -> PageKey {
        PageKey {
            slug,
            kind,
            chosen,
            asked,
            search: String::new(),
        }
    }

    /// A rendering that is the same in every language (the API's JSON).
    pub fn any_language(slug: String, kind: PageKind) -> PageKey {
        PageKey::page(slug, kind, None, None)
    }

    /// A page of search results: `typed` is the search as the box shows it
    /// back, `after` where the page starts (a cursor already opened, so
    /// one this site gave out), empty for the first page.
    pub fn search(
        slug: String,
        chosen: Option<Lang>,
        asked: Option<Lang>,
        typed: &str,
        after: &str,
    ) -> PageKey {
        PageKey {
            search: format!("{typed}\u{1}{after}"),
            ..PageKey::page(slug, PageKind::Search, chosen, asked)
        }
    }
}
