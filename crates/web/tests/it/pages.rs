use axum::http::StatusCode;

use crate::support::{TestApp, references};

#[tokio::test]
async fn the_home_page_is_japanese_by_default_and_shows_the_content() {
    let app = TestApp::new().await;
    let r = app.get("/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<html lang=\"ja\">"));
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("charset=utf-8")
    );
    assert!(r.body.contains("組織的対策"));
    assert!(r.body.contains("サプライチェーン対策"));
    assert!(
        r.body.contains("4分類・32項目"),
        "checklist summary from content"
    );
    // The highlighted baseline figures come from the content file, formatted.
    assert!(
        r.body
            .contains("data-figure=\"company.challenge.no_staff\"")
    );
    assert!(r.body.contains("76.0%"));
}

#[tokio::test]
async fn english_is_complete_and_remembered_in_a_cookie() {
    let app = TestApp::new().await;
    let r = app
        .post("/lang", &[("to", "en"), ("next", "/")], None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    let lang = r.set_cookie("kojo_lang").unwrap();
    assert_eq!(lang, "en");
    let r = app.get("/", Some("kojo_lang=en")).await;
    assert!(r.body.contains("<html lang=\"en\">"));
    assert!(r.body.contains("Organisational measures"));
    assert!(r.body.contains("Key findings of the FY2022 survey"));
    // No Japanese UI string leaks into the English page's chrome.
    assert!(
        !r.body.contains("ログイン"),
        "Japanese text on the English page"
    );
}

#[tokio::test]
async fn the_language_switch_only_redirects_to_local_paths() {
    let app = TestApp::new().await;
    let r = app
        .post(
            "/lang",
            &[("to", "en"), ("next", "https://evil.example/")],
            None,
        )
        .await;
    assert_eq!(r.location(), "/");
    let r = app
        .post("/lang", &[("to", "fr"), ("next", "/")], None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/login",
        "/healthz",
        "/assets/kojo.css",
        "/no-such-page",
        "/admin/orgs",
    ] {
        let r = app.get(path, None).await;
        let csp = r
            .headers
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string());
        assert!(
            csp.as_deref()
                .is_some_and(|c| c.starts_with("default-src 'self'")),
            "{path}: {csp:?}"
        );
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(r.headers["x-frame-options"], "DENY", "{path}");
    }
}

#[tokio::test]
async fn pages_reference_nothing_outside_kojo() {
    let app = TestApp::new().await;
    for path in ["/", "/login", "/no-such-page"] {
        for lang in ["ja", "en"] {
            let r = app.get(path, Some(&format!("kojo_lang={lang}"))).await;
            for reference in references(&r.body) {
                assert!(
                    reference.starts_with('/') && !reference.starts_with("//")
                        || reference.starts_with('#'),
                    "{path} ({lang}) references {reference:?}"
                );
            }
            assert!(
                !r.body.contains(" style=\""),
                "{path}: inline style breaks the CSP"
            );
            assert!(
                !r.body.contains("<script>"),
                "{path}: inline script breaks the CSP"
            );
        }
    }
}

#[tokio::test]
async fn assets_are_served_from_the_binary() {
    let app = TestApp::new().await;
    let r = app.get("/assets/htmx-2.0.11.min.js", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(r.body.contains("htmx"));
    assert_eq!(
        app.get("/assets/../Cargo.toml", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/assets/nothing.js", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn unknown_pages_get_a_localised_404() {
    let app = TestApp::new().await;
    let r = app.get("/no-such-page", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("お探しのページは見つかりませんでした。"));
    assert!(r.body.contains("data-error-code=\"not_found\""));
    let r = app.get("/no-such-page", Some("kojo_lang=en")).await;
    assert!(
        r.body
            .contains("The page you are looking for does not exist.")
    );
}

#[tokio::test]
async fn health_reports_version_and_database() {
    let app = TestApp::new().await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["database"], kojo_storage::testing::backend().as_str());
    assert_eq!(v["schema_version"], kojo_storage::SCHEMA_VERSION);
}
