//! Where a piece of content comes from: taken from its source, or reconstructed by kojo.

use serde::{Deserialize, Serialize};

/// Whether a content entry (a checklist item's title, a guideline reference, a measure, a survey
/// question, option or row, a scale level, an answer band, a basic-measure item) is taken from
/// the source its file names or is kojo's own reconstruction. `kojo content check` refuses an
/// entry without one (docs/content-format.md, "Provenance").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// Taken from the source: for the 2022 instruments, scale, bands and basic measures, named
    /// in the FY2022 survey report (the seed); for a guideline reference, checked against the
    /// guideline's own text.
    Source,
    /// kojo's own: not in the source, or not checked against it.
    Reconstructed,
}

impl Provenance {
    pub fn code(self) -> &'static str {
        match self {
            Provenance::Source => "source",
            Provenance::Reconstructed => "reconstructed",
        }
    }
}
