//! Password hashing with Argon2id (the argon2 crate's defaults: m=19 MiB, t=2, p=1, as OWASP
//! recommends) in PHC string format, and the password rules.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 256;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    TooLong,
    SameAsLogin,
}

/// Length rules after NIST SP 800-63B: long enough, not absurdly long, not the login itself.
/// No composition rules: they make passwords harder to remember, not harder to guess.
pub fn check(password: &str, login: &str) -> Result<(), Weakness> {
    let len = password.chars().count();
    if len < MIN_LEN {
        Err(Weakness::TooShort)
    } else if len > MAX_LEN {
        Err(Weakness::TooLong)
    } else if password.trim().eq_ignore_ascii_case(login.trim()) {
        Err(Weakness::SameAsLogin)
    } else {
        Ok(())
    }
}

/// Hashes a password with a fresh random salt. CPU-heavy: call from a blocking thread.
pub fn hash(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Hashes on tokio's blocking pool so a sign-in never stalls other requests.
pub async fn hash_async(password: String) -> String {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .expect("hashing task")
}

pub async fn verify_async(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

/// A hash of a random password, used to make a failed sign-in for an unknown login take as
/// long as one for a known login (no timing oracle for which logins exist).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("kojo-dummy-password-never-used"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery");
        let b = hash("correct horse battery");
        assert!(a.starts_with("$argon2id$v=19$"), "{a}");
        assert_ne!(a, b, "salts differ");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterY", &a));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn password_rules() {
        assert_eq!(check("short", "u"), Err(Weakness::TooShort));
        assert_eq!(check(&"x".repeat(257), "u"), Err(Weakness::TooLong));
        assert_eq!(
            check("yamada-taro", "Yamada-Taro"),
            Err(Weakness::SameAsLogin)
        );
        assert_eq!(check("工場のセキュリティ対策", "yamada"), Ok(()));
    }
}
