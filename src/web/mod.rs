//! HTTP: thin routes that parse, call one store function, and render.

pub mod access_log;
pub mod api;
pub mod body;
pub mod cache_copy;
pub mod card_cache;
pub mod client_ip;
pub mod confirm;
pub mod counts;
pub mod ctx;
pub mod cursor_seal;
pub mod error;
pub mod exports;
pub mod figures;
pub mod form_errors;
pub mod form_token;
pub mod health;
pub mod http_cache;
pub mod letter_cache;
pub mod limits;
pub mod list;
pub mod manage;
pub mod metrics;
pub mod middleware;
pub mod page_cache;
pub mod press;
pub mod privacy;
pub mod public;
pub mod query;
pub mod search_cache;
pub mod shard;
pub mod share;
pub mod share_cache;
pub mod sign;
pub mod state;
pub mod stats;
pub mod unsubscribe;
pub mod workspace;

use crate::db::{write_tx, DbConn, DbError, PooledConn, Tx};
use actix_web::web;

pub use ctx::Ctx;
pub use error::{ErrorKind, PageError};
pub use state::{AppState, Caches, Change, Services, SiteSettings};

/// Runs a database read on the blocking pool, never on an async worker.
pub async fn run_db<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ErrorKind>
where
    F: FnOnce(&mut DbConn) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    on_pooled(state, move |conn| f(conn)).await
}

/// A letter's signature count for a page: read from memory on this
/// thread when this process holds it, else counted on the pool. A
/// confirmation's page asked the pool every time, and handing a closure to
/// the blocking pool and back cost the request threads more than rendering
/// the page did.
pub async fn count_of(
    state: &web::Data<AppState>,
    letter_id: &crate::model::LetterId,
) -> Result<i64, ErrorKind> {
    if let Some(count) = state.caches.counts.held(letter_id) {
        return Ok(count);
    }
    let (st, id) = (state.clone(), letter_id.clone());
    run_db(state, move |conn| st.caches.counts.get(conn, &id)).await
}

async fn on_pooled<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ErrorKind>
where
    F: FnOnce(&mut PooledConn) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    let (pool, checkout) = (state.services.pool.clone(), state.services.checkout.clone());
    let result = web::block(move || {
        let mut conn = checkout.get(&pool)?;
        let result = f(&mut conn);
        if let Err(e) = &result {
            checkout.saw(e);
        }
        result
    })
    .await;
    match result {
        Ok(result) => db_outcome(result),
        Err(e) => {
            tracing::error!(error = %e, "blocking task failed");
            Err(ErrorKind::Internal)
        }
    }
}

/// Runs `f`, a use case, in a write transaction: grouped with others on
/// SQLite, its own on PostgreSQL, where it runs again once if a concurrent
/// transaction inserted the same unique key first, so that the second run
/// sees the first's row. (Signing absorbs its own such race in the
/// statement; this guards the other writes.) With [`run_sign`] and [`run_confirm`], this
/// is the only way the web layer writes.
pub async fn run_write<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ErrorKind>
where
    F: Fn(&mut Tx<'_>) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    match &state.services.writer {
        Some(writer) if writer.takes_all() => db_outcome(writer.write(f).await),
        _ => pooled_write(state, f).await,
    }
}

/// Stores a submission of the signing form: on the writer threads, where
/// the submissions of a batch run together (`db::group_commit`), or without
/// them in a pooled transaction of its own. Either way the one use case,
/// `actions::signing::sign`, decides.
pub async fn run_sign(
    state: &web::Data<AppState>,
    submission: crate::db::signatures::Submission,
) -> Result<crate::db::signatures::SubmitOutcome, ErrorKind> {
    match &state.services.writer {
        Some(writer) => db_outcome(writer.submit(submission).await),
        None => pooled_write(state, move |tx| submission.at(crate::db::now()).run(tx)).await,
    }
}

/// Follows a confirmation link: on the writer threads, where the
/// confirmations of a batch run together (`db::group_commit`), or without
/// them in a pooled transaction of its own. Either way the one use case,
/// `actions::signing::confirm`, decides.
pub async fn run_confirm(
    state: &web::Data<AppState>,
    token: crate::domain::Token,
    key: crate::domain::LinkKey,
) -> Result<Result<crate::db::signatures::Confirmed, crate::db::signatures::LinkError>, ErrorKind> {
    match &state.services.writer {
        Some(writer) => db_outcome(writer.confirm(token, key).await),
        None => {
            pooled_write(state, move |tx| {
                crate::actions::signing::confirm(tx, &token, &key, crate::db::now())
            })
            .await
        }
    }
}

async fn pooled_write<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ErrorKind>
where
    F: Fn(&mut Tx<'_>) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    on_pooled(state, move |conn| match write_tx(conn, &f) {
        Err(e) if crate::db::signatures::is_unique_violation(&e) => write_tx(conn, &f),
        other => other,
    })
    .await
}

fn db_outcome<T>(result: Result<T, DbError>) -> Result<T, ErrorKind> {
    match result {
        Ok(value) => Ok(value),
        Err(e) if e.is_unavailable() => {
            tracing::warn!(error = %e, "database unavailable");
            Err(ErrorKind::Unavailable)
        }
        Err(e @ DbError::Contended(_)) => {
            tracing::warn!(error = %e, "write gave up under contention");
            Err(ErrorKind::Unavailable)
        }
        Err(e) => {
            tracing::error!(error = %e, "database error");
            Err(ErrorKind::Internal)
        }
    }
}

/// A page's resource: any method it does not route is answered 405.
pub(crate) fn page(path: &str) -> actix_web::Resource {
    web::resource(path.to_string()).default_service(web::to(error::method_not_allowed))
}

/// The letters' pages, to be registered before every other route: actix
/// tries routes in order, each with a comparison or a regex, and behind the
/// others the letter page, the busiest by far, paid for ten comparisons
/// before its own regex. As a scope, the others pay one prefix comparison
/// for all of them.
pub fn letters(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/letters").configure(letter_routes));
}

/// Every other public route (`letters` comes first).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/metrics").route(web::get().to(metrics::endpoint)))
        .service(page("/healthz").route(web::get().to(health::healthz)))
        .service(page("/readyz").route(web::get().to(health::readyz)))
        .service(web::resource("/static/style.css").route(web::get().to(public::style)))
        .service(web::resource("/static/share.js").route(web::get().to(share::script)))
        .service(web::resource("/static/print.css").route(web::get().to(exports::print_css)))
        .service(page("/").route(web::get().to(public::home)))
        // Before the pages with a token in their path: actix tries each of
        // those with a regex, about a fifth of the letter JSON's
        // instructions when it came last, while a scope's prefix is a plain
        // comparison. No page's path starts with /api/v1.
        .service(web::scope("/api/v1").wrap(api::cors()).configure(api::configure))
        .configure(signer_links)
        .service(page("/privacy").route(web::get().to(privacy::page)))
        .default_service(web::to(error::not_found));
}

/// A public letter's pages and downloads, under `/letters`.
fn letter_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/{slug}").route(web::get().to(public::letter)))
        .service(
            page("/{slug}/sign")
                .route(web::post().to(sign::submit))
                .route(web::get().to(sign::redirect_to_form)),
        )
        .service(page("/{slug}/card.svg").route(web::get().to(share::card)))
        .service(page("/{slug}/card.png").route(web::get().to(share::card_png)))
        .service(page("/{slug}/embed").route(web::get().to(share::embed)))
        .service(page("/{slug}/check-email").route(web::get().to(public::check_email)))
        .service(page("/{slug}/versions").route(web::get().to(public::versions)))
        .service(page("/{slug}/signatories").route(web::get().to(list::signatories)))
        .service(page("/{slug}/stats").route(web::get().to(stats::page)))
        .service(page("/{slug}/press").route(web::get().to(press::page)))
        .service(page("/{slug}/logo/{digest}").route(web::get().to(press::logo)))
        .service(page("/{slug}/export.{extension}").route(web::get().to(exports::download)));
}

/// The pages behind the links a signer is emailed.
fn signer_links(cfg: &mut web::ServiceConfig) {
    cfg.service(
        page("/confirm/{token}")
            .route(web::get().to(confirm::confirm_page))
            .route(web::post().to(confirm::confirm)),
    )
    .service(
        page("/withdraw/{token}")
            .route(web::get().to(confirm::withdraw_page))
            .route(web::post().to(confirm::withdraw)),
    )
    .service(
        page("/manage/{token}")
            .route(web::get().to(manage::page))
            .route(web::post().to(manage::update)),
    )
    .service(page("/manage/{token}/data.json").route(web::get().to(manage::data_json)))
    .service(page("/manage/{token}/withdraw").route(web::post().to(manage::withdraw)))
    .service(
        page("/unsubscribe/{token}")
            .route(web::get().to(unsubscribe::ask))
            .route(web::post().to(unsubscribe::stop)),
    );
}
