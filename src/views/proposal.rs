//! The content a confirmation link confirms, stated in full before its
//! button: name, every title line, city, display choice and news.

use crate::domain::Proposal;
use crate::i18n::Tr;
use maud::{html, Markup};

pub fn render(tr: &Tr, p: &Proposal) -> Markup {
    html! {
        p { (tr.t("confirm-intro")) }
        (details(tr, p))
    }
}

/// After the confirmation: what was confirmed, under its own heading, so
/// the signer sees what the list now shows (or that it shows no name).
pub fn confirmed(tr: &Tr, p: &Proposal) -> Markup {
    html! {
        section.confirmed-proposal aria-labelledby="confirmed-what" {
            h2 #confirmed-what { (tr.t("phone-confirmed-what")) }
            (details(tr, p))
        }
    }
}

/// The proposal's fields as a list of terms.
fn details(tr: &Tr, p: &Proposal) -> Markup {
    html! {
        dl.proposal {
            dt { (tr.t("confirm-field-name")) }
            dd.proposal-name { (p.name) }
            dt { (tr.t("confirm-field-titles")) }
            dd.proposal-titles {
                @if p.titles.is_empty() {
                    (tr.t("confirm-none"))
                } @else {
                    @for line in &p.titles {
                        span.proposal-title { (line) } br;
                    }
                }
            }
            dt { (tr.t("confirm-field-city")) }
            dd.proposal-city { (p.city.as_deref().map(str::to_string).unwrap_or_else(|| tr.t("confirm-none"))) }
            dt { (tr.t("confirm-field-visibility")) }
            dd.proposal-visibility data-public=(if p.is_public { "true" } else { "false" }) {
                (tr.t(if p.is_public { "visibility-public" } else { "visibility-count-only" }))
            }
            dt { (tr.t("confirm-field-updates")) }
            dd.proposal-updates data-updates=(if p.wants_updates { "true" } else { "false" }) {
                (tr.t(if p.wants_updates { "confirm-updates-yes" } else { "confirm-updates-no" }))
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
    fn states_every_line_escaped() {
        let i18n = I18n::new().unwrap();
        let p = Proposal {
            name: "Zoé <b>L’Heureux</b>".into(),
            titles: vec!["Présidente (1998-2006)".into(), "Grand Officier du Québec".into()],
            city: None,
            is_public: false,
            wants_updates: true,
            language: Lang::FR,
            consent_version: "v".into(),
            letter_version: None,
        };
        let html = render(&i18n.tr(Lang::EN), &p).into_string();
        assert!(html.contains("Zoé &lt;b&gt;L’Heureux&lt;/b&gt;"));
        assert!(html.contains("Présidente (1998-2006)") && html.contains("Grand Officier du Québec"));
        assert!(html.contains("data-public=\"false\"") && html.contains("(none)"));
        assert!(html.contains("data-updates=\"true\""));
    }
}
