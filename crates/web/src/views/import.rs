//! Why an uploaded workbook was refused: a file-level problem, or every bad cell with its place.

use askama::Template;
use askama_web::WebTemplate;
use kojo_formats::assessment_xlsx::ImportError;

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
                    &("found", found),
                    &("expected", expected),
                )),
                vec![],
            ),
            ImportError::Cells(cells) => (
                None,
                cells
                    .iter()
                    .map(|c| {
                        (
                            c.sheet.clone(),
                            format!("{}{}", c.column, c.row),
                            c.value.clone(),
                            c.expected.get(ctx.locale).to_string(),
                        )
                    })
                    .collect(),
            ),
        };
        ImportErrorsPage {
            ctx,
            file,
            problem,
            cells,
        }
    }

    /// The page for a workbook refused for another reason (e.g. a draft in progress).
    pub fn refused(ctx: Ctx, file: String, problem: String) -> Self {
        ImportErrorsPage {
            ctx,
            file,
            problem: Some(problem),
            cells: vec![],
        }
    }
}
