//! First-run setup: while no instance admin exists, `kojo serve` prints a one-time link; opening
//! it creates the first admin and signs them in.

use kojo_core::Locale;
use kojo_core::org::Role;
use kojo_storage::{NewUser, now_millis};

use super::AccountDraft;
use super::password;
use super::sessions::{NewSession, SessionPolicy};
use super::tokens::{hash_token, new_token};
use crate::{Error, Result, Service};

/// The setup link is valid for a day.
pub const SETUP_VALID_MS: i64 = 24 * 3600 * 1000;

impl Service {
    /// A new setup link's token when no admin exists yet (it replaces any earlier link), or
    /// `None` when the instance already has an admin.
    pub async fn setup_link(&self) -> Result<Option<String>> {
        if self.store().admin_exists().await? {
            return Ok(None);
        }
        let token = new_token();
        let now = now_millis();
        self.store()
            .create_setup_token(&hash_token(&token), now, now + SETUP_VALID_MS)
            .await?;
        Ok(Some(token))
    }

    /// Whether a setup link works now (known, unexpired, unused, and still no admin).
    pub async fn setup_link_valid(&self, token: &str) -> Result<bool> {
        Ok(self
            .store()
            .setup_token_valid(&hash_token(token), now_millis())
            .await?)
    }

    /// Creates the first admin through the setup link and starts their session. `NotFound`
    /// when the link does not work (any more).
    pub async fn complete_setup(
        &self,
        token: &str,
        draft: &AccountDraft,
        locale: Locale,
        policy: &SessionPolicy,
    ) -> Result<NewSession> {
        if !self.setup_link_valid(token).await? {
            return Err(Error::NotFound);
        }
        draft.check()?;
        let admin = NewUser {
            login: draft.login.clone(),
            display_name: draft.display_name.clone(),
            role: Role::Admin,
            org_id: None,
            password_hash: password::hash_async(draft.password.clone()).await?,
            locale,
        };
        let user = self
            .store()
            .complete_setup(&hash_token(token), &admin)
            .await?;
        tracing::info!(login = %user.login, "first admin created through the setup link");
        let (token, device) = self.start_session(user.id, policy).await?;
        Ok(NewSession {
            token,
            device,
            account: user.into(),
        })
    }
}
