//! VEX statements: a supplier's or the site's own word that a product is or is not affected by a
//! vulnerability, and why. Read from CSAF VEX documents and CycloneDX VEX
//! (`kojo_formats::vex`); applied to findings by [`super::matching::apply_vex`] and
//! [`super::components`].

use serde::{Deserialize, Serialize};

use super::advisory::Justification;
use crate::codes;

codes!(
    /// What a statement says about the product.
    VexStatus {
        NotAffected = "not_affected",
        Affected = "affected",
        Fixed = "fixed",
        UnderInvestigation = "under_investigation",
    }
);

/// Which product a statement is about: any of these that are given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VexProduct {
    pub purl: Option<String>,
    pub cpe: Option<String>,
    /// A CycloneDX `bom-ref` (or the part after `#` of a BOM-link).
    pub bom_ref: Option<String>,
    pub vendor: Option<String>,
    pub name: Option<String>,
    /// A version or version range text as the document gives it.
    pub version: Option<String>,
    pub model_numbers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VexStatement {
    /// CVE id (upper case) or the document's own vulnerability id.
    pub vulnerability: String,
    pub product: VexProduct,
    pub status: VexStatus,
    pub justification: Option<Justification>,
    /// The impact statement or detail, as written.
    pub detail: String,
    /// Where it comes from (document id and revision, or file name).
    pub source: String,
}
