//! The letters an organizer may open.

use crate::db::editors;
use crate::db::letters;
use crate::views::workspace::letters as view;
use crate::web::workspace::access::html;
use crate::web::workspace::session::{Current, WsError};
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

pub async fn index(ctx: Ctx, state: web::Data<AppState>, current: Current) -> Result<HttpResponse, WsError> {
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
                let n = st.caches.counts.get(conn, &l.id)?;
                Ok((l, n))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|k| ctx.error(k))?;
    Ok(html(
        StatusCode::OK,
        view::index(&ctx.tr(), (&current.organizer, &current.csrf), &list),
    ))
}
