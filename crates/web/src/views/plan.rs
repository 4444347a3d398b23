//! The action plan page and its rows (each row saves on its own through htmx).

use askama::Template;
use askama_web::WebTemplate;
use kojo_core::ids::{PlanItemId, SiteId};
use kojo_core::status::PlanStatus;
use kojo_service::plan::PlanEntry;
use kojo_service::report::view::plan_status_label;

use crate::Ctx;

pub struct PlanRow {
    pub id: PlanItemId,
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
}

impl PlanRow {
    pub fn new(ctx: &Ctx, e: &PlanEntry) -> PlanRow {
        let l = ctx.locale;
        let p = &e.item;
        PlanRow {
            id: p.id,
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
            example: e.example.map(|x| x.get(l).to_string()).unwrap_or_default(),
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

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub ctx: Ctx,
    pub site: String,
    pub rows: Vec<PlanRow>,
    pub statuses: Vec<(&'static str, &'static str)>,
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
