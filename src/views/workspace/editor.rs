//! The letter editor: the form that writes a new letter or edits one, and
//! the inputs the translation form shares with it.

use super::{csrf_field, page};
use crate::db::organizers::Organizer;
use crate::domain::letter_form::LetterFields;
use crate::domain::Lang;
use crate::i18n::Tr;
use crate::views::sign_form::FieldErrors;
use maud::{html, Markup};

pub(super) fn text_input(
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
    /// Name the privacy officer: owners and admins only (a new letter's
    /// author becomes its owner); others see it read-only.
    pub may_name_officer: bool,
    /// The press kit's logo form, under this one; for a letter that exists.
    pub logo: Option<super::contacts_form::LogoForm<'a>>,
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
            may_name_officer: true,
            logo: None,
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
            (text_input(tr, "share_summary", "sharing-field-summary", &f.share_summary, e, Some(tr.t("sharing-summary-hint"))))
            (super::contacts_form::contact_fields(tr, f, e, p.may_name_officer))
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
        @if let Some(logo) = &p.logo { (super::contacts_form::logo_form(tr, who.1, logo)) }
    };
    page(tr, p.action, Some(who), &heading, content)
}

/// On a published letter: record the change as a correction of the current
/// version rather than as a new one.
pub(super) fn correction_box(tr: &Tr) -> Markup {
    html! {
        div.field.checkbox {
            input #correction type="checkbox" name="correction" value="yes" aria-describedby="correction-hint";
            label for="correction" { (tr.t("ws-correction")) }
            p.hint #correction-hint { (tr.t("ws-correction-hint")) }
        }
    }
}
