//! CSAF 2.0 documents (security advisories, VEX documents) read into
//! [`kojo_core::vuln::advisory::Advisory`].
//!
//! [`parse`] takes the bytes of one document. The product tree is flattened into leaves that
//! keep their full branch path, product groups are resolved into product ids, and every CVSS v3
//! score, remediation, product status, VEX flag and threat is kept. Unknown fields are ignored;
//! a field of the wrong type, a missing required field or an unknown category code is an error
//! that names the JSON path, the line and the column (`ReadError`).
//!
//! [`dir`] reads files and directory trees (a provider's mirror with `provider-metadata.json`, a
//! ROLIE feed or `index.txt`), checks `.sha256`/`.sha512` files and reports every failure with
//! its file. It is the one part of this crate that reads the file system.

pub mod dir;

use std::collections::HashMap;

use kojo_core::vuln::advisory::Justification;
use kojo_core::vuln::advisory::{
    Advisory, AdvisoryId, Branch, BranchCategory, Cvss, Flag, Helper, Product, ProductStatus,
    Reference, Relationship, RelationshipCategory, Remediation, RemediationCategory, Revision,
    Score, StatusKind, Threat, ThreatCategory, TrackingStatus, Vulnerability,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A document that could not be read: where (JSON path, line, column) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at {path} (line {line}, column {column}): {message}")]
pub struct ReadError {
    /// The JSON path (`vulnerabilities[3].scores[0].cvss_v3.baseScore`), `.` for the root.
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// What was expected, in serde's words ("missing field `tracking`", "invalid type: string
    /// \"x\", expected f64", "unknown variant `foo`, expected one of …").
    pub message: String,
}

impl ReadError {
    pub(crate) fn at(path: &str, message: impl Into<String>) -> ReadError {
        ReadError {
            path: path.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }
}

/// Deserialises JSON into `T`, naming the path of the first problem. Shared by the JSON formats
/// of this crate (KEV, OSV, CycloneDX, SPDX). A file is read once without tracking the path
/// (a third faster on the CISA corpus); only a file that fails is read again to locate it.
pub(crate) fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ReadError> {
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        ReadError {
            path,
            line: inner.line(),
            column: inner.column(),
            message: strip_position(&inner.to_string()),
        }
    })?;
    de.end().map_err(|e| ReadError {
        path: ".".into(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(value)
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Reads one CSAF 2.0 document.
pub fn parse(bytes: &[u8]) -> Result<Advisory, ReadError> {
    let raw: RawDocument = from_json(bytes)?;
    Ok(convert(raw))
}

// --- The CSAF shape, as far as kojo reads it -------------------------------------------------

#[derive(Deserialize)]
struct RawDocument {
    document: RawMeta,
    #[serde(default)]
    product_tree: RawTree,
    #[serde(default)]
    vulnerabilities: Vec<RawVulnerability>,
}

#[derive(Deserialize)]
struct RawMeta {
    category: String,
    title: String,
    lang: Option<String>,
    publisher: RawPublisher,
    tracking: RawTracking,
    distribution: Option<RawDistribution>,
    #[serde(default)]
    references: Vec<RawReference>,
}

#[derive(Deserialize)]
struct RawPublisher {
    name: String,
    namespace: String,
}

#[derive(Deserialize)]
struct RawTracking {
    id: String,
    version: String,
    status: TrackingStatus,
    initial_release_date: String,
    current_release_date: String,
    #[serde(default)]
    revision_history: Vec<RawRevision>,
}

#[derive(Deserialize)]
struct RawRevision {
    number: String,
    date: String,
    summary: String,
}

#[derive(Deserialize)]
struct RawDistribution {
    tlp: Option<RawTlp>,
}

#[derive(Deserialize)]
struct RawTlp {
    label: String,
}

#[derive(Deserialize)]
struct RawReference {
    #[serde(default = "external")]
    category: String,
    summary: String,
    url: String,
}

fn external() -> String {
    "external".into()
}

#[derive(Deserialize, Default)]
struct RawTree {
    #[serde(default)]
    branches: Vec<RawBranch>,
    #[serde(default)]
    full_product_names: Vec<RawProduct>,
    #[serde(default)]
    relationships: Vec<RawRelationship>,
    #[serde(default)]
    product_groups: Vec<RawGroup>,
}

#[derive(Deserialize)]
struct RawBranch {
    category: BranchCategory,
    name: String,
    #[serde(default)]
    branches: Vec<RawBranch>,
    product: Option<RawProduct>,
}

#[derive(Deserialize)]
struct RawProduct {
    name: String,
    product_id: String,
    product_identification_helper: Option<RawHelper>,
}

#[derive(Deserialize, Default)]
struct RawHelper {
    cpe: Option<String>,
    purl: Option<String>,
    #[serde(default)]
    model_numbers: Vec<String>,
    #[serde(default)]
    skus: Vec<String>,
    #[serde(default)]
    serial_numbers: Vec<String>,
    #[serde(default)]
    hashes: Vec<RawHashes>,
    #[serde(default)]
    sbom_urls: Vec<String>,
}

#[derive(Deserialize)]
struct RawHashes {
    filename: String,
    file_hashes: Vec<RawHash>,
}

#[derive(Deserialize)]
struct RawHash {
    algorithm: String,
    value: String,
}

#[derive(Deserialize)]
struct RawRelationship {
    category: RelationshipCategory,
    full_product_name: RawProduct,
    product_reference: String,
    relates_to_product_reference: String,
}

#[derive(Deserialize)]
struct RawGroup {
    group_id: String,
    product_ids: Vec<String>,
}

#[derive(Deserialize)]
struct RawVulnerability {
    cve: Option<String>,
    #[serde(default)]
    ids: Vec<RawId>,
    title: Option<String>,
    cwe: Option<RawCwe>,
    #[serde(default)]
    notes: Vec<RawNote>,
    #[serde(default)]
    scores: Vec<RawScore>,
    #[serde(default)]
    product_status: RawStatus,
    #[serde(default)]
    remediations: Vec<RawRemediation>,
    #[serde(default)]
    flags: Vec<RawFlag>,
    #[serde(default)]
    threats: Vec<RawThreat>,
}

#[derive(Deserialize)]
struct RawId {
    system_name: String,
    text: String,
}

#[derive(Deserialize)]
struct RawCwe {
    id: String,
    name: String,
}

#[derive(Deserialize)]
struct RawNote {
    category: String,
    text: String,
}

#[derive(Deserialize)]
struct RawScore {
    #[serde(default)]
    products: Vec<String>,
    cvss_v3: Option<RawCvss>,
    cvss_v2: Option<RawCvss>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCvss {
    version: String,
    vector_string: String,
    base_score: f64,
    base_severity: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawStatus {
    #[serde(default)]
    first_affected: Vec<String>,
    #[serde(default)]
    first_fixed: Vec<String>,
    #[serde(default)]
    fixed: Vec<String>,
    #[serde(default)]
    known_affected: Vec<String>,
    #[serde(default)]
    known_not_affected: Vec<String>,
    #[serde(default)]
    last_affected: Vec<String>,
    #[serde(default)]
    recommended: Vec<String>,
    #[serde(default)]
    under_investigation: Vec<String>,
}

#[derive(Deserialize)]
struct RawRemediation {
    category: RemediationCategory,
    details: String,
    #[serde(default)]
    product_ids: Vec<String>,
    #[serde(default)]
    group_ids: Vec<String>,
    url: Option<String>,
    date: Option<String>,
}

#[derive(Deserialize)]
struct RawFlag {
    label: Justification,
    #[serde(default)]
    product_ids: Vec<String>,
    #[serde(default)]
    group_ids: Vec<String>,
    date: Option<String>,
}

#[derive(Deserialize)]
struct RawThreat {
    category: ThreatCategory,
    details: String,
    #[serde(default)]
    product_ids: Vec<String>,
    #[serde(default)]
    group_ids: Vec<String>,
}

// --- Conversion ---------------------------------------------------------------------------

fn convert(raw: RawDocument) -> Advisory {
    let meta = raw.document;
    let groups: HashMap<String, Vec<String>> = raw
        .product_tree
        .product_groups
        .into_iter()
        .map(|g| (g.group_id, g.product_ids))
        .collect();
    let mut products = Vec::new();
    let mut path = Vec::new();
    flatten(raw.product_tree.branches, &mut path, &mut products);
    products.extend(
        raw.product_tree
            .full_product_names
            .into_iter()
            .map(|p| product(p, vec![])),
    );
    let relationships = raw
        .product_tree
        .relationships
        .into_iter()
        .map(|r| Relationship {
            category: r.category,
            product_id: r.full_product_name.product_id,
            name: r.full_product_name.name,
            component: r.product_reference,
            target: r.relates_to_product_reference,
        })
        .collect();
    Advisory {
        id: AdvisoryId {
            namespace: meta.publisher.namespace,
            tracking_id: meta.tracking.id,
        },
        title: meta.title,
        category: meta.category,
        publisher: meta.publisher.name,
        lang: meta.lang,
        tlp: meta.distribution.and_then(|d| d.tlp).map(|t| t.label),
        revision: meta.tracking.version,
        status: meta.tracking.status,
        initial_release: meta.tracking.initial_release_date,
        current_release: meta.tracking.current_release_date,
        history: meta
            .tracking
            .revision_history
            .into_iter()
            .map(|r| Revision {
                number: r.number,
                date: r.date,
                summary: r.summary,
            })
            .collect(),
        products,
        relationships,
        vulnerabilities: raw
            .vulnerabilities
            .into_iter()
            .map(|v| vulnerability(v, &groups))
            .collect(),
        references: meta
            .references
            .into_iter()
            .map(|r| Reference {
                category: r.category,
                summary: r.summary,
                url: r.url,
            })
            .collect(),
    }
}

fn flatten(branches: Vec<RawBranch>, path: &mut Vec<Branch>, out: &mut Vec<Product>) {
    for b in branches {
        path.push(Branch {
            category: b.category,
            name: b.name,
        });
        if let Some(p) = b.product {
            out.push(product(p, path.clone()));
        }
        flatten(b.branches, path, out);
        path.pop();
    }
}

fn product(raw: RawProduct, path: Vec<Branch>) -> Product {
    let h = raw.product_identification_helper.unwrap_or_default();
    Product {
        id: raw.product_id,
        name: raw.name,
        path,
        helper: Helper {
            cpe: h.cpe,
            purl: h.purl,
            model_numbers: h.model_numbers,
            skus: h.skus,
            serial_numbers: h.serial_numbers,
            hashes: h
                .hashes
                .into_iter()
                .flat_map(|f| {
                    let name = f.filename;
                    f.file_hashes
                        .into_iter()
                        .map(move |x| format!("{name} {}:{}", x.algorithm, x.value))
                })
                .collect(),
            sbom_urls: h.sbom_urls,
        },
    }
}

/// Product ids plus the members of the named groups, each once, in order.
fn expand(
    ids: Vec<String>,
    group_ids: Vec<String>,
    groups: &HashMap<String, Vec<String>>,
) -> Vec<String> {
    let mut out = ids;
    for g in group_ids {
        for p in groups.get(&g).into_iter().flatten() {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
    }
    out
}

fn vulnerability(v: RawVulnerability, groups: &HashMap<String, Vec<String>>) -> Vulnerability {
    let description = v
        .notes
        .iter()
        .find(|n| n.category == "description")
        .or_else(|| v.notes.iter().find(|n| n.category == "summary"))
        .map(|n| n.text.clone());
    Vulnerability {
        cve: v.cve.map(|c| c.trim().to_uppercase()),
        ids: v.ids.into_iter().map(|i| (i.system_name, i.text)).collect(),
        title: v.title,
        cwe: v.cwe.map(|c| (c.id, c.name)),
        description,
        scores: v
            .scores
            .into_iter()
            .map(|s| Score {
                products: s.products,
                cvss_v3: s.cvss_v3.map(cvss),
                cvss_v2: s.cvss_v2.map(cvss),
            })
            .collect(),
        status: statuses(v.product_status),
        remediations: v
            .remediations
            .into_iter()
            .map(|r| Remediation {
                category: r.category,
                details: r.details,
                products: expand(r.product_ids, r.group_ids, groups),
                url: r.url,
                date: r.date,
            })
            .collect(),
        flags: v
            .flags
            .into_iter()
            .map(|f| Flag {
                label: f.label,
                products: expand(f.product_ids, f.group_ids, groups),
                date: f.date,
            })
            .collect(),
        threats: v
            .threats
            .into_iter()
            .map(|t| Threat {
                category: t.category,
                details: t.details,
                products: expand(t.product_ids, t.group_ids, groups),
            })
            .collect(),
    }
}

fn cvss(c: RawCvss) -> Cvss {
    Cvss {
        version: c.version,
        vector: c.vector_string,
        base_score: c.base_score,
        base_severity: c.base_severity,
    }
}

fn statuses(s: RawStatus) -> Vec<ProductStatus> {
    [
        (StatusKind::FirstAffected, s.first_affected),
        (StatusKind::FirstFixed, s.first_fixed),
        (StatusKind::Fixed, s.fixed),
        (StatusKind::KnownAffected, s.known_affected),
        (StatusKind::KnownNotAffected, s.known_not_affected),
        (StatusKind::LastAffected, s.last_affected),
        (StatusKind::Recommended, s.recommended),
        (StatusKind::UnderInvestigation, s.under_investigation),
    ]
    .into_iter()
    .filter(|(_, p)| !p.is_empty())
    .map(|(kind, products)| ProductStatus { kind, products })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
      "document": {
        "category": "csaf_security_advisory", "csaf_version": "2.0", "title": "Example",
        "publisher": {"category": "vendor", "name": "Example", "namespace": "https://example.com"},
        "tracking": {"id": "EX-1", "version": "2", "status": "final",
          "initial_release_date": "2024-01-01T00:00:00Z", "current_release_date": "2024-02-01T00:00:00Z",
          "revision_history": [{"number": "1", "date": "2024-01-01T00:00:00Z", "summary": "Initial"}]},
        "distribution": {"tlp": {"label": "WHITE"}}
      },
      "product_tree": {
        "branches": [{"category": "vendor", "name": "Example", "branches": [
          {"category": "product_name", "name": "PLC X (6ES7 000-0AA00-0AA0)", "branches": [
            {"category": "product_version_range", "name": "<V2.0",
             "product": {"name": "PLC X <V2.0", "product_id": "P1",
               "product_identification_helper": {"model_numbers": ["6ES7000-0AA00-0AA0"]}}},
            {"category": "product_version", "name": "2.0",
             "product": {"name": "PLC X 2.0", "product_id": "P2"}}]}]}],
        "product_groups": [{"group_id": "G", "product_ids": ["P1", "P2"]}],
        "relationships": [{"category": "installed_on", "product_reference": "P2",
          "relates_to_product_reference": "P1",
          "full_product_name": {"name": "a on b", "product_id": "R1"}}]
      },
      "vulnerabilities": [{"cve": "cve-2024-0001",
        "notes": [{"category": "description", "text": "Bad."}],
        "scores": [{"products": ["P1"], "cvss_v3": {"version": "3.1",
          "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8,
          "baseSeverity": "CRITICAL"}}],
        "product_status": {"known_affected": ["P1"], "fixed": ["P2"]},
        "remediations": [{"category": "vendor_fix", "details": "Update.", "group_ids": ["G"]}],
        "flags": [{"label": "component_not_present", "product_ids": ["P2"]}]}]
    }"#;

    #[test]
    fn a_document_becomes_an_advisory_with_leaves_and_resolved_groups() {
        let a = parse(MINIMAL.as_bytes()).unwrap();
        assert_eq!(a.id.tracking_id, "EX-1");
        assert_eq!(a.tlp.as_deref(), Some("WHITE"));
        assert_eq!(a.products.len(), 2);
        let p1 = a.product("P1").unwrap();
        assert_eq!(p1.vendor(), Some("Example"));
        assert_eq!(p1.product_name(), Some("PLC X (6ES7 000-0AA00-0AA0)"));
        assert_eq!(p1.version(), Some(("<V2.0", true)));
        assert_eq!(p1.helper.model_numbers, ["6ES7000-0AA00-0AA0"]);
        assert_eq!(a.product("P2").unwrap().version(), Some(("2.0", false)));
        let v = &a.vulnerabilities[0];
        assert_eq!(v.cve.as_deref(), Some("CVE-2024-0001"));
        assert_eq!(v.cvss3_for("P1").map(|c| c.base_score), Some(9.8));
        assert_eq!(v.remediations[0].products, ["P1", "P2"]);
        assert_eq!(v.statuses_of("P2").collect::<Vec<_>>(), [StatusKind::Fixed]);
        assert_eq!(v.flags[0].label, Justification::ComponentNotPresent);
        assert_eq!(a.relationships[0].target, "P1");
        assert_eq!(v.description.as_deref(), Some("Bad."));
    }

    #[test]
    fn errors_name_the_json_path_and_what_was_expected() {
        let bad = MINIMAL.replace("\"baseScore\": 9.8", "\"baseScore\": \"high\"");
        let e = parse(bad.as_bytes()).unwrap_err();
        assert_eq!(e.path, "vulnerabilities[0].scores[0].cvss_v3.baseScore");
        assert!(e.message.contains("expected f64"), "{e}");
        assert!(e.line > 0);
        let bad = MINIMAL.replace("\"status\": \"final\"", "\"status\": \"done\"");
        let e = parse(bad.as_bytes()).unwrap_err();
        assert_eq!(e.path, "document.tracking.status");
        assert!(e.message.contains("unknown variant `done`"), "{e}");
        let bad = MINIMAL.replace("\"id\": \"EX-1\",", "");
        let e = parse(bad.as_bytes()).unwrap_err();
        assert_eq!(e.path, "document.tracking");
        assert!(e.message.contains("missing field `id`"), "{e}");
        let e = parse(b"{} x").unwrap_err();
        assert!(e.message.contains("missing field `document`"), "{e}");
        assert!(parse(format!("{MINIMAL} x").as_bytes()).is_err());
    }
}
