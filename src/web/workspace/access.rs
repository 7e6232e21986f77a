//! Who may see and change which letter. An organizer who may not gets the
//! same 404 as for a letter that does not exist: nothing is revealed.

use super::session::{Current, WsError};
use crate::db::editors::{self, Role};
use crate::db::letters::{self, Letter};
use crate::web::body::{form_pairs, read_limited_to, BodyError, WORKSPACE_LIMIT};
use crate::web::error::ErrorKind;
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

pub async fn letter(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    current: &Current,
    letter_id: &str,
) -> Result<(Letter, Option<Role>), WsError> {
    let id = letter_id.to_string();
    let organizer_id = current.organizer.id.clone();
    let found = run_db(state, move |conn| {
        let Some(letter) = letters::find_by_id(conn, &id)? else {
            return Ok(None);
        };
        let role = editors::role_of(conn, &id, &organizer_id)?;
        Ok(Some((letter, role)))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match found {
        Some((letter, role)) if role.is_some() || current.organizer.is_admin => Ok((letter, role)),
        _ => Err(WsError::Page(ctx.error(ErrorKind::NotFound))),
    }
}

/// What every form about one letter starts with: a signed-in organizer who
/// may work on the letter, and a body carrying this session's CSRF token.
pub async fn letter_form(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    session: &actix_session::Session,
    letter_id: &str,
    payload: web::Payload,
) -> Result<(Current, Letter, Option<Role>, Vec<(String, String)>), WsError> {
    let current = super::session::require(ctx, state, session).await?;
    let (letter, role) = self::letter(ctx, state, &current, letter_id).await?;
    let pairs = form(ctx, payload).await?;
    super::session::check_csrf(ctx, session, &pairs)?;
    Ok((current, letter, role, pairs))
}

/// Whether the organizer owns the letter, or is an admin.
pub fn is_owner(current: &Current, role: Option<Role>) -> bool {
    current.organizer.is_admin || role == Some(Role::Owner)
}

/// Owners and admins only: sharing a letter, reading its audit log,
/// anonymising it, exporting its signers' email addresses and emailing its
/// subscribers. A co-editor, who may see the letter, gets a 403.
pub fn require_owner(ctx: &Ctx, current: &Current, role: Option<Role>) -> Result<(), WsError> {
    if is_owner(current, role) {
        Ok(())
    } else {
        Err(WsError::Page(ctx.error(ErrorKind::Forbidden)))
    }
}

/// Admins only: accounts and site-wide protected names.
pub fn require_admin(ctx: &Ctx, current: &Current) -> Result<(), WsError> {
    if current.organizer.is_admin {
        Ok(())
    } else {
        Err(WsError::Page(ctx.error(ErrorKind::Forbidden)))
    }
}

/// A workspace page: never kept by a shared cache, since it is one
/// organizer's view.
pub fn html(status: StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(markup.into_string())
}

/// The redirect after a workspace form succeeds.
pub fn see(location: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.into()))
        .finish()
}

pub async fn form(ctx: &Ctx, payload: web::Payload) -> Result<Vec<(String, String)>, WsError> {
    let body = read_limited_to(payload, WORKSPACE_LIMIT)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => ctx.error(ErrorKind::PayloadTooLarge),
            BodyError::Read(_) => ctx.error(ErrorKind::BadRequest),
        })?;
    Ok(form_pairs(&body))
}
