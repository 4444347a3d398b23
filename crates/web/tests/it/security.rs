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

/// Sends `n` wrong-password sign-ins for `login`; returns (checked, refused): how many were
/// answered 401 (the password was checked) and 429 (refused unchecked).
async fn guess(
    app: &TestApp,
    n: usize,
    login: impl Fn(usize) -> String,
    peer: &str,
    forwarded_for: Option<&str>,
) -> (usize, usize) {
    let (mut checked, mut refused) = (0, 0);
    for i in 0..n {
        let l = login(i);
        let form = [("login", l.as_str()), ("password", "wrong-guess-123")];
        let r = app
            .post_via("/login", &form, None, peer, forwarded_for)
            .await;
        match r.status {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                let retry: i64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
                assert!((1..=900).contains(&retry), "Retry-After {retry}");
                refused += 1
            }
            other => panic!("guess {i}: {other}"),
        }
    }
    (checked, refused)
}

/// Guesses as the stranger until one is refused: the login's delay is then running again
/// (each guess that got through doubled it).
async fn still_refused(app: &TestApp) {
    for _ in 0..20 {
        let (_, refused) = guess(app, 1, |_| "yamada".into(), "203.0.113.66", None).await;
        if refused == 1 {
            return;
        }
    }
    panic!("20 guesses in a row were checked: the login is not throttled");
}

fn device_cookie(r: &crate::support::Reply) -> String {
    format!(
        "kojo_device={}",
        r.set_cookie("kojo_device").expect("device cookie")
    )
}

/// security.md "Sign-in throttling": a stranger's 100 wrong guesses at a login only slow the
/// stranger (a handful checked, the rest refused unchecked, whatever the wall clock: delays
/// double from 1 s), while the owner, whose browser holds the device cookie from an earlier
/// sign-in, signs in at once — from the stranger's own address too.
#[tokio::test]
async fn a_strangers_failures_do_not_lock_out_the_owner() {
    let app = TestApp::new().await;
    let company = app.org(OrgKind::Company, "山田製作所").await;
    app.user("yamada", Role::CompanyAdmin, Some(company)).await;
    let form = [("login", "yamada"), ("password", PASSWORD)];
    let first = app
        .post_via("/login", &form, None, "198.51.100.2", None)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let device = device_cookie(&first);
    assert!(
        first.headers.get_all("set-cookie").iter().any(|v| {
            let v = v.to_str().unwrap();
            v.starts_with("kojo_device=") && v.contains("HttpOnly") && v.contains("Max-Age")
        }),
        "the device cookie is HttpOnly and lasting"
    );

    let (checked, refused) = guess(&app, 100, |_| "yamada".into(), "203.0.113.66", None).await;
    eprintln!("stranger: {checked} of 100 guesses checked, {refused} refused");
    assert!((5..=15).contains(&checked), "checked {checked} of 100");
    assert_eq!(checked + refused, 100);

    // Without the device cookie (a new browser) the owner waits like anyone else: a delay,
    // not a lockout. A forged device cookie, or another user's, is no way around it. The delay
    // is one second or more, but a slow machine may spend that between two requests, so each
    // check first makes sure the stranger's delay is running (a guess that is still refused).
    still_refused(&app).await;
    let r = app
        .post_via("/login", &form, None, "198.51.100.3", None)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let other_user = device.replacen("kojo_device=", "kojo_device=9", 1);
    for forged in [
        "kojo_device=1.0.00",
        "kojo_device=garbage",
        other_user.as_str(),
    ] {
        still_refused(&app).await;
        let r = app
            .post_via("/login", &form, Some(forged), "203.0.113.66", None)
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{forged}");
    }
    // The owner with the device cookie: straight in, from anywhere, the stranger's address too.
    for peer in ["198.51.100.2", "203.0.113.66"] {
        let r = app
            .post_via("/login", &form, Some(&device), peer, None)
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "owner from {peer}: {}",
            r.body
        );
    }
}

/// security.md "Client address": behind a trusted proxy, one client's 1,000 failed guesses
/// across many logins slow that client only; another client behind the same proxy signs in at
/// once. Without the proxy trusted, everyone behind it shares one address and is delayed by at
/// most a minute — never locked out.
#[tokio::test]
async fn a_proxied_attacker_does_not_lock_out_everyone() {
    let app = TestApp::with_config(kojo_web::WebConfig {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..kojo_web::WebConfig::default()
    })
    .await;
    app.user("suzuki", Role::Admin, None).await;
    let spray = |i: usize| format!("user{i}");
    let (checked, refused) = guess(&app, 1_000, spray, "127.0.0.1", Some("203.0.113.7")).await;
    eprintln!("proxied spray: {checked} of 1000 guesses checked, {refused} refused");
    assert!((20..=40).contains(&checked), "checked {checked} of 1000");
    assert_eq!(refused, 1_000 - checked);
    let form = [("login", "suzuki"), ("password", PASSWORD)];
    let r = app
        .post_via("/login", &form, None, "127.0.0.1", Some("198.51.100.2"))
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "another client behind the proxy"
    );
    // The attacker's forged X-Forwarded-For entry is not believed: the proxy's own entry is.
    let r = app
        .post_via(
            "/login",
            &form,
            None,
            "127.0.0.1",
            Some("198.51.100.9, 203.0.113.7"),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);

    // The same proxy, not configured as trusted: one shared address, a capped delay.
    let untrusted = TestApp::new().await;
    untrusted.user("suzuki", Role::Admin, None).await;
    guess(&untrusted, 1_000, spray, "127.0.0.1", Some("203.0.113.7")).await;
    let r = untrusted
        .post_via("/login", &form, None, "127.0.0.1", Some("198.51.100.2"))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(
        retry <= 60,
        "a shared address waits at most a minute, got {retry}"
    );
}

/// security.md "Passwords": the current password on the password page is guessed under the
/// same throttle: after five wrong ones, even the right one is refused unchecked (429).
#[tokio::test]
async fn the_current_password_check_is_throttled() {
    let app = TestApp::new().await;
    app.user("root", Role::Admin, None).await;
    let cookie = app.sign_in("root").await;
    let change = |current: &'static str| {
        [
            ("current", current),
            ("new", "a-new-passphrase"),
            ("again", "a-new-passphrase"),
        ]
    };
    for _ in 0..5 {
        let r = app
            .post("/account/password", &change("wrong-guess-1"), Some(&cookie))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }
    let r = app
        .post("/account/password", &change(PASSWORD), Some(&cookie))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("秒後"), "{}", r.body);
}

/// Common and breached passwords, as typed on every form that sets one.
const WEAK_PASSWORDS: &[&str] = &[
    "1234567890",
    "password12",
    "qwertyuiop",
    "iloveyou2024",
    "aaaaaaaaaaaa",
    "\0\0\0\0\0\0\0\0\0\0\0\0",
    "long\tenough\tpassword",
];

/// security.md "Passwords": setup, invitation and the password page refuse every weak
/// password with the reason, in Japanese; nothing is created or changed.
#[tokio::test]
async fn weak_passwords_are_refused_on_every_form() {
    use kojo_web::auth::session;
    let app = TestApp::new().await;
    let token = session::new_token();
    let now = kojo_storage::now_millis();
    app.db
        .create_setup_token(&session::hash_token(&token), now, now + 60_000)
        .await
        .unwrap();
    let company = app.org(OrgKind::Company, "山田製作所").await;
    app.user("boss", Role::CompanyAdmin, Some(company)).await;
    let boss = app.sign_in("boss").await;
    let r = app
        .post(
            "/company/invitations",
            &[("role", "company_member")],
            Some(&boss),
        )
        .await;
    let start = r.body.find("/invite/").expect("invitation link") + "/invite/".len();
    let invite: String = r.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    for weak in WEAK_PASSWORDS {
        let account = [
            ("login", "newcomer"),
            ("password", weak),
            ("password_again", weak),
        ];
        for path in [format!("/setup/{token}"), format!("/invite/{invite}")] {
            let r = app.post(&path, &account, None).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path} with {weak:?}");
            assert!(
                r.body.contains("よく使われている") || r.body.contains("制御文字"),
                "{path} with {weak:?}: {}",
                r.body
            );
        }
        let change = [("current", PASSWORD), ("new", weak), ("again", weak)];
        let r = app.post("/account/password", &change, Some(&boss)).await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "password page with {weak:?}"
        );
    }
    assert!(app.db.user_by_login("newcomer").await.is_err());
    assert!(!app.db.admin_exists().await.unwrap());
    app.sign_in("boss").await;
}

/// security.md "Links": invitation links and links.csv use the configured public URL whatever
/// Host header the request carries; without one, no link is issued.
#[tokio::test]
async fn links_use_the_configured_url_whatever_the_host_header() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = TestApp::new().await;
    let company = app.org(OrgKind::Company, "山田製作所").await;
    app.user("boss", Role::CompanyAdmin, Some(company)).await;
    let boss = app.sign_in("boss").await;
    let req = Request::post("/company/invitations")
        .header(header::HOST, "evil.example")
        .header("x-forwarded-host", "evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, &boss)
        .body(Body::from("role=company_member"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(&format!("{}/invite/", TestApp::PUBLIC_URL)),
        "{}",
        r.body
    );
    assert!(!r.body.contains("evil.example"));

    let bare = TestApp::with_config(kojo_web::WebConfig::default()).await;
    let company = bare.org(OrgKind::Company, "山田製作所").await;
    bare.user("boss", Role::CompanyAdmin, Some(company)).await;
    let boss = bare.sign_in("boss").await;
    let r = bare
        .post(
            "/company/invitations",
            &[("role", "company_member")],
            Some(&boss),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("公開URL"), "{}", r.body);
    assert!(!r.body.contains("/invite/"));
}

/// Every log line written while `f` runs (all levels), from this thread.
async fn logs_of<F: std::future::Future>(f: F) -> (F::Output, String) {
    #[derive(Clone, Default)]
    struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let out = f.await;
    drop(guard);
    let text = String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned();
    (out, text)
}

/// security.md "Methods": GET, HEAD and OPTIONS on a POST-only route answer 405 with an
/// `Allow` header, signed in or not, and write no ERROR line to the log.
#[tokio::test]
async fn other_methods_on_post_only_routes_are_405_without_an_error_log() {
    use kojo_web::routes::{ROUTES, Verb};
    let app = TestApp::new().await;
    app.user("root", Role::Admin, None).await;
    let cookie = app.sign_in("root").await;
    let post_only: Vec<&str> = ROUTES
        .iter()
        .filter(|r| r.verb == Verb::Post)
        .filter(|r| {
            !ROUTES
                .iter()
                .any(|g| g.path == r.path && g.verb == Verb::Get)
        })
        .map(|r| r.sample())
        .collect();
    assert!(post_only.len() >= 15, "{post_only:?}");
    let ((), log) = logs_of(async {
        for path in &post_only {
            for method in ["GET", "HEAD", "OPTIONS", "DELETE"] {
                for who in [None, Some(cookie.as_str())] {
                    let r = app.request(method, path, who).await;
                    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
                    let allow = r
                        .headers
                        .get("allow")
                        .map(|v| v.to_str().unwrap().to_string());
                    assert!(allow.is_some_and(|a| a.contains("POST")), "{method} {path}");
                }
            }
        }
        // The capture works: a failed sign-in logs at INFO.
        let r = app
            .post(
                "/login",
                &[("login", "root"), ("password", "nope-nope-nope")],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    })
    .await;
    assert!(log.contains("failed sign-in"), "{log}");
    assert!(!log.contains("ERROR"), "{log}");
}

/// security.md "Sizes": a site name of 100,000 characters, a round title of 100,000, an
/// interviewer's name, pasted invitation names — each refused with the field named and the
/// limit, nothing stored, and the answer echoes only an excerpt. A body over 256 KiB is
/// refused before any handler reads it (413).
#[tokio::test]
async fn oversized_fields_are_refused_with_the_field_named() {
    let app = TestApp::new().await;
    let company = app.org(OrgKind::Company, "山田製作所").await;
    let assoc = app.org(OrgKind::Association, "団体").await;
    app.user("boss", Role::CompanyAdmin, Some(company)).await;
    app.user("assoc", Role::AssociationAdmin, Some(assoc)).await;
    let boss = app.sign_in("boss").await;
    let assoc_cookie = app.sign_in("assoc").await;

    let huge = "k".repeat(100_000);
    let r = app
        .post("/company/sites", &[("name", &huge)], Some(&boss))
        .await;
    assert!(
        r.body.contains("名称") && r.body.contains("200文字"),
        "{}",
        r.body
    );
    eprintln!(
        "100,000-character site name: page of {} bytes",
        r.body.len()
    );
    assert!(
        r.body.len() < 30_000,
        "the page echoes an excerpt, got {} bytes",
        r.body.len()
    );
    assert!(
        app.db.sites_of(company).await.unwrap().is_empty(),
        "nothing stored"
    );
    let fits = "工".repeat(200);
    let r = app
        .post("/company/sites", &[("name", &fits)], Some(&boss))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "200 characters fit");

    let title = "t".repeat(100_000);
    let form = [("instrument", "company-2022"), ("title", title.as_str())];
    let r = app.post("/rounds", &form, Some(&assoc_cookie)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("調査名") && r.body.contains("200文字"),
        "{}",
        r.body
    );
    assert!(r.body.len() < 30_000);

    // A megabyte: refused by the body limit before any handler.
    let mega = "t".repeat(1 << 20);
    let form = [("instrument", "company-2022"), ("title", mega.as_str())];
    let r = app.post("/rounds", &form, Some(&assoc_cookie)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body.contains("data-error-code=\"too_large\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("256KB"), "{}", r.body);

    let r = app
        .post(
            "/rounds",
            &[("instrument", "company-2022"), ("title", "調査")],
            Some(&assoc_cookie),
        )
        .await;
    let round = r.location().to_string();
    let names = format!("山田精機\n{}", "名".repeat(500));
    let r = app
        .post(
            &format!("{round}/invitees"),
            &[("names", &names)],
            Some(&assoc_cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{round}");
    assert!(
        r.body.contains("名称の一覧") && r.body.contains("200文字"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("山田精機</td>"), "nobody invited");
}

/// security.md "Sizes": a small workbook whose cells all hold the same long bad value (a
/// shared string: the file stays small) once gave an error page thousands of times its size.
/// The page now lists at most 100 problems, each cut short, and says how many more there are.
#[tokio::test]
async fn an_import_error_page_stays_small_whatever_the_file() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = TestApp::new().await;
    let assoc = app.org(OrgKind::Association, "団体").await;
    app.user("assoc", Role::AssociationAdmin, Some(assoc)).await;
    let cookie = app.sign_in("assoc").await;
    let r = app
        .post(
            "/rounds",
            &[("instrument", "company-2022"), ("title", "調査")],
            Some(&cookie),
        )
        .await;
    let round = r.location().to_string();

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "respondent").unwrap();
    sheet.write_string(0, 1, "G1").unwrap();
    let long = "x".repeat(5_000);
    for row in 1..=1_000u32 {
        sheet.write_string(row, 0, format!("r{row}")).unwrap();
        sheet.write_string(row, 1, &long).unwrap();
    }
    let file = book.save_to_buffer().unwrap();
    assert!(file.len() < 100_000, "a small file: {} bytes", file.len());
    let size = file.len();
    let boundary = "b0undary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        "f".repeat(5_000)
    )
    .into_bytes();
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post(format!("{round}/import"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &r.body[..r.body.len().min(2000)]
    );
    eprintln!(
        "import: file of {size} bytes, error page of {} bytes",
        r.body.len()
    );
    assert!(
        r.body.len() < 150_000,
        "error page of {} bytes",
        r.body.len()
    );
    assert!(r.body.contains("件の問題があります"), "says how many more");
    assert!(!r.body.contains(&"x".repeat(301)), "values are cut short");
}
