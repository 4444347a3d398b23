use super::*;
use crate::vuln::osv::{OsvAffected, OsvEvent, OsvPackage, OsvRange, OsvRangeKind};
use crate::vuln::sbom::{ComponentKind, SbomFormat};
use crate::vuln::testkit::{LeafSpec, advisory};
use crate::vuln::vendor::Aliases;
use crate::vuln::vex::{VexProduct, VexStatus};

fn component(name: &str, version: &str, purl: Option<&str>, supplier: Option<&str>) -> Component {
    Component {
        bom_ref: Some(name.into()),
        kind: ComponentKind::Library,
        supplier: supplier.map(String::from),
        group: None,
        name: name.into(),
        version: Some(version.into()),
        purl: purl.map(String::from),
        cpe: None,
        parent: None,
    }
}

#[test]
#[allow(clippy::too_many_lines, reason = "one scenario read top to bottom")]
fn purls_find_osv_records_and_csaf_products_and_names_come_last() {
    let leaf = LeafSpec {
        id: "P1",
        vendor: "Example",
        product: "libexample",
        version: "< 2.0",
        model_numbers: &[],
        purl: Some("pkg:generic/example/libexample"),
    };
    let named = LeafSpec {
        id: "P1",
        vendor: "Moxa",
        product: "NPort 5110",
        version: "<= 2.4",
        model_numbers: &[],
        purl: None,
    };
    let index = Index::build(
        vec![
            advisory("A-1", "CVE-2024-1000", &[leaf], &[]),
            advisory("A-2", "CVE-2024-2000", &[named], &[]),
        ],
        Aliases::default(),
    );
    let osv = OsvIndex::new(vec![OsvRecord {
        id: "RUSTSEC-2024-0001".into(),
        modified: "2024-01-01T00:00:00Z".into(),
        published: None,
        withdrawn: None,
        aliases: vec!["CVE-2024-3000".into()],
        summary: None,
        affected: vec![OsvAffected {
            package: Some(OsvPackage {
                ecosystem: "crates.io".into(),
                name: "smallvec".into(),
                purl: None,
            }),
            ranges: vec![OsvRange {
                kind: OsvRangeKind::Semver,
                repo: None,
                events: vec![
                    OsvEvent::Introduced("0".into()),
                    OsvEvent::Fixed("1.6.1".into()),
                ],
            }],
            versions: vec![],
        }],
    }]);
    let sbom = Sbom {
        format: SbomFormat::CycloneDx,
        spec_version: "1.6".into(),
        serial: None,
        name: None,
        components: vec![
            component("smallvec", "1.6.0", Some("pkg:cargo/smallvec@1.6.0"), None),
            component(
                "libexample",
                "1.9",
                Some("pkg:generic/example/libexample@1.9"),
                None,
            ),
            component("NPort 5110", "2.2", None, Some("Moxa Inc.")),
            component("smallvec", "1.6.1", Some("pkg:cargo/smallvec@1.6.1"), None),
        ],
    };
    let mut found = match_sbom(&index, &osv, &sbom);
    let verdicts: Vec<(u32, Verdict, u8)> = found
        .iter()
        .map(|f| (f.component, f.verdict, f.confidence.0))
        .collect();
    assert_eq!(
        verdicts,
        [
            (0, Verdict::Affected, 100),
            (1, Verdict::Affected, 100),
            (2, Verdict::Affected, 63),
            (3, Verdict::NotAffected, 100),
        ]
    );
    assert!(found[2].reasons.component_name);
    let statements = [VexStatement {
        vulnerability: "CVE-2024-3000".into(),
        product: VexProduct {
            purl: Some("pkg:cargo/smallvec".into()),
            ..VexProduct::default()
        },
        status: VexStatus::NotAffected,
        justification: Some(crate::vuln::advisory::Justification::VulnerableCodeNotPresent),
        detail: String::new(),
        source: "vex.json".into(),
    }];
    apply_vex_to_components(&index, &osv, &sbom, &mut found, &statements);
    assert_eq!(found[0].verdict, Verdict::NotAffected);
    assert_eq!(found[1].verdict, Verdict::Affected);
}
