//! A published set of figures results are compared with (the FY2022 national survey).

use serde::{Deserialize, Serialize};

use crate::Text;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub id: String,
    pub title: Text,
    pub source: Text,
    pub year: u32,
    /// Figures worth showing first (home page, summaries), by id.
    #[serde(default)]
    pub highlights: Vec<String>,
    pub surveys: Vec<BaselineSurvey>,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineSurvey {
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub requests: Option<u32>,
    #[serde(default)]
    pub valid_responses: Option<u32>,
    #[serde(default)]
    pub approx_sent: Option<u32>,
    #[serde(default)]
    pub interviews: Option<u32>,
    pub items: u32,
    pub sections: Vec<SurveySection>,
    #[serde(default)]
    pub method: Option<Text>,
    pub period: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveySection {
    pub code: String,
    pub title: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Percent,
    Count,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    pub survey: String,
    pub section: String,
    pub source_page: Text,
    pub topic: Text,
    #[serde(default)]
    pub answer: Option<Text>,
    pub value: f64,
    pub unit: Unit,
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub n: Option<u32>,
    #[serde(default)]
    pub approx: bool,
    #[serde(default)]
    pub rank: Option<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

impl Figure {
    /// The value as published: `76.0%`, `20` (a count of respondents), `約30%` when approximate.
    pub fn display_value(&self, locale: crate::Locale) -> String {
        let value = match self.unit {
            Unit::Percent => crate::format::percent(self.value),
            Unit::Count => crate::format::int(crate::num::trunc_i64(self.value.round())),
        };
        match (self.approx, locale) {
            (true, crate::Locale::Ja) => format!("約{value}"),
            (true, crate::Locale::En) => format!("about {value}"),
            (false, _) => value,
        }
    }

    /// `topic: answer`, the figure's label in one line.
    pub fn label(&self, locale: crate::Locale) -> String {
        match &self.answer {
            Some(a) => format!("{}: {}", self.topic.get(locale), a.get(locale)),
            None => self.topic.get(locale).to_string(),
        }
    }
}

impl Baseline {
    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.id == id)
    }
}
