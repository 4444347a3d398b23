//! `kojo org add|list`.

use anyhow::{Context, bail};
use kojo_content::Catalog;
use kojo_core::org::OrgKind;
use kojo_storage::{Actor, NewOrg, Org, Store, StoreError};

use crate::cli::{KindArg, OrgAddArgs};

/// Finds an organisation by id or by name (optionally of one kind).
pub async fn find_org(store: &Store, key: &str, kind: Option<OrgKind>) -> anyhow::Result<Org> {
    if let Ok(id) = key.parse::<kojo_core::ids::OrgId>() {
        let org = store
            .org(id)
            .await
            .with_context(|| format!("no organisation with id {id}"))?;
        if let Some(k) = kind
            && org.kind != k
        {
            bail!(
                "organisation {id} ({}) is a {}, not a {}",
                org.name,
                org.kind,
                k.as_str()
            );
        }
        return Ok(org);
    }
    let kinds: Vec<OrgKind> = match kind {
        Some(k) => vec![k],
        None => OrgKind::ALL.to_vec(),
    };
    let mut found = Vec::new();
    for k in kinds {
        match store.org_by_name(k, key).await {
            Ok(o) => found.push(o),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    match found.len() {
        0 => bail!("no organisation named {key:?}"),
        1 => Ok(found.remove(0)),
        _ => bail!("several organisations are named {key:?}; use the id"),
    }
}

/// Checks codes against the reference tables, naming the flag and what is allowed.
pub fn check_codes(
    catalog: &Catalog,
    industry: Option<&str>,
    prefecture: Option<&str>,
) -> anyhow::Result<()> {
    if let Some(code) = industry
        && !catalog.industries.industries.iter().any(|i| i.code == code)
    {
        let codes: Vec<&str> = catalog
            .industries
            .industries
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        bail!(
            "--industry {code:?} is not a 日本標準産業分類 中分類 code kojo knows; expected one of {}",
            codes.join(", ")
        );
    }
    if let Some(code) = prefecture
        && !catalog
            .prefectures
            .prefectures
            .iter()
            .any(|p| p.code == code)
    {
        bail!("--prefecture {code:?} is not a prefecture code; expected 01 to 47");
    }
    Ok(())
}

pub async fn add(store: &Store, args: OrgAddArgs) -> anyhow::Result<()> {
    let catalog = kojo_content::load_embedded()?;
    check_codes(
        &catalog,
        args.industry.as_deref(),
        args.prefecture.as_deref(),
    )?;
    let kind = args.kind.kind();
    if kind != OrgKind::Company && !args.member_of.is_empty() {
        bail!("--member-of is only for companies");
    }
    let mut associations = Vec::new();
    for a in &args.member_of {
        associations.push(find_org(store, a, Some(OrgKind::Association)).await?);
    }
    let org = store
        .create_org(
            &Actor::cli(),
            kind,
            &NewOrg {
                name: args.name,
                name_en: args.name_en,
                corporate_number: args.corporate_number,
                industry_code: args.industry,
                prefecture_code: args.prefecture,
                employees: args.employees,
                sc3_member: args.sc3,
            },
        )
        .await?;
    for a in &associations {
        store.add_membership(&Actor::cli(), a.id, org.id).await?;
    }
    println!("created {} {} (id {})", org.kind, org.name, org.id);
    Ok(())
}

pub async fn list(store: &Store, kind: Option<KindArg>, json: bool) -> anyhow::Result<()> {
    let orgs = store.list_orgs(kind.map(KindArg::kind)).await?;
    if json {
        let rows: Vec<_> = orgs
            .iter()
            .map(|o| {
                serde_json::json!({
                    "id": o.id, "kind": o.kind, "name": o.name, "name_en": o.name_en,
                    "corporate_number": o.corporate_number, "industry_code": o.industry_code,
                    "prefecture_code": o.prefecture_code, "employees": o.employees, "sc3_member": o.sc3_member,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        println!("{:<6} {:<12} name", "id", "kind");
        for o in &orgs {
            println!("{:<6} {:<12} {}", o.id, o.kind, o.name);
        }
    }
    Ok(())
}
