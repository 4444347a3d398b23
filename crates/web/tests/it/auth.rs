use std::time::Duration;

use axum::http::StatusCode;
use kojo_core::org::{OrgKind, Role};
use kojo_storage::now_millis;
use kojo_web::WebConfig;
use kojo_web::auth::{session, throttle};

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn sign_in_and_out() {
    let app = TestApp::new().await;
    let c = app.org(OrgKind::Company, "山田製作所").await;
    app.user("yamada", Role::CompanyAdmin, Some(c)).await;

    let r = app
        .post(
            "/login",
            &[
                ("login", "yamada"),
                ("password", "wrong-password"),
                ("next", "/"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body
            .contains("ログインIDまたはパスワードが正しくありません。")
    );
    assert!(r.set_cookie("kojo_session").is_none());
    // Unknown logins get the same answer (no hint which logins exist).
    let r2 = app
        .post(
            "/login",
            &[("login", "nobody"), ("password", "wrong-password")],
            None,
        )
        .await;
    assert_eq!(r2.status, StatusCode::UNAUTHORIZED);

    let r = app
        .post(
            "/login",
            &[
                ("login", "YAMADA"),
                ("password", PASSWORD),
                ("next", "/admin/orgs"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/admin/orgs");
    let raw = r.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax") && raw.contains("Path=/"),
        "{raw}"
    );
    let cookie = format!("kojo_session={}", r.set_cookie("kojo_session").unwrap());

    // Only the hash of the token is stored.
    let token = r.set_cookie("kojo_session").unwrap();
    assert!(app.db.session(&token).await.is_err());
    assert!(app.db.session(&session::hash_token(&token)).await.is_ok());

    let home = app.get("/", Some(&cookie)).await;
    assert!(home.body.contains("yamada さん"), "greets the user");
    assert!(home.body.contains("企業管理者"));

    let out = app.post("/logout", &[], Some(&cookie)).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), "/login?m=logged_out");
    let home = app.get("/", Some(&cookie)).await;
    assert!(
        !home.body.contains("yamada さん"),
        "the old cookie no longer works"
    );
    assert!(app.db.session(&session::hash_token(&token)).await.is_err());
}

#[tokio::test]
async fn a_new_sign_in_replaces_the_old_session() {
    let app = TestApp::new().await;
    app.user("root", Role::Admin, None).await;
    let first = app.sign_in("root").await;
    let r = app
        .post(
            "/login",
            &[("login", "root"), ("password", PASSWORD)],
            Some(&first),
        )
        .await;
    let second = format!("kojo_session={}", r.set_cookie("kojo_session").unwrap());
    assert_ne!(first, second);
    assert_eq!(
        app.get("/admin/orgs", Some(&first)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get("/admin/orgs", Some(&second)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn idle_sessions_end() {
    let app = TestApp::with_config(WebConfig {
        session_idle: Duration::from_millis(1),
        ..WebConfig::default()
    })
    .await;
    app.user("root", Role::Admin, None).await;
    let cookie = app.sign_in("root").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let r = app.get("/admin/orgs", Some(&cookie)).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "idle session must not be accepted"
    );
    assert!(r.location().starts_with("/login"));
}

#[tokio::test]
async fn expired_sessions_end() {
    let app = TestApp::with_config(WebConfig {
        session_absolute: Duration::from_millis(1),
        ..WebConfig::default()
    })
    .await;
    app.user("root", Role::Admin, None).await;
    let cookie = app.sign_in("root").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(
        app.get("/admin/orgs", Some(&cookie)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled() {
    let app = TestApp::new().await;
    app.user("root", Role::Admin, None).await;
    for _ in 0..throttle::PER_LOGIN.free {
        let r = app
            .post(
                "/login",
                &[("login", "root"), ("password", "wrong-password")],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while the login must wait (no password is checked,
    // so a throttled guess learns nothing); the wait is a second after the fifth failure.
    let r = app
        .post("/login", &[("login", "root"), ("password", PASSWORD)], None)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("1秒後"), "{}", r.body);
    assert_eq!(r.headers["retry-after"], "1");
    assert!(r.set_cookie("kojo_session").is_none());
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::new().await;
    app.user("root", Role::Admin, None).await;
    let cookie = app.sign_in("root").await;
    for path in ["/login", "/logout", "/lang", "/setup/abc"] {
        let r = app
            .post_from(
                path,
                &[("to", "en"), ("login", "root"), ("password", PASSWORD)],
                Some(&cookie),
                "cross-site",
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            r.body.contains("data-error-code=\"cross_site_request\""),
            "{path}"
        );
        assert!(r.set_cookie("kojo_session").is_none() && r.set_cookie("kojo_lang").is_none());
    }
    // The session survived the forged sign-out.
    assert_eq!(
        app.get("/admin/orgs", Some(&cookie)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let app = TestApp::new().await;
    let token = session::new_token();
    let now = now_millis();
    app.db
        .create_setup_token(&session::hash_token(&token), now, now + 60_000)
        .await
        .unwrap();
    let path = format!("/setup/{token}");

    let r = app.get(&path, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"setup-submit\""));
    assert_eq!(
        app.get("/setup/not-the-token", None).await.status,
        StatusCode::NOT_FOUND
    );

    let form = |pw: &'static str, again: &'static str| {
        vec![
            ("login", "root"),
            ("display_name", "管理者"),
            ("password", pw),
            ("password_again", again),
        ]
    };
    let r = app
        .post(&path, &form("long-enough-pw", "different-pw!"), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("確認用のパスワードが一致しません。"));
    let r = app.post(&path, &form("short", "short"), None).await;
    assert!(r.body.contains("10文字以上"));
    let r = app
        .post(
            &path,
            &[
                ("login", "山田 太郎"),
                ("display_name", "管理者"),
                ("password", "long-enough-pw"),
                ("password_again", "long-enough-pw"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("ログインIDは半角英数字と . _ - @ + の3〜254文字"),
        "the login rule, in Japanese: {}",
        r.body
    );
    assert!(!app.db.admin_exists().await.unwrap());

    let r = app
        .post(&path, &form("long-enough-pw", "long-enough-pw"), None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cookie = format!("kojo_session={}", r.set_cookie("kojo_session").unwrap());
    assert_eq!(
        app.get("/admin/orgs", Some(&cookie)).await.status,
        StatusCode::OK
    );
    let admin = app.db.user_by_login("root").await.unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert!(admin.password_hash.starts_with("$argon2id$"));

    // Single use.
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);
    let r = app
        .post(
            &path,
            &[
                ("login", "root2"),
                ("password", "long-enough-pw"),
                ("password_again", "long-enough-pw"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.db.list_users(None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_admin_sees_the_organisations() {
    let app = TestApp::new().await;
    let a = app.org(OrgKind::Association, "日本工作機械団体").await;
    let c = app.org(OrgKind::Company, "山田製作所").await;
    app.db
        .add_membership(&kojo_storage::Actor::cli(), a, c)
        .await
        .unwrap();
    app.user("root", Role::Admin, None).await;
    let cookie = app.sign_in("root").await;
    let r = app.get("/admin/orgs", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("日本工作機械団体") && r.body.contains("山田製作所"));
    assert!(r.body.contains("2組織"));
    assert!(r.body.contains("data-kind=\"association\""));

    // A language choice made while signed in is kept on the account.
    app.post("/lang", &[("to", "en"), ("next", "/")], Some(&cookie))
        .await;
    let r = app.get("/admin/orgs", Some(&cookie)).await;
    assert!(r.body.contains("<html lang=\"en\">") && r.body.contains("2 organisations"));
}
