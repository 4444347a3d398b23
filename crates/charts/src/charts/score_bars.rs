//! Horizontal score bars (0–100), one group per category, one bar per series.

use super::{
    Canvas, FONT_SIZE, GAP, LINE, MUTED, PAD, SMALL_SIZE, Series, Swatch, TEXT, TICKS_HEIGHT, grid,
    label_column, lines_text, series_colour, text_at, text_px,
};
use crate::svg::{El, fmt1};

/// Options for [`score_bars`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreBarsOptions {
    /// The chart's title (also its accessible name).
    pub title: String,
    /// Written in a row whose value is `None`, e.g. "評価できません".
    pub na_label: String,
    /// Width in px (at least 240).
    pub width: u32,
}

const PRIMARY_BAR: f64 = 16.0;
const OTHER_BAR: f64 = 8.0;
const BAR_GAP: f64 = 4.0;
const ROW_GAP: f64 = 10.0;

fn bar_height(series: usize) -> f64 {
    if series == 0 { PRIMARY_BAR } else { OTHER_BAR }
}

/// Horizontal bars of scores 0–100, one group per label (category), one bar per series: the first
/// series solid, dark and thick, further series (e.g. "previous assessment") thinner and lighter.
/// A `None` value draws no bar but writes `na_label` in its place. Each bar is labelled with its
/// value with one decimal ("66.7"); values outside 0–100 are drawn clamped but labelled as given.
/// Gridlines at 0, 25, 50, 75 and 100; a legend when there is more than one series.
///
/// Bars are `<rect class="bar" data-label data-series data-value>`, missing values
/// `<text class="na" data-label data-series>`, each group a `<g class="row" data-label>`.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn score_bars(labels: &[String], series: &[Series], opts: &ScoreBarsOptions) -> String {
    let mut c = Canvas::new("score-bars", opts.width);
    c.title(&opts.title);
    if series.len() > 1 {
        let items: Vec<(&str, Swatch)> = series
            .iter()
            .enumerate()
            .map(|(k, s)| {
                (
                    s.name.as_str(),
                    Swatch::solid(series_colour(k), bar_height(k)),
                )
            })
            .collect();
        c.legend(&items, "data-series");
    }

    let (wrapped, label_w) = label_column(labels.iter().map(String::as_str), c.width);
    let x0 = PAD + label_w + GAP;
    let value_w = text_px("100.0", FONT_SIZE) + 6.0;
    let plot_w = (c.width - PAD - value_w - x0).max(40.0);
    let bars_h = series
        .iter()
        .enumerate()
        .map(|(k, _)| bar_height(k))
        .sum::<f64>()
        + BAR_GAP * series.len().saturating_sub(1) as f64;

    let top = c.y;
    let mut y = top + ROW_GAP / 2.0;
    let mut rows = String::new();
    for (i, label) in labels.iter().enumerate() {
        let row_h = bars_h.max(wrapped[i].height());
        let center = y + row_h / 2.0;
        let mut row = lines_text(
            El::new("text")
                .attr("class", "label")
                .attr("text-anchor", "end")
                .attr("fill", TEXT),
            &wrapped[i],
            label,
            x0 - GAP,
            center,
            FONT_SIZE,
            LINE,
        );
        let mut bar_y = center - bars_h / 2.0;
        for (k, s) in series.iter().enumerate() {
            let h = bar_height(k);
            let size = if k == 0 { FONT_SIZE } else { SMALL_SIZE };
            match s.value(i) {
                Some(v) => {
                    let w = plot_w * v.clamp(0.0, 100.0) / 100.0;
                    row.push_str(
                        &El::new("rect")
                            .attr("class", "bar")
                            .attr("data-label", label)
                            .attr("data-series", &s.name)
                            .attr("data-value", &fmt1(v))
                            .num("x", x0)
                            .num("y", bar_y)
                            .num("width", w)
                            .num("height", h)
                            .attr("fill", series_colour(k))
                            .empty(),
                    );
                    row.push_str(&text_at(
                        El::new("text")
                            .attr("class", "value")
                            .num("font-size", size)
                            .attr("fill", if k == 0 { TEXT } else { MUTED }),
                        x0 + w + 4.0,
                        bar_y + h / 2.0,
                        size,
                        &fmt1(v),
                    ));
                }
                None => row.push_str(&text_at(
                    El::new("text")
                        .attr("class", "na")
                        .attr("data-label", label)
                        .attr("data-series", &s.name)
                        .num("font-size", size)
                        .attr("fill", MUTED),
                    x0 + 4.0,
                    bar_y + h / 2.0,
                    size,
                    &opts.na_label,
                )),
            }
            bar_y += h + BAR_GAP;
        }
        rows.push_str(
            &El::new("g")
                .attr("class", "row")
                .attr("data-label", label)
                .raw(&row),
        );
        y += row_h + ROW_GAP;
    }
    let bottom = y - ROW_GAP / 2.0;
    c.push(&grid(x0, plot_w, top, bottom, ""));
    c.push(&rows);
    c.y = bottom + TICKS_HEIGHT;
    c.finish(&opts.title, "")
}
