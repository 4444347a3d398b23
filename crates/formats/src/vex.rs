//! VEX statements from CSAF VEX documents (and the product statuses of any CSAF advisory) and
//! from CycloneDX VEX (`vulnerabilities[].analysis`), as
//! [`kojo_core::vuln::vex::VexStatement`]s.
//!
//! From CSAF: one statement per (vulnerability, product, status) for `known_not_affected`,
//! `fixed`/`first_fixed`, `known_affected`/`first_affected`/`last_affected` and
//! `under_investigation`; the justification is the product's VEX flag, the detail its impact
//! threat. The product is described by the leaf's vendor, name, version and identification
//! helper (a relationship product by its component and the device it is installed on).

use kojo_core::vuln::advisory::{Advisory, Product, StatusKind, ThreatCategory};
use kojo_core::vuln::vex::{VexProduct, VexStatement, VexStatus};

use crate::csaf::ReadError;

/// Statements from a CSAF document already read with [`crate::csaf::parse`].
pub fn from_csaf(a: &Advisory) -> Vec<VexStatement> {
    let source = format!("{} rev {}", a.id.tracking_id, a.revision);
    let mut out = Vec::new();
    for v in &a.vulnerabilities {
        let id = v
            .cve
            .clone()
            .or_else(|| v.ids.first().map(|(_, t)| t.clone()))
            .unwrap_or_default();
        for s in &v.status {
            let Some(status) = status_of(s.kind) else {
                continue;
            };
            for pid in &s.products {
                let justification = v
                    .flags
                    .iter()
                    .find(|f| f.products.contains(pid))
                    .map(|f| f.label);
                let detail = v
                    .threats
                    .iter()
                    .find(|t| t.category == ThreatCategory::Impact && t.products.contains(pid))
                    .map(|t| t.details.clone())
                    .unwrap_or_default();
                out.push(VexStatement {
                    vulnerability: id.clone(),
                    product: product_of(a, pid),
                    status,
                    justification,
                    detail,
                    source: source.clone(),
                });
            }
        }
    }
    out
}

fn status_of(kind: StatusKind) -> Option<VexStatus> {
    Some(match kind {
        StatusKind::KnownNotAffected => VexStatus::NotAffected,
        StatusKind::Fixed | StatusKind::FirstFixed => VexStatus::Fixed,
        StatusKind::KnownAffected | StatusKind::FirstAffected | StatusKind::LastAffected => {
            VexStatus::Affected
        }
        StatusKind::UnderInvestigation => VexStatus::UnderInvestigation,
        StatusKind::Recommended => return None,
    })
}

fn product_of(a: &Advisory, pid: &str) -> VexProduct {
    if let Some(p) = a.product(pid) {
        return describe(p, p);
    }
    match a.relationship(pid) {
        Some(r) => match (a.product(&r.component), a.product(&r.target)) {
            (Some(c), Some(t)) => describe(t, c),
            (Some(c), None) => describe(c, c),
            _ => VexProduct {
                name: Some(r.name.clone()),
                ..VexProduct::default()
            },
        },
        None => VexProduct {
            name: Some(pid.to_string()),
            ..VexProduct::default()
        },
    }
}

/// The device (`p`) with the version of `versioned` (itself, or the installed component).
fn describe(p: &Product, versioned: &Product) -> VexProduct {
    VexProduct {
        purl: p.helper.purl.clone(),
        cpe: p.helper.cpe.clone(),
        bom_ref: None,
        vendor: p.vendor().map(str::to_string),
        name: p
            .product_name()
            .or(p.family())
            .map(str::to_string)
            .or_else(|| Some(p.name.clone())),
        version: versioned.version().map(|(v, _)| v.to_string()),
        model_numbers: p.helper.model_numbers.clone(),
    }
}

/// Statements from a CycloneDX VEX (or BOM with vulnerabilities) in JSON.
pub fn from_cyclonedx_json(bytes: &[u8]) -> Result<Vec<VexStatement>, ReadError> {
    crate::cyclonedx::parse_json(bytes).map(|b| b.vex)
}

/// Statements from a CycloneDX VEX in XML.
pub fn from_cyclonedx_xml(bytes: &[u8]) -> Result<Vec<VexStatement>, ReadError> {
    crate::cyclonedx::parse_xml(bytes).map(|b| b.vex)
}
