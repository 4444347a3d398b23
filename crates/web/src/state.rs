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
    /// The URL users reach kojo at, for the links kojo issues (invitations, survey links). Never
    /// taken from a request's Host header (a forged Host would give links to another site):
    /// without it, no link is issued. `kojo serve` sets it (by default from its listen address).
    pub public_url: Option<String>,
    /// Proxies whose `X-Forwarded-For` names the client (none by default; see `client`).
    pub trusted_proxies: Vec<crate::client::TrustedProxy>,
}

impl WebConfig {
    /// How long sessions last, for the use cases that start and check them.
    pub fn session_policy(&self) -> SessionPolicy {
        SessionPolicy {
            idle: self.session_idle,
            absolute: self.session_absolute,
        }
    }

    /// The configured URL for links shown to users, without a trailing `/`; a problem (no
    /// link is issued) when none is configured.
    pub fn base_url(&self) -> Result<&str, kojo_service::Problem> {
        self.public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/'))
            .ok_or(kojo_service::Problem::NoPublicUrl)
    }
}

/// A public URL as configured: `http://` or `https://`, a host, no path, query or user info.
pub fn check_public_url(url: &str) -> Result<String, String> {
    let parsed =
        url::Url::parse(url.trim()).map_err(|e| format!("public URL {url:?} is not a URL: {e}"))?;
    let plain = matches!(parsed.scheme(), "http" | "https")
        && parsed.host_str().is_some()
        && parsed.username().is_empty()
        && parsed.password().is_none()
        && parsed.path() == "/"
        && parsed.query().is_none()
        && parsed.fragment().is_none();
    if !plain {
        return Err(format!(
            "public URL {url:?} must be http:// or https:// and a host (and port) only, e.g. http://factory-srv:8080"
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

impl Default for WebConfig {
    fn default() -> WebConfig {
        let sessions = SessionPolicy::default();
        WebConfig {
            secure_cookies: false,
            session_idle: sessions.idle,
            session_absolute: sessions.absolute,
            public_url: None,
            trusted_proxies: Vec::new(),
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
