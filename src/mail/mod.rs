//! Email leaves the process only here: the worker reads the outbox table and
//! hands each message to a transport.

mod compose;
pub mod deferred;
pub mod messages;
mod reachability;
pub mod to_signers;
pub mod transport;
pub mod worker;

pub use transport::{Mailer, MailerError};
pub use worker::{
    OutboxWorker, Stopper, Waker, WorkerConfig, WorkerHandle, DEFAULT_SMTP_CONNECTIONS, STOP_WAIT,
};
