//! What only a letter's owners do: share it with co-editors, read its
//! audit log.

use super::who;
use crate::db::editors::{self, Role};
use crate::db::{self, audit, organizers};
use crate::views::workspace::letters as view;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::workspace::access::{self, form, html, see};
use crate::web::workspace::session::{check_csrf, require, WsError};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

/// An owner shares the letter with another organizer as co-editor.
pub async fn add_editor(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, role) = access::letter(&ctx, &state, &current, &path).await?;
    access::require_owner(&ctx, &current, role)?;
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    let email = first(&pairs, "email").unwrap_or("").trim().to_lowercase();
    let by = current.organizer.id.clone();
    let id = letter.id.clone();
    let added = run_db(&state, move |conn| {
        let Some(o) = organizers::find_by_email(conn, &email)? else {
            return Ok(false);
        };
        let now = db::now();
        if editors::role_of(conn, &id, &o.id)? != Some(Role::Owner) {
            editors::grant(conn, &id, &o.id, Role::Editor, now)?;
        }
        audit::record(conn, Some(&by), Some(&id), "editor-added", &o.email, now)?;
        Ok(true)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    if !added {
        let tr = ctx.tr();
        return Err(WsError::Page(
            ctx.error(ErrorKind::NotFound)
                .with_back(view::ws_letter(&letter.id), tr.t("ws-back")),
        ));
    }
    Ok(see(format!("{}?shared=1", view::ws_letter(&letter.id))))
}

pub async fn audit(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, role) = access::letter(&ctx, &state, &current, &path).await?;
    access::require_owner(&ctx, &current, role)?;
    let id = letter.id.clone();
    let entries = run_db(&state, move |conn| audit::for_letter(conn, &id, 500))
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(html(
        StatusCode::OK,
        view::audit(&ctx.tr(), who(&current), &letter, &entries),
    ))
}
