//! The plant model's content and the risk rule sets: the shipped files load and say what the
//! method needs, and each check refuses a broken file with the file, the entry and the reason.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use kojo_content::{Catalog, fold, load, load_embedded};
use kojo_core::plant::routes::EntryPoint;
use kojo_core::plant::{AssetKind, Importance, Rule};
use kojo_core::risk::{Level, Method};

fn catalog() -> Catalog {
    load_embedded().unwrap_or_else(|e| panic!("built-in content invalid:\n{e}"))
}

/// The embedded files with one file's text replaced.
fn with_file(path: &str, edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
    let mut found = false;
    let files = kojo_content::embedded_files()
        .map(|(p, t)| {
            let text = if p == path {
                found = true;
                let edited = edit(t);
                assert_ne!(edited, t, "the edit of {path} changed nothing");
                edited
            } else {
                t.to_string()
            };
            (p.to_string(), text)
        })
        .collect();
    assert!(found, "no embedded file {path}");
    files
}

fn without(path: &str) -> Vec<(String, String)> {
    kojo_content::embedded_files()
        .filter(|(p, _)| *p != path)
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

fn errors_of(files: Vec<(String, String)>) -> Vec<String> {
    match load(files) {
        Ok(_) => panic!("broken content was accepted"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

/// Asserts that some error starts with `prefix` and contains `text`.
fn has(errs: &[String], prefix: &str, text: &str) {
    assert!(
        errs.iter()
            .any(|e| e.starts_with(prefix) && e.contains(text)),
        "no error starting {prefix:?} containing {text:?}:\n{}",
        errs.join("\n")
    );
}

const LABELS: &str = "plant/labels.toml";
const FINDINGS: &str = "plant/findings.toml";
const THREATS: &str = "plant/threats.toml";
const REGISTER: &str = "plant/register.toml";
const SME: &str = "risk/ipa-sme.toml";
const PRODUCT: &str = "risk/ipa-27.toml";
const INDEX: &str = "risk/index.toml";

// ---- the shipped content ----

#[test]
fn every_code_has_a_label_in_both_languages() {
    let c = catalog();
    let l = &c.plant.labels;
    assert_eq!(l.asset_kinds.len(), AssetKind::ALL.len());
    assert_eq!(l.entry_points.len(), EntryPoint::ALL.len());
    let kind = |code: &str| {
        kojo_core::plant::catalog::Labels::find(&l.asset_kinds, code)
            .unwrap_or_else(|| panic!("no label for {code}"))
    };
    assert_eq!(kind("plc").ja, "PLC（シーケンサ）");
    assert!(kind("hmi").ja.contains("タッチパネル"));
    assert!(kind("ews").ja.contains("エンジニアリング端末"));
    for i in Importance::ALL {
        let label = l.importance.iter().find(|x| x.code == i.as_str()).unwrap();
        assert!(label.description.is_some(), "importance {i}");
    }
    let high = l.importance.iter().find(|x| x.code == "3").unwrap();
    let meaning = &high.description.as_ref().unwrap().ja;
    for word in ["安全", "生産", "不良品", "納期", "情報"] {
        assert!(meaning.contains(word), "importance 3 should mention {word}");
    }
}

#[test]
fn every_rule_has_its_text_items_and_source() {
    let c = catalog();
    let cl = c.latest_checklist("factory-guideline").unwrap();
    assert_eq!(c.plant.findings.len(), Rule::ALL.len());
    for r in Rule::ALL {
        let f = c.plant.finding(*r).unwrap_or_else(|| panic!("{r}"));
        assert!(!f.items.is_empty(), "{r}");
        assert!(f.items.iter().all(|i| cl.item(i).is_some()), "{r}");
    }
    let items = |r: Rule| c.plant.finding(r).unwrap().items.clone();
    assert!(items(Rule::UnfilteredLink).contains(&"PHY-5".to_string()));
    assert!(items(Rule::UntrustedUnprotected).contains(&"PHY-6".to_string()));
    assert!(items(Rule::RemoteAlwaysOn).contains(&"PHY-6".to_string()));
    assert!(items(Rule::NoOwner).contains(&"OPS-6".to_string()));
    assert!(items(Rule::WirelessInControl).contains(&"OPS-7".to_string()));
    assert!(items(Rule::PortableCrossesZones).contains(&"OPS-9".to_string()));
    assert_eq!(
        c.plant.finding(Rule::DiodeWrongWay).unwrap().source,
        "CSET Rule 7"
    );
    assert_eq!(
        c.plant.finding(Rule::ExternalInControl).unwrap().source,
        "IEC 62443-3-2 ZCR 3.6"
    );
    // The links feed kojo_core::risk::findings_by_item.
    let links = c.plant.finding_items();
    assert_eq!(links.len(), Rule::ALL.len());
}

#[test]
fn threat_levels_follow_the_exposure_of_each_entry_point() {
    let c = catalog();
    let level = |e: EntryPoint| c.plant.threat(e).unwrap().level;
    assert_eq!(level(EntryPoint::Internet), 3);
    assert_eq!(level(EntryPoint::RemoteMaintenance), 3);
    assert_eq!(level(EntryPoint::Insider), 1);
    for t in &c.plant.threats {
        assert!((1..=3).contains(&t.level), "{}", t.entry);
        for list in [&t.protect, &t.detect, &t.recover] {
            assert!(!list.is_empty(), "{}", t.entry);
        }
    }
    assert!(
        c.plant
            .threat(EntryPoint::RemoteMaintenance)
            .unwrap()
            .protect
            .contains(&"PHY-6".to_string())
    );
}

#[test]
fn the_default_rule_set_is_the_sme_table_read_the_way_the_core_indexes_it() {
    let c = catalog();
    assert_eq!(c.risk_default, "ipa-sme");
    let sme = c.default_risk_rules().unwrap();
    assert_eq!(sme.method, Method::LikelihoodTable);
    assert!(!sme.verified && sme.reconstructed.is_some());
    // The source's own examples: threat 2 × vulnerability 2 → 1, threat 3 × vulnerability 2 → 2.
    assert_eq!(sme.value(1, 2, 2), 1);
    assert_eq!(sme.value(1, 3, 2), 2);
    // The corners of the table and of the 3 × 3 matrix 9 6 3 / 6 4 2 / 3 2 1.
    assert_eq!(sme.value(3, 3, 3), 9);
    assert_eq!(sme.value(3, 1, 3), 3);
    assert_eq!(sme.value(3, 3, 1), 3);
    assert_eq!(sme.value(2, 3, 2), 4);
    let level = |v: u8| sme.band(v).unwrap().level;
    assert_eq!(level(9), Level::High);
    assert_eq!(level(6), Level::High);
    assert_eq!(level(4), Level::Medium);
    // Importance 3 never comes out low.
    assert_eq!(level(sme.value(3, 1, 1)), Level::Medium);
    assert_eq!(level(2), Level::Low);

    let product = c.risk_rule_set("ipa-27").unwrap();
    assert_eq!(product.method, Method::Product);
    assert_eq!(product.value(3, 3, 3), 27);
    assert_eq!(product.band(27).unwrap().level, Level::High);
    assert_eq!(product.band(18).unwrap().level, Level::Medium);
    assert_eq!(product.band(9).unwrap().level, Level::Low);
    for r in &c.risk_rules {
        assert!(r.problems().is_empty(), "{}: {:?}", r.id, r.problems());
    }
}

#[test]
fn register_headers_are_found_however_they_are_typed() {
    let c = catalog();
    let field = |h: &str| c.plant.column(h).map(|col| col.field.as_str());
    for (header, expected) in [
        ("メーカ", "vendor"),
        ("ﾒｰｶｰ", "vendor"),
        ("製造元", "vendor"),
        ("Maker", "vendor"),
        ("型式", "model"),
        ("形式", "model"),
        ("品番", "model"),
        ("Ｖｅｒ．", "version"),
        ("ver.", "version"),
        ("ファームウェア", "version"),
        ("保守期間", "maintenance_end"),
        ("サポート期限", "maintenance_end"),
        ("管理責任者", "owner"),
        ("IP アドレス", "ip"),
        ("ＩＰアドレス", "ip"),
        ("機器名称", "name"),
        ("Name", "name"),
        ("資産状態", "status"),
        ("業務", "processes"),
    ] {
        assert_eq!(field(header), Some(expected), "{header}");
    }
    assert_eq!(field("資産管理番号"), Some("tag"));
    assert_eq!(
        field("ＡＳＳＥＴ　ＴＡＧ"),
        Some("tag"),
        "full-width, upper case"
    );
    assert_eq!(field("  "), None);
    let synonyms: usize = c
        .plant
        .register
        .columns
        .iter()
        .map(|c| c.synonyms.len())
        .sum();
    assert!(synonyms >= 30, "only {synonyms} header synonyms");
    let code = |f: &str, w: &str| c.plant.value_code(f, w);
    assert_eq!(code("kind", "ｼｰｹﾝｻ"), Some("plc"));
    assert_eq!(code("kind", "タッチパネル"), Some("hmi"));
    assert_eq!(code("kind", "plc"), Some("plc"));
    assert_eq!(code("status", "滅却"), Some("retired"));
    assert_eq!(code("status", "運用中"), Some("active"));
    assert_eq!(code("flag", "〇"), Some("yes"));
    assert_eq!(code("flag", "○"), Some("yes"));
    assert_eq!(code("flag", "Ｙｅｓ"), Some("yes"));
    assert_eq!(code("flag", "－"), Some("no"));
    assert_eq!(code("flag", "maybe"), None);
}

#[test]
fn the_register_covers_every_asset_field() {
    let c = catalog();
    let fields = kojo_content::asset_fields();
    assert!(fields.len() >= 20, "{fields:?}");
    for f in &fields {
        assert!(
            c.plant.register.columns.iter().any(|c| &c.field == f),
            "no column for {f}"
        );
    }
}

#[test]
fn folding_treats_full_width_case_and_spaces_alike() {
    assert_eq!(fold("Ｖｅｒ．"), fold("ver."));
    assert_eq!(fold("ＭＡＣ アドレス"), fold("MACアドレス"));
    assert_ne!(fold("型式"), fold("形式"));
}

#[test]
fn the_export_carries_the_plant_content_and_the_rule_sets() {
    let json = serde_json::to_value(catalog()).unwrap();
    assert_eq!(json["plant"]["findings"].as_array().unwrap().len(), 14);
    assert_eq!(json["plant"]["threats"].as_array().unwrap().len(), 8);
    assert_eq!(json["risk_default"], "ipa-sme");
    assert_eq!(json["risk_rules"].as_array().unwrap().len(), 2);
}

// ---- broken content is refused with its location ----

#[test]
fn a_code_without_a_label_or_a_label_without_a_code_is_refused() {
    let errs = errors_of(with_file(LABELS, |t| {
        t.replacen("code = \"robot\"", "code = \"cobot\"", 1)
    }));
    has(&errs, LABELS, "asset_kinds cobot: unknown code \"cobot\"");
    has(&errs, LABELS, "asset_kinds: no label for code \"robot\"");
    let errs = errors_of(with_file(LABELS, |t| {
        t.replacen("code = \"spare\"", "code = \"active\"", 1)
    }));
    has(&errs, LABELS, "asset_statuses active: labelled twice");
    has(&errs, LABELS, "no label for code \"spare\"");
    let errs = errors_of(with_file(LABELS, |t| {
        t.replacen("code = \"insider\"", "code = \"Insider\"", 1)
    }));
    has(&errs, LABELS, "no label for code \"insider\"");
}

#[test]
fn an_importance_level_without_its_meaning_is_refused() {
    let errs = errors_of(with_file(LABELS, |t| {
        let start = t.find("code = \"2\"").unwrap();
        let d = t[start..].find("description.ja").unwrap() + start;
        let end = t[d..].find("\n\n").unwrap() + d;
        format!("{}{}", &t[..d], &t[end + 1..])
    }));
    has(&errs, LABELS, "importance 2: needs a description");
}

#[test]
fn a_finding_rule_missing_doubled_or_unknown_is_refused() {
    let errs = errors_of(with_file(FINDINGS, |t| {
        t.replacen(
            "rule = \"diode_wrong_way\"",
            "rule = \"unfiltered_link\"",
            1,
        )
    }));
    has(&errs, FINDINGS, "rule unfiltered_link: listed twice");
    has(&errs, FINDINGS, "no entry for rule diode_wrong_way");
    let errs = errors_of(with_file(FINDINGS, |t| {
        t.replacen("rule = \"no_owner\"", "rule = \"no_manager\"", 1)
    }));
    has(&errs, FINDINGS, "no_manager");
}

#[test]
fn a_finding_linked_to_an_unknown_item_or_to_none_is_refused() {
    let errs = errors_of(with_file(FINDINGS, |t| {
        t.replacen("items = [\"PHY-5\"]", "items = [\"PHY-55\"]", 1)
    }));
    has(
        &errs,
        FINDINGS,
        "rule unfiltered_link: items: unknown checklist item \"PHY-55\" (not in checklists/factory-guideline/v1.toml)",
    );
    let errs = errors_of(with_file(FINDINGS, |t| {
        t.replacen("items = [\"PHY-5\"]", "items = []", 1)
    }));
    has(
        &errs,
        FINDINGS,
        "rule unfiltered_link: items lists no checklist item",
    );
    let errs = errors_of(with_file(FINDINGS, |t| {
        t.replacen("source = \"CSET Rule 7\"", "source = \"somewhere\"", 1)
    }));
    has(
        &errs,
        FINDINGS,
        "rule diode_wrong_way: source \"somewhere\"",
    );
}

#[test]
fn a_threat_with_a_bad_level_an_empty_list_or_an_unknown_item_is_refused() {
    let errs = errors_of(with_file(THREATS, |t| {
        t.replacen("level = 1", "level = 4", 1)
    }));
    has(
        &errs,
        THREATS,
        "entry point insider: level must be 1, 2 or 3, found 4",
    );
    let errs = errors_of(with_file(THREATS, |t| {
        t.replacen("detect = [\"PHY-7\"]", "detect = []", 1)
    }));
    has(
        &errs,
        THREATS,
        "entry point internet: detect lists no checklist item",
    );
    let errs = errors_of(with_file(THREATS, |t| {
        t.replacen("recover = [\"OPS-13\"]", "recover = [\"OPS-14\"]", 1)
    }));
    has(&errs, THREATS, "recover: unknown checklist item \"OPS-14\"");
    let errs = errors_of(with_file(THREATS, |t| {
        t.replacen("entry = \"wifi\"", "entry = \"cloud\"", 1)
    }));
    has(&errs, THREATS, "entry point cloud: listed twice");
    has(&errs, THREATS, "no entry for entry point wifi");
}

#[test]
fn a_broken_rule_set_is_refused() {
    // A row too short, and the table written in the source's printed order (threat 3 first).
    let errs = errors_of(with_file(SME, |t| {
        t.replacen("  [1, 2, 3],\n", "  [1, 2],\n", 1)
    }));
    has(
        &errs,
        SME,
        "rule set ipa-sme: likelihood must be 3 rows of 3 values",
    );
    let errs = errors_of(with_file(SME, |t| {
        t.replacen("  [1, 1, 1],\n", "  [3, 2, 1],\n", 1).replacen(
            "  [1, 2, 3],\n",
            "  [1, 1, 1],\n",
            1,
        )
    }));
    has(&errs, SME, "likelihood must not go down");
    // A gap between bands, and bands that end too early.
    let errs = errors_of(with_file(PRODUCT, |t| {
        t.replacen("min = 10\n", "min = 11\n", 1)
    }));
    has(&errs, PRODUCT, "rule set ipa-27: bands must cover");
    let errs = errors_of(with_file(PRODUCT, |t| {
        t.replacen("max = 27\n", "max = 26\n", 1)
    }));
    has(&errs, PRODUCT, "bands must end at 27");
    // Levels going down as values go up.
    let errs = errors_of(with_file(SME, |t| {
        t.replacen("level = \"low\"", "level = \"high\"", 1)
    }));
    has(&errs, SME, "band levels must not go down");
    // An unverified set that does not say what is reconstructed.
    let errs = errors_of(with_file(PRODUCT, |t| {
        t.lines()
            .filter(|l| !l.starts_with("reconstructed."))
            .collect::<Vec<_>>()
            .join("\n")
    }));
    has(&errs, PRODUCT, "must say what is reconstructed");
}

#[test]
fn rule_set_ids_files_and_the_default_must_agree() {
    let errs = errors_of(with_file(PRODUCT, |t| {
        t.replacen("id = \"ipa-27\"", "id = \"ipa-sme\"", 1)
    }));
    has(
        &errs,
        PRODUCT,
        "rule set id \"ipa-sme\" must live at risk/ipa-sme.toml",
    );
    has(&errs, SME, "rule set ipa-sme: duplicate id");
    let errs = errors_of(with_file(INDEX, |t| {
        t.replacen("default = \"ipa-sme\"", "default = \"ipa-a-e\"", 1)
    }));
    has(&errs, INDEX, "default \"ipa-a-e\" is not a rule set");
    let errs = errors_of(without(PRODUCT));
    has(
        &errs,
        "risk/*.toml",
        "at least two risk-analysis methods; found 1",
    );
}

#[test]
fn register_columns_must_be_asset_fields_with_headers_of_their_own() {
    let errs = errors_of(with_file(REGISTER, |t| {
        t.replacen("field = \"mac\"", "field = \"mac_address\"", 1)
    }));
    has(
        &errs,
        REGISTER,
        "column mac_address: not a field of an asset",
    );
    has(&errs, REGISTER, "no column for asset field \"mac\"");
    // A synonym of another column, literally and after folding.
    let errs = errors_of(with_file(REGISTER, |t| {
        t.replacen("\"シリアル\", ", "\"シリアル\", \"メーカ\", ", 1)
    }));
    has(
        &errs,
        REGISTER,
        "column serial: \"メーカ\" would also mean column vendor",
    );
    let errs = errors_of(with_file(REGISTER, |t| {
        t.replacen("\"シリアル\", ", "\"シリアル\", \"Ｖｅｒ．\", ", 1)
    }));
    has(
        &errs,
        REGISTER,
        "column serial: \"Ｖｅｒ．\" would also mean column version (\"Ver.\" folds to the same \"ver.\")",
    );
    // The same header twice in one column.
    let errs = errors_of(with_file(REGISTER, |t| {
        t.replacen("\"シリアル\", ", "\"シリアル\", \"ｼﾘｱﾙ\", ", 1)
    }));
    has(&errs, REGISTER, "column serial: \"ｼﾘｱﾙ\" is listed twice");
}

#[test]
fn register_words_must_name_real_codes_once() {
    let errs = errors_of(with_file(REGISTER, |t| {
        t.replacen("code = \"robot\"", "code = \"cobot\"", 1)
    }));
    has(
        &errs,
        REGISTER,
        "values kind / cobot: unknown code \"cobot\"",
    );
    has(&errs, REGISTER, "values kind: no words for code \"robot\"");
    let errs = errors_of(with_file(REGISTER, |t| {
        t.replacen("\"廃棄\", ", "\"廃棄\", \"在庫\", ", 1)
    }));
    has(
        &errs,
        REGISTER,
        "values status / retired: \"在庫\" would also mean spare",
    );
    let errs = errors_of(with_file(REGISTER, |t| {
        t.replacen("field = \"flag\"", "field = \"flags\"", 1)
    }));
    has(&errs, REGISTER, "values flags: unknown field \"flags\"");
    has(&errs, REGISTER, "no [[values]] for field \"flag\"");
}

#[test]
fn the_plant_and_risk_files_are_required() {
    for path in [LABELS, FINDINGS, THREATS, REGISTER, INDEX] {
        let errs = errors_of(without(path));
        has(&errs, path, "required file is missing");
    }
    let files: Vec<(String, String)> = kojo_content::embedded_files()
        .filter(|(p, _)| !p.starts_with("risk/") || *p == INDEX)
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    has(&errors_of(files), "risk/*.toml", "required file is missing");
}

#[test]
fn a_file_that_does_not_parse_is_not_also_called_missing() {
    let errs = errors_of(with_file(FINDINGS, |t| {
        t.replacen("rule = \"no_owner\"", "rule = \"no_manager\"", 1)
    }));
    has(&errs, FINDINGS, "unknown variant `no_manager`");
    assert!(
        !errs.iter().any(|e| e.contains("required file is missing")),
        "{errs:?}"
    );
}

#[test]
fn a_missing_english_text_in_a_plant_file_names_its_entry() {
    let errs = errors_of(with_file(THREATS, |t| {
        t.replacen(
            "title.en = \"Attacks from the internet\"",
            "title.en = \"\"",
            1,
        )
    }));
    has(&errs, &format!("{THREATS}: internet: "), "title.en");
    let errs = errors_of(with_file(REGISTER, |t| {
        t.replacen("header.en = \"MAC address\"", "header.en = \" \"", 1)
    }));
    has(&errs, &format!("{REGISTER}: mac: "), "header.en");
}
