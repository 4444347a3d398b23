//! A service over a fresh database, and users to act as.

use std::sync::{Arc, LazyLock};

use kojo_content::Catalog;
use kojo_core::Locale;
use kojo_core::ids::OrgId;
use kojo_core::org::{OrgKind, Role};
use kojo_service::accounts::password;
use kojo_service::{Principal, Service, Who};
use kojo_storage::testing::{self, TestStore};
use kojo_storage::{Actor, NewOrg, NewUser};

static CATALOG: LazyLock<Arc<Catalog>> =
    LazyLock::new(|| Arc::new(kojo_content::load_embedded().expect("content")));

/// One password for every test user (hashing once keeps the tests fast).
pub const PASSWORD: &str = "factory-security-2026";
static HASH: LazyLock<String> = LazyLock::new(|| password::hash(PASSWORD).unwrap());

pub struct Fixture {
    pub db: TestStore,
    pub service: Service,
}

impl Fixture {
    pub async fn new() -> Fixture {
        let db = testing::fresh().await;
        let service = Service::new(
            db.store.clone(),
            CATALOG.clone(),
            kojo_service::Config::default(),
        );
        Fixture { db, service }
    }

    pub async fn org(&self, kind: OrgKind, name: &str) -> OrgId {
        let new = NewOrg {
            name: name.into(),
            ..NewOrg::default()
        };
        self.db
            .create_org(&Actor::cli(), kind, &new)
            .await
            .unwrap()
            .id
    }

    /// A user with the test password, as the use cases see them.
    pub async fn user(&self, login: &str, role: Role, org_id: Option<OrgId>) -> Who {
        let new = NewUser {
            login: login.into(),
            display_name: String::new(),
            role,
            org_id,
            password_hash: HASH.clone(),
            locale: Locale::Ja,
        };
        let user = self.db.create_user(&Actor::cli(), &new).await.unwrap();
        Who::User(Principal {
            id: user.id,
            login: user.login,
            display_name: user.display_name,
            role,
            org_id,
        })
    }
}
