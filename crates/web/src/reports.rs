//! Loads everything an assessment's report needs and builds it with the pure core builder.
//! Used by the results page, the JSON API, the exports and `kojo assess report`.

use kojo_content::Catalog;
use kojo_core::checklist::Checklist;
use kojo_core::planning::size_band;
use kojo_core::report::{AnswerData, AssessmentReport, PlanData, ReportHeader, ReportInput};
use kojo_core::scale::Scale;
use kojo_storage::{AnswerRow, Assessment, PlanItem, Store, StoreError};

/// The checklist version and scale an assessment was answered on.
pub fn checklist_of<'a>(
    catalog: &'a Catalog,
    key: &str,
) -> Result<(&'a Checklist, &'a Scale), StoreError> {
    let checklist = catalog.checklist_by_key(key).ok_or_else(|| {
        StoreError::Invalid(format!("checklist {key} is not in this kojo's content"))
    })?;
    let scale = catalog
        .scale(&checklist.scale)
        .ok_or_else(|| StoreError::Invalid(format!("scale {} is missing", checklist.scale)))?;
    Ok((checklist, scale))
}

pub fn answer_data(rows: &[AnswerRow]) -> Vec<AnswerData> {
    rows.iter()
        .map(|r| AnswerData {
            item: r.item_id.clone(),
            level: r.level.clone(),
            note: r.note.clone(),
            owner: r.owner.clone(),
            target_date: r.target_date.clone(),
        })
        .collect()
}

pub fn plan_data(items: &[PlanItem]) -> Vec<PlanData> {
    items
        .iter()
        .map(|p| PlanData {
            id: p.id,
            item: p.item_id.clone(),
            measure: p.measure_id.clone(),
            owner: p.owner.clone(),
            due_date: p.due_date.clone(),
            status: p.status.clone(),
            note: p.note.clone(),
            version: p.version,
        })
        .collect()
}

/// The completed assessment of the same site and checklist made before this one (the newest
/// such). Only completed ones: they no longer change, so the comparison is stable.
pub async fn previous_of(store: &Store, a: &Assessment) -> Result<Option<Assessment>, StoreError> {
    Ok(store
        .assessments_of_site(a.site_id)
        .await?
        .into_iter()
        .filter(|p| {
            p.is_complete()
                && p.checklist == a.checklist
                && (p.created_at, p.id) < (a.created_at, a.id)
        })
        .max_by_key(|p| (p.created_at, p.id)))
}

pub async fn load(
    store: &Store,
    catalog: &Catalog,
    a: &Assessment,
) -> Result<AssessmentReport, StoreError> {
    let (checklist, scale) = checklist_of(catalog, &a.checklist)?;
    let org = store.org(a.org_id).await?;
    let site = store.site(a.site_id).await?;
    let answers = answer_data(&store.answers(a.id).await?);
    let previous = match previous_of(store, a).await? {
        Some(p) => Some((p.id, answer_data(&store.answers(p.id).await?))),
        None => None,
    };
    let plan = plan_data(&store.plan_of_site(a.site_id).await?);
    let input = ReportInput {
        checklist,
        scale,
        baseline: catalog.national_baseline(),
        bands: &catalog.bands,
        size: size_band(org.employees, &catalog.company_sizes.example_bands),
        header: ReportHeader {
            assessment_id: a.id,
            checklist: a.checklist.clone(),
            status: a.status.clone(),
            company: org.name,
            site: site.name,
            site_id: site.id,
            created_at: a.created_at,
            completed_at: a.completed_at,
        },
        answers: &answers,
        previous: previous.as_ref().map(|(id, p)| (*id, p.as_slice())),
        plan: &plan,
    };
    Ok(AssessmentReport::build(&input))
}
