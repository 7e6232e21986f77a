//! The privacy page. Its text is Markdown: built in, as the message
//! `privacy-text` of each language's `privacy.ftl`, or replaced by
//! `privacy.fr.md`, `privacy.en.md`… in the data folder.

use super::{AppState, Ctx};
use crate::domain::Lang;
use crate::views::{layout, markdown};
use actix_web::{web, HttpResponse};
use maud::{html, PreEscaped};

pub fn text(state: &AppState, lang: Lang) -> String {
    let file = state
        .settings
        .privacy_dir
        .join(format!("privacy.{}.md", lang.code()));
    match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(_) => state.services.i18n.message(lang, "privacy-text", None),
    }
}

pub async fn page(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let tr = ctx.tr();
    let body = markdown::render(&text(&state, ctx.lang));
    let content = html! { div.privacy { (PreEscaped(body)) } };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(layout::page(&tr, &tr.t("privacy-title"), "/privacy", content).into_string())
}
