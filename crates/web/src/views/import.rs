//! Why an uploaded workbook was refused: a file-level problem, or every bad cell with its place.

use askama::Template;
use askama_web::WebTemplate;
use kojo_formats::assessment_xlsx::ImportError;
use kojo_service::{SHOWN_PROBLEMS_MAX, excerpt};

use crate::Ctx;

/// One bad cell as shown: sheet, cell (E7), the value found, what is expected.
pub type CellProblem = (String, String, String, String);

#[derive(Template, WebTemplate)]
#[template(path = "import_errors.html")]
pub struct ImportErrorsPage {
    pub ctx: Ctx,
    pub file: String,
    pub problem: Option<String>,
    pub cells: Vec<CellProblem>,
}

impl ImportErrorsPage {
    /// The page for a refused workbook.
    pub fn rejected(ctx: Ctx, file: String, e: &ImportError) -> Self {
        let t = ctx.t;
        let (problem, cells) = match e {
            ImportError::NotXlsx(_) => (Some(t.import_not_xlsx.to_string()), vec![]),
            ImportError::NotTemplate(_) => (Some(t.import_not_template.to_string()), vec![]),
            ImportError::WrongChecklist { found, expected } => (
                Some(ctx.fill2(
                    t.import_wrong_checklist,
                    &("found", excerpt(found)),
                    &("expected", expected),
                )),
                vec![],
            ),
            ImportError::Cells(cells) => {
                // At most SHOWN_PROBLEMS_MAX cells, each value cut to a short excerpt.
                let more = cells.len().saturating_sub(SHOWN_PROBLEMS_MAX);
                let problem = (more > 0).then(|| ctx.fill(t.security_more_problems, "n", more));
                let shown = cells.iter().take(SHOWN_PROBLEMS_MAX).map(|c| {
                    (
                        excerpt(&c.sheet),
                        format!("{}{}", c.column, c.row),
                        excerpt(&c.value),
                        c.expected.get(ctx.locale).to_string(),
                    )
                });
                (problem, shown.collect())
            }
        };
        ImportErrorsPage {
            ctx,
            file: excerpt(&file),
            problem,
            cells,
        }
    }

    /// The page for a workbook refused for another reason (e.g. a draft in progress).
    pub fn refused(ctx: Ctx, file: String, problem: String) -> Self {
        ImportErrorsPage {
            ctx,
            file: excerpt(&file),
            problem: Some(problem),
            cells: vec![],
        }
    }
}
