//! `kojo user add|list|passwd`.

use std::io::BufRead;

use anyhow::{Context, bail};
use kojo_core::Locale;
use kojo_storage::{Actor, NewUser, Store};
use kojo_web::password;
use rand::RngExt;

use crate::cli::UserAddArgs;
use crate::orgs_cmd::find_org;

/// Reads the password from stdin, or makes a random one to print.
fn obtain_password(from_stdin: bool, login: &str) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if let Err(w) = password::check(&pw, login) {
            bail!("password refused: {}", weakness(w));
        }
        Ok((pw, false))
    } else {
        // 16 characters from an alphabet without look-alikes (0/O, 1/l/I).
        const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::rng();
        let pw = (0..16)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        Ok((pw, true))
    }
}

fn weakness(w: password::Weakness) -> String {
    match w {
        password::Weakness::TooShort => format!("at least {} characters needed", password::MIN_LEN),
        password::Weakness::TooLong => format!("at most {} characters allowed", password::MAX_LEN),
        password::Weakness::SameAsLogin => "must differ from the login".into(),
    }
}

pub async fn add(store: &Store, args: UserAddArgs) -> anyhow::Result<()> {
    let role = args.role.role();
    let org_id = match (&args.org, role.org_kind()) {
        (Some(o), Some(kind)) => Some(find_org(store, o, Some(kind)).await?.id),
        (Some(_), None) => bail!("--org is not used with --role admin"),
        (None, Some(kind)) => bail!(
            "--role {role} needs --org (an organisation of kind {})",
            kind.as_str()
        ),
        (None, None) => None,
    };
    let locale = Locale::parse(&args.locale)
        .with_context(|| format!("--locale must be ja or en, got {:?}", args.locale))?;
    let (pw, generated) = obtain_password(args.password_stdin, &args.login)?;
    let user = store
        .create_user(
            &Actor::cli(),
            &NewUser {
                login: args.login.clone(),
                display_name: args.name.clone().unwrap_or_default(),
                role,
                org_id,
                password_hash: password::hash_async(pw.clone()).await?,
                locale,
            },
        )
        .await?;
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

pub async fn list(store: &Store, org: Option<&str>, json: bool) -> anyhow::Result<()> {
    let org_id = match org {
        Some(o) => Some(find_org(store, o, None).await?.id),
        None => None,
    };
    let users = store.list_users(org_id).await?;
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

pub async fn passwd(store: &Store, login: &str, from_stdin: bool) -> anyhow::Result<()> {
    let user = store
        .user_by_login(login)
        .await
        .with_context(|| format!("no user with login {login:?}"))?;
    let (pw, generated) = obtain_password(from_stdin, &user.login)?;
    store
        .set_password(
            &Actor::cli(),
            user.id,
            &password::hash_async(pw.clone()).await?,
        )
        .await?;
    println!(
        "password changed for {} (their sessions were ended)",
        user.login
    );
    if generated {
        println!("password: {pw}");
    }
    Ok(())
}
