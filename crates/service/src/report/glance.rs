//! The screen the results page leads with, in one language: the three next steps (all, and
//! those that cost nothing), the plan at a glance (% complete, overdue, total cost), progress
//! since the previous assessment, and the national figure beside each category.

use kojo_content::Catalog;
use kojo_core::date::Date;
use kojo_core::format;
use kojo_core::plan::CostTotal;
use kojo_core::report::AssessmentReport;

use crate::Lang;

/// How many next steps the page leads with.
pub const NEXT_STEPS: usize = 3;

/// One next step: a measure of one of the first gaps.
pub struct NextStepView {
    pub number: usize,
    pub item: String,
    pub item_title: String,
    pub measure: String,
    pub title: String,
    pub cost: String,
    pub free: bool,
    pub first_step: String,
}

/// The plan at a glance.
pub struct PlanSummary {
    /// Items that are part of the plan (dropped ones left out).
    pub counted: usize,
    pub done: usize,
    pub overdue: usize,
    /// "33%", empty for an empty plan.
    pub percent: String,
    /// The percentage as a number 0–100 (for the progress bar).
    pub percent_value: u8,
    /// What the open items cost together.
    pub cost: String,
    pub empty: bool,
}

/// Progress since the previous assessment.
pub struct ProgressSummary {
    pub overall: String,
    pub better: usize,
    pub worse: usize,
}

/// The national figure beside a category.
pub struct NationalRow {
    pub category: String,
    /// "59.0%", or the "no figure" note.
    pub value: String,
    /// The item the figure is about ("ORG-3 情報収集").
    pub item: String,
}

/// Everything the first screen of the results shows.
pub struct Glance {
    pub next_steps: Vec<NextStepView>,
    pub next_steps_free: Vec<NextStepView>,
    pub plan: PlanSummary,
    pub progress: Option<ProgressSummary>,
    pub national: Vec<NationalRow>,
}

/// Yen as users read them: 0円, 10万円, 1,100万円, 123,456円 / ¥1,100,000.
pub fn yen(amount: u64, lang: &Lang) -> String {
    let n = kojo_core::num::saturate::<i64, _>(amount);
    match lang.locale {
        kojo_core::Locale::Ja if amount > 0 && amount.is_multiple_of(10_000) => {
            format!("{}万円", format::int(n / 10_000))
        }
        kojo_core::Locale::Ja => format!("{}円", format::int(n)),
        kojo_core::Locale::En => format!("¥{}", format::int(n)),
    }
}

/// The total cost of a plan's open items as one line.
pub fn cost_line(total: &CostTotal, lang: &Lang) -> String {
    let t = lang.t;
    let range = match (total.min_yen, total.max_yen) {
        (_, Some(0)) => t.results2_cost_zero.to_string(),
        (0, Some(max)) => lang.fill(t.results2_cost_up_to, "max", yen(max, lang)),
        (min, Some(max)) => lang.fill2(
            t.results2_cost_range,
            ("min", &yen(min, lang)),
            ("max", &yen(max, lang)),
        ),
        (min, None) => lang.fill(t.results2_cost_over, "min", yen(min, lang)),
    };
    let mut line = range;
    if total.vendor_quotes > 0 {
        line.push_str(&lang.fill(t.results2_cost_vendor, "n", total.vendor_quotes));
    }
    if total.unknown > 0 {
        line.push_str(&lang.fill(t.results2_cost_unknown, "n", total.unknown));
    }
    line
}

fn next_steps(report: &AssessmentReport, lang: &Lang, free_only: bool) -> Vec<NextStepView> {
    report
        .next_steps(free_only, NEXT_STEPS)
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let g = report.gaps.get(s.gap)?;
            let m = g.measures.get(s.measure)?;
            Some(NextStepView {
                number: i + 1,
                item: g.gap.item.clone(),
                item_title: lang.text(&g.title).to_string(),
                measure: m.id.clone(),
                title: lang.text(&m.title).to_string(),
                cost: lang.text(&m.cost_label).to_string(),
                free: m.free,
                first_step: lang.text(&g.first_step).to_string(),
            })
        })
        .collect()
}

fn plan_summary(
    report: &AssessmentReport,
    catalog: &Catalog,
    lang: &Lang,
    today: Date,
) -> PlanSummary {
    let p = report.plan_progress(today);
    let percent = p.percent();
    PlanSummary {
        counted: p.open + p.done,
        done: p.done,
        overdue: p.overdue,
        percent: percent.map(|v| format!("{v:.0}%")).unwrap_or_default(),
        percent_value: kojo_core::num::trunc_u8(percent.unwrap_or(0.0).round()),
        cost: cost_line(&report.plan_cost(&catalog.bands), lang),
        empty: report.plan.is_empty(),
    }
}

fn progress(report: &AssessmentReport, lang: &Lang) -> Option<ProgressSummary> {
    let p = report.previous.as_ref()?;
    let score = |s: Option<f64>| {
        s.map(|v| format!("{v:.1}"))
            .unwrap_or_else(|| lang.t.results_not_scorable.to_string())
    };
    let delta = match (p.scores.overall, report.scores.overall) {
        (Some(b), Some(a)) => format!("{:+.1}", a - b),
        _ => "—".to_string(),
    };
    Some(ProgressSummary {
        overall: lang.t.fill(
            lang.t.results2_progress_overall,
            &[
                ("before", &score(p.scores.overall)),
                ("after", &score(report.scores.overall)),
                ("delta", &delta),
            ],
        ),
        better: p
            .changes
            .iter()
            .filter(|c| c.delta.is_some_and(|d| d > 0))
            .count(),
        worse: p
            .changes
            .iter()
            .filter(|c| c.delta.is_some_and(|d| d < 0))
            .count(),
    })
}

fn national(report: &AssessmentReport, catalog: &Catalog, lang: &Lang) -> Vec<NationalRow> {
    let Some(checklist) = catalog.checklist_by_key(&report.header.checklist) else {
        return Vec::new();
    };
    checklist
        .categories
        .iter()
        .zip(&report.national)
        .map(|(cat, n)| NationalRow {
            category: lang.text(&cat.title).to_string(),
            value: n
                .as_ref()
                .map(|n| format::percent(n.implemented))
                .unwrap_or_else(|| lang.t.results2_national_none.to_string()),
            item: n
                .as_ref()
                .and_then(|n| checklist.item(&n.item))
                .map(|i| format!("{} {}", i.id, lang.text(&i.title)))
                .unwrap_or_default(),
        })
        .collect()
}

impl Glance {
    /// The next steps, all or only those that cost nothing.
    pub fn steps(&self, free_only: bool) -> &[NextStepView] {
        if free_only {
            &self.next_steps_free
        } else {
            &self.next_steps
        }
    }

    pub fn new(report: &AssessmentReport, catalog: &Catalog, lang: &Lang, today: Date) -> Glance {
        Glance {
            next_steps: next_steps(report, lang, false),
            next_steps_free: next_steps(report, lang, true),
            plan: plan_summary(report, catalog, lang, today),
            progress: progress(report, lang),
            national: national(report, catalog, lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_reads_as_users_write_it() {
        let (ja, en) = (Lang::ja(), Lang::en());
        assert_eq!(yen(0, &ja), "0円");
        assert_eq!(yen(100_000, &ja), "10万円");
        assert_eq!(yen(11_000_000, &ja), "1,100万円");
        assert_eq!(yen(123_456, &ja), "123,456円");
        assert_eq!(yen(1_100_000, &en), "¥1,100,000");
    }

    #[test]
    fn the_cost_line_says_range_open_end_and_vendor_quotes() {
        let ja = Lang::ja();
        let total = |min, max, vendor| CostTotal {
            items: 2,
            min_yen: min,
            max_yen: max,
            vendor_quotes: vendor,
            unknown: 0,
        };
        assert_eq!(
            cost_line(&total(0, Some(0), 0), &ja),
            ja.t.results2_cost_zero
        );
        assert!(cost_line(&total(0, Some(200_000), 0), &ja).contains("20万円"));
        let range = cost_line(&total(100_000, Some(1_100_000), 1), &ja);
        assert!(
            range.contains("10万円") && range.contains("110万円"),
            "{range}"
        );
        assert!(range.contains('1'), "{range}");
        let open = cost_line(&total(1_000_000, None, 0), &Lang::en());
        assert!(open.contains("¥1,000,000"), "{open}");
    }
}
