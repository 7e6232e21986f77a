//! Affiliations verified by email domain.

use crate::db::{self, audit};
use crate::views::workspace::letters as view;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::workspace::access::{self, see};
use crate::web::workspace::session::WsError;
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::{web, HttpResponse};

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
