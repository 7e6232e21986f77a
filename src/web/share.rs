//! The share card image and the embeddable widget.

use super::error::PageError;
use super::public::{html, public_letter};
use super::{AppState, Ctx};
use crate::views::{embed, share};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

/// The one policy that lets other sites frame a page; everything else stays
/// `frame-ancestors 'none'` through the middleware, which leaves a header a
/// handler set alone.
const EMBED_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; \
                         form-action 'self'; base-uri 'none'; frame-ancestors *";

/// A public letter, its count, and the context to answer in its language.
async fn letter_and_count(
    ctx: Ctx,
    state: &web::Data<AppState>,
    slug: &str,
) -> Result<(Ctx, crate::db::letters::Letter, i64), PageError> {
    let letter = public_letter(&ctx, state, slug).await?;
    let count = super::count_of(state, &letter.id)
        .await
        .map_err(|k| ctx.error(k))?;
    Ok((ctx.for_letter(letter.language), letter, count))
}

pub async fn card(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (ctx, letter, count) = letter_and_count(ctx, &state, &path).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        // Previews fetch the card once; a minute keeps the count near live.
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .body(share::card_svg(&ctx.tr(), &letter, count)))
}

/// The card as a PNG, for the previews that show no SVG. Its count moves
/// in steps (`share::count_step`), so one drawing serves many requests; the
/// tag is the digest of what was drawn.
pub async fn card_png(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (ctx, letter, count) = letter_and_count(ctx, &state, &path).await?;
    let svg = share::card_svg_at_step(&ctx.tr(), &letter, count);
    let (png, digest) = state.caches.cards.png(svg).await.map_err(|k| ctx.error(k))?;
    let etag = super::http_cache::tag_value(format!("\"{}\"", hex::encode(&digest[..12])));
    let not_modified = super::http_cache::matches(&req, &etag);
    let mut builder = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    builder
        .content_type("image/png")
        .insert_header((header::ETAG, etag))
        // Crawlers fetch a preview once; an hour is well within a step.
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"));
    Ok(if not_modified {
        builder.finish()
    } else {
        builder.body(png)
    })
}

pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(crate::views::SHARE_JS)
}

pub async fn embed(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (ctx, letter, count) = letter_and_count(ctx, &state, &path).await?;
    let mut response = html(embed::render(&ctx.tr(), &letter, count, &state.settings.base_url));
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(EMBED_CSP),
    );
    Ok(response)
}
