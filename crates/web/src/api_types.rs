//! The JSON API's request and response bodies. Their JSON schemas in the OpenAPI document are
//! derived from these types (with the same length limits the use cases enforce), so the
//! document cannot drift from what the handlers accept and return.

use kojo_core::ids::{AssessmentId, SiteId};
use kojo_core::status::AssessmentStatus;
use kojo_service::assessment::{NOTE_MAX, OWNER_MAX};
use kojo_storage::{AnswerRow, Assessment, Site};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A site with its assessments.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SiteJson {
    pub id: SiteId,
    pub name: String,
    /// JIS X 0401 prefecture code (`01`–`47`).
    pub prefecture_code: Option<String>,
    pub assessments: Vec<AssessmentJson>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AssessmentJson {
    pub id: AssessmentId,
    /// The checklist version answered, e.g. `factory-guideline/v1`.
    pub checklist: String,
    pub status: AssessmentStatus,
    /// UTC milliseconds.
    pub created_at: i64,
    /// UTC milliseconds; null while a draft.
    pub completed_at: Option<i64>,
}

/// The signed-in company's sites.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SitesJson {
    pub sites: Vec<SiteJson>,
}

impl SitesJson {
    pub fn new(sites: Vec<Site>, assessments: &[Assessment]) -> SitesJson {
        let sites = sites
            .into_iter()
            .map(|s| SiteJson {
                assessments: assessments
                    .iter()
                    .filter(|a| a.site_id == s.id)
                    .map(|a| AssessmentJson {
                        id: a.id,
                        checklist: a.checklist.clone(),
                        status: a.status,
                        created_at: a.created_at,
                        completed_at: a.completed_at,
                    })
                    .collect(),
                id: s.id,
                name: s.name,
                prefecture_code: s.prefecture_code,
            })
            .collect();
        SitesJson { sites }
    }
}

/// Start an assessment, optionally from a copy of an earlier one of the same site.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct StartBody {
    #[serde(default)]
    pub copy_from: Option<AssessmentId>,
}

/// The assessment started (or the site's draft in progress, which is continued).
#[derive(Debug, Serialize, JsonSchema)]
pub struct StartedJson {
    pub id: AssessmentId,
    pub status: AssessmentStatus,
    pub checklist: String,
}

impl From<&Assessment> for StartedJson {
    fn from(a: &Assessment) -> StartedJson {
        StartedJson {
            id: a.id,
            status: a.status,
            checklist: a.checklist.clone(),
        }
    }
}

/// One answer as typed. Give the `version` you read (0 for an item not answered yet): if
/// someone saved first, the answer is not saved and the current one comes back with 409.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AnswerBody {
    /// A level code of the checklist's scale (`5`, `4`, `3`, `2`, `1`, `na`); null or empty to
    /// clear the answer.
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    #[schemars(length(max = NOTE_MAX))]
    pub note: String,
    #[serde(default)]
    #[schemars(length(max = OWNER_MAX))]
    pub owner: String,
    /// `YYYY-MM-DD` (or `YYYY/M/D`).
    #[serde(default)]
    pub target_date: Option<String>,
    /// The version last read (0 if unanswered).
    pub version: i64,
}

/// One stored answer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AnswerJson {
    pub item: String,
    pub level: Option<String>,
    pub note: String,
    pub owner: String,
    pub target_date: Option<String>,
    pub version: i64,
    /// UTC milliseconds.
    pub updated_at: i64,
}

impl From<&AnswerRow> for AnswerJson {
    fn from(r: &AnswerRow) -> AnswerJson {
        AnswerJson {
            item: r.item_id.clone(),
            level: r.level.clone(),
            note: r.note.clone(),
            owner: r.owner.clone(),
            target_date: r.target_date.clone(),
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

/// The assessment is complete.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CompletedJson {
    pub id: AssessmentId,
    pub status: AssessmentStatus,
}

impl CompletedJson {
    pub fn new(id: AssessmentId) -> CompletedJson {
        CompletedJson {
            id,
            status: AssessmentStatus::Complete,
        }
    }
}

/// An error: a stable code, a sentence in the reader's language, and what to fix.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorJson {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorBody {
    /// One of the codes listed in the error description.
    pub code: String,
    pub message: String,
    /// What to fix, in the reader's language.
    pub detail: Option<String>,
    /// The field the problem is about, when it is about one.
    pub field: Option<String>,
}
