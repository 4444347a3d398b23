//! Matching on hand-built advisories: each rule of `matching` once.

use super::advisory::Justification;
use super::matching::*;
use super::testkit::{LeafSpec, advisory};
use super::vendor::{Aliases, NeverEquate, Vendor, VendorCatalog};
use super::vex::{VexProduct, VexStatement, VexStatus};
use crate::Text;

fn aliases() -> Aliases {
    let v = |id: &str, ja: &str, en: &str, brands: &[&str]| Vendor {
        id: id.into(),
        name: Text::new(ja, en),
        spellings: vec![],
        brands: brands.iter().map(|s| s.to_string()).collect(),
    };
    Aliases::new(&VendorCatalog {
        schema: 1,
        vendors: vec![
            v(
                "mitsubishi-electric",
                "三菱電機",
                "Mitsubishi Electric",
                &["ICONICS"],
            ),
            v("hitachi", "日立製作所", "Hitachi", &[]),
            v("hitachi-energy", "日立エナジー", "Hitachi Energy", &[]),
            v("omron", "オムロン", "Omron", &[]),
            v("siemens", "シーメンス", "Siemens", &[]),
        ],
        never: vec![NeverEquate {
            vendors: ["hitachi".into(), "hitachi-energy".into()],
            why: Text::new("別会社", "different"),
        }],
    })
    .unwrap()
}

fn leaf<'a>(id: &'a str, vendor: &'a str, product: &'a str, version: &'a str) -> LeafSpec<'a> {
    LeafSpec {
        id,
        vendor,
        product,
        version,
        model_numbers: &[],
        purl: None,
    }
}

fn index() -> Index {
    let siemens = LeafSpec {
        model_numbers: &["6GK5622-2GS00-2AC2"],
        ..leaf(
            "S1",
            "Siemens",
            "SCALANCE SC622-2C (6GK5622-2GS00-2AC2)",
            "<V3.1",
        )
    };
    Index::build(
        vec![
            advisory(
                "A-1",
                "CVE-2024-0001",
                &[leaf(
                    "P1",
                    "Mitsubishi Electric Corporation",
                    "MELSEC iQ-R R04/08/16ENCPU",
                    "<= 65",
                )],
                &[],
            ),
            advisory(
                "A-2",
                "CVE-2024-0002",
                &[leaf(
                    "P1",
                    "Omron",
                    "CJ2H-CPU**(-EIP)",
                    "<= 1.4 (if VP6E5000 is installed)",
                )],
                &[],
            ),
            advisory(
                "A-3",
                "CVE-2024-0003",
                &[leaf(
                    "P1",
                    "Hitachi Energy",
                    "RTU500 series CMU Firmware",
                    "12.2.*",
                )],
                &[],
            ),
            advisory("A-4", "CVE-2024-0004", &[siemens], &[]),
            advisory(
                "A-5",
                "CVE-2024-0005",
                &[leaf("P1", "ICONICS", "GENESIS64", "<= 10.97")],
                &[],
            ),
            advisory(
                "A-6",
                "CVE-2024-0006",
                &[
                    leaf("P1", "Omron", "CX-Programmer", "< 9.80"),
                    leaf("P2", "Omron", "CX-Programmer", "9.80"),
                ],
                &["P2"],
            ),
            advisory(
                "A-7",
                "CVE-2024-0007",
                &[leaf(
                    "P1",
                    "Omron",
                    "NJ/NX-series Controllers",
                    "SCADA Web Server",
                )],
                &[],
            ),
        ],
        aliases(),
    )
}

fn asset(vendor: &str, product: &str, model: &str, order: &str, version: &str) -> AssetQuery {
    AssetQuery {
        vendor: vendor.into(),
        product: product.into(),
        model: model.into(),
        order_number: order.into(),
        version: version.into(),
    }
}

fn one(index: &Index, a: &AssetQuery, advisory: &str) -> Option<Finding> {
    index.match_asset(a).into_iter().find(|f| {
        index
            .advisory(f)
            .is_some_and(|x| x.id.tracking_id == advisory)
    })
}

#[test]
fn japanese_and_full_width_vendor_names_with_expanded_models() {
    let ix = index();
    let f = one(
        &ix,
        &asset("三菱電機", "MELSEC iQ-R", "R08ENCPU", "", "60"),
        "A-1",
    )
    .unwrap();
    assert_eq!(f.verdict, Verdict::Affected);
    assert_eq!(f.confidence, Confidence(100));
    assert!(f.reasons.contains(&Reason::Vendor {
        how: VendorHow::Alias
    }));
    let f = one(
        &ix,
        &asset(
            "ＭＩＴＳＵＢＩＳＨＩ ＥＬＥＣＴＲＩＣ",
            "",
            "ｒ０８ｅｎｃｐｕ",
            "",
            "66",
        ),
        "A-1",
    )
    .unwrap();
    assert_eq!(f.verdict, Verdict::NotAffected);
    assert_eq!(f.confidence, Confidence(95));
    assert_eq!(ix.cve(&f), Some("CVE-2024-0001"));
}

#[test]
fn a_condition_or_a_missing_version_needs_checking_never_not_affected() {
    let ix = index();
    let f = one(
        &ix,
        &asset("オムロン", "", "CJ2H-CPU64-EIP", "", "1.3"),
        "A-2",
    )
    .unwrap();
    assert_eq!(
        (f.verdict, f.confidence),
        (Verdict::NeedsChecking, Confidence(90))
    );
    assert!(f.reasons.contains(&Reason::Condition));
    let f = one(&ix, &asset("三菱電機", "", "R04ENCPU", "", ""), "A-1").unwrap();
    assert_eq!(f.verdict, Verdict::NeedsChecking);
    let f = one(
        &ix,
        &asset("三菱電機", "", "R04ENCPU", "", "バージョン不明"),
        "A-1",
    )
    .unwrap();
    assert_eq!(f.verdict, Verdict::NeedsChecking);
    // An advisory "version" that is a product name: needs checking.
    let f = one(
        &ix,
        &asset("Omron", "NJ/NX-series Controllers", "", "", "1.0"),
        "A-7",
    )
    .unwrap();
    assert_eq!(f.verdict, Verdict::NeedsChecking);
}

#[test]
fn never_equated_vendors_do_not_match() {
    let ix = index();
    assert!(
        one(
            &ix,
            &asset("日立製作所", "RTU500 series CMU Firmware", "", "", "12.2.1"),
            "A-3"
        )
        .is_none()
    );
    let f = one(
        &ix,
        &asset(
            "日立エナジー",
            "RTU500 series CMU Firmware",
            "",
            "",
            "12.2.1",
        ),
        "A-3",
    )
    .unwrap();
    assert_eq!(
        (f.verdict, f.confidence),
        (Verdict::Affected, Confidence(70))
    );
}

#[test]
fn order_numbers_match_ignoring_spaces_and_contradict_a_name_match() {
    let ix = index();
    let f = one(
        &ix,
        &asset("Siemens", "SCALANCE", "", "6GK5 622-2GS00-2AC2", "V3.0"),
        "A-4",
    )
    .unwrap();
    assert_eq!(
        (f.verdict, f.confidence),
        (Verdict::Affected, Confidence(95))
    );
    let f = one(
        &ix,
        &asset(
            "Siemens",
            "SCALANCE SC622-2C",
            "",
            "6GK5622-2GS00-2AC9",
            "V3.0",
        ),
        "A-4",
    )
    .unwrap();
    assert_eq!(f.verdict, Verdict::NeedsChecking);
    assert!(f.reasons.contains(&Reason::OrderNumberDiffers));
    let f = one(
        &ix,
        &asset("Siemens", "SCALANCE SC622-2C", "", "", "V3.1"),
        "A-4",
    )
    .unwrap();
    assert_eq!(
        (f.verdict, f.confidence),
        (Verdict::NotAffected, Confidence(70))
    );
}

#[test]
fn brands_match_with_less_confidence() {
    let ix = index();
    let f = one(&ix, &asset("三菱電機", "GENESIS64", "", "", "10.90"), "A-5").unwrap();
    assert_eq!(
        (f.verdict, f.confidence),
        (Verdict::Affected, Confidence(63))
    );
    assert!(f.reasons.contains(&Reason::Vendor {
        how: VendorHow::Brand
    }));
}

#[test]
fn a_fixed_version_is_not_affected_and_vex_closes_a_finding_with_its_reason() {
    let ix = index();
    let a = asset("Omron", "CX-Programmer", "", "", "9.80");
    let f = one(&ix, &a, "A-6").unwrap();
    assert_eq!(f.verdict, Verdict::NotAffected);
    let a = asset("Omron", "CX-Programmer", "", "", "9.70");
    let mut findings = ix.match_asset(&a);
    let f = findings
        .iter()
        .find(|f| ix.cve(f) == Some("CVE-2024-0006"))
        .unwrap();
    assert_eq!(f.verdict, Verdict::Affected);
    let statements = [VexStatement {
        vulnerability: "CVE-2024-0006".into(),
        product: VexProduct {
            vendor: Some("OMRON Corporation".into()),
            name: Some("CX-Programmer".into()),
            version: Some("< 9.75".into()),
            ..VexProduct::default()
        },
        status: VexStatus::NotAffected,
        justification: Some(Justification::VulnerableCodeNotInExecutePath),
        detail: "The vulnerable function is not used.".into(),
        source: "site".into(),
    }];
    apply_vex(&ix, &a, &mut findings, &statements);
    let f = findings
        .iter()
        .find(|f| ix.cve(f) == Some("CVE-2024-0006"))
        .unwrap();
    assert_eq!(f.verdict, Verdict::NotAffected);
    assert!(f.reasons.contains(&Reason::Vex {
        statement: 0,
        status: VexStatus::NotAffected,
        justification: Some(Justification::VulnerableCodeNotInExecutePath),
    }));
}

#[test]
fn an_asset_without_a_vendor_or_of_another_vendor_matches_nothing() {
    let ix = index();
    assert!(
        ix.match_asset(&asset("", "MELSEC iQ-R", "R04ENCPU", "", "1"))
            .is_empty()
    );
    assert!(
        one(
            &ix,
            &asset("Omron", "MELSEC iQ-R", "R04ENCPU", "", "1"),
            "A-1"
        )
        .is_none()
    );
}
