//! The storage story, run on the backend the test run targets (SQLite by default, PostgreSQL
//! when KOJO_TEST_DATABASE_URL is set: `.ci/run` runs the suite on both).

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

mod assessments;
mod failures;
mod orgs_users;
mod plant;
mod sessions;
mod surveys;
mod vuln;

use kojo_core::Locale;
use kojo_core::ids::OrgId;
use kojo_core::org::{OrgKind, Role};
use kojo_storage::{Actor, NewOrg, NewUser, Org, Store, User};

pub fn org(name: &str) -> NewOrg {
    NewOrg {
        name: name.into(),
        ..NewOrg::default()
    }
}

pub async fn company(store: &Store, name: &str) -> Org {
    store
        .create_org(&Actor::cli(), OrgKind::Company, &org(name))
        .await
        .unwrap()
}

pub async fn user(store: &Store, login: &str, role: Role, org_id: Option<OrgId>) -> User {
    store
        .create_user(
            &Actor::cli(),
            &NewUser {
                login: login.into(),
                display_name: String::new(),
                role,
                org_id,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into(),
                locale: Locale::Ja,
            },
        )
        .await
        .unwrap()
}
