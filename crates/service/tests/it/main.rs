//! The use cases driven directly (no web, no command line), on the test backend (SQLite, or
//! PostgreSQL when KOJO_TEST_DATABASE_URL is set): the rules that moved into the service.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

mod accounts;
mod areas;
mod support;
