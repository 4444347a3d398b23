//! The built-in content: valid, complete, and faithful to the 2022 report's figures.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::path::Path;

use kojo_content::{Catalog, load, load_dir, load_embedded};

fn catalog() -> Catalog {
    load_embedded().unwrap_or_else(|e| panic!("built-in content invalid:\n{e}"))
}

#[test]
fn the_factory_checklist_has_the_surveys_four_categories_and_items() {
    let c = catalog();
    let cl = c.latest_checklist("factory-guideline").unwrap();
    let titles: Vec<&str> = cl.categories.iter().map(|c| c.title.ja.as_str()).collect();
    assert_eq!(
        titles,
        [
            "組織的対策",
            "運用的対策",
            "物理的・技術的対策",
            "サプライチェーン対策"
        ]
    );
    assert_eq!(
        cl.category("PHY").unwrap().title.en,
        "Physical and technical measures"
    );
    assert!(
        (28..=36).contains(&cl.items.len()),
        "about 32 items, found {}",
        cl.items.len()
    );
    // The items the 2022 report names, each in its category, each tied to its figure.
    for (category, title, figure) in [
        (
            "ORG",
            "情報収集",
            "company.checklist.organizational.information_gathering.not_done",
        ),
        (
            "OPS",
            "脆弱性判断・脆弱性の特定",
            "company.checklist.operational.vulnerability_identification.not_done",
        ),
        (
            "PHY",
            "ウイルス対策の導入",
            "company.checklist.physical.antivirus.done",
        ),
        (
            "PHY",
            "セキュリティパッチの適用/代替策",
            "company.checklist.physical.patching.done",
        ),
        (
            "SC",
            "セキュリティ教育の実施",
            "company.checklist.supply_chain.education.not_done",
        ),
    ] {
        let item = cl
            .items
            .iter()
            .find(|i| i.title.ja == title)
            .unwrap_or_else(|| panic!("no item titled {title}"));
        assert_eq!(item.category, category, "{title}");
        let own: Vec<&str> = item
            .baseline
            .iter()
            .filter(|b| !b.related)
            .map(|b| b.figure.as_str())
            .collect();
        assert_eq!(own, [figure], "{title}");
    }
}

#[test]
fn every_measure_is_sized_and_costed() {
    let c = catalog();
    let costs: Vec<&str> = c.bands.cost_bands.iter().map(|b| b.id.as_str()).collect();
    for cl in &c.checklists {
        for item in &cl.items {
            assert!(item.measures.len() >= 3, "{}", item.id);
            for m in &item.measures {
                for size in kojo_core::checklist::SizeBand::ALL {
                    let ex = m.examples.example(size);
                    assert!(ex.text.missing().is_empty(), "{} {size:?}", m.id);
                    assert!(costs.contains(&ex.cost.as_str()), "{} {size:?}", m.id);
                }
                assert!(costs.contains(&m.cost_range.min.as_str()), "{}", m.id);
                assert!(costs.contains(&m.cost_range.max.as_str()), "{}", m.id);
                // Three different examples, not one copied three times.
                assert_ne!(
                    m.examples.small.text.ja, m.examples.large.text.ja,
                    "{}",
                    m.id
                );
            }
        }
    }
}

#[test]
fn the_scale_has_the_surveys_six_answers() {
    let c = catalog();
    let s = c.scale("implementation").unwrap();
    assert_eq!(s.codes(), ["5", "4", "3", "2", "1", "na"]);
    let implemented: Vec<&str> = s
        .levels
        .iter()
        .filter(|l| l.implemented)
        .map(|l| l.code.as_str())
        .collect();
    assert_eq!(implemented, ["5", "4", "3"]);
    assert!(s.level("na").unwrap().not_applicable);
    assert_eq!(s.level("3").unwrap().label.ja, "実施済み");
    assert_eq!(s.level("1").unwrap().label.ja, "未実施");
}

#[test]
fn reference_tables_are_complete() {
    let c = catalog();
    let codes: Vec<&str> = c
        .industries
        .industries
        .iter()
        .map(|i| i.code.as_str())
        .collect();
    let expected: Vec<String> = (9..=32)
        .map(|n| format!("{n:02}"))
        .chain(["99".into()])
        .collect();
    assert_eq!(codes, expected);
    assert_eq!(c.prefectures.prefectures.len(), 47);
    assert_eq!(c.prefectures.prefectures[12].title.ja, "東京都");
    assert_eq!(c.cmg.directives.len(), 10);
    assert_eq!(c.cmg.basic_measures.len(), 12);
    let bm = |id: &str| c.cmg.basic_measures.iter().find(|m| m.id == id).unwrap();
    assert_eq!(bm("bm-04").mark, "④");
    assert!(bm("bm-12").title.ja.contains("情報共有活動"));
    let sizes: Vec<(u32, Option<u32>)> = c
        .company_sizes
        .example_bands
        .iter()
        .map(|b| (b.min, b.max))
        .collect();
    assert_eq!(sizes, [(0, Some(300)), (300, Some(1000)), (1000, None)]);
}

/// The band sets let each banded 2022 figure be counted as one band or a union of bands.
#[test]
fn bands_have_the_cut_points_the_report_uses() {
    let c = catalog();
    let set = |id: &str| {
        c.bands
            .band_sets
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("band set {id}"))
    };
    let cuts = |id: &str| -> Vec<f64> { set(id).bands.iter().map(|b| b.min).collect() };
    assert!(cuts("employees").contains(&300.0));
    assert!(cuts("product_types").contains(&100.0));
    assert!(cuts("annual_sales").contains(&1_000_000_000.0));
    let has_band = |id: &str, min: f64, max: f64| {
        set(id)
            .bands
            .iter()
            .any(|b| b.min == min && b.max == Some(max))
    };
    assert!(has_band("it_budget", 100_000_000.0, 1_000_000_000.0));
    assert!(has_band("security_budget", 10_000_000.0, 100_000_000.0));
    assert!(has_band("security_budget", 0.0, 1_000_000.0));
    assert!(has_band("factory_security_budget", 0.0, 1_000_000.0));
    assert!(set("factory_security_budget").unknown.is_some());
    assert!(has_band("association_members", 100.0, 500.0));
    assert_eq!(
        set("overseas_factories").bands[0].max,
        Some(1.0),
        "a 'none' band"
    );
    // band_of finds the band of a value.
    assert_eq!(set("employees").band_of(299.0).unwrap().max, Some(300.0));
}

/// The product's national baseline carries every figure of the spec, with the same value,
/// unit, base, n, approx and rank, in the same order.
#[test]
fn the_baseline_matches_the_seed_figures_entry_for_entry() {
    #[derive(serde::Deserialize)]
    struct Spec {
        figure: Vec<SpecFigure>,
    }
    #[derive(serde::Deserialize)]
    struct SpecFigure {
        id: String,
        survey: String,
        value: f64,
        unit: String,
        base: Option<String>,
        n: Option<u32>,
        approx: Option<bool>,
        rank: Option<String>,
    }
    let fixture = include_str!("fixtures/seed-figures-2022.toml");
    // Where the shared spec is present (development machines), the fixture must equal it.
    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/seed-figures-2022.toml");
    if let Ok(original) = std::fs::read_to_string(&shared) {
        assert_eq!(
            original,
            fixture,
            "tests/fixtures/seed-figures-2022.toml differs from {}",
            shared.display()
        );
    }
    let spec: Spec = toml::from_str(fixture).unwrap();
    let c = catalog();
    let b = c.baseline("national-2022").unwrap();
    assert_eq!(spec.figure.len(), b.figures.len());
    for (s, f) in spec.figure.iter().zip(&b.figures) {
        assert_eq!(s.id, f.id);
        assert_eq!(s.survey, f.survey, "{}", s.id);
        assert_eq!(s.value, f.value, "{}", s.id);
        assert_eq!(s.unit, format!("{:?}", f.unit).to_lowercase(), "{}", s.id);
        assert_eq!(s.base, f.base, "{}", s.id);
        assert_eq!(s.n, f.n, "{}", s.id);
        assert_eq!(s.approx.unwrap_or(false), f.approx, "{}", s.id);
        assert_eq!(s.rank, f.rank, "{}", s.id);
    }
}

#[test]
fn the_export_lists_categories_items_and_sized_examples() {
    let json = serde_json::to_value(catalog()).unwrap();
    let cl = &json["checklists"][0];
    assert_eq!(cl["categories"].as_array().unwrap().len(), 4);
    let m = &cl["items"][0]["measures"][0];
    for size in ["small", "medium", "large"] {
        assert!(
            m["examples"][size]["ja"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
        assert!(
            m["examples"][size]["en"]
                .as_str()
                .is_some_and(|s| !s.is_empty())
        );
    }
}

// ---- broken content: every error names the file, the entry and what is wrong ----

/// The embedded files with one file's text replaced.
fn with_file(path: &str, edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
    kojo_content::embedded_files()
        .map(|(p, t)| {
            let text = if p == path { edit(t) } else { t.to_string() };
            (p.to_string(), text)
        })
        .collect()
}

const CHECKLIST: &str = "checklists/factory-guideline/v1.toml";

fn errors_of(files: Vec<(String, String)>) -> Vec<String> {
    match load(files) {
        Ok(_) => panic!("broken content was accepted"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn a_duplicate_item_id_is_named() {
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen("id = \"ORG-2\"", "id = \"ORG-1\"", 1)
    }));
    assert!(
        errs.iter().any(|e| e.starts_with(CHECKLIST)
            && e.contains("item ORG-1")
            && e.contains("duplicate id")),
        "{errs:?}"
    );
}

#[test]
fn a_missing_english_text_is_located() {
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen(
            "en = \"Executive involvement and resources\"",
            "en = \"\"",
            1,
        )
    }));
    assert!(
        errs.iter()
            .any(|e| e.contains(CHECKLIST) && e.contains("ORG-1") && e.contains("title.en")),
        "{errs:?}"
    );
}

#[test]
fn an_unknown_cost_band_is_named() {
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen("small.cost = \"zero\"", "small.cost = \"free\"", 1)
    }));
    assert!(
        errs.iter().any(|e| e.starts_with(CHECKLIST)
            && e.contains("item ORG-1 / measure ORG-1-m1")
            && e.contains("small: unknown cost band \"free\"")),
        "{errs:?}"
    );
}

// ---- framework mappings ----

/// The checklist with one more mapping line on the first item (ORG-1), right after
/// `mappings = [`.
fn with_mapping(line: &str) -> Vec<(String, String)> {
    with_file(CHECKLIST, |t| {
        assert!(
            t.contains("\nmappings = [\n"),
            "the checklist has no mappings list"
        );
        t.replacen(
            "\nmappings = [\n",
            &format!("\nmappings = [\n  {line}\n"),
            1,
        )
    })
}

#[test]
fn the_frameworks_are_loaded_and_items_map_to_them() {
    let c = catalog();
    let ids: Vec<&str> = c.frameworks.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["cmg", "iec62443-3-3", "nist-csf-2.0"]);
    let cmg = c.framework("cmg").unwrap();
    assert_eq!(cmg.title.ja, "サイバーセキュリティ経営ガイドライン");
    assert_eq!(cmg.edition, "Ver3.0");
    assert_eq!(cmg.ref_form, kojo_content::RefForm::CmgDirective);
    let item = c
        .latest_checklist("factory-guideline")
        .unwrap()
        .item("ORG-1")
        .unwrap();
    assert_eq!(
        item.mappings.refs("cmg").collect::<Vec<_>>(),
        ["cmg-1", "cmg-3"]
    );
    assert_eq!(
        item.mappings.refs("nist-csf-2.0").collect::<Vec<_>>(),
        ["GV.RR-01", "GV.RR-03"]
    );
    // Every framework some item maps to is listed, and the export says which framework.
    let json = serde_json::to_value(&c).unwrap();
    let first = &json["checklists"][0]["items"][0]["mappings"][0];
    assert_eq!(first["framework"], "cmg");
    assert_eq!(first["ref"], "cmg-1");
    assert_eq!(json["frameworks"][2]["id"], "nist-csf-2.0");
}

#[test]
fn a_mapping_to_an_unknown_framework_is_named() {
    let errs = errors_of(with_mapping(
        "{ framework = \"iso27001\", ref = \"A.5.1\" },",
    ));
    assert!(
        errs.iter().any(|e| e.starts_with(CHECKLIST)
            && e.contains("item ORG-1")
            && e.contains("unknown framework \"iso27001\"")
            && e.contains("\"A.5.1\"")),
        "{errs:?}"
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
}

#[test]
fn a_mapping_to_a_directive_that_does_not_exist_is_named() {
    let errs = errors_of(with_mapping("{ framework = \"cmg\", ref = \"cmg-99\" },"));
    assert_eq!(
        errs,
        [format!(
            "{CHECKLIST}: item ORG-1: mapping cmg \"cmg-99\": not a directive of reference/cmg.toml (cmg-1 … cmg-10)"
        )]
    );
}

#[test]
fn malformed_iec_and_nist_refs_are_named() {
    for (line, framework, value) in [
        (
            "{ framework = \"iec62443-3-3\", ref = \"SR1.1\" },",
            "iec62443-3-3",
            "SR1.1",
        ),
        (
            "{ framework = \"iec62443-3-3\", ref = \"GV.RR-01\" },",
            "iec62443-3-3",
            "GV.RR-01",
        ),
        (
            "{ framework = \"nist-csf-2.0\", ref = \"PR.AA-1\" },",
            "nist-csf-2.0",
            "PR.AA-1",
        ),
        (
            "{ framework = \"nist-csf-2.0\", ref = \"SR 2.1\" },",
            "nist-csf-2.0",
            "SR 2.1",
        ),
    ] {
        let errs = errors_of(with_mapping(line));
        assert!(
            errs.iter().any(|e| e.starts_with(CHECKLIST)
                && e.contains("item ORG-1")
                && e.contains(&format!("mapping {framework} \"{value}\": not"))),
            "{line}: {errs:?}"
        );
        assert_eq!(errs.len(), 1, "{line}: {errs:?}");
    }
}

#[test]
fn a_mapping_listed_twice_and_one_without_a_ref_are_refused() {
    let errs = errors_of(with_mapping("{ framework = \"cmg\", ref = \"cmg-1\" },"));
    assert!(
        errs.iter().any(
            |e| e.contains("item ORG-1") && e.contains("mapping cmg \"cmg-1\" is listed twice")
        ),
        "{errs:?}"
    );
    let errs = errors_of(with_mapping("{ framework = \"cmg\" },"));
    assert!(
        errs.iter()
            .any(|e| e.starts_with(CHECKLIST) && e.contains("missing field `ref`")),
        "{errs:?}"
    );
    // The old shape ([items.mappings] with one list per framework) is refused, not ignored.
    let errs = errors_of(with_file(CHECKLIST, |t| {
        let start = t.find("\nmappings = [\n").unwrap();
        let end = t[start..].find("\n]\n").unwrap() + start + 2;
        format!(
            "{}\n[items.mappings]\ncmg = [\"cmg-1\"]\n{}",
            &t[..start],
            &t[end..]
        )
    }));
    assert!(
        errs.iter()
            .any(|e| e.starts_with(CHECKLIST) && e.contains("mappings") && e.contains("sequence")),
        "{errs:?}"
    );
}

#[test]
fn the_frameworks_file_is_checked() {
    let errs = errors_of(with_file("reference/frameworks.toml", |t| {
        t.replacen("published = \"2013-08\"", "published = \"August 2013\"", 1)
            .replacen("url = \"https://doi.org/", "url = \"http://doi.org/", 1)
            .replacen("id = \"cmg\"", "id = \"nist-csf-2.0\"", 1)
    }));
    let file = "reference/frameworks.toml";
    for expected in [
        format!("{file}: framework iec62443-3-3: published \"August 2013\" is not a date"),
        format!("{file}: framework nist-csf-2.0: url \"http://doi.org/"),
        format!("{file}: framework nist-csf-2.0: duplicate id"),
    ] {
        assert!(
            errs.iter().any(|e| e.starts_with(&expected)),
            "{expected}: {errs:?}"
        );
    }
    // The checklist's cmg mappings now point at a framework that is not there.
    assert!(
        errs.iter()
            .any(|e| e.starts_with(CHECKLIST) && e.contains("unknown framework \"cmg\"")),
        "{errs:?}"
    );
    let errs = errors_of(with_file("reference/frameworks.toml", |t| {
        t.replacen("ref_form = \"iec-sr\"", "ref_form = \"iec\"", 1)
    }));
    assert!(
        errs.iter()
            .any(|e| e.starts_with("reference/frameworks.toml")
                && e.contains("unknown variant `iec`")),
        "{errs:?}"
    );
}

#[test]
fn a_measure_without_a_size_example_is_refused_with_its_location() {
    let errs = errors_of(with_file(CHECKLIST, |t| {
        // Drop the first `large.ja`, `large.en` and `large.cost` lines: the examples table is
        // then incomplete.
        let start = t.find("\nlarge.ja = ").unwrap();
        let cost = t[start..].find("\nlarge.cost = ").unwrap() + start;
        let end = t[cost + 1..].find('\n').unwrap() + cost + 1;
        format!("{}{}", &t[..start], &t[end..])
    }));
    assert!(
        errs.iter()
            .any(|e| e.starts_with(CHECKLIST) && e.contains("missing field `large`")),
        "{errs:?}"
    );
    // toml reports where: a line number is part of the message.
    assert!(errs.iter().any(|e| e.contains("line")), "{errs:?}");
}

#[test]
fn a_baseline_figure_the_checklist_needs_must_exist() {
    let errs = errors_of(with_file("baselines/national-2022.toml", |t| {
        t.replace(
            "company.checklist.physical.antivirus.done",
            "company.checklist.physical.antivirus.gone",
        )
    }));
    assert!(
        errs.iter()
            .any(|e| e.contains("item PHY-1") && e.contains("unknown baseline figure")),
        "{errs:?}"
    );
}

#[test]
fn syntax_errors_and_stray_files_are_reported() {
    let mut files = with_file("reference/prefectures.toml", |t| {
        format!("{t}\n[[prefectures]\n")
    });
    files.push(("checklists/notes.txt.toml".into(), "x = 1".into()));
    let errs = errors_of(files);
    assert!(
        errs.iter()
            .any(|e| e.starts_with("reference/prefectures.toml") && e.contains("line")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("unexpected file")),
        "{errs:?}"
    );
}

#[test]
fn bands_with_gaps_are_refused() {
    let errs = errors_of(with_file("reference/bands.toml", |t| {
        t.replacen("max = 300\n", "max = 299\n", 1)
    }));
    assert!(errs.iter().any(|e| e.contains("contiguous")), "{errs:?}");
}

#[test]
fn a_content_directory_on_disk_can_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in kojo_content::embedded_files() {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    assert!(load_dir(dir.path()).is_ok());
    std::fs::remove_file(dir.path().join("reference/cmg.toml")).unwrap();
    let err = load_dir(dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("reference/cmg.toml: required file is missing"),
        "{err}"
    );
    std::fs::remove_file(dir.path().join("reference/frameworks.toml")).unwrap();
    let err = load_dir(dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("reference/frameworks.toml: required file is missing"),
        "{err}"
    );
}
