//! Interviews (ヒアリング) with associations along the hearing instrument: answers per question,
//! passages tagged with the codebook's themes, and theme counts per topic as the 2022 hearing
//! summary shows them. The ministry's.

use std::collections::HashMap;

use kojo_core::ids::{InterviewId, OrgId, PassageId};
use kojo_core::instrument::{Instrument, InstrumentKind};
use kojo_core::org::OrgKind;
use kojo_storage::{Interview, Passage};

use crate::access::interviewer;
use crate::assessment::optional_date;
use crate::{Error, Expected, Problem, Result, Service, Who};

/// One interview in the list.
pub struct InterviewRow {
    pub interview: Interview,
    pub association: String,
    pub passages: usize,
}

/// The interviews page: the interviews, newest first, and the associations to pick from.
pub struct InterviewList {
    pub rows: Vec<InterviewRow>,
    /// Every association, in name order.
    pub associations: Vec<(OrgId, String)>,
}

/// A new interview as typed.
#[derive(Debug, Clone)]
pub struct InterviewDraft {
    pub association: OrgId,
    /// A date, or empty.
    pub held_on: String,
    pub interviewer: String,
}

/// One interview with everything its page shows.
pub struct InterviewSheet<'a> {
    pub interview: Interview,
    pub association: String,
    pub instrument: &'a Instrument,
    /// Answers by question id.
    pub answers: HashMap<String, String>,
    pub passages: Vec<Passage>,
}

/// A passage to tag: the question it answers, what was said, and its themes.
#[derive(Debug, Clone, Default)]
pub struct PassageDraft {
    pub question: String,
    pub text: String,
    pub themes: Vec<String>,
}

/// Theme counts over the interviews of the hearing instrument.
pub struct ThemeSummary<'a> {
    pub instrument: &'a Instrument,
    pub interviews: usize,
    /// Per theme id: passages tagged with it and associations that mention it.
    pub counts: HashMap<String, (i64, i64)>,
}

impl Service {
    /// The newest hearing instrument.
    fn hearing(&self) -> Result<&Instrument> {
        self.catalog()
            .instruments
            .iter()
            .filter(|i| i.kind == InstrumentKind::Hearing)
            .max_by_key(|i| i.year)
            .ok_or_else(|| Error::Internal("no hearing instrument".into()))
    }

    fn interview_instrument(&self, interview: &Interview) -> Result<&Instrument> {
        self.catalog()
            .instrument(&interview.instrument)
            .ok_or(Error::NotFound)
    }

    pub async fn interviews(&self, who: &Who) -> Result<InterviewList> {
        interviewer(who)?;
        // In the storage's name order, for the association picker.
        let associations: Vec<(OrgId, String)> = self
            .store()
            .list_orgs(Some(OrgKind::Association))
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let names: HashMap<OrgId, &str> = associations
            .iter()
            .map(|(id, name)| (*id, name.as_str()))
            .collect();
        let mut rows = Vec::new();
        for interview in self.store().interviews().await? {
            rows.push(InterviewRow {
                passages: self.store().passages(interview.id).await?.len(),
                association: names
                    .get(&interview.association_id)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                interview,
            });
        }
        Ok(InterviewList { rows, associations })
    }

    /// Starts the record of an interview with an association, on the newest hearing instrument.
    pub async fn create_interview(&self, who: &Who, draft: &InterviewDraft) -> Result<Interview> {
        interviewer(who)?;
        crate::assessment::check_length("interviewer", &draft.interviewer, crate::NAME_MAX)?;
        let association = self.store().org(draft.association).await?;
        if association.kind != OrgKind::Association {
            return Err(Problem::Field {
                field: "association",
                value: association.name,
                expected: Expected::Id,
            }
            .into());
        }
        let held_on = optional_date("held_on", &draft.held_on)?;
        let instrument = self.hearing()?;
        Ok(self
            .store()
            .create_interview(
                &who.actor(),
                association.id,
                &instrument.id,
                held_on.as_deref(),
                &draft.interviewer,
            )
            .await?)
    }

    pub async fn interview(&self, who: &Who, id: InterviewId) -> Result<InterviewSheet<'_>> {
        let interview = self.interview_for(who, id).await?;
        let instrument = self.interview_instrument(&interview)?;
        Ok(InterviewSheet {
            association: self.store().org(interview.association_id).await?.name,
            answers: self
                .store()
                .interview_answers(id)
                .await?
                .into_iter()
                .collect(),
            passages: self.store().passages(id).await?,
            interview,
            instrument,
        })
    }

    /// Saves the answers of an interview's form: every posted field named like a question of
    /// the instrument (others are ignored). All are checked before any is saved.
    pub async fn save_interview_answers(
        &self,
        who: &Who,
        id: InterviewId,
        posted: &[(String, String)],
    ) -> Result<()> {
        let interview = self.interview_for(who, id).await?;
        let answers = answers_of(self.interview_instrument(&interview)?, posted)?;
        self.store_answers(who, id, &answers).await
    }

    async fn store_answers(
        &self,
        who: &Who,
        id: InterviewId,
        answers: &[(String, String)],
    ) -> Result<()> {
        for (question, answer) in answers {
            self.store()
                .save_interview_answer(&who.actor(), id, question, answer)
                .await?;
        }
        Ok(())
    }

    /// Tags a passage with themes; the answers posted with it (the same form) are saved too, so
    /// nothing typed is lost. Everything is checked before anything is written.
    pub async fn add_passage(
        &self,
        who: &Who,
        id: InterviewId,
        posted: &[(String, String)],
        passage: &PassageDraft,
    ) -> Result<PassageId> {
        let interview = self.interview_for(who, id).await?;
        let instrument = self.interview_instrument(&interview)?;
        let answers = answers_of(instrument, posted)?;
        check_passage(instrument, passage)?;
        crate::assessment::check_length("passage_text", &passage.text, crate::TEXT_MAX)?;
        self.store_answers(who, id, &answers).await?;
        Ok(self
            .store()
            .add_passage(
                &who.actor(),
                id,
                &passage.question,
                &passage.text,
                &passage.themes,
            )
            .await?)
    }

    /// Removes a tagged passage, after saving the answers posted with it (the interview's
    /// single form). Returns the question it was filed under; `None` when it is already gone.
    pub async fn delete_passage(
        &self,
        who: &Who,
        id: InterviewId,
        passage: PassageId,
        posted: &[(String, String)],
    ) -> Result<Option<String>> {
        let interview = self.interview_for(who, id).await?;
        let answers = answers_of(self.interview_instrument(&interview)?, posted)?;
        self.store_answers(who, id, &answers).await?;
        Ok(self
            .store()
            .delete_passage(&who.actor(), id, passage)
            .await?)
    }

    /// Passages and associations per theme over every interview of the hearing instrument.
    pub async fn theme_summary(&self, who: &Who) -> Result<ThemeSummary<'_>> {
        interviewer(who)?;
        let instrument = self.hearing()?;
        let counts = self
            .store()
            .theme_counts(&instrument.id)
            .await?
            .into_iter()
            .map(|(theme, passages, associations)| (theme, (passages, associations)))
            .collect();
        let interviews = self
            .store()
            .interviews()
            .await?
            .iter()
            .filter(|i| i.instrument == instrument.id)
            .count();
        Ok(ThemeSummary {
            instrument,
            interviews,
            counts,
        })
    }
}

/// The posted fields that answer a question of the instrument, trimmed and checked against the
/// question's length.
fn answers_of(
    instrument: &Instrument,
    posted: &[(String, String)],
) -> Result<Vec<(String, String)>, Problem> {
    let mut out = Vec::new();
    for (key, value) in posted {
        let Some(question) = instrument.question(key) else {
            continue;
        };
        if let Some(max) = question.max_length
            && value.chars().count() > max
        {
            return Err(Problem::Field {
                field: "answer",
                value: format!("{key}: {value}"),
                expected: Expected::MaxChars(max),
            });
        }
        out.push((key.clone(), value.trim().to_string()));
    }
    Ok(out)
}

/// A passage names a question and themes of the instrument, and is not empty.
fn check_passage(instrument: &Instrument, passage: &PassageDraft) -> Result<(), Problem> {
    let not_listed = |field: &'static str, value: &str| Problem::Field {
        field,
        value: value.to_string(),
        expected: Expected::Id,
    };
    if instrument.question(&passage.question).is_none() {
        return Err(not_listed("passage_question", &passage.question));
    }
    if passage.text.trim().is_empty() {
        return Err(Problem::Field {
            field: "passage_text",
            value: passage.text.clone(),
            expected: Expected::Text,
        });
    }
    match passage
        .themes
        .iter()
        .find(|t| !instrument.themes.iter().any(|x| &x.id == *t))
    {
        Some(unknown) => Err(not_listed("passage_theme", unknown)),
        None => Ok(()),
    }
}
