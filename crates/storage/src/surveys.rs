//! Survey rounds, their invitees (single-use links) and responses. A response's answers are
//! stored as a JSON object of column → cell, exactly the cells of a response file, so imports,
//! exports, the answering pages and the aggregation read one format.

use kojo_core::ids::{InviteeId, OrgId, ResponseId, RoundId};
use kojo_core::status::{ResponseStatus, RoundStatus};
use kojo_core::survey::answers::Answers;
use serde_json::json;

use crate::assessments::Saved;
use crate::audit::audit;
use crate::error::{Conflict, Invalid, conflict_as};
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

/// A response to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The respondent id of the file (`org-<id>` names an organisation).
    pub respondent: String,
    /// The organisation, if the respondent names one.
    pub org_id: Option<OrgId>,
    pub answers: Answers,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Round {
    pub id: RoundId,
    pub owner_org_id: OrgId,
    pub instrument: String,
    pub title: String,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: RoundStatus,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

impl Round {
    pub fn is_open(&self) -> bool {
        self.status == RoundStatus::Open
    }
}

#[derive(Debug, Clone)]
pub struct NewRound {
    pub instrument: String,
    pub title: String,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitee {
    pub id: InviteeId,
    pub round_id: RoundId,
    pub org_id: Option<OrgId>,
    pub label: String,
    pub email: Option<String>,
    pub created_at: i64,
    #[sqlx(rename = "response_status")]
    status_code: Option<String>,
}

impl Invitee {
    /// The invitee's response status (`None`: not started).
    pub fn response_status(&self) -> Option<ResponseStatus> {
        self.status_code.as_deref().and_then(ResponseStatus::parse)
    }
}

#[derive(Debug, Clone)]
pub struct NewInvitee {
    pub org_id: Option<OrgId>,
    pub label: String,
    pub email: Option<String>,
    pub token_hash: String,
}

/// How a response arrived. Only a signed-in company proves who it is; a personal link only
/// proves that someone holds the link, and an import is the runner's word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Through an invitee's personal link.
    Link,
    /// Signed in as the company.
    Account,
    /// In a response file imported by the round's runner.
    Import,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Link => "link",
            Channel::Account => "account",
            Channel::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "link" => Some(Channel::Link),
            "account" => Some(Channel::Account),
            "import" => Some(Channel::Import),
            _ => None,
        }
    }
}

impl TryFrom<String> for Channel {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Channel, String> {
        Channel::parse(&s).ok_or_else(|| format!("{s:?} is not a response channel"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Response {
    pub id: ResponseId,
    pub round_id: RoundId,
    pub invitee_id: Option<InviteeId>,
    pub org_id: Option<OrgId>,
    pub respondent: String,
    #[sqlx(try_from = "String")]
    pub status: ResponseStatus,
    #[sqlx(try_from = "String")]
    pub answers: Answers,
    pub version: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    /// The Argon2id hash of the resume code of a draft saved through a link.
    pub resume_hash: Option<String>,
}

/// A response to store.
#[derive(Debug, Clone)]
pub struct ResponseWrite<'a> {
    pub round_id: RoundId,
    pub invitee_id: Option<InviteeId>,
    pub org_id: Option<OrgId>,
    pub respondent: &'a str,
    pub answers: &'a Answers,
    /// The version the answers were read at (0: nothing stored yet).
    pub expected_version: i64,
    pub submit: bool,
    pub channel: Channel,
    /// The resume code's hash to keep with the response (`None`: none).
    pub resume_hash: Option<&'a str>,
    /// Which stored response the write may replace.
    pub replace: Replace<'a>,
}

/// Which stored response a write may replace (besides having the expected version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace<'a> {
    /// Any (the signed-in company, whose answers they are).
    Any,
    /// Only a draft saved through a link that still holds this resume-code hash.
    LinkDraft(&'a str),
}

/// A submitted response as the aggregation reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubmittedRow {
    pub round_id: RoundId,
    pub org_id: Option<OrgId>,
    pub respondent: String,
    #[sqlx(try_from = "String")]
    pub answers: Answers,
    pub submitted_at: i64,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
}

/// An invitee with the status of its response. An organisation's answer counts however it came
/// in — through its link, signed in as the company, or imported — so the status is taken from
/// any response of the round by the invitee or by its organisation ('submitted' > 'draft').
macro_rules! invitee_select {
    () => {
        "SELECT i.id, i.round_id, i.org_id, i.label, i.email, i.created_at, \
     (SELECT MAX(r.status) FROM responses r WHERE r.round_id = i.round_id \
      AND (r.invitee_id = i.id OR r.org_id = i.org_id)) AS response_status \
     FROM invitees i"
    };
}

/// Run in the same transaction as any change to a round's responses (see `round_version`).
const BUMP_REVISION: &str = "UPDATE rounds SET revision = revision + 1 WHERE id = $1";

impl Store {
    pub async fn create_round(
        &self,
        actor: &Actor,
        owner_org_id: OrgId,
        new: &NewRound,
    ) -> Result<Round> {
        if new.title.trim().is_empty() {
            return Err(Invalid::RoundTitleRequired.into());
        }
        let now = now_millis();
        let id: RoundId = write_tx!(self, tx => {
            let id: RoundId = sqlx::query_scalar(
                "INSERT INTO rounds (owner_org_id, instrument, title, opens_on, closes_on, status, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $7) RETURNING id",
            )
            .bind(owner_org_id)
            .bind(&new.instrument)
            .bind(new.title.trim())
            .bind(&new.opens_on)
            .bind(&new.closes_on)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, actor, "create", "round", Some(id), Some(json!({"instrument": new.instrument, "owner": owner_org_id})));
            id
        });
        self.round(id).await
    }

    pub async fn round(&self, id: RoundId) -> Result<Round> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT id, owner_org_id, instrument, title, opens_on, closes_on, status, created_at, updated_at, closed_at FROM rounds WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// Rounds run by an organisation (None: every round), newest first.
    pub async fn rounds(&self, owner_org_id: Option<OrgId>) -> Result<Vec<Round>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT id, owner_org_id, instrument, title, opens_on, closes_on, status, created_at, updated_at, closed_at FROM rounds \
                 WHERE ($1 IS NULL OR owner_org_id = $1) ORDER BY created_at DESC, id DESC",
            )
            .bind(owner_org_id)
            .fetch_all(p)
            .await?
        }))
    }

    pub async fn close_round(&self, actor: &Actor, id: RoundId) -> Result<()> {
        let now = now_millis();
        write_tx!(self, tx => {
            let done = sqlx::query("UPDATE rounds SET status = 'closed', closed_at = $1, updated_at = $1 WHERE id = $2 AND status = 'open'")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(Invalid::RoundNotOpen.into());
            }
            audit!(tx, actor, "close", "round", Some(id), None::<serde_json::Value>);
        });
        Ok(())
    }

    /// Opens a closed round again (its runner changed their mind, or closed it too early).
    pub async fn reopen_round(&self, actor: &Actor, id: RoundId) -> Result<()> {
        let now = now_millis();
        write_tx!(self, tx => {
            let done = sqlx::query("UPDATE rounds SET status = 'open', closed_at = NULL, updated_at = $1 WHERE id = $2 AND status = 'closed'")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(Invalid::RoundNotClosed.into());
            }
            audit!(tx, actor, "reopen", "round", Some(id), None::<serde_json::Value>);
        });
        Ok(())
    }

    /// Adds invitees (all or none).
    pub async fn add_invitees(
        &self,
        actor: &Actor,
        round_id: RoundId,
        new: &[NewInvitee],
    ) -> Result<usize> {
        let now = now_millis();
        write_tx!(self, tx => {
            for inv in new {
                sqlx::query(
                    "INSERT INTO invitees (round_id, org_id, label, email, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(round_id)
                .bind(inv.org_id)
                .bind(inv.label.trim())
                .bind(&inv.email)
                .bind(&inv.token_hash)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| conflict_as(e, Conflict::AlreadyInvited { label: inv.label.clone() }))?;
            }
            audit!(tx, actor, "invite", "round", Some(round_id), Some(json!({"invitees": new.len()})));
        });
        Ok(new.len())
    }

    /// A round's invitees with their response status.
    pub async fn invitees(&self, round_id: RoundId) -> Result<Vec<Invitee>> {
        let mut invitees: Vec<Invitee> = read!(self, p => {
            sqlx::query_as(concat!(invitee_select!(), " WHERE i.round_id = $1"))
                .bind(round_id)
                .fetch_all(p)
                .await?
        });
        crate::sort_by_name(&mut invitees, |_| (), |i| &i.label);
        Ok(invitees)
    }

    pub async fn invitee_by_token(&self, token_hash: &str) -> Result<Invitee> {
        read!(self, p => {
            sqlx::query_as(
                concat!(invitee_select!(), " WHERE i.token_hash = $1"),
            )
            .bind(token_hash)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    pub async fn response(&self, round_id: RoundId, respondent: &str) -> Result<Option<Response>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT id, round_id, invitee_id, org_id, respondent, status, answers, version, updated_at, submitted_at, channel, resume_hash \
                 FROM responses WHERE round_id = $1 AND respondent = $2",
            )
            .bind(round_id)
            .bind(respondent)
            .fetch_optional(p)
            .await?
        }))
    }

    /// Saves a respondent's answers if the stored version is still `expected_version` (0: none
    /// yet) and the stored response may be replaced (`replace`); `submit` marks it submitted.
    /// Refused once the round is closed. Audited without the answers.
    pub async fn save_response(
        &self,
        actor: &Actor,
        w: &ResponseWrite<'_>,
    ) -> Result<Saved<Response>> {
        let now = now_millis();
        let answers = w.answers.to_json();
        let status = if w.submit { "submitted" } else { "draft" };
        let guard_hash = match w.replace {
            Replace::Any => None,
            Replace::LinkDraft(hash) => Some(hash),
        };
        let written: bool = write_tx!(self, tx => {
            let round_status: Option<String> = sqlx::query_scalar("SELECT status FROM rounds WHERE id = $1")
                .bind(w.round_id)
                .fetch_optional(&mut *tx)
                .await?;
            match round_status.as_deref() {
                None => return Err(StoreError::NotFound),
                Some("closed") => return Err(Invalid::RoundNotOpen.into()),
                _ => {}
            }
            let id: Option<ResponseId> = if w.expected_version == 0 {
                sqlx::query_scalar(
                    "INSERT INTO responses (round_id, invitee_id, org_id, respondent, status, answers, version, created_at, updated_at, submitted_at, channel, resume_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8, $9, $10) ON CONFLICT (round_id, respondent) DO NOTHING RETURNING id",
                )
                .bind(w.round_id)
                .bind(w.invitee_id)
                .bind(w.org_id)
                .bind(w.respondent)
                .bind(status)
                .bind(&answers)
                .bind(now)
                .bind(w.submit.then_some(now))
                .bind(w.channel.as_str())
                .bind(w.resume_hash)
                .fetch_optional(&mut *tx)
                .await?
            } else {
                // Once submitted a response stays submitted (corrections keep it counted). A
                // link may replace only a link draft holding the resume code it proved.
                sqlx::query_scalar(
                    "UPDATE responses SET answers = $1, version = version + 1, updated_at = $2, \
                     status = CASE WHEN $3 OR status = 'submitted' THEN 'submitted' ELSE 'draft' END, \
                     submitted_at = CASE WHEN $3 THEN $2 ELSE submitted_at END, channel = $4, resume_hash = $5 \
                     WHERE round_id = $6 AND respondent = $7 AND version = $8 \
                     AND ($9 IS NULL OR (status = 'draft' AND channel = 'link' AND resume_hash = $9)) RETURNING id",
                )
                .bind(&answers)
                .bind(now)
                .bind(w.submit)
                .bind(w.channel.as_str())
                .bind(w.resume_hash)
                .bind(w.round_id)
                .bind(w.respondent)
                .bind(w.expected_version)
                .bind(guard_hash)
                .fetch_optional(&mut *tx)
                .await?
            };
            if let Some(id) = id {
                sqlx::query(BUMP_REVISION).bind(w.round_id).execute(&mut *tx).await?;
                let action = if w.submit { "submit" } else { "save" };
                audit!(tx, actor, action, "response", Some(id), Some(json!({"round": w.round_id, "via": w.channel.as_str()})));
            }
            id.is_some()
        });
        let current = self.response(w.round_id, w.respondent).await?;
        Ok(match (written, current) {
            (true, Some(r)) => Saved::Saved(r),
            (_, current) => Saved::Conflict(current),
        })
    }

    /// Deletes a draft saved through a link (a respondent who lost the resume code starts over);
    /// `false` when there is no such draft. Audited without the answers.
    pub async fn delete_link_draft(
        &self,
        actor: &Actor,
        round_id: RoundId,
        respondent: &str,
    ) -> Result<bool> {
        let deleted: Option<ResponseId> = write_tx!(self, tx => {
            let id: Option<ResponseId> = sqlx::query_scalar(
                "DELETE FROM responses WHERE round_id = $1 AND respondent = $2 AND status = 'draft' AND channel = 'link' \
                 AND EXISTS (SELECT 1 FROM rounds WHERE id = $1 AND status = 'open') RETURNING id",
            )
            .bind(round_id)
            .bind(respondent)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                sqlx::query(BUMP_REVISION).bind(round_id).execute(&mut *tx).await?;
                audit!(tx, actor, "delete", "response", Some(id), Some(json!({"round": round_id, "via": "link"})));
            }
            id
        });
        Ok(deleted.is_some())
    }

    /// Counts an attempt to resume a link draft with a code, before the code is checked (so
    /// parallel guesses count too). `false` when `max` attempts were made within the last
    /// `window_ms`: the attempt is refused.
    pub async fn claim_resume_attempt(
        &self,
        round_id: RoundId,
        respondent: &str,
        max: i64,
        window_ms: i64,
    ) -> Result<bool> {
        let now = now_millis();
        let done = write_tx!(self, tx => {
            sqlx::query(
                "UPDATE responses SET \
                 resume_attempts = CASE WHEN resume_window_start IS NULL OR resume_window_start <= $1 THEN 1 ELSE resume_attempts + 1 END, \
                 resume_window_start = CASE WHEN resume_window_start IS NULL OR resume_window_start <= $1 THEN $2 ELSE resume_window_start END \
                 WHERE round_id = $3 AND respondent = $4 \
                 AND (resume_window_start IS NULL OR resume_window_start <= $1 OR resume_attempts < $5)",
            )
            .bind(now - window_ms)
            .bind(now)
            .bind(round_id)
            .bind(respondent)
            .bind(max)
            .execute(&mut *tx)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Forgets the resume attempts of a response (after the right code).
    pub async fn clear_resume_attempts(&self, round_id: RoundId, respondent: &str) -> Result<()> {
        write_tx!(self, tx => {
            sqlx::query(
                "UPDATE responses SET resume_attempts = 0, resume_window_start = NULL \
                 WHERE round_id = $1 AND respondent = $2 AND resume_attempts > 0",
            )
            .bind(round_id)
            .bind(respondent)
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }

    /// Submitted responses of rounds (one round, or every round of an instrument).
    pub async fn submitted(&self, round_ids: &[RoundId]) -> Result<Vec<SubmittedRow>> {
        let mut out = Vec::new();
        for &id in round_ids {
            let rows: Vec<SubmittedRow> = read!(self, p => {
                sqlx::query_as(
                    "SELECT round_id, org_id, respondent, answers, submitted_at, channel FROM responses \
                     WHERE round_id = $1 AND status = 'submitted' ORDER BY id",
                )
                .bind(id)
                .fetch_all(p)
                .await?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// A value that changes with every saved or imported response of a round (for caches):
    /// one primary-key read, whatever the number of responses.
    pub async fn round_version(&self, round_id: RoundId) -> Result<i64> {
        read!(self, p => {
            sqlx::query_scalar("SELECT revision FROM rounds WHERE id = $1")
                .bind(round_id)
                .fetch_optional(p)
                .await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// Imports submitted responses into an open round, all or none; a respondent imported before
    /// is replaced, one who answered themselves refuses the whole file (`Stale`).
    pub async fn import_responses(
        &self,
        actor: &Actor,
        round_id: RoundId,
        responses: &[ImportRow],
    ) -> Result<usize> {
        let now = now_millis();
        write_tx!(self, tx => {
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM rounds WHERE id = $1")
                .bind(round_id)
                .fetch_optional(&mut *tx)
                .await?;
            match status.as_deref() {
                None => return Err(StoreError::NotFound),
                Some("closed") => return Err(Invalid::RoundNotOpen.into()),
                _ => {}
            }
            for ImportRow { respondent, org_id, answers } in responses {
                // An answer a respondent gave (through a link or signed in) is never replaced.
                let done = sqlx::query(
                    "INSERT INTO responses (round_id, org_id, respondent, status, answers, version, created_at, updated_at, submitted_at, channel) \
                     VALUES ($1, $2, $3, 'submitted', $4, 1, $5, $5, $5, 'import') \
                     ON CONFLICT (round_id, respondent) DO UPDATE SET answers = excluded.answers, org_id = excluded.org_id, \
                     status = 'submitted', version = responses.version + 1, updated_at = excluded.updated_at, submitted_at = excluded.submitted_at \
                     WHERE responses.channel = 'import'",
                )
                .bind(round_id)
                .bind(org_id)
                .bind(respondent)
                .bind(answers.to_json())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Stale);
                }
            }
            sqlx::query(BUMP_REVISION).bind(round_id).execute(&mut *tx).await?;
            audit!(tx, actor, "import", "round", Some(round_id), Some(json!({"responses": responses.len()})));
        });
        Ok(responses.len())
    }

    /// The respondents of a round who answered themselves (through a link or signed in), whose
    /// answers an import may not replace.
    pub async fn answering_respondents(&self, round_id: RoundId) -> Result<Vec<String>> {
        Ok(read!(self, p => {
            sqlx::query_scalar(
                "SELECT respondent FROM responses WHERE round_id = $1 AND channel <> 'import' ORDER BY id",
            )
            .bind(round_id)
            .fetch_all(p)
            .await?
        }))
    }

    /// Responses started and submitted in a round.
    pub async fn response_counts(&self, round_id: RoundId) -> Result<(i64, i64)> {
        let (all, submitted): (i64, Option<i64>) = read!(self, p => {
            sqlx::query_as(
                "SELECT COUNT(*), CAST(SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END) AS BIGINT) FROM responses WHERE round_id = $1",
            )
            .bind(round_id)
            .fetch_one(p)
            .await?
        });
        Ok((all, submitted.unwrap_or(0)))
    }
}

impl Store {
    /// A random secret kept in the database (created on first use), e.g. the key respondent
    /// links are derived from, so they can be shown again without storing them.
    pub async fn instance_secret(&self, name: &str) -> Result<String> {
        let found: Option<String> = read!(self, p => {
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(name).fetch_optional(p).await?
        });
        if let Some(v) = found {
            return Ok(v);
        }
        let fresh: String = {
            use rand::RngExt;
            let bytes: [u8; 32] = rand::rng().random();
            bytes.iter().map(|b| format!("{b:02x}")).collect()
        };
        write_tx!(self, tx => {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(name)
                .bind(&fresh)
                .execute(&mut *tx)
                .await?;
        });
        let stored: String = read!(self, p => {
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(name).fetch_one(p).await?
        });
        Ok(stored)
    }
}
