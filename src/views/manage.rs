use super::sign_form::FieldErrors;
use super::{layout, links};
use crate::db::letters::Letter;
use crate::db::signatures::SignatureDetails;
use crate::i18n::Tr;
use maud::{html, Markup};

/// The values of the manage form, kept as typed.
#[derive(Debug, Clone, Default)]
pub struct ManageFormValues {
    pub name: String,
    pub titles: String,
    pub city: String,
    pub visibility: String,
    pub updates: bool,
}

impl ManageFormValues {
    pub fn from_details(d: &SignatureDetails) -> ManageFormValues {
        ManageFormValues {
            name: d.name.clone(),
            updates: d.wants_updates,
            titles: d.title_lines().join("\n"),
            city: d.city.clone().unwrap_or_default(),
            visibility: if d.is_public { "public" } else { "count-only" }.into(),
        }
    }
}

pub struct ManagePage<'a> {
    pub token: &'a str,
    pub letter: &'a Letter,
    pub details: &'a SignatureDetails,
    pub form: &'a ManageFormValues,
    pub errors: &'a FieldErrors,
    pub saved: bool,
}

fn time(tr: &Tr, t: Option<chrono::NaiveDateTime>) -> String {
    t.map(|t| tr.time(t)).unwrap_or_else(|| "—".into())
}

pub fn render(tr: &Tr, page: &ManagePage) -> Markup {
    let d = page.details;
    let path = links::manage(page.token);
    let error = |f: &str| page.errors.get(f).map(str::to_string);
    let content = html! {
        h1 { (tr.t("manage-heading")) }
        p { a href=(links::letter(&page.letter.slug)) { (page.letter.title) } }
        @if page.saved {
            p.saved role="status" { (tr.t("manage-saved")) }
        }
        @if d.is_public && d.status == crate::model::SignatureStatus::Confirmed {
            @match d.moderation {
                crate::model::Moderation::Queued => p.held role="status" { (tr.t("manage-held")) },
                crate::model::Moderation::Hidden => p.held role="status" { (tr.t("manage-hidden")) },
                crate::model::Moderation::Shown => {},
            }
        }
        h2 { (tr.t("manage-stored-heading")) }
        dl.manage-data {
            dt { (tr.t("field-name")) } dd { (d.name) }
            dt { (tr.t("field-titles")) }
            dd { @for t in d.title_lines() { (t) br; } }
            dt { (tr.t("field-email")) } dd { (d.email.as_deref().unwrap_or("—")) }
            dt { (tr.t("field-city")) } dd { (d.city.as_deref().unwrap_or("—")) }
            dt { (tr.t("field-visibility")) }
            dd { (tr.t(if d.is_public { "visibility-public" } else { "visibility-count-only" })) }
            dt { (tr.t("manage-status")) } dd { (tr.t(&format!("status-{}", d.status))) }
            dt { (tr.t("manage-signed-at")) } dd { (time(tr, Some(d.created_at))) }
            dt { (tr.t("manage-confirmed-at")) } dd { (time(tr, d.confirmed_at)) }
            dt { (tr.t("manage-consent")) }
            dd { (tr.ta("manage-consent-detail", &[
                ("version", d.consent_version.clone().unwrap_or_default().into()),
                ("at", time(tr, d.consent_at).into()),
                ("letter_version", d.consent_letter_version.unwrap_or(1).to_string().into()),
            ])) }
            dt { (tr.t("field-updates")) } dd { (tr.t(if d.wants_updates { "yes" } else { "no" })) }
        }
        p { a href={ (path) "/data.json" } download { (tr.t("manage-download")) } }

        h2 #edit-heading { (tr.t("manage-edit-heading")) }
        form method="post" action=(path) novalidate {
            div.field {
                label for="name" { (tr.t("field-name")) }
                p.hint #name-hint { (tr.t("manage-name-hint")) }
                input #name type="text" name="name" value=(page.form.name) required maxlength="200"
                    autocomplete="name" aria-invalid=[error("name").map(|_| "true")]
                    aria-describedby={ "name-hint" @if error("name").is_some() { " name-error" } };
                @if let Some(m) = error("name") { p.field-error #name-error { (m) } }
            }
            div.field {
                label for="titles" { (tr.t("field-titles")) }
                p.hint #titles-hint { (tr.t("field-titles-hint")) }
                textarea #titles name="titles" rows="3" aria-invalid=[error("titles").map(|_| "true")]
                    aria-describedby={ "titles-hint" @if error("titles").is_some() { " titles-error" } } { (page.form.titles) }
                @if let Some(m) = error("titles") { p.field-error #titles-error { (m) } }
            }
            div.field {
                label for="city" { (tr.t("field-city")) }
                input #city type="text" name="city" value=(page.form.city) maxlength="100"
                    aria-invalid=[error("city").map(|_| "true")]
                    aria-describedby=[error("city").map(|_| "city-error")];
                @if let Some(m) = error("city") { p.field-error #city-error { (m) } }
            }
            fieldset.field #visibility {
                legend { (tr.t("field-visibility")) }
                label.choice {
                    input type="radio" name="visibility" value="public" checked[page.form.visibility == "public"];
                    " " (tr.t("visibility-public"))
                }
                label.choice {
                    input type="radio" name="visibility" value="count-only" checked[page.form.visibility == "count-only"];
                    " " (tr.t("visibility-count-only"))
                }
                @if let Some(m) = error("visibility") { p.field-error #visibility-error { (m) } }
            }
            div.field.checkbox {
                input type="hidden" name="updates" value="no";
                input #updates type="checkbox" name="updates" value="yes" checked[page.form.updates];
                label for="updates" { (tr.t("field-updates")) }
            }
            button type="submit" { (tr.t("manage-save")) }
        }

        h2 { (tr.t("withdraw-heading")) }
        form method="post" action={ (path) "/withdraw" } {
            button type="submit" { (tr.t("withdraw-button")) }
        }
        p.privacy-link { a href="/privacy" { (tr.t("privacy-link")) } }
    };
    layout::page(tr, &tr.t("manage-heading"), &path, content)
}
