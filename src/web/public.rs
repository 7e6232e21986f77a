use super::error::{ErrorKind, PageError};
use super::http_cache;
use super::letter_cache::LetterKey;
use super::page_cache::{CachedPage, PageKey, PageKind};
use super::{run_db, AppState, Ctx};
use crate::db::letters::{self, Letter};
use crate::db::signatures::{self, PublicSignatory};
use crate::domain::Slug;
use crate::views::{self, check_email, home as home_view, letter as letter_view};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use std::sync::Arc;

pub const LATEST_ON_LETTER_PAGE: i64 = 10;
pub const SIGNATORIES_PAGE_SIZE: i64 = 100;

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

/// The published and closed letters, newest first, with their counts: the
/// home page and the API list the same ones.
pub async fn public_letters_with_counts(
    state: &web::Data<AppState>,
) -> Result<Vec<(Letter, i64)>, ErrorKind> {
    let st = state.clone();
    run_db(state, move |conn| {
        letters::list_public(conn)?
            .into_iter()
            .map(|l| {
                let count = st.caches.counts.get(conn, &l.id)?;
                Ok((l, count))
            })
            .collect()
    })
    .await
}

/// A public letter, and the context to answer about it in its language.
pub async fn public_letter_in_its_language(
    ctx: Ctx,
    state: &web::Data<AppState>,
    slug: &str,
) -> Result<(Ctx, Letter), PageError> {
    let letter = public_letter(&ctx, state, slug).await?;
    Ok((ctx.for_letter(letter.language), letter))
}

pub async fn home(ctx: Ctx, state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, PageError> {
    let letters = public_letters_with_counts(&state)
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(http_cache::public_html(
        &req,
        home_view::render(&ctx.tr(), &letters).into_string(),
        &state.settings.shared_cache,
    ))
}

/// Finds a letter the public may see. Drafts, and slugs that could not be a
/// letter's, answer as not found.
pub async fn public_letter(ctx: &Ctx, state: &web::Data<AppState>, slug: &str) -> Result<Letter, PageError> {
    cached_public_letter(state, slug)
        .await
        .map_err(|k| ctx.error(k))?
        .ok_or_else(|| ctx.error(ErrorKind::NotFound))
}

/// One of a public letter's pages that every reader in a language shares
/// (a list's first page, the figures), kept rendered with the letter pages
/// and dropped by the changes it shows (`page_cache::Change`). The
/// letter is found as its page finds it, so this answers 404 exactly when
/// that does; `render` makes the page's HTML on a miss.
pub async fn kept_letter_page<Fut>(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    req: &HttpRequest,
    slug: String,
    kind: PageKind,
    render: impl Fn(Letter) -> Fut,
) -> Result<HttpResponse, PageError>
where
    Fut: std::future::Future<Output = Result<String, PageError>>,
{
    let key = PageKey::page(slug, kind, ctx.explicit(), ctx.preferred());
    let kept = |letter: Letter| {
        let (id, until) = (letter.id.clone(), letter.changes_at());
        let body = render(letter);
        async move {
            let until = until.map(super::page_cache::instant_at);
            Ok(CachedPage::whole(id, body.await?).good_until(until))
        }
    };
    let page = state
        .caches
        .pages
        .get_or_render(&key, || public_letter(ctx, state, &key.slug), kept)
        .await?;
    Ok(page.response(req, &state.settings.shared_cache))
}

/// A public letter by its slug, from this process's letter cache (no
/// database round trip on a hit); `None` for a draft, an embargo or no
/// letter at all. The pages and the API read letters through it.
pub async fn cached_public_letter(
    state: &web::Data<AppState>,
    slug: &str,
) -> Result<Option<Letter>, ErrorKind> {
    let Ok(slug) = Slug::parse(slug) else {
        return Ok(None);
    };
    let key = LetterKey::Slug(slug.as_str().to_string());
    let letter = state
        .caches
        .letters
        .get_or_load(key, || {
            let slug = slug.clone();
            run_db(state, move |conn| letters::find_by_slug(conn, slug.as_str()))
        })
        .await?;
    Ok(letter
        .filter(|letter| letter.is_public())
        .map(Arc::unwrap_or_clone))
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
            count: st.caches.counts.get(conn, &id)?,
            initial: signatures::initial_signatories(conn, &id)?,
            latest: signatures::latest_public(conn, &id, LATEST_ON_LETTER_PAGE)?,
        })
    })
    .await
    .map_err(|k| ctx.error(k))
}

/// The context to answer a letter's reader in, and the letter's text to
/// show: the interface in the reader's language (by switch, then browser),
/// the text in that language when the letter has a version in it, else in
/// its own. A reader who asks for no language we speak gets the letter's.
pub async fn reader_version(
    ctx: Ctx,
    state: &web::Data<AppState>,
    letter: Letter,
) -> Result<(Ctx, Letter), PageError> {
    match ctx.preferred() {
        Some(lang) if lang != letter.language => {
            let found = translation(&ctx, state, &letter, lang).await?;
            Ok((
                ctx.with_lang(lang),
                crate::db::translations::localized(&letter, found),
            ))
        }
        _ => Ok((ctx.for_letter(letter.language), letter)),
    }
}

/// A signer's page (behind an emailed link): the interface in the
/// language they signed in, unless they switch, and the letter in that
/// language when it has a version in it.
pub async fn signer_version(
    ctx: Ctx,
    state: &web::Data<AppState>,
    letter: Letter,
    signed_in: crate::domain::Lang,
) -> Result<(Ctx, Letter), PageError> {
    let lang = ctx.explicit().unwrap_or(signed_in);
    let ctx = ctx.with_lang(lang);
    if lang == letter.language {
        return Ok((ctx, letter));
    }
    let found = translation(&ctx, state, &letter, lang).await?;
    Ok((ctx, crate::db::translations::localized(&letter, found)))
}

/// The letter's text in `lang`, if it has one.
async fn translation(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    letter: &Letter,
    lang: crate::domain::Lang,
) -> Result<Option<crate::db::translations::Translation>, PageError> {
    let id = letter.id.clone();
    run_db(state, move |conn| crate::db::translations::find(conn, &id, lang))
        .await
        .map_err(|k| ctx.error(k))
}

pub async fn letter(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, PageError> {
    // Borrowed, not extracted: extracting clones the state's `Arc`, a
    // count both HTTP workers would write on every letter page.
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Err(ctx.error(ErrorKind::Internal));
    };
    // Read as routed rather than through `web::Path`, whose serde
    // decoding was a hundredth of the page's instructions. The two differ
    // only on an escaped `/`, `%` or `+`, which no slug holds: such a
    // path finds no letter either way.
    let slug = req.match_info().query("slug").to_owned();
    // The page depends on the language asked for, by switch or browser,
    // since a letter may have a version in each language.
    let key = PageKey::page(slug, PageKind::Letter, ctx.explicit(), ctx.preferred());
    let page = state
        .caches
        .pages
        .get_or_render_here(
            &key,
            || public_letter(&ctx, state, &key.slug),
            |letter| render_letter_page(ctx.clone(), state, letter),
        )
        .await?;
    let now = AppState::now_ms();
    let body = page.body_at(http_cache::accepts_gzip(&req), now, || {
        state
            .services
            .forms
            .issue(&super::sign::form_purpose(&page.letter_id), now)
    });
    Ok(http_cache::respond(
        &req,
        http_cache::HTML,
        body,
        &page.tags_at(now),
        state.settings.shared_cache.at_most(page.holds_for()),
    ))
}

/// The letter page with a placeholder where the form token goes, for the
/// page cache.
async fn render_letter_page(
    ctx: Ctx,
    state: &web::Data<AppState>,
    letter: Letter,
) -> Result<CachedPage, PageError> {
    let (ctx, letter) = reader_version(ctx, state, letter).await?;
    let data = letter_page_data(&ctx, state, &letter).await?;
    let page = letter_view::LetterPage {
        letter: &letter,
        count: Some(data.count),
        initial: &data.initial,
        latest: &data.latest,
        form: &views::sign_form::SignFormValues {
            form_token: state.caches.pages.placeholder().to_string(),
            ..views::sign_form::SignFormValues::blank()
        },
        errors: &Default::default(),
        preview: None,
        base_url: Some(&state.settings.base_url),
        site_officer: &state.settings.privacy_officer,
    };
    let html = letter_view::render(&ctx.tr(), &page).into_string();
    // The form goes at the scheduled closing: the copy ends there.
    let until = letter.changes_at().map(super::page_cache::instant_at);
    Ok(CachedPage::new(letter.id.clone(), &html, state.caches.pages.placeholder()).good_until(until))
}

pub async fn versions(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let letter = public_letter(&ctx, &state, &path).await?;
    let (ctx, letter) = reader_version(ctx, &state, letter).await?;
    let id = letter.id.clone();
    let list = run_db(&state, move |conn| crate::db::versions::list_full(conn, &id))
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(html(views::versions::render(&ctx.tr(), &letter, &list)))
}

pub async fn check_email(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let letter = public_letter(&ctx, &state, &path).await?;
    let (ctx, letter) = reader_version(ctx, &state, letter).await?;
    let count = super::count_of(&state, &letter.id)
        .await
        .map_err(|k| ctx.error(k))?;
    let tr = ctx.tr();
    let share = state
        .caches
        .shares
        .block(&tr, &letter, count, &state.settings.base_url);
    Ok(html(check_email::render(&tr, &letter, share)))
}
