//! Real pages in headless Chromium against a real `kojo serve`.

use std::time::Duration;

use crate::support::{Browser, Server, fresh_db};

async fn wait_for_path(b: &Browser, path: &str) {
    for _ in 0..100 {
        if b.client.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "never reached {path}: at {}",
        b.client.current_url().await.unwrap()
    );
}

#[tokio::test]
async fn a_fresh_kojo_shows_the_japanese_home_page() {
    let db = fresh_db().await;
    let server = Server::start(&db.url, &[]);
    assert!(
        server.setup_link.is_some(),
        "first start prints the setup link: {:?}",
        server.output
    );
    let b = Browser::start().await;
    b.client.goto(&server.url).await.unwrap();
    assert_eq!(b.eval("return document.documentElement.lang").await, "ja");
    assert!(b.client.title().await.unwrap().contains("ホーム"));
    assert_eq!(b.text("h1").await, "kojo 工場セキュリティ");
    assert!(b.text("#checklist").await.contains("サプライチェーン対策"));
    // The stylesheet and htmx loaded from kojo itself.
    let loaded = b
        .eval("return performance.getEntriesByType('resource').map(e => e.name)")
        .await;
    let names: Vec<String> = serde_json::from_value(loaded).unwrap();
    assert!(
        names.iter().any(|n| n.ends_with("/assets/kojo.css")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.ends_with("/assets/htmx-2.0.11.min.js")),
        "{names:?}"
    );
    assert!(
        names.iter().all(|n| n.starts_with(&server.url)),
        "{names:?}"
    );
    assert_eq!(
        b.eval("return typeof htmx").await,
        "object",
        "htmx ran (allowed by the CSP)"
    );
    // Japanese glyphs render with a real width (a missing font shows tofu of another width).
    let width = b
        .eval("const s=document.createElement('span');s.textContent='工場';document.body.append(s);return s.getBoundingClientRect().width")
        .await;
    assert!(width.as_f64().unwrap() > 10.0);
    b.screenshot("home-ja").await;
    b.assert_offline().await;
    b.stop().await;
}

#[tokio::test]
async fn setup_then_organisations_in_japanese_and_english() {
    let db = fresh_db().await;
    let server = Server::start(&db.url, &["--demo"]);
    let link = server.setup_link.clone().expect("setup link");
    // The demo company has completed assessments to look at: two of 本社工場 (the later one with
    // its predecessor and an action plan) and one of 豊橋工場.
    let reports: Vec<serde_json::Value> = (1..=3)
        .map(|id| {
            let o = crate::support::kojo(
                &db.url,
                &["assess", "report", &id.to_string(), "--json"],
                None,
            );
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            serde_json::from_slice(&o.stdout).unwrap()
        })
        .collect();
    let sites: Vec<&str> = reports
        .iter()
        .map(|r| r["site"].as_str().unwrap())
        .collect();
    assert_eq!(sites, ["本社工場", "本社工場", "豊橋工場"]);
    assert!(reports.iter().all(|r| r["status"] == "complete"));
    let latest = &reports[1];
    assert_eq!(
        latest["previous"]["assessment_id"], reports[0]["assessment_id"],
        "{latest}"
    );
    assert!(
        latest["scores"]["overall"].as_f64() > reports[0]["scores"]["overall"].as_f64(),
        "the demo factory improved"
    );
    assert_eq!(latest["plan"][0]["measure"], "OPS-8-m1");
    // 本社工場 (the first company's first site) has a plant model to explore.
    let o = crate::support::kojo(&db.url, &["plant", "export", "--site", "1", "--json"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plant: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(plant["zones"].as_array().unwrap().len(), 6, "{plant}");
    assert!(plant["assets"].as_array().unwrap().len() > 50);
    let b = Browser::start().await;
    b.client.goto(&link).await.unwrap();
    b.fill("#setup-login", "root").await;
    b.fill("#setup-name", "管理者").await;
    b.fill("#setup-password", "factory-security-2026").await;
    b.fill("#setup-password-again", "factory-security-2026")
        .await;
    b.click("#setup-submit").await;
    wait_for_path(&b, "/").await;
    assert!(b.text(".welcome").await.contains("管理者"));

    b.client
        .goto(&format!("{}/admin/orgs", server.url))
        .await
        .unwrap();
    let rows = b
        .eval("return document.querySelectorAll('#orgs tbody tr').length")
        .await;
    assert_eq!(
        rows, 15,
        "the demo's ministry, 2 associations and 12 companies"
    );
    assert!(b.text("#orgs").await.contains("山田精機株式会社"));
    b.screenshot("orgs-ja").await;

    b.click("#lang-switch").await;
    wait_for_path(&b, "/admin/orgs").await;
    assert_eq!(b.eval("return document.documentElement.lang").await, "en");
    assert!(b.text("h1").await.contains("Organisations"));
    assert!(b.text("#orgs thead").await.contains("Member companies"));
    // Remembered on the account: still English after signing out and in again.
    b.click("#logout").await;
    wait_for_path(&b, "/login").await;
    b.fill("#login", "root").await;
    b.fill("#password", "factory-security-2026").await;
    b.click("#login-submit").await;
    wait_for_path(&b, "/").await;
    assert_eq!(b.eval("return document.documentElement.lang").await, "en");
    b.screenshot("home-en").await;

    // The setup link does not work twice.
    b.client.goto(&link).await.unwrap();
    assert!(
        b.client.source().await.unwrap().contains("data-error-code")
            || b.text("main").await.contains("invalid")
    );
    b.assert_offline().await;
    b.stop().await;
}

/// The guard itself works: a page that loads from another host is caught.
#[tokio::test]
async fn the_offline_guard_catches_a_request_to_another_host() {
    let b = Browser::start().await;
    b.client
        .goto("data:text/html,<img src='http://example.invalid/x.png'>")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let urls = b.requested_urls().await;
    assert!(
        urls.iter()
            .any(|u| u.starts_with("http://example.invalid/")),
        "{urls:?}"
    );
    assert!(
        !urls.iter().all(|u| crate::support::is_local(u)),
        "the guard must flag it"
    );
    // And nothing left the machine: the request went to the trap.
    assert!(
        b.trap
            .requests()
            .iter()
            .any(|r| r.contains("example.invalid")),
        "{:?}",
        b.trap.requests()
    );
    b.stop().await;
}

/// A company user's whole path, in Japanese and then in English: sign in, add a factory, answer
/// the checklist, see results with the chart and the 2022 comparison, put a measure into the
/// plan, and export the workbook, which a real xlsx reader opens.
#[tokio::test]
async fn a_company_assesses_a_factory_in_the_browser() {
    use crate::support::kojo;
    use calamine::Reader;

    let db = fresh_db().await;
    assert!(kojo(&db.url, &["migrate"], None).status.success());
    assert!(
        kojo(
            &db.url,
            &[
                "org",
                "add",
                "--kind",
                "company",
                "--employees",
                "80",
                "山田精機"
            ],
            None
        )
        .status
        .success()
    );
    let o = kojo(
        &db.url,
        &[
            "user",
            "add",
            "yamada",
            "--role",
            "company-admin",
            "--org",
            "山田精機",
            "--password-stdin",
        ],
        Some("factory-security-2026\n"),
    );
    assert!(o.status.success());
    let server = Server::start(&db.url, &[]);
    let b = Browser::start().await;
    let url = |p: &str| format!("{}{p}", server.url);

    b.client.goto(&url("/login")).await.unwrap();
    b.fill("#login", "yamada").await;
    b.fill("#password", "factory-security-2026").await;
    b.click("#login-submit").await;
    wait_for_path(&b, "/").await;
    b.click("#home-company").await;
    wait_for_path(&b, "/company").await;
    b.fill("#site-name", "本社工場").await;
    b.click("#site-submit").await;
    b.wait_count("#sites tbody tr", 1).await;
    b.click(".start-assessment").await;
    b.wait_count("article.item", 32).await;
    assert!(b.text("#progress").await.contains("0 / 32"));

    // Answer every item: 実施済み, except OPS-8 and PHY-6 未実施 (htmx saves each on change).
    let items: Vec<String> = serde_json::from_value(
        b.eval("return [...document.querySelectorAll('article.item')].map(a => a.id.slice(5))")
            .await,
    )
    .unwrap();
    for item in &items {
        let level = if item == "OPS-8" || item == "PHY-6" {
            "1"
        } else {
            "3"
        };
        let radio = format!("#item-{item} input[name=level][value='{level}']");
        b.click(&radio).await;
        // The click reached this item (not one that moved under the pointer).
        b.wait_count(&format!("{radio}:checked"), 1).await;
    }
    b.wait_count(".item-status[data-message=saved]", 32).await;
    b.client.refresh().await.unwrap();
    assert!(
        b.text("#progress").await.contains("32 / 32"),
        "answers survived a reload: {}",
        b.text("#progress").await
    );
    b.screenshot("assessment-ja").await;
    b.click("#complete").await;
    b.wait_count("#chart-bars svg", 1).await;
    assert_eq!(
        b.eval("return document.querySelectorAll('#chart-radar svg').length")
            .await,
        1
    );
    let national = b.text("#national").await;
    assert!(national.contains("65.0%"), "{national}");
    assert!(b.text("#gaps").await.contains("OPS-8"));
    assert_eq!(
        b.eval("return document.querySelector('.gap').id").await,
        "gap-OPS-8",
        "first priority"
    );
    b.click("#gap-OPS-8 .add-to-plan").await;
    b.wait_count("#gap-OPS-8 .tag.ok", 1).await;
    b.screenshot("results-ja").await;

    b.click("#export-xlsx").await;
    let bytes = b.downloaded("xlsx").await;
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["概要", "回答", "優先順位と対策", "行動計画", "全国比較"]
    );
    let plan = wb.worksheet_range("行動計画").unwrap();
    assert!(
        plan.rows().any(|r| r
            .iter()
            .any(|c| matches!(c, calamine::Data::String(s) if s == "OPS-8"))),
        "the planned measure is in the workbook"
    );

    // The same in English.
    b.click("#lang-switch").await;
    b.wait_count("html[lang=en]", 1).await;
    assert!(b.text("#gaps h2").await.contains("What to do first"));
    assert!(
        b.text("#national")
            .await
            .contains("65.0% of companies had not done this")
    );
    b.screenshot("results-en").await;
    b.click("#export-xlsx").await;
    let bytes = b.downloaded("xlsx").await;
    let wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names()[0], "Summary");
    b.assert_offline().await;
    b.stop().await;
}

/// An association runs a round: it invites its members, three answer through their links in the
/// browser (draft with a resume code, resume, submit), the small round's report is withheld, and with more responses
/// the report shows charts, the 2022 figures and a cross-tab — in Japanese and English.
#[tokio::test]
async fn an_association_runs_a_survey_round_in_the_browser() {
    use crate::support::kojo;

    let db = fresh_db().await;
    let run = |args: &[&str]| {
        let o = kojo(&db.url, args, None);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o
    };
    run(&["migrate"]);
    run(&["org", "add", "--kind", "association", "工作機械団体"]);
    for (i, industry) in ["26", "26", "31"].iter().enumerate() {
        run(&[
            "org",
            "add",
            "--kind",
            "company",
            "--industry",
            industry,
            "--employees",
            "120",
            "--member-of",
            "工作機械団体",
            &format!("会員{i}"),
        ]);
    }
    let o = kojo(
        &db.url,
        &[
            "user",
            "add",
            "assoc",
            "--role",
            "association-admin",
            "--org",
            "工作機械団体",
            "--password-stdin",
        ],
        Some("factory-security-2026\n"),
    );
    assert!(o.status.success());
    let server = Server::start(&db.url, &[]);
    let b = Browser::start().await;
    let url = |p: &str| format!("{}{p}", server.url);

    b.client.goto(&url("/login")).await.unwrap();
    b.fill("#login", "assoc").await;
    b.fill("#password", "factory-security-2026").await;
    b.click("#login-submit").await;
    wait_for_path(&b, "/").await;
    b.click("#nav-rounds").await;
    wait_for_path(&b, "/rounds").await;
    b.fill("#round-title", "令和8年度 会員企業調査").await;
    b.click("#round-create").await;
    b.wait_count("#invite", 1).await;
    b.eval("document.querySelectorAll('.invite-org').forEach(c => c.checked = true)")
        .await;
    b.click("#invite-submit").await;
    b.wait_count("#round-message", 1).await;
    let round_path = b.client.current_url().await.unwrap().path().to_string();
    let round_id = round_path
        .trim_start_matches("/rounds/")
        .trim_end_matches("/invitees")
        .to_string();
    b.click("#links-csv").await;
    let csv = String::from_utf8(b.downloaded("csv").await).unwrap();
    let links: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().trim().to_string())
        .collect();
    assert_eq!(links.len(), 3, "{csv}");

    // Three members answer; the first saves a draft with a resume code and resumes with it
    // (opening the link alone shows nothing of the draft).
    for (i, link) in links.iter().enumerate() {
        b.client.goto(link).await.unwrap();
        b.wait_count("#survey-form", 1).await;
        b.click("#q-G1 input[value='1']").await;
        b.click("#q-E1 input[value='1']").await;
        if i == 0 {
            b.fill("#choose-code", "kaisha-no-himitsu").await;
            b.click("#save-draft").await;
            b.wait_count("#respond-message", 1).await;
            b.client.goto(link).await.unwrap();
            b.wait_count("#resume", 1).await;
            assert_eq!(
                b.eval("return document.querySelectorAll('#survey-form, #q-G1').length")
                    .await,
                0,
                "the link alone shows no answers"
            );
            b.fill("#resume-code", "kaisha-no-himitsu").await;
            b.click("#resume-submit").await;
            b.wait_count("#survey-form", 1).await;
            assert_eq!(
                b.eval("return document.querySelector(\"#q-G1 input[value='1']\").checked")
                    .await,
                true,
                "the draft was kept"
            );
        }
        b.click("#submit-response").await;
        b.wait_count("#respond-message", 1).await;
        assert!(b.text("#response-status").await.contains("提出済み"));
    }
    b.screenshot("survey-answer-ja").await;

    // Three respondents: the report is withheld.
    b.client
        .goto(&url(&format!("/rounds/{round_id}/report")))
        .await
        .unwrap();
    b.wait_count("#report-withheld", 1).await;

    // Twenty more responses imported and the round closed: the report shows charts, figures and
    // a cross-tab.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("more.csv");
    run(&[
        "survey",
        "simulate",
        "--instrument",
        "company-2022",
        "--n",
        "20",
        "--out",
        file.to_str().unwrap(),
    ]);
    run(&[
        "survey",
        "import",
        "--round",
        &round_id,
        file.to_str().unwrap(),
    ]);
    // Released to the association once the round is closed (differencing, docs/surveys.md).
    b.client
        .goto(&url(&format!("/rounds/{round_id}/report?section=G")))
        .await
        .unwrap();
    b.wait_count("#report-withheld", 1).await;
    assert!(b.text("#report-withheld").await.contains("締め切った"));
    run(&["survey", "close", "--round", &round_id]);
    b.client
        .goto(&url(&format!("/rounds/{round_id}/report?section=G")))
        .await
        .unwrap();
    b.wait_count("#q-G1 svg", 1).await;
    assert!(b.text("#respondents").await.contains("23"));
    assert!(
        b.text("#q-G1").await.contains("59.7%"),
        "the 2022 figure beside the round's"
    );
    b.client
        .goto(&url(&format!(
            "/rounds/{round_id}/report?section=G&by=A11&of=E1"
        )))
        .await
        .unwrap();
    b.wait_count("#cross-table", 1).await;
    b.screenshot("survey-report-ja").await;
    b.click("#lang-switch").await;
    b.wait_count("html[lang=en]", 1).await;
    assert!(b.text("#crosstab h2").await.contains("Cross-tabulation"));
    b.assert_offline().await;
    b.stop().await;
}

/// The page fits the window's width: nothing to scroll sideways but the tables' own wrappers.
async fn fits_width(b: &Browser, page: &str) {
    let (scroll, inner) = (
        b.eval("return document.documentElement.scrollWidth").await,
        b.eval("return window.innerWidth").await,
    );
    assert!(
        scroll.as_f64().unwrap() <= inner.as_f64().unwrap() + 1.0,
        "{page} is wider ({scroll}) than the window ({inner})"
    );
}

/// A newcomer of a small company goes from nothing to a zone map, findings and a risk table
/// through the 15-minute worksheet — in Japanese and English, on a laptop (1366 px) and a
/// phone-sized tablet (390 px) — and no page asks anything of another host.
#[tokio::test]
async fn a_small_company_goes_from_nothing_to_a_zone_map_findings_and_risks() {
    use crate::support::kojo;
    use fantoccini::Locator;

    let db = fresh_db().await;
    let run = |args: &[&str], stdin: Option<&str>| {
        let o = kojo(&db.url, args, stdin);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    run(&["migrate"], None);
    run(
        &[
            "org",
            "add",
            "--kind",
            "company",
            "--employees",
            "12",
            "小林金型",
        ],
        None,
    );
    run(
        &[
            "user",
            "add",
            "kobayashi",
            "--role",
            "company-admin",
            "--org",
            "小林金型",
            "--password-stdin",
        ],
        Some("factory-security-2026\n"),
    );
    let server = Server::start(&db.url, &[]);
    let b = Browser::start().await;
    b.client.set_window_size(1366, 900).await.unwrap();
    let url = |p: &str| format!("{}{p}", server.url);

    b.client.goto(&url("/login")).await.unwrap();
    b.fill("#login", "kobayashi").await;
    b.fill("#password", "factory-security-2026").await;
    b.click("#login-submit").await;
    wait_for_path(&b, "/").await;
    b.client.goto(&url("/company")).await.unwrap();
    b.fill("#site-name", "本社工場").await;
    b.click("#site-submit").await;
    b.wait_count("#sites tbody tr", 1).await;
    b.click(".plant-link").await;
    b.wait_count("#plant-empty", 1).await;
    let plant_path = b.client.current_url().await.unwrap().path().to_string();
    let site = plant_path.trim_end_matches("/plant").to_string();

    // The worksheet: two fears and the work behind them, three ways in, one answer known.
    b.click("#plant-start").await;
    b.wait_count("#worksheet", 1).await;
    let select = |css: &'static str, value: &'static str| {
        let client = b.client.clone();
        async move {
            client
                .find(Locator::Css(css))
                .await
                .unwrap()
                .select_by_value(value)
                .await
                .unwrap();
        }
    };
    select("#worksheet-damage-1", "delivery").await;
    b.fill("#worksheet-process-1", "プレス加工").await;
    select("#worksheet-damage-2", "safety").await;
    b.fill("#worksheet-process-2", "溶接").await;
    for way in ["maintenance_line", "office_lan", "usb"] {
        b.click(&format!("input[name=ways_in][value={way}]")).await;
    }
    b.click("input[name=remote_on_request][value=no]").await;
    b.screenshot("plant-start-ja").await;
    b.click("#worksheet-submit").await;
    b.wait_count("#plant-notice", 1).await;
    assert_eq!(b.client.current_url().await.unwrap().path(), plant_path);

    // The zone map: three zones, the maintenance line marked.
    b.wait_count("#diagram svg g.zone", 3).await;
    assert_eq!(
        b.eval("return document.querySelectorAll('#diagram g.conduit[data-kind=remote]').length")
            .await,
        1
    );
    assert!(b.text("#assets").await.contains("プレス加工の設備"));
    b.screenshot("plant-model-ja").await;

    // Findings, most serious first, with the checklist items that fix them.
    b.click("#nav-plant-findings").await;
    b.wait_count("#severity-high", 1).await;
    assert_eq!(
        b.eval("return document.querySelector('.finding').closest('section').id")
            .await,
        "severity-high"
    );
    assert!(b.text("#severity-high").await.contains("PHY-6"));
    b.screenshot("plant-findings-ja").await;

    // The risk table, then fewer hops through the options form (htmx swaps the results).
    b.click("#nav-plant-risk").await;
    b.wait_count("#route-table tr.route", 1).await;
    assert_eq!(
        b.eval("return document.querySelector('#route-table tr.route').dataset.level")
            .await,
        "high"
    );
    assert!(b.text("#route-table").await.contains("リモート保守"));
    assert!(b.text("#tree").await.contains("OR"));
    let before: u64 = b
        .eval("return document.querySelectorAll('#route-table tr.route').length")
        .await
        .as_u64()
        .unwrap();
    b.client
        .find(Locator::Css("#risk-min"))
        .await
        .unwrap()
        .select_by_value("2")
        .await
        .unwrap();
    b.click("#risk-run").await;
    for _ in 0..100 {
        if b.client.current_url().await.unwrap().query().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after_url = b.client.current_url().await.unwrap();
    assert!(
        after_url.query().unwrap_or("").contains("min_importance=2"),
        "{after_url}"
    );
    b.wait_count("#route-table tr.route", before as usize).await;
    b.screenshot("risk-ja").await;

    // On a 390 px wide screen every page fits, in Japanese and in English.
    b.client.set_window_size(390, 844).await.unwrap();
    let pages = [
        plant_path.clone(),
        format!("{site}/plant/findings"),
        format!("{site}/risk"),
        format!("{site}/plant/start"),
    ];
    for page in &pages {
        b.client.goto(&url(page)).await.unwrap();
        b.wait_count("main h1", 1).await;
        fits_width(&b, page).await;
    }
    b.screenshot("plant-model-ja-390").await;
    b.click("#lang-switch").await;
    b.wait_count("html[lang=en]", 1).await;
    for page in &pages {
        b.client.goto(&url(page)).await.unwrap();
        b.wait_count("html[lang=en] main h1", 1).await;
        fits_width(&b, page).await;
    }
    b.screenshot("plant-start-en-390").await;
    b.client.set_window_size(1366, 900).await.unwrap();
    b.client.goto(&url(&format!("{site}/risk"))).await.unwrap();
    b.wait_count("#route-table", 1).await;
    assert!(b.text("#route-table thead").await.contains("Entry point"));
    assert!(b.text("#method").await.contains("Method used"));
    b.client.goto(&url(&plant_path)).await.unwrap();
    assert!(b.text("#diagram").await.contains("Zones and conduits"));
    b.screenshot("plant-model-en").await;
    b.assert_offline().await;
    b.stop().await;
}

/// Writes a register as a factory keeps it: a title row, then headers in the factory's own
/// words (メーカ, 形式, ＦＷ, 保守期限 …) and the rows.
pub(crate) fn factory_register(path: &std::path::Path, rows: &[[&str; 7]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("設備台帳").unwrap();
    ws.write_string(0, 0, "設備台帳（令和6年度）").unwrap();
    let header = [
        "管理番号",
        "機器名",
        "メーカ",
        "形式",
        "ＦＷ",
        "保守期限",
        "所属ゾーン",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// A company editor reads the factory's own asset register into the plant model page: the
/// assets appear; a register with a bad cell is refused with the cell located, in Japanese and
/// in English, and nothing is saved; the template and the register download as workbooks.
#[tokio::test]
async fn a_factory_reads_its_asset_register_into_the_model_page() {
    use crate::support::kojo;
    use fantoccini::Locator;

    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: Option<&str>| {
        let o = kojo(&db.url, args, stdin);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    run(&["migrate"], None);
    run(&["org", "add", "--kind", "company", "山田精機"], None);
    let site = run(&["site", "add", "--org", "山田精機", "本社工場"], None)
        .split("(id ")
        .nth(1)
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_string();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo_plant.toml");
    run(&["plant", "import", "--site", &site, demo], None);
    run(
        &[
            "user",
            "add",
            "yamada",
            "--role",
            "company-member",
            "--org",
            "山田精機",
            "--password-stdin",
        ],
        Some("factory-security-2026\n"),
    );
    let good = dir.path().join("設備台帳.xlsx");
    factory_register(
        &good,
        &[
            [
                "T-100",
                "外観検査カメラ",
                "キーエンス",
                "CV-X480",
                "Ｖ２．１",
                "令和9年3月31日",
                "切削・検査",
            ],
            [
                "T-101",
                "検査用PLC",
                "オムロン",
                "NX1P2",
                "1.50",
                "R8.12.31",
                "切削・検査",
            ],
        ],
    );
    let bad = dir.path().join("設備台帳_誤り.xlsx");
    factory_register(
        &bad,
        &[
            [
                "T-102",
                "梱包機 PLC",
                "三菱電機",
                "FX5U",
                "1.0",
                "令和9年13月1日",
                "切削・検査",
            ],
            [
                "T-103",
                "梱包機 HMI",
                "三菱電機",
                "GT25",
                "1.0",
                "",
                "存在しないゾーン",
            ],
        ],
    );

    let server = Server::start(&db.url, &[]);
    let b = Browser::start().await;
    b.client.set_window_size(1366, 900).await.unwrap();
    let url = |p: &str| format!("{}{p}", server.url);
    b.client.goto(&url("/login")).await.unwrap();
    b.fill("#login", "yamada").await;
    b.fill("#password", "factory-security-2026").await;
    b.click("#login-submit").await;
    wait_for_path(&b, "/").await;
    let plant_path = format!("/sites/{site}/plant");
    b.client.goto(&url(&plant_path)).await.unwrap();
    b.wait_count("#register-form", 1).await;
    let before = b
        .eval("return document.querySelectorAll('#assets tbody tr').length")
        .await;
    let upload = |path: std::path::PathBuf| {
        let client = b.client.clone();
        async move {
            client
                .find(Locator::Css("#register-file"))
                .await
                .unwrap()
                .send_keys(path.to_str().unwrap())
                .await
                .unwrap();
            client
                .find(Locator::Css("#register-submit"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
    };

    // The register goes in and its assets show on the page.
    upload(good.clone()).await;
    b.wait_count("#plant-notice", 1).await;
    assert!(
        b.text("#plant-notice").await.contains("追加 2 台"),
        "{}",
        b.text("#plant-notice").await
    );
    let assets = b.text("#assets").await;
    assert!(
        assets.contains("外観検査カメラ") && assets.contains("検査用PLC"),
        "{assets}"
    );
    assert!(
        assets.contains("V2.1"),
        "full-width made half-width: {assets}"
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('#assets tbody tr').length")
            .await
            .as_u64()
            .unwrap(),
        before.as_u64().unwrap() + 2
    );
    fits_width(&b, &plant_path).await;
    b.screenshot("register-imported-ja").await;

    // A bad register: every bad cell located, nothing saved.
    upload(bad.clone()).await;
    b.wait_count("#register-cells tbody tr", 2).await;
    let errors = b.text("#register-errors").await;
    assert!(errors.contains("何も保存していません"), "{errors}");
    assert!(
        errors.contains("シート「設備台帳」4行目、F列（保守期限）"),
        "{errors}"
    );
    assert!(errors.contains("令和9年13月1日"), "{errors}");
    assert!(
        errors.contains("シート「設備台帳」5行目、G列（所属ゾーン）"),
        "{errors}"
    );
    assert!(!b.text("#assets").await.contains("梱包機"), "nothing saved");
    b.screenshot("register-rejected-ja").await;

    // The same in English.
    b.click("#lang-switch").await;
    b.wait_count("html[lang=en]", 1).await;
    b.client.goto(&url(&plant_path)).await.unwrap();
    b.wait_count("html[lang=en] #register-form", 1).await;
    upload(bad).await;
    b.wait_count("html[lang=en] #register-cells tbody tr", 2)
        .await;
    let errors = b.text("#register-errors").await;
    assert!(errors.contains("Nothing was saved"), "{errors}");
    assert!(errors.contains("row 4, column F (保守期限)"), "{errors}");
    assert!(errors.contains("a date"), "{errors}");
    b.screenshot("register-rejected-en").await;

    // The template and the register download as workbooks a real reader opens.
    for (link, sheet) in [
        ("#register-template", "Asset register"),
        ("#register-export", "Asset register"),
    ] {
        b.click(link).await;
        let bytes = b.downloaded("xlsx").await;
        let mut wb: calamine::Xlsx<_> = calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
        let range = calamine::Reader::worksheet_range(&mut wb, sheet).unwrap();
        let text: Vec<String> = range.rows().flatten().map(ToString::to_string).collect();
        assert!(text.iter().any(|c| c == "Vendor"), "{link}: {text:?}");
        if link == "#register-export" {
            assert!(text.iter().any(|c| c == "外観検査カメラ"), "{text:?}");
            assert!(
                text.iter()
                    .any(|c| c.starts_with("2027-03-31") || c == "46477"),
                "{text:?}"
            );
        }
    }
    b.assert_offline().await;
    b.stop().await;
}

/// Whether an element is laid out (not `display: none`, here or above).
async fn shown(b: &Browser, css: &str) -> bool {
    b.eval(&format!(
        "const e=document.querySelector({css:?}); return !!e && e.getClientRects().length > 0"
    ))
    .await
    .as_bool()
    .unwrap()
}

/// On a 390 px phone, in Japanese and English: the menu folds behind a button, the assessment,
/// the survey form (its grid one row at a time), the results (the phone-width charts) and the
/// plan (tables as cards, removing a measure) all fit the width with nothing to scroll sideways.
#[tokio::test]
async fn a_factory_manager_uses_kojo_on_a_phone() {
    use crate::support::kojo;

    let db = fresh_db().await;
    let run = |args: &[&str], stdin: Option<&str>| {
        let o = kojo(&db.url, args, stdin);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    run(&["migrate"], None);
    run(
        &["org", "add", "--kind", "association", "工作機械団体"],
        None,
    );
    run(
        &[
            "org",
            "add",
            "--kind",
            "company",
            "--employees",
            "15",
            "--member-of",
            "工作機械団体",
            "山田精機",
        ],
        None,
    );
    let pw = Some("factory-security-2026\n");
    run(
        &[
            "user",
            "add",
            "assoc",
            "--role",
            "association-admin",
            "--org",
            "工作機械団体",
            "--password-stdin",
        ],
        pw,
    );
    run(
        &[
            "user",
            "add",
            "yamada",
            "--role",
            "company-admin",
            "--org",
            "山田精機",
            "--password-stdin",
        ],
        pw,
    );
    let server = Server::start(&db.url, &[]);
    let b = Browser::start().await;
    b.client.set_window_size(390, 844).await.unwrap();
    let url = |p: &str| format!("{}{p}", server.url);
    let sign_in = |login: &'static str| {
        let (b, url) = (&b, &url);
        async move {
            b.client.goto(&url("/login")).await.unwrap();
            b.fill("#login", login).await;
            b.fill("#password", "factory-security-2026").await;
            b.click("#login-submit").await;
            wait_for_path(b, "/").await;
        }
    };

    // The association opens a round and invites its member (on the phone too).
    sign_in("assoc").await;
    assert!(!shown(&b, "#mainnav").await, "the menu is folded");
    b.click("#menu-button").await;
    assert!(shown(&b, "#mainnav").await, "the menu opens");
    b.click("#nav-rounds").await;
    wait_for_path(&b, "/rounds").await;
    fits_width(&b, "/rounds").await;
    b.fill("#round-title", "令和8年度 会員企業調査").await;
    b.click("#round-create").await;
    b.wait_count("#invite", 1).await;
    fits_width(&b, "round").await;
    b.eval("document.querySelectorAll('.invite-org').forEach(c => c.checked = true)")
        .await;
    b.click("#invite-submit").await;
    b.wait_count("#round-message", 1).await;
    b.click("#menu-button").await;
    b.click("#logout").await;

    // The company answers the survey form: the H1 grid stacks one row at a time.
    sign_in("yamada").await;
    b.client.goto(&url("/company/surveys")).await.unwrap();
    b.click("main a[href^='/company/surveys/']").await;
    b.wait_count("#survey-form", 1).await;
    fits_width(&b, "survey form").await;
    assert!(
        b.text("main h1").await.contains("令和8年度 会員企業調査"),
        "the round's title"
    );
    let grid = "table.grid-q tbody tr";
    assert_eq!(
        b.eval(&format!(
            "return getComputedStyle(document.querySelector({grid:?})).display"
        ))
        .await,
        "block",
        "grid rows stacked"
    );
    // A grid choice carries its column's name beside it.
    let label = b
        .eval("const td=document.querySelector('table.grid-q td.center'); return getComputedStyle(td,'::after').content")
        .await;
    assert!(label.as_str().unwrap().len() > 2, "{label}");
    b.screenshot("survey-form-ja-390").await;

    // The assessment: every item fits; answers save.
    b.client.goto(&url("/company")).await.unwrap();
    b.fill("#site-name", "本社工場").await;
    b.click("#site-submit").await;
    b.wait_count("#sites tbody tr", 1).await;
    b.click(".start-assessment").await;
    b.wait_count("article.item", 32).await;
    fits_width(&b, "assessment").await;
    let items: Vec<String> = serde_json::from_value(
        b.eval("return [...document.querySelectorAll('article.item')].map(a => a.id.slice(5))")
            .await,
    )
    .unwrap();
    for item in &items {
        let radio = format!("#item-{item} input[name=level][value='1']");
        b.click(&radio).await;
        b.wait_count(&format!("{radio}:checked"), 1).await;
    }
    b.wait_count(".item-status[data-message=saved]", 32).await;
    fits_width(&b, "assessment answered").await;
    b.screenshot("assessment-ja-390").await;
    let assessment = b.client.current_url().await.unwrap().path().to_string();
    // A term in an item leads to its glossary entry; the new pages fit the phone too.
    b.click("article.item a.term").await;
    wait_for_path(&b, "/glossary").await;
    let target = b
        .client
        .current_url()
        .await
        .unwrap()
        .fragment()
        .unwrap_or("")
        .to_string();
    assert!(
        !target.is_empty() && shown(&b, &format!("dt[id='{target}']")).await,
        "{target}"
    );
    fits_width(&b, "glossary").await;
    for page in [
        format!("{assessment}/evidence"),
        format!("{assessment}/vendor-questions"),
    ] {
        b.client.goto(&url(&page)).await.unwrap();
        b.wait_count("main h1", 1).await;
        fits_width(&b, &page).await;
    }

    // Results: the phone-width charts, the next steps; into the plan.
    b.client
        .goto(&url(&format!("{assessment}/results")))
        .await
        .unwrap();
    b.wait_count("#glance", 1).await;
    fits_width(&b, "results").await;
    assert!(
        shown(&b, "#chart-national-narrow svg").await && !shown(&b, "#chart-national svg").await
    );
    let chart_width = b
        .eval("return document.querySelector('#chart-national-narrow svg').getBoundingClientRect().width")
        .await;
    assert!(
        chart_width.as_f64().unwrap() >= 300.0,
        "the chart uses the width: {chart_width}"
    );
    assert_eq!(
        b.eval("return getComputedStyle(document.querySelector('#scores tbody tr')).display")
            .await,
        "block",
        "the score table is cards"
    );
    b.screenshot("results-ja-390").await;
    b.click("#steps-free").await;
    b.wait_count("#steps-free[aria-current]", 1).await;
    b.click("#next-steps .add-to-plan").await;
    b.wait_count("#next-steps .tag.ok", 1).await;
    b.click("#to-plan").await;
    b.wait_count("article.plan-item", 1).await;
    fits_width(&b, "plan").await;
    b.screenshot("plan-ja-390").await;
    b.click("article.plan-item details.remove summary").await;
    b.click(".remove-plan-item").await;
    b.wait_count("#plan-empty", 1).await;

    // The same pages in English.
    b.click("#menu-button").await;
    b.click("#lang-switch").await;
    b.wait_count("html[lang=en]", 1).await;
    for page in [
        assessment.clone(),
        format!("{assessment}/results"),
        format!("{assessment}/evidence"),
        "/glossary".to_string(),
        "/company/surveys".to_string(),
    ] {
        b.client.goto(&url(&page)).await.unwrap();
        b.wait_count("html[lang=en] main h1", 1).await;
        fits_width(&b, &page).await;
    }
    b.click("main a[href^='/company/surveys/']").await;
    b.wait_count("#survey-form", 1).await;
    fits_width(&b, "survey form (en)").await;
    // In English too: the free-only filter, adding a step, the plan, removing it again.
    b.client
        .goto(&url(&format!("{assessment}/results")))
        .await
        .unwrap();
    assert!(
        b.text("#next-steps h2")
            .await
            .contains("Your next three steps")
    );
    b.click("#steps-free").await;
    b.wait_count("#steps-free[aria-current]", 1).await;
    b.click("#next-steps .add-to-plan").await;
    b.wait_count("#next-steps .tag.ok", 1).await;
    b.click("#to-plan").await;
    b.wait_count("html[lang=en] article.plan-item", 1).await;
    fits_width(&b, "plan (en)").await;
    assert!(b.text("#plan-head").await.contains("0%"));
    b.click("article.plan-item details.remove summary").await;
    b.click(".remove-plan-item").await;
    b.wait_count("#plan-empty", 1).await;
    b.screenshot("plan-en-390").await;
    b.assert_offline().await;
    b.stop().await;
}
