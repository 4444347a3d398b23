//! Vulnerability identification in headless Chromium, as a newcomer would: the administrator
//! uploads real CISA advisories (a zip), the KEV catalogue and a broken file; a factory member
//! reads an asset register into the demo plant, opens the vulnerabilities page from the model,
//! filters it, records a status and downloads the list — in Japanese and English, at 1366 px
//! and 390 px, with axe-core finding nothing serious, and no request leaving the host.

use std::io::Write;

use fantoccini::Locator;

use crate::a11y::axe;
use crate::browser::factory_register;
use crate::forms::PASSWORD;
use crate::support::{Browser, Server, fresh_db, kojo, shared};

fn run(db: &str, args: &[&str], stdin: Option<&str>) -> String {
    let o = kojo(db, args, stdin);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The advisories that name the demo's press PLC (MELSEC iQ-R R04CPU, firmware 56), zipped as
/// CISA publishes them (with their .sha512 files).
fn advisories_zip(path: &std::path::Path) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (year, name) in [
        ("2021", "icsa-21-334-02"),
        ("2022", "icsa-22-356-03"),
        ("2023", "icsa-23-143-03"),
    ] {
        for ext in ["json", "json.sha512"] {
            let rel = format!("csaf_files/OT/white/{year}/{name}.{ext}");
            let bytes = std::fs::read(shared(&format!("cisagov-csaf/{rel}"))).unwrap();
            w.start_file(rel, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&bytes).unwrap();
        }
    }
    w.finish().unwrap();
}

async fn no_serious_violations(b: &Browser, page: &str) {
    let serious: Vec<String> = axe(b)
        .await
        .into_iter()
        .filter(|v| v.impact == "serious" || v.impact == "critical")
        .map(|v| format!("{} [{}] {} {:?}", v.rule, v.impact, v.help, v.nodes))
        .collect();
    assert!(serious.is_empty(), "{page}: {}", serious.join("\n"));
}

async fn sign_in(b: &Browser, url: &dyn Fn(&str) -> String, login: &str) {
    b.client.goto(&url("/login")).await.unwrap();
    b.fill("#login", login).await;
    b.fill("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.wait_count("#logout", 1).await;
}

async fn choose_files(b: &Browser, css: &str, files: &[&std::path::Path]) {
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(&paths.join("\n"))
        .await
        .unwrap();
}

#[tokio::test]
async fn an_administrator_imports_advisories_and_a_factory_handles_its_matches() {
    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    run(&db.url, &["migrate"], None);
    run(
        &db.url,
        &["org", "add", "--kind", "company", "山田精機"],
        None,
    );
    let site = run(
        &db.url,
        &["site", "add", "--org", "山田精機", "本社工場"],
        None,
    )
    .split("(id ")
    .nth(1)
    .unwrap()
    .trim_end_matches([')', '\n'])
    .to_string();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo_plant.toml");
    run(&db.url, &["plant", "import", "--site", &site, demo], None);
    for (login, role, org) in [
        ("root", "admin", None),
        ("yamada", "company-member", Some("山田精機")),
    ] {
        let mut args = vec!["user", "add", login, "--role", role, "--password-stdin"];
        if let Some(org) = org {
            args.extend(["--org", org]);
        }
        run(&db.url, &args, Some(&format!("{PASSWORD}\n")));
    }
    let zip = dir.path().join("cisa-ics.zip");
    advisories_zip(&zip);
    let kev = shared("cisagov-kev-data/known_exploited_vulnerabilities.json");
    let broken = dir.path().join("壊れた.json");
    std::fs::write(&broken, "{\"document\": {\"title\": ").unwrap();
    let register = dir.path().join("設備台帳.xlsx");
    factory_register(
        &register,
        &[[
            "T-200",
            "梱包機 PLC",
            "三菱電機",
            "R04CPU",
            "56",
            "",
            "切削・検査",
        ]],
    );

    let server = Server::start(&db.url, &[]);
    let b = Browser::start().await;
    b.client.set_window_size(1366, 900).await.unwrap();
    let url = |p: &str| format!("{}{p}", server.url);

    // The administrator finds the import page in the menu and uploads three files.
    sign_in(&b, &url, "root").await;
    b.click("#nav-vuln-admin").await;
    b.wait_count("#vuln-upload", 1).await;
    no_serious_violations(&b, "/admin/vulnerabilities (empty)").await;
    let osv = shared("rustsec-advisory-db-osv/crates/RUSTSEC-2023-0001.json");
    choose_files(&b, "#vuln-files", &[&zip, &kev, &broken, &osv]).await;
    b.click("#vuln-import").await;
    b.wait_count("#vuln-runs li", 1).await;
    let totals = b.text("#vuln-totals").await;
    assert!(
        totals.contains("アドバイザリ4件"),
        "3 CSAF and 1 OSV: {totals}"
    );
    assert!(totals.contains("KEV 1"), "{totals}");
    let failures = b.text(".run-failures").await;
    assert!(
        failures.contains("壊れた.json：1行")
            && failures.contains("CSAF 2.0のアドバイザリとして読めません"),
        "{failures}"
    );
    no_serious_violations(&b, "/admin/vulnerabilities").await;
    b.screenshot("vuln-admin-ja").await;
    b.click("#logout").await;
    b.wait_count("#login", 1).await;

    // A factory member reads a register into the model, then opens the vulnerabilities.
    sign_in(&b, &url, "yamada").await;
    let plant = format!("/sites/{site}/plant");
    b.client.goto(&url(&plant)).await.unwrap();
    choose_files(&b, "#register-file", &[&register]).await;
    b.click("#register-submit").await;
    b.wait_count("#plant-notice", 1).await;
    b.click("#nav-plant-vuln").await;
    b.wait_count("#vuln-matches", 1).await;
    let ops8 = b.text("#vuln-ops8").await;
    assert!(ops8.contains("未対応の脆弱性を"), "{ops8}");
    let list = b.text(".vuln-list").await;
    assert!(
        list.contains("梱包機 PLC"),
        "the register's PLC is matched: {list}"
    );
    assert!(list.contains("プレス機 PLC"), "{list}");
    assert!(
        list.contains("CVE-2023-1424") && list.contains("緊急"),
        "{list}"
    );
    let first = b.text(".vuln-match").await;
    assert!(first.contains("優先度「緊急」"), "highest first: {first}");
    b.assert_fits_width(&format!("/sites/{site}/vulnerabilities"))
        .await;
    no_serious_violations(&b, "vulnerabilities ja 1366").await;
    b.screenshot("vuln-site-ja").await;
    b.eval("document.querySelector('#vuln-matches').scrollIntoView()")
        .await;
    b.screenshot("vuln-list-ja").await;

    // Filter to the new PLC, record a status on its first match.
    let packer = b
        .eval("return [...document.querySelectorAll('#vuln-filter-asset option')].find(o => o.textContent.includes('梱包機')).value")
        .await;
    b.eval(&format!(
        "document.querySelector('#vuln-filter-asset').value = {packer}"
    ))
    .await;
    b.click("#vuln-filter button[type=submit]").await;
    b.wait_count("#vuln-showing", 1).await;
    let shown = b.text(".vuln-list").await;
    assert!(!shown.contains("プレス機 PLC"), "{shown}");
    b.click(".vuln-match .status-details summary").await;
    b.eval("const f = document.querySelector('.vuln-match form'); f.status.value = 'in_progress'; f.owner.value = '保全課 田中'; f.due_date.value = '2027-01-15';")
        .await;
    b.click(".vuln-match form button[type=submit]").await;
    b.wait_count(".vuln-match.saved", 1).await;
    let saved = b.text(".vuln-match.saved").await;
    assert!(
        saved.contains("対応中")
            && saved.contains("保全課 田中")
            && saved.contains("2027年1月15日"),
        "{saved}"
    );

    // The PLC maker's SBOM (a real SPDX document with tokio 1.19.2) is attached to the PLC.
    b.client
        .goto(&url(&format!("/sites/{site}/vulnerabilities")))
        .await
        .unwrap();
    b.wait_count("#vuln-attach", 1).await;
    b.eval("const s = document.querySelector('#vuln-doc-asset'); s.value = [...s.options].find(o => o.textContent.includes('梱包機')).value;")
        .await;
    let sbom = shared("spdx-examples/software/example11/spdx2.3/sbom.spdx.json");
    choose_files(&b, "#vuln-doc-file", &[&sbom]).await;
    b.click("#vuln-doc-attach").await;
    b.wait_count("#vuln-documents tr.saved", 1).await;
    let notice = b.text("#vuln-notice").await;
    assert!(
        notice.contains("sbom.spdx.json") && notice.contains("梱包機 PLC"),
        "{notice}"
    );
    let list = b.text(".vuln-list").await;
    assert!(
        list.contains("CVE-2023-22466")
            && list.contains("SBOMの部品で見つかりました：tokio 1.19.2"),
        "{list}"
    );
    no_serious_violations(&b, "vulnerabilities with a document").await;
    b.eval("document.querySelector('#vuln-documents').scrollIntoView()")
        .await;
    b.screenshot("vuln-documents-ja").await;

    // On a phone.
    b.client.set_window_size(390, 844).await.unwrap();
    b.client
        .goto(&url(&format!("/sites/{site}/vulnerabilities")))
        .await
        .unwrap();
    b.wait_count("#vuln-matches", 1).await;
    b.assert_fits_width("vulnerabilities 390").await;
    no_serious_violations(&b, "vulnerabilities ja 390").await;
    b.screenshot("vuln-site-ja-390").await;

    // In English.
    b.client.set_window_size(1366, 900).await.unwrap();
    b.click("#lang-switch").await;
    b.wait_count("html[lang=en]", 1).await;
    b.client
        .goto(&url(&format!("/sites/{site}/vulnerabilities")))
        .await
        .unwrap();
    b.wait_count("html[lang=en] #vuln-matches", 1).await;
    let ops8 = b.text("#vuln-ops8").await;
    assert!(ops8.contains("unhandled vulnerabilities"), "{ops8}");
    let list = b.text(".vuln-list").await;
    assert!(
        list.contains("Urgent") && list.contains("In progress"),
        "{list}"
    );
    assert!(list.contains("Found in the SBOM: tokio 1.19.2"), "{list}");
    let docs = b.text("#vuln-documents").await;
    assert!(
        docs.contains("SBOMs and VEX of the assets")
            && docs.contains("components, 0 VEX statements")
            && docs.contains("SPDX JSON"),
        "{docs}"
    );
    no_serious_violations(&b, "vulnerabilities en 1366").await;
    b.client.set_window_size(390, 844).await.unwrap();
    b.assert_fits_width("vulnerabilities en 390").await;
    b.client.set_window_size(1366, 900).await.unwrap();
    b.screenshot("vuln-site-en").await;

    // The list downloads as a workbook a real reader opens.
    b.click("#vuln-xlsx").await;
    let bytes = b.downloaded("xlsx").await;
    let mut wb: calamine::Xlsx<_> = calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
    let names = calamine::Reader::sheet_names(&wb);
    let range = calamine::Reader::worksheet_range(&mut wb, &names[0]).unwrap();
    assert!(
        range
            .rows()
            .any(|r| r.iter().any(|c| *c == "CVE-2023-1424"))
    );
    b.assert_offline().await;
    b.stop().await;
}
