use super::editor::{correction_box, text_input};
use super::{csrf_field, page};
use crate::db::editors::Role;
use crate::db::letters::{Letter, LetterStatus};
use crate::db::organizers::Organizer;
use crate::domain::letter_form::LetterFields;
use crate::domain::Lang;
use crate::i18n::Tr;
use crate::model::SignatureStatus;
use crate::views::links;
use crate::views::sign_form::FieldErrors;
use chrono::{NaiveDate, NaiveDateTime};
use maud::{html, Markup};

pub fn ws_letter(id: &crate::model::LetterId) -> String {
    format!("/workspace/letters/{id}")
}

fn status_label(tr: &Tr, l: &Letter) -> String {
    let mut s = tr.t(&format!("ws-status-{}", l.status().as_str()));
    if l.archived {
        s.push_str(" · ");
        s.push_str(&tr.t("ws-archived"));
    }
    s
}

pub fn index(tr: &Tr, who: (&Organizer, &str), letters: &[(Letter, i64)]) -> Markup {
    let content = html! {
        h1 { (tr.t("ws-letters")) }
        p { a.button href="/workspace/letters/new" { (tr.t("ws-new-letter")) } }
        @if letters.is_empty() {
            p { (tr.t("ws-no-letters")) }
        } @else {
            table.ws-table {
                thead { tr {
                    th scope="col" { (tr.t("ws-col-title")) }
                    th scope="col" { (tr.t("ws-col-status")) }
                    th scope="col" { (tr.t("ws-col-signatures")) }
                } }
                tbody {
                    @for (l, count) in letters {
                        tr {
                            td { a href=(ws_letter(&l.id)) { (l.title) } br; small { "/letters/" (l.slug) } }
                            td { (status_label(tr, l)) }
                            td { (tr.count(*count)) }
                        }
                    }
                }
            }
        }
    };
    page(tr, "/workspace", Some(who), &tr.t("ws-letters"), content)
}

pub struct Dashboard<'a> {
    pub letter: &'a Letter,
    pub role: Option<Role>,
    pub is_admin: bool,
    pub counts: &'a [(SignatureStatus, i64)],
    pub per_day: &'a [(NaiveDate, i64)],
    pub latest: &'a [(String, Option<String>, String, NaiveDateTime)],
    pub editors: &'a [crate::db::editors::Member],
    pub notice: Option<String>,
    /// How the confirmed signatures make the public count.
    pub breakdown: &'a crate::db::dashboard::Breakdown,
    pub affiliations: &'a [crate::db::affiliations::Mapping],
    /// The site's public origin, for the embed snippet.
    pub base_url: &'a str,
    /// A closing time refused, shown again with its reason.
    pub close_typed: Option<super::TypedTime<'a>>,
}

pub fn dashboard(tr: &Tr, who: (&Organizer, &str), d: &Dashboard) -> Markup {
    let l = d.letter;
    let base = ws_letter(&l.id);
    let count_of = |s: SignatureStatus| {
        d.counts
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let is_owner = d.is_admin || d.role == Some(Role::Owner);
    let content = html! {
        h1 { (l.title) }
        @if let Some(n) = &d.notice { p.saved role="status" { (n) } }
        p { (status_label(tr, l)) " · "
            @if l.is_public() { a href=(links::letter(&l.slug)) { (tr.t("ws-public-page")) } " · " }
            a href={ (base) "/preview" } { (tr.t("ws-preview")) } " · "
            a href={ (base) "/edit" } { (tr.t("ws-edit-letter")) } " · "
            a href={ (base) "/signatories" } { (tr.t("ws-initial-signatories")) } " · "
            @for lang in Lang::all().filter(|lang| *lang != l.language) {
                a href={ (base) "/translation?to=" (lang) } { (translation_heading(tr, lang)) } " · "
            }
            a href={ (base) "/moderation" } { (tr.t("ws-moderation")) }
            @if is_owner {
                " · " a href={ (base) "/messages" } { (tr.t("ws-mailings")) }
                " · " a href={ (base) "/import/csv" } { (tr.t("csv-import")) }
                " · " a href={ (base) "/audit" } { (tr.t("ws-audit")) }
            }
        }
        h2 { (tr.t("ws-counts")) }
        (super::counts::counts(tr, d.breakdown, count_of(SignatureStatus::Pending), count_of(SignatureStatus::Withdrawn)))
        @if let Some(goal) = l.goal.filter(|g| d.breakdown.public() >= *g) {
            // The public count met the goal: the letter now says so, and a
            // higher goal gives the campaign its next step.
            p.goal-reached {
                (crate::views::components::goal_reached(tr, "phone-dash-goal-reached", d.breakdown.public(), goal)) " "
                a href={ (base) "/edit#goal" } { (tr.t("phone-dash-raise-goal")) }
            }
        }
        (super::chart::chart(tr, d.per_day))
        h2 { (tr.t("ws-life-cycle")) }
        div.ws-actions {
            @match l.status() {
                LetterStatus::Draft => { (super::publish::draft_actions(tr, who, l)) }
                LetterStatus::Published => {
                    form.inline method="post" action={ (base) "/status" } {
                        (csrf_field(who.1)) input type="hidden" name="action" value="close";
                        button type="submit" { (tr.t("ws-close")) }
                    }
                    form method="post" action={ (base) "/status" } {
                        (csrf_field(who.1)) input type="hidden" name="action" value="schedule";
                        (super::time_field(
                            "close_at",
                            tr.ta("ws-close-at", &[("zone", tr.zone().name().into())]),
                            &d.close_typed.map(|t| t.value.to_string())
                                .unwrap_or_else(|| l.close_at.map(|t| tr.time_input(t)).unwrap_or_default()),
                            d.close_typed.map(|t| t.error),
                            false,
                        ))
                        " " button type="submit" { (tr.t("ws-schedule")) }
                        p.hint { (tr.t("ws-close-at-hint")) }
                    }
                }
                LetterStatus::Closed => {
                    @if l.anonymised_at.is_none() {
                        form.inline method="post" action={ (base) "/status" } {
                            (csrf_field(who.1)) input type="hidden" name="action" value="reopen";
                            button type="submit" { (tr.t("ws-reopen")) }
                        }
                        @if is_owner {
                            form method="post" action={ (base) "/status" } {
                                (csrf_field(who.1)) input type="hidden" name="action" value="anonymise";
                                p.hint { (tr.t("ws-anonymise-hint")) }
                                button type="submit" { (tr.t("ws-anonymise")) }
                            }
                        }
                    } @else {
                        p { (tr.t("ws-anonymised")) }
                    }
                }
            }
            @if l.status() != LetterStatus::Draft {
                form.inline method="post" action={ (base) "/status" } {
                    (csrf_field(who.1))
                    input type="hidden" name="action" value=(if l.archived { "unarchive" } else { "archive" });
                    button type="submit" { (tr.t(if l.archived { "ws-unarchive" } else { "ws-archive" })) }
                }
            }
        }
        @if l.is_public() {
            h2 { (tr.t("ws-embed")) }
            label for="embed-snippet" { (tr.t("ws-embed-hint")) }
            textarea #embed-snippet readonly rows="3" {
                (crate::views::embed::snippet(tr, l, d.base_url))
            }
        }
        h2 { (tr.t("ws-latest")) }
        @if d.latest.is_empty() { p { (tr.t("no-signatories-yet")) } } @else {
            table.ws-table {
                thead { tr {
                    th scope="col" { (tr.t("field-name")) } th scope="col" { (tr.t("field-email")) }
                    th scope="col" { (tr.t("ws-col-status")) } th scope="col" { (tr.t("manage-signed-at")) }
                } }
                tbody { @for (name, email, status, at) in d.latest {
                    tr { td { (name) } td { (email.as_deref().unwrap_or("—")) }
                         td { (tr.t(&format!("status-{status}"))) } td { (tr.time(*at)) } }
                } }
            }
        }
        h2 { (tr.t("ws-export")) }
        form method="get" action={ (base) "/export" } {
            div.field {
                label for="format" { (tr.t("ws-export-format")) }
                select #format name="format" {
                    option value="pdf" { "PDF" } option value="text" { (tr.t("ws-format-text")) }
                    option value="markdown" { "Markdown" } option value="csv" { "CSV" }
                    option value="json" { "JSON" } option value="html" { (tr.t("ws-format-html")) }
                }
            }
            div.field {
                label for="who" { (tr.t("ws-export-who")) }
                select #who name="who" {
                    option value="public" selected { (tr.t("ws-who-public")) }
                    option value="initial" { (tr.t("ws-who-initial")) }
                    @if is_owner { option value="all" { (tr.t("ws-who-all")) } }
                }
            }
            div.field {
                label for="order" { (tr.t("ws-export-order")) }
                select #order name="order" {
                    option value="list" selected { (tr.t("ws-order-list")) }
                    option value="surname" { (tr.t("ws-order-surname")) }
                }
            }
            div.field {
                label for="columns" { (tr.t("ws-export-columns")) }
                select #columns name="columns" { option value="1" { "1" } option value="2" { "2" } }
            }
            @for (name, label) in [("mixed", "ws-export-mixed"), ("list_only", "ws-export-list-only"), ("numbered", "ws-export-numbered"), ("no_stamp", "ws-export-no-stamp"), ("bom", "ws-export-bom")] {
                div.field.checkbox { input id=(name) type="checkbox" name=(name) value="1"; label for=(name) { (tr.t(label)) } }
            }
            button type="submit" { (tr.t("ws-export-button")) }
        }
        h2 { (tr.t("ws-affiliations")) }
        p.hint { (tr.t("ws-affiliations-hint")) }
        ul { @for m in d.affiliations {
            li { (m.affiliation) " ← @" (m.domain) " "
                form.inline method="post" action={ (base) "/affiliations" } {
                    (csrf_field(who.1)) input type="hidden" name="action" value="remove"; input type="hidden" name="aid" value=(m.id);
                    button.link type="submit" { (tr.t("ws-delete")) }
                }
            }
        } }
        form method="post" action={ (base) "/affiliations" } {
            (csrf_field(who.1)) input type="hidden" name="action" value="add";
            div.field { label for="affiliation" { (tr.t("ws-affiliation")) } input #affiliation type="text" name="affiliation" required placeholder="Université Laval"; }
            div.field { label for="aff-domain" { (tr.t("ws-affiliation-domain")) } input #aff-domain type="text" name="domain" required placeholder="ulaval.ca"; }
            button type="submit" { (tr.t("ws-add")) }
        }
        (super::team::section(tr, who.1, &base, d.editors, is_owner))
    };
    page(tr, &base, Some(who), &l.title, content)
}

/// The editor of a letter's text in its other language.
pub fn translation_form(
    tr: &Tr,
    who: (&Organizer, &str),
    l: &Letter,
    lang: Lang,
    fields: &LetterFields,
    errors: &FieldErrors,
    exists: bool,
) -> Markup {
    let action = format!("{}/translation?to={lang}", ws_letter(&l.id));
    let heading = translation_heading(tr, lang);
    let content = html! {
        h1 { (heading) }
        p.hint { (tr.t("ws-translation-hint")) }
        @if !errors.is_empty() {
            div.error-summary role="alert" {
                h2 { (tr.t("form-error-summary")) }
                ul { @for (field, m) in &errors.0 { li { a href={ "#" (field) } { (m) } } } }
            }
        }
        form method="post" action=(action) novalidate {
            (csrf_field(who.1))
            (text_input(tr, "title", "ws-field-title", &fields.title, errors, None))
            (text_input(tr, "place", "ws-field-place", &fields.place, errors, None))
            (text_input(tr, "addressees", "ws-field-addressees", &fields.addressees, errors, None))
            (text_input(tr, "preamble", "ws-field-preamble", &fields.preamble, errors, None))
            div.field {
                label for="body" { (tr.t("ws-field-body")) }
                textarea #body name="body" rows="16" lang=(lang.code()) aria-invalid=[errors.get("body").map(|_| "true")] { (fields.body) }
                @if let Some(m) = errors.get("body") { p.field-error #body-error { (m) } }
            }
            @if l.status() != LetterStatus::Draft { (correction_box(tr)) }
            button type="submit" name="action" value="save" { (tr.t("ws-save")) }
            @if exists { " " button type="submit" name="action" value="delete" { (tr.t("ws-delete")) } }
        }
        p { a href=(ws_letter(&l.id)) { "← " (tr.t("ws-back")) } }
    };
    page(tr, &action, Some(who), &heading, content)
}

fn translation_heading(tr: &Tr, lang: Lang) -> String {
    tr.ta(
        "ws-translation-heading",
        &[("language", tr.i18n.name(lang).into())],
    )
}
