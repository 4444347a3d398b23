//! Accounts: signing in and out and the sessions behind the cookie, the first-run setup link,
//! invitations, changing a password, the user commands of the instance admin; and below them
//! the password rules, secret tokens and the sign-in throttle.
//!
//! The web keeps the cookies; everything else is here, so the pages and the command line apply
//! the same rules.

pub mod device;
pub mod invitations;
pub mod password;
pub mod sessions;
pub mod setup;
pub mod throttle;
pub mod tokens;
pub mod users;

use kojo_core::Locale;
use kojo_core::ids::{OrgId, UserId};
use kojo_core::org::Role;
use kojo_storage::{Invalid, User, login_is_valid};

use crate::Problem;

/// A user account as the use cases hand it out (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: Option<OrgId>,
    pub locale: Locale,
    pub disabled: bool,
}

impl From<User> for Account {
    fn from(u: User) -> Account {
        Account {
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            role: u.role,
            org_id: u.org_id,
            locale: u.locale,
            disabled: u.disabled,
        }
    }
}

/// A new account as typed on the setup and invitation pages.
#[derive(Debug, Clone, Default)]
pub struct AccountDraft {
    pub login: String,
    pub display_name: String,
    pub password: String,
    pub password_again: String,
}

impl AccountDraft {
    /// The login's format, then the two passwords, then the password rules.
    pub fn check(&self) -> Result<(), Problem> {
        let login = self.login.trim();
        if !login_is_valid(login) {
            return Err(Problem::Rule(Invalid::LoginFormat {
                login: crate::excerpt(login),
            }));
        }
        crate::assessment::check_length("display_name", &self.display_name, crate::NAME_MAX)?;
        check_new_password(&self.password, &self.password_again, login)
    }
}

/// A new password typed twice: both the same, and following the rules.
pub fn check_new_password(password: &str, again: &str, login: &str) -> Result<(), Problem> {
    if password != again {
        return Err(Problem::PasswordMismatch);
    }
    password::check(password, login).map_err(Problem::Password)
}

/// Whole milliseconds of a duration, saturating (a lifetime of centuries is still "forever").
pub(crate) fn millis(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(login: &str, pw: &str, again: &str) -> AccountDraft {
        AccountDraft {
            login: login.into(),
            display_name: String::new(),
            password: pw.into(),
            password_again: again.into(),
        }
    }

    #[test]
    fn a_new_account_checks_login_then_passwords() {
        assert!(matches!(
            draft("山田 太郎", "short", "other").check(),
            Err(Problem::Rule(Invalid::LoginFormat { .. }))
        ));
        assert!(matches!(
            draft("yamada", "long-enough-pw", "different-pw!").check(),
            Err(Problem::PasswordMismatch)
        ));
        assert!(matches!(
            draft("yamada", "short", "short").check(),
            Err(Problem::Password(password::Weakness::TooShort))
        ));
        assert!(matches!(
            draft(" yamada-taro ", "Yamada-Taro", "Yamada-Taro").check(),
            Err(Problem::Password(password::Weakness::SameAsLogin))
        ));
        assert!(
            draft("yamada", "long-enough-pw", "long-enough-pw")
                .check()
                .is_ok()
        );
    }
}
