//! The use cases driven directly (no web, no command line), on the test backend (SQLite, or
//! PostgreSQL when KOJO_TEST_DATABASE_URL is set): the rules that moved into the service.

mod accounts;
mod areas;
mod support;
