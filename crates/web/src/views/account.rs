//! The account pages: sign-in, first-run setup, accepting an invitation, changing the password.

use askama::Template;
use askama_web::WebTemplate;
use kojo_service::accounts::AccountDraft;
use kojo_service::accounts::invitations::OpenInvitation;

use crate::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub next: String,
    pub login: String,
    pub notice: Option<&'static str>,
    pub error: Option<String>,
}

impl LoginPage {
    /// The empty form; `m` (`logged_out` or `expired`) names a notice to show.
    pub fn new(ctx: Ctx, next: &str, m: &str) -> LoginPage {
        let notice = match m {
            "logged_out" => Some(ctx.t.login_logged_out),
            "expired" => Some(ctx.t.login_session_expired),
            _ => None,
        };
        LoginPage {
            next: next.to_string(),
            login: String::new(),
            notice,
            error: None,
            ctx,
        }
    }

    /// The form again after a refused attempt, keeping the login typed.
    pub fn refused(ctx: Ctx, next: &str, login: &str, error: String) -> LoginPage {
        LoginPage {
            login: login.to_string(),
            error: Some(error),
            ..LoginPage::new(ctx, next, "")
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
pub struct SetupPage {
    pub ctx: Ctx,
    pub valid: bool,
    pub login: String,
    pub display_name: String,
    pub error: Option<String>,
}

impl SetupPage {
    /// The empty form, or the "link does not work" page when `valid` is false.
    pub fn new(ctx: Ctx, valid: bool) -> SetupPage {
        SetupPage {
            ctx,
            valid,
            login: String::new(),
            display_name: String::new(),
            error: None,
        }
    }

    /// The form again with what was typed (never the passwords) and the problem.
    pub fn again(ctx: Ctx, draft: &AccountDraft, error: String) -> SetupPage {
        SetupPage {
            login: draft.login.clone(),
            display_name: draft.display_name.clone(),
            error: Some(error),
            ..SetupPage::new(ctx, true)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub ctx: Ctx,
    pub error: Option<String>,
    pub done: bool,
}

impl PasswordPage {
    pub fn new(ctx: Ctx) -> PasswordPage {
        PasswordPage {
            ctx,
            error: None,
            done: false,
        }
    }

    pub fn refused(ctx: Ctx, error: String) -> PasswordPage {
        PasswordPage {
            error: Some(error),
            ..PasswordPage::new(ctx)
        }
    }

    pub fn changed(ctx: Ctx) -> PasswordPage {
        PasswordPage {
            done: true,
            ..PasswordPage::new(ctx)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "invite.html")]
pub struct InvitePage {
    pub ctx: Ctx,
    pub valid: bool,
    pub company: String,
    pub role: &'static str,
    pub login: String,
    pub display_name: String,
    pub error: Option<String>,
}

impl InvitePage {
    /// The form of an open invitation, or the "link does not work" page.
    pub fn new(ctx: Ctx, invitation: Option<&OpenInvitation>) -> InvitePage {
        let (company, role) = match invitation {
            Some(i) => (i.company.clone(), ctx.role_label(&i.role)),
            None => (String::new(), ""),
        };
        InvitePage {
            ctx,
            valid: invitation.is_some(),
            company,
            role,
            login: String::new(),
            display_name: String::new(),
            error: None,
        }
    }

    /// The form again with what was typed (never the passwords) and the problem.
    pub fn again(mut self, draft: &AccountDraft, error: String) -> InvitePage {
        self.login = draft.login.clone();
        self.display_name = draft.display_name.clone();
        self.error = Some(error);
        self
    }
}
