//! The charts (four for scores and surveys, one plant diagram), and what they share: the canvas (root element, title, growing height), the
//! wrapped label column, gridlines, legends and colours.
//!
//! Every chart is one `<svg>` element with presentation attributes only (no `style`), so it can be
//! inlined in a page served with `style-src 'self'` or saved as a standalone `.svg` file. Elements
//! that carry data have `data-*` attributes (`data-label`, `data-series`, `data-value`, …).

mod percent_bars;
mod radar;
mod score_bars;
mod stacked_bars;
mod zones;

pub use percent_bars::{PercentBarsOptions, PercentRow, percent_bars};
pub use radar::{RadarOptions, radar};
pub use score_bars::{ScoreBarsOptions, score_bars};
pub use stacked_bars::{StackedBarsOptions, StackedRow, stacked_bars};
pub use zones::{
    DiagramAsset, DiagramConduit, DiagramZone, LinkFlow, LinkStyle, ZoneLevel, ZonesOptions,
    ZonesText, zones,
};

use crate::svg::{El, coord, text_width_em, wrap_lines};

/// One data series (e.g. this assessment, the previous one): a name for the legend and one value
/// per label, in the order of the labels. A missing value (`None`, or a non-finite number) means
/// "could not be assessed"; values beyond the labels are ignored, missing ones count as `None`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

impl Series {
    /// The value for label `i`, if there is a finite one.
    pub(crate) fn value(&self, i: usize) -> Option<f64> {
        self.values
            .get(i)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
    }
}

/// Fonts for Japanese first; set once on the root element.
pub(crate) const FONT_FAMILY: &str =
    "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif";

// Sizes in px.
pub(crate) const FONT_SIZE: f64 = 12.0;
pub(crate) const SMALL_SIZE: f64 = 10.5;
pub(crate) const TITLE_SIZE: f64 = 15.0;
pub(crate) const LINE: f64 = 15.0;
pub(crate) const TITLE_LINE: f64 = 19.0;
pub(crate) const PAD: f64 = 16.0;
/// Between the label column and the plot.
pub(crate) const GAP: f64 = 8.0;
/// Narrower requested widths are widened to this.
pub(crate) const MIN_WIDTH: f64 = 240.0;
/// The label column takes at most this share of the width; longer labels wrap.
pub(crate) const LABEL_SHARE: f64 = 0.4;

// Colours (all text colours reach 4.5:1 on white).
pub(crate) const TEXT: &str = "#1f2933";
/// Gray text (notes for suppressed rows, captions, ticks); #9aa5b1 is too light for text.
pub(crate) const MUTED: &str = "#52606d";
pub(crate) const PRIMARY: &str = "#1f4e79";
pub(crate) const SECONDARY: &str = "#2f6ea6";
pub(crate) const ACCENT: &str = "#c0392b";
/// Suppressed or neutral areas ("該当しない・わからない").
pub(crate) const NEUTRAL: &str = "#9aa5b1";
pub(crate) const GRID: &str = "#d9dee3";
pub(crate) const AXIS: &str = "#7b8794";
const WHITE: &str = "#ffffff";

/// The colour of series `i`: the first dark blue, then lighter blues and a gray-blue.
pub(crate) fn series_colour(i: usize) -> &'static str {
    const COLOURS: [&str; 4] = [PRIMARY, SECONDARY, "#4a7fb5", "#616e7c"];
    COLOURS[i % COLOURS.len()]
}

/// `n` colours for an ordered scale, best first: dark green, green, yellow-green, orange, red
/// (interpolated for other counts).
pub(crate) fn ordered_palette(n: usize) -> Vec<String> {
    const STOPS: [(u8, u8, u8); 5] = [
        (0x1a, 0x6e, 0x3a),
        (0x4f, 0x9a, 0x4a),
        (0xa9, 0xc2, 0x5a),
        (0xeb, 0x9a, 0x3c),
        (0xc0, 0x39, 0x2b),
    ];
    (0..n)
        .map(|i| {
            let t = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                0.0
            };
            let pos = t * (STOPS.len() - 1) as f64;
            let lo = crate::num::trunc_usize(pos.floor()).min(STOPS.len() - 2);
            let f = pos - lo as f64;
            let (a, b) = (STOPS[lo], STOPS[lo + 1]);
            let mix = |x: u8, y: u8| {
                crate::num::trunc_u8((f64::from(x) + (f64::from(y) - f64::from(x)) * f).round())
            };
            format!(
                "#{:02x}{:02x}{:02x}",
                mix(a.0, b.0),
                mix(a.1, b.1),
                mix(a.2, b.2)
            )
        })
        .collect()
}

/// WCAG relative luminance of a `#rrggbb` colour.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let v = u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
        let c = f64::from(v) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/// White or dark text, whichever contrasts more with `fill`.
pub(crate) fn text_colour_on(fill: &str) -> &'static str {
    let l = luminance(fill);
    let on_white = 1.05 / (l + 0.05);
    let on_dark = (l + 0.05) / (luminance(TEXT) + 0.05);
    if on_white >= on_dark { WHITE } else { TEXT }
}

/// Estimated width in px of one line of text.
pub(crate) fn text_px(text: &str, font_size: f64) -> f64 {
    text_width_em(text) * font_size
}

/// A text wrapped to a width in px.
pub(crate) struct Wrapped {
    pub(crate) lines: Vec<String>,
    pub(crate) truncated: bool,
}

impl Wrapped {
    pub(crate) fn new(text: &str, max_px: f64, font_size: f64, max_lines: usize) -> Self {
        let (lines, truncated) = wrap_lines(text, max_px / font_size, max_lines);
        Wrapped { lines, truncated }
    }

    /// Width in px of the widest line.
    pub(crate) fn width(&self, font_size: f64) -> f64 {
        self.lines
            .iter()
            .map(|l| text_px(l, font_size))
            .fold(0.0, f64::max)
    }

    pub(crate) fn height(&self) -> f64 {
        self.lines.len() as f64 * LINE
    }
}

/// Wraps labels for the label column (at most [`LABEL_SHARE`] of the width, two lines) and
/// returns them with the width the column needs.
pub(crate) fn label_column<'a>(
    labels: impl Iterator<Item = &'a str>,
    width: f64,
) -> (Vec<Wrapped>, f64) {
    let wrapped: Vec<Wrapped> = labels
        .map(|l| Wrapped::new(l, width * LABEL_SHARE, FONT_SIZE, 2))
        .collect();
    let column = wrapped
        .iter()
        .map(|w| w.width(FONT_SIZE))
        .fold(0.0, f64::max);
    (wrapped, column.ceil())
}

/// A `<text>` of one or more lines, vertically centred on `center_y`. `el` carries the element's
/// own attributes (class, data, anchor, fill, size); a truncated text gets its full wording as a
/// `<title>` tooltip.
pub(crate) fn lines_text(
    el: El,
    text: &Wrapped,
    full: &str,
    x: f64,
    center_y: f64,
    font_size: f64,
    line: f64,
) -> String {
    let first = center_y - (text.lines.len() as f64 - 1.0) * line / 2.0 + 0.35 * font_size;
    let el = el.num("x", x).num("y", first);
    let mut inner = String::new();
    if text.truncated {
        inner.push_str(&El::new("title").text(full));
    }
    if let [only] = text.lines.as_slice() {
        inner.push_str(&crate::svg::escape(only));
    } else {
        for (i, l) in text.lines.iter().enumerate() {
            inner.push_str(
                &El::new("tspan")
                    .num("x", x)
                    .num("y", first + i as f64 * line)
                    .text(l),
            );
        }
    }
    el.raw(&inner)
}

/// A single line of text with its baseline set so it is centred on `center_y`.
pub(crate) fn text_at(el: El, x: f64, center_y: f64, font_size: f64, content: &str) -> String {
    el.num("x", x)
        .num("y", center_y + 0.35 * font_size)
        .text(content)
}

/// Vertical gridlines at 0, 25, 50, 75 and 100 across `top..bottom`, with tick labels
/// (`0{suffix}` …) below `bottom`. The caller leaves [`TICKS_HEIGHT`] below `bottom` for them.
pub(crate) fn grid(x0: f64, plot_w: f64, top: f64, bottom: f64, suffix: &str) -> String {
    let mut out = String::from("<g class=\"grid\">");
    for v in [0u32, 25, 50, 75, 100] {
        let x = x0 + plot_w * f64::from(v) / 100.0;
        out.push_str(
            &El::new("line")
                .attr("class", "gridline")
                .attr("data-value", &v.to_string())
                .num("x1", x)
                .num("y1", top)
                .num("x2", x)
                .num("y2", bottom)
                .attr("stroke", if v == 0 { AXIS } else { GRID })
                .attr("stroke-width", "1")
                .empty(),
        );
        out.push_str(
            &El::new("text")
                .attr("class", "tick")
                .num("x", x)
                .num("y", bottom + 12.0)
                .attr("text-anchor", "middle")
                .num("font-size", SMALL_SIZE)
                .attr("fill", MUTED)
                .text(&format!("{v}{suffix}")),
        );
    }
    out.push_str("</g>");
    out
}

/// Room below the plot for the tick labels of [`grid`].
pub(crate) const TICKS_HEIGHT: f64 = 18.0;

/// How a legend entry is drawn: a small rectangle.
pub(crate) struct Swatch {
    pub(crate) fill: String,
    pub(crate) fill_opacity: Option<f64>,
    pub(crate) stroke: Option<String>,
    pub(crate) dashed: bool,
    pub(crate) height: f64,
}

impl Swatch {
    /// A solid rectangle of `height`.
    pub(crate) fn solid(fill: &str, height: f64) -> Self {
        Swatch {
            fill: fill.to_string(),
            fill_opacity: None,
            stroke: None,
            dashed: false,
            height,
        }
    }
}

/// A chart being drawn: its kind, width, the body written so far and the current height.
pub(crate) struct Canvas {
    kind: &'static str,
    pub(crate) width: f64,
    /// The y where the next part goes; the final height is `y + PAD`.
    pub(crate) y: f64,
    body: String,
}

impl Canvas {
    pub(crate) fn new(kind: &'static str, width: u32) -> Self {
        Canvas {
            kind,
            width: f64::from(width).max(MIN_WIDTH),
            y: PAD,
            body: String::new(),
        }
    }

    pub(crate) fn push(&mut self, markup: &str) {
        self.body.push_str(markup);
    }

    /// The visible title (wrapped to two lines), if there is one.
    pub(crate) fn title(&mut self, title: &str) {
        if title.trim().is_empty() {
            return;
        }
        let wrapped = Wrapped::new(title, self.width - 2.0 * PAD, TITLE_SIZE, 2);
        let block = wrapped.lines.len() as f64 * TITLE_LINE;
        let el = El::new("text")
            .attr("class", "chart-title")
            .num("font-size", TITLE_SIZE)
            .attr("font-weight", "bold")
            .attr("fill", TEXT);
        let text = lines_text(
            el,
            &wrapped,
            title,
            PAD,
            self.y + block / 2.0,
            TITLE_SIZE,
            TITLE_LINE,
        );
        self.push(&text);
        self.y += block + 8.0;
    }

    /// A legend of swatches and names flowing left to right, wrapping at the width. `key` is the
    /// data attribute naming each entry (`data-series`, `data-segment`).
    pub(crate) fn legend(&mut self, items: &[(&str, Swatch)], key: &str) {
        const ROW: f64 = 18.0;
        const SWATCH_W: f64 = 14.0;
        let right = self.width - PAD;
        let max_name = right - PAD - SWATCH_W - 5.0;
        let mut x = PAD;
        let mut row_top = self.y;
        let mut out = String::from("<g class=\"legend\">");
        for (name, swatch) in items {
            let label = Wrapped::new(name, max_name, FONT_SIZE, 1);
            let item_w = SWATCH_W + 5.0 + label.width(FONT_SIZE);
            if x > PAD && x + item_w > right {
                x = PAD;
                row_top += ROW;
            }
            let center = row_top + ROW / 2.0;
            let mut rect = El::new("rect")
                .num("x", x)
                .num("y", center - swatch.height / 2.0)
                .num("width", SWATCH_W)
                .num("height", swatch.height)
                .attr("fill", &swatch.fill);
            if let Some(o) = swatch.fill_opacity {
                rect = rect.attr("fill-opacity", &crate::svg::fixed(o, 2));
            }
            if let Some(stroke) = &swatch.stroke {
                rect = rect.attr("stroke", stroke).attr("stroke-width", "1.5");
            }
            if swatch.dashed {
                rect = rect.attr("stroke-dasharray", "3 2");
            }
            let text = lines_text(
                El::new("text").attr("fill", TEXT),
                &label,
                name,
                x + SWATCH_W + 5.0,
                center,
                FONT_SIZE,
                LINE,
            );
            out.push_str(
                &El::new("g")
                    .attr("class", "legend-item")
                    .attr(key, name)
                    .raw(&(rect.empty() + &text)),
            );
            x += item_w + 16.0;
        }
        out.push_str("</g>");
        self.push(&out);
        self.y = row_top + ROW + 6.0;
    }

    /// The finished `<svg>`: root attributes, `<title>` (and `<desc>` if `desc` is not empty),
    /// then the body. The ids are derived from the content, so output stays deterministic and two
    /// different charts on one page do not share ids.
    pub(crate) fn finish(self, title: &str, desc: &str) -> String {
        let width = self.width;
        let height = (self.y + PAD).ceil();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in [
            self.kind, "\u{0}", title, "\u{0}", desc, "\u{0}", &self.body,
        ]
        .iter()
        .flat_map(|s| s.bytes())
        {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let id = format!("kojo-{}-{hash:016x}", self.kind);
        let mut root = El::new("svg")
            .attr("xmlns", "http://www.w3.org/2000/svg")
            .attr(
                "viewBox",
                &format!("0 0 {} {}", coord(width), coord(height)),
            )
            .num("width", width)
            .num("height", height)
            .attr("role", "img")
            .attr("aria-labelledby", &format!("{id}-title"));
        let mut inner = El::new("title")
            .attr("id", &format!("{id}-title"))
            .text(title);
        if !desc.is_empty() {
            root = root.attr("aria-describedby", &format!("{id}-desc"));
            inner.push_str(&El::new("desc").attr("id", &format!("{id}-desc")).text(desc));
        }
        inner.push_str(&self.body);
        root.attr_unescaped("font-family", FONT_FAMILY)
            .num("font-size", FONT_SIZE)
            .attr("class", "kojo-chart")
            .attr("data-chart", self.kind)
            .raw(&inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_palette_runs_from_dark_green_to_red() {
        assert_eq!(ordered_palette(5)[0], "#1a6e3a");
        assert_eq!(ordered_palette(5)[4], "#c0392b");
        assert_eq!(ordered_palette(1), vec!["#1a6e3a"]);
        assert_eq!(ordered_palette(7).len(), 7);
    }

    #[test]
    fn segment_text_colour_is_the_one_with_more_contrast() {
        assert_eq!(text_colour_on("#1a6e3a"), WHITE);
        assert_eq!(text_colour_on("#c0392b"), WHITE);
        assert_eq!(text_colour_on("#a9c25a"), TEXT);
        assert_eq!(text_colour_on(NEUTRAL), TEXT);
    }
}
