//! The dashboard's chart of signatures per day, drawn on the server.

use crate::i18n::Tr;
use chrono::NaiveDate;
use maud::{html, Markup};
/// Signatures per day as an SVG bar chart, drawn on the server.
pub fn chart(tr: &Tr, per_day: &[(NaiveDate, i64)]) -> Markup {
    let max = per_day.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let (w, h, bar) = (600, 160, 600 / per_day.len().max(1));
    let label = tr.t("ws-chart-label");
    html! {
        figure.chart {
            svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (w) " " (h + 20) } role="img" aria-label=(label) {
                title { (label) }
                @for (i, (day, n)) in per_day.iter().enumerate() {
                    @let bh = (*n * h as i64 / max) as usize;
                    rect x=(i * bar + 1) y=(h - bh) width=(bar.saturating_sub(2).max(1)) height=(bh) fill="#0b5394" {
                        title { (tr.labelled(&tr.date(*day), &tr.count(*n))) }
                    }
                }
                // Closed explicitly: an HTML parser leaves an SVG `<line>` open, and
                // the labels after it would become its invisible children.
                line x1="0" y1=(h) x2=(w) y2=(h) stroke="#555" {}
                @if let (Some((first, _)), Some((last, _))) = (per_day.first(), per_day.last()) {
                    text x="0" y=(h + 16) font-size="12" { (tr.date(*first)) }
                    text x=(w) y=(h + 16) font-size="12" text-anchor="end" { (tr.date(*last)) }
                }
            }
            figcaption { (label) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::i18n::I18n;

    #[test]
    fn the_axis_closes_so_the_date_labels_show() {
        let i18n = I18n::new().unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 6, day).unwrap();
        let svg = chart(&i18n.tr(Lang::FR), &[(d(1), 3), (d(2), 1)]).into_string();
        assert!(svg.contains("stroke=\"#555\"></line>"), "{svg}");
        assert!(
            svg.contains(">1er juin 2026</text>") && svg.contains(">2 juin 2026</text>"),
            "{svg}"
        );
        assert!(svg.contains("<title>1er juin 2026\u{a0}: 3</title>"), "{svg}");
    }
}
