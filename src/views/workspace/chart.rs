//! The dashboard's chart of signatures per day, drawn on the server: bars
//! over a y scale with its figures, the first, middle and last dates under
//! them.

use crate::i18n::Tr;
use chrono::NaiveDate;
use maud::{html, Markup};

const WIDTH: i64 = 600;
/// Room for the scale's figures, left of the bars.
const LEFT: i64 = 48;
/// Room above the top figure, whose text rises above its line.
const TOP: i64 = 8;
const PLOT_HEIGHT: i64 = 160;
/// Room for the dates under the axis.
const BOTTOM: i64 = 24;

/// The scale for a tallest bar of `max`: a step of 1, 2 or 5 times a power
/// of ten, at most four steps to the top, and the top itself.
pub fn scale(max: i64) -> (i64, i64) {
    let max = max.max(1);
    let wanted = (max + 3) / 4;
    let mut power = 1_i64;
    let step = loop {
        if let Some(step) = [1, 2, 5].iter().map(|m| m * power).find(|s| *s >= wanted) {
            break step;
        }
        power = power.saturating_mul(10);
    };
    let top = (max + step - 1) / step * step;
    (top, step)
}

/// Signatures per day as an SVG bar chart, drawn on the server.
pub fn chart(tr: &Tr, per_day: &[(NaiveDate, i64)]) -> Markup {
    let max = per_day.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let (top, step) = scale(max);
    let days = per_day.len().max(1) as i64;
    let bar = (WIDTH - LEFT) / days;
    let base = TOP + PLOT_HEIGHT;
    let y_of = |n: i64| base - n * PLOT_HEIGHT / top;
    let ticks: Vec<i64> = (0..=top / step).map(|i| i * step).collect();
    let middle = per_day.get(per_day.len() / 2).filter(|_| per_day.len() > 2);
    let label = tr.t("ws-chart-label");
    html! {
        figure.chart {
            svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (base + BOTTOM) } role="img" aria-label=(label) {
                title { (label) }
                // Every SVG element is closed explicitly: an HTML parser
                // leaves a `<line/>` open, and what follows it would become
                // its invisible children.
                @for tick in &ticks {
                    line x1=(LEFT) y1=(y_of(*tick)) x2=(WIDTH) y2=(y_of(*tick)) stroke="#ddd" {}
                    text x=(LEFT - 6) y=(y_of(*tick) + 4) font-size="12" text-anchor="end" { (tr.count(*tick)) }
                }
                @for (i, (day, n)) in per_day.iter().enumerate() {
                    @let height = n * PLOT_HEIGHT / top;
                    rect x=(LEFT + i as i64 * bar + 1) y=(base - height) width=((bar - 2).max(1)) height=(height) fill="#0b5394" {
                        title { (tr.labelled(&tr.date(*day), &tr.count(*n))) }
                    }
                }
                line x1=(LEFT) y1=(base) x2=(WIDTH) y2=(base) stroke="#555" {}
                @if let (Some((first, _)), Some((last, _))) = (per_day.first(), per_day.last()) {
                    text x=(LEFT) y=(base + 16) font-size="12" { (tr.date(*first)) }
                    @if let Some((day, _)) = middle {
                        text x=(LEFT + (per_day.len() / 2) as i64 * bar + bar / 2) y=(base + 16) font-size="12" text-anchor="middle" { (tr.date(*day)) }
                    }
                    text x=(WIDTH) y=(base + 16) font-size="12" text-anchor="end" { (tr.date(*last)) }
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
        assert!(!svg.contains("/>"), "no self-closed element: {svg}");
    }

    #[test]
    fn the_scale_steps_by_one_two_or_five() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(1), (1, 1));
        assert_eq!(scale(3), (3, 1));
        assert_eq!(scale(4), (4, 1));
        assert_eq!(scale(5), (6, 2));
        assert_eq!(scale(9), (10, 5));
        assert_eq!(scale(37), (40, 10));
        assert_eq!(scale(1234), (1500, 500));
        for max in 0..5000 {
            let (top, step) = scale(max);
            assert!(top >= max && top / step <= 4 && top % step == 0, "{max}");
        }
    }

    #[test]
    fn the_y_scale_has_its_figures_and_the_bars_their_heights() {
        let i18n = I18n::new().unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 6, day).unwrap();
        let per_day: Vec<(NaiveDate, i64)> = (1..=30).map(|day| (d(day), i64::from(day % 7) * 300)).collect();
        let svg = chart(&i18n.tr(Lang::FR), &per_day).into_string();
        // Tallest 1 800: steps of 500 to 2 000, figures grouped the French way.
        for figure in ["0", "500", "1\u{202f}000", "1\u{202f}500", "2\u{202f}000"] {
            assert!(
                svg.contains(&format!("text-anchor=\"end\">{figure}</text>")),
                "{figure}: {svg}"
            );
        }
        // 1 800 of 2 000 is 144 of the plot's 160 points.
        assert!(svg.contains("height=\"144\""), "{svg}");
        assert!(svg.contains(">16 juin 2026</text>"), "the middle date: {svg}");
        assert!(svg.contains(">30 juin 2026</text>"), "{svg}");
    }
}
