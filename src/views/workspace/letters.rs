use super::{csrf_field, form_errors, page};
use crate::db::audit::AuditEntry;
use crate::db::editors::Role;
use crate::db::letters::{Letter, LetterStatus};
use crate::db::organizers::Organizer;
use crate::domain::letter_form::LetterFields;
use crate::domain::Lang;
use crate::i18n::{Arg, Tr};
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

fn text_input(
    tr: &Tr,
    name: &str,
    label: &str,
    value: &str,
    errors: &FieldErrors,
    extra_hint: Option<String>,
) -> Markup {
    let err = errors.get(name);
    html! {
        div.field {
            label for=(name) { (tr.t(label)) }
            @if let Some(h) = extra_hint { p.hint { (h) } }
            input id=(name) type="text" name=(name) value=(value) aria-invalid=[err.map(|_| "true")]
                aria-describedby=[err.map(|_| format!("{name}-error"))];
            @if let Some(m) = err { p.field-error id={ (name) "-error" } { (m) } }
        }
    }
}

pub struct LetterFormPage<'a> {
    pub action: &'a str,
    pub fields: &'a LetterFields,
    pub errors: &'a FieldErrors,
    pub slug_locked: bool,
    pub is_new: bool,
    /// Offer to email the subscribers: owners and admins only.
    pub may_notify: bool,
}

impl<'a> LetterFormPage<'a> {
    /// The form for a letter not yet created.
    pub fn new_letter(fields: &'a LetterFields, errors: &'a FieldErrors) -> LetterFormPage<'a> {
        LetterFormPage {
            action: "/workspace/letters/new",
            fields,
            errors,
            slug_locked: false,
            is_new: true,
            may_notify: false,
        }
    }
}

pub fn letter_form(tr: &Tr, who: (&Organizer, &str), p: &LetterFormPage) -> Markup {
    let f = p.fields;
    let e = p.errors;
    let heading = tr.t(if p.is_new {
        "ws-new-letter"
    } else {
        "ws-edit-letter"
    });
    let content = html! {
        h1 { (heading) }
        @if !e.is_empty() {
            div.error-summary role="alert" {
                h2 { (tr.t("form-error-summary")) }
                ul { @for (field, m) in &e.0 { li { a href={ "#" (field) } { (m) } } } }
            }
        }
        form method="post" action=(p.action) novalidate {
            (csrf_field(who.1))
            @if p.slug_locked {
                div.field {
                    label for="slug" { (tr.t("ws-field-slug")) }
                    p.hint { (tr.t("ws-slug-locked")) }
                    input #slug type="text" name="slug" value=(f.slug) readonly;
                }
            } @else {
                (text_input(tr, "slug", "ws-field-slug", &f.slug, e, Some(tr.t("ws-slug-hint"))))
            }
            div.field {
                label for="language" { (tr.t("ws-field-language")) }
                select #language name="language" required {
                    @if f.language.is_empty() { option value="" selected { (tr.t("ws-choose-language")) } }
                    @for lang in Lang::all() {
                        option value=(lang) selected[f.language == lang.code()] { (tr.i18n.name(lang)) }
                    }
                }
                @if let Some(m) = e.get("language") { p.field-error #language-error { (m) } }
            }
            (text_input(tr, "title", "ws-field-title", &f.title, e, None))
            (text_input(tr, "place", "ws-field-place", &f.place, e, None))
            div.field {
                label for="date" { (tr.t("ws-field-date")) }
                input #date type="date" name="date" value=(f.date) aria-invalid=[e.get("date").map(|_| "true")];
                @if let Some(m) = e.get("date") { p.field-error #date-error { (m) } }
            }
            (text_input(tr, "addressees", "ws-field-addressees", &f.addressees, e, None))
            (text_input(tr, "preamble", "ws-field-preamble", &f.preamble, e, None))
            div.field {
                label for="body" { (tr.t("ws-field-body")) }
                p.hint { (tr.t("ws-body-hint")) }
                textarea #body name="body" rows="16" aria-invalid=[e.get("body").map(|_| "true")] { (f.body) }
                @if let Some(m) = e.get("body") { p.field-error #body-error { (m) } }
            }
            (text_input(tr, "goal", "ws-field-goal", &f.goal, e, Some(tr.t("ws-goal-hint"))))
            (text_input(tr, "organized_by", "ws-field-organized-by", &f.organized_by, e, Some(tr.t("ws-organized-by-hint"))))
            @if p.slug_locked {
                p.hint { (tr.t("ws-versions-hint")) }
                (correction_box(tr))
                @if p.may_notify {
                    div.field.checkbox {
                        input #notify type="checkbox" name="notify" value="yes"
                            aria-invalid=[e.get("notify").map(|_| "true")]
                            aria-describedby=[e.get("notify").map(|_| "notify-error")];
                        label for="notify" { (tr.t("ws-notify-signers")) }
                        @if let Some(m) = e.get("notify") { p.field-error #notify-error { (m) } }
                    }
                }
            }
            button type="submit" { (tr.t("ws-save")) }
        }
    };
    page(tr, p.action, Some(who), &heading, content)
}

/// On a published letter: record the change as a correction of the current
/// version rather than as a new one.
fn correction_box(tr: &Tr) -> Markup {
    html! {
        div.field.checkbox {
            input #correction type="checkbox" name="correction" value="yes" aria-describedby="correction-hint";
            label for="correction" { (tr.t("ws-correction")) }
            p.hint #correction-hint { (tr.t("ws-correction-hint")) }
        }
    }
}

pub struct Dashboard<'a> {
    pub letter: &'a Letter,
    pub role: Option<Role>,
    pub is_admin: bool,
    pub counts: &'a [(SignatureStatus, i64)],
    pub per_day: &'a [(NaiveDate, i64)],
    pub latest: &'a [(String, Option<String>, String, NaiveDateTime)],
    pub editors: &'a [(String, Role)],
    pub notice: Option<String>,
    /// Queued, hidden, and excluded from the count.
    pub moderation: (i64, i64, i64),
    pub affiliations: &'a [crate::db::affiliations::Mapping],
    /// The site's public origin, for the embed snippet.
    pub base_url: &'a str,
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
            @if is_owner { " · " a href={ (base) "/audit" } { (tr.t("ws-audit")) } }
            @if is_owner { " · " a href={ (base) "/import/csv" } { (tr.t("csv-import")) } }
        }
        h2 { (tr.t("ws-counts")) }
        ul.ws-counts {
            li { (tr.ta("ws-count-confirmed", &[("n", Arg::Num(count_of(SignatureStatus::Confirmed)))])) }
            li { (tr.ta("ws-count-pending", &[("n", Arg::Num(count_of(SignatureStatus::Pending)))])) }
            li { (tr.ta("ws-count-withdrawn", &[("n", Arg::Num(count_of(SignatureStatus::Withdrawn)))])) }
            li { (tr.ta("ws-count-queued", &[("n", Arg::Num(d.moderation.0))])) }
            li { (tr.ta("ws-count-hidden", &[("n", Arg::Num(d.moderation.1)), ("excluded", Arg::Num(d.moderation.2))])) }
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
                        label for="close_at" { (tr.ta("ws-close-at", &[("zone", tr.zone().name().into())])) }
                        input #close_at type="datetime-local" name="close_at"
                            value=(l.close_at.map(|t| tr.time_input(t)).unwrap_or_default());
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
        h2 { (tr.t("ws-editors")) }
        ul { @for (email, role) in d.editors { li { (email) " (" (tr.t(&format!("ws-role-{}", role.as_str()))) ")" } } }
        @if is_owner {
            form method="post" action={ (base) "/editors" } {
                (csrf_field(who.1))
                label for="editor-email" { (tr.t("ws-add-editor")) }
                input #editor-email type="email" name="email" required;
                " " button type="submit" { (tr.t("ws-add")) }
            }
        }
    };
    page(tr, &base, Some(who), &l.title, content)
}

pub fn audit(tr: &Tr, who: (&Organizer, &str), l: &Letter, entries: &[AuditEntry]) -> Markup {
    let base = ws_letter(&l.id);
    let content = html! {
        h1 { (tr.t("ws-audit")) " · " (l.title) }
        table.ws-table {
            thead { tr { th scope="col" { (tr.t("ws-col-when")) } th scope="col" { (tr.t("ws-col-who")) }
                         th scope="col" { (tr.t("ws-col-what")) } th scope="col" { (tr.t("ws-col-detail")) } } }
            tbody { @for e in entries {
                tr { td { (tr.time(e.at)) } td { (e.who.clone().unwrap_or_else(|| tr.t("ws-audit-automatic"))) }
                     td { (tr.t(&format!("audit-{}", e.action))) } td { (e.detail) } }
            } }
        }
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

pub fn organizers(
    tr: &Tr,
    who: (&Organizer, &str),
    list: &[Organizer],
    created: Option<(&str, &str)>,
    errors: &[String],
) -> Markup {
    let content = html! {
        h1 { (tr.t("ws-organizers")) }
        @if let Some((email, link)) = created {
            div.saved role="status" {
                p { (tr.ta("ws-organizer-created", &[("email", email.into())])) }
                p { code { (link) } }
            }
        }
        (form_errors(tr, errors))
        table.ws-table {
            thead { tr { th scope="col" { (tr.t("field-email")) } th scope="col" { (tr.t("ws-col-role")) } th scope="col" { (tr.t("ws-col-status")) } th {} } }
            tbody { @for o in list {
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
            div.field { label for="email" { (tr.t("field-email")) } input #email type="email" name="email" required; }
            div.field.checkbox { input #admin type="checkbox" name="admin" value="yes"; label for="admin" { (tr.t("ws-make-admin")) } }
            button type="submit" { (tr.t("ws-invite")) }
        }
    };
    page(
        tr,
        "/workspace/organizers",
        Some(who),
        &tr.t("ws-organizers"),
        content,
    )
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
