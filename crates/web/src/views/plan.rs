//! The action plan page and its rows (each row saves on its own through htmx).

use askama::Template;
use askama_web::WebTemplate;
use kojo_content::Catalog;
use kojo_core::date::Date;
use kojo_core::ids::{PlanItemId, SiteId};
use kojo_core::status::PlanStatus;
use kojo_service::plan::{PlanEntry, PlanOverview};
use kojo_service::report::glance::cost_line;
use kojo_service::report::view::{SubsidyView, plan_status_label, subsidies};

use crate::Ctx;

pub struct PlanRow {
    pub id: PlanItemId,
    pub measure_id: String,
    /// The measure in the results it was added from (its example, cost and why).
    pub measure_link: Option<String>,
    pub version: i64,
    pub item: String,
    pub item_title: String,
    pub measure: String,
    pub cost: String,
    pub example: String,
    pub owner: String,
    pub due_date: String,
    pub status: String,
    pub note: String,
    pub message: Option<String>,
    /// The message reports a refused stale save.
    pub conflict: bool,
    /// Open and past its due date (today in JST).
    pub overdue: bool,
    /// The due date as users read it (2026年4月1日).
    pub due_label: String,
    pub status_label: String,
    pub subsidies: Vec<SubsidyView>,
}

impl PlanRow {
    pub fn new(ctx: &Ctx, catalog: &Catalog, e: &PlanEntry, today: Date) -> PlanRow {
        let l = ctx.locale;
        let p = &e.item;
        PlanRow {
            id: p.id,
            measure_id: p.measure_id.clone(),
            measure_link: p
                .assessment_id
                .map(|a| format!("/assessments/{a}/results#measure-{}", p.measure_id)),
            overdue: e.overdue(today),
            due_label: p
                .due_date
                .as_deref()
                .map(|d| kojo_core::format::iso_date(d, l))
                .unwrap_or_default(),
            status_label: plan_status_label(p.status, &ctx.lang()).to_string(),
            subsidies: e
                .example
                .map(|x| subsidies(catalog, &x.subsidies, &ctx.lang()))
                .unwrap_or_default(),
            version: p.version,
            item: p.item_id.clone(),
            item_title: e
                .checklist_item
                .map(|i| i.title.get(l).to_string())
                .unwrap_or_default(),
            measure: e
                .measure
                .map(|m| m.title.get(l).to_string())
                .unwrap_or_else(|| p.measure_id.clone()),
            cost: e
                .cost
                .as_ref()
                .map(|c| c.get(l).to_string())
                .unwrap_or_default(),
            example: e
                .example
                .map(|x| x.text.get(l).to_string())
                .unwrap_or_default(),
            owner: p.owner.clone(),
            due_date: p.due_date.clone().unwrap_or_default(),
            status: p.status.as_str().to_string(),
            note: p.note.clone(),
            message: None,
            conflict: false,
        }
    }
}

/// (code, label) of every plan status, for the select.
pub fn statuses(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    PlanStatus::ALL
        .iter()
        .map(|s| (s.as_str(), plan_status_label(*s, &ctx.lang())))
        .collect()
}

/// The plan's headline figures.
pub struct PlanHead {
    pub site: String,
    pub site_id: SiteId,
    /// Items that are part of the plan (dropped ones left out).
    pub counted: usize,
    pub done: usize,
    pub overdue: usize,
    pub percent: String,
    pub percent_value: u8,
    pub cost: String,
    /// Where the measures are explained (the newest assessment's results).
    pub latest: Option<kojo_core::ids::AssessmentId>,
    pub today: String,
}

impl PlanHead {
    pub fn new(ctx: &Ctx, o: &PlanOverview) -> PlanHead {
        let percent = o.progress.percent();
        PlanHead {
            site: o.site.name.clone(),
            site_id: o.site.id,
            counted: o.progress.open + o.progress.done,
            done: o.progress.done,
            overdue: o.progress.overdue,
            percent: percent.map(|v| format!("{v:.0}%")).unwrap_or_default(),
            percent_value: kojo_core::num::trunc_u8(percent.unwrap_or(0.0).round()),
            cost: cost_line(&o.cost, &ctx.lang()),
            latest: o.latest,
            today: kojo_core::format::ymd(
                o.today.year(),
                o.today.month(),
                o.today.day(),
                ctx.locale,
            ),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub ctx: Ctx,
    pub head: PlanHead,
    pub rows: Vec<PlanRow>,
    pub statuses: Vec<(&'static str, &'static str)>,
    pub vulns: crate::views::vuln::PlanVulns,
}

/// The plan on its own, to print.
#[derive(Template, WebTemplate)]
#[template(path = "plan_print.html")]
pub struct PlanPrint {
    pub ctx: Ctx,
    pub head: PlanHead,
    pub rows: Vec<PlanRow>,
    pub company: String,
    pub generated: String,
    pub vulns: crate::views::vuln::PlanVulns,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan_row.html")]
pub struct PlanRowFragment {
    pub ctx: Ctx,
    pub r: PlanRow,
    pub statuses: Vec<(&'static str, &'static str)>,
}

/// "Added to the plan", replacing the add button (htmx).
#[derive(Template, WebTemplate)]
#[template(path = "plan_added.html")]
pub struct PlanAdded {
    pub ctx: Ctx,
    pub site_id: SiteId,
}
