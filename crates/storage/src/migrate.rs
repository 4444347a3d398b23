//! Schema migrations, one folder per backend with the same version numbers, embedded in the
//! binary. Before migrating, kojo refuses a database written by a newer kojo (it would not know
//! its tables) and leaves it untouched.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};

use crate::{Pools, Result, Store, StoreError, read};

/// (version, description, SQLite SQL, PostgreSQL SQL)
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "assessments",
        include_str!("../migrations/sqlite/0002_assessments.sql"),
        include_str!("../migrations/postgres/0002_assessments.sql"),
    ),
    (
        3,
        "surveys",
        include_str!("../migrations/sqlite/0003_surveys.sql"),
        include_str!("../migrations/postgres/0003_surveys.sql"),
    ),
    (
        4,
        "one draft per site",
        include_str!("../migrations/sqlite/0004_one_draft_per_site.sql"),
        include_str!("../migrations/postgres/0004_one_draft_per_site.sql"),
    ),
    (
        5,
        "round revision",
        include_str!("../migrations/sqlite/0005_round_revision.sql"),
        include_str!("../migrations/postgres/0005_round_revision.sql"),
    ),
    (
        6,
        "plant model",
        include_str!("../migrations/sqlite/0006_plant.sql"),
        include_str!("../migrations/postgres/0006_plant.sql"),
    ),
    (
        7,
        "individual answers",
        include_str!("../migrations/sqlite/0007_individual_answers.sql"),
        include_str!("../migrations/postgres/0007_individual_answers.sql"),
    ),
    (
        8,
        "evidence",
        include_str!("../migrations/sqlite/0008_evidence.sql"),
        include_str!("../migrations/postgres/0008_evidence.sql"),
    ),
    (
        9,
        "vulnerabilities",
        include_str!("../migrations/sqlite/0009_vulnerabilities.sql"),
        include_str!("../migrations/postgres/0009_vulnerabilities.sql"),
    ),
    (
        10,
        "vulnerability matching state",
        include_str!("../migrations/sqlite/0010_vuln_matched.sql"),
        include_str!("../migrations/postgres/0010_vuln_matched.sql"),
    ),
    (
        11,
        "asset SBOM and VEX documents",
        include_str!("../migrations/sqlite/0011_asset_documents.sql"),
        include_str!("../migrations/postgres/0011_asset_documents.sql"),
    ),
];

/// The newest schema version this kojo knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

fn migrator(postgres: bool) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, pg)| {
            let sql = if postgres { *pg } else { *sqlite };
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                AssertSqlSafe(sql).into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

impl Store {
    /// The highest applied schema version (0 for an empty database).
    pub async fn schema_version(&self) -> Result<i64> {
        let exists: bool = read!(self, p => {
            let sql = match self.backend() {
                crate::Backend::Sqlite => {
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')"
                }
                crate::Backend::Postgres => {
                    "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations')"
                }
            };
            sqlx::query_scalar(sql).fetch_one(p).await?
        });
        if !exists {
            return Ok(0);
        }
        let version: Option<i64> = read!(self, p => {
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(p)
                .await?
        });
        Ok(version.unwrap_or(0))
    }

    /// Brings the schema up to [`SCHEMA_VERSION`]. Each migration runs in its own transaction.
    pub async fn migrate(&self) -> Result<()> {
        let found = self.schema_version().await?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found,
                known: SCHEMA_VERSION,
            });
        }
        let result = match &self.pools {
            Pools::Sqlite { write, .. } => migrator(false).run(write).await,
            Pools::Postgres(pool) => migrator(true).run(pool).await,
        };
        result.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(e)
            | sqlx::migrate::MigrateError::ExecuteMigration(e, _) => match StoreError::from(e) {
                StoreError::Full => StoreError::Full,
                other => StoreError::Migrate(other.to_string()),
            },
            other => StoreError::Migrate(other.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase() {
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].0 < pair[1].0);
        }
    }

    /// Both backends must define (or alter) the same tables and indexes in each migration.
    #[test]
    fn backends_define_the_same_tables() {
        fn objects(sql: &str) -> Vec<String> {
            sql.lines()
                .filter_map(|l| {
                    let l = l.trim();
                    [
                        "CREATE TABLE ",
                        "CREATE INDEX ",
                        "CREATE UNIQUE INDEX ",
                        "ALTER TABLE ",
                    ]
                    .iter()
                    .find_map(|p| l.strip_prefix(p))
                })
                .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
                .collect()
        }
        for (v, _, sqlite, pg) in MIGRATIONS {
            assert_eq!(objects(sqlite), objects(pg), "migration {v}");
            assert!(!objects(sqlite).is_empty());
        }
    }
}
