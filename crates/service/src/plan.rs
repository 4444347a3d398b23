//! A factory's action plan: measures picked from the gap list, each with an owner, a due date
//! and a status, kept across assessments. Updates use versions, so two people never silently
//! overwrite each other.

use kojo_core::Text;
use kojo_core::checklist::{Item, Measure, SizeBand};
use kojo_core::ids::{AssessmentId, PlanItemId, SiteId};
use kojo_core::status::PlanStatus;
use kojo_storage::{NewPlanItem, PlanItem, PlanUpdate, Saved, Site, StoreError};

use crate::assessment::{NOTE_MAX, OWNER_MAX, check_length, optional_date};
use crate::{Error, Expected, Problem, Result, Service, Who};

/// One plan item with what the plan page shows beside it.
pub struct PlanEntry<'a> {
    pub item: PlanItem,
    /// The checklist item the measure belongs to.
    pub checklist_item: Option<&'a Item>,
    pub measure: Option<&'a Measure>,
    /// The cost band of the example for the company's size (and the vendor's work, if any).
    pub cost: Option<Text>,
    /// The implementation example for the company's size.
    pub example: Option<&'a Text>,
}

/// A plan item as edited: owner, due date, status, note, and the version last read.
#[derive(Debug, Clone, Default)]
pub struct PlanDraft {
    pub owner: String,
    pub due_date: String,
    pub status: String,
    pub note: String,
    pub version: i64,
}

impl PlanDraft {
    fn validate(&self) -> Result<PlanUpdate, Problem> {
        let status = PlanStatus::parse(self.status.trim()).ok_or_else(|| Problem::Field {
            field: "status",
            value: self.status.clone(),
            expected: Expected::OneOf(PlanStatus::ALL.iter().map(|s| s.to_string()).collect()),
        })?;
        check_length("owner", &self.owner, OWNER_MAX)?;
        check_length("note", &self.note, NOTE_MAX)?;
        Ok(PlanUpdate {
            owner: self.owner.trim().to_string(),
            due_date: optional_date("due_date", &self.due_date)?,
            status,
            note: self.note.trim().to_string(),
        })
    }
}

impl Service {
    /// A factory's plan, open items first.
    pub async fn plan(&self, who: &Who, site: SiteId) -> Result<(Site, Vec<PlanEntry<'_>>)> {
        let site = self.site_for(who, site).await?;
        let size = self.size_band_of(site.org_id).await?;
        let mut entries = Vec::new();
        for item in self.store().plan_of_site(site.id).await? {
            entries.push(self.plan_entry(item, size)?);
        }
        Ok((site, entries))
    }

    fn plan_entry(&self, item: PlanItem, size: SizeBand) -> Result<PlanEntry<'_>> {
        let (checklist, _) = self.checklist_of(&item.checklist)?;
        let checklist_item = checklist.item(&item.item_id);
        let measure =
            checklist_item.and_then(|i| i.measures.iter().find(|m| m.id == item.measure_id));
        let cost = measure.map(|m| {
            self.catalog()
                .bands
                .example_cost_label(m.examples.example(size))
        });
        Ok(PlanEntry {
            item,
            checklist_item,
            measure,
            cost,
            example: measure.map(|m| m.examples.for_size(size)),
        })
    }

    /// Adds a measure to a factory's plan. The measure must be in the checklist of the given
    /// assessment of that factory (or the newest checklist). Adding it twice changes nothing.
    pub async fn add_to_plan(
        &self,
        who: &Who,
        site: SiteId,
        measure: &str,
        assessment: Option<AssessmentId>,
    ) -> Result<()> {
        let site = self.site_for(who, site).await?;
        let checklist_key = match assessment {
            Some(id) => {
                let a = self.assessment_for(who, id).await?;
                if a.site_id != site.id {
                    return Err(Error::NotFound);
                }
                a.checklist
            }
            None => self.default_checklist()?.key(),
        };
        let (checklist, _) = self.checklist_of(&checklist_key)?;
        let item = checklist
            .item_of_measure(measure)
            .ok_or_else(|| Problem::UnknownMeasure {
                measure: measure.to_string(),
            })?;
        let new = NewPlanItem {
            checklist: checklist_key.clone(),
            item_id: item.id.clone(),
            measure_id: measure.to_string(),
            owner: String::new(),
            due_date: None,
            assessment_id: assessment,
        };
        match self
            .store()
            .add_plan_item(&who.actor(), site.id, &new)
            .await
        {
            Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Updates a plan item if nobody changed it since `draft.version` was read; returns the
    /// item as it stands (saved, or the newer version that won).
    pub async fn update_plan_item(
        &self,
        who: &Who,
        id: PlanItemId,
        draft: &PlanDraft,
    ) -> Result<Saved<PlanEntry<'_>>> {
        let current = self.plan_item_for(who, id).await?;
        let update = draft.validate()?;
        let size = self
            .size_band_of(self.site_owner(current.site_id).await?)
            .await?;
        Ok(
            match self
                .store()
                .update_plan_item(&who.actor(), id, draft.version, &update)
                .await?
            {
                Saved::Saved(p) => Saved::Saved(self.plan_entry(p, size)?),
                Saved::Conflict(p) => {
                    Saved::Conflict(Some(self.plan_entry(p.unwrap_or(current), size)?))
                }
            },
        )
    }
}
