//! Sign-in: Argon2id password hashes, server-side sessions, throttling of failed attempts.

pub mod session;
pub mod throttle;

pub use kojo_service::accounts::password;
