//! The questionnaire as an HTML form (for link respondents and signed-in companies), built from
//! an instrument, the answers to show and the problems of a posted form (checking a posted form
//! is a use case: `kojo_service::responses::check_answers`).
//!
//! Every field has an id (`f-<column>`, a choice `f-<column>-<code>`) and a name a screen
//! reader reads: a question with choices is a `fieldset` whose `legend` is the question, a
//! box is labelled by the question, a grid's radio by its row and column. The limits of a box
//! are in the page before anything is saved (`maxlength`, `inputmode`, a hint), a refused
//! answer comes back as typed beside why, and a question asked only after some answer names
//! that answer (and carries it for forms.js, which shows and hides it as answers change).

use std::collections::HashMap;

use kojo_core::instrument::{Instrument, Question, QuestionType, Row};
use kojo_core::survey::schema::TEXT_ANSWER_MAX;
use kojo_core::{Locale, Text, format};
use kojo_i18n::Msg;

pub struct Choice {
    /// The input's id.
    pub field: String,
    pub code: String,
    pub label: String,
    pub checked: bool,
}

pub struct GridRow {
    pub name: String,
    /// The id of the row's header cell (half of each radio's name).
    pub header: String,
    pub label: String,
    pub cells: Vec<Choice>,
}

pub struct FormQuestion {
    pub id: String,
    pub kind: &'static str,
    pub text: String,
    pub note: String,
    /// "Only if you answered … to C1": empty for a question always asked.
    pub routing: String,
    /// The question deciding whether this one is asked, and the codes that make it apply
    /// (space-separated), for forms.js.
    pub show_if: Option<(String, String)>,
    pub choices: Vec<Choice>,
    /// Grid columns: (header id, label).
    pub columns: Vec<(String, String)>,
    pub rows: Vec<GridRow>,
    /// The answer shown: as stored, or as typed when it was refused.
    pub value: String,
    pub unit: String,
    /// The limits of a box, said before saving ("At most 2,000 characters").
    pub hint: String,
    /// `maxlength` of a text box.
    pub max_length: usize,
    /// Why the answer was refused, in a sentence.
    pub error: Option<String>,
    /// The id of the field an error links to (the first choice of a group).
    pub first_field: String,
}

impl FormQuestion {
    /// The ids describing the question's field: its hint and its error.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("hint-{}", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("err-{}", self.id));
        }
        ids.join(" ")
    }
}

pub struct FormSection {
    pub code: String,
    pub title: String,
    pub questions: Vec<FormQuestion>,
}

/// A refused answer in the list at the top of the form, linking to its field.
pub struct ErrorLink {
    pub text: String,
    pub href: String,
}

/// Column name → cell, as stored.
pub type Cells = kojo_core::survey::answers::Answers;

/// What a form is built from besides the instrument.
pub struct FormInput<'a> {
    pub locale: Locale,
    pub t: &'static Msg,
    /// The answers to show.
    pub cells: &'a Cells,
    /// Column → what it should have held, for cells that were refused.
    pub errors: &'a HashMap<String, Text>,
    /// Column → what was typed, for cells that were refused.
    pub rejected: &'a HashMap<String, String>,
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
                .map(|q| question(inst, q, input))
                .collect(),
        })
        .collect()
}

/// The refused answers of a built form, in page order, each linking to its field.
pub fn error_links(sections: &[FormSection]) -> Vec<ErrorLink> {
    sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter_map(|q| {
            q.error.as_ref().map(|e| ErrorLink {
                text: format!("{}: {e}", q.id),
                href: format!("#{}", q.first_field),
            })
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

/// The sentence naming the answers that make a question apply.
fn routing(inst: &Instrument, q: &Question, input: &FormInput) -> String {
    let Some(c) = &q.show_if else {
        return String::new();
    };
    let (l, t) = (input.locale, input.t);
    let asked = inst.questions.iter().find(|x| x.id == c.question);
    let label = |code: &String| {
        asked
            .and_then(|a| a.options.iter().chain(&a.columns).find(|o| &o.code == code))
            .map_or_else(|| code.clone(), |o| o.label.get(l).to_string())
    };
    let answers: Vec<String> = c
        .codes
        .iter()
        .map(|code| t.fill(t.survey_routing_answer, &[("answer", &label(code))]))
        .collect();
    let question = match &c.row {
        Some(row) => format!("{} {row}", c.question),
        None => c.question.clone(),
    };
    t.fill(
        t.survey_routing,
        &[
            ("question", &question),
            ("answers", &answers.join(t.survey_routing_or)),
        ],
    )
}

/// The limits of a box, said before anything is saved.
fn hint(q: &Question, t: &Msg) -> String {
    let n = |x: f64| {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format::int(kojo_core::num::trunc_i64(x))
        } else {
            x.to_string()
        }
    };
    match q.kind {
        QuestionType::Text => t.fill(
            t.survey_hint_text,
            &[(
                "max",
                &format::int(kojo_core::num::saturate::<i64, _>(text_max(q))),
            )],
        ),
        QuestionType::Number => match (q.min, q.max) {
            (Some(a), Some(b)) => t.fill(t.survey_hint_range, &[("min", &n(a)), ("max", &n(b))]),
            (Some(a), None) => t.fill(t.survey_hint_min, &[("min", &n(a))]),
            (None, Some(b)) => t.fill(t.survey_hint_max, &[("max", &n(b))]),
            (None, None) => t.survey_hint_number.to_string(),
        },
        _ => String::new(),
    }
}

fn text_max(q: &Question) -> usize {
    q.max_length.unwrap_or(TEXT_ANSWER_MAX)
}

fn question(inst: &Instrument, q: &Question, input: &FormInput) -> FormQuestion {
    let (l, cells, errors) = (input.locale, input.cells, input.errors);
    let shown = cells
        .get(&q.id)
        .or_else(|| input.rejected.get(&q.id).map(String::as_str))
        .unwrap_or_default();
    let selected: Vec<&str> = shown.split('|').collect();
    let text = |t: &Option<Text>| t.as_ref().map(|n| n.get(l).to_string()).unwrap_or_default();
    let t = input.t;
    let sentence = |e: &Text| t.fill(t.survey_expected, &[("expected", &e.get(l))]);
    let choices: Vec<Choice> = q
        .options
        .iter()
        .map(|o| Choice {
            field: format!("f-{}-{}", q.id, o.code),
            code: o.code.clone(),
            label: o.label.get(l).to_string(),
            checked: selected.contains(&o.code.as_str()),
        })
        .collect();
    let rows: Vec<GridRow> = q.rows.iter().map(|r| grid_row(q, r, input)).collect();
    let first_field = match q.kind {
        QuestionType::Single | QuestionType::Multiple => choices.first().map(|c| c.field.clone()),
        QuestionType::Grid => {
            // The first refused row, else the first row.
            let refused = rows
                .iter()
                .find(|r| errors.contains_key(&r.name))
                .or(rows.first());
            refused
                .and_then(|r| r.cells.first())
                .map(|c| c.field.clone())
        }
        _ => None,
    }
    .unwrap_or_else(|| format!("f-{}", q.id));
    FormQuestion {
        id: q.id.clone(),
        kind: kind_name(q.kind),
        text: q.text.get(l).to_string(),
        note: text(&q.note),
        routing: routing(inst, q, input),
        show_if: q.show_if.as_ref().map(|c| {
            let name = match &c.row {
                Some(row) => format!("{}.{row}", c.question),
                None => c.question.clone(),
            };
            (name, c.codes.join(" "))
        }),
        choices,
        columns: q
            .columns
            .iter()
            .map(|c| {
                (
                    format!("ch-{}-{}", q.id, c.code),
                    c.label.get(l).to_string(),
                )
            })
            .collect(),
        rows,
        value: shown.to_string(),
        unit: text(&q.unit),
        hint: hint(q, t),
        max_length: text_max(q),
        error: errors.get(&q.id).map(sentence).or_else(|| {
            q.rows.iter().find_map(|r| {
                errors
                    .get(&format!("{}.{}", q.id, r.id))
                    .map(|e| format!("{}: {}", r.label.get(l), sentence(e)))
            })
        }),
        first_field,
    }
}

fn grid_row(q: &Question, r: &Row, input: &FormInput) -> GridRow {
    let l = input.locale;
    let name = format!("{}.{}", q.id, r.id);
    let value = input.cells.get(&name).unwrap_or_default();
    GridRow {
        header: format!("rh-{}-{}", q.id, r.id),
        label: r.label.get(l).to_string(),
        cells: q
            .columns
            .iter()
            .map(|c| Choice {
                field: format!("f-{name}-{}", c.code),
                code: c.code.clone(),
                label: c.label.get(l).to_string(),
                checked: value == c.code,
            })
            .collect(),
        name,
    }
}
