//! The dashboard's counts, explained: which confirmed signatures make the
//! public count and why the others do not, so the figures add up to the
//! count the letter and the API show.

use crate::db::dashboard::Breakdown;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};

/// A number both to choose a plural by (`n`) and to show (`display`).
fn number(tr: &Tr, n: i64) -> [(&'static str, Arg); 2] {
    [("n", Arg::Num(n)), ("display", tr.count(n).into())]
}

/// The public count and its parts, then what is confirmed but not counted,
/// then what is not confirmed.
pub fn counts(tr: &Tr, b: &Breakdown, pending: i64, withdrawn: i64) -> Markup {
    let row = |label: String, n: i64| {
        html! { tr { th scope="row" { (label) } td.number { (tr.count(n)) } } }
    };
    let mut listed = tr.t("dash-listed");
    if b.initial > 0 {
        listed = format!(
            "{listed} ({})",
            tr.ta("dash-listed-initial", &number(tr, b.initial))
        );
    }
    html! {
        table.ws-breakdown {
            caption { (tr.t("dash-breakdown-caption")) }
            tbody {
                (row(listed, b.listed))
                (row(tr.t("dash-count-only"), b.count_only))
                (row(tr.t("dash-held"), b.held))
                (row(tr.t("dash-hidden"), b.hidden))
            }
            tfoot {
                tr { th scope="row" { (tr.t("dash-public-total")) } td.number { strong { (tr.count(b.public())) } } }
            }
        }
        ul.ws-counts {
            li {
                (tr.ta("ws-count-confirmed", &[("n", Arg::Num(b.confirmed))])) " · "
                (tr.ta("dash-excluded", &number(tr, b.excluded)))
            }
            li { (tr.ta("ws-count-pending", &[("n", Arg::Num(pending))])) }
            li { (tr.ta("ws-count-withdrawn", &[("n", Arg::Num(withdrawn))])) }
        }
        p.hint { (tr.t("dash-not-counted")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::i18n::I18n;

    #[test]
    fn the_parts_and_their_sum_are_shown() {
        let i18n = I18n::new().unwrap();
        let b = Breakdown {
            confirmed: 1210,
            excluded: 2,
            listed: 1200,
            initial: 3,
            count_only: 5,
            held: 1,
            hidden: 2,
        };
        assert_eq!(b.listed + b.count_only + b.held + b.hidden, b.public());
        let fr = counts(&i18n.tr(Lang::FR), &b, 7, 1).into_string();
        for part in [
            "Affichées dans la liste publique (dont 3 signataires initiaux)</th><td class=\"number\">1\u{202f}200</td>",
            "<strong>1\u{202f}208</strong>",
            "Confirmées\u{a0}: 1210 · dont 2 exclues du compte par la modération",
        ] {
            assert!(fr.contains(part), "{part}: {fr}");
        }
        let en = counts(&i18n.tr(Lang::EN), &b, 7, 1).into_string();
        assert!(en.contains("<strong>1,208</strong>"), "{en}");
        assert!(
            en.contains("of which 2 excluded from the count by moderation"),
            "{en}"
        );
    }
}
