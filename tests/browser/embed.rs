//! The widget works inside another site's page.

use crate::driver::run_all;
use crate::helpers::{letter_source, spawn_app};
use actix_web::{web, App, HttpResponse, HttpServer};
use undersigned::domain::Lang;

/// Serves, on its own port (so another origin), a page framing `widget`.
/// The other site's page, in the reader's language as the widget is.
fn host_page(widget: String, lang: Lang) -> (String, actix_web::dev::ServerHandle) {
    host(format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Host</title></head><body>\
         <iframe title=\"widget\" src=\"{widget}\" width=\"340\" height=\"240\"></iframe></body></html>"
    ))
}

/// Serves `page` at `/` of its own port: another origin than the app's.
pub fn host(page: String) -> (String, actix_web::dev::ServerHandle) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind host page");
    let port = listener.local_addr().expect("host address").port();
    let server = HttpServer::new(move || {
        let page = page.clone();
        App::new().route(
            "/",
            web::get().to(move || {
                let page = page.clone();
                async move {
                    HttpResponse::Ok()
                        .content_type("text/html; charset=utf-8")
                        .body(page)
                }
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .expect("listen")
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (format!("http://127.0.0.1:{port}/"), handle)
}

#[actix_web::test]
async fn another_site_frames_the_widget() {
    run_all("embed", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let (slug, count) = match b.lang {
                Lang::FR => (crate::helpers::EXAMPLE_SLUG.to_string(), 3),
                _ => {
                    app.publish_source(&letter_source("open-letter", "en", ""));
                    ("open-letter".to_string(), 0)
                }
            };
            let (host, server) = host_page(app.url(&format!("/letters/{slug}/embed")), b.lang);
            b.goto(&host).await;
            b.find("iframe")
                .await
                .enter_frame()
                .await
                .expect("enter the widget");
            // Found only if the browser let the frame load.
            assert_eq!(b.text(".count-figure").await, b.count_text(count));
            let sign = b.find("a.button[target=_top]").await;
            assert!(sign
                .attr("href")
                .await
                .unwrap()
                .unwrap_or_default()
                .ends_with("#sign"));
            b.client.enter_parent_frame().await.expect("leave the widget");
            b.check_page("framed", false).await;
            server.stop(false).await;
        })
    })
    .await;
}
