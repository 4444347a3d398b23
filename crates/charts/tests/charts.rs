//! The charts as a page would use them: parsed back with roxmltree and checked element by element.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use kojo_charts::svg::text_width_em;
use kojo_charts::*;
use roxmltree::{Document, Node};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const EVIL: &str = "<script>alert(1)</script>";
const LONG_JA: &str = "制御システムのネットワークを情報系ネットワークから分離し、境界に通信を制限するファイアウォールを設置して、その設定を定期的に見直している";

fn s(text: &str) -> String {
    text.to_string()
}

fn labels(items: &[&str]) -> Vec<String> {
    items.iter().map(|l| s(l)).collect()
}

fn series(name: &str, values: &[Option<f64>]) -> Series {
    Series {
        name: s(name),
        values: values.to_vec(),
    }
}

fn parse(svg: &str) -> Document<'_> {
    Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
}

fn elements<'a, 'i>(doc: &'a Document<'i>, tag: &str, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.has_tag_name((SVG_NS, tag)) && n.attribute("class") == Some(class))
        .collect()
}

fn num(node: &Node, attr: &str) -> f64 {
    node.attribute(attr)
        .unwrap_or_else(|| panic!("no {attr}"))
        .parse()
        .unwrap()
}

/// All the text of a node and its descendants, excluding `<title>` tooltips.
fn visible_text(node: &Node) -> String {
    node.descendants()
        .filter(|n| {
            n.is_text()
                && !n
                    .parent()
                    .is_some_and(|p| p.has_tag_name((SVG_NS, "title")))
        })
        .filter_map(|n| n.text())
        .collect()
}

fn score_opts(title: &str) -> ScoreBarsOptions {
    ScoreBarsOptions {
        title: s(title),
        na_label: s("評価できません"),
        width: 640,
    }
}

fn radar_opts(title: &str) -> RadarOptions {
    RadarOptions {
        title: s(title),
        na_label: s("評価できません"),
        size: 480,
    }
}

fn percent_opts(title: &str) -> PercentBarsOptions {
    PercentBarsOptions {
        title: s(title),
        caption: s("N=397, n=367"),
        width: 640,
    }
}

fn stacked_opts(title: &str) -> StackedBarsOptions {
    StackedBarsOptions {
        title: s(title),
        last_is_neutral: true,
        width: 640,
    }
}

fn pct_row(label: &str, percent: Option<f64>, count: Option<u64>) -> PercentRow {
    PercentRow {
        label: s(label),
        percent,
        count,
        note: percent.is_none().then(|| s("非表示（回答5件未満）")),
        highlight: false,
    }
}

fn levels() -> Vec<String> {
    labels(&[
        "随時見直し",
        "定期見直し",
        "実施済み",
        "一部実施",
        "未実施",
        "該当しない・わからない",
    ])
}

/// One of each chart, with Japanese labels, two series and a suppressed row.
fn sample_charts() -> Vec<String> {
    let cats = labels(&[
        "組織的対策",
        "運用的対策",
        "物理的対策",
        "サプライチェーン対策",
    ]);
    let current = series("今回", &[Some(66.7), Some(50.0), None, Some(100.0)]);
    let previous = series("前回", &[Some(40.0), Some(55.5), Some(20.0), None]);
    vec![
        score_bars(
            &cats,
            &[current.clone(), previous.clone()],
            &score_opts("分野別スコア"),
        ),
        radar(&cats, &[current, previous], &radar_opts("分野別スコア")),
        percent_bars(
            &[
                pct_row("実施している", Some(65.0), Some(258)),
                pct_row("実施していない", Some(30.2), Some(120)),
                pct_row("わからない", None, None),
            ],
            &percent_opts("パッチ適用の状況"),
        ),
        stacked_bars(
            &[
                StackedRow {
                    label: s("ウイルス対策"),
                    shares: Some(vec![0.41, 0.2, 0.19, 0.1, 0.05, 0.05]),
                    n: 367,
                    note: None,
                },
                StackedRow {
                    label: s("パッチ"),
                    shares: None,
                    n: 3,
                    note: Some(s("非表示（回答5件未満）")),
                },
            ],
            &levels(),
            &stacked_opts("対策の実施状況"),
        ),
    ]
}

#[test]
fn every_chart_is_one_well_formed_svg_with_an_accessible_title() {
    for svg in sample_charts() {
        let doc = parse(&svg);
        let root = doc.root_element();
        assert!(root.has_tag_name((SVG_NS, "svg")));
        assert_eq!(root.attribute("role"), Some("img"));
        for attr in ["viewBox", "width", "height"] {
            assert!(root.attribute(attr).is_some(), "no {attr}");
        }
        let w = num(&root, "width");
        let h = num(&root, "height");
        assert_eq!(
            root.attribute("viewBox"),
            Some(format!("0 0 {w} {h}").as_str())
        );
        // aria-labelledby names the <title>, which is the first child and holds the title.
        let title = root.first_element_child().unwrap();
        assert!(title.has_tag_name((SVG_NS, "title")));
        assert_eq!(
            root.attribute("aria-labelledby"),
            title.attribute("id"),
            "{svg}"
        );
        assert!(
            ["分野別スコア", "パッチ適用の状況", "対策の実施状況"].contains(&title.text().unwrap())
        );
        // The font family is set once, on the root.
        assert!(
            root.attribute("font-family")
                .unwrap()
                .starts_with("'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans'")
        );
        assert_eq!(svg.matches("font-family").count(), 1);
        // Standalone: the string is exactly the one element.
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
    }
}

#[test]
fn no_style_no_script_and_no_external_reference() {
    for svg in sample_charts() {
        assert!(!svg.contains("style="), "{svg}");
        assert!(!svg.contains("<style"));
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("href"));
        assert!(!svg.contains("<image"));
        assert!(!svg.contains("url("));
        assert_eq!(svg.matches("http").count(), 1, "only the xmlns");
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    }
}

#[test]
fn output_is_byte_identical_for_the_same_input() {
    assert_eq!(sample_charts(), sample_charts());
}

#[test]
fn ids_differ_between_different_charts_on_one_page() {
    let a = score_bars(
        &labels(&["A"]),
        &[series("x", &[Some(1.0)])],
        &score_opts("T"),
    );
    let b = score_bars(
        &labels(&["A"]),
        &[series("x", &[Some(2.0)])],
        &score_opts("T"),
    );
    let id = |svg: &str| {
        parse(svg)
            .root_element()
            .attribute("aria-labelledby")
            .unwrap()
            .to_string()
    };
    assert_ne!(id(&a), id(&b));
}

#[test]
fn coordinates_are_written_with_at_most_one_decimal() {
    for svg in sample_charts() {
        let doc = parse(&svg);
        for node in doc.descendants().filter(|n| n.is_element()) {
            for attr in [
                "x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r",
            ] {
                if let Some(v) = node.attribute(attr) {
                    let decimals = v.split_once('.').map_or(0, |(_, d)| d.len());
                    assert!(decimals <= 1, "{attr}={v}");
                }
            }
            if let Some(points) = node.attribute("points") {
                for n in points.split([' ', ',']) {
                    assert!(n.split_once('.').map_or(0, |(_, d)| d.len()) <= 1, "{n}");
                }
            }
        }
    }
}

#[test]
fn labels_titles_and_names_are_escaped_in_every_chart() {
    let evil = labels(&[EVIL, "b", "c"]);
    let both = [
        series(EVIL, &[Some(10.0), None, Some(5.0)]),
        series("'\"&", &[Some(20.0), Some(1.0), None]),
    ];
    let charts = [
        score_bars(
            &evil,
            &both,
            &ScoreBarsOptions {
                title: s(EVIL),
                na_label: s(EVIL),
                width: 500,
            },
        ),
        radar(
            &evil,
            &both,
            &RadarOptions {
                title: s(EVIL),
                na_label: s(EVIL),
                size: 400,
            },
        ),
        percent_bars(
            &[
                PercentRow {
                    label: s(EVIL),
                    percent: Some(10.0),
                    count: Some(1),
                    note: None,
                    highlight: true,
                },
                PercentRow {
                    label: s("x"),
                    percent: None,
                    count: None,
                    note: Some(s(EVIL)),
                    highlight: false,
                },
            ],
            &PercentBarsOptions {
                title: s(EVIL),
                caption: s(EVIL),
                width: 500,
            },
        ),
        stacked_bars(
            &[StackedRow {
                label: s(EVIL),
                shares: Some(vec![1.0, 1.0]),
                n: 2,
                note: Some(s(EVIL)),
            }],
            &labels(&[EVIL, "'\"&"]),
            &StackedBarsOptions {
                title: s(EVIL),
                last_is_neutral: false,
                width: 500,
            },
        ),
    ];
    for svg in charts {
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let doc = parse(&svg);
        assert!(
            !doc.descendants()
                .any(|n| n.has_tag_name((SVG_NS, "script")))
        );
        // The text comes back verbatim when parsed.
        assert_eq!(
            doc.root_element().first_element_child().unwrap().text(),
            Some(EVIL)
        );
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-label") == Some(EVIL))
        );
    }
}

#[test]
fn japanese_labels_appear_verbatim() {
    let all = sample_charts().concat();
    for label in [
        "組織的対策",
        "サプライチェーン対策",
        "今回",
        "前回",
        "実施している",
        "非表示（回答5件未満）",
        "該当しない・わからない",
        "評価できません",
    ] {
        assert!(all.contains(label), "{label} missing");
    }
}

#[test]
fn score_bars_are_proportional_to_the_value() {
    let svg = score_bars(
        &labels(&["満点", "半分", "四分の一", "ゼロ"]),
        &[series(
            "今回",
            &[Some(100.0), Some(50.0), Some(25.0), Some(0.0)],
        )],
        &score_opts("スコア"),
    );
    let doc = parse(&svg);
    let bars = elements(&doc, "rect", "bar");
    assert_eq!(bars.len(), 4);
    let widths: Vec<f64> = bars.iter().map(|b| num(b, "width")).collect();
    assert!(widths[0] > 100.0);
    assert!((widths[1] - widths[0] / 2.0).abs() <= 0.1, "{widths:?}");
    assert!((widths[2] - widths[0] / 4.0).abs() <= 0.1, "{widths:?}");
    assert_eq!(widths[3], 0.0);
    assert!(bars.iter().all(|b| num(b, "x") == num(&bars[0], "x")));
    assert_eq!(bars[1].attribute("data-label"), Some("半分"));
    assert_eq!(bars[1].attribute("data-value"), Some("50.0"));
}

#[test]
fn score_values_are_labelled_with_one_decimal_rounded_half_up() {
    let svg = score_bars(
        &labels(&["a", "b", "c"]),
        &[series(
            "今回",
            &[Some(200.0 / 3.0), Some(65.05), Some(47.94)],
        )],
        &score_opts("スコア"),
    );
    let doc = parse(&svg);
    let values: Vec<String> = elements(&doc, "text", "value")
        .iter()
        .map(visible_text)
        .collect();
    assert_eq!(values, ["66.7", "65.1", "47.9"]);
    let data: Vec<&str> = elements(&doc, "rect", "bar")
        .iter()
        .map(|b| b.attribute("data-value").unwrap())
        .collect();
    assert_eq!(data, ["66.7", "65.1", "47.9"]);
}

#[test]
fn score_none_value_draws_no_bar_and_writes_the_na_label() {
    let svg = score_bars(
        &labels(&["組織的対策", "物理的対策"]),
        &[series("今回", &[Some(66.7), None])],
        &score_opts("スコア"),
    );
    let doc = parse(&svg);
    let bars = elements(&doc, "rect", "bar");
    assert_eq!(bars.len(), 1);
    assert_eq!(bars[0].attribute("data-label"), Some("組織的対策"));
    let na = elements(&doc, "text", "na");
    assert_eq!(na.len(), 1);
    assert_eq!(na[0].attribute("data-label"), Some("物理的対策"));
    assert_eq!(visible_text(&na[0]), "評価できません");
}

#[test]
fn score_previous_series_is_thinner_lighter_and_named_in_a_legend() {
    let cats = labels(&["組織的対策"]);
    let two = score_bars(
        &cats,
        &[series("今回", &[Some(80.0)]), series("前回", &[Some(60.0)])],
        &score_opts("スコア"),
    );
    let doc = parse(&two);
    let bars = elements(&doc, "rect", "bar");
    assert_eq!(bars.len(), 2);
    assert_eq!(bars[0].attribute("data-series"), Some("今回"));
    assert!(num(&bars[1], "height") < num(&bars[0], "height"));
    assert_eq!(bars[0].attribute("fill"), Some("#1f4e79"));
    assert_ne!(bars[1].attribute("fill"), bars[0].attribute("fill"));
    let legend: Vec<&str> = elements(&doc, "g", "legend-item")
        .iter()
        .map(|g| g.attribute("data-series").unwrap())
        .collect();
    assert_eq!(legend, ["今回", "前回"]);

    let one = score_bars(
        &cats,
        &[series("今回", &[Some(80.0)])],
        &score_opts("スコア"),
    );
    assert!(elements(&parse(&one), "g", "legend-item").is_empty());
}

#[test]
fn score_gridlines_are_at_0_25_50_75_100() {
    let svg = score_bars(
        &labels(&["a"]),
        &[series("今回", &[Some(100.0)])],
        &score_opts("スコア"),
    );
    let doc = parse(&svg);
    let grid = elements(&doc, "line", "gridline");
    let values: Vec<&str> = grid
        .iter()
        .map(|g| g.attribute("data-value").unwrap())
        .collect();
    assert_eq!(values, ["0", "25", "50", "75", "100"]);
    let bar = &elements(&doc, "rect", "bar")[0];
    assert!((num(&grid[0], "x1") - num(bar, "x")).abs() <= 0.1);
    assert!((num(&grid[4], "x1") - (num(bar, "x") + num(bar, "width"))).abs() <= 0.1);
}

#[test]
fn height_grows_with_the_number_of_rows() {
    let height = |n: usize| {
        let cats: Vec<String> = (0..n).map(|i| format!("分野{i}")).collect();
        let values = vec![Some(50.0); n];
        let svg = score_bars(&cats, &[series("今回", &values)], &score_opts("スコア"));
        num(&parse(&svg).root_element(), "height")
    };
    assert!(height(2) < height(4) && height(4) < height(8));
    let rows = |n: usize| -> Vec<PercentRow> {
        (0..n)
            .map(|i| pct_row(&format!("選択肢{i}"), Some(10.0), Some(1)))
            .collect()
    };
    let h = |n| {
        num(
            &parse(&percent_bars(&rows(n), &percent_opts("T"))).root_element(),
            "height",
        )
    };
    assert!(h(2) < h(6));
}

#[test]
fn a_very_long_japanese_label_wraps_to_two_lines_ending_in_an_ellipsis() {
    let svg = score_bars(
        &labels(&[LONG_JA, "短い"]),
        &[series("今回", &[Some(50.0), Some(60.0)])],
        &score_opts("スコア"),
    );
    let doc = parse(&svg);
    let label = elements(&doc, "text", "label")
        .into_iter()
        .find(|t| t.parent().unwrap().attribute("data-label") == Some(LONG_JA))
        .unwrap();
    let lines: Vec<String> = label
        .children()
        .filter(|n| n.has_tag_name((SVG_NS, "tspan")))
        .map(|t| t.text().unwrap().to_string())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(LONG_JA.starts_with(&format!("{}{}", lines[0], lines[1].trim_end_matches('…'))));
    assert!(lines[1].ends_with('…'));
    // Both lines fit the label column: at most 40% of the width at 12 px.
    for line in &lines {
        assert!(text_width_em(line) * 12.0 <= 640.0 * 0.4, "{line}");
    }
    // The full wording stays available as a tooltip and in the data attribute.
    let tooltip = label
        .children()
        .find(|n| n.has_tag_name((SVG_NS, "title")))
        .unwrap();
    assert_eq!(tooltip.text(), Some(LONG_JA));
    // A short label stays on one line without tspans.
    let short = elements(&doc, "text", "label")
        .into_iter()
        .find(|t| visible_text(t) == "短い")
        .unwrap();
    assert_eq!(short.children().filter(|n| n.is_element()).count(), 0);
}

#[test]
fn label_column_shrinks_to_the_longest_short_label() {
    let plot_x = |cats: &[&str]| {
        let svg = score_bars(
            &labels(cats),
            &[series("今回", &vec![Some(50.0); cats.len()])],
            &score_opts("スコア"),
        );
        num(&elements(&parse(&svg), "rect", "bar")[0], "x")
    };
    assert!(plot_x(&["組織"]) < plot_x(&["組織的対策の実施"]));
    assert!(plot_x(&["組織的対策の実施"]) < plot_x(&[LONG_JA]));
}

#[test]
fn radar_with_four_axes_has_four_points_per_polygon() {
    let cats = labels(&[
        "組織的対策",
        "運用的対策",
        "物理的対策",
        "サプライチェーン対策",
    ]);
    let svg = radar(
        &cats,
        &[
            series("今回", &[Some(66.7), Some(50.0), Some(80.0), Some(100.0)]),
            series("前回", &[Some(40.0), Some(50.0), Some(60.0), Some(70.0)]),
        ],
        &radar_opts("分野別スコア"),
    );
    let doc = parse(&svg);
    let count_points = |n: &Node| n.attribute("points").unwrap().split(' ').count();
    let polygons = elements(&doc, "polygon", "series");
    assert_eq!(polygons.len(), 2);
    assert!(polygons.iter().all(|p| count_points(p) == 4));
    let rings = elements(&doc, "polygon", "ring");
    let ring_values: Vec<&str> = rings
        .iter()
        .map(|r| r.attribute("data-value").unwrap())
        .collect();
    assert_eq!(ring_values, ["25.0", "50.0", "75.0", "100.0"]);
    assert!(rings.iter().all(|r| count_points(r) == 4));
    assert_eq!(elements(&doc, "line", "axis").len(), 4);
    assert_eq!(elements(&doc, "circle", "point").len(), 8);
    // The 100 point of the fourth axis lies on the 100 ring.
    let current = polygons
        .iter()
        .find(|p| p.attribute("data-series") == Some("今回"))
        .unwrap();
    assert_eq!(
        current.attribute("data-values"),
        Some("66.7,50.0,80.0,100.0")
    );
    let last_point = |p: &Node| {
        p.attribute("points")
            .unwrap()
            .split(' ')
            .nth(3)
            .unwrap()
            .to_string()
    };
    assert_eq!(last_point(current), last_point(&rings[3]));
}

#[test]
fn radar_first_series_is_filled_translucent_and_others_are_outlines() {
    let cats = labels(&["a", "b", "c"]);
    let svg = radar(
        &cats,
        &[
            series("今回", &[Some(50.0), Some(50.0), Some(50.0)]),
            series("前回", &[Some(30.0), Some(30.0), Some(30.0)]),
        ],
        &radar_opts("R"),
    );
    let doc = parse(&svg);
    let polygons = elements(&doc, "polygon", "series");
    let by_name = |name: &str| {
        *polygons
            .iter()
            .find(|p| p.attribute("data-series") == Some(name))
            .unwrap()
    };
    let first = by_name("今回");
    assert_eq!(first.attribute("fill"), Some("#1f4e79"));
    let opacity: f64 = first.attribute("fill-opacity").unwrap().parse().unwrap();
    assert!(opacity > 0.0 && opacity < 1.0);
    let other = by_name("前回");
    assert_eq!(other.attribute("fill"), Some("none"));
    assert!(other.attribute("stroke").is_some());
    assert_eq!(elements(&doc, "g", "legend-item").len(), 2);
}

#[test]
fn radar_none_is_plotted_at_the_centre_and_its_label_says_so() {
    let cats = labels(&[
        "組織的対策",
        "運用的対策",
        "物理的対策",
        "サプライチェーン対策",
    ]);
    let svg = radar(
        &cats,
        &[series("今回", &[Some(50.0), None, Some(50.0), Some(50.0)])],
        &radar_opts("R"),
    );
    let doc = parse(&svg);
    let polygon = &elements(&doc, "polygon", "series")[0];
    assert_eq!(polygon.attribute("data-values"), Some("50.0,NA,50.0,50.0"));
    // The centre is where the axes start.
    let axis = &elements(&doc, "line", "axis")[0];
    let centre = format!(
        "{},{}",
        axis.attribute("x1").unwrap(),
        axis.attribute("y1").unwrap()
    );
    let second = polygon
        .attribute("points")
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap();
    assert_eq!(second, centre);
    let label = elements(&doc, "text", "label")
        .into_iter()
        .find(|t| t.attribute("data-label") == Some("運用的対策"))
        .unwrap();
    assert!(
        visible_text(&label).contains("運用的対策（評価できません）"),
        "{}",
        visible_text(&label)
    );
    // No marker for the missing value.
    assert_eq!(elements(&doc, "circle", "point").len(), 3);
}

#[test]
fn percent_bars_are_proportional_and_labelled_with_percent_and_count() {
    let svg = percent_bars(
        &[
            pct_row("実施している", Some(65.0), Some(258)),
            pct_row("一部", Some(32.5), Some(1234)),
            pct_row("全部", Some(100.0), None),
        ],
        &percent_opts("パッチ適用の状況"),
    );
    let doc = parse(&svg);
    let bars = elements(&doc, "rect", "bar");
    assert_eq!(bars.len(), 3);
    let w: Vec<f64> = bars.iter().map(|b| num(b, "width")).collect();
    assert!((w[1] - w[0] / 2.0).abs() <= 0.1, "{w:?}");
    assert!((w[0] - w[2] * 0.65).abs() <= 0.1, "{w:?}");
    assert_eq!(bars[0].attribute("data-count"), Some("258"));
    let texts: Vec<String> = elements(&doc, "text", "value")
        .iter()
        .map(visible_text)
        .collect();
    assert_eq!(texts, ["65.0% (258)", "32.5% (1,234)", "100.0%"]);
    // The text sits right of its bar.
    let value = &elements(&doc, "text", "value")[0];
    assert!(num(value, "x") > num(&bars[0], "x") + w[0]);
}

#[test]
fn percent_suppressed_row_draws_no_bar_and_shows_its_note_in_gray() {
    let svg = percent_bars(
        &[
            pct_row("実施している", Some(65.0), Some(258)),
            pct_row("その他", None, None),
        ],
        &percent_opts("T"),
    );
    let doc = parse(&svg);
    let suppressed: Vec<Node> = elements(&doc, "g", "row")
        .into_iter()
        .filter(|g| g.attribute("data-suppressed") == Some("true"))
        .collect();
    assert_eq!(suppressed.len(), 1);
    let row = suppressed[0];
    assert_eq!(row.attribute("data-label"), Some("その他"));
    assert!(!row.descendants().any(|n| n.has_tag_name((SVG_NS, "rect"))));
    let note = row
        .descendants()
        .find(|n| n.attribute("class") == Some("note"))
        .unwrap();
    assert_eq!(visible_text(&note), "非表示（回答5件未満）");
    assert_eq!(note.attribute("fill"), Some("#52606d"));
    assert_eq!(elements(&doc, "rect", "bar").len(), 1);
    assert!(!svg.contains("data-value=\"0.0\""));
}

#[test]
fn percent_highlight_uses_the_accent_and_the_caption_is_under_the_chart() {
    let mut mine = pct_row("自社の回答", Some(40.0), Some(10));
    mine.highlight = true;
    let svg = percent_bars(
        &[pct_row("他", Some(60.0), Some(15)), mine],
        &percent_opts("T"),
    );
    let doc = parse(&svg);
    let bars = elements(&doc, "rect", "bar");
    assert_eq!(bars[1].attribute("fill"), Some("#c0392b"));
    assert_eq!(bars[1].attribute("data-highlight"), Some("true"));
    assert_ne!(bars[0].attribute("fill"), Some("#c0392b"));
    let caption = &elements(&doc, "text", "caption")[0];
    assert_eq!(visible_text(caption), "N=397, n=367");
    let lowest_bar = bars.iter().map(|b| num(b, "y")).fold(0.0, f64::max);
    assert!(num(caption, "y") > lowest_bar);
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name((SVG_NS, "desc")))
        .unwrap();
    assert_eq!(desc.text(), Some("N=397, n=367"));
}

#[test]
fn stacked_bars_draw_one_rect_per_nonzero_segment_tiling_the_bar() {
    let svg = stacked_bars(
        &[
            StackedRow {
                label: s("ウイルス対策"),
                shares: Some(vec![41.0, 0.0, 29.0, 20.0, 0.0, 10.0]),
                n: 1234,
                note: None,
            },
            StackedRow {
                label: s("パッチ"),
                shares: Some(vec![0.1, 0.1, 0.2, 0.2, 0.2, 0.2]),
                n: 50,
                note: None,
            },
        ],
        &levels(),
        &stacked_opts("対策の実施状況"),
    );
    let doc = parse(&svg);
    let rows = elements(&doc, "g", "row");
    let first: Vec<Node> = rows[0]
        .descendants()
        .filter(|n| n.attribute("class") == Some("segment"))
        .collect();
    assert_eq!(first.len(), 4);
    let names: Vec<&str> = first
        .iter()
        .map(|r| r.attribute("data-segment").unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "随時見直し",
            "実施済み",
            "一部実施",
            "該当しない・わからない"
        ]
    );
    assert_eq!(first[0].attribute("data-share"), Some("41.0"));
    // Segments touch and the bar's total width is the same in every row.
    for pair in first.windows(2) {
        assert!((num(&pair[0], "x") + num(&pair[0], "width") - num(&pair[1], "x")).abs() <= 0.1);
    }
    let total = |segs: &[Node]| segs.iter().map(|r| num(r, "width")).sum::<f64>();
    let second: Vec<Node> = rows[1]
        .descendants()
        .filter(|n| n.attribute("class") == Some("segment"))
        .collect();
    assert_eq!(second.len(), 6);
    assert!((total(&first) - total(&second)).abs() <= 0.3);
    assert!((num(&first[0], "width") / total(&first) - 0.41).abs() < 0.002);
    // Texts inside: "41%" in a wide segment; n with thousands separators.
    let texts: Vec<String> = rows[0]
        .descendants()
        .filter(|n| n.attribute("class") == Some("segment-value"))
        .map(|n| visible_text(&n))
        .collect();
    assert_eq!(texts, ["41%", "29%", "20%", "10%"]);
    assert!(svg.contains(">n=1,234<"));
}

#[test]
fn stacked_narrow_segment_has_no_text_inside() {
    let svg = stacked_bars(
        &[StackedRow {
            label: s("a"),
            shares: Some(vec![0.99, 0.01]),
            n: 100,
            note: None,
        }],
        &labels(&["はい", "いいえ"]),
        &StackedBarsOptions {
            title: s("T"),
            last_is_neutral: false,
            width: 400,
        },
    );
    let doc = parse(&svg);
    assert_eq!(elements(&doc, "rect", "segment").len(), 2);
    let texts: Vec<String> = elements(&doc, "text", "segment-value")
        .iter()
        .map(visible_text)
        .collect();
    assert_eq!(texts, ["99%"]);
}

#[test]
fn stacked_palette_is_ordered_with_a_gray_neutral_last_segment() {
    let rows = [StackedRow {
        label: s("a"),
        shares: Some(vec![1.0; 6]),
        n: 6,
        note: None,
    }];
    let fills = |neutral: bool| -> Vec<String> {
        let svg = stacked_bars(
            &rows,
            &levels(),
            &StackedBarsOptions {
                title: s("T"),
                last_is_neutral: neutral,
                width: 640,
            },
        );
        elements(&parse(&svg), "rect", "segment")
            .iter()
            .map(|r| r.attribute("fill").unwrap().to_string())
            .collect()
    };
    let with = fills(true);
    assert_eq!(with.len(), 6);
    assert_eq!(with[5], "#9aa5b1");
    assert_eq!(with[4], "#c0392b", "the worst ordered level is red");
    assert_eq!(with[0], "#1a6e3a", "the best is dark green");
    let without = fills(false);
    assert_eq!(without[5], "#c0392b");
    // The legend lists the segments in order, with the same colours.
    let svg = stacked_bars(&rows, &levels(), &stacked_opts("T"));
    let doc = parse(&svg);
    let legend: Vec<(&str, &str)> = elements(&doc, "g", "legend-item")
        .iter()
        .map(|g| {
            let rect = g.first_element_child().unwrap();
            (
                g.attribute("data-segment").unwrap(),
                rect.attribute("fill").unwrap(),
            )
        })
        .collect();
    assert_eq!(legend.len(), 6);
    assert_eq!(legend[0], ("随時見直し", "#1a6e3a"));
    assert_eq!(legend[5], ("該当しない・わからない", "#9aa5b1"));
}

#[test]
fn stacked_suppressed_row_draws_no_segments_and_shows_its_note() {
    let svg = stacked_bars(
        &[
            StackedRow {
                label: s("ウイルス対策"),
                shares: Some(vec![0.5, 0.5, 0.0, 0.0, 0.0, 0.0]),
                n: 20,
                note: None,
            },
            StackedRow {
                label: s("パッチ"),
                shares: None,
                n: 3,
                note: Some(s("非表示（回答5件未満）")),
            },
        ],
        &levels(),
        &stacked_opts("T"),
    );
    let doc = parse(&svg);
    let row = elements(&doc, "g", "row")
        .into_iter()
        .find(|g| g.attribute("data-label") == Some("パッチ"))
        .unwrap();
    assert_eq!(row.attribute("data-suppressed"), Some("true"));
    assert!(!row.descendants().any(|n| n.has_tag_name((SVG_NS, "rect"))));
    assert_eq!(visible_text(&row), "パッチ非表示（回答5件未満）");
    assert!(!svg.contains("n=3"), "no count for a suppressed row");
}

#[test]
fn degenerate_inputs_still_give_well_formed_charts() {
    let none: Vec<String> = Vec::new();
    let one = labels(&["a"]);
    let two = labels(&["a", "b"]);
    let charts = [
        score_bars(&none, &[], &score_opts("")),
        score_bars(&one, &[], &score_opts("T")),
        score_bars(
            &two,
            &[series("x", &[Some(f64::NAN), Some(-5.0), Some(1e9)])],
            &ScoreBarsOptions {
                title: s("T"),
                na_label: s(""),
                width: 0,
            },
        ),
        radar(&none, &[series("x", &[])], &radar_opts("T")),
        radar(&one, &[series("x", &[Some(50.0)])], &radar_opts("T")),
        radar(&two, &[series("x", &[Some(50.0)])], &radar_opts("T")),
        percent_bars(&[], &percent_opts("")),
        percent_bars(
            &[PercentRow {
                label: s(""),
                percent: Some(f64::INFINITY),
                count: None,
                note: None,
                highlight: false,
            }],
            &percent_opts("T"),
        ),
        stacked_bars(&[], &[], &stacked_opts("T")),
        stacked_bars(
            &[StackedRow {
                label: s("a"),
                shares: Some(vec![1.0, f64::NAN, -3.0, 2.0]),
                n: 1,
                note: None,
            }],
            &labels(&["x", "y"]),
            &stacked_opts("T"),
        ),
    ];
    for svg in &charts {
        let doc = parse(svg);
        assert!(num(&doc.root_element(), "width") >= 240.0);
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }
    // A NaN score draws no bar; a negative one a zero-width bar labelled as given.
    let doc = parse(&charts[2]);
    let bars = elements(&doc, "rect", "bar");
    assert_eq!(bars.len(), 1);
    assert_eq!(bars[0].attribute("data-value"), Some("-5.0"));
    assert_eq!(num(&bars[0], "width"), 0.0);
    // Shares beyond the segments are ignored, bad ones count as 0.
    let doc = parse(&charts[9]);
    assert_eq!(elements(&doc, "rect", "segment").len(), 1);
}
