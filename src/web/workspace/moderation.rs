//! The review queue, hiding and exclusion, bulk hiding, protected names.

use super::access::{self, form};
use super::access::{html, see};
use super::session::{check_csrf, require, Current, WsError};
use crate::db::moderation::{self, Bulk, Decision, Mode, Moderation};
use crate::db::{self, audit};
use crate::domain::SignerName;
use crate::views::workspace::letters::ws_letter;
use crate::views::workspace::moderation as view;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;

fn showing(raw: Option<&str>) -> Moderation {
    match raw {
        Some("shown") => Moderation::Shown,
        Some("hidden") => Moderation::Hidden,
        _ => Moderation::Queued,
    }
}

struct Extra<'a> {
    bulk: Option<(i64, &'a [(String, String)])>,
    errors: &'a [String],
    status: StatusCode,
}

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    current: &Current,
    letter: &crate::db::letters::Letter,
    show: Moderation,
    extra: Extra<'_>,
) -> Result<HttpResponse, WsError> {
    let id = letter.id.clone();
    let (mode, rows, counts, protected) = run_db(state, move |conn| {
        Ok((
            moderation::mode_of(conn, &id)?,
            moderation::list(conn, &id, show, 200)?,
            moderation::counts(conn, &id)?,
            moderation::list_protected(conn, Some(&id))?,
        ))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let p = view::ModerationPage {
        letter,
        mode,
        showing: show,
        rows: &rows,
        counts,
        protected: &protected,
        bulk_preview: extra.bulk,
        errors: extra.errors,
    };
    Ok(html(
        extra.status,
        view::render(&ctx.tr(), (&current.organizer, &current.csrf), &p),
    ))
}

pub async fn page(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    let (letter, _) = access::letter(&ctx, &state, &current, &path).await?;
    let query: Vec<(String, String)> = form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    let show = first(&query, "show").map(str::to_string);
    let stale: Vec<String> = first(&query, "stale")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .map(|n| {
            ctx.tr()
                .ta("ws-moderation-stale", &[("n", crate::i18n::Arg::Num(n))])
        })
        .into_iter()
        .collect();
    let extra = Extra {
        bulk: None,
        errors: &stale,
        status: StatusCode::OK,
    };
    render(&ctx, &state, &current, &letter, showing(show.as_deref()), extra).await
}

pub async fn decide(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let decision = match first(&pairs, "decision") {
        Some("approve") => Decision::Approve,
        Some("hide") => Decision::Hide,
        Some("exclude") => Decision::HideAndExclude,
        Some("include") => Decision::Include,
        _ => return Err(WsError::Page(ctx.error(ErrorKind::BadRequest))),
    };
    let selected: Vec<moderation::Selected> = pairs
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| moderation::Selected::parse(v))
        .collect();
    let asked = selected.len();
    let show = showing(first(&pairs, "show"));
    let (id, by) = (letter.id.clone(), current.organizer.id.clone());
    let action = format!("{decision:?}").to_lowercase();
    let n = run_db(&state, move |conn| {
        db::write_tx(conn, |conn| {
            let now = db::now();
            let n = moderation::decide(conn, &id, &selected, decision, &by, now)?;
            if n > 0 {
                audit::record(
                    conn,
                    Some(&by),
                    Some(&id),
                    &format!("moderation-{action}"),
                    &n.to_string(),
                    now,
                )?;
            }
            Ok(n)
        })
    })
    .await
    .map_err(|k| ctx.error(k))?;
    state.letter_changed(&letter.id);
    // Rows that changed since the page was loaded were not approved: the
    // page says how many, so the organizer looks at them again.
    let stale = if decision == Decision::Approve {
        asked.saturating_sub(n)
    } else {
        0
    };
    let notice = if stale > 0 {
        format!("&stale={stale}")
    } else {
        String::new()
    };
    Ok(see(format!(
        "{}/moderation?show={show}{notice}",
        ws_letter(&letter.id)
    )))
}

pub async fn mode(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let mode = match first(&pairs, "mode") {
        Some("immediate") => Mode::Immediate,
        Some("review") => Mode::Review,
        _ => return Err(WsError::Page(ctx.error(ErrorKind::BadRequest))),
    };
    let (id, by) = (letter.id.clone(), current.organizer.id.clone());
    run_db(&state, move |conn| {
        let now = db::now();
        moderation::set_mode(conn, &id, mode, now)?;
        audit::record(conn, Some(&by), Some(&id), "moderation-mode", mode.as_str(), now)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    Ok(see(format!("{}/moderation", ws_letter(&letter.id))))
}

fn parse_time(raw: Option<&str>) -> Result<Option<NaiveDateTime>, ()> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
            .map(Some)
            .map_err(|_| ()),
    }
}

/// Bulk hide: the first step counts what would be hidden, the second hides.
pub async fn bulk(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    let tr = ctx.tr();
    let domain = first(&pairs, "domain")
        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
        .filter(|d| !d.is_empty());
    let valid_domain = domain.as_deref().is_none_or(|d| {
        d.contains('.')
            && d.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    });
    let from = parse_time(first(&pairs, "from"));
    let to = parse_time(first(&pairs, "to"));
    let kept: Vec<(String, String)> = ["domain", "from", "to", "exclude"]
        .iter()
        .map(|k| (k.to_string(), first(&pairs, k).unwrap_or("").to_string()))
        .collect();
    let (Ok(from), Ok(to), true) = (from, to, valid_domain) else {
        let errors = [tr.t("ws-bulk-invalid")];
        let extra = Extra {
            bulk: None,
            errors: &errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        };
        return render(&ctx, &state, &current, &letter, Moderation::Queued, extra).await;
    };
    if domain.is_none() && from.is_none() && to.is_none() {
        let errors = [tr.t("ws-bulk-empty")];
        let extra = Extra {
            bulk: None,
            errors: &errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        };
        return render(&ctx, &state, &current, &letter, Moderation::Queued, extra).await;
    }
    let criteria = Bulk { domain, from, to };
    let exclude = first(&pairs, "exclude").is_some_and(|v| !v.is_empty());
    let (id, by) = (letter.id.clone(), current.organizer.id.clone());
    if first(&pairs, "step") == Some("apply") {
        run_db(&state, move |conn| {
            let now = db::now();
            let n = moderation::bulk_hide(conn, &id, &criteria, exclude, &by, now)?;
            let detail = format!("{n} · {criteria:?}");
            audit::record(conn, Some(&by), Some(&id), "moderation-bulk-hide", &detail, now)
        })
        .await
        .map_err(|k| ctx.error(k))?;
        state.letter_changed(&letter.id);
        return Ok(see(format!("{}/moderation?show=hidden", ws_letter(&letter.id))));
    }
    let n = run_db(&state, move |conn| moderation::bulk_count(conn, &id, &criteria))
        .await
        .map_err(|k| ctx.error(k))?;
    let extra = Extra {
        bulk: Some((n, &kept)),
        errors: &[],
        status: StatusCode::OK,
    };
    render(&ctx, &state, &current, &letter, Moderation::Queued, extra).await
}

async fn change_protected(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    current: &Current,
    letter_id: Option<String>,
    pairs: &[(String, String)],
) -> Result<(), WsError> {
    let by = current.organizer.id.clone();
    match first(pairs, "action") {
        Some("add") => {
            let name = SignerName::parse(first(pairs, "name").unwrap_or(""))
                .map_err(|_| ctx.error(ErrorKind::BadRequest))?
                .into_string();
            let changed = run_db(state, move |conn| {
                db::write_tx(conn, |conn| {
                    let now = db::now();
                    moderation::add_protected(conn, letter_id.as_deref(), &name, now)?;
                    // Names already listed that match go back to review,
                    // unless an organizer approved them.
                    let changed = crate::db::visibility::hold_protected(conn, letter_id.as_deref(), now)?;
                    audit::record(
                        conn,
                        Some(&by),
                        letter_id.as_deref(),
                        "protected-added",
                        &name,
                        now,
                    )?;
                    Ok(changed)
                })
            })
            .await
            .map_err(|k| ctx.error(k))?;
            for letter_id in changed {
                state.letter_changed(&letter_id);
            }
        }
        Some("remove") => {
            let pid = first(pairs, "pid").unwrap_or("").to_string();
            run_db(state, move |conn| {
                let now = db::now();
                if moderation::remove_protected(conn, letter_id.as_deref(), &pid)? {
                    audit::record(
                        conn,
                        Some(&by),
                        letter_id.as_deref(),
                        "protected-removed",
                        &pid,
                        now,
                    )?;
                }
                Ok(())
            })
            .await
            .map_err(|k| ctx.error(k))?;
        }
        _ => return Err(WsError::Page(ctx.error(ErrorKind::BadRequest))),
    }
    Ok(())
}

pub async fn protected(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let (current, letter, _, pairs) = access::letter_form(&ctx, &state, &session, &path, payload).await?;
    change_protected(&ctx, &state, &current, Some(letter.id.clone()), &pairs).await?;
    Ok(see(format!("{}/moderation", ws_letter(&letter.id))))
}

pub async fn site_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    super::access::require_admin(&ctx, &current)?;
    let names = run_db(&state, |conn| moderation::list_protected(conn, None))
        .await
        .map_err(|k| ctx.error(k))?;
    Ok(html(
        StatusCode::OK,
        view::site_protected(&ctx.tr(), (&current.organizer, &current.csrf), &names),
    ))
}

pub async fn site_change(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let current = require(&ctx, &state, &session).await?;
    super::access::require_admin(&ctx, &current)?;
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    change_protected(&ctx, &state, &current, None, &pairs).await?;
    Ok(see("/workspace/protected"))
}
