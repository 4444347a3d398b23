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
    route("GET", "/healthz", "/healthz", Access::Public),
    route("GET", "/assets/{*path}", "/assets/kojo.css", Access::Public),
];

/// Routes whose data belongs to one company (their samples name a company's objects).
pub fn is_company_data(r: &Route) -> bool {
    r.sample.contains('{')
}
