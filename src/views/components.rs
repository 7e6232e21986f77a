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

/// The confirmed count, with a progress bar toward the goal when there is
/// one. Once the goal is reached the bar goes (a full bar says nothing
/// more) and the page says so, with the real count past the goal.
pub fn count(tr: &Tr, count: i64, goal: Option<i64>) -> Markup {
    let text = tr.ta(
        "signature-count",
        &[("count", Arg::Num(count)), ("display", tr.count(count).into())],
    );
    html! {
        div.count {
            p.count-figure { (text) }
            @match goal {
                Some(goal) if count >= goal => p.goal.goal-reached { (goal_reached(tr, "phone-goal-reached", count, goal)) },
                Some(goal) => {
                    @let label = tr.ta("goal-progress", &[("count", tr.count(count).into()), ("goal", tr.count(goal).into())]);
                    progress value=(count) max=(goal) aria-label=(label) { (label) }
                    p.goal { (label) }
                },
                None => {},
            }
        }
    }
}

/// "Goal reached: 1,200 signatures of a goal of 1,000", from message `id`.
pub fn goal_reached(tr: &Tr, id: &str, count: i64, goal: i64) -> String {
    tr.ta(
        id,
        &[
            ("count", Arg::Num(count)),
            ("display", tr.count(count).into()),
            ("goal", tr.count(goal).into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::i18n::I18n;

    #[test]
    fn past_the_goal_the_count_goes_on_and_the_bar_goes() {
        let i18n = I18n::new().unwrap();
        let fr = count(&i18n.tr(Lang::FR), 1200, Some(1000)).into_string();
        assert!(
            fr.contains("Objectif atteint\u{a0}: 1\u{202f}200 signatures sur un objectif de 1\u{202f}000"),
            "{fr}"
        );
        assert!(!fr.contains("<progress"), "{fr}");
        let en = count(&i18n.tr(Lang::EN), 1, Some(1)).into_string();
        assert!(en.contains("Goal reached: 1 signature of a goal of 1"), "{en}");
        let below = count(&i18n.tr(Lang::EN), 999, Some(1000)).into_string();
        assert!(below.contains("value=\"999\" max=\"1000\""), "{below}");
        assert!(below.contains("999 of a goal of 1,000"), "{below}");
        assert!(!below.contains("Goal reached"), "{below}");
    }
}
