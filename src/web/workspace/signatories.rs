//! Initial signatories: add, edit, reorder, verify, remove, and import by
//! pasting the press layout.

use super::access::{html, see};
use super::extract::{act, write, LetterAccess, WithForm};
use super::session::WsError;
use crate::actions::signatories::{self, Change};
use crate::db::{self, initial};
use crate::domain::letter_file::InitialSignatory;
use crate::domain::paste::{self, PasteError};
use crate::domain::{SignerName, TitleLines};
use crate::i18n::{Arg, Tr};
use crate::model::LetterId;
use crate::model::SignatureId;
use crate::views::workspace::letters::ws_letter;
use crate::views::workspace::signatories as view;
use crate::web::error::ErrorKind;
use crate::web::form_errors::{text_error, titles_error};
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

fn back_to_list(letter_id: &LetterId) -> HttpResponse {
    see(format!("{}/signatories", ws_letter(letter_id)))
}

/// Name and titles from a form, or the messages saying what to fix.
fn person(tr: &Tr, form: &PersonForm) -> Result<InitialSignatory, Vec<String>> {
    let mut errors = Vec::new();
    let name = SignerName::parse(&form.name)
        .map_err(|e| errors.push(tr.labelled(&tr.t("field-name"), &text_error(tr, &e))))
        .ok();
    let titles = TitleLines::parse_text(&form.titles)
        .map_err(|e| errors.push(tr.labelled(&tr.t("field-titles"), &titles_error(tr, &e))))
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
    access: &LetterAccess,
    errors: &[String],
    status: StatusCode,
) -> Result<HttpResponse, WsError> {
    let id = access.id().clone();
    let list = run_db(state, move |conn| initial::list(conn, &id))
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(html(
        status,
        view::editor(&ctx.tr(), access.who(), &access.letter, &list, errors),
    ))
}

pub async fn list(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
) -> Result<HttpResponse, WsError> {
    render_list(&ctx, &state, &access, &[], StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    titles: String,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    how: String,
}

pub async fn add(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, PersonForm>,
) -> Result<HttpResponse, WsError> {
    let p = match person(&ctx.tr(), &form) {
        Ok(p) => p,
        Err(errors) => {
            return render_list(&ctx, &state, &access, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    let (actor, id, lang) = (access.actor(), access.id().clone(), access.letter.language);
    write(&ctx, &state, move |tx| {
        signatories::add(tx, &actor, &id, lang, &p, db::now())
    })
    .await?;
    state.letter_changed(access.id());
    Ok(back_to_list(access.id()))
}

/// The change a form asks for, or the messages saying what to fix.
fn requested(tr: &Tr, form: &PersonForm) -> Result<Option<Change>, Vec<String>> {
    Ok(Some(match form.action.as_deref().unwrap_or("save") {
        "save" => Change::Save(person(tr, form)?),
        "delete" => Change::Delete,
        "up" => Change::Up,
        "down" => Change::Down,
        "verify" => {
            let how = form.how.trim();
            if how.chars().any(char::is_control) || how.chars().count() > 300 {
                return Err(vec![tr.t("error-control-character")]);
            }
            Change::Verify((!how.is_empty()).then(|| how.to_string()))
        }
        _ => return Ok(None),
    }))
}

pub async fn change(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, PersonForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WsError> {
    let change = match requested(&ctx.tr(), &form) {
        Ok(Some(c)) => c,
        Ok(None) => return Err(WsError::Page(ctx.error(ErrorKind::BadRequest))),
        Err(errors) => {
            return render_list(&ctx, &state, &access, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    let sid = SignatureId::from_raw(path.into_inner().1);
    let (actor, id) = (access.actor(), access.id().clone());
    act(&ctx, &state, move |tx| {
        signatories::change(tx, &actor, &id, &sid, &change, db::now())
    })
    .await?;
    state.letter_changed(access.id());
    Ok(back_to_list(access.id()))
}

pub async fn import_page(ctx: Ctx, access: LetterAccess) -> HttpResponse {
    html(
        StatusCode::OK,
        view::import(&ctx.tr(), access.who(), &access.letter, "", None, &[]),
    )
}

fn paste_error(tr: &Tr, e: &PasteError) -> String {
    let detail = match e {
        PasteError::Name { error, .. } => tr.labelled(&tr.t("field-name"), &text_error(tr, error)),
        PasteError::Title { error, .. } => text_error(tr, error),
        PasteError::TooManyTitles { .. } => tr.ta(
            "error-titles-too-many",
            &[("max", Arg::Num(crate::domain::signer::TITLES_MAX as i64))],
        ),
    };
    tr.ta(
        "error-titles-line",
        &[
            ("line", Arg::Num(e.line() as i64)),
            ("message", tr.after_colon(&detail).into()),
        ],
    )
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    text: String,
    step: Option<String>,
}

/// Step one shows a preview; step two saves, after parsing the text again.
pub async fn import(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, ImportForm>,
) -> Result<HttpResponse, WsError> {
    let tr = ctx.tr();
    let people = match paste::parse(&form.text) {
        Ok(p) => p,
        Err(errors) => {
            let messages: Vec<String> = errors.iter().map(|e| paste_error(&tr, e)).collect();
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::import(&tr, access.who(), &access.letter, &form.text, None, &messages),
            ));
        }
    };
    if form.step.as_deref() != Some("save") || people.is_empty() {
        let id = access.id().clone();
        let existing: Vec<String> = run_db(&state, move |conn| crate::db::initial::list(conn, &id))
            .await
            .map_err(|k| ctx.error(k))?
            .into_iter()
            .map(|s| s.name)
            .collect();
        let (new, skipped) = crate::domain::paste::without_duplicates(&existing, people);
        let preview = view::ImportPreview {
            new: &new,
            skipped: &skipped,
        };
        return Ok(html(
            StatusCode::OK,
            view::import(&tr, access.who(), &access.letter, &form.text, Some(preview), &[]),
        ));
    }
    let (actor, id, lang) = (access.actor(), access.id().clone(), access.letter.language);
    write(&ctx, &state, move |tx| {
        signatories::import(tx, &actor, &id, lang, &people, db::now())
    })
    .await?;
    state.letter_changed(access.id());
    Ok(back_to_list(access.id()))
}
