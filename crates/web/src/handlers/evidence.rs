//! Evidence attached to answers: the page listing an assessment's files with the upload form,
//! uploading (multipart), downloading, deleting.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use kojo_core::ids::{AssessmentId, EvidenceId};
use serde::Deserialize;

use kojo_service::Problem;

use crate::upload::download;
use crate::views::evidence::{EvidencePage, EvidenceRow};
use crate::{AppError, AppState, Ctx};

/// Body limit of an upload: the largest file plus room for the form around it.
pub const EVIDENCE_UPLOAD_LIMIT: usize = kojo_core::evidence::MAX_BYTES + 64 * 1024;

#[derive(Deserialize, Default)]
pub struct ItemQuery {
    /// The item the upload form starts on.
    #[serde(default)]
    pub item: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
    Query(q): Query<ItemQuery>,
) -> Result<EvidencePage, AppError> {
    let who = ctx.who()?;
    let assessment = state.service.assessment_for(&who, id).await?;
    let (checklist, _) = state.service.checklist_of(&assessment.checklist)?;
    let files = state.service.evidence_list(&who, id).await?;
    let items = checklist
        .items
        .iter()
        .map(|i| (i.id.clone(), i.title.get(ctx.locale).to_string()))
        .collect();
    Ok(EvidencePage {
        rows: files
            .iter()
            .map(|e| EvidenceRow::new(&ctx, checklist, e))
            .collect(),
        selected: q.item.unwrap_or_default(),
        accept: kojo_core::evidence::EvidenceKind::ACCEPT,
        read_only: assessment.is_complete(),
        site: state.service.site_for(&who, assessment.site_id).await?.name,
        id,
        items,
        ctx,
    })
}

/// Attaches the form's file (`file`) to the form's item (`item`).
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AssessmentId>,
    mut multipart: Multipart,
) -> Result<Redirect, AppError> {
    let limit = kojo_core::evidence::MAX_BYTES;
    let upload_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge { limit }
        } else {
            AppError::Invalid(Problem::Upload)
        }
    };
    let (mut item, mut file) = (String::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        match field.name() {
            Some("item") => item = field.text().await.map_err(upload_error)?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(upload_error)?));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or(AppError::Invalid(Problem::NoFile))?;
    state
        .service
        .attach_evidence(&ctx.who()?, id, &item, &name, &bytes)
        .await?;
    Ok(Redirect::to(&format!(
        "/assessments/{id}/evidence?item={item}#ev-{item}"
    )))
}

pub async fn file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, file)): Path<(AssessmentId, EvidenceId)>,
) -> Result<Response, AppError> {
    let (meta, content) = state.service.evidence_file(&ctx.who()?, id, file).await?;
    let mut r = download(content, meta.kind.media_type(), &meta.file_name);
    // Never run as a page of this site, whatever the file holds.
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    Ok(r.into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, file)): Path<(AssessmentId, EvidenceId)>,
) -> Result<Redirect, AppError> {
    let item = state.service.delete_evidence(&ctx.who()?, id, file).await?;
    Ok(Redirect::to(&format!(
        "/assessments/{id}/evidence?item={item}#ev-{item}"
    )))
}
