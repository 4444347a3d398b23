//! The `kojo` binary end to end: its commands as a user runs them, and its pages in a real
//! headless Chromium (through Debian's chromedriver). Browser tests fail, never skip, when
//! Chromium or chromedriver is missing.

mod browser;
mod cli;
mod support;
