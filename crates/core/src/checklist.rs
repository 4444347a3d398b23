//! The checklist a site is assessed against (today: the factory guideline checklist).

use serde::{Deserialize, Serialize};

use crate::Text;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub schema: u32,
    pub id: String,
    pub version: u32,
    pub title: Text,
    pub source: Text,
    /// Id of the scale the items are answered on.
    pub scale: String,
    /// Default target level on that scale: items below it are gaps.
    pub target_level: u8,
    pub categories: Vec<Category>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub number: u32,
    pub title: Text,
    pub description: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub category: String,
    pub title: Text,
    pub description: Text,
    /// The threat the item counters: why it matters.
    pub why: Text,
    /// Priority weight, 1 (lowest) to 4 (highest).
    pub weight: u8,
    /// Items whose measures come first (an asset register before vulnerability identification).
    #[serde(default)]
    pub requires: Vec<String>,
    pub guideline_ref: Text,
    /// National baseline figures that report on this item.
    #[serde(default)]
    pub baseline: Vec<BaselineLink>,
    #[serde(default)]
    pub mappings: Mappings,
    pub measures: Vec<Measure>,
}

/// A published figure that counts companies whose answer to this item is one of `levels`
/// (e.g. `65.0%` were at 未実施 or 該当しない・わからない).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineLink {
    pub figure: String,
    /// Scale codes the figure counts.
    pub levels: Vec<String>,
    /// The figure comes from another survey question about the same concern (shown beside the
    /// item, but the survey's checklist grid does not compute it).
    #[serde(default)]
    pub related: bool,
}

/// How an item corresponds to clauses of other frameworks (the frameworks are listed in
/// `content/reference/frameworks.toml`), in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mappings(pub Vec<Mapping>);

/// One correspondence: this item relates to clause `reference` of `framework`
/// (`{ framework = "nist-csf-2.0", ref = "GV.RR-01" }`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Id of a framework (`cmg`, `iec62443-3-3`, `nist-csf-2.0`).
    pub framework: String,
    /// The clause in the framework's own notation (`cmg-1`, `SR 2.1`, `GV.RR-01`).
    #[serde(rename = "ref")]
    pub reference: String,
}

impl Mappings {
    pub fn iter(&self) -> impl Iterator<Item = &Mapping> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The clauses of one framework this item maps to, in file order.
    pub fn refs<'a>(&'a self, framework: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |m| m.framework == framework)
            .map(|m| m.reference.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub id: String,
    pub title: Text,
    /// Id of a cost band.
    pub cost: String,
    pub examples: Examples,
}

/// One implementation example per company-size band.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub small: Text,
    pub medium: Text,
    pub large: Text,
}

/// The company-size bands measures give examples for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum SizeBand {
    Small,
    Medium,
    Large,
}

impl SizeBand {
    pub const ALL: [SizeBand; 3] = [SizeBand::Small, SizeBand::Medium, SizeBand::Large];

    pub fn id(self) -> &'static str {
        match self {
            SizeBand::Small => "small",
            SizeBand::Medium => "medium",
            SizeBand::Large => "large",
        }
    }

    pub fn parse(s: &str) -> Option<SizeBand> {
        SizeBand::ALL.into_iter().find(|b| b.id() == s)
    }
}

impl Examples {
    pub fn for_size(&self, size: SizeBand) -> &Text {
        match size {
            SizeBand::Small => &self.small,
            SizeBand::Medium => &self.medium,
            SizeBand::Large => &self.large,
        }
    }
}

impl Checklist {
    /// `factory-guideline/v1`: how stored assessments refer to this version.
    pub fn key(&self) -> String {
        format!("{}/v{}", self.id, self.version)
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The item a measure belongs to (measure ids are unique across the checklist).
    pub fn item_of_measure(&self, measure_id: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.measures.iter().any(|m| m.id == measure_id))
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn items_in<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.category == category)
    }
}
