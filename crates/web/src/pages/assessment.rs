//! Answering an assessment: one form per item that saves as you go (htmx), with the item's
//! explanation and its measures with the example that fits the company's size. Saves use the
//! answer's version, so two people never silently overwrite each other.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::checklist::{Checklist, Item, SizeBand};
use kojo_core::format;
use kojo_core::planning::size_band;
use kojo_core::scale::Scale;
use kojo_storage::{Actor, AnswerInput, AnswerRow, Assessment, Saved};
use serde::Deserialize;

use crate::access::{company_user, own_assessment, own_site};
use crate::reports::checklist_of;
use crate::{AppError, AppState, Ctx};

/// Longest note or owner accepted (characters).
pub const NOTE_MAX: usize = 2000;
pub const OWNER_MAX: usize = 200;

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
    pub assessment_id: i64,
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

impl ItemForm {
    #[allow(clippy::too_many_arguments)]
    fn new(
        state: &AppState,
        ctx: &Ctx,
        a: &Assessment,
        scale: &Scale,
        item: &Item,
        answer: Option<&AnswerRow>,
        size: SizeBand,
    ) -> ItemForm {
        let l = ctx.locale;
        let level = answer.and_then(|a| a.level.clone());
        let size_label = state
            .catalog
            .company_sizes
            .example_bands
            .iter()
            .find(|b| b.id == size.id())
            .map(|b| b.label.get(l).to_string())
            .unwrap_or_default();
        ItemForm {
            ctx: ctx.clone(),
            assessment_id: a.id,
            read_only: a.is_complete(),
            id: item.id.clone(),
            title: item.title.get(l).to_string(),
            description: item.description.get(l).to_string(),
            why: item.why.get(l).to_string(),
            reference: item.guideline_ref.get(l).to_string(),
            weight: item.weight,
            levels: scale
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
            level_label: level
                .as_deref()
                .and_then(|c| scale.level(c))
                .map(|lv| lv.label.get(l).to_string())
                .unwrap_or_else(|| ctx.t.assess_unanswered.to_string()),
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
                    cost: state
                        .catalog
                        .bands
                        .cost_bands
                        .iter()
                        .find(|b| b.id == m.cost)
                        .map(|b| b.label.get(l).to_string())
                        .unwrap_or_default(),
                    example: m.examples.for_size(size).get(l).to_string(),
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
    pub id: i64,
    pub site_id: i64,
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

async fn company_size(state: &AppState, a: &Assessment) -> Result<SizeBand, AppError> {
    let org = state.store.org(a.org_id).await?;
    Ok(size_band(
        org.employees,
        &state.catalog.company_sizes.example_bands,
    ))
}

async fn render_page(
    state: &AppState,
    ctx: Ctx,
    a: Assessment,
    error: Option<String>,
) -> Result<AssessmentPage, AppError> {
    let (checklist, scale) = checklist_of(&state.catalog, &a.checklist)?;
    let answers = state.store.answers(a.id).await?;
    let site = state.store.site(a.site_id).await?;
    let size = company_size(state, &a).await?;
    let l = ctx.locale;
    let categories = checklist
        .categories
        .iter()
        .map(|c| CategoryView {
            number: c.number,
            title: c.title.get(l).to_string(),
            items: checklist
                .items_in(&c.id)
                .map(|item| {
                    let answer = answers.iter().find(|x| x.item_id == item.id);
                    ItemForm::new(state, &ctx, &a, scale, item, answer, size)
                })
                .collect(),
        })
        .collect();
    Ok(AssessmentPage {
        id: a.id,
        site_id: site.id,
        site: site.name,
        checklist: checklist.title.get(l).to_string(),
        complete: a.is_complete(),
        answered: answers.iter().filter(|x| x.level.is_some()).count(),
        total: checklist.items.len(),
        created: format::date(a.created_at, l),
        categories,
        error,
        can_discard: ctx
            .user
            .as_ref()
            .is_some_and(|u| u.role == kojo_core::org::Role::CompanyAdmin),
        ctx,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<AssessmentPage, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    render_page(&state, ctx, a, None).await
}

#[derive(Deserialize)]
pub struct StartForm {
    /// Start from a copy of this assessment's answers.
    #[serde(default)]
    pub copy_from: Option<i64>,
}

/// Starts an assessment of a site against the newest factory checklist.
pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site_id): Path<i64>,
    Form(form): Form<StartForm>,
) -> Result<Redirect, AppError> {
    let site = own_site(&state, &ctx, site_id).await?;
    let (user, _) = company_user(&ctx)?;
    // One draft per factory: starting again continues it.
    if let Some(draft) = state.store.draft_of_site(site.id).await? {
        return Ok(Redirect::to(&format!("/assessments/{}", draft.id)));
    }
    let checklist = match form.copy_from {
        Some(src) => own_assessment(&state, &ctx, src).await?.checklist,
        None => state
            .catalog
            .latest_checklist("factory-guideline")
            .map(Checklist::key)
            .ok_or_else(|| AppError::Internal("no factory checklist".into()))?,
    };
    let a = state
        .store
        .create_assessment(
            &Actor::user(user.id, &user.login),
            site.id,
            &checklist,
            form.copy_from,
        )
        .await?;
    Ok(Redirect::to(&format!("/assessments/{}", a.id)))
}

#[derive(Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    pub confirm: String,
}

/// Deletes a draft (company admins; the box must be ticked), back to the company page.
pub async fn discard(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<DiscardForm>,
) -> Result<Redirect, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let (user, _) = crate::access::company_admin(&ctx)?;
    if form.confirm != "yes" {
        return Err(AppError::BadRequest(
            "tick the box to confirm (field \"confirm\")".into(),
        ));
    }
    if a.is_complete() {
        return Err(AppError::Conflict(ctx.t.assess_read_only.to_string()));
    }
    state
        .store
        .discard_draft(&Actor::user(user.id, &user.login), a.id)
        .await?;
    Ok(Redirect::to("/company"))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub target_date: String,
    #[serde(default)]
    pub version: i64,
}

/// Checks an answer against the scale and the field rules; the error names the field.
pub fn validate_answer(scale: &Scale, form: &AnswerForm) -> Result<AnswerInput, String> {
    let level = form.level.clone().filter(|l| !l.is_empty());
    if let Some(code) = &level
        && scale.level(code).is_none()
    {
        return Err(format!("level: {code:?} is not one of {:?}", scale.codes()));
    }
    if form.note.chars().count() > NOTE_MAX {
        return Err(format!("note: longer than {NOTE_MAX} characters"));
    }
    if form.owner.chars().count() > OWNER_MAX {
        return Err(format!("owner: longer than {OWNER_MAX} characters"));
    }
    let target_date = match form.target_date.trim() {
        "" => None,
        d => Some(
            parse_date(d)
                .ok_or_else(|| format!("target_date: {d:?} is not a date (YYYY-MM-DD)"))?,
        ),
    };
    Ok(AnswerInput {
        level,
        note: form.note.trim().to_string(),
        owner: form.owner.trim().to_string(),
        target_date,
    })
}

/// `2026-03-31` or `2026/3/31` → `2026-03-31`.
pub fn parse_date(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.trim().split(['-', '/']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize])
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some()
}

/// Saves one item. For htmx requests the item's form comes back (with the saved state or the
/// conflicting one); a plain form post returns to the item on the page.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((id, item_id)): Path<(i64, String)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let (user, _) = company_user(&ctx)?;
    let (checklist, scale) = checklist_of(&state.catalog, &a.checklist)?;
    let item = checklist.item(&item_id).ok_or(AppError::NotFound)?;
    if a.is_complete() {
        return Err(AppError::Conflict(ctx.t.assess_read_only.to_string()));
    }
    let input = validate_answer(scale, &form).map_err(AppError::BadRequest)?;
    let actor = Actor::user(user.id, &user.login);
    let outcome = state
        .store
        .save_answer(&actor, a.id, &item.id, form.version, &input)
        .await?;
    if !is_htmx(&headers) {
        return Ok(
            Redirect::to(&format!("/assessments/{}#item-{}", a.id, item.id)).into_response(),
        );
    }
    let size = company_size(&state, &a).await?;
    let fragment = match outcome {
        Saved::Saved(row) => {
            let mut f = ItemForm::new(&state, &ctx, &a, scale, item, Some(&row), size);
            f.message = Some(ctx.t.assess_saved.to_string());
            f
        }
        Saved::Conflict(current) => {
            let mut f = ItemForm::new(&state, &ctx, &a, scale, item, current.as_ref(), size);
            f.message = Some(ctx.t.assess_conflict.to_string());
            f.conflict = true;
            f
        }
    };
    Ok(ItemFragment { item: fragment }.into_response())
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

pub async fn history(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, item_id)): Path<(i64, String)>,
) -> Result<HistoryFragment, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let (checklist, scale) = checklist_of(&state.catalog, &a.checklist)?;
    checklist.item(&item_id).ok_or(AppError::NotFound)?;
    let l = ctx.locale;
    let rows = state
        .store
        .answer_history(a.id, &item_id)
        .await?
        .into_iter()
        .map(|h| HistoryRow {
            version: h.version,
            level: h
                .level
                .as_deref()
                .and_then(|c| scale.level(c))
                .map(|lv| lv.label.get(l).to_string())
                .unwrap_or_else(|| ctx.t.assess_unanswered.to_string()),
            note: h.note,
            owner: h.owner,
            target_date: h.target_date.unwrap_or_default(),
            by: h.changed_by_label,
            at: format::datetime(h.changed_at, l),
        })
        .collect();
    Ok(HistoryFragment { ctx, rows })
}

/// The completion rule, shared by the page and the API: an assessment is completed once every
/// item is answered, and completing a complete one again succeeds (a double click, a retry).
pub async fn try_complete(
    state: &AppState,
    user: &crate::AuthUser,
    a: &kojo_storage::Assessment,
) -> Result<Result<(), Missing>, AppError> {
    if a.is_complete() {
        return Ok(Ok(()));
    }
    let (checklist, _) = checklist_of(&state.catalog, &a.checklist)?;
    let answered = state
        .store
        .answers(a.id)
        .await?
        .iter()
        .filter(|x| x.level.is_some())
        .count();
    let missing = checklist.items.len().saturating_sub(answered);
    if missing > 0 {
        return Ok(Err(Missing {
            missing,
            items: checklist.items.len(),
        }));
    }
    state
        .store
        .complete_assessment(&Actor::user(user.id, &user.login), a.id)
        .await?;
    Ok(Ok(()))
}

/// Why an assessment cannot be completed yet.
pub struct Missing {
    pub missing: usize,
    pub items: usize,
}

/// Marks the assessment complete when every item is answered.
pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let (user, _) = company_user(&ctx)?;
    if let Err(m) = try_complete(&state, user, &a).await? {
        let msg = ctx.fill(ctx.t.assess_incomplete, "n", m.missing);
        return Ok(render_page(&state, ctx, a, Some(msg))
            .await?
            .into_response());
    }
    Ok(Redirect::to(&format!("/assessments/{}/results", a.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026/3/31").as_deref(), Some("2026-03-31"));
        assert_eq!(parse_date("2028-02-29").as_deref(), Some("2028-02-29"));
        assert_eq!(parse_date("2027-02-29"), None);
        assert_eq!(parse_date("31.03.2026"), None);
        assert_eq!(parse_date("2026-13-01"), None);
    }
}
