//! The results page a manager reads and the printable report: the report's texts in one
//! language (from the service) with the charts drawn here.

use std::ops::Deref;

use askama::Template;
use askama_web::WebTemplate;
use kojo_charts::{RadarOptions, ScoreBarsOptions, Series};
use kojo_core::report::AssessmentReport;
use kojo_service::report::ReportView;

use crate::Ctx;

/// The report's texts with its charts.
pub struct ResultsView {
    pub r: ReportView,
    pub bars: String,
    pub radar: String,
}

impl Deref for ResultsView {
    type Target = ReportView;
    fn deref(&self) -> &ReportView {
        &self.r
    }
}

impl ResultsView {
    pub fn new(ctx: &Ctx, report: &AssessmentReport, r: ReportView) -> ResultsView {
        let t = ctx.t;
        let titles = r.category_titles();
        let mut series = vec![Series {
            name: t.results_this_assessment.to_string(),
            values: report.scores.categories.iter().map(|c| c.score).collect(),
        }];
        if let Some(p) = &report.previous {
            series.push(Series {
                name: t.results_previous_assessment.to_string(),
                values: p.scores.categories.iter().map(|c| c.score).collect(),
            });
        }
        let bars = kojo_charts::score_bars(
            &titles,
            &series,
            &ScoreBarsOptions {
                title: t.results_chart_bars.to_string(),
                na_label: t.results_not_scorable.to_string(),
                width: 720,
            },
        );
        let radar = kojo_charts::radar(
            &titles,
            &series,
            &RadarOptions {
                title: t.results_chart_radar.to_string(),
                na_label: t.results_not_scorable.to_string(),
                size: 420,
            },
        );
        ResultsView { r, bars, radar }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "results.html")]
pub struct ResultsPage {
    pub ctx: Ctx,
    pub title: String,
    /// The rendered results (cached per assessment version, plan version and language).
    pub body: std::sync::Arc<str>,
}

#[derive(Template)]
#[template(path = "results_body.html")]
pub struct ResultsBody<'a> {
    pub ctx: &'a Ctx,
    pub v: &'a ResultsView,
}

/// The printable A4 report for management.
#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct PrintReport {
    pub ctx: Ctx,
    pub v: ResultsView,
    pub generated: String,
    /// The plant model and its risks, when the site has a model.
    pub plant: Option<crate::views::report_plant::ReportPlant>,
}

impl PrintReport {
    /// The report as one self-contained HTML file (stylesheet inlined, no other request).
    pub fn standalone(self) -> Result<String, askama::Error> {
        let html = self.render()?;
        let css = String::from_utf8_lossy(crate::assets::STYLESHEET);
        Ok(html.replace(
            "<link rel=\"stylesheet\" href=\"/assets/kojo.css\">",
            &format!("<style>{css}</style>"),
        ))
    }
}
