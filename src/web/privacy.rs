//! The privacy page. Its text is Markdown: built in, as the message
//! `privacy-text` of each language's `privacy.ftl`, or replaced by
//! `privacy.fr.md`, `privacy.en.md`… in the data folder. Under it, the
//! people responsible for personal information (Quebec's Law 25): the
//! site's, from the settings, and each public letter's own.

use super::{run_db, AppState, Ctx, PageError};
use crate::db::contacts::public_officers;
use crate::domain::Lang;
use crate::views::{behind, layout, links, markdown};
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

pub async fn page(ctx: Ctx, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let tr = ctx.tr();
    let letters = run_db(&state, public_officers).await.map_err(|k| ctx.error(k))?;
    let site = &state.settings.privacy_officer;
    let body = markdown::render(&text(&state, ctx.lang));
    let content = html! {
        div.privacy { (PreEscaped(body)) }
        section.privacy-officers aria-labelledby="officer-heading" {
            h2 #officer-heading { (tr.t("press-officer-heading")) }
            @if site.is_empty() {
                p { (tr.t("press-officer-site-none")) }
            } @else {
                p.site-officer { (tr.t("press-officer-site")) " " (behind::person(site)) }
            }
            @if !letters.is_empty() {
                p { (tr.t("press-officer-letters")) }
                ul.letter-officers { @for l in &letters {
                    li { a href=(links::letter(&l.slug)) { (l.title) } " · " (behind::person(&l.officer)) }
                } }
            }
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(layout::page(&tr, &tr.t("privacy-title"), "/privacy", content).into_string()))
}
