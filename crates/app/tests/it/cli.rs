//! The command line as a user runs it.

use crate::support::{fresh_db, kojo, stderr, stdout};

#[test]
fn version_and_help() {
    let o = kojo("unused.db", &["--version"], None);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("kojo "));
    for cmd in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["content", "check", "--help"],
        vec!["content", "export", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "list", "--help"],
        vec!["user", "passwd", "--help"],
        vec!["org", "add", "--help"],
        vec!["org", "list", "--help"],
    ] {
        let o = kojo("unused.db", &cmd, None);
        assert!(o.status.success(), "{cmd:?}");
        assert!(stdout(&o).contains("Usage:"), "{cmd:?}");
    }
}

#[test]
fn content_check_passes_and_export_lists_the_catalogue() {
    let o = kojo("unused.db", &["content", "check"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("checklist factory-guideline/v1: 4 categories, 32 items"));
    assert!(stdout(&o).contains("baseline national-2022: 60 figures"));
    let o = kojo("unused.db", &["content", "export", "--json"], None);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cl = &v["checklists"][0];
    let cats: Vec<&str> = cl["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"]["ja"].as_str().unwrap())
        .collect();
    assert_eq!(
        cats,
        [
            "組織的対策",
            "運用的対策",
            "物理的・技術的対策",
            "サプライチェーン対策"
        ]
    );
    for item in cl["items"].as_array().unwrap() {
        let measures = item["measures"].as_array().unwrap();
        assert!(measures.len() >= 3);
        for m in measures {
            for size in ["small", "medium", "large"] {
                assert!(!m["examples"][size]["ja"].as_str().unwrap().is_empty());
            }
        }
    }
}

#[test]
fn content_check_reports_a_broken_directory_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in kojo_content::embedded_files() {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let text = if path.ends_with("v1.toml") {
            text.replacen("weight = 4", "weight = 9", 1)
        } else {
            text.to_string()
        };
        std::fs::write(p, text).unwrap();
    }
    let o = kojo(
        "unused.db",
        &["content", "check", "--dir", dir.path().to_str().unwrap()],
        None,
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "checklists/factory-guideline/v1.toml: item ORG-1: weight must be 1 to 4, found 9"
        ),
        "{err}"
    );
    assert!(err.contains("content check failed: 1 error(s)"), "{err}");
}

#[tokio::test]
async fn organisations_and_users_from_the_command_line() {
    let db = fresh_db().await;
    let run = |args: &[&str]| kojo(&db.url, args, None);
    let o = run(&[
        "org",
        "add",
        "--kind",
        "association",
        "--sc3",
        "日本工作機械団体",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "org",
        "add",
        "--kind",
        "company",
        "--industry",
        "26",
        "--prefecture",
        "23",
        "--employees",
        "120",
        "--member-of",
        "日本工作機械団体",
        "山田精機",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["org", "list", "--json"]);
    let orgs: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(orgs.as_array().unwrap().len(), 2);
    assert_eq!(orgs[0]["sc3_member"], true);
    assert_eq!(orgs[1]["industry_code"], "26");

    // Wrong codes are named with what is allowed; nothing is created.
    let o = run(&["org", "add", "--kind", "company", "--industry", "45", "X社"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--industry \"45\""), "{}", stderr(&o));
    assert!(stderr(&o).contains("09, 10"), "{}", stderr(&o));
    let o = run(&[
        "org",
        "add",
        "--kind",
        "company",
        "--member-of",
        "no-such-association",
        "Y社",
    ]);
    assert!(
        stderr(&o).contains("no organisation named \"no-such-association\""),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&run(&["org", "list", "--json"]).stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A generated password is printed once.
    let o = run(&[
        "user",
        "add",
        "yamada",
        "--role",
        "company-admin",
        "--org",
        "山田精機",
        "--name",
        "山田 太郎",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("password: "));
    // A password from stdin must follow the rules.
    let o = kojo(
        &db.url,
        &["user", "add", "root", "--role", "admin", "--password-stdin"],
        Some("short\n"),
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("at least 10 characters"),
        "{}",
        stderr(&o)
    );
    // Common and breached passwords too (security.md "Passwords"); nobody is created.
    for weak in ["1234567890", "password12", "qwertyuiop1"] {
        let o = kojo(
            &db.url,
            &["user", "add", "root", "--role", "admin", "--password-stdin"],
            Some(&format!("{weak}\n")),
        );
        assert!(!o.status.success(), "{weak} accepted");
        assert!(
            stderr(&o).contains("common or known from data breaches"),
            "{}",
            stderr(&o)
        );
        let o = kojo(
            &db.url,
            &["user", "passwd", "yamada", "--password-stdin"],
            Some(&format!("{weak}\n")),
        );
        assert!(!o.status.success(), "{weak} accepted by passwd");
    }
    let o = kojo(
        &db.url,
        &["user", "add", "root", "--role", "admin", "--password-stdin"],
        Some("a-long-enough-password\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("password:"));
    let o = run(&["user", "add", "sato", "--role", "company-member"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--org: Role company_member needs an organisation of kind company"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "user",
        "add",
        "sato",
        "--role",
        "association-admin",
        "--org",
        "山田精機",
    ]);
    assert!(!o.status.success());

    let o = run(&["user", "list", "--json"]);
    let users: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let logins: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].as_str().unwrap())
        .collect();
    assert_eq!(logins, ["root", "yamada"]);
    let o = kojo(
        &db.url,
        &["user", "passwd", "yamada", "--password-stdin"],
        Some("another-long-password\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["user", "passwd", "nobody"]);
    assert!(stderr(&o).contains("no user with login \"nobody\""));
}

#[test]
fn a_bad_database_url_fails_clearly() {
    let o = kojo(
        "postgres://kojo:secret@127.0.0.1:1/kojo",
        &["migrate"],
        None,
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("cannot open the database postgres://kojo:***@127.0.0.1:1/kojo"),
        "{err}"
    );
    assert!(!err.contains("secret"));
    let o = kojo("mysql://x@y/z", &["migrate"], None);
    assert!(stderr(&o).contains("unsupported database"));
}

#[tokio::test]
async fn migrate_refuses_a_database_from_a_newer_kojo() {
    let db = fresh_db().await;
    let o = kojo(&db.url, &["migrate"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("schema version {}", kojo_storage::SCHEMA_VERSION)));
    let store = kojo_storage::Store::connect(&db.url).await.unwrap();
    store
        .execute_raw_for_tests(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (999, 'future', TRUE, X'00', 0)",
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (999, 'future', TRUE, '\\x00', 0)",
        )
        .await
        .unwrap();
    store.close().await;
    let o = kojo(&db.url, &["migrate"], None);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("created by a newer kojo (schema version 999"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_broken_config_file_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kojo.toml");
    std::fs::write(&path, "listen = \"127.0.0.1:9\"\ndatabse_url = \"x\"\n").unwrap();
    let o = kojo(
        "unused.db",
        &["--config", path.to_str().unwrap(), "migrate"],
        None,
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("kojo.toml") && err.contains("line 2") && err.contains("databse_url"),
        "{err}"
    );
}

#[tokio::test]
async fn an_air_gapped_plant_assesses_from_the_command_line() {
    use kojo_core::Locale;
    use kojo_formats::assessment_xlsx::{self, ImportedAnswer};

    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| kojo(&db.url, args, None);
    assert!(
        run(&[
            "org",
            "add",
            "--kind",
            "company",
            "--employees",
            "1500",
            "大阪電機"
        ])
        .status
        .success()
    );
    let o = run(&[
        "site",
        "add",
        "--org",
        "大阪電機",
        "--prefecture",
        "27",
        "堺工場",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site_id: String = stdout(&o)
        .split("(id ")
        .nth(1)
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_string();
    let o = run(&[
        "site",
        "add",
        "--org",
        "大阪電機",
        "--prefecture",
        "99",
        "X工場",
    ]);
    assert!(stderr(&o).contains("--prefecture \"99\""), "{}", stderr(&o));

    let template = dir.path().join("blank.xlsx");
    let o = run(&["assess", "template", "--out", template.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let content = kojo_content::load_embedded().unwrap();
    let cl = content.latest_checklist("factory-guideline").unwrap();
    let scale = content.scale(&cl.scale).unwrap();
    let blank = std::fs::read(&template).unwrap();
    assert_eq!(assessment_xlsx::parse(&blank, cl, scale).unwrap().len(), 32);

    // Filled on site: everything implemented except vulnerability identification.
    let answers: Vec<ImportedAnswer> = cl
        .items
        .iter()
        .map(|i| ImportedAnswer {
            item_id: i.id.clone(),
            level: Some(if i.id == "OPS-8" { "1" } else { "3" }.into()),
            note: String::new(),
            owner: String::new(),
            target_date: None,
        })
        .collect();
    let filled = dir.path().join("filled.xlsx");
    std::fs::write(
        &filled,
        assessment_xlsx::template_with(cl, scale, Locale::Ja, &answers).unwrap(),
    )
    .unwrap();
    let o = run(&[
        "assess",
        "import",
        "--site",
        &site_id,
        filled.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("32 of 32 items answered"),
        "{}",
        stdout(&o)
    );
    let id: String = stdout(&o).split_whitespace().nth(2).unwrap().to_string();

    let o = run(&["assess", "report", &id, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["answers"].as_array().unwrap().len(), 32);
    assert_eq!(report["size_band"], "large", "1,500 employees");
    assert_eq!(report["gaps"][0]["item"], "OPS-8");
    let m = &report["gaps"][0]["measures"][0];
    assert_eq!(
        m["example"]["ja"],
        cl.item("OPS-8").unwrap().measures[0].examples.large.ja
    );
    assert!(m["cost_label"]["ja"].as_str().is_some());
    assert_eq!(report["gaps"][0]["figures"][0]["value"], 65.0);
    assert!(report["scores"]["overall"].as_f64().unwrap() > 40.0);

    let xlsx = dir.path().join("report.xlsx");
    let html = dir.path().join("report.html");
    let o = run(&[
        "assess",
        "report",
        &id,
        "--xlsx",
        xlsx.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    assert_eq!(wb.sheet_names()[0], "Summary");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<html lang=\"en\">")
            && page.contains("<style>")
            && page.contains("What to do first")
    );
    assert!(
        !page.contains("href=\"/assets/kojo.css\""),
        "self-contained"
    );

    // A broken workbook: every bad cell listed, nothing imported, non-zero exit.
    let mut bad_scale = scale.clone();
    bad_scale.levels[0].code = "9".into();
    let bad: Vec<ImportedAnswer> = answers
        .iter()
        .take(2)
        .map(|a| ImportedAnswer {
            level: Some("9".into()),
            ..a.clone()
        })
        .collect();
    let broken = dir.path().join("broken.xlsx");
    std::fs::write(
        &broken,
        assessment_xlsx::template_with(cl, &bad_scale, Locale::Ja, &bad).unwrap(),
    )
    .unwrap();
    let o = run(&[
        "assess",
        "import",
        "--site",
        &site_id,
        broken.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("broken.xlsx: 回答!E2") && err.contains("回答!E3"),
        "{err}"
    );
    assert!(
        err.contains("2 invalid cell(s); nothing was imported"),
        "{err}"
    );
    let o = run(&["assess", "report", "999999"]);
    assert!(stderr(&o).contains("no assessment with id 999999"));
}

/// Checks every figure of a results JSON against the published baseline of one survey.
fn assert_reproduces(results: &serde_json::Value, survey: &str) {
    let catalog = kojo_content::load_embedded().unwrap();
    let baseline = catalog.national_baseline();
    let mut bad = Vec::new();
    for f in baseline.figures.iter().filter(|f| f.survey == survey) {
        let r = &results["figures"][&f.id];
        let close = |v: &serde_json::Value| {
            let Some(v) = v.as_f64() else { return false };
            if f.id == "association.sc3.members_ahead" {
                v >= 75.0
            } else if f.approx {
                (v - f.value).abs() <= if f.value == 35.0 { 10.0 } else { 5.0 }
            } else {
                (v - f.value).abs() < 0.05
            }
        };
        let ok = match r["elements"].as_array() {
            Some(elements) if !elements.is_empty() => elements.iter().all(|e| close(&e["value"])),
            _ => close(&r["value"]),
        };
        if !ok {
            bad.push(format!("{}: {} vs {}", f.id, r, f.value));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[tokio::test]
async fn a_simulated_2022_set_reproduces_every_figure_from_file_and_from_a_round() {
    let dir = tempfile::tempdir().unwrap();
    for (instrument, survey, n) in [
        ("company-2022", "company", 397),
        ("association-2022", "association", 31),
    ] {
        let file = dir.path().join(format!("{instrument}.csv"));
        let o = kojo(
            "unused.db",
            &[
                "survey",
                "simulate",
                "--instrument",
                instrument,
                "--n",
                &n.to_string(),
                "--out",
                file.to_str().unwrap(),
            ],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        // Straight from the file.
        let o = kojo(
            "unused.db",
            &[
                "survey",
                "analyze",
                "--instrument",
                instrument,
                file.to_str().unwrap(),
                "--json",
            ],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let results: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(results["respondents"], n);
        assert_reproduces(&results, survey);
        // Through a round in the database (the disclosure rule applied).
        let db = fresh_db().await;
        assert!(
            kojo(
                &db.url,
                &["org", "add", "--kind", "ministry", "経済産業省"],
                None
            )
            .status
            .success()
        );
        let o = kojo(
            &db.url,
            &[
                "survey",
                "open",
                "--org",
                "経済産業省",
                "--instrument",
                instrument,
                "令和4年度の再現",
            ],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let o = kojo(
            &db.url,
            &["survey", "import", "--round", "1", file.to_str().unwrap()],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains(&format!("imported {n} responses")));
        let o = kojo(
            &db.url,
            &["survey", "report", "--round", "1", "--json"],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(report["k"], 5);
        assert_reproduces(&report, survey);
    }
}

#[test]
fn analyze_names_the_bad_cell_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "respondent,G1,E2\nr1,1,1\nr2,x7,1\n").unwrap();
    let o = kojo(
        "unused.db",
        &[
            "survey",
            "analyze",
            "--instrument",
            "company-2022",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("row 3, column G1: \"x7\""),
        "{}",
        stderr(&o)
    );
    std::fs::write(&file, "respondent,NOPE\nr1,1\n").unwrap();
    let o = kojo(
        "unused.db",
        &[
            "survey",
            "analyze",
            "--instrument",
            "company-2022",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(stderr(&o).contains("NOPE"), "{}", stderr(&o));
}

#[tokio::test]
async fn a_plant_model_goes_in_and_out_by_name() {
    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| kojo(&db.url, args, None);
    assert!(
        run(&["org", "add", "--kind", "company", "山田精機"])
            .status
            .success()
    );
    let o = run(&["site", "add", "--org", "山田精機", "本社工場"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = stdout(&o)
        .split("(id ")
        .nth(1)
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_string();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo_plant.toml");
    let o = run(&["plant", "import", "--site", &site, demo]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("6 zones, 6 conduits"), "{}", stdout(&o));

    // Exported by name and read back, the model is the same.
    let o = run(&["plant", "export", "--site", &site]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = stdout(&o);
    assert!(first.contains("name = \"プレス機 PLC-6\""), "{first}");
    let file = dir.path().join("plant.toml");
    std::fs::write(&file, &first).unwrap();
    assert!(
        run(&["plant", "import", "--site", &site, file.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(stdout(&run(&["plant", "export", "--site", &site])), first);

    // A flow to an asset that does not exist is named and nothing changes.
    let broken = first.replacen("to = \"プレス機 PLC-1\"", "to = \"プレス機 PLC-9\"", 1);
    assert_ne!(broken, first);
    std::fs::write(&file, broken).unwrap();
    let o = run(&["plant", "import", "--site", &site, file.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("flows[1].to = \"プレス機 PLC-9\""), "{e}");
    assert!(e.contains("plant.toml"), "{e}");
    // A misspelt field is named with its line.
    std::fs::write(&file, first.replacen("sl_target", "sl_targett", 1)).unwrap();
    let o = run(&["plant", "import", "--site", &site, file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sl_targett"), "{}", stderr(&o));
    assert!(stderr(&o).contains("line"), "{}", stderr(&o));
    assert_eq!(stdout(&run(&["plant", "export", "--site", &site])), first);

    // The routes command reads the stored model.
    let o = run(&["plant", "routes", "--site", &site]);
    assert!(o.status.success(), "{}", stderr(&o));
    let counts: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(counts["zones"], 6);
    assert!(counts["routes"].as_u64().unwrap() > 0, "{counts}");
}

// ---- The asset register and the risk report -------------------------------------------------

/// Creates a company and a site and returns the site's id.
fn new_site(run: &dyn Fn(&[&str]) -> std::process::Output, org: &str, site: &str) -> String {
    let o = run(&["org", "add", "--kind", "company", org]);
    assert!(
        o.status.success() || stderr(&o).contains("exists"),
        "{}",
        stderr(&o)
    );
    let o = run(&["site", "add", "--org", org, site]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .split("(id ")
        .nth(1)
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_string()
}

/// Every cell of a worksheet as text, row by row.
fn sheet_text(path: &std::path::Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

fn sheet_names(path: &std::path::Path) -> Vec<String> {
    use calamine::Reader;
    let wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    wb.sheet_names()
}

#[tokio::test]
async fn the_asset_register_goes_out_and_back_in_and_a_bad_one_writes_nothing() {
    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| kojo(&db.url, args, None);
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let a = new_site(&run, "山田精機", "本社工場");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo_plant.toml");
    assert!(
        run(&["plant", "import", "--site", &a, demo])
            .status
            .success()
    );
    let model_a = stdout(&run(&["plant", "export", "--site", &a]));
    let n = toml::from_str::<toml::Table>(&model_a).unwrap()["assets"]
        .as_array()
        .unwrap()
        .len();
    assert!(n > 20, "{n}");

    // The blank template, opened by a real reader.
    let o = run(&["plant", "template", "--out", &path("blank.xlsx")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names = sheet_names(std::path::Path::new(&path("blank.xlsx")));
    assert!(names.contains(&"資産台帳".to_string()), "{names:?}");
    let blank = sheet_text(std::path::Path::new(&path("blank.xlsx")), "資産台帳");
    assert!(blank.iter().flatten().any(|c| c == "メーカー"), "{blank:?}");

    // The site's register, in English too.
    let o = run(&["plant", "export", "--site", &a, "--xlsx", &path("reg.xlsx")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "plant",
        "export",
        "--site",
        &a,
        "--xlsx",
        &path("reg-en.xlsx"),
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let reg = sheet_text(std::path::Path::new(&path("reg.xlsx")), "資産台帳");
    let rows_with_assets = reg
        .iter()
        .filter(|r| r.iter().any(|c| c.starts_with("プレス機 PLC-")))
        .count();
    assert_eq!(rows_with_assets, 6, "{reg:?}");
    assert!(
        sheet_names(std::path::Path::new(&path("reg-en.xlsx")))
            .contains(&"Asset register".to_string())
    );

    // Read back into the same site: nothing changes.
    let o = run(&["plant", "import", "--site", &a, &path("reg.xlsx")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!(" 0 added, 0 updated, {n} unchanged")),
        "{}",
        stdout(&o)
    );
    assert_eq!(stdout(&run(&["plant", "export", "--site", &a])), model_a);

    // Round trip into another site holding the same zones and processes but no assets: the
    // register gives the same assets (the English register reads the same).
    let mut skeleton: toml::Table = toml::from_str(&model_a).unwrap();
    skeleton.remove("assets");
    skeleton.remove("flows");
    std::fs::write(path("skeleton.toml"), toml::to_string(&skeleton).unwrap()).unwrap();
    let mut expected: toml::Table = toml::from_str(&model_a).unwrap();
    expected.insert("flows".into(), toml::Value::Array(vec![]));
    for (org, site, file) in [
        ("佐藤化学", "第二工場", "reg.xlsx"),
        ("鈴木製作所", "本社", "reg-en.xlsx"),
    ] {
        let b = new_site(&run, org, site);
        let o = run(&["plant", "import", "--site", &b, &path("skeleton.toml")]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = run(&["plant", "import", "--site", &b, &path(file)]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains(&format!("{n} added")), "{}", stdout(&o));
        let model_b: toml::Table =
            toml::from_str(&stdout(&run(&["plant", "export", "--site", &b]))).unwrap();
        assert_eq!(model_b, expected, "{file}");
    }

    // A register as a factory keeps it: a title row, Japanese synonyms, full-width and 和暦.
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
    let good = [
        "T-100",
        "検査装置 PLC",
        "三菱電機",
        "FX5U-32MR",
        "Ｖ１．２",
        "令和9年3月31日",
        "切削・検査",
    ];
    let bad = [
        "T-101",
        "検査装置 HMI",
        "デジタル",
        "GT25",
        "1.0",
        "R9.13.40",
        "切削・検査",
    ];
    for (r, row) in [good, bad].iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(path("factory.xlsx")).unwrap();
    let zone_known = model_a.contains("name = \"切削・検査\"");
    assert!(zone_known, "the demo's control zone is named so");
    let o = run(&["plant", "import", "--site", &a, &path("factory.xlsx")]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("設備台帳")
            && e.contains("5行目")
            && e.contains("F列")
            && e.contains("保守期限"),
        "{e}"
    );
    assert!(e.contains("R9.13.40"), "{e}");
    assert!(e.contains("何も読み込んでいません"), "{e}");
    assert!(
        !e.contains("4行目") && e.contains("1個のセル"),
        "only the bad cell: {e}"
    );
    assert_eq!(
        stdout(&run(&["plant", "export", "--site", &a])),
        model_a,
        "nothing written"
    );
    // In English on request.
    let o = run(&[
        "plant",
        "import",
        "--site",
        &a,
        &path("factory.xlsx"),
        "--lang",
        "en",
    ]);
    assert!(stderr(&o).contains("row 5, column F"), "{}", stderr(&o));

    // Fixed, it goes in: the good row with its version made half-width and its date read.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("設備台帳").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in good.iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(path("factory.xlsx")).unwrap();
    let o = run(&["plant", "import", "--site", &a, &path("factory.xlsx")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 added, 0 updated, 0 unchanged"),
        "{}",
        stdout(&o)
    );
    let model: toml::Table =
        toml::from_str(&stdout(&run(&["plant", "export", "--site", &a]))).unwrap();
    let added = model["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str() == Some("検査装置 PLC"))
        .expect("the register's asset")
        .clone();
    assert_eq!(added["version"].as_str(), Some("V1.2"));
    assert_eq!(added["maintenance_end"].as_str(), Some("2027-03-31"));
    assert_eq!(added["vendor"].as_str(), Some("三菱電機"));
    assert_eq!(added["model"].as_str(), Some("FX5U-32MR"));
    assert_eq!(added["tag"].as_str(), Some("T-100"));

    // The same register as CSV reads the same (updated: nothing changes).
    let csv = format!("{}\n{}\n", header.join(","), good.join(","));
    std::fs::write(path("factory.csv"), csv).unwrap();
    let o = run(&["plant", "import", "--site", &a, &path("factory.csv")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 added, 0 updated, 1 unchanged"),
        "{}",
        stdout(&o)
    );
}

#[tokio::test]
async fn the_risk_report_is_json_or_a_workbook_in_ipas_layout() {
    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| kojo(&db.url, args, None);
    let site = new_site(&run, "山田精機", "本社工場");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo_plant.toml");
    assert!(
        run(&["plant", "import", "--site", &site, demo])
            .status
            .success()
    );

    let o = run(&["risk", "report", "--site", &site, "--json", "--limit", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let total = json["routes_total"].as_u64().unwrap();
    assert!(total > 5, "{json}");
    assert_eq!(json["routes"].as_array().unwrap().len(), 5);
    assert_eq!(json["routes"][0]["rank"], 1);
    assert!(json["routes"][0]["value"].as_u64() >= json["routes"][4]["value"].as_u64());

    let file = dir.path().join("risk.xlsx");
    let o = run(&[
        "risk",
        "report",
        "--site",
        &site,
        "--xlsx",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        sheet_names(&file),
        ["概要", "事業被害ベース", "資産ベース", "指摘事項"]
    );
    let routes = sheet_text(&file, "事業被害ベース");
    let header = routes
        .iter()
        .position(|r| r[0] == "No.")
        .expect("header row");
    assert_eq!(
        routes[header][..8],
        [
            "No.",
            "事業被害",
            "事業被害レベル（重要度）",
            "攻撃シナリオ",
            "侵入口",
            "攻撃拠点",
            "経由するコンジット",
            "攻撃対象"
        ]
    );
    assert_eq!(
        routes.len() - header - 1,
        usize::try_from(total).unwrap(),
        "every route"
    );
    assert_eq!(routes[header + 1][0], "1");
    assert_eq!(
        routes[header + 1][14],
        json["routes"][0]["value"].to_string()
    );
    let assets = sheet_text(&file, "資産ベース");
    assert!(
        assets
            .iter()
            .any(|r| r.iter().any(|c| c == "プレス機 PLC-6")),
        "{assets:?}"
    );
    let summary = sheet_text(&file, "概要");
    assert!(
        summary
            .iter()
            .any(|r| r[0] == "攻撃ルートの数" && r[1] == total.to_string()),
        "{summary:?}"
    );

    // A bad option is named.
    let o = run(&["risk", "report", "--site", &site, "--max-hops", "11"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--max-hops \"11\""), "{}", stderr(&o));
}

// ---- `kojo survey analyze` reads a file exactly as `kojo survey import` does ---------------

/// Runs `kojo survey analyze` on `bytes` saved as `name`, with `--json` when asked.
fn analyze_file(name: &str, bytes: &[u8], json: bool) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let mut args = vec![
        "survey",
        "analyze",
        "--instrument",
        "company-2022",
        file.to_str().unwrap(),
    ];
    if json {
        args.push("--json");
    }
    kojo("unused.db", &args, None)
}

fn respondents(o: &std::process::Output) -> u64 {
    assert!(o.status.success(), "{}", stderr(o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["respondents"].as_u64().unwrap()
}

fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn analyze_reads_cp932_as_import_does() {
    use kojo_formats::csv_out::{self, Encoding};
    let table = rows(&[
        &["respondent", "A2", "G1"],
        &["回答者1", "東京の本社工場です", "1"],
        &["回答者2", "", "2"],
    ]);
    let bytes = csv_out::write(&table, Encoding::Cp932).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    assert_eq!(respondents(&analyze_file("sjis.csv", &bytes, true)), 2);
}

#[test]
fn analyze_reads_xlsx_as_import_does() {
    use kojo_formats::tables_xlsx::{self, Cell, SheetTable};
    let sheet = SheetTable {
        name: "回答".into(),
        header: vec!["respondent".into(), "G1".into()],
        rows: vec![
            vec![Cell::Text("r1".into()), Cell::Number(1.0)],
            vec![Cell::Text("r2".into()), Cell::Text("2".into())],
            vec![Cell::Text("r3".into()), Cell::Empty],
        ],
        charts: vec![],
    };
    let bytes = tables_xlsx::write(&[sheet]).unwrap();
    assert_eq!(respondents(&analyze_file("answers.xlsx", &bytes, true)), 3);
}

#[test]
fn analyze_reads_multi_line_text_that_kojo_writes() {
    use kojo_core::survey::schema::Schema;
    use kojo_formats::survey_csv::Writer;
    let catalog = kojo_content::load_embedded().unwrap();
    let schema = Schema::new(catalog.instrument("company-2022").unwrap()).unwrap();
    let mut writer = Writer::new(Vec::new(), &schema).unwrap();
    for i in 0..5 {
        let text = format!("第{i}工場\r\n二行目, \"引用\"\n三行目");
        writer
            .cells(
                &schema,
                &format!("r{i}"),
                &[("A2".into(), text), ("G1".into(), "2".into())],
            )
            .unwrap();
    }
    let bytes = writer.finish().unwrap();
    let o = analyze_file("export.csv", &bytes, true);
    assert_eq!(respondents(&o), 5);
}

#[test]
fn analyze_refuses_duplicate_and_empty_respondents_as_import_does() {
    let o = analyze_file(
        "ids.csv",
        b"respondent,G1\r\nr1,1\r\nr2,2\r\nr1,2\r\n ,1\r\n",
        true,
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "row 4, column respondent: \"r1\" — expected a respondent not already in row 2"
        ),
        "{err}"
    );
    assert!(
        err.contains("row 5, column respondent: \"\" — expected the respondent's identifier"),
        "{err}"
    );
    assert!(err.contains("2 invalid cell(s)"), "{err}");
}

#[test]
fn analyze_reports_missing_columns_in_json_and_on_stderr() {
    let bytes = b"respondent,G1\r\nr1,1\r\n";
    let o = analyze_file("few.csv", bytes, true);
    assert_eq!(respondents(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let warnings = v["warnings"].as_array().expect("a warnings array");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = warnings[0].as_str().unwrap();
    assert!(
        w.starts_with("columns not in the file (counted as unanswered): A1, A2,"),
        "{w}"
    );
    assert!(stderr(&o).contains("warning: columns not in the file"));
    // In text mode on stderr too, and stdout keeps only the results.
    let o = analyze_file("few.csv", bytes, false);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: columns not in the file"));
    assert!(!stdout(&o).contains("columns not in the file"));
    // A complete file has none.
    let o = kojo(
        "unused.db",
        &[
            "survey",
            "simulate",
            "--instrument",
            "company-2022",
            "--n",
            "3",
        ],
        None,
    );
    assert!(o.status.success());
    let o = analyze_file("full.csv", &o.stdout, true);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[tokio::test]
async fn vulnerabilities_are_imported_matched_against_the_demo_plant_and_reported() {
    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| kojo(&db.url, args, None);
    assert!(
        run(&["org", "add", "--kind", "company", "山田精機"])
            .status
            .success()
    );
    let o = run(&["site", "add", "--org", "山田精機", "本社工場"]);
    let site = stdout(&o)
        .split("(id ")
        .nth(1)
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_string();
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo_plant.toml");
    assert!(
        run(&["plant", "import", "--site", &site, demo])
            .status
            .success()
    );

    let csaf = crate::support::shared("cisagov-csaf/csaf_files/OT/white");
    let a1 = csaf.join("2021/icsa-21-334-02.json");
    let a2 = csaf.join("2022/icsa-22-356-03.json");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"document\": {}}").unwrap();
    let kev = dir.path().join("known_exploited_vulnerabilities.csv");
    std::fs::write(&kev, "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
        CVE-2021-20609,Mitsubishi Electric,MELSEC iQ-R,DoS,2024-01-10,x,y,2024-01-31,Unknown,,CWE-20\n").unwrap();
    let paths: Vec<&str> = [&a1, &a2, &broken, &kev]
        .iter()
        .map(|p| p.to_str().unwrap())
        .collect();
    let mut args = vec!["vuln", "import"];
    args.extend(&paths);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("read 4 files"), "{out}");
    assert!(
        out.contains("2 advisories") && out.contains("1 KEV entries"),
        "{out}"
    );
    assert!(out.contains("2 new, 0 new revisions, 0 unchanged"), "{out}");
    assert!(
        out.contains("1 files failed:") && out.contains("broken.json: "),
        "{out}"
    );
    assert!(stderr(&o).contains("read 1/1 files"), "{}", stderr(&o));
    // Again: idempotent.
    let o = run(&args);
    assert!(
        stdout(&o).contains("0 new, 0 new revisions, 2 unchanged"),
        "{}",
        stdout(&o)
    );

    let o = run(&["vuln", "match", "--site", &site, "--json", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let matches = v["matches"].as_array().unwrap();
    assert!(matches.len() >= 4, "{v}");
    assert_eq!(matches[0]["cve"], "CVE-2021-20609");
    assert_eq!(matches[0]["kev"], true);
    assert!(
        matches[0]["asset"]
            .as_str()
            .unwrap()
            .starts_with("プレス機 PLC")
    );
    assert!(
        matches[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("known to be exploited")
    );
    assert_eq!(v["unhandled"], matches.len());

    let xlsx = dir.path().join("vulns.xlsx");
    let vex = dir.path().join("vex.json");
    let o = run(&[
        "vuln",
        "report",
        "--site",
        &site,
        "--xlsx",
        xlsx.to_str().unwrap(),
        "--vex",
        vex.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&vex).unwrap()).unwrap();
    assert_eq!(doc["document"]["category"], "csaf_vex");
    let o = run(&["vuln", "match", "--site", "999"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no site with id 999"), "{}", stderr(&o));

    // An OSV record, and the SBOM of the PLC: its tokio 1.19.2 is in the record's range.
    let osv = crate::support::shared("rustsec-advisory-db-osv/crates/RUSTSEC-2023-0001.json");
    let o = run(&["vuln", "import", osv.to_str().unwrap()]);
    assert!(stdout(&o).contains("1 new"), "{}", stdout(&o));
    let asset = matches[0]["asset_id"].to_string();
    let sbom = crate::support::shared("spdx-examples/software/example11/spdx2.3/sbom.spdx.json");
    let o = run(&[
        "vuln",
        "attach",
        "--site",
        &site,
        "--asset",
        &asset,
        sbom.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("attached sbom.spdx.json (SPDX JSON: "),
        "{}",
        stdout(&o)
    );
    let o = run(&["vuln", "match", "--site", &site, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let tokio: Vec<&serde_json::Value> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["cve"] == "CVE-2023-22466")
        .collect();
    assert_eq!(tokio.len(), 1, "{v}");
    assert_eq!(tokio[0]["component"], "tokio 1.19.2");
    let o = run(&[
        "vuln",
        "attach",
        "--site",
        &site,
        "--asset",
        &asset,
        broken.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("broken.json: read as CSAF VEX, but line 1, column"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_version_grammar_parses_at_least_95_percent_of_the_cisa_corpus() {
    let csaf = crate::support::shared("cisagov-csaf/csaf_files/OT/white");
    let o = kojo(
        "unused.db",
        &["vuln", "grammar-stats", csaf.to_str().unwrap()],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    println!("{out}");
    assert!(
        out.contains("2379 CSAF documents (0 files failed), 15842 version expressions"),
        "{out}"
    );
    let rate: f64 = out
        .split("parse rate: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|r| r.parse().ok())
        .unwrap();
    assert!(rate >= 95.0, "{rate}");
}
