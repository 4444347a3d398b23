//! Configuration: command-line flags win over environment variables (both handled by clap),
//! which win over `kojo.toml`, which wins over the defaults.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use kojo_storage::Store;
use serde::Deserialize;

use crate::cli::{GlobalArgs, ServeArgs};

pub const DEFAULT_DATABASE: &str = "kojo-data/kojo.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The optional `kojo.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub public_url: Option<String>,
    pub secure_cookies: Option<bool>,
    pub session_idle_minutes: Option<u64>,
    pub session_absolute_hours: Option<u64>,
    /// Disclosure threshold k for aggregate survey views (at least 5; can only be raised).
    pub disclosure_k: Option<u64>,
    /// Reverse proxies (addresses or networks) whose X-Forwarded-For names the client.
    pub trusted_proxies: Option<Vec<String>>,
}

#[derive(Debug)]
pub struct Config {
    pub database_url: String,
    pub file: FileConfig,
}

impl Config {
    pub fn resolve(args: &GlobalArgs) -> anyhow::Result<Config> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None if Path::new("kojo.toml").exists() => read_file(Path::new("kojo.toml"))?,
            None => FileConfig::default(),
        };
        let database_url = args
            .database_url
            .clone()
            .or_else(|| file.database_url.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE.to_string());
        Ok(Config { database_url, file })
    }

    pub fn database_display(&self) -> String {
        kojo_storage::redact_url(&self.database_url)
    }

    /// Opens and migrates the database.
    pub async fn open_store(&self) -> anyhow::Result<Store> {
        let store = Store::connect(&self.database_url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// The use cases over the database and the built-in content. `disclosure_k` is the
    /// command line's threshold, if given (else `kojo.toml`'s, else 5).
    pub async fn service(
        &self,
        disclosure_k: Option<u64>,
    ) -> anyhow::Result<kojo_service::Service> {
        let catalog = kojo_content::load_embedded().context("built-in content is invalid")?;
        let store = self.open_store().await?;
        let k = kojo_core::survey::disclosure::threshold(disclosure_k.or(self.file.disclosure_k));
        Ok(kojo_service::Service::new(
            store,
            std::sync::Arc::new(catalog),
            kojo_service::Config { disclosure_k: k },
        ))
    }

    pub fn listen(&self, args: &ServeArgs) -> String {
        args.listen
            .clone()
            .or_else(|| self.file.listen.clone())
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string())
    }

    /// The web's settings. `public_url` is the URL links are made with (`kojo serve` defaults
    /// it to its listen address); it must be an http(s) URL without a path.
    pub fn web(&self, args: &ServeArgs, public_url: &str) -> anyhow::Result<kojo_web::WebConfig> {
        let mut web = kojo_web::WebConfig {
            secure_cookies: args.secure_cookies || self.file.secure_cookies.unwrap_or(false),
            public_url: Some(kojo_web::check_public_url(public_url).map_err(anyhow::Error::msg)?),
            trusted_proxies: self.trusted_proxies(args)?,
            ..kojo_web::WebConfig::default()
        };
        if let Some(m) = self.file.session_idle_minutes {
            web.session_idle = std::time::Duration::from_secs(m * 60);
        }
        if let Some(h) = self.file.session_absolute_hours {
            web.session_absolute = std::time::Duration::from_secs(h * 3600);
        }
        Ok(web)
    }

    /// `--trusted-proxy` (repeatable, or comma-separated in KOJO_TRUSTED_PROXY), else
    /// `trusted_proxies` of kojo.toml, else none.
    fn trusted_proxies(&self, args: &ServeArgs) -> anyhow::Result<Vec<kojo_web::TrustedProxy>> {
        let given = if args.trusted_proxy.is_empty() {
            self.file.trusted_proxies.clone().unwrap_or_default()
        } else {
            args.trusted_proxy.clone()
        };
        given
            .iter()
            .flat_map(|s| s.split(','))
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                s.parse()
                    .map_err(|e: String| anyhow::anyhow!("trusted proxy: {e}"))
            })
            .collect()
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read configuration file {}", path.display()))?;
    match toml::from_str(&text) {
        Ok(c) => Ok(c),
        Err(e) => bail!(
            "{}: {}",
            PathBuf::from(path).display(),
            e.to_string().trim_end()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(file: FileConfig) -> Config {
        Config {
            database_url: DEFAULT_DATABASE.into(),
            file,
        }
    }

    #[test]
    fn trusted_proxies_come_from_the_flag_else_the_file_and_are_checked() {
        let file = FileConfig {
            trusted_proxies: Some(vec!["10.0.0.0/8".into()]),
            ..FileConfig::default()
        };
        let c = config(file);
        let web = c.web(&ServeArgs::default(), "http://srv:8080").unwrap();
        assert_eq!(web.trusted_proxies, vec!["10.0.0.0/8".parse().unwrap()]);
        let args = ServeArgs {
            trusted_proxy: vec!["127.0.0.1,::1".into()],
            ..ServeArgs::default()
        };
        let web = c.web(&args, "http://srv:8080").unwrap();
        assert_eq!(web.trusted_proxies.len(), 2, "the flag wins");
        assert!(
            config(FileConfig::default())
                .web(&ServeArgs::default(), "http://srv")
                .unwrap()
                .trusted_proxies
                .is_empty(),
            "none by default"
        );
        let bad = ServeArgs {
            trusted_proxy: vec!["proxy.local".into()],
            ..ServeArgs::default()
        };
        let err = c.web(&bad, "http://srv:8080").unwrap_err().to_string();
        assert!(err.contains("proxy.local"), "{err}");
    }

    #[test]
    fn the_public_url_is_a_plain_http_url() {
        let c = config(FileConfig::default());
        let web = c
            .web(&ServeArgs::default(), "https://kojo.example.jp/")
            .unwrap();
        assert_eq!(web.public_url.as_deref(), Some("https://kojo.example.jp"));
        for bad in [
            "javascript:alert(1)",
            "http://u:p@srv",
            "http://srv/path",
            "srv:8080",
            "ftp://srv",
        ] {
            assert!(c.web(&ServeArgs::default(), bad).is_err(), "{bad}");
        }
    }
}
