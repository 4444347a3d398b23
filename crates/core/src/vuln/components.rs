//! SBOM components against advisories: identifiers first, names last.
//!
//! 1. A component with a package URL is looked up in the OSV records by ecosystem and package
//!    name, and its version checked against their ranges (confidence 1.00: the purl names the
//!    package).
//! 2. A purl or CPE equal to an advisory product's identification helper matches that product
//!    (1.00), and its version is checked against the product's versions.
//! 3. Only when neither found anything: the component's supplier (or the CPE vendor, the purl
//!    namespace, the enclosing component's supplier) and name are matched like an asset's
//!    vendor and product, with confidence × 0.9 (the name comes from another source).
//!
//! VEX statements then close or confirm findings whose component they name (same purl, CPE or
//! `bom-ref`, or same name and version).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::advisory::StatusKind;
use super::matching::{
    AssetField, AssetQuery, AssetVersion, Confidence, Finding, Index, ProductHow, Reasons,
    VendorHow, Verdict, vex_decide,
};
use super::osv::{OsvRecord, ecosystem_of, package_key};
use super::product::{DesignatorSource, IdLevel};
use super::sbom::{Component, Cpe, Purl, Sbom};
use super::spec::Eval;
use super::vex::VexStatement;

/// OSV records by package.
#[derive(Debug, Default)]
pub struct OsvIndex {
    records: Vec<OsvRecord>,
    /// Package key (`crates.io/serde`) → (record, affected entry).
    by_package: HashMap<String, Vec<(u32, u32)>>,
}

impl OsvIndex {
    /// Indexes the records; withdrawn records are left out.
    pub fn new(records: Vec<OsvRecord>) -> OsvIndex {
        let records: Vec<OsvRecord> = records
            .into_iter()
            .filter(|r| r.withdrawn.is_none())
            .collect();
        let mut by_package: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        for (ri, r) in records.iter().enumerate() {
            let Ok(ri) = u32::try_from(ri) else { break };
            for (ai, a) in r.affected.iter().enumerate() {
                let (Ok(ai), Some(p)) = (u32::try_from(ai), a.package.as_ref()) else {
                    continue;
                };
                by_package
                    .entry(package_key(&p.ecosystem, &p.name))
                    .or_default()
                    .push((ri, ai));
            }
        }
        OsvIndex {
            records,
            by_package,
        }
    }

    pub fn records(&self) -> &[OsvRecord] {
        &self.records
    }

    pub fn record(&self, i: u32) -> Option<&OsvRecord> {
        self.records.get(i as usize)
    }
}

/// Where a component finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A CSAF advisory's product (indices as in [`Finding`]).
    Csaf {
        advisory: u32,
        leaf: u32,
        vulnerability: u32,
    },
    /// An OSV record's affected entry.
    Osv { record: u32, affected: u32 },
}

/// One conclusion for (component, advisory or OSV record, vulnerability).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentFinding {
    /// Index into the SBOM's components.
    pub component: u32,
    pub source: Source,
    pub verdict: Verdict,
    pub confidence: Confidence,
    pub reasons: Reasons,
}

/// Every finding for every component of an SBOM.
pub fn match_sbom(index: &Index, osv: &OsvIndex, sbom: &Sbom) -> Vec<ComponentFinding> {
    let mut out = Vec::new();
    for (ci, c) in sbom.components.iter().enumerate() {
        let Ok(ci) = u32::try_from(ci) else { break };
        let parent_supplier = c
            .parent
            .and_then(|p| sbom.components.get(p))
            .and_then(|p| p.supplier.as_deref());
        out.extend(match_component(index, osv, ci, c, parent_supplier));
    }
    out
}

/// The findings of one component; see the module documentation for the order.
pub fn match_component(
    index: &Index,
    osv: &OsvIndex,
    ci: u32,
    c: &Component,
    parent_supplier: Option<&str>,
) -> Vec<ComponentFinding> {
    let purl = c.purl.as_deref().and_then(Purl::parse);
    let cpe = c.cpe.as_deref().and_then(Cpe::parse);
    let version = c
        .version
        .clone()
        .or_else(|| purl.as_ref().and_then(|p| p.version.clone()))
        .or_else(|| cpe.as_ref().and_then(|p| p.version.clone()))
        .unwrap_or_default();
    let mut out = Vec::new();
    if let Some(p) = &purl {
        by_osv(osv, ci, p, &version, &mut out);
        let leaves = index.leaves_by_purl(&p.package_key());
        by_leaves(index, ci, leaves, AssetField::Purl, &version, &mut out);
    }
    if let Some(k) = &cpe {
        let leaves = index.leaves_by_cpe(&k.vendor, &k.product);
        by_leaves(index, ci, leaves, AssetField::Cpe, &version, &mut out);
    }
    if out.is_empty() {
        let vendor = c
            .supplier
            .clone()
            .or_else(|| cpe.as_ref().map(|k| k.vendor.replace('_', " ")))
            .or_else(|| purl.as_ref().and_then(|p| p.namespace.clone()))
            .or_else(|| parent_supplier.map(str::to_string))
            .unwrap_or_default();
        let query = AssetQuery {
            vendor,
            product: c.name.clone(),
            version,
            ..AssetQuery::default()
        };
        out.extend(
            index
                .match_asset(&query)
                .into_iter()
                .map(|f| by_name(ci, f)),
        );
    }
    out
}

fn by_osv(osv: &OsvIndex, ci: u32, p: &Purl, version: &str, out: &mut Vec<ComponentFinding>) {
    let Some((eco, name)) = ecosystem_of(p) else {
        return;
    };
    for (ri, ai) in osv
        .by_package
        .get(&package_key(eco, &name))
        .into_iter()
        .flatten()
    {
        let Some(a) = osv.records[*ri as usize].affected.get(*ai as usize) else {
            continue;
        };
        let eval = if version.is_empty() {
            Eval::Unknown(super::spec::Uncertain::AssetVersionMissing)
        } else {
            a.evaluate(version)
        };
        let verdict = match eval {
            Eval::Affected => Verdict::Affected,
            Eval::NotAffected => Verdict::NotAffected,
            Eval::Unknown(_) => Verdict::NeedsChecking,
        };
        out.push(ComponentFinding {
            component: ci,
            source: Source::Osv {
                record: *ri,
                affected: *ai,
            },
            verdict,
            confidence: Confidence(100),
            reasons: Reasons {
                vendor: VendorHow::Identifier,
                product: ProductHow::Identifier {
                    field: AssetField::Purl,
                    level: IdLevel::Exact,
                    source: DesignatorSource::Purl,
                },
                status: StatusKind::KnownAffected,
                version: eval,
                condition: false,
                order_number_differs: false,
                installed_on: false,
                component_name: false,
                vex: None,
            },
        });
    }
}

fn by_leaves(
    index: &Index,
    ci: u32,
    leaves: &[u32],
    field: AssetField,
    version: &str,
    out: &mut Vec<ComponentFinding>,
) {
    let query = AssetQuery {
        version: version.to_string(),
        ..AssetQuery::default()
    };
    let v = AssetVersion::of(version);
    for li in leaves {
        let Some(leaf) = index.leaf(*li) else {
            continue;
        };
        let m = ProductHow::Identifier {
            field,
            level: IdLevel::Exact,
            source: if field == AssetField::Purl {
                DesignatorSource::Purl
            } else {
                DesignatorSource::Cpe
            },
        };
        for f in index.judge(*li, leaf, m, VendorHow::Identifier, &query, &v) {
            out.push(ComponentFinding {
                component: ci,
                source: Source::Csaf {
                    advisory: f.advisory,
                    leaf: f.leaf,
                    vulnerability: f.vulnerability,
                },
                verdict: f.verdict,
                confidence: f.confidence,
                reasons: f.reasons,
            });
        }
    }
}

/// A finding made by name: less certain (× 0.9), and never firmer than "needs checking" when
/// the name match itself was partial.
fn by_name(ci: u32, mut f: Finding) -> ComponentFinding {
    f.reasons.component_name = true;
    ComponentFinding {
        component: ci,
        source: Source::Csaf {
            advisory: f.advisory,
            leaf: f.leaf,
            vulnerability: f.vulnerability,
        },
        verdict: f.verdict,
        confidence: f.confidence.times(90),
        reasons: f.reasons,
    }
}

/// Applies VEX statements to component findings: a statement about the finding's
/// vulnerability (its CVE, or the OSV id and aliases) whose product has the component's purl,
/// CPE or `bom-ref` (or its name, and version when given) decides the verdict.
pub fn apply_vex_to_components(
    index: &Index,
    osv: &OsvIndex,
    sbom: &Sbom,
    findings: &mut [ComponentFinding],
    statements: &[VexStatement],
) {
    for f in findings.iter_mut() {
        let Some(c) = sbom.components.get(f.component as usize) else {
            continue;
        };
        let ids = vulnerability_ids(index, osv, f);
        for (si, s) in statements.iter().enumerate() {
            let Ok(statement) = u32::try_from(si) else {
                break;
            };
            if !ids.iter().any(|i| i.eq_ignore_ascii_case(&s.vulnerability))
                || !names_component(s, c)
            {
                continue;
            }
            let mut tmp = Finding {
                advisory: 0,
                leaf: 0,
                vulnerability: 0,
                verdict: f.verdict,
                confidence: f.confidence,
                reasons: f.reasons,
            };
            vex_decide(&mut tmp, statement, s);
            f.verdict = tmp.verdict;
            f.reasons = tmp.reasons;
        }
    }
}

/// The ids a finding's vulnerability goes by.
pub fn vulnerability_ids(index: &Index, osv: &OsvIndex, f: &ComponentFinding) -> Vec<String> {
    match f.source {
        Source::Csaf {
            advisory,
            vulnerability,
            ..
        } => index
            .advisories()
            .get(advisory as usize)
            .and_then(|a| a.vulnerabilities.get(vulnerability as usize))
            .and_then(|v| v.cve.clone())
            .into_iter()
            .collect(),
        Source::Osv { record, .. } => osv
            .record(record)
            .map(|r| {
                std::iter::once(r.id.clone())
                    .chain(r.aliases.iter().cloned())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn names_component(s: &VexStatement, c: &Component) -> bool {
    let p = &s.product;
    let same_purl = match (
        p.purl.as_deref().and_then(Purl::parse),
        c.purl.as_deref().and_then(Purl::parse),
    ) {
        (Some(a), Some(b)) => {
            a.package_key() == b.package_key() && (a.version.is_none() || a.version == b.version)
        }
        _ => false,
    };
    let same_cpe = p.cpe.is_some() && p.cpe == c.cpe;
    let same_ref = p.bom_ref.is_some() && p.bom_ref == c.bom_ref;
    let same_name = p
        .name
        .as_deref()
        .is_some_and(|n| n.eq_ignore_ascii_case(&c.name))
        && p.version
            .as_ref()
            .is_none_or(|v| Some(v) == c.version.as_ref());
    same_purl || same_cpe || same_ref || same_name
}

#[cfg(test)]
mod tests;
