//! The glossary: every term the checklist and the results use, defined in the reader's
//! language. Terms in item and measure texts link here (`/glossary#<id>`).

use axum::extract::State;

use crate::views::glossary::GlossaryPage;
use crate::{AppState, Ctx};

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> GlossaryPage {
    let glossary = &state.catalog().glossary;
    GlossaryPage {
        terms: kojo_service::glossary::terms(glossary, &ctx.lang()),
        source: glossary.source.get(ctx.locale).to_string(),
        ctx,
    }
}
