//! The letter's text in another language: `?to=en` names which, and
//! without it the first language that is not the letter's own.

use super::field_errors;
use crate::actions::letters as actions;
use crate::actions::Refused;
use crate::db;
use crate::domain::letter_form::LetterFields;
use crate::domain::Lang;
use crate::views::sign_form::FieldErrors;
use crate::views::workspace::letters as view;
use crate::web::workspace::access::{html, see};
use crate::web::workspace::extract::{act, refused, LetterAccess, Query, WithForm};
use crate::web::workspace::session::WsError;
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Target {
    to: Option<Lang>,
}

impl Target {
    /// The language asked for; the use case refuses the letter's own.
    fn lang(&self, letter: &crate::db::letters::Letter) -> Lang {
        self.to
            .or_else(|| Lang::all().find(|l| *l != letter.language))
            .unwrap_or(letter.language)
    }
}

fn page(
    ctx: &Ctx,
    access: &LetterAccess,
    lang: Lang,
    fields: &LetterFields,
    errors: &FieldErrors,
    exists: bool,
) -> maud::Markup {
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
    Query(target): Query<Target>,
) -> Result<HttpResponse, WsError> {
    let (id, lang) = (access.id().clone(), target.lang(&access.letter));
    if lang == access.letter.language {
        return Err(refused(&ctx, Refused::NotAllowed));
    }
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
    let markup = page(
        &ctx,
        &access,
        lang,
        &fields,
        &FieldErrors::default(),
        found.is_some(),
    );
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

/// Saves (or deletes) the letter's text in another language. The rest of
/// the letter (slug, date, goal, signatories) is shared.
pub async fn translation(
    ctx: Ctx,
    state: web::Data<AppState>,
    Query(target): Query<Target>,
    WithForm { who: access, form }: WithForm<LetterAccess, TranslationForm>,
) -> Result<HttpResponse, WsError> {
    let letter = &access.letter;
    let (actor, id, lang) = (access.actor(), letter.id.clone(), target.lang(letter));
    if form.action == "delete" {
        act(&ctx, &state, move |tx| {
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
            let markup = page(&ctx, &access, lang, &fields, &field_errors(&ctx, &errors), false);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup));
        }
    };
    let edit = super::editor::edit_kind(&form.correction);
    act(&ctx, &state, move |tx| {
        actions::save_translation(tx, &actor, &id, lang, &file, edit, db::now())
    })
    .await?;
    state.letter_changed(&letter.id);
    Ok(see(view::ws_letter(&letter.id)))
}
