//! Typed ids. Every stored record has its own id type, so a site id can never be passed where an
//! assessment id is expected (and the coming plant-model ids never mix with either). They are
//! plain `i64` underneath: storage binds and reads them as such, JSON and URLs show the number.

/// Declares an id newtype over `i64` with the conversions storage, URLs and JSON need.
#[macro_export]
macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub struct $name(i64);

        impl $name {
            pub const fn new(id: i64) -> $name {
                $name(id)
            }

            /// The number as stored.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id!(
    /// An organisation: the ministry, an association or a company.
    OrgId
);
id!(
    /// A user account.
    UserId
);
id!(
    /// A company's site (factory).
    SiteId
);
id!(
    /// A self-assessment of a site.
    AssessmentId
);
id!(
    /// A measure in a site's action plan.
    PlanItemId
);
id!(
    /// A survey round.
    RoundId
);
id!(
    /// An invitee of a survey round.
    InviteeId
);
id!(
    /// One respondent's answers in a round.
    ResponseId
);
id!(
    /// An interview (ヒアリング) with an association.
    InterviewId
);
id!(
    /// A tagged passage of an interview.
    PassageId
);
id!(
    /// A business process (業務) of a site's plant model.
    ProcessId
);
id!(
    /// A security zone of a site's plant model.
    ZoneId
);
id!(
    /// A conduit between two zones.
    ConduitId
);
id!(
    /// An asset (device, system, service or medium) of a site's plant model.
    AssetId
);
id!(
    /// A data flow between two assets.
    FlowId
);
id!(
    /// A file (photo, PDF) attached to an answer as evidence.
    EvidenceId
);
id!(
    /// A stored revision of an advisory.
    AdvisoryRowId
);
id!(
    /// One import of advisories or KEV files.
    ImportRunId
);
id!(
    /// One site's asset found in an advisory for a CVE.
    VulnMatchId
);
id!(
    /// An SBOM or VEX document attached to an asset.
    AssetDocId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_print_and_serialise_as_numbers() {
        let id: SiteId = "42".parse().unwrap();
        assert_eq!(id, SiteId::new(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert!("4x".parse::<SiteId>().is_err());
    }
}
