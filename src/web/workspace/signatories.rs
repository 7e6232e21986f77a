//! Initial signatories: add, edit, reorder, verify, remove, and import by
//! pasting the press layout.

use super::access::{self, form};
use super::access::{html, see};
use super::session::{check_csrf, require, Current, WsError};
use crate::db::{self, audit, initial};
use crate::domain::letter_file::InitialSignatory;
use crate::domain::paste::{self, PasteError};
use crate::domain::{SignerName, TitleLines};
use crate::i18n::{Arg, Tr};
use crate::views::workspace::letters::ws_letter;
use crate::views::workspace::signatories as view;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::form_errors::{text_error, titles_error};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

fn back_to_list(letter_id: &str) -> HttpResponse {
    see(format!("{}/signatories", ws_letter(letter_id)))
}

/// Name and titles from a form, or the messages saying what to fix.
fn person(tr: &Tr, pairs: &[(String, String)]) -> Result<InitialSignatory, Vec<String>> {
    let mut errors = Vec::new();
    let name = SignerName::parse(first(pairs, "name").unwrap_or(""))
        .map_err(|e| errors.push(format!("{} : {}", tr.t("field-name"), text_error(tr, &e))))
        .ok();
    let titles = TitleLines::parse_text(first(pairs, "titles").unwrap_or(""))
        .map_err(|e| errors.push(format!("{} : {}", tr.t("field-titles"), titles_error(tr, &e))))
        .ok();
    match (name, titles) {
        (Some(n), Some(t)) => Ok(InitialSignatory {
            name: n.into_string(),
            titles: t.to_vec(),
        }),
        _ => Err(errors),
    }
}

async fn render_list(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    current: &Current,
    letter: &crate::db::letters::Letter,
    errors: &[String],
    status: StatusCode,
) -> Result<HttpResponse, WsError> {
    let id = letter.id.clone();
    let list = run_db(state, move |conn| initial::list(conn, &id))
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(html(
        status,
        view::editor(
            &ctx.tr(),
            (&current.organizer, &current.csrf),
            letter,
            &list,
            errors,
        ),
    ))
}

pub async fn list(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, _) = access::letter(&ctx, &state, &current, &path).await?;
    render_list(&ctx, &state, &current, &letter, &[], StatusCode::OK).await
}

pub async fn add(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let p = match person(&ctx.tr(), &pairs) {
        Ok(p) => p,
        Err(errors) => {
            return render_list(
                &ctx,
                &state,
                &current,
                &letter,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let (id, lang, by) = (letter.id.clone(), letter.language, current.organizer.id.clone());
    run_db(&state, move |conn| {
        let now = db::now();
        initial::append(conn, &id, std::slice::from_ref(&p), lang, now)?;
        audit::record(conn, Some(&by), Some(&id), "signatory-added", &p.name, now)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    state.letter_changed(&letter.id);
    Ok(back_to_list(&letter.id))
}

pub async fn change(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter_id, sid) = path.into_inner();
    let (letter, _) = access::letter(&ctx, &state, &current, &letter_id).await?;
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    let action = first(&pairs, "action").unwrap_or("save").to_string();
    let tr = ctx.tr();
    let edited = if action == "save" {
        match person(&tr, &pairs) {
            Ok(p) => Some(p),
            Err(errors) => {
                return render_list(
                    &ctx,
                    &state,
                    &current,
                    &letter,
                    &errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
        }
    } else {
        None
    };
    let how = first(&pairs, "how").map(str::trim).unwrap_or("").to_string();
    if action == "verify" && (how.chars().any(char::is_control) || how.chars().count() > 300) {
        return render_list(
            &ctx,
            &state,
            &current,
            &letter,
            &[tr.t("error-control-character")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (id, by, by_email) = (
        letter.id.clone(),
        current.organizer.id.clone(),
        current.organizer.email.clone(),
    );
    let found = run_db(&state, move |conn| {
        let now = db::now();
        let (found, detail) = match action.as_str() {
            "save" => match &edited {
                Some(p) => (initial::update(conn, &id, &sid, p, now)?, p.name.clone()),
                None => (false, String::new()),
            },
            "delete" => (initial::delete(conn, &id, &sid)?, sid.clone()),
            "up" => (initial::shift(conn, &id, &sid, true)?, sid.clone()),
            "down" => (initial::shift(conn, &id, &sid, false)?, sid.clone()),
            "verify" => {
                let how = (!how.is_empty()).then_some(how.as_str());
                (
                    initial::verify(conn, &id, &sid, &by_email, how, now)?,
                    how.unwrap_or("").to_string(),
                )
            }
            _ => return Ok(None),
        };
        if found {
            audit::record(
                conn,
                Some(&by),
                Some(&id),
                &format!("signatory-{action}"),
                &detail,
                now,
            )?;
        }
        Ok(Some(found))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match found {
        None => Err(WsError::Page(ctx.error(ErrorKind::BadRequest))),
        Some(false) => Err(WsError::Page(ctx.error(ErrorKind::NotFound))),
        Some(true) => {
            state.letter_changed(&letter.id);
            Ok(back_to_list(&letter.id))
        }
    }
}

pub async fn import_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, _) = access::letter(&ctx, &state, &current, &path).await?;
    Ok(html(
        StatusCode::OK,
        view::import(
            &ctx.tr(),
            (&current.organizer, &current.csrf),
            &letter,
            "",
            None,
            &[],
        ),
    ))
}

fn paste_error(tr: &Tr, e: &PasteError) -> String {
    let detail = match e {
        PasteError::Name { error, .. } => format!("{} : {}", tr.t("field-name"), text_error(tr, error)),
        PasteError::Title { error, .. } => text_error(tr, error),
        PasteError::TooManyTitles { .. } => tr.ta(
            "error-titles-too-many",
            &[("max", Arg::Num(crate::domain::signer::TITLES_MAX as i64))],
        ),
    };
    tr.ta(
        "error-titles-line",
        &[("line", Arg::Num(e.line() as i64)), ("message", detail.into())],
    )
}

/// Step one shows a preview; step two saves, after parsing the text again.
pub async fn import(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let tr = ctx.tr();
    let text = first(&pairs, "text").unwrap_or("").to_string();
    let who = (&current.organizer, current.csrf.as_str());
    let people = match paste::parse(&text) {
        Ok(p) => p,
        Err(errors) => {
            let messages: Vec<String> = errors.iter().map(|e| paste_error(&tr, e)).collect();
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::import(&tr, who, &letter, &text, None, &messages),
            ));
        }
    };
    if first(&pairs, "step") != Some("save") || people.is_empty() {
        return Ok(html(
            StatusCode::OK,
            view::import(&tr, who, &letter, &text, Some(&people), &[]),
        ));
    }
    let (id, lang, by) = (letter.id.clone(), letter.language, current.organizer.id.clone());
    let n = people.len();
    run_db(&state, move |conn| {
        let now = db::now();
        initial::append(conn, &id, &people, lang, now)?;
        audit::record(
            conn,
            Some(&by),
            Some(&id),
            "signatories-imported",
            &n.to_string(),
            now,
        )
    })
    .await
    .map_err(|k| ctx.error(k))?;
    state.letter_changed(&letter.id);
    Ok(back_to_list(&letter.id))
}
