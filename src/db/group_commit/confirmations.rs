//! Confirmations as jobs of the group writer: a batch runs all of its
//! confirmations together (`signatures::confirm_many`), in two statements on
//! PostgreSQL whatever their number, rather than two each.

use super::{Kind, Refusal, Slot, Work};
use crate::db::signatures::{self, ConfirmRequest, Confirmed, LinkError};
use crate::db::{DbError, Tx};
use crate::domain::{LinkKey, Token};

pub(super) type Outcome = Result<Result<Confirmed, LinkError>, DbError>;

/// One confirmation link followed, waiting for its batch.
pub(super) struct Confirmation {
    token: Token,
    key: LinkKey,
    slot: Slot<Result<Confirmed, LinkError>>,
}

impl Confirmation {
    pub(super) fn new(token: Token, key: LinkKey) -> (Confirmation, tokio::sync::oneshot::Receiver<Outcome>) {
        let (slot, rx) = Slot::new();
        (Confirmation { token, key, slot }, rx)
    }
}

impl Work for Confirmation {
    fn run(&mut self, tx: &mut Tx<'_>) -> bool {
        let (token, key) = (&self.token, &self.key);
        self.slot
            .record(|| signatures::confirm_in_tx(tx, token, key, crate::db::now()))
    }

    fn met_unique_index(&self) -> bool {
        self.slot.met_unique_index()
    }

    fn reply(self: Box<Self>, committed: Result<(), Refusal>) {
        self.slot.deliver(committed);
    }

    fn kind(&mut self) -> Kind<'_> {
        Kind::Confirmation(self)
    }
}

/// Runs every confirmation of `batch` at once, at one time, in the open
/// transaction; false when that failed, and the batch must run again job
/// by job.
pub(super) fn run_together(tx: &mut Tx<'_>, batch: &mut [Box<dyn Work>]) -> bool {
    super::run_together(
        tx,
        batch,
        "grouped confirmations",
        pick,
        |job| &mut job.slot,
        |tx, jobs| {
            let now = crate::db::now();
            let requests: Vec<ConfirmRequest<'_>> = jobs
                .iter()
                .map(|job| ConfirmRequest {
                    token: &job.token,
                    key: &job.key,
                    now,
                })
                .collect();
            signatures::confirm_many(tx, &requests)
        },
    )
}

fn pick(kind: Kind<'_>) -> Option<&mut Confirmation> {
    match kind {
        Kind::Confirmation(job) => Some(job),
        _ => None,
    }
}
