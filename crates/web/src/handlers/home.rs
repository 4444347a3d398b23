//! The home page.

use axum::extract::State;

use crate::views::home::HomePage;
use crate::{AppError, AppState, Ctx};

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<HomePage, AppError> {
    let checklist = state.service.default_checklist()?;
    Ok(HomePage::new(ctx, state.catalog(), checklist))
}
