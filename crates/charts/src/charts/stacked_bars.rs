//! 100%-stacked horizontal bars for a grid question (one bar per row item, one segment per level).

use super::{
    Canvas, FONT_SIZE, GAP, LINE, MUTED, NEUTRAL, PAD, SMALL_SIZE, Swatch, TEXT, TICKS_HEIGHT,
    Wrapped, grid, label_column, lines_text, ordered_palette, text_at, text_colour_on, text_px,
};
use crate::svg::{El, count, fixed, fmt1};

/// One row item of a grid question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StackedRow {
    pub label: String,
    /// One share per segment, in the order of the segments; any unit (fractions, percentages or
    /// counts), as each row is scaled to its own sum. `None` when the row is suppressed.
    pub shares: Option<Vec<f64>>,
    /// Number of answers, shown as "n=1,234" right of the bar.
    pub n: u64,
    /// Shown in gray instead of a bar when the row is suppressed.
    pub note: Option<String>,
}

/// Options for [`stacked_bars`].
#[derive(Debug, Clone, PartialEq)]
pub struct StackedBarsOptions {
    /// The chart's title (also its accessible name).
    pub title: String,
    /// The last segment is not part of the ordered scale ("該当しない・わからない") and is gray.
    pub last_is_neutral: bool,
    /// Width in px (at least 240).
    pub width: u32,
}

const BAR: f64 = 18.0;
const ROW_GAP: f64 = 8.0;

/// 100%-stacked horizontal bars: one bar per row, one segment per answer level, with a legend of
/// the `segments` in order. Colours follow the ordered scale, best first: dark green … red, and
/// gray for the last segment when `last_is_neutral`. A segment's share appears inside it ("41%")
/// when it is wide enough. Shares are scaled to their row's sum; negative or non-finite shares
/// count as 0, and missing ones (fewer shares than segments) too. A row whose shares are `None`
/// (or sum to 0) is suppressed: no bar, its `note` in gray, and no n.
///
/// Segments are `<rect class="segment" data-label data-segment data-share>` (only for shares
/// above 0), each row a `<g class="row" data-label data-n>`, with `data-suppressed="true"` and a
/// `<text class="note">` when suppressed.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn stacked_bars(rows: &[StackedRow], segments: &[String], opts: &StackedBarsOptions) -> String {
    let mut c = Canvas::new("stacked-bars", opts.width);
    c.title(&opts.title);

    let colours: Vec<String> = if opts.last_is_neutral && !segments.is_empty() {
        let mut p = ordered_palette(segments.len() - 1);
        p.push(NEUTRAL.to_string());
        p
    } else {
        ordered_palette(segments.len())
    };
    let items: Vec<(&str, Swatch)> = segments
        .iter()
        .zip(&colours)
        .map(|(s, colour)| (s.as_str(), Swatch::solid(colour, 12.0)))
        .collect();
    c.legend(&items, "data-segment");

    // Shares scaled to percentages of the row's sum, or None when there is nothing to draw.
    let percentages = |row: &StackedRow| -> Option<Vec<f64>> {
        let shares = row.shares.as_ref()?;
        let clean: Vec<f64> = (0..segments.len())
            .map(|i| {
                shares
                    .get(i)
                    .copied()
                    .filter(|v| v.is_finite() && *v > 0.0)
                    .unwrap_or(0.0)
            })
            .collect();
        let sum: f64 = clean.iter().sum();
        (sum > 0.0).then(|| clean.iter().map(|v| v * 100.0 / sum).collect())
    };

    let (wrapped, label_w) = label_column(rows.iter().map(|r| r.label.as_str()), c.width);
    let x0 = PAD + label_w + GAP;
    let n_w = rows
        .iter()
        .map(|r| text_px(&format!("n={}", count(r.n)), SMALL_SIZE))
        .fold(0.0, f64::max)
        + 6.0;
    let plot_w = (c.width - PAD - n_w - x0).max(40.0);

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
        match percentages(row) {
            Some(pcts) => {
                g = g.attr("data-n", &row.n.to_string());
                let mut before = 0.0;
                for ((pct, segment), colour) in pcts.iter().zip(segments).zip(&colours) {
                    // Edges from cumulative sums, so segments tile the bar without gaps.
                    let start = x0 + plot_w * before / 100.0;
                    before += pct;
                    let end = x0 + plot_w * before / 100.0;
                    if *pct <= 0.0 {
                        continue;
                    }
                    let (start, end) = (round1(start), round1(end));
                    inner.push_str(
                        &El::new("rect")
                            .attr("class", "segment")
                            .attr("data-label", &row.label)
                            .attr("data-segment", segment)
                            .attr("data-share", &fmt1(*pct))
                            .num("x", start)
                            .num("y", center - BAR / 2.0)
                            .num("width", end - start)
                            .num("height", BAR)
                            .attr("fill", colour)
                            .empty(),
                    );
                    let text = format!("{}%", fixed(*pct, 0));
                    if end - start >= text_px(&text, SMALL_SIZE) + 4.0 {
                        inner.push_str(&text_at(
                            El::new("text")
                                .attr("class", "segment-value")
                                .attr("text-anchor", "middle")
                                .num("font-size", SMALL_SIZE)
                                .attr("fill", text_colour_on(colour)),
                            (start + end) / 2.0,
                            center,
                            SMALL_SIZE,
                            &text,
                        ));
                    }
                }
                inner.push_str(&text_at(
                    El::new("text")
                        .attr("class", "n")
                        .num("font-size", SMALL_SIZE)
                        .attr("fill", MUTED),
                    x0 + plot_w + 4.0,
                    center,
                    SMALL_SIZE,
                    &format!("n={}", count(row.n)),
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
    c.finish(&opts.title, "")
}

/// Rounds to one decimal (half up), as coordinates are written.
fn round1(v: f64) -> f64 {
    (v * 10.0 + 0.5).floor() / 10.0
}
