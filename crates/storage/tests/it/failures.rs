//! Wrong URLs, databases from a newer kojo, a full disk: clear errors, nothing half-written.

use kojo_core::org::OrgKind;
use kojo_storage::testing;
use kojo_storage::{Actor, SCHEMA_VERSION, Store, StoreError};

use crate::org;

#[tokio::test]
async fn an_unreachable_postgres_is_a_clear_error_without_the_password() {
    let err = Store::connect("postgres://kojo:s3cret@127.0.0.1:1/kojo")
        .await
        .err()
        .unwrap();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    assert!(msg.contains("127.0.0.1:1"), "{msg}");
    assert!(!msg.contains("s3cret"), "password leaked: {msg}");
}

#[tokio::test]
async fn unsupported_urls_and_unwritable_paths_are_refused() {
    let err = Store::connect("mysql://root@localhost/kojo")
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("unsupported database"), "{err}");
    let file = tempfile::NamedTempFile::new().unwrap();
    // A path below a regular file cannot be created.
    let url = file.path().join("sub/kojo.db").display().to_string();
    let err = Store::connect(&url).await.err().unwrap();
    assert!(matches!(err, StoreError::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains("cannot create directory"), "{err}");
}

#[tokio::test]
async fn a_database_from_a_newer_kojo_is_left_alone() {
    let db = testing::fresh().await;
    db.create_org(&Actor::cli(), OrgKind::Company, &org("山田製作所"))
        .await
        .unwrap();
    db.close().await;
    // Simulate a newer kojo having applied a migration this one does not know.
    let raw = Store::connect(&db.url).await.unwrap();
    raw.execute_raw_for_tests(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (999, 'from the future', TRUE, X'00', 0)",
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (999, 'from the future', TRUE, '\\x00', 0)",
    )
    .await
    .unwrap();
    let err = raw.migrate().await.unwrap_err();
    match &err {
        StoreError::NewerSchema { found, known } => {
            assert_eq!((*found, *known), (999, SCHEMA_VERSION));
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert!(err.to_string().contains("newer kojo"));
    assert_eq!(raw.list_orgs(None).await.unwrap().len(), 1);
}

/// SQLite-specific: the "disk full" path is simulated with a page limit. Every write either
/// lands whole (the organisation and its audit entry) or not at all.
#[tokio::test]
async fn a_full_disk_is_reported_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = Store::connect(&dir.path().join("k.db").display().to_string())
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let pages = db.page_count_for_tests().await.unwrap();
    db.limit_sqlite_pages(pages + 3).await.unwrap();
    let long = "長".repeat(2000);
    let mut created = 0;
    let err = loop {
        let name = format!("{created}{long}");
        match db
            .create_org(&Actor::cli(), OrgKind::Company, &org(&name))
            .await
        {
            Ok(_) => created += 1,
            Err(e) => break e,
        }
        assert!(created < 1000, "the page limit never triggered");
    };
    assert!(matches!(err, StoreError::Full), "{err:?}");
    assert!(err.to_string().contains("nothing was written"));
    let orgs = db.list_orgs(None).await.unwrap();
    let audits = db.audit_log(None, 10_000).await.unwrap();
    assert_eq!(orgs.len(), created);
    assert_eq!(audits.len(), created);
}
