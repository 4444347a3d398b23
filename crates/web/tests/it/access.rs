//! The authorisation matrix: every route × every role (and signed out).

use axum::http::StatusCode;
use kojo_core::org::{OrgKind, Role};
use kojo_web::routes::{Access, ROUTES};

use crate::support::TestApp;

/// Every `.route("…")` registered in the router's source must be in the access table, so a new
/// route cannot be added without deciding who may use it.
#[test]
fn every_route_is_in_the_access_table() {
    let source = include_str!("../../src/lib.rs");
    let mut registered = Vec::new();
    for (i, _) in source.match_indices(".route(") {
        let rest = source[i + ".route(".len()..].trim_start();
        let literal = rest
            .strip_prefix('"')
            .expect("route pattern as a string literal");
        registered.push(literal.split('"').next().unwrap().to_string());
    }
    assert!(registered.len() >= 5, "parsed {registered:?}");
    for pattern in &registered {
        assert!(
            ROUTES.iter().any(|r| r.pattern == pattern),
            "route {pattern} is not in kojo_web::routes::ROUTES"
        );
    }
    for r in ROUTES {
        assert!(
            registered.contains(&r.pattern.to_string()),
            "{} is listed but not routed",
            r.pattern
        );
    }
}

#[tokio::test]
async fn every_role_gets_exactly_the_routes_it_is_allowed() {
    let app = TestApp::new().await;
    let ministry = app.org(OrgKind::Ministry, "経済産業省").await;
    let assoc = app.org(OrgKind::Association, "団体").await;
    let company = app.org(OrgKind::Company, "山田製作所").await;
    let roles = [
        (Role::Admin, None),
        (Role::MinistryAnalyst, Some(ministry)),
        (Role::AssociationAdmin, Some(assoc)),
        (Role::CompanyAdmin, Some(company)),
        (Role::CompanyMember, Some(company)),
    ];
    let mut cookies = vec![(None, None)];
    for (role, org) in roles {
        app.user(role.as_str(), role, org).await;
        cookies.push((Some(role), Some(app.sign_in(role.as_str()).await)));
    }
    for route in ROUTES {
        // Sign-out ends the session; it is checked separately below.
        if route.pattern == "/logout" {
            continue;
        }
        for (role, cookie) in &cookies {
            let r = match route.method {
                "GET" => app.get(route.sample, cookie.as_deref()).await,
                _ => app.post(route.sample, &[], cookie.as_deref()).await,
            };
            let allowed = match route.access {
                Access::Public => true,
                Access::SignedIn => role.is_some(),
                Access::Roles(roles) => role.is_some_and(|r| roles.contains(&r)),
            };
            let who = role.map(|r| r.as_str()).unwrap_or("signed out");
            if allowed {
                assert!(
                    r.status != StatusCode::FORBIDDEN
                        && r.status != StatusCode::UNAUTHORIZED
                        && !r.location().starts_with("/login"),
                    "{} {} as {who}: expected access, got {} {}",
                    route.method,
                    route.sample,
                    r.status,
                    r.location()
                );
            } else if role.is_none() {
                assert!(
                    r.status == StatusCode::SEE_OTHER && r.location().starts_with("/login?next=")
                        || r.status == StatusCode::UNAUTHORIZED,
                    "{} {} signed out: expected the sign-in page, got {} {}",
                    route.method,
                    route.sample,
                    r.status,
                    r.location()
                );
            } else {
                assert!(
                    r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
                    "{} {} as {who}: expected 403/404, got {}",
                    route.method,
                    route.sample,
                    r.status
                );
            }
        }
    }
    // Every session still works: the matrix itself signed nobody out.
    for (_, cookie) in cookies.iter().skip(1) {
        let r = app.get("/", cookie.as_deref()).await;
        assert!(r.body.contains("id=\"logout\""));
    }
}
