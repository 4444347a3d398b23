//! A survey report as the pages, exports and `kojo survey report` read it: one round, or the
//! ministry's national view of every round of an instrument; the cross-tab choices a reader can
//! pick (which columns can be "by", which "of"); each 2022 figure beside this report's value;
//! and the export tables — all after the disclosure rule.

use std::sync::Arc;

use kojo_content::Catalog;
use kojo_core::baseline::Unit;
use kojo_core::format;
use kojo_core::ids::RoundId;
use kojo_core::instrument::{Instrument, Question, QuestionType};
use kojo_core::org::Role;
use kojo_core::survey::Results;
use kojo_storage::Round;

use crate::access::{RoundUse, require_role};
use crate::survey_results::Request;
use crate::survey_tables::{ReportTables, report_tables};
use crate::{Error, Lang, Result, Service, Who};

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One round (its runner; the ministry).
    Round(RoundId),
    /// Every round of an instrument, each organisation once (the ministry).
    National(String),
}

/// A report's results with what its pages and files are titled by.
pub struct SurveyReport<'a> {
    pub instrument: &'a Instrument,
    /// The round reported on; `None` for the national view.
    pub round: Option<Round>,
    pub results: Arc<Results>,
    /// The disclosure threshold applied.
    pub k: u64,
}

impl SurveyReport<'_> {
    pub fn national(&self) -> bool {
        self.round.is_none()
    }

    /// The round's title, or "national view" with the instrument's title.
    pub fn title(&self, lang: &Lang) -> String {
        match &self.round {
            Some(r) => r.title.clone(),
            None => lang.fill(
                lang.t.survey_national_title,
                "instrument",
                lang.text(&self.instrument.title),
            ),
        }
    }

    /// The file name of its exports, without extension.
    pub fn stem(&self) -> String {
        match &self.round {
            Some(r) => format!("round-{}-report", r.id),
            None => format!("national-{}-report", self.instrument.id),
        }
    }
}

/// A 2022 figure beside this report's value, as shown.
pub struct FigureLine {
    pub id: String,
    pub label: String,
    pub computed: String,
    pub published: String,
}

/// The figures a question's answers count (its options', columns' and its own), in order.
pub fn question_figures(q: &Question) -> Vec<String> {
    let mut ids: Vec<String> = q
        .options
        .iter()
        .chain(&q.columns)
        .flat_map(|o| o.figures.iter().cloned())
        .collect();
    ids.extend(q.figures.iter().map(|f| f.id.clone()));
    ids.dedup();
    ids
}

/// The figures computed from scores and derived rules (not from one question).
pub fn derived_figures(inst: &Instrument) -> Vec<String> {
    inst.scores
        .iter()
        .filter_map(|s| s.figure.clone())
        .chain(inst.derived.iter().map(|d| d.id.clone()))
        .collect()
}

/// A whole number for display; `None` for a value no integer holds.
fn whole(v: f64) -> Option<i64> {
    let r = v.round();
    // In range and integral, so the conversion below is exact.
    #[allow(
        clippy::cast_possible_truncation,
        reason = "checked in range and integral just above"
    )]
    ((-9.0e15..=9.0e15).contains(&r)).then_some(r as i64)
}

/// A count for display, grouped (`1,234`).
pub fn count_text(n: u64) -> String {
    format::int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The figure `id` of the national baseline beside its value in `results`, if both exist.
pub fn figure_line(
    catalog: &Catalog,
    results: &Results,
    id: &str,
    lang: &Lang,
) -> Option<FigureLine> {
    let fig = catalog.national_baseline().figure(id)?;
    let r = results.figures.get(id)?;
    let (t, l) = (lang.t, lang.locale);
    let show = |v: Option<f64>| match (v, fig.unit) {
        (Some(v), Unit::Percent) => format::percent(v),
        (Some(v), Unit::Count) => whole(v).map(format::int).unwrap_or_default(),
        (None, _) => t.survey_withheld.to_string(),
    };
    Some(FigureLine {
        id: id.to_string(),
        label: fig.label(l),
        computed: match (r.data.withheld(), r.n()) {
            (Some(_), _) => t.survey_withheld.to_string(),
            (None, Some(n)) if fig.unit == Unit::Percent => {
                format!("{} (n={})", show(r.value()), count_text(n))
            }
            _ => show(r.value()),
        },
        published: fig.display_value(l),
    })
}

/// (value, label) pairs of a select.
pub type Choices = Vec<(String, String)>;

/// The columns a cross-tab can be taken by (single-choice questions and the organisation
/// attributes) and of (anything with codes).
pub struct CrossChoices {
    pub by: Choices,
    pub of: Choices,
}

impl CrossChoices {
    /// The label of a chosen column (the code itself if unknown).
    pub fn label<'a>(choices: &'a Choices, code: &'a str) -> &'a str {
        choices
            .iter()
            .find(|(v, _)| v == code)
            .map(|(_, label)| label.as_str())
            .unwrap_or(code)
    }
}

/// The cross-tab choices of an instrument in the reader's language.
/// Only the breakdowns the disclosure rule audits (`Results::breakdown_columns`) are offered as
/// "by": a cross-tab by any other column would show groups the audit never covered.
pub fn cross_choices(inst: &Instrument, results: &Results, lang: &Lang) -> CrossChoices {
    let allowed: Vec<String> = results
        .breakdown_columns()
        .into_iter()
        .flat_map(|(name, attr)| [Some(name.to_string()), attr.map(|a| format!("@{a}"))])
        .flatten()
        .collect();
    let (t, l) = (lang.t, lang.locale);
    let mut by: Choices = [
        ("@industry", t.survey_by_industry),
        ("@size_band", t.survey_by_size),
        ("@association", t.survey_by_association),
        ("@sc3", t.survey_by_sc3),
    ]
    .iter()
    .map(|(v, label)| (v.to_string(), label.to_string()))
    .collect();
    let mut of = Vec::new();
    for q in &inst.questions {
        let short: String = q.text.get(l).chars().take(40).collect();
        match q.kind {
            QuestionType::Single | QuestionType::Band => {
                by.push((q.id.clone(), format!("{} {short}", q.id)));
                of.push((q.id.clone(), format!("{} {short}", q.id)));
            }
            QuestionType::Multiple => of.push((q.id.clone(), format!("{} {short}", q.id))),
            QuestionType::Grid => {
                for r in &q.rows {
                    of.push((
                        format!("{}.{}", q.id, r.id),
                        // The row's label says which row; its id is for files, not readers.
                        format!("{} {}", q.id, r.label.get(l)),
                    ));
                }
            }
            _ => {}
        }
    }
    by.retain(|(v, _)| allowed.contains(v));
    CrossChoices { by, of }
}

/// Whether a round's results may be shown to this reader. An association (or company) running a
/// round sees them once it is closed: while answers can still change, two views of the report
/// would differ by exactly the answers given in between (issue 8 §2, docs/surveys.md "Differencing").
/// The ministry reads every response anyway (the raw responses export), and the command line is
/// the server's operator.
fn released(who: &Who, round: &Round) -> bool {
    !round.is_open()
        || who
            .principal()
            .is_none_or(|p| p.role == Role::MinistryAnalyst)
}

impl Service {
    /// Every round of an instrument, whoever ran it.
    pub async fn national_rounds(&self, instrument: &str) -> Result<Vec<Round>> {
        Ok(self
            .store()
            .rounds(None)
            .await?
            .into_iter()
            .filter(|r| r.instrument == instrument)
            .collect())
    }

    /// A report the caller may read, with the cross-tabs asked for (`(by, of)` column names).
    pub async fn survey_report(
        &self,
        who: &Who,
        scope: &Scope,
        cross: &[(String, String)],
    ) -> Result<SurveyReport<'_>> {
        let (round, rounds) = match scope {
            Scope::Round(id) => {
                let round = self.round_for(who, *id, RoundUse::Read).await?;
                (Some(round.clone()), vec![round])
            }
            Scope::National(instrument) => {
                require_role(who, &[Role::MinistryAnalyst])?;
                (None, self.national_rounds(instrument).await?)
            }
        };
        let id = match (scope, &round) {
            (_, Some(r)) => r.instrument.as_str(),
            (Scope::National(i), None) => i.as_str(),
            (Scope::Round(_), None) => return Err(Error::NotFound),
        };
        let instrument = self.catalog().instrument(id).ok_or(Error::NotFound)?;
        let k = self.config().disclosure_k;
        let request = Request {
            instrument,
            rounds: &rounds,
            national: round.is_none(),
            cross,
            k,
        };
        let mut results = self.survey_results(&request).await?;
        if round.as_ref().is_some_and(|r| !released(who, r)) {
            results = Arc::new(kojo_core::survey::disclosure::until_closed(&results));
        }
        Ok(SurveyReport {
            instrument,
            round,
            results,
            k,
        })
    }

    /// A report's tables in the reader's language, with the file name stem of its exports.
    pub async fn survey_report_tables(
        &self,
        who: &Who,
        scope: &Scope,
        lang: &Lang,
    ) -> Result<(String, ReportTables)> {
        let report = self.survey_report(who, scope, &[]).await?;
        let tables = report_tables(
            report.instrument,
            &report.results,
            self.catalog().national_baseline(),
            lang,
        );
        Ok((report.stem(), tables))
    }

    /// A report as a workbook (a sheet per section, and the figures), with its file name.
    pub async fn survey_report_xlsx(
        &self,
        who: &Who,
        scope: &Scope,
        lang: &Lang,
    ) -> Result<(String, Vec<u8>)> {
        let (stem, tables) = self.survey_report_tables(who, scope, lang).await?;
        let bytes = kojo_formats::tables_xlsx::write(&tables.sheets())
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((format!("{stem}.xlsx"), bytes))
    }

    /// A report's sections as one long CSV table (UTF-8 with BOM), with its file name.
    pub async fn survey_report_csv(
        &self,
        who: &Who,
        scope: &Scope,
        lang: &Lang,
    ) -> Result<(String, Vec<u8>)> {
        let (stem, tables) = self.survey_report_tables(who, scope, lang).await?;
        let bytes = kojo_formats::csv_out::write(
            &tables.flat(lang),
            kojo_formats::csv_out::Encoding::Utf8Bom,
        )
        .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((format!("{stem}.csv"), bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosstabs_go_by_the_audited_breakdowns_and_of_anything_with_codes() {
        use kojo_core::survey::schema::Schema;
        use kojo_core::survey::tally::{Plan, Tally};
        let catalog = kojo_content::load_embedded().expect("content");
        let inst = catalog.instrument("company-2022").expect("instrument");
        let schema = Schema::new(inst).expect("schema");
        let plan = Plan::new(&schema, &[]).expect("plan");
        let tally = Tally::new(&schema, &plan);
        let baseline = catalog.baseline(&inst.baseline).expect("baseline");
        let results = kojo_core::survey::build(&schema, &plan, &tally, baseline);
        let c = cross_choices(inst, &results, &Lang::en());
        let by: Vec<&str> = c.by.iter().map(|(v, _)| v.as_str()).collect();
        let of: Vec<&str> = c.of.iter().map(|(v, _)| v.as_str()).collect();
        assert!(by.contains(&"A11"), "a figure's subgroup column: {by:?}");
        assert!(
            !by.contains(&"G1") && !by.contains(&"E1"),
            "only audited breakdowns: {by:?}"
        );
        assert!(of.contains(&"E1") && of.contains(&"H1.ORG-1"));
        let row = CrossChoices::label(&c.of, "H1.ORG-1");
        assert!(row.starts_with("H1 ") && !row.contains("ORG-1"), "{row}");
        assert_eq!(CrossChoices::label(&c.of, "nothing"), "nothing");
    }

    #[test]
    fn whole_numbers_only_within_range() {
        assert_eq!(whole(2.6), Some(3));
        assert_eq!(whole(f64::NAN), None);
        assert_eq!(whole(1e300), None);
        assert_eq!(count_text(1234), "1,234");
    }
}
