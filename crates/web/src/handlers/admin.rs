//! Instance administration: the organisation list.

use axum::extract::State;

use crate::views::admin::OrgsPage;
use crate::{AppError, AppState, Ctx};

pub async fn orgs(State(state): State<AppState>, ctx: Ctx) -> Result<OrgsPage, AppError> {
    let orgs = state.service.org_summaries(&ctx.who()?).await?;
    Ok(OrgsPage::new(state.catalog(), ctx, &orgs))
}
