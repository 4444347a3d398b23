//! Sign-in, sessions, the setup link, invitations and passwords.

use std::time::Duration;

use kojo_core::Locale;
use kojo_core::org::{OrgKind, Role};
use kojo_service::accounts::AccountDraft;
use kojo_service::accounts::password::Weakness;
use kojo_service::accounts::sessions::{Client, Credentials, NewSession, SessionPolicy, SignIn};
use kojo_service::accounts::throttle::PER_LOGIN;
use kojo_service::accounts::users::{NewAccount, PasswordChange};
use kojo_service::{Error, Lang, Problem, Who};

use crate::support::{Fixture, PASSWORD};

fn attempt<'a>(login: &'a str, password: &'a str) -> Credentials<'a> {
    Credentials {
        login,
        password,
        client: Client {
            address: "10.0.0.1",
            device: None,
        },
    }
}

fn started(outcome: SignIn) -> NewSession {
    match outcome {
        SignIn::Started(s) => s,
        other => panic!("not signed in: {other:?}"),
    }
}

fn draft(login: &str, password: &str, again: &str) -> AccountDraft {
    AccountDraft {
        login: login.into(),
        display_name: String::new(),
        password: password.into(),
        password_again: again.into(),
    }
}

#[tokio::test]
async fn unknown_logins_and_wrong_passwords_get_one_answer_and_are_throttled() {
    let f = Fixture::new().await;
    f.user("root", Role::Admin, None).await;
    let policy = SessionPolicy::default();
    let sign_in = |login, password| {
        let s = f.service.clone();
        async move { s.sign_in(&attempt(login, password), None, &policy).await }
    };
    assert!(matches!(
        sign_in("nobody", PASSWORD).await,
        Ok(SignIn::Failed)
    ));
    for _ in 1..PER_LOGIN.free {
        assert!(matches!(sign_in("root", "wrong").await, Ok(SignIn::Failed)));
    }
    // Logins are counted without regard to case.
    assert!(matches!(sign_in("ROOT", "wrong").await, Ok(SignIn::Failed)));
    let refused = sign_in("root", PASSWORD).await.unwrap();
    assert!(
        matches!(refused, SignIn::Throttled { seconds: 1 }),
        "{refused:?}"
    );
    let message = refused.problem().unwrap().message(&Lang::ja());
    assert!(message.contains("1秒後"), "{message}");
}

#[tokio::test]
async fn a_session_lives_until_sign_out_or_its_idle_time() {
    let f = Fixture::new().await;
    f.user("root", Role::Admin, None).await;
    let policy = SessionPolicy::default();
    let first = started(
        f.service
            .sign_in(&attempt("root", PASSWORD), None, &policy)
            .await
            .unwrap(),
    );
    let found = f
        .service
        .session(&first.token, &policy)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.account.login, "root");
    assert_eq!(found.account.role, Role::Admin);

    // Signing in again ends the session the browser had.
    let second = f
        .service
        .sign_in(
            &attempt("root", PASSWORD),
            Some(&found.session_hash),
            &policy,
        )
        .await
        .map(started)
        .unwrap();
    assert!(
        f.service
            .session(&first.token, &policy)
            .await
            .unwrap()
            .is_none()
    );

    // No idle time at all: the session is over, and deleted.
    let impatient = SessionPolicy {
        idle: Duration::ZERO,
        ..policy
    };
    assert!(
        f.service
            .session(&second.token, &impatient)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        f.service
            .session(&second.token, &policy)
            .await
            .unwrap()
            .is_none()
    );

    let third = started(
        f.service
            .sign_in(&attempt("root", PASSWORD), None, &policy)
            .await
            .unwrap(),
    );
    let hash = f
        .service
        .session(&third.token, &policy)
        .await
        .unwrap()
        .unwrap()
        .session_hash;
    f.service.sign_out(&hash).await.unwrap();
    assert!(
        f.service
            .session(&third.token, &policy)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_setup_link_checks_the_new_account_and_works_once() {
    let f = Fixture::new().await;
    let policy = SessionPolicy::default();
    let token = f.service.setup_link().await.unwrap().expect("no admin yet");
    assert!(f.service.setup_link_valid(&token).await.unwrap());
    let refused = f
        .service
        .complete_setup(
            &token,
            &draft("root", "long-enough-pw", "other-long-pw"),
            Locale::Ja,
            &policy,
        )
        .await;
    assert!(
        matches!(refused, Err(Error::Invalid(Problem::PasswordMismatch))),
        "{refused:?}"
    );
    let admin = f
        .service
        .complete_setup(
            &token,
            &draft("root", "long-enough-pw", "long-enough-pw"),
            Locale::En,
            &policy,
        )
        .await
        .unwrap();
    assert_eq!(
        (admin.account.role, admin.account.locale),
        (Role::Admin, Locale::En)
    );
    assert!(
        f.service
            .session(&admin.token, &policy)
            .await
            .unwrap()
            .is_some()
    );
    let again = f
        .service
        .complete_setup(
            &token,
            &draft("root2", "long-enough-pw", "long-enough-pw"),
            Locale::Ja,
            &policy,
        )
        .await;
    assert!(matches!(again, Err(Error::NotFound)), "{again:?}");
    assert_eq!(
        f.service.setup_link().await.unwrap(),
        None,
        "an admin exists"
    );
}

#[tokio::test]
async fn only_the_company_admin_invites_and_an_invitation_works_once() {
    let f = Fixture::new().await;
    let policy = SessionPolicy::default();
    let company = f.org(OrgKind::Company, "山田精機").await;
    let admin = f.user("yamada", Role::CompanyAdmin, Some(company)).await;
    let member = f.user("sato", Role::CompanyMember, Some(company)).await;
    assert!(matches!(
        f.service.invite_member(&member, "company_member").await,
        Err(Error::Forbidden)
    ));
    let refused = f.service.invite_member(&admin, "admin").await;
    assert!(
        matches!(
            &refused,
            Err(Error::Invalid(Problem::Field { field: "role", .. }))
        ),
        "{refused:?}"
    );
    let token = f
        .service
        .invite_member(&admin, "company_member")
        .await
        .unwrap();
    let open = f.service.invitation(&token).await.unwrap().unwrap();
    assert_eq!(
        (open.company.as_str(), open.role),
        ("山田精機", Role::CompanyMember)
    );
    assert_eq!(
        f.service
            .members(&admin)
            .await
            .unwrap()
            .open_invitations
            .len(),
        1
    );

    let taken = f
        .service
        .accept_invitation(
            &token,
            &draft("SATO", "long-enough-pw", "long-enough-pw"),
            Locale::Ja,
            &policy,
        )
        .await;
    assert!(
        matches!(taken, Err(Error::Conflict(Problem::Taken(_)))),
        "{taken:?}"
    );
    let joined = f
        .service
        .accept_invitation(
            &token,
            &draft("suzuki", "long-enough-pw", "long-enough-pw"),
            Locale::Ja,
            &policy,
        )
        .await
        .unwrap();
    assert_eq!(joined.account.org_id, Some(company));
    assert_eq!(joined.account.role, Role::CompanyMember);
    assert!(
        f.service.invitation(&token).await.unwrap().is_none(),
        "used"
    );
    let members = f.service.members(&admin).await.unwrap();
    assert_eq!(members.members.len(), 3);
    assert!(members.open_invitations.is_empty());
    assert!(matches!(
        f.service.members(&member).await,
        Err(Error::Forbidden)
    ));
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_ends_other_sessions() {
    let f = Fixture::new().await;
    let policy = SessionPolicy::default();
    let me = f.user("root", Role::Admin, None).await;
    let other = started(
        f.service
            .sign_in(&attempt("root", PASSWORD), None, &policy)
            .await
            .unwrap(),
    );
    let change = |current: &str, new: &str, again: &str| PasswordChange {
        current: current.into(),
        new: new.into(),
        again: again.into(),
    };
    let wrong = f
        .service
        .change_password(
            &me,
            &change("nope", "a-new-passphrase", "a-new-passphrase"),
            &Client::default(),
            &policy,
        )
        .await;
    assert!(
        matches!(wrong, Err(Error::Invalid(Problem::WrongPassword))),
        "{wrong:?}"
    );
    let weak = f
        .service
        .change_password(
            &me,
            &change(PASSWORD, "root", "root"),
            &Client::default(),
            &policy,
        )
        .await;
    assert!(
        matches!(
            weak,
            Err(Error::Invalid(Problem::Password(Weakness::TooShort)))
        ),
        "{weak:?}"
    );
    let fresh = f
        .service
        .change_password(
            &me,
            &change(PASSWORD, "a-new-passphrase", "a-new-passphrase"),
            &Client::default(),
            &policy,
        )
        .await
        .unwrap();
    assert!(
        f.service
            .session(&other.token, &policy)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        f.service
            .session(&fresh.token, &policy)
            .await
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        f.service
            .sign_in(&attempt("root", "a-new-passphrase"), None, &policy)
            .await,
        Ok(SignIn::Started(_))
    ));
    // The command line has no account of its own to change.
    assert!(matches!(
        f.service
            .change_password(
                &Who::Cli,
                &change("a", "b", "b"),
                &Client::default(),
                &policy
            )
            .await,
        Err(Error::Forbidden)
    ));
}

#[tokio::test]
async fn users_are_the_instance_admins_and_follow_the_password_rules() {
    let f = Fixture::new().await;
    let company = f.org(OrgKind::Company, "山田精機").await;
    let member = f.user("sato", Role::CompanyMember, Some(company)).await;
    let new = |login: &str, password: &str| NewAccount {
        login: login.into(),
        display_name: String::new(),
        role: Role::CompanyAdmin,
        org_id: Some(company),
        password: password.into(),
        locale: Locale::Ja,
    };
    assert!(matches!(
        f.service
            .add_user(&member, &new("yamada", "long-enough-pw"))
            .await,
        Err(Error::Forbidden)
    ));
    let weak = f.service.add_user(&Who::Cli, &new("yamada", "short")).await;
    let Err(Error::Invalid(problem)) = weak else {
        panic!("{weak:?}");
    };
    assert_eq!(
        problem.message(&Lang::en()),
        "Use at least 10 characters for the password."
    );
    assert_eq!(
        problem.message(&Lang::ja()),
        "パスワードは10文字以上にしてください。"
    );
    let added = f
        .service
        .add_user(&Who::Cli, &new("Yamada", "long-enough-pw"))
        .await
        .unwrap();
    assert_eq!(added.login, "yamada");
    let logins: Vec<String> = f
        .service
        .users(&Who::Cli, Some(company))
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.login)
        .collect();
    assert_eq!(logins, ["sato", "yamada"]);
    f.service
        .reset_password(&Who::Cli, "yamada", "another-long-pw")
        .await
        .unwrap();
    assert!(matches!(
        f.service
            .reset_password(&Who::Cli, "nobody", "another-long-pw")
            .await,
        Err(Error::NotFound)
    ));
}
