use actix_web::web;
use futures_util::StreamExt;

/// Largest form body accepted. The sign form at its limits is under 5 KiB.
pub const FORM_LIMIT: usize = 32 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("body larger than {FORM_LIMIT} bytes")]
    TooLarge,
    #[error("body could not be read: {0}")]
    Read(String),
}

impl BodyError {
    /// The answer a page gives: too large is its own message, the rest is a
    /// request that could not be read.
    pub fn kind(&self) -> super::error::ErrorKind {
        match self {
            BodyError::TooLarge => super::error::ErrorKind::PayloadTooLarge,
            BodyError::Read(_) => super::error::ErrorKind::BadRequest,
        }
    }
}

/// Reads a request body up to `FORM_LIMIT`, so an oversized post gets our
/// own translated answer instead of the framework's plain text.
pub async fn read_limited(payload: web::Payload) -> Result<web::BytesMut, BodyError> {
    read_limited_to(payload, FORM_LIMIT).await
}

/// Largest workspace form: a long letter body, or a pasted list of names.
pub const WORKSPACE_LIMIT: usize = 1024 * 1024;

pub async fn read_limited_to(mut payload: web::Payload, limit: usize) -> Result<web::BytesMut, BodyError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| BodyError::Read(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Decodes `application/x-www-form-urlencoded` pairs; the first value of a
/// repeated key wins. Invalid UTF-8 becomes U+FFFD, which the domain types
/// then refuse with a message.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn first<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}
