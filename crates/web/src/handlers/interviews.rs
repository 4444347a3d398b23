//! Interviews (ヒアリング) with associations along the hearing instrument: answers per question,
//! passages tagged with the codebook's themes, and theme counts per topic as the 2022 hearing
//! summary shows them.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::instrument::{Instrument, InstrumentKind};
use kojo_core::org::OrgKind;
use kojo_storage::Actor;

use kojo_core::ids::{InterviewId, OrgId, PassageId};
use kojo_service::assessment::optional_date;
use kojo_service::{Expected, Problem};

use crate::{AppError, AppState, Ctx};

fn hearing(state: &AppState) -> Result<&Instrument, AppError> {
    state
        .catalog()
        .instruments
        .iter()
        .filter(|i| i.kind == InstrumentKind::Hearing)
        .max_by_key(|i| i.year)
        .ok_or_else(|| AppError::Internal("no hearing instrument".into()))
}

pub struct InterviewRow {
    pub id: InterviewId,
    pub association: String,
    pub held_on: String,
    pub interviewer: String,
    pub passages: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "interviews.html")]
pub struct InterviewsPage {
    pub ctx: Ctx,
    pub rows: Vec<InterviewRow>,
    pub associations: Vec<(OrgId, String)>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<InterviewsPage, AppError> {
    // In the storage's name order, for the association picker.
    let associations: Vec<(OrgId, String)> = state
        .store()
        .list_orgs(Some(OrgKind::Association))
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let names: HashMap<OrgId, &str> = associations
        .iter()
        .map(|(id, name)| (*id, name.as_str()))
        .collect();
    let mut rows = Vec::new();
    for i in state.store().interviews().await? {
        rows.push(InterviewRow {
            passages: state.store().passages(i.id).await?.len(),
            association: names
                .get(&i.association_id)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            held_on: i.held_on.unwrap_or_default(),
            interviewer: i.interviewer,
            id: i.id,
        });
    }
    Ok(InterviewsPage {
        ctx,
        rows,
        associations,
    })
}

#[derive(serde::Deserialize)]
pub struct NewInterview {
    pub association: OrgId,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub interviewer: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(form): axum::Form<NewInterview>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?.clone();
    let assoc = state.store().org(form.association).await?;
    if assoc.kind != OrgKind::Association {
        return Err(Problem::Field {
            field: "association",
            value: assoc.name,
            expected: Expected::Id,
        }
        .into());
    }
    let held_on = optional_date("held_on", &form.held_on)?;
    let inst = hearing(&state)?;
    let i = state
        .store()
        .create_interview(
            &Actor::user(user.id, &user.login),
            assoc.id,
            &inst.id,
            held_on.as_deref(),
            &form.interviewer,
        )
        .await?;
    Ok(Redirect::to(&format!("/interviews/{}", i.id)).into_response())
}

pub struct QuestionView {
    pub id: String,
    pub text: String,
    pub answer: String,
    pub passages: Vec<PassageView>,
}

pub struct PassageView {
    pub id: PassageId,
    pub text: String,
    /// "topic: theme" labels.
    pub themes: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "interview.html")]
pub struct InterviewPage {
    pub ctx: Ctx,
    pub id: InterviewId,
    pub association: String,
    pub held_on: String,
    pub questions: Vec<QuestionView>,
    pub themes: Vec<(String, String)>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<InterviewId>,
) -> Result<InterviewPage, AppError> {
    let interview = state.store().interview(id).await?;
    let inst = state
        .catalog()
        .instrument(&interview.instrument)
        .ok_or(AppError::NotFound)?;
    let l = ctx.locale;
    let answers: HashMap<String, String> = state
        .store()
        .interview_answers(id)
        .await?
        .into_iter()
        .collect();
    let passages = state.store().passages(id).await?;
    let theme_label = |t: &str| {
        inst.themes
            .iter()
            .find(|x| x.id == t)
            .map(|x| format!("{}: {}", x.topic.get(l), x.label.get(l)))
            .unwrap_or_else(|| t.to_string())
    };
    Ok(InterviewPage {
        id,
        association: state.store().org(interview.association_id).await?.name,
        held_on: interview.held_on.unwrap_or_default(),
        questions: inst
            .questions
            .iter()
            .map(|q| QuestionView {
                id: q.id.clone(),
                text: q.text.get(l).to_string(),
                answer: answers.get(&q.id).cloned().unwrap_or_default(),
                passages: passages
                    .iter()
                    .filter(|p| p.question_id == q.id)
                    .map(|p| PassageView {
                        id: p.id,
                        text: p.text.clone(),
                        themes: p.theme_ids().into_iter().map(theme_label).collect(),
                    })
                    .collect(),
            })
            .collect(),
        themes: inst
            .themes
            .iter()
            .map(|t| {
                (
                    t.id.clone(),
                    format!("{}: {}", t.topic.get(l), t.label.get(l)),
                )
            })
            .collect(),
        ctx,
    })
}

/// The answers of a posted interview form, checked against the instrument (lengths).
fn answers_of(inst: &Instrument, body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    for (k, v) in form_urlencoded::parse(body) {
        let Some(q) = inst.question(&k) else { continue };
        if let Some(max) = q.max_length
            && v.chars().count() > max
        {
            return Err(Problem::Field {
                field: "answer",
                value: format!("{k}: {v}"),
                expected: Expected::MaxChars(max),
            }
            .into());
        }
        out.push((k.into_owned(), v.trim().to_string()));
    }
    Ok(out)
}

/// What every interview form post carries: who posts, the interview's instrument and the
/// answers on the page (checked, not yet saved).
struct Posted<'a> {
    actor: Actor,
    inst: &'a Instrument,
    answers: Vec<(String, String)>,
}

async fn posted<'a>(
    state: &'a AppState,
    ctx: &Ctx,
    id: InterviewId,
    body: &[u8],
) -> Result<Posted<'a>, AppError> {
    let user = ctx.require_user()?;
    let interview = state.store().interview(id).await?;
    let inst = state
        .catalog()
        .instrument(&interview.instrument)
        .ok_or(AppError::NotFound)?;
    Ok(Posted {
        actor: Actor::user(user.id, &user.login),
        inst,
        answers: answers_of(inst, body)?,
    })
}

impl Posted<'_> {
    async fn save_answers(&self, state: &AppState, id: InterviewId) -> Result<(), AppError> {
        for (k, v) in &self.answers {
            state
                .store()
                .save_interview_answer(&self.actor, id, k, v)
                .await?;
        }
        Ok(())
    }
}

pub async fn save_answers(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<InterviewId>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let posted = posted(&state, &ctx, id, &body).await?;
    posted.save_answers(&state, id).await?;
    Ok(Redirect::to(&format!("/interviews/{id}")).into_response())
}

/// Tags a passage with themes; the answers posted with it (the same form) are saved too, so
/// nothing typed is lost. Everything is checked before anything is written.
pub async fn add_passage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<InterviewId>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let posted = posted(&state, &ctx, id, &body).await?;
    let inst = posted.inst;
    let (mut question, mut text, mut themes) = (String::new(), String::new(), Vec::new());
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "passage_question" => question = v.into_owned(),
            "passage_text" => text = v.into_owned(),
            "passage_theme" => themes.push(v.into_owned()),
            _ => {}
        }
    }
    let not_listed = |field: &'static str, value: &str| Problem::Field {
        field,
        value: value.to_string(),
        expected: Expected::Id,
    };
    if inst.question(&question).is_none() {
        return Err(not_listed("passage_question", &question).into());
    }
    if text.trim().is_empty() {
        return Err(Problem::Field {
            field: "passage_text",
            value: text,
            expected: Expected::Text,
        }
        .into());
    }
    for t in &themes {
        if !inst.themes.iter().any(|x| &x.id == t) {
            return Err(not_listed("passage_theme", t).into());
        }
    }
    posted.save_answers(&state, id).await?;
    state
        .store()
        .add_passage(&posted.actor, id, &question, &text, &themes)
        .await?;
    Ok(Redirect::to(&format!("/interviews/{id}#q-{question}")).into_response())
}

/// Removes a tagged passage (to correct one, remove it and tag it again). Posted from the
/// interview's single form, so the answers typed with it are saved first, as when tagging.
/// Removing a passage that is already gone changes nothing and returns to the page.
pub async fn delete_passage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, passage)): Path<(InterviewId, PassageId)>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let posted = posted(&state, &ctx, id, &body).await?;
    posted.save_answers(&state, id).await?;
    let anchor = match state
        .store()
        .delete_passage(&posted.actor, id, passage)
        .await?
    {
        Some(question) => format!("#q-{question}"),
        None => String::new(),
    };
    Ok(Redirect::to(&format!("/interviews/{id}{anchor}")).into_response())
}

pub struct TopicView {
    pub topic: String,
    pub themes: Vec<(String, i64, i64)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "themes.html")]
pub struct ThemesPage {
    pub ctx: Ctx,
    pub interviews: usize,
    pub topics: Vec<TopicView>,
}

/// Theme counts per topic: passages and interviews that mention each theme.
pub async fn themes(State(state): State<AppState>, ctx: Ctx) -> Result<ThemesPage, AppError> {
    let inst = hearing(&state)?;
    let l = ctx.locale;
    let counts: HashMap<String, (i64, i64)> = state
        .store()
        .theme_counts(&inst.id)
        .await?
        .into_iter()
        .map(|(t, p, i)| (t, (p, i)))
        .collect();
    let mut topics: BTreeMap<String, Vec<(String, i64, i64)>> = BTreeMap::new();
    let mut order = Vec::new();
    for t in &inst.themes {
        let topic = t.topic.get(l).to_string();
        if !order.contains(&topic) {
            order.push(topic.clone());
        }
        let (p, i) = counts.get(&t.id).copied().unwrap_or((0, 0));
        topics
            .entry(topic)
            .or_default()
            .push((t.label.get(l).to_string(), p, i));
    }
    let interviews = state
        .store()
        .interviews()
        .await?
        .iter()
        .filter(|i| i.instrument == inst.id)
        .count();
    Ok(ThemesPage {
        ctx,
        interviews,
        topics: order
            .into_iter()
            .map(|t| TopicView {
                themes: topics.remove(&t).unwrap_or_default(),
                topic: t,
            })
            .collect(),
    })
}
