use crate::db::signatures::PublicSignatory;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};

/// One signatory in the press layout: the name, then one line per title.
pub fn signatory(tr: &Tr, s: &PublicSignatory) -> Markup {
    let verified = tr.t("verified-by-email");
    html! {
        li.signatory {
            span.signatory-name { (s.name) }
            @for (i, title) in s.titles.iter().enumerate() {
                span.signatory-title {
                    (title)
                    @if s.verified_lines.contains(&i) {
                        " " span.verified-mark title=(verified) { "✓" span.visually-hidden { " " (verified) } }
                    }
                }
            }
            @if let Some(city) = &s.city {
                span.signatory-city { (city) }
            }
        }
    }
}

pub fn signatory_list(tr: &Tr, list: &[PublicSignatory], class: &str) -> Markup {
    html! {
        ul class={ "signatories " (class) } {
            @for s in list { (signatory(tr, s)) }
        }
    }
}

/// The confirmed count, with a progress bar toward the goal when there is one.
pub fn count(tr: &Tr, count: i64, goal: Option<i64>) -> Markup {
    let text = tr.ta(
        "signature-count",
        &[("count", Arg::Num(count)), ("display", tr.count(count).into())],
    );
    html! {
        div.count {
            p.count-figure { (text) }
            @if let Some(goal) = goal {
                @let label = tr.ta("goal-progress", &[("count", tr.count(count).into()), ("goal", tr.count(goal).into())]);
                progress value=(count.min(goal)) max=(goal) aria-label=(label) { (label) }
                p.goal { (label) }
            }
        }
    }
}
