//! Malformed input never panics: real files from the shared corpus, mutated (bytes flipped,
//! cut short, spliced, nested deeply), go through every reader of the vulnerability formats,
//! and the pure parsers of `kojo_core::vuln` get arbitrary text. An error is fine; a panic
//! fails the test.

mod shared;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use kojo_formats::{csaf, cyclonedx, kev, osv, spdx, vex};

/// One file of each format, cut to at most 20 kB (the mutations matter, not the size).
fn seeds() -> Vec<Vec<u8>> {
    let csaf_file = shared::csaf_files()
        .into_iter()
        .nth(100)
        .expect("a CSAF file");
    let paths = [
        csaf_file,
        shared::data("cyclonedx-bom-examples/HBOM/PCIe-SATA-adapter-board/bom.json"),
        shared::data("cyclonedx-bom-examples/VEX/vex.json"),
        shared::data("cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.xml"),
        shared::data(
            "spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/04-SBOMwSecurity.json",
        ),
        shared::data("spdx-examples/software/example1/spdx2.2/example1.spdx"),
        shared::data("rustsec-advisory-db-osv/crates/RUSTSEC-2016-0001.json"),
        shared::data("oasis-tcs-csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-01-na-001.json"),
    ];
    let mut out: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).expect("seed"))
        .collect();
    let kev_json = std::fs::read(shared::data(
        "cisagov-kev-data/known_exploited_vulnerabilities.json",
    ))
    .expect("kev");
    out.push(kev_json[..20_000].to_vec());
    let kev_csv = std::fs::read(shared::data(
        "cisagov-kev-data/known_exploited_vulnerabilities.csv",
    ))
    .expect("kev csv");
    out.push(kev_csv[..20_000].to_vec());
    for s in &mut out {
        s.truncate(20_000);
    }
    out
}

/// Every reader on the same bytes.
fn read_all(bytes: &[u8]) {
    let _ = csaf::parse(bytes);
    let _ = cyclonedx::parse_json(bytes);
    let _ = cyclonedx::parse_xml(bytes);
    let _ = spdx::parse_json(bytes);
    let _ = spdx::parse_tag_value(&String::from_utf8_lossy(bytes));
    let _ = osv::parse(bytes);
    let _ = kev::parse_json(bytes);
    let _ = kev::parse_csv(bytes);
    let _ = vex::from_cyclonedx_json(bytes);
    if let Ok(a) = csaf::parse(bytes) {
        let _ = vex::from_csaf(&a);
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Splice(usize, usize, usize),
}

fn apply(seed: &[u8], m: &Mutation) -> Vec<u8> {
    let n = seed.len().max(1);
    let mut b = seed.to_vec();
    match m {
        Mutation::Flip(at, byte) => {
            if let Some(x) = b.get_mut(at % n) {
                *x ^= *byte;
            }
        }
        Mutation::Cut(at) => b.truncate(at % n),
        Mutation::Insert(at, bytes) => {
            let at = (at % n).min(b.len());
            b.splice(at..at, bytes.iter().copied());
        }
        Mutation::Splice(from, len, to) => {
            let from = from % n;
            let end = (from + len % 200).min(b.len());
            let piece = b[from.min(end)..end].to_vec();
            let to = (to % n).min(b.len());
            b.splice(to..to, piece);
        }
    }
    b
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tokens = prop::sample::select(vec![
        b"{".to_vec(),
        b"}".to_vec(),
        b"[".to_vec(),
        b"\"".to_vec(),
        b"<".to_vec(),
        b"</x>".to_vec(),
        b"\\u0000".to_vec(),
        b"null".to_vec(),
        b"1e999".to_vec(),
        b"-1".to_vec(),
        "\u{FFFD}".as_bytes().to_vec(),
        b"<text>".to_vec(),
        b"Relationship: a CONTAINS".to_vec(),
        b"<![CDATA[".to_vec(),
        b"&#xFFFFFF;".to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(a, b)| Mutation::Flip(a, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), tokens).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(a, b, c)| Mutation::Splice(a, b, c)),
    ]
}

#[test]
fn mutated_corpus_files_never_panic_any_reader() {
    let seeds = seeds();
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..seeds.len(), prop::collection::vec(mutation(), 1..4));
    runner
        .run(&strategy, |(i, ms)| {
            let mut bytes = seeds[i].clone();
            for m in &ms {
                bytes = apply(&bytes, m);
            }
            read_all(&bytes);
            Ok(())
        })
        .expect("no reader panics");
    for seed in &seeds {
        read_all(seed);
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    read_all(deep_json.as_bytes());
    let deep_branches = format!(
        r#"{{"product_tree": {{"branches": {}1{}}}, "document": {{}}}}"#,
        r#"[{"category": "vendor", "name": "x", "branches": "#.repeat(5000),
        "}]".repeat(5000)
    );
    read_all(deep_branches.as_bytes());
    let e = csaf::parse(deep_branches.as_bytes()).unwrap_err();
    assert!(e.message.contains("recursion limit"), "{e}");
    let deep_xml = format!(
        "<bom>{}{}</bom>",
        "<a>".repeat(50_000),
        "</a>".repeat(50_000)
    );
    assert!(cyclonedx::parse_xml(deep_xml.as_bytes()).is_err());
}

#[test]
fn the_pure_parsers_take_any_text() {
    use kojo_core::vuln::{
        product::ProductName, spec::VersionSpec, text, vendor, version::Version,
    };
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = prop_oneof![
        ".{0,60}",
        "[<>=| VvRr0-9._*xX()\\-/a-z]{0,40}",
        "[A-Z0-9□*\\[\\]()/ -]{0,30}",
    ];
    runner
        .run(&strategy, |s| {
            let spec = VersionSpec::parse(&s);
            let _ = spec.evaluate(Version::parse("1.2.3").as_ref());
            let _ = Version::parse_loose(&s);
            let p = ProductName::parse("Vendor", &s);
            for d in &p.designators {
                let _ = d.matches(&s);
            }
            let _ = text::vendor_key(&s);
            let _ = text::repair_mojibake(&s);
            let _ = vendor::split_vendors(&s);
            Ok(())
        })
        .expect("no pure parser panics");
    // A pattern of many stars against a long text finishes at once.
    let p = ProductName::parse("", &format!("{}X", "A*".repeat(40)));
    for d in &p.designators {
        let _ = d.matches(&"A".repeat(200));
    }
}
