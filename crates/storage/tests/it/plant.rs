use kojo_core::ids::{AssetId, SiteId, ZoneId};
use kojo_core::plant::model::{AssetKind, ConduitKind, Importance, Plant};
use kojo_core::plant::simulate::{Size, simulate};
use kojo_storage::testing;
use kojo_storage::{Actor, Conflict, Invalid, NewSite, Store, StoreError};

use crate::company;

pub async fn site(db: &Store, company_name: &str) -> SiteId {
    let c = company(db, company_name).await;
    db.create_site(
        &Actor::cli(),
        c.id,
        &NewSite {
            name: "本社工場".into(),
            ..NewSite::default()
        },
    )
    .await
    .unwrap()
    .id
}

/// The model with its ids replaced by positions, to compare two stored copies.
fn shape(p: &Plant) -> String {
    let zone = |id: ZoneId| p.zones.iter().position(|z| z.id == id);
    let process = |id| p.processes.iter().position(|x| x.id == id);
    let asset = |id: AssetId| p.assets.iter().position(|a| a.id == id);
    let mut out = String::new();
    for z in &p.zones {
        let procs: Vec<_> = z.processes.iter().map(|x| process(*x)).collect();
        out += &format!(
            "Z {} {:?} {:?} {:?} {} {procs:?}\n",
            z.name, z.purpose, z.exposure, z.importance, z.sl_target
        );
    }
    for c in &p.conduits {
        out += &format!(
            "C {} {:?} {:?} {:?} {:?} {:?} {} {}\n",
            c.name,
            zone(c.a),
            zone(c.b),
            c.kind,
            c.direction,
            c.protocols,
            c.encrypted,
            c.always_on
        );
    }
    for a in &p.assets {
        let also: Vec<_> = a.also_in.iter().map(|z| zone(*z)).collect();
        let procs: Vec<_> = a.processes.iter().map(|x| process(*x)).collect();
        out += &format!(
            "A {} {} {:?} {:?} {also:?} {procs:?} {} {} {:?} {:?} {} {}\n",
            a.tag,
            a.name,
            a.kind,
            a.zone.and_then(zone),
            a.vendor,
            a.version,
            a.maintenance_end,
            a.status,
            a.safety,
            a.cloud_link
        );
    }
    for f in &p.flows {
        out += &format!(
            "F {:?} {:?} {} {}\n",
            asset(f.from),
            asset(f.to),
            f.data,
            f.protocol
        );
    }
    out
}

#[tokio::test]
async fn a_whole_plant_is_stored_and_read_back_unchanged() {
    let db = testing::fresh().await;
    let s = site(&db, "山田精機").await;
    assert_eq!(db.plant_revision(s).await.unwrap(), 0);
    let mut plant = simulate(
        Size {
            assets: 300,
            zones: 40,
            conduits: 120,
        },
        3,
    );
    plant.assets[0].also_in = vec![plant.zones[1].id];
    plant.assets[0].tag = "A-0001".into();
    let stored = db
        .replace_plant(&Actor::cli(), s, &plant, "simulate")
        .await
        .unwrap();
    assert_eq!(shape(&stored), shape(&plant));
    assert_eq!(db.plant(s).await.unwrap(), stored);
    let r1 = db.plant_revision(s).await.unwrap();
    assert!(r1 > 0);
    // Replacing again replaces (no duplicates) and moves the revision.
    let again = db
        .replace_plant(&Actor::cli(), s, &plant, "import")
        .await
        .unwrap();
    assert_eq!(again.assets.len(), 300);
    assert!(db.plant_revision(s).await.unwrap() > r1);
    let log = db
        .audit_log(Some(("plant", &s.to_string())), 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 2, "one audit entry per change");
}

#[tokio::test]
async fn a_broken_whole_plant_writes_nothing() {
    let db = testing::fresh().await;
    let s = site(&db, "山田精機").await;
    let good = simulate(
        Size {
            assets: 50,
            zones: 20,
            conduits: 30,
        },
        1,
    );
    db.replace_plant(&Actor::cli(), s, &good, "import")
        .await
        .unwrap();
    let before = db.plant(s).await.unwrap();
    // Two zones of the same name: refused, and the stored model is untouched.
    let mut twice = good.clone();
    twice.zones[1].name = twice.zones[0].name.clone();
    let err = db
        .replace_plant(&Actor::cli(), s, &twice, "import")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict(Conflict::NameTaken { kind: "zone", .. })
        ),
        "{err:?}"
    );
    // A conduit to a zone that is not in the model: refused too.
    let mut dangling = good.clone();
    dangling.conduits[0].b = ZoneId::new(999_999);
    let err = db
        .replace_plant(&Actor::cli(), s, &dangling, "import")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::MissingReference)),
        "{err:?}"
    );
    assert_eq!(db.plant(s).await.unwrap(), before);
}

#[tokio::test]
async fn records_are_edited_one_by_one_within_their_site_only() {
    let db = testing::fresh().await;
    let cli = Actor::cli();
    let mine = site(&db, "山田精機").await;
    let theirs = site(&db, "佐藤化学").await;
    let plant = simulate(
        Size {
            assets: 20,
            zones: 15,
            conduits: 20,
        },
        2,
    );
    let mine_model = db
        .replace_plant(&cli, mine, &plant, "import")
        .await
        .unwrap();
    let their_model = db
        .replace_plant(&cli, theirs, &plant, "import")
        .await
        .unwrap();

    // Edit a zone, add a process, link them.
    let mut zone = mine_model.zones[0].clone();
    zone.name = "インターネット（外部）".into();
    let mut process = mine_model.processes[0].clone();
    process.name = "新しい業務".into();
    process.importance = Importance::High;
    let p = db.save_process(&cli, mine, None, &process).await.unwrap();
    zone.processes = vec![p];
    db.save_zone(&cli, mine, Some(zone.id), &zone)
        .await
        .unwrap();
    let now = db.plant(mine).await.unwrap();
    assert_eq!(now.zones[0].name, "インターネット（外部）");
    assert_eq!(now.zones[0].processes, vec![p]);

    // Another site's zone can be neither edited nor linked to.
    let other_zone = their_model.zones[0].clone();
    let err = db
        .save_zone(&cli, mine, Some(other_zone.id), &other_zone)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    let mut asset = now.assets[0].clone();
    asset.zone = Some(other_zone.id);
    let err = db
        .save_asset(&cli, mine, Some(asset.id), &asset)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::MissingReference)),
        "{err:?}"
    );
    let mut conduit = now.conduits[0].clone();
    conduit.b = other_zone.id;
    assert!(db.save_conduit(&cli, mine, None, &conduit).await.is_err());
    assert!(matches!(
        db.delete_asset(&cli, mine, their_model.assets[0].id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(db.plant(theirs).await.unwrap(), their_model, "untouched");

    // Add an asset with a second zone, then delete a zone: the asset stays, zoneless.
    let mut new_asset = now.assets[0].clone();
    new_asset.name = "追加PLC".into();
    new_asset.kind = AssetKind::Plc;
    new_asset.zone = Some(now.zones[1].id);
    new_asset.also_in = vec![now.zones[2].id];
    let added = db.save_asset(&cli, mine, None, &new_asset).await.unwrap();
    db.delete_zone(&cli, mine, now.zones[1].id).await.unwrap();
    let after = db.plant(mine).await.unwrap();
    let kept = after.assets.iter().find(|a| a.id == added).unwrap();
    assert_eq!(kept.zone, None);
    assert_eq!(kept.also_in, vec![now.zones[2].id]);
    assert!(
        after
            .conduits
            .iter()
            .all(|c| c.a != now.zones[1].id && c.b != now.zones[1].id)
    );

    // A conduit kind change is kept; the zone name must stay unique.
    let mut c = after.conduits[0].clone();
    c.kind = ConduitKind::DataDiode;
    db.save_conduit(&cli, mine, Some(c.id), &c).await.unwrap();
    assert_eq!(
        db.plant(mine).await.unwrap().conduits[0].kind,
        ConduitKind::DataDiode
    );
    let mut dup = after.zones[1].clone();
    dup.name = after.zones[0].name.clone();
    assert!(matches!(
        db.save_zone(&cli, mine, Some(dup.id), &dup).await,
        Err(StoreError::Conflict(Conflict::NameTaken { .. }))
    ));
}

#[tokio::test]
async fn assets_change_together_within_their_site_or_not_at_all() {
    use kojo_storage::AssetChanges;
    let db = testing::fresh().await;
    let cli = Actor::cli();
    let mine = site(&db, "山田精機").await;
    let theirs = site(&db, "佐藤化学").await;
    let plant = simulate(
        Size {
            assets: 30,
            zones: 15,
            conduits: 20,
        },
        4,
    );
    let mut with_flow = plant.clone();
    with_flow.flows.push(kojo_core::plant::model::Flow {
        id: kojo_core::ids::FlowId::new(1),
        from: plant.assets[0].id,
        to: plant.assets[1].id,
        data: "レシピ".into(),
        protocol: String::new(),
        conduit: None,
    });
    let before = db
        .replace_plant(&cli, mine, &with_flow, "import")
        .await
        .unwrap();
    let their = db
        .replace_plant(&cli, theirs, &plant, "import")
        .await
        .unwrap();
    let revision = db.plant_revision(mine).await.unwrap();

    // Another site's zone in one new asset: nothing at all is written.
    let mut changed = before.assets[2].clone();
    changed.version = "V9.9".into();
    let mut stranger = before.assets[3].clone();
    stranger.zone = Some(their.zones[0].id);
    let bad = AssetChanges {
        insert: vec![stranger],
        update: vec![changed.clone()],
        delete: vec![before.assets[0].id],
    };
    let err = db
        .change_assets(&cli, mine, &bad, "register")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::MissingReference)),
        "{err:?}"
    );
    assert_eq!(db.plant(mine).await.unwrap(), before);
    assert_eq!(db.plant_revision(mine).await.unwrap(), revision);
    // Another site's asset cannot be changed or deleted either.
    for bad in [
        AssetChanges {
            update: vec![their.assets[0].clone()],
            ..AssetChanges::default()
        },
        AssetChanges {
            delete: vec![their.assets[0].id],
            ..AssetChanges::default()
        },
    ] {
        let err = db
            .change_assets(&cli, mine, &bad, "register")
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(Invalid::MissingReference)),
            "{err:?}"
        );
    }
    assert_eq!(db.plant(theirs).await.unwrap(), their);

    // Good changes: one updated (keeping its id), one deleted with its flow, one added.
    let mut added = before.assets[3].clone();
    added.name = "新しいPLC".into();
    added.also_in = vec![before.zones[1].id];
    let good = AssetChanges {
        insert: vec![added],
        update: vec![changed.clone()],
        delete: vec![before.assets[0].id],
    };
    let done = db
        .change_assets(&cli, mine, &good, "register")
        .await
        .unwrap();
    assert_eq!(done.flows_deleted, 1);
    assert_eq!(done.inserted.len(), 1);
    let after = db.plant(mine).await.unwrap();
    assert_eq!(after.assets.len(), before.assets.len());
    assert!(after.asset(before.assets[0].id).is_none());
    assert_eq!(after.asset(changed.id), Some(&changed));
    let new = after.asset(done.inserted[0]).unwrap();
    assert_eq!(new.name, "新しいPLC");
    assert_eq!(new.also_in, [before.zones[1].id]);
    assert!(after.flows.is_empty());
    assert!(db.plant_revision(mine).await.unwrap() > revision);
    let log = db
        .audit_log(Some(("plant", &mine.to_string())), 10)
        .await
        .unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "register").count(), 1);
}
