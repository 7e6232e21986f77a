//! Writing a letter: the new and edit forms, saving, and the preview.

use super::field_errors;
use super::notify::{notify_after_edit, notify_blocked};
use crate::actions::letters as actions;
use crate::db;
use crate::db::letters::SaveOutcome;
use crate::db::versions::Edit;
use crate::domain::letter_form::LetterFields;
use crate::model::LetterStatus;
use crate::views::letter as letter_view;
use crate::views::sign_form::{FieldErrors, SignFormValues};
use crate::views::workspace::contacts_form::LogoForm;
use crate::views::workspace::editor::{self as form_view, LetterFormPage};
use crate::views::workspace::letters as view;
use crate::web::workspace::access::{html, see};
use crate::web::workspace::extract::{act, write, LetterAccess, WithForm};
use crate::web::workspace::session::{Current, WsError};
use crate::web::{AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// The editor page, for a new letter or an existing one.
fn form_page(ctx: &Ctx, current: &Current, page: &LetterFormPage<'_>, status: StatusCode) -> HttpResponse {
    html(
        status,
        form_view::letter_form(&ctx.tr(), (&current.organizer, &current.csrf), page),
    )
}

fn slug_taken(ctx: &Ctx) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add("slug", ctx.tr().t("error-slug-taken"));
    errors
}

pub async fn new_page(ctx: Ctx, current: Current) -> HttpResponse {
    // No language is chosen for the organizer: a French interface says
    // nothing of the language the letter will be written in.
    let fields = LetterFields {
        date: db::now().date().to_string(),
        ..Default::default()
    };
    let none = FieldErrors::default();
    let page = LetterFormPage::new_letter(&fields, &none);
    form_page(&ctx, &current, &page, StatusCode::OK)
}

pub async fn create(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm {
        who: current,
        form: fields,
    }: WithForm<Current, LetterFields>,
) -> Result<HttpResponse, WsError> {
    let refuse = |errors: FieldErrors| {
        let page = LetterFormPage::new_letter(&fields, &errors);
        form_page(&ctx, &current, &page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let file = match fields.parse() {
        Ok(f) => f,
        Err(errors) => return Ok(refuse(field_errors(&ctx, &errors))),
    };
    let actor = current.actor();
    let outcome = write(&ctx, &state, move |tx| {
        actions::create(tx, &actor, &file, db::now())
    })
    .await?;
    match outcome {
        SaveOutcome::Saved(l, _) => Ok(see(view::ws_letter(&l.id))),
        SaveOutcome::SlugTaken | SaveOutcome::SlugLocked => Ok(refuse(slug_taken(&ctx))),
    }
}

fn edit_form<'a>(
    access: &LetterAccess,
    action: &'a str,
    fields: &'a LetterFields,
    errors: &'a FieldErrors,
) -> LetterFormPage<'a> {
    LetterFormPage {
        action,
        fields,
        errors,
        slug_locked: access.letter.status() != LetterStatus::Draft,
        is_new: false,
        may_notify: access.owns(),
        may_name_officer: access.owns(),
        logo: None,
    }
}

pub async fn edit_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
) -> Result<HttpResponse, WsError> {
    Ok(edit_page_with(&ctx, &state, &access, None, StatusCode::OK).await?)
}

/// The editor of a letter as stored, with its logo form, and the logo
/// form's error if an upload was just refused.
pub(super) async fn edit_page_with(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    access: &LetterAccess,
    logo_error: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, crate::web::PageError> {
    let id = access.id().clone();
    let logo = crate::web::run_db(state, move |conn| db::logos::info(conn, &id))
        .await
        .map_err(|k| ctx.error(k))?;
    let fields = LetterFields::from_letter(&access.letter);
    let base = view::ws_letter(access.id());
    let action = format!("{base}/edit");
    let none = FieldErrors::default();
    let mut page = edit_form(access, &action, &fields, &none);
    page.logo = Some(LogoForm {
        base: &base,
        current: logo.as_ref(),
        error: logo_error,
    });
    Ok(form_page(ctx, &access.current, &page, status))
}

/// The correction box, ticked or not.
pub(super) fn edit_kind(correction: &str) -> Edit {
    if correction.is_empty() {
        Edit::NewVersion
    } else {
        Edit::Correction
    }
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(flatten)]
    fields: LetterFields,
    #[serde(default)]
    notify: String,
    #[serde(default)]
    correction: String,
}

pub async fn update(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, EditForm>,
) -> Result<HttpResponse, WsError> {
    let notify = !form.notify.is_empty();
    if notify && !access.owns() {
        // Emailing every subscriber speaks for the letter: owners only.
        return Err(WsError::Page(ctx.error(crate::web::error::ErrorKind::Forbidden)));
    }
    let mut fields = form.fields;
    let published = access.letter.status() != LetterStatus::Draft;
    if published {
        // The slug of a published letter is fixed: its links are out there.
        fields.slug = access.letter.slug.clone();
    }
    let action = format!("{}/edit", view::ws_letter(access.id()));
    let refuse = |errors: FieldErrors, fields: &LetterFields| {
        let page = edit_form(&access, &action, fields, &errors);
        form_page(&ctx, &access.current, &page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let file = match fields.parse() {
        Ok(f) => f,
        Err(errors) => return Ok(refuse(field_errors(&ctx, &errors), &fields)),
    };
    if notify && published {
        // Refused before saving, so the organizer can choose: save without
        // telling anyone, or wait and tell them with this change.
        if let Some(message) = notify_blocked(&ctx, &state, access.id()).await? {
            let mut errors = FieldErrors::default();
            errors.add("notify", message);
            return Ok(refuse(errors, &fields));
        }
    }
    let (actor, id, edit) = (access.actor(), access.id().clone(), edit_kind(&form.correction));
    let outcome = act(&ctx, &state, move |tx| {
        actions::edit(tx, &actor, &id, &file, edit, db::now())
    })
    .await?;
    let SaveOutcome::Saved(letter, version) = outcome else {
        return Ok(refuse(slug_taken(&ctx), &fields));
    };
    state.letter_changed(&letter.id);
    let notice = match (version, notify) {
        (Some(v), true) => notify_after_edit(&ctx, &state, &access.actor(), &letter, v).await?,
        _ => String::new(),
    };
    Ok(see(format!("{}{notice}", view::ws_letter(&letter.id))))
}

/// The letter exactly as the public will see it, drafts included.
pub async fn preview(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
) -> Result<HttpResponse, WsError> {
    // The version a reader asking in this language would get.
    let (ctx, letter) = crate::web::public::reader_version(ctx, &state, access.letter).await?;
    let data = crate::web::public::letter_page_data(&ctx, &state, &letter).await?;
    let back = view::ws_letter(&letter.id);
    let path = format!("{back}/preview");
    let page = letter_view::LetterPage {
        letter: &letter,
        count: Some(data.count),
        initial: &data.initial,
        latest: &data.latest,
        form: &SignFormValues::blank(),
        errors: &FieldErrors::default(),
        base_url: None,
        site_officer: &state.settings.privacy_officer,
        preview: Some(letter_view::Preview {
            path: &path,
            back: &back,
        }),
    };
    Ok(html(StatusCode::OK, letter_view::render(&ctx.tr(), &page)))
}
