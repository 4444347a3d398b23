//! Vulnerability identification on a real database: real CISA advisories imported from files
//! (with a broken file and a KEV file among them), a plant whose PLC they name, priorities with
//! their explanation in both languages, statuses, a newer revision, what changed, and exports.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "test code: a panic is a failed run with its message, a test story reads top to bottom"
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kojo_core::ids::SiteId;
use kojo_core::org::{OrgKind, Role};
use kojo_core::vuln::advisory::Justification;
use kojo_core::vuln::priority::{MatchStatus, PriorityLevel};
use kojo_service::plant::{AssetDraft, ConduitDraft, ProcessDraft, ZoneDraft};
use kojo_service::vuln::{read_paths, vex_document, xlsx_of_matches};
use kojo_service::{Config, Error, Lang, Principal, Service, Who};
use kojo_storage::testing::{self, TestStore};
use kojo_storage::{Actor, NewOrg, NewSite, NewUser, StatusUpdate};

fn shared(rel: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|d| d.join("shared/data").join(rel))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("shared data {rel} not found"))
}

fn advisory(year: &str, name: &str) -> PathBuf {
    shared(&format!(
        "cisagov-csaf/csaf_files/OT/white/{year}/{name}.json"
    ))
}

async fn company(db: &TestStore, name: &str) -> (Who, SiteId) {
    let org = db
        .create_org(
            &Actor::cli(),
            OrgKind::Company,
            &NewOrg {
                name: name.into(),
                ..NewOrg::default()
            },
        )
        .await
        .unwrap();
    let user = db
        .create_user(
            &Actor::cli(),
            &NewUser {
                login: format!("user{}", org.id),
                display_name: String::new(),
                role: Role::CompanyAdmin,
                org_id: Some(org.id),
                password_hash: "x".into(),
                locale: kojo_core::Locale::Ja,
            },
        )
        .await
        .unwrap();
    let site = db
        .create_site(
            &Actor::cli(),
            org.id,
            &NewSite {
                name: "本社工場".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap();
    let who = Who::User(Principal {
        id: user.id,
        login: user.login,
        display_name: String::new(),
        role: Role::CompanyAdmin,
        org_id: Some(org.id),
    });
    (who, site.id)
}

/// A press line reachable through the vendor's maintenance line, with a MELSEC iQ-R PLC that
/// ICSA-21-334-02 and ICSA-22-356-03 name (firmware 56 is in their ranges).
async fn plant(svc: &Service, who: &Who, site: SiteId) {
    let press = svc
        .save_process(
            who,
            site,
            None,
            &ProcessDraft {
                name: "プレス加工".into(),
                importance: "3".into(),
                damages: vec!["safety".into()],
                impact: String::new(),
            },
        )
        .await
        .unwrap();
    let zone = |name: &str, purpose: &str, exposure: &str, processes| ZoneDraft {
        name: name.into(),
        purpose: purpose.into(),
        exposure: exposure.into(),
        sl_target: "2".into(),
        processes,
        ..ZoneDraft::default()
    };
    let control = svc
        .save_zone(
            who,
            site,
            None,
            &zone("プレスライン", "control", "internal", vec![press]),
        )
        .await
        .unwrap();
    let vendor = svc
        .save_zone(
            who,
            site,
            None,
            &zone("メーカー保守", "external", "vendor", vec![]),
        )
        .await
        .unwrap();
    svc.save_conduit(
        who,
        site,
        None,
        &ConduitDraft {
            name: "保守回線".into(),
            a: Some(vendor),
            b: Some(control),
            kind: "direct".into(),
            direction: "both".into(),
            ..ConduitDraft::default()
        },
    )
    .await
    .unwrap();
    for (name, model, version) in [
        ("プレス機 PLC", "R04CPU", "56"),
        ("予備 PLC", "R04CPU", "99"),
    ] {
        svc.save_asset(
            who,
            site,
            None,
            &AssetDraft {
                name: name.into(),
                kind: "plc".into(),
                zone: Some(control),
                vendor: "三菱電機".into(),
                product: "MELSEC iQ-R".into(),
                model: model.into(),
                version: version.into(),
                processes: vec![press],
                ..AssetDraft::default()
            },
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn real_advisories_match_a_plc_with_priorities_statuses_revisions_and_exports() {
    let db = testing::fresh().await;
    let catalog = Arc::new(kojo_content::load_embedded().expect("content"));
    let svc = Service::new(db.store.clone(), catalog, Config::default());
    let (who, site) = company(&db, "山田精機").await;
    let (stranger, _) = company(&db, "佐藤化学").await;
    plant(&svc, &who, site).await;

    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"document\": ").unwrap();
    let kev = dir.path().join("known_exploited_vulnerabilities.csv");
    std::fs::write(&kev, "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
        CVE-2021-20609,Mitsubishi Electric,MELSEC iQ-R,DoS,2024-01-10,x,y,2024-01-31,Unknown,,CWE-20\n").unwrap();
    let paths = vec![
        advisory("2021", "icsa-21-334-02"),
        advisory("2022", "icsa-22-356-03"),
        broken.clone(),
        kev.clone(),
    ];
    let mut seen = 0;
    let input = read_paths(&paths, &mut |_, _, _| seen += 1);
    assert_eq!(seen, 4);
    assert!(matches!(
        svc.vuln_import(&who, read_paths(&paths, &mut |_, _, _| {}))
            .await,
        Err(Error::Forbidden)
    ));
    let report = svc.vuln_import(&Who::Cli, input).await.unwrap();
    assert_eq!(
        (
            report.files,
            report.advisories,
            report.new,
            report.kev_entries
        ),
        (4, 2, 2, 1)
    );
    assert_eq!(report.failures.len(), 1);
    assert!(
        report.failures[0].file.ends_with("broken.json"),
        "{:?}",
        report.failures
    );
    assert!(report.cves >= 4, "{report:?}");
    let diff = report.sites.iter().find(|(s, _)| *s == site).unwrap().1;
    assert!(diff.new >= 4, "{diff:?}");

    let ja = svc.vuln_site(&who, site, &Lang::ja()).await.unwrap();
    assert!(
        ja.matches.iter().all(|m| m.asset == "プレス機 PLC"),
        "firmware 99 is past every fix"
    );
    assert_eq!(ja.unhandled, ja.matches.len());
    let top = &ja.matches[0];
    assert_eq!(top.cve, "CVE-2021-20609", "the KEV CVE comes first");
    assert!(top.kev);
    assert_eq!(top.priority.level, PriorityLevel::Urgent);
    assert!(
        top.explanation.contains("KEV") && top.explanation.contains("リモート"),
        "{}",
        top.explanation
    );
    assert!(
        ja.matches
            .windows(2)
            .all(|w| w[0].priority.score >= w[1].priority.score)
    );
    assert!(ja.matches.iter().any(|m| m.tracking_id == "ICSA-22-356-03"));
    assert!(top.remediations.iter().any(|r| !r.details.is_empty()));
    let en = svc.vuln_site(&who, site, &Lang::en()).await.unwrap();
    assert!(
        en.matches[0].explanation.contains("known to be exploited"),
        "{}",
        en.matches[0].explanation
    );
    assert!(
        en.matches[0].why.contains("matches"),
        "{}",
        en.matches[0].why
    );
    assert!(matches!(
        svc.vuln_site(&stranger, site, &Lang::ja()).await,
        Err(Error::NotFound)
    ));

    // The factory closes one with a justification.
    let closed = ja
        .matches
        .iter()
        .find(|m| m.tracking_id == "ICSA-22-356-03")
        .unwrap()
        .id;
    svc.vuln_set_status(
        &who,
        site,
        closed,
        &StatusUpdate {
            status: MatchStatus::NotAffected,
            justification: Some(Justification::VulnerableCodeNotInExecutePath),
            owner: "保全課".into(),
            due_date: None,
            note: String::new(),
        },
    )
    .await
    .unwrap();
    let before = i64::try_from(ja.matches.len()).unwrap();
    assert_eq!(svc.vuln_unhandled(&who, site).await.unwrap(), before - 1);

    // The same files again: nothing new, nothing re-matched.
    let again = svc
        .vuln_import(&Who::Cli, read_paths(&paths[..2], &mut |_, _, _| {}))
        .await
        .unwrap();
    assert_eq!((again.new, again.revised, again.unchanged), (0, 0, 2));
    assert!(again.sites.is_empty());

    // A newer revision of ICSA-22-356-03: its match moves to it and keeps the factory's status.
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&paths[1]).unwrap()).unwrap();
    doc["document"]["tracking"]["version"] = "7".into();
    doc["document"]["tracking"]["current_release_date"] = "2024-10-01T06:00:00.000000Z".into();
    let newer = dir.path().join("icsa-22-356-03-r7.json");
    std::fs::write(&newer, serde_json::to_vec(&doc).unwrap()).unwrap();
    let revised = svc
        .vuln_import(&Who::Cli, read_paths(&[newer], &mut |_, _, _| {}))
        .await
        .unwrap();
    assert_eq!(revised.revised, 1);
    let changes = svc.vuln_changes(&who, site).await.unwrap();
    assert!(
        !changes.is_empty()
            && changes
                .iter()
                .all(|c| c.change == "revised" && c.tracking_id == "ICSA-22-356-03"),
        "{changes:?}"
    );
    let after = svc.vuln_site(&who, site, &Lang::ja()).await.unwrap();
    let moved = after.matches.iter().find(|m| m.id == closed).unwrap();
    assert_eq!(
        (moved.revision.as_str(), moved.status),
        ("7", MatchStatus::NotAffected)
    );
    assert_eq!(svc.vuln_totals().await.unwrap().revisions, 3);

    // Exports.
    let xlsx = xlsx_of_matches(&after, &Lang::ja()).unwrap();
    assert_eq!(&xlsx[..2], b"PK");
    let vex = vex_document(&after, "山田精機", "2026-11-30T00:00:00Z");
    assert_eq!(vex["document"]["category"], "csaf_vex");
    let v = vex["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["cve"] == "CVE-2022-33324")
        .unwrap();
    assert_eq!(
        v["product_status"]["known_not_affected"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        v["flags"][0]["label"],
        "vulnerable_code_not_in_execute_path"
    );
    let kev_v = vex["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["cve"] == "CVE-2021-20609")
        .unwrap();
    assert!(kev_v["product_status"]["known_affected"].is_array());
}
