//! The route table: every route declared once, with its handler, who may use it, a sample path
//! for the tests, its body limit, and — for the JSON API — its OpenAPI description. The router
//! (`crate::router`), the authorisation layer (`crate::authorize`), the role × route test matrix
//! and the OpenAPI document (`crate::openapi`) are all built from this one table.

use axum::routing::{MethodFilter, MethodRouter};
use kojo_core::org::Role;
use kojo_service::access::{COMPANY_ROLES, RoundUse, SURVEY_RUNNERS};
use kojo_service::assessment::WORKBOOK_UPLOAD_LIMIT;

use crate::AppState;
use crate::api_types::{AnswerBody, AnswerJson, CompletedJson, SitesJson, StartBody, StartedJson};
use crate::handlers::{
    account, admin, api, assessment, company, exports, health, home, interviews, lang, login, plan,
    respond, results, rounds, setup, survey_exports, survey_report,
};
use crate::openapi::{ApiDoc, schema};

/// The HTTP methods kojo routes (HEAD is answered by GET routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    Get,
    Post,
    Put,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
        }
    }

    pub fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Put => MethodFilter::PUT,
        }
    }
}

/// Who may use a route, checked before any handler runs. Company objects named in the path
/// (`{site}`, `{assessment}`, `{plan}`) are checked further against the caller's company, and
/// `{round}` against the round's runner (`kojo_service::access`).
#[derive(Debug, Clone, Copy)]
pub enum Access {
    /// Anyone, signed in or not (pages that work for both, assets, health).
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
    /// A survey round: its runner; the ministry may also read any round.
    Round(RoundUse),
}

#[derive(Clone, Copy)]
pub struct Route {
    pub verb: Verb,
    /// The pattern as registered in the router.
    pub path: &'static str,
    pub access: Access,
    /// A concrete path for tests (placeholders such as `{site}` are filled with real ids by the
    /// tests); empty when the path has no placeholder.
    pub sample: &'static str,
    /// The largest request body accepted, for upload routes.
    pub body_limit: Option<usize>,
    /// The OpenAPI description (every `/api/` route has one).
    pub api: Option<ApiDoc>,
    /// The route's handler, bound to its method.
    pub handler: fn() -> MethodRouter<AppState>,
}

impl Route {
    /// A concrete path for tests.
    pub fn sample(&self) -> &'static str {
        if self.sample.is_empty() {
            self.path
        } else {
            self.sample
        }
    }

    /// Routes whose data belongs to one company (their samples name a company's objects).
    pub fn is_company_data(&self) -> bool {
        ["{site}", "{assessment}", "{item}", "{plan}", "{survey}"]
            .iter()
            .any(|p| self.sample().contains(p))
    }
}

fn unrouted() -> MethodRouter<AppState> {
    MethodRouter::new()
}

/// Defaults for the optional fields of a route.
const BASE: Route = Route {
    verb: Verb::Get,
    path: "",
    access: Access::Public,
    sample: "",
    body_limit: None,
    api: None,
    handler: unrouted,
};

/// `route!(GET "/path", access, handler, sample = "…", body_limit = Some(…), api = Some(…))`
macro_rules! route {
    ($verb:ident $path:literal, $access:expr, $handler:path $(, $field:ident = $value:expr)* $(,)?) => {
        Route {
            verb: Verb::$verb,
            path: $path,
            access: $access,
            handler: {
                fn bound() -> MethodRouter<AppState> {
                    axum::routing::on(Verb::$verb.filter(), $handler)
                }
                bound
            },
            $($field: $value,)*
            ..BASE
        }
    };
}

const PUBLIC: Access = Access::Public;
const COMPANY: Access = Access::Roles(COMPANY_ROLES);
const COMPANY_ADMIN: Access = Access::Roles(&[Role::CompanyAdmin]);
const MINISTRY: Access = Access::Roles(&[Role::MinistryAnalyst]);
const RUNNERS: Access = Access::Roles(SURVEY_RUNNERS);
const ROUND_READ: Access = Access::Round(RoundUse::Read);
const ROUND_RUN: Access = Access::Round(RoundUse::Run);

/// Largest survey response file accepted for upload.
const RESPONSES_LIMIT: usize = rounds::UPLOAD_LIMIT;

pub static ROUTES: &[Route] = &[
    route!(Get "/", PUBLIC, home::page),
    route!(Get "/login", PUBLIC, login::form),
    route!(Post "/login", PUBLIC, login::submit),
    route!(Post "/logout", PUBLIC, login::logout),
    route!(Post "/lang", PUBLIC, lang::switch),
    route!(Get "/setup/{token}", PUBLIC, setup::form, sample = "/setup/0000"),
    route!(Post "/setup/{token}", PUBLIC, setup::submit, sample = "/setup/0000"),
    route!(Get "/admin/orgs", Access::Roles(&[Role::Admin]), admin::orgs),
    route!(Get "/account/password", Access::SignedIn, account::password_form),
    route!(Post "/account/password", Access::SignedIn, account::password_submit),
    route!(Get "/invite/{token}", PUBLIC, account::invite_form, sample = "/invite/0000"),
    route!(Post "/invite/{token}", PUBLIC, account::invite_submit, sample = "/invite/0000"),
    // A company's own pages.
    route!(Get "/company", COMPANY, company::page),
    route!(Post "/company/sites", COMPANY_ADMIN, company::add_site),
    route!(Get "/company/members", COMPANY_ADMIN, company::members),
    route!(Post "/company/invitations", COMPANY_ADMIN, company::invite),
    // Self-assessment.
    route!(Post "/sites/{site}/assessments", COMPANY, assessment::start),
    route!(Post "/sites/{site}/import", COMPANY, exports::import, body_limit = Some(WORKBOOK_UPLOAD_LIMIT)),
    route!(Get "/sites/{site}/plan", COMPANY, plan::page),
    route!(Post "/sites/{site}/plan", COMPANY, plan::add),
    route!(Post "/plan/{plan}", COMPANY, plan::update),
    route!(Get "/templates/assessment.xlsx", COMPANY, exports::template),
    route!(Get "/assessments/{assessment}", COMPANY, assessment::page),
    route!(Post "/assessments/{assessment}/items/{item}", COMPANY, assessment::save),
    route!(Get "/assessments/{assessment}/items/{item}/history", COMPANY, assessment::history),
    route!(Post "/assessments/{assessment}/complete", COMPANY, assessment::complete),
    route!(Post "/assessments/{assessment}/discard", COMPANY_ADMIN, assessment::discard),
    route!(Get "/assessments/{assessment}/results", COMPANY, results::page),
    route!(Get "/assessments/{assessment}/report", COMPANY, results::print),
    route!(Get "/assessments/{assessment}/export.xlsx", COMPANY, exports::xlsx),
    route!(Get "/assessments/{assessment}/export.csv", COMPANY, exports::csv),
    route!(Get "/assessments/{assessment}/workbook.xlsx", COMPANY, exports::workbook),
    // The JSON API.
    route!(Get "/api/openapi.json", PUBLIC, api::openapi, api = Some(ApiDoc::public("This document", None, schema::<serde_json::Value>))),
    route!(Get "/api/sites", COMPANY, api::sites,
        api = Some(ApiDoc::new("The signed-in company's sites and their assessments", None, schema::<SitesJson>))),
    route!(Post "/api/sites/{site}/assessments", COMPANY, api::start,
        api = Some(ApiDoc::new("Start an assessment of a site (201), optionally copying another; the site's draft in progress is continued instead (200)", Some(schema::<StartBody>), schema::<StartedJson>).created())),
    route!(Get "/api/assessments/{assessment}", COMPANY, api::report,
        api = Some(ApiDoc::new("The assessment's full report: scores, answers, prioritised gaps with measures, the 2022 figures, the comparison with the previous assessment and the plan", None, schema::<kojo_core::report::AssessmentReport>))),
    route!(Put "/api/assessments/{assessment}/answers/{item}", COMPANY, api::put_answer,
        api = Some(ApiDoc::new("Save one answer (optimistic: give the version you read; 409 with the current answer if someone saved first)", Some(schema::<AnswerBody>), schema::<AnswerJson>).invalid().conflict())),
    route!(Post "/api/assessments/{assessment}/complete", COMPANY, api::complete,
        api = Some(ApiDoc::new("Mark the assessment complete (every item answered); completing a complete assessment succeeds again", None, schema::<CompletedJson>).conflict())),
    // Survey rounds (associations and the ministry).
    route!(Get "/rounds", RUNNERS, rounds::list),
    route!(Post "/rounds", RUNNERS, rounds::create),
    route!(Get "/rounds/{round}", ROUND_READ, rounds::page),
    route!(Post "/rounds/{round}/invitees", ROUND_RUN, rounds::invite),
    route!(Get "/rounds/{round}/links.csv", ROUND_RUN, rounds::links),
    route!(Post "/rounds/{round}/close", ROUND_RUN, rounds::close),
    route!(Post "/rounds/{round}/import", ROUND_RUN, rounds::import, body_limit = Some(RESPONSES_LIMIT)),
    route!(Get "/rounds/{round}/responses.csv", MINISTRY, rounds::responses_csv),
    route!(Get "/rounds/{round}/report", ROUND_READ, survey_report::round),
    route!(Get "/rounds/{round}/report.xlsx", ROUND_READ, survey_exports::xlsx),
    route!(Get "/rounds/{round}/report.csv", ROUND_READ, survey_exports::csv),
    route!(Get "/national/{instrument}", MINISTRY, survey_report::national, sample = "/national/company-2022"),
    route!(Get "/national/{instrument}/report.xlsx", MINISTRY, survey_exports::national_xlsx, sample = "/national/company-2022/report.xlsx"),
    route!(Get "/national/{instrument}/report.csv", MINISTRY, survey_exports::national_csv, sample = "/national/company-2022/report.csv"),
    // Answering surveys.
    route!(Get "/r/{token}", PUBLIC, respond::link_form, sample = "/r/0000"),
    route!(Post "/r/{token}", PUBLIC, respond::link_submit, sample = "/r/0000"),
    route!(Get "/company/surveys", COMPANY, respond::company_list),
    route!(Get "/company/surveys/{survey}", COMPANY, respond::company_form),
    route!(Post "/company/surveys/{survey}", COMPANY, respond::company_submit),
    // Interviews (the ministry).
    route!(Get "/interviews", MINISTRY, interviews::list),
    route!(Post "/interviews", MINISTRY, interviews::create),
    route!(Get "/interviews/themes", MINISTRY, interviews::themes),
    route!(Get "/interviews/{interview}", MINISTRY, interviews::page),
    route!(Post "/interviews/{interview}/answers", MINISTRY, interviews::save_answers),
    route!(Post "/interviews/{interview}/passages", MINISTRY, interviews::add_passage),
    route!(Post "/interviews/{interview}/passages/{passage}/delete", MINISTRY, interviews::delete_passage,
        sample = "/interviews/{interview}/passages/1/delete"),
    route!(Get "/healthz", PUBLIC, health::check),
    route!(Get "/assets/{*path}", PUBLIC, crate::assets::serve, sample = "/assets/kojo.css"),
];
