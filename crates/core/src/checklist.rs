//! The checklist a site is assessed against (today: the factory guideline checklist).

use serde::{Deserialize, Serialize};

use crate::{Provenance, Text};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub schema: u32,
    pub id: String,
    pub version: u32,
    pub title: Text,
    pub source: Text,
    /// Where the items' priority weights come from (docs/scoring.md, "Weights").
    #[serde(default)]
    pub weight_source: Option<Text>,
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
    /// Where the title comes from: `Source` when the FY2022 survey report names the item,
    /// `Reconstructed` when the name is kojo's own. Required in content files.
    #[serde(default)]
    pub provenance: Option<Provenance>,
    #[serde(default)]
    pub provenance_note: Option<Text>,
    pub description: Text,
    /// The threat the item counters: why it matters.
    pub why: Text,
    /// What a company of up to 20 staff, with nobody assigned to security, does first.
    /// Required in content files.
    #[serde(default)]
    pub first_step: Text,
    /// Priority weight, 1 (lowest) to 4 (highest).
    pub weight: u8,
    /// Set when the weight differs from the checklist's `weight_source`: the weight there and why
    /// kojo changed it.
    #[serde(default)]
    pub weight_change: Option<WeightChange>,
    /// Items whose measures come first (an asset register before vulnerability identification).
    #[serde(default)]
    pub requires: Vec<String>,
    pub guideline_ref: Text,
    /// `Source` when `guideline_ref` was checked against the guideline's own text,
    /// `Reconstructed` when it is kojo's mapping from secondary material (its text then says so).
    /// Required in content files.
    #[serde(default)]
    pub guideline_ref_provenance: Option<Provenance>,
    /// National baseline figures that report on this item.
    #[serde(default)]
    pub baseline: Vec<BaselineLink>,
    #[serde(default)]
    pub mappings: Mappings,
    pub measures: Vec<Measure>,
}

/// A weight that differs from the weight source, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightChange {
    /// The weight the source gives.
    pub from: u8,
    pub reason: Text,
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
    /// `Source` when the source names this measure, else `Reconstructed` (kojo's own).
    /// Required in content files.
    #[serde(default)]
    pub provenance: Option<Provenance>,
    #[serde(default)]
    pub provenance_note: Option<Text>,
    /// The range of its examples' cost bands. Never written in a file: the content crate
    /// derives it when the content is loaded (`kojo_content::costs`).
    #[serde(skip_deserializing, default)]
    pub cost_range: CostRange,
    pub examples: Examples,
}

/// The lowest and highest cost band among a measure's examples (ids of cost bands; equal when
/// every example is in the same band).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CostRange {
    pub min: String,
    pub max: String,
}

/// One implementation example per company-size band.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub small: Example,
    pub medium: Example,
    pub large: Example,
}

/// An implementation example: what a company of one size band does, and what it costs.
/// In a file: `small.ja`, `small.en`, `small.cost`, optionally `small.needs_vendor` and
/// `small.subsidies`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ExampleFile", into = "ExampleFile")]
pub struct Example {
    pub text: Text,
    /// Id of a cost band: the company's own outlay in the first year (purchases and fees;
    /// staff time is not counted).
    pub cost: String,
    /// The band covers the company's own outlay only: the equipment vendor's work this example
    /// needs is charged separately and has to be quoted.
    pub needs_vendor: bool,
    /// Ids of subsidies (`reference/subsidies.toml`) that can pay for part of it.
    pub subsidies: Vec<String>,
}

/// How an example is written in a content file (one flat table).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    ja: String,
    en: String,
    #[serde(default)]
    cost: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    needs_vendor: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    subsidies: Vec<String>,
}

impl From<ExampleFile> for Example {
    fn from(f: ExampleFile) -> Example {
        Example {
            text: Text::new(f.ja, f.en),
            cost: f.cost,
            needs_vendor: f.needs_vendor,
            subsidies: f.subsidies,
        }
    }
}

impl From<Example> for ExampleFile {
    fn from(e: Example) -> ExampleFile {
        ExampleFile {
            ja: e.text.ja,
            en: e.text.en,
            cost: e.cost,
            needs_vendor: e.needs_vendor,
            subsidies: e.subsidies,
        }
    }
}

/// An example reads as its text (`example.ja`), as it did before it had a cost of its own.
impl std::ops::Deref for Example {
    type Target = Text;

    fn deref(&self) -> &Text {
        &self.text
    }
}

impl Example {
    /// An example with a text and a cost band, no vendor work and no subsidy.
    pub fn new(text: Text, cost: impl Into<String>) -> Example {
        Example {
            text,
            cost: cost.into(),
            needs_vendor: false,
            subsidies: vec![],
        }
    }
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
    /// The example's text for a size band.
    pub fn for_size(&self, size: SizeBand) -> &Text {
        &self.example(size).text
    }

    /// The example (text, cost band, vendor work, subsidies) for a size band.
    pub fn example(&self, size: SizeBand) -> &Example {
        match size {
            SizeBand::Small => &self.small,
            SizeBand::Medium => &self.medium,
            SizeBand::Large => &self.large,
        }
    }

    /// The three examples, smallest size first.
    pub fn iter(&self) -> impl Iterator<Item = (SizeBand, &Example)> {
        SizeBand::ALL.into_iter().map(|s| (s, self.example(s)))
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
