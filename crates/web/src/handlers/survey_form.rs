//! The questionnaire as an HTML form (for link respondents and signed-in companies): building
//! it from an instrument and saved cells, and reading a submitted form back into cells — checked
//! cell by cell against the instrument, with answers to questions that routing skips dropped.

use std::collections::{BTreeMap, HashMap};

use kojo_core::Locale;
use kojo_core::instrument::{Instrument, QuestionType};
use kojo_core::survey::schema::{Schema, Value};

pub struct Choice {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

pub struct GridRow {
    pub name: String,
    pub label: String,
    pub cells: Vec<Choice>,
}

pub struct FormQuestion {
    pub id: String,
    pub kind: &'static str,
    pub text: String,
    pub note: String,
    pub routing: String,
    pub choices: Vec<Choice>,
    pub columns: Vec<String>,
    pub rows: Vec<GridRow>,
    pub value: String,
    pub unit: String,
    pub error: Option<String>,
}

pub struct FormSection {
    pub code: String,
    pub title: String,
    pub questions: Vec<FormQuestion>,
}

/// Column name → cell, as stored.
pub type Cells = kojo_core::survey::answers::Answers;

pub fn build(
    inst: &Instrument,
    l: Locale,
    cells: &Cells,
    errors: &HashMap<String, String>,
    routing_label: &str,
) -> Vec<FormSection> {
    inst.sections
        .iter()
        .map(|s| FormSection {
            code: s.code.clone(),
            title: s.title.get(l).to_string(),
            questions: inst
                .questions
                .iter()
                .filter(|q| q.section == s.code)
                .map(|q| {
                    let selected: Vec<&str> = cells
                        .get(&q.id)
                        .map(|c| c.split('|').collect())
                        .unwrap_or_default();
                    let kind = match q.kind {
                        QuestionType::Single => "single",
                        QuestionType::Band => "band",
                        QuestionType::Multiple => "multiple",
                        QuestionType::Number => "number",
                        QuestionType::Text => "text",
                        QuestionType::Grid => "grid",
                    };
                    let routing = q
                        .show_if
                        .as_ref()
                        .map(|c| routing_label.replace("{question}", &c.question))
                        .unwrap_or_default();
                    FormQuestion {
                        id: q.id.clone(),
                        kind,
                        text: q.text.get(l).to_string(),
                        note: q
                            .note
                            .as_ref()
                            .map(|n| n.get(l).to_string())
                            .unwrap_or_default(),
                        routing,
                        choices: q
                            .options
                            .iter()
                            .map(|o| Choice {
                                code: o.code.clone(),
                                label: o.label.get(l).to_string(),
                                checked: selected.contains(&o.code.as_str()),
                            })
                            .collect(),
                        columns: q
                            .columns
                            .iter()
                            .map(|c| c.label.get(l).to_string())
                            .collect(),
                        rows: q
                            .rows
                            .iter()
                            .map(|r| {
                                let name = format!("{}.{}", q.id, r.id);
                                let value = cells.get(&name).unwrap_or_default().to_string();
                                GridRow {
                                    label: r.label.get(l).to_string(),
                                    cells: q
                                        .columns
                                        .iter()
                                        .map(|c| Choice {
                                            code: c.code.clone(),
                                            label: c.label.get(l).to_string(),
                                            checked: value == c.code,
                                        })
                                        .collect(),
                                    name,
                                }
                            })
                            .collect(),
                        value: cells.get(&q.id).unwrap_or_default().to_string(),
                        unit: q
                            .unit
                            .as_ref()
                            .map(|u| u.get(l).to_string())
                            .unwrap_or_default(),
                        error: errors.get(&q.id).cloned().or_else(|| {
                            q.rows.iter().find_map(|r| {
                                errors
                                    .get(&format!("{}.{}", q.id, r.id))
                                    .map(|e| format!("{}: {e}", r.label.get(l)))
                            })
                        }),
                    }
                })
                .collect(),
        })
        .collect()
}

/// What a submitted form held.
pub struct Parsed {
    pub cells: Cells,
    /// Column → what was expected, for cells that were not valid (those are not kept).
    pub errors: HashMap<String, String>,
    /// Columns answered although routing skips them (dropped).
    pub dropped: Vec<String>,
    /// `save` or `submit`.
    pub action: String,
}

/// Reads a posted answer form; problems are worded in the reader's language.
pub fn parse(schema: &Schema, body: &[u8], locale: kojo_core::Locale) -> Parsed {
    let mut raw: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut action = "save".to_string();
    for (k, v) in form_urlencoded::parse(body) {
        if k == "action" {
            action = v.into_owned();
        } else {
            raw.entry(k.into_owned()).or_default().push(v.into_owned());
        }
    }
    let mut cells = Cells::new();
    let mut errors = HashMap::new();
    let mut values = vec![Value::Missing; schema.columns.len()];
    for (name, parts) in raw {
        let Some(c) = schema
            .column(&name)
            .filter(|&c| schema.columns[c].question.is_some())
        else {
            continue;
        };
        let cell = parts
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("|");
        if cell.is_empty() {
            continue;
        }
        match schema.read(c, &cell) {
            Ok(v) => {
                values[c] = v;
                cells.insert(name, cell);
            }
            Err(p) => {
                errors.insert(name, p.expected.get(locale).to_string());
            }
        }
    }
    let mut dropped = Vec::new();
    for c in 0..schema.columns.len() {
        if !values[c].is_missing() && !schema.applies(c, &values) {
            let name = schema.columns[c].name.clone();
            cells.remove(&name);
            dropped.push(name);
        }
    }
    Parsed {
        cells,
        errors,
        dropped,
        action,
    }
}
