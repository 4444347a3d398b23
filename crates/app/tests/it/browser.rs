//! Real pages in headless Chromium against a real `kojo serve`.

use std::time::Duration;

use crate::support::{Browser, Server, fresh_db};

async fn wait_for_path(b: &Browser, path: &str) {
    for _ in 0..100 {
        if b.client.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "never reached {path}: at {}",
        b.client.current_url().await.unwrap()
    );
}

#[tokio::test]
async fn a_fresh_kojo_shows_the_japanese_home_page() {
    let db = fresh_db().await;
    let server = Server::start(&db.url, &[]);
    assert!(
        server.setup_link.is_some(),
        "first start prints the setup link: {:?}",
        server.output
    );
    let b = Browser::start().await;
    b.client.goto(&server.url).await.unwrap();
    assert_eq!(b.eval("return document.documentElement.lang").await, "ja");
    assert!(b.client.title().await.unwrap().contains("ホーム"));
    assert_eq!(b.text("h1").await, "kojo 工場セキュリティ");
    assert!(b.text("#checklist").await.contains("サプライチェーン対策"));
    // The stylesheet and htmx loaded from kojo itself.
    let loaded = b
        .eval("return performance.getEntriesByType('resource').map(e => e.name)")
        .await;
    let names: Vec<String> = serde_json::from_value(loaded).unwrap();
    assert!(
        names.iter().any(|n| n.ends_with("/assets/kojo.css")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.ends_with("/assets/htmx-2.0.11.min.js")),
        "{names:?}"
    );
    assert!(
        names.iter().all(|n| n.starts_with(&server.url)),
        "{names:?}"
    );
    assert_eq!(
        b.eval("return typeof htmx").await,
        "object",
        "htmx ran (allowed by the CSP)"
    );
    // Japanese glyphs render with a real width (a missing font shows tofu of another width).
    let width = b
        .eval("const s=document.createElement('span');s.textContent='工場';document.body.append(s);return s.getBoundingClientRect().width")
        .await;
    assert!(width.as_f64().unwrap() > 10.0);
    b.screenshot("home-ja").await;
    b.assert_offline().await;
    b.stop().await;
}

#[tokio::test]
async fn setup_then_organisations_in_japanese_and_english() {
    let db = fresh_db().await;
    let server = Server::start(&db.url, &["--demo"]);
    let link = server.setup_link.clone().expect("setup link");
    let b = Browser::start().await;
    b.client.goto(&link).await.unwrap();
    b.fill("#setup-login", "root").await;
    b.fill("#setup-name", "管理者").await;
    b.fill("#setup-password", "factory-security-2026").await;
    b.fill("#setup-password-again", "factory-security-2026")
        .await;
    b.click("#setup-submit").await;
    wait_for_path(&b, "/").await;
    assert!(b.text(".welcome").await.contains("管理者"));

    b.client
        .goto(&format!("{}/admin/orgs", server.url))
        .await
        .unwrap();
    let rows = b
        .eval("return document.querySelectorAll('#orgs tbody tr').length")
        .await;
    assert_eq!(
        rows, 15,
        "the demo's ministry, 2 associations and 12 companies"
    );
    assert!(b.text("#orgs").await.contains("山田精機株式会社"));
    b.screenshot("orgs-ja").await;

    b.click("#lang-switch").await;
    wait_for_path(&b, "/admin/orgs").await;
    assert_eq!(b.eval("return document.documentElement.lang").await, "en");
    assert!(b.text("h1").await.contains("Organisations"));
    assert!(b.text("#orgs thead").await.contains("Member companies"));
    // Remembered on the account: still English after signing out and in again.
    b.click("#logout").await;
    wait_for_path(&b, "/login").await;
    b.fill("#login", "root").await;
    b.fill("#password", "factory-security-2026").await;
    b.click("#login-submit").await;
    wait_for_path(&b, "/").await;
    assert_eq!(b.eval("return document.documentElement.lang").await, "en");
    b.screenshot("home-en").await;

    // The setup link does not work twice.
    b.client.goto(&link).await.unwrap();
    assert!(
        b.client.source().await.unwrap().contains("data-error-code")
            || b.text("main").await.contains("invalid")
    );
    b.assert_offline().await;
    b.stop().await;
}

/// The guard itself works: a page that loads from another host is caught.
#[tokio::test]
async fn the_offline_guard_catches_a_request_to_another_host() {
    let b = Browser::start().await;
    b.client
        .goto("data:text/html,<img src='http://example.invalid/x.png'>")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let urls = b.requested_urls().await;
    assert!(
        urls.iter()
            .any(|u| u.starts_with("http://example.invalid/")),
        "{urls:?}"
    );
    assert!(
        !urls.iter().all(|u| crate::support::is_local(u)),
        "the guard must flag it"
    );
    // And nothing left the machine: the request went to the trap.
    assert!(
        b.trap
            .requests()
            .iter()
            .any(|r| r.contains("example.invalid")),
        "{:?}",
        b.trap.requests()
    );
    b.stop().await;
}
