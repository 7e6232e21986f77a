//! Liveness and readiness, for a load balancer or Kubernetes probes.
//!
//! `/healthz` says the process answers and touches nothing else, so that a
//! database outage never gets every node restarted at once. `/readyz` says
//! whether this node can serve signers now: the database answers a read
//! and commits a write within [`READY_WITHIN`].

use super::AppState;
use crate::db::reconnect::Checkout;
use crate::db::{self, health, DbError};
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use std::time::Duration;

/// How long a readiness probe waits for the database, all checks included.
/// Shorter than the usual probe timeouts (Kubernetes' default is 1 s, most
/// load balancers allow 2 to 5 s), so that the answer is ours, not theirs.
pub const READY_WITHIN: Duration = Duration::from_millis(900);

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

#[derive(Debug, Serialize)]
struct Readiness {
    ready: bool,
    /// `ok`, or why the database did not answer a read.
    database: String,
    /// `ok`, why a write was refused, or `not checked` after a failed read.
    writes: String,
    outbox: Option<OutboxState>,
}

#[derive(Debug, Serialize)]
struct OutboxState {
    waiting: i64,
    /// Age of the oldest waiting email: a large one means mail is stuck
    /// (SMTP down, or no worker running), which does not make this node
    /// unready, since every node shares the same mail server.
    oldest_waiting_seconds: Option<i64>,
}

fn problem(e: &DbError) -> String {
    // The reason is for operators; it never holds a password, since
    // connection errors are reported without the URL.
    e.to_string()
}

fn check(pool: &db::Pool, checkout: &Checkout) -> Readiness {
    let mut conn = match checkout.get_timeout(pool, READY_WITHIN) {
        Ok(conn) => conn,
        Err(e) => return unready(problem(&e)),
    };
    let outbox = match health::read(&mut conn) {
        Ok(o) => o,
        Err(e) => {
            checkout.saw(&e);
            return unready(problem(&e));
        }
    };
    let now = db::now();
    let writes = match health::write(&mut conn, now) {
        Ok(()) => "ok".to_string(),
        Err(e) => {
            checkout.saw(&e);
            problem(&e)
        }
    };
    Readiness {
        ready: writes == "ok",
        database: "ok".into(),
        writes,
        outbox: Some(OutboxState {
            waiting: outbox.waiting,
            oldest_waiting_seconds: outbox.oldest.map(|t| (now - t).num_seconds().max(0)),
        }),
    }
}

fn unready(database: String) -> Readiness {
    Readiness {
        ready: false,
        database,
        writes: "not checked".into(),
        outbox: None,
    }
}

pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let (pool, checkout) = (state.services.pool.clone(), state.services.checkout.clone());
    let probe = web::block(move || check(&pool, &checkout));
    let readiness = match tokio::time::timeout(READY_WITHIN, probe).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "readiness probe failed to run");
            unready("the probe could not run".into())
        }
        // The blocking thread finishes on its own; a hung database holds it
        // until the connection's own timeouts end the wait.
        Err(_) => unready(format!("no answer within {} ms", READY_WITHIN.as_millis())),
    };
    if !readiness.ready {
        tracing::warn!(database = %readiness.database, writes = %readiness.writes, "not ready");
        return HttpResponse::ServiceUnavailable()
            .insert_header((header::RETRY_AFTER, "5"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(readiness);
    }
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(readiness)
}
