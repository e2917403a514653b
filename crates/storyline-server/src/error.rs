//! Errors as the API answers them: a status, a stable code and a message, as JSON
//! (`{"error":{"code","message","records"?}}`); the pages show the same as HTML.

use std::time::Duration;

use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use storyline_store::StoreError;
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code (`not_found`, `malformed_json`, ...).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// Per-record problems of a rejected batch.
    pub records: Vec<RecordError>,
}

/// One bad record of a batch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordError {
    /// 1-based position of the record in the batch (its line for JSONL).
    pub record: usize,
    /// The record's id, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What is wrong with it.
    pub message: String,
}

/// The JSON body of an error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `not_found`, `bad_request`, `invalid_parameter`, `malformed_json`,
    /// `invalid_utf8`, `invalid_article`, `body_too_large`, `batch_too_large`,
    /// `unsupported_media_type`, `timeout`, `store_error`, `unauthorized`, `read_only`,
    /// `rate_limited`, `too_many_connections`, `opening` (writes wait for the store to open).
    pub code: String,
    /// What went wrong.
    pub message: String,
    /// The bad records of a batch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordError>,
}

impl ApiError {
    /// An error with no per-record detail.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            records: Vec::new(),
        }
    }

    /// 404.
    pub fn not_found(what: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    /// 400 for a query or path parameter.
    pub fn parameter(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_parameter", message)
    }

    fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message.clone(),
                records: self.records.clone(),
            },
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!("{e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "store_error",
            e.to_string(),
        )
    }
}

impl From<crate::IngestError> for ApiError {
    fn from(e: crate::IngestError) -> Self {
        match e {
            crate::IngestError::Opening => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "opening", e.to_string())
            }
            crate::IngestError::Failed(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_error",
                e.to_string(),
            ),
            crate::IngestError::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// Unknown paths: JSON under `/api`, a page elsewhere.
pub async fn not_found(req: Request) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/api") {
        ApiError::not_found(format!("no such endpoint: {} {path}", req.method())).into_response()
    } else {
        crate::pages::error_page(&ApiError::not_found(format!("There is no page at {path}.")))
    }
}

/// Answers 503 `timeout` when a request takes longer than `limit`.
pub async fn with_timeout(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!("the request took longer than {} s", limit.as_secs_f32()),
        )
        .into_response(),
    }
}
