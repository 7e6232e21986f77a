//! "Who is behind this letter": the organizing body, a person to write to,
//! and the person responsible for personal information, on the letter's
//! page and in its press kit. Addresses are plain `mailto:` links: they are
//! published for journalists and readers on purpose, and appear nowhere
//! else a harvester reads in bulk (not in the API, the exports, the share
//! card or the embed).

use super::links;
use crate::db::letters::Letter;
use crate::domain::contacts::Person;
use crate::i18n::Tr;
use maud::{html, Markup};

pub fn section(tr: &Tr, letter: &Letter, site_officer: &Person) -> Markup {
    let contact = &letter.contacts.contact;
    let officer = letter.contacts.privacy_officer.or(site_officer);
    let nothing = letter.organized_by.is_empty() && contact.is_empty() && officer.is_empty();
    html! {
        section.behind aria-labelledby="behind-heading" {
            h2 #behind-heading { (tr.t("press-behind-heading")) }
            @if nothing {
                p { (tr.t("press-behind-none")) }
            } @else {
                dl {
                    @if !letter.organized_by.is_empty() {
                        dt { (tr.t("press-organized-by")) } dd.organized-by { (letter.organized_by) }
                    }
                    @if !contact.is_empty() {
                        dt { (tr.t("press-contact")) } dd.contact { (person(contact)) }
                    }
                    @if !officer.is_empty() {
                        dt { (tr.t("press-privacy-officer")) } dd.privacy-officer { (person(officer)) }
                    }
                }
            }
            p {
                a href="/privacy" { (tr.t("press-privacy-link")) } " · "
                a href=(links::press(&letter.slug)) { (tr.t("press-kit-link")) }
            }
        }
    }
}

/// A name and its address, either of which may be missing.
pub fn person(p: &Person) -> Markup {
    html! {
        @if !p.name().is_empty() { (p.name()) }
        @if !p.name().is_empty() && !p.email().is_empty() { " · " }
        @if !p.email().is_empty() { a href={ "mailto:" (p.email()) } { (p.email()) } }
    }
}
