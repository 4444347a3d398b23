//! A security advisory as kojo keeps it: what `kojo_formats::csaf` reads from a CSAF 2.0
//! document (CISA's ICS advisories, a vendor's own, a CSAF VEX document), format-neutral.
//!
//! The product tree is kept as **leaves with their full branch path** (vendor → product name →
//! version or range), one [`Product`] per leaf, so nothing is lost by keeping only the first
//! vendor or the first version branch. Product groups are resolved: every list of product ids
//! here already contains the members of the groups the document named.
//!
//! Identity is (publisher namespace, tracking id) ([`AdvisoryId`]); every revision of an
//! advisory is kept ([`AdvisorySet`]), ordered by `tracking.version`, then by the current
//! release date.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::version::Version;
use crate::codes;

codes!(
    /// `document.tracking.status`.
    TrackingStatus {
        Draft = "draft",
        Interim = "interim",
        Final = "final",
    }
);

codes!(
    /// The category of a branch of the product tree.
    BranchCategory {
        Architecture = "architecture",
        HostName = "host_name",
        Language = "language",
        Legacy = "legacy",
        PatchLevel = "patch_level",
        ProductFamily = "product_family",
        ProductName = "product_name",
        ProductVersion = "product_version",
        ProductVersionRange = "product_version_range",
        ServicePack = "service_pack",
        Specification = "specification",
        Vendor = "vendor",
    }
);

codes!(
    /// How a product made of two others relates them.
    RelationshipCategory {
        DefaultComponentOf = "default_component_of",
        ExternalComponentOf = "external_component_of",
        InstalledOn = "installed_on",
        InstalledWith = "installed_with",
        OptionalComponentOf = "optional_component_of",
    }
);

codes!(
    /// A product's status for a vulnerability (`product_status`).
    StatusKind {
        FirstAffected = "first_affected",
        FirstFixed = "first_fixed",
        Fixed = "fixed",
        KnownAffected = "known_affected",
        KnownNotAffected = "known_not_affected",
        LastAffected = "last_affected",
        Recommended = "recommended",
        UnderInvestigation = "under_investigation",
    }
);

impl StatusKind {
    /// The product (at that version) has the vulnerability.
    pub fn affected(self) -> bool {
        matches!(
            self,
            StatusKind::FirstAffected | StatusKind::KnownAffected | StatusKind::LastAffected
        )
    }

    /// The product (at that version) does not have it.
    pub fn not_affected(self) -> bool {
        matches!(
            self,
            StatusKind::FirstFixed | StatusKind::Fixed | StatusKind::KnownNotAffected
        )
    }
}

codes!(
    /// What kind of remedy a remediation is.
    RemediationCategory {
        Mitigation = "mitigation",
        NoFixPlanned = "no_fix_planned",
        NoneAvailable = "none_available",
        VendorFix = "vendor_fix",
        Workaround = "workaround",
    }
);

codes!(
    /// Why a product is not affected: the CSAF VEX flag labels and CycloneDX's
    /// `analysis.justification` values.
    Justification {
        ComponentNotPresent = "component_not_present",
        InlineMitigationsAlreadyExist = "inline_mitigations_already_exist",
        VulnerableCodeCannotBeControlledByAdversary = "vulnerable_code_cannot_be_controlled_by_adversary",
        VulnerableCodeNotInExecutePath = "vulnerable_code_not_in_execute_path",
        VulnerableCodeNotPresent = "vulnerable_code_not_present",
        CodeNotPresent = "code_not_present",
        CodeNotReachable = "code_not_reachable",
        RequiresConfiguration = "requires_configuration",
        RequiresDependency = "requires_dependency",
        RequiresEnvironment = "requires_environment",
        ProtectedByCompiler = "protected_by_compiler",
        ProtectedAtRuntime = "protected_at_runtime",
        ProtectedAtPerimeter = "protected_at_perimeter",
        ProtectedByMitigatingControl = "protected_by_mitigating_control",
    }
);

codes!(
    /// `vulnerabilities[].threats[].category`.
    ThreatCategory {
        ExploitStatus = "exploit_status",
        Impact = "impact",
        TargetSet = "target_set",
    }
);

/// Who published an advisory and its tracking id: the same advisory across revisions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AdvisoryId {
    /// `document.publisher.namespace` (`https://www.cisa.gov/`).
    pub namespace: String,
    /// `document.tracking.id` (`ICSA-24-298-03`).
    pub tracking_id: String,
}

impl std::fmt::Display for AdvisoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.tracking_id, self.namespace)
    }
}

/// One revision of an advisory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: AdvisoryId,
    pub title: String,
    /// `document.category`: `csaf_security_advisory`, `csaf_vex`, `csaf_base`, …
    pub category: String,
    pub publisher: String,
    pub lang: Option<String>,
    /// The TLP label, if any (`WHITE`, `CLEAR`, …).
    pub tlp: Option<String>,
    /// `document.tracking.version`: `1`, `2`, or a semantic version.
    pub revision: String,
    pub status: TrackingStatus,
    /// RFC 3339 date-times as written.
    pub initial_release: String,
    pub current_release: String,
    pub history: Vec<Revision>,
    /// Every leaf of the product tree, and every product listed in `full_product_names`.
    pub products: Vec<Product>,
    pub relationships: Vec<Relationship>,
    pub vulnerabilities: Vec<Vulnerability>,
    pub references: Vec<Reference>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub number: String,
    pub date: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// `self` or `external`.
    pub category: String,
    pub summary: String,
    pub url: String,
}

/// One branch on the way from the root of the product tree to a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub category: BranchCategory,
    pub name: String,
}

/// A product of the advisory (a leaf of the product tree).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Product {
    /// `product_id`, unique within the document.
    pub id: String,
    /// The full product name (`Siemens SCALANCE X302-7 EEC (230V): <V4.1.4`).
    pub name: String,
    /// The branches from the root to this leaf (empty for `full_product_names`).
    pub path: Vec<Branch>,
    pub helper: Helper,
}

/// `product_identification_helper`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Helper {
    pub cpe: Option<String>,
    pub purl: Option<String>,
    pub model_numbers: Vec<String>,
    pub skus: Vec<String>,
    pub serial_numbers: Vec<String>,
    /// File names and hashes (`algorithm:value`).
    pub hashes: Vec<String>,
    pub sbom_urls: Vec<String>,
}

impl Product {
    fn branch(&self, category: BranchCategory) -> Option<&str> {
        self.path
            .iter()
            .rev()
            .find(|b| b.category == category)
            .map(|b| b.name.as_str())
    }

    /// The vendor branch's name, as written.
    pub fn vendor(&self) -> Option<&str> {
        self.branch(BranchCategory::Vendor)
    }

    /// The product name branch, as written.
    pub fn product_name(&self) -> Option<&str> {
        self.branch(BranchCategory::ProductName)
    }

    /// The product family branch, as written.
    pub fn family(&self) -> Option<&str> {
        self.branch(BranchCategory::ProductFamily)
    }

    /// The version branch: its text and whether it is a `product_version_range`.
    pub fn version(&self) -> Option<(&str, bool)> {
        self.path.iter().rev().find_map(|b| match b.category {
            BranchCategory::ProductVersion => Some((b.name.as_str(), false)),
            BranchCategory::ProductVersionRange => Some((b.name.as_str(), true)),
            _ => None,
        })
    }
}

/// A product made of two others (`product_id` is the combination's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    pub category: RelationshipCategory,
    pub product_id: String,
    pub name: String,
    /// `product_reference`: the component (the firmware).
    pub component: String,
    /// `relates_to_product_reference`: what it is installed on or part of (the device).
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    /// Upper case `CVE-YYYY-NNNN`.
    pub cve: Option<String>,
    /// Other ids: (system name, text).
    pub ids: Vec<(String, String)>,
    pub title: Option<String>,
    /// (CWE id, name).
    pub cwe: Option<(String, String)>,
    /// The `description` or `summary` note.
    pub description: Option<String>,
    pub scores: Vec<Score>,
    pub status: Vec<ProductStatus>,
    pub remediations: Vec<Remediation>,
    /// CSAF VEX flags: why products are not affected.
    pub flags: Vec<Flag>,
    pub threats: Vec<Threat>,
}

impl Vulnerability {
    /// The statuses a product has for this vulnerability.
    pub fn statuses_of<'a>(&'a self, product_id: &'a str) -> impl Iterator<Item = StatusKind> + 'a {
        self.status
            .iter()
            .filter(move |s| s.products.iter().any(|p| p == product_id))
            .map(|s| s.kind)
    }

    /// The highest CVSS v3 base score given for the product (or for all products).
    pub fn cvss3_for(&self, product_id: &str) -> Option<&Cvss> {
        self.scores
            .iter()
            .filter(|s| s.products.is_empty() || s.products.iter().any(|p| p == product_id))
            .filter_map(|s| s.cvss_v3.as_ref())
            .max_by(|a, b| a.base_score.total_cmp(&b.base_score))
    }

    /// The remediations that name the product.
    pub fn remediations_for<'a>(
        &'a self,
        product_id: &'a str,
    ) -> impl Iterator<Item = &'a Remediation> + 'a {
        self.remediations
            .iter()
            .filter(move |r| r.products.is_empty() || r.products.iter().any(|p| p == product_id))
    }
}

/// Products with one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductStatus {
    pub kind: StatusKind,
    pub products: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub products: Vec<String>,
    pub cvss_v3: Option<Cvss>,
    pub cvss_v2: Option<Cvss>,
}

/// The parts of a CVSS block kojo uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// `3.0`, `3.1`, `2.0`.
    pub version: String,
    pub vector: String,
    pub base_score: f64,
    /// `CRITICAL`, `HIGH`, … (absent in CVSS v2).
    pub base_severity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remediation {
    pub category: RemediationCategory,
    pub details: String,
    pub products: Vec<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub label: Justification,
    pub products: Vec<String>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threat {
    pub category: ThreatCategory,
    pub details: String,
    pub products: Vec<String>,
}

impl Advisory {
    /// A product (leaf or full product name) by id.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// A relationship by the id of the product it defines.
    pub fn relationship(&self, id: &str) -> Option<&Relationship> {
        self.relationships.iter().find(|r| r.product_id == id)
    }

    /// Every CVE id the advisory names.
    pub fn cves(&self) -> impl Iterator<Item = &str> {
        self.vulnerabilities.iter().filter_map(|v| v.cve.as_deref())
    }

    /// Orders two revisions of the same advisory: by `tracking.version` (compared as a version,
    /// so `10` > `9`), then by the current release date.
    pub fn revision_cmp(&self, other: &Advisory) -> Ordering {
        revision_order(
            (&self.revision, &self.current_release),
            (&other.revision, &other.current_release),
        )
    }
}

/// [`Advisory::revision_cmp`] on (tracking version, current release date) pairs, for revisions
/// kept without their documents.
pub fn revision_order(a: (&str, &str), b: (&str, &str)) -> Ordering {
    let by_version = match (Version::parse(a.0), Version::parse(b.0)) {
        (Some(x), Some(y)) => x.compare(&y).unwrap_or(Ordering::Equal),
        _ => Ordering::Equal,
    };
    by_version.then_with(|| a.1.cmp(b.1))
}

/// Advisories with every revision kept, newest last per advisory.
#[derive(Debug, Clone, Default)]
pub struct AdvisorySet {
    revisions: BTreeMap<AdvisoryId, Vec<Advisory>>,
}

impl AdvisorySet {
    pub fn new() -> AdvisorySet {
        AdvisorySet::default()
    }

    /// Adds a revision. The same revision (same tracking version and release date) given again
    /// is not kept twice; returns false then.
    pub fn insert(&mut self, advisory: Advisory) -> bool {
        let list = self.revisions.entry(advisory.id.clone()).or_default();
        let same = list.iter().any(|a| {
            a.revision_cmp(&advisory) == Ordering::Equal && a.revision == advisory.revision
        });
        if same {
            return false;
        }
        let at = list.partition_point(|a| a.revision_cmp(&advisory) != Ordering::Greater);
        list.insert(at, advisory);
        true
    }

    /// The newest revision of every advisory, in id order.
    pub fn latest(&self) -> impl Iterator<Item = &Advisory> {
        self.revisions.values().filter_map(|l| l.last())
    }

    /// Every revision of one advisory, oldest first.
    pub fn revisions(&self, id: &AdvisoryId) -> &[Advisory] {
        self.revisions.get(id).map_or(&[], Vec::as_slice)
    }

    /// The number of advisories (not revisions).
    pub fn len(&self) -> usize {
        self.revisions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }

    /// The number of revisions kept.
    pub fn revision_count(&self) -> usize {
        self.revisions.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisory(revision: &str, date: &str) -> Advisory {
        Advisory {
            id: AdvisoryId {
                namespace: "https://example.com".into(),
                tracking_id: "EX-1".into(),
            },
            title: String::new(),
            category: "csaf_security_advisory".into(),
            publisher: "Example".into(),
            lang: None,
            tlp: None,
            revision: revision.into(),
            status: TrackingStatus::Final,
            initial_release: "2024-01-01T00:00:00Z".into(),
            current_release: date.into(),
            history: vec![],
            products: vec![],
            relationships: vec![],
            vulnerabilities: vec![],
            references: vec![],
        }
    }

    #[test]
    fn revisions_are_kept_and_ordered_by_version_then_date() {
        let mut set = AdvisorySet::new();
        assert!(set.insert(advisory("10", "2024-03-01T00:00:00Z")));
        assert!(set.insert(advisory("9", "2024-02-01T00:00:00Z")));
        assert!(set.insert(advisory("1.2.0", "2024-01-01T00:00:00Z")));
        assert!(!set.insert(advisory("10", "2024-03-01T00:00:00Z")));
        assert_eq!(set.len(), 1);
        assert_eq!(set.revision_count(), 3);
        let order: Vec<&str> = set
            .revisions(&advisory("1", "").id)
            .iter()
            .map(|a| a.revision.as_str())
            .collect();
        assert_eq!(order, ["1.2.0", "9", "10"]);
        assert_eq!(set.latest().next().map(|a| a.revision.as_str()), Some("10"));
    }
}
