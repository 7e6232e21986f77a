//! A letter's life cycle: publish, close, reopen, schedule closing,
//! archive, anonymise.

use super::who;
use crate::db::letters::{self, LetterStatus};
use crate::db::{self, audit};
use crate::views::workspace::letters as view;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::workspace::access::{self, html, see};
use crate::web::workspace::session::{require, WsError};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;

pub async fn publish_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, _) = access::letter(&ctx, &state, &current, &path).await?;
    if letter.status != LetterStatus::Draft {
        return Ok(see(view::ws_letter(&letter.id)));
    }
    Ok(html(
        StatusCode::OK,
        view::publish_confirm(&ctx.tr(), who(&current), &letter),
    ))
}

pub async fn publish(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, _) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    if letter.status == LetterStatus::Draft {
        let by = current.organizer.id.clone();
        let l = letter.clone();
        run_db(&state, move |conn| {
            let now = db::now();
            letters::publish(conn, &l.id, now)?;
            audit::record(conn, Some(&by), Some(&l.id), "letter-published", &l.slug, now)
        })
        .await
        .map_err(|k| ctx.error(k))?;
        state.letter_changed(&letter.id);
    }
    Ok(see(view::ws_letter(&letter.id)))
}

/// Close, reopen, schedule closing, archive and unarchive; anonymise for
/// owners.
pub async fn status(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, role, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let action = first(&pairs, "action").unwrap_or("").to_string();
    if action == "anonymise" {
        // Irreversible, and it ends the letter's life: owners only.
        access::require_owner(&ctx, &current, role)?;
    }
    let close_at = match action.as_str() {
        "schedule" => match first(&pairs, "close_at").map(str::trim).unwrap_or("") {
            "" => None,
            text => Some(
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                    .map_err(|_| ctx.error(ErrorKind::BadRequest))?,
            ),
        },
        _ => None,
    };
    let allowed = match (action.as_str(), letter.status) {
        ("close" | "schedule", LetterStatus::Published) => true,
        ("reopen", LetterStatus::Closed) => letter.anonymised_at.is_none(),
        ("archive" | "unarchive", LetterStatus::Published | LetterStatus::Closed) => true,
        ("anonymise", LetterStatus::Closed) => letter.anonymised_at.is_none(),
        _ => false,
    };
    if !allowed {
        return Err(WsError::Page(ctx.error(ErrorKind::BadRequest)));
    }
    let by = current.organizer.id.clone();
    let l = letter.clone();
    run_db(&state, move |conn| {
        let now = db::now();
        match action.as_str() {
            "close" => letters::set_status(conn, &l.id, LetterStatus::Closed, now)?,
            "reopen" => letters::set_status(conn, &l.id, LetterStatus::Published, now)?,
            "schedule" => letters::set_close_at(conn, &l.id, close_at, now)?,
            "archive" => letters::set_archived(conn, &l.id, true, now)?,
            "anonymise" => {
                crate::db::maintenance::anonymise_letter(conn, &l.id, now)?;
            }
            _ => letters::set_archived(conn, &l.id, false, now)?,
        }
        let detail = close_at.map(|t| t.to_string()).unwrap_or_default();
        audit::record(
            conn,
            Some(&by),
            Some(&l.id),
            &format!("letter-{action}"),
            &detail,
            now,
        )
    })
    .await
    .map_err(|k| ctx.error(k))?;
    state.letter_changed(&letter.id);
    Ok(see(view::ws_letter(&letter.id)))
}
