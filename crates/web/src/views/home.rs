//! The home page: what kojo is, the checklist it carries and the national picture.

use askama::Template;
use askama_web::WebTemplate;
use kojo_content::Catalog;
use kojo_core::checklist::Checklist;

use crate::Ctx;

pub struct CategoryRow {
    pub number: u32,
    pub title: String,
    pub items: String,
}

pub struct FigureRow {
    pub id: String,
    pub value: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: Ctx,
    pub checklist_title: String,
    pub checklist_summary: String,
    pub categories: Vec<CategoryRow>,
    pub figures: Vec<FigureRow>,
    pub baseline_source: String,
}

impl HomePage {
    /// The page for the newest factory checklist and the national baseline's highlights.
    pub fn new(ctx: Ctx, catalog: &Catalog, checklist: &Checklist) -> HomePage {
        let l = ctx.locale;
        let categories = checklist
            .categories
            .iter()
            .map(|c| CategoryRow {
                number: c.number,
                title: c.title.get(l).to_string(),
                items: ctx.fill(
                    ctx.t.home_items_count,
                    "n",
                    checklist.items_in(&c.id).count(),
                ),
            })
            .collect();
        let baseline = catalog.national_baseline();
        let figures = baseline
            .highlights
            .iter()
            .filter_map(|id| baseline.figure(id))
            .map(|f| FigureRow {
                id: f.id.clone(),
                value: f.display_value(l),
                label: f.label(l),
            })
            .collect();
        HomePage {
            checklist_title: checklist.title.get(l).to_string(),
            checklist_summary: ctx.fill2(
                ctx.t.home_checklist_summary,
                &("categories", &checklist.categories.len()),
                &("items", &checklist.items.len()),
            ),
            categories,
            figures,
            baseline_source: ctx.fill(ctx.t.home_baseline_source, "source", baseline.source.get(l)),
            ctx,
        }
    }
}
