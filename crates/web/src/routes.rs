//! Who may use which route. This table is the authorisation contract that the role × route
//! test matrix checks against the running router (every route in `router()` must be listed).

use kojo_core::org::Role;

#[derive(Debug, Clone, Copy)]
pub enum Access {
    /// Anyone, signed in or not (pages that work for both, assets, health).
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
    /// A survey round: the association (or ministry) that runs it; the ministry may also read
    /// any round (`write: false`).
    Round { write: bool },
}

#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    /// The pattern as registered in the router.
    pub pattern: &'static str,
    /// A concrete path for tests.
    pub sample: &'static str,
    pub access: Access,
}

const fn route(
    method: &'static str,
    pattern: &'static str,
    sample: &'static str,
    access: Access,
) -> Route {
    Route {
        method,
        pattern,
        sample,
        access,
    }
}

const COMPANY: Access = Access::Roles(&[Role::CompanyAdmin, Role::CompanyMember]);
const COMPANY_ADMIN: Access = Access::Roles(&[Role::CompanyAdmin]);
const MINISTRY: Access = Access::Roles(&[Role::MinistryAnalyst]);
const SURVEY_RUNNERS: Access = Access::Roles(&[Role::AssociationAdmin, Role::MinistryAnalyst]);

/// Samples use placeholders the tests fill in with real ids of a company's data:
/// `{site}`, `{assessment}`, `{item}`, `{plan}`.
pub const ROUTES: &[Route] = &[
    route("GET", "/", "/", Access::Public),
    route("GET", "/login", "/login", Access::Public),
    route("POST", "/login", "/login", Access::Public),
    route("POST", "/logout", "/logout", Access::Public),
    route("POST", "/lang", "/lang", Access::Public),
    route("GET", "/setup/{token}", "/setup/0000", Access::Public),
    route("POST", "/setup/{token}", "/setup/0000", Access::Public),
    route(
        "GET",
        "/admin/orgs",
        "/admin/orgs",
        Access::Roles(&[Role::Admin]),
    ),
    route(
        "GET",
        "/account/password",
        "/account/password",
        Access::SignedIn,
    ),
    route(
        "POST",
        "/account/password",
        "/account/password",
        Access::SignedIn,
    ),
    route("GET", "/invite/{token}", "/invite/0000", Access::Public),
    route("POST", "/invite/{token}", "/invite/0000", Access::Public),
    route("GET", "/company", "/company", COMPANY),
    route("POST", "/company/sites", "/company/sites", COMPANY_ADMIN),
    route("GET", "/company/members", "/company/members", COMPANY_ADMIN),
    route(
        "POST",
        "/company/invitations",
        "/company/invitations",
        COMPANY_ADMIN,
    ),
    route(
        "POST",
        "/sites/{site}/assessments",
        "/sites/{site}/assessments",
        COMPANY,
    ),
    route(
        "POST",
        "/sites/{site}/import",
        "/sites/{site}/import",
        COMPANY,
    ),
    route("GET", "/sites/{site}/plan", "/sites/{site}/plan", COMPANY),
    route("POST", "/sites/{site}/plan", "/sites/{site}/plan", COMPANY),
    route("POST", "/plan/{plan}", "/plan/{plan}", COMPANY),
    route(
        "GET",
        "/templates/assessment.xlsx",
        "/templates/assessment.xlsx",
        COMPANY,
    ),
    route(
        "GET",
        "/assessments/{assessment}",
        "/assessments/{assessment}",
        COMPANY,
    ),
    route(
        "POST",
        "/assessments/{assessment}/items/{item}",
        "/assessments/{assessment}/items/{item}",
        COMPANY,
    ),
    route(
        "GET",
        "/assessments/{assessment}/items/{item}/history",
        "/assessments/{assessment}/items/{item}/history",
        COMPANY,
    ),
    route(
        "POST",
        "/assessments/{assessment}/complete",
        "/assessments/{assessment}/complete",
        COMPANY,
    ),
    route(
        "POST",
        "/assessments/{assessment}/discard",
        "/assessments/{assessment}/discard",
        COMPANY_ADMIN,
    ),
    route(
        "GET",
        "/assessments/{assessment}/results",
        "/assessments/{assessment}/results",
        COMPANY,
    ),
    route(
        "GET",
        "/assessments/{assessment}/report",
        "/assessments/{assessment}/report",
        COMPANY,
    ),
    route(
        "GET",
        "/assessments/{assessment}/export.xlsx",
        "/assessments/{assessment}/export.xlsx",
        COMPANY,
    ),
    route(
        "GET",
        "/assessments/{assessment}/export.csv",
        "/assessments/{assessment}/export.csv",
        COMPANY,
    ),
    route(
        "GET",
        "/api/openapi.json",
        "/api/openapi.json",
        Access::Public,
    ),
    route("GET", "/api/sites", "/api/sites", COMPANY),
    route(
        "POST",
        "/api/sites/{site}/assessments",
        "/api/sites/{site}/assessments",
        COMPANY,
    ),
    route(
        "GET",
        "/api/assessments/{assessment}",
        "/api/assessments/{assessment}",
        COMPANY,
    ),
    route(
        "PUT",
        "/api/assessments/{assessment}/answers/{item}",
        "/api/assessments/{assessment}/answers/{item}",
        COMPANY,
    ),
    route(
        "POST",
        "/api/assessments/{assessment}/complete",
        "/api/assessments/{assessment}/complete",
        COMPANY,
    ),
    route("GET", "/rounds", "/rounds", SURVEY_RUNNERS),
    route("POST", "/rounds", "/rounds", SURVEY_RUNNERS),
    route(
        "GET",
        "/rounds/{round}",
        "/rounds/{round}",
        Access::Round { write: false },
    ),
    route(
        "POST",
        "/rounds/{round}/invitees",
        "/rounds/{round}/invitees",
        Access::Round { write: true },
    ),
    route(
        "GET",
        "/rounds/{round}/links.csv",
        "/rounds/{round}/links.csv",
        Access::Round { write: true },
    ),
    route(
        "POST",
        "/rounds/{round}/close",
        "/rounds/{round}/close",
        Access::Round { write: true },
    ),
    route(
        "POST",
        "/rounds/{round}/import",
        "/rounds/{round}/import",
        Access::Round { write: true },
    ),
    route(
        "GET",
        "/rounds/{round}/responses.csv",
        "/rounds/{round}/responses.csv",
        MINISTRY,
    ),
    route(
        "GET",
        "/rounds/{round}/report",
        "/rounds/{round}/report",
        Access::Round { write: false },
    ),
    route(
        "GET",
        "/rounds/{round}/report.xlsx",
        "/rounds/{round}/report.xlsx",
        Access::Round { write: false },
    ),
    route(
        "GET",
        "/rounds/{round}/report.csv",
        "/rounds/{round}/report.csv",
        Access::Round { write: false },
    ),
    route(
        "GET",
        "/national/{instrument}",
        "/national/company-2022",
        MINISTRY,
    ),
    route(
        "GET",
        "/national/{instrument}/report.xlsx",
        "/national/company-2022/report.xlsx",
        MINISTRY,
    ),
    route(
        "GET",
        "/national/{instrument}/report.csv",
        "/national/company-2022/report.csv",
        MINISTRY,
    ),
    route(
        "GET",
        "/assessments/{assessment}/workbook.xlsx",
        "/assessments/{assessment}/workbook.xlsx",
        COMPANY,
    ),
    route("GET", "/r/{token}", "/r/0000", Access::Public),
    route("POST", "/r/{token}", "/r/0000", Access::Public),
    route("GET", "/company/surveys", "/company/surveys", COMPANY),
    route(
        "GET",
        "/company/surveys/{survey}",
        "/company/surveys/{survey}",
        COMPANY,
    ),
    route(
        "POST",
        "/company/surveys/{survey}",
        "/company/surveys/{survey}",
        COMPANY,
    ),
    route("GET", "/interviews", "/interviews", MINISTRY),
    route("POST", "/interviews", "/interviews", MINISTRY),
    route("GET", "/interviews/themes", "/interviews/themes", MINISTRY),
    route(
        "GET",
        "/interviews/{interview}",
        "/interviews/{interview}",
        MINISTRY,
    ),
    route(
        "POST",
        "/interviews/{interview}/answers",
        "/interviews/{interview}/answers",
        MINISTRY,
    ),
    route(
        "POST",
        "/interviews/{interview}/passages",
        "/interviews/{interview}/passages",
        MINISTRY,
    ),
    route(
        "POST",
        "/interviews/{interview}/passages/{passage}/delete",
        "/interviews/{interview}/passages/1/delete",
        MINISTRY,
    ),
    route("GET", "/healthz", "/healthz", Access::Public),
    route("GET", "/assets/{*path}", "/assets/kojo.css", Access::Public),
];

/// Routes whose data belongs to one company (their samples name a company's objects).
pub fn is_company_data(r: &Route) -> bool {
    ["{site}", "{assessment}", "{item}", "{plan}", "{survey}"]
        .iter()
        .any(|p| r.sample.contains(p))
}
