//! An assessment's report: loaded once and built by the pure core builder
//! (`kojo_core::report`), then shown in one language ([`view`]) or written to files
//! ([`export`]). The results page, the JSON API, the exports and `kojo assess report` all start
//! here, so they cannot disagree.

pub mod export;
pub mod glance;
pub mod view;

use kojo_core::ids::AssessmentId;
use kojo_core::report::{AnswerData, AssessmentReport, PlanData, ReportHeader, ReportInput};
use kojo_storage::{AnswerRow, Assessment, PlanItem, ResultsVersion};

use crate::{Result, Service, Who};

pub use view::ReportView;

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
            status: p.status,
            note: p.note.clone(),
            version: p.version,
        })
        .collect()
}

impl Service {
    /// The report of an assessment the caller may see.
    pub async fn assessment_report(&self, who: &Who, id: AssessmentId) -> Result<AssessmentReport> {
        let a = self.assessment_for(who, id).await?;
        self.build_report(&a).await
    }

    /// What the results page's cache key needs (one query). The caller's access to the
    /// assessment must have been checked (the web's authorisation layer does).
    pub async fn results_version(&self, id: AssessmentId) -> Result<ResultsVersion> {
        Ok(self.store().results_version(id).await?)
    }

    /// The completed assessment of the same site and checklist made before this one (the
    /// newest such). Only completed ones: they no longer change, so the comparison is stable.
    async fn previous_of(&self, a: &Assessment) -> Result<Option<Assessment>> {
        Ok(self
            .store()
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

    /// Each checklist item's share of the site's high-risk routes (empty without a plant model):
    /// what the action plan's priority weighs (docs/scoring.md).
    async fn risk_shares(
        &self,
        site: kojo_core::ids::SiteId,
        checklist: &kojo_core::checklist::Checklist,
    ) -> Result<kojo_core::planning::RiskShares> {
        let plant = self.store().plant(site).await?;
        if plant.zones.is_empty() {
            return Ok(Default::default());
        }
        let rules = self.risk_rules(None)?;
        let implemented = self.implemented_items(site).await?;
        let importances = kojo_core::plant::Importances::of(&plant);
        let search = kojo_core::plant::Search::to_important(
            &plant,
            &importances,
            kojo_core::plant::Importance::High,
            crate::plant::DEFAULT_MAX_HOPS,
        );
        let routes = kojo_core::plant::routes::enumerate(&plant, &search);
        let analysis = kojo_core::risk::Analysis {
            rules,
            threats: &self.catalog().plant.threats,
            plant: &plant,
            importances: &importances,
            implemented: &implemented,
        };
        let items: Vec<String> = checklist.items.iter().map(|i| i.id.clone()).collect();
        Ok(kojo_core::risk::route_shares(&analysis, &routes, &items))
    }

    async fn build_report(&self, a: &Assessment) -> Result<AssessmentReport> {
        let (checklist, scale) = self.checklist_of(&a.checklist)?;
        let store = self.store();
        let org = store.org(a.org_id).await?;
        let site = store.site(a.site_id).await?;
        let answers = answer_data(&store.answers(a.id).await?);
        let previous = match self.previous_of(a).await? {
            Some(p) => Some((p.id, answer_data(&store.answers(p.id).await?))),
            None => None,
        };
        let plan = plan_data(&store.plan_of_site(a.site_id).await?);
        let risk = self.risk_shares(a.site_id, checklist).await?;
        let catalog = self.catalog();
        let input = ReportInput {
            checklist,
            scale,
            baseline: catalog.national_baseline(),
            bands: &catalog.bands,
            size: kojo_core::planning::size_band(
                org.employees,
                &catalog.company_sizes.example_bands,
            ),
            header: ReportHeader {
                assessment_id: a.id,
                checklist: a.checklist.clone(),
                status: a.status,
                company: org.name,
                site: site.name,
                site_id: site.id,
                created_at: a.created_at,
                completed_at: a.completed_at,
            },
            answers: &answers,
            previous: previous.as_ref().map(|(id, p)| (*id, p.as_slice())),
            plan: &plan,
            risk: &risk,
        };
        Ok(AssessmentReport::build(&input))
    }
}
