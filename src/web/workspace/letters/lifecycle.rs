//! A letter's life cycle: publish, close, reopen, schedule closing,
//! archive, anonymise.

use crate::actions::letters::{self as actions, Lifecycle};
use crate::actions::{Outcome, Refused, Tx};
use crate::db;
use crate::model::LetterStatus;
use crate::views::workspace::letters as view;
use crate::views::workspace::TypedTime;
use crate::web::error::{BadTime, ErrorKind};
use crate::web::workspace::access::{html, see};
use crate::web::workspace::extract::{act, refused, LetterAccess, WithForm};
use crate::web::workspace::session::WsError;
use crate::web::{run_write, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;

pub async fn publish_page(ctx: Ctx, access: LetterAccess) -> Result<HttpResponse, WsError> {
    if access.letter.status() != LetterStatus::Draft {
        return Ok(see(view::ws_letter(access.id())));
    }
    Ok(html(
        StatusCode::OK,
        crate::views::workspace::publish::confirm(&ctx.tr(), access.who(), &access.letter, None),
    ))
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    publish_at: String,
}

/// Runs a use case that sets a time; one already past comes back as
/// `Err` for the form to show beside the field.
async fn scheduling<T, F>(ctx: &Ctx, state: &web::Data<AppState>, f: F) -> Result<Result<T, BadTime>, WsError>
where
    F: Fn(&mut Tx<'_>) -> Outcome<T> + Send + 'static,
    T: Send + 'static,
{
    match run_write(state, f).await.map_err(|k| ctx.error(k))? {
        Ok(done) => Ok(Ok(done)),
        Err(Refused::InThePast) => Ok(Err(BadTime::Past)),
        Err(why) => Err(refused(ctx, why)),
    }
}

/// A time typed on the site's clock; empty: none.
fn typed_time(ctx: &Ctx, text: &str) -> Result<Option<NaiveDateTime>, BadTime> {
    match text.trim() {
        "" => Ok(None),
        text => ctx.tr().zone().parse_input(text).map(Some).map_err(BadTime::from),
    }
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
        let done = match typed_time(&ctx, &form.publish_at) {
            Ok(at) => {
                scheduling(&ctx, &state, move |tx| {
                    crate::actions::schedule::schedule_publication(tx, &actor, &id, at, db::now())
                })
                .await?
            }
            Err(why) => Err(why),
        };
        if let Err(why) = done {
            let error = ctx.tr().t(why.message_id());
            let typed = TypedTime {
                value: &form.publish_at,
                error: &error,
            };
            let page = crate::views::workspace::publish::confirm(
                &ctx.tr(),
                access.who(),
                &access.letter,
                Some(typed),
            );
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
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
    fn change(&self, ctx: &Ctx) -> Result<Result<Lifecycle, BadTime>, ErrorKind> {
        Ok(Ok(match self.action.as_str() {
            "close" => Lifecycle::Close,
            "reopen" => Lifecycle::Reopen,
            "schedule" => match typed_time(ctx, &self.close_at) {
                Ok(at) => Lifecycle::ScheduleClose(at),
                Err(why) => return Ok(Err(why)),
            },
            "archive" => Lifecycle::Archive,
            "unarchive" => Lifecycle::Unarchive,
            "anonymise" => Lifecycle::Anonymise,
            _ => return Err(ErrorKind::BadRequest),
        }))
    }
}

/// Close, reopen, schedule closing, archive and unarchive; anonymise for
/// owners. A closing time that cannot be used comes back on the dashboard,
/// as typed, with its reason.
pub async fn status(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, StatusForm>,
) -> Result<HttpResponse, WsError> {
    let change = form.change(&ctx).map_err(|k| {
        ctx.error(k)
            .with_back(view::ws_letter(access.id()), access.letter.title.clone())
    })?;
    let (actor, id) = (access.actor(), access.id().clone());
    let done = match change {
        Ok(change) => {
            scheduling(&ctx, &state, move |tx| {
                actions::change(tx, &actor, &id, change, db::now())
            })
            .await?
        }
        Err(why) => Err(why),
    };
    if let Err(why) = done {
        let error = ctx.tr().t(why.message_id());
        let typed = TypedTime {
            value: &form.close_at,
            error: &error,
        };
        return super::dashboard::render(&ctx, &state, access, None, Some(typed)).await;
    }
    state.letter_changed(access.id());
    Ok(see(view::ws_letter(access.id())))
}
