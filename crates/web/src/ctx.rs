//! The request context every page gets: who is signed in, in which language.

use std::sync::{Arc, Mutex};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use kojo_core::Locale;
use kojo_core::ids::{OrgId, UserId};
use kojo_core::org::Role;
use kojo_i18n::Msg;
use kojo_service::{Lang, Principal, Who};

use crate::auth::session::SESSION_COOKIE;
use crate::{AppError, AppState};

/// The cookie that remembers the language of a visitor who is not signed in.
pub const LANG_COOKIE: &str = "kojo_lang";

/// The signed-in user, as handlers and templates see them.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: Option<OrgId>,
    /// The hash of the session token (to end this session on sign-out).
    pub session_hash: String,
}

#[derive(Debug, Clone)]
pub struct Ctx {
    pub locale: Locale,
    pub t: &'static Msg,
    pub user: Option<AuthUser>,
    /// Path and query of the request (for "come back here" links).
    pub path: String,
    pub version: &'static str,
}

/// Shared between the error-rendering middleware and the extractor, so an error page is
/// rendered in the language and with the user the handler saw.
#[derive(Debug, Clone, Default)]
pub struct CtxSlot(pub Arc<Mutex<Option<Ctx>>>);

impl Ctx {
    pub fn anonymous(locale: Locale, path: String) -> Ctx {
        Ctx {
            locale,
            t: Msg::for_locale(locale),
            user: None,
            path,
            version: env!("CARGO_PKG_VERSION"),
        }
    }

    /// The reader's language, for the use cases.
    pub fn lang(&self) -> Lang {
        Lang {
            locale: self.locale,
            t: self.t,
        }
    }

    /// This context in another language (`?lang=en` on exports and the printable report).
    pub fn in_locale(mut self, lang: Option<&str>) -> Ctx {
        if let Some(l) = lang.and_then(Locale::parse) {
            self.locale = l;
            self.t = Msg::for_locale(l);
        }
        self
    }

    /// Who is asking, for the use cases (requires a signed-in user).
    pub fn who(&self) -> Result<Who, AppError> {
        let u = self.require_user()?;
        Ok(Who::User(Principal {
            id: u.id,
            login: u.login.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            org_id: u.org_id,
        }))
    }

    /// The signed-in user, or an error that sends the browser to the sign-in page.
    pub fn require_user(&self) -> Result<&AuthUser, AppError> {
        self.user.as_ref().ok_or_else(|| AppError::Unauthenticated {
            next: self.path.clone(),
        })
    }

    /// The signed-in company user and their company (`kojo_service::access::company_of`).
    pub fn company_user(&self) -> Result<(&AuthUser, OrgId), AppError> {
        let org = kojo_service::access::company_of(&self.who()?)?;
        Ok((self.require_user()?, org))
    }

    /// The signed-in company admin and their company.
    pub fn company_admin(&self) -> Result<(&AuthUser, OrgId), AppError> {
        let org = kojo_service::access::company_admin_of(&self.who()?)?;
        Ok((self.require_user()?, org))
    }

    /// The signed-in user if their role is one of `roles`; 403 otherwise.
    pub fn require_role(&self, roles: &[Role]) -> Result<&AuthUser, AppError> {
        let user = self.require_user()?;
        if roles.contains(&user.role) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn role_label(&self, role: &Role) -> &'static str {
        let t = self.t;
        match role {
            Role::Admin => t.role_admin,
            Role::MinistryAnalyst => t.role_ministry_analyst,
            Role::AssociationAdmin => t.role_association_admin,
            Role::CompanyAdmin => t.role_company_admin,
            Role::CompanyMember => t.role_company_member,
        }
    }

    /// `{name}`-style message filling, for templates.
    pub fn fill(&self, template: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.t.fill(template, &[(name, &value)])
    }

    pub fn fill2(
        &self,
        template: &str,
        a: &(&str, impl std::fmt::Display),
        b: &(&str, impl std::fmt::Display),
    ) -> String {
        self.t.fill(template, &[(a.0, &a.1), (b.0, &b.1)])
    }
}

/// The language a request asked for through the cookie, if any.
pub fn cookie_locale(jar: &CookieJar) -> Option<Locale> {
    jar.get(LANG_COOKIE).and_then(|c| Locale::parse(c.value()))
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    /// The context resolved by the authorisation layer, or resolved here (routes outside it).
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Ctx, AppError> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        resolve(parts, state).await
    }
}

/// Reads the session cookie and the language: who is asking, in which language.
pub async fn resolve(parts: &Parts, state: &AppState) -> Result<Ctx, AppError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let mut ctx = Ctx::anonymous(cookie_locale(&jar).unwrap_or_default(), path);
    if let Some(token) = jar.get(SESSION_COOKIE) {
        let policy = state.config.session_policy();
        if let Some(signed_in) = state.service.session(token.value(), &policy).await? {
            let user = signed_in.account;
            ctx.locale = user.locale;
            ctx.t = Msg::for_locale(ctx.locale);
            ctx.user = Some(AuthUser {
                id: user.id,
                role: user.role,
                org_id: user.org_id,
                login: user.login,
                display_name: user.display_name,
                session_hash: signed_in.session_hash,
            });
        }
    }
    if let Some(slot) = parts.extensions.get::<CtxSlot>()
        && let Ok(mut guard) = slot.0.lock()
    {
        *guard = Some(ctx.clone());
    }
    Ok(ctx)
}
