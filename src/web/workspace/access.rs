//! How a workspace page answers: never cached, and a redirect after a form.
//! Who may see which letter is checked by the extractors in `extract`.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;

/// A workspace page: never kept by a shared cache, since it is one
/// organizer's view.
pub fn html(status: StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(markup.into_string())
}

/// The redirect after a workspace form succeeds.
pub fn see(location: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.into()))
        .finish()
}
