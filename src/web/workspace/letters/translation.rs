//! The letter's text in its other language.

use super::field_errors;
use crate::actions::letters as actions;
use crate::db;
use crate::domain::letter_form::LetterFields;
use crate::domain::Lang;
use crate::views::sign_form::FieldErrors;
use crate::views::workspace::letters as view;
use crate::web::workspace::access::{html, see};
use crate::web::workspace::extract::{write, LetterAccess, WithForm};
use crate::web::workspace::session::WsError;
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Fr => Lang::En,
        Lang::En => Lang::Fr,
    }
}

fn page(
    ctx: &Ctx,
    access: &LetterAccess,
    fields: &LetterFields,
    errors: &FieldErrors,
    exists: bool,
) -> maud::Markup {
    let lang = other(access.letter.language);
    view::translation_form(
        &ctx.tr(),
        access.who(),
        &access.letter,
        lang,
        fields,
        errors,
        exists,
    )
}

pub async fn translation_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
) -> Result<HttpResponse, WsError> {
    let (id, lang) = (access.id().clone(), other(access.letter.language));
    let found = run_db(&state, move |conn| crate::db::translations::find(conn, &id, lang))
        .await
        .map_err(|k| ctx.error(k))?;
    let fields = match &found {
        Some(t) => LetterFields {
            title: t.title.clone(),
            place: t.place.clone(),
            addressees: t.addressees.clone(),
            preamble: t.preamble.clone(),
            body: t.body_markdown.clone(),
            ..Default::default()
        },
        None => LetterFields {
            place: access.letter.place.clone(),
            ..Default::default()
        },
    };
    let markup = page(&ctx, &access, &fields, &FieldErrors::default(), found.is_some());
    Ok(html(StatusCode::OK, markup))
}

#[derive(Deserialize)]
pub struct TranslationForm {
    #[serde(flatten)]
    fields: LetterFields,
    #[serde(default)]
    action: String,
    #[serde(default)]
    correction: String,
}

/// Saves (or deletes) the letter's text in its other language. The rest of
/// the letter (slug, date, goal, signatories) is shared.
pub async fn translation(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, TranslationForm>,
) -> Result<HttpResponse, WsError> {
    let letter = &access.letter;
    let (actor, id, lang) = (access.actor(), letter.id.clone(), other(letter.language));
    if form.action == "delete" {
        write(&ctx, &state, move |tx| {
            actions::delete_translation(tx, &actor, &id, lang, db::now())
        })
        .await?;
        state.letter_changed(&letter.id);
        return Ok(see(view::ws_letter(&letter.id)));
    }
    // The shared fields come from the letter, so only the translated ones
    // can fail.
    let fields = LetterFields {
        slug: letter.slug.clone(),
        language: lang.code().to_string(),
        date: letter.date.to_string(),
        goal: String::new(),
        ..form.fields
    };
    let file = match fields.parse() {
        Ok(f) => f,
        Err(errors) => {
            let markup = page(&ctx, &access, &fields, &field_errors(&ctx, &errors), false);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup));
        }
    };
    let edit = super::editor::edit_kind(&form.correction);
    write(&ctx, &state, move |tx| {
        actions::save_translation(tx, &actor, &id, lang, &file, edit, db::now())
    })
    .await?;
    state.letter_changed(&letter.id);
    Ok(see(view::ws_letter(&letter.id)))
}
