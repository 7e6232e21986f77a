use super::error::{ErrorKind, PageError};
use super::{run_db, AppState, Ctx};
use crate::db::letters::{self, Letter};
use crate::db::signatures::{self, Cursor, PublicSignatory};
use crate::domain::Slug;
use crate::views::{self, check_email, home as home_view, letter as letter_view, signatories as list_view};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;

pub const LATEST_ON_LETTER_PAGE: i64 = 10;
pub const SIGNATORIES_PAGE_SIZE: i64 = 100;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

pub async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(views::STYLE_CSS)
}

pub fn html(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

pub async fn home(ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let st = state.clone();
    let letters = run_db(&state, move |conn| {
        letters::list_public(conn)?
            .into_iter()
            .map(|l| {
                let count = st.counts.get(conn, &l.id)?;
                Ok((l, count))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|k| ctx.error(k))?;
    Ok(html(home_view::render(&ctx.tr(), &letters)))
}

/// Finds a letter the public may see. Drafts, and slugs that could not be a
/// letter's, answer as not found.
pub async fn public_letter(ctx: &Ctx, state: &web::Data<AppState>, slug: &str) -> Result<Letter, PageError> {
    let slug = Slug::parse(slug).map_err(|_| ctx.error(ErrorKind::NotFound))?;
    let letter = run_db(state, move |conn| letters::find_by_slug(conn, slug.as_str()))
        .await
        .map_err(|k| ctx.error(k))?;
    letter
        .filter(Letter::is_public)
        .ok_or_else(|| ctx.error(ErrorKind::NotFound))
}

pub struct LetterPageData {
    pub count: i64,
    pub initial: Vec<PublicSignatory>,
    pub latest: Vec<PublicSignatory>,
}

pub async fn letter_page_data(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    letter: &Letter,
) -> Result<LetterPageData, PageError> {
    let st = state.clone();
    let id = letter.id.clone();
    run_db(state, move |conn| {
        Ok(LetterPageData {
            count: st.counts.get(conn, &id)?,
            initial: signatures::initial_signatories(conn, &id)?,
            latest: signatures::latest_public(conn, &id, LATEST_ON_LETTER_PAGE)?,
        })
    })
    .await
    .map_err(|k| ctx.error(k))
}

pub async fn letter(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let letter = public_letter(&ctx, &state, &path).await?;
    let ctx = ctx.for_letter(letter.language);
    let data = letter_page_data(&ctx, &state, &letter).await?;
    let page = letter_view::LetterPage {
        letter: &letter,
        count: data.count,
        initial: &data.initial,
        latest: &data.latest,
        form: &views::sign_form::SignFormValues {
            form_token: state
                .forms
                .issue(&super::sign::form_purpose(&letter.id), AppState::now_ms()),
            ..views::sign_form::SignFormValues::blank()
        },
        errors: &Default::default(),
        base_url: Some(&state.base_url),
    };
    Ok(html(letter_view::render(&ctx.tr(), &page)))
}

pub async fn check_email(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let letter = public_letter(&ctx, &state, &path).await?;
    let ctx = ctx.for_letter(letter.language);
    Ok(html(check_email::render(&ctx.tr(), &letter)))
}

pub async fn signatories(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let letter = public_letter(&ctx, &state, &path).await?;
    let ctx = ctx.for_letter(letter.language);
    let after_param = form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "after")
        .map(|(_, v)| v.into_owned());
    let after = match after_param.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(Cursor::decode(raw).ok_or_else(|| ctx.error(ErrorKind::BadRequest))?),
    };
    let is_first_page = after.is_none();
    let st = state.clone();
    let id = letter.id.clone();
    let (count, initial, (public, next)) = run_db(&state, move |conn| {
        let initial = if is_first_page {
            signatures::initial_signatories(conn, &id)?
        } else {
            Vec::new()
        };
        Ok((
            st.counts.get(conn, &id)?,
            initial,
            signatures::public_page(conn, &id, after.as_ref(), SIGNATORIES_PAGE_SIZE)?,
        ))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let page = list_view::SignatoriesPage {
        letter: &letter,
        count,
        initial: &initial,
        public: &public,
        next_cursor: next.map(|c| c.encode()),
        is_first_page,
    };
    Ok(html(list_view::render(&ctx.tr(), &page)))
}
