//! The company's pages: its factories with their latest assessments and the comparison of their
//! scores, and the members with invitation links.

use askama::Template;
use askama_web::WebTemplate;
use kojo_charts::{ScoreBarsOptions, Series};
use kojo_content::Catalog;
use kojo_core::Locale;
use kojo_core::format;
use kojo_core::ids::{AssessmentId, SiteId};
use kojo_service::company::{CompanyOverview, Members, SiteStatus};

use crate::Ctx;

pub struct SiteRow {
    pub id: SiteId,
    pub name: String,
    pub prefecture: String,
    pub latest_status: String,
    pub latest_date: String,
    pub latest_score: String,
    pub complete_id: Option<AssessmentId>,
    pub draft_id: Option<AssessmentId>,
}

#[derive(Template, WebTemplate)]
#[template(path = "company.html")]
pub struct CompanyPage {
    pub ctx: Ctx,
    pub company: String,
    pub is_admin: bool,
    pub sites: Vec<SiteRow>,
    pub compare_chart: Option<String>,
    pub compare_rows: Vec<(String, Vec<String>)>,
    pub compare_heads: Vec<String>,
    pub checklist_key: String,
    pub error: Option<String>,
    pub prefectures: Vec<(String, String)>,
}

/// A prefecture's name in the reader's language (empty for none or an unknown code).
pub fn prefecture_name(catalog: &Catalog, code: Option<&str>, l: Locale) -> String {
    code.and_then(|c| catalog.prefectures.prefectures.iter().find(|p| p.code == c))
        .map(|p| p.title.get(l).to_string())
        .unwrap_or_default()
}

fn site_row(ctx: &Ctx, catalog: &Catalog, s: &SiteStatus) -> SiteRow {
    let (t, l) = (ctx.t, ctx.locale);
    let (complete, draft) = (s.complete.as_ref(), s.draft.as_ref());
    SiteRow {
        id: s.site.id,
        name: s.site.name.clone(),
        prefecture: prefecture_name(catalog, s.site.prefecture_code.as_deref(), l),
        // The status, date and score all describe the same (latest completed) assessment; a
        // draft in progress is flagged beside it.
        latest_status: match (complete, draft) {
            (Some(_), Some(_)) => {
                format!("{} ・{}", t.assess_status_complete, t.company_draft_open)
            }
            (Some(_), None) => t.assess_status_complete.to_string(),
            (None, Some(_)) => t.assess_status_draft.to_string(),
            (None, None) => t.company_no_assessment.to_string(),
        },
        latest_date: complete
            .and_then(|a| a.completed_at)
            .or(draft.map(|a| a.updated_at))
            .map(|at| format::date(at, l))
            .unwrap_or_default(),
        latest_score: match (complete, &s.scores) {
            (Some(_), Some(scores)) => scores
                .overall
                .map(|v| format!("{v:.1}"))
                .unwrap_or_else(|| "—".into()),
            _ => String::new(),
        },
        complete_id: complete.map(|a| a.id),
        draft_id: draft.map(|a| a.id),
    }
}

impl CompanyPage {
    pub fn new(
        catalog: &Catalog,
        ctx: Ctx,
        overview: &CompanyOverview,
        error: Option<String>,
    ) -> CompanyPage {
        let (t, l) = (ctx.t, ctx.locale);
        let heads: Vec<String> = overview
            .checklist
            .categories
            .iter()
            .map(|c| c.title.get(l).to_string())
            .collect();
        let score = |v: &Option<f64>| {
            v.map(|v| format!("{v:.1}"))
                .unwrap_or_else(|| t.results_not_scorable.to_string())
        };
        let compare_rows = overview
            .comparison
            .iter()
            .map(|(name, values)| (name.clone(), values.iter().map(score).collect()))
            .collect();
        let series: Vec<Series> = overview
            .comparison
            .iter()
            .map(|(name, values)| Series {
                name: name.clone(),
                values: values.clone(),
            })
            .collect();
        let compare_chart = (series.len() >= 2).then(|| {
            let options = ScoreBarsOptions::new(
                t.company_compare_title.to_string(),
                t.results_not_scorable.to_string(),
                760,
            );
            kojo_charts::score_bars(&heads, &series, &options)
        });
        CompanyPage {
            company: overview.company.name.clone(),
            is_admin: overview.can_manage,
            sites: overview
                .sites
                .iter()
                .map(|s| site_row(&ctx, catalog, s))
                .collect(),
            compare_chart,
            compare_rows,
            compare_heads: heads,
            checklist_key: overview.checklist.key(),
            error,
            prefectures: catalog
                .prefectures
                .prefectures
                .iter()
                .map(|p| (p.code.clone(), p.title.get(l).to_string()))
                .collect(),
            ctx,
        }
    }
}

pub struct MemberRow {
    pub login: String,
    pub name: String,
    pub role: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
pub struct MembersPage {
    pub ctx: Ctx,
    pub members: Vec<MemberRow>,
    pub open_invitations: Vec<(String, String)>,
    pub new_link: Option<String>,
}

impl MembersPage {
    /// The members and open invitations, and the link just created (shown this once).
    pub fn new(ctx: Ctx, members: &Members, new_link: Option<String>) -> MembersPage {
        MembersPage {
            members: members
                .members
                .iter()
                .map(|u| MemberRow {
                    role: ctx.role_label(&u.role),
                    login: u.login.clone(),
                    name: u.display_name.clone(),
                })
                .collect(),
            open_invitations: members
                .open_invitations
                .iter()
                .map(|i| {
                    (
                        ctx.role_label(&i.role).to_string(),
                        format::datetime(i.expires_at, ctx.locale),
                    )
                })
                .collect(),
            new_link,
            ctx,
        }
    }
}
