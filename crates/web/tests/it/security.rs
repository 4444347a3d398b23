//! Issue 8 §3/§4, as an attacker would try them over HTTP: a full database, redirect targets,
//! sign-in throttling, weak passwords, Host headers, caching and sizes. Each test names the
//! claim of docs/security.md it backs.

use axum::http::StatusCode;
use kojo_core::org::{OrgKind, Role};
use kojo_storage::{Actor, NewOrg, StoreError};

use crate::support::{PASSWORD, TestApp};

/// The JSON of `/healthz`.
async fn health(app: &TestApp) -> (StatusCode, serde_json::Value) {
    let r = app.get("/healthz", None).await;
    (r.status, serde_json::from_str(&r.body).unwrap())
}

/// security.md "Database full": a write on a full database answers 503 with its own code
/// (never a wedged connection), `/healthz` says `database_full` while it lasts, and writes and
/// sign-ins resume once there is space again, without a restart.
#[tokio::test]
async fn a_full_database_refuses_writes_cleanly_and_recovers() {
    let app = TestApp::on_sqlite().await;
    let company = app.org(OrgKind::Company, "山田製作所").await;
    app.user("yamada", Role::CompanyAdmin, Some(company)).await;
    let cookie = app.sign_in("yamada").await;
    assert_eq!(health(&app).await.0, StatusCode::OK);

    // Fill the database (a page limit just above its size).
    let pages = app.db.page_count_for_tests().await.unwrap();
    app.db.limit_sqlite_pages(pages + 2).await.unwrap();
    let long = "長".repeat(2000);
    for i in 0.. {
        let new = NewOrg {
            name: format!("{i}{long}"),
            ..NewOrg::default()
        };
        match app
            .db
            .create_org(&Actor::cli(), OrgKind::Company, &new)
            .await
        {
            Ok(_) => assert!(i < 1000, "the page limit never triggered"),
            Err(StoreError::Full) => break,
            Err(e) => panic!("{e:?}"),
        }
    }
    // Writes through the pages: refused with 503 and the database_full code, every time.
    let mut refused = 0;
    for i in 0..200 {
        let name = format!("第{i}工場{}", "工".repeat(80));
        let r = app
            .post("/company/sites", &[("name", &name)], Some(&cookie))
            .await;
        if r.status == StatusCode::SERVICE_UNAVAILABLE {
            assert!(
                r.body.contains("data-error-code=\"database_full\""),
                "{}",
                r.body
            );
            assert!(r.body.contains("空き容量"), "explained in Japanese");
            refused += 1;
            if refused == 5 {
                break;
            }
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "write {i}: {}", r.body);
        }
    }
    assert_eq!(refused, 5, "five writes in a row refused while full");
    let (status, body) = health(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["reason"], "database_full");
    assert_eq!(
        body.as_object().unwrap().len(),
        3,
        "nothing about the data: {body}"
    );

    // Space returns: writes and sign-ins work again, and the health check says so.
    app.db.limit_sqlite_pages(1_000_000).await.unwrap();
    let r = app
        .post(
            "/company/sites",
            &[("name", "空きができた工場")],
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.sign_in("yamada").await;
    assert_eq!(health(&app).await.0, StatusCode::OK);
}

/// Redirect targets as an attacker writes them: raw control characters, backslashes, scheme
/// and authority tricks, and their percent-encoded forms (decoded once by the form parser, so
/// `%09` arrives as a tab; `%2509` arrives as the text `%09`).
pub const REDIRECT_ATTACKS: &[&str] = &[
    "/\t/evil.example",
    "/\r/evil.example",
    "/\n/evil.example",
    "/\u{b}/evil.example",
    "/\u{c}/evil.example",
    "/\u{0}/evil.example",
    "/\u{7f}/evil.example",
    "/\u{85}/evil.example",
    "/\r\nSet-Cookie: x=1",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "/%09/evil.example",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "/%0d%0a/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/",
    "http:/evil.example",
    "http:evil.example",
    " //evil.example",
    "/a/..//evil.example",
    "/./..//evil.example",
    "/.//evil.example",
    "/..%2F/evil.example",
    "\u{3000}//evil.example",
    "／／evil.example",
];

/// The target a `Location` leads to, as a browser resolves it on kojo's origin.
fn lands_on_kojo(location: &str) -> bool {
    let base = url::Url::parse("http://kojo.invalid/").unwrap();
    !location.chars().any(|c| c.is_control() || c == '\\')
        && location.starts_with('/')
        && !location.starts_with("//")
        && base
            .join(location)
            .is_ok_and(|u| u.origin() == base.origin())
}

/// security.md "Redirects": every attack string, on the sign-in form (GET and POST) and on
/// the public language switch, lands on a path of kojo itself — never another host, never 500.
#[tokio::test]
async fn redirect_targets_never_leave_kojo() {
    let app = TestApp::new().await;
    app.user("root", Role::Admin, None).await;
    for attack in REDIRECT_ATTACKS {
        let r = app
            .post(
                "/login",
                &[("login", "root"), ("password", PASSWORD), ("next", attack)],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in with {attack:?}");
        assert!(
            lands_on_kojo(r.location()),
            "{attack:?} → {:?}",
            r.location()
        );

        let r = app
            .post("/lang", &[("to", "en"), ("next", attack)], None)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "/lang with {attack:?}");
        assert!(
            lands_on_kojo(r.location()),
            "{attack:?} → {:?}",
            r.location()
        );

        let page = app
            .get(
                &format!("/login?next={}", crate::support::enc(attack)),
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "/login?next={attack:?}");
        let next = hidden_next(&page.body);
        assert!(lands_on_kojo(&next), "{attack:?} → form carries {next:?}");
    }
    // A legitimate target is kept.
    let r = app
        .post(
            "/login",
            &[
                ("login", "root"),
                ("password", PASSWORD),
                ("next", "/admin/orgs?x=1"),
            ],
            None,
        )
        .await;
    assert_eq!(r.location(), "/admin/orgs?x=1");
}

/// The `next` value the sign-in form will post back (HTML-unescaped).
fn hidden_next(html: &str) -> String {
    let marker = "name=\"next\" value=\"";
    let start = html.find(marker).map(|i| i + marker.len()).unwrap_or(0);
    let end = html[start..].find('"').map(|i| start + i).unwrap_or(start);
    html[start..end]
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}
