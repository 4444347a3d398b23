//! Accessibility (issue 11 §5, WCAG 2.2 AA): axe-core, vendored in `tests/fixtures/axe-core`,
//! injected into every page each role reaches from the home page by following links, in
//! Japanese and English, at 1366 px. No serious or critical violation is allowed; every other
//! violation is printed (run with `--no-capture` to see the table). Keyboard-only use of the
//! survey form is tested here; the assessment's is in `forms.rs`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use fantoccini::Locator;
use fantoccini::key::Key;

use crate::forms::{World, assert_focus_visible, company_world, run, sign_in};
use crate::support::Browser;

const AXE: &str = include_str!("../fixtures/axe-core/axe.min.js");

/// Distinct pages (path shapes) one walk may check; the data below needs fewer.
const MAX_PAGES: usize = 60;

/// What each role can reach: a factory with a completed assessment, a draft, a plan item and a
/// plant model; a round with an invitation; a hearing record. Returns the member's personal
/// survey link (unanswered, so it opens the whole form).
async fn a11y_world() -> (World, String) {
    let w = company_world().await;
    let db = w.db_url().to_string();
    let b = &w.b;
    run(
        &db,
        &["org", "add", "--kind", "ministry", "経済産業省"],
        None,
    );
    for (login, role, org) in [
        ("ministry", "ministry-analyst", Some("経済産業省")),
        ("member", "company-member", Some("小林金型")),
        ("admin", "admin", None),
    ] {
        let mut args = vec!["user", "add", login, "--role", role, "--password-stdin"];
        if let Some(org) = org {
            args.extend(["--org", org]);
        }
        run(&db, &args, Some(&format!("{}\n", crate::forms::PASSWORD)));
    }
    run(&db, &["site", "add", "--org", "小林金型", "本社工場"], None);
    run(
        &db,
        &[
            "plant", "simulate", "--site", "1", "--zones", "10", "--assets", "40",
        ],
        None,
    );
    let link = crate::forms::survey_link(&w).await;

    sign_in(&w, "kobayashi").await;
    b.client.goto(&w.url("/company")).await.unwrap();
    b.click(".start-assessment").await;
    b.wait_count("article.item", 32).await;
    let page = b.client.current_url().await.unwrap().path().to_string();
    let done = b
        .client
        .execute_async(
            "const [page, done] = arguments; Promise.all([...document.querySelectorAll('article.item')].map(a => fetch(page + '/items/' + a.id.slice(5), {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'level=2&note=a11y&version=0'}))).then(() => fetch(page + '/complete', {method: 'POST'})).then(r => done(r.url))",
            vec![page.clone().into()],
        )
        .await
        .unwrap();
    assert!(done.as_str().unwrap().ends_with("/results"), "{done}");
    b.client.goto(done.as_str().unwrap()).await.unwrap();
    b.click(".add-to-plan").await;
    b.client.goto(&w.url(&page)).await.unwrap();
    b.click("#copy").await;
    b.wait_count("form[data-autosave]", 32).await;
    b.click("#logout").await;
    b.wait_count("#login", 1).await;

    sign_in(&w, "ministry").await;
    b.client.goto(&w.url("/interviews")).await.unwrap();
    // A date input takes keys in the browser's locale order: set its value as a form would.
    b.eval("document.querySelector('input[name=held_on]').value = '2026-11-30'")
        .await;
    b.fill("input[name=interviewer]", "田中").await;
    b.click("form[action='/interviews'] button[type=submit]")
        .await;
    b.wait_count("#interview-answers", 1).await;
    b.click("#logout").await;
    b.wait_count("#login", 1).await;
    (w, link)
}

/// The path's shape: numbers and tokens as `#`, query values dropped (one check per page kind).
fn shape(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut out: String = path
        .split('/')
        .map(|seg| {
            if seg.chars().any(|c| c.is_ascii_digit()) || seg.len() > 20 {
                "#"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    // The language of a page asked for in its link is part of its kind.
    let keys: BTreeSet<&str> = query
        .split('&')
        .filter_map(|kv| {
            if kv.starts_with("lang=") {
                Some(kv)
            } else {
                kv.split('=').next()
            }
        })
        .filter(|k| !k.is_empty())
        .collect();
    if !keys.is_empty() {
        out.push('?');
        out.push_str(&keys.into_iter().collect::<Vec<_>>().join("&"));
    }
    out
}

/// A link worth checking: a local page (not a file, an API, an asset, or signing out).
fn is_page(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or_default();
    href.starts_with('/')
        && !href.starts_with("//")
        && !path.starts_with("/api/")
        && !path.starts_with("/assets/")
        && !path.starts_with("/healthz")
        && ![".csv", ".xlsx", ".json", ".pdf", ".toml", ".svg", ".png"]
            .iter()
            .any(|ext| path.ends_with(ext))
}

/// One violation axe found: rule, impact, what it says, where.
#[derive(Debug, Clone)]
pub struct Violation {
    pub rule: String,
    pub impact: String,
    pub help: String,
    pub nodes: Vec<String>,
}

/// Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it stands.
pub async fn axe(b: &Browser) -> Vec<Violation> {
    let present = b.eval("return typeof window.axe === 'object'").await;
    if present != true {
        b.client
            .execute(&format!("{AXE}\n;return true;"), vec![])
            .await
            .expect("inject axe-core");
    }
    let found = b
        .client
        .execute_async(
            "const done = arguments[0]; axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({rule: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))})))).catch(e => done({error: String(e)}))",
            vec![],
        )
        .await
        .expect("axe.run");
    assert!(found.get("error").is_none(), "axe failed: {found}");
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| Violation {
            rule: v["rule"].as_str().unwrap_or_default().into(),
            impact: v["impact"].as_str().unwrap_or_default().into(),
            help: v["help"].as_str().unwrap_or_default().into(),
            nodes: v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(String::from))
                .collect(),
        })
        .collect()
}

fn blocking(v: &Violation) -> bool {
    v.impact == "serious" || v.impact == "critical"
}

/// Walks every page reachable from `start` by links, checking each page shape once; returns
/// the violations per page.
async fn walk(w: &World, start: &[String]) -> BTreeMap<String, Vec<Violation>> {
    let b = &w.b;
    let mut shapes = BTreeSet::new();
    let mut found = BTreeMap::new();
    let mut queue: VecDeque<String> = start.iter().cloned().collect();
    let mut visited = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        // Each kind of page once; the pages to start from always.
        let new_shape = shapes.insert(shape(&path));
        if !(new_shape || start.contains(&path)) || !visited.insert(path.clone()) {
            continue;
        }
        assert!(shapes.len() <= MAX_PAGES, "more than {MAX_PAGES} pages");
        b.client.goto(&w.url(&path)).await.unwrap();
        b.wait_until(
            "return document.readyState === 'complete'",
            &format!("{path} loaded"),
        )
        .await;
        if b.eval("return document.contentType").await != "text/html" {
            continue;
        }
        found.insert(path.clone(), axe(b).await);
        let links = b
            .eval(
                "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))",
            )
            .await;
        for href in links.as_array().into_iter().flatten() {
            let href = href.as_str().unwrap_or_default();
            if is_page(href) {
                queue.push_back(href.split('#').next().unwrap_or_default().to_string());
            }
        }
    }
    found
}

/// Checks every page a role reaches, in Japanese and then English; fails on any serious or
/// critical violation, printing all of them.
async fn check_role(w: &World, login: Option<&str>, start: &[String], must: &[&str]) {
    let b = &w.b;
    b.client.set_window_size(1366, 900).await.unwrap();
    if let Some(login) = login {
        sign_in(w, login).await;
    }
    let who = login.unwrap_or("anonymous");
    let mut failures = Vec::new();
    for lang in ["ja", "en"] {
        if lang == "en" {
            b.client.goto(&w.url("/")).await.unwrap();
            b.click("#lang-switch").await;
            b.wait_count("html[lang=en]", 1).await;
        }
        let pages = walk(w, start).await;
        for shape_wanted in must {
            assert!(
                pages.keys().any(|p| shape(p) == *shape_wanted),
                "{who} never reached {shape_wanted}: {:?}",
                pages.keys().collect::<Vec<_>>()
            );
        }
        for (page, violations) in &pages {
            let blocking_count = violations.iter().filter(|v| blocking(v)).count();
            println!(
                "axe {who} {lang} {page}: {} violations, {blocking_count} serious or critical",
                violations.len()
            );
            for v in violations {
                println!("    {} [{}] {} {:?}", v.rule, v.impact, v.help, v.nodes);
                if blocking(v) {
                    failures.push(format!(
                        "{who} {lang} {page}: {} [{}] {} at {:?}",
                        v.rule, v.impact, v.help, v.nodes
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "serious or critical violations:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn axe_finds_nothing_serious_for_a_company_admin() {
    let (w, _) = a11y_world().await;
    check_role(
        &w,
        Some("kobayashi"),
        // The completed assessment and the draft copied from it.
        &["/".into(), "/assessments/1".into(), "/assessments/2".into()],
        &[
            "/company",
            "/assessments/#",
            "/assessments/#/results",
            "/sites/#/plan",
            "/sites/#/plant",
            "/sites/#/risk",
            "/sites/#/vulnerabilities",
            "/company/surveys/#",
            "/company/members",
        ],
    )
    .await;
    w.b.stop().await;
}

#[tokio::test]
async fn axe_finds_nothing_serious_for_a_member_an_association_and_anyone() {
    let (w, link) = a11y_world().await;
    // The link opens the whole form (not "answered signed in"): the walk checks the questions.
    w.b.client.goto(&link).await.unwrap();
    w.b.wait_count("#survey-form .question", 70).await;
    let token_path = link
        .split_once("/r/")
        .map(|(_, t)| format!("/r/{t}"))
        .unwrap();
    check_role(
        &w,
        None,
        &["/".into(), "/login".into(), token_path],
        &["/login", "/r/#"],
    )
    .await;
    check_role(
        &w,
        Some("member"),
        &["/".into()],
        &["/company", "/assessments/#/results"],
    )
    .await;
    b_logout(&w).await;
    check_role(
        &w,
        Some("assoc"),
        &["/".into()],
        &["/rounds", "/rounds/#", "/rounds/#/report"],
    )
    .await;
    w.b.stop().await;
}

#[tokio::test]
async fn axe_finds_nothing_serious_for_the_ministry_and_an_administrator() {
    let (w, _) = a11y_world().await;
    check_role(
        &w,
        Some("ministry"),
        &["/".into()],
        &[
            "/interviews",
            "/interviews/#",
            "/interviews/themes",
            "/national/#",
        ],
    )
    .await;
    b_logout(&w).await;
    check_role(
        &w,
        Some("admin"),
        &["/".into()],
        &["/admin/orgs", "/admin/vulnerabilities"],
    )
    .await;
    w.b.stop().await;
}

async fn b_logout(w: &World) {
    w.b.client.goto(&w.url("/")).await.unwrap();
    w.b.click("#logout").await;
    w.b.wait_count("#login", 1).await;
}

/// The survey form with the keyboard alone: Tab reaches the first question, arrows choose
/// within a group, Space ticks a box, typing fills a box, and Enter on the save button saves;
/// the focus is always visible, and a refusal puts the focus on the list of errors.
#[tokio::test]
async fn the_survey_form_is_answered_with_the_keyboard_alone() {
    let w = company_world().await;
    let b = &w.b;
    let link = crate::forms::survey_link(&w).await;
    for (lang, width) in [("ja", 1366), ("en", 390)] {
        b.client.set_window_size(width, 900).await.unwrap();
        b.client.goto(&link).await.unwrap();
        b.wait_count("#survey-form.routed", 1).await;
        if lang == "en" {
            b.click("#lang-switch").await;
            b.wait_count("html[lang=en] #survey-form.routed", 1).await;
        }
        b.client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .send_keys(&Key::Tab)
            .await
            .unwrap();
        assert_eq!(
            b.eval("return document.activeElement.className").await,
            "skip"
        );
        let mut presses = 0;
        while !b.focused().await.starts_with("f-A1-") {
            b.keys(&Key::Tab).await;
            presses += 1;
            assert!(presses < 30, "never reached A1: at {}", b.focused().await);
        }
        assert_focus_visible(b).await;
        b.keys(&Key::Space).await;
        let first = b.focused().await;
        assert!(
            checked(b, &format!("#{first}")).await,
            "Space chose {first}"
        );
        b.keys(&Key::Down).await;
        let second = b.focused().await;
        assert!(second.starts_with("f-A1-") && second != first, "{second}");
        assert!(
            checked(b, &format!("#{second}")).await && !checked(b, &format!("#{first}")).await,
            "the arrow chose the next answer"
        );
        // Tab leaves the group: the next question is A2's box, named by its question.
        b.keys(&Key::Tab).await;
        assert_eq!(b.focused().await, "f-A2");
        assert_focus_visible(b).await;
        b.keys("工作機械団体").await;
        // On to C1 and a conditional question that appears after its answer.
        b.eval("document.querySelector('#f-C1-3').focus()").await;
        b.keys(&Key::Up).await;
        b.keys(&Key::Up).await;
        assert!(checked(b, "#f-C1-1").await);
        b.keys(&Key::Tab).await;
        assert!(
            b.focused().await.starts_with("f-C2-"),
            "C2 appeared and is next: {}",
            b.focused().await
        );
        b.keys(&Key::Space).await;
        assert!(checked(b, "#f-C2-1").await, "Space ticks a box");
        // A number the form refuses, then Enter on 一時保存.
        b.eval("document.querySelector('#f-F4').focus()").await;
        b.keys("三人").await;
        b.eval("document.querySelector('#choose-code').focus()")
            .await;
        b.keys("kaisha-no-himitsu").await;
        b.keys(&Key::Tab).await;
        assert_eq!(b.focused().await, "save-draft");
        assert_focus_visible(b).await;
        b.keys(&Key::Enter).await;
        b.wait_count("#respond-problems", 1).await;
        assert_eq!(b.focused().await, "respond-problems");
        b.keys(&Key::Tab).await;
        assert_eq!(
            b.eval("return document.activeElement.getAttribute('href')")
                .await,
            "#f-F4"
        );
        b.keys(&Key::Enter).await;
        assert_eq!(b.focused().await, "f-F4");
        b.keys(&(Key::Control + "a")).await;
        b.keys("3").await;
        b.eval("document.querySelector('#choose-code').focus()")
            .await;
        b.keys("kaisha-no-himitsu").await;
        b.keys(&Key::Enter).await;
        b.wait_count("#respond-message", 1).await;
        assert!(checked(b, "#f-C2-1").await && checked(b, &format!("#{second}")).await);
        assert_eq!(crate::forms::value(b, "#f-A2").await, "工作機械団体");
        // Start again for the other language.
        b.client.goto(&link).await.unwrap();
        b.click("#discard input[name=confirm]").await;
        b.click("#discard-submit").await;
        b.wait_count("#survey-form", 1).await;
    }
    w.b.stop().await;
}

async fn checked(b: &Browser, css: &str) -> bool {
    b.eval(&format!("return !!document.querySelector({css:?}).checked"))
        .await
        == true
}

/// Every field of the survey form has a name a screen reader announces (issue 11 §5 named A2,
/// A4–A11, F4, I6 and J9 as nameless): boxes by their question, choices by their label (and
/// their group by its legend), grid radios by their row and column.
#[tokio::test]
async fn every_survey_field_has_an_accessible_name() {
    let w = company_world().await;
    let b = &w.b;
    let link = crate::forms::survey_link(&w).await;
    for lang in ["ja", "en"] {
        b.client.goto(&link).await.unwrap();
        b.wait_count("#survey-form", 1).await;
        if lang == "en" {
            b.click("#lang-switch").await;
            b.wait_count("html[lang=en] #survey-form", 1).await;
        }
        // Shown without routing, so hidden questions are named too.
        b.eval("document.querySelectorAll('.question[hidden]').forEach(q => q.hidden = false)")
            .await;
        let names = b
            .accessible_names(
                "#survey-form input:not([type=hidden]), #survey-form select, #survey-form textarea",
            )
            .await;
        assert!(names.len() > 500, "{} fields", names.len());
        let nameless: Vec<&String> = names
            .iter()
            .filter(|(_, n)| n.trim().is_empty())
            .map(|(id, _)| id)
            .collect();
        assert!(
            nameless.is_empty(),
            "fields without a name ({lang}): {nameless:?}"
        );
        let name = |id: &str| {
            names
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| panic!("no field {id}"))
        };
        let (a4, f4, grid) = if lang == "ja" {
            (
                "A4 貴社の総従業員数",
                "F4 工場システムのセキュリティを担当している人数",
                "実施済み",
            )
        } else {
            (
                "A4 How many employees",
                "F4 How many people work on factory system security",
                "Implemented",
            )
        };
        assert!(name("f-A4").starts_with(a4), "{}", name("f-A4"));
        assert!(name("f-F4").starts_with(f4), "{}", name("f-F4"));
        for id in [
            "f-A2", "f-A5", "f-A6", "f-A7", "f-A8", "f-A9", "f-A10", "f-A11", "f-I6", "f-J9",
        ] {
            assert!(name(id).starts_with(&id[2..]), "{id}: {}", name(id));
        }
        // A grid radio: its row, then its column.
        let org1 = name("f-H1.ORG-1-3");
        assert!(org1.contains(grid) && org1.len() > grid.len() + 5, "{org1}");
        // A question with choices is a group named by its question.
        let legends = b
            .eval("return [...document.querySelectorAll('#survey-form fieldset.question-group')].filter(f => !f.querySelector('legend') || !f.querySelector('legend').textContent.trim()).length")
            .await;
        assert_eq!(legends, 0);
    }
    w.b.stop().await;
}
