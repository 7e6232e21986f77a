//! Who works on a letter and what they did: the team on the dashboard,
//! the audit log as sentences, and the admins' page of accounts.

use super::{csrf_field, form_errors, page};
use crate::db::audit::AuditEntry;
use crate::db::editors::{Member, Role};
use crate::db::letters::Letter;
use crate::db::organizers::Organizer;
use crate::domain::Lang;
use crate::i18n::{Arg, Tr};
use crate::model::{AuditAction, AuditValue};
use maud::{html, Markup};

/// The dashboard's team: every member with their role, and for an owner
/// (or an admin) the forms that change it. A co-editor sees the list only.
pub fn section(tr: &Tr, csrf: &str, base: &str, team: &[Member], is_owner: bool) -> Markup {
    html! {
        h2 { (tr.t("ws-editors")) }
        ul.ws-team { @for m in team {
            li {
                (m.email) " (" (tr.t(&format!("ws-role-{}", m.role.as_str()))) ")"
                @if is_owner { " " (member_forms(tr, csrf, base, m)) }
            }
        } }
        @if is_owner {
            form method="post" action={ (base) "/editors" } {
                (csrf_field(csrf))
                label for="editor-email" { (tr.t("ws-add-editor")) }
                input #editor-email type="email" name="email" required;
                " " button type="submit" { (tr.t("ws-add")) }
            }
        }
    }
}

fn member_forms(tr: &Tr, csrf: &str, base: &str, m: &Member) -> Markup {
    let action = format!("{base}/editors/{}", m.id);
    let choices: &[(&str, &str)] = match m.role {
        Role::Owner => &[("editor", "ws-team-make-editor"), ("remove", "ws-team-remove")],
        Role::Editor => &[
            ("owner", "ws-team-make-owner"),
            ("transfer", "ws-team-transfer"),
            ("remove", "ws-team-remove"),
        ],
    };
    html! {
        @for (value, label) in choices {
            form.inline method="post" action=(action) {
                (csrf_field(csrf))
                input type="hidden" name="action" value=(value);
                button.link type="submit" aria-label=(tr.ta("ws-team-action-for", &[("label", tr.t(label).into()), ("email", m.email.as_str().into())])) {
                    (tr.t(label))
                }
                " "
            }
        }
    }
}

/// Who did it, as the sentence names them.
fn who(tr: &Tr, e: &AuditEntry) -> String {
    let via = e.args.as_ref().and_then(|a| match a.0.get("via") {
        Some(AuditValue::Text(v)) => Some(v.as_str()),
        _ => None,
    });
    match (&e.who, via) {
        (Some(email), _) => email.clone(),
        (None, Some("command-line")) => tr.t("audit-who-command-line"),
        (None, _) => tr.t("audit-who-service"),
    }
}

/// One row of the log as a sentence in the reader's language, its times on
/// the site's clock. Rows from before the log kept its arguments keep
/// their label and plain detail.
pub fn sentence(tr: &Tr, e: &AuditEntry) -> String {
    let who = who(tr, e);
    let Some(stored) = &e.args else {
        let what = tr.t(&e.action.message_id());
        if e.detail.is_empty() {
            return tr.ta("audit-legacy-bare", &[("who", who.into()), ("what", what.into())]);
        }
        let args = [
            ("who", who.into()),
            ("what", what.into()),
            ("detail", e.detail.clone().into()),
        ];
        return tr.ta("audit-legacy", &args);
    };
    let mut args: Vec<(&str, Arg)> = vec![("who", who.into())];
    for (name, value) in &stored.0 {
        let shown = match value {
            AuditValue::Text(t) if name == "language" => match t.parse::<Lang>() {
                Ok(lang) => Arg::Str(tr.i18n.name(lang)),
                Err(_) => Arg::Str(t.clone()),
            },
            AuditValue::Text(t) => Arg::Str(t.clone()),
            AuditValue::Num(n) => Arg::Num(*n),
            AuditValue::Time(t) => Arg::Str(tr.time(*t)),
        };
        args.push((name.as_str(), shown));
    }
    if e.action == AuditAction::BulkHidden {
        args.push(("window", Arg::Str(window(tr, stored))));
    }
    tr.ta(&e.action.sentence_id(), &args)
}

/// A bulk hide's time window, from whichever ends it had.
fn window(tr: &Tr, stored: &crate::model::AuditArgs) -> String {
    let get = |k: &str| match stored.0.get(k) {
        Some(AuditValue::Time(t)) => Some(Arg::Str(tr.time(*t))),
        _ => None,
    };
    match (get("from"), get("to")) {
        (Some(from), Some(to)) => tr.ta("audit-window-between", &[("from", from), ("to", to)]),
        (Some(from), None) => tr.ta("audit-window-from", &[("from", from)]),
        (None, Some(to)) => tr.ta("audit-window-to", &[("to", to)]),
        (None, None) => String::new(),
    }
}

/// The log's table: when, and what happened as one sentence.
pub fn log_table(tr: &Tr, entries: &[AuditEntry]) -> Markup {
    html! {
        @if entries.is_empty() { p { (tr.t("ws-audit-empty")) } } @else {
            table.ws-table {
                thead { tr { th scope="col" { (tr.t("ws-col-when")) } th scope="col" { (tr.t("ws-col-what")) } } }
                tbody { @for e in entries {
                    tr { td { (tr.time(e.at)) } td { (sentence(tr, e)) } }
                } }
            }
        }
    }
}

pub fn audit(tr: &Tr, who: (&Organizer, &str), l: &Letter, entries: &[AuditEntry]) -> Markup {
    let base = super::letters::ws_letter(&l.id);
    let content = html! {
        h1 { (tr.t("ws-audit")) " · " (l.title) }
        (log_table(tr, entries))
        p { a href=(base) { "← " (tr.t("ws-back")) } }
    };
    page(
        tr,
        &format!("{base}/audit"),
        Some(who),
        &tr.t("ws-audit"),
        content,
    )
}

/// What the admins' page of accounts has to show.
pub struct Accounts<'a> {
    pub list: &'a [Organizer],
    /// The address an invitation was just sent to.
    pub invited: Option<&'a str>,
    pub errors: &'a [String],
    /// The invitation form's fields as typed, when it was refused.
    pub typed: (&'a str, bool),
    /// The site-wide part of the log: accounts, site-wide protected names.
    pub log: &'a [AuditEntry],
}

pub fn organizers(tr: &Tr, who: (&Organizer, &str), a: &Accounts) -> Markup {
    let content = html! {
        h1 { (tr.t("ws-organizers")) }
        @if let Some(email) = a.invited {
            p.saved role="status" { (tr.ta("ws-invitation-sent", &[("email", email.into())])) }
        }
        (form_errors(tr, a.errors))
        table.ws-table {
            thead { tr { th scope="col" { (tr.t("field-email")) } th scope="col" { (tr.t("ws-col-role")) } th scope="col" { (tr.t("ws-col-status")) } th {} } }
            tbody { @for o in a.list {
                tr {
                    td { (o.email) }
                    td { (tr.t(if o.is_admin { "ws-role-admin" } else { "ws-role-organizer" })) }
                    td { (tr.t(if o.disabled { "ws-disabled" } else if o.password_hash.is_some() { "ws-active" } else { "ws-invited" })) }
                    td { @if o.id != who.0.id {
                        form.inline method="post" action={ "/workspace/organizers/" (o.id) } {
                            (csrf_field(who.1))
                            input type="hidden" name="action" value=(if o.disabled { "enable" } else { "disable" });
                            button type="submit" { (tr.t(if o.disabled { "ws-enable" } else { "ws-disable" })) }
                        }
                    } }
                }
            } }
        }
        h2 { (tr.t("ws-invite")) }
        form method="post" action="/workspace/organizers" {
            (csrf_field(who.1))
            div.field { label for="email" { (tr.t("field-email")) } input #email type="email" name="email" required value=(a.typed.0); }
            div.field.checkbox { input #admin type="checkbox" name="admin" value="yes" checked[a.typed.1]; label for="admin" { (tr.t("ws-make-admin")) } }
            button type="submit" { (tr.t("ws-invite")) }
        }
        h2 { (tr.t("ws-accounts-log")) }
        (log_table(tr, a.log))
    };
    page(
        tr,
        "/workspace/organizers",
        Some(who),
        &tr.t("ws-organizers"),
        content,
    )
}
