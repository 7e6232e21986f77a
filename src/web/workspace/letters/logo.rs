//! The press kit's logo: upload (a file field, so multipart), removal, and
//! the current logo for the editor page, drafts included.

use super::editor::edit_page_with;
use crate::actions::press as actions;
use crate::db;
use crate::domain::logo::{Logo, LogoError, LOGO_MAX_BYTES};
use crate::views::workspace::letters::ws_letter;
use crate::web::error::ErrorKind;
use crate::web::workspace::access::see;
use crate::web::workspace::extract::{act, Empty, LetterAccess, WithForm};
use crate::web::workspace::session::{check_csrf, WsError};
use crate::web::{AppState, Ctx};
use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

/// What the upload form sent: its CSRF token, and the file's bytes, or
/// that the file went past the limit.
#[derive(Default)]
struct Upload {
    csrf: String,
    bytes: Vec<u8>,
    too_large: bool,
}

/// Reads the form's two fields, within bounds: the token is short, the
/// file is not read past `LOGO_MAX_BYTES`, and the whole body, other
/// fields included, not much past that: a form of endless extra fields is
/// refused like a file too large.
async fn read_upload(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Upload, actix_multipart::MultipartError> {
    const BODY_MAX_BYTES: usize = LOGO_MAX_BYTES + 16 * 1024;
    let mut form = Multipart::new(req.headers(), payload);
    let mut upload = Upload::default();
    let mut total = 0;
    while let Some(field) = form.next().await {
        let mut field = field?;
        let (keep, limit) = match field.name() {
            Some("csrf") => (Some(true), 256),
            Some("logo") => (Some(false), LOGO_MAX_BYTES),
            _ => (None, 0),
        };
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk?;
            total += chunk.len();
            if total > BODY_MAX_BYTES || (keep == Some(false) && data.len() + chunk.len() > limit) {
                upload.too_large = true;
                // The answer is a refusal: the rest is not worth reading.
                return Ok(upload);
            }
            if keep.is_some() && data.len() + chunk.len() <= limit {
                data.extend_from_slice(&chunk);
            }
        }
        match keep {
            Some(true) => upload.csrf = String::from_utf8_lossy(&data).into_owned(),
            Some(false) => upload.bytes = data,
            None => {}
        }
    }
    Ok(upload)
}

pub async fn upload(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    session: Session,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let upload = read_upload(&req, payload).await.map_err(|e| {
        tracing::debug!(error = %e, "a logo upload could not be read");
        WsError::Page(ctx.error(ErrorKind::BadRequest))
    })?;
    // The form sends its token before the file, so it is read even when
    // the file is too large; a forged form learns nothing of its file.
    check_csrf(&ctx, &session, &[("csrf".into(), upload.csrf)])?;
    let logo = match upload.too_large {
        true => Err(LogoError::TooLarge),
        false => Logo::parse(upload.bytes),
    };
    let logo = match logo {
        Ok(logo) => logo,
        Err(e) => {
            let status = match e {
                LogoError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let message = ctx.tr().t(e.message_id());
            return Ok(edit_page_with(&ctx, &state, &access, Some(&message), status).await?);
        }
    };
    let (actor, id) = (access.actor(), access.id().clone());
    act(&ctx, &state, move |tx| {
        actions::set_logo(tx, &actor, &id, &logo, db::now())
    })
    .await?;
    Ok(see(format!("{}/edit#logo-section", ws_letter(access.id()))))
}

pub async fn remove(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, .. }: WithForm<LetterAccess, Empty>,
) -> Result<HttpResponse, WsError> {
    let (actor, id) = (access.actor(), access.id().clone());
    act(&ctx, &state, move |tx| {
        actions::remove_logo(tx, &actor, &id, db::now())
    })
    .await?;
    Ok(see(format!("{}/edit#logo-section", ws_letter(access.id()))))
}

/// The current logo for the editor page; never cached, since it changes
/// under the same address and may belong to a draft.
pub async fn show(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
) -> Result<HttpResponse, WsError> {
    let id = access.id().clone();
    let found = crate::web::run_db(&state, move |conn| {
        Ok(match db::logos::info(conn, &id)? {
            Some(info) => db::logos::bytes(conn, &id, &info.digest)?,
            None => None,
        })
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let (content_type, data) = found.ok_or_else(|| WsError::Page(ctx.error(ErrorKind::NotFound)))?;
    Ok(crate::web::press::image(content_type, data, "no-store"))
}
