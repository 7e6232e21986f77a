//! The fault suite: the service under the faults an operator meets, each
//! test saying what it counted. `kill -9` under load and in the middle of
//! sending, an SMTP server that hangs at a stop, a full disk, and (on
//! PostgreSQL) a database that freezes. The SMTP server that goes away and
//! comes back is in `smtp`, the PostgreSQL outage in `outage`.

mod crash;
mod disk;
mod freeze;
mod stop;
