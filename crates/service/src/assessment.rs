//! Self-assessment of a factory: starting one (or continuing the factory's draft), answering item
//! by item with optimistic versions, completing it, discarding a draft, and the offline workbook
//! (blank template, current answers, upload).

use kojo_core::checklist::{Checklist, Item, SizeBand};
use kojo_core::date::Date;
use kojo_core::ids::{AssessmentId, OrgId, SiteId};
use kojo_core::planning::size_band;
use kojo_core::scale::Scale;
use kojo_formats::assessment_xlsx::{self, ImportError, ImportedAnswer};
use kojo_storage::{
    AnswerChange, AnswerInput, AnswerRow, Assessment, Invalid, Saved, Site, StoreError,
};

use crate::access::{company_admin_of, company_of};
use crate::{Error, Expected, Lang, Problem, Result, Service, Who};

/// Longest note accepted (characters).
pub const NOTE_MAX: usize = 2000;
/// Longest owner name accepted (characters).
pub const OWNER_MAX: usize = 200;
/// Largest workbook accepted for upload (bytes).
pub const WORKBOOK_UPLOAD_LIMIT: usize = 5 * 1024 * 1024;

/// An assessment that was started, or the factory's draft that was continued.
pub struct Started {
    pub assessment: Assessment,
    /// False when the factory's draft was continued instead.
    pub created: bool,
}

/// Everything the answer form shows.
pub struct AnswerSheet<'a> {
    pub assessment: Assessment,
    pub site: Site,
    pub checklist: &'a Checklist,
    pub scale: &'a Scale,
    pub answers: Vec<AnswerRow>,
    /// The company's size band (which implementation example to show).
    pub size: SizeBand,
}

impl AnswerSheet<'_> {
    pub fn answer(&self, item: &str) -> Option<&AnswerRow> {
        self.answers.iter().find(|a| a.item_id == item)
    }

    /// Items answered with a level.
    pub fn answered(&self) -> usize {
        self.answers.iter().filter(|a| a.level.is_some()).count()
    }
}

/// One item as it stands after a save: what the form shows again.
pub struct ItemState<'a> {
    pub assessment: Assessment,
    pub scale: &'a Scale,
    pub item: &'a Item,
    pub size: SizeBand,
    /// Saved, or someone saved first (then the stored answer).
    pub outcome: Saved<AnswerRow>,
}

/// What became of a save from the answer form: saved, someone saved first, or refused with a
/// reason the user can read (a bad field, a completed assessment). Nothing is stored unless
/// `Saved`.
#[derive(Debug)]
pub enum ItemOutcome {
    Saved(AnswerRow),
    /// Someone saved a newer version first (their answer, when there is one).
    Conflict(Option<AnswerRow>),
    /// Not stored: why, for the reader.
    Refused(Problem),
}

/// An attempt to save one item from the answer form, with everything the item and the page's
/// counter show afterwards. The draft as typed stays with the caller (the form keeps it).
pub struct ItemAttempt<'a> {
    pub assessment: Assessment,
    pub scale: &'a Scale,
    pub item: &'a Item,
    pub size: SizeBand,
    pub outcome: ItemOutcome,
    /// The item's answer as stored now (after the save, or unchanged when it was refused).
    pub stored: Option<AnswerRow>,
    /// Items answered with a level, and all items, as stored now.
    pub answered: usize,
    pub total: usize,
}

/// An answer as typed: the level code, note, owner, target date, and the version last read (0
/// for an item not answered yet).
#[derive(Debug, Clone, Default)]
pub struct AnswerDraft {
    pub level: Option<String>,
    pub note: String,
    pub owner: String,
    pub target_date: String,
    pub version: i64,
}

impl AnswerDraft {
    /// Checks the draft against the scale and the field rules; the problem names the field.
    pub fn validate(&self, scale: &Scale) -> Result<AnswerInput, Problem> {
        let level = self.level.clone().filter(|l| !l.is_empty());
        if let Some(code) = &level
            && scale.level(code).is_none()
        {
            return Err(Problem::Field {
                field: "level",
                value: code.clone(),
                expected: Expected::OneOf(scale.codes().iter().map(|c| c.to_string()).collect()),
            });
        }
        check_length("note", &self.note, NOTE_MAX)?;
        check_length("owner", &self.owner, OWNER_MAX)?;
        Ok(AnswerInput {
            level,
            note: self.note.trim().to_string(),
            owner: self.owner.trim().to_string(),
            target_date: optional_date("target_date", &self.target_date)?,
        })
    }
}

/// A text field of at most `max` characters.
pub fn check_length(field: &'static str, value: &str, max: usize) -> Result<(), Problem> {
    if value.chars().count() > max {
        return Err(Problem::Field {
            field,
            value: value.to_string(),
            expected: Expected::MaxChars(max),
        });
    }
    Ok(())
}

/// An optional date field, as stored (`YYYY-MM-DD`).
pub fn optional_date(field: &'static str, value: &str) -> Result<Option<String>, Problem> {
    kojo_core::date::parse_optional(value)
        .map(|d| d.map(Date::iso))
        .map_err(|_| Problem::Field {
            field,
            value: value.trim().to_string(),
            expected: Expected::Date,
        })
}

/// Why an assessment cannot be completed yet, or that it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    Completed,
    Missing { missing: usize, items: usize },
}

/// What an uploaded workbook became.
pub enum WorkbookImport {
    Imported(Assessment),
    /// Refused: nothing stored.
    Rejected(ImportError),
}

impl Service {
    /// The checklist version and scale an assessment was answered on.
    pub fn checklist_of(&self, key: &str) -> Result<(&Checklist, &Scale)> {
        let checklist = self.catalog().checklist_by_key(key).ok_or_else(|| {
            Error::Internal(format!("checklist {key} is not in this kojo's content"))
        })?;
        let scale = self
            .catalog()
            .scale(&checklist.scale)
            .ok_or_else(|| Error::Internal(format!("scale {} is missing", checklist.scale)))?;
        Ok((checklist, scale))
    }

    /// Which implementation examples fit a company: its size band.
    pub async fn size_band_of(&self, org: OrgId) -> Result<SizeBand> {
        let org = self.store().org(org).await?;
        Ok(size_band(
            org.employees,
            &self.catalog().company_sizes.example_bands,
        ))
    }

    /// Starts an assessment of a factory on the newest checklist (or a copy of an earlier
    /// assessment's answers). A factory has one draft at a time: starting again continues it.
    pub async fn start_assessment(
        &self,
        who: &Who,
        site: SiteId,
        copy_from: Option<AssessmentId>,
    ) -> Result<Started> {
        let site = self.site_for(who, site).await?;
        if let Some(draft) = self.store().draft_of_site(site.id).await? {
            return Ok(Started {
                assessment: draft,
                created: false,
            });
        }
        let checklist = match copy_from {
            Some(src) => self.assessment_for(who, src).await?.checklist,
            None => self.default_checklist()?.key(),
        };
        let assessment = self
            .store()
            .create_assessment(&who.actor(), site.id, &checklist, copy_from)
            .await?;
        Ok(Started {
            assessment,
            created: true,
        })
    }

    /// The answer form's content.
    pub async fn answer_sheet(&self, who: &Who, id: AssessmentId) -> Result<AnswerSheet<'_>> {
        let assessment = self.assessment_for(who, id).await?;
        let (checklist, scale) = self.checklist_of(&assessment.checklist)?;
        Ok(AnswerSheet {
            answers: self.store().answers(id).await?,
            site: self.store().site(assessment.site_id).await?,
            size: self.size_band_of(assessment.org_id).await?,
            assessment,
            checklist,
            scale,
        })
    }

    /// Saves one item's answer if nobody saved it since `draft.version` was read.
    pub async fn save_answer(
        &self,
        who: &Who,
        id: AssessmentId,
        item: &str,
        draft: &AnswerDraft,
    ) -> Result<ItemState<'_>> {
        let assessment = self.assessment_for(who, id).await?;
        let (checklist, scale) = self.checklist_of(&assessment.checklist)?;
        let item = checklist.item(item).ok_or(Error::NotFound)?;
        if assessment.is_complete() {
            return Err(Error::Conflict(Problem::ReadOnly));
        }
        let input = draft.validate(scale)?;
        let outcome = self
            .store()
            .save_answer(&who.actor(), id, &item.id, draft.version, &input)
            .await?;
        Ok(ItemState {
            size: self.size_band_of(assessment.org_id).await?,
            assessment,
            scale,
            item,
            outcome,
        })
    }

    /// Saves one item from the answer form. Unlike [`Service::save_answer`], a problem the user
    /// can fix (a bad date, a note too long, a completed assessment — also one completed while
    /// the page was open) is an outcome, not an error, so the form can show it beside the item
    /// with the typed text; only "not found", "not yours" and failures of the database are
    /// errors.
    pub async fn try_save_answer(
        &self,
        who: &Who,
        id: AssessmentId,
        item: &str,
        draft: &AnswerDraft,
    ) -> Result<ItemAttempt<'_>> {
        let assessment = self.assessment_for(who, id).await?;
        let (checklist, scale) = self.checklist_of(&assessment.checklist)?;
        let item = checklist.item(item).ok_or(Error::NotFound)?;
        let outcome = match draft.validate(scale) {
            _ if assessment.is_complete() => ItemOutcome::Refused(Problem::ReadOnly),
            Err(problem) => ItemOutcome::Refused(problem),
            Ok(input) => {
                let saved = self
                    .store()
                    .save_answer(&who.actor(), id, &item.id, draft.version, &input)
                    .await;
                match saved {
                    Ok(Saved::Saved(row)) => ItemOutcome::Saved(row),
                    Ok(Saved::Conflict(now)) => ItemOutcome::Conflict(now),
                    Err(StoreError::Invalid(Invalid::NotDraft)) => {
                        ItemOutcome::Refused(Problem::ReadOnly)
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        let answers = self.store().answers(id).await?;
        Ok(ItemAttempt {
            stored: answers.iter().find(|a| a.item_id == item.id).cloned(),
            answered: answers.iter().filter(|a| a.level.is_some()).count(),
            total: checklist.items.len(),
            size: self.size_band_of(assessment.org_id).await?,
            assessment,
            scale,
            item,
            outcome,
        })
    }

    /// The versions of one answer, newest first, with the scale to name their levels.
    pub async fn answer_history(
        &self,
        who: &Who,
        id: AssessmentId,
        item: &str,
    ) -> Result<(&Scale, Vec<AnswerChange>)> {
        let assessment = self.assessment_for(who, id).await?;
        let (checklist, scale) = self.checklist_of(&assessment.checklist)?;
        checklist.item(item).ok_or(Error::NotFound)?;
        Ok((scale, self.store().answer_history(id, item).await?))
    }

    /// Completes an assessment once every item is answered. Completing a complete one again
    /// succeeds (a double click, a retry).
    pub async fn complete_assessment(&self, who: &Who, id: AssessmentId) -> Result<Completion> {
        let assessment = self.assessment_for(who, id).await?;
        if assessment.is_complete() {
            return Ok(Completion::Completed);
        }
        let (checklist, _) = self.checklist_of(&assessment.checklist)?;
        let answered = self
            .store()
            .answers(id)
            .await?
            .iter()
            .filter(|a| a.level.is_some())
            .count();
        let items = checklist.items.len();
        if answered < items {
            return Ok(Completion::Missing {
                missing: items - answered,
                items,
            });
        }
        self.store().complete_assessment(&who.actor(), id).await?;
        Ok(Completion::Completed)
    }

    /// Deletes a draft with its answers and history (company admins; `confirmed` is the ticked
    /// box). A completed assessment is kept.
    pub async fn discard_assessment(
        &self,
        who: &Who,
        id: AssessmentId,
        confirmed: bool,
    ) -> Result<()> {
        let assessment = self.assessment_for(who, id).await?;
        if matches!(who, Who::User(_)) {
            company_admin_of(who)?;
        }
        if !confirmed {
            return Err(Problem::ConfirmRequired.into());
        }
        if assessment.is_complete() {
            return Err(Error::Conflict(Problem::ReadOnly));
        }
        Ok(self.store().discard_draft(&who.actor(), id).await?)
    }

    /// The blank workbook of a checklist (`key` such as `factory-guideline/v1`; the newest
    /// factory checklist when `None`), with its file name.
    pub fn assessment_template(&self, key: Option<&str>, lang: &Lang) -> Result<(String, Vec<u8>)> {
        let checklist = match key {
            Some(k) => self.catalog().checklist_by_key(k).ok_or(Error::NotFound)?,
            None => self.default_checklist()?,
        };
        let (checklist, scale) = self.checklist_of(&checklist.key())?;
        let bytes = assessment_xlsx::template(checklist, scale, lang.locale)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((
            format!("kojo-{}-v{}.xlsx", checklist.id, checklist.version),
            bytes,
        ))
    }

    /// The assessment's current answers as the offline workbook, to continue on site.
    pub async fn assessment_workbook(
        &self,
        who: &Who,
        id: AssessmentId,
        lang: &Lang,
    ) -> Result<(String, Vec<u8>)> {
        let assessment = self.assessment_for(who, id).await?;
        let (checklist, scale) = self.checklist_of(&assessment.checklist)?;
        let answers: Vec<ImportedAnswer> = self
            .store()
            .answers(id)
            .await?
            .into_iter()
            .map(|r| ImportedAnswer {
                item_id: r.item_id,
                level: r.level,
                note: r.note,
                owner: r.owner,
                target_date: r.target_date,
            })
            .collect();
        let bytes = assessment_xlsx::template_with(checklist, scale, lang.locale, &answers)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((format!("kojo-assessment-{id}.xlsx"), bytes))
    }

    /// Creates an assessment of a factory from a filled workbook, only if every cell is valid
    /// and the factory has no draft in progress.
    pub async fn import_workbook(
        &self,
        who: &Who,
        site: SiteId,
        bytes: &[u8],
    ) -> Result<WorkbookImport> {
        let site = self.site_for(who, site).await?;
        if matches!(who, Who::User(_)) {
            company_of(who)?;
        }
        if bytes.len() > WORKBOOK_UPLOAD_LIMIT {
            return Err(Error::TooLarge {
                limit: WORKBOOK_UPLOAD_LIMIT,
            });
        }
        let checklist = self.default_checklist()?;
        let (checklist, scale) = self.checklist_of(&checklist.key())?;
        let answers = match assessment_xlsx::parse(bytes, checklist, scale) {
            Ok(answers) => answers,
            Err(e) => return Ok(WorkbookImport::Rejected(e)),
        };
        if self.store().draft_of_site(site.id).await?.is_some() {
            return Err(Error::Conflict(Problem::DraftExists));
        }
        let rows: Vec<(String, AnswerInput)> = answers
            .into_iter()
            .map(|a| {
                let input = AnswerInput {
                    level: a.level,
                    note: a.note,
                    owner: a.owner,
                    target_date: a.target_date,
                };
                (a.item_id, input)
            })
            .collect();
        let assessment = self
            .store()
            .import_assessment(&who.actor(), site.id, &checklist.key(), &rows)
            .await?;
        Ok(WorkbookImport::Imported(assessment))
    }
}
