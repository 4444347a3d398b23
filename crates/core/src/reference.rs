//! Reference tables: industries, prefectures, company sizes, bands, and the
//! サイバーセキュリティ経営ガイドライン directives.

use serde::{Deserialize, Serialize};

use crate::checklist::{CostRange, Example};
use crate::{Provenance, Text};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Industries {
    pub source: Text,
    pub revision: Text,
    #[serde(default)]
    pub note: Option<Text>,
    pub industries: Vec<Industry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Industry {
    pub code: String,
    pub title: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prefectures {
    pub source: Text,
    pub prefectures: Vec<Prefecture>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prefecture {
    pub code: String,
    pub title: Text,
    pub region: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanySizes {
    pub source: Text,
    #[serde(default)]
    pub note: Option<Text>,
    pub sme_definitions: Vec<SmeDefinition>,
    pub example_bands: Vec<ExampleBand>,
}

/// One row of the 中小企業基本法 definition: a company is an SME if it is under *either* limit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmeDefinition {
    pub id: String,
    pub label: Text,
    pub capital_max_yen: u64,
    pub employees_max: u32,
    pub small_business_employees_max: u32,
    #[serde(default)]
    pub note: Option<Text>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleBand {
    pub id: String,
    pub label: Text,
    pub description: Text,
    pub min: u32,
    #[serde(default)]
    pub max: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    pub source: Text,
    pub cost_bands: Vec<CostBand>,
    /// Added to an example's cost label when the example needs the equipment vendor's paid work
    /// (`needs_vendor`). Required in content files.
    #[serde(default)]
    pub vendor_work: Option<Text>,
    pub band_sets: Vec<BandSet>,
}

impl Bands {
    /// A cost band by id.
    pub fn cost_band(&self, id: &str) -> Option<&CostBand> {
        self.cost_bands.iter().find(|b| b.id == id)
    }

    /// A cost band's position, cheapest first.
    pub fn cost_rank(&self, id: &str) -> Option<usize> {
        self.cost_bands.iter().position(|b| b.id == id)
    }

    /// The label of a cost band (its id in both languages if unknown).
    pub fn cost_label(&self, id: &str) -> Text {
        self.cost_band(id)
            .map(|b| b.label.clone())
            .unwrap_or_else(|| Text::new(id, id))
    }

    /// What an example costs, as shown beside it: its band, and the vendor's work when it needs
    /// some ("0円（社内の工数のみ）＋設備ベンダーの作業費（別途見積もり）").
    pub fn example_cost_label(&self, example: &Example) -> Text {
        let band = self.cost_label(&example.cost);
        match (&self.vendor_work, example.needs_vendor) {
            (Some(v), true) => Text::new(
                format!("{}＋{}", band.ja, v.ja),
                format!("{} + {}", band.en, v.en),
            ),
            _ => band,
        }
    }

    /// A measure's range of bands as one label ("0円（社内の工数のみ） – 〜100万円").
    pub fn range_label(&self, range: &CostRange) -> Text {
        if range.min == range.max {
            return self.cost_label(&range.min);
        }
        let (min, max) = (self.cost_label(&range.min), self.cost_label(&range.max));
        Text::new(
            format!("{} – {}", min.ja, max.ja),
            format!("{} – {}", min.en, max.en),
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostBand {
    pub id: String,
    pub label: Text,
    #[serde(default)]
    pub max_yen: Option<u64>,
}

/// Ordered, contiguous ranges (min inclusive, max exclusive) with an optional "unknown" answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandSet {
    pub id: String,
    pub unit: String,
    pub title: Text,
    pub bands: Vec<Band>,
    #[serde(default)]
    pub unknown: Option<UnknownBand>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub id: String,
    pub label: Text,
    pub min: f64,
    #[serde(default)]
    pub max: Option<f64>,
    /// `Source` when the survey report quotes this answer, else `Reconstructed`.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnknownBand {
    pub id: String,
    pub label: Text,
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

impl BandSet {
    /// The band a number falls into.
    pub fn band_of(&self, value: f64) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| value >= b.min && b.max.is_none_or(|max| value < max))
    }

    /// Every answer code of the set: the bands, then the unknown answer.
    pub fn codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self.bands.iter().map(|b| b.id.as_str()).collect();
        if let Some(u) = &self.unknown {
            codes.push(&u.id);
        }
        codes
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cmg {
    pub source: Text,
    pub directives: Vec<Directive>,
    pub basic_measures: Vec<BasicMeasure>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directive {
    pub id: String,
    pub number: u32,
    pub title_v3: Text,
    pub title_v2: Text,
    pub group: Text,
    pub summary: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicMeasure {
    pub id: String,
    pub mark: String,
    pub title: Text,
    /// The directive (or directives) the item was derived from.
    pub directive: OneOrMany,
    /// `Source` when the survey report names the item, `Reconstructed` when kojo inferred it
    /// (`source_note` says how). Required in content files.
    #[serde(default)]
    pub provenance: Option<Provenance>,
    pub source_note: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}
