//! The editor's fields for who is behind a letter: the contact person, and
//! the person responsible for personal information (Law 25).

use super::editor::text_input;
use crate::domain::letter_form::LetterFields;
use crate::i18n::Tr;
use crate::views::sign_form::FieldErrors;
use maud::{html, Markup};

pub fn contact_fields(tr: &Tr, f: &LetterFields, e: &FieldErrors, may_name_officer: bool) -> Markup {
    html! {
        fieldset.contacts {
            legend { (tr.t("press-ws-contact-legend")) }
            p.hint { (tr.t("press-ws-contact-hint")) }
            (text_input(tr, "contact_name", "press-ws-contact-name", &f.contact_name, e, None))
            (text_input(tr, "contact_email", "press-ws-contact-email", &f.contact_email, e, None))
        }
        fieldset.contacts {
            legend { (tr.t("press-ws-officer-legend")) }
            p.hint { (tr.t("press-ws-officer-hint")) }
            @if may_name_officer {
                (text_input(tr, "privacy_officer_name", "press-ws-officer-name", &f.privacy_officer_name, e, None))
                (text_input(tr, "privacy_officer_email", "press-ws-officer-email", &f.privacy_officer_email, e, None))
            } @else {
                // Sent back unchanged, so a co-editor's save keeps it; a
                // changed value is refused by the use case.
                p.hint { (tr.t("press-ws-officer-owners-only")) }
                @for (name, label, value) in [
                    ("privacy_officer_name", "press-ws-officer-name", &f.privacy_officer_name),
                    ("privacy_officer_email", "press-ws-officer-email", &f.privacy_officer_email),
                ] {
                    div.field {
                        label for=(name) { (tr.t(label)) }
                        input id=(name) type="text" name=(name) value=(value) readonly;
                    }
                }
            }
        }
    }
}

/// The logo of the press kit: shown, replaced, removed. A form of its own
/// (a file goes as multipart), under the editor's, for a letter that exists.
pub struct LogoForm<'a> {
    /// The letter's workspace address.
    pub base: &'a str,
    pub current: Option<&'a crate::db::logos::LogoInfo>,
    pub error: Option<&'a str>,
}

pub fn logo_form(tr: &Tr, csrf: &str, f: &LogoForm) -> Markup {
    html! {
        section #logo-section aria-labelledby="logo-heading" {
            h2 #logo-heading { (tr.t("press-ws-logo-legend")) }
            @if let Some(logo) = f.current {
                p { (tr.t("press-ws-logo-current")) }
                img.logo src={ (f.base) "/logo?v=" (logo.digest) } alt="" width=(logo.width) height=(logo.height);
                form method="post" action={ (f.base) "/logo/remove" } {
                    (super::csrf_field(csrf))
                    button type="submit" { (tr.t("press-ws-logo-remove")) }
                }
            } @else {
                p { (tr.t("press-ws-logo-none")) }
            }
            form method="post" action={ (f.base) "/logo" } enctype="multipart/form-data" novalidate {
                (super::csrf_field(csrf))
                div.field {
                    label for="logo" { (tr.t("press-ws-logo-legend")) }
                    p.hint #logo-hint { (tr.t("press-ws-logo-hint")) }
                    input #logo type="file" name="logo" accept="image/png,image/jpeg"
                        aria-invalid=[f.error.map(|_| "true")]
                        aria-describedby=(if f.error.is_some() { "logo-hint logo-error" } else { "logo-hint" });
                    @if let Some(m) = f.error { p.field-error #logo-error { (m) } }
                }
                button type="submit" { (tr.t("press-ws-logo-upload")) }
            }
        }
    }
}
