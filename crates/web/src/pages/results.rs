//! The results page a manager reads, and the site's action plan.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_charts::{RadarOptions, ScoreBarsOptions, Series};
use kojo_core::Locale;
use kojo_core::format;
use kojo_core::report::AssessmentReport;
use kojo_core::scoring::CategoryStatus;
use kojo_storage::{Actor, NewPlanItem, PlanUpdate, Saved, StoreError};
use serde::Deserialize;

use super::assessment::parse_date;
use crate::access::{company_user, own_assessment, own_site};
use crate::reports::{self, checklist_of};
use crate::{AppError, AppState, Ctx};

pub struct ScoreRow {
    pub title: String,
    pub score: String,
    pub previous: String,
    pub answered: String,
    pub scorable: bool,
}

pub struct FigureView {
    pub item: String,
    /// The published value as shown: `65.0%`.
    pub national: String,
    pub item_title: String,
    pub statement: String,
    pub site: String,
    pub in_group: Option<bool>,
    /// Whether the site's place is the good side of the figure (in the "done" group, or
    /// outside the "not done" group).
    pub favourable: Option<bool>,
    pub related: bool,
}

pub struct MeasureRow {
    pub id: String,
    pub title: String,
    pub cost: String,
    pub example: String,
    pub in_plan: bool,
}

pub struct GapView {
    pub rank: usize,
    pub item: String,
    pub title: String,
    pub why: String,
    pub level: String,
    pub priority: String,
    pub neglect: String,
    pub measures: Vec<MeasureRow>,
    pub figures: Vec<FigureView>,
}

pub struct ChangeView {
    pub item: String,
    pub title: String,
    pub before: String,
    pub after: String,
    pub better: bool,
}

/// Everything the results page and the printable report show, in one language.
pub struct ResultsView {
    pub id: i64,
    pub site_id: i64,
    pub company: String,
    pub site: String,
    pub status: String,
    pub complete: bool,
    pub date: String,
    pub size: String,
    pub overall: String,
    pub previous_overall: Option<String>,
    pub scores: Vec<ScoreRow>,
    pub bars: String,
    pub radar: String,
    pub figures: Vec<FigureView>,
    pub gaps: Vec<GapView>,
    pub to_verify: Vec<(String, String)>,
    pub changes: Vec<ChangeView>,
    pub previous_id: Option<i64>,
    pub plan: Vec<(String, String, String, String, String)>,
}

fn percent_statement(ctx: &Ctx, value: f64, not_done: bool, year: u32) -> String {
    let template = if not_done {
        ctx.t.results_national_not_done
    } else {
        ctx.t.results_national_done
    };
    ctx.fill2(
        template,
        &("value", &format::percent(value)),
        &("year", &year),
    )
}

pub fn view(
    catalog: &kojo_content::Catalog,
    ctx: &Ctx,
    r: &AssessmentReport,
) -> Result<ResultsView, AppError> {
    let l = ctx.locale;
    let t = ctx.t;
    let (checklist, scale) = checklist_of(catalog, &r.header.checklist)?;
    let score_text = |s: Option<f64>| {
        s.map(|v| format!("{v:.1}"))
            .unwrap_or_else(|| t.results_not_scorable.to_string())
    };
    let label = |code: &Option<String>| {
        code.as_deref()
            .and_then(|c| scale.level(c))
            .map(|lv| lv.label.get(l).to_string())
            .unwrap_or_else(|| t.assess_unanswered.to_string())
    };
    let item_title = |id: &str| {
        checklist
            .item(id)
            .map(|i| i.title.get(l).to_string())
            .unwrap_or_default()
    };
    let cat_titles: Vec<String> = checklist
        .categories
        .iter()
        .map(|c| c.title.get(l).to_string())
        .collect();
    let scores = r
        .scores
        .categories
        .iter()
        .zip(&cat_titles)
        .map(|(c, title)| ScoreRow {
            title: title.clone(),
            score: match c.status {
                CategoryStatus::TooManyNotApplicable => t.results_too_many_na.to_string(),
                CategoryStatus::NoAnswers => t.results_not_scorable.to_string(),
                CategoryStatus::Scored => score_text(c.score),
            },
            previous: r
                .previous
                .as_ref()
                .and_then(|p| p.scores.category(&c.category))
                .map(|p| score_text(p.score))
                .unwrap_or_default(),
            answered: format!("{}/{}", c.answered, c.items),
            scorable: c.score.is_some(),
        })
        .collect();
    let mut series = vec![Series {
        name: t.results_this_assessment.to_string(),
        values: r.scores.categories.iter().map(|c| c.score).collect(),
    }];
    if let Some(p) = &r.previous {
        series.push(Series {
            name: t.results_previous_assessment.to_string(),
            values: p.scores.categories.iter().map(|c| c.score).collect(),
        });
    }
    let bars = kojo_charts::score_bars(
        &cat_titles,
        &series,
        &ScoreBarsOptions {
            title: t.results_chart_bars.to_string(),
            na_label: t.results_not_scorable.to_string(),
            width: 720,
        },
    );
    let radar = kojo_charts::radar(
        &cat_titles,
        &series,
        &RadarOptions {
            title: t.results_chart_radar.to_string(),
            na_label: t.results_not_scorable.to_string(),
            size: 420,
        },
    );
    let figure_view = |f: &kojo_core::report::ReportFigure| FigureView {
        item: f.comparison.item.clone(),
        national: format::percent(f.comparison.value),
        item_title: item_title(&f.comparison.item),
        statement: {
            let base = percent_statement(
                ctx,
                f.comparison.value,
                f.comparison.counts_not_done,
                f.year,
            );
            let topic = match &f.answer {
                Some(a) => format!("{}: {}", f.topic.get(l), a.get(l)),
                None => f.topic.get(l).to_string(),
            };
            format!("{base} ({topic})")
        },
        site: r
            .answers
            .iter()
            .find(|a| a.item == f.comparison.item)
            .map(|a| label(&a.level))
            .unwrap_or_default(),
        in_group: f.comparison.site_in_group,
        favourable: f
            .comparison
            .site_in_group
            .map(|g| g != f.comparison.counts_not_done),
        related: f.comparison.related,
    };
    let gaps = r
        .gaps
        .iter()
        .map(|g| GapView {
            rank: g.rank,
            item: g.gap.item.clone(),
            title: g.title.get(l).to_string(),
            why: g.why.get(l).to_string(),
            level: g.level_label.get(l).to_string(),
            priority: format!("{:.1}", g.gap.priority),
            neglect: g
                .gap
                .neglect
                .map(|n| ctx.fill(t.results_neglect, "value", format::percent(n * 100.0)))
                .unwrap_or_default(),
            measures: g
                .measures
                .iter()
                .map(|m| MeasureRow {
                    id: m.id.clone(),
                    title: m.title.get(l).to_string(),
                    cost: m.cost_label.get(l).to_string(),
                    example: m.example.get(l).to_string(),
                    in_plan: m.in_plan,
                })
                .collect(),
            figures: g.figures.iter().map(figure_view).collect(),
        })
        .collect();
    let changes = r
        .previous
        .as_ref()
        .map(|p| {
            p.changes
                .iter()
                .map(|c| ChangeView {
                    item: c.item.clone(),
                    title: item_title(&c.item),
                    before: label(&c.before),
                    after: label(&c.after),
                    better: c.delta.is_some_and(|d| d > 0),
                })
                .collect()
        })
        .unwrap_or_default();
    let size = catalog
        .company_sizes
        .example_bands
        .iter()
        .find(|b| b.id == r.size_band.id())
        .map(|b| b.label.get(l).to_string())
        .unwrap_or_default();
    Ok(ResultsView {
        id: r.header.assessment_id,
        site_id: r.header.site_id,
        company: r.header.company.clone(),
        site: r.header.site.clone(),
        status: if r.header.status == "complete" {
            t.assess_status_complete
        } else {
            t.assess_status_draft
        }
        .to_string(),
        complete: r.header.status == "complete",
        date: format::date(r.header.completed_at.unwrap_or(r.header.created_at), l),
        size,
        overall: score_text(r.scores.overall),
        previous_overall: r.previous.as_ref().map(|p| score_text(p.scores.overall)),
        scores,
        bars,
        radar,
        figures: r.baseline.iter().map(figure_view).collect(),
        gaps,
        to_verify: r
            .to_verify
            .iter()
            .map(|i| (i.clone(), item_title(i)))
            .collect(),
        changes,
        previous_id: r.previous.as_ref().map(|p| p.assessment_id),
        plan: r
            .plan
            .iter()
            .map(|p| {
                (
                    p.measure_title.get(l).to_string(),
                    p.item_title.get(l).to_string(),
                    p.entry.owner.clone(),
                    p.entry.due_date.clone().unwrap_or_default(),
                    plan_status_label(ctx, &p.entry.status).to_string(),
                )
            })
            .collect(),
    })
}

pub fn plan_status_label(ctx: &Ctx, status: &str) -> &'static str {
    let t = ctx.t;
    match status {
        "in_progress" => t.plan_status_in_progress,
        "done" => t.plan_status_done,
        "dropped" => t.plan_status_dropped,
        _ => t.plan_status_planned,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "results.html")]
pub struct ResultsPage {
    pub ctx: Ctx,
    pub title: String,
    /// The rendered results (cached per assessment version, plan version and language).
    pub body: std::sync::Arc<str>,
}

#[derive(Template)]
#[template(path = "results_body.html")]
pub struct ResultsBody<'a> {
    pub ctx: &'a Ctx,
    pub v: &'a ResultsView,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<ResultsPage, AppError> {
    // The authorisation layer has checked that the assessment is this company's.
    let (_, site_name, updated_at, plan) = results_version(&state, id).await?;
    let key = (id, ctx.locale, updated_at, plan);
    let body = match state.results_cache.get(&key) {
        Some(body) => body,
        None => {
            let a = own_assessment(&state, &ctx, id).await?;
            let report = reports::load(&state.store, &state.catalog, &a).await?;
            let v = view(&state.catalog, &ctx, &report)?;
            let body: std::sync::Arc<str> = ResultsBody { ctx: &ctx, v: &v }
                .render()
                .map_err(|e| AppError::Internal(e.to_string()))?
                .into();
            state.results_cache.put(key, body.clone());
            body
        }
    };
    Ok(ResultsPage {
        ctx,
        title: site_name,
        body,
    })
}

/// The version of an assessment's results, from the database or, when nothing was changed
/// through this server since it was read, from the short-lived cache.
async fn results_version(
    state: &AppState,
    id: i64,
) -> Result<crate::cache::ResultsVersion, AppError> {
    let generation = state.writes.current();
    if let Some((at, v)) = state.results_versions.get(&id)
        && at == generation
    {
        return Ok(v);
    }
    let v = state.store.results_version(id).await.map_err(|e| match e {
        kojo_storage::StoreError::NotFound => AppError::NotFound,
        other => other.into(),
    })?;
    state.results_versions.put(id, (generation, v.clone()));
    Ok(v)
}

/// The printable A4 report for management, in the language asked for (`?lang=en`).
#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct PrintReport {
    pub ctx: Ctx,
    pub v: ResultsView,
    pub generated: String,
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    #[serde(default)]
    pub lang: Option<String>,
}

pub async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<LangQuery>,
) -> Result<PrintReport, AppError> {
    let a = own_assessment(&state, &ctx, id).await?;
    let mut ctx = ctx;
    if let Some(l) = q.lang.as_deref().and_then(Locale::parse) {
        ctx.locale = l;
        ctx.t = kojo_i18n::Msg::for_locale(l);
    }
    let report = reports::load(&state.store, &state.catalog, &a).await?;
    let v = view(&state.catalog, &ctx, &report)?;
    let generated = format::datetime(kojo_storage::now_millis(), ctx.locale);
    Ok(PrintReport { ctx, v, generated })
}

/// The printable report as one self-contained HTML file (stylesheet inlined), for
/// `kojo assess report --html`.
pub fn standalone_html(
    catalog: &kojo_content::Catalog,
    report: &AssessmentReport,
    locale: Locale,
) -> Result<String, AppError> {
    use askama::Template;
    let ctx = Ctx::anonymous(locale, "/".into());
    let v = view(catalog, &ctx, report)?;
    let generated = format::datetime(kojo_storage::now_millis(), locale);
    let html = PrintReport { ctx, v, generated }
        .render()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let css = String::from_utf8_lossy(crate::assets::ASSETS[0].2);
    Ok(html.replace(
        "<link rel=\"stylesheet\" href=\"/assets/kojo.css\">",
        &format!("<style>{css}</style>"),
    ))
}

#[derive(Deserialize)]
pub struct AddToPlan {
    pub measure: String,
    #[serde(default)]
    pub assessment: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan_added.html")]
pub struct PlanAdded {
    pub ctx: Ctx,
    pub site_id: i64,
}

/// Adds a measure to the site's plan (from the gap list).
pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(site_id): Path<i64>,
    Form(form): Form<AddToPlan>,
) -> Result<Response, AppError> {
    let site = own_site(&state, &ctx, site_id).await?;
    let (user, _) = company_user(&ctx)?;
    // The measure must exist in the checklist of the site's assessment (or the newest one).
    let checklist_key = match form.assessment {
        Some(id) => {
            let a = own_assessment(&state, &ctx, id).await?;
            if a.site_id != site.id {
                return Err(AppError::NotFound);
            }
            a.checklist
        }
        None => state
            .catalog
            .latest_checklist("factory-guideline")
            .map(|c| c.key())
            .unwrap_or_default(),
    };
    let (checklist, _) = checklist_of(&state.catalog, &checklist_key)?;
    let item = checklist.item_of_measure(&form.measure).ok_or_else(|| {
        AppError::BadRequest(format!(
            "measure {:?} is not in {checklist_key}",
            form.measure
        ))
    })?;
    let new = NewPlanItem {
        checklist: checklist_key.clone(),
        item_id: item.id.clone(),
        measure_id: form.measure.clone(),
        owner: String::new(),
        due_date: None,
        assessment_id: form.assessment,
    };
    match state
        .store
        .add_plan_item(&Actor::user(user.id, &user.login), site.id, &new)
        .await
    {
        Ok(_) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    if headers.get("hx-request").is_some() {
        Ok(PlanAdded {
            ctx,
            site_id: site.id,
        }
        .into_response())
    } else {
        Ok(Redirect::to(&format!("/sites/{}/plan", site.id)).into_response())
    }
}

pub struct PlanRow {
    pub id: i64,
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

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub ctx: Ctx,
    pub site_id: i64,
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

fn statuses(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    kojo_storage::PLAN_STATUSES
        .iter()
        .map(|s| (*s, plan_status_label(ctx, s)))
        .collect()
}

async fn plan_row(
    state: &AppState,
    ctx: &Ctx,
    p: &kojo_storage::PlanItem,
) -> Result<PlanRow, AppError> {
    let l = ctx.locale;
    let org = state
        .store
        .org(state.store.site(p.site_id).await?.org_id)
        .await?;
    let size =
        kojo_core::planning::size_band(org.employees, &state.catalog.company_sizes.example_bands);
    let (checklist, _) = checklist_of(&state.catalog, &p.checklist)?;
    let item = checklist.item(&p.item_id);
    let measure = item.and_then(|i| i.measures.iter().find(|m| m.id == p.measure_id));
    Ok(PlanRow {
        id: p.id,
        version: p.version,
        item: p.item_id.clone(),
        item_title: item.map(|i| i.title.get(l).to_string()).unwrap_or_default(),
        measure: measure
            .map(|m| m.title.get(l).to_string())
            .unwrap_or_else(|| p.measure_id.clone()),
        cost: measure
            .and_then(|m| {
                state
                    .catalog
                    .bands
                    .cost_bands
                    .iter()
                    .find(|b| b.id == m.cost)
            })
            .map(|b| b.label.get(l).to_string())
            .unwrap_or_default(),
        example: measure
            .map(|m| m.examples.for_size(size).get(l).to_string())
            .unwrap_or_default(),
        owner: p.owner.clone(),
        due_date: p.due_date.clone().unwrap_or_default(),
        status: p.status.clone(),
        note: p.note.clone(),
        message: None,
        conflict: false,
    })
}

pub async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site_id): Path<i64>,
) -> Result<PlanPage, AppError> {
    let site = own_site(&state, &ctx, site_id).await?;
    let mut rows = Vec::new();
    for p in state.store.plan_of_site(site.id).await? {
        rows.push(plan_row(&state, &ctx, &p).await?);
    }
    Ok(PlanPage {
        statuses: statuses(&ctx),
        ctx,
        site_id: site.id,
        site: site.name,
        rows,
    })
}

#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_date: String,
    pub status: String,
    #[serde(default)]
    pub note: String,
    pub version: i64,
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<PlanForm>,
) -> Result<Response, AppError> {
    let (user, _) = company_user(&ctx)?;
    let item = state.store.plan_item(id).await.map_err(|e| match e {
        StoreError::NotFound => AppError::NotFound,
        other => other.into(),
    })?;
    own_site(&state, &ctx, item.site_id).await?;
    let due_date = match form.due_date.trim() {
        "" => None,
        d => Some(parse_date(d).ok_or_else(|| {
            AppError::BadRequest(format!("due_date: {d:?} is not a date (YYYY-MM-DD)"))
        })?),
    };
    if form.owner.chars().count() > 200 || form.note.chars().count() > 2000 {
        return Err(AppError::BadRequest("owner or note too long".into()));
    }
    let update = PlanUpdate {
        owner: form.owner.trim().to_string(),
        due_date,
        status: form.status.clone(),
        note: form.note.trim().to_string(),
    };
    let outcome = state
        .store
        .update_plan_item(
            &Actor::user(user.id, &user.login),
            id,
            form.version,
            &update,
        )
        .await?;
    if headers.get("hx-request").is_none() {
        return Ok(Redirect::to(&format!("/sites/{}/plan", item.site_id)).into_response());
    }
    let (current, message, conflict) = match outcome {
        Saved::Saved(p) => (p, ctx.t.assess_saved, false),
        Saved::Conflict(p) => (p.unwrap_or(item), ctx.t.plan_conflict, true),
    };
    let mut r = plan_row(&state, &ctx, &current).await?;
    r.message = Some(message.to_string());
    r.conflict = conflict;
    Ok(PlanRowFragment {
        statuses: statuses(&ctx),
        ctx,
        r,
    }
    .into_response())
}
