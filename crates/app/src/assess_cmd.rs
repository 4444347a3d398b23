//! `kojo site add` and `kojo assess template|import|report`: the self-assessment from the
//! command line, for air-gapped plants and scripts.

use std::path::Path;

use anyhow::{Context, bail};
use kojo_core::Locale;
use kojo_core::org::OrgKind;
use kojo_formats::assessment_xlsx::{self, ImportError};
use kojo_storage::{Actor, AnswerInput, NewSite, Store};

use crate::cli::{ReportArgs, SiteAddArgs};
use crate::orgs_cmd::{check_codes, find_org};

fn locale(lang: &str) -> anyhow::Result<Locale> {
    Locale::parse(lang).with_context(|| format!("--lang must be ja or en, got {lang:?}"))
}

pub async fn site_add(store: &Store, args: SiteAddArgs) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    check_codes(&catalog, None, args.prefecture.as_deref())?;
    let org = find_org(store, &args.org, Some(OrgKind::Company)).await?;
    let site = store
        .create_site(
            &Actor::cli(),
            org.id,
            &NewSite {
                name: args.name,
                prefecture_code: args.prefecture,
            },
        )
        .await?;
    println!(
        "created site {} of {} (id {})",
        site.name, org.name, site.id
    );
    Ok(())
}

pub fn template(checklist: Option<&str>, lang: &str, out: &Path) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    let cl = match checklist {
        Some(key) if key.contains('/') => catalog.checklist_by_key(key),
        Some(id) => catalog.latest_checklist(id),
        None => catalog.latest_checklist("factory-guideline"),
    }
    .with_context(|| {
        format!(
            "no checklist {:?}",
            checklist.unwrap_or("factory-guideline")
        )
    })?;
    let scale = catalog.scale(&cl.scale).context("checklist scale")?;
    let bytes = assessment_xlsx::template(cl, scale, locale(lang)?)?;
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} ({}, {} items)",
        out.display(),
        cl.key(),
        cl.items.len()
    );
    Ok(())
}

pub async fn import(store: &Store, site: i64, file: &Path) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    let site = store
        .site(site)
        .await
        .with_context(|| format!("no site with id {site}"))?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    if bytes.len() > kojo_web::pages::exports::UPLOAD_LIMIT {
        bail!(
            "{}: larger than {} bytes",
            file.display(),
            kojo_web::pages::exports::UPLOAD_LIMIT
        );
    }
    let cl = catalog
        .latest_checklist("factory-guideline")
        .context("no factory checklist")?;
    let scale = catalog.scale(&cl.scale).context("checklist scale")?;
    let answers = match assessment_xlsx::parse(&bytes, cl, scale) {
        Ok(a) => a,
        Err(ImportError::Cells(cells)) => {
            for c in &cells {
                eprintln!("{}: {c}", file.display());
            }
            bail!(
                "{}: {} invalid cell(s); nothing was imported",
                file.display(),
                cells.len()
            );
        }
        Err(e) => bail!("{}: {e}; nothing was imported", file.display()),
    };
    let answered = answers.iter().filter(|a| a.level.is_some()).count();
    let rows: Vec<(String, AnswerInput)> = answers
        .into_iter()
        .map(|a| {
            (
                a.item_id,
                AnswerInput {
                    level: a.level,
                    note: a.note,
                    owner: a.owner,
                    target_date: a.target_date,
                },
            )
        })
        .collect();
    let a = store
        .import_assessment(&Actor::cli(), site.id, &cl.key(), &rows)
        .await?;
    println!(
        "imported assessment {} for site {} ({answered} of {} items answered)",
        a.id,
        site.name,
        cl.items.len()
    );
    Ok(())
}

pub async fn report(store: &Store, args: ReportArgs) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    let a = store
        .assessment(args.id)
        .await
        .with_context(|| format!("no assessment with id {}", args.id))?;
    let report = kojo_web::reports::load(store, &catalog, &a).await?;
    let locale = locale(&args.lang)?;
    if let Some(path) = &args.xlsx {
        let ctx = kojo_web::Ctx::anonymous(locale, "/".into());
        let data = kojo_web::pages::exports::export_data(&catalog, &ctx, &report)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        std::fs::write(path, assessment_xlsx::export(&data)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    if let Some(path) = &args.html {
        let html = kojo_web::pages::results::standalone_html(&catalog, &report, locale)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        std::fs::write(path, html).with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    if args.json || (args.xlsx.is_none() && args.html.is_none()) {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}
