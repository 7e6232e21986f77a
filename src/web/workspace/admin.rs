//! Admins manage organizer accounts.

use super::extract::{act, WithForm};
use super::session::{Current, WsError};
use crate::actions::organizers as actions;
use crate::db;
use crate::db::organizers::{self, CreateOutcome};
use crate::domain::Email;
use crate::model::OrganizerId;
use crate::views::workspace::letters as view;
use crate::web::error::ErrorKind;
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    current: &Current,
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

pub async fn list(ctx: Ctx, state: web::Data<AppState>, current: Current) -> Result<HttpResponse, WsError> {
    current.require_admin(&ctx)?;
    render(&ctx, &state, &current, None, &[], StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    admin: Option<String>,
}

/// An admin invites an organizer; the page then shows the setup link to
/// pass on, or says why no account was made.
pub async fn create(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: current, form }: WithForm<Current, InviteForm>,
) -> Result<HttpResponse, WsError> {
    current.require_admin(&ctx)?;
    let email = Email::parse(&form.email).ok();
    let outcome = match &email {
        None => None,
        Some(email) => {
            let (actor, admin, address) = (current.actor(), form.admin.is_some(), email.as_str().to_string());
            Some(
                act(&ctx, &state, move |tx| {
                    actions::invite(tx, &actor, &address, admin, db::now())
                })
                .await?,
            )
        }
    };
    let (link, refusal) = match outcome {
        Some(CreateOutcome::Created { setup, .. }) => (
            Some(state.url(&format!("/workspace/setup/{}", setup.as_str()))),
            None,
        ),
        Some(CreateOutcome::AlreadyExists) => (None, Some("ws-organizer-exists")),
        None => (None, Some("error-email-invalid")),
    };
    let created = email.as_ref().zip(link.as_deref()).map(|(e, l)| (e.as_str(), l));
    let errors: Vec<String> = refusal.map(|id| ctx.tr().t(id)).into_iter().collect();
    let status = match refusal {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    render(&ctx, &state, &current, created, &errors, status).await
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountChange {
    Disable,
    Enable,
}

#[derive(Deserialize)]
pub struct AccountForm {
    action: AccountChange,
}

pub async fn update(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: current, form }: WithForm<Current, AccountForm>,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    current.require_admin(&ctx)?;
    let id = OrganizerId::from_raw(path.into_inner());
    if id == current.organizer.id {
        // An admin who disabled themselves would lock the door behind them.
        return Err(WsError::Page(ctx.error(ErrorKind::BadRequest)));
    }
    let (actor, disabled) = (current.actor(), matches!(form.action, AccountChange::Disable));
    act(&ctx, &state, move |tx| {
        actions::set_disabled(tx, &actor, &id, disabled, db::now())
    })
    .await?;
    Ok(super::access::see("/workspace/organizers"))
}
