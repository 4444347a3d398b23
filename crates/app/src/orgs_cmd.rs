//! `kojo org add|list`: the instance admin's organisation use cases from the command line.

use kojo_core::org::OrgKind;
use kojo_service::orgs::OrgDraft;
use kojo_service::{Error, Lang, Problem, Service, Who};
use kojo_storage::{Invalid, NewOrg};

use crate::assess_cmd::cli_error;
use crate::cli::{KindArg, OrgAddArgs};

/// A use case's error as the user, org and site commands say it: a problem with what a flag
/// gave names the flag (`--industry "45": …`); anything else as [`cli_error`] says it.
pub fn flag_error(e: Error, what: &str) -> anyhow::Error {
    let (Error::Invalid(p) | Error::Conflict(p)) = &e else {
        return cli_error(e, what);
    };
    let en = Lang::en();
    let message = p.message(&en);
    match p {
        Problem::Field {
            field,
            value,
            expected,
        } => anyhow::anyhow!(
            "--{} {value:?}: {}",
            field.replace('_', "-"),
            expected.message(&en)
        ),
        Problem::UnknownPrefecture { code } => anyhow::anyhow!("--prefecture {code:?}: {message}"),
        Problem::Rule(
            Invalid::RoleNeedsOrg { .. }
            | Invalid::AdminHasNoOrg
            | Invalid::RoleOrgKind { .. }
            | Invalid::UnknownOrg { .. },
        )
        | Problem::OrgKind { .. } => anyhow::anyhow!("--org: {message}"),
        Problem::MembershipNeedsCompany => anyhow::anyhow!("--member-of: {message}"),
        Problem::Password(_) => anyhow::anyhow!("password refused: {message}"),
        _ => cli_error(e, what),
    }
}

pub async fn add(service: &Service, args: OrgAddArgs) -> anyhow::Result<()> {
    let draft = OrgDraft {
        kind: args.kind.kind(),
        org: NewOrg {
            name: args.name,
            name_en: args.name_en,
            corporate_number: args.corporate_number,
            industry_code: args.industry,
            prefecture_code: args.prefecture,
            employees: args.employees,
            sc3_member: args.sc3,
        },
        member_of: args.member_of,
    };
    let org = service
        .add_org(&Who::Cli, &draft)
        .await
        .map_err(|e| flag_error(e, "organisation"))?;
    println!("created {} {} (id {})", org.kind, org.name, org.id);
    Ok(())
}

pub async fn list(service: &Service, kind: Option<KindArg>, json: bool) -> anyhow::Result<()> {
    let orgs = service.orgs(&Who::Cli, kind.map(KindArg::kind)).await?;
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

/// An organisation a `--org` names (id or name), optionally of one kind.
pub async fn find_org(
    service: &Service,
    key: &str,
    kind: Option<OrgKind>,
) -> anyhow::Result<kojo_storage::Org> {
    service
        .find_org(&Who::Cli, key, kind)
        .await
        .map_err(|e| flag_error(e, &format!("organisation {key:?}")))
}

/// The company a `--org` names (id or name).
pub async fn company(service: &Service, key: &str) -> anyhow::Result<kojo_storage::Org> {
    find_org(service, key, Some(OrgKind::Company)).await
}
