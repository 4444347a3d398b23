//! Password hashing with Argon2id (the argon2 crate's defaults: m=19 MiB, t=2, p=1, as OWASP
//! recommends) in PHC string format, the password rules, and generated passwords.
//!
//! The rules follow NIST SP 800-63B §5.1.1.2: a length range, no composition rules, and a
//! check against passwords known to be common or breached — here the 30,000 most common
//! passwords of the zxcvbn frequency list (taken from breach corpora), bundled in the binary
//! (`common_passwords.txt`, 240 KB, read into a set on first use; no build step, no new crate).
//! A common password with up to five digits or symbols appended (`password12`, `monkey2024!`),
//! a repeated or sequential run (`aaaaaaaaaa`, `abcabcabca`, `1234567890`), the login itself
//! and control characters are refused too.

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
    /// A control character (C0, DEL, C1), e.g. a password of NUL bytes.
    ControlCharacter,
    /// On the list of common and breached passwords, or a simple variation of one, or a
    /// repeated or sequential run of characters.
    Common,
}

/// The rules after NIST SP 800-63B: long enough, not absurdly long, no control characters,
/// not the login itself, not common or breached. No composition rules: they make passwords
/// harder to remember, not harder to guess.
pub fn check(password: &str, login: &str) -> Result<(), Weakness> {
    let len = password.chars().count();
    if password.chars().any(char::is_control) {
        Err(Weakness::ControlCharacter)
    } else if len < MIN_LEN {
        Err(Weakness::TooShort)
    } else if len > MAX_LEN {
        Err(Weakness::TooLong)
    } else if stem(password).eq_ignore_ascii_case(login.trim()) {
        Err(Weakness::SameAsLogin)
    } else if is_common(password) {
        Err(Weakness::Common)
    } else {
        Ok(())
    }
}

/// The bundled list of common and breached passwords (lower case).
fn common_list() -> &'static std::collections::HashSet<&'static str> {
    static LIST: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    LIST.get_or_init(|| include_str!("common_passwords.txt").lines().collect())
}

/// A password without up to five digits or symbols at its end (`password12` → `password`).
fn stem(password: &str) -> &str {
    let trimmed = password.trim();
    let stem = trimmed.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    if trimmed.len() - stem.len() <= 5 && !stem.is_empty() {
        stem
    } else {
        trimmed
    }
}

/// Whether a password is common: on the list, a listed one with a short tail of digits or
/// symbols, or a repeated or sequential run.
pub fn is_common(password: &str) -> bool {
    let lower = password.trim().to_lowercase();
    let list = common_list();
    list.contains(lower.as_str()) || list.contains(stem(&lower)) || is_run(&lower)
}

/// One short unit repeated (`aaaa…`, `abcabc…`, `12121…`) or a run of consecutive characters
/// up or down (`abcdefghij`, `9876543210`).
fn is_run(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let repeated = (1..=3).any(|unit| {
        chars.len() > unit
            && chars
                .iter()
                .enumerate()
                .all(|(i, c)| chars.get(i % unit) == Some(c))
    });
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0])))
        .collect();
    let sequential = steps.iter().all(|d| *d == 1) || steps.iter().all(|d| *d == -1);
    // 0 follows 9 on a keyboard's number row: `1234567890`.
    let number_row = "1234567890".contains(s) || "0987654321".contains(s);
    repeated || sequential || number_row
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
    fn common_and_breached_passwords_are_refused() {
        for weak in [
            "1234567890",
            "password12",
            "Password123",
            "qwertyuiop",
            "iloveyou2024",
            "monkey2024!",
            "aaaaaaaaaa",
            "abcabcabcabc",
            "abcdefghijk",
            "0987654321",
            "zyxwvutsrq",
            "ああああああああああ",
        ] {
            assert_eq!(check(weak, "someone"), Err(Weakness::Common), "{weak}");
        }
        for fine in [
            "factory-security-2026",
            "long-enough-pw",
            "correct horse battery",
            "工場のセキュリティ対策",
            "monkey-wrench-42",
        ] {
            assert_eq!(check(fine, "someone"), Ok(()), "{fine}");
        }
        assert_eq!(common_list().len(), 30_000);
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(
            check(&"\0".repeat(12), "u"),
            Err(Weakness::ControlCharacter)
        );
        assert_eq!(
            check("correct\thorse battery", "u"),
            Err(Weakness::ControlCharacter)
        );
        assert_eq!(
            check("correct horse\u{85}battery", "u"),
            Err(Weakness::ControlCharacter)
        );
        assert_eq!(
            check("correct horse\u{7f}battery", "u"),
            Err(Weakness::ControlCharacter)
        );
    }

    #[test]
    fn the_login_with_a_few_digits_is_the_login() {
        assert_eq!(
            check("yamada-taro12", "Yamada-Taro"),
            Err(Weakness::SameAsLogin)
        );
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
