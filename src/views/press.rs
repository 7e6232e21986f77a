//! A letter's press kit: the letter, who is behind it and how to reach
//! them, the logo, the figures, the initial signatories and the stamped
//! downloads of the public list.

use super::components::signatory_list;
use super::letter::letter_text;
use super::{behind, layout, links};
use crate::db::letters::Letter;
use crate::db::logos::LogoInfo;
use crate::db::signatures::PublicSignatory;
use crate::domain::contacts::Person;
use crate::i18n::{Arg, Tr};
use chrono::NaiveDateTime;
use maud::{html, Markup};

pub struct PressPage<'a> {
    pub letter: &'a Letter,
    pub logo: Option<&'a LogoInfo>,
    pub site_officer: &'a Person,
    /// Confirmed (the page's count), listed publicly, counted only.
    pub figures: (i64, i64, i64),
    pub as_of: NaiveDateTime,
    pub initial: &'a [PublicSignatory],
}

pub fn render(tr: &Tr, p: &PressPage) -> Markup {
    let l = p.letter;
    let title = tr.ta("press-title", &[("title", l.title.as_str().into())]);
    let (confirmed, listed, count_only) = p.figures;
    let content = html! {
        header.press {
            @if let Some(logo) = p.logo {
                @let alt = if l.organized_by.is_empty() {
                    tr.t("press-logo-alt-unnamed")
                } else {
                    tr.ta("press-logo-alt", &[("name", l.organized_by.as_str().into())])
                };
                img.logo src=(links::logo(&l.slug, &logo.digest)) alt=(alt)
                    width=(logo.width) height=(logo.height);
            }
            h1 { (title) }
            p { (tr.t("press-intro")) }
        }
        (behind::section(tr, l, p.site_officer))
        section.figures aria-labelledby="figures-heading" {
            h2 #figures-heading { (tr.t("press-counts-heading")) }
            dl {
                dt { (tr.t("press-count-confirmed")) } dd.confirmed { (tr.count(confirmed)) }
                dt { (tr.t("press-count-listed")) } dd.listed { (tr.count(listed)) }
                dt { (tr.t("press-count-count-only")) } dd.count-only { (tr.count(count_only)) }
            }
            p.hint { (tr.ta("press-counts-as-of", &[("time", Arg::Str(tr.time(p.as_of)))])) }
        }
        section.downloads aria-labelledby="downloads-heading" {
            h2 #downloads-heading { (tr.t("press-downloads-heading")) }
            p.hint { (tr.t("press-downloads-hint")) }
            ul {
                @for (extension, label) in [
                    ("pdf", "press-download-pdf"), ("html", "press-download-print"),
                    ("txt", "press-download-text"), ("csv", "press-download-csv"),
                    ("json", "press-download-json"),
                ] {
                    @let href = if extension == "csv" {
                        // Excel reads a UTF-8 CSV's accents only after a BOM.
                        format!("{}?bom=1", links::export(&l.slug, extension))
                    } else {
                        links::export(&l.slug, extension)
                    };
                    li { a href=(href) download { (tr.t(label)) } }
                }
            }
        }
        section.initial aria-labelledby="initial-heading" {
            h2 #initial-heading { (tr.t("press-initial-heading")) }
            @if p.initial.is_empty() {
                p { (tr.t("press-no-initial")) }
            } @else {
                (signatory_list(tr, p.initial, "initial-signatories"))
            }
        }
        section.press-letter aria-labelledby="press-letter-heading" {
            h2 #press-letter-heading { (tr.t("press-letter-heading")) }
            (letter_text(tr, l))
        }
        p { a href=(links::letter(&l.slug)) { "← " (tr.t("press-back")) } }
    };
    layout::page(tr, &title, &links::press(&l.slug), content)
}
