//! Sign-in: Argon2id password hashes, server-side sessions, throttling of failed attempts.

pub mod password;
pub mod session;
pub mod throttle;
