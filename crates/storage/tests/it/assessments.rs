use kojo_core::Locale;
use kojo_core::ids::SiteId;
use kojo_core::org::Role;
use kojo_core::status::{AssessmentStatus, PlanStatus};
use kojo_storage::testing;
use kojo_storage::{
    Actor, AnswerInput, Conflict, Invalid, NewPlanItem, NewSite, NewUser, PlanUpdate, Saved, Store,
    StoreError, now_millis,
};

use crate::{company, user};

async fn site(db: &Store) -> (SiteId, Actor) {
    let c = company(db, "山田製作所").await;
    let u = user(db, "yamada", Role::CompanyAdmin, Some(c.id)).await;
    let s = db
        .create_site(
            &Actor::cli(),
            c.id,
            &NewSite {
                name: "本社工場".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap();
    (s.id, Actor::user(u.id, &u.login))
}

fn level(code: &str) -> AnswerInput {
    AnswerInput {
        level: Some(code.into()),
        ..AnswerInput::default()
    }
}

#[tokio::test]
async fn answers_save_with_versions_and_never_silently_overwrite() {
    let db = testing::fresh().await;
    let (site_id, me) = site(&db).await;
    let a = db
        .create_assessment(&me, site_id, "factory-guideline/v1", None)
        .await
        .unwrap();
    assert_eq!(a.status, AssessmentStatus::Draft);
    assert_eq!(a.site_id, site_id);

    let Saved::Saved(v1) = db
        .save_answer(&me, a.id, "ORG-1", 0, &level("2"))
        .await
        .unwrap()
    else {
        panic!("first save");
    };
    assert_eq!(v1.version, 1);
    let Saved::Saved(v2) = db
        .save_answer(
            &me,
            a.id,
            "ORG-1",
            1,
            &AnswerInput {
                note: "稟議中".into(),
                ..level("3")
            },
        )
        .await
        .unwrap()
    else {
        panic!("second save");
    };
    assert_eq!(
        (v2.version, v2.level.as_deref(), v2.note.as_str()),
        (2, Some("3"), "稟議中")
    );

    // A colleague who still has version 1 on screen does not overwrite version 2.
    let other = Actor {
        user_id: None,
        label: "suzuki".into(),
    };
    match db
        .save_answer(&other, a.id, "ORG-1", 1, &level("1"))
        .await
        .unwrap()
    {
        Saved::Conflict(Some(current)) => assert_eq!(current.level.as_deref(), Some("3")),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Two people answering a new item at once: the second one is told.
    assert!(matches!(
        db.save_answer(&me, a.id, "OPS-1", 0, &level("1"))
            .await
            .unwrap(),
        Saved::Saved(_)
    ));
    assert!(matches!(
        db.save_answer(&other, a.id, "OPS-1", 0, &level("2"))
            .await
            .unwrap(),
        Saved::Conflict(Some(_))
    ));

    let history = db.answer_history(a.id, "ORG-1").await.unwrap();
    let versions: Vec<(i64, Option<&str>, &str)> = history
        .iter()
        .map(|h| (h.version, h.level.as_deref(), h.changed_by_label.as_str()))
        .collect();
    assert_eq!(
        versions,
        [(2, Some("3"), "yamada"), (1, Some("2"), "yamada")]
    );
    assert_eq!(db.answers(a.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_complete_assessment_is_read_only_and_can_be_copied() {
    let db = testing::fresh().await;
    let (site_id, me) = site(&db).await;
    let a = db
        .create_assessment(&me, site_id, "factory-guideline/v1", None)
        .await
        .unwrap();
    db.save_answer(
        &me,
        a.id,
        "ORG-1",
        0,
        &AnswerInput {
            note: "済".into(),
            ..level("3")
        },
    )
    .await
    .unwrap();
    db.save_answer(&me, a.id, "OPS-8", 0, &level("1"))
        .await
        .unwrap();
    db.complete_assessment(&me, a.id).await.unwrap();
    let done = db.assessment(a.id).await.unwrap();
    assert!(done.is_complete() && done.completed_at.is_some());
    let err = db
        .save_answer(&me, a.id, "OPS-8", 1, &level("3"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::NotDraft)),
        "{err:?}"
    );
    assert!(db.complete_assessment(&me, a.id).await.is_err());

    let b = db
        .create_assessment(&me, site_id, "factory-guideline/v1", Some(a.id))
        .await
        .unwrap();
    assert_eq!(b.copied_from, Some(a.id));
    let copied = db.answers(b.id).await.unwrap();
    assert_eq!(copied.len(), 2);
    assert!(copied.iter().all(|r| r.version == 1));
    assert_eq!(
        copied.iter().find(|r| r.item_id == "ORG-1").unwrap().note,
        "済"
    );
    assert_eq!(db.answer_history(b.id, "OPS-8").await.unwrap().len(), 1);
    // The copy is independent: editing it leaves the original alone.
    db.save_answer(&me, b.id, "OPS-8", 1, &level("3"))
        .await
        .unwrap();
    assert_eq!(
        db.answer(a.id, "OPS-8")
            .await
            .unwrap()
            .unwrap()
            .level
            .as_deref(),
        Some("1")
    );
    let listed: Vec<_> = db
        .assessments_of_site(site_id)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(listed, [b.id, a.id], "newest first");
    assert_eq!(db.assessments_of_org(done.org_id).await.unwrap().len(), 2);

    // Copies stay within the site.
    let c2 = company(&db, "別会社").await;
    let s2 = db
        .create_site(
            &Actor::cli(),
            c2.id,
            &NewSite {
                name: "工場".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        db.create_assessment(&me, s2.id, "factory-guideline/v1", Some(a.id))
            .await,
        Err(StoreError::Invalid(_))
    ));
}

#[tokio::test]
async fn a_factory_has_one_draft_at_a_time_and_a_draft_can_be_discarded() {
    let db = testing::fresh().await;
    let (site_id, me) = site(&db).await;
    let key = "factory-guideline/v1";
    let a = db.create_assessment(&me, site_id, key, None).await.unwrap();
    db.save_answer(&me, a.id, "ORG-1", 0, &level("3"))
        .await
        .unwrap();
    assert_eq!(db.draft_of_site(site_id).await.unwrap().unwrap().id, a.id);
    // Neither a second start nor an import may sit beside the draft.
    let second = db.create_assessment(&me, site_id, key, None).await;
    assert!(
        matches!(second, Err(StoreError::Conflict(Conflict::DraftExists))),
        "{second:?}"
    );
    let imported = db
        .import_assessment(&me, site_id, key, &[("ORG-1".to_string(), level("1"))])
        .await;
    assert!(
        matches!(imported, Err(StoreError::Conflict(_))),
        "{imported:?}"
    );
    assert_eq!(db.assessments_of_site(site_id).await.unwrap().len(), 1);
    // Discarding removes the draft with its answers and history; then a new one may start.
    db.discard_draft(&me, a.id).await.unwrap();
    assert!(matches!(
        db.assessment(a.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(db.answers(a.id).await.unwrap().is_empty());
    assert!(db.answer_history(a.id, "ORG-1").await.unwrap().is_empty());
    assert!(db.draft_of_site(site_id).await.unwrap().is_none());
    let b = db.create_assessment(&me, site_id, key, None).await.unwrap();
    // A complete assessment is never discarded.
    db.save_answer(&me, b.id, "ORG-1", 0, &level("3"))
        .await
        .unwrap();
    db.complete_assessment(&me, b.id).await.unwrap();
    assert!(matches!(
        db.discard_draft(&me, b.id).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(db.assessment(b.id).await.is_ok());
}

#[tokio::test]
async fn an_import_is_all_or_nothing() {
    let db = testing::fresh().await;
    let (site_id, me) = site(&db).await;
    let answers = vec![
        ("ORG-1".to_string(), level("3")),
        ("ORG-2".to_string(), level("na")),
    ];
    let a = db
        .import_assessment(&me, site_id, "factory-guideline/v1", &answers)
        .await
        .unwrap();
    assert_eq!(db.answers(a.id).await.unwrap().len(), 2);
    // A duplicate item makes the whole import fail; no assessment is left behind.
    let dup = vec![
        ("ORG-1".to_string(), level("3")),
        ("ORG-1".to_string(), level("2")),
    ];
    assert!(
        db.import_assessment(&me, site_id, "factory-guideline/v1", &dup)
            .await
            .is_err()
    );
    assert_eq!(db.assessments_of_site(site_id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_plan_tracks_measures_per_site() {
    let db = testing::fresh().await;
    let (site_id, me) = site(&db).await;
    let new = |measure: &str, due: Option<&str>| NewPlanItem {
        checklist: "factory-guideline/v1".into(),
        item_id: measure.split("-m").next().unwrap().into(),
        measure_id: measure.into(),
        owner: "山田".into(),
        due_date: due.map(String::from),
        assessment_id: None,
    };
    let p1 = db
        .add_plan_item(&me, site_id, &new("OPS-8-m1", Some("2027-03-31")))
        .await
        .unwrap();
    let p2 = db
        .add_plan_item(&me, site_id, &new("PHY-6-m2", Some("2026-12-31")))
        .await
        .unwrap();
    assert_eq!(p1.status, PlanStatus::Planned);
    let err = db
        .add_plan_item(&me, site_id, &new("OPS-8-m1", None))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(Conflict::MeasureInPlan { ref measure }) if measure == "OPS-8-m1"),
        "{err:?}"
    );

    let update = PlanUpdate {
        owner: "鈴木".into(),
        due_date: None,
        status: PlanStatus::InProgress,
        note: "見積中".into(),
    };
    let Saved::Saved(p1b) = db.update_plan_item(&me, p1.id, 1, &update).await.unwrap() else {
        panic!()
    };
    assert_eq!(
        (p1b.version, p1b.status, p1b.owner.as_str()),
        (2, PlanStatus::InProgress, "鈴木")
    );
    assert!(matches!(
        db.update_plan_item(&me, p1.id, 1, &update).await.unwrap(),
        Saved::Conflict(Some(_))
    ));
    let order: Vec<_> = db
        .plan_of_site(site_id)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(order, [p1.id, p2.id], "in progress first");
}

#[tokio::test]
async fn invitations_work_once_and_create_the_invited_role() {
    let db = testing::fresh().await;
    let c = company(&db, "山田製作所").await;
    let now = now_millis();
    let admin = Actor::cli();
    db.create_invitation(&admin, c.id, Role::CompanyMember, "h1", now + 60_000)
        .await
        .unwrap();
    db.create_invitation(&admin, c.id, Role::CompanyMember, "old", now - 1)
        .await
        .unwrap();
    let err = db
        .create_invitation(&admin, c.id, Role::AssociationAdmin, "h2", now + 60_000)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(db.open_invitations(c.id, now).await.unwrap().len(), 1);

    let new = |login: &str| NewUser {
        login: login.into(),
        display_name: String::new(),
        role: Role::Admin, // ignored: the invitation decides
        org_id: None,
        password_hash: "h".into(),
        locale: Locale::Ja,
    };
    assert!(matches!(
        db.accept_invitation("old", &new("late")).await,
        Err(StoreError::NotFound)
    ));
    let u = db.accept_invitation("h1", &new("suzuki")).await.unwrap();
    assert_eq!((u.role, u.org_id), (Role::CompanyMember, Some(c.id)));
    assert!(matches!(
        db.accept_invitation("h1", &new("again")).await,
        Err(StoreError::NotFound)
    ));
    assert!(db.open_invitations(c.id, now).await.unwrap().is_empty());

    // A taken login leaves the invitation unused.
    db.create_invitation(&admin, c.id, Role::CompanyMember, "h3", now + 60_000)
        .await
        .unwrap();
    assert!(matches!(
        db.accept_invitation("h3", &new("suzuki")).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(db.invitation("h3").await.unwrap().used_at.is_none());
}
