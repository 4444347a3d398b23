//! Wrong URLs, databases from a newer kojo, a full disk: clear errors, nothing half-written.

use kojo_core::org::OrgKind;
use kojo_storage::testing;
use kojo_storage::{Actor, PROBE_TIMEOUT, SCHEMA_VERSION, Store, StoreError, Unwritable};

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

/// Fills a SQLite database capped at a few pages beyond its current size until a write fails;
/// returns how many organisations were written before that.
async fn fill(db: &Store) -> usize {
    let pages = db.page_count_for_tests().await.unwrap();
    db.limit_sqlite_pages(pages + 3).await.unwrap();
    let long = "長".repeat(2000);
    for created in 0..1000 {
        let name = format!("{created}{long}");
        match db
            .create_org(&Actor::cli(), OrgKind::Company, &org(&name))
            .await
        {
            Ok(_) => {}
            Err(StoreError::Full) => return created,
            Err(e) => panic!("expected Full, got {e:?}"),
        }
    }
    panic!("the page limit never triggered")
}

/// A full database refuses writes with `Full` — every time, not a wedged connection — and
/// writes resume once there is space again (the page limit raised), without a restart.
#[tokio::test]
async fn writes_resume_after_the_database_was_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = Store::connect(&dir.path().join("k.db").display().to_string())
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let created = fill(&db).await;
    // Still full: each further write says so (before the fix: "attempted to call begin_with
    // at non-zero transaction depth" from then on).
    for i in 0..3 {
        let err = db
            .create_org(
                &Actor::cli(),
                OrgKind::Company,
                &org(&format!("x{i}{}", "長".repeat(2000))),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Full),
            "write {i} while full: {err:?}"
        );
    }
    // The health check's probe says so too.
    assert_eq!(
        db.check_writable(PROBE_TIMEOUT).await,
        Err(Unwritable::Full)
    );
    db.limit_sqlite_pages(1_000_000).await.unwrap();
    db.create_org(&Actor::cli(), OrgKind::Company, &org("空きができた"))
        .await
        .unwrap();
    assert_eq!(db.list_orgs(None).await.unwrap().len(), created + 1);
    assert_eq!(db.check_writable(PROBE_TIMEOUT).await, Ok(()));
    // The probe left nothing behind.
    db.migrate().await.unwrap();
    assert_eq!(db.audit_log(None, 10_000).await.unwrap().len(), created + 1);
}

/// A COMMIT that fails hands no poisoned connection to the next write (both backends).
#[tokio::test]
async fn a_failed_commit_leaves_the_writer_clean() {
    let db = testing::fresh().await;
    for i in 0..20 {
        assert!(
            db.fail_a_commit_for_tests().await.is_err(),
            "commit {i} failed"
        );
        db.create_org(&Actor::cli(), OrgKind::Company, &org(&format!("会社{i}")))
            .await
            .unwrap_or_else(|e| panic!("write after failed commit {i}: {e:?}"));
    }
    assert_eq!(db.list_orgs(None).await.unwrap().len(), 20);
    assert_eq!(db.check_writable(PROBE_TIMEOUT).await, Ok(()));
}

/// A write whose future is dropped at any point (a client that disconnects) leaves the writer
/// usable: the next write succeeds, and each write is whole or absent.
#[tokio::test]
async fn a_write_dropped_at_any_point_leaves_the_writer_clean() {
    let db = testing::fresh().await;
    for yields in 0..60 {
        let (cli, new) = (Actor::cli(), org(&format!("途中{yields}")));
        let write = db.create_org(&cli, OrgKind::Company, &new);
        let interrupt = async {
            for _ in 0..yields {
                tokio::task::yield_now().await;
            }
        };
        tokio::select! {
            biased;
            _ = interrupt => {}
            r = write => { r.unwrap(); }
        }
        db.create_org(
            &Actor::cli(),
            OrgKind::Company,
            &org(&format!("次{yields}")),
        )
        .await
        .unwrap_or_else(|e| panic!("write after dropping one at {yields} yields: {e:?}"));
    }
    let orgs = db.list_orgs(None).await.unwrap();
    let audits = db.audit_log(None, 10_000).await.unwrap();
    assert_eq!(orgs.len(), audits.len(), "every write whole or absent");
    assert!(orgs.len() >= 60);
}
