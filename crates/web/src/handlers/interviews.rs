//! Interviews (ヒアリング) with associations along the hearing instrument (the ministry): the
//! list, starting one, its page with one form for answers and passages, and the theme counts.

use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Redirect;
use kojo_core::ids::{InterviewId, OrgId, PassageId};
use kojo_service::interviews::{InterviewDraft, PassageDraft};
use serde::Deserialize;

use crate::views::interviews::{InterviewPage, InterviewsPage, ThemesPage};
use crate::{AppError, AppState, Ctx};

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<InterviewsPage, AppError> {
    let list = state.service.interviews(&ctx.who()?).await?;
    Ok(InterviewsPage::new(ctx, list))
}

#[derive(Deserialize)]
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
    Form(form): Form<NewInterview>,
) -> Result<Redirect, AppError> {
    let draft = InterviewDraft {
        association: form.association,
        held_on: form.held_on,
        interviewer: form.interviewer,
    };
    let interview = state.service.create_interview(&ctx.who()?, &draft).await?;
    Ok(Redirect::to(&format!("/interviews/{}", interview.id)))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<InterviewId>,
) -> Result<InterviewPage, AppError> {
    let sheet = state.service.interview(&ctx.who()?, id).await?;
    Ok(InterviewPage::new(ctx, &sheet))
}

/// Every field of the interview's form: its questions' answers are named by question id, so
/// they are not known before the instrument is.
fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// The passage fields of the interview's form.
fn passage_of(fields: &[(String, String)]) -> PassageDraft {
    let mut passage = PassageDraft::default();
    for (k, v) in fields {
        match k.as_str() {
            "passage_question" => passage.question = v.clone(),
            "passage_text" => passage.text = v.clone(),
            "passage_theme" => passage.themes.push(v.clone()),
            _ => {}
        }
    }
    passage
}

pub async fn save_answers(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<InterviewId>,
    body: Bytes,
) -> Result<Redirect, AppError> {
    let posted = fields(&body);
    state
        .service
        .save_interview_answers(&ctx.who()?, id, &posted)
        .await?;
    Ok(Redirect::to(&format!("/interviews/{id}")))
}

/// Tags a passage with themes; the answers posted with it are saved too.
pub async fn add_passage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<InterviewId>,
    body: Bytes,
) -> Result<Redirect, AppError> {
    let posted = fields(&body);
    let passage = passage_of(&posted);
    state
        .service
        .add_passage(&ctx.who()?, id, &posted, &passage)
        .await?;
    Ok(Redirect::to(&format!(
        "/interviews/{id}#q-{}",
        passage.question
    )))
}

/// Removes a tagged passage (to correct one, remove it and tag it again), saving the answers
/// posted with it first. Removing a passage that is already gone returns to the page.
pub async fn delete_passage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, passage)): Path<(InterviewId, PassageId)>,
    body: Bytes,
) -> Result<Redirect, AppError> {
    let posted = fields(&body);
    let question = state
        .service
        .delete_passage(&ctx.who()?, id, passage, &posted)
        .await?;
    let anchor = question.map(|q| format!("#q-{q}")).unwrap_or_default();
    Ok(Redirect::to(&format!("/interviews/{id}{anchor}")))
}

/// Theme counts per topic: passages and interviews that mention each theme.
pub async fn themes(State(state): State<AppState>, ctx: Ctx) -> Result<ThemesPage, AppError> {
    let summary = state.service.theme_summary(&ctx.who()?).await?;
    Ok(ThemesPage::new(ctx, &summary))
}
