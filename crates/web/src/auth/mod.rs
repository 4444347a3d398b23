//! Sign-in as the browser sees it: the session cookie. Checking passwords, the throttle of
//! failed attempts and the sessions themselves are use cases of `kojo_service::accounts`.

pub mod session;

pub use kojo_service::accounts::{password, throttle};
