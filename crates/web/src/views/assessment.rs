//! The answer form: one form per item, with the item's explanation and its measures with the
//! example that fits the company's size.

use askama::Template;
use askama_web::WebTemplate;
use kojo_core::checklist::{Item, SizeBand};
use kojo_core::format;
use kojo_core::ids::{AssessmentId, SiteId};
use kojo_core::org::Role;
use kojo_core::scale::Scale;
use kojo_service::assessment::AnswerSheet;
use kojo_storage::{AnswerChange, AnswerRow, Assessment};

use crate::Ctx;
use crate::state::AppState;

pub struct LevelOption {
    pub code: String,
    pub label: String,
    pub description: String,
    pub checked: bool,
}

pub struct MeasureView {
    pub title: String,
    pub cost: String,
    pub example: String,
}

/// One item's form, as shown on the page and returned after an htmx save.
pub struct ItemForm {
    pub ctx: Ctx,
    pub assessment_id: AssessmentId,
    pub read_only: bool,
    pub id: String,
    pub title: String,
    pub description: String,
    pub why: String,
    pub reference: String,
    pub weight: u8,
    pub levels: Vec<LevelOption>,
    pub level_label: String,
    pub note: String,
    pub owner: String,
    pub target_date: String,
    pub version: i64,
    pub measures: Vec<MeasureView>,
    pub size_label: String,
    pub saved_at: String,
    /// Shown after a save: saved, or someone else saved first.
    pub message: Option<String>,
    pub conflict: bool,
}

/// What an item's form is built from.
pub struct ItemInput<'a> {
    pub assessment: &'a Assessment,
    pub scale: &'a Scale,
    pub item: &'a Item,
    pub answer: Option<&'a AnswerRow>,
    pub size: SizeBand,
}

fn level_label(ctx: &Ctx, scale: &Scale, code: Option<&str>) -> String {
    code.and_then(|c| scale.level(c))
        .map(|lv| lv.label.get(ctx.locale).to_string())
        .unwrap_or_else(|| ctx.t.assess_unanswered.to_string())
}

impl ItemForm {
    pub fn new(state: &AppState, ctx: &Ctx, input: &ItemInput) -> ItemForm {
        let l = ctx.locale;
        let (item, answer) = (input.item, input.answer);
        let level = answer.and_then(|a| a.level.clone());
        let catalog = state.catalog();
        let size_label = catalog
            .company_sizes
            .example_bands
            .iter()
            .find(|b| b.id == input.size.id())
            .map(|b| b.label.get(l).to_string())
            .unwrap_or_default();
        // Each measure shows the example for the company's size, so that example's cost band.
        let cost = |m: &kojo_core::checklist::Measure| {
            let example = m.examples.example(input.size);
            catalog.bands.example_cost_label(example).get(l).to_string()
        };
        ItemForm {
            ctx: ctx.clone(),
            assessment_id: input.assessment.id,
            read_only: input.assessment.is_complete(),
            id: item.id.clone(),
            title: item.title.get(l).to_string(),
            description: item.description.get(l).to_string(),
            why: item.why.get(l).to_string(),
            reference: item.guideline_ref.get(l).to_string(),
            weight: item.weight,
            levels: input
                .scale
                .levels
                .iter()
                .map(|lv| LevelOption {
                    code: lv.code.clone(),
                    label: lv.label.get(l).to_string(),
                    description: lv
                        .description
                        .as_ref()
                        .map(|d| d.get(l).to_string())
                        .unwrap_or_default(),
                    checked: level.as_deref() == Some(lv.code.as_str()),
                })
                .collect(),
            level_label: level_label(ctx, input.scale, level.as_deref()),
            note: answer.map(|a| a.note.clone()).unwrap_or_default(),
            owner: answer.map(|a| a.owner.clone()).unwrap_or_default(),
            target_date: answer
                .and_then(|a| a.target_date.clone())
                .unwrap_or_default(),
            version: answer.map(|a| a.version).unwrap_or(0),
            measures: item
                .measures
                .iter()
                .map(|m| MeasureView {
                    title: m.title.get(l).to_string(),
                    cost: cost(m),
                    example: m.examples.for_size(input.size).get(l).to_string(),
                })
                .collect(),
            size_label,
            saved_at: answer
                .map(|a| format::datetime(a.updated_at, l))
                .unwrap_or_default(),
            message: None,
            conflict: false,
        }
    }
}

/// The htmx fragment: one item's form.
#[derive(Template, WebTemplate)]
#[template(path = "assessment_item_fragment.html")]
pub struct ItemFragment {
    pub item: ItemForm,
}

pub struct CategoryView {
    pub number: u32,
    pub title: String,
    pub items: Vec<ItemForm>,
}

#[derive(Template, WebTemplate)]
#[template(path = "assessment.html")]
pub struct AssessmentPage {
    pub ctx: Ctx,
    pub id: AssessmentId,
    pub site_id: SiteId,
    pub site: String,
    pub checklist: String,
    pub complete: bool,
    pub answered: usize,
    pub total: usize,
    pub created: String,
    pub categories: Vec<CategoryView>,
    pub error: Option<String>,
    /// Company admins may discard a draft.
    pub can_discard: bool,
}

impl AssessmentPage {
    pub fn new(state: &AppState, ctx: Ctx, sheet: &AnswerSheet, error: Option<String>) -> Self {
        let l = ctx.locale;
        let checklist = sheet.checklist;
        let categories = checklist
            .categories
            .iter()
            .map(|c| CategoryView {
                number: c.number,
                title: c.title.get(l).to_string(),
                items: checklist
                    .items_in(&c.id)
                    .map(|item| {
                        let input = ItemInput {
                            assessment: &sheet.assessment,
                            scale: sheet.scale,
                            item,
                            answer: sheet.answer(&item.id),
                            size: sheet.size,
                        };
                        ItemForm::new(state, &ctx, &input)
                    })
                    .collect(),
            })
            .collect();
        AssessmentPage {
            id: sheet.assessment.id,
            site_id: sheet.site.id,
            site: sheet.site.name.clone(),
            checklist: checklist.title.get(l).to_string(),
            complete: sheet.assessment.is_complete(),
            answered: sheet.answered(),
            total: checklist.items.len(),
            created: format::date(sheet.assessment.created_at, l),
            categories,
            error,
            can_discard: ctx
                .user
                .as_ref()
                .is_some_and(|u| u.role == Role::CompanyAdmin),
            ctx,
        }
    }
}

pub struct HistoryRow {
    pub version: i64,
    pub level: String,
    pub note: String,
    pub owner: String,
    pub target_date: String,
    pub by: String,
    pub at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "assessment_history.html")]
pub struct HistoryFragment {
    pub ctx: Ctx,
    pub rows: Vec<HistoryRow>,
}

impl HistoryFragment {
    pub fn new(ctx: Ctx, scale: &Scale, changes: Vec<AnswerChange>) -> HistoryFragment {
        let rows = changes
            .into_iter()
            .map(|h| HistoryRow {
                version: h.version,
                level: level_label(&ctx, scale, h.level.as_deref()),
                note: h.note,
                owner: h.owner,
                target_date: h.target_date.unwrap_or_default(),
                by: h.changed_by_label,
                at: format::datetime(h.changed_at, ctx.locale),
            })
            .collect();
        HistoryFragment { ctx, rows }
    }
}
