use super::letters::ws_letter;
use super::{csrf_field, form_errors, page};
use crate::db::initial::EditableSignatory;
use crate::db::letters::Letter;
use crate::db::organizers::Organizer;
use crate::domain::letter_file::InitialSignatory;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};

pub fn editor(
    tr: &Tr,
    who: (&Organizer, &str),
    l: &Letter,
    list: &[EditableSignatory],
    errors: &[String],
) -> Markup {
    let base = format!("{}/signatories", ws_letter(&l.id));
    let content = html! {
        h1 { (tr.t("ws-initial-signatories")) " · " (l.title) }
        (form_errors(tr, errors))
        p { a href={ (ws_letter(&l.id)) "/import" } { (tr.t("ws-import")) } }
        ol.ws-signatories {
            @for (i, s) in list.iter().enumerate() {
                li.ws-signatory {
                    form method="post" action={ (base) "/" (s.id) } {
                        (csrf_field(who.1))
                        div.field {
                            label for={ "name-" (s.id) } { (tr.t("field-name")) }
                            input id={ "name-" (s.id) } type="text" name="name" value=(s.name);
                        }
                        div.field {
                            label for={ "titles-" (s.id) } { (tr.t("field-titles")) }
                            textarea id={ "titles-" (s.id) } name="titles" rows="3" { (s.titles.join("\n")) }
                        }
                        div.field {
                            label for={ "how-" (s.id) } { (tr.t("ws-verified-how")) }
                            input id={ "how-" (s.id) } type="text" name="how" value=(s.verified_how.clone().unwrap_or_default());
                            @if let (Some(by), Some(at)) = (&s.verified_by, s.verified_at) {
                                p.hint { "✓ " (tr.t("ws-verified")) " · " (by) " · " (tr.time(at)) }
                            }
                        }
                        button type="submit" name="action" value="save" { (tr.t("ws-save")) }
                        " " button type="submit" name="action" value="verify" { (tr.t("ws-verify")) }
                        " " button type="submit" name="action" value="up" disabled[i == 0] aria-label=(tr.t("ws-move-up")) { "↑" }
                        " " button type="submit" name="action" value="down" disabled[i + 1 == list.len()] aria-label=(tr.t("ws-move-down")) { "↓" }
                        " " button type="submit" name="action" value="delete" { (tr.t("ws-delete")) }
                    }
                }
            }
        }
        h2 { (tr.t("ws-add-signatory")) }
        form method="post" action=(base) {
            (csrf_field(who.1))
            div.field { label for="new-name" { (tr.t("field-name")) } input #new-name type="text" name="name"; }
            div.field { label for="new-titles" { (tr.t("field-titles")) } textarea #new-titles name="titles" rows="3" {} }
            button type="submit" { (tr.t("ws-add")) }
        }
        p { a href=(ws_letter(&l.id)) { "← " (tr.t("ws-back")) } }
    };
    page(tr, &base, Some(who), &tr.t("ws-initial-signatories"), content)
}

/// What a paste would do: the people it adds, and those it skips because
/// they are already on the list or twice in the paste.
#[derive(Clone, Copy)]
pub struct ImportPreview<'a> {
    pub new: &'a [InitialSignatory],
    pub skipped: &'a [InitialSignatory],
}

pub fn import(
    tr: &Tr,
    who: (&Organizer, &str),
    l: &Letter,
    text: &str,
    preview: Option<ImportPreview>,
    errors: &[String],
) -> Markup {
    let action = format!("{}/import", ws_letter(&l.id));
    let content = html! {
        h1 { (tr.t("ws-import")) }
        p.hint { (tr.t("ws-import-hint")) }
        (form_errors(tr, errors))
        form method="post" action=(action) {
            (csrf_field(who.1))
            div.field {
                label for="text" { (tr.t("ws-import-text")) }
                textarea #text name="text" rows="16" { (text) }
            }
            button type="submit" name="step" value="preview" { (tr.t("ws-preview")) }
            @if let Some(ImportPreview { new: people, skipped }) = preview {
                @if !skipped.is_empty() {
                    div.notice role="status" {
                        p { (tr.ta("ws-import-skipped", &[("n", Arg::Num(skipped.len() as i64))])) }
                        ul { @for p in skipped { li { (p.name) } } }
                    }
                }
                @if !people.is_empty() {
                    h2 { (tr.t("ws-import-preview")) }
                    ol.signatories {
                        @for p in people {
                            li.signatory {
                                span.signatory-name { (p.name) }
                                @for t in &p.titles { span.signatory-title { (t) } }
                            }
                        }
                    }
                    button type="submit" name="step" value="save" { (tr.t("ws-import-save")) }
                }
            }
        }
        p { a href={ (ws_letter(&l.id)) "/signatories" } { "← " (tr.t("ws-back")) } }
    };
    page(tr, &action, Some(who), &tr.t("ws-import"), content)
}
