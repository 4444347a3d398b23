//! Accepting an invitation: the link a company admin made (see `company`) works once, until it
//! expires, and creates the account with the role it was issued for.

use kojo_core::Locale;
use kojo_core::org::Role;
use kojo_storage::{NewUser, StoreError, now_millis};

use super::AccountDraft;
use super::password;
use super::sessions::{NewSession, SessionPolicy};
use super::tokens::hash_token;
use crate::{Error, Result, Service};

/// How long an invitation link works.
pub const INVITATION_VALID_MS: i64 = 7 * 24 * 3600 * 1000;

/// An invitation that can still be accepted: who invites, as what.
#[derive(Debug, Clone)]
pub struct OpenInvitation {
    pub company: String,
    pub role: Role,
}

impl Service {
    /// The invitation of a link, if it can still be accepted (unused and unexpired).
    pub async fn invitation(&self, token: &str) -> Result<Option<OpenInvitation>> {
        let found = match self.store().invitation(&hash_token(token)).await {
            Ok(i) if i.used_at.is_none() && i.expires_at > now_millis() => i,
            Ok(_) | Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(Some(OpenInvitation {
            company: self.store().org(found.org_id).await?.name,
            role: found.role,
        }))
    }

    /// Creates the invited account and starts its session. `NotFound` when the link cannot be
    /// accepted (any more).
    pub async fn accept_invitation(
        &self,
        token: &str,
        draft: &AccountDraft,
        locale: Locale,
        policy: &SessionPolicy,
    ) -> Result<NewSession> {
        if self.invitation(token).await?.is_none() {
            return Err(Error::NotFound);
        }
        draft.check()?;
        let new = NewUser {
            login: draft.login.clone(),
            display_name: draft.display_name.clone(),
            // The invitation's role and company replace these.
            role: Role::CompanyMember,
            org_id: None,
            password_hash: password::hash_async(draft.password.clone()).await?,
            locale,
        };
        let user = self
            .store()
            .accept_invitation(&hash_token(token), &new)
            .await?;
        let (token, device) = self.start_session(user.id, policy).await?;
        Ok(NewSession {
            token,
            device,
            account: user.into(),
        })
    }
}
