//! The zone and conduit diagram of a plant model (構成図): zones as boxes in rows by level —
//! outside parties at the top, then the office and DMZ, production management and maintenance,
//! supervisory, control, and safety at the bottom — and conduits as lines between them labelled
//! with their kind. Zones outside the company are drawn dashed and tinted, the end of a link at
//! such a zone gets a ring, remote-maintenance lines are drawn dashed in orange, and equipment
//! that is maintained remotely, vendor-managed (black box) or linked to a cloud service is marked
//! in its zone's list. A legend explains every mark.

use std::collections::BTreeMap;

use super::{
    ACCENT, Canvas, FONT_SIZE, LINE, MUTED, PAD, PRIMARY, SECONDARY, SMALL_SIZE, TEXT, Wrapped,
    lines_text, text_at,
};
use crate::svg::{El, coord};

/// The row a zone is drawn in, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ZoneLevel {
    /// Vendors, cloud services, the internet.
    Outside,
    /// The office network and the DMZ.
    Office,
    /// Production management and maintenance.
    Operations,
    Supervisory,
    Control,
    Safety,
}

impl ZoneLevel {
    pub const ALL: [ZoneLevel; 6] = [
        ZoneLevel::Outside,
        ZoneLevel::Office,
        ZoneLevel::Operations,
        ZoneLevel::Supervisory,
        ZoneLevel::Control,
        ZoneLevel::Safety,
    ];

    fn index(self) -> usize {
        self as usize
    }

    fn code(self) -> &'static str {
        match self {
            ZoneLevel::Outside => "outside",
            ZoneLevel::Office => "office",
            ZoneLevel::Operations => "operations",
            ZoneLevel::Supervisory => "supervisory",
            ZoneLevel::Control => "control",
            ZoneLevel::Safety => "safety",
        }
    }
}

/// A piece of equipment listed in its zone's box.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiagramAsset {
    pub name: String,
    pub remote_maintenance: bool,
    pub black_box: bool,
    pub cloud_link: bool,
}

/// One zone.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramZone {
    /// Identifies the zone for the conduits (and `data-zone`).
    pub key: String,
    pub name: String,
    /// One line under the name, e.g. "制御 · SL-T 3 · 重要度 3".
    pub detail: String,
    pub level: ZoneLevel,
    /// Outside the company (vendor, cloud, internet).
    pub untrusted: bool,
    pub assets: Vec<DiagramAsset>,
}

/// How a conduit is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkStyle {
    /// Firewall or data diode.
    Filtered,
    /// VPN or an encrypted link without a filter.
    Encrypted,
    /// A plain link with no filtering.
    Plain,
    /// A remote-maintenance line.
    Remote,
    /// Removable media or data carried by hand.
    Media,
    Wireless,
}

impl LinkStyle {
    pub const ALL: [LinkStyle; 6] = [
        LinkStyle::Filtered,
        LinkStyle::Encrypted,
        LinkStyle::Plain,
        LinkStyle::Remote,
        LinkStyle::Media,
        LinkStyle::Wireless,
    ];

    fn code(self) -> &'static str {
        match self {
            LinkStyle::Filtered => "filtered",
            LinkStyle::Encrypted => "encrypted",
            LinkStyle::Plain => "plain",
            LinkStyle::Remote => "remote",
            LinkStyle::Media => "media",
            LinkStyle::Wireless => "wireless",
        }
    }

    /// (stroke colour, width, dash pattern)
    fn stroke(self) -> (&'static str, f64, Option<&'static str>) {
        match self {
            LinkStyle::Filtered => (PRIMARY, 2.5, None),
            LinkStyle::Encrypted => (SECONDARY, 2.0, Some("8 3")),
            LinkStyle::Plain => (ACCENT, 2.0, None),
            LinkStyle::Remote => (REMOTE, 2.5, Some("6 4")),
            LinkStyle::Media => (MUTED, 1.5, Some("2 3")),
            LinkStyle::Wireless => (WIRELESS, 2.0, Some("1 4")),
        }
    }
}

/// Which way data may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFlow {
    Both,
    AToB,
    BToA,
}

/// One conduit between two zones (by their keys).
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramConduit {
    pub key: String,
    pub a: String,
    pub b: String,
    /// Written on the line: the conduit's kind.
    pub label: String,
    /// The conduit's own name, as a tooltip.
    pub name: String,
    pub style: LinkStyle,
    pub flow: LinkFlow,
}

/// The words of the diagram, in the reader's language.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZonesText {
    pub title: String,
    /// One name per [`ZoneLevel`], in order, written above its row.
    pub levels: [String; 6],
    /// One name per [`LinkStyle`], in order.
    pub links: [String; 6],
    pub untrusted: String,
    pub remote_maintenance: String,
    pub black_box: String,
    pub cloud_link: String,
    /// "+{n}" for the equipment not listed in a full box.
    pub more: String,
    /// Shown instead of the diagram when there is no zone.
    pub empty: String,
}

/// Options for [`zones`].
#[derive(Debug, Clone, PartialEq)]
pub struct ZonesOptions {
    pub text: ZonesText,
    /// Width in px (at least 240); 720 prints across an A4 page.
    pub width: u32,
}

const REMOTE: &str = "#b26a00";
const WIRELESS: &str = "#6b4fa0";
const UNTRUSTED_FILL: &str = "#fdf0ee";
const BOX_FILL: &str = "#ffffff";
const BOX_STROKE: &str = "#52606d";
const NAME_SIZE: f64 = 13.0;
const MIN_BOX: f64 = 150.0;
const MAX_BOX: f64 = 220.0;
const GAP_X: f64 = 24.0;
/// Between rows: room for the conduits' labels.
const GAP_Y: f64 = 64.0;
const BOX_PAD: f64 = 8.0;
/// Equipment listed per box before "+n".
const LISTED: usize = 5;
const MARK: f64 = 9.0;
/// The width of a legend entry's sample.
const SAMPLE: f64 = 26.0;

/// A zone's box once placed.
struct Placed<'a> {
    zone: &'a DiagramZone,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    /// Row number (visual, after wrapping).
    row: usize,
}

impl Placed<'_> {
    fn center_x(&self) -> f64 {
        self.x + self.w / 2.0
    }
}

/// The diagram: one `<svg>` with a `<g class="zone" data-zone data-level>` per zone (its
/// `<rect class="zone-box">` dashed when `data-untrusted="true"`), a `<g class="conduit"
/// data-conduit data-kind>` per conduit whose ends are known (a `<line>` or, between zones of
/// one row, a `<path>` with class `conduit-line`, and a `<text class="conduit-label">`), and a
/// legend (`<g class="legend">`). Conduits naming an unknown zone, or the same zone twice, are
/// left out. Zones keep their order within a row; rows wrap when they do not fit the width.
pub fn zones(zones: &[DiagramZone], conduits: &[DiagramConduit], opts: &ZonesOptions) -> String {
    let text = &opts.text;
    let mut c = Canvas::new("zones", opts.width);
    c.title(&text.title);
    if zones.is_empty() {
        c.push(&text_at(
            El::new("text").attr("class", "empty").attr("fill", MUTED),
            PAD,
            c.y + LINE / 2.0,
            FONT_SIZE,
            &text.empty,
        ));
        c.y += LINE + 8.0;
        return c.finish(&text.title, "");
    }
    let (placed, labels, bottom) = layout(zones, c.width, c.y, text);
    c.push(&labels);
    let index: BTreeMap<&str, usize> = placed
        .iter()
        .enumerate()
        .map(|(i, p)| (p.zone.key.as_str(), i))
        .collect();
    let drawn: Vec<(&DiagramConduit, usize, usize)> = conduits
        .iter()
        .filter_map(|k| {
            let a = *index.get(k.a.as_str())?;
            let b = *index.get(k.b.as_str())?;
            (a != b).then_some((k, a, b))
        })
        .collect();
    let ends = attachments(&placed, &drawn);
    let mut rows = Rows::new(&placed, c.width);
    let mut lines = String::from("<g class=\"conduits\">");
    let mut tags = String::new();
    for (i, (k, a, b)) in drawn.iter().enumerate() {
        let path = rows.path(&placed[*a], &placed[*b], ends[i]);
        let (line, tag) = conduit(k, &placed[*a], &placed[*b], &path);
        lines.push_str(&line);
        tags.push_str(&tag);
    }
    lines.push_str("</g>");
    c.push(&lines);
    let mut boxes = String::from("<g class=\"zones\">");
    for p in &placed {
        boxes.push_str(&zone_box(p, text));
    }
    boxes.push_str("</g>");
    c.push(&boxes);
    c.push(&format!("<g class=\"conduit-labels\">{tags}</g>"));
    c.y = bottom + 12.0;
    legend(&mut c, zones, &drawn, text);
    let desc = format!(
        "{} / {}",
        zones
            .iter()
            .map(|z| z.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        drawn.len()
    );
    c.finish(&text.title, &desc)
}

/// The lines a box needs: name (two lines at most), detail, equipment (with "+n").
fn box_lines(z: &DiagramZone, w: f64) -> (Wrapped, usize) {
    let name = Wrapped::new(&z.name, w - 2.0 * BOX_PAD, NAME_SIZE, 2);
    let listed = z.assets.len().min(LISTED) + usize::from(z.assets.len() > LISTED);
    (name, listed)
}

fn box_height(z: &DiagramZone, w: f64) -> f64 {
    let (name, listed) = box_lines(z, w);
    let detail = if z.detail.is_empty() { 0.0 } else { LINE };
    BOX_PAD * 2.0 + name.lines.len() as f64 * (NAME_SIZE + 4.0) + detail + listed as f64 * 14.0
}

/// Places the boxes row by row (level by level, wrapping wide levels) and writes the level
/// names above their rows. Returns the boxes, the level labels and the bottom of the last row.
fn layout<'a>(
    zones: &'a [DiagramZone],
    width: f64,
    top: f64,
    text: &ZonesText,
) -> (Vec<Placed<'a>>, String, f64) {
    let usable = width - 2.0 * PAD;
    let per_row = crate::num::trunc_usize(((usable + GAP_X) / (MIN_BOX + GAP_X)).floor()).max(1);
    let mut placed = Vec::with_capacity(zones.len());
    let mut labels = String::from("<g class=\"levels\">");
    let mut y = top;
    let mut row = 0;
    for level in ZoneLevel::ALL {
        let members: Vec<&DiagramZone> = zones.iter().filter(|z| z.level == level).collect();
        if members.is_empty() {
            continue;
        }
        let name = text.levels.get(level.index()).map_or("", String::as_str);
        labels.push_str(&text_at(
            El::new("text")
                .attr("class", "level")
                .attr("data-level", level.code())
                .num("font-size", SMALL_SIZE)
                .attr("fill", MUTED),
            PAD,
            y + 7.0,
            SMALL_SIZE,
            name,
        ));
        y += 18.0;
        for chunk in members.chunks(per_row) {
            let n = chunk.len() as f64;
            let w = ((usable - (n - 1.0) * GAP_X) / n).min(MAX_BOX);
            let h = chunk.iter().map(|z| box_height(z, w)).fold(0.0, f64::max);
            let total = n * w + (n - 1.0) * GAP_X;
            let mut x = PAD + (usable - total) / 2.0;
            for z in chunk {
                placed.push(Placed {
                    zone: z,
                    x,
                    y,
                    w,
                    h,
                    row,
                });
                x += w + GAP_X;
            }
            y += h + GAP_Y;
            row += 1;
        }
    }
    labels.push_str("</g>");
    (placed, labels, y - GAP_Y)
}

/// Where a conduit leaves a box: on the bottom edge towards a lower row or within one row, on
/// the top edge towards a higher row; several ends on one edge are spread along it in the order
/// of the other ends.
#[derive(Debug, Clone, Copy)]
struct Ends {
    a: (f64, f64),
    b: (f64, f64),
}

/// (the other end's x × 10, conduit, is the conduit's `a` end)
type EdgeEnd = (i64, usize, bool);

fn attachments(placed: &[Placed], drawn: &[(&DiagramConduit, usize, usize)]) -> Vec<Ends> {
    // (box, bottom edge?) → [(other end's x, conduit, is the a end)]
    let mut edges: BTreeMap<(usize, bool), Vec<EdgeEnd>> = BTreeMap::new();
    for (i, (_, a, b)) in drawn.iter().enumerate() {
        let (pa, pb) = (&placed[*a], &placed[*b]);
        // The upper box uses its bottom edge, the lower its top; within a row both the bottom.
        let a_bottom = pa.row <= pb.row;
        let b_bottom = pb.row <= pa.row;
        let key = |p: &Placed| crate::num::trunc_i64(p.center_x() * 10.0);
        edges
            .entry((*a, a_bottom))
            .or_default()
            .push((key(pb), i, true));
        edges
            .entry((*b, b_bottom))
            .or_default()
            .push((key(pa), i, false));
    }
    let mut out = vec![
        Ends {
            a: (0.0, 0.0),
            b: (0.0, 0.0),
        };
        drawn.len()
    ];
    for ((bx, bottom), mut list) in edges {
        list.sort();
        let p = &placed[bx];
        let n = list.len() as f64;
        for (j, (_, conduit, is_a)) in list.into_iter().enumerate() {
            let x = p.x + p.w * (j as f64 + 1.0) / (n + 1.0);
            let y = if bottom { p.y + p.h } else { p.y };
            if is_a {
                out[conduit].a = (x, y);
            } else {
                out[conduit].b = (x, y);
            }
        }
    }
    out
}

/// The path a conduit takes: a straight line between adjacent rows, a curve below a row
/// between two of its zones, and otherwise a path at right angles through the gaps between
/// rows and down a free gutter, so it never crosses a box of a row in between.
enum Path {
    Line((f64, f64), (f64, f64)),
    Curve((f64, f64), (f64, f64)),
    Bent(Vec<(f64, f64)>),
}

impl Path {
    /// Where the label goes.
    fn label_at(&self) -> (f64, f64) {
        match self {
            Path::Line(a, b) => ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0),
            Path::Curve(a, b) => ((a.0 + b.0) / 2.0, a.1.max(b.1) + 20.0),
            // On the last horizontal run, in the gap above the last box.
            Path::Bent(points) => match points.as_slice() {
                [.., p, q, _] => ((p.0 + q.0) / 2.0, q.1),
                _ => (0.0, 0.0),
            },
        }
    }

    /// The last two points, for an arrowhead at the end (a curve arrives vertically).
    fn last(&self) -> ((f64, f64), (f64, f64)) {
        match self {
            Path::Line(a, b) => (*a, *b),
            Path::Curve(_, b) => ((b.0, b.1 + 20.0), *b),
            Path::Bent(points) => match points.as_slice() {
                [.., p, q] => (*p, *q),
                _ => ((0.0, 0.0), (0.0, 1.0)),
            },
        }
    }

    fn first(&self) -> ((f64, f64), (f64, f64)) {
        match self {
            Path::Line(a, b) => (*b, *a),
            Path::Curve(a, _) => ((a.0, a.1 + 20.0), *a),
            Path::Bent(points) => match points.as_slice() {
                [p, q, ..] => (*q, *p),
                _ => ((0.0, 0.0), (0.0, 1.0)),
            },
        }
    }

    fn element(&self) -> El {
        match self {
            Path::Line(a, b) => El::new("line")
                .num("x1", a.0)
                .num("y1", a.1)
                .num("x2", b.0)
                .num("y2", b.1),
            Path::Curve(a, b) => {
                let dip = a.1.max(b.1) + 26.0;
                let d = format!(
                    "M{},{} C{},{} {},{} {},{}",
                    coord(a.0),
                    coord(a.1),
                    coord(a.0),
                    coord(dip),
                    coord(b.0),
                    coord(dip),
                    coord(b.0),
                    coord(b.1)
                );
                El::new("path").attr("d", &d).attr("fill", "none")
            }
            Path::Bent(points) => {
                let list: Vec<String> = points
                    .iter()
                    .map(|(x, y)| format!("{},{}", coord(*x), coord(*y)))
                    .collect();
                El::new("polyline")
                    .attr("points", &list.join(" "))
                    .attr("fill", "none")
            }
        }
    }
}

/// The rows as drawn: the horizontal extents of their boxes.
struct Rows {
    bands: Vec<Vec<(f64, f64)>>,
    width: f64,
    /// How many bent paths already use each gutter (keyed by x × 10).
    used: BTreeMap<i64, usize>,
}

impl Rows {
    fn new(placed: &[Placed], width: f64) -> Rows {
        let mut bands: Vec<Vec<(f64, f64)>> = Vec::new();
        for p in placed {
            if bands.len() <= p.row {
                bands.resize(p.row + 1, Vec::new());
            }
            bands[p.row].push((p.x, p.x + p.w));
        }
        Rows {
            bands,
            width,
            used: BTreeMap::new(),
        }
    }

    /// An x free of boxes in rows `from..to`, nearest to `near`: the gaps between boxes, or the
    /// margins. Each use moves the next path in the same gutter aside.
    fn gutter(&mut self, from: usize, to: usize, near: f64) -> f64 {
        let rows = self.bands.get(from..to).unwrap_or(&[]);
        let mut candidates = vec![PAD / 2.0, self.width - PAD / 2.0];
        for spans in rows {
            for pair in spans.windows(2) {
                candidates.push((pair[0].1 + pair[1].0) / 2.0);
            }
            // Just beside each box, the shortest way round it.
            for (a, b) in spans {
                candidates.extend([a - GAP_X / 2.0, b + GAP_X / 2.0]);
            }
        }
        let free = |x: f64| {
            rows.iter()
                .all(|spans| spans.iter().all(|(a, b)| x < a - 6.0 || x > b + 6.0))
        };
        let x = candidates
            .into_iter()
            .filter(|x| free(*x))
            .min_by(|a, b| (a - near).abs().total_cmp(&(b - near).abs()))
            .unwrap_or(PAD / 2.0);
        let uses = self
            .used
            .entry(crate::num::trunc_i64(x * 10.0))
            .or_default();
        let shift = 5.0 * (*uses as f64);
        *uses += 1;
        if x > self.width / 2.0 {
            x - shift
        } else {
            x + shift
        }
    }

    fn path(&mut self, pa: &Placed, pb: &Placed, ends: Ends) -> Path {
        let (a, b) = (ends.a, ends.b);
        if pa.row == pb.row {
            return Path::Curve(a, b);
        }
        if pa.row.abs_diff(pb.row) == 1 {
            return Path::Line(a, b);
        }
        let (upper, lower, reversed) = if pa.row < pb.row {
            (a, b, false)
        } else {
            (b, a, true)
        };
        let (first, last) = (pa.row.min(pb.row), pa.row.max(pb.row));
        let x = self.gutter(first + 1, last, (upper.0 + lower.0) / 2.0);
        let below = upper.1 + GAP_Y / 2.0;
        let above = lower.1 - GAP_Y / 2.0;
        let mut points = vec![
            upper,
            (upper.0, below),
            (x, below),
            (x, above),
            (lower.0, above),
            lower,
        ];
        if reversed {
            points.reverse();
        }
        Path::Bent(points)
    }
}

/// A conduit's line (with arrowheads for one-way links and rings at untrusted ends) and its
/// label.
fn conduit(k: &DiagramConduit, pa: &Placed, pb: &Placed, path: &Path) -> (String, String) {
    let (colour, width, dash) = k.style.stroke();
    let mut shape = path
        .element()
        .attr("class", "conduit-line")
        .attr("stroke", colour)
        .num("stroke-width", width);
    if let Some(d) = dash {
        shape = shape.attr("stroke-dasharray", d);
    }
    let mut inner = El::new("title").text(&k.name);
    inner.push_str(&shape.empty());
    // Arrowheads point the way data may go.
    let head = match k.flow {
        LinkFlow::Both => None,
        LinkFlow::AToB => Some(path.last()),
        LinkFlow::BToA => Some(path.first()),
    };
    if let Some((from, to)) = head {
        inner.push_str(&arrowhead(from, to, colour));
    }
    let (a_end, b_end) = (path.first().1, path.last().1);
    for (p, (x, y)) in [(pa, a_end), (pb, b_end)] {
        if p.zone.untrusted {
            inner.push_str(
                &El::new("circle")
                    .attr("class", "untrusted-end")
                    .num("cx", x)
                    .num("cy", y)
                    .num("r", 4.5)
                    .attr("fill", BOX_FILL)
                    .attr("stroke", ACCENT)
                    .attr("stroke-width", "2")
                    .empty(),
            );
        }
    }
    let g = El::new("g")
        .attr("class", "conduit")
        .attr("data-conduit", &k.key)
        .attr("data-kind", k.style.code())
        .attr("data-a", &k.a)
        .attr("data-b", &k.b)
        .raw(&inner);
    let (lx, ly) = path.label_at();
    let label = Wrapped::new(&k.label, 150.0, SMALL_SIZE, 1);
    let lw = label.width(SMALL_SIZE) + 8.0;
    let mut tag = El::new("rect")
        .num("x", lx - lw / 2.0)
        .num("y", ly - 8.0)
        .num("width", lw)
        .num("height", 16.0)
        .attr("fill", BOX_FILL)
        .attr("fill-opacity", "0.9")
        .empty();
    tag.push_str(&lines_text(
        El::new("text")
            .attr("text-anchor", "middle")
            .num("font-size", SMALL_SIZE)
            .attr("fill", colour),
        &label,
        &k.label,
        lx,
        ly,
        SMALL_SIZE,
        LINE,
    ));
    let tag = El::new("g")
        .attr("class", "conduit-label")
        .attr("data-conduit", &k.key)
        .raw(&tag);
    (g, tag)
}

/// A filled triangle at `to`, pointing away from `from`.
fn arrowhead(from: (f64, f64), to: (f64, f64), colour: &str) -> String {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (to.0 - ux * 10.0, to.1 - uy * 10.0);
    let (px, py) = (-uy * 5.0, ux * 5.0);
    let points = format!(
        "{},{} {},{} {},{}",
        coord(to.0),
        coord(to.1),
        coord(bx + px),
        coord(by + py),
        coord(bx - px),
        coord(by - py)
    );
    El::new("polygon")
        .attr("class", "arrowhead")
        .attr("points", &points)
        .attr("fill", colour)
        .empty()
}

/// The marks of one piece of equipment, left to right.
fn marks(a: &DiagramAsset, x: f64, center: f64) -> (String, f64) {
    let mut out = String::new();
    let mut x = x;
    for (on, kind) in [
        (a.remote_maintenance, "remote"),
        (a.black_box, "black-box"),
        (a.cloud_link, "cloud"),
    ] {
        if on {
            out.push_str(&mark(kind, x, center));
            x += MARK + 3.0;
        }
    }
    (out, x)
}

/// One mark: remote maintenance an orange circle, black box a black square, cloud link a blue
/// triangle.
fn mark(kind: &'static str, x: f64, center: f64) -> String {
    let half = MARK / 2.0;
    let el = match kind {
        "remote" => El::new("circle")
            .num("cx", x + half)
            .num("cy", center)
            .num("r", half)
            .attr("fill", REMOTE),
        "black-box" => El::new("rect")
            .num("x", x)
            .num("y", center - half)
            .num("width", MARK)
            .num("height", MARK)
            .attr("fill", TEXT),
        _ => El::new("polygon")
            .attr(
                "points",
                &format!(
                    "{},{} {},{} {},{}",
                    coord(x + half),
                    coord(center - half),
                    coord(x + MARK),
                    coord(center + half),
                    coord(x),
                    coord(center + half)
                ),
            )
            .attr("fill", SECONDARY),
    };
    el.attr("class", "mark")
        .attr_unescaped("data-mark", kind)
        .empty()
}

fn zone_box(p: &Placed, text: &ZonesText) -> String {
    let z = p.zone;
    let mut rect = El::new("rect")
        .attr("class", "zone-box")
        .num("x", p.x)
        .num("y", p.y)
        .num("width", p.w)
        .num("height", p.h)
        .attr("rx", "4")
        .attr(
            "fill",
            if z.untrusted {
                UNTRUSTED_FILL
            } else {
                BOX_FILL
            },
        )
        .attr("stroke", if z.untrusted { ACCENT } else { BOX_STROKE })
        .attr("stroke-width", "1.5");
    if z.untrusted {
        rect = rect.attr("stroke-dasharray", "6 3");
    }
    let mut inner = rect.empty();
    let (name, _) = box_lines(z, p.w);
    let name_h = name.lines.len() as f64 * (NAME_SIZE + 4.0);
    let left = p.x + BOX_PAD;
    inner.push_str(&lines_text(
        El::new("text")
            .attr("class", "zone-name")
            .num("font-size", NAME_SIZE)
            .attr("font-weight", "bold")
            .attr("fill", TEXT),
        &name,
        &z.name,
        left,
        p.y + BOX_PAD + name_h / 2.0,
        NAME_SIZE,
        NAME_SIZE + 4.0,
    ));
    let mut y = p.y + BOX_PAD + name_h;
    if !z.detail.is_empty() {
        let detail = Wrapped::new(&z.detail, p.w - 2.0 * BOX_PAD, SMALL_SIZE, 1);
        inner.push_str(&lines_text(
            El::new("text")
                .attr("class", "zone-detail")
                .num("font-size", SMALL_SIZE)
                .attr("fill", MUTED),
            &detail,
            &z.detail,
            left,
            y + LINE / 2.0,
            SMALL_SIZE,
            LINE,
        ));
        y += LINE;
    }
    inner.push_str(&asset_list(p, text, y));
    El::new("g")
        .attr("class", "zone")
        .attr("data-zone", &z.key)
        .attr("data-level", z.level.code())
        .attr("data-untrusted", if z.untrusted { "true" } else { "false" })
        .raw(&inner)
}

/// The equipment listed in a zone's box from `top`, with its marks, and "+n" for the rest.
fn asset_list(p: &Placed, text: &ZonesText, top: f64) -> String {
    let z = p.zone;
    let left = p.x + BOX_PAD;
    let mut y = top;
    let mut inner = String::new();
    for a in z.assets.iter().take(LISTED) {
        let center = y + 7.0;
        let (m, x) = marks(a, left, center);
        inner.push_str(&m);
        let room = p.x + p.w - BOX_PAD - x;
        let fitted = Wrapped::new(&a.name, room.max(20.0), SMALL_SIZE, 1);
        inner.push_str(&lines_text(
            El::new("text")
                .attr("class", "asset")
                .num("font-size", SMALL_SIZE)
                .attr("fill", TEXT),
            &fitted,
            &a.name,
            x,
            center,
            SMALL_SIZE,
            LINE,
        ));
        y += 14.0;
    }
    if z.assets.len() > LISTED {
        let more = text
            .more
            .replace("{n}", &(z.assets.len() - LISTED).to_string());
        inner.push_str(&text_at(
            El::new("text")
                .attr("class", "more")
                .num("font-size", SMALL_SIZE)
                .attr("fill", MUTED),
            left,
            y + 7.0,
            SMALL_SIZE,
            &more,
        ));
    }
    inner
}

/// The legend's entries: (sample markup drawn around (0, 0), name).
fn legend_items(
    zones: &[DiagramZone],
    drawn: &[(&DiagramConduit, usize, usize)],
    text: &ZonesText,
) -> Vec<(String, String)> {
    let mut items: Vec<(String, String)> = Vec::new();
    for (i, style) in LinkStyle::ALL.iter().enumerate() {
        if drawn.iter().any(|(k, _, _)| k.style == *style) {
            let (colour, width, dash) = style.stroke();
            let mut line = El::new("line")
                .num("x1", 0.0)
                .num("y1", 0.0)
                .num("x2", SAMPLE)
                .num("y2", 0.0)
                .attr("stroke", colour)
                .num("stroke-width", width);
            if let Some(d) = dash {
                line = line.attr("stroke-dasharray", d);
            }
            let name = text.links.get(i).cloned().unwrap_or_default();
            items.push((line.empty(), name));
        }
    }
    if zones.iter().any(|z| z.untrusted) {
        let sample = El::new("rect")
            .num("x", 0.0)
            .num("y", -6.0)
            .num("width", SAMPLE)
            .num("height", 12.0)
            .attr("fill", UNTRUSTED_FILL)
            .attr("stroke", ACCENT)
            .attr("stroke-dasharray", "6 3")
            .empty();
        items.push((sample, text.untrusted.clone()));
    }
    let assets = || zones.iter().flat_map(|z| z.assets.iter());
    for (used, kind, name) in [
        (
            assets().any(|a| a.remote_maintenance),
            "remote",
            &text.remote_maintenance,
        ),
        (assets().any(|a| a.black_box), "black-box", &text.black_box),
        (assets().any(|a| a.cloud_link), "cloud", &text.cloud_link),
    ] {
        if used {
            items.push((mark(kind, SAMPLE / 2.0 - MARK / 2.0, 0.0), name.clone()));
        }
    }
    items
}

/// The legend: the line styles drawn, an untrusted zone, and the equipment marks used.
fn legend(
    c: &mut Canvas,
    zones: &[DiagramZone],
    drawn: &[(&DiagramConduit, usize, usize)],
    text: &ZonesText,
) {
    const ROW: f64 = 18.0;
    let items = legend_items(zones, drawn, text);
    if items.is_empty() {
        return;
    }
    let right = c.width - PAD;
    let (mut x, mut top) = (PAD, c.y);
    let mut out = String::from("<g class=\"legend\">");
    for (sample, name) in items {
        let label = Wrapped::new(&name, right - PAD - SAMPLE - 6.0, FONT_SIZE, 1);
        let w = SAMPLE + 6.0 + label.width(FONT_SIZE);
        if x > PAD && x + w > right {
            x = PAD;
            top += ROW;
        }
        let center = top + ROW / 2.0;
        let moved = El::new("g")
            .attr(
                "transform",
                &format!("translate({},{})", coord(x), coord(center)),
            )
            .raw(&sample);
        let label = lines_text(
            El::new("text").attr("fill", TEXT),
            &label,
            &name,
            x + SAMPLE + 6.0,
            center,
            FONT_SIZE,
            LINE,
        );
        out.push_str(
            &El::new("g")
                .attr("class", "legend-item")
                .attr("data-legend", &name)
                .raw(&(moved + &label)),
        );
        x += w + 18.0;
    }
    out.push_str("</g>");
    c.push(&out);
    c.y = top + ROW + 4.0;
}
