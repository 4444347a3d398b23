//! The answer form: one form per item, with the item's explanation and its measures with the
//! example that fits the company's size.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use kojo_core::checklist::{Item, SizeBand};
use kojo_core::format;
use kojo_core::ids::{AssessmentId, SiteId};
use kojo_core::org::Role;
use kojo_core::scale::Scale;
use kojo_service::Problem;
use kojo_service::assessment::{
    AnswerDraft, AnswerSheet, ItemAttempt, ItemOutcome, NOTE_MAX, OWNER_MAX,
};
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
    /// What the item checks, as HTML with glossary terms linked.
    pub description_html: String,
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
    /// The longest note and owner accepted (`maxlength`).
    pub note_max: usize,
    pub owner_max: usize,
    /// The field a refused save was about (marked `aria-invalid`).
    pub error_field: Option<&'static str>,
    /// The save status line under the fields.
    pub status: ItemStatus,
    /// OPS-8: what vulnerability matching found for the site.
    pub vuln_found: Option<VulnFound>,
}

/// "kojo found N unhandled vulnerabilities in this factory", beside the answer of OPS-8.
pub struct VulnFound {
    pub text: String,
    pub href: String,
}

/// What the status line of an item says: nothing new, saved, refused (with why), refused
/// because the assessment is complete, or someone saved first (with what they saved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Quiet,
    Saved,
    Refused,
    ReadOnly,
    Conflict,
}

/// The status line of one item: shown in the item and sent alone after an htmx save (the
/// fields are never redrawn, so what is typed and where the focus is stay).
pub struct ItemStatus {
    pub ctx: Ctx,
    pub assessment_id: AssessmentId,
    pub item_id: String,
    pub kind: StatusKind,
    pub message: String,
    /// The field the message is about (`note`, `owner`, `target_date`, `level`).
    pub field: Option<&'static str>,
    /// After a conflict: the answer someone else saved, in one line.
    pub stored: String,
    /// When the stored answer was last saved (empty: never).
    pub saved_at: String,
}

impl ItemStatus {
    fn quiet(ctx: &Ctx, assessment_id: AssessmentId, item_id: &str, saved_at: String) -> Self {
        ItemStatus {
            ctx: ctx.clone(),
            assessment_id,
            item_id: item_id.to_string(),
            kind: StatusKind::Quiet,
            message: String::new(),
            field: None,
            stored: String::new(),
            saved_at,
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(
            self.kind,
            StatusKind::Refused | StatusKind::ReadOnly | StatusKind::Conflict
        )
    }

    /// `data-message` of the line (tests and the script read it).
    pub fn data(&self) -> &'static str {
        match self.kind {
            StatusKind::Quiet => "",
            StatusKind::Saved => "saved",
            StatusKind::Refused => "error",
            StatusKind::ReadOnly => "read-only",
            StatusKind::Conflict => "conflict",
        }
    }

    /// The status after a save attempt.
    pub fn of(ctx: &Ctx, attempt: &ItemAttempt) -> ItemStatus {
        let l = ctx.locale;
        let saved_at = attempt
            .stored
            .as_ref()
            .map(|a| format::datetime(a.updated_at, l))
            .unwrap_or_default();
        let mut st = ItemStatus::quiet(ctx, attempt.assessment.id, &attempt.item.id, saved_at);
        match &attempt.outcome {
            ItemOutcome::Saved(_) => {
                st.kind = StatusKind::Saved;
                st.message = ctx.t.assess_saved.to_string();
            }
            ItemOutcome::Conflict(now) => {
                st.kind = StatusKind::Conflict;
                st.message = ctx.t.forms_assess_conflict.to_string();
                st.stored = stored_line(ctx, attempt.scale, now.as_ref());
            }
            ItemOutcome::Refused(Problem::ReadOnly) => {
                st.kind = StatusKind::ReadOnly;
                st.message = ctx.t.forms_assess_read_only.to_string();
            }
            ItemOutcome::Refused(p) => {
                st.kind = StatusKind::Refused;
                st.field = p.field();
                st.message = ctx.fill(
                    ctx.t.forms_assess_refused,
                    "problem",
                    p.message(&ctx.lang()),
                );
            }
        }
        st
    }
}

/// Someone else's saved answer, in one line: level — note (owner) · date.
fn stored_line(ctx: &Ctx, scale: &Scale, answer: Option<&AnswerRow>) -> String {
    let Some(a) = answer else {
        return ctx.t.assess_unanswered.to_string();
    };
    let mut line = level_label(ctx, scale, a.level.as_deref());
    if !a.note.is_empty() {
        line.push_str(&format!(" — {}", a.note));
    }
    if !a.owner.is_empty() {
        line.push_str(&format!(" ({})", a.owner));
    }
    if let Some(d) = &a.target_date {
        line.push_str(&format!(" · {d}"));
    }
    ctx.fill(ctx.t.forms_assess_stored, "answer", line)
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
            description_html: kojo_service::glossary::Linker::new(&catalog.glossary, l)
                .html(item.description.get(l)),
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
            note_max: NOTE_MAX,
            owner_max: OWNER_MAX,
            error_field: None,
            vuln_found: None,
            status: ItemStatus::quiet(
                ctx,
                input.assessment.id,
                &item.id,
                answer
                    .map(|a| format::datetime(a.updated_at, l))
                    .unwrap_or_default(),
            ),
        }
    }

    /// The form as the user typed it (a refused plain-form save: nothing is lost), with the
    /// status of the attempt.
    pub fn set_typed(&mut self, draft: &AnswerDraft, status: ItemStatus) {
        let level = draft.level.as_deref().filter(|l| !l.is_empty());
        for lv in &mut self.levels {
            lv.checked = level == Some(lv.code.as_str());
        }
        self.note = draft.note.clone();
        self.owner = draft.owner.clone();
        self.target_date = draft.target_date.clone();
        self.version = draft.version;
        self.error_field = status.field;
        self.status = status;
    }

    /// Whether a field is the one a refused save was about.
    pub fn invalid(&self, field: &str) -> bool {
        self.error_field == Some(field)
    }
}

/// What an htmx save sends back: the item's status line, and out of band the version to post
/// next (after a save or a conflict), the page's progress counter and the sentence for the
/// page's live regions. The fields are not redrawn.
#[derive(Template, WebTemplate)]
#[template(path = "assessment_save.html")]
pub struct SaveFragment {
    pub st: ItemStatus,
    pub version: Option<i64>,
    pub progress: String,
    /// For `role=status` (saved) and `role=alert` (not saved): one of them is empty.
    pub announce: String,
    pub alert: String,
}

impl SaveFragment {
    pub fn new(ctx: &Ctx, attempt: &ItemAttempt) -> SaveFragment {
        let st = ItemStatus::of(ctx, attempt);
        let version = match &attempt.outcome {
            ItemOutcome::Saved(row) => Some(row.version),
            ItemOutcome::Conflict(now) => Some(now.as_ref().map_or(0, |a| a.version)),
            ItemOutcome::Refused(_) => None,
        };
        let line = ctx.fill2(
            ctx.t.forms_announce,
            &("item", &attempt.item.id),
            &("message", &st.message),
        );
        let (announce, alert) = if st.is_error() {
            (String::new(), line)
        } else {
            (line, String::new())
        };
        SaveFragment {
            version,
            progress: ctx.fill2(
                ctx.t.assess_progress,
                &("answered", attempt.answered),
                &("total", attempt.total),
            ),
            announce,
            alert,
            st,
        }
    }

    /// The HTTP status of the answer: 200 saved, 400 refused input, 409 conflict or complete.
    pub fn http_status(&self) -> StatusCode {
        SaveFragment::status_of(self.st.kind)
    }

    fn status_of(kind: StatusKind) -> StatusCode {
        match kind {
            StatusKind::Quiet | StatusKind::Saved => StatusCode::OK,
            StatusKind::Refused => StatusCode::BAD_REQUEST,
            StatusKind::ReadOnly | StatusKind::Conflict => StatusCode::CONFLICT,
        }
    }
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
    /// The item the error is about (the sentence links to it).
    pub error_item: Option<String>,
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
            error_item: None,
            can_discard: ctx
                .user
                .as_ref()
                .is_some_and(|u| u.role == Role::CompanyAdmin),
            ctx,
        }
    }
}

impl AssessmentPage {
    /// Shows beside OPS-8 how many unhandled vulnerabilities matching found (None: no
    /// advisories imported, nothing shown).
    pub fn with_vulns(mut self, unhandled: Option<i64>) -> Self {
        let Some(n) = unhandled else {
            return self;
        };
        let found = VulnFound {
            text: self.ctx.fill(self.ctx.t.vuln_ops8, "n", n),
            href: format!("/sites/{}/vulnerabilities", self.site_id),
        };
        if let Some(item) = self
            .categories
            .iter_mut()
            .flat_map(|c| c.items.iter_mut())
            .find(|i| i.id == kojo_service::vuln::VULN_ITEM)
        {
            item.vuln_found = Some(found);
        }
        self
    }

    /// The page after a plain-form save that was not stored (no script): the item as typed,
    /// with why, and a sentence at the top linking to it. The status code says why too.
    pub fn not_saved(mut self, draft: &AnswerDraft, attempt: &ItemAttempt) -> (StatusCode, Self) {
        let status = ItemStatus::of(&self.ctx, attempt);
        let code = SaveFragment::status_of(status.kind);
        let id = attempt.item.id.clone();
        self.error = Some(
            self.ctx
                .fill(self.ctx.t.forms_assess_not_saved, "item", &id),
        );
        self.error_item = Some(id.clone());
        if let Some(item) = self
            .categories
            .iter_mut()
            .flat_map(|c| c.items.iter_mut())
            .find(|i| i.id == id)
        {
            item.set_typed(draft, status);
        }
        (code, self)
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

/// The history of an item as a page of its own (the link followed without JavaScript).
#[derive(Template, WebTemplate)]
#[template(path = "assessment_history_page.html")]
pub struct HistoryPage {
    pub ctx: Ctx,
    pub rows: Vec<HistoryRow>,
    pub assessment_id: AssessmentId,
    pub item: String,
}

impl HistoryPage {
    pub fn new(
        fragment: HistoryFragment,
        assessment_id: AssessmentId,
        item: String,
    ) -> HistoryPage {
        HistoryPage {
            ctx: fragment.ctx,
            rows: fragment.rows,
            assessment_id,
            item,
        }
    }
}
