//! A survey report as tables: one sheet per section (xlsx) or one long table (CSV), and the
//! published figures beside the computed ones — all after the disclosure rule.

use kojo_core::baseline::Baseline;
use kojo_core::instrument::{Instrument, Question, QuestionType};
use kojo_core::survey::Results;
use kojo_core::survey::results::Withheld;
use kojo_formats::tables_xlsx::{Cell, SheetTable};

use crate::Lang;

/// The report's tables: a sheet per section, and the figures.
pub struct ReportTables {
    pub sections: Vec<SheetTable>,
    pub figures: SheetTable,
}

impl ReportTables {
    /// Every sheet, sections first (the workbook's order).
    pub fn sheets(&self) -> Vec<SheetTable> {
        let mut all = self.sections.clone();
        all.push(self.figures.clone());
        all
    }

    /// The sections as one long table, the section's name first on each row (the CSV
    /// export; the figures stay in the workbook).
    pub fn flat(&self, lang: &Lang) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = Vec::new();
        if let Some(first) = self.sections.first() {
            rows.push(
                std::iter::once(lang.t.survey_col_section.to_string())
                    .chain(first.header.iter().cloned())
                    .collect(),
            );
        }
        for sheet in &self.sections {
            for r in &sheet.rows {
                let cells = r.iter().map(|c| match c {
                    Cell::Text(t) => t.clone(),
                    Cell::Number(n) => format!("{n}"),
                    Cell::Percent(p) => format!("{p:.1}"),
                    Cell::Empty => String::new(),
                });
                rows.push(std::iter::once(sheet.name.clone()).chain(cells).collect());
            }
        }
        rows
    }
}

fn count(c: Option<u64>) -> Cell {
    c.map(|c| Cell::Number(c as f64)).unwrap_or(Cell::Empty)
}

/// Why a part of a report is withheld, in the reader's language.
pub fn withheld_reason(w: &Withheld, lang: &Lang) -> String {
    let t = lang.t;
    let template = match w {
        Withheld::FewerThanK { .. } => t.withheld_fewer_than_k,
        Withheld::Complementary { .. } => t.withheld_complementary,
        Withheld::Breakdown { .. } => t.withheld_breakdown,
        Withheld::DependsOnWithheld { .. } => t.withheld_depends_on_withheld,
        Withheld::UntilClosed { .. } => t.withheld_until_closed,
    };
    lang.fill(template, "k", w.k())
}

/// The labels of a question's answer options (or grid columns).
pub fn choice_labels(q: &Question, lang: &Lang) -> Vec<String> {
    let choices = if q.columns.is_empty() {
        &q.options
    } else {
        &q.columns
    };
    choices
        .iter()
        .map(|c| lang.text(&c.label).to_string())
        .collect()
}

/// The tables of a report in the reader's language.
#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
pub fn report_tables(
    inst: &Instrument,
    results: &Results,
    baseline: &Baseline,
    lang: &Lang,
) -> ReportTables {
    let (t, l) = (lang.t, lang.locale);
    let header = vec![
        t.survey_col_question.to_string(),
        t.survey_col_row.to_string(),
        t.survey_col_answer.to_string(),
        t.survey_col_count.to_string(),
        t.survey_col_percent.to_string(),
        "n".to_string(),
        t.survey_col_note.to_string(),
    ];
    let mut sections: Vec<SheetTable> = inst
        .sections
        .iter()
        .map(|s| SheetTable {
            name: format!("{} {}", s.code, s.title.get(l)),
            header: header.clone(),
            rows: vec![],
        })
        .collect();
    for q in &inst.questions {
        let Some(r) = results.question(&q.id) else {
            continue;
        };
        let Some(at) = inst.sections.iter().position(|s| s.code == q.section) else {
            continue;
        };
        let question = format!("{} {}", q.id, q.text.get(l));
        for row in &r.rows {
            let row_label = row
                .label
                .as_ref()
                .map(|x| x.get(l).to_string())
                .unwrap_or_default();
            let line = |answer: String, cells: [Cell; 3], note: String| {
                let [c, p, n] = cells;
                vec![
                    Cell::Text(question.clone()),
                    Cell::Text(row_label.clone()),
                    Cell::Text(answer),
                    c,
                    p,
                    n,
                    Cell::Text(note),
                ]
            };
            match row.data.shown() {
                Some(d) => {
                    for o in &d.options {
                        let cells = [
                            count(Some(o.count)),
                            o.percent.map(Cell::Percent).unwrap_or(Cell::Empty),
                            count(Some(d.n)),
                        ];
                        sections[at].rows.push(line(
                            o.label.get(l).to_string(),
                            cells,
                            String::new(),
                        ));
                    }
                }
                None => {
                    // A withheld row shows its choices and why, never a number.
                    let note = row
                        .data
                        .withheld()
                        .map(|w| format!("{}: {}", t.survey_withheld, withheld_reason(&w, lang)))
                        .unwrap_or_default();
                    let labels = if r.number.is_some() || q.kind == QuestionType::Text {
                        vec![String::new()]
                    } else {
                        choice_labels(q, lang)
                    };
                    for label in labels {
                        let cells = [Cell::Empty, Cell::Empty, Cell::Empty];
                        sections[at].rows.push(line(label, cells, note.clone()));
                    }
                }
            }
        }
    }
    ReportTables {
        sections,
        figures: figures_sheet(results, baseline, lang),
    }
}

/// Each computed figure beside the published one.
fn figures_sheet(results: &Results, baseline: &Baseline, lang: &Lang) -> SheetTable {
    let (t, l) = (lang.t, lang.locale);
    let mut figures = SheetTable {
        name: t.survey_figures_sheet.to_string(),
        header: vec![
            "id".into(),
            t.survey_col_question.into(),
            t.survey_col_value.into(),
            t.survey_col_count.into(),
            "n".into(),
            t.survey_col_published.into(),
        ],
        rows: vec![],
    };
    for (id, f) in &results.figures {
        let published = baseline.figure(id);
        figures.rows.push(vec![
            Cell::Text(id.clone()),
            Cell::Text(published.map(|p| p.label(l)).unwrap_or_default()),
            f.value().map(Cell::Number).unwrap_or(Cell::Empty),
            count(f.count()),
            count(f.n()),
            published
                .map(|p| Cell::Number(p.value))
                .unwrap_or(Cell::Empty),
        ]);
    }
    figures
}
