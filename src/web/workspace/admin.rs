//! Admins manage organizer accounts.

use super::access::form;
use super::session::{check_csrf, require, WsError};
use crate::db::organizers::{self, CreateOutcome};
use crate::db::{self, audit};
use crate::domain::Email;
use crate::views::workspace::letters as view;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    current: &super::session::Current,
    created: Option<(&str, &str)>,
    errors: &[String],
    status: StatusCode,
) -> Result<HttpResponse, WsError> {
    let list = run_db(state, organizers::list).await.map_err(|k| ctx.error(k))?;
    let markup = view::organizers(
        &ctx.tr(),
        (&current.organizer, &current.csrf),
        &list,
        created,
        errors,
    );
    Ok(super::access::html(status, markup))
}

pub async fn list(ctx: Ctx, state: web::Data<AppState>, session: Session) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    super::access::require_admin(&ctx, &current)?;
    render(&ctx, &state, &current, None, &[], StatusCode::OK).await
}

pub async fn create(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    super::access::require_admin(&ctx, &current)?;
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    let tr = ctx.tr();
    let Ok(email) = Email::parse(first(&pairs, "email").unwrap_or("")) else {
        return render(
            &ctx,
            &state,
            &current,
            None,
            &[tr.t("error-email-invalid")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let is_admin = first(&pairs, "admin").is_some();
    let by = current.organizer.id.clone();
    let address = email.as_str().to_string();
    let outcome = run_db(&state, move |conn| {
        let now = db::now();
        let outcome = organizers::create(conn, &address, is_admin, now)?;
        if matches!(outcome, CreateOutcome::Created { .. }) {
            audit::record(conn, Some(&by), None, "organizer-created", &address, now)?;
        }
        Ok(outcome)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match outcome {
        CreateOutcome::Created { setup, .. } => {
            let link = state.url(&format!("/workspace/setup/{}", setup.as_str()));
            render(
                &ctx,
                &state,
                &current,
                Some((email.as_str(), &link)),
                &[],
                StatusCode::OK,
            )
            .await
        }
        CreateOutcome::AlreadyExists => {
            render(
                &ctx,
                &state,
                &current,
                None,
                &[tr.t("ws-organizer-exists")],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn update(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    super::access::require_admin(&ctx, &current)?;
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    let disabled = match first(&pairs, "action") {
        Some("disable") => true,
        Some("enable") => false,
        _ => return Err(WsError::Page(ctx.error(ErrorKind::BadRequest))),
    };
    let id = path.into_inner();
    if id == current.organizer.id {
        return Err(WsError::Page(ctx.error(ErrorKind::BadRequest)));
    }
    let by = current.organizer.id.clone();
    let found = run_db(&state, move |conn| {
        let Some(o) = organizers::find(conn, &id)? else {
            return Ok(false);
        };
        let now = db::now();
        organizers::set_disabled(conn, &o.id, disabled, now)?;
        let action = if disabled {
            "organizer-disabled"
        } else {
            "organizer-enabled"
        };
        audit::record(conn, Some(&by), None, action, &o.email, now)?;
        Ok(true)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    if !found {
        return Err(WsError::Page(ctx.error(ErrorKind::NotFound)));
    }
    Ok(super::access::see("/workspace/organizers"))
}
