//! undersigned: open letters and petitions. Readers sign, confirm by email,
//! and organizers publish the list in the press layout of a Quebec open
//! letter: each name, then one line per title or affiliation.

pub mod actions;
pub mod app;
pub mod background;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod example;
pub mod export;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod model;
pub mod telemetry;
pub mod views;
pub mod web;
