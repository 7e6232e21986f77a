//! `GET /api/v1/letters/{slug}/stats`: the figures page as JSON, from the
//! same cache.

use super::model::{DayCountJson, RegionCountJson, StatsJson};
use super::{find_public, ApiError, ErrorJson};
use crate::domain::Lang;
use crate::web::{run_db, AppState};
use actix_web::{web, HttpResponse};

/// Confirmed signatures by region and by day; count-only ones included,
/// no name ever.
#[utoipa::path(
    get,
    path = "/api/v1/letters/{slug}/stats",
    tag = "letters",
    params(("slug" = String, Path, description = "The letter's address")),
    responses(
        (status = 200, description = "The figures; the parts add up to `total`", body = StatsJson,
         headers(("Cache-Control" = String, description = "public, max-age=30"))),
        (status = 404, description = "No public letter here", body = ErrorJson)
    )
)]
pub async fn stats(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (letter, _) = find_public(&state, &path).await?;
    let (st, id) = (state.clone(), letter.id.clone());
    let f = run_db(&state, move |conn| st.caches.figures.get(conn, &id)).await?;
    // The official names are French: the API gives them as the
    // government writes them, whatever the reader's language.
    let tr = state.services.i18n.tr(Lang::FR);
    let json = StatsJson {
        slug: letter.slug,
        total: f.figures.total,
        as_of: f.as_of.and_utc(),
        regions: f
            .figures
            .regions
            .iter()
            .map(|(r, n)| RegionCountJson {
                code: r.code(),
                name: tr.t(r.message_id()),
                count: *n,
            })
            .collect(),
        other: f.figures.other,
        not_given: f.figures.not_given,
        earlier: f.figures.earlier,
        days: f
            .figures
            .days
            .iter()
            .map(|(d, n)| DayCountJson {
                date: d.to_string(),
                count: *n,
            })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "public, max-age=30"))
        .json(json))
}
