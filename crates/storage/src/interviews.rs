//! Interviews (ヒアリング) with associations along the hearing instrument: answers per question,
//! and passages of those answers tagged with themes from the instrument's codebook.

use kojo_core::ids::{InterviewId, OrgId, PassageId};
use serde_json::json;

use crate::audit::audit;
use crate::error::Invalid;
use crate::{Actor, Result, Store, StoreError, now_millis, read, write_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Interview {
    pub id: InterviewId,
    pub association_id: OrgId,
    pub instrument: String,
    pub held_on: Option<String>,
    pub interviewer: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Passage {
    pub id: PassageId,
    pub interview_id: InterviewId,
    pub question_id: String,
    pub text: String,
    /// Theme ids, comma-separated (aggregated in SQL).
    pub themes: Option<String>,
}

impl Passage {
    pub fn theme_ids(&self) -> Vec<&str> {
        self.themes
            .as_deref()
            .map(|t| t.split(',').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }
}

impl Store {
    pub async fn create_interview(
        &self,
        actor: &Actor,
        association_id: OrgId,
        instrument: &str,
        held_on: Option<&str>,
        interviewer: &str,
    ) -> Result<Interview> {
        let now = now_millis();
        let id: InterviewId = write_tx!(self, tx => {
            let id: InterviewId = sqlx::query_scalar(
                "INSERT INTO interviews (association_id, instrument, held_on, interviewer, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(association_id)
            .bind(instrument)
            .bind(held_on)
            .bind(interviewer.trim())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit!(tx, actor, "create", "interview", Some(id), Some(json!({"association_id": association_id})));
            id
        });
        self.interview(id).await
    }

    pub async fn interview(&self, id: InterviewId) -> Result<Interview> {
        read!(self, p => {
            sqlx::query_as(
                "SELECT id, association_id, instrument, held_on, interviewer, created_at, updated_at FROM interviews WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        })
        .ok_or(StoreError::NotFound)
    }

    pub async fn interviews(&self) -> Result<Vec<Interview>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT id, association_id, instrument, held_on, interviewer, created_at, updated_at FROM interviews ORDER BY created_at DESC, id DESC",
            )
            .fetch_all(p)
            .await?
        }))
    }

    pub async fn interview_answers(&self, id: InterviewId) -> Result<Vec<(String, String)>> {
        Ok(read!(self, p => {
            sqlx::query_as("SELECT question_id, answer FROM interview_answers WHERE interview_id = $1")
                .bind(id)
                .fetch_all(p)
                .await?
        }))
    }

    pub async fn save_interview_answer(
        &self,
        actor: &Actor,
        id: InterviewId,
        question_id: &str,
        answer: &str,
    ) -> Result<()> {
        let now = now_millis();
        write_tx!(self, tx => {
            sqlx::query(
                "INSERT INTO interview_answers (interview_id, question_id, answer) VALUES ($1, $2, $3) \
                 ON CONFLICT (interview_id, question_id) DO UPDATE SET answer = excluded.answer",
            )
            .bind(id)
            .bind(question_id)
            .bind(answer)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE interviews SET updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *tx).await?;
            audit!(tx, actor, "answer", "interview", Some(id), Some(json!({"question": question_id})));
        });
        Ok(())
    }

    /// Records a passage with its themes.
    pub async fn add_passage(
        &self,
        actor: &Actor,
        interview_id: InterviewId,
        question_id: &str,
        text: &str,
        themes: &[String],
    ) -> Result<PassageId> {
        if text.trim().is_empty() {
            return Err(Invalid::PassageTextRequired.into());
        }
        let now = now_millis();
        Ok(write_tx!(self, tx => {
            let id: PassageId = sqlx::query_scalar(
                "INSERT INTO passages (interview_id, question_id, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(interview_id)
            .bind(question_id)
            .bind(text.trim())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for t in themes {
                sqlx::query("INSERT INTO passage_themes (passage_id, theme_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(t)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(tx, actor, "tag", "interview", Some(interview_id), Some(json!({"passage": id, "themes": themes})));
            id
        }))
    }

    /// Removes a passage and its themes; returns the question it was filed under, or `None`
    /// when this interview has no such passage (already removed, or another interview's).
    pub async fn delete_passage(
        &self,
        actor: &Actor,
        interview_id: InterviewId,
        passage_id: PassageId,
    ) -> Result<Option<String>> {
        Ok(write_tx!(self, tx => {
            let question: Option<String> = sqlx::query_scalar(
                "SELECT question_id FROM passages WHERE id = $1 AND interview_id = $2",
            )
            .bind(passage_id)
            .bind(interview_id)
            .fetch_optional(&mut *tx)
            .await?;
            if question.is_some() {
                sqlx::query("DELETE FROM passage_themes WHERE passage_id = $1")
                    .bind(passage_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM passages WHERE id = $1")
                    .bind(passage_id)
                    .execute(&mut *tx)
                    .await?;
                audit!(tx, actor, "untag", "interview", Some(interview_id), Some(json!({"passage": passage_id})));
            }
            question
        }))
    }

    pub async fn passages(&self, interview_id: InterviewId) -> Result<Vec<Passage>> {
        let passages: Vec<(PassageId, InterviewId, String, String)> = read!(self, p => {
            sqlx::query_as("SELECT id, interview_id, question_id, text FROM passages WHERE interview_id = $1 ORDER BY id")
                .bind(interview_id)
                .fetch_all(p)
                .await?
        });
        let mut out = Vec::new();
        for (id, interview_id, question_id, text) in passages {
            let themes: Vec<String> = read!(self, p => {
                sqlx::query_scalar("SELECT theme_id FROM passage_themes WHERE passage_id = $1 ORDER BY theme_id")
                    .bind(id)
                    .fetch_all(p)
                    .await?
            });
            out.push(Passage {
                id,
                interview_id,
                question_id,
                text,
                themes: Some(themes.join(",")),
            });
        }
        Ok(out)
    }

    /// Per theme: passages tagged with it and the associations that mention it (over all
    /// interviews of an instrument; a follow-up interview does not count an association twice).
    pub async fn theme_counts(&self, instrument: &str) -> Result<Vec<(String, i64, i64)>> {
        Ok(read!(self, p => {
            sqlx::query_as(
                "SELECT t.theme_id, COUNT(*), COUNT(DISTINCT i.association_id) FROM passage_themes t \
                 JOIN passages p ON p.id = t.passage_id JOIN interviews i ON i.id = p.interview_id \
                 WHERE i.instrument = $1 GROUP BY t.theme_id ORDER BY t.theme_id",
            )
            .bind(instrument)
            .fetch_all(p)
            .await?
        }))
    }
}
