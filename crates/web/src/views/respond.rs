//! The answer form (a personal link or a signed-in company) and the company's list of open
//! surveys.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use kojo_core::ids::{RoundId, SiteId};
use kojo_core::{Text, format};
use kojo_service::responses::{Answered, CompanySurvey, Outcome, Prefill, ResponseForm};
use kojo_service::rounds::status_label;

use crate::Ctx;
use crate::views::survey_form::{self, FormInput, FormSection};

#[derive(Template, WebTemplate)]
#[template(path = "respond.html")]
pub struct RespondPage {
    pub ctx: Ctx,
    pub action: String,
    pub round_title: String,
    /// The round's period (dates as set by its runner; empty when none).
    pub period: String,
    pub instrument: String,
    pub respondent: String,
    pub open: bool,
    pub status: String,
    pub version: i64,
    pub sections: Vec<FormSection>,
    pub message: Option<String>,
    pub problems: Vec<String>,
    pub sites: Vec<(SiteId, String)>,
    pub prefilled_from: Option<String>,
}

impl RespondPage {
    /// The form as it stands; `errors`: refused cells of a posted form.
    pub fn new(
        ctx: Ctx,
        form: &ResponseForm,
        action: String,
        errors: &HashMap<String, Text>,
    ) -> RespondPage {
        let l = ctx.locale;
        let round = &form.target.round;
        let input = FormInput {
            locale: l,
            cells: &form.cells,
            errors,
            routing_label: ctx.t.survey_routing,
        };
        RespondPage {
            action,
            round_title: round.title.clone(),
            period: format::period(round.opens_on.as_deref(), round.closes_on.as_deref(), l),
            instrument: form.instrument.title.get(l).to_string(),
            respondent: form.target.label.clone(),
            open: round.is_open(),
            status: status_label(form.status(), &ctx.lang()).to_string(),
            version: form.version(),
            sections: survey_form::build(form.instrument, &input),
            message: None,
            problems: vec![],
            sites: vec![],
            prefilled_from: None,
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
        self
    }

    /// The form after a post: what became of it, the refused cells and the dropped answers.
    pub fn answered(ctx: Ctx, answered: &Answered, action: String) -> RespondPage {
        let t = ctx.t;
        let checked = &answered.checked;
        let keep = answered.keeps_posted();
        let none = HashMap::new();
        let errors = if keep { &checked.errors } else { &none };
        let mut problems: Vec<String> = Vec::new();
        if answered.outcome != Outcome::Closed {
            if !checked.errors.is_empty() {
                problems.push(t.survey_fix_errors.to_string());
            }
            problems.extend(
                checked
                    .dropped
                    .iter()
                    .map(|c| ctx.fill(t.survey_dropped, "question", c)),
            );
        }
        let message = match answered.outcome {
            Outcome::Closed => Some(t.survey_round_closed),
            Outcome::Incomplete => None,
            Outcome::Saved => Some(t.survey_saved_message),
            Outcome::Submitted => Some(t.survey_submitted_message),
            Outcome::Conflict => Some(t.survey_conflict),
        };
        let mut page = RespondPage::new(ctx, &answered.form, action, errors);
        page.message = message.map(str::to_string);
        page.problems = problems;
        page
    }
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
