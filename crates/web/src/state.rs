//! What every handler can reach: the use cases ([`Service`]), the web's own settings, and the
//! small caches of the web process.

use std::sync::Arc;
use std::time::Duration;

use kojo_content::Catalog;
use kojo_service::Service;
use kojo_service::accounts::sessions::SessionPolicy;
use kojo_service::cache::TtlMap;
use kojo_storage::Store;

use crate::cache::{ResultsKey, ResultsVersionEntry, WriteGeneration};

/// Settings of the web interface.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when kojo is reached over HTTPS).
    pub secure_cookies: bool,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, whatever the activity.
    pub session_absolute: Duration,
    /// The URL users reach kojo at (for links kojo shows, such as invitations); when unset, the
    /// request's Host header is used.
    pub public_url: Option<String>,
}

impl WebConfig {
    /// How long sessions last, for the use cases that start and check them.
    pub fn session_policy(&self) -> SessionPolicy {
        SessionPolicy {
            idle: self.session_idle,
            absolute: self.session_absolute,
        }
    }

    /// `https://host` or `http://host` for links shown to users.
    pub fn base_url(&self, headers: &axum::http::HeaderMap) -> String {
        if let Some(url) = &self.public_url {
            return url.trim_end_matches('/').to_string();
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1:8080");
        let scheme = if self.secure_cookies { "https" } else { "http" };
        format!("{scheme}://{host}")
    }
}

impl Default for WebConfig {
    fn default() -> WebConfig {
        let sessions = SessionPolicy::default();
        WebConfig {
            secure_cookies: false,
            session_idle: sessions.idle,
            session_absolute: sessions.absolute,
            public_url: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub config: Arc<WebConfig>,
    /// Rendered results bodies.
    pub results_cache: Arc<TtlMap<ResultsKey, Arc<str>>>,
    /// State-changing requests handled so far (see `cache::WriteGeneration`).
    pub writes: Arc<WriteGeneration>,
    /// Results versions by assessment, with the write generation they were read at.
    pub results_versions: Arc<TtlMap<kojo_core::ids::AssessmentId, ResultsVersionEntry>>,
}

impl AppState {
    pub fn new(service: Service, config: WebConfig) -> AppState {
        AppState {
            service,
            config: Arc::new(config),
            results_cache: Arc::new(TtlMap::new(Duration::from_secs(600), 4096)),
            writes: Arc::default(),
            results_versions: Arc::new(TtlMap::new(crate::cache::VERSION_TTL, 100_000)),
        }
    }

    pub fn store(&self) -> &Store {
        self.service.store()
    }

    pub fn catalog(&self) -> &Catalog {
        self.service.catalog()
    }
}
