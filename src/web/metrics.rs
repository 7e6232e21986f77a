//! A Prometheus endpoint at `/metrics`, off unless a token is configured,
//! and then only for requests that present it. Counters are per process:
//! with several servers, scrape each one.

use super::AppState;
use crate::db::outbox;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use subtle::ConstantTimeEq;

use super::shard::Sharded;

/// Requests counted by route pattern, then status: a route already seen is
/// counted without allocating its key again.
type RequestCounts = BTreeMap<String, BTreeMap<u16, u64>>;

#[derive(Default)]
pub struct Metrics {
    /// One map per thread (`shard`): every request counts itself here.
    requests: Sharded<Mutex<RequestCounts>>,
    pub signatures_submitted: AtomicU64,
    pub signatures_confirmed: AtomicU64,
    pub signatures_withdrawn: AtomicU64,
    pub email_failures: Arc<AtomicU64>,
    pub emails_sent: Arc<AtomicU64>,
    pub deliveries_unrecorded: Arc<AtomicU64>,
    /// Requests the shared rate-limit store could not check, let through.
    pub rate_limits_unchecked: AtomicU64,
}

impl Metrics {
    pub fn request(&self, route: &str, status: u16) {
        if let Ok(mut map) = self.requests.mine().lock() {
            let by_status = match map.get_mut(route) {
                Some(by_status) => by_status,
                None => map.entry(route.to_string()).or_default(),
            };
            *by_status.entry(status).or_default() += 1;
        }
    }

    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Label values in the text format escape backslash, quote and newline.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = write!(
        out,
        "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
    );
}

fn gauge(out: &mut String, name: &str, help: &str, value: f64) {
    let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}

fn requests(out: &mut String, m: &Metrics) {
    out.push_str("# HELP undersigned_http_requests_total HTTP requests by route pattern and status.\n");
    out.push_str("# TYPE undersigned_http_requests_total counter\n");
    let mut total: BTreeMap<(String, u16), u64> = BTreeMap::new();
    for shard in m.requests.all() {
        let Ok(map) = shard.lock() else { continue };
        for (route, by_status) in map.iter() {
            for (status, n) in by_status {
                *total.entry((route.clone(), *status)).or_default() += n;
            }
        }
    }
    for ((route, status), n) in total {
        let _ = writeln!(
            out,
            "undersigned_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
            label(&route)
        );
    }
}

pub fn render(m: &Metrics, depth: i64, oldest_age_secs: f64) -> String {
    let mut out = String::new();
    requests(&mut out, m);
    let counters: [(&str, &str, &AtomicU64); 7] = [
        (
            "undersigned_signatures_submitted_total",
            "Signing forms accepted.",
            &m.signatures_submitted,
        ),
        (
            "undersigned_signatures_confirmed_total",
            "Signatures confirmed.",
            &m.signatures_confirmed,
        ),
        (
            "undersigned_signatures_withdrawn_total",
            "Signatures withdrawn.",
            &m.signatures_withdrawn,
        ),
        (
            "undersigned_emails_sent_total",
            "Emails delivered by this process.",
            &m.emails_sent,
        ),
        (
            "undersigned_email_send_failures_total",
            "Failed delivery attempts.",
            &m.email_failures,
        ),
        (
            "undersigned_email_deliveries_unrecorded_total",
            "Emails the server accepted that the database could not record as sent: each goes out again.",
            &m.deliveries_unrecorded,
        ),
        (
            "undersigned_rate_limits_unchecked_total",
            "Requests let through unchecked because the shared rate-limit store failed.",
            &m.rate_limits_unchecked,
        ),
    ];
    for (name, help, value) in counters {
        counter(&mut out, name, help, value.load(Ordering::Relaxed));
    }
    gauge(
        &mut out,
        "undersigned_outbox_depth",
        "Emails waiting in the outbox.",
        depth as f64,
    );
    gauge(
        &mut out,
        "undersigned_outbox_oldest_age_seconds",
        "Age of the oldest waiting email.",
        oldest_age_secs,
    );
    out
}

pub async fn endpoint(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let Some(expected) = state.settings.metrics_token.as_deref() else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("metrics are off\n");
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .content_type("text/plain; charset=utf-8")
            .body("a valid bearer token is required\n");
    }
    let depth = super::run_db(&state, outbox::depth).await;
    let (count, oldest) = match depth {
        Ok(d) => d,
        Err(_) => return HttpResponse::ServiceUnavailable().body("database unavailable\n"),
    };
    let age = oldest
        .map(|t| (crate::db::now() - t).num_milliseconds().max(0) as f64 / 1000.0)
        .unwrap_or(0.0);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(render(&state.services.metrics, count, age))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_text_format() {
        let m = Metrics::default();
        m.request("/letters/{slug}", 200);
        m.request("/letters/{slug}", 200);
        m.request("we\"ird\\", 404);
        // Counted on another thread, in another shard: added to the rest.
        std::thread::scope(|s| {
            s.spawn(|| m.request("/letters/{slug}", 200));
        });
        Metrics::bump(&m.signatures_confirmed);
        let text = render(&m, 3, 1.5);
        assert!(
            text.contains("undersigned_http_requests_total{route=\"/letters/{slug}\",status=\"200\"} 3\n")
        );
        assert!(text.contains("route=\"we\\\"ird\\\\\",status=\"404\"} 1"));
        assert!(text.contains("undersigned_signatures_confirmed_total 1\n"));
        assert!(text.contains("undersigned_outbox_depth 3\n"));
        assert!(text.contains("undersigned_outbox_oldest_age_seconds 1.5\n"));
    }
}
