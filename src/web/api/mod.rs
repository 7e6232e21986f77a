//! The public, read-only JSON API under `/api/v1`. Every route is listed in
//! `routes()`, so the OpenAPI document can be checked against it; the count
//! is the same cached count the pages show.

mod error;
mod model;
mod stats;

pub use error::{ApiError, ErrorJson};
pub use model::{
    CountJson, DayCountJson, LetterJson, LetterListJson, RegionCountJson, SignatoriesJson, SignatoryJson,
    StatsJson, VersionJson,
};

use super::list::Searched;
use super::page_cache::{CachedPage, PageKey, PageKind};
use super::public::SIGNATORIES_PAGE_SIZE;
use super::{run_db, AppState};
use crate::db::letters::{self, Letter};
use crate::db::signatures::{self, Cursor};
use crate::domain::search::SearchQuery;
use crate::domain::Slug;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse, Route};
use utoipa::OpenApi;

/// How long browsers and caches may keep a count.
const COUNT_MAX_AGE: &str = "public, max-age=5";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "undersigned public API",
        description = "Read-only JSON about published open letters: the list, one letter, \
                       its public signatories (and a search among them), its count and its figures \
                       by region and day. No email address is ever exposed."
    ),
    paths(list_letters, letter, signatories, count, stats::stats, openapi_json),
    components(schemas(ErrorJson))
)]
pub struct ApiDoc;

/// Every route of the API, relative to `/api/v1`, with its handler.
pub fn routes() -> Vec<(&'static str, Route)> {
    vec![
        ("/letters", web::get().to(list_letters)),
        ("/letters/{slug}", web::get().to(letter)),
        ("/letters/{slug}/signatories", web::get().to(signatories)),
        ("/letters/{slug}/count", web::get().to(count)),
        ("/letters/{slug}/stats", web::get().to(stats::stats)),
        ("/openapi.json", web::get().to(openapi_json)),
    ]
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    for (path, route) in routes() {
        cfg.service(
            web::resource(path)
                .route(route)
                .default_service(web::to(|| async { ApiError::MethodNotAllowed })),
        );
    }
    cfg.default_service(web::to(|| async { ApiError::NotFound }));
}

/// Any site may read the API from a browser: it is public and takes no
/// credentials, so `*` gives nothing away.
pub fn cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allow_any_origin()
        .send_wildcard()
        .allowed_methods(["GET"])
        .allowed_header(header::ACCEPT)
        // Not a header browsers let other sites' scripts read unless named:
        // a client told "too many requests" needs to know how long to wait.
        .expose_headers([header::RETRY_AFTER])
        .max_age(86_400)
}

impl actix_web::Responder for ApiError {
    type Body = actix_web::body::BoxBody;
    fn respond_to(self, _req: &HttpRequest) -> HttpResponse {
        actix_web::ResponseError::error_response(&self)
    }
}

pub(super) async fn find_public(state: &web::Data<AppState>, slug: &str) -> Result<(Letter, i64), ApiError> {
    let slug = Slug::parse(slug).map_err(|_| ApiError::NotFound)?;
    let st = state.clone();
    run_db(state, move |conn| {
        let Some(letter) = letters::find_by_slug(conn, slug.as_str())?.filter(Letter::is_public) else {
            return Ok(None);
        };
        let count = st.caches.counts.get(conn, &letter.id)?;
        Ok(Some((letter, count)))
    })
    .await?
    .ok_or(ApiError::NotFound)
}

/// The published and closed letters, newest first (archived ones left out).
#[utoipa::path(
    get,
    path = "/api/v1/letters",
    tag = "letters",
    responses((status = 200, description = "The public letters", body = LetterListJson))
)]
pub async fn list_letters(state: web::Data<AppState>) -> Result<web::Json<LetterListJson>, ApiError> {
    let found = super::public::public_letters_with_counts(&state).await?;
    let letters = found
        .into_iter()
        .map(|(l, count)| {
            let url = state.url(&crate::views::links::letter(&l.slug));
            LetterJson::new(l, count, url)
        })
        .collect();
    Ok(web::Json(LetterListJson { letters }))
}

/// One public letter with its count and versions.
#[utoipa::path(
    get,
    path = "/api/v1/letters/{slug}",
    tag = "letters",
    params(("slug" = String, Path, description = "The letter's address")),
    responses(
        (status = 200, description = "The letter", body = LetterJson),
        (status = 404, description = "No public letter here", body = ErrorJson)
    )
)]
pub async fn letter(path: web::Path<String>, req: actix_web::HttpRequest) -> Result<HttpResponse, ApiError> {
    // Borrowed, as the letter page borrows it (see `public::letter`).
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Err(ApiError::Storage(crate::web::ErrorKind::Internal));
    };
    // Kept rendered with the letter pages, and dropped with them when a
    // signature changes here: the JSON reads nothing from the database
    // while it is fresh, however many signatories the letter has. Served
    // from the worker's own copy, as the letter page is.
    let key = PageKey::any_language(path.into_inner(), PageKind::LetterJson);
    let find = || async {
        super::public::cached_public_letter(state, &key.slug)
            .await?
            .ok_or(ApiError::NotFound)
    };
    let page = state
        .caches
        .pages
        .get_or_render_here(&key, find, |letter| letter_json(state, letter))
        .await?;
    let gzip = crate::web::http_cache::accepts_gzip(&req);
    Ok(crate::web::http_cache::unvalidated(
        "application/json",
        // No form in it, so no token and no time: made whole once.
        page.body_at(gzip, 0, String::new),
    ))
}

/// The JSON of a public letter, with its count and versions.
async fn letter_json(state: &web::Data<AppState>, letter: Letter) -> Result<CachedPage, ApiError> {
    let url = state.url(&crate::views::links::letter(&letter.slug));
    let (st, id) = (state.clone(), letter.id.clone());
    let (count, versions) = run_db(state, move |conn| {
        Ok((
            st.caches.counts.get(conn, &id)?,
            crate::db::versions::list(conn, &id)?,
        ))
    })
    .await?;
    let letter_id = letter.id.clone();
    let until = letter.changes_at();
    let mut json = LetterJson::new(letter, count, url);
    if !versions.is_empty() {
        json.versions = versions
            .into_iter()
            .map(|v| model::VersionJson {
                number: v.number,
                published_at: Some(v.created_at.and_utc()),
            })
            .collect();
    }
    let body = serde_json::to_string(&json).map_err(|e| {
        tracing::error!(error = %e, "cannot write a letter's JSON");
        ApiError::Storage(crate::web::ErrorKind::Internal)
    })?;
    Ok(CachedPage::whole(letter_id, body).good_until(until.map(crate::web::page_cache::instant_at)))
}

/// A page of public signatories; initial ones open the first page. With
/// `q`, the public signatories whose name or titles have words starting
/// with every word of `q`, folding case and accents.
#[utoipa::path(
    get,
    path = "/api/v1/letters/{slug}/signatories",
    tag = "letters",
    params(
        ("slug" = String, Path, description = "The letter's address"),
        ("after" = Option<String>, Query, description = "The `next` value of the previous page"),
        ("q" = Option<String>, Query, description = "Search: 2 to 100 characters, at most 6 words; \
            each word must start a word of the name or of a title line (\"beland\" finds \"Louise Béland\"). \
            Results come in the order of the matching word.")
    ),
    responses(
        (status = 200, description = "Up to 100 signatories", body = SignatoriesJson),
        (status = 400, description = "The cursor is not valid, or the search is too short or too long", body = ErrorJson),
        (status = 404, description = "No public letter here", body = ErrorJson),
        (status = 429, description = "Too many searches from this address (the `search` quota); \
            `Retry-After` says when to try again", body = ErrorJson)
    )
)]
pub async fn signatories(
    ctx: crate::web::ctx::Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<web::Json<SignatoriesJson>, ApiError> {
    let params: Vec<(String, String)> = form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    if let Some(q) = get("q") {
        let query = SearchQuery::parse(q).map_err(ApiError::BadQuery)?;
        return search(&state, &ctx, &path, query, get("after")).await;
    }
    let after = get("after")
        .map(|raw| Cursor::decode(raw).ok_or(ApiError::BadCursor))
        .transpose()?;
    let (letter, _) = find_public(&state, &path).await?;
    let (initial, (public, next)) = run_db(&state, move |conn| {
        let initial = match after {
            None => signatures::initial_signatories(conn, &letter.id)?,
            Some(_) => Vec::new(),
        };
        Ok((
            initial,
            signatures::public_page(conn, &letter.id, after.as_ref(), SIGNATORIES_PAGE_SIZE)?,
        ))
    })
    .await?;
    let signatories = initial
        .into_iter()
        .map(|s| SignatoryJson::new(s, true))
        .chain(public.into_iter().map(|s| SignatoryJson::new(s, false)))
        .collect();
    Ok(web::Json(SignatoriesJson {
        signatories,
        next: next.map(|c| c.encode()),
    }))
}

/// The search branch of [`signatories`]: a page of results, from this
/// process's memory when it has it.
async fn search(
    state: &web::Data<AppState>,
    ctx: &crate::web::ctx::Ctx,
    path: &str,
    query: SearchQuery,
    after: Option<&str>,
) -> Result<web::Json<SignatoriesJson>, ApiError> {
    // From the letter cache, as the pages read it: the search answers from
    // memory too.
    let letter = super::public::cached_public_letter(state, path)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Sealed for this letter and this query (see `web::list::seal_cursor`).
    let after = after
        .map(|raw| crate::web::list::open_cursor(state, &letter.id, &query, raw).ok_or(ApiError::BadCursor))
        .transpose()?;
    // Charged only where the search reaches the database, as on the page:
    // a kept result, an unknown letter or a bad cursor costs nothing.
    let searched = crate::web::list::search_results(state, ctx, &letter.id, &query, after.as_ref()).await?;
    let results = match searched {
        Searched::Found(results) => results,
        Searched::Busy(retry_after) => return Err(ApiError::TooManyRequests { retry_after }),
    };
    let (found, next) = &*results;
    Ok(web::Json(SignatoriesJson {
        signatories: found
            .iter()
            .map(|f| SignatoryJson::new(f.signatory.clone(), f.initial))
            .collect(),
        next: next
            .as_ref()
            .map(|c| crate::web::list::seal_cursor(state, &letter.id, &query, c)),
    }))
}

/// The count alone; caches may keep it five seconds.
#[utoipa::path(
    get,
    path = "/api/v1/letters/{slug}/count",
    tag = "letters",
    params(("slug" = String, Path, description = "The letter's address")),
    responses(
        (status = 200, description = "The count", body = CountJson,
         headers(("Cache-Control" = String, description = "public, max-age=5"))),
        (status = 404, description = "No public letter here", body = ErrorJson)
    )
)]
pub async fn count(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (letter, count) = find_public(&state, &path).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, COUNT_MAX_AGE))
        .json(CountJson {
            slug: letter.slug,
            signature_count: count,
            goal: letter.goal,
        }))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 description of this API", content_type = "application/json"))
)]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_in_the_openapi_document() {
        let doc = ApiDoc::openapi();
        assert!(doc.openapi == utoipa::openapi::OpenApiVersion::Version31);
        for (path, _) in routes() {
            let full = format!("/api/v1{path}");
            assert!(doc.paths.paths.contains_key(&full), "{full} is not documented");
        }
        assert_eq!(
            doc.paths.paths.len(),
            routes().len(),
            "a documented path has no route"
        );
    }
}
