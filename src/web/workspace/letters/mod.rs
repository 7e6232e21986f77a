//! Letters in the workspace, one file per job: the list, the editor, the
//! life cycle, the dashboard, sharing and the audit log, the translation,
//! affiliations and exports. Routes are registered in `workspace::configure`.

pub mod affiliations;
pub mod dashboard;
pub mod editor;
pub mod export;
pub mod lifecycle;
pub mod list;
pub mod logo;
pub mod mailings;
mod notify;
pub mod sharing;
pub mod translation;

use crate::views::sign_form::FieldErrors;
use crate::web::Ctx;

fn field_errors(ctx: &Ctx, errors: &[(&'static str, crate::domain::letter_form::FieldError)]) -> FieldErrors {
    let tr = ctx.tr();
    let mut out = FieldErrors::default();
    for (field, e) in errors {
        let message = match e {
            crate::domain::letter_form::FieldError::Text(t) => crate::web::form_errors::text_error(&tr, t),
            other => tr.t(other.message_id()),
        };
        out.add(field, message);
    }
    out
}
