//! The route table: every route declared once, with its handler, who may use it, a sample path
//! for the tests, its body limit, and — for the JSON API — its OpenAPI description. The router
//! (`crate::router`), the authorisation layer (`crate::authorize`), the role × route test matrix
//! and the OpenAPI document (`crate::openapi`) are all built from this one table.

use axum::routing::{MethodFilter, MethodRouter};
use kojo_core::org::Role;
use kojo_service::access::{COMPANY_ROLES, RoundUse, SURVEY_RUNNERS};
use kojo_service::assessment::WORKBOOK_UPLOAD_LIMIT;
use kojo_service::plant_register::REGISTER_UPLOAD_LIMIT;
use kojo_service::vuln::status::StatusDraft;
use kojo_service::vuln::{ASSET_DOC_LIMIT, AssetDocView, MatchView, SiteVulns, VULN_UPLOAD_LIMIT};

use crate::AppState;
use crate::api_types::{
    AnswerBody, AnswerJson, AssetBody, AssetJson, CompletedJson, ConduitBody, ConduitJson,
    DeletedJson, FindingsJson, FlowBody, FlowJson, PlantJson, ProcessBody, ProcessJson, RiskJson,
    SitesJson, StartBody, StartedJson, ZoneBody, ZoneJson,
};
use crate::handlers::{
    account, admin, api, assessment, company, evidence, exports, glossary, health, home,
    interviews, lang, login, plan, plant, plant_api, register, respond, results, risk, rounds,
    setup, survey_exports, survey_report, vuln,
};
use crate::openapi::{ApiDoc, schema};

/// The HTTP methods kojo routes (HEAD is answered by GET routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Delete => "DELETE",
        }
    }

    pub fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Put => MethodFilter::PUT,
            Verb::Delete => MethodFilter::DELETE,
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

/// The risk API's query parameters.
const RISK_QUERY: &[(&str, &str)] = &[
    (
        "rules",
        "Risk rule set id (ipa-sme, ipa-27); the default when absent",
    ),
    (
        "min_importance",
        "Targets: assets of importance 3 (the default) or 2 and above",
    ),
    (
        "max_hops",
        "The most zone boundaries a route may cross, 1-10 (default 6)",
    ),
    (
        "limit",
        "How many routes to list, 1-1000 (default 50), highest risk first",
    ),
];

/// Largest survey response file accepted for upload.
const RESPONSES_LIMIT: usize = rounds::UPLOAD_LIMIT;

pub static ROUTES: &[Route] = &[
    route!(Get "/", PUBLIC, home::page),
    route!(Get "/login", PUBLIC, login::form),
    route!(Post "/login", PUBLIC, login::submit),
    route!(Post "/logout", PUBLIC, login::logout),
    route!(Post "/lang", PUBLIC, lang::switch),
    route!(Get "/glossary", PUBLIC, glossary::page),
    route!(Get "/setup/{token}", PUBLIC, setup::form, sample = "/setup/0000"),
    route!(Post "/setup/{token}", PUBLIC, setup::submit, sample = "/setup/0000"),
    route!(Get "/admin/orgs", Access::Roles(&[Role::Admin]), admin::orgs),
    route!(Post "/admin/orgs", Access::Roles(&[Role::Admin]), admin::add_org),
    route!(Post "/admin/invitations", Access::Roles(&[Role::Admin]), admin::invite),
    route!(Get "/admin/vulnerabilities", Access::Roles(&[Role::Admin]), vuln::admin),
    route!(Post "/admin/vulnerabilities", Access::Roles(&[Role::Admin]), vuln::upload, body_limit = Some(VULN_UPLOAD_LIMIT)),
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
    route!(Post "/plan/{plan}/remove", COMPANY, plan::remove),
    route!(Get "/sites/{site}/plan/print", COMPANY, plan::print),
    route!(Get "/templates/assessment.xlsx", COMPANY, exports::template),
    route!(Get "/assessments/{assessment}", COMPANY, assessment::page),
    route!(Post "/assessments/{assessment}/items/{item}", COMPANY, assessment::save),
    route!(Get "/assessments/{assessment}/items/{item}/history", COMPANY, assessment::history),
    route!(Post "/assessments/{assessment}/complete", COMPANY, assessment::complete),
    route!(Post "/assessments/{assessment}/discard", COMPANY_ADMIN, assessment::discard),
    route!(Get "/assessments/{assessment}/results", COMPANY, results::page),
    route!(Get "/assessments/{assessment}/report", COMPANY, results::print),
    route!(Get "/assessments/{assessment}/vendor-questions", COMPANY, results::vendor_questions),
    route!(Get "/assessments/{assessment}/evidence", COMPANY, evidence::page),
    route!(Post "/assessments/{assessment}/evidence", COMPANY, evidence::upload, body_limit = Some(evidence::EVIDENCE_UPLOAD_LIMIT)),
    route!(Get "/assessments/{assessment}/evidence/{evidence}", COMPANY, evidence::file),
    route!(Post "/assessments/{assessment}/evidence/{evidence}/delete", COMPANY, evidence::delete),
    route!(Get "/assessments/{assessment}/export.xlsx", COMPANY, exports::xlsx),
    route!(Get "/assessments/{assessment}/export.csv", COMPANY, exports::csv),
    route!(Get "/assessments/{assessment}/workbook.xlsx", COMPANY, exports::workbook),
    // The plant model (step 1) and its risk analysis (step 2).
    route!(Get "/sites/{site}/plant", COMPANY, plant::page),
    route!(Get "/sites/{site}/plant/start", COMPANY, plant::start_form),
    route!(Post "/sites/{site}/plant/start", COMPANY, plant::start_submit),
    route!(Get "/sites/{site}/plant/findings", COMPANY, plant::findings),
    // The asset register (資産台帳): blank template, the site's register, upload.
    route!(Get "/sites/{site}/plant/register-template.xlsx", COMPANY, register::template),
    route!(Get "/sites/{site}/plant/register.xlsx", COMPANY, register::export),
    route!(Post "/sites/{site}/plant/register", COMPANY, register::import, body_limit = Some(REGISTER_UPLOAD_LIMIT)),
    route!(Get "/sites/{site}/risk", COMPANY, risk::page),
    route!(Get "/sites/{site}/risk.xlsx", COMPANY, risk::workbook),
    // Vulnerability identification (step 3): the site's matches and their statuses.
    route!(Get "/sites/{site}/vulnerabilities", COMPANY, vuln::page),
    route!(Post "/sites/{site}/vulnerabilities/match", COMPANY, vuln::rematch),
    route!(Get "/sites/{site}/vulnerabilities.xlsx", COMPANY, vuln::workbook),
    route!(Get "/sites/{site}/vulnerabilities/vex.json", COMPANY, vuln::vex),
    route!(Post "/sites/{site}/vulnerabilities/documents", COMPANY, vuln::attach,
        body_limit = Some(ASSET_DOC_LIMIT + (64 << 10))),
    route!(Post "/sites/{site}/vulnerabilities/documents/{vdoc}/delete", COMPANY, vuln::detach,
        sample = "/sites/{site}/vulnerabilities/documents/{vdoc}/delete"),
    route!(Post "/sites/{site}/vulnerabilities/{vmatch}", COMPANY, vuln::update,
        sample = "/sites/{site}/vulnerabilities/{vmatch}"),
    route!(Post "/sites/{site}/plant/processes", COMPANY, plant::add_process),
    route!(Get "/sites/{site}/plant/processes/{process}", COMPANY, plant::edit_process),
    route!(Post "/sites/{site}/plant/processes/{process}", COMPANY, plant::update_process),
    route!(Post "/sites/{site}/plant/processes/{process}/delete", COMPANY, plant::delete_process),
    route!(Post "/sites/{site}/plant/zones", COMPANY, plant::add_zone),
    route!(Get "/sites/{site}/plant/zones/{zone}", COMPANY, plant::edit_zone),
    route!(Post "/sites/{site}/plant/zones/{zone}", COMPANY, plant::update_zone),
    route!(Post "/sites/{site}/plant/zones/{zone}/delete", COMPANY, plant::delete_zone),
    route!(Post "/sites/{site}/plant/conduits", COMPANY, plant::add_conduit),
    route!(Get "/sites/{site}/plant/conduits/{conduit}", COMPANY, plant::edit_conduit),
    route!(Post "/sites/{site}/plant/conduits/{conduit}", COMPANY, plant::update_conduit),
    route!(Post "/sites/{site}/plant/conduits/{conduit}/delete", COMPANY, plant::delete_conduit),
    route!(Post "/sites/{site}/plant/assets", COMPANY, plant::add_asset),
    route!(Get "/sites/{site}/plant/assets/{asset}", COMPANY, plant::edit_asset),
    route!(Post "/sites/{site}/plant/assets/{asset}", COMPANY, plant::update_asset),
    route!(Post "/sites/{site}/plant/assets/{asset}/delete", COMPANY, plant::delete_asset),
    route!(Post "/sites/{site}/plant/flows", COMPANY, plant::add_flow),
    route!(Get "/sites/{site}/plant/flows/{flow}", COMPANY, plant::edit_flow),
    route!(Post "/sites/{site}/plant/flows/{flow}", COMPANY, plant::update_flow),
    route!(Post "/sites/{site}/plant/flows/{flow}/delete", COMPANY, plant::delete_flow),
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
    route!(Get "/api/sites/{site}/plant", COMPANY, plant_api::plant,
        api = Some(ApiDoc::new("The site's plant model: business processes, zones, conduits, assets and data flows, with the importance kojo derives for zones and assets", None, schema::<PlantJson>))),
    route!(Post "/api/sites/{site}/processes", COMPANY, plant_api::post_process,
        api = Some(ApiDoc::new("Add a business process (業務)", Some(schema::<ProcessBody>), schema::<ProcessJson>).created().invalid().conflict())),
    route!(Put "/api/sites/{site}/processes/{process}", COMPANY, plant_api::put_process,
        api = Some(ApiDoc::new("Change a business process (the whole record)", Some(schema::<ProcessBody>), schema::<ProcessJson>).invalid().conflict())),
    route!(Delete "/api/sites/{site}/processes/{process}", COMPANY, plant_api::delete_process,
        api = Some(ApiDoc::new("Delete a business process", None, schema::<DeletedJson>))),
    route!(Post "/api/sites/{site}/zones", COMPANY, plant_api::post_zone,
        api = Some(ApiDoc::new("Add a zone", Some(schema::<ZoneBody>), schema::<ZoneJson>).created().invalid().conflict())),
    route!(Put "/api/sites/{site}/zones/{zone}", COMPANY, plant_api::put_zone,
        api = Some(ApiDoc::new("Change a zone (the whole record)", Some(schema::<ZoneBody>), schema::<ZoneJson>).invalid().conflict())),
    route!(Delete "/api/sites/{site}/zones/{zone}", COMPANY, plant_api::delete_zone,
        api = Some(ApiDoc::new("Delete a zone (its conduits go with it; its assets keep no zone)", None, schema::<DeletedJson>))),
    route!(Post "/api/sites/{site}/conduits", COMPANY, plant_api::post_conduit,
        api = Some(ApiDoc::new("Add a conduit between two zones of the site", Some(schema::<ConduitBody>), schema::<ConduitJson>).created().invalid())),
    route!(Put "/api/sites/{site}/conduits/{conduit}", COMPANY, plant_api::put_conduit,
        api = Some(ApiDoc::new("Change a conduit (the whole record)", Some(schema::<ConduitBody>), schema::<ConduitJson>).invalid())),
    route!(Delete "/api/sites/{site}/conduits/{conduit}", COMPANY, plant_api::delete_conduit,
        api = Some(ApiDoc::new("Delete a conduit", None, schema::<DeletedJson>))),
    route!(Post "/api/sites/{site}/assets", COMPANY, plant_api::post_asset,
        api = Some(ApiDoc::new("Add an asset (full-width letters and digits in identifying fields are normalised)", Some(schema::<AssetBody>), schema::<AssetJson>).created().invalid())),
    route!(Put "/api/sites/{site}/assets/{asset}", COMPANY, plant_api::put_asset,
        api = Some(ApiDoc::new("Change an asset (the whole record)", Some(schema::<AssetBody>), schema::<AssetJson>).invalid())),
    route!(Delete "/api/sites/{site}/assets/{asset}", COMPANY, plant_api::delete_asset,
        api = Some(ApiDoc::new("Delete an asset (its data flows go with it)", None, schema::<DeletedJson>))),
    route!(Post "/api/sites/{site}/flows", COMPANY, plant_api::post_flow,
        api = Some(ApiDoc::new("Add a data flow between two assets of the site", Some(schema::<FlowBody>), schema::<FlowJson>).created().invalid())),
    route!(Put "/api/sites/{site}/flows/{flow}", COMPANY, plant_api::put_flow,
        api = Some(ApiDoc::new("Change a data flow (the whole record)", Some(schema::<FlowBody>), schema::<FlowJson>).invalid())),
    route!(Delete "/api/sites/{site}/flows/{flow}", COMPANY, plant_api::delete_flow,
        api = Some(ApiDoc::new("Delete a data flow", None, schema::<DeletedJson>))),
    route!(Get "/api/sites/{site}/findings", COMPANY, plant_api::findings,
        api = Some(ApiDoc::new("The findings on the site's model, most serious first, worded in the user's language, each with the checklist items that fix it", None, schema::<FindingsJson>))),
    route!(Get "/api/sites/{site}/risk", COMPANY, plant_api::risk,
        api = Some(ApiDoc::new("The risk analysis: the highest-risk attack routes (at most `limit`), route counts per band, and every asset's risk", None, schema::<RiskJson>).invalid().query(RISK_QUERY))),
    route!(Get "/api/sites/{site}/vulnerabilities", COMPANY, vuln::api_list,
        api = Some(ApiDoc::new("The site's assets matched against the imported advisories (matched again first when the plant model changed): CVE, CVSS, KEV, the advisory's remediations, the factory's status and a priority with its one-sentence explanation, highest first", None, schema::<SiteVulns>))),
    route!(Get "/api/sites/{site}/vulnerabilities/documents", COMPANY, vuln::api_documents,
        api = Some(ApiDoc::new("The SBOM and VEX documents attached to the site's assets (without their text)", None, schema::<Vec<AssetDocView>>))),
    route!(Post "/api/sites/{site}/assets/{asset}/documents", COMPANY, vuln::api_attach,
        body_limit = Some(2 * ASSET_DOC_LIMIT + (64 << 10)),
        api = Some(ApiDoc::new("Attach an SBOM (CycloneDX, SPDX) or a VEX (CycloneDX, CSAF) to an asset, given as text; the site is matched again. A document that does not read is refused naming the file, the line, the column and what was expected", Some(schema::<crate::api_types::DocumentBody>), schema::<AssetDocView>).created().invalid())),
    route!(Put "/api/sites/{site}/vulnerabilities/{vmatch}", COMPANY, vuln::api_status,
        sample = "/api/sites/{site}/vulnerabilities/{vmatch}",
        api = Some(ApiDoc::new("Records the factory's status of one match (not_affected needs a CSAF VEX justification); answers the match as it now is", Some(schema::<StatusDraft>), schema::<MatchView>).invalid())),
    // Survey rounds (associations and the ministry).
    route!(Get "/rounds", RUNNERS, rounds::list),
    route!(Post "/rounds", RUNNERS, rounds::create),
    route!(Get "/rounds/{round}", ROUND_READ, rounds::page),
    route!(Post "/rounds/{round}/invitees", ROUND_RUN, rounds::invite),
    route!(Get "/rounds/{round}/links.csv", ROUND_RUN, rounds::links),
    route!(Post "/rounds/{round}/close", ROUND_RUN, rounds::close),
    route!(Post "/rounds/{round}/reopen", ROUND_RUN, rounds::reopen),
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
