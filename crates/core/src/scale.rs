//! Answer scales, such as the 2022 survey's six-answer implementation scale.

use serde::{Deserialize, Serialize};

use crate::{Provenance, Text};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub id: String,
    pub title: Text,
    pub source: Text,
    pub levels: Vec<Level>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The code written in files and forms ("5" … "1", "na").
    pub code: String,
    /// Ordinal used by scores; `None` for the not-applicable answer.
    #[serde(default)]
    pub value: Option<u8>,
    pub label: Text,
    pub short: Text,
    #[serde(default)]
    pub description: Option<Text>,
    /// Counted as "実施済み" by the 2022 report.
    #[serde(default)]
    pub implemented: bool,
    /// 該当しない・わからない: excluded from scores.
    #[serde(default)]
    pub not_applicable: bool,
    /// `Source` when the survey report quotes this answer, else `Reconstructed`.
    /// Required in content files.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

impl Scale {
    pub fn level(&self, code: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.code == code)
    }

    /// The highest ordinal value on the scale.
    pub fn max_value(&self) -> u8 {
        self.levels
            .iter()
            .filter_map(|l| l.value)
            .max()
            .unwrap_or(0)
    }

    /// The lowest ordinal value on the scale.
    pub fn min_value(&self) -> u8 {
        self.levels
            .iter()
            .filter_map(|l| l.value)
            .min()
            .unwrap_or(0)
    }

    pub fn codes(&self) -> Vec<&str> {
        self.levels.iter().map(|l| l.code.as_str()).collect()
    }
}
