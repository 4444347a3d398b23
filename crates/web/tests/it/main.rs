//! The web interface driven in-process (no socket): pages, sign-in, setup, language,
//! security headers, cross-site protection and the role × route authorisation matrix.
//! Runs on the test backend (SQLite, or PostgreSQL when KOJO_TEST_DATABASE_URL is set).

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

mod access;
mod assessments;
mod auth;
mod forms;
mod individual_answers;
mod links;
mod pages;
mod plant;
mod security;
mod support;
mod surveys;
mod vuln;
