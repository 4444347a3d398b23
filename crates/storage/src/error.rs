//! Storage errors. Rule breaks and conflicts are enums carrying their data, so the sentence a
//! user reads is chosen where the user's language is known (the service layer renders them from
//! `locales/*.toml`); `Display` here is a short English line for logs.

use sqlx::error::ErrorKind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique key is taken.
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// The request breaks a rule of the data.
    #[error("invalid: {0:?}")]
    Invalid(Invalid),
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

/// What is already taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The factory already has a draft assessment (one draft per factory).
    DraftExists,
    LoginTaken {
        login: String,
    },
    SiteNameTaken {
        company: String,
        name: String,
    },
    /// An organisation of the same kind with this name or corporate number exists.
    OrgExists {
        name: String,
    },
    MeasureInPlan {
        measure: String,
    },
    AlreadyInvited {
        label: String,
    },
    /// A name used twice in one site's plant model (`kind`: process, zone).
    NameTaken {
        kind: &'static str,
        name: String,
    },
    /// A unique constraint without a more specific meaning.
    Unique {
        constraint: String,
    },
}

/// Which rule of the data a request breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    OrgNameRequired,
    /// An answer has as many evidence files as it may.
    TooManyEvidence {
        item: String,
        max: usize,
    },
    CorporateNumber {
        value: String,
    },
    /// A membership joins a company to an association.
    Membership {
        association: String,
        company: String,
    },
    SiteNameRequired,
    /// Only companies have sites.
    SitesOnlyForCompanies {
        org: String,
    },
    LoginFormat {
        login: String,
    },
    /// The instance admin belongs to no organisation.
    AdminHasNoOrg,
    /// The role needs an organisation of `kind`.
    RoleNeedsOrg {
        role: String,
        kind: String,
    },
    /// The organisation is of another kind than the role needs.
    RoleOrgKind {
        role: String,
        kind: String,
        org: String,
    },
    UnknownOrg {
        id: i64,
    },
    /// An assessment is copied only within its site and checklist.
    CopyOutsideSite,
    /// Only a draft can be discarded, completed or changed.
    NotDraft,
    RoundTitleRequired,
    RoundNotOpen,
    /// Only a closed round can be reopened.
    RoundNotClosed,
    /// A response file names a respondent twice.
    DuplicateRespondent {
        respondent: String,
    },
    PassageTextRequired,
    /// A record the request refers to does not exist (foreign key).
    MissingReference,
    /// A value breaks a database CHECK rule.
    Check {
        detail: String,
    },
}

impl From<Invalid> for StoreError {
    fn from(i: Invalid) -> StoreError {
        StoreError::Invalid(i)
    }
}

impl From<Conflict> for StoreError {
    fn from(c: Conflict) -> StoreError {
        StoreError::Conflict(c)
    }
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
                    return StoreError::Conflict(Conflict::Unique {
                        constraint: db
                            .constraint()
                            .map(str::to_string)
                            .unwrap_or_else(|| db.message().to_string()),
                    });
                }
                ErrorKind::ForeignKeyViolation => {
                    return StoreError::Invalid(Invalid::MissingReference);
                }
                ErrorKind::CheckViolation => {
                    return StoreError::Invalid(Invalid::Check {
                        detail: db.message().to_string(),
                    });
                }
                _ => {}
            }
        }
        StoreError::Db(e)
    }
}

/// Turns a unique violation into the conflict it means.
pub(crate) fn conflict_as(e: sqlx::Error, conflict: Conflict) -> StoreError {
    match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict(conflict),
        other => other,
    }
}
