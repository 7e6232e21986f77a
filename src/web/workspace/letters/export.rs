//! Downloads of a letter and its signatories.

use crate::db;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::workspace::access;
use crate::web::workspace::extract::act;
use crate::web::workspace::session::{require, WsError};
use crate::web::{AppState, Ctx};
use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};

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
        letter_id: letter.id.to_string(),
        who,
        order,
        initial_first: !flag("mixed"),
        as_of: now,
    };
    let (id, detail) = (letter.id.clone(), format!("{} · {who:?}", get("format")));
    let actor = crate::actions::Actor {
        role,
        ..current.actor()
    };
    let with_emails = who == Who::All;
    act(&ctx, &state, move |tx| {
        crate::actions::letters::export(tx, &actor, &id, with_emails, &detail, now)
    })
    .await?;
    let ctx = ctx.for_letter(letter.language);
    Ok(crate::web::exports::stream(&ctx, &state, letter, format, options, selection, now).await?)
}
