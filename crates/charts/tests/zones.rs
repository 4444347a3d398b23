//! The zone diagram parsed back with roxmltree: a box per zone in the row of its level, a line
//! per conduit between the right boxes, labels, marks and the legend.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use kojo_charts::*;
use roxmltree::{Document, Node};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const EVIL: &str = "<script>alert('x')</script>&";

fn text() -> ZonesText {
    ZonesText {
        title: "ゾーン構成図".into(),
        levels: [
            "社外".into(),
            "事務系・DMZ".into(),
            "生産管理・保守".into(),
            "監視".into(),
            "制御".into(),
            "安全計装".into(),
        ],
        links: [
            "フィルタあり".into(),
            "暗号化".into(),
            "フィルタなし".into(),
            "リモート保守回線".into(),
            "媒体・人手".into(),
            "無線".into(),
        ],
        untrusted: "社外のゾーン".into(),
        remote_maintenance: "リモート保守される機器".into(),
        black_box: "ブラックボックス機器".into(),
        cloud_link: "クラウド連携".into(),
        more: "ほか{n}台".into(),
        empty: "ゾーンがまだありません".into(),
    }
}

fn opts() -> ZonesOptions {
    ZonesOptions {
        text: text(),
        width: 720,
    }
}

fn zone(key: &str, name: &str, level: ZoneLevel, untrusted: bool) -> DiagramZone {
    DiagramZone {
        key: key.into(),
        name: name.into(),
        detail: "SL-T 2".into(),
        level,
        untrusted,
        assets: vec![],
    }
}

fn link(key: &str, a: &str, b: &str, label: &str, style: LinkStyle) -> DiagramConduit {
    DiagramConduit {
        key: key.into(),
        a: a.into(),
        b: b.into(),
        label: label.into(),
        name: format!("経路{key}"),
        style,
        flow: LinkFlow::Both,
    }
}

/// A press line: a vendor wired to the PLC zone, the office behind a firewall, a safety zone.
fn press_line() -> (Vec<DiagramZone>, Vec<DiagramConduit>) {
    let mut control = zone("1", "プレスライン制御", ZoneLevel::Control, false);
    control.assets = vec![
        DiagramAsset {
            name: "1号プレスPLC".into(),
            remote_maintenance: true,
            ..DiagramAsset::default()
        },
        DiagramAsset {
            name: "画像検査装置".into(),
            black_box: true,
            ..DiagramAsset::default()
        },
    ];
    let zones = vec![
        control,
        zone("2", "事務所LAN", ZoneLevel::Office, false),
        zone("3", "保守ベンダー", ZoneLevel::Outside, true),
        zone("4", "安全計装", ZoneLevel::Safety, false),
        zone("5", "品質管理", ZoneLevel::Office, false),
    ];
    let conduits = vec![
        link("10", "3", "1", "リモート保守回線", LinkStyle::Remote),
        link("11", "2", "1", "ファイアウォール", LinkStyle::Filtered),
        link("12", "1", "4", "直結", LinkStyle::Plain),
        link("13", "2", "5", "直結", LinkStyle::Plain),
        link("14", "9", "1", "どこにもない", LinkStyle::Plain),
    ];
    (zones, conduits)
}

fn parse(svg: &str) -> Document<'_> {
    Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
}

fn with_class<'a, 'i>(doc: &'a Document<'i>, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .collect()
}

fn num(node: &Node, attr: &str) -> f64 {
    node.attribute(attr)
        .unwrap_or_else(|| panic!("no {attr} on {node:?}"))
        .parse()
        .unwrap()
}

fn all_text(node: &Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// The box of a zone: (x, y, width, height).
fn zone_box(doc: &Document, key: &str) -> (f64, f64, f64, f64) {
    let g = with_class(doc, "zone")
        .into_iter()
        .find(|g| g.attribute("data-zone") == Some(key))
        .unwrap_or_else(|| panic!("no zone {key}"));
    let rect = g
        .children()
        .find(|n| n.attribute("class") == Some("zone-box"))
        .unwrap();
    (
        num(&rect, "x"),
        num(&rect, "y"),
        num(&rect, "width"),
        num(&rect, "height"),
    )
}

#[test]
fn a_box_per_zone_with_its_name_in_rows_by_level() {
    let (zones, conduits) = press_line();
    let svg = kojo_charts::zones(&zones, &conduits, &opts());
    let doc = parse(&svg);
    assert!(doc.root_element().has_tag_name((SVG_NS, "svg")));
    let boxes = with_class(&doc, "zone");
    assert_eq!(boxes.len(), 5);
    for z in &zones {
        let g = boxes
            .iter()
            .find(|g| g.attribute("data-zone") == Some(z.key.as_str()))
            .unwrap();
        assert!(all_text(g).contains(&z.name), "{}", all_text(g));
    }
    // Outside on top, then the office row (two zones side by side), control, safety last.
    let y = |k| zone_box(&doc, k).1;
    assert!(y("3") < y("2"));
    assert_eq!(y("2"), y("5"));
    assert!(y("2") < y("1") && y("1") < y("4"));
    let (x2, _, w2, _) = zone_box(&doc, "2");
    let (x5, ..) = zone_box(&doc, "5");
    assert!(x2 + w2 <= x5, "side by side without overlap");
    // Level names are written above their rows, only for the levels in use.
    let levels: Vec<String> = with_class(&doc, "level").iter().map(all_text).collect();
    assert_eq!(levels, ["社外", "事務系・DMZ", "制御", "安全計装"]);
    // Every box fits the width.
    let width = num(&doc.root_element(), "width");
    for z in &zones {
        let (x, _, w, _) = zone_box(&doc, &z.key);
        assert!(x >= 0.0 && x + w <= width);
    }
}

#[test]
fn a_line_per_conduit_between_its_zones_labelled_with_its_kind() {
    let (zones, conduits) = press_line();
    let svg = kojo_charts::zones(&zones, &conduits, &opts());
    let doc = parse(&svg);
    let lines = with_class(&doc, "conduit");
    // The conduit to an unknown zone is left out.
    assert_eq!(lines.len(), 4);
    let kinds: Vec<(&str, &str)> = lines
        .iter()
        .map(|g| {
            (
                g.attribute("data-conduit").unwrap(),
                g.attribute("data-kind").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("10", "remote"),
            ("11", "filtered"),
            ("12", "plain"),
            ("13", "plain")
        ]
    );
    let labels: Vec<String> = with_class(&doc, "conduit-label")
        .iter()
        .map(all_text)
        .collect();
    assert_eq!(
        labels,
        ["リモート保守回線", "ファイアウォール", "直結", "直結"]
    );
    // The vendor line runs from the bottom of the vendor box to the top of the control box,
    // bent at right angles through a gutter of the office row, never across a box there.
    let g = &lines[0];
    let line = g
        .descendants()
        .find(|n| n.attribute("class") == Some("conduit-line"))
        .unwrap();
    assert!(line.has_tag_name((SVG_NS, "polyline")));
    let points: Vec<(f64, f64)> = line
        .attribute("points")
        .unwrap()
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    let (vx, vy, vw, vh) = zone_box(&doc, "3");
    let (cx, cy, cw, _) = zone_box(&doc, "1");
    let (first, last) = (points[0], points[points.len() - 1]);
    assert_eq!(first.1, vy + vh);
    assert_eq!(last.1, cy);
    assert!((vx..=vx + vw).contains(&first.0));
    assert!((cx..=cx + cw).contains(&last.0));
    for key in ["2", "5"] {
        let (x, y, w, h) = zone_box(&doc, key);
        for pair in points.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            // Segments are vertical or horizontal: check the box against the segment's extent.
            let (sx0, sx1) = (p.0.min(q.0), p.0.max(q.0));
            let (sy0, sy1) = (p.1.min(q.1), p.1.max(q.1));
            let crosses = sx1 >= x && sx0 <= x + w && sy1 >= y && sy0 <= y + h;
            assert!(!crosses, "segment {p:?}-{q:?} crosses zone {key}");
        }
    }
    assert_eq!(line.attribute("stroke-dasharray"), Some("6 4"));
    // Between adjacent rows a line is straight.
    let straight = lines[1]
        .descendants()
        .find(|n| n.attribute("class") == Some("conduit-line"))
        .unwrap();
    assert!(straight.has_tag_name((SVG_NS, "line")));
    // Its end at the vendor is marked untrusted; the firewall to the office is not.
    assert_eq!(with_class(&doc, "untrusted-end").len(), 1);
    assert!(
        g.descendants()
            .any(|n| n.attribute("class") == Some("untrusted-end"))
    );
    // Between two zones of one row the line is a curve below them.
    let same_row = lines[3]
        .descendants()
        .find(|n| n.attribute("class") == Some("conduit-line"))
        .unwrap();
    assert!(same_row.has_tag_name((SVG_NS, "path")));
    // Tooltips carry the conduits' own names.
    assert!(all_text(g).contains("経路10"));
}

#[test]
fn untrusted_zones_equipment_marks_and_the_legend() {
    let (zones, conduits) = press_line();
    let svg = kojo_charts::zones(&zones, &conduits, &opts());
    let doc = parse(&svg);
    let vendor = with_class(&doc, "zone")
        .into_iter()
        .find(|g| g.attribute("data-zone") == Some("3"))
        .unwrap();
    assert_eq!(vendor.attribute("data-untrusted"), Some("true"));
    let marks: Vec<&str> = with_class(&doc, "mark")
        .iter()
        .filter_map(|m| m.attribute("data-mark"))
        .collect();
    // Two in the control zone's list, two more in the legend.
    assert_eq!(marks, ["remote", "black-box", "remote", "black-box"]);
    let legend: Vec<String> = with_class(&doc, "legend-item")
        .iter()
        .map(all_text)
        .collect();
    assert_eq!(
        legend,
        [
            "フィルタあり",
            "フィルタなし",
            "リモート保守回線",
            "社外のゾーン",
            "リモート保守される機器",
            "ブラックボックス機器"
        ]
    );
}

#[test]
fn one_way_links_get_an_arrowhead_at_the_receiving_end() {
    let zones = vec![
        zone("1", "制御", ZoneLevel::Control, false),
        zone("2", "事務", ZoneLevel::Office, false),
    ];
    let mut diode = link("1", "1", "2", "データダイオード", LinkStyle::Filtered);
    diode.flow = LinkFlow::AToB;
    let svg = kojo_charts::zones(&zones, &[diode], &opts());
    let doc = parse(&svg);
    let heads = with_class(&doc, "arrowhead");
    assert_eq!(heads.len(), 1);
    let tip: Vec<f64> = heads[0]
        .attribute("points")
        .unwrap()
        .split([' ', ','])
        .map(|v| v.parse().unwrap())
        .collect();
    let (_, y, _, h) = zone_box(&doc, "2");
    assert_eq!(
        tip[1],
        y + h,
        "the tip touches the office box's bottom edge"
    );
}

#[test]
fn many_zones_wrap_and_many_assets_end_in_a_count() {
    let mut zones: Vec<DiagramZone> = (0..9)
        .map(|i| {
            zone(
                &i.to_string(),
                &format!("セル{i}"),
                ZoneLevel::Control,
                false,
            )
        })
        .collect();
    zones[0].assets = (0..8)
        .map(|i| DiagramAsset {
            name: format!("ロボット{i}"),
            ..DiagramAsset::default()
        })
        .collect();
    let svg = kojo_charts::zones(&zones, &[], &opts());
    let doc = parse(&svg);
    let mut rows: Vec<i64> = zones
        .iter()
        .map(|z| zone_box(&doc, &z.key).1 as i64)
        .collect();
    rows.dedup();
    assert!(
        rows.len() >= 2,
        "720px holds at most four 150px boxes a row"
    );
    let shown: Vec<String> = with_class(&doc, "asset").iter().map(all_text).collect();
    assert_eq!(shown.len(), 5);
    assert_eq!(all_text(&with_class(&doc, "more")[0]), "ほか3台");
    // Every box has room for what it lists.
    let (_, y, _, h) = zone_box(&doc, "0");
    for t in with_class(&doc, "asset") {
        let ty = num(&t, "y");
        assert!(ty > y && ty < y + h);
    }
}

#[test]
fn text_is_escaped_and_nothing_needs_a_style_or_script() {
    let mut zones = vec![zone("1", EVIL, ZoneLevel::Control, false)];
    zones[0].assets = vec![DiagramAsset {
        name: EVIL.into(),
        cloud_link: true,
        ..DiagramAsset::default()
    }];
    zones.push(zone("2", "外", ZoneLevel::Outside, true));
    let mut evil_link = link("x\"", "2", "1", EVIL, LinkStyle::Wireless);
    evil_link.name = EVIL.into();
    let mut o = opts();
    o.text.title = EVIL.into();
    let svg = kojo_charts::zones(&zones, &[evil_link], &o);
    let doc = parse(&svg);
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("style="));
    assert!(!svg.contains("href"));
    assert_eq!(svg.matches("http").count(), 1, "only the xmlns");
    let names: Vec<String> = with_class(&doc, "zone-name").iter().map(all_text).collect();
    assert!(names.iter().any(|n| n == EVIL), "{names:?}");
    assert_eq!(
        with_class(&doc, "conduit")[0].attribute("data-conduit"),
        Some("x\"")
    );
}

#[test]
fn the_same_plant_gives_the_same_bytes_and_an_empty_plant_says_so() {
    let (zones, conduits) = press_line();
    assert_eq!(
        kojo_charts::zones(&zones, &conduits, &opts()),
        kojo_charts::zones(&zones, &conduits, &opts())
    );
    let svg = kojo_charts::zones(&[], &[], &opts());
    let doc = parse(&svg);
    assert_eq!(
        all_text(&with_class(&doc, "empty")[0]),
        "ゾーンがまだありません"
    );
    assert!(with_class(&doc, "zone").is_empty());
}
