//! The review queue, hiding and exclusion, bulk hiding, protected names.

use super::access::{html, see};
use super::extract::{act, write, LetterAccess, Query, WithForm};
use super::session::{Current, WsError};
use crate::actions::{moderation, Actor};
use crate::db;
use crate::db::moderation::{self as store, Bulk, BulkProblem, Decision, Mode, Moderation, Selected};
use crate::domain::SignerName;
use crate::i18n::Tr;
use crate::model::LetterId;
use crate::views::workspace::letters::ws_letter;
use crate::views::workspace::moderation as view;
use crate::web::error::{BadTime, ErrorKind};
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

fn showing(raw: Option<&str>) -> Moderation {
    match raw {
        Some("shown") => Moderation::Shown,
        Some("hidden") => Moderation::Hidden,
        _ => Moderation::Queued,
    }
}

/// Names a bulk hide's preview lists before "and N more".
const BULK_NAMES_SHOWN: i64 = 50;

struct Extra<'a> {
    bulk: Option<crate::views::workspace::moderation::BulkPreview<'a>>,
    /// The bulk form as typed, and its fields' errors.
    bulk_form: &'a [(String, String)],
    bulk_errors: &'a [(&'static str, String)],
    errors: &'a [String],
    status: StatusCode,
}

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    access: &LetterAccess,
    show: Moderation,
    extra: Extra<'_>,
) -> Result<HttpResponse, WsError> {
    let id = access.id().clone();
    let view = crate::domain::email::AddressView::for_owner(access.owns());
    let (mode, rows, counts, protected, applying) = run_db(state, move |conn| {
        Ok((
            store::mode_of(conn, &id)?,
            store::list(conn, &id, show, 200, view)?,
            store::counts(conn, &id)?,
            store::list_protected(conn, Some(&id))?,
            store::protected_for(conn, &id)?,
        ))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    // Which protected name (the letter's or the site's) each row matches.
    let matched: Vec<Option<String>> = rows
        .iter()
        .map(|r| {
            crate::domain::protected::matching(&r.name, applying.iter().map(String::as_str))
                .map(str::to_string)
        })
        .collect();
    let p = view::ModerationPage {
        letter: &access.letter,
        mode,
        showing: show,
        rows: &rows,
        matched: &matched,
        counts,
        protected: &protected,
        bulk_preview: extra.bulk,
        bulk_form: extra.bulk_form,
        bulk_errors: extra.bulk_errors,
        errors: extra.errors,
    };
    Ok(html(extra.status, view::render(&ctx.tr(), access.who(), &p)))
}

#[derive(Deserialize)]
pub struct PageQuery {
    show: Option<String>,
    stale: Option<String>,
}

pub async fn page(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    Query(query): Query<PageQuery>,
) -> Result<HttpResponse, WsError> {
    let stale: Vec<String> = query
        .stale
        .as_deref()
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
        bulk_form: &[],
        bulk_errors: &[],
        errors: &stale,
        status: StatusCode::OK,
    };
    render(&ctx, &state, &access, showing(query.show.as_deref()), extra).await
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: Decision,
    #[serde(default, rename = "id")]
    ids: Vec<String>,
    show: Option<String>,
}

pub async fn decide(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, DecideForm>,
) -> Result<HttpResponse, WsError> {
    let selected: Vec<Selected> = form.ids.iter().map(|v| Selected::parse(v)).collect();
    let asked = selected.len();
    let (actor, id, decision) = (access.actor(), access.id().clone(), form.decision);
    let n = write(&ctx, &state, move |tx| {
        moderation::decide(tx, &actor, &id, &selected, decision, db::now())
    })
    .await?;
    state.letter_changed(access.id());
    // Rows that changed since the page was loaded were not approved: the
    // page says how many, so the organizer looks at them again.
    let stale = match decision {
        Decision::Approve => asked.saturating_sub(n),
        _ => 0,
    };
    let notice = if stale > 0 {
        format!("&stale={stale}")
    } else {
        String::new()
    };
    let show = showing(form.show.as_deref());
    Ok(see(format!(
        "{}/moderation?show={show}{notice}",
        ws_letter(access.id())
    )))
}

#[derive(Deserialize)]
pub struct ModeForm {
    mode: Mode,
}

pub async fn mode(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, ModeForm>,
) -> Result<HttpResponse, WsError> {
    let (actor, id) = (access.actor(), access.id().clone());
    write(&ctx, &state, move |tx| {
        moderation::set_mode(tx, &actor, &id, form.mode, db::now())
    })
    .await?;
    Ok(see(format!("{}/moderation", ws_letter(access.id()))))
}

#[derive(Deserialize)]
pub struct BulkForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    exclude: String,
    step: Option<String>,
}

impl BulkForm {
    /// The fields as typed, for the preview to keep them.
    fn kept(&self) -> Vec<(String, String)> {
        [
            ("domain", &self.domain),
            ("from", &self.from),
            ("to", &self.to),
            ("exclude", &self.exclude),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}

/// Why a bulk form selects nothing: a line for the page's summary, and
/// each field's own message beside it.
fn bulk_problem(tr: &Tr, problem: BulkProblem) -> (Vec<String>, Vec<(&'static str, String)>) {
    let BulkProblem::Invalid { domain, from, to } = problem else {
        return (vec![tr.t("ws-bulk-empty")], Vec::new());
    };
    let mut fields = Vec::new();
    if domain {
        fields.push(("domain", tr.t("ws-bulk-domain-invalid")));
    }
    for (name, e) in [("from", from), ("to", to)] {
        if let Some(e) = e {
            fields.push((name, tr.t(BadTime::from(e).message_id())));
        }
    }
    (vec![tr.t("ws-bulk-invalid")], fields)
}

/// Bulk hide: the first step counts what would be hidden, the second hides.
pub async fn bulk(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, BulkForm>,
) -> Result<HttpResponse, WsError> {
    let kept = form.kept();
    let criteria = match Bulk::parse(&form.domain, &form.from, &form.to, ctx.tr().zone()) {
        Ok(c) => c,
        Err(problem) => {
            let (errors, bulk_errors) = bulk_problem(&ctx.tr(), problem);
            let extra = Extra {
                bulk: None,
                bulk_form: &kept,
                bulk_errors: &bulk_errors,
                errors: &errors,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            return render(&ctx, &state, &access, Moderation::Queued, extra).await;
        }
    };
    let exclude = !form.exclude.is_empty();
    let (actor, id) = (access.actor(), access.id().clone());
    if form.step.as_deref() == Some("apply") {
        write(&ctx, &state, move |tx| {
            moderation::bulk_hide(tx, &actor, &id, &criteria, exclude, db::now())
        })
        .await?;
        state.letter_changed(access.id());
        return Ok(see(format!("{}/moderation?show=hidden", ws_letter(access.id()))));
    }
    let (count, names) = run_db(&state, move |conn| {
        Ok((
            store::bulk_count(conn, &id, &criteria)?,
            store::bulk_names(conn, &id, &criteria, BULK_NAMES_SHOWN)?,
        ))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let extra = Extra {
        bulk: Some(crate::views::workspace::moderation::BulkPreview { count, names: &names }),
        bulk_form: &kept,
        bulk_errors: &[],
        errors: &[],
        status: StatusCode::OK,
    };
    render(&ctx, &state, &access, Moderation::Queued, extra).await
}

#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum ProtectedForm {
    Add { name: String },
    Remove { pid: String },
}

/// Adds or removes a protected name, on one letter or site-wide.
async fn change_protected(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    actor: Actor,
    letter: Option<LetterId>,
    form: ProtectedForm,
) -> Result<(), WsError> {
    match form {
        ProtectedForm::Add { name } => {
            let name = SignerName::parse(&name).map_err(|_| ctx.error(ErrorKind::BadRequest))?;
            let changed = act(ctx, state, move |tx| {
                moderation::protect(tx, &actor, letter.as_ref(), &name, db::now())
            })
            .await?;
            for letter_id in changed {
                state.letter_changed(&letter_id);
            }
        }
        ProtectedForm::Remove { pid } => {
            // Removing what is not there leaves nothing to do: the page
            // shows the list as it is.
            let removed = act(ctx, state, move |tx| {
                moderation::unprotect(tx, &actor, letter.as_ref(), &pid, db::now())
            })
            .await;
            match removed {
                Err(WsError::Page(p)) if p.kind() == ErrorKind::NotFound => {}
                other => other?,
            }
        }
    }
    Ok(())
}

pub async fn protected(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, ProtectedForm>,
) -> Result<HttpResponse, WsError> {
    change_protected(&ctx, &state, access.actor(), Some(access.id().clone()), form).await?;
    Ok(see(format!("{}/moderation", ws_letter(access.id()))))
}

pub async fn site_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    current: Current,
) -> Result<HttpResponse, WsError> {
    current.require_admin(&ctx)?;
    let names = run_db(&state, |conn| store::list_protected(conn, None))
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
    WithForm { who: current, form }: WithForm<Current, ProtectedForm>,
) -> Result<HttpResponse, WsError> {
    current.require_admin(&ctx)?;
    change_protected(&ctx, &state, current.actor(), None, form).await?;
    Ok(see("/workspace/protected"))
}
