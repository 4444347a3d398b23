//! Fills a database for the results-page benchmark (bench/assess): N companies × 3 sites ×
//! 2 assessments (the second a copy of the first with some answers improved), a signed-in
//! session per company, and a targets file (`cookie path` per line) for the load generator.
//!
//! cargo run --release -p kojo --example bench_seed -- DATABASE_URL COMPANIES TARGETS_FILE

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    reason = "test, example and build code: a panic is a failed run with its message, a test story reads top to bottom, and sizes stay small"
)]

use kojo_core::org::{OrgKind, Role};
use kojo_storage::{Actor, AnswerInput, NewOrg, NewSite, NewUser, Store, now_millis};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, companies, targets] = args.as_slice() else {
        anyhow::bail!("usage: bench_seed DATABASE_URL COMPANIES TARGETS_FILE");
    };
    let companies: usize = companies.parse()?;
    let catalog = kojo_content::load_embedded()?;
    let checklist = catalog
        .latest_checklist("factory-guideline")
        .expect("checklist");
    let store = Store::connect(url).await?;
    store.migrate().await?;
    let cli = Actor::cli();
    let hash = kojo_web::password::hash("bench-password-2026")?;
    let codes = ["5", "4", "3", "2", "1", "na"];
    let mut lines = Vec::new();
    let started = std::time::Instant::now();
    for c in 0..companies {
        let org = store
            .create_org(
                &cli,
                OrgKind::Company,
                &NewOrg {
                    name: format!("ベンチ製作所{c:04}"),
                    employees: Some(50 + (c as i64 * 37) % 3000),
                    ..NewOrg::default()
                },
            )
            .await?;
        let user = store
            .create_user(
                &cli,
                &NewUser {
                    login: format!("bench{c:04}"),
                    display_name: String::new(),
                    role: Role::CompanyAdmin,
                    org_id: Some(org.id),
                    password_hash: hash.clone(),
                    locale: kojo_core::Locale::Ja,
                },
            )
            .await?;
        let token = format!("benchtoken{c:054}");
        let now = now_millis();
        store
            .create_session(
                &kojo_web::auth::session::hash_token(&token),
                user.id,
                now,
                now + 24 * 3600 * 1000,
            )
            .await?;
        for s in 0..3 {
            let site = store
                .create_site(
                    &cli,
                    org.id,
                    &NewSite {
                        name: format!("第{}工場", s + 1),
                        prefecture_code: Some(format!("{:02}", 1 + (c + s) % 47)),
                    },
                )
                .await?;
            // A deterministic spread of answers.
            let answers = |round: usize| -> Vec<(String, AnswerInput)> {
                checklist
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let pick = (c * 7 + s * 3 + i * 5 + round * 11) % codes.len();
                        let code = if round == 1 && pick > 2 {
                            codes[pick - 1]
                        } else {
                            codes[pick]
                        };
                        (
                            item.id.clone(),
                            AnswerInput {
                                level: Some(code.into()),
                                ..AnswerInput::default()
                            },
                        )
                    })
                    .collect()
            };
            let first = store
                .import_assessment(&cli, site.id, &checklist.key(), &answers(0))
                .await?;
            store.complete_assessment(&cli, first.id).await?;
            let second = store
                .import_assessment(&cli, site.id, &checklist.key(), &answers(1))
                .await?;
            store.complete_assessment(&cli, second.id).await?;
            if s == 0 {
                lines.push(format!(
                    "kojo_session={token} /assessments/{}/results",
                    second.id
                ));
            }
        }
        if (c + 1) % 100 == 0 {
            eprintln!(
                "{} companies ({:.1}s)",
                c + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    std::fs::write(targets, lines.join("\n") + "\n")?;
    eprintln!(
        "seeded {companies} companies in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
