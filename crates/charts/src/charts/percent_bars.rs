//! Survey results: one horizontal percentage bar per answer option.

use super::{
    ACCENT, Canvas, FONT_SIZE, GAP, LINE, MUTED, PAD, SECONDARY, SMALL_SIZE, TEXT, TICKS_HEIGHT,
    Wrapped, grid, label_column, lines_text, text_at, text_px,
};
use crate::svg::{El, count, fmt1, percent};

/// One answer option of a survey question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PercentRow {
    pub label: String,
    /// Share of respondents in percent (0–100); `None` when the row is suppressed.
    pub percent: Option<f64>,
    /// Number of respondents, shown in parentheses after the percentage.
    pub count: Option<u64>,
    /// Shown in gray instead of a bar when the row is suppressed, e.g. "非表示（回答5件未満）".
    pub note: Option<String>,
    /// Draw the bar in the accent colour (e.g. the respondent's own answer).
    pub highlight: bool,
}

/// Options for [`percent_bars`].
#[derive(Debug, Clone, PartialEq)]
pub struct PercentBarsOptions {
    /// The chart's title (also its accessible name).
    pub title: String,
    /// Written under the chart (and as its `<desc>`), e.g. "N=397, n=367".
    pub caption: String,
    /// Width in px (at least 240).
    pub width: u32,
}

const BAR: f64 = 16.0;
const ROW_GAP: f64 = 8.0;

/// Survey results as horizontal percentage bars, one row per answer option in the order given:
/// the label on the left, a bar proportional to the percentage (0–100, clamped), and
/// "65.0% (258)" right of the bar. A row whose percent is `None` (or not finite) is suppressed
/// (disclosure control): no bar, only its `note` in gray. Highlighted rows use the accent colour.
/// The caption goes under the chart.
///
/// Bars are `<rect class="bar" data-label data-value data-count data-highlight>`, each row a
/// `<g class="row" data-label>` with `data-suppressed="true"` and a `<text class="note">` when
/// suppressed.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn percent_bars(rows: &[PercentRow], opts: &PercentBarsOptions) -> String {
    let mut c = Canvas::new("percent-bars", opts.width);
    c.title(&opts.title);

    let shown = |row: &PercentRow| row.percent.filter(|p| p.is_finite());
    let value_text = |row: &PercentRow, p: f64| match row.count {
        Some(n) => format!("{} ({})", percent(p), count(n)),
        None => percent(p),
    };
    let (wrapped, label_w) = label_column(rows.iter().map(|r| r.label.as_str()), c.width);
    let x0 = PAD + label_w + GAP;
    let value_w = rows
        .iter()
        .filter_map(|r| shown(r).map(|p| text_px(&value_text(r, p), FONT_SIZE)))
        .fold(text_px("100.0%", FONT_SIZE), f64::max)
        + 6.0;
    let plot_w = (c.width - PAD - value_w - x0).max(40.0);

    let top = c.y;
    let mut y = top + ROW_GAP / 2.0;
    let mut body = String::new();
    for (row, label) in rows.iter().zip(&wrapped) {
        let row_h = BAR.max(label.height());
        let center = y + row_h / 2.0;
        let mut inner = lines_text(
            El::new("text")
                .attr("class", "label")
                .attr("text-anchor", "end")
                .attr("fill", TEXT),
            label,
            &row.label,
            x0 - GAP,
            center,
            FONT_SIZE,
            LINE,
        );
        let mut g = El::new("g")
            .attr("class", "row")
            .attr("data-label", &row.label);
        match shown(row) {
            Some(p) => {
                let w = plot_w * p.clamp(0.0, 100.0) / 100.0;
                let mut rect = El::new("rect")
                    .attr("class", "bar")
                    .attr("data-label", &row.label)
                    .attr("data-value", &fmt1(p));
                if let Some(n) = row.count {
                    rect = rect.attr("data-count", &n.to_string());
                }
                if row.highlight {
                    rect = rect.attr("data-highlight", "true");
                }
                inner.push_str(
                    &rect
                        .num("x", x0)
                        .num("y", center - BAR / 2.0)
                        .num("width", w)
                        .num("height", BAR)
                        .attr("fill", if row.highlight { ACCENT } else { SECONDARY })
                        .empty(),
                );
                let mut text = El::new("text").attr("class", "value").attr("fill", TEXT);
                if row.highlight {
                    text = text.attr("font-weight", "bold");
                }
                inner.push_str(&text_at(
                    text,
                    x0 + w + 4.0,
                    center,
                    FONT_SIZE,
                    &value_text(row, p),
                ));
            }
            None => {
                g = g.attr("data-suppressed", "true");
                let note = row.note.as_deref().unwrap_or("–");
                let fitted = Wrapped::new(note, c.width - PAD - x0, SMALL_SIZE, 1);
                inner.push_str(&lines_text(
                    El::new("text")
                        .attr("class", "note")
                        .num("font-size", SMALL_SIZE)
                        .attr("fill", MUTED),
                    &fitted,
                    note,
                    x0 + 4.0,
                    center,
                    SMALL_SIZE,
                    LINE,
                ));
            }
        }
        body.push_str(&g.raw(&inner));
        y += row_h + ROW_GAP;
    }
    let bottom = y - ROW_GAP / 2.0;
    c.push(&grid(x0, plot_w, top, bottom, "%"));
    c.push(&body);
    c.y = bottom + TICKS_HEIGHT;
    if !opts.caption.trim().is_empty() {
        let caption = Wrapped::new(&opts.caption, c.width - 2.0 * PAD, SMALL_SIZE, 2);
        c.push(&lines_text(
            El::new("text")
                .attr("class", "caption")
                .num("font-size", SMALL_SIZE)
                .attr("fill", MUTED),
            &caption,
            &opts.caption,
            PAD,
            c.y + 4.0 + caption.height() / 2.0,
            SMALL_SIZE,
            LINE,
        ));
        c.y += 4.0 + caption.height();
    }
    c.finish(&opts.title, opts.caption.trim())
}
