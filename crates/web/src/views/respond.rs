//! The answer form (a personal link or a signed-in company) and the company's list of open
//! surveys.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use kojo_core::ids::{RoundId, SiteId};
use kojo_core::{Text, format};
use kojo_service::Problem;
use kojo_service::responses::{
    Action, Answered, CompanySurvey, Outcome, Prefill, ResponseForm, Standing,
};
use kojo_service::rounds::status_label;

use crate::Ctx;
use crate::views::survey_form::{self, ErrorLink, FormInput, FormSection};

#[derive(Template, WebTemplate)]
#[template(path = "respond.html")]
pub struct RespondPage {
    pub ctx: Ctx,
    pub action: String,
    pub round_title: String,
    /// The round's period (dates as set by its runner; empty when none).
    pub period: String,
    pub respondent: String,
    pub open: bool,
    pub status: String,
    pub version: i64,
    pub sections: Vec<FormSection>,
    pub message: Option<String>,
    pub problems: Vec<String>,
    /// Every refused answer, each linking to its field (under `problems`).
    pub error_links: Vec<ErrorLink>,
    pub sites: Vec<(SiteId, String)>,
    pub prefilled_from: Option<String>,
    /// The questions filled from what kojo holds about the company, in a sentence.
    pub prefilled_attributes: Option<String>,
    /// Answering through a personal link (resume codes, no corrections after submitting).
    pub link: bool,
    /// The questions are shown (not on a spent, refused or closed link, nor on a draft whose
    /// resume code was not given).
    pub show_form: bool,
    /// A draft was saved through the link: ask for its resume code (or to start again).
    pub ask_code: bool,
    /// The resume code proven in this request, sent back with the form.
    pub code: Option<String>,
    /// Why the link shows nothing (submitted, answered signed in).
    pub state_note: Option<String>,
}

impl RespondPage {
    /// The form as it stands; `errors`: refused cells of a posted form.
    pub fn new(
        ctx: Ctx,
        form: &ResponseForm,
        action: String,
        posted: RefusedCells<'_>,
    ) -> RespondPage {
        let l = ctx.locale;
        let lang = ctx.lang();
        let round = &form.target.round;
        let input = FormInput {
            locale: l,
            t: ctx.t,
            cells: &form.cells,
            errors: posted.errors,
            rejected: posted.rejected,
        };
        let standing = form.link.as_ref().map(|a| a.standing);
        let state_note = match standing {
            Some(Standing::Submitted) => Some(Problem::ResponseSubmitted.message(&lang)),
            Some(Standing::SignedIn) => Some(Problem::AnsweredSignedIn.message(&lang)),
            _ => None,
        };
        let show_form = form.shows_questions() && round.is_open();
        RespondPage {
            action,
            round_title: round.title.clone(),
            period: format::period(round.opens_on.as_deref(), round.closes_on.as_deref(), l),
            respondent: form.target.label.clone(),
            open: round.is_open(),
            status: status_label(form.status, &lang).to_string(),
            version: form.version,
            sections: if show_form {
                survey_form::build(form.instrument, &input)
            } else {
                vec![]
            },
            message: None,
            problems: vec![],
            error_links: vec![],
            sites: vec![],
            prefilled_from: None,
            prefilled_attributes: None,
            link: form.link.is_some(),
            show_form,
            ask_code: standing == Some(Standing::Draft) && !form.shows_questions(),
            code: form.link.as_ref().and_then(|a| a.code.clone()),
            state_note,
            ctx,
        }
    }

    /// The company's form with the sites to pre-fill from and where it was pre-filled from.
    pub fn with_prefill(mut self, prefill: Prefill) -> RespondPage {
        let l = self.ctx.locale;
        self.prefilled_from = prefill
            .from
            .map(|(site, at)| format!("{site} ({})", format::date(at, l)));
        self.sites = prefill.sites.into_iter().map(|s| (s.id, s.name)).collect();
        if !prefill.attributes.is_empty() {
            let t = self.ctx.t;
            let questions = prefill.attributes.join(t.survey_list_separator);
            self.prefilled_attributes = Some(self.ctx.fill(
                t.survey_prefilled_company,
                "questions",
                questions,
            ));
        }
        self
    }

    /// The form after a post: what became of it, the refused cells and the dropped answers.
    pub fn answered(ctx: Ctx, answered: &Answered, action: String) -> RespondPage {
        let checked = &answered.checked;
        let posted = if answered.shows_posted {
            RefusedCells {
                errors: &checked.errors,
                rejected: &checked.rejected,
            }
        } else {
            RefusedCells::default()
        };
        let problems = problems(&ctx, answered);
        let message = message(&ctx, answered);
        let mut page = RespondPage::new(ctx, &answered.form, action, posted);
        page.message = message;
        page.problems = problems;
        page.error_links = survey_form::error_links(&page.sections);
        page
    }
}

/// The refused cells of a posted form (what they should hold, what was typed); none on a
/// form not posted.
#[derive(Clone, Copy)]
pub struct RefusedCells<'a> {
    pub errors: &'a HashMap<String, Text>,
    pub rejected: &'a HashMap<String, String>,
}

static NO_ERRORS: std::sync::LazyLock<HashMap<String, Text>> =
    std::sync::LazyLock::new(HashMap::new);
static NO_REJECTED: std::sync::LazyLock<HashMap<String, String>> =
    std::sync::LazyLock::new(HashMap::new);

impl Default for RefusedCells<'_> {
    fn default() -> Self {
        RefusedCells {
            errors: &NO_ERRORS,
            rejected: &NO_REJECTED,
        }
    }
}

/// What went wrong with a post: its refusal, or the refused and dropped answers.
fn problems(ctx: &Ctx, answered: &Answered) -> Vec<String> {
    let t = ctx.t;
    if let Outcome::Refused(p) = &answered.outcome {
        return vec![p.message(&ctx.lang())];
    }
    if !answered.shows_posted {
        return vec![];
    }
    let checked = &answered.checked;
    let mut problems = Vec::new();
    if !checked.errors.is_empty() {
        // Nothing was stored: said first, with how many answers to correct.
        let submit = answered.action == Action::Submit;
        problems.push(match (checked.errors.len(), submit) {
            (1, true) => t.survey_not_submitted_error.to_string(),
            (1, false) => t.survey_not_saved_error.to_string(),
            (n, true) => ctx.fill(t.survey_not_submitted_errors, "n", n),
            (n, false) => ctx.fill(t.survey_not_saved_errors, "n", n),
        });
    }
    problems.extend(
        checked
            .dropped
            .iter()
            .map(|c| ctx.fill(t.survey_dropped, "question", c)),
    );
    problems
}

/// What became of a post, in a sentence.
fn message(ctx: &Ctx, answered: &Answered) -> Option<String> {
    let t = ctx.t;
    let link = answered.form.link.is_some();
    let message = match answered.outcome {
        Outcome::Saved if link => t.survey_link_saved,
        Outcome::Saved => t.survey_saved_message,
        Outcome::Submitted if link => t.survey_link_submitted,
        Outcome::Submitted => t.survey_submitted_message,
        Outcome::Conflict => t.survey_conflict,
        Outcome::Resumed => t.survey_link_resumed,
        Outcome::Discarded => t.survey_discarded,
        Outcome::Shown | Outcome::Incomplete | Outcome::Refused(_) => return None,
    };
    Some(message.to_string())
}

pub struct SurveyRow {
    pub id: RoundId,
    pub title: String,
    pub association: String,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "company_surveys.html")]
pub struct CompanySurveys {
    pub ctx: Ctx,
    pub rows: Vec<SurveyRow>,
}

impl CompanySurveys {
    pub fn new(ctx: Ctx, surveys: Vec<CompanySurvey>) -> CompanySurveys {
        let lang = ctx.lang();
        let rows = surveys
            .into_iter()
            .map(|s| SurveyRow {
                id: s.round.id,
                title: s.round.title,
                association: s.association,
                status: status_label(s.status, &lang).to_string(),
            })
            .collect();
        CompanySurveys { ctx, rows }
    }
}
