//! Opening a database from a URL: `sqlite:` / a file path (the default) or `postgres://`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnection, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::health::{WriteState, released_clean_postgres, released_clean_sqlite};
use crate::{Pools, Result, Store, StoreError};

/// What a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    SqliteFile(PathBuf),
    Postgres(String),
}

impl Location {
    /// Accepts `sqlite://path`, `sqlite:path`, `postgres://…`, `postgresql://…` or a plain
    /// file path (taken as SQLite).
    pub fn parse(url: &str) -> Result<Location> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Location::Postgres(url.to_string()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() || path == ":memory:" {
                return Err(StoreError::Connect {
                    url: url.to_string(),
                    reason:
                        "kojo needs a database file (an in-memory database would lose every answer)"
                            .into(),
                });
            }
            return Ok(Location::SqliteFile(PathBuf::from(path)));
        }
        if url.contains("://") {
            return Err(StoreError::Connect {
                url: redact(url),
                reason: "unsupported database; use a file path, sqlite:PATH or postgres://…".into(),
            });
        }
        Ok(Location::SqliteFile(PathBuf::from(url)))
    }
}

/// Hides the password of a URL for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((creds, host)) => {
            let user = creds.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

impl Store {
    /// Opens (creating if needed) the database a URL names. Does not migrate.
    pub async fn connect(url: &str) -> Result<Store> {
        match Location::parse(url)? {
            Location::SqliteFile(path) => Store::open_sqlite(&path).await,
            Location::Postgres(url) => Store::open_postgres(&url).await,
        }
    }

    async fn open_sqlite(path: &Path) -> Result<Store> {
        let fail = |reason: String| StoreError::Connect {
            url: path.display().to_string(),
            reason,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| fail(format!("cannot create directory {}: {e}", dir.display())))?;
        }
        let base = SqliteConnectOptions::new()
            .filename(path)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let write_opts = base
            .clone()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        let state = WriteState::shared();
        let limit = state.clone();
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(move |conn, _| {
                let pages = limit.page_limit();
                Box::pin(async move {
                    if pages > 0 {
                        let sql = format!("PRAGMA max_page_count = {pages}");
                        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                            .execute(conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .after_release(|conn, _| Box::pin(released_clean_sqlite(conn)))
            .connect_with(write_opts)
            .await
            .map_err(|e| fail(e.to_string()))?;
        // Readers open only once the writer has created the file and switched it to WAL.
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(base.read_only(true))
            .await
            .map_err(|e| fail(e.to_string()))?;
        Ok(Store {
            pools: Pools::Sqlite { read, write },
            state,
        })
    }

    async fn open_postgres(url: &str) -> Result<Store> {
        let fail = |reason: String| StoreError::Connect {
            url: redact(url),
            reason,
        };
        // One direct connection first: a wrong host, password or database fails at once with
        // the server's own reason instead of after the pool's acquire timeout.
        let probe = tokio::time::timeout(Duration::from_secs(10), PgConnection::connect(url))
            .await
            .map_err(|_| fail("no answer within 10 seconds".into()))?
            .map_err(|e| fail(e.to_string()))?;
        probe.close().await.ok();
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .after_release(|conn, _| Box::pin(released_clean_postgres(conn)))
            .connect(url)
            .await
            .map_err(|e| fail(e.to_string()))?;
        Ok(Store {
            pools: Pools::Postgres(pool),
            state: WriteState::shared(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        assert_eq!(
            Location::parse("sqlite://./data/k.db").unwrap(),
            Location::SqliteFile("./data/k.db".into())
        );
        assert_eq!(
            Location::parse("kojo-data/kojo.db").unwrap(),
            Location::SqliteFile("kojo-data/kojo.db".into())
        );
        assert!(matches!(
            Location::parse("postgres://u:p@h/db").unwrap(),
            Location::Postgres(_)
        ));
        assert!(Location::parse("mysql://u:p@h/db").is_err());
        assert!(Location::parse("sqlite::memory:").is_err());
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://kojo:secret@db:5432/k"),
            "postgres://kojo:***@db:5432/k"
        );
        assert_eq!(redact("postgres://db/k"), "postgres://db/k");
    }
}
