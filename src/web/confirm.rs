//! The pages behind emailed links. A GET only shows a button; the POST acts.
//! Mail scanners follow links, so following one must never confirm or
//! withdraw anything.

use super::error::{ErrorKind, PageError};
use super::letter_cache::LetterKey;
use super::limits::Action;
use super::public::signer_version;
use super::{run_confirm, run_db, run_write, AppState, Change, Ctx};
use crate::actions;
use crate::db::letters::{self, Letter};
use crate::db::signatures::{self, LinkError, TokenTarget};
use crate::db::tokens::Purpose;
use crate::domain::{Token, TokenHash};
use crate::i18n::Arg;
use crate::model::LetterId;
use crate::views::{links, message};
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use std::sync::Arc;

/// Headers for a page whose URL holds a token: it must not leak to other
/// sites through Referer, nor sit in a shared cache.
pub fn no_referrer(mut builder: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    builder
        .content_type("text/html; charset=utf-8")
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    builder
}

fn page(markup: Markup) -> HttpResponse {
    no_referrer(HttpResponse::Ok()).body(markup.into_string())
}

/// The hash of an emailed link's token; a token that cannot be one is an
/// unknown link. Shared by every page behind an emailed link.
pub fn parse(ctx: &Ctx, raw: &str) -> Result<TokenHash, PageError> {
    parse_token(ctx, raw).map(|t| t.hash())
}

/// [`parse`], keeping the token itself: the confirmation derives the
/// email's other links from it.
fn parse_token(ctx: &Ctx, raw: &str) -> Result<Token, PageError> {
    Token::parse(raw).map_err(|_| ctx.error(ErrorKind::LinkUnknown))
}

async fn letter_by_id(ctx: &Ctx, state: &web::Data<AppState>, id: LetterId) -> Result<Letter, PageError> {
    let key = LetterKey::Id(id.clone());
    state
        .caches
        .letters
        .get_or_load(key, || {
            let id = id.clone();
            run_db(state, move |conn| letters::find_by_id(conn, &id))
        })
        .await
        .map_err(|k| ctx.error(k))?
        .map(Arc::unwrap_or_clone)
        .ok_or_else(|| ctx.error(ErrorKind::LinkUnknown))
}

pub async fn link_error(ctx: Ctx, state: &web::Data<AppState>, e: LinkError) -> PageError {
    match e {
        LinkError::Unknown => ctx.error(ErrorKind::LinkUnknown),
        LinkError::Used => ctx.error(ErrorKind::LinkUsed),
        LinkError::Replaced => ctx.error(ErrorKind::LinkReplaced),
        LinkError::Expired => ctx.error(ErrorKind::LinkExpired),
        LinkError::NotConfirmed => ctx.error(ErrorKind::NotConfirmedYet),
        LinkError::LetterClosed { letter_id } => match letter_by_id(&ctx, state, letter_id).await {
            Ok(letter) => {
                let ctx = ctx.for_letter(letter.language);
                ctx.error(ErrorKind::LetterClosed)
                    .with_back(links::letter(&letter.slug), letter.title)
            }
            Err(e) => e,
        },
    }
}

/// What a link led to, or the page for why it led nowhere.
async fn or_link_error<T>(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    found: Result<Result<T, LinkError>, ErrorKind>,
) -> Result<T, PageError> {
    match found.map_err(|k| ctx.error(k))? {
        Ok(t) => Ok(t),
        Err(e) => Err(link_error(ctx.clone(), state, e).await),
    }
}

/// The signature a link shown by a GET is for, its letter, and the context
/// to answer in the signer's language.
async fn link_target(
    ctx: Ctx,
    state: &web::Data<AppState>,
    raw_token: &str,
    purpose: Purpose,
) -> Result<(Ctx, TokenTarget, Letter), PageError> {
    let hash = parse(&ctx, raw_token)?;
    let found = run_db(state, move |conn| {
        signatures::lookup_link(conn, &hash, purpose, crate::db::now())
    })
    .await;
    let target = or_link_error(&ctx, state, found).await?;
    let letter = letter_by_id(&ctx, state, target.letter_id.clone()).await?;
    let (ctx, letter) = signer_version(ctx, state, letter, target.content.language).await?;
    Ok((ctx, target, letter))
}

pub async fn confirm_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (ctx, target, letter) = link_target(ctx, &state, &path, Purpose::Confirm).await?;
    let tr = ctx.tr();
    let body = tr.ta(
        "confirm-body",
        &[
            ("name", target.signer_name().into()),
            ("title", letter.title.as_str().into()),
        ],
    );
    let back = links::letter(&letter.slug);
    // The button confirms the content its link was issued for; the page
    // states all of it first.
    Ok(page(message::action_with(
        &tr,
        &links::confirm(&path),
        &tr.t("confirm-heading"),
        &body,
        crate::views::proposal::render(&tr, &target.content),
        &tr.t("confirm-button"),
        Some((&back, &letter.title)),
    )))
}

pub async fn confirm(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    state.limit(&ctx, Action::Confirm).await?;
    let token = parse_token(&ctx, &path)?;
    let key = state.services.links.clone();
    let result = run_confirm(&state, token, key).await;
    let confirmed = or_link_error(&ctx, &state, result).await?;
    state.signatures_changed(
        &confirmed.letter_id,
        i64::from(confirmed.newly_confirmed),
        Change::Added,
    );
    if confirmed.newly_confirmed {
        super::metrics::Metrics::bump(&state.services.metrics.signatures_confirmed);
    }
    let letter = letter_by_id(&ctx, &state, confirmed.letter_id.clone()).await?;
    let (ctx, letter) = signer_version(ctx, &state, letter, confirmed.content.language).await?;
    if confirmed.newly_confirmed {
        tracing::info!(letter = %letter.slug, "signature confirmed");
    }
    let count = super::count_of(&state, &letter.id)
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(page(confirmed_page(&ctx, &state, &letter, &confirmed, count)))
}

/// What the signer reads once confirmed: where their name stands, the
/// count with theirs in it and an invitation to share, and their links.
fn confirmed_page(
    ctx: &Ctx,
    state: &AppState,
    letter: &Letter,
    confirmed: &signatures::Confirmed,
    count: i64,
) -> Markup {
    let tr = ctx.tr();
    let body = if !confirmed.newly_confirmed {
        tr.t("already-confirmed-body")
    } else if !confirmed.content.is_public {
        tr.t("confirmed-body-count-only")
    } else if confirmed.moderation == crate::domain::Moderation::Shown {
        tr.t("confirmed-body")
    } else {
        tr.t("confirmed-body-held")
    };
    let withdraw_path = links::withdraw(confirmed.withdraw.as_str());
    let extra = html! {
        (crate::views::proposal::confirmed(&tr, &confirmed.content))
        @if letter.is_public() {
            (state.caches.shares.block(&tr, letter, count, &state.settings.base_url))
        }
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
        p.manage { a href=(links::manage(confirmed.manage.as_str())) { (tr.t("manage-link")) } }
        p.withdraw { (tr.t("withdraw-intro")) " " a href=(withdraw_path) { (tr.t("withdraw-link")) } }
    };
    message::render(&tr, &ctx.path, &tr.t("confirmed-heading"), &body, extra)
}

pub async fn withdraw_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (ctx, target, letter) = link_target(ctx, &state, &path, Purpose::Withdraw).await?;
    let tr = ctx.tr();
    let body = tr.ta(
        "withdraw-body",
        &[
            ("name", Arg::Str(target.content.name)),
            ("title", letter.title.as_str().into()),
        ],
    );
    let back = links::letter(&letter.slug);
    Ok(page(message::action(
        &tr,
        &links::withdraw(&path),
        &tr.t("withdraw-heading"),
        &body,
        &tr.t("withdraw-button"),
        Some((&back, &letter.title)),
    )))
}

pub async fn withdraw(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    withdraw_through(ctx, &state, &path, Purpose::Withdraw).await
}

/// Withdraws through a withdrawal link, or a manage link's button: the
/// same erasure, count, metrics and page either way.
pub async fn withdraw_through(
    ctx: Ctx,
    state: &web::Data<AppState>,
    raw_token: &str,
    purpose: Purpose,
) -> Result<HttpResponse, PageError> {
    state.limit(&ctx, Action::Withdraw).await?;
    let hash = parse(&ctx, raw_token)?;
    let result = run_write(state, move |tx| {
        actions::signing::withdraw(tx, &hash, purpose, crate::db::now())
    })
    .await;
    let withdrawn = or_link_error(&ctx, state, result).await?;
    state.signatures_changed(
        &withdrawn.letter_id,
        -i64::from(withdrawn.was_counted),
        Change::Altered,
    );
    super::metrics::Metrics::bump(&state.services.metrics.signatures_withdrawn);
    let letter = letter_by_id(&ctx, state, withdrawn.letter_id).await?;
    let (ctx, letter) = signer_version(ctx, state, letter, withdrawn.language).await?;
    let tr = ctx.tr();
    tracing::info!(letter = %letter.slug, was_confirmed = withdrawn.was_confirmed, "signature withdrawn");
    let extra = html! {
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
    };
    Ok(page(message::render(
        &tr,
        &ctx.path,
        &tr.t("withdrawn-heading"),
        &tr.t("withdrawn-body"),
        extra,
    )))
}
