//! `kojo serve --demo`: demo organisations, factories and users (from `demo.toml`), loaded once.

use anyhow::Context;
use kojo_core::org::{OrgKind, Role};
use kojo_storage::{Actor, NewOrg, NewSite, NewUser, Store, StoreError};
use kojo_web::password;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    orgs: Vec<DemoOrg>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOrg {
    kind: String,
    name: String,
    name_en: Option<String>,
    industry: Option<String>,
    prefecture: Option<String>,
    employees: Option<i64>,
    #[serde(default)]
    sc3: bool,
    #[serde(default)]
    member_of: Vec<String>,
    #[serde(default)]
    sites: Vec<String>,
    login: String,
}

/// What was loaded, for the console.
pub struct Loaded {
    pub orgs: usize,
    pub password: Option<String>,
}

/// Loads the demo unless it is already there (its first organisation exists).
pub async fn load(store: &Store) -> anyhow::Result<Loaded> {
    let file: DemoFile = toml::from_str(include_str!("demo.toml")).context("demo.toml")?;
    let first = &file.orgs[0];
    let first_kind = OrgKind::parse(&first.kind).context("demo kind")?;
    match store.org_by_name(first_kind, &first.name).await {
        Ok(_) => {
            return Ok(Loaded {
                orgs: 0,
                password: None,
            });
        }
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let demo_password = format!("demo-{}", &kojo_web::auth::session::new_token()[..10]);
    let hash = password::hash_async(demo_password.clone()).await;
    let actor = Actor::system();
    for o in &file.orgs {
        let kind = OrgKind::parse(&o.kind).with_context(|| format!("demo kind {:?}", o.kind))?;
        let org = store
            .create_org(
                &actor,
                kind,
                &NewOrg {
                    name: o.name.clone(),
                    name_en: o.name_en.clone(),
                    corporate_number: None,
                    industry_code: o.industry.clone(),
                    prefecture_code: o.prefecture.clone(),
                    employees: o.employees,
                    sc3_member: o.sc3,
                },
            )
            .await?;
        for a in &o.member_of {
            let assoc = store.org_by_name(OrgKind::Association, a).await?;
            store.add_membership(&actor, assoc.id, org.id).await?;
        }
        for s in &o.sites {
            store
                .create_site(
                    &actor,
                    org.id,
                    &NewSite {
                        name: s.clone(),
                        prefecture_code: o.prefecture.clone(),
                    },
                )
                .await?;
        }
        let role = match kind {
            OrgKind::Ministry => Role::MinistryAnalyst,
            OrgKind::Association => Role::AssociationAdmin,
            OrgKind::Company => Role::CompanyAdmin,
        };
        store
            .create_user(
                &actor,
                &NewUser {
                    login: o.login.clone(),
                    display_name: format!("{} 担当", o.name),
                    role,
                    org_id: Some(org.id),
                    password_hash: hash.clone(),
                    locale: kojo_core::Locale::Ja,
                },
            )
            .await?;
    }
    Ok(Loaded {
        orgs: file.orgs.len(),
        password: Some(demo_password),
    })
}
