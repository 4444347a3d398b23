//! The `kojo` binary end to end: its commands as a user runs them, and its pages in a real
//! headless Chromium (through Debian's chromedriver). Browser tests fail, never skip, when
//! Chromium or chromedriver is missing.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

mod a11y;
mod browser;
mod cli;
mod forms;
mod support;
mod vuln_browser;
