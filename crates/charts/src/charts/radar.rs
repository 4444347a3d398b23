//! Radar (spider) chart of scores 0–100.

use std::f64::consts::PI;

use super::{
    Canvas, FONT_SIZE, GRID, LINE, MUTED, PAD, SMALL_SIZE, Series, Swatch, TEXT, Wrapped,
    lines_text, series_colour,
};
use crate::svg::{El, coord, fmt1, is_wide};

/// Options for [`radar`].
#[derive(Debug, Clone, PartialEq)]
pub struct RadarOptions {
    /// The chart's title (also its accessible name).
    pub title: String,
    /// Appended in parentheses to the label of an axis with a `None` value, e.g. "評価できません".
    pub na_label: String,
    /// Width in px (at least 240); the height follows from the labels and legend.
    pub size: u32,
}

/// Fill opacity of the first series.
const FILL_OPACITY: f64 = 0.25;

/// Radar chart over the labels (meant for three or more axes), scale 0–100 with rings at 25, 50,
/// 75 and 100. One polygon per series: the first filled (translucent, `fill-opacity`) with a
/// strong outline, the others dashed outlines only. A `None` value (in any series) is plotted at 0
/// and the axis label gets `na_label` appended in parentheses, on a line of its own (full-width
/// parentheses when `na_label` is Japanese).
/// Fewer than three labels still give a valid (degenerate) chart.
///
/// Series are `<polygon class="series" data-series data-values="66.7,NA,…">` with one point per
/// label, values `<circle class="point" data-label data-series data-value>`.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn radar(labels: &[String], series: &[Series], opts: &RadarOptions) -> String {
    let mut c = Canvas::new("radar", opts.size);
    c.title(&opts.title);
    if series.len() > 1 {
        let items: Vec<(&str, Swatch)> = series
            .iter()
            .enumerate()
            .map(|(k, s)| (s.name.as_str(), swatch(k)))
            .collect();
        c.legend(&items, "data-series");
    }

    let n = labels.len();
    // Axis labels: up to two lines, then the note for a missing value on a line of its own so it
    // is never cut off.
    let max_label = (c.width * 0.22).max(4.0 * FONT_SIZE);
    let mut axis_texts = Vec::with_capacity(n);
    let mut wrapped = Vec::with_capacity(n);
    for (i, label) in labels.iter().enumerate() {
        let mut text = Wrapped::new(label, max_label, FONT_SIZE, 2);
        let missing = series.iter().any(|s| s.value(i).is_none());
        if missing && !opts.na_label.trim().is_empty() {
            let note = if opts.na_label.chars().any(is_wide) {
                format!("（{}）", opts.na_label)
            } else {
                format!("({})", opts.na_label)
            };
            let note_lines = Wrapped::new(&note, c.width * 0.35, FONT_SIZE, 1);
            text.lines.extend(note_lines.lines);
            text.truncated |= note_lines.truncated;
            axis_texts.push(format!("{label}{note}"));
        } else {
            axis_texts.push(label.clone());
        }
        wrapped.push(text);
    }
    let label_w = wrapped
        .iter()
        .map(|w| w.width(FONT_SIZE))
        .fold(0.0, f64::max);
    let label_h = wrapped.iter().map(Wrapped::height).fold(0.0, f64::max);
    let radius = (c.width / 2.0 - PAD - label_w - 8.0).max(c.width * 0.18);
    let v_margin = label_h + 10.0;
    let cx = c.width / 2.0;
    let cy = c.y + v_margin + radius;

    let angle = |i: usize| -PI / 2.0 + 2.0 * PI * i as f64 / n.max(1) as f64;
    let point = |i: usize, value: f64| {
        let r = radius * value.clamp(0.0, 100.0) / 100.0;
        (cx + r * angle(i).cos(), cy + r * angle(i).sin())
    };
    let points = |values: &[f64]| {
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let (x, y) = point(i, v);
                format!("{},{}", coord(x), coord(y))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };

    // Rings and their values, along the first axis.
    let mut out = String::from("<g class=\"rings\">");
    for v in [25.0, 50.0, 75.0, 100.0] {
        out.push_str(
            &El::new("polygon")
                .attr("class", "ring")
                .attr("data-value", &fmt1(v))
                .attr("points", &points(&vec![v; n]))
                .attr("fill", "none")
                .attr("stroke", GRID)
                .attr("stroke-width", "1")
                .empty(),
        );
        out.push_str(
            &El::new("text")
                .attr("class", "tick")
                .num("x", cx + 3.0)
                .num("y", cy - radius * v / 100.0 + 10.0)
                .num("font-size", SMALL_SIZE)
                .attr("fill", MUTED)
                .text(&coord(v)),
        );
    }
    out.push_str("</g>");

    // Axes and their labels.
    out.push_str("<g class=\"axes\">");
    for (i, label) in labels.iter().enumerate() {
        let (x, y) = point(i, 100.0);
        out.push_str(
            &El::new("line")
                .attr("class", "axis")
                .num("x1", cx)
                .num("y1", cy)
                .num("x2", x)
                .num("y2", y)
                .attr("stroke", GRID)
                .attr("stroke-width", "1")
                .empty(),
        );
        let (cos, sin) = (angle(i).cos(), angle(i).sin());
        let (lx, ly) = (cx + (radius + 8.0) * cos, cy + (radius + 8.0) * sin);
        let anchor = if cos.abs() < 0.3 {
            "middle"
        } else if cos > 0.0 {
            "start"
        } else {
            "end"
        };
        let half = wrapped[i].height() / 2.0;
        let center = if sin < -0.3 {
            ly - half
        } else if sin > 0.3 {
            ly + half
        } else {
            ly
        };
        out.push_str(&lines_text(
            El::new("text")
                .attr("class", "label")
                .attr("data-label", label)
                .attr("text-anchor", anchor)
                .attr("fill", TEXT),
            &wrapped[i],
            &axis_texts[i],
            lx,
            center,
            FONT_SIZE,
            LINE,
        ));
    }
    out.push_str("</g>");

    // Series: the first drawn last so it is on top.
    for (k, s) in series.iter().enumerate().rev() {
        let values: Vec<Option<f64>> = (0..n).map(|i| s.value(i)).collect();
        let plotted: Vec<f64> = values.iter().map(|v| v.unwrap_or(0.0)).collect();
        let data = values
            .iter()
            .map(|v| v.map_or_else(|| "NA".to_string(), fmt1))
            .collect::<Vec<_>>()
            .join(",");
        let colour = series_colour(k);
        let mut poly = El::new("polygon")
            .attr("class", "series")
            .attr("data-series", &s.name)
            .attr("data-values", &data)
            .attr("points", &points(&plotted));
        poly = if k == 0 {
            poly.attr("fill", colour)
                .attr("fill-opacity", &crate::svg::fixed(FILL_OPACITY, 2))
                .attr("stroke", colour)
                .attr("stroke-width", "2")
        } else {
            poly.attr("fill", "none")
                .attr("stroke", colour)
                .attr("stroke-width", "1.5")
                .attr("stroke-dasharray", "5 3")
        };
        let mut group = poly.attr("stroke-linejoin", "round").empty();
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                let (x, y) = point(i, *v);
                group.push_str(
                    &El::new("circle")
                        .attr("class", "point")
                        .attr("data-label", &labels[i])
                        .attr("data-series", &s.name)
                        .attr("data-value", &fmt1(*v))
                        .num("cx", x)
                        .num("cy", y)
                        .num("r", if k == 0 { 3.0 } else { 2.5 })
                        .attr("fill", colour)
                        .empty(),
                );
            }
        }
        out.push_str(
            &El::new("g")
                .attr("class", "series-group")
                .attr("data-series", &s.name)
                .raw(&group),
        );
    }
    c.push(&out);
    c.y = cy + radius + v_margin;
    c.finish(&opts.title, "")
}

fn swatch(k: usize) -> Swatch {
    let colour = series_colour(k);
    if k == 0 {
        Swatch {
            fill: colour.to_string(),
            fill_opacity: Some(FILL_OPACITY),
            stroke: Some(colour.to_string()),
            dashed: false,
            height: 10.0,
        }
    } else {
        Swatch {
            fill: "none".to_string(),
            fill_opacity: None,
            stroke: Some(colour.to_string()),
            dashed: true,
            height: 10.0,
        }
    }
}
