//! A letter's figures page (`/letters/{slug}/stats`): who signed, by region
//! and by day. It finds the letter as its page does, so it answers 404
//! exactly when the letter page does (unknown, draft, embargoed).

use super::error::PageError;
use super::public::{public_letter, reader_version};
use super::{http_cache, run_db, AppState, Ctx};
use crate::views::stats as view;
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let letter = public_letter(&ctx, &state, &path).await?;
    let (ctx, letter) = reader_version(ctx, &state, letter).await?;
    let (st, id) = (state.clone(), letter.id.clone());
    let figures = run_db(&state, move |conn| st.caches.figures.get(conn, &id))
        .await
        .map_err(|k| ctx.error(k))?;
    let body = view::render(&ctx.tr(), &letter, &figures).into_string();
    Ok(http_cache::public_html(&req, body, &state.settings.shared_cache))
}
