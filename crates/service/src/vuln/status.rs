//! The factory's answer for one match, as a form or the API sends it: checked here (the status
//! and justification codes, lengths, the date) before anything is stored.

use kojo_core::vuln::advisory::Justification;
use kojo_core::vuln::priority::MatchStatus;
use kojo_storage::StatusUpdate;
use serde::Deserialize;

use crate::assessment::{NOTE_MAX, OWNER_MAX, check_length};
use crate::{Expected, Problem};

/// The justifications offered for 該当なし: the five flag labels of CSAF VEX (what kojo's VEX
/// export writes).
pub const JUSTIFICATIONS: [Justification; 5] = [
    Justification::ComponentNotPresent,
    Justification::VulnerableCodeNotPresent,
    Justification::VulnerableCodeNotInExecutePath,
    Justification::VulnerableCodeCannotBeControlledByAdversary,
    Justification::InlineMitigationsAlreadyExist,
];

/// A status as typed: `status` is `open`, `in_progress`, `done` or `not_affected`;
/// `justification` (required with `not_affected`) one of the CSAF VEX flag labels; `due_date`
/// `YYYY-MM-DD` or empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StatusDraft {
    pub status: String,
    #[serde(default)]
    pub justification: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_date: String,
    #[serde(default)]
    pub note: String,
}

impl StatusDraft {
    /// The update to store, or the first field that is wrong and what it expects. 該当なし
    /// needs a justification; the other statuses drop one.
    pub fn validate(&self) -> Result<StatusUpdate, Problem> {
        let status = MatchStatus::parse(self.status.trim()).ok_or_else(|| Problem::Field {
            field: "status",
            value: self.status.clone(),
            expected: Expected::OneOf(MatchStatus::ALL.iter().map(|s| s.to_string()).collect()),
        })?;
        let justification = if status == MatchStatus::NotAffected {
            let j = Justification::parse(self.justification.trim())
                .filter(|j| JUSTIFICATIONS.contains(j))
                .ok_or_else(|| Problem::Field {
                    field: "justification",
                    value: self.justification.clone(),
                    expected: Expected::OneOf(
                        JUSTIFICATIONS.iter().map(|j| j.to_string()).collect(),
                    ),
                })?;
            Some(j)
        } else {
            None
        };
        check_length("owner", &self.owner, OWNER_MAX)?;
        check_length("note", &self.note, NOTE_MAX)?;
        let due_date =
            kojo_core::date::parse_optional(&self.due_date).map_err(|_| Problem::Field {
                field: "due_date",
                value: self.due_date.trim().to_string(),
                expected: Expected::Date,
            })?;
        Ok(StatusUpdate {
            status,
            justification,
            owner: self.owner.trim().to_string(),
            due_date,
            note: self.note.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn draft(status: &str, justification: &str) -> StatusDraft {
        StatusDraft {
            status: status.into(),
            justification: justification.into(),
            ..StatusDraft::default()
        }
    }

    #[test]
    fn not_affected_needs_a_csaf_justification() {
        assert!(matches!(
            draft("not_affected", "").validate(),
            Err(Problem::Field {
                field: "justification",
                ..
            })
        ));
        // A CycloneDX-only code is not offered (the VEX export is CSAF).
        assert!(
            draft("not_affected", "code_not_reachable")
                .validate()
                .is_err()
        );
        let ok = draft("not_affected", "component_not_present")
            .validate()
            .unwrap();
        assert_eq!(ok.justification, Some(Justification::ComponentNotPresent));
    }

    #[test]
    fn other_statuses_drop_a_justification_and_check_the_date() {
        let ok = draft("done", "component_not_present").validate().unwrap();
        assert_eq!(ok.justification, None);
        let mut d = draft("in_progress", "");
        d.due_date = "2027-02-30".into();
        assert!(matches!(
            d.validate(),
            Err(Problem::Field {
                field: "due_date",
                ..
            })
        ));
        d.due_date = "2027/02/28".into();
        assert_eq!(
            d.validate().unwrap().due_date.map(|d| d.iso()),
            Some("2027-02-28".into())
        );
        assert!(matches!(
            draft("fixed", "").validate(),
            Err(Problem::Field {
                field: "status",
                ..
            })
        ));
    }
}
