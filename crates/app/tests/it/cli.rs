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
            "物理的対策",
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
    let o = kojo(
        &db.url,
        &["user", "add", "root", "--role", "admin", "--password-stdin"],
        Some("a-long-enough-password\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("password:"));
    let o = run(&["user", "add", "sato", "--role", "company-member"]);
    assert!(stderr(&o).contains("needs --org"), "{}", stderr(&o));
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
