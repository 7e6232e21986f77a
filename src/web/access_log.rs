//! Which requests get a line in the log. At tens of thousands of requests
//! a second, a line for every health check and cached page costs more than
//! the page: successful reads are sampled, and everything else — a change
//! (POST), a refusal, an error — is always written.

use super::shard::Sharded;
use actix_web::http::{Method, StatusCode};
use std::sync::atomic::{AtomicU64, Ordering};

pub struct AccessLog {
    /// One successful read in this many is logged; 1: all, 0: none.
    every: u64,
    /// Reads seen, counted by each thread apart (`shard`): one in `every`
    /// of each thread's is logged.
    reads: Sharded<AtomicU64>,
}

impl AccessLog {
    pub fn new(every: u32) -> AccessLog {
        AccessLog {
            every: u64::from(every),
            reads: Sharded::default(),
        }
    }

    pub fn should_log(&self, method: &Method, status: StatusCode) -> bool {
        let read = matches!(*method, Method::GET | Method::HEAD);
        if !read || status.is_client_error() || status.is_server_error() {
            return true;
        }
        match self.every {
            0 => false,
            1 => true,
            // A thread's first read is logged, then one in `every`: a
            // quiet site still shows that it serves pages.
            n => self
                .reads
                .mine()
                .fetch_add(1, Ordering::Relaxed)
                .is_multiple_of(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_sampled_and_the_rest_always_logged() {
        let log = AccessLog::new(100);
        let logged = (0..1000)
            .filter(|_| log.should_log(&Method::GET, StatusCode::OK))
            .count();
        assert_eq!(logged, 10);
        assert!(log.should_log(&Method::POST, StatusCode::SEE_OTHER));
        assert!(log.should_log(&Method::GET, StatusCode::NOT_FOUND));
        assert!(log.should_log(&Method::GET, StatusCode::SERVICE_UNAVAILABLE));
        let none = AccessLog::new(0);
        assert!(!none.should_log(&Method::HEAD, StatusCode::OK));
        assert!(none.should_log(&Method::POST, StatusCode::OK));
        let all = AccessLog::new(1);
        assert!((0..10).all(|_| all.should_log(&Method::GET, StatusCode::OK)));
    }
}
