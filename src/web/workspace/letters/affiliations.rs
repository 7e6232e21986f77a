//! Affiliations verified by email domain.

use crate::actions::letters as actions;
use crate::db;
use crate::domain::{EmailDomain, TitleLine};
use crate::views::workspace::letters as view;
use crate::web::error::ErrorKind;
use crate::web::workspace::access::see;
use crate::web::workspace::extract::{act, write, LetterAccess, WithForm};
use crate::web::workspace::session::WsError;
use crate::web::{AppState, Ctx};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum AffiliationForm {
    Add {
        #[serde(default)]
        affiliation: String,
        #[serde(default)]
        domain: String,
    },
    Remove {
        #[serde(default)]
        aid: String,
    },
}

/// Maps an affiliation to an email domain, or removes a mapping.
pub async fn affiliations(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, AffiliationForm>,
) -> Result<HttpResponse, WsError> {
    let (actor, id) = (access.actor(), access.id().clone());
    match form {
        AffiliationForm::Add { affiliation, domain } => {
            let bad = || ctx.error(ErrorKind::BadRequest);
            let affiliation = TitleLine::parse(&affiliation).map_err(|_| bad())?;
            let domain = EmailDomain::parse(&domain).map_err(|_| bad())?;
            write(&ctx, &state, move |tx| {
                actions::map_affiliation(tx, &actor, &id, affiliation.as_str(), &domain, db::now())
            })
            .await?;
        }
        AffiliationForm::Remove { aid } => {
            // A mapping already gone leaves nothing to do.
            let removed = act(&ctx, &state, move |tx| {
                actions::unmap_affiliation(tx, &actor, &id, &aid, db::now())
            })
            .await;
            match removed {
                Err(WsError::Page(p)) if p.kind() == ErrorKind::NotFound => {}
                other => other?,
            }
        }
    }
    state.letter_changed(access.id());
    Ok(see(view::ws_letter(access.id())))
}
