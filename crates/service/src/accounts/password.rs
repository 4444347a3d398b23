//! Password hashing with Argon2id (the argon2 crate's defaults: m=19 MiB, t=2, p=1, as OWASP
//! recommends) in PHC string format, the password rules, and generated passwords.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rand::RngExt;

use crate::{Error, Result};

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
pub fn hash(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("hashing a password failed: {e}")))
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
pub async fn hash_async(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| Error::Internal(format!("hashing task: {e}")))?
}

pub async fn verify_async(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

/// A hash of a random password, used to make a failed sign-in for an unknown login take as
/// long as one for a known login (no timing oracle for which logins exist). Hashing with fixed
/// parameters cannot fail; if it ever did, the empty hash would still refuse every password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("kojo-dummy-password-never-used").unwrap_or_default())
}

/// A password of 16 characters from an alphabet without look-alikes (0/O, 1/l/I), for accounts
/// made from the command line (printed once).
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .filter_map(|_| ALPHABET.get(rng.random_range(0..ALPHABET.len())))
        .map(|b| char::from(*b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$v=19$"), "{a}");
        assert_ne!(a, b, "salts differ");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterY", &a));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let real = hash("x").unwrap();
        let params = |h: &str| h.split('$').nth(3).map(str::to_string);
        assert!(dummy_hash().starts_with("$argon2id$v=19$"));
        assert_eq!(params(dummy_hash()), params(&real));
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

    #[test]
    fn generated_passwords_follow_the_rules_and_differ() {
        let a = generate();
        assert_eq!(a.chars().count(), 16);
        assert_eq!(check(&a, "someone"), Ok(()));
        assert_ne!(a, generate());
        assert!(!a.contains(['0', 'O', '1', 'l', 'I']));
    }
}
