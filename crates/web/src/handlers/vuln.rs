//! Vulnerability identification in the browser and the API: a site's matches (matched again
//! when its plant model changed), the status form, re-matching, the xlsx and VEX downloads, and
//! the administrators' upload of advisories and the KEV catalogue.

use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use kojo_core::ids::{AssetDocId, AssetId, SiteId, VulnMatchId};
use kojo_service::vuln::status::StatusDraft;
use kojo_service::vuln::{ASSET_DOC_LIMIT, AssetDocView, Input, SiteVulns, VULN_UPLOAD_LIMIT};
use kojo_service::{Expected, Problem};

use crate::handlers::exports::ExportQuery;
use crate::upload::{JSON, XLSX, download, uploaded_files};
use crate::views::vuln::{VulnAdminPage, VulnPage, VulnQuery};
use crate::{AppError, AppState, Ctx};

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Query(q): Query<VulnQuery>,
) -> Result<VulnPage, AppError> {
    let who = ctx.who()?;
    let s = &state.service;
    s.vuln_refresh_site(&who, site).await?;
    let v = s.vuln_site(&who, site, &ctx.lang()).await?;
    let changes = s.vuln_changes(&who, site).await?;
    let totals = s.vuln_totals().await?;
    let docs = s.vuln_documents(&who, site).await?;
    let (_, plant) = s.plant_of(&who, site).await?;
    Ok(VulnPage::new(ctx, v, &changes, totals, &q).with_documents(&docs, &plant, &q))
}

/// Attaches an SBOM or VEX file to one asset (multipart: `asset`, `file`), matches the site
/// again, then back to the page's document list.
pub async fn attach(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    mut multipart: Multipart,
) -> Result<Redirect, AppError> {
    let problem = |e| crate::upload::upload_problem(e, ASSET_DOC_LIMIT);
    let (mut asset, mut file) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(problem)? {
        match field.name() {
            Some("asset") => asset = field.text().await.map_err(problem)?.trim().parse().ok(),
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let bytes = field.bytes().await.map_err(problem)?;
                file = Some((name, bytes)).filter(|(_, b)| !b.is_empty());
            }
            _ => {}
        }
    }
    let asset: AssetId = asset.ok_or(AppError::Invalid(Problem::Field {
        field: "asset",
        value: String::new(),
        expected: Expected::Id,
    }))?;
    let (name, bytes) = file.ok_or(AppError::Invalid(Problem::NoFile))?;
    let doc = state
        .service
        .vuln_attach_document(&ctx.who()?, site, asset, &name, &bytes)
        .await?;
    Ok(Redirect::to(&format!(
        "/sites/{site}/vulnerabilities?attached={}#vuln-documents",
        doc.id
    )))
}

/// Removes an attached document and matches the site again.
pub async fn detach(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((site, id)): Path<(SiteId, AssetDocId)>,
) -> Result<Redirect, AppError> {
    state
        .service
        .vuln_remove_document(&ctx.who()?, site, id)
        .await?;
    Ok(Redirect::to(&format!(
        "/sites/{site}/vulnerabilities?removed=1#vuln-documents"
    )))
}

/// Saves the factory's status of one match, then back to it on the page.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((site, id)): Path<(SiteId, VulnMatchId)>,
    Form(draft): Form<StatusDraft>,
) -> Result<Redirect, AppError> {
    state
        .service
        .vuln_update_status(&ctx.who()?, site, id, &draft)
        .await?;
    Ok(Redirect::to(&format!(
        "/sites/{site}/vulnerabilities?saved={id}#m{id}"
    )))
}

/// Matches the site's assets again now.
pub async fn rematch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<Redirect, AppError> {
    let d = state
        .service
        .vuln_match_site(&ctx.who()?, site, None)
        .await?;
    Ok(Redirect::to(&format!(
        "/sites/{site}/vulnerabilities?rematched={}-{}",
        d.new, d.gone
    )))
}

pub async fn workbook(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let ctx = ctx.in_locale(q.lang.as_deref());
    let (name, bytes) = state
        .service
        .vuln_workbook(&ctx.who()?, site, &ctx.lang())
        .await?;
    Ok(download(bytes, XLSX, &name))
}

pub async fn vex(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<Response, AppError> {
    let (name, bytes) = state
        .service
        .vuln_vex(&ctx.who()?, site, &ctx.lang())
        .await?;
    Ok(download(bytes, JSON, &name))
}

/// The administrators' page: what is stored, the upload form, the last imports with every
/// file that failed and why.
pub async fn admin(State(state): State<AppState>, ctx: Ctx) -> Result<VulnAdminPage, AppError> {
    let who = ctx.who()?;
    let runs = state.service.vuln_runs(&who).await?;
    let totals = state.service.vuln_totals().await?;
    Ok(VulnAdminPage::new(ctx, totals, &runs))
}

/// Imports uploaded files (CSAF JSON, KEV JSON/CSV, zip archives of them), then back to the
/// page, where the run's counts and failures show.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Redirect, AppError> {
    let who = ctx.who()?;
    let files = uploaded_files(multipart, VULN_UPLOAD_LIMIT).await?;
    let input = tokio::task::spawn_blocking(move || {
        let mut input = Input::default();
        for (name, bytes) in files {
            input.add_upload(&name, bytes);
        }
        input
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let report = state.service.vuln_import(&who, input).await?;
    let run = report.run.map(|r| r.to_string()).unwrap_or_default();
    Ok(Redirect::to(&format!(
        "/admin/vulnerabilities?run={run}#run-{run}"
    )))
}

/// The API: a site's matches, highest priority first (matched again first when the plant
/// model changed).
pub async fn api_list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<Json<SiteVulns>, AppError> {
    let who = ctx.who()?;
    state.service.vuln_refresh_site(&who, site).await?;
    Ok(Json(
        state.service.vuln_site(&who, site, &ctx.lang()).await?,
    ))
}

/// The API: sets one match's status; answers the match as it now is.
pub async fn api_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((site, id)): Path<(SiteId, VulnMatchId)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let draft: StatusDraft = serde_json::from_slice(&body).map_err(|_| {
        AppError::Invalid(Problem::Field {
            field: "body",
            value: String::new(),
            expected: Expected::Text,
        })
    })?;
    let who = ctx.who()?;
    state
        .service
        .vuln_update_status(&who, site, id, &draft)
        .await?;
    let v = state.service.vuln_site(&who, site, &ctx.lang()).await?;
    let m = v
        .matches
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(Json(m).into_response())
}

/// The API: the site's attached SBOM and VEX documents.
pub async fn api_documents(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(site): Path<SiteId>,
) -> Result<Json<Vec<AssetDocView>>, AppError> {
    Ok(Json(state.service.vuln_documents(&ctx.who()?, site).await?))
}

/// The API: attaches a document to one asset and matches the site again; a document that does
/// not read is a 400 naming the file, where and why.
pub async fn api_attach(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((site, asset)): Path<(SiteId, AssetId)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let doc: crate::api_types::DocumentBody = serde_json::from_slice(&body).map_err(|_| {
        AppError::Invalid(Problem::Field {
            field: "body",
            value: String::new(),
            expected: Expected::Text,
        })
    })?;
    let view = state
        .service
        .vuln_attach_document(
            &ctx.who()?,
            site,
            asset,
            &doc.file_name,
            doc.document.as_bytes(),
        )
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(view)).into_response())
}
