//! `kojo risk report`: the risk analysis of a site's model as JSON (the API's shape) or as a
//! workbook in the layout of IPA's risk-analysis sheets.

use anyhow::Context;
use kojo_service::plant::analysis_options;
use kojo_service::risk_report::RiskJson;
use kojo_service::{Lang, Service, Who};

use crate::cli::RiskReportArgs;
use crate::orgs_cmd::flag_error;

/// The most routes `--limit` may ask for (as the API).
const LIMIT_MAX: usize = 1000;

pub async fn report(service: &Service, args: RiskReportArgs) -> anyhow::Result<()> {
    let locale = kojo_core::Locale::parse(&args.lang)
        .with_context(|| format!("--lang must be ja or en, got {:?}", args.lang))?;
    let lang = Lang::new(locale);
    let options = analysis_options(
        args.rules.as_deref(),
        args.min_importance.as_deref(),
        args.max_hops.as_deref(),
    )
    .map_err(|e| flag_error(e, "risk report"))?;
    let limit = args.limit.unwrap_or(50);
    if !(1..=LIMIT_MAX).contains(&limit) {
        anyhow::bail!("--limit must be 1-{LIMIT_MAX}, got {limit}");
    }
    if let Some(out) = &args.xlsx {
        let (_, bytes) = service
            .risk_workbook(&Who::Cli, args.site, &options, &lang)
            .await?;
        std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
        println!("wrote {}", out.display());
    }
    if args.json || args.xlsx.is_none() {
        let a = service
            .analyse_plant(&Who::Cli, args.site, &options)
            .await?;
        let json = RiskJson::new(locale, &a, options.min_importance, limit);
        println!("{}", serde_json::to_string_pretty(&json)?);
    }
    Ok(())
}
