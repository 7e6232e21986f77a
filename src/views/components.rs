use crate::db::signatures::PublicSignatory;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};

/// One signatory in the press layout: the name, then one line per title.
pub fn signatory(s: &PublicSignatory) -> Markup {
    html! {
        li.signatory {
            span.signatory-name { (s.name) }
            @for title in &s.titles {
                span.signatory-title { (title) }
            }
            @if let Some(city) = &s.city {
                span.signatory-city { (city) }
            }
        }
    }
}

pub fn signatory_list(list: &[PublicSignatory], class: &str) -> Markup {
    html! {
        ul class={ "signatories " (class) } {
            @for s in list { (signatory(s)) }
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
