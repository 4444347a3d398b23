//! A fresh, migrated database per test. The backend is PostgreSQL when
//! `KOJO_TEST_DATABASE_URL` is set (a new database is created inside that server for every
//! test), SQLite in a temporary directory otherwise. When `KOJO_TEST_BACKEND=postgres` is set
//! and the URL is not, tests fail instead of silently running on SQLite.

use std::ops::Deref;

use rand::RngExt;

use crate::{Backend, Store};

pub struct TestStore {
    pub store: Store,
    /// The URL the store was opened with (so a test can open it again, e.g. from a server).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// The backend the test run targets.
pub fn backend() -> Backend {
    match std::env::var("KOJO_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Backend::Postgres,
        _ => {
            if std::env::var("KOJO_TEST_BACKEND").as_deref() == Ok("postgres") {
                panic!(
                    "KOJO_TEST_BACKEND=postgres but KOJO_TEST_DATABASE_URL is not set: PostgreSQL did not start"
                );
            }
            Backend::Sqlite
        }
    }
}

/// A new empty database URL on the test backend (not yet opened, not migrated).
pub async fn fresh_url() -> (String, Option<tempfile::TempDir>) {
    match backend() {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = dir.path().join("kojo.db").display().to_string();
            (url, Some(dir))
        }
        Backend::Postgres => {
            let admin_url = std::env::var("KOJO_TEST_DATABASE_URL")
                .expect("KOJO_TEST_DATABASE_URL names the PostgreSQL server for tests");
            let name = format!("kojo_t_{:016x}", rand::rng().random::<u64>());
            let admin = Store::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL for tests is not reachable: {e}"));
            if let crate::Pools::Postgres(pool) = &admin.pools {
                let sql = format!("CREATE DATABASE {name}");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(pool)
                    .await
                    .expect("create test database");
            }
            admin.close().await;
            (replace_db_name(&admin_url, &name), None)
        }
    }
}

/// A fresh migrated store on the test backend.
pub async fn fresh() -> TestStore {
    let (url, dir) = fresh_url().await;
    let store = Store::connect(&url).await.expect("open test database");
    store.migrate().await.expect("migrate test database");
    TestStore {
        store,
        url,
        _dir: dir,
    }
}

/// A fresh migrated SQLite store whatever the test backend (for what only SQLite can simulate,
/// such as a full database through a page limit).
pub async fn fresh_sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = dir.path().join("kojo.db").display().to_string();
    let store = Store::connect(&url).await.expect("open test database");
    store.migrate().await.expect("migrate test database");
    TestStore {
        store,
        url,
        _dir: Some(dir),
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Store {
    /// Runs a statement on the write side: the first SQL on SQLite, the second on PostgreSQL.
    pub async fn execute_raw_for_tests(&self, sqlite: &str, postgres: &str) -> crate::Result<()> {
        match &self.pools {
            crate::Pools::Sqlite { write, .. } => {
                sqlx::query(sqlx::AssertSqlSafe(sqlite.to_string()))
                    .execute(write)
                    .await?;
            }
            crate::Pools::Postgres(pool) => {
                sqlx::query(sqlx::AssertSqlSafe(postgres.to_string()))
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// SQLite's current page count (0 on PostgreSQL).
    pub async fn page_count_for_tests(&self) -> crate::Result<u32> {
        match &self.pools {
            crate::Pools::Sqlite { write, .. } => {
                let n: i64 = sqlx::query_scalar("PRAGMA page_count")
                    .fetch_one(write)
                    .await?;
                Ok(kojo_core::num::saturate::<u32, _>(n))
            }
            crate::Pools::Postgres(_) => Ok(0),
        }
    }
}

impl Store {
    /// Test support: a write transaction whose COMMIT fails (a deferred constraint broken
    /// inside it, on a temporary table), to check that a failed COMMIT leaves the connection
    /// usable. Always an error.
    pub async fn fail_a_commit_for_tests(&self) -> crate::Result<()> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "CREATE TEMP TABLE commit_probe (id INTEGER PRIMARY KEY, parent INTEGER \
                 REFERENCES commit_probe(id) DEFERRABLE INITIALLY DEFERRED); \
                 INSERT INTO commit_probe VALUES (1, 2)"
            }
            Backend::Postgres => {
                "CREATE TEMP TABLE commit_probe (id INT UNIQUE DEFERRABLE INITIALLY DEFERRED) \
                 ON COMMIT DROP; INSERT INTO commit_probe VALUES (1), (1)"
            }
        };
        crate::write_tx!(self, tx => {
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
        });
        Ok(())
    }
}
