//! The signers' use cases: sign, confirm, withdraw, change my signature.
//!
//! They are written next to the signature storage they drive
//! (`db::signatures`), because each is one or two statements tuned for the
//! busiest path of the service; here they take their place in the use-case
//! layer under the names a person would give them. Each takes a `Tx`, so
//! each runs in exactly one transaction with its mail, and each goes
//! through the one visibility rule (`db::visibility::place_signature`).

pub use crate::db::signatures::confirm_in_tx as confirm;
pub use crate::db::signatures::stop_news;
pub use crate::db::signatures::submit_in_tx as sign;
pub use crate::db::signatures::update_details as edit;
pub use crate::db::signatures::withdraw;
/// A submission to sign, as the web layer hands it to the writer threads.
pub use crate::db::signatures::Submission;
