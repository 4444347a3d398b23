//! Hand-built advisories for the unit tests of matching and components.

use super::advisory::*;

/// One leaf: (product id, vendor, product name, version text, model numbers, purl).
pub struct LeafSpec<'a> {
    pub id: &'a str,
    pub vendor: &'a str,
    pub product: &'a str,
    pub version: &'a str,
    pub model_numbers: &'a [&'a str],
    pub purl: Option<&'a str>,
}

/// An advisory whose single CVE affects every leaf (`known_affected`), plus `fixed` ids.
pub fn advisory(id: &str, cve: &str, leaves: &[LeafSpec<'_>], fixed: &[&str]) -> Advisory {
    let products = leaves
        .iter()
        .map(|l| Product {
            id: l.id.into(),
            name: format!("{} {} {}", l.vendor, l.product, l.version),
            path: vec![
                Branch {
                    category: BranchCategory::Vendor,
                    name: l.vendor.into(),
                },
                Branch {
                    category: BranchCategory::ProductName,
                    name: l.product.into(),
                },
                Branch {
                    category: BranchCategory::ProductVersionRange,
                    name: l.version.into(),
                },
            ],
            helper: Helper {
                model_numbers: l.model_numbers.iter().map(|s| s.to_string()).collect(),
                purl: l.purl.map(String::from),
                ..Helper::default()
            },
        })
        .collect();
    let affected: Vec<String> = leaves
        .iter()
        .map(|l| l.id.to_string())
        .filter(|i| !fixed.contains(&i.as_str()))
        .collect();
    let mut status = vec![ProductStatus {
        kind: StatusKind::KnownAffected,
        products: affected,
    }];
    if !fixed.is_empty() {
        status.push(ProductStatus {
            kind: StatusKind::Fixed,
            products: fixed.iter().map(|s| s.to_string()).collect(),
        });
    }
    Advisory {
        id: AdvisoryId {
            namespace: "https://example.com".into(),
            tracking_id: id.into(),
        },
        title: id.into(),
        category: "csaf_security_advisory".into(),
        publisher: "Example".into(),
        lang: None,
        tlp: None,
        revision: "1".into(),
        status: TrackingStatus::Final,
        initial_release: "2024-01-01T00:00:00Z".into(),
        current_release: "2024-01-01T00:00:00Z".into(),
        history: vec![],
        products,
        relationships: vec![],
        vulnerabilities: vec![Vulnerability {
            cve: Some(cve.into()),
            ids: vec![],
            title: None,
            cwe: None,
            description: None,
            scores: vec![],
            status,
            remediations: vec![],
            flags: vec![],
            threats: vec![],
        }],
        references: vec![],
    }
}
