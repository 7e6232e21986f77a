//! Read-only JSON. The count is the same cached count the pages show.

use super::{run_db, AppState};
use crate::db::letters::{self, Letter};
use crate::domain::Slug;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Serialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/letters/{slug}").route(web::get().to(letter)))
        .default_service(web::to(not_found));
}

#[derive(Serialize)]
pub struct LetterJson {
    pub slug: String,
    pub title: String,
    pub language: String,
    pub status: String,
    pub signature_count: i64,
    pub goal: Option<i64>,
    pub place: String,
    pub date: String,
    pub addressees: String,
    pub url: String,
}

#[derive(Serialize)]
struct ErrorJson {
    error: &'static str,
}

fn error(status: StatusCode, code: &'static str) -> HttpResponse {
    HttpResponse::build(status).json(ErrorJson { error: code })
}

async fn not_found() -> HttpResponse {
    error(StatusCode::NOT_FOUND, "not_found")
}

pub async fn letter(state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let Ok(slug) = Slug::parse(&path) else {
        return error(StatusCode::NOT_FOUND, "not_found");
    };
    let st = state.clone();
    let found = run_db(&state, move |conn| {
        let Some(letter) = letters::find_by_slug(conn, slug.as_str())?.filter(Letter::is_public) else {
            return Ok(None);
        };
        let count = st.counts.get(conn, &letter.id)?;
        Ok(Some((letter, count)))
    })
    .await;
    match found {
        Ok(Some((letter, count))) => HttpResponse::Ok().json(LetterJson {
            url: state.url(&crate::views::links::letter(&letter.slug)),
            slug: letter.slug,
            title: letter.title,
            language: letter.language.code().to_string(),
            status: letter.status.as_str().to_string(),
            signature_count: count,
            goal: letter.goal,
            place: letter.place,
            date: letter.date.to_string(),
            addressees: letter.addressees,
        }),
        Ok(None) => error(StatusCode::NOT_FOUND, "not_found"),
        Err(kind) => error(kind.status(), "unavailable"),
    }
}
