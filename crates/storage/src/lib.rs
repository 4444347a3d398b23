//! kojo's storage: one API in front of SQLite (embedded default) and PostgreSQL (selected by a
//! `postgres://` URL). SQL lives only here. Each operation is written once; the [`read!`] and
//! [`write_tx!`] macros run it on whichever backend is active (an enum, never sqlx's `Any`
//! driver, so both backends keep their native types). Every change runs in one transaction
//! together with its audit-log entry, so a failure leaves nothing half-written.

mod assessments;
mod audit;
mod connect;
mod error;
mod evidence;
mod health;
mod interviews;
mod invitations;
mod migrate;
mod orgs;
mod plans;
mod plant;
mod sessions;
mod sites;
mod surveys;
mod users;

mod asset_docs;
mod vuln;
mod vuln_matches;

#[cfg(feature = "testing")]
pub mod testing;

pub use assessments::{AnswerChange, AnswerInput, AnswerRow, Assessment, ResultsVersion, Saved};
pub use asset_docs::{AssetDocIn, AssetDocRow};
pub use audit::{Actor, AuditEntry};
pub use connect::redact as redact_url;
pub use error::{Conflict, Invalid, StoreError};
pub use evidence::{Evidence, NewEvidence};
pub use health::{PROBE_TIMEOUT, Unwritable};
pub use interviews::{Interview, Passage};
pub use invitations::Invitation;
pub use migrate::SCHEMA_VERSION;
pub use orgs::{NewOrg, Org};
pub use plans::{NewPlanItem, PlanItem, PlanUpdate};
pub use plant::{AssetChanges, AssetChangesDone};
pub use sessions::{Session, SessionUser};
pub use sites::{NewSite, Site};
pub use surveys::{
    Channel, ImportRow, Invitee, NewInvitee, NewRound, Replace, Response, ResponseWrite, Round,
    SubmittedRow,
};
pub use users::login_is_valid;
pub use users::{NewUser, User};
pub use vuln::{
    AdvisoryIn, AdvisoryRow, ChangeRow, ImportRun, MatchDiff, MatchIn, MatchRow, StatusUpdate,
    Stored, VexSettled, VulnTotals,
};

use sqlx::{PgPool, SqlitePool};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone)]
enum Pools {
    /// SQLite allows one writer at a time: all writes go through a single connection (so they
    /// queue in-process instead of failing with SQLITE_BUSY); reads use a read-only pool.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pools: Pools,
    state: std::sync::Arc<health::WriteState>,
}

/// Runs `$body` with `$p` bound to the active backend's read pool.
macro_rules! read {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.pools {
            $crate::Pools::Sqlite { read: $p, .. } => $body,
            $crate::Pools::Postgres($p) => $body,
        }
    };
}

/// Runs `$body` inside a write transaction (`$tx`) on the active backend and commits it.
/// An early return (`?`) drops the transaction, which rolls it back; the connection goes back
/// to its pool only outside any transaction (`health`). How the write ended is remembered for
/// the health check ([`Store::check_writable`]).
macro_rules! write_tx {
    ($store:expr, $tx:ident => $body:expr) => {{
        let store: &$crate::Store = &$store;
        let result: $crate::Result<_> = match &store.pools {
            $crate::Pools::Sqlite { write, .. } => {
                async {
                    let mut $tx = write.begin_with("BEGIN IMMEDIATE").await?;
                    let out = $body;
                    $tx.commit().await?;
                    Ok(out)
                }
                .await
            }
            $crate::Pools::Postgres(pool) => {
                async {
                    let mut $tx = pool.begin().await?;
                    let out = $body;
                    $tx.commit().await?;
                    Ok(out)
                }
                .await
            }
        };
        store.note_write(&result);
        result?
    }};
}

pub(crate) use {read, write_tx};

/// Sorts rows by a name in Japanese order (`kojo_core::collate`), after `rank`. The database does
/// not sort names: SQLite and PostgreSQL would each sort them differently.
pub(crate) fn sort_by_name<T, R: Ord>(
    rows: &mut [T],
    rank: impl Fn(&T) -> R,
    name: impl Fn(&T) -> &str,
) {
    rows.sort_by_cached_key(|r| (rank(r), kojo_core::collate::sort_key(name(r))));
}

impl Store {
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        read!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Closes every connection (waits for checked-out ones to return).
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(p) => p.close().await,
        }
    }

    /// Test support: caps the SQLite database at `pages` pages so a test can exercise the
    /// "disk full" path. No effect on PostgreSQL.
    #[doc(hidden)]
    pub async fn limit_sqlite_pages(&self, pages: u32) -> Result<()> {
        if let Pools::Sqlite { write, .. } = &self.pools {
            // Also for the writer connections opened later (a connection left inside a
            // transaction is replaced).
            self.state.set_page_limit(pages);
            let sql = format!("PRAGMA max_page_count = {pages}");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(write).await?;
        }
        Ok(())
    }
}

/// The current time as stored: UTC milliseconds since the Unix epoch.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| kojo_core::num::saturate::<i64, _>(d.as_millis()))
        .unwrap_or(0)
}
