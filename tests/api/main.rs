//! One integration binary. Every test starts the real server on a random
//! port with its own database: a SQLite file by default, or a fresh
//! PostgreSQL database when TEST_DATABASE_URL is set.

mod helpers;
#[path = "../support/pdf_read.rs"]
mod pdf_read;

mod accessibility;
mod bad_input;
mod caching;
mod cli;
mod client_trust;
mod confirming_together;
mod crossing_writers;
mod csv_import;
mod derived_links;
mod dkim;
mod exports;
mod faults;
mod finding;
mod hardening;
mod health;
mod hostile;
mod languages;
mod lifecycle;
mod links;
mod mailings;
mod moderation;
mod operations;
mod outage;
mod pages;
mod phone;
mod press;
mod privacy;
mod process;
mod public_api;
mod roles;
mod rolled_back;
mod scale_out;
mod sessions;
mod shared_limits;
mod sharing;
mod signing;
mod signing_together;
mod smtp;
mod team;
mod trust;
mod trust_attacks;
mod trust_property;
mod workspace;
