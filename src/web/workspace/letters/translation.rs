//! The letter's text in its other language.

use super::{field_errors, fields_from, who};
use crate::db::{self, audit};
use crate::domain::letter_form::LetterFields;
use crate::views::sign_form::FieldErrors;
use crate::views::workspace::letters as view;
use crate::web::body::first;
use crate::web::workspace::access::{self, html, see};
use crate::web::workspace::session::{require, WsError};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

fn other(lang: crate::domain::Lang) -> crate::domain::Lang {
    match lang {
        crate::domain::Lang::Fr => crate::domain::Lang::En,
        crate::domain::Lang::En => crate::domain::Lang::Fr,
    }
}

pub async fn translation_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, _) = access::letter(&ctx, &state, &current, &path).await?;
    let lang = other(letter.language);
    let id = letter.id.clone();
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
            place: letter.place.clone(),
            ..Default::default()
        },
    };
    Ok(html(
        StatusCode::OK,
        view::translation_form(
            &ctx.tr(),
            who(&current),
            &letter,
            lang,
            &fields,
            &FieldErrors::default(),
            found.is_some(),
        ),
    ))
}

/// Saves (or deletes) the letter's text in its other language. The rest of
/// the letter (slug, date, goal, signatories) is shared.
pub async fn translation(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let lang = other(letter.language);
    let (id, by) = (letter.id.clone(), current.organizer.id.clone());
    if first(&pairs, "action") == Some("delete") {
        run_db(&state, move |conn| {
            let now = db::now();
            crate::db::translations::delete(conn, &id, lang)?;
            audit::record(
                conn,
                Some(&by),
                Some(&id),
                "translation-deleted",
                lang.code(),
                now,
            )
        })
        .await
        .map_err(|k| ctx.error(k))?;
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
        ..fields_from(&pairs)
    };
    let file = match fields.parse() {
        Ok(f) => f,
        Err(errors) => {
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::translation_form(
                    &ctx.tr(),
                    who(&current),
                    &letter,
                    lang,
                    &fields,
                    &field_errors(&ctx, &errors),
                    false,
                ),
            ))
        }
    };
    run_db(&state, move |conn| {
        let now = db::now();
        let t = crate::db::translations::Translation {
            language: lang.code().to_string(),
            title: file.title,
            place: file.place,
            addressees: file.addressees,
            preamble: file.preamble,
            body_markdown: file.body,
            updated_at: now,
        };
        crate::db::translations::save(conn, &id, &t)?;
        audit::record(conn, Some(&by), Some(&id), "translation-saved", lang.code(), now)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    state.letter_changed(&letter.id);
    Ok(see(view::ws_letter(&letter.id)))
}
