//! A cross-tab as the report page shows it: a row per group of the "by" column with its n, the
//! share of each answer of the "of" column; a withheld group shows only why.

use kojo_core::format;
use kojo_core::survey::results::{CrossResult, Withheld};
use kojo_service::survey_report::CrossChoices;
use kojo_service::survey_tables::withheld_reason;

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
        let heads = c
            .groups
            .iter()
            .find_map(|g| g.data.shown())
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
            .filter(|g| g.n() != Some(0))
            .map(|g| {
                let cells = match g.data.shown() {
                    // A withheld group shows why, and neither its n nor its shares.
                    None => vec![withheld(ctx, g.data.withheld())],
                    Some(d) => d
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
                    g.n()
                        .map(|n| format!("n={n}"))
                        .unwrap_or_else(|| "—".into()),
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
            note: String::new(),
        }
    }
}

/// "Withheld (why)" in the reader's language.
pub fn withheld(ctx: &Ctx, w: Option<Withheld>) -> String {
    let reason = w
        .map(|w| withheld_reason(&w, &ctx.lang()))
        .unwrap_or_default();
    format!("{} ({reason})", ctx.t.survey_withheld)
}
