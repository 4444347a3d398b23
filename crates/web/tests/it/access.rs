//! The authorisation matrix: every route × every role (and signed out).

use axum::http::StatusCode;
use kojo_core::org::{OrgKind, Role};
use kojo_service::access::RoundUse;
use kojo_storage::{Actor, NewPlanItem, NewRound, NewSite};
use kojo_web::routes::{Access, ROUTES};

use kojo_core::ids::{AssetId, ConduitId, FlowId, ProcessId, SiteId, ZoneId};
use kojo_core::plant::model::{
    Asset, AssetKind, Conduit, ConduitKind, Direction, Exposure, Flow, Importance, Plant, Process,
    Zone, ZonePurpose,
};

use crate::support::TestApp;

/// The path parameters naming a record of a site's plant model.
const PLANT_PARAMS: [&str; 5] = ["{process}", "{zone}", "{conduit}", "{asset}", "{flow}"];

/// Replaces the site's model with one record of each kind and returns their ids in the order
/// of [`PLANT_PARAMS`].
async fn fresh_plant(app: &TestApp, site: SiteId) -> [i64; 5] {
    let zone = |id, name: &str, purpose| Zone {
        id: ZoneId::new(id),
        name: name.into(),
        purpose,
        exposure: Exposure::Internal,
        importance: None,
        sl_target: 2,
        processes: vec![ProcessId::new(1)],
    };
    let plant = Plant {
        processes: vec![Process {
            id: ProcessId::new(1),
            name: "プレス加工".into(),
            importance: Importance::High,
            damages: vec![],
            impact: String::new(),
        }],
        zones: vec![
            zone(1, "制御", ZonePurpose::Control),
            zone(2, "事務", ZonePurpose::Information),
        ],
        conduits: vec![Conduit {
            id: ConduitId::new(1),
            name: "FW".into(),
            a: ZoneId::new(2),
            b: ZoneId::new(1),
            kind: ConduitKind::Firewall,
            direction: Direction::Both,
            protocols: vec![],
            encrypted: false,
            always_on: false,
            operator: String::new(),
        }],
        assets: vec![
            Asset {
                zone: Some(ZoneId::new(1)),
                ..Asset::new(AssetId::new(1), "PLC", AssetKind::Plc)
            },
            Asset {
                zone: Some(ZoneId::new(2)),
                ..Asset::new(AssetId::new(2), "PC", AssetKind::Workstation)
            },
        ],
        flows: vec![Flow {
            id: FlowId::new(1),
            from: AssetId::new(1),
            to: AssetId::new(2),
            data: "実績".into(),
            protocol: String::new(),
            conduit: Some(ConduitId::new(1)),
        }],
    };
    let stored = app
        .db
        .replace_plant(&Actor::cli(), site, &plant, "import")
        .await
        .unwrap();
    [
        stored.processes[0].id.get(),
        stored.zones[0].id.get(),
        stored.conduits[0].id.get(),
        stored.assets[0].id.get(),
        stored.flows[0].id.get(),
    ]
}

fn fill_plant(path: &str, ids: &[i64; 5]) -> String {
    let mut out = path.to_string();
    for (param, id) in PLANT_PARAMS.iter().zip(ids) {
        out = out.replace(param, &id.to_string());
    }
    out
}

/// The route table is the one list of routes: each (method, path) once, each placeholder of a
/// path filled in its sample, and every route reachable through the router built from it (an
/// unrouted path would answer with the fallback's 404 page even for the instance admin).
#[test]
fn the_route_table_is_consistent() {
    let mut seen = std::collections::HashSet::new();
    for r in ROUTES {
        assert!(
            seen.insert((r.verb, r.path)),
            "{} {} is declared twice",
            r.verb.as_str(),
            r.path
        );
        for param in kojo_web::openapi::path_parameters(r.path) {
            let filled = !r.sample().contains(&format!("{{{param}}}"))
                || [
                    "site",
                    "assessment",
                    "item",
                    "plan",
                    "evidence",
                    "survey",
                    "round",
                    "interview",
                    "process",
                    "zone",
                    "conduit",
                    "asset",
                    "flow",
                    "vmatch",
                    "vdoc",
                ]
                .contains(&param.trim_start_matches('*'));
            assert!(
                filled,
                "{}: sample {} leaves {{{param}}} unfilled",
                r.path,
                r.sample()
            );
        }
    }
    assert!(ROUTES.len() >= 60, "{} routes", ROUTES.len());
}

#[tokio::test]
async fn every_role_gets_exactly_the_routes_it_is_allowed() {
    let app = TestApp::new().await;
    let ministry = app.org(OrgKind::Ministry, "経済産業省").await;
    let assoc = app.org(OrgKind::Association, "団体").await;
    let company = app.org(OrgKind::Company, "山田製作所").await;
    let other = app.org(OrgKind::Company, "佐藤化学").await;
    // Company A's data that the company-data routes point at.
    let cli = Actor::cli();
    let site = app
        .db
        .create_site(
            &cli,
            company,
            &NewSite {
                name: "本社工場".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap();
    let assessment = app
        .db
        .create_assessment(&cli, site.id, "factory-guideline/v1", None)
        .await
        .unwrap();
    let plan = app
        .db
        .add_plan_item(
            &cli,
            site.id,
            &NewPlanItem {
                checklist: "factory-guideline/v1".into(),
                item_id: "OPS-8".into(),
                measure_id: "OPS-8-m1".into(),
                owner: String::new(),
                due_date: None,
                assessment_id: None,
            },
        )
        .await
        .unwrap();
    let evidence = app
        .db
        .add_evidence(
            &cli,
            assessment.id,
            &kojo_storage::NewEvidence {
                item_id: "ORG-1",
                file_name: "photo.jpg",
                kind: kojo_core::evidence::EvidenceKind::Jpeg,
                content: b"\xFF\xD8\xFF\xE0",
            },
        )
        .await
        .unwrap();
    // A company survey round run by the association (company A is a member), an interview.
    app.db.add_membership(&cli, assoc, company).await.unwrap();
    let round = app
        .db
        .create_round(
            &cli,
            assoc,
            &NewRound {
                instrument: "company-2022".into(),
                title: "調査".into(),
                opens_on: None,
                closes_on: None,
            },
        )
        .await
        .unwrap();
    let interview = app
        .db
        .create_interview(&cli, assoc, "hearing-2022", None, "")
        .await
        .unwrap();
    let other_assoc = app.org(OrgKind::Association, "別団体").await;
    let fill = |sample: &str| {
        sample
            .replace("{round}", &round.id.to_string())
            .replace("{survey}", &round.id.to_string())
            .replace("{interview}", &interview.id.to_string())
            .replace("{site}", &site.id.to_string())
            .replace("{assessment}", &assessment.id.to_string())
            .replace("{item}", "ORG-1")
            .replace("{plan}", &plan.id.to_string())
            .replace("{evidence}", &evidence.to_string())
    };
    // (role, its organisation, belongs to company A)
    // (role, its organisation, belongs to company A, runs the round)
    let people = [
        ("admin", Role::Admin, None, false, false),
        (
            "ministry",
            Role::MinistryAnalyst,
            Some(ministry),
            false,
            false,
        ),
        ("assoc", Role::AssociationAdmin, Some(assoc), false, true),
        (
            "assoc-b",
            Role::AssociationAdmin,
            Some(other_assoc),
            false,
            false,
        ),
        ("a-admin", Role::CompanyAdmin, Some(company), true, false),
        ("a-member", Role::CompanyMember, Some(company), true, false),
        ("b-admin", Role::CompanyAdmin, Some(other), false, false),
        ("b-member", Role::CompanyMember, Some(other), false, false),
    ];
    type Person = (String, Option<Role>, bool, bool, Option<String>);
    let mut who: Vec<Person> = vec![("signed out".into(), None, false, false, None)];
    for (login, role, org, own, runs) in people {
        app.user(login, role, org).await;
        who.push((
            login.to_string(),
            Some(role),
            own,
            runs,
            Some(app.sign_in(login).await),
        ));
    }
    for route in ROUTES {
        // Sign-out ends the session and closing ends the round; both are tested on their own.
        if route.path == "/logout" || route.path.ends_with("/close") {
            continue;
        }
        for (name, role, own, runs, cookie) in &who {
            // A fresh model for every request on a record of it: deleting one is allowed.
            let path = if PLANT_PARAMS.iter().any(|p| route.path.contains(p)) {
                fill_plant(&fill(route.sample()), &fresh_plant(&app, site.id).await)
            } else if route.path == "/assessments/{assessment}/evidence/{evidence}/delete" {
                // A fresh file for every request: deleting one is allowed.
                let fresh = fresh_evidence(&app, assessment.id).await;
                fill(route.sample()).replace(
                    &format!("/evidence/{evidence}/"),
                    &format!("/evidence/{fresh}/"),
                )
            } else if route.path.contains("{vdoc}") {
                // A fresh document for every request: removing one is allowed.
                let d = fresh_document(&app, site.id).await;
                fill(route.sample()).replace("{vdoc}", &d.to_string())
            } else if route.path.contains("{vmatch}") {
                // A fresh match of a fresh model for every request.
                let m = fresh_match(&app, site.id).await;
                fill(route.sample()).replace("{vmatch}", &m.to_string())
            } else if route.path == "/plan/{plan}/remove" {
                // A fresh plan item for every request: removing one is allowed.
                let fresh = fresh_plan_item(&app, site.id).await;
                route.sample().replace("{plan}", &fresh.to_string())
            } else {
                fill(route.sample())
            };
            let r = app
                .request(route.verb.as_str(), &path, cookie.as_deref())
                .await;
            let role_allowed = match route.access {
                Access::Public => true,
                Access::SignedIn => role.is_some(),
                Access::Roles(roles) => role.is_some_and(|r| roles.contains(&r)),
                Access::Round(usage) => {
                    *runs || (usage == RoundUse::Read && *role == Some(Role::MinistryAnalyst))
                }
            };
            // Rounds: another association's round does not exist for it; the ministry may read
            // any round but not change it.
            if let Access::Round(usage) = route.access
                && !role_allowed
                && role.is_some()
            {
                let expected = if *role == Some(Role::AssociationAdmin) {
                    vec![StatusCode::NOT_FOUND]
                } else if *role == Some(Role::MinistryAnalyst) && usage == RoundUse::Run {
                    vec![StatusCode::FORBIDDEN]
                } else {
                    vec![StatusCode::FORBIDDEN, StatusCode::NOT_FOUND]
                };
                assert!(
                    expected.contains(&r.status),
                    "{} {} as {name}: expected {expected:?}, got {}",
                    route.verb.as_str(),
                    path,
                    r.status
                );
                continue;
            }
            // Another company's data is never reachable, whatever the role.
            let allowed = role_allowed && (!route.is_company_data() || *own);
            let context = format!(
                "{} {} as {name}: got {} {}",
                route.verb.as_str(),
                path,
                r.status,
                r.location()
            );
            // A one-time link with a made-up token is "not found" for everyone, by design.
            let token_route = route.path.contains("{token}");
            if allowed {
                assert!(
                    r.status != StatusCode::FORBIDDEN
                        && (r.status != StatusCode::NOT_FOUND || token_route)
                        && r.status != StatusCode::UNAUTHORIZED
                        && !r.location().starts_with("/login"),
                    "expected access: {context}"
                );
            } else if role.is_none() {
                assert!(
                    r.status == StatusCode::SEE_OTHER && r.location().starts_with("/login?next=")
                        || r.status == StatusCode::UNAUTHORIZED,
                    "expected the sign-in page: {context}"
                );
            } else if role_allowed {
                // The right role, but another company's data: it does not exist for them.
                assert_eq!(r.status, StatusCode::NOT_FOUND, "expected 404: {context}");
            } else {
                assert!(
                    r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
                    "expected 403/404: {context}"
                );
            }
            // Nothing is cached: pages carry a company's data, answers, exports (security.md
            // "Caching"); only the embedded assets may be kept.
            let cache = r.headers.get("cache-control").map(|v| v.to_str().unwrap());
            if path.starts_with("/assets/") {
                assert_ne!(cache, Some("no-store"), "{context}");
            } else {
                assert_eq!(cache, Some("no-store"), "{context}");
            }
            // Nothing of company A leaks into any refused answer.
            if !allowed {
                assert!(
                    !r.body.contains("本社工場"),
                    "company data leaked: {context}"
                );
            }
        }
    }
    // Every session still works: the matrix itself signed nobody out.
    for (_, _, _, _, cookie) in who.iter().skip(1) {
        let r = app.get("/", cookie.as_deref()).await;
        assert!(r.body.contains("id=\"logout\""));
    }
}

/// An SBOM attached to the asset of a fresh model.
async fn fresh_document(app: &TestApp, site: SiteId) -> kojo_core::ids::AssetDocId {
    let [_, _, _, asset, _] = fresh_plant(app, site).await;
    let doc = kojo_storage::AssetDocIn {
        asset: AssetId::new(asset),
        file_name: "sbom.cdx.json",
        format: "CycloneDX JSON",
        components: 0,
        statements: 0,
        document: "{}",
    };
    app.db
        .vuln_add_asset_document(&Actor::cli(), site, &doc)
        .await
        .unwrap()
}

/// A vulnerability match of its own, on the asset of a fresh model (an advisory is stored once).
async fn fresh_match(app: &TestApp, site: SiteId) -> kojo_core::ids::VulnMatchId {
    let cli = Actor::cli();
    let [_, _, _, asset, _] = fresh_plant(app, site).await;
    let run = app.db.vuln_begin_run(&cli).await.unwrap();
    let advisory = kojo_storage::AdvisoryIn {
        namespace: "https://www.cisa.gov/",
        tracking_id: "ICSA-24-001-01",
        revision: "1",
        current_release: "2024-01-01",
        title: "Example PLC",
        publisher: "CISA",
        document: "{}",
        digest: "d1",
        cves: vec![("CVE-2024-0001".into(), Some(9.8))],
        products: vec![],
    };
    app.db
        .vuln_store_advisories(run, &[advisory])
        .await
        .unwrap();
    let row = app.db.vuln_latest_documents().await.unwrap()[0].0.id;
    let revision = app.db.plant_revision(site).await.unwrap();
    let found = kojo_storage::MatchIn {
        asset_id: AssetId::new(asset),
        asset_name: "PLC".into(),
        advisory_id: row,
        tracking_id: "ICSA-24-001-01".into(),
        revision: "1".into(),
        cve: "CVE-2024-0001".into(),
        product_id: "CSAFPID-0001".into(),
        verdict: kojo_core::vuln::matching::Verdict::Affected,
        confidence: 100,
        reasons: String::new(),
        component: String::new(),
        vex: None,
    };
    app.db
        .vuln_replace_matches(&cli, site, None, revision, &[found])
        .await
        .unwrap();
    app.db.vuln_matches(site).await.unwrap()[0].id
}

/// A plan item of its own (measure OPS-8-m2), replacing the one a refused request left.
async fn fresh_plan_item(
    app: &TestApp,
    site: kojo_core::ids::SiteId,
) -> kojo_core::ids::PlanItemId {
    let cli = Actor::cli();
    for item in app.db.plan_of_site(site).await.unwrap() {
        if item.measure_id == "OPS-8-m2" {
            app.db.remove_plan_item(&cli, item.id).await.unwrap();
        }
    }
    app.db
        .add_plan_item(
            &cli,
            site,
            &NewPlanItem {
                checklist: "factory-guideline/v1".into(),
                item_id: "OPS-8".into(),
                measure_id: "OPS-8-m2".into(),
                owner: String::new(),
                due_date: None,
                assessment_id: None,
            },
        )
        .await
        .unwrap()
        .id
}

/// An evidence file of its own on the assessment (replacing the one a refused request left).
async fn fresh_evidence(
    app: &TestApp,
    assessment: kojo_core::ids::AssessmentId,
) -> kojo_core::ids::EvidenceId {
    for e in app.db.evidence_of(assessment).await.unwrap() {
        if e.item_id == "OPS-1" {
            app.db.delete_evidence(&Actor::cli(), e.id).await.unwrap();
        }
    }
    app.db
        .add_evidence(
            &Actor::cli(),
            assessment,
            &kojo_storage::NewEvidence {
                item_id: "OPS-1",
                file_name: "photo.jpg",
                kind: kojo_core::evidence::EvidenceKind::Jpeg,
                content: b"\xFF\xD8\xFF\xE0",
            },
        )
        .await
        .unwrap()
}
