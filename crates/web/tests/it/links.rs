//! Every link leads somewhere: each role walks every page it can reach from the home page,
//! following every local link (pages, exports, reports), and none answers with an error.

use std::collections::{BTreeSet, VecDeque};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kojo_core::ids::{AssessmentId, RoundId};
use kojo_core::org::{OrgKind, Role};
use kojo_storage::{Actor, AnswerInput, NewPlanItem, NewRound, NewSite};

use crate::support::TestApp;

/// Pages a single walk may visit (the data below needs far fewer; this only stops a runaway).
const MAX_PAGES: usize = 400;

#[tokio::test]
async fn every_link_on_every_reachable_page_works_for_every_role() {
    let app = TestApp::new().await;
    let cli = Actor::cli();
    let ministry = app.org(OrgKind::Ministry, "経済産業省").await;
    let assoc = app.org(OrgKind::Association, "工作機械団体").await;
    let company = app.org(OrgKind::Company, "山田精機").await;
    app.db.add_membership(&cli, assoc, company).await.unwrap();

    // A factory with a completed assessment, a draft copy and a plan item.
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
    let checklist = "factory-guideline/v1";
    let done = app
        .db
        .create_assessment(&cli, site.id, checklist, None)
        .await
        .unwrap();
    let catalog = kojo_content::load_embedded().unwrap();
    for item in &catalog.latest_checklist("factory-guideline").unwrap().items {
        let input = AnswerInput {
            level: Some("2".into()),
            ..Default::default()
        };
        app.db
            .save_answer(&cli, done.id, &item.id, 0, &input)
            .await
            .unwrap();
    }
    app.db.complete_assessment(&cli, done.id).await.unwrap();
    app.db
        .create_assessment(&cli, site.id, checklist, Some(done.id))
        .await
        .unwrap();
    app.db
        .add_plan_item(
            &cli,
            site.id,
            &NewPlanItem {
                checklist: checklist.into(),
                item_id: "OPS-8".into(),
                measure_id: "OPS-8-m1".into(),
                owner: String::new(),
                due_date: None,
                assessment_id: Some(done.id),
            },
        )
        .await
        .unwrap();

    // The association's round with the company invited and answering; an interview.
    let round = app
        .db
        .create_round(
            &cli,
            assoc,
            &NewRound {
                instrument: "company-2022".into(),
                title: "会員調査".into(),
                opens_on: None,
                closes_on: None,
            },
        )
        .await
        .unwrap();
    app.user("ministry", Role::MinistryAnalyst, Some(ministry))
        .await;
    app.user("assoc", Role::AssociationAdmin, Some(assoc)).await;
    app.user("yamada", Role::CompanyAdmin, Some(company)).await;
    app.user("member", Role::CompanyMember, Some(company)).await;
    app.user("admin", Role::Admin, None).await;
    let assoc_cookie = app.sign_in("assoc").await;
    let r = app
        .post(
            &format!("/rounds/{}/invitees", round.id),
            &[("org", &company.to_string())],
            Some(&assoc_cookie),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let yamada = app.sign_in("yamada").await;
    let req = Request::post(format!("/company/surveys/{}", round.id))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &yamada)
        .body(Body::from("version=0&action=submit&G1=1&E1=1"))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::OK);
    app.db
        .create_interview(&cli, assoc, "hearing-2022", None, "")
        .await
        .unwrap();

    for login in ["admin", "ministry", "assoc", "yamada", "member"] {
        let cookie = app.sign_in(login).await;
        let seen = walk(&app, &cookie).await;
        assert!(seen.len() > 3, "{login} reached only {seen:?}");
        for must in expected(login, round.id, done.id) {
            assert!(seen.contains(&must), "{login} never reached {must}");
        }
    }
}

/// Pages each role must find by following links (so the walk is known to go deep).
fn expected(login: &str, round: RoundId, assessment: AssessmentId) -> Vec<String> {
    let paths: Vec<String> = match login {
        "ministry" => vec![
            "/national/company-2022".into(),
            "/national/company-2022/report.xlsx".into(),
            format!("/rounds/{round}/report.csv"),
            "/interviews/themes".into(),
        ],
        "assoc" => vec![
            format!("/rounds/{round}/links.csv"),
            format!("/rounds/{round}/report.xlsx"),
        ],
        "yamada" | "member" => vec![
            format!("/assessments/{assessment}/results"),
            format!("/assessments/{assessment}/workbook.xlsx"),
            format!("/assessments/{assessment}/report?lang=en"),
        ],
        _ => vec!["/admin/orgs".into()],
    };
    paths
}

/// Visits every local link reachable from `/`; returns the paths seen.
async fn walk(app: &TestApp, cookie: &str) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::from([("/".into(), "start".into())]);
    while let Some((path, from)) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        assert!(seen.len() <= MAX_PAGES, "more than {MAX_PAGES} pages");
        let r = app.get(&path, Some(cookie)).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::SEE_OTHER,
            "{path} (linked from {from}) answered {}: {}",
            r.status,
            &r.body[..r.body.len().min(300)]
        );
        if r.status == StatusCode::SEE_OTHER {
            queue.push_back((r.location().to_string(), path.clone()));
            continue;
        }
        if !r.body.trim_start().starts_with("<!doctype html") && !r.body.contains("<html") {
            continue;
        }
        for link in links(&r.body) {
            queue.push_back((link, path.clone()));
        }
    }
    seen
}

/// Local `href`s and `src`s of a page (not form actions), without fragments and HTML escapes.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for part in html.split(attr).skip(1) {
            let link = part.split('"').next().unwrap_or_default();
            let link = link
                .split('#')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&");
            if link.starts_with('/') && !link.starts_with("//") {
                found.push(link);
            }
        }
    }
    found
}
