//! A test instance of the web app and a small HTTP client for it.

use std::sync::{Arc, LazyLock};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use kojo_content::Catalog;
use kojo_core::Locale;
use kojo_core::ids::{OrgId, UserId};
use kojo_core::org::{OrgKind, Role};
use kojo_service::accounts::password;
use kojo_storage::testing::{self, TestStore};
use kojo_storage::{Actor, NewOrg, NewUser};
use kojo_web::{AppState, WebConfig};
use tower::ServiceExt;

static CATALOG: LazyLock<Arc<Catalog>> =
    LazyLock::new(|| Arc::new(kojo_content::load_embedded().expect("content")));

/// One password for every test user (hashing once keeps the suite fast).
pub const PASSWORD: &str = "factory-security-2026";
static HASH: LazyLock<String> = LazyLock::new(|| password::hash(PASSWORD).unwrap());

pub struct TestApp {
    pub db: TestStore,
    pub state: AppState,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of a cookie set by this reply (`None` if not set).
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .find_map(|v| {
                let v = v.to_str().ok()?;
                let (pair, _) = v.split_once(';').unwrap_or((v, ""));
                let (n, value) = pair.split_once('=')?;
                (n == name).then(|| value.to_string())
            })
    }
}

impl TestApp {
    /// The URL test servers are configured with (`--public-url`).
    pub const PUBLIC_URL: &'static str = "http://kojo.test:8080";

    pub async fn new() -> TestApp {
        TestApp::with_config(WebConfig {
            public_url: Some(TestApp::PUBLIC_URL.into()),
            ..WebConfig::default()
        })
        .await
    }

    pub async fn with_config(config: WebConfig) -> TestApp {
        TestApp::on(testing::fresh().await, config)
    }

    /// On SQLite whatever the test backend (a full database is simulated with a page limit).
    pub async fn on_sqlite() -> TestApp {
        let config = WebConfig {
            public_url: Some(TestApp::PUBLIC_URL.into()),
            ..WebConfig::default()
        };
        TestApp::on(testing::fresh_sqlite().await, config)
    }

    pub fn on(db: TestStore, config: WebConfig) -> TestApp {
        let service = kojo_service::Service::new(
            db.store.clone(),
            CATALOG.clone(),
            kojo_service::Config::default(),
        );
        let state = AppState::new(service, config);
        TestApp { db, state }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let response = kojo_web::router(self.state.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// A request with an empty body (form-encoded for POST, JSON for PUT).
    pub async fn request(&self, method: &str, path: &str, cookie: Option<&str>) -> Reply {
        let (content_type, body) = match method {
            "PUT" => ("application/json", "{}"),
            _ => ("application/x-www-form-urlencoded", ""),
        };
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type)
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// A JSON request (API).
    pub async fn request_json(&self, method: &str, path: &str, body: &str, cookie: &str) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// The raw bytes of a GET (downloads).
    pub async fn send_bytes(&self, path: &str, cookie: &str) -> Vec<u8> {
        let req = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let response = kojo_web::router(self.state.clone())
            .oneshot(req)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec()
    }

    /// A form POST as a browser on kojo's own pages sends it.
    pub async fn post(&self, path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.post_from(path, form, cookie, "same-origin").await
    }

    /// A form POST with the given `Sec-Fetch-Site` (e.g. `cross-site`).
    pub async fn post_from(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        fetch_site: &str,
    ) -> Reply {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", fetch_site);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// A form POST from a network peer (`ConnectInfo`), optionally with `X-Forwarded-For` and
    /// cookies, as a browser behind a proxy sends it.
    pub async fn post_via(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        peer: &str,
        forwarded_for: Option<&str>,
    ) -> Reply {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(f) = forwarded_for {
            req = req.header("x-forwarded-for", f);
        }
        let mut req = req.body(Body::from(body)).unwrap();
        let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        self.send(req).await
    }

    pub async fn org(&self, kind: OrgKind, name: &str) -> OrgId {
        let new = NewOrg {
            name: name.into(),
            ..NewOrg::default()
        };
        self.db
            .create_org(&Actor::cli(), kind, &new)
            .await
            .unwrap()
            .id
    }

    pub async fn user(&self, login: &str, role: Role, org_id: Option<OrgId>) -> UserId {
        let new = NewUser {
            login: login.into(),
            display_name: format!("{login} さん"),
            role,
            org_id,
            password_hash: HASH.clone(),
            locale: Locale::Ja,
        };
        self.db.create_user(&Actor::cli(), &new).await.unwrap().id
    }

    /// Signs in and returns the `Cookie` header value to send afterwards.
    pub async fn sign_in(&self, login: &str) -> String {
        let r = self
            .post(
                "/login",
                &[("login", login), ("password", PASSWORD), ("next", "/")],
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {login}: {}",
            r.body
        );
        let token = r.set_cookie("kojo_session").expect("session cookie");
        format!("kojo_session={token}")
    }
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Every `src`, `href` and `action` attribute of a page.
pub fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["src=\"", "href=\"", "action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].to_string());
            }
        }
    }
    found
}
