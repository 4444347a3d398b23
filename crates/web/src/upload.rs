//! Files in and out over HTTP: reading the file field of an upload form, and answering with a
//! download (a Japanese file name encoded for every browser, never cached).

use axum::extract::Multipart;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kojo_service::Problem;

use crate::AppError;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV: &str = "text/csv; charset=utf-8";
pub const JSON: &str = "application/json";

/// A multipart body that broke off: too large (the route's body limit, named) or malformed.
pub(crate) fn upload_problem(
    e: axum::extract::multipart::MultipartError,
    limit: usize,
) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge { limit }
    } else {
        AppError::Invalid(Problem::Upload)
    }
}

/// The uploaded file of a form (field `file`): its name (or `default_name`) and bytes. A body over
/// `limit` bytes is refused as too large (the route's body limit), naming the limit.
pub async fn uploaded_file(
    mut multipart: Multipart,
    limit: usize,
    default_name: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let upload_error = |e| upload_problem(e, limit);
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or(default_name).to_string();
            let bytes = field.bytes().await.map_err(upload_error)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    file.ok_or(AppError::Invalid(Problem::NoFile))
}

/// Every file field of an upload form (field `file`, possibly several), in order; empty file
/// fields (nothing chosen) are left out.
pub async fn uploaded_files(
    mut multipart: Multipart,
    limit: usize,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let upload_error = |e| upload_problem(e, limit);
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload").to_string();
            let bytes = field.bytes().await.map_err(upload_error)?;
            if !bytes.is_empty() {
                files.push((name, bytes.to_vec()));
            }
        }
    }
    if files.is_empty() {
        return Err(AppError::Invalid(Problem::NoFile));
    }
    Ok(files)
}

/// `Content-Disposition` for a download with a Japanese file name (RFC 6266 / 5987).
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::error::urlencode(name)
    )
}

/// A file download (not cached: exports hold a company's data).
pub fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, attachment(name)),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
