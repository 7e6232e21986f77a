//! API errors: JSON bodies with a machine-readable code, never an HTML page.

use crate::web::ErrorKind;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("no public letter at this address")]
    NotFound,
    #[error("the `after` cursor is not one this API gave out")]
    BadCursor,
    #[error("the search was refused: {0}")]
    BadQuery(crate::domain::search::QueryError),
    #[error("only GET is allowed here")]
    MethodNotAllowed,
    #[error("too many searches from this address; retry in {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    #[error("storage failed: {0:?}")]
    Storage(ErrorKind),
}

/// The body of every API error.
#[derive(Serialize, ToSchema)]
pub struct ErrorJson {
    /// One of `not_found`, `bad_cursor`, `query_too_short` (fewer than 2
    /// letters or digits), `query_too_long` (over 100 characters or 6
    /// words), `method_not_allowed`, `too_many_requests` (with
    /// `Retry-After`), `unavailable`, `internal`.
    #[schema(example = "not_found")]
    pub error: &'static str,
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::BadCursor => "bad_cursor",
            ApiError::BadQuery(e) => e.code(),
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Storage(ErrorKind::Unavailable) => "unavailable",
            ApiError::Storage(_) => "internal",
        }
    }
}

impl From<ErrorKind> for ApiError {
    fn from(kind: ErrorKind) -> ApiError {
        ApiError::Storage(kind)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::BadCursor | ApiError::BadQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Storage(kind) => kind.status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, ApiError::MethodNotAllowed) {
            response.insert_header((actix_web::http::header::ALLOW, "GET, OPTIONS"));
        }
        if let ApiError::TooManyRequests { retry_after } = self {
            response.insert_header((actix_web::http::header::RETRY_AFTER, retry_after.to_string()));
        }
        response.json(ErrorJson { error: self.code() })
    }
}
