//! Advisories with every revision kept, KEV entries, a site's matches and their statuses.

use kojo_core::date::Date;
use kojo_core::plant::simulate::{Size, simulate};
use kojo_core::vuln::advisory::Justification;
use kojo_core::vuln::kev::{KevEntry, RansomwareUse};
use kojo_core::vuln::matching::Verdict;
use kojo_core::vuln::priority::MatchStatus;
use kojo_storage::testing;
use kojo_storage::{
    Actor, AdvisoryIn, AssetDocIn, MatchDiff, MatchIn, StatusUpdate, Store, StoreError, Stored,
    VexSettled,
};

use crate::plant::site;

fn advisory<'a>(revision: &'a str, release: &'a str, digest: &'a str) -> AdvisoryIn<'a> {
    AdvisoryIn {
        namespace: "https://www.cisa.gov/",
        tracking_id: "ICSA-24-001-01",
        revision,
        current_release: release,
        title: "Example PLC",
        publisher: "CISA",
        document: "{}",
        digest,
        cves: vec![
            ("CVE-2024-0001".into(), Some(9.8)),
            ("CVE-2024-0002".into(), None),
        ],
        products: vec![(
            "CSAFPID-0001".into(),
            "Mitsubishi Electric".into(),
            "MELSEC iQ-R".into(),
            "<=1.2".into(),
        )],
    }
}

async fn store_one(db: &Store, a: AdvisoryIn<'_>) -> Stored {
    let run = db.vuln_begin_run(&Actor::cli()).await.unwrap();
    db.vuln_store_advisories(run, &[a]).await.unwrap()[0]
}

#[tokio::test]
async fn every_revision_is_kept_the_newest_is_latest_and_the_same_file_twice_changes_nothing() {
    let db = testing::fresh().await;
    assert_eq!(
        store_one(&db, advisory("2", "2024-02-01", "d2")).await,
        Stored::New
    );
    assert_eq!(
        store_one(&db, advisory("2", "2024-02-01", "d2")).await,
        Stored::Unchanged
    );
    assert_eq!(
        store_one(&db, advisory("10", "2024-05-01", "d10")).await,
        Stored::Revision { latest: true },
        "10 is newer than 2 (compared as versions)"
    );
    assert_eq!(
        store_one(&db, advisory("1", "2024-01-01", "d1")).await,
        Stored::Revision { latest: false },
        "an older revision imported late is kept, not made the latest"
    );
    let all = db.vuln_advisory_rows(false).await.unwrap();
    assert_eq!(all.len(), 3);
    let latest = db.vuln_latest_documents().await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].0.revision, "10");
    let totals = db.vuln_totals().await.unwrap();
    assert_eq!(
        (
            totals.advisories,
            totals.revisions,
            totals.cves,
            totals.products
        ),
        (1, 3, 2, 1)
    );
    let cvss = db.vuln_cvss().await.unwrap();
    assert_eq!(
        cvss.get(&(latest[0].0.id, "CVE-2024-0001".into())),
        Some(&9.8)
    );
    assert_eq!(cvss.len(), 1, "no score, no entry");
}

#[tokio::test]
async fn one_batch_behaves_as_if_each_revision_were_stored_alone() {
    let db = testing::fresh().await;
    store_one(&db, advisory("3", "2024-03-01", "d3")).await;
    let run = db.vuln_begin_run(&Actor::cli()).await.unwrap();
    let out = db
        .vuln_store_advisories(
            run,
            &[
                advisory("2", "2024-02-01", "d2"),
                advisory("4", "2024-04-01", "d4"),
                advisory("4", "2024-04-01", "d4"),
                // The publisher re-issued 3 with other bytes, then 5 came out.
                advisory("3", "2024-03-01", "d3b"),
                advisory("5", "2024-05-01", "d5"),
                advisory("5", "2024-05-01", "d5b"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        out,
        [
            Stored::Revision { latest: false },
            Stored::Revision { latest: true },
            Stored::Unchanged,
            Stored::Revision { latest: false },
            Stored::Revision { latest: true },
            Stored::Revision { latest: true },
        ]
    );
    let mut all: Vec<(String, bool)> = db
        .vuln_advisory_rows(false)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.revision, r.latest))
        .collect();
    all.sort();
    assert_eq!(
        all,
        [
            ("2".into(), false),
            ("3".into(), false),
            ("4".into(), false),
            ("5".into(), true)
        ]
    );
    let latest = db.vuln_latest_documents().await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(db.vuln_totals().await.unwrap().revisions, 4);
    let digests = db.vuln_advisory_rows(false).await.unwrap();
    assert_eq!(
        digests.len(),
        4,
        "3 and 5 each stored once, with their last bytes"
    );
}

#[tokio::test]
async fn kev_entries_are_upserted() {
    let db = testing::fresh().await;
    let run = db.vuln_begin_run(&Actor::cli()).await.unwrap();
    let entry = |due| KevEntry {
        cve: "CVE-2024-0001".into(),
        vendor: "Example".into(),
        product: "PLC".into(),
        name: "Example PLC RCE".into(),
        date_added: Date::new(2024, 3, 1).unwrap(),
        due_date: Date::new(2024, 3, due),
        ransomware: RansomwareUse::Known,
        cwes: vec![],
    };
    assert_eq!(
        db.vuln_store_kev(run, "2024.1", &[entry(21)])
            .await
            .unwrap(),
        1
    );
    db.vuln_store_kev(run, "2024.2", &[entry(22)])
        .await
        .unwrap();
    let kev = db.vuln_kev().await.unwrap();
    assert_eq!(kev.len(), 1);
    assert_eq!(kev[0].due_date, Date::new(2024, 3, 22));
    assert_eq!(kev[0].ransomware, RansomwareUse::Known);
}

#[tokio::test]
async fn matches_keep_their_status_across_revisions_and_log_what_changed() {
    let db = testing::fresh().await;
    let s = site(&db, "山田精機").await;
    let plant = simulate(
        Size {
            assets: 300,
            zones: 40,
            conduits: 120,
        },
        1,
    );
    let plant = db
        .replace_plant(&Actor::cli(), s, &plant, "simulate")
        .await
        .unwrap();
    let (a1, a2) = (plant.assets[0].id, plant.assets[1].id);
    let run1 = db.vuln_begin_run(&Actor::cli()).await.unwrap();
    db.vuln_store_advisories(run1, &[advisory("1", "2024-01-01", "d1")])
        .await
        .unwrap();
    let rev1 = db.vuln_latest_documents().await.unwrap()[0].0.id;
    let m = |asset, advisory_id, cve: &str| MatchIn {
        asset_id: asset,
        asset_name: format!("asset {asset}"),
        advisory_id,
        tracking_id: "ICSA-24-001-01".into(),
        revision: "1".into(),
        cve: cve.into(),
        product_id: "CSAFPID-0001".into(),
        verdict: Verdict::Affected,
        confidence: 95,
        reasons: "{}".into(),
        component: String::new(),
        vex: None,
    };
    let found = [m(a1, rev1, "CVE-2024-0001"), m(a2, rev1, "CVE-2024-0002")];
    let diff = db
        .vuln_replace_matches(&Actor::cli(), s, Some(run1), 1, &found)
        .await
        .unwrap();
    assert_eq!(
        diff,
        MatchDiff {
            new: 2,
            ..MatchDiff::default()
        }
    );
    assert_eq!(db.vuln_unhandled(s).await.unwrap(), 2);
    let rows = db.vuln_matches(s).await.unwrap();
    let first = rows.iter().find(|r| r.asset_id == a1).unwrap().id;
    let mut update = StatusUpdate {
        status: MatchStatus::NotAffected,
        justification: None,
        owner: "保全課 田中".into(),
        due_date: Date::new(2025, 1, 31),
        note: String::new(),
    };
    let refused = db.vuln_set_status(&Actor::cli(), s, first, &update).await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "not affected needs a justification"
    );
    update.justification = Some(Justification::VulnerableCodeNotInExecutePath);
    db.vuln_set_status(&Actor::cli(), s, first, &update)
        .await
        .unwrap();
    assert_eq!(db.vuln_unhandled(s).await.unwrap(), 1);
    let other_site = site(&db, "別会社").await;
    assert!(matches!(
        db.vuln_set_status(&Actor::cli(), other_site, first, &update)
            .await,
        Err(StoreError::NotFound)
    ));
    // Revision 2: the first match is found again under it, the second is gone.
    let run2 = db.vuln_begin_run(&Actor::cli()).await.unwrap();
    db.vuln_store_advisories(run2, &[advisory("2", "2024-02-01", "d2")])
        .await
        .unwrap();
    let rev2 = db.vuln_latest_documents().await.unwrap()[0].0.id;
    assert_ne!(rev1, rev2);
    let diff = db
        .vuln_replace_matches(
            &Actor::cli(),
            s,
            Some(run2),
            2,
            &[m(a1, rev2, "CVE-2024-0001")],
        )
        .await
        .unwrap();
    assert_eq!(
        diff,
        MatchDiff {
            revised: 1,
            gone: 1,
            ..MatchDiff::default()
        }
    );
    let rows = db.vuln_matches(s).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].advisory_id, rev2);
    assert_eq!(
        rows[0].status,
        MatchStatus::NotAffected,
        "the factory's answer stays"
    );
    assert_eq!(
        rows[0].justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    assert_eq!(rows[0].owner, "保全課 田中");
    assert_eq!(db.vuln_matched_revision(s).await.unwrap(), Some(2));
    let changes = db.vuln_changes(s, None).await.unwrap();
    let kinds: Vec<&str> = changes.iter().map(|c| c.change.as_str()).collect();
    assert_eq!(kinds, ["gone", "revised"]);
    assert_eq!(db.vuln_changes(s, Some(run1)).await.unwrap().len(), 2);
    // The same matches again change nothing and write no audit entry.
    let diff = db
        .vuln_replace_matches(
            &Actor::cli(),
            s,
            Some(run2),
            2,
            &[m(a1, rev2, "CVE-2024-0001")],
        )
        .await
        .unwrap();
    assert_eq!(
        diff,
        MatchDiff {
            kept: 1,
            ..MatchDiff::default()
        }
    );
    let log = db
        .audit_log(Some(("vuln_matches", &s.to_string())), 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    let log = db
        .audit_log(Some(("vuln_match", &first.to_string())), 10)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
}

#[tokio::test]
async fn vex_settles_new_and_open_matches_only_and_documents_stay_with_their_site() {
    let db = testing::fresh().await;
    let s = site(&db, "山田精機").await;
    let other = site(&db, "別会社").await;
    let plant = simulate(
        Size {
            assets: 20,
            zones: 4,
            conduits: 6,
        },
        2,
    );
    let plant = db
        .replace_plant(&Actor::cli(), s, &plant, "simulate")
        .await
        .unwrap();
    let (a1, a2) = (plant.assets[0].id, plant.assets[1].id);
    let run = db.vuln_begin_run(&Actor::cli()).await.unwrap();
    db.vuln_store_advisories(run, &[advisory("1", "2024-01-01", "d1")])
        .await
        .unwrap();
    let row = db.vuln_latest_documents().await.unwrap()[0].0.id;
    let settled = VexSettled {
        status: MatchStatus::NotAffected,
        justification: Some(Justification::ComponentNotPresent),
        note: "VEX ACME-VEX-1 rev 1: the web server is not shipped".into(),
    };
    let m = |asset, vex: Option<VexSettled>, component: &str| MatchIn {
        asset_id: asset,
        asset_name: format!("asset {asset}"),
        advisory_id: row,
        tracking_id: "ICSA-24-001-01".into(),
        revision: "1".into(),
        cve: "CVE-2024-0001".into(),
        product_id: "CSAFPID-0001".into(),
        verdict: Verdict::Affected,
        confidence: 100,
        reasons: "{}".into(),
        component: component.into(),
        vex,
    };
    // a1 is new and settled by VEX; a2 is new and open, answered "in progress" by the factory.
    db.vuln_replace_matches(
        &Actor::cli(),
        s,
        None,
        1,
        &[
            m(a1, Some(settled.clone()), "openssl 1.0.2"),
            m(a2, None, ""),
        ],
    )
    .await
    .unwrap();
    let rows = db.vuln_matches(s).await.unwrap();
    let r1 = rows.iter().find(|r| r.asset_id == a1).unwrap();
    assert_eq!(r1.status, MatchStatus::NotAffected);
    assert_eq!(r1.justification.as_deref(), Some("component_not_present"));
    assert_eq!(r1.note, settled.note);
    assert_eq!(r1.component, "openssl 1.0.2");
    let r2 = rows.iter().find(|r| r.asset_id == a2).unwrap().id;
    let answer = StatusUpdate {
        status: MatchStatus::InProgress,
        justification: None,
        owner: "保全課".into(),
        due_date: None,
        note: "更新を手配中".into(),
    };
    db.vuln_set_status(&Actor::cli(), s, r2, &answer)
        .await
        .unwrap();
    // Now VEX settles both: the factory's own answer on a2 is not overwritten.
    db.vuln_replace_matches(
        &Actor::cli(),
        s,
        None,
        1,
        &[
            m(a1, Some(settled.clone()), "openssl 1.0.2"),
            m(a2, Some(settled.clone()), ""),
        ],
    )
    .await
    .unwrap();
    let rows = db.vuln_matches(s).await.unwrap();
    let r2 = rows.iter().find(|r| r.asset_id == a2).unwrap();
    assert_eq!(r2.status, MatchStatus::InProgress);
    assert_eq!(r2.note, "更新を手配中");
    assert_eq!(db.vuln_unhandled(s).await.unwrap(), 1);

    // Documents: attached to the site's own asset only, listed with or without the text.
    let doc = AssetDocIn {
        asset: a1,
        file_name: "plc-sbom.cdx.json",
        format: "CycloneDX JSON",
        components: 3,
        statements: 1,
        document: "{\"bomFormat\": \"CycloneDX\"}",
    };
    let id = db
        .vuln_add_asset_document(&Actor::cli(), s, &doc)
        .await
        .unwrap();
    assert!(matches!(
        db.vuln_add_asset_document(&Actor::cli(), other, &doc).await,
        Err(StoreError::NotFound)
    ));
    let listed = db.vuln_asset_documents(s, false).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].id,
            listed[0].components,
            listed[0].document.as_str()
        ),
        (id, 3, "")
    );
    let full = db.vuln_asset_documents(s, true).await.unwrap();
    assert_eq!(full[0].document, doc.document);
    assert!(
        db.vuln_asset_documents(other, true)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        db.vuln_delete_asset_document(&Actor::cli(), other, id)
            .await,
        Err(StoreError::NotFound)
    ));
    db.vuln_delete_asset_document(&Actor::cli(), s, id)
        .await
        .unwrap();
    assert!(db.vuln_asset_documents(s, false).await.unwrap().is_empty());
}
