//! A letter's figures page (`/letters/{slug}/stats`): who signed, by region
//! and by day. It finds the letter as its page does, so it answers 404
//! exactly when the letter page does (unknown, draft, embargoed).
//!
//! The page is kept rendered with the letter pages, and dropped when new
//! figures land or something is taken away or changed (not for a
//! confirmation: its figures are computed apart, see `page_cache::Change`):
//! rendering its charts and tables for every reader served some 5,600 a
//! second where the letter page served 150,000.

use super::error::PageError;
use super::figures::{Held, Refresh};
use super::page_cache::{Change, PageKind};
use super::public::{kept_letter_page, reader_version};
use super::{run_db, AppState, Ctx};
use crate::db::letters::Letter;
use crate::views::stats as view;
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    kept_letter_page(&ctx, &state, &req, slug, PageKind::Figures, |letter| {
        render(ctx.clone(), &state, letter)
    })
    .await
}

/// The page in the reader's language, from the letter's figures as this
/// process holds them (see `web::figures`): stale ones are computed again
/// behind the reader rather than waited for.
async fn render(ctx: Ctx, state: &web::Data<AppState>, letter: Letter) -> Result<String, PageError> {
    let (ctx, letter) = reader_version(ctx, state, letter).await?;
    let figures = match state.caches.figures.serve_or_claim(&letter.id) {
        Held::Serve(figures) => figures,
        Held::ServeAndRefresh(figures, refresh) => {
            refresh_behind(state, refresh);
            figures
        }
        Held::Nothing => {
            let (st, id) = (state.clone(), letter.id.clone());
            run_db(state, move |conn| st.caches.figures.get(conn, &id))
                .await
                .map_err(|k| ctx.error(k))?
        }
    };
    Ok(view::render(&ctx.tr(), &letter, &figures).into_string())
}

/// Computes a letter's next figures on the pool, behind the reader who
/// found them stale: at a million signatures that takes about a second,
/// which every reader of the page would otherwise wait for. Once they are
/// in, the letter's kept pages that show figures are dropped, so the next
/// reader gets them rather than a page rendered from the stale ones.
fn refresh_behind(state: &web::Data<AppState>, refresh: Refresh) {
    let (st, letter_id) = (state.clone(), refresh.letter_id().clone());
    actix_web::rt::spawn(async move {
        let figures = st.clone();
        let computed = run_db(&st, move |conn| figures.caches.figures.refresh(conn, refresh)).await;
        match computed {
            Ok(_) => st.caches.pages.invalidate(&letter_id, Change::Figures),
            Err(kind) => tracing::warn!(
                ?kind,
                "the figures could not be computed again; the stale ones stay"
            ),
        }
    });
}
