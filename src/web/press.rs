//! A letter's press kit (`/letters/{slug}/press`) and its logo. Both find
//! the letter as its page does, so they answer 404 exactly when it does:
//! an unknown slug, a draft, an embargoed letter not yet out.

use super::error::{ErrorKind, PageError};
use super::public::{public_letter, reader_version};
use super::{http_cache, run_db, AppState, Ctx};
use crate::db::{logos, press, signatures};
use crate::views::press as view;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

/// A logo's address names its digest, so a new logo is a new address and
/// this one may be kept for a year.
const LOGO_CACHE: &str = "public, max-age=31536000, immutable";
/// An image needs no script, style or frame of its own, whatever a browser
/// might guess of its bytes.
const LOGO_CSP: &str = "default-src 'none'; sandbox";

pub async fn page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let letter = public_letter(&ctx, &state, &path).await?;
    let (ctx, letter) = reader_version(ctx, &state, letter).await?;
    let (st, id, now) = (state.clone(), letter.id.clone(), crate::db::now());
    let (confirmed, listed, count_only, initial, logo) = run_db(&state, move |conn| {
        Ok((
            // Beside figures read now: the count is taken now too.
            st.caches.counts.get_fresh(conn, &id)?,
            press::listed(conn, &id, now)?,
            press::count_only(conn, &id)?,
            signatures::initial_signatories(conn, &id)?,
            logos::info(conn, &id)?,
        ))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let page = view::PressPage {
        letter: &letter,
        logo: logo.as_ref(),
        site_officer: &state.settings.privacy_officer,
        figures: (confirmed, listed, count_only),
        as_of: now,
        initial: &initial,
    };
    Ok(http_cache::public_html(
        &req,
        view::render(&ctx.tr(), &page).into_string(),
        &state.settings.shared_cache,
    ))
}

pub async fn logo(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, digest) = path.into_inner();
    let letter = public_letter(&ctx, &state, &slug).await?;
    let id = letter.id.clone();
    let found = run_db(&state, move |conn| logos::bytes(conn, &id, &digest))
        .await
        .map_err(|k| ctx.error(k))?;
    let (content_type, data) = found.ok_or_else(|| ctx.error(ErrorKind::NotFound))?;
    Ok(image(content_type, data, LOGO_CACHE))
}

/// A stored logo as a response: its checked type, no sniffing, no script.
pub fn image(content_type: String, data: Vec<u8>, cache: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, LOGO_CSP))
        .body(data)
}
