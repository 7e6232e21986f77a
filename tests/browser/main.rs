//! Real-browser end-to-end tests: Debian's Chromium, headless, driven through
//! chromedriver, against the real server on a random port with its own
//! database, in French and in English, wide and 375 pixels narrow.
//!
//! Without Chromium these tests print one loud line and pass, unless `CI`
//! is set: then a missing browser is a failure.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod driver;
mod embed;
mod finding;
mod organizer;
mod organizer_tools;
mod personas;
mod phone;
mod reader;
mod sharing;
