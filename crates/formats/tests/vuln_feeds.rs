//! KEV, CycloneDX, SPDX, OSV and VEX readers over the shared public sample data, and the KEV
//! join with the CISA CSAF corpus computed two independent ways.

mod shared;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use kojo_core::vuln::sbom::ComponentKind;
use kojo_core::vuln::vex::VexStatus;
use kojo_formats::{csaf, cyclonedx, kev, osv, spdx, vex};

fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(suffix) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn the_kev_catalogue_reads_the_same_from_json_and_csv() {
    let dir = shared::data("cisagov-kev-data");
    let j = kev::parse_json(&read(&dir.join("known_exploited_vulnerabilities.json"))).unwrap();
    let c = kev::parse_csv(&read(&dir.join("known_exploited_vulnerabilities.csv"))).unwrap();
    assert_eq!(j.len(), 1404);
    assert_eq!(j.version, "2025.08.25");
    assert_eq!(j.entries, c.entries, "JSON and CSV disagree");
    let ransomware = j
        .entries
        .iter()
        .filter(|e| e.ransomware == kojo_core::vuln::kev::RansomwareUse::Known)
        .count();
    println!(
        "KEV: {} entries, {ransomware} with known ransomware use",
        j.len()
    );
}

/// Every CVE id string anywhere in a JSON value (the independent count: no CSAF reader).
fn raw_cves(v: &serde_json::Value, out: &mut HashSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "cve"
                    && let Some(s) = x.as_str()
                {
                    out.insert(s.trim().to_uppercase());
                }
                raw_cves(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| raw_cves(x, out)),
        _ => {}
    }
}

#[test]
fn the_kev_join_over_the_csaf_corpus_agrees_with_a_plain_set_intersection() {
    let kev_raw: serde_json::Value = serde_json::from_slice(&read(&shared::data(
        "cisagov-kev-data/known_exploited_vulnerabilities.json",
    )))
    .unwrap();
    let kev_ids: HashSet<String> = kev_raw["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["cveID"].as_str().unwrap().to_uppercase())
        .collect();
    // Independent: raw JSON of every advisory, CVE strings, set intersection.
    let mut raw_join: BTreeSet<String> = BTreeSet::new();
    let mut raw_advisories = 0;
    for f in shared::csaf_files() {
        let v: serde_json::Value = serde_json::from_slice(&read(&f)).unwrap();
        let mut cves = HashSet::new();
        raw_cves(&v["vulnerabilities"], &mut cves);
        let hit: Vec<String> = cves.intersection(&kev_ids).cloned().collect();
        if !hit.is_empty() {
            raw_advisories += 1;
        }
        raw_join.extend(hit);
    }
    // Through the readers.
    let catalogue = kev::parse_json(&read(&shared::data(
        "cisagov-kev-data/known_exploited_vulnerabilities.json",
    )))
    .unwrap();
    let loaded = csaf::dir::read(&shared::csaf_root());
    let mut join: BTreeSet<String> = BTreeSet::new();
    let mut advisories = 0;
    for d in &loaded.documents {
        let hit: Vec<&str> = d
            .advisory
            .cves()
            .filter(|c| catalogue.contains(c))
            .collect();
        if !hit.is_empty() {
            advisories += 1;
        }
        join.extend(hit.into_iter().map(String::from));
    }
    println!(
        "KEV CVEs in the CSAF corpus: {} in {advisories} advisories (raw count: {} in {raw_advisories})",
        join.len(),
        raw_join.len()
    );
    assert_eq!(join, raw_join);
    assert_eq!(advisories, raw_advisories);
    assert_eq!(
        (join.len(), advisories),
        (65, 54),
        "shared/data/README.md and next-capabilities.md say 65 / 54"
    );
}

#[test]
fn every_cyclonedx_example_reads_with_devices_firmware_and_vex() {
    let root = shared::data("cyclonedx-bom-examples");
    let (mut ok, mut components, mut devices, mut statements) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for f in files(&root, ".json") {
        match cyclonedx::parse_json(&read(&f)) {
            Ok(b) => {
                ok += 1;
                components += b.sbom.components.len();
                devices += b
                    .sbom
                    .components
                    .iter()
                    .filter(|c| c.kind == ComponentKind::Device)
                    .count();
                statements += b.vex.len();
            }
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    for f in files(&root, ".xml") {
        match cyclonedx::parse_xml(&read(&f)) {
            Ok(b) => {
                ok += 1;
                components += b.sbom.components.len();
            }
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    println!(
        "CycloneDX: {ok} documents, {components} components ({devices} devices), {statements} VEX statements; not read: {failures:#?}"
    );
    assert!(devices > 0 && statements > 0);
    // The examples that are not BOMs at all (CBOM/SaaSBOM fragments) may fail; BOMs may not.
    assert!(
        failures
            .iter()
            .all(|f| !f.contains("/SBOM/") && !f.contains("/HBOM/")),
        "{failures:#?}"
    );
    let v = cyclonedx::parse_json(&read(&root.join("VEX/vex.json"))).unwrap();
    let s = &v.vex[0];
    assert_eq!(
        (s.vulnerability.as_str(), s.status),
        ("CVE-2020-25649", VexStatus::NotAffected)
    );
    assert_eq!(
        s.product.bom_ref.as_deref(),
        Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar")
    );
    assert!(s.product.purl.is_some());
}

#[test]
fn every_spdx_2_example_reads_in_json_and_tag_value() {
    let mut read_ok = Vec::new();
    for base in [shared::data("spdx-examples"), shared::data("spdx-spec-2.3")] {
        for f in files(&base, ".json") {
            let bytes = read(&f);
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            if !v["spdxVersion"]
                .as_str()
                .is_some_and(|s| s.starts_with("SPDX-2"))
            {
                continue; // SPDX 3.0 JSON-LD and schemas
            }
            let s = spdx::parse_json(&bytes).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            read_ok.push((f, s.components.len()));
        }
        for f in files(&base, ".spdx").into_iter().chain(files(&base, ".tv")) {
            let text = String::from_utf8(read(&f)).unwrap();
            let s = spdx::parse_tag_value(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            read_ok.push((f, s.components.len()));
        }
    }
    let packages: usize = read_ok.iter().map(|(_, n)| n).sum();
    println!("SPDX 2.x: {} documents, {packages} packages", read_ok.len());
    assert!(read_ok.len() >= 20, "{read_ok:?}");
    let with_purl = files(&shared::data("spdx-examples"), "04-SBOMwSecurity.json");
    let s = spdx::parse_json(&read(&with_purl[0])).unwrap();
    assert!(s.components.iter().any(|c| c.purl.is_some()));
}

#[test]
fn osv_records_read_and_broken_ones_are_refused_with_a_path() {
    let rust = files(&shared::data("rustsec-advisory-db-osv"), ".json");
    let mut records = 0;
    for f in &rust {
        let r = osv::parse(&read(f)).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(
            !r.affected.is_empty() || r.withdrawn.is_some(),
            "{}",
            f.display()
        );
        records += 1;
    }
    let schema = shared::data("ossf-osv-schema");
    let (mut ok, mut refused) = (0, Vec::new());
    for f in files(&schema.join("tools"), ".json") {
        match osv::parse(&read(&f)) {
            Ok(_) => ok += 1,
            Err(e) => refused.push(format!("{}: {e}", f.file_name().unwrap().to_string_lossy())),
        }
    }
    println!(
        "OSV: {records} RustSec records; osv-schema test data: {ok} read, refused: {refused:#?}"
    );
    assert!(records > 1200);
    assert!(ok >= 20);
}

#[test]
fn csaf_vex_examples_give_statements_with_justifications() {
    let dir = shared::data("oasis-tcs-csaf/csaf_2.0/examples/csaf/csaf_vex");
    let mut statements = Vec::new();
    for f in files(&dir, ".json") {
        let a = csaf::parse(&read(&f)).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(a.category, "csaf_vex", "{}", f.display());
        statements.extend(vex::from_csaf(&a));
    }
    let justified = statements
        .iter()
        .filter(|s| s.justification.is_some())
        .count();
    println!(
        "CSAF VEX: {} statements, {justified} with a justification",
        statements.len()
    );
    assert!(
        statements
            .iter()
            .any(|s| s.status == VexStatus::NotAffected && s.justification.is_some())
    );
    assert!(statements.iter().any(|s| s.status == VexStatus::Affected));
    let cdx = shared::data("cyclonedx-bom-examples/VEX");
    let n: usize = files(&cdx, ".json")
        .iter()
        .filter_map(|f| vex::from_cyclonedx_json(&read(f)).ok())
        .map(|v| v.len())
        .sum();
    println!("CycloneDX VEX use cases: {n} statements");
    assert!(n > 10);
}

#[test]
fn the_other_csaf_examples_and_test_documents_read_or_fail_with_a_location() {
    let root = shared::data("oasis-tcs-csaf/csaf_2.0");
    let (mut ok, mut failed) = (0, 0);
    for f in files(&root.join("examples/csaf"), ".json")
        .into_iter()
        .chain(files(&root.join("test/validator/data"), ".json"))
    {
        match csaf::parse(&read(&f)) {
            Ok(_) => ok += 1,
            Err(e) => {
                assert!(!e.path.is_empty() && !e.message.is_empty());
                failed += 1;
            }
        }
    }
    println!(
        "OASIS CSAF examples and validator test documents: {ok} read, {failed} refused with a location"
    );
    assert!(ok > 50);
}
