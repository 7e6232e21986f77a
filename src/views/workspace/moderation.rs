use super::letters::ws_letter;
use super::{csrf_field, form_errors, page};
use crate::db::letters::Letter;
use crate::db::moderation::{Mode, Moderation, ProtectedName, QueueRow};
use crate::db::organizers::Organizer;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};

pub struct ModerationPage<'a> {
    pub letter: &'a Letter,
    pub mode: Mode,
    pub showing: Moderation,
    pub rows: &'a [QueueRow],
    /// The protected name each row matches, if any, row by row.
    pub matched: &'a [Option<String>],
    pub counts: (i64, i64, i64),
    pub protected: &'a [ProtectedName],
    pub bulk_preview: Option<BulkPreview<'a>>,
    /// The bulk form as typed (empty: blank), and its fields' errors.
    pub bulk_form: &'a [(String, String)],
    pub bulk_errors: &'a [(&'static str, String)],
    pub errors: &'a [String],
}

/// What a bulk hide would take: how many, and the first names.
#[derive(Clone, Copy)]
pub struct BulkPreview<'a> {
    pub count: i64,
    pub names: &'a [String],
}

pub fn render(tr: &Tr, who: (&Organizer, &str), p: &ModerationPage) -> Markup {
    let base = format!("{}/moderation", ws_letter(&p.letter.id));
    let (queued, hidden, excluded) = p.counts;
    let bulk_value = |k: &str| {
        p.bulk_form
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let bulk_error = |k: &str| {
        p.bulk_errors
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, m)| m.as_str())
    };
    let content = html! {
        h1 { (tr.t("ws-moderation")) " · " (p.letter.title) }
        (form_errors(tr, p.errors))
        form method="post" action={ (base) "/mode" } {
            (csrf_field(who.1))
            fieldset {
                legend { (tr.t("ws-moderation-mode")) }
                label.choice { input type="radio" name="mode" value="immediate" checked[p.mode == Mode::Immediate]; " " (tr.t("ws-mode-immediate")) }
                label.choice { input type="radio" name="mode" value="review" checked[p.mode == Mode::Review]; " " (tr.t("ws-mode-review")) }
            }
            button type="submit" { (tr.t("ws-save")) }
        }
        p { (tr.ta("ws-moderation-counts", &[("queued", Arg::Num(queued)), ("hidden", Arg::Num(hidden)), ("excluded", Arg::Num(excluded))])) }
        nav.tabs {
            @for (state, label) in [(Moderation::Queued, "ws-tab-queued"), (Moderation::Shown, "ws-tab-shown"), (Moderation::Hidden, "ws-tab-hidden")] {
                @if state == p.showing { strong { (tr.t(label)) } } @else { a href={ (base) "?show=" (state) } { (tr.t(label)) } }
                " "
            }
        }
        @if p.rows.is_empty() { p { (tr.t("ws-moderation-empty")) } } @else {
            form method="post" action=(base) {
                (csrf_field(who.1))
                input type="hidden" name="show" value=(p.showing);
                table.ws-table {
                    thead { tr { th {} th scope="col" { (tr.t("field-name")) } th scope="col" { (tr.t("field-email")) } th scope="col" { (tr.t("manage-confirmed-at")) } } }
                    tbody { @for (r, matched) in p.rows.iter().zip(p.matched) {
                        tr {
                            td { input type="checkbox" name="id" value=(crate::db::moderation::Selected::encode(&r.id, r.seen)) id={ "s-" (r.id) } aria-label=(r.name); }
                            td { label for={ "s-" (r.id) } { strong { (r.name) } @for t in &r.titles { br; (t) } }
                                 @if let Some(city) = &r.city { br; span.city { (city) } }
                                 @if r.excluded { br; em { (tr.t("ws-excluded")) } }
                                 @if let Some(m) = matched { br; em.matched { (tr.ta("ws-matches-protected", &[("name", m.as_str().into())])) } } }
                            td { (r.email.as_deref().unwrap_or("—")) }
                            td { (r.confirmed_at.map(|t| tr.time(t)).unwrap_or_default()) }
                        }
                    } }
                }
                button type="submit" name="decision" value="approve" { (tr.t("ws-approve")) } " "
                button type="submit" name="decision" value="hide" { (tr.t("ws-hide")) } " "
                button type="submit" name="decision" value="exclude" { (tr.t("ws-hide-exclude")) } " "
                button type="submit" name="decision" value="include" { (tr.t("ws-include")) }
            }
        }
        h2 { (tr.t("ws-bulk-hide")) }
        form method="post" action={ (base) "/bulk" } {
            (csrf_field(who.1))
            div.field {
                label for="domain" { (tr.t("ws-bulk-domain")) }
                input #domain type="text" name="domain" value=(bulk_value("domain")) placeholder="example.org"
                    aria-invalid=[bulk_error("domain").map(|_| "true")]
                    aria-describedby=[bulk_error("domain").map(|_| "domain-error")];
                @if let Some(m) = bulk_error("domain") { p.field-error #domain-error { (m) } }
            }
            @for (name, label) in [("from", "ws-bulk-from"), ("to", "ws-bulk-to")] {
                div.field {
                    (super::time_field(name, tr.ta(label, &[("zone", tr.zone().name().into())]), &bulk_value(name), bulk_error(name), false))
                }
            }
            div.field.checkbox { input #exclude type="checkbox" name="exclude" value="yes" checked[!bulk_value("exclude").is_empty()]; label for="exclude" { (tr.t("ws-bulk-exclude")) } }
            @if let Some(b) = p.bulk_preview {
                p role="status" { (tr.ta("ws-bulk-count", &[("n", Arg::Num(b.count))])) }
                @if !b.names.is_empty() {
                    ul.bulk-names { @for name in b.names { li { (name) } } }
                    @if b.count > b.names.len() as i64 {
                        p.hint { (tr.ta("ws-bulk-more", &[("n", Arg::Num(b.count - b.names.len() as i64))])) }
                    }
                }
                button type="submit" name="step" value="apply" { (tr.t("ws-bulk-apply")) } " "
            }
            button type="submit" name="step" value="count" { (tr.t("ws-bulk-preview")) }
        }
        h2 { (tr.t("ws-protected")) }
        p.hint { (tr.t("ws-protected-hint")) }
        ul { @for n in p.protected {
            li { (n.name) " "
                form.inline method="post" action={ (ws_letter(&p.letter.id)) "/protected" } {
                    (csrf_field(who.1)) input type="hidden" name="action" value="remove"; input type="hidden" name="pid" value=(n.id);
                    button.link type="submit" { (tr.t("ws-delete")) }
                }
            }
        } }
        form method="post" action={ (ws_letter(&p.letter.id)) "/protected" } {
            (csrf_field(who.1)) input type="hidden" name="action" value="add";
            label for="protected-name" { (tr.t("field-name")) } " "
            input #protected-name type="text" name="name" required;
            " " button type="submit" { (tr.t("ws-add")) }
        }
        p { a href=(ws_letter(&p.letter.id)) { "← " (tr.t("ws-back")) } }
    };
    page(tr, &base, Some(who), &tr.t("ws-moderation"), content)
}

pub fn site_protected(tr: &Tr, who: (&Organizer, &str), names: &[ProtectedName]) -> Markup {
    let content = html! {
        h1 { (tr.t("ws-protected-site")) }
        p.hint { (tr.t("ws-protected-hint")) }
        ul { @for n in names {
            li { (n.name) " "
                form.inline method="post" action="/workspace/protected" {
                    (csrf_field(who.1)) input type="hidden" name="action" value="remove"; input type="hidden" name="pid" value=(n.id);
                    button.link type="submit" { (tr.t("ws-delete")) }
                }
            }
        } }
        form method="post" action="/workspace/protected" {
            (csrf_field(who.1)) input type="hidden" name="action" value="add";
            label for="protected-name" { (tr.t("field-name")) } " "
            input #protected-name type="text" name="name" required;
            " " button type="submit" { (tr.t("ws-add")) }
        }
    };
    page(
        tr,
        "/workspace/protected",
        Some(who),
        &tr.t("ws-protected-site"),
        content,
    )
}
