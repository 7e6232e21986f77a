//! Writing a letter: the new and edit forms, saving, and the preview.

use super::notify::{notify_interval, notify_refused, notify_signers};
use super::{field_errors, fields_from, who};
use crate::db::letters::{self, LetterStatus, SaveOutcome};
use crate::db::{self, audit};
use crate::domain::letter_form::LetterFields;
use crate::views::letter as letter_view;
use crate::views::sign_form::{FieldErrors, SignFormValues};
use crate::views::workspace::letters as view;
use crate::web::body::first;
use crate::web::workspace::access::{self, form, html, see};
use crate::web::workspace::session::{check_csrf, require, WsError};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

pub async fn new_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let fields = LetterFields {
        language: ctx.lang.code().to_string(),
        date: db::now().date().to_string(),
        ..Default::default()
    };
    let page = view::LetterFormPage {
        action: "/workspace/letters/new",
        fields: &fields,
        errors: &FieldErrors::default(),
        slug_locked: false,
        is_new: true,
        may_notify: false,
    };
    Ok(html(
        StatusCode::OK,
        view::letter_form(&ctx.tr(), who(&current), &page),
    ))
}

pub async fn create(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    let fields = fields_from(&pairs);
    let refuse = |errors: FieldErrors| {
        let page = view::LetterFormPage {
            action: "/workspace/letters/new",
            fields: &fields,
            errors: &errors,
            slug_locked: false,
            is_new: true,
            may_notify: false,
        };
        html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::letter_form(&ctx.tr(), who(&current), &page),
        )
    };
    let file = match fields.parse() {
        Ok(f) => f,
        Err(errors) => return Ok(refuse(field_errors(&ctx, &errors))),
    };
    let owner = current.organizer.id.clone();
    let outcome = run_db(&state, move |conn| {
        let now = db::now();
        let outcome = letters::create_draft(conn, &file, &owner, now)?;
        if let SaveOutcome::Saved(l, _) = &outcome {
            audit::record(conn, Some(&owner), Some(&l.id), "letter-created", &l.slug, now)?;
        }
        Ok(outcome)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match outcome {
        SaveOutcome::Saved(l, _) => Ok(see(view::ws_letter(&l.id))),
        SaveOutcome::SlugTaken | SaveOutcome::SlugLocked => {
            let mut errors = FieldErrors::default();
            errors.add("slug", ctx.tr().t("error-slug-taken"));
            Ok(refuse(errors))
        }
    }
}

pub async fn edit_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, role) = access::letter(&ctx, &state, &current, &path).await?;
    let fields = LetterFields::from_letter(&letter);
    let action = format!("{}/edit", view::ws_letter(&letter.id));
    let page = view::LetterFormPage {
        action: &action,
        fields: &fields,
        errors: &FieldErrors::default(),
        slug_locked: letter.status != LetterStatus::Draft,
        is_new: false,
        may_notify: access::is_owner(&current, role),
    };
    Ok(html(
        StatusCode::OK,
        view::letter_form(&ctx.tr(), who(&current), &page),
    ))
}

pub async fn update(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, role, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let mut fields = fields_from(&pairs);
    let notify = first(&pairs, "notify").is_some_and(|v| !v.is_empty());
    if notify {
        // Emailing every subscriber speaks for the letter: owners only.
        access::require_owner(&ctx, &current, role)?;
    }
    let slug_locked = letter.status != LetterStatus::Draft;
    if slug_locked {
        // The slug of a published letter is fixed: its links are out there.
        fields.slug = letter.slug.clone();
    }
    let action = format!("{}/edit", view::ws_letter(&letter.id));
    let refuse = |errors: FieldErrors, fields: &LetterFields| {
        let page = view::LetterFormPage {
            action: &action,
            fields,
            errors: &errors,
            slug_locked,
            is_new: false,
            may_notify: access::is_owner(&current, role),
        };
        html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::letter_form(&ctx.tr(), who(&current), &page),
        )
    };
    let file = match fields.parse() {
        Ok(f) => f,
        Err(errors) => return Ok(refuse(field_errors(&ctx, &errors), &fields)),
    };
    let interval = notify_interval(&state);
    if notify && slug_locked {
        // Refused before saving, so the organizer can choose: save without
        // telling anyone, or wait and tell them with this change.
        let id = letter.id.clone();
        let last = run_db(&state, move |conn| crate::db::versions::last_notified(conn, &id))
            .await
            .map_err(|k| ctx.error(k))?;
        if let Some(next) = crate::db::versions::next_round(last, interval, db::now()) {
            let mut errors = FieldErrors::default();
            errors.add("notify", notify_refused(&ctx, &state, next));
            return Ok(refuse(errors, &fields));
        }
    }
    let by = current.organizer.id.clone();
    let id = letter.id.clone();
    let outcome = run_db(&state, move |conn| {
        let now = db::now();
        let outcome = letters::update_content(conn, &id, &file, now)?;
        if let SaveOutcome::Saved(l, version) = &outcome {
            let detail = version
                .map(|v| format!("{} · v{v}", l.slug))
                .unwrap_or_else(|| l.slug.clone());
            audit::record(conn, Some(&by), Some(&l.id), "letter-edited", &detail, now)?;
        }
        Ok(outcome)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match outcome {
        SaveOutcome::Saved(l, version) => {
            state.letter_changed(&l.id);
            let mut notice = String::new();
            if let (Some(v), true) = (version, notify) {
                let id = l.id.clone();
                let claimed = run_db(&state, move |conn| {
                    crate::db::versions::claim_round(conn, &id, interval, db::now())
                })
                .await
                .map_err(|k| ctx.error(k))?;
                if !claimed {
                    // Another save took this round between the check above
                    // and now: the text is saved, nobody is emailed.
                    return Ok(see(format!("{}?notify_limited=1", view::ws_letter(&l.id))));
                }
                let sent = notify_signers(&state, &l, v).await.map_err(|k| ctx.error(k))?;
                let by = current.organizer.id.clone();
                let id = l.id.clone();
                run_db(&state, move |conn| {
                    audit::record(
                        conn,
                        Some(&by),
                        Some(&id),
                        "signers-notified",
                        &sent.to_string(),
                        db::now(),
                    )
                })
                .await
                .map_err(|k| ctx.error(k))?;
                state.waker.wake();
                notice = format!("?notified={sent}");
            }
            Ok(see(format!("{}{notice}", view::ws_letter(&l.id))))
        }
        SaveOutcome::SlugTaken | SaveOutcome::SlugLocked => {
            let mut errors = FieldErrors::default();
            errors.add("slug", ctx.tr().t("error-slug-taken"));
            Ok(refuse(errors, &fields))
        }
    }
}

/// The letter exactly as the public will see it, drafts included.
pub async fn preview(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, _) = access::letter(&ctx, &state, &current, &path).await?;
    let ctx = ctx.for_letter(letter.language);
    let data = crate::web::public::letter_page_data(&ctx, &state, &letter).await?;
    let page = letter_view::LetterPage {
        letter: &letter,
        count: data.count,
        initial: &data.initial,
        latest: &data.latest,
        form: &SignFormValues::blank(),
        errors: &FieldErrors::default(),
        base_url: None,
    };
    Ok(html(StatusCode::OK, letter_view::render(&ctx.tr(), &page)))
}
