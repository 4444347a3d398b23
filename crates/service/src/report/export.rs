//! An assessment's report as files: the results workbook (xlsx, with a chart), and the answers
//! as one CSV table for other tools (UTF-8 with BOM, or CP932).

use kojo_core::report::AssessmentReport;
use kojo_formats::assessment_xlsx::{
    self, AnswerRow, BaselineRow, ExportData, GapRow, PlanRow, ScoreRow,
};
use kojo_formats::csv_out::{self, Encoding};

use super::view::{ReportView, plan_status_label};
use crate::{Error, Expected, Lang, Problem, Result, Service};

/// The file name of an assessment's exports, without extension.
pub fn file_stem(r: &AssessmentReport) -> String {
    format!("kojo-{}-{}", r.header.site, r.header.assessment_id)
}

/// An encoding as asked for in a query (`utf-8` by default, `cp932` for older Excel).
pub fn encoding(value: Option<&str>) -> Result<Encoding, Problem> {
    match value.map(str::to_ascii_lowercase).as_deref() {
        None | Some("" | "utf-8" | "utf8") => Ok(Encoding::Utf8Bom),
        Some("cp932" | "shift_jis" | "sjis") => Ok(Encoding::Cp932),
        Some(_) => Err(Problem::Field {
            field: "encoding",
            value: value.unwrap_or_default().to_string(),
            expected: Expected::OneOf(vec!["utf-8".into(), "cp932".into()]),
        }),
    }
}

impl Service {
    /// The results workbook's content in the reader's language.
    #[allow(
        clippy::too_many_lines,
        reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
    )]
    pub fn export_data(&self, r: &AssessmentReport, lang: &Lang) -> Result<ExportData> {
        let v = ReportView::new(self.catalog(), r, lang)?;
        let (checklist, _) = self.checklist_of(&r.header.checklist)?;
        let t = lang.t;
        let category_title = |id: &str| {
            checklist
                .category(id)
                .map(|c| lang.text(&c.title).to_string())
                .unwrap_or_default()
        };
        Ok(ExportData {
            locale: lang.locale,
            title: t.results_title.to_string(),
            meta: vec![
                (t.results_company.to_string(), v.company.clone()),
                (t.results_site.to_string(), v.site.clone()),
                (t.results_checklist.to_string(), v.checklist.clone()),
                (t.results_date.to_string(), v.date.clone()),
                (t.results_status.to_string(), v.status.clone()),
                (t.results_size.to_string(), v.size.clone()),
                (t.results_overall.to_string(), v.overall.clone()),
            ],
            categories: r
                .scores
                .categories
                .iter()
                .zip(&v.scores)
                .map(|(c, row)| ScoreRow {
                    category: row.title.clone(),
                    score: c.score,
                    answered: c.answered,
                    items: c.items,
                    status: row.score.clone(),
                })
                .collect(),
            overall: r.scores.overall,
            answers: r
                .answers
                .iter()
                .map(|a| AnswerRow {
                    item_id: a.item.clone(),
                    category: category_title(&a.category),
                    title: lang.text(&a.title).to_string(),
                    level: a
                        .level_label
                        .as_ref()
                        .map(|x| lang.text(x).to_string())
                        .unwrap_or_default(),
                    note: a.note.clone(),
                    owner: a.owner.clone(),
                    target_date: a.target_date.clone().unwrap_or_default(),
                })
                .collect(),
            gaps: r
                .gaps
                .iter()
                .flat_map(|g| {
                    g.measures.iter().map(move |m| GapRow {
                        rank: g.rank,
                        item_id: g.gap.item.clone(),
                        title: lang.text(&g.title).to_string(),
                        level: lang.text(&g.level_label).to_string(),
                        priority: g.gap.priority,
                        measure: lang.text(&m.title).to_string(),
                        example: lang.text(&m.example).to_string(),
                        cost: lang.text(&m.cost_label).to_string(),
                    })
                })
                .collect(),
            plan: r
                .plan
                .iter()
                .map(|p| PlanRow {
                    item_id: p.entry.item.clone(),
                    measure: lang.text(&p.measure_title).to_string(),
                    owner: p.entry.owner.clone(),
                    due_date: p.entry.due_date.clone().unwrap_or_default(),
                    status: plan_status_label(p.entry.status, lang).to_string(),
                    note: p.entry.note.clone(),
                })
                .collect(),
            baseline: v
                .figures
                .iter()
                .map(|f| BaselineRow {
                    item_id: f.item.clone(),
                    title: f.item_title.clone(),
                    figure: f.statement.clone(),
                    national: f.national.clone(),
                    site: f.site.clone(),
                })
                .collect(),
        })
    }

    /// The results workbook (xlsx).
    pub fn results_workbook(&self, r: &AssessmentReport, lang: &Lang) -> Result<Vec<u8>> {
        let data = self.export_data(r, lang)?;
        assessment_xlsx::export(&data).map_err(|e| Error::Internal(e.to_string()))
    }

    /// The answers as one table (a row per item), for other tools.
    pub fn answers_table(&self, r: &AssessmentReport, lang: &Lang) -> Result<Vec<Vec<String>>> {
        let (checklist, _) = self.checklist_of(&r.header.checklist)?;
        let t = lang.t;
        let header = [
            t.csv_item_id,
            t.csv_category,
            t.csv_item,
            t.csv_level_code,
            t.csv_level,
            t.csv_note,
            t.csv_owner,
            t.csv_target_date,
            t.csv_priority_rank,
        ];
        let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        for a in &r.answers {
            let rank = r
                .gaps
                .iter()
                .find(|g| g.gap.item == a.item)
                .map(|g| g.rank.to_string())
                .unwrap_or_default();
            rows.push(vec![
                a.item.clone(),
                checklist
                    .category(&a.category)
                    .map(|c| lang.text(&c.title).to_string())
                    .unwrap_or_default(),
                lang.text(&a.title).to_string(),
                a.level.clone().unwrap_or_default(),
                a.level_label
                    .as_ref()
                    .map(|x| lang.text(x).to_string())
                    .unwrap_or_default(),
                a.note.clone(),
                a.owner.clone(),
                a.target_date.clone().unwrap_or_default(),
                rank,
            ]);
        }
        Ok(rows)
    }

    /// The answers table as CSV bytes; a text CP932 cannot hold is a problem naming it.
    pub fn answers_csv(
        &self,
        r: &AssessmentReport,
        lang: &Lang,
        encoding: Encoding,
    ) -> Result<Vec<u8>> {
        let rows = self.answers_table(r, lang)?;
        csv_out::write(&rows, encoding).map_err(|e| Problem::Encoding(e).into())
    }
}
