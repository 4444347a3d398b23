//! Vulnerability identification through the web: an administrator uploads real CISA advisories
//! (a zip with hash files, a tampered document, a broken file) and a KEV file; the factory sees
//! its matches with priority and remediation, records statuses (refused input stores nothing),
//! uses the API, downloads the xlsx (opened by a real reader) and the VEX, and sees the count
//! beside OPS-8 and the open matches on its plan; another company sees none of it.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Reader, Xlsx};
use kojo_core::ids::{AssetId, ConduitId, ProcessId, SiteId, ZoneId};
use kojo_core::org::{OrgKind, Role};
use kojo_core::plant::model::{
    Asset, AssetKind, Conduit, ConduitKind, Direction, Exposure, Importance, Plant, Process, Zone,
    ZonePurpose,
};
use kojo_storage::{Actor, NewSite};

use crate::support::{Reply, TestApp};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("shared/data").join(rel))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("shared data {rel} not found"))
}

fn advisory(year: &str, name: &str) -> Vec<u8> {
    std::fs::read(shared(&format!(
        "cisagov-csaf/csaf_files/OT/white/{year}/{name}.json"
    )))
    .unwrap()
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A multipart form: (field, file name for a file, content).
async fn multipart(
    app: &TestApp,
    cookie: &str,
    path: &str,
    fields: &[(&str, Option<&str>, &[u8])],
) -> Reply {
    let boundary = "kojo-vuln-boundary";
    let mut body = Vec::new();
    for (field, file, bytes) in fields {
        let file = file
            .map(|f| format!("; filename=\"{f}\"\r\nContent-Type: application/octet-stream"))
            .unwrap_or_default();
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"{file}\r\n\r\n"
            )
            .into_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    let req = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// An upload of several files in the field `file` to the import page.
async fn upload(app: &TestApp, cookie: &str, files: &[(&str, &[u8])]) -> Reply {
    let fields: Vec<(&str, Option<&str>, &[u8])> = files
        .iter()
        .map(|(name, bytes)| ("file", Some(*name), *bytes))
        .collect();
    multipart(app, cookie, "/admin/vulnerabilities", &fields).await
}

/// A press line whose PLC (MELSEC iQ-R R04CPU, firmware 56) the advisories name, reachable
/// from the maker's remote maintenance.
fn press_plant(with_plc: bool) -> Plant {
    let zone = |id, name: &str, purpose, exposure| Zone {
        id: ZoneId::new(id),
        name: name.into(),
        purpose,
        exposure,
        importance: None,
        sl_target: 2,
        processes: vec![ProcessId::new(1)],
    };
    let mut plc = Asset::new(AssetId::new(1), "プレス機 PLC", AssetKind::Plc);
    plc.zone = Some(ZoneId::new(1));
    plc.vendor = "三菱電機".into();
    plc.product = "MELSEC iQ-R".into();
    plc.model = "R04CPU".into();
    plc.version = "56".into();
    plc.processes = vec![ProcessId::new(1)];
    Plant {
        processes: vec![Process {
            id: ProcessId::new(1),
            name: "プレス加工".into(),
            importance: Importance::High,
            damages: vec![],
            impact: String::new(),
        }],
        zones: vec![
            zone(1, "プレスライン", ZonePurpose::Control, Exposure::Internal),
            zone(2, "メーカー保守", ZonePurpose::External, Exposure::Vendor),
        ],
        conduits: vec![Conduit {
            id: ConduitId::new(1),
            name: "保守回線".into(),
            a: ZoneId::new(2),
            b: ZoneId::new(1),
            kind: ConduitKind::Direct,
            direction: Direction::Both,
            protocols: vec![],
            encrypted: false,
            always_on: false,
            operator: String::new(),
        }],
        assets: if with_plc { vec![plc] } else { vec![] },
        flows: vec![],
    }
}

struct World {
    app: TestApp,
    admin: String,
    company: String,
    stranger: String,
    site: SiteId,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let org = app.org(OrgKind::Company, "山田精機").await;
    let other = app.org(OrgKind::Company, "佐藤化学").await;
    app.user("root", Role::Admin, None).await;
    app.user("a-admin", Role::CompanyAdmin, Some(org)).await;
    app.user("b-admin", Role::CompanyAdmin, Some(other)).await;
    let site = app
        .db
        .create_site(
            &Actor::cli(),
            org,
            &NewSite {
                name: "本社工場".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap();
    app.db
        .replace_plant(&Actor::cli(), site.id, &press_plant(true), "import")
        .await
        .unwrap();
    World {
        admin: app.sign_in("root").await,
        company: app.sign_in("a-admin").await,
        stranger: app.sign_in("b-admin").await,
        site: site.id,
        app,
    }
}

/// The number in "kojo found N unhandled vulnerabilities" on the page.
fn unhandled(body: &str) -> usize {
    let at = body.find("未対応の脆弱性を").expect("the OPS-8 sentence") + "未対応の脆弱性を".len();
    body[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn advisories_uploaded_by_an_administrator_become_the_factorys_matches_to_handle() {
    let w = world().await;
    let (app, site) = (&w.app, w.site);
    let page = format!("/sites/{site}/vulnerabilities");
    let r = app.get(&page, Some(&w.company)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"vuln-no-advisories\""), "{}", r.body);

    let a1 = advisory("2021", "icsa-21-334-02");
    let a2 = advisory("2022", "icsa-22-356-03");
    let tampered = advisory("2023", "icsa-23-031-01");
    let archive = zip_of(&[
        ("csaf/2021/icsa-21-334-02.json", &a1),
        (
            "csaf/2021/icsa-21-334-02.json.sha256",
            format!("{}  icsa-21-334-02.json\n", sha256(&a1)).as_bytes(),
        ),
        ("csaf/2022/icsa-22-356-03.json", &a2),
        ("csaf/2023/icsa-23-031-01.json", &tampered),
        (
            "csaf/2023/icsa-23-031-01.json.sha256",
            sha256(b"other").as_bytes(),
        ),
        ("csaf/index.txt", b"2021/icsa-21-334-02.json\n"),
        (
            "csaf/changes.csv",
            b"\"2021/icsa-21-334-02.json\",\"2024-01-01\"\n",
        ),
    ]);
    let kev = b"cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
        CVE-2021-20609,Mitsubishi Electric,MELSEC iQ-R,DoS,2024-01-10,x,y,2024-01-31,Unknown,,CWE-20\n";
    let files: [(&str, &[u8]); 3] = [
        ("csaf.zip", &archive),
        ("broken.json", b"{\"document\": {\"category\": 5"),
        ("known_exploited_vulnerabilities.csv", kev),
    ];
    // Only the instance administrator imports.
    let r = upload(app, &w.company, &files).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.db.vuln_totals().await.unwrap().advisories, 0);
    let r = upload(app, &w.admin, &files).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/admin/vulnerabilities?run="));
    let totals = app.db.vuln_totals().await.unwrap();
    assert_eq!(
        (totals.advisories, totals.kev),
        (2, 1),
        "the tampered document is not stored"
    );

    // The import page names each failed file and why, in the reader's language.
    let r = app.get("/admin/vulnerabilities", Some(&w.admin)).await;
    assert!(r.body.contains("アドバイザリ2件"), "{}", r.body);
    assert!(
        r.body.contains("取り込めなかったファイル：2件"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("broken.json：1行")
            && r.body.contains("CSAF 2.0のアドバイザリとして読めません"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("csaf.zip/csaf/2023/icsa-23-031-01.json：.sha256ファイルの値と一致しない"),
        "{}",
        r.body
    );
    app.post("/lang", &[("to", "en"), ("next", "/")], Some(&w.admin))
        .await;
    let r = app.get("/admin/vulnerabilities", Some(&w.admin)).await;
    assert!(
        r.body.contains("broken.json: line 1, column")
            && r.body.contains("not a readable CSAF 2.0 advisory")
            && r.body.contains("does not match its .sha256 file"),
        "{}",
        r.body
    );
    // The same files again store nothing new.
    upload(app, &w.admin, &files).await;
    assert_eq!(app.db.vuln_totals().await.unwrap(), totals);

    // The factory's page: the KEV CVE, its priority and remediation, what changed.
    let r = app.get(&page, Some(&w.company)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("data-cve=\"CVE-2021-20609\""), "{}", r.body);
    assert!(r.body.contains("悪用あり (KEV)"));
    assert!(r.body.contains("ICSA-21-334-02"));
    assert!(
        r.body.contains("から攻撃ルートで届きます"),
        "the reach is explained"
    );
    assert!(r.body.contains("新たに該当"), "what the import changed");
    let before = unhandled(&r.body);
    assert!(before >= 1);
    let rows = app.db.vuln_matches(site).await.unwrap();
    assert_eq!(rows.len(), before);
    let id = rows.iter().find(|m| m.cve == "CVE-2021-20609").unwrap().id;

    // 該当なし without a reason is refused and stores nothing.
    let status_path = format!("/sites/{site}/vulnerabilities/{id}");
    let r = app
        .post(
            &status_path,
            &[
                ("status", "not_affected"),
                ("justification", ""),
                ("owner", "保全課"),
            ],
            Some(&w.company),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("justification"), "{}", r.body);
    let row = |rows: Vec<kojo_storage::MatchRow>| rows.into_iter().find(|m| m.id == id).unwrap();
    assert_eq!(row(app.db.vuln_matches(site).await.unwrap()).owner, "");
    // Done: one fewer unhandled.
    let r = app
        .post(
            &status_path,
            &[
                ("status", "done"),
                ("owner", "保全課 田中"),
                ("due_date", "2026-12-24"),
                ("note", "ファームウェア更新済"),
            ],
            Some(&w.company),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(r.location(), Some(&w.company)).await;
    assert_eq!(unhandled(&r.body), before - 1);
    assert!(r.body.contains("保全課 田中") && r.body.contains("2026年12月24日"));
    assert!(r.body.contains("保存しました。"));

    // The API: the list, and a status with a VEX justification.
    let r = app
        .get(
            &format!("/api/sites/{site}/vulnerabilities"),
            Some(&w.company),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["unhandled"], before - 1);
    let other = rows.iter().find(|m| m.id != id).map(|m| m.id);
    if let Some(other) = other {
        let api = format!("/api/sites/{site}/vulnerabilities/{other}");
        let r = app
            .request_json(
                "PUT",
                &api,
                r#"{"status": "not_affected", "justification": "component_not_present"}"#,
                &w.company,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let m: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(m["status"], "not_affected");
        let r = app
            .request_json("PUT", &api, r#"{"status": "fixed"}"#, &w.company)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        // Another company cannot touch it.
        let r = app
            .request_json("PUT", &api, r#"{"status": "open"}"#, &w.stranger)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }

    // Downloads: the workbook read by a real reader, the VEX with the factory's answers.
    let bytes = app
        .send_bytes(&format!("/sites/{site}/vulnerabilities.xlsx"), &w.company)
        .await;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("脆弱性").unwrap();
    assert_eq!(sheet.rows().count(), rows.len() + 1);
    assert!(
        sheet
            .rows()
            .any(|r| r.iter().any(|c| *c == "CVE-2021-20609"))
    );
    let vex = app
        .send_bytes(
            &format!("/sites/{site}/vulnerabilities/vex.json"),
            &w.company,
        )
        .await;
    let vex: serde_json::Value = serde_json::from_slice(&vex).unwrap();
    assert_eq!(vex["document"]["category"], "csaf_vex");

    // OPS-8 shows the count; the plan lists what is open.
    let r = app
        .post(&format!("/sites/{site}/assessments"), &[], Some(&w.company))
        .await;
    let r = app.get(r.location(), Some(&w.company)).await;
    assert!(r.body.contains("id=\"vuln-found\""), "{}", r.body);
    assert!(r.body.contains(&format!(
        "未対応の脆弱性を{}件",
        before - 1 - usize::from(other.is_some())
    )));
    let r = app
        .get(&format!("/sites/{site}/plan"), Some(&w.company))
        .await;
    if before - 1 - usize::from(other.is_some()) > 0 {
        assert!(r.body.contains("id=\"plan-vulns\""), "{}", r.body);
    }
    assert!(
        !r.body.contains("CVE-2021-20609"),
        "a handled match leaves the plan"
    );

    // Another company sees nothing of it.
    for path in [
        page.clone(),
        format!("/sites/{site}/vulnerabilities.xlsx"),
        format!("/api/sites/{site}/vulnerabilities"),
    ] {
        let r = app.get(&path, Some(&w.stranger)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains("CVE-2021-20609"));
    }

    // The model changes (the PLC is gone): the page matches again by itself.
    app.db
        .replace_plant(&Actor::cli(), site, &press_plant(false), "import")
        .await
        .unwrap();
    let r = app.get(&page, Some(&w.company)).await;
    assert!(r.body.contains("id=\"vuln-none\""), "{}", r.body);
    assert!(app.db.vuln_matches(site).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_archive_bomb_is_refused_with_its_limit_and_stores_nothing() {
    let w = world().await;
    let big = vec![b' '; (32 << 20) + 1];
    let bomb = zip_of(&[("huge.json", &big)]);
    assert!(bomb.len() < 200_000);
    let r = upload(&w.app, &w.admin, &[("bomb.zip", &bomb)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w.app.get("/admin/vulnerabilities", Some(&w.admin)).await;
    assert!(
        r.body
            .contains("bomb.zip：アーカイブ内のhuge.jsonは展開すると33,554,433バイト"),
        "{}",
        r.body
    );
    assert_eq!(w.app.db.vuln_totals().await.unwrap().advisories, 0);
}

/// A form attaching one file to one asset.
async fn attach(
    app: &TestApp,
    cookie: &str,
    site: SiteId,
    asset: &str,
    name: &str,
    bytes: &[u8],
) -> Reply {
    let path = format!("/sites/{site}/vulnerabilities/documents");
    multipart(
        app,
        cookie,
        &path,
        &[
            ("asset", None, asset.as_bytes()),
            ("file", Some(name), bytes),
        ],
    )
    .await
}

fn rustsec(id: &str) -> Vec<u8> {
    std::fs::read(shared(&format!("rustsec-advisory-db-osv/crates/{id}.json"))).unwrap()
}

/// The CVE (or OSV id) of each match the site has, sorted.
async fn matched(app: &TestApp, site: SiteId) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = app
        .db
        .vuln_matches(site)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.cve, m.component, m.status.as_str().to_string()))
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn an_assets_sbom_finds_its_components_vulnerabilities_and_a_vex_closes_one_with_its_reason()
{
    let w = world().await;
    let (app, site) = (&w.app, w.site);
    // Real RustSec OSV records for tokio: three cover 1.19.2, two were fixed before it.
    let ids = [
        "RUSTSEC-2021-0072",
        "RUSTSEC-2021-0124",
        "RUSTSEC-2023-0001",
        "RUSTSEC-2023-0005",
        "RUSTSEC-2025-0023",
    ];
    let records: Vec<(String, Vec<u8>)> = ids
        .iter()
        .map(|i| (format!("{i}.json"), rustsec(i)))
        .collect();
    let files: Vec<(&str, &[u8])> = records
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let r = upload(app, &w.admin, &files).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.db.vuln_totals().await.unwrap().advisories, 5);
    let asset = app.db.plant(site).await.unwrap().assets[0].id.to_string();
    let page = format!("/sites/{site}/vulnerabilities");
    let r = app.get(&page, Some(&w.company)).await;
    assert!(r.body.contains("id=\"vuln-docs-none\""), "{}", r.body);

    // A real SPDX 2.3 SBOM whose packages include pkg:cargo/tokio@1.19.2.
    let sbom = std::fs::read(shared(
        "spdx-examples/software/example11/spdx2.3/sbom.spdx.json",
    ))
    .unwrap();
    let r = attach(app, &w.stranger, site, &asset, "sbom.spdx.json", &sbom).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another company cannot attach"
    );
    let r = attach(app, &w.company, site, &asset, "sbom.spdx.json", &sbom).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("attached="), "{}", r.location());
    let tokio = "tokio 1.19.2".to_string();
    let open = "open".to_string();
    assert_eq!(
        matched(app, site).await,
        vec![
            ("CVE-2023-22466".into(), tokio.clone(), open.clone()),
            ("RUSTSEC-2023-0005".into(), tokio.clone(), open.clone()),
            ("RUSTSEC-2025-0023".into(), tokio.clone(), open.clone()),
        ],
        "in range: matched; fixed before 1.19.2 (CVE-2021-38191, CVE-2021-45710): not"
    );
    let r = app.get(r.location(), Some(&w.company)).await;
    assert!(
        r.body.contains("SBOMの部品で見つかりました：tokio 1.19.2"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("バージョン1.20.3で修正") && r.body.contains("部品のパッケージURLが一致"),
        "the OSV fixed version is the remedy"
    );
    assert!(r.body.contains("sbom.spdx.json") && r.body.contains("SPDX JSON"));
    assert_eq!(unhandled(&r.body), 3);

    // The supplier's CycloneDX VEX: not affected by CVE-2023-22466 (named pipes are Windows only).
    let vex = br#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
      "vulnerabilities": [{"id": "CVE-2023-22466",
        "analysis": {"state": "not_affected", "justification": "code_not_reachable",
                     "detail": "Named pipes are only used on Windows; this gateway runs Linux."},
        "affects": [{"ref": "pkg:cargo/tokio@1.19.2"}]}]}"#;
    let r = attach(app, &w.company, site, &asset, "supplier-vex.cdx.json", vex).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rows = app.db.vuln_matches(site).await.unwrap();
    let closed = rows.iter().find(|m| m.cve == "CVE-2023-22466").unwrap();
    assert_eq!(closed.status.as_str(), "not_affected");
    assert_eq!(closed.justification.as_deref(), Some("code_not_reachable"));
    assert!(
        closed.note.contains("only used on Windows"),
        "{}",
        closed.note
    );
    let r = app.get(&page, Some(&w.company)).await;
    assert_eq!(unhandled(&r.body), 2);
    assert!(
        r.body
            .contains("VEXに「影響なし」または「修正済み」とあります"),
        "{}",
        r.body
    );
    // Its form preselects the nearest CSAF label, so saving an owner as shown works.
    let li = &r.body[r.body.find(&format!("id=\"m{}\"", closed.id)).unwrap()..];
    let li = &li[..li.find("</form>").unwrap()];
    assert!(
        li.contains("value=\"vulnerable_code_not_in_execute_path\" selected"),
        "{li}"
    );
    let r = app
        .post(
            &format!("/sites/{site}/vulnerabilities/{}", closed.id),
            &[
                ("status", "not_affected"),
                ("justification", "vulnerable_code_not_in_execute_path"),
                ("owner", "保全課"),
                ("due_date", ""),
                ("note", &closed.note),
            ],
            Some(&w.company),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Files that are not SBOM or VEX, or broken ones, are refused with where and why; nothing is stored.
    let before = app
        .db
        .vuln_asset_documents(site, false)
        .await
        .unwrap()
        .len();
    let r = attach(
        app,
        &w.company,
        site,
        &asset,
        "page.html",
        b"<html><body>hi</body></html>",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("page.html：kojoが読めるSBOM・VEXではありません"),
        "{}",
        r.body
    );
    let broken = b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\",\n \"components\": [{\"type\": \"library\"}]}";
    let r = attach(app, &w.company, site, &asset, "broken.cdx.json", broken).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("broken.cdx.json：CycloneDX JSONとして読みましたが、2行")
            && r.body.contains("name"),
        "{}",
        r.body
    );
    app.post("/lang", &[("to", "en"), ("next", "/")], Some(&w.company))
        .await;
    let r = attach(app, &w.company, site, &asset, "broken.cdx.json", broken).await;
    assert!(
        r.body
            .contains("broken.cdx.json: read as CycloneDX JSON, but line 2, column"),
        "{}",
        r.body
    );
    let r = attach(app, &w.company, site, "999999", "sbom.spdx.json", &sbom).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "an asset of no site of theirs"
    );
    assert_eq!(
        app.db
            .vuln_asset_documents(site, false)
            .await
            .unwrap()
            .len(),
        before
    );

    // The same through the API: the list, a refused document located, an accepted one.
    let r = app
        .get(
            &format!("/api/sites/{site}/vulnerabilities/documents"),
            Some(&w.company),
        )
        .await;
    let listed: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["sbom.spdx.json", "supplier-vex.cdx.json"]);
    assert!(
        listed[0].get("document").is_none(),
        "the list carries no text"
    );
    let api = format!("/api/sites/{site}/assets/{asset}/documents");
    let body = serde_json::json!({"file_name": "broken.cdx.json", "document": String::from_utf8_lossy(broken)});
    let r = app
        .request_json("POST", &api, &body.to_string(), &w.company)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("broken.cdx.json: read as CycloneDX JSON, but line 2"),
        "{}",
        r.body
    );
    let tv = "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: gateway\n\
              DocumentNamespace: https://example.com/gateway\n\n\
              PackageName: tokio\nSPDXID: SPDXRef-tokio\nPackageVersion: 1.19.2\nPackageDownloadLocation: NOASSERTION\n\
              ExternalRef: PACKAGE-MANAGER purl pkg:cargo/tokio@1.19.2\n";
    let body = serde_json::json!({"file_name": "gateway.spdx", "document": tv});
    let r = app
        .request_json("POST", &api, &body.to_string(), &w.stranger)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .request_json("POST", &api, &body.to_string(), &w.company)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (made["format"].as_str(), made["components"].as_i64()),
        (Some("SPDX tag-value"), Some(1))
    );
    let gateway = made["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/sites/{site}/vulnerabilities/documents/{gateway}/delete"),
            &[],
            Some(&w.company),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // Removing the SBOM removes what it found.
    let docs = app.db.vuln_asset_documents(site, false).await.unwrap();
    let sbom_doc = docs
        .iter()
        .find(|d| d.file_name == "sbom.spdx.json")
        .unwrap()
        .id;
    let r = app
        .post(
            &format!("/sites/{site}/vulnerabilities/documents/{sbom_doc}/delete"),
            &[],
            Some(&w.stranger),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(
            &format!("/sites/{site}/vulnerabilities/documents/{sbom_doc}/delete"),
            &[],
            Some(&w.company),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(matched(app, site).await.is_empty());
}
