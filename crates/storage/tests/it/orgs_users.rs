use kojo_core::ids::OrgId;
use kojo_core::org::{OrgKind, Role};
use kojo_storage::testing;
use kojo_storage::{
    Actor, Conflict, Invalid, NewOrg, NewSite, NewUser, SCHEMA_VERSION, StoreError,
};

use crate::{company, org, user};

#[tokio::test]
async fn migrations_apply_once_and_report_the_version() {
    let db = testing::fresh().await;
    assert_eq!(db.schema_version().await.unwrap(), SCHEMA_VERSION);
    db.migrate().await.unwrap();
    assert_eq!(db.schema_version().await.unwrap(), SCHEMA_VERSION);
    db.ping().await.unwrap();
    assert_eq!(db.backend(), testing::backend());
}

#[tokio::test]
async fn organisations_memberships_and_sites() {
    let db = testing::fresh().await;
    let cli = Actor::cli();
    let ministry = db
        .create_org(&cli, OrgKind::Ministry, &org("経済産業省"))
        .await
        .unwrap();
    let a1 = db
        .create_org(
            &cli,
            OrgKind::Association,
            &NewOrg {
                sc3_member: true,
                ..org("日本工作機械団体")
            },
        )
        .await
        .unwrap();
    let a2 = db
        .create_org(&cli, OrgKind::Association, &org("化学工業団体"))
        .await
        .unwrap();
    let c1 = company(&db, "山田製作所").await;
    let c2 = company(&db, "佐藤化学").await;
    assert!(a1.sc3_member && !a2.sc3_member);

    // A company may belong to several associations; adding twice is harmless.
    db.add_membership(&cli, a1.id, c1.id).await.unwrap();
    db.add_membership(&cli, a2.id, c1.id).await.unwrap();
    db.add_membership(&cli, a2.id, c1.id).await.unwrap();
    db.add_membership(&cli, a2.id, c2.id).await.unwrap();
    assert_eq!(
        names(db.members(a2.id).await.unwrap()),
        ["佐藤化学", "山田製作所"]
    );
    assert_eq!(names(db.associations_of(c1.id).await.unwrap()).len(), 2);

    // Memberships only join companies to associations.
    let err = db.add_membership(&cli, c1.id, c2.id).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let err = db
        .add_membership(&cli, ministry.id, c2.id)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");

    // Names are unique per kind; a company may share a name with an association.
    let err = db
        .create_org(&cli, OrgKind::Company, &org("山田製作所"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    db.create_org(&cli, OrgKind::Association, &org("山田製作所"))
        .await
        .unwrap();

    // Listing orders ministry, associations, companies.
    let kinds: Vec<&str> = db
        .list_orgs(None)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.kind.as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "ministry",
            "association",
            "association",
            "association",
            "company",
            "company"
        ]
    );
    assert_eq!(db.list_orgs(Some(OrgKind::Company)).await.unwrap().len(), 2);

    // Sites belong to companies only, with unique names per company.
    let s = db
        .create_site(
            &cli,
            c1.id,
            &NewSite {
                name: "本社工場".into(),
                prefecture_code: Some("23".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(db.site(s.id).await.unwrap().name, "本社工場");
    db.create_site(
        &cli,
        c2.id,
        &NewSite {
            name: "本社工場".into(),
            ..NewSite::default()
        },
    )
    .await
    .unwrap();
    let err = db
        .create_site(
            &cli,
            c1.id,
            &NewSite {
                name: "本社工場".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let err = db
        .create_site(
            &cli,
            a1.id,
            &NewSite {
                name: "x".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(db.sites_of(c1.id).await.unwrap().len(), 1);

    let counts = db.org_counts().await.unwrap();
    let a2_counts = counts.iter().find(|c| c.0 == a2.id).unwrap();
    assert_eq!(a2_counts.1, 2, "members of a2");
    let c1_counts = counts.iter().find(|c| c.0 == c1.id).unwrap();
    assert_eq!(c1_counts.2, 1, "sites of c1");
}

/// Names come back in Japanese order on both databases (kana by 五十音, kanji by JIS order,
/// legal forms ignored), not in each database's own collation.
#[tokio::test]
async fn names_sort_in_japanese_order_on_both_databases() {
    let db = testing::fresh().await;
    let cli = Actor::cli();
    let assoc = db
        .create_org(&cli, OrgKind::Association, &org("団体"))
        .await
        .unwrap();
    for name in [
        "北陸化成",
        "株式会社山田精機",
        "カワサキ工業",
        "愛知製作所",
        "ＡＢＣ電子",
        "あおば化成",
    ] {
        let c = company(&db, name).await;
        db.add_membership(&cli, assoc.id, c.id).await.unwrap();
    }
    let expected = [
        "ＡＢＣ電子",
        "あおば化成",
        "カワサキ工業",
        "愛知製作所",
        "株式会社山田精機",
        "北陸化成",
    ];
    assert_eq!(
        names(db.list_orgs(Some(OrgKind::Company)).await.unwrap()),
        expected
    );
    assert_eq!(names(db.members(assoc.id).await.unwrap()), expected);
    let c = company(&db, "工場の多い会社").await;
    for name in ["本社工場", "第二工場", "あさひ工場"] {
        db.create_site(
            &cli,
            c.id,
            &NewSite {
                name: name.into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap();
    }
    let sites: Vec<String> = db
        .sites_of(c.id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(sites, ["あさひ工場", "第二工場", "本社工場"]);
}

#[tokio::test]
async fn bad_organisation_input_is_refused() {
    let db = testing::fresh().await;
    let cli = Actor::cli();
    let err = db
        .create_org(&cli, OrgKind::Company, &org("  "))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(Invalid::OrgNameRequired)));
    let bad = NewOrg {
        corporate_number: Some("12345".into()),
        ..org("x")
    };
    let err = db
        .create_org(&cli, OrgKind::Company, &bad)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::CorporateNumber { ref value }) if value == "12345"),
        "{err}"
    );
    assert!(db.list_orgs(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn users_have_roles_that_match_their_organisation() {
    let db = testing::fresh().await;
    let c = company(&db, "山田製作所").await;
    let a = db
        .create_org(&Actor::cli(), OrgKind::Association, &org("団体"))
        .await
        .unwrap();
    let admin = user(&db, "Admin@Example.JP", Role::Admin, None).await;
    assert_eq!(admin.login, "admin@example.jp");
    assert_eq!(admin.role, Role::Admin);
    assert!(db.admin_exists().await.unwrap());
    user(&db, "yamada", Role::CompanyAdmin, Some(c.id)).await;
    user(&db, "suzuki", Role::AssociationAdmin, Some(a.id)).await;

    let try_user = |login: &str, role, org_id| NewUser {
        login: login.into(),
        display_name: "x".into(),
        role,
        org_id,
        password_hash: "h".into(),
        locale: kojo_core::Locale::En,
    };
    for (new, why) in [
        (
            try_user("a1", Role::CompanyMember, Some(c.id)),
            "login too short",
        ),
        (
            try_user("x-admin", Role::Admin, Some(c.id)),
            "admin with an org",
        ),
        (
            try_user("x-member", Role::CompanyMember, None),
            "member without org",
        ),
        (
            try_user("x-wrong", Role::CompanyMember, Some(a.id)),
            "company role in an association",
        ),
        (
            try_user("x-ghost", Role::CompanyMember, Some(OrgId::new(999_999))),
            "unknown org",
        ),
        (
            try_user("bad login", Role::CompanyMember, Some(c.id)),
            "space in login",
        ),
    ] {
        let err = db.create_user(&Actor::cli(), &new).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{why}: {err:?}");
    }
    let err = db
        .create_user(
            &Actor::cli(),
            &try_user("YAMADA", Role::CompanyMember, Some(c.id)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(Conflict::LoginTaken { ref login }) if login == "yamada"),
        "{err:?}"
    );

    assert_eq!(db.list_users(Some(c.id)).await.unwrap().len(), 1);
    assert_eq!(db.list_users(None).await.unwrap().len(), 3);
    let found = db.user_by_login(" YAMADA ").await.unwrap();
    assert_eq!(found.role, Role::CompanyAdmin);
    db.set_locale(found.id, kojo_core::Locale::En)
        .await
        .unwrap();
    assert_eq!(
        db.user(found.id).await.unwrap().locale,
        kojo_core::Locale::En
    );
    assert!(matches!(
        db.user_by_login("nobody").await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn changes_are_audited_and_failures_leave_no_trace() {
    let db = testing::fresh().await;
    let c = company(&db, "山田製作所").await;
    let u = user(&db, "yamada", Role::CompanyAdmin, Some(c.id)).await;
    let before = db.audit_log(None, 100).await.unwrap();
    assert_eq!(before.len(), 2);
    assert_eq!(before[0].action, "create");
    assert_eq!(before[0].entity, "user");
    assert_eq!(
        before[0].entity_id.as_deref(),
        Some(u.id.to_string().as_str())
    );
    assert!(before[1].detail.as_deref().unwrap().contains("山田製作所"));

    // A refused change writes neither the record nor an audit entry.
    assert!(
        db.create_org(&Actor::cli(), OrgKind::Company, &org("山田製作所"))
            .await
            .is_err()
    );
    let after = db.audit_log(None, 100).await.unwrap();
    assert_eq!(after.len(), 2);

    db.set_password(&Actor::user(u.id, &u.login), u.id, "new-hash")
        .await
        .unwrap();
    let log = db
        .audit_log(Some(("user", &u.id.to_string())), 10)
        .await
        .unwrap();
    assert_eq!(log[0].action, "set_password");
    assert_eq!(log[0].actor, "yamada");
    assert_eq!(db.user(u.id).await.unwrap().password_hash, "new-hash");
}

fn names(orgs: Vec<kojo_storage::Org>) -> Vec<String> {
    orgs.into_iter().map(|o| o.name).collect()
}
