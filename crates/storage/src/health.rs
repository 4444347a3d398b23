//! Whether the database can take a write, and keeping the writer connection clean.
//!
//! A write that fails half-way must not leave its connection inside a transaction: SQLite rolls a
//! transaction back by itself on "database or disk is full" (SQLITE_FULL), after which sqlx's own
//! ROLLBACK fails and sqlx still counts the connection as inside a transaction, so every later
//! `BEGIN` on the one writer connection failed until a restart. Every connection released to a
//! pool is therefore checked ([`released_clean_sqlite`], [`released_clean_postgres`]) and closed
//! (the pool opens a fresh one) unless it is provably outside any transaction.
//!
//! [`Store::check_writable`] is the health check's write probe: a small write (a table and a
//! 64 KiB row) inside a transaction that is always rolled back, on the writer, with a timeout.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use sqlx::{Connection, PgConnection, SqliteConnection};

use crate::{Pools, Result, Store, StoreError};

/// Shared by the clones of a [`Store`]: what the last write said, and the test page limit.
#[derive(Debug, Default)]
pub(crate) struct WriteState {
    /// The last write transaction failed because the database is full, and none succeeded since.
    full: AtomicBool,
    /// SQLite `max_page_count` to apply to every new writer connection (0: none). Test support.
    page_limit: AtomicU32,
}

impl WriteState {
    pub(crate) fn shared() -> Arc<WriteState> {
        Arc::new(WriteState::default())
    }

    pub(crate) fn page_limit(&self) -> u32 {
        self.page_limit.load(Ordering::SeqCst)
    }

    pub(crate) fn set_page_limit(&self, pages: u32) {
        self.page_limit.store(pages, Ordering::SeqCst);
    }
}

/// Why the database cannot take a write now (a code for monitoring; nothing about the data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwritable {
    /// Out of space (disk full, or the size limit reached).
    Full,
    /// The writer did not answer within the probe's time (locked or overloaded).
    Busy,
    /// Any other database failure (connection lost, read-only, …).
    Failed,
}

impl Unwritable {
    pub fn code(self) -> &'static str {
        match self {
            Unwritable::Full => "database_full",
            Unwritable::Busy => "database_busy",
            Unwritable::Failed => "database_error",
        }
    }
}

/// After a SQLite writer connection is released: flush a rollback queued by a dropped
/// transaction (`ping` runs after it), then keep the connection only if neither sqlx nor SQLite
/// is inside a transaction (SQLite refuses `BEGIN` inside one). `Ok(false)` closes it.
pub(crate) async fn released_clean_sqlite(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("writer connection left inside a transaction: replaced");
        return Ok(false);
    }
    if sqlx::raw_sql("BEGIN").execute(&mut *conn).await.is_err() {
        tracing::warn!("writer connection still inside a transaction: replaced");
        return Ok(false);
    }
    sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await?;
    Ok(true)
}

/// After a PostgreSQL connection is released: flush a queued rollback, keep it only outside any
/// transaction (a failed COMMIT must not hand the next request a poisoned connection).
pub(crate) async fn released_clean_postgres(conn: &mut PgConnection) -> sqlx::Result<bool> {
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("database connection left inside a transaction: replaced");
        return Ok(false);
    }
    Ok(true)
}

/// How long the write probe may take before the database counts as busy.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

impl Store {
    /// Remembers how a write transaction ended (see [`Store::check_writable`]).
    pub(crate) fn note_write<T>(&self, result: &Result<T>) {
        match result {
            Ok(_) => self.state.full.store(false, Ordering::SeqCst),
            Err(StoreError::Full) => self.state.full.store(true, Ordering::SeqCst),
            Err(_) => {}
        }
    }

    /// Whether the database can take a write now: a probe write on the writer, rolled back,
    /// within `within`; and `Full` while the last write failed for lack of space and none has
    /// succeeded since (a rolled-back probe cannot prove free disk space on every system).
    pub async fn check_writable(&self, within: Duration) -> Result<(), Unwritable> {
        let probe = async {
            match &self.pools {
                Pools::Sqlite { write, .. } => {
                    let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
                    sqlx::raw_sql(
                        "CREATE TABLE _kojo_write_probe (b BLOB); \
                         INSERT INTO _kojo_write_probe VALUES (zeroblob(65536))",
                    )
                    .execute(&mut *tx)
                    .await?;
                    tx.rollback().await?;
                }
                Pools::Postgres(pool) => {
                    let mut tx = pool.begin().await?;
                    sqlx::raw_sql(
                        "CREATE TABLE _kojo_write_probe (b BYTEA); \
                         INSERT INTO _kojo_write_probe VALUES (decode(repeat('00', 65536), 'hex'))",
                    )
                    .execute(&mut *tx)
                    .await?;
                    tx.rollback().await?;
                }
            }
            Ok::<(), StoreError>(())
        };
        match tokio::time::timeout(within, probe).await {
            Err(_) => Err(Unwritable::Busy),
            Ok(Err(StoreError::Full)) => Err(Unwritable::Full),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "write probe failed");
                Err(Unwritable::Failed)
            }
            Ok(Ok(())) if self.state.full.load(Ordering::SeqCst) => Err(Unwritable::Full),
            Ok(Ok(())) => Ok(()),
        }
    }
}
