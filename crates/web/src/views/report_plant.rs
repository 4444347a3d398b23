//! The plant part of the printed report (issue 9, "the diagram and the routes in the print
//! report"): the zone diagram, the findings by severity and the riskiest attack routes, built
//! from the same views as the plant, findings and risk pages so the report says what they say.

use kojo_content::Catalog;
use kojo_service::plant::PlantAnalysis;

use crate::Ctx;
use crate::views::plant::{FindingsInput, FindingsPage, SeverityGroup, diagram};
use crate::views::risk::{BandCount, Method, RiskPage, RiskQuery, RouteView};

/// Routes printed (the page has them all).
pub const REPORT_ROUTES: usize = 10;

pub struct ReportPlant {
    pub diagram: String,
    pub findings_summary: String,
    pub findings: Vec<SeverityGroup>,
    pub routes_summary: String,
    pub bands: Vec<BandCount>,
    pub routes: Vec<RouteView>,
    /// "1〜10件目（全N件）" when more routes exist than are printed.
    pub routes_showing: Option<String>,
    pub method: Method,
}

impl ReportPlant {
    /// `None` while the site has no model (no zones): the report then says nothing about it.
    pub fn new(ctx: &Ctx, catalog: &Catalog, a: &PlantAnalysis) -> Option<ReportPlant> {
        if a.plant.zones.is_empty() {
            return None;
        }
        let input = FindingsInput {
            catalog,
            plant: &a.plant,
            findings: &a.findings,
            implemented: &a.implemented,
            assessment: a.assessment.as_ref(),
        };
        let findings = FindingsPage::new(ctx.clone(), (a.site.id, &a.site.name), &input);
        let risk = RiskPage::new(ctx.clone(), catalog, a, &RiskQuery::default());
        let total = a.route_risks.len();
        let mut routes = risk.list.routes;
        routes.truncate(REPORT_ROUTES);
        let t = ctx.t;
        let routes_showing = (total > routes.len()).then(|| {
            t.fill(
                t.risk_showing,
                &[("from", &1), ("to", &routes.len()), ("total", &total)],
            )
        });
        Some(ReportPlant {
            diagram: diagram(ctx, &catalog.plant.labels, &a.plant, &a.importances),
            findings_summary: findings.summary,
            findings: findings.groups,
            routes_summary: risk.summary,
            bands: risk.bands,
            routes,
            routes_showing,
            method: risk.method,
        })
    }
}
