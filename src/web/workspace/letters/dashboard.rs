//! A letter's dashboard: counts, signatures per day, the latest signers.

use crate::db::{self, dashboard as queries, editors};
use crate::domain::SiteZone;
use crate::views::workspace::letters as view;
use crate::views::workspace::TypedTime;
use crate::web::workspace::access::html;
use crate::web::workspace::extract::{LetterAccess, Query};
use crate::web::workspace::session::WsError;
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Deserialize;

/// Signatures per day over the last 30 days, oldest first. A day is the
/// site's day: a signature at 23:30 in Montréal counts on that date, not
/// on the next one, as UTC would have it.
fn per_day(times: &[NaiveDateTime], now: NaiveDateTime, zone: SiteZone) -> Vec<(NaiveDate, i64)> {
    let first_day = zone.local(now).date() - Duration::days(29);
    let mut days: Vec<(NaiveDate, i64)> = (0..30).map(|i| (first_day + Duration::days(i), 0)).collect();
    for t in times {
        let offset = (zone.local(*t).date() - first_day).num_days();
        if let Some(slot) = usize::try_from(offset).ok().and_then(|i| days.get_mut(i)) {
            slot.1 += 1;
        }
    }
    days
}

/// What the last action left to say, as the redirect to the dashboard
/// put it in the address.
#[derive(Deserialize)]
pub struct Notice {
    shared: Option<String>,
    team: Option<String>,
    notify_limited: Option<String>,
    notified: Option<String>,
}

impl Notice {
    fn message(&self, tr: &crate::i18n::Tr) -> Option<String> {
        if self.shared.as_deref() == Some("1") {
            Some(tr.t("ws-editor-added"))
        } else if self.team.as_deref() == Some("1") {
            Some(tr.t("ws-team-changed"))
        } else if self.notify_limited.as_deref() == Some("1") {
            Some(tr.t("ws-notify-limited-saved"))
        } else {
            let n = self.notified.as_deref()?.parse::<i64>().ok()?;
            Some(tr.ta("ws-notified", &[("n", crate::i18n::Arg::Num(n))]))
        }
    }
}

pub async fn dashboard(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    Query(notice): Query<Notice>,
) -> Result<HttpResponse, WsError> {
    let notice = notice.message(&ctx.tr());
    render(&ctx, &state, access, notice, None).await
}

/// The dashboard, or (`close_typed`) the dashboard again after a refused
/// closing time, with the time as typed and why, answered 422.
pub(super) async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    access: LetterAccess,
    notice: Option<String>,
    close_typed: Option<TypedTime<'_>>,
) -> Result<HttpResponse, WsError> {
    let view = crate::domain::email::AddressView::for_owner(access.owns());
    let LetterAccess {
        current,
        letter,
        role,
    } = access;
    let id = letter.id.clone();
    let now = db::now();
    let (counts, times, latest, editor_list, breakdown, affiliations) = run_db(state, move |conn| {
        Ok((
            queries::status_counts(conn, &id)?,
            queries::confirmed_since(conn, &id, now - Duration::days(30))?,
            queries::latest_with_email(conn, &id, 20, view)?,
            editors::team(conn, &id)?,
            queries::breakdown(conn, &id)?,
            crate::db::affiliations::list(conn, &id)?,
        ))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let days = per_day(&times, now, ctx.tr().zone());
    let d = view::Dashboard {
        letter: &letter,
        role,
        is_admin: current.organizer.is_admin,
        counts: &counts,
        per_day: &days,
        latest: &latest,
        editors: &editor_list,
        notice,
        breakdown: &breakdown,
        affiliations: &affiliations,
        base_url: &state.settings.base_url,
        close_typed,
    };
    let status = match close_typed {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    Ok(html(
        status,
        view::dashboard(&ctx.tr(), (&current.organizer, &current.csrf), &d),
    ))
}
