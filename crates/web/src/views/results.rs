//! The results page a manager reads and the printable report: the report's texts in one
//! language (from the service) with the charts drawn here.

use std::ops::Deref;

use askama::Template;
use askama_web::WebTemplate;
use kojo_charts::{RadarOptions, ScoreBarsOptions, Series};
use kojo_core::report::AssessmentReport;
use kojo_service::report::ReportView;

use crate::Ctx;

/// A chart drawn twice: for the panel's width, and simplified and narrow for phones (the page's
/// stylesheet shows one of them), so labels stay legible at any width.
pub struct Chart {
    pub wide: String,
    pub narrow: String,
}

/// The narrow width charts are drawn at for phones (CSS px, as wide as a 360 px screen's panel).
pub const NARROW: u32 = 340;

/// The report's texts with its charts.
pub struct ResultsView {
    pub r: ReportView,
    pub bars: Chart,
    pub radar: Chart,
    /// The site's score beside the 2022 national figure, per category.
    pub national_chart: Chart,
    /// The evidence files attached to the answers (the report's appendix).
    pub evidence: Vec<crate::views::evidence::EvidenceRow>,
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
        let this = Series {
            name: t.results_this_assessment.to_string(),
            values: report.scores.categories.iter().map(|c| c.score).collect(),
        };
        let mut series = vec![this.clone()];
        if let Some(p) = &report.previous {
            series.push(Series {
                name: t.results_previous_assessment.to_string(),
                values: p.scores.categories.iter().map(|c| c.score).collect(),
            });
        }
        let bars = |width| {
            kojo_charts::score_bars(
                &titles,
                &series,
                &ScoreBarsOptions::new(t.results_chart_bars, t.results_not_scorable, width),
            )
        };
        let radar = |size| {
            kojo_charts::radar(
                &titles,
                &series,
                &RadarOptions {
                    title: t.results_chart_radar.to_string(),
                    na_label: t.results_not_scorable.to_string(),
                    size,
                },
            )
        };
        let national = [
            Series {
                name: t.results_this_site.to_string(),
                ..this
            },
            Series {
                name: t.results2_national_series.to_string(),
                values: report
                    .national
                    .iter()
                    .map(|n| n.as_ref().map(|n| n.implemented))
                    .collect(),
            },
        ];
        let national_chart = |width| {
            let mut opts =
                ScoreBarsOptions::new(t.results2_national_chart, t.results_not_scorable, width);
            opts.series_na = vec![String::new(), t.results2_national_none.to_string()];
            opts.peers = true;
            kojo_charts::score_bars(&titles, &national, &opts)
        };
        ResultsView {
            r,
            bars: Chart {
                wide: bars(720),
                narrow: bars(NARROW),
            },
            radar: Chart {
                wide: radar(560),
                narrow: radar(NARROW),
            },
            national_chart: Chart {
                wide: national_chart(640),
                narrow: national_chart(NARROW),
            },
            evidence: Vec::new(),
        }
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
    /// Show only the next steps that cost nothing (`?steps=free`).
    pub free_only: bool,
}

/// The printable A4 report for management.
#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct PrintReport {
    pub ctx: Ctx,
    pub v: ResultsView,
    pub generated: String,
    /// Always false: the printed report lists the next steps unfiltered.
    pub free_only: bool,
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

/// The question sheet for the items answered 「該当しない・わからない」: what each checks and who
/// can answer, with room for the answer, to print and send (to the equipment vendor first).
#[derive(Template, WebTemplate)]
#[template(path = "vendor_questions.html")]
pub struct VendorQuestions {
    pub ctx: Ctx,
    pub v: ResultsView,
    pub generated: String,
}
