//! Submissions of the signing form as jobs of the group writer: a batch
//! runs all of its submissions together (`signatures::submit_many`), the
//! first of each address in one statement on PostgreSQL, rather than three
//! statements each.

use super::{Kind, Refusal, Slot, Work};
use crate::db::signatures::{self, Submission, SubmitOutcome, SubmitRequest};
use crate::db::{DbError, Tx};

pub(super) type Outcome = Result<SubmitOutcome, DbError>;

/// One submission, waiting for its batch.
pub(super) struct Submitting {
    submission: Submission,
    slot: Slot<SubmitOutcome>,
}

impl Submitting {
    pub(super) fn new(submission: Submission) -> (Submitting, tokio::sync::oneshot::Receiver<Outcome>) {
        let (slot, rx) = Slot::new();
        (Submitting { submission, slot }, rx)
    }
}

impl Work for Submitting {
    fn run(&mut self, tx: &mut Tx<'_>) -> bool {
        let submission = &self.submission;
        self.slot.record(|| submission.at(crate::db::now()).run(tx))
    }

    fn met_unique_index(&self) -> bool {
        self.slot.met_unique_index()
    }

    fn reply(self: Box<Self>, committed: Result<(), Refusal>) {
        self.slot.deliver(committed);
    }

    fn kind(&mut self) -> Kind<'_> {
        Kind::Submission(self)
    }
}

/// Runs every submission of `batch` at once, at one time, in the open
/// transaction; false when that failed, and the batch must run again job
/// by job.
pub(super) fn run_together(tx: &mut Tx<'_>, batch: &mut [Box<dyn Work>]) -> bool {
    super::run_together(
        tx,
        batch,
        "grouped submissions",
        pick,
        |job| &mut job.slot,
        |tx, jobs| {
            let now = crate::db::now();
            let requests: Vec<SubmitRequest<'_>> = jobs.iter().map(|job| job.submission.at(now)).collect();
            signatures::submit_many(tx, &requests)
        },
    )
}

fn pick(kind: Kind<'_>) -> Option<&mut Submitting> {
    match kind {
        Kind::Submission(job) => Some(job),
        _ => None,
    }
}
