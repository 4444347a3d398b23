//! Users: the instance admin's commands (add, list, set a password) and what every user does
//! with their own account (change the password, choose the language).

use kojo_core::Locale;
use kojo_core::ids::OrgId;
use kojo_core::org::Role;
use kojo_storage::NewUser;

use super::sessions::{Client, NewSession, SessionPolicy};
use super::{Account, check_new_password, password};
use crate::access::instance_admin;
use crate::{Error, Problem, Result, Service, Who};

/// A user as the instance admin creates one.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: String,
    /// Empty: the login.
    pub display_name: String,
    pub role: Role,
    /// The organisation (of the kind the role needs); none for the instance admin.
    pub org_id: Option<OrgId>,
    pub password: String,
    pub locale: Locale,
}

/// A password change as typed: the current password and the new one twice.
#[derive(Debug, Clone, Default)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub again: String,
}

impl Service {
    /// Creates a user (the instance admin). The password follows the rules; the login's format
    /// and the role's organisation are checked by storage.
    pub async fn add_user(&self, who: &Who, new: &NewAccount) -> Result<Account> {
        instance_admin(who)?;
        crate::assessment::check_length("display_name", &new.display_name, crate::NAME_MAX)?;
        password::check(&new.password, &new.login).map_err(Problem::Password)?;
        let user = self
            .store()
            .create_user(
                &who.actor(),
                &NewUser {
                    login: new.login.clone(),
                    display_name: new.display_name.clone(),
                    role: new.role,
                    org_id: new.org_id,
                    password_hash: password::hash_async(new.password.clone()).await?,
                    locale: new.locale,
                },
            )
            .await?;
        Ok(user.into())
    }

    /// Users, optionally of one organisation, by login (the instance admin).
    pub async fn users(&self, who: &Who, org: Option<OrgId>) -> Result<Vec<Account>> {
        instance_admin(who)?;
        let users = self.store().list_users(org).await?;
        Ok(users.into_iter().map(Account::from).collect())
    }

    /// A user by login (the instance admin).
    pub async fn account(&self, who: &Who, login: &str) -> Result<Account> {
        instance_admin(who)?;
        Ok(self.store().user_by_login(login).await?.into())
    }

    /// Sets a user's password (the instance admin); every session of the user ends.
    pub async fn reset_password(&self, who: &Who, login: &str, new: &str) -> Result<Account> {
        instance_admin(who)?;
        let user = self.store().user_by_login(login).await?;
        password::check(new, &user.login).map_err(Problem::Password)?;
        let hash = password::hash_async(new.to_string()).await?;
        self.store()
            .set_password(&who.actor(), user.id, &hash)
            .await?;
        self.forget_sessions_of(user.id);
        Ok(user.into())
    }

    /// Changes the caller's own password. Every session of the user ends, and a new one starts
    /// for the browser that changed it.
    pub async fn change_password(
        &self,
        who: &Who,
        change: &PasswordChange,
        client: &Client<'_>,
        policy: &SessionPolicy,
    ) -> Result<NewSession> {
        let me = who.principal().ok_or(Error::Forbidden)?;
        let stored = self.store().user(me.id).await?;
        if !self
            .check_current_password(&stored, &change.current, client)
            .await?
        {
            return Err(Problem::WrongPassword.into());
        }
        check_new_password(&change.new, &change.again, &me.login)?;
        let hash = password::hash_async(change.new.clone()).await?;
        self.store()
            .set_password(&who.actor(), me.id, &hash)
            .await?;
        self.forget_sessions_of(me.id);
        let (token, device) = self.start_session(me.id, policy).await?;
        Ok(NewSession {
            token,
            device,
            account: stored.into(),
        })
    }

    /// Remembers the language a signed-in user chose.
    pub async fn set_language(&self, who: &Who, locale: Locale) -> Result<()> {
        let me = who.principal().ok_or(Error::Forbidden)?;
        self.store().set_locale(me.id, locale).await?;
        // Cached sessions carry the user's language.
        self.forget_sessions_of(me.id);
        Ok(())
    }
}
