//! A letter's dashboard: counts, signatures per day, the latest signers.

use super::who;
use crate::db::{self, dashboard as queries, editors};
use crate::views::workspace::letters as view;
use crate::web::workspace::access::{self, html};
use crate::web::workspace::session::{require, WsError};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, NaiveDate, NaiveDateTime};

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
