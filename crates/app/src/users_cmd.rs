//! `kojo user add|list|passwd`: the instance admin's use cases from the command line.

use std::io::BufRead;

use anyhow::{Context, bail};
use kojo_core::Locale;
use kojo_service::accounts::password;
use kojo_service::accounts::users::NewAccount;
use kojo_service::{Service, Who};

use crate::cli::UserAddArgs;
use crate::orgs_cmd::flag_error;

/// Reads the password from stdin, or makes a random one to print.
fn obtain_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        Ok((line.trim_end_matches(['\r', '\n']).to_string(), false))
    } else {
        Ok((password::generate(), true))
    }
}

pub async fn add(service: &Service, args: UserAddArgs) -> anyhow::Result<()> {
    let role = args.role.role();
    let org_id = match &args.org {
        Some(key) => Some(
            service
                .find_org(&Who::Cli, key, role.org_kind())
                .await
                .map_err(|e| flag_error(e, &format!("organisation {key:?}")))?
                .id,
        ),
        None => None,
    };
    let locale = Locale::parse(&args.locale)
        .with_context(|| format!("--locale must be ja or en, got {:?}", args.locale))?;
    let (pw, generated) = obtain_password(args.password_stdin)?;
    let new = NewAccount {
        login: args.login.clone(),
        display_name: args.name.clone().unwrap_or_default(),
        role,
        org_id,
        password: pw.clone(),
        locale,
    };
    let user = service
        .add_user(&Who::Cli, &new)
        .await
        .map_err(|e| flag_error(e, "user"))?;
    println!(
        "created user {} (id {}, role {})",
        user.login, user.id, user.role
    );
    if generated {
        println!("password: {pw}");
        println!("(shown once; the user can change it after signing in)");
    }
    Ok(())
}

pub async fn list(service: &Service, org: Option<&str>, json: bool) -> anyhow::Result<()> {
    let org_id = match org {
        Some(key) => Some(
            service
                .find_org(&Who::Cli, key, None)
                .await
                .map_err(|e| flag_error(e, &format!("organisation {key:?}")))?
                .id,
        ),
        None => None,
    };
    let users = service.users(&Who::Cli, org_id).await?;
    if json {
        let rows: Vec<_> = users
            .iter()
            .map(|u| {
                serde_json::json!({
                    "id": u.id, "login": u.login, "display_name": u.display_name,
                    "role": u.role, "org_id": u.org_id, "locale": u.locale, "disabled": u.disabled,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        println!(
            "{:<6} {:<28} {:<18} {:<8} name",
            "id", "login", "role", "org"
        );
        for u in &users {
            let org = u
                .org_id
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into());
            println!(
                "{:<6} {:<28} {:<18} {:<8} {}",
                u.id, u.login, u.role, org, u.display_name
            );
        }
    }
    Ok(())
}

pub async fn passwd(service: &Service, login: &str, from_stdin: bool) -> anyhow::Result<()> {
    let user = match service.account(&Who::Cli, login).await {
        Ok(user) => user,
        Err(kojo_service::Error::NotFound) => bail!("no user with login {login:?}"),
        Err(e) => return Err(e.into()),
    };
    let (pw, generated) = obtain_password(from_stdin)?;
    let user = service
        .reset_password(&Who::Cli, &user.login, &pw)
        .await
        .map_err(|e| flag_error(e, &format!("user with login {login:?}")))?;
    println!(
        "password changed for {} (their sessions were ended)",
        user.login
    );
    if generated {
        println!("password: {pw}");
    }
    Ok(())
}
