//! `kojo serve`: migrate, optionally load the demo, print the setup link on first start, serve.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;

use crate::cli::ServeArgs;
use crate::config::Config;
use crate::demo;

pub async fn run(config: &Config, args: ServeArgs) -> anyhow::Result<()> {
    let service = config.service(args.disclosure_k).await?;
    let store = service.store().clone();
    let listen = config.listen(&args);
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let local = listener.local_addr()?;
    // Links kojo makes (setup, invitations, survey links) use this URL, never a request's Host.
    let public_url = args
        .public_url
        .clone()
        .or_else(|| config.file.public_url.clone())
        .unwrap_or_else(|| format!("http://{}", display_addr(local)))
        .trim_end_matches('/')
        .to_string();

    if args.demo {
        let loaded = demo::load(&service).await?;
        if let Some(pw) = loaded.password {
            println!(
                "demo: loaded {} organisations with sites and one user each (logins demo-…, see `kojo user list`)",
                loaded.orgs
            );
            println!("demo: password for every demo user: {pw}");
        } else {
            println!("demo: already loaded");
        }
    }
    if let Some(token) = service.setup_link().await? {
        println!(
            "setup: no administrator yet. Open {public_url}/setup/{token} to create one (valid 24 hours, single use)"
        );
    }

    let state = kojo_web::AppState::new(service, config.web(&args, &public_url)?);
    let policy = state.config.session_policy();
    let purger = state.service.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = purger.purge_sessions(&policy).await {
                tracing::warn!(error = %e, "purging expired sessions failed");
            }
        }
    });
    let app = kojo_web::router(state);
    println!(
        "kojo {} listening on http://{} (database: {})",
        env!("CARGO_PKG_VERSION"),
        local,
        config.database_display()
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .context("server error")?;
    store.close().await;
    println!("kojo stopped");
    Ok(())
}

/// An address to show people: a wildcard address is shown as 127.0.0.1.
fn display_addr(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}

async fn shutdown() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
