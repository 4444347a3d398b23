//! The asset register (資産台帳) on the plant model page: the blank template and the site's
//! register as downloads, and the upload — imported all or nothing; a refused register comes
//! back on the plant model page with every bad cell located (sheet, row, column, value, what is
//! expected) in the reader's language.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::ids::SiteId;
use kojo_service::plant_register::{Missing, REGISTER_UPLOAD_LIMIT, RegisterImport};

use crate::handlers::exports::ExportQuery;
use crate::upload::{XLSX, download, uploaded_file};
use crate::views::plant::{PlantPage, RegisterView};
use crate::{AppError, AppState, Ctx};

/// The blank register with the site's zones and processes in its drop-downs.
pub async fn template(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let (name, bytes) = state
        .service
        .register_template(&ctx.who()?, site, &ctx.lang())
        .await?;
    Ok(download(bytes, XLSX, &name))
}

/// The site's register, in the layout the upload reads back.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let (name, bytes) = state
        .service
        .register_export(&ctx.who()?, site, &ctx.lang())
        .await?;
    Ok(download(bytes, XLSX, &name))
}

/// Imports an uploaded register (xlsx or CSV): on success back to the plant model page with
/// what changed; refused, the page again (422) with every bad cell and nothing saved.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (name, bytes) = uploaded_file(multipart, REGISTER_UPLOAD_LIMIT, "register.xlsx").await?;
    let who = ctx.who()?;
    let rejected = match state
        .service
        .import_register(&who, site, &name, &bytes, Missing::Keep)
        .await?
    {
        RegisterImport::Imported(s) => {
            let to = format!(
                "/sites/{site}/plant?done=register&added={}&updated={}&unchanged={}#register",
                s.added, s.updated, s.unchanged
            );
            return Ok(Redirect::to(&to).into_response());
        }
        RegisterImport::Rejected(e) => e,
    };
    let (site, plant) = state.service.plant_of(&who, site).await?;
    let register = RegisterView::rejected(&ctx, &name, &rejected);
    let mut page = PlantPage::new(
        ctx,
        &state.service.catalog().plant,
        (site.id, site.name.as_str()),
        &plant,
        None,
        None,
    );
    page.register = register;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
