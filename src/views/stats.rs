//! A letter's figures page: counted signatures by region and by day, each
//! as a bar chart drawn here in SVG (an image with a title and a
//! description) and as a table that says the same for whoever cannot see
//! the chart. Count-only signatures are in every figure; no name is.

use super::{layout, links};
use crate::db::letters::Letter;
use crate::i18n::{Arg, Tr};
use crate::web::figures::LetterFigures;
use maud::{html, Markup, PreEscaped};

/// The drawing's own units; it scales to the width it is given.
const WIDTH: i64 = 640;
const BAR_ROW: i64 = 26;
const LABEL_WIDTH: i64 = 250;
const DAY_CHART_HEIGHT: i64 = 180;

/// The rows of the region table: each region, then "other", then "not
/// given", with its label.
fn place_rows(tr: &Tr, f: &LetterFigures) -> Vec<(String, i64)> {
    let mut rows: Vec<(String, i64)> = f
        .figures
        .regions
        .iter()
        .map(|(r, n)| (tr.t(r.message_id()), *n))
        .collect();
    rows.push((tr.t("stats-region-other"), f.figures.other));
    rows.push((tr.t("stats-region-not-given"), f.figures.not_given));
    rows
}

pub fn render(tr: &Tr, letter: &Letter, f: &LetterFigures) -> Markup {
    let total = f.figures.total;
    let places = place_rows(tr, f);
    let count_text = |n: i64| {
        tr.ta(
            "stats-count",
            &[("count", Arg::Num(n)), ("display", tr.count(n).into())],
        )
    };
    let content = html! {
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
        h1 { (tr.t("stats-heading")) }
        p.stats-intro {
            (tr.ta("stats-intro", &[("time", tr.time(f.as_of).into())])) " "
            strong { (count_text(total)) } "."
        }
        p { (tr.t("stats-privacy")) }
        h2 #regions-heading { (tr.t("stats-regions-heading")) }
        p.hint { (tr.t("stats-regions-hint")) }
        (bars_chart(tr, "regions", &places, total))
        table.figures aria-labelledby="regions-heading" {
            thead { tr { th scope="col" { (tr.t("stats-col-region")) } th scope="col" { (tr.t("stats-col-count")) } } }
            tbody {
                @for (label, n) in &places {
                    tr { th scope="row" { (label) } td { (tr.count(*n)) } }
                }
            }
            tfoot { tr { th scope="row" { (tr.t("stats-total")) } td { (tr.count(total)) } } }
        }
        h2 #days-heading { (tr.t("stats-days-heading")) }
        @if f.figures.days.is_empty() {
            p { (tr.t("stats-days-none")) }
        } @else {
            (days_chart(tr, f))
            details {
                summary { (tr.t("stats-days-table")) }
                table.figures aria-labelledby="days-heading" {
                    thead { tr { th scope="col" { (tr.t("stats-col-day")) } th scope="col" { (tr.t("stats-col-count")) } } }
                    tbody {
                        @if f.figures.earlier > 0 {
                            tr { th scope="row" { (tr.t("stats-earlier")) } td { (tr.count(f.figures.earlier)) } }
                        }
                        @for (day, n) in &f.figures.days {
                            tr { th scope="row" { (tr.date(*day)) } td { (tr.count(*n)) } }
                        }
                    }
                    tfoot { tr { th scope="row" { (tr.t("stats-total")) } td { (tr.count(total)) } } }
                }
            }
        }
        p { a href=(links::signatories(&letter.slug)) { (tr.t("see-all-signatories")) } }
    };
    layout::page(
        tr,
        &format!("{} · {}", tr.t("stats-heading"), letter.title),
        &links::stats(&letter.slug),
        content,
    )
}

/// Width of a bar for `n` out of the largest `max`, in drawing units.
fn bar_width(n: i64, max: i64, room: i64) -> i64 {
    if max <= 0 || n <= 0 {
        return 0;
    }
    // At least one unit, so a small figure still shows.
    (n * room / max).max(1)
}

/// Horizontal bars, one row a place, with the figure at the end of each.
fn bars_chart(tr: &Tr, id: &str, rows: &[(String, i64)], total: i64) -> Markup {
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let height = BAR_ROW * rows.len() as i64 + 8;
    let room = WIDTH - LABEL_WIDTH - 70;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let top: Vec<String> = {
        let mut sorted: Vec<&(String, i64)> = rows.iter().filter(|(_, n)| *n > 0).collect();
        sorted.sort_by_key(|r| std::cmp::Reverse(r.1));
        sorted
            .iter()
            .take(3)
            .map(|(l, n)| format!("{l} ({})", tr.count(*n)))
            .collect()
    };
    let desc = tr.ta(
        "stats-regions-desc",
        &[("total", tr.count(total).into()), ("top", top.join(", ").into())],
    );
    html! {
        figure.chart {
            svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox={ "0 0 " (WIDTH) " " (height) }
                aria-labelledby={ (title_id) " " (desc_id) } {
                title id=(title_id) { (tr.t("stats-regions-heading")) }
                desc id=(desc_id) { (desc) }
                @for (i, (label, n)) in rows.iter().enumerate() {
                    @let y = i as i64 * BAR_ROW + 4;
                    @let w = bar_width(*n, max, room);
                    text.chart-label x=(LABEL_WIDTH - 8) y=(y + 17) text-anchor="end" { (label) }
                    rect.chart-bar x=(LABEL_WIDTH) y=(y + 3) width=(w) height=(BAR_ROW - 8) {}
                    text.chart-value x=(LABEL_WIDTH + w + 6) y=(y + 17) { (tr.count(*n)) }
                }
            }
        }
    }
}

/// One vertical bar a day, with the first and last days and the largest
/// figure written on the axes.
fn days_chart(tr: &Tr, f: &LetterFigures) -> Markup {
    let days = &f.figures.days;
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let (left, bottom) = (60_i64, 30_i64);
    let plot_w = WIDTH - left - 10;
    let plot_h = DAY_CHART_HEIGHT - bottom - 10;
    let step = plot_w as f64 / days.len().max(1) as f64;
    let (first, last) = (days[0].0, days[days.len() - 1].0);
    let busiest = days
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(d, n)| (tr.date(*d), tr.count(*n)));
    let desc = tr.ta(
        "stats-days-desc",
        &[
            ("first", tr.date(first).into()),
            ("last", tr.date(last).into()),
            ("busiest", busiest.clone().map(|b| b.0).unwrap_or_default().into()),
            ("most", busiest.map(|b| b.1).unwrap_or_default().into()),
        ],
    );
    html! {
        figure.chart {
            svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox={ "0 0 " (WIDTH) " " (DAY_CHART_HEIGHT) }
                aria-labelledby="days-title days-desc" {
                title id="days-title" { (tr.t("stats-days-heading")) }
                desc id="days-desc" { (desc) }
                line.chart-axis x1=(left) y1=(10 + plot_h) x2=(WIDTH - 10) y2=(10 + plot_h) {}
                text.chart-value x=(left - 6) y="20" text-anchor="end" { (tr.count(max)) }
                text.chart-value x=(left - 6) y=(10 + plot_h) text-anchor="end" { "0" }
                @for (i, (_, n)) in days.iter().enumerate() {
                    @let h = if max > 0 { n * plot_h / max } else { 0 };
                    @let x = left as f64 + i as f64 * step;
                    rect.chart-bar x=(PreEscaped(format!("{x:.1}"))) y=(10 + plot_h - h)
                        width=(PreEscaped(format!("{:.1}", (step * 0.8).max(0.5)))) height=(h) {}
                }
                text.chart-label x=(left) y=(DAY_CHART_HEIGHT - 8) { (tr.date(first)) }
                @if last != first {
                    text.chart-label x=(WIDTH - 10) y=(DAY_CHART_HEIGHT - 8) text-anchor="end" { (tr.date(last)) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bar_width;

    #[test]
    fn bars_scale_to_the_largest_and_small_ones_still_show() {
        assert_eq!(bar_width(10, 10, 300), 300);
        assert_eq!(bar_width(5, 10, 300), 150);
        assert_eq!(bar_width(1, 1_000_000, 300), 1);
        assert_eq!(bar_width(0, 10, 300), 0);
        assert_eq!(bar_width(3, 0, 300), 0);
    }
}
