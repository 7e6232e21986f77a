//! A letter's life cycle: publish, close, reopen, schedule closing,
//! archive, anonymise.

use crate::actions::letters::{self as actions, Lifecycle};
use crate::db;
use crate::domain::SiteZone;
use crate::model::LetterStatus;
use crate::views::workspace::letters as view;
use crate::web::error::ErrorKind;
use crate::web::workspace::access::{html, see};
use crate::web::workspace::extract::{act, LetterAccess, WithForm};
use crate::web::workspace::session::WsError;
use crate::web::{AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

pub async fn publish_page(ctx: Ctx, access: LetterAccess) -> Result<HttpResponse, WsError> {
    if access.letter.status() != LetterStatus::Draft {
        return Ok(see(view::ws_letter(access.id())));
    }
    Ok(html(
        StatusCode::OK,
        crate::views::workspace::publish::confirm(&ctx.tr(), access.who(), &access.letter),
    ))
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    publish_at: String,
}

/// Publishes now, or (`action=schedule`) sets or cancels the embargo: the
/// time, typed on the site's clock, when the draft publishes itself.
pub async fn publish(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, PublishForm>,
) -> Result<HttpResponse, WsError> {
    let (actor, id) = (access.actor(), access.id().clone());
    // Only the two buttons' actions: anything else (a typo, a stale form)
    // must not end an embargo by publishing.
    if !matches!(form.action.as_str(), "" | "publish" | "schedule") {
        return Err(ctx.error(ErrorKind::BadRequest).into());
    }
    if form.action == "schedule" {
        let at = match form.publish_at.trim() {
            "" => None,
            text => Some(ctx.tr().zone().parse_input(text).map_err(|e| {
                ctx.error(ErrorKind::BadTime(e.into())).with_back(
                    format!("{}/publish", view::ws_letter(access.id())),
                    access.letter.title.clone(),
                )
            })?),
        };
        act(&ctx, &state, move |tx| {
            crate::actions::schedule::schedule_publication(tx, &actor, &id, at, db::now())
        })
        .await?;
        return Ok(see(view::ws_letter(access.id())));
    }
    let published = act(&ctx, &state, move |tx| {
        actions::publish(tx, &actor, &id, db::now())
    })
    .await?;
    if published {
        state.letter_changed(access.id());
    }
    Ok(see(view::ws_letter(access.id())))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    close_at: String,
}

impl StatusForm {
    /// The change asked for; a closing time is typed in the site's zone.
    fn change(&self, zone: SiteZone) -> Result<Lifecycle, ErrorKind> {
        Ok(match self.action.as_str() {
            "close" => Lifecycle::Close,
            "reopen" => Lifecycle::Reopen,
            "schedule" => Lifecycle::ScheduleClose(match self.close_at.trim() {
                "" => None,
                text => Some(zone.parse_input(text).map_err(|e| ErrorKind::BadTime(e.into()))?),
            }),
            "archive" => Lifecycle::Archive,
            "unarchive" => Lifecycle::Unarchive,
            "anonymise" => Lifecycle::Anonymise,
            _ => return Err(ErrorKind::BadRequest),
        })
    }
}

/// Close, reopen, schedule closing, archive and unarchive; anonymise for
/// owners.
pub async fn status(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, StatusForm>,
) -> Result<HttpResponse, WsError> {
    let change = form.change(ctx.tr().zone()).map_err(|k| {
        ctx.error(k)
            .with_back(view::ws_letter(access.id()), access.letter.title.clone())
    })?;
    let (actor, id) = (access.actor(), access.id().clone());
    act(&ctx, &state, move |tx| {
        actions::change(tx, &actor, &id, change, db::now())
    })
    .await?;
    state.letter_changed(access.id());
    Ok(see(view::ws_letter(access.id())))
}
