//! Validators and cache headers for public GETs, so a CDN or a browser can
//! keep a page and ask "has it changed?" instead of fetching it again.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// A short hash of the parts of a body, as a quoted entity tag.
pub fn etag_of(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    format!("\"{}\"", hex::encode(&hasher.finalize()[..12]))
}

/// Whether the request's `If-None-Match` names `etag`. Comparison is weak
/// (RFC 9110 §13.1.2): `W/` prefixes are ignored on both sides.
pub fn matches(req: &HttpRequest, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|theirs| theirs == "*" || theirs.trim_start_matches("W/") == ours)
}

/// `Cache-Control` for a public page: browsers revalidate every time, shared
/// caches may serve it for `shared_secs` (the time the count may lag anyway).
pub fn public_cache_control(shared_secs: u64) -> String {
    format!("public, max-age=0, s-maxage={shared_secs}, must-revalidate")
}

/// A 200 with validators, or a 304 when the client already holds it.
pub fn respond(
    req: &HttpRequest,
    content_type: &str,
    body: String,
    etag: String,
    cache_control: &str,
) -> HttpResponse {
    let mut builder = if matches(req, &etag) {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    builder
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::CACHE_CONTROL, cache_control.to_string()))
        // The language cookie and header can change the page.
        .insert_header((header::VARY, HeaderValue::from_static("Cookie, Accept-Language")));
    if matches(req, &etag) {
        builder.finish()
    } else {
        builder.content_type(content_type.to_string()).body(body)
    }
}

/// A public HTML page whose body is the same for everyone who asks.
pub fn public_html(req: &HttpRequest, body: String, shared_secs: u64) -> HttpResponse {
    let etag = etag_of(&[body.as_bytes()]);
    respond(
        req,
        "text/html; charset=utf-8",
        body,
        etag,
        &public_cache_control(shared_secs),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn weak_and_strong_tags_match_and_lists_are_read() {
        let tag = etag_of(&[b"page"]);
        let req = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, format!("\"other\", W/{tag}")))
            .to_http_request();
        assert!(matches(&req, &tag));
        assert!(matches(&req, &format!("W/{tag}")));
        let req = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "\"other\""))
            .to_http_request();
        assert!(!matches(&req, &tag));
        assert!(!matches(&TestRequest::default().to_http_request(), &tag));
    }

    #[test]
    fn tags_differ_with_content() {
        assert_ne!(etag_of(&[b"a"]), etag_of(&[b"b"]));
        assert_eq!(etag_of(&[b"ab"]), etag_of(&[b"a", b"b"]));
    }
}
