//! Pages of the organizers' workspace.

pub mod auth;
pub mod chart;
pub mod contacts_form;
pub mod counts;
pub mod csv_import;
pub mod editor;
pub mod letters;
pub mod mailings;
pub mod moderation;
pub mod publish;
pub mod signatories;
pub mod team;

use super::layout;
use crate::db::organizers::Organizer;
use crate::i18n::Tr;
use maud::{html, Markup};

/// A workspace page: the site layout with the workspace navigation.
pub fn page(tr: &Tr, path: &str, who: Option<(&Organizer, &str)>, title: &str, content: Markup) -> Markup {
    let body = html! {
        @if let Some((organizer, csrf)) = who {
            nav.workspace-nav aria-label=(tr.t("ws-nav-label")) {
                a href="/workspace" { (tr.t("ws-letters")) }
                @if organizer.is_admin {
                    " · " a href="/workspace/organizers" { (tr.t("ws-organizers")) }
                    " · " a href="/workspace/protected" { (tr.t("ws-protected-site")) }
                }
                " · " span.who { (organizer.email) }
                form.inline method="post" action="/workspace/sign-out" {
                    (csrf_field(csrf))
                    button.link type="submit" { (tr.t("ws-sign-out")) }
                }
            }
        }
        (content)
    };
    layout::page(tr, title, path, body)
}

pub fn csrf_field(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(csrf); }
}

/// A date and time as typed, with why it was refused: the form shows it
/// again as it was, beside its message.
#[derive(Debug, Clone, Copy)]
pub struct TypedTime<'a> {
    pub value: &'a str,
    pub error: &'a str,
}

/// A `datetime-local` field on the site's clock, with its error when the
/// time typed could not be used.
pub fn time_field(name: &str, label: String, value: &str, error: Option<&str>, required: bool) -> Markup {
    html! {
        label for=(name) { (label) }
        input id=(name) type="datetime-local" name=(name) value=(value) required[required]
            aria-invalid=[error.map(|_| "true")]
            aria-describedby=[error.map(|_| format!("{name}-error"))];
        @if let Some(m) = error { p.field-error id={ (name) "-error" } { (m) } }
    }
}

/// Messages about the whole form, at its top.
pub fn form_errors(tr: &Tr, errors: &[String]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" {
                h2 { (tr.t("form-error-summary")) }
                ul { @for e in errors { li { (e) } } }
            }
        }
    }
}
