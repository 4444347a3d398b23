//! The `kojo` binary: command line, configuration and logging around the library crates.

mod assess_cmd;
mod cli;
mod config;
mod content_cmd;
mod demo;
mod orgs_cmd;
mod plant_cmd;
mod risk_cmd;
mod serve;
mod survey_cmd;
mod users_cmd;
mod vuln_cmd;

use std::process::ExitCode;

use clap::Parser;

use cli::{
    AssessCommand, Cli, Command, ContentCommand, OrgCommand, PlantCommand, PlantSource,
    RiskCommand, SiteCommand, SurveyCommand, UserCommand,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // `kojo survey analyze … | head`: the reader went away; stop quietly like other tools.
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .map(|io| io.kind())
            .or_else(|| {
                c.downcast_ref::<serde_json::Error>()
                    .and_then(|j| j.io_error_kind())
            })
            == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KOJO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

#[allow(
    clippy::too_many_lines,
    reason = "lint debt: written before the limit; to be split (docs/architecture.md)"
)]
async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = config::Config::resolve(&cli.global)?;
    match cli.command {
        Command::Serve(args) => serve::run(&config, args).await,
        Command::Migrate => {
            let store = config.open_store().await?;
            println!(
                "database {} is at schema version {}",
                config.database_display(),
                store.schema_version().await?
            );
            Ok(())
        }
        Command::Content { command } => match command {
            ContentCommand::Check { dir } => content_cmd::check(dir.as_deref()),
            ContentCommand::Export { json: _ } => content_cmd::export(),
        },
        Command::User { command } => {
            let service = config.service(None).await?;
            match command {
                UserCommand::Add(args) => users_cmd::add(&service, args).await,
                UserCommand::List { org, json } => {
                    users_cmd::list(&service, org.as_deref(), json).await
                }
                UserCommand::Passwd {
                    login,
                    password_stdin,
                } => users_cmd::passwd(&service, &login, password_stdin).await,
            }
        }
        Command::Site { command } => {
            let service = config.service(None).await?;
            match command {
                SiteCommand::Add(args) => assess_cmd::site_add(&service, args).await,
            }
        }
        Command::Assess { command } => match command {
            AssessCommand::Template {
                checklist,
                lang,
                out,
            } => assess_cmd::template(checklist.as_deref(), &lang, &out),
            AssessCommand::Import { site, file } => {
                let service = config.service(None).await?;
                assess_cmd::import(&service, site, &file).await
            }
            AssessCommand::Report(args) => {
                let service = config.service(None).await?;
                assess_cmd::report(&service, args).await
            }
        },
        Command::Survey { command } => match command {
            SurveyCommand::Simulate {
                instrument,
                n,
                seed,
                out,
            } => survey_cmd::simulate(&instrument, n, seed, out.as_deref()),
            SurveyCommand::Analyze {
                instrument,
                file,
                crosstabs,
                k,
                json,
                threads,
            } => survey_cmd::analyze(&instrument, &file, &crosstabs, k, json, threads),
            SurveyCommand::Plan {
                instrument,
                crosstabs,
            } => survey_cmd::plan(&instrument, &crosstabs),
            SurveyCommand::Open {
                org,
                instrument,
                title,
            } => {
                let service = config.service(None).await?;
                survey_cmd::open(&service, &org, &instrument, &title).await
            }
            SurveyCommand::Import { round, file } => {
                let service = config.service(None).await?;
                survey_cmd::import(&service, round, &file).await
            }
            SurveyCommand::Close { round } => {
                let service = config.service(None).await?;
                survey_cmd::close(&service, round).await
            }
            SurveyCommand::Report {
                round,
                json,
                xlsx,
                lang,
                k,
            } => {
                let service = config.service(k).await?;
                survey_cmd::report(&service, round, json, xlsx.as_deref(), &lang).await
            }
        },
        Command::Plant { command } => plant(&config, command).await,
        Command::Risk {
            command: RiskCommand::Report(args),
        } => {
            let service = config.service(None).await?;
            risk_cmd::report(&service, args).await
        }
        Command::Vuln { command } => vuln_cmd::run(&config, command).await,
        Command::Org { command } => {
            let service = config.service(None).await?;
            match command {
                OrgCommand::Add(args) => orgs_cmd::add(&service, args).await,
                OrgCommand::List { kind, json } => orgs_cmd::list(&service, kind, json).await,
            }
        }
    }
}

async fn plant(config: &config::Config, command: PlantCommand) -> anyhow::Result<()> {
    use kojo_core::plant::simulate::Size;
    match command {
        PlantCommand::Simulate {
            assets,
            zones,
            conduits,
            seed,
            out,
            site,
        } => {
            let size = Size {
                assets,
                zones,
                conduits: conduits.unwrap_or(zones * 5),
            };
            match (out, site) {
                (Some(out), _) => plant_cmd::simulate(size, seed, &out),
                (None, Some(site)) => {
                    let service = config.service(None).await?;
                    plant_cmd::simulate_into(&service, size, seed, site).await
                }
                (None, None) => anyhow::bail!("give --out FILE or --site SITE"),
            }
        }
        PlantCommand::Import {
            site,
            file,
            remove_missing,
            lang,
        } => {
            let service = config.service(None).await?;
            if plant_cmd::is_register(&file) {
                plant_cmd::import_register(&service, site, &file, remove_missing, &lang).await
            } else {
                plant_cmd::import(&service, site, &file).await
            }
        }
        PlantCommand::Export {
            site,
            json,
            out,
            xlsx,
            lang,
        } => {
            let service = config.service(None).await?;
            match xlsx {
                Some(xlsx) => plant_cmd::export_register(&service, site, &lang, &xlsx).await,
                None => plant_cmd::export(&service, site, json, out.as_deref()).await,
            }
        }
        PlantCommand::Template { out, site, lang } => match site {
            Some(site) => {
                let service = config.service(None).await?;
                plant_cmd::template(Some(&service), Some(site), &lang, &out).await
            }
            None => plant_cmd::template(None, None, &lang, &out).await,
        },
        PlantCommand::Routes { source, max_hops } => {
            let plant = load_plant(config, &source).await?;
            plant_cmd::routes(&plant, max_hops)
        }
        PlantCommand::Graph {
            source,
            max_hops,
            out,
        } => {
            let plant = load_plant(config, &source).await?;
            plant_cmd::graph(&plant, max_hops, &out)
        }
    }
}

async fn load_plant(
    config: &config::Config,
    source: &PlantSource,
) -> anyhow::Result<kojo_core::plant::model::Plant> {
    match (&source.plant, source.site) {
        (Some(file), _) => plant_cmd::load(None, plant_cmd::Source::File(file)).await,
        (None, Some(site)) => {
            let service = config.service(None).await?;
            plant_cmd::load(Some(&service), plant_cmd::Source::Site(site)).await
        }
        (None, None) => anyhow::bail!("give --plant FILE or --site SITE"),
    }
}
