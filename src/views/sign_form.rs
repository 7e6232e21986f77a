use super::links;
use crate::i18n::Tr;
use maud::{html, Markup};

/// What the reader typed, kept as typed so a refused form comes back whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignFormValues {
    pub name: String,
    pub titles: String,
    pub email: String,
    pub city: String,
    /// "public" or "count-only".
    pub visibility: String,
    pub consent: bool,
    pub updates: bool,
    /// The signed hidden field, issued fresh each time the form is shown.
    pub form_token: String,
}

impl SignFormValues {
    pub fn blank() -> SignFormValues {
        SignFormValues {
            visibility: "public".into(),
            ..Default::default()
        }
    }
}

/// The pseudo-field of errors about the whole form, such as an expired
/// form or too many attempts.
pub const FORM_ERROR: &str = "form";

/// Translated messages per field, in the order the fields appear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        self.0.push((field, message));
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn error_id(field: &str) -> String {
    format!("{field}-error")
}

fn field_error(errors: &FieldErrors, field: &str) -> Markup {
    html! {
        @if let Some(message) = errors.get(field) {
            p.field-error id=(error_id(field)) { (message) }
        }
    }
}

fn described_by(errors: &FieldErrors, field: &str, hint: Option<&str>) -> Option<String> {
    let mut ids = Vec::new();
    if let Some(h) = hint {
        ids.push(h.to_string());
    }
    if errors.get(field).is_some() {
        ids.push(error_id(field));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Where the error summary's link for `field` goes, and what it calls the
/// field ("Courriel : …"); `None` for errors about the whole form. A group
/// of radios is reached through its first choice, which can take focus.
fn summary_target(tr: &Tr, field: &str) -> Option<(&'static str, String)> {
    let (target, label) = match field {
        "name" => ("name", "phone-summary-name"),
        "titles" => ("titles", "phone-summary-titles"),
        "email" => ("email", "phone-summary-email"),
        "city" => ("city", "phone-summary-city"),
        "visibility" => ("visibility-public", "phone-summary-visibility"),
        "consent" => ("consent", "phone-summary-consent"),
        _ => return None,
    };
    Some((target, tr.t(label)))
}

/// The summary's heading. When nothing typed is wrong (sent too fast, an
/// expired form, too many attempts, the database away), "the form has
/// errors" would send the reader hunting for one: what is true in every
/// such case is that the signature is not recorded yet.
fn summary_heading(errors: &FieldErrors) -> &'static str {
    if errors.0.iter().all(|(field, _)| *field == FORM_ERROR) {
        "sign-not-recorded-summary"
    } else {
        "form-error-summary"
    }
}

/// The signing form. Plain HTML: it works with no JavaScript at all.
pub fn sign_form(tr: &Tr, slug: &str, values: &SignFormValues, errors: &FieldErrors) -> Markup {
    let invalid = |f: &str| errors.get(f).map(|_| "true");
    html! {
        section.sign #sign aria-labelledby="sign-heading" {
            h2 #sign-heading { (tr.t("sign-heading")) }
            @if !errors.is_empty() {
                // `autofocus`, not a fragment in the form's action: a page
                // whose address points at an element skips autofocus, and
                // the success redirect would carry the fragment along.
                // Focus scrolls the summary into view, no script needed.
                div.error-summary role="alert" tabindex="-1" #error-summary autofocus {
                    h3 { (tr.t(summary_heading(errors))) }
                    ul {
                        @for (field, message) in &errors.0 {
                            @match summary_target(tr, field) {
                                Some((target, label)) => li { a href={ "#" (target) } { (tr.labelled(&label, message)) } },
                                None => li { (message) },
                            }
                        }
                    }
                }
            }
            form method="post" action=(links::sign(slug)) novalidate {
                input type="hidden" name="form_token" value=(values.form_token);
                // A trap for bots: people never see this field, and never fill it.
                div.hp aria-hidden="true" {
                    label for="website" { (tr.t("honeypot-label")) }
                    input #website type="text" name="website" value="" tabindex="-1" autocomplete="off";
                }
                div.field {
                    label for="name" { (tr.t("field-name")) }
                    input #name type="text" name="name" value=(values.name) required maxlength="200"
                        autocomplete="name" aria-invalid=[invalid("name")]
                        aria-describedby=[described_by(errors, "name", None)];
                    (field_error(errors, "name"))
                }
                div.field {
                    label for="titles" { (tr.t("field-titles")) }
                    p.hint #titles-hint { (tr.t("field-titles-hint")) }
                    textarea #titles name="titles" rows="3" aria-invalid=[invalid("titles")]
                        aria-describedby=[described_by(errors, "titles", Some("titles-hint"))] { (values.titles) }
                    (field_error(errors, "titles"))
                }
                div.field {
                    label for="email" { (tr.t("field-email")) }
                    p.hint #email-hint { (tr.t("field-email-hint")) }
                    input #email type="email" name="email" value=(values.email) required maxlength="254"
                        autocomplete="email" aria-invalid=[invalid("email")]
                        aria-describedby=[described_by(errors, "email", Some("email-hint"))];
                    (field_error(errors, "email"))
                }
                div.field {
                    label for="city" { (tr.t("field-city")) }
                    input #city type="text" name="city" value=(values.city) maxlength="100"
                        autocomplete="address-level2" aria-invalid=[invalid("city")]
                        aria-describedby=[described_by(errors, "city", None)];
                    (field_error(errors, "city"))
                }
                fieldset.field #visibility aria-describedby=[described_by(errors, "visibility", None)] {
                    legend { (tr.t("field-visibility")) }
                    label.choice {
                        input #visibility-public type="radio" name="visibility" value="public" checked[values.visibility == "public"];
                        " " (tr.t("visibility-public"))
                    }
                    label.choice {
                        input type="radio" name="visibility" value="count-only" checked[values.visibility == "count-only"];
                        " " (tr.t("visibility-count-only"))
                    }
                    (field_error(errors, "visibility"))
                }
                div.field.checkbox {
                    input #consent type="checkbox" name="consent" value="yes" checked[values.consent] required
                        aria-invalid=[invalid("consent")] aria-describedby=[described_by(errors, "consent", None)];
                    label for="consent" { (tr.t("field-consent")) }
                    (field_error(errors, "consent"))
                }
                div.field.checkbox {
                    input #updates type="checkbox" name="updates" value="yes" checked[values.updates];
                    label for="updates" { (tr.t("field-updates")) }
                }
                p.privacy-link { a href="/privacy" { (tr.t("privacy-link")) } }
                button type="submit" { (tr.t("sign-button")) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::i18n::I18n;

    #[test]
    fn keeps_values_and_ties_errors_to_fields() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(Lang::FR);
        let values = SignFormValues {
            name: "Zoé <b>\"L’Heureux\"</b>".into(),
            titles: "Ligne 1\nLigne 2".into(),
            email: "pas-un-courriel".into(),
            visibility: "count-only".into(),
            consent: true,
            ..Default::default()
        };
        let mut errors = FieldErrors::default();
        errors.add("email", "Adresse invalide".into());
        let html = sign_form(&tr, "lettre", &values, &errors).into_string();
        assert!(
            html.contains("value=\"Zoé &lt;b&gt;&quot;L’Heureux&quot;&lt;/b&gt;\""),
            "{html}"
        );
        assert!(html.contains(">Ligne 1\nLigne 2</textarea>"), "{html}");
        assert!(
            html.contains("aria-invalid=\"true\" aria-describedby=\"email-hint email-error\""),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"field-error\" id=\"email-error\">Adresse invalide</p>"),
            "{html}"
        );
        assert!(html.contains("value=\"count-only\" checked"), "{html}");
        assert!(
            html.contains("<a href=\"#email\">Adresse courriel\u{a0}: adresse invalide</a>"),
            "{html}"
        );
        assert!(html.contains("tabindex=\"-1\" autofocus>"), "{html}");
    }

    #[test]
    fn a_summary_of_form_messages_alone_says_the_signature_is_not_recorded() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(Lang::FR);
        let heading = |errors: &FieldErrors| {
            let html = sign_form(&tr, "lettre", &SignFormValues::default(), errors).into_string();
            let start = html.find("<h3>").expect("a summary heading") + 4;
            html[start..start + html[start..].find("</h3>").expect("its end")].to_string()
        };
        let mut errors = FieldErrors::default();
        errors.add(FORM_ERROR, tr.t("error-form-too-fast"));
        assert_eq!(
            heading(&errors),
            "Votre signature n’est pas encore enregistrée\u{a0}:"
        );
        errors.add("consent", "Cochez cette case".into());
        assert_eq!(heading(&errors), "Le formulaire contient des erreurs\u{a0}:");
    }
}
