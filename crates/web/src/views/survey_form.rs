//! The questionnaire as an HTML form (for link respondents and signed-in companies), built from
//! an instrument, the answers to show and the problems of a posted form (checking a posted form
//! is a use case: `kojo_service::responses::check_answers`).

use std::collections::HashMap;

use kojo_core::instrument::{Instrument, Question, QuestionType, Row};
use kojo_core::{Locale, Text};

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

/// What a form is built from besides the instrument.
pub struct FormInput<'a> {
    pub locale: Locale,
    /// The answers to show.
    pub cells: &'a Cells,
    /// Column → what it should have held, for cells that were refused.
    pub errors: &'a HashMap<String, Text>,
    /// "Only if {question} …", for questions that routing may skip.
    pub routing_label: &'a str,
}

pub fn build(inst: &Instrument, input: &FormInput) -> Vec<FormSection> {
    inst.sections
        .iter()
        .map(|s| FormSection {
            code: s.code.clone(),
            title: s.title.get(input.locale).to_string(),
            questions: inst
                .questions
                .iter()
                .filter(|q| q.section == s.code)
                .map(|q| question(q, input))
                .collect(),
        })
        .collect()
}

fn kind_name(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Single => "single",
        QuestionType::Band => "band",
        QuestionType::Multiple => "multiple",
        QuestionType::Number => "number",
        QuestionType::Text => "text",
        QuestionType::Grid => "grid",
    }
}

fn question(q: &Question, input: &FormInput) -> FormQuestion {
    let (l, cells, errors) = (input.locale, input.cells, input.errors);
    let selected: Vec<&str> = cells
        .get(&q.id)
        .map(|c| c.split('|').collect())
        .unwrap_or_default();
    let text = |t: &Option<Text>| t.as_ref().map(|n| n.get(l).to_string()).unwrap_or_default();
    FormQuestion {
        id: q.id.clone(),
        kind: kind_name(q.kind),
        text: q.text.get(l).to_string(),
        note: text(&q.note),
        routing: q
            .show_if
            .as_ref()
            .map(|c| input.routing_label.replace("{question}", &c.question))
            .unwrap_or_default(),
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
        rows: q.rows.iter().map(|r| grid_row(q, r, input)).collect(),
        value: cells.get(&q.id).unwrap_or_default().to_string(),
        unit: text(&q.unit),
        error: errors.get(&q.id).map(|e| e.get(l).to_string()).or_else(|| {
            q.rows.iter().find_map(|r| {
                errors
                    .get(&format!("{}.{}", q.id, r.id))
                    .map(|e| format!("{}: {}", r.label.get(l), e.get(l)))
            })
        }),
    }
}

fn grid_row(q: &Question, r: &Row, input: &FormInput) -> GridRow {
    let l = input.locale;
    let name = format!("{}.{}", q.id, r.id);
    let value = input.cells.get(&name).unwrap_or_default();
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
}
