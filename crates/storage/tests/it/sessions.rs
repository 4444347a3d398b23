use kojo_core::Locale;
use kojo_core::org::Role;
use kojo_storage::testing;
use kojo_storage::{Actor, NewUser, StoreError};

use crate::{company, user};

#[tokio::test]
async fn sessions_expire_and_end_with_a_new_password() {
    let db = testing::fresh().await;
    let c = company(&db, "山田製作所").await;
    let u = user(&db, "yamada", Role::CompanyMember, Some(c.id)).await;
    db.create_session("h1", u.id, 1_000, 100_000).await.unwrap();
    db.create_session("h2", u.id, 1_000, 5_000).await.unwrap();
    let s = db.session("h1").await.unwrap();
    assert_eq!(s.user.login, "yamada");
    assert_eq!(s.session.last_seen_at, 1_000);
    db.touch_session("h1", 9_000).await.unwrap();
    assert_eq!(db.session("h1").await.unwrap().session.last_seen_at, 9_000);

    // At t=10,000 with a 5,000 ms idle limit: h2 is past its absolute expiry, h1 is fresh.
    assert_eq!(db.purge_sessions(10_000, 5_000).await.unwrap(), 1);
    assert!(matches!(db.session("h2").await, Err(StoreError::NotFound)));
    // At t=20,000 h1 has been idle for 11,000 ms.
    assert_eq!(db.purge_sessions(20_000, 5_000).await.unwrap(), 1);

    db.create_session("h3", u.id, 1_000, i64::MAX)
        .await
        .unwrap();
    db.set_password(&Actor::cli(), u.id, "other").await.unwrap();
    assert!(matches!(db.session("h3").await, Err(StoreError::NotFound)));

    db.create_session("h4", u.id, 1_000, i64::MAX)
        .await
        .unwrap();
    db.delete_session("h4").await.unwrap();
    assert!(matches!(db.session("h4").await, Err(StoreError::NotFound)));
}

fn admin(login: &str) -> NewUser {
    NewUser {
        login: login.into(),
        display_name: "管理者".into(),
        role: Role::Admin,
        org_id: None,
        password_hash: "h".into(),
        locale: Locale::Ja,
    }
}

#[tokio::test]
async fn the_setup_link_works_once() {
    let db = testing::fresh().await;
    let now = kojo_storage::now_millis();
    db.create_setup_token("old", now, now + 60_000)
        .await
        .unwrap();
    // A new token replaces the old one.
    db.create_setup_token("tok", now, now + 60_000)
        .await
        .unwrap();
    assert!(!db.setup_token_valid("old", now).await.unwrap());
    assert!(db.setup_token_valid("tok", now).await.unwrap());
    assert!(!db.setup_token_valid("tok", now + 61_000).await.unwrap());
    assert!(matches!(
        db.complete_setup("wrong", &admin("root")).await,
        Err(StoreError::NotFound)
    ));
    assert!(!db.admin_exists().await.unwrap());

    let u = db.complete_setup("tok", &admin("root")).await.unwrap();
    assert_eq!(u.role, Role::Admin);
    assert!(!db.setup_token_valid("tok", now).await.unwrap());
    assert!(matches!(
        db.complete_setup("tok", &admin("root2")).await,
        Err(StoreError::NotFound)
    ));

    // Once an admin exists, even a fresh token cannot create another one.
    db.create_setup_token("tok2", now, now + 60_000)
        .await
        .unwrap();
    assert!(!db.setup_token_valid("tok2", now).await.unwrap());
    assert!(matches!(
        db.complete_setup("tok2", &admin("root3")).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(db.list_users(None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_expired_setup_link_is_refused() {
    let db = testing::fresh().await;
    let now = kojo_storage::now_millis();
    db.create_setup_token("tok", now - 120_000, now - 60_000)
        .await
        .unwrap();
    assert!(matches!(
        db.complete_setup("tok", &admin("root")).await,
        Err(StoreError::NotFound)
    ));
    assert!(!db.admin_exists().await.unwrap());
}
