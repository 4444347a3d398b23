//! The risk analysis page: options from the query, the analysis from the service, the view.

use axum::extract::{Path, Query, State};
use kojo_core::ids::SiteId;
use kojo_service::plant::analysis_options;

use crate::views::risk::{RiskPage, RiskQuery};
use crate::{AppError, AppState, Ctx};

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Query(q): Query<RiskQuery>,
) -> Result<RiskPage, AppError> {
    let options = analysis_options(
        q.rules.as_deref(),
        q.min_importance.as_deref(),
        q.max_hops.as_deref(),
    )?;
    let analysis = state
        .service
        .analyse_plant(&ctx.who()?, site, &options)
        .await?;
    Ok(RiskPage::new(ctx, state.service.catalog(), &analysis, &q))
}
