//! Storage errors, phrased for the person running kojo.

use sqlx::error::ErrorKind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique key is taken (the message names which).
    #[error("already exists: {0}")]
    Conflict(String),
    /// The request breaks a rule of the data (a wrong reference, a role for the wrong kind of
    /// organisation, …).
    #[error("{0}")]
    Invalid(String),
    /// Someone else changed the record since it was read.
    #[error("the record was changed by someone else in the meantime")]
    Stale,
    #[error(
        "the database is full (disk full or size limit reached); nothing was written. Free disk space and retry"
    )]
    Full,
    #[error("cannot open the database {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error(
        "the database was created by a newer kojo (schema version {found}; this kojo knows up to {known}). Upgrade kojo; the database was left unchanged"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error("database error: {0}")]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::RowNotFound = e {
            return StoreError::NotFound;
        }
        if let Some(db) = e.as_database_error() {
            // SQLITE_FULL (13) and PostgreSQL's disk_full (53100).
            let code = db.code();
            if matches!(code.as_deref(), Some("13") | Some("53100")) {
                return StoreError::Full;
            }
            match db.kind() {
                ErrorKind::UniqueViolation => {
                    return StoreError::Conflict(
                        db.constraint()
                            .map(str::to_string)
                            .unwrap_or_else(|| db.message().to_string()),
                    );
                }
                ErrorKind::ForeignKeyViolation => {
                    return StoreError::Invalid("a referenced record does not exist".into());
                }
                ErrorKind::CheckViolation => {
                    return StoreError::Invalid(format!("a value breaks a rule: {}", db.message()));
                }
                _ => {}
            }
        }
        StoreError::Db(e)
    }
}
