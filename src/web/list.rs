//! The signatories page (`/letters/{slug}/signatories`): the list in
//! signing order or by surname, a page at a time in either direction, and
//! the search. Which parameters mean what is read once, in [`ListRequest`],
//! which the API shares.

use super::error::{ErrorKind, PageError};
use super::figures::LetterFigures;
use super::limits::Action;
use super::page_cache::{self, CachedPage, PageKey, PageKind};
use super::public::{kept_letter_page, public_letter, reader_version, SIGNATORIES_PAGE_SIZE};
use super::search_cache::Results;
use super::{http_cache, run_db, AppState, Ctx};
use crate::db::signatures::pages::{list_page, ListCursor, ListOrder, Seek};
use crate::db::signatures::search::{search_page, SearchCursor};
use crate::db::signatures::{self, PublicSignatory};
use crate::db::{DbConn, DbError};
use crate::domain::search::{QueryError, SearchQuery};
use crate::i18n::{Arg, Tr};
use crate::model::LetterId;
use crate::views::signatories::{self as view, Showing, INITIALS};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::HashMap;

/// What a list request asks for.
pub enum ListRequest {
    /// A search: the query, or what was typed and why it was refused.
    Search {
        query: Result<SearchQuery, (String, QueryError)>,
        after: Option<SearchCursor>,
    },
    List {
        order: ListOrder,
        seek: Seek,
    },
}

impl ListRequest {
    /// Reads the query string; `None` when a cursor or an initial is not
    /// one this site gives out. `open` opens a sealed search cursor.
    pub fn parse(
        query_string: &str,
        open: impl Fn(&SearchQuery, &str) -> Option<SearchCursor>,
    ) -> Option<ListRequest> {
        let params: HashMap<String, String> = form_urlencoded::parse(query_string.as_bytes())
            .into_owned()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let get = |k: &str| params.get(k).map(String::as_str);
        if let Some(raw) = get("q") {
            let query = SearchQuery::parse(raw).map_err(|e| (raw.trim().to_string(), e));
            let after = match (get("after"), &query) {
                (Some(c), Ok(q)) => Some(open(q, c)?),
                _ => None,
            };
            return Some(ListRequest::Search { query, after });
        }
        let order = match get("by") {
            None => ListOrder::Signed,
            Some("name") => ListOrder::Name,
            Some(_) => return None,
        };
        let seek = if let Some(c) = get("after") {
            Seek::After(ListCursor::decode(order, c)?)
        } else if let Some(c) = get("before") {
            Seek::Before(ListCursor::decode(order, c)?)
        } else if get("page") == Some("last") {
            Seek::Last
        } else if let Some(from) = get("from") {
            let mut chars = from.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if INITIALS.contains(c) && order == ListOrder::Name => Seek::From(c),
                _ => return None,
            }
        } else {
            Seek::First
        };
        Some(ListRequest::List { order, seek })
    }
}

/// A page's rows and where it stands, as read.
struct Loaded {
    count: i64,
    listed: i64,
    count_only: i64,
    initial: Vec<PublicSignatory>,
    rows: Vec<PublicSignatory>,
    prev: Option<String>,
    next: Option<String>,
    at_start: bool,
    at_end: bool,
}

/// What a search cursor is sealed for: this letter and this query, so it
/// opens for no other.
fn cursor_context(letter: &LetterId, query: &SearchQuery) -> String {
    format!("{letter}|{}", query.terms().join(" "))
}

/// A search cursor as the page and the API give it out: sealed
/// (`web::cursor_seal`), since it names a position in an index that holds
/// hidden signers' words too.
pub fn seal_cursor(state: &AppState, letter: &LetterId, query: &SearchQuery, c: &SearchCursor) -> String {
    state
        .services
        .cursors
        .seal(&cursor_context(letter, query), &c.encode())
}

/// A cursor this site sealed for this search, or `None`.
pub fn open_cursor(
    state: &AppState,
    letter: &LetterId,
    query: &SearchQuery,
    raw: &str,
) -> Option<SearchCursor> {
    let plain = state.services.cursors.open(&cursor_context(letter, query), raw)?;
    SearchCursor::decode(&plain)
}

/// What [`load`] reads for a search, if this process holds all of it:
/// the results (`kept`, unless the search may not run), the count and the
/// figures.
fn held(
    state: &AppState,
    letter_id: &LetterId,
    request: &ListRequest,
    found: Option<&Results>,
) -> Option<Loaded> {
    let ListRequest::Search { query: Ok(q), after } = request else {
        return None;
    };
    let caches = &state.caches;
    let count = caches.counts.held(letter_id)?;
    let figures = caches.figures.held(letter_id)?;
    let mut loaded = Loaded::empty(count, &figures);
    if let Some(results) = found {
        loaded.found(state, letter_id, q, after.is_none(), results);
    }
    Some(loaded)
}

impl Loaded {
    fn empty(count: i64, figures: &LetterFigures) -> Loaded {
        Loaded {
            count,
            listed: figures.listed,
            count_only: figures.count_only,
            initial: Vec::new(),
            rows: Vec::new(),
            prev: None,
            next: None,
            at_start: true,
            at_end: true,
        }
    }

    /// Shows one page of search results.
    fn found(
        &mut self,
        state: &AppState,
        letter_id: &LetterId,
        q: &SearchQuery,
        first: bool,
        results: &Results,
    ) {
        let (found, next) = &**results;
        self.rows = found.iter().map(|f| f.signatory.clone()).collect();
        self.at_start = first;
        self.at_end = next.is_none();
        self.next = next.as_ref().map(|c| seal_cursor(state, letter_id, q, c));
    }
}

/// A page of search results for a reader, or how long they must wait.
pub enum Searched {
    Found(Results),
    Busy(u64),
}

/// One page of results, from this process's memory when it holds them,
/// else searched, with readers missing the same page at once sharing one
/// search. Only a search that will reach the database is charged to the
/// reader's search quota: a kept result costs nothing, and with the shared
/// limit store a check is a write. The page and the API both search here.
pub async fn search_results(
    state: &web::Data<AppState>,
    ctx: &Ctx,
    letter_id: &LetterId,
    query: &SearchQuery,
    after: Option<&SearchCursor>,
) -> Result<Searched, ErrorKind> {
    let searches = &state.caches.searches;
    if let Some(results) = searches
        .cached(letter_id, query, after, SIGNATORIES_PAGE_SIZE)
        .await
    {
        return Ok(Searched::Found(results));
    }
    if let Err(seconds) = state.retry_after(ctx, Action::Search).await {
        return Ok(Searched::Busy(seconds));
    }
    let (st, id, q, from) = (state.clone(), letter_id.clone(), query.clone(), after.cloned());
    let search = || async move {
        run_db(&st, move |conn| {
            search_page(conn, &id, &q, from.as_ref(), SIGNATORIES_PAGE_SIZE)
        })
        .await
    };
    let results = searches
        .get_or_search(letter_id, query, after, SIGNATORIES_PAGE_SIZE, search)
        .await?;
    Ok(Searched::Found(results))
}

/// What the page shows besides its rows: the figures, and the rows of a
/// list read here or of a search found before (`found`, none when the
/// search was refused).
fn load(
    conn: &mut DbConn,
    state: &AppState,
    letter_id: &LetterId,
    request: &ListRequest,
    found: Option<&Results>,
) -> Result<Loaded, DbError> {
    let figures = state.caches.figures.get(conn, letter_id)?;
    let mut loaded = Loaded::empty(state.caches.counts.get(conn, letter_id)?, &figures);
    match request {
        ListRequest::Search { query: Ok(q), after } => {
            if let Some(results) = found {
                loaded.found(state, letter_id, q, after.is_none(), results);
            }
        }
        ListRequest::Search { .. } => {}
        ListRequest::List { order, seek } => {
            let page = list_page(conn, letter_id, *order, seek, SIGNATORIES_PAGE_SIZE)?;
            loaded.at_start = page.prev.is_none();
            loaded.at_end = page.next.is_none();
            if loaded.at_start && *order == ListOrder::Signed {
                loaded.initial = signatures::initial_signatories(conn, letter_id)?;
            }
            loaded.rows = page.rows;
            loaded.prev = page.prev.map(|c| c.encode());
            loaded.next = page.next.map(|c| c.encode());
        }
    }
    Ok(loaded)
}

pub async fn signatories(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    if req.query_string().is_empty() {
        return first_page(ctx, state, path.into_inner(), &req).await;
    }
    // Before the letter is read: a change of the letter after this moment
    // keeps the page from being kept as current.
    let began = state.caches.pages.mark();
    let letter = public_letter(&ctx, &state, &path).await?;
    let open = |q: &SearchQuery, raw: &str| open_cursor(&state, &letter.id, q, raw);
    let request =
        ListRequest::parse(req.query_string(), open).ok_or_else(|| ctx.error(ErrorKind::BadRequest))?;
    // The first page however it is asked for (`?lang=fr`, a parameter we do
    // not read): the kept copy, so that made-up parameters cannot make
    // the most-read page a database read each.
    if let ListRequest::List {
        order: ListOrder::Signed,
        seek: Seek::First,
    } = request
    {
        return first_page(ctx, state, path.into_inner(), &req).await;
    }
    let search_key = search_key(&ctx, &path, &request);
    if let Some(key) = &search_key {
        if let Some(page) = state.caches.pages.fresh(key).await {
            return Ok(page.response(&req, &state.settings.shared_cache));
        }
    }
    let (mut kept, mut busy) = (None, None);
    if let ListRequest::Search { query: Ok(q), after } = &request {
        let searched = search_results(&state, &ctx, &letter.id, q, after.as_ref()).await;
        match searched.map_err(|k| ctx.error(k))? {
            Searched::Found(results) => kept = Some(results),
            Searched::Busy(seconds) => busy = Some(seconds),
        }
    }
    let (id, until) = (letter.id.clone(), letter.changes_at());
    let (body, refusal) = render(ctx, &state, letter, request, kept, busy).await?;
    // Refused, the page comes back with the box keeping what was typed and
    // saying why: an answer for this reader, not something to cache.
    let mut refused = match (refusal, search_key) {
        (None, Some(key)) => {
            let page = CachedPage::whole(id, body).good_until(until.map(page_cache::instant_at));
            let page = state.caches.pages.keep(key, page, began).await;
            return Ok(page.response(&req, &state.settings.shared_cache));
        }
        (None, None) => return Ok(http_cache::public_html(&req, body, &state.settings.shared_cache)),
        (Some(Refusal::Query), _) => HttpResponse::BadRequest(),
        (Some(Refusal::Busy(seconds)), _) => {
            let mut response = HttpResponse::TooManyRequests();
            response.insert_header((header::RETRY_AFTER, seconds));
            response
        }
    };
    Ok(refused
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// Where a search's rendered page is kept: a name in the news is searched
/// by many readers at once, and a page of a hundred results costs far more
/// to render than to send. Only a search this site can answer has one.
fn search_key(ctx: &Ctx, slug: &str, request: &ListRequest) -> Option<PageKey> {
    let ListRequest::Search { query: Ok(q), after } = request else {
        return None;
    };
    let after = after.as_ref().map(SearchCursor::encode).unwrap_or_default();
    Some(PageKey::search(
        slug.to_string(),
        ctx.explicit(),
        ctx.preferred(),
        q.typed(),
        &after,
    ))
}

/// The list's first page, in signing order: the one most readers open,
/// kept rendered so that a letter with a million signatories serves it
/// from memory.
async fn first_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    slug: String,
    req: &HttpRequest,
) -> Result<HttpResponse, PageError> {
    let first = |letter| async {
        let first = ListRequest::List {
            order: ListOrder::Signed,
            seek: Seek::First,
        };
        let (body, _) = render(ctx.clone(), &state, letter, first, None, None).await?;
        Ok(body)
    };
    kept_letter_page(&ctx, &state, req, slug, PageKind::FirstSignatories, first).await
}

/// Why a search shows no results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// The query is not one the search takes.
    Query,
    /// This connection searched too often: it may again in this many
    /// seconds.
    Busy(u64),
}

/// The page for `request`, and why it refuses the search, if it does.
/// `kept`: the search's results, found before (none when the search was
/// refused); `busy`: the search may not run for this many seconds.
async fn render(
    ctx: Ctx,
    state: &web::Data<AppState>,
    letter: crate::db::letters::Letter,
    request: ListRequest,
    kept: Option<Results>,
    busy: Option<u64>,
) -> Result<(String, Option<Refusal>), PageError> {
    let (ctx, letter) = reader_version(ctx, state, letter).await?;
    let (st, id) = (state.clone(), letter.id.clone());
    let (request, loaded) = match held(state, &id, &request, kept.as_ref()) {
        // A search answered before, on a letter whose figures are at hand:
        // no connection, no trip to the blocking pool.
        Some(loaded) => (request, loaded),
        None => run_db(state, move |conn| {
            let loaded = load(conn, &st, &id, &request, kept.as_ref())?;
            Ok((request, loaded))
        })
        .await
        .map_err(|k| ctx.error(k))?,
    };
    let (showing, refusal) = showing_of(&ctx.tr(), request, busy);
    let page = view::SignatoriesPage {
        letter: &letter,
        count: loaded.count,
        listed: loaded.listed,
        count_only: loaded.count_only,
        initial: &loaded.initial,
        public: &loaded.rows,
        showing,
        prev_cursor: loaded.prev,
        next_cursor: loaded.next,
        at_start: loaded.at_start,
        at_end: loaded.at_end,
    };
    Ok((view::render(&ctx.tr(), &page).into_string(), refusal))
}

/// What the page shows for a request, and why it refuses the search.
fn showing_of(tr: &Tr, request: ListRequest, busy: Option<u64>) -> (Showing, Option<Refusal>) {
    match (request, busy) {
        (ListRequest::Search { query: Ok(q), .. }, Some(seconds)) => (
            Showing::Search {
                typed: q.typed().to_string(),
                error: Some(tr.ta("search-busy", &[("seconds", Arg::Num(seconds as i64))])),
            },
            Some(Refusal::Busy(seconds)),
        ),
        (ListRequest::Search { query: Ok(q), .. }, None) => (
            Showing::Search {
                typed: q.typed().to_string(),
                error: None,
            },
            None,
        ),
        (
            ListRequest::Search {
                query: Err((typed, e)),
                ..
            },
            _,
        ) => (
            Showing::Search {
                typed,
                error: Some(tr.t(query_message(e))),
            },
            Some(Refusal::Query),
        ),
        (ListRequest::List { order, seek }, _) => (
            Showing::List {
                order,
                initial: match seek {
                    Seek::From(c) => Some(c),
                    _ => None,
                },
            },
            None,
        ),
    }
}

/// The message beside the search box for a refused query.
pub fn query_message(e: QueryError) -> &'static str {
    match e {
        QueryError::TooShort => "search-too-short",
        QueryError::TooLong => "search-too-long",
    }
}
