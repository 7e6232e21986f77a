//! Whether the SMTP server answers, as the outbox worker last found it.
//!
//! While it does not, the worker claims no message: it tries one
//! connection per round, however many messages wait, and the queue goes
//! out as soon as that connection is answered. A message whose send found
//! the server gone goes back to the queue untouched, without an attempt
//! counted or a retry slot taken, so an outage of any length ends with
//! every message due at once rather than each at its own next retry.

use super::transport::Mailer;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Reachability {
    /// When the server was last tried and found silent; `None` while it
    /// answers.
    down: Mutex<Option<Instant>>,
}

/// What a round may do.
pub enum Gate {
    Send,
    /// The server was tried too recently: look again after this long.
    Wait(Duration),
}

impl Reachability {
    /// Called before a round claims anything. While the server is down,
    /// tries it at most once per `every`.
    pub fn gate(&self, mailer: &Mailer, every: Duration) -> Gate {
        let tried = *self.lock();
        let Some(tried) = tried else { return Gate::Send };
        let since = tried.elapsed();
        if since < every {
            return Gate::Wait(every - since);
        }
        if mailer.probe() {
            *self.lock() = None;
            tracing::info!("SMTP server answers again; delivery resumes");
            Gate::Send
        } else {
            *self.lock() = Some(Instant::now());
            Gate::Wait(every)
        }
    }

    /// A send failed without an answer from the server. Whether the server
    /// itself is gone: a new connection is tried, so that one message that
    /// breaks its connection does not hold up the queue. Once it is known
    /// down, no further connection is tried until the next round.
    pub fn confirm_down(&self, mailer: &Mailer) -> bool {
        if self.is_down() {
            return true;
        }
        if mailer.probe() {
            return false;
        }
        let mut down = self.lock();
        if down.is_none() {
            tracing::warn!("SMTP server unreachable; delivery waits for it, trying it once a round");
        }
        *down = Some(Instant::now());
        true
    }

    pub fn is_down(&self) -> bool {
        self.lock().is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.down.lock().unwrap_or_else(|p| p.into_inner())
    }
}
