//! A cross-tab as the report page shows it: a row per group of the "by" column with its n, the
//! share of each answer of the "of" column, withheld groups and columns named.

use kojo_core::format;
use kojo_core::survey::results::CrossResult;
use kojo_service::survey_report::CrossChoices;

use crate::Ctx;

pub struct CrossView {
    pub title: String,
    pub heads: Vec<String>,
    pub rows: Vec<(String, String, Vec<String>)>,
    pub note: String,
}

impl CrossView {
    pub fn new(ctx: &Ctx, c: &CrossResult, choices: &CrossChoices) -> CrossView {
        let l = ctx.locale;
        let t = ctx.t;
        let heads = c
            .groups
            .first()
            .map(|g| {
                g.cells
                    .iter()
                    .map(|cell| cell.label.get(l).to_string())
                    .collect()
            })
            .unwrap_or_default();
        let rows = c
            .groups
            .iter()
            .filter(|g| g.n != Some(0))
            .map(|g| {
                let cells = match &g.suppressed {
                    Some(s) => vec![format!("{} ({})", t.survey_withheld, s.reason_in(l))],
                    None => g
                        .cells
                        .iter()
                        .map(|cell| {
                            cell.percent
                                .map(format::percent)
                                .unwrap_or_else(|| "—".into())
                        })
                        .collect(),
                };
                (
                    g.label.get(l).to_string(),
                    g.n.map(|n| format!("n={n}")).unwrap_or_else(|| "—".into()),
                    cells,
                )
            })
            .collect();
        CrossView {
            title: format!(
                "{} × {}",
                CrossChoices::label(&choices.by, &c.by),
                CrossChoices::label(&choices.of, &c.of)
            ),
            heads,
            rows,
            note: if c.suppressed_columns.is_empty() {
                String::new()
            } else {
                ctx.fill(
                    t.survey_columns_withheld,
                    "codes",
                    c.suppressed_columns.join(", "),
                )
            },
        }
    }
}
