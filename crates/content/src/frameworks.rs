//! The frameworks checklist items map to (`reference/frameworks.toml`).

use kojo_core::Text;
use serde::{Deserialize, Serialize};

/// The file: one `[[frameworks]]` entry per framework.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrameworksFile {
    pub frameworks: Vec<Framework>,
}

/// A standard or guideline that checklist items are mapped to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Id used by mappings (`cmg`, `iec62443-3-3`, `nist-csf-2.0`).
    pub id: String,
    pub title: Text,
    /// The version or edition the mappings refer to (`Ver3.0`, `2.0`).
    pub edition: String,
    /// Publication date of that edition: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub published: String,
    pub publisher: Text,
    /// A citation of the document.
    pub source: Text,
    /// Where the document is published, if it has a stable address.
    #[serde(default)]
    pub url: Option<String>,
    /// What a mapping's `ref` names in this framework, and so how it is checked.
    #[serde(default)]
    pub ref_form: RefForm,
}

/// The notation of a framework's clauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefForm {
    /// An id of a directive in `reference/cmg.toml` (`cmg-1` … `cmg-10`).
    CmgDirective,
    /// An IEC 62443-3-3 system requirement: `SR 1.1`, optionally `SR 1.1 RE(1)`.
    IecSr,
    /// A NIST CSF 2.0 subcategory: `PR.AA-01`.
    CsfSubcategory,
    /// Any non-empty text.
    #[default]
    Text,
}
