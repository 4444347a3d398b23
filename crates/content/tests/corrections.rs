//! The content corrections of issue 11 §6 (an OT-security review): cost per example, one way of
//! running a quarantine PC, people's safety first, first steps for the smallest companies,
//! provenance everywhere, the category's name, one spelling per word, the glossary and the
//! measures that were missing. Each test would fail on the content as it was before.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use std::collections::{BTreeSet, HashMap};

use kojo_content::{Catalog, load, load_embedded};
use kojo_core::Provenance;
use kojo_core::checklist::{Checklist, Measure, SizeBand};

fn catalog() -> Catalog {
    load_embedded().unwrap_or_else(|e| panic!("built-in content invalid:\n{e}"))
}

fn checklist(c: &Catalog) -> &Checklist {
    c.latest_checklist("factory-guideline").unwrap()
}

fn measure<'a>(cl: &'a Checklist, id: &str) -> &'a Measure {
    cl.items
        .iter()
        .flat_map(|i| &i.measures)
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no measure {id}"))
}

const CHECKLIST: &str = "checklists/factory-guideline/v1.toml";

/// The embedded files with one file's text replaced.
fn with_file(path: &str, edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
    kojo_content::embedded_files()
        .map(|(p, t)| {
            let text = if p == path { edit(t) } else { t.to_string() };
            assert!(p != path || text != t, "the edit of {path} changed nothing");
            (p.to_string(), text)
        })
        .collect()
}

fn errors_of(files: Vec<(String, String)>) -> Vec<String> {
    match load(files) {
        Ok(_) => panic!("broken content was accepted"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

fn assert_error(errs: &[String], parts: &[&str]) {
    assert!(
        errs.iter().any(|e| parts.iter().all(|p| e.contains(p))),
        "no error containing {parts:?}:\n{}",
        errs.join("\n")
    );
}

// ---------------------------------------------------------------- cost per example

#[test]
fn every_example_has_a_band_and_a_measure_spans_its_examples() {
    let c = catalog();
    let rank = |id: &str| {
        c.bands
            .cost_bands
            .iter()
            .position(|b| b.id == id)
            .unwrap_or_else(|| panic!("unknown band {id}"))
    };
    let mut spread = 0;
    for m in checklist(&c).items.iter().flat_map(|i| &i.measures) {
        let ranks: Vec<usize> = m.examples.iter().map(|(_, e)| rank(&e.cost)).collect();
        let (min, max) = (*ranks.iter().min().unwrap(), *ranks.iter().max().unwrap());
        assert_eq!(m.cost_range.min, c.bands.cost_bands[min].id, "{}", m.id);
        assert_eq!(m.cost_range.max, c.bands.cost_bands[max].id, "{}", m.id);
        spread += usize::from(min != max);
    }
    // Most measures cost more for a bigger company; a single band per measure hid that.
    assert!(spread >= 40, "only {spread} measures span several bands");
    // The derivation is the one in the content crate.
    let m = measure(checklist(&c), "ORG-1-m4");
    assert_eq!(
        kojo_content::costs::range(&c.bands, &m.examples).as_ref(),
        Some(&m.cost_range)
    );
    assert_eq!(
        c.bands.range_label(&m.cost_range).ja,
        "〜10万円 – 100万円超"
    );
}

#[test]
fn the_reviewed_costs_are_corrected() {
    let c = catalog();
    let cl = checklist(&c);
    let band = |id: &str, size: SizeBand| measure(cl, id).examples.example(size).cost.clone();
    // A third-party maturity assessment of several plants and an OT consultant's risk analysis
    // are not "up to ¥1 million".
    assert_eq!(band("ORG-1-m4", SizeBand::Large), "over_1m");
    assert_eq!(band("OPS-1-m4", SizeBand::Medium), "over_1m");
    assert_eq!(band("OPS-1-m4", SizeBand::Large), "over_1m");
    // A free evaluation is free, whatever an IDS costs a large company.
    assert_eq!(band("PHY-7-m4", SizeBand::Small), "zero");
    assert_eq!(band("PHY-7-m4", SizeBand::Large), "over_1m");
    // The same USB virus-scanning tool costs the same wherever it appears.
    assert_eq!(band("OPS-12-m2", SizeBand::Small), "under_100k");
    assert_eq!(
        band("OPS-12-m2", SizeBand::Small),
        band("PHY-1-m3", SizeBand::Small)
    );
    assert_eq!(
        band("OPS-12-m2", SizeBand::Medium),
        band("PHY-1-m3", SizeBand::Medium)
    );
    for id in ["OPS-12-m2", "PHY-1-m3"] {
        let ex = measure(cl, id).examples.example(SizeBand::Small);
        assert!(ex.text.ja.contains("USB型ウイルス検査ツール"), "{id}");
        assert!(ex.text.en.contains("USB virus-scanning tool"), "{id}");
    }
}

#[test]
fn zero_cost_examples_that_need_the_vendor_say_so() {
    let c = catalog();
    let cl = checklist(&c);
    for id in ["PHY-2-m2", "OPS-10-m1"] {
        let ex = measure(cl, id).examples.example(SizeBand::Small);
        assert_eq!(ex.cost, "zero", "{id}");
        assert!(ex.needs_vendor, "{id}");
        let label = c.bands.example_cost_label(ex);
        assert!(
            label.ja.starts_with("0円") && label.ja.contains("設備ベンダー"),
            "{label:?}"
        );
        assert!(label.en.contains("equipment vendor"), "{label:?}");
        assert!(ex.text.ja.contains("有償"), "{id}: {}", ex.text.ja);
    }
    // Without the flag the label is the band's own.
    let plain = measure(cl, "ORG-1-m1").examples.example(SizeBand::Small);
    assert!(!plain.needs_vendor);
    assert_eq!(
        c.bands.example_cost_label(plain).ja,
        "0円（社内の工数のみ）"
    );
}

#[test]
fn subsidies_are_named_where_they_fit_and_without_amounts() {
    let c = catalog();
    let ids: BTreeSet<&str> = c.subsidies.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        BTreeSet::from(["it-donyu-security", "monodukuri", "tokyo-cyber"])
    );
    let mut used: HashMap<&str, Vec<String>> = HashMap::new();
    for m in checklist(&c).items.iter().flat_map(|i| &i.measures) {
        for (size, ex) in m.examples.iter() {
            for s in &ex.subsidies {
                used.entry(s.as_str())
                    .or_default()
                    .push(format!("{} {size:?}", m.id));
                assert!(c.subsidy(s).unwrap().sizes.contains(&size));
            }
        }
    }
    for id in &ids {
        assert!(used.contains_key(id), "subsidy {id} is named by no example");
    }
    // The IT Introduction Subsidy's security track pays for Otasuketai services: every example
    // that names it is about one.
    for at in &used["it-donyu-security"] {
        let (id, _) = at.split_once(' ').unwrap();
        let ex = measure(checklist(&c), id).examples.example(SizeBand::Small);
        assert!(ex.text.ja.contains("お助け隊"), "{at}: {}", ex.text.ja);
    }
    // No amounts: they change with every call.
    for s in &c.subsidies {
        for t in [&s.name, &s.covers, &s.eligibility, &s.source, &s.run_by] {
            assert!(
                !t.ja.contains('円') && !t.en.contains('¥'),
                "{}: {t:?}",
                s.id
            );
        }
        assert!(s.url.starts_with("https://"));
    }
}

#[test]
fn check_refuses_an_example_without_a_band_and_a_measure_with_its_own() {
    // An example without a cost band.
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen("small.cost = \"zero\"\n", "", 1)
    }));
    assert_error(
        &errs,
        &[CHECKLIST, "measure ORG-1-m1", "small: no cost band"],
    );
    // A measure that states a band of its own (the old format): its examples decide.
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen(
            "id = \"ORG-1-m4\"\n",
            "id = \"ORG-1-m4\"\ncost = \"under_1m\"\n",
            1,
        )
    }));
    assert_error(
        &errs,
        &[
            CHECKLIST,
            "measure ORG-1-m4",
            "a measure has no cost of its own",
        ],
    );
    // An unknown subsidy, and a subsidy for a size it is not for.
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen(
            "small.subsidies = [\"it-donyu-security\"]",
            "small.subsidies = [\"jigyo-saikochiku\"]",
            1,
        )
        .replacen(
            "large.cost = \"over_1m\"",
            "large.cost = \"over_1m\"\nlarge.subsidies = [\"monodukuri\"]",
            1,
        )
    }));
    assert_error(&errs, &["unknown subsidy \"jigyo-saikochiku\""]);
    assert_error(&errs, &["large: subsidy monodukuri is not for this size"]);
    // Cost bands out of order would make every range wrong.
    let errs = errors_of(with_file("reference/bands.toml", |t| {
        t.replacen("max_yen = 1000000", "max_yen = 50000", 1)
    }));
    assert_error(&errs, &["cost band under_1m", "cheapest to the dearest"]);
}

// ---------------------------------------------------------------- contradictions and safety

#[test]
fn the_quarantine_pc_is_run_one_way_everywhere() {
    let c = catalog();
    let cl = checklist(&c);
    let rule_ja = "更新にだけ使う専用のUSBメモリ";
    let rule_en = "USB stick kept for that alone";
    for id in ["PHY-1-m2", "OPS-9-m2"] {
        let ex = &measure(cl, id).examples.small.text;
        assert!(
            ex.ja.contains("検疫用PC") && ex.ja.contains(rule_ja),
            "{id}: {}",
            ex.ja
        );
        assert!(
            ex.ja
                .contains("工場のネットワークにも事務所のネットワークにもつながない"),
            "{id}: {}",
            ex.ja
        );
        assert!(
            ex.en.contains("quarantine PC") && ex.en.contains(rule_en),
            "{id}: {}",
            ex.en
        );
    }
    // No text anywhere has the quarantine PC go on line.
    for m in cl.items.iter().flat_map(|i| &i.measures) {
        for (_, ex) in m.examples.iter() {
            if ex.text.ja.contains("検疫用PC") {
                for online in ["インターネットにつないで", "インターネットに接続して"]
                {
                    assert!(!ex.text.ja.contains(online), "{}: {}", m.id, ex.text.ja);
                }
                assert!(!ex.text.en.contains("can reach the Internet"), "{}", m.id);
            }
        }
    }
    let term = c.glossary.term("quarantine-pc").unwrap();
    assert!(
        term.definition.ja.contains(rule_ja),
        "{}",
        term.definition.ja
    );
}

#[test]
fn an_emergency_stop_to_protect_people_always_comes_first() {
    let c = catalog();
    let m = measure(checklist(&c), "OPS-5-m1");
    for size in [SizeBand::Small, SizeBand::Medium] {
        let t = m.examples.for_size(size);
        assert!(t.ja.contains("非常停止"), "{size:?}: {}", t.ja);
        assert!(t.en.contains("emergency stop"), "{size:?}: {}", t.en);
    }
    let small = &m.examples.small.text;
    assert!(
        small
            .ja
            .contains("人を守るための停止は、いつでもこのカードより優先")
    );
    assert!(small.en.contains("always comes before this card"));
    let item = checklist(&c).item("OPS-5").unwrap();
    assert!(
        item.first_step.ja.contains("非常停止"),
        "{}",
        item.first_step.ja
    );
}

// ---------------------------------------------------------------- the smallest companies

#[test]
fn every_item_has_a_first_step_for_twenty_staff() {
    let c = catalog();
    for item in &checklist(&c).items {
        let f = &item.first_step;
        assert!(f.missing().is_empty(), "{}", item.id);
        for m in &item.measures {
            assert_ne!(f.ja, m.examples.small.text.ja, "{}", item.id);
        }
        // A first step is one short thing to do, not a programme.
        assert!(f.ja.chars().count() <= 140, "{}: {}", item.id, f.ja);
    }
    let errs = errors_of(with_file(CHECKLIST, |t| {
        let start = t.find("\nfirst_step.ja = ").unwrap();
        let en = t[start + 1..].find("\nfirst_step.en = ").unwrap() + start + 1;
        let end = t[en + 1..].find('\n').unwrap() + en + 1;
        format!("{}{}", &t[..start], &t[end..])
    }));
    assert_error(&errs, &[CHECKLIST, "item ORG-1", "first_step"]);
}

#[test]
fn small_examples_need_no_security_staff() {
    let c = catalog();
    let cl = checklist(&c);
    let small = |id: &str| measure(cl, id).examples.small.text.clone();
    let t = small("PHY-7-m2");
    assert!(
        !t.ja.contains("Wireshark") && !t.ja.contains("ミラーポート"),
        "{}",
        t.ja
    );
    assert!(t.ja.contains("業者"), "{}", t.ja);
    let t = small("PHY-8-m3");
    assert!(
        !t.ja.contains("syslog") && !t.ja.contains("使わなくなったPC"),
        "{}",
        t.ja
    );
    let t = small("OPS-7-m4");
    assert!(!t.en.contains("WPA2/WPA3-Enterprise"), "{}", t.en);
    assert!(t.ja.contains("負担が大きい"), "{}", t.ja);
}

// ---------------------------------------------------------------- provenance

/// The five checklist items the FY2022 report names, as it names them (seed, slides
/// 工場ガイドチェックリストの実施状況 1–4).
const NAMED: [(&str, &str); 5] = [
    ("ORG-5", "情報収集"),
    ("OPS-8", "脆弱性判断・脆弱性の特定"),
    ("PHY-1", "ウイルス対策の導入"),
    ("PHY-2", "セキュリティパッチの適用/代替策"),
    ("SC-2", "セキュリティ教育の実施"),
];

#[test]
fn items_say_whose_title_it_is_and_references_say_they_are_unchecked() {
    let c = catalog();
    let cl = checklist(&c);
    let mut source = vec![];
    for item in &cl.items {
        match item.provenance {
            Some(Provenance::Source) => source.push(item.id.as_str()),
            Some(Provenance::Reconstructed) => {}
            None => panic!("{}: no provenance", item.id),
        }
        assert_eq!(
            item.guideline_ref_provenance,
            Some(Provenance::Reconstructed),
            "{}",
            item.id
        );
        assert!(item.guideline_ref.ja.contains("未照合"), "{}", item.id);
        assert!(item.guideline_ref.en.contains("not checked"), "{}", item.id);
        for m in &item.measures {
            assert!(m.provenance.is_some(), "{}", m.id);
        }
    }
    assert_eq!(source, NAMED.map(|(id, _)| id));
    for (id, title) in NAMED {
        assert_eq!(cl.item(id).unwrap().title.ja, title);
    }
    assert_eq!(cl.items.len() - source.len(), 27);
}

#[test]
fn the_scale_bands_and_basic_measures_say_what_the_report_has() {
    let c = catalog();
    let scale = c.scale("implementation").unwrap();
    for l in &scale.levels {
        let expected = if l.code == "2" {
            Provenance::Reconstructed
        } else {
            Provenance::Source
        };
        assert_eq!(l.provenance, Some(expected), "level {}", l.code);
    }
    assert_eq!(scale.level("2").unwrap().label.ja, "一部実施");
    for m in &c.cmg.basic_measures {
        let named = ["①", "④", "⑩", "⑪", "⑫"].contains(&m.mark.as_str());
        let expected = if named {
            Provenance::Source
        } else {
            Provenance::Reconstructed
        };
        assert_eq!(m.provenance, Some(expected), "{}", m.mark);
    }
    let bm8 = c.cmg.basic_measures.iter().find(|m| m.mark == "⑧").unwrap();
    assert!(bm8.source_note.ja.starts_with("再構成"));
    for set in &c.bands.band_sets {
        for b in &set.bands {
            assert!(b.provenance.is_some(), "{} {}", set.id, b.id);
        }
    }
    let employees = c
        .bands
        .band_sets
        .iter()
        .find(|s| s.id == "employees")
        .unwrap();
    assert!(
        employees
            .bands
            .iter()
            .all(|b| b.provenance == Some(Provenance::Reconstructed))
    );
}

#[test]
fn every_question_option_row_and_column_has_a_provenance() {
    let c = catalog();
    let mut counts: HashMap<Provenance, usize> = HashMap::new();
    for inst in &c.instruments {
        for q in &inst.questions {
            let p = q
                .provenance
                .unwrap_or_else(|| panic!("{} {}", inst.id, q.id));
            *counts.entry(p).or_default() += 1;
            for o in q.options.iter().chain(&q.columns) {
                assert!(o.provenance.is_some(), "{} {} {}", inst.id, q.id, o.code);
            }
            for r in &q.rows {
                assert!(r.provenance.is_some(), "{} {} {}", inst.id, q.id, r.id);
            }
        }
    }
    assert!(counts[&Provenance::Source] > 30 && counts[&Provenance::Reconstructed] > 30);
    // The hearing guide is kojo's design throughout.
    let hearing = c.instrument("hearing-2022").unwrap();
    assert!(
        hearing
            .questions
            .iter()
            .all(|q| q.provenance == Some(Provenance::Reconstructed))
    );
    // An option without one is refused, and so is a question.
    let file = "instruments/company-2022.toml";
    let errs = errors_of(with_file(file, |t| {
        t.replacen(
            "code = \"23\"\nprovenance = \"source\"\n",
            "code = \"23\"\n",
            1,
        )
        .replacen(
            "id = \"A2\"\nsection = \"A\"\ntype = \"text\"\nprovenance = \"reconstructed\"\n",
            "id = \"A2\"\nsection = \"A\"\ntype = \"text\"\n",
            1,
        )
    }));
    assert_error(
        &errs,
        &[file, "question A1", "option 23: provenance missing"],
    );
    assert_error(
        &errs,
        &[file, "question A2", "question: provenance missing"],
    );
}

#[test]
fn check_refuses_missing_provenance_tags() {
    // An item, a measure, an unchecked reference that does not say so.
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen(
            "title.en = \"Executive involvement and resources\"\nprovenance = \"reconstructed\"\n",
            "title.en = \"Executive involvement and resources\"\n",
            1,
        )
        .replacen(
            "\nprovenance = \"reconstructed\"\n[items.measures.examples]",
            "\n[items.measures.examples]",
            1,
        )
        .replacen("（kojoによる対応付け。ガイドライン原文とは未照合）", "", 1)
    }));
    assert_error(&errs, &["item ORG-1:", "provenance missing"]);
    assert_error(&errs, &["measure ORG-1-m1", "provenance missing"]);
    assert_error(
        &errs,
        &["item ORG-1:", "guideline_ref is not checked", "未照合"],
    );
    // A scale level, a band, a basic measure.
    let errs = errors_of(with_file("scales/implementation.toml", |t| {
        t.replacen("provenance = \"reconstructed\"\n", "", 1)
    }));
    assert_error(
        &errs,
        &[
            "scales/implementation.toml",
            "level 2",
            "provenance missing",
        ],
    );
    let errs = errors_of(with_file("reference/bands.toml", |t| {
        t.replacen("provenance = \"reconstructed\"\n", "", 1)
    }));
    assert_error(
        &errs,
        &["band set employees / band lt20", "provenance missing"],
    );
    let errs = errors_of(with_file("reference/cmg.toml", |t| {
        t.replacen("provenance = \"source\"\n", "", 1)
    }));
    assert_error(&errs, &["basic measure bm-01", "provenance missing"]);
}

#[test]
fn the_h1_grid_keeps_its_own_wording() {
    let c = catalog();
    let h1 = c
        .instrument("company-2022")
        .unwrap()
        .question("H1")
        .unwrap();
    let cl = checklist(&c);
    let ids: Vec<&str> = h1.rows.iter().map(|r| r.id.as_str()).collect();
    let items: Vec<&str> = cl.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, items, "a self-assessment fills H1 by item id");
    for (id, title) in NAMED {
        let row = h1.rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(row.label.ja, title);
        assert_eq!(row.provenance, Some(Provenance::Source));
    }
    // A new checklist title does not change what the 2022 questionnaire asks.
    let files = with_file(CHECKLIST, |t| {
        t.replacen(
            "title.ja = \"経営層の関与と資源の確保\"",
            "title.ja = \"経営層が関与し、資源を確保する\"",
            1,
        )
    });
    let edited = load(files).unwrap_or_else(|e| panic!("{e}"));
    let row = |c: &Catalog| {
        c.instrument("company-2022")
            .unwrap()
            .question("H1")
            .unwrap()
            .rows[0]
            .label
            .ja
            .clone()
    };
    assert_eq!(
        checklist(&edited).item("ORG-1").unwrap().title.ja,
        "経営層が関与し、資源を確保する"
    );
    assert_eq!(row(&edited), "経営層の関与と資源の確保");
    // The rows must be written out: a missing row is refused.
    let errs = errors_of(with_file("instruments/company-2022.toml", |t| {
        let start = t.find("\n[[questions.rows]]\nid = \"SC-6\"").unwrap();
        let end = t[start..].find("\nlabel.en = ").unwrap() + start;
        let end = t[end + 1..].find('\n').unwrap() + end + 1;
        format!("{}{}", &t[..start], &t[end..])
    }));
    assert_error(&errs, &["question H1", "rows_from", "missing [\"SC-6\"]"]);
}

#[test]
fn the_weights_source_and_the_four_changes_are_recorded() {
    let c = catalog();
    let cl = checklist(&c);
    let source = cl.weight_source.as_ref().expect("weight_source");
    assert!(source.ja.contains("ja-ot-security-simple-assessment"));
    assert!(source.en.contains("not checked"));
    let changed: Vec<(&str, u8, u8)> = cl
        .items
        .iter()
        .filter_map(|i| Some((i.id.as_str(), i.weight_change.as_ref()?.from, i.weight)))
        .collect();
    assert_eq!(
        changed,
        [
            ("ORG-5", 1, 2),
            ("OPS-13", 2, 3),
            ("PHY-6", 3, 4),
            ("SC-2", 2, 3)
        ]
    );
    for item in cl.items.iter().filter(|i| i.weight_change.is_some()) {
        let reason = &item.weight_change.as_ref().unwrap().reason;
        assert!(
            reason.missing().is_empty() && reason.ja.chars().count() > 40,
            "{}",
            item.id
        );
    }
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen("weight_change.from = 1", "weight_change.from = 2", 1)
    }));
    assert_error(&errs, &["item ORG-5", "weight_change.from"]);
}

// ---------------------------------------------------------------- labels

#[test]
fn the_category_reads_physical_and_technical_and_the_baseline_keeps_the_report() {
    let c = catalog();
    let phy = checklist(&c).category("PHY").unwrap();
    assert_eq!(phy.title.ja, "物理的・技術的対策");
    assert_eq!(phy.title.en, "Physical and technical measures");
    let b = c.national_baseline();
    let f = b
        .figure("company.checklist.physical.antivirus.done")
        .unwrap();
    assert!(
        f.source_page.ja.contains("3.工場システムの物理的対策"),
        "{}",
        f.source_page.ja
    );
    let sc3 = b.figure("association.sc3.members_ahead").unwrap();
    assert!(!sc3.topic.ja.contains('差'), "{}", sc3.topic.ja);
    assert!(!sc3.topic.en.contains("Difference"), "{}", sc3.topic.en);
    assert!(sc3.topic.ja.contains("75%以上"), "{}", sc3.topic.ja);
    assert!(sc3.topic.en.contains("at least 75%"), "{}", sc3.topic.en);
}

// ---------------------------------------------------------------- terminology

/// The words the review found written several ways, and the one way kojo writes each.
const ONE_WAY: [(&str, &[&str]); 8] = [
    ("サーバー", &["サーバ"]),
    ("ルーター", &["ルータ"]),
    ("全工場", &["全拠点"]),
    ("持ち込み", &["持込"]),
    ("eラーニング", &["e-learning"]),
    ("許可リスト", &["ホワイトリスト"]),
    ("計画停止", &["定修", "定期修理"]),
    ("USB型ウイルス検査ツール", &["USB型スキャナ"]),
];

/// Every Japanese text (a `ja` string) of a parsed TOML value, with where it is.
fn ja_texts(v: &toml::Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                match (k.as_str(), v) {
                    ("ja", toml::Value::String(s)) => out.push((path.to_string(), s.clone())),
                    _ => ja_texts(v, &format!("{path}.{k}"), out),
                }
            }
        }
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                ja_texts(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_content_file_uses_a_refused_spelling() {
    // Independent of the check in the content crate: scan every embedded file here.
    let mut bad = vec![];
    for (file, text) in kojo_content::embedded_files() {
        let value: toml::Value = toml::from_str(text).unwrap();
        let mut texts = vec![];
        ja_texts(&value, "", &mut texts);
        for (path, t) in texts {
            for (preferred, variants) in ONE_WAY {
                let rest = t.replace(preferred, "");
                for v in variants {
                    if rest.contains(v) {
                        bad.push(format!("{file}{path}: {v} (write {preferred})"));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The glossary holds the same rules, so `kojo content check` refuses them too.
    let c = catalog();
    for (preferred, variants) in ONE_WAY {
        let rule = c
            .glossary
            .spellings
            .iter()
            .find(|s| s.preferred == preferred)
            .unwrap_or_else(|| panic!("no spelling rule for {preferred}"));
        for v in variants {
            assert!(rule.variants.iter().any(|x| x == v), "{preferred}: {v}");
        }
    }
}

#[test]
fn check_refuses_a_refused_spelling_in_any_file() {
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen("ログ収集サーバー", "ログ収集サーバ", 1)
    }));
    assert_error(&errs, &[CHECKLIST, "\"サーバ\" is written \"サーバー\""]);
    let errs = errors_of(with_file("plant/threats.toml", |t| {
        t.replacen("持ち込みPC", "持込PC", 1)
    }));
    assert_error(
        &errs,
        &["plant/threats.toml", "\"持込\" is written \"持ち込み\""],
    );
    let errs = errors_of(with_file(CHECKLIST, |t| {
        t.replacen("allow-listing", "whitelisting", 1)
    }));
    assert_error(&errs, &["\"whitelist\" is written \"allow-list\""]);
}

#[test]
fn the_glossary_defines_the_roles_and_the_terms_the_checklist_uses() {
    let c = catalog();
    let g = &c.glossary;
    for id in [
        "contractor",
        "maintenance-contractor",
        "equipment-vendor",
        "ews",
        "hmi",
        "vlan",
        "radius",
        "siem",
        "sbom",
        "plc",
        "dmz",
        "vpn",
        "utm",
        "sc3",
        "riss",
        "quarantine-pc",
        "usb-scanner",
        "planned-shutdown",
        "ups",
        "otasuketai",
    ] {
        let t = g.term(id).unwrap_or_else(|| panic!("no term {id}"));
        assert!(
            t.definition.missing().is_empty() && !t.reading.is_empty(),
            "{id}"
        );
    }
    assert!(
        g.term("hmi")
            .unwrap()
            .term
            .ja
            .contains("タッチパネル・表示器")
    );
    assert_eq!(g.term("riss").unwrap().term.ja, "情報処理安全確保支援士");
    // The three roles are told apart.
    let roles = ["contractor", "maintenance-contractor", "equipment-vendor"];
    let defs: BTreeSet<&str> = roles
        .iter()
        .map(|r| g.term(r).unwrap().definition.ja.as_str())
        .collect();
    assert_eq!(defs.len(), 3);
    // Every acronym term is used somewhere in the checklist.
    let all: String = checklist(&c)
        .items
        .iter()
        .flat_map(|i| &i.measures)
        .flat_map(|m| m.examples.iter().map(|(_, e)| e.text.ja.clone()))
        .collect();
    for acronym in [
        "EWS", "HMI", "VLAN", "RADIUS", "SIEM", "SBOM", "PLC", "DMZ", "VPN", "UTM", "SC3",
    ] {
        assert!(
            all.contains(acronym),
            "{acronym} is not used by any example"
        );
    }
    // A broken glossary is refused.
    let errs = errors_of(with_file("reference/glossary.toml", |t| {
        t.replacen(
            "reading = \"きょうりょくがいしゃ\"",
            "reading = \"kyoryoku\"",
            1,
        )
        .replacen(
            "see = [\"sier\", \"maintenance-contractor\"]",
            "see = [\"nobody\"]",
            1,
        )
    }));
    assert_error(&errs, &["term contractor", "must be written in kana"]);
    assert_error(&errs, &["term equipment-vendor", "see \"nobody\""]);
}

/// Verbs the English measure titles start with (an imperative each).
const VERBS: &[&str] = &[
    "Add",
    "Admit",
    "Agree",
    "Allow",
    "Apply",
    "Appoint",
    "Arrange",
    "Assess",
    "Authenticate",
    "Block",
    "Brief",
    "Build",
    "Check",
    "Commission",
    "Communicate",
    "Compile",
    "Connect",
    "Control",
    "Correlate",
    "Cross-check",
    "Define",
    "Deploy",
    "Develop",
    "Disable",
    "Draw",
    "Enable",
    "Eliminate",
    "Erase",
    "Feed",
    "Find",
    "Get",
    "Give",
    "Have",
    "Hold",
    "Identify",
    "Introduce",
    "Isolate",
    "Keep",
    "Lend",
    "Link",
    "List",
    "Locate",
    "Log",
    "Make",
    "Manage",
    "Map",
    "Match",
    "Obtain",
    "Post",
    "Protect",
    "Put",
    "Receive",
    "Record",
    "Remove",
    "Repeat",
    "Report",
    "Require",
    "Review",
    "Route",
    "Run",
    "Scan",
    "Secure",
    "Set",
    "Share",
    "Shield",
    "Split",
    "Subscribe",
    "Survey",
    "Take",
    "Test",
    "Train",
    "Turn",
    "Use",
    "Verify",
    "Walk",
    "Write",
    "Explain",
    "Evaluate",
];

#[test]
fn measure_titles_are_verb_phrases() {
    let c = catalog();
    for m in checklist(&c).items.iter().flat_map(|i| &i.measures) {
        let last = m.title.ja.chars().last().unwrap();
        assert!(
            "うくぐすつぬぶむる".contains(last),
            "{}: {:?} does not end in a verb",
            m.id,
            m.title.ja
        );
        let first = m.title.en.split([' ', ':']).next().unwrap();
        assert!(
            VERBS.contains(&first),
            "{}: {:?} does not start with a verb",
            m.id,
            m.title.en
        );
    }
}

// ---------------------------------------------------------------- the missing measures

#[test]
fn the_missing_measures_are_there_with_examples_costs_and_provenance() {
    let c = catalog();
    let cl = checklist(&c);
    for (id, item, words) in [
        ("OPS-6-m5", "OPS-6", ["消去", "修理"]),
        ("PHY-4-m4", "PHY-4", ["UPS", "停電"]),
        ("PHY-5-m4", "PHY-5", ["クラウド", "IoT"]),
        ("SC-3-m4", "SC-3", ["SBOM", "脆弱性"]),
        ("ORG-5-m4", "ORG-5", ["SC3", "情報共有"]),
        ("ORG-3-m5", "ORG-3", ["情報処理安全確保支援士", "支援士"]),
    ] {
        assert_eq!(cl.item_of_measure(id).unwrap().id, item, "{id}");
        let m = measure(cl, id);
        let all = format!(
            "{}{}{}",
            m.title.ja, m.examples.small.text.ja, m.examples.medium.text.ja
        );
        for w in words {
            assert!(all.contains(w), "{id}: {w}");
        }
        assert!(
            m.provenance.is_some() && m.provenance_note.is_some(),
            "{id}"
        );
        assert!(!m.cost_range.min.is_empty(), "{id}");
        // New ids continue the item's sequence: the one before exists.
        let n: u32 = id.rsplit("-m").next().unwrap().parse().unwrap();
        let prev = format!("{item}-m{}", n - 1);
        assert!(
            cl.item(item).unwrap().measures.iter().any(|m| m.id == prev),
            "{prev}"
        );
    }
    // SC3 and 情報処理安全確保支援士 are the report's own directions.
    for id in ["ORG-5-m4", "ORG-3-m5"] {
        assert_eq!(measure(cl, id).provenance, Some(Provenance::Source), "{id}");
    }
}
