//! The interview pages: the list, one interview with its answers and tagged passages, and the
//! theme counts per topic.

use askama::Template;
use askama_web::WebTemplate;
use kojo_core::ids::{InterviewId, OrgId, PassageId};
use kojo_core::instrument::{Instrument, Theme};
use kojo_service::interviews::{InterviewList, InterviewSheet, ThemeSummary};

use crate::Ctx;

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

impl InterviewsPage {
    pub fn new(ctx: Ctx, list: InterviewList) -> InterviewsPage {
        InterviewsPage {
            ctx,
            rows: list
                .rows
                .into_iter()
                .map(|r| InterviewRow {
                    id: r.interview.id,
                    association: r.association,
                    held_on: r.interview.held_on.unwrap_or_default(),
                    interviewer: r.interview.interviewer,
                    passages: r.passages,
                })
                .collect(),
            associations: list.associations,
        }
    }
}

pub struct QuestionView {
    pub id: String,
    pub text: String,
    pub answer: String,
    /// `single` or `multiple` when answered by choices (D1: every way the association can
    /// help), `text` otherwise.
    pub kind: &'static str,
    /// (code, label, chosen) of a question answered by choices.
    pub options: Vec<(String, String, bool)>,
    pub passages: Vec<PassageView>,
}

/// The choices of a hearing question, with the ones the stored answer names ticked.
fn options(
    ctx: &Ctx,
    q: &kojo_core::instrument::Question,
    answer: &str,
) -> Vec<(String, String, bool)> {
    let chosen: Vec<&str> = answer.split(',').map(str::trim).collect();
    q.options
        .iter()
        .map(|o| {
            (
                o.code.clone(),
                o.label.get(ctx.locale).to_string(),
                chosen.contains(&o.code.as_str()),
            )
        })
        .collect()
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

/// "topic: theme" in the reader's language.
fn theme_label(ctx: &Ctx, theme: &Theme) -> String {
    let l = ctx.locale;
    format!("{}: {}", theme.topic.get(l), theme.label.get(l))
}

fn label_of(ctx: &Ctx, instrument: &Instrument, id: &str) -> String {
    instrument
        .themes
        .iter()
        .find(|x| x.id == id)
        .map(|x| theme_label(ctx, x))
        .unwrap_or_else(|| id.to_string())
}

impl InterviewPage {
    pub fn new(ctx: Ctx, sheet: &InterviewSheet) -> InterviewPage {
        let inst = sheet.instrument;
        let questions = inst
            .questions
            .iter()
            .map(|q| QuestionView {
                id: q.id.clone(),
                text: q.text.get(ctx.locale).to_string(),
                answer: sheet.answers.get(&q.id).cloned().unwrap_or_default(),
                kind: match q.kind {
                    kojo_core::instrument::QuestionType::Single => "single",
                    kojo_core::instrument::QuestionType::Multiple => "multiple",
                    _ => "text",
                },
                options: options(&ctx, q, sheet.answers.get(&q.id).map_or("", String::as_str)),
                passages: sheet
                    .passages
                    .iter()
                    .filter(|p| p.question_id == q.id)
                    .map(|p| PassageView {
                        id: p.id,
                        text: p.text.clone(),
                        themes: p
                            .theme_ids()
                            .into_iter()
                            .map(|t| label_of(&ctx, inst, t))
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        InterviewPage {
            id: sheet.interview.id,
            association: sheet.association.clone(),
            held_on: sheet.interview.held_on.clone().unwrap_or_default(),
            questions,
            themes: inst
                .themes
                .iter()
                .map(|t| (t.id.clone(), theme_label(&ctx, t)))
                .collect(),
            ctx,
        }
    }
}

pub struct TopicView {
    pub topic: String,
    /// (theme, passages, associations mentioning it).
    pub themes: Vec<(String, i64, i64)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "themes.html")]
pub struct ThemesPage {
    pub ctx: Ctx,
    pub interviews: usize,
    pub topics: Vec<TopicView>,
}

impl ThemesPage {
    /// Topics in the codebook's order, each with its themes and their counts.
    pub fn new(ctx: Ctx, summary: &ThemeSummary) -> ThemesPage {
        let l = ctx.locale;
        let mut topics: Vec<TopicView> = Vec::new();
        for t in &summary.instrument.themes {
            let topic = t.topic.get(l);
            let (passages, associations) = summary.counts.get(&t.id).copied().unwrap_or((0, 0));
            let row = (t.label.get(l).to_string(), passages, associations);
            match topics.iter_mut().find(|v| v.topic == topic) {
                Some(view) => view.themes.push(row),
                None => topics.push(TopicView {
                    topic: topic.to_string(),
                    themes: vec![row],
                }),
            }
        }
        ThemesPage {
            ctx,
            interviews: summary.interviews,
            topics,
        }
    }
}
