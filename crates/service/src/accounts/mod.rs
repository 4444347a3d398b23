//! Accounts: password hashing and the password rules, and secret tokens.

pub mod password;
pub mod tokens;
