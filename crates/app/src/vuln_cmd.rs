//! `kojo vuln import|match|report|attach|grammar-stats`: vulnerability identification from the
//! command line. Import shows a progress bar on a terminal (a line every 500 files otherwise),
//! the counts of advisories, products and CVEs read, and every file that failed with why.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use kojo_core::ids::{AssetId, SiteId};
use kojo_core::vuln::spec::{ParseStatus, VersionSpec};
use kojo_service::vuln::{read_paths, vex_document, xlsx_of_matches};
use kojo_service::{Lang, Service, Who};

use crate::assess_cmd::cli_error;
use crate::cli::VulnCommand;
use crate::config::Config;

pub async fn run(config: &Config, command: VulnCommand) -> anyhow::Result<()> {
    match command {
        VulnCommand::GrammarStats { paths, show } => grammar_stats(&paths, show),
        VulnCommand::Import { paths } => import(&config.service(None).await?, &paths).await,
        VulnCommand::Match { site, json, lang } => {
            matches(&config.service(None).await?, site, json, &lang).await
        }
        VulnCommand::Report {
            site,
            xlsx,
            vex,
            lang,
        } => report(&config.service(None).await?, site, xlsx, vex, &lang).await,
        VulnCommand::Attach { site, asset, file } => {
            attach(&config.service(None).await?, site, asset, &file).await
        }
    }
}

async fn attach(
    service: &Service,
    site: SiteId,
    asset: AssetId,
    file: &Path,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let what = format!("asset {asset} in site {site}");
    let d = service
        .vuln_attach_document(&Who::Cli, site, asset, &name, &bytes)
        .await
        .map_err(|e| cli_error(e, &what))?;
    let unhandled = service
        .vuln_unhandled(&Who::Cli, site)
        .await
        .map_err(|e| cli_error(e, &what))?;
    println!(
        "attached {} ({}: {} components, {} VEX statements) to asset {asset}; {unhandled} unhandled matches in site {site}",
        d.file_name, d.format, d.components, d.statements
    );
    Ok(())
}

fn lang(code: &str) -> anyhow::Result<Lang> {
    let locale = kojo_core::Locale::parse(code)
        .with_context(|| format!("--lang must be ja or en, got {code:?}"))?;
    Ok(Lang::new(locale))
}

/// A progress line on standard error.
fn progress() -> impl FnMut(&Path, usize, usize) {
    let tty = std::io::stderr().is_terminal();
    move |_file: &Path, done: usize, total: usize| {
        if tty {
            let width = 30;
            let filled = done * width / total.max(1);
            eprint!(
                "\r[{}{}] {done}/{total}",
                "#".repeat(filled),
                ".".repeat(width - filled)
            );
            if done == total {
                eprintln!();
            }
        } else if done.is_multiple_of(500) || done == total {
            eprintln!("read {done}/{total} files");
        }
    }
}

async fn import(service: &Service, paths: &[PathBuf]) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut bar = progress();
    let input = tokio::task::block_in_place(|| read_paths(paths, &mut bar));
    let read = started.elapsed();
    let r = service
        .vuln_import(&Who::Cli, input)
        .await
        .map_err(|e| cli_error(e, "import"))?;
    println!(
        "read {} files in {:.2} s: {} advisories, {} products, {} CVEs, {} KEV entries",
        r.files,
        read.as_secs_f64(),
        r.advisories,
        r.products,
        r.cves,
        r.kev_entries
    );
    println!(
        "stored: {} new, {} new revisions, {} unchanged (total {:.2} s)",
        r.new,
        r.revised,
        r.unchanged,
        started.elapsed().as_secs_f64()
    );
    for (site, d) in &r.sites {
        println!(
            "site {site}: {} new matches, {} moved to a newer revision, {} gone, {} unchanged",
            d.new, d.revised, d.gone, d.kept
        );
    }
    if !r.failures.is_empty() {
        println!("{} files failed:", r.failures.len());
        let en = kojo_service::Lang::en();
        for f in &r.failures {
            println!("  {}", f.message(&en));
        }
    }
    Ok(())
}

async fn matches(service: &Service, site: SiteId, json: bool, code: &str) -> anyhow::Result<()> {
    let lang = lang(code)?;
    let what = format!("site with id {site}");
    let diff = service
        .vuln_match_site(&Who::Cli, site, None)
        .await
        .map_err(|e| cli_error(e, &what))?;
    let v = service
        .vuln_site(&Who::Cli, site, &lang)
        .await
        .map_err(|e| cli_error(e, &what))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} matches ({} unhandled; {} new, {} gone)",
        v.site_name,
        v.matches.len(),
        v.unhandled,
        diff.new,
        diff.gone
    )?;
    for m in &v.matches {
        writeln!(
            out,
            "{:>3} {:<14} {:<16} {:<20} {} | {}",
            m.priority.score, m.cve, m.tracking_id, m.asset, m.status, m.explanation
        )?;
    }
    Ok(())
}

async fn report(
    service: &Service,
    site: SiteId,
    xlsx: Option<PathBuf>,
    vex: Option<PathBuf>,
    code: &str,
) -> anyhow::Result<()> {
    let lang = lang(code)?;
    let what = format!("site with id {site}");
    let v = service
        .vuln_site(&Who::Cli, site, &lang)
        .await
        .map_err(|e| cli_error(e, &what))?;
    if xlsx.is_none() && vex.is_none() {
        anyhow::bail!("give --xlsx FILE and/or --vex FILE");
    }
    if let Some(path) = xlsx {
        let bytes = xlsx_of_matches(&v, &lang).map_err(|e| cli_error(e, "workbook"))?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {} ({} matches)", path.display(), v.matches.len());
    }
    if let Some(path) = vex {
        let now = kojo_service::plant::today()?.iso() + "T00:00:00Z";
        let doc = vex_document(&v, &v.site_name, &now);
        std::fs::write(&path, serde_json::to_vec_pretty(&doc)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// The version grammar over every version leaf of the CSAF files under `paths`.
fn grammar_stats(paths: &[PathBuf], show: usize) -> anyhow::Result<()> {
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unparsed: HashMap<String, usize> = HashMap::new();
    let (mut total, mut conditions, mut files, mut failed) = (0usize, 0usize, 0usize, 0usize);
    for path in paths {
        let loaded = kojo_formats::csaf::dir::read(path);
        files += loaded.documents.len();
        failed += loaded.problems.len();
        for d in &loaded.documents {
            for p in &d.advisory.products {
                let Some((text, _)) = p.version() else {
                    continue;
                };
                total += 1;
                let spec = VersionSpec::parse(text);
                *by_status.entry(spec.status.as_str()).or_default() += 1;
                if !spec.conditions.is_empty() {
                    conditions += 1;
                }
                if spec.status != ParseStatus::Parsed {
                    *unparsed.entry(text.to_string()).or_default() += 1;
                }
            }
        }
    }
    anyhow::ensure!(total > 0, "no version expressions found in {paths:?}");
    let parsed = by_status.get("parsed").copied().unwrap_or(0);
    println!("{files} CSAF documents ({failed} files failed), {total} version expressions");
    for (status, n) in &by_status {
        println!("  {status}: {n}");
    }
    println!("  with a condition (matches need checking): {conditions}");
    println!(
        "parse rate: {:.2} % ({parsed}/{total})",
        100.0 * parsed as f64 / total as f64
    );
    let mut worst: Vec<(String, usize)> = unparsed.into_iter().collect();
    worst.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (text, n) in worst.iter().take(show) {
        println!("  {n:>4} × {text:?}");
    }
    Ok(())
}
