//! "No more news", from the link and the one-click header of a message to
//! signers (RFC 8058). The token in the address is the credential, and it
//! can do nothing else (`Purpose::Unsubscribe`); the GET only asks, so that a link scanner
//! opening it changes nothing, and the POST, from the page's button or a
//! mail client's one click, stops the news. The signature stays.

use super::body::read_limited;
use super::confirm::parse;
use super::error::{ErrorKind, PageError};
use super::limits::Action;
use super::{run_db, run_write, AppState, Ctx};
use crate::db::letters;
use crate::db::tokens::Purpose;
use crate::domain::TokenHash;
use crate::i18n::Arg;
use crate::views::layout;
use crate::views::links;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::html;

/// The letter's title in the signer's language, for the page.
async fn title(ctx: &Ctx, state: &web::Data<AppState>, hash: TokenHash) -> Result<String, PageError> {
    let found = run_db(state, move |conn| {
        let target =
            match crate::db::signatures::lookup_link(conn, &hash, Purpose::Unsubscribe, crate::db::now())? {
                Ok(t) => t,
                Err(e) => return Ok(Err(e)),
            };
        Ok(Ok(letters::find_by_id(conn, &target.letter_id)?.map(|l| l.title)))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match found {
        Ok(Some(title)) => Ok(title),
        Ok(None) => Err(ctx.error(ErrorKind::LinkUnknown)),
        Err(e) => Err(super::confirm::link_error(ctx.clone(), state, e).await),
    }
}

fn private(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

pub async fn ask(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let title = title(&ctx, &state, parse(&ctx, &path)?).await?;
    let tr = ctx.tr();
    let action = links::unsubscribe(&path);
    let content = html! {
        h1 { (tr.t("unsubscribe-heading")) }
        p { (tr.ta("unsubscribe-ask", &[("title", Arg::from(title.as_str()))])) }
        form method="post" action=(action) {
            input type="hidden" name="List-Unsubscribe" value="One-Click";
            button type="submit" { (tr.t("unsubscribe-button")) }
        }
    };
    Ok(private(
        layout::page(&tr, &tr.t("unsubscribe-heading"), &action, content).into_string(),
    ))
}

pub async fn stop(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    state.limit(&ctx, Action::Manage).await?;
    // The body says only "List-Unsubscribe=One-Click"; it is read so that
    // an oversized one is refused like any other.
    read_limited(payload).await.map_err(|e| ctx.error(e.kind()))?;
    let token = parse(&ctx, &path)?;
    let title = title(&ctx, &state, token.clone()).await?;
    let done = run_write(&state, move |tx| {
        crate::actions::signing::stop_news(tx, &token, crate::db::now())
    })
    .await
    .map_err(|k| ctx.error(k))?;
    if let Err(e) = done {
        return Err(super::confirm::link_error(ctx.clone(), &state, e).await);
    }
    tracing::info!("a signer stopped the news");
    let tr = ctx.tr();
    let content = html! {
        h1 { (tr.t("unsubscribe-heading")) }
        p role="status" { (tr.ta("unsubscribe-body", &[("title", Arg::from(title.as_str()))])) }
    };
    let path = links::unsubscribe(&path);
    Ok(private(
        layout::page(&tr, &tr.t("unsubscribe-heading"), &path, content).into_string(),
    ))
}
