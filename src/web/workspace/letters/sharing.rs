//! Sharing a letter with co-editors, changing its team, and its audit log.

use crate::actions::letters as actions;
use crate::actions::team::{self, TeamChange, TeamOutcome};
use crate::db::editors::Role;
use crate::db::{self, audit};
use crate::model::OrganizerId;
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
        crate::views::workspace::team::audit(&ctx.tr(), access.who(), &access.letter, &entries),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TeamAction {
    Remove,
    Owner,
    Editor,
    Transfer,
}

#[derive(Deserialize)]
pub struct TeamForm {
    action: TeamAction,
}

/// An owner removes a member, changes their role, or hands the letter
/// over to them (`/letters/{id}/editors/{oid}`). The use case checks who
/// may, and that the letter keeps an owner.
pub async fn change_member(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, TeamForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WsError> {
    let member = OrganizerId::from_raw(path.into_inner().1);
    let change = match form.action {
        TeamAction::Remove => TeamChange::Remove,
        TeamAction::Owner => TeamChange::Role(Role::Owner),
        TeamAction::Editor => TeamChange::Role(Role::Editor),
        TeamAction::Transfer => TeamChange::Transfer,
    };
    let (actor, id, target) = (access.actor(), access.id().clone(), member.clone());
    let outcome = act(&ctx, &state, move |tx| {
        team::change(tx, &actor, &id, &target, change, db::now())
    })
    .await?;
    let back = view::ws_letter(access.id());
    match outcome {
        TeamOutcome::Done if change == TeamChange::Remove && member == access.current.organizer.id => {
            // They took themself off the letter: it is no longer theirs to see.
            Ok(see("/workspace"))
        }
        TeamOutcome::Done => Ok(see(format!("{back}?team=1"))),
        TeamOutcome::LastOwner => {
            let tr = ctx.tr();
            let extra = maud::html! { p { a href=(back) { "← " (tr.t("ws-back")) } } };
            let (heading, body) = (tr.t("ws-team-refused"), tr.t("ws-team-last-owner"));
            let page = crate::views::message::render(&tr, &back, &heading, &body, extra);
            Ok(html(StatusCode::CONFLICT, page))
        }
    }
}
