//! Sharing a letter with co-editors, and its audit log.

use crate::actions::letters as actions;
use crate::db::{self, audit};
use crate::views::workspace::letters as view;
use crate::web::error::ErrorKind;
use crate::web::workspace::access::{html, see};
use crate::web::workspace::extract::{act, LetterAccess, WithForm};
use crate::web::workspace::session::WsError;
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    email: String,
}

/// An owner shares the letter with another organizer as co-editor.
pub async fn add_editor(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, ShareForm>,
) -> Result<HttpResponse, WsError> {
    let email = form.email.trim().to_lowercase();
    let (actor, id) = (access.actor(), access.id().clone());
    let added = act(&ctx, &state, move |tx| {
        actions::share(tx, &actor, &id, &email, db::now())
    })
    .await?;
    if !added {
        let back = (view::ws_letter(access.id()), ctx.tr().t("ws-back"));
        return Err(WsError::Page(
            ctx.error(ErrorKind::NotFound).with_back(back.0, back.1),
        ));
    }
    Ok(see(format!("{}?shared=1", view::ws_letter(access.id()))))
}

pub async fn audit(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
) -> Result<HttpResponse, WsError> {
    if !access.owns() {
        return Err(WsError::Page(ctx.error(ErrorKind::Forbidden)));
    }
    let id = access.id().clone();
    let entries = run_db(&state, move |conn| audit::for_letter(conn, &id, 500))
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(html(
        StatusCode::OK,
        view::audit(&ctx.tr(), access.who(), &access.letter, &entries),
    ))
}
