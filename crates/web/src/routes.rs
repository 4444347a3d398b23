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
    route("GET", "/healthz", "/healthz", Access::Public),
    route("GET", "/assets/{*path}", "/assets/kojo.css", Access::Public),
];
