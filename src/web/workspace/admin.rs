//! Admins manage organizer accounts: every account, invitations sent by
//! email, disabling and enabling, and the site-wide part of the audit log.

use super::extract::{act, WithForm};
use super::session::{Current, WsError};
use crate::actions::organizers::{self as actions, AccountOutcome};
use crate::db;
use crate::db::organizers::{self, CreateOutcome, Organizer};
use crate::domain::{Email, Token};
use crate::model::OrganizerId;
use crate::views::workspace::team::{self as view, Accounts};
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// What the page says besides the accounts.
#[derive(Default)]
struct Said<'a> {
    invited: Option<&'a str>,
    errors: Vec<String>,
    typed: (&'a str, bool),
}

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    current: &Current,
    said: Said<'_>,
    status: StatusCode,
) -> Result<HttpResponse, WsError> {
    let (list, log) = run_db(state, |conn| {
        Ok((organizers::list(conn)?, db::audit::site_wide(conn, 100)?))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let accounts = Accounts {
        list: &list,
        invited: said.invited,
        errors: &said.errors,
        typed: said.typed,
        log: &log,
    };
    let markup = view::organizers(&ctx.tr(), (&current.organizer, &current.csrf), &accounts);
    Ok(super::access::html(status, markup))
}

pub async fn list(ctx: Ctx, state: web::Data<AppState>, current: Current) -> Result<HttpResponse, WsError> {
    current.require_admin(&ctx)?;
    render(&ctx, &state, &current, Said::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    admin: Option<String>,
}

/// An admin invites an organizer: the account is made and the setup link
/// emailed (in the admin's language), or the page says why not and keeps
/// what was typed.
pub async fn create(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: current, form }: WithForm<Current, InviteForm>,
) -> Result<HttpResponse, WsError> {
    current.require_admin(&ctx)?;
    let admin = form.admin.is_some();
    let typed = (form.email.as_str(), admin);
    let Ok(email) = Email::parse(&form.email) else {
        let said = Said {
            errors: vec![ctx.tr().t("error-email-invalid")],
            typed,
            ..Said::default()
        };
        return render(&ctx, &state, &current, said, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let (actor, address) = (current.actor(), email.as_str().to_string());
    let (i18n, base, lang) = (
        state.services.i18n.clone(),
        state.settings.base_url.clone(),
        ctx.lang,
    );
    let outcome = act(&ctx, &state, move |tx| {
        let tr = i18n.tr(lang);
        let mail = |o: &Organizer, t: &Token| actions::invitation_mail(&tr, &base, &actor.email, o, t);
        actions::invite(tx, &actor, &address, admin, &mail, db::now())
    })
    .await?;
    match outcome {
        CreateOutcome::Created { .. } => {
            state.services.waker.wake();
            let said = Said {
                invited: Some(email.as_str()),
                ..Said::default()
            };
            render(&ctx, &state, &current, said, StatusCode::OK).await
        }
        CreateOutcome::AlreadyExists => {
            let said = Said {
                errors: vec![ctx.tr().t("ws-organizer-exists")],
                typed,
                ..Said::default()
            };
            render(&ctx, &state, &current, said, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
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

/// An admin disables or enables an account. The use case refuses an
/// admin's own account (so an enabled admin always remains); the page
/// says so.
pub async fn update(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: current, form }: WithForm<Current, AccountForm>,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    current.require_admin(&ctx)?;
    let id = OrganizerId::from_raw(path.into_inner());
    let (actor, disabled) = (current.actor(), matches!(form.action, AccountChange::Disable));
    let outcome = act(&ctx, &state, move |tx| {
        actions::set_disabled(tx, &actor, &id, disabled, db::now())
    })
    .await?;
    if outcome == AccountOutcome::Done {
        return Ok(super::access::see("/workspace/organizers"));
    }
    let said = Said {
        errors: vec![ctx.tr().t("ws-disable-yourself")],
        ..Said::default()
    };
    render(&ctx, &state, &current, said, StatusCode::CONFLICT).await
}
