//! `kojo site add` and `kojo assess template|import|report`: the self-assessment from the
//! command line, for air-gapped plants and scripts.

use std::path::Path;

use anyhow::{Context, bail};
use kojo_core::Locale;
use kojo_core::ids::SiteId;
use kojo_formats::assessment_xlsx::{self, ImportError};
use kojo_service::assessment::WorkbookImport;
use kojo_service::company::SiteDraft;
use kojo_service::{Lang, Service, Who};

use crate::cli::{ReportArgs, SiteAddArgs};
use crate::orgs_cmd::{company, flag_error};

fn locale(lang: &str) -> anyhow::Result<Locale> {
    Locale::parse(lang).with_context(|| format!("--lang must be ja or en, got {lang:?}"))
}

pub async fn site_add(service: &Service, args: SiteAddArgs) -> anyhow::Result<()> {
    let org = company(service, &args.org).await?;
    let draft = SiteDraft {
        name: args.name,
        prefecture: args.prefecture.unwrap_or_default(),
    };
    let site = service
        .add_site(&Who::Cli, org.id, &draft)
        .await
        .map_err(|e| flag_error(e, "site"))?;
    println!(
        "created site {} of {} (id {})",
        site.name, org.name, site.id
    );
    Ok(())
}

pub fn template(checklist: Option<&str>, lang: &str, out: &Path) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    let key = match checklist {
        Some(key) if key.contains('/') => Some(key.to_string()),
        Some(id) => Some(
            catalog
                .latest_checklist(id)
                .with_context(|| format!("no checklist {id:?}"))?
                .key(),
        ),
        None => None,
    };
    let cl = match &key {
        Some(k) => catalog.checklist_by_key(k),
        None => catalog.latest_checklist(kojo_service::DEFAULT_CHECKLIST),
    }
    .with_context(|| format!("no checklist {:?}", checklist.unwrap_or_default()))?;
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

pub async fn import(service: &Service, site: SiteId, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let imported = service
        .import_workbook(&Who::Cli, site, &bytes)
        .await
        .map_err(|e| cli_error(e, &format!("site with id {site}")))?;
    let a = match imported {
        WorkbookImport::Imported(a) => a,
        WorkbookImport::Rejected(ImportError::Cells(cells)) => {
            for c in &cells {
                eprintln!("{}: {c}", file.display());
            }
            bail!(
                "{}: {} invalid cell(s); nothing was imported",
                file.display(),
                cells.len()
            );
        }
        WorkbookImport::Rejected(e) => bail!("{}: {e}; nothing was imported", file.display()),
    };
    let answers = service.store().answers(a.id).await?;
    let answered = answers.iter().filter(|r| r.level.is_some()).count();
    let (cl, _) = service.checklist_of(&a.checklist)?;
    println!(
        "imported assessment {} for site {} ({answered} of {} items answered)",
        a.id,
        a.site_name,
        cl.items.len()
    );
    Ok(())
}

pub async fn report(service: &Service, args: ReportArgs) -> anyhow::Result<()> {
    let id = args.id;
    let report = service
        .assessment_report(&Who::Cli, id)
        .await
        .map_err(|e| cli_error(e, &format!("assessment with id {id}")))?;
    let locale = locale(&args.lang)?;
    let lang = Lang::new(locale);
    if let Some(path) = &args.xlsx {
        let bytes = service.results_workbook(&report, &lang)?;
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    if let Some(path) = &args.html {
        let options = kojo_service::plant::analysis_options(None, None, None)?;
        let plant = service
            .analyse_plant(&Who::Cli, report.header.site_id, &options)
            .await?;
        let html = kojo_web::standalone_report(service, &report, &plant, locale)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        std::fs::write(path, html).with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    if args.json || (args.xlsx.is_none() && args.html.is_none()) {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}

/// A use case's error as the command line says it (in English: the CLI speaks English).
pub fn cli_error(e: kojo_service::Error, what: &str) -> anyhow::Error {
    match e {
        kojo_service::Error::NotFound => anyhow::anyhow!("no {what}"),
        kojo_service::Error::Invalid(p) | kojo_service::Error::Conflict(p) => {
            anyhow::anyhow!("{}", p.message(&Lang::en()))
        }
        kojo_service::Error::TooLarge { limit } => {
            anyhow::anyhow!("the file is larger than {limit} bytes")
        }
        other => anyhow::anyhow!("{other}"),
    }
}
