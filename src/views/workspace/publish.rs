//! Publishing a draft: now, or at a set time (an embargo).

use super::letters::ws_letter;
use super::{csrf_field, page, time_field, TypedTime};
use crate::db::letters::Letter;
use crate::db::organizers::Organizer;
use crate::i18n::Tr;
use crate::views::links;
use maud::{html, Markup};

/// The dashboard's actions on a draft: the way to publish, and the
/// embargo when one is set, with its cancellation.
pub fn draft_actions(tr: &Tr, who: (&Organizer, &str), l: &Letter) -> Markup {
    let base = ws_letter(&l.id);
    html! {
        @if let Some(at) = l.publish_at {
            p.scheduled role="status" {
                (tr.ta("ws-publish-scheduled", &[("time", tr.time(at).into()), ("zone", tr.zone().name().into())]))
            }
            form.inline method="post" action={ (base) "/publish" } {
                (csrf_field(who.1))
                input type="hidden" name="action" value="schedule";
                input type="hidden" name="publish_at" value="";
                button type="submit" { (tr.t("ws-publish-unschedule")) }
            }
        }
        a.button href={ (base) "/publish" } { (tr.t("ws-publish")) }
    }
}

/// Publish now, or set the time the letter publishes itself.
/// `typed`: a time refused, shown again with its reason.
pub fn confirm(tr: &Tr, who: (&Organizer, &str), l: &Letter, typed: Option<TypedTime>) -> Markup {
    let base = ws_letter(&l.id);
    let content = html! {
        h1 { (tr.t("ws-publish-heading")) }
        p { (tr.ta("ws-publish-body", &[("title", l.title.as_str().into()), ("url", links::letter(&l.slug).into())])) }
        form method="post" action={ (base) "/publish" } {
            (csrf_field(who.1))
            button type="submit" { (tr.t("ws-publish")) }
        }
        h2 { (tr.t("ws-publish-later")) }
        p.hint { (tr.t("ws-publish-later-hint")) }
        form method="post" action={ (base) "/publish" } {
            (csrf_field(who.1))
            input type="hidden" name="action" value="schedule";
            div.field {
                (time_field(
                    "publish_at",
                    tr.ta("ws-publish-at", &[("zone", tr.zone().name().into())]),
                    &typed.map(|t| t.value.to_string())
                        .unwrap_or_else(|| l.publish_at.map(|t| tr.time_input(t)).unwrap_or_default()),
                    typed.map(|t| t.error),
                    true,
                ))
            }
            button type="submit" { (tr.t("ws-schedule")) }
        }
        p { a href=(base) { "← " (tr.t("ws-back")) } }
    };
    page(tr, &base, Some(who), &tr.t("ws-publish-heading"), content)
}
