//! Letters in the workspace: list, editor, preview, life cycle, dashboard,
//! sharing and audit log.

use super::access::{self, form};
use super::access::{html, see};
use super::session::{check_csrf, require, Current, WsError};
use crate::db::editors::{self, Role};
use crate::db::letters::{self, LetterStatus, SaveOutcome};
use crate::db::{self, audit, dashboard as queries, organizers};
use crate::domain::letter_form::LetterFields;
use crate::views::letter as letter_view;
use crate::views::sign_form::{FieldErrors, SignFormValues};
use crate::views::workspace::letters as view;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDate, NaiveDateTime};

fn who(c: &Current) -> (&crate::db::organizers::Organizer, &str) {
    (&c.organizer, &c.csrf)
}

pub async fn index(ctx: Ctx, state: web::Data<AppState>, session: Session) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let organizer = current.organizer.clone();
    let st = state.clone();
    let list = run_db(&state, move |conn| {
        let letters = if organizer.is_admin {
            letters::list_all(conn)?
        } else {
            let ids = editors::letter_ids_for(conn, &organizer.id)?;
            letters::list_by_ids(conn, &ids)?
        };
        letters
            .into_iter()
            .map(|l| {
                let n = st.counts.get(conn, &l.id)?;
                Ok((l, n))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|k| ctx.error(k))?;
    Ok(html(StatusCode::OK, view::index(&ctx.tr(), who(&current), &list)))
}

fn fields_from(pairs: &[(String, String)]) -> LetterFields {
    let get = |k: &str| first(pairs, k).unwrap_or("").to_string();
    LetterFields {
        slug: get("slug"),
        language: get("language"),
        title: get("title"),
        place: get("place"),
        date: get("date"),
        addressees: get("addressees"),
        preamble: get("preamble"),
        body: get("body"),
        goal: get("goal"),
    }
}

fn field_errors(ctx: &Ctx, errors: &[(&'static str, crate::domain::letter_form::FieldError)]) -> FieldErrors {
    let tr = ctx.tr();
    let mut out = FieldErrors::default();
    for (field, e) in errors {
        let message = match e {
            crate::domain::letter_form::FieldError::Text(t) => crate::web::form_errors::text_error(&tr, t),
            other => tr.t(other.message_id()),
        };
        out.add(field, message);
    }
    out
}

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

fn notify_interval(state: &AppState) -> Duration {
    // Beyond chrono's range is "forever"; versions::next_round caps it.
    Duration::from_std(state.notify_interval).unwrap_or(Duration::MAX)
}

/// Why signers cannot be emailed now, and from when they can.
fn notify_refused(ctx: &Ctx, state: &AppState, next: NaiveDateTime) -> String {
    let hours = i64::try_from(state.notify_interval.as_secs() / 3600).unwrap_or(i64::MAX);
    ctx.tr().ta(
        "ws-notify-limited",
        &[
            ("hours", crate::i18n::Arg::Num(hours)),
            ("next", next.format("%Y-%m-%d %H:%M").to_string().into()),
        ],
    )
}

/// Tells the confirmed signers who opted in to news that the text changed,
/// through the outbox, a page of signers at a time. Returns how many.
async fn notify_signers(
    state: &web::Data<AppState>,
    letter: &crate::db::letters::Letter,
    version: i32,
) -> Result<usize, ErrorKind> {
    let mut after: Option<String> = None;
    let mut sent = 0;
    loop {
        let (i18n, base, l, cursor) = (
            state.i18n.clone(),
            state.base_url.clone(),
            letter.clone(),
            after.clone(),
        );
        let (count, last) = run_db(state, move |conn| {
            let page = crate::db::versions::subscribers_page(conn, &l.id, cursor.as_deref(), 500)?;
            let last = page.last().map(|(id, _, _)| id.clone());
            let n = page.len();
            db::write_tx(conn, |conn| {
                let now = db::now();
                for (signature_id, email, lang) in &page {
                    let manage = crate::domain::Token::generate();
                    crate::db::tokens::insert(
                        conn,
                        &manage,
                        signature_id,
                        crate::db::tokens::Purpose::Manage,
                        None,
                        now,
                    )?;
                    let tr = i18n.tr(lang.parse().unwrap_or_default());
                    let mail = crate::mail::messages::letter_updated(
                        &tr,
                        &crate::mail::messages::LetterUpdated {
                            recipient: email,
                            letter_title: &l.title,
                            version,
                            versions_url: &format!("{base}/letters/{}/versions", l.slug),
                            manage_url: &format!("{base}{}", crate::views::links::manage(manage.as_str())),
                        },
                    );
                    crate::db::outbox::insert_about(conn, &mail, Some(signature_id), now)?;
                }
                Ok::<_, crate::db::DbError>(())
            })?;
            Ok((n, last))
        })
        .await?;
        sent += count;
        match last {
            Some(id) if count == 500 => after = Some(id),
            _ => return Ok(sent),
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

/// Signatures per day over the last 30 days, oldest first.
fn per_day(times: &[NaiveDateTime], today: NaiveDate) -> Vec<(NaiveDate, i64)> {
    let first_day = today - Duration::days(29);
    let mut days: Vec<(NaiveDate, i64)> = (0..30).map(|i| (first_day + Duration::days(i), 0)).collect();
    for t in times {
        let offset = (t.date() - first_day).num_days();
        if let Some(slot) = usize::try_from(offset).ok().and_then(|i| days.get_mut(i)) {
            slot.1 += 1;
        }
    }
    days
}

pub async fn dashboard(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, role) = access::letter(&ctx, &state, &current, &path).await?;
    let id = letter.id.clone();
    let now = db::now();
    let (counts, times, latest, editor_list, moderation_counts, affiliations) = run_db(&state, move |conn| {
        Ok((
            queries::status_counts(conn, &id)?,
            queries::confirmed_since(conn, &id, now - Duration::days(30))?,
            queries::latest_with_email(conn, &id, 20)?,
            editors::list(conn, &id)?,
            crate::db::moderation::counts(conn, &id)?,
            crate::db::affiliations::list(conn, &id)?,
        ))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let days = per_day(&times, now.date());
    let query = req.query_string();
    let notice = if query.split('&').any(|p| p == "shared=1") {
        Some(ctx.tr().t("ws-editor-added"))
    } else if query.split('&').any(|p| p == "notify_limited=1") {
        Some(ctx.tr().t("ws-notify-limited-saved"))
    } else {
        query
            .split('&')
            .find_map(|p| p.strip_prefix("notified="))
            .and_then(|n| n.parse::<i64>().ok())
            .map(|n| ctx.tr().ta("ws-notified", &[("n", crate::i18n::Arg::Num(n))]))
    };
    let d = view::Dashboard {
        letter: &letter,
        role,
        is_admin: current.organizer.is_admin,
        counts: &counts,
        per_day: &days,
        latest: &latest,
        editors: &editor_list,
        notice,
        moderation: moderation_counts,
        affiliations: &affiliations,
        base_url: &state.base_url,
    };
    Ok(html(
        StatusCode::OK,
        view::dashboard(&ctx.tr(), who(&current), &d),
    ))
}

/// An owner shares the letter with another organizer as co-editor.
pub async fn add_editor(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, role) = access::letter(&ctx, &state, &current, &path).await?;
    access::require_owner(&ctx, &current, role)?;
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    let email = first(&pairs, "email").unwrap_or("").trim().to_lowercase();
    let by = current.organizer.id.clone();
    let id = letter.id.clone();
    let added = run_db(&state, move |conn| {
        let Some(o) = organizers::find_by_email(conn, &email)? else {
            return Ok(false);
        };
        let now = db::now();
        if editors::role_of(conn, &id, &o.id)? != Some(Role::Owner) {
            editors::grant(conn, &id, &o.id, Role::Editor, now)?;
        }
        audit::record(conn, Some(&by), Some(&id), "editor-added", &o.email, now)?;
        Ok(true)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    if !added {
        let tr = ctx.tr();
        return Err(WsError::Page(
            ctx.error(ErrorKind::NotFound)
                .with_back(view::ws_letter(&letter.id), tr.t("ws-back")),
        ));
    }
    Ok(see(format!("{}?shared=1", view::ws_letter(&letter.id))))
}

pub async fn audit(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, role) = access::letter(&ctx, &state, &current, &path).await?;
    access::require_owner(&ctx, &current, role)?;
    let id = letter.id.clone();
    let entries = run_db(&state, move |conn| audit::for_letter(conn, &id, 500))
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(html(
        StatusCode::OK,
        view::audit(&ctx.tr(), who(&current), &letter, &entries),
    ))
}

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

/// Maps an affiliation to an email domain, or removes a mapping.
pub async fn affiliations(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let (id, by) = (letter.id.clone(), current.organizer.id.clone());
    match first(&pairs, "action") {
        Some("add") => {
            let affiliation = crate::domain::TitleLine::parse(first(&pairs, "affiliation").unwrap_or(""))
                .map_err(|_| ctx.error(ErrorKind::BadRequest))?
                .as_str()
                .to_string();
            let domain = first(&pairs, "domain")
                .unwrap_or("")
                .trim()
                .trim_start_matches('@')
                .to_lowercase();
            let valid = domain.contains('.')
                && !domain.starts_with('.')
                && domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !valid {
                return Err(WsError::Page(ctx.error(ErrorKind::BadRequest)));
            }
            run_db(&state, move |conn| {
                db::write_tx(conn, |conn| {
                    let now = db::now();
                    crate::db::affiliations::add(conn, &id, &affiliation, &domain, now)?;
                    crate::db::affiliations::recompute_domain(conn, &id, &domain)?;
                    audit::record(
                        conn,
                        Some(&by),
                        Some(&id),
                        "affiliation-added",
                        &format!("{affiliation} ← {domain}"),
                        now,
                    )
                })
            })
            .await
            .map_err(|k| ctx.error(k))?;
        }
        Some("remove") => {
            let aid = first(&pairs, "aid").unwrap_or("").to_string();
            run_db(&state, move |conn| {
                db::write_tx(conn, |conn| {
                    let domain = crate::db::affiliations::domain_of(conn, &id, &aid)?;
                    if crate::db::affiliations::remove(conn, &id, &aid)? {
                        // No mark may outlive the mapping that made it.
                        if let Some(domain) = domain {
                            crate::db::affiliations::recompute_domain(conn, &id, &domain)?;
                        }
                        audit::record(conn, Some(&by), Some(&id), "affiliation-removed", &aid, db::now())?;
                    }
                    Ok(())
                })
            })
            .await
            .map_err(|k| ctx.error(k))?;
        }
        _ => return Err(WsError::Page(ctx.error(ErrorKind::BadRequest))),
    }
    state.letter_changed(&letter.id);
    Ok(see(view::ws_letter(&letter.id)))
}

/// Every export format and option, for the letter's organizers. A GET, so
/// the browser downloads it; it changes nothing but the audit log.
pub async fn export(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, WsError> {
    use crate::db::export_rows::{Order, Selection, Who};
    use crate::export::{Format, Options, Stylesheet};
    let current = require(&ctx, &state, &session).await?;
    let (letter, role) = access::letter(&ctx, &state, &current, &path).await?;
    state.limit(&ctx, crate::web::limits::Action::Export)?;
    let q: Vec<(String, String)> = form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| first(&q, k).unwrap_or("");
    let flag = |k: &str| matches!(get(k), "1" | "yes" | "on" | "true");
    let bad = || WsError::Page(ctx.error(ErrorKind::BadRequest));
    let format: Format = get("format").parse().map_err(|_| bad())?;
    let who = match get("who") {
        "" | "public" => Who::Public,
        "initial" => Who::Initial,
        "all" => {
            // Every signer's email address leaves the site: owners only.
            access::require_owner(&ctx, &current, role)?;
            Who::All
        }
        _ => return Err(bad()),
    };
    let order = match get("order") {
        "" | "list" => Order::List,
        "surname" => Order::Surname,
        _ => return Err(bad()),
    };
    let columns = match get("columns") {
        "" | "1" => 1,
        "2" => 2,
        _ => return Err(bad()),
    };
    let now = db::now();
    let options = Options {
        who,
        list_only: flag("list_only"),
        stamp: !flag("no_stamp"),
        bom: flag("bom"),
        columns,
        numbered: flag("numbered"),
        // The site's CSP refuses inline styles; a saved page links back here.
        stylesheet: Stylesheet::Link(state.url("/static/print.css")),
    };
    let selection = Selection {
        letter_id: letter.id.clone(),
        who,
        order,
        initial_first: !flag("mixed"),
        as_of: now,
    };
    let (id, by, detail) = (
        letter.id.clone(),
        current.organizer.id.clone(),
        format!("{} · {who:?}", get("format")),
    );
    run_db(&state, move |conn| {
        audit::record(conn, Some(&by), Some(&id), "letter-exported", &detail, now)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let ctx = ctx.for_letter(letter.language);
    Ok(crate::web::exports::stream(&ctx, &state, letter, format, options, selection, now).await?)
}
