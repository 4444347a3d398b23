//! `kojo serve --demo`: demo organisations, factories and users (from `demo.toml`), loaded once.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use kojo_core::org::{OrgKind, Role};
use kojo_service::Service;
use kojo_service::accounts::{password, tokens};
use kojo_storage::{Actor, NewOrg, NewSite, NewUser, Store, StoreError};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    orgs: Vec<DemoOrg>,
    #[serde(default)]
    assessments: Vec<DemoAssessment>,
}

/// A completed self-assessment of a demo factory (see demo.toml).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAssessment {
    org: String,
    site: String,
    /// The answer of every item not in `answers`.
    default: String,
    #[serde(default)]
    answers: BTreeMap<String, String>,
    #[serde(default)]
    notes: BTreeMap<String, String>,
    #[serde(default)]
    plan: Vec<DemoPlanItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPlanItem {
    measure: String,
    owner: String,
    due: String,
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
pub async fn load(service: &Service) -> anyhow::Result<Loaded> {
    let store = service.store();
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
    let demo_password = format!("demo-{}", &tokens::new_token()[..10]);
    let hash = password::hash_async(demo_password.clone()).await?;
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
    let catalog = service.catalog();
    assessments(store, &actor, catalog, &file.assessments).await?;
    surveys(service, &actor).await?;
    plant(store, &actor).await?;
    Ok(Loaded {
        orgs: file.orgs.len(),
        password: Some(demo_password),
    })
}

/// Stores and completes the demo's self-assessments, with their action plans.
async fn assessments(
    store: &Store,
    actor: &Actor,
    catalog: &kojo_content::Catalog,
    demo: &[DemoAssessment],
) -> anyhow::Result<()> {
    use kojo_storage::{AnswerInput, NewPlanItem};
    const CHECKLIST: &str = "factory-guideline/v1";
    let checklist = catalog
        .checklist_by_key(CHECKLIST)
        .context("demo checklist")?;
    let scale = catalog.scale(&checklist.scale).context("demo scale")?;
    for d in demo {
        let org = store.org_by_name(OrgKind::Company, &d.org).await?;
        let site = store
            .sites_of(org.id)
            .await?
            .into_iter()
            .find(|s| s.name == d.site)
            .with_context(|| format!("demo assessment: {} has no site {}", d.org, d.site))?;
        for id in d.answers.keys().chain(d.notes.keys()) {
            if checklist.item(id).is_none() {
                bail!("demo assessment of {}: no checklist item {id}", d.site);
            }
        }
        let a = store
            .create_assessment(actor, site.id, CHECKLIST, None)
            .await?;
        for item in &checklist.items {
            let level = d.answers.get(&item.id).unwrap_or(&d.default);
            if scale.level(level).is_none() {
                bail!(
                    "demo assessment of {}: {}: no answer {level:?}",
                    d.site,
                    item.id
                );
            }
            let input = AnswerInput {
                level: Some(level.clone()),
                note: d.notes.get(&item.id).cloned().unwrap_or_default(),
                owner: String::new(),
                target_date: None,
            };
            if let kojo_storage::Saved::Conflict(_) =
                store.save_answer(actor, a.id, &item.id, 0, &input).await?
            {
                bail!("demo assessment of {}: {} saved twice", d.site, item.id);
            }
        }
        store.complete_assessment(actor, a.id).await?;
        for p in &d.plan {
            let item = checklist
                .item_of_measure(&p.measure)
                .with_context(|| format!("demo plan: no measure {}", p.measure))?;
            store
                .add_plan_item(
                    actor,
                    site.id,
                    &NewPlanItem {
                        checklist: CHECKLIST.into(),
                        item_id: item.id.clone(),
                        measure_id: p.measure.clone(),
                        owner: p.owner.clone(),
                        due_date: Some(p.due.clone()),
                        assessment_id: Some(a.id),
                    },
                )
                .await?;
        }
    }
    Ok(())
}

/// The demo's plant model, written by name in `demo_plant.toml`.
const PLANT_SITE: (&str, &str) = ("山田精機株式会社", "本社工場");

/// Stores the demo plant model in its site.
async fn plant(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    use kojo_core::plant::named::NamedPlant;
    let doc: NamedPlant =
        toml::from_str(include_str!("demo_plant.toml")).context("demo_plant.toml")?;
    let plant = doc.resolve().context("demo_plant.toml")?;
    let org = store.org_by_name(OrgKind::Company, PLANT_SITE.0).await?;
    let site = store
        .sites_of(org.id)
        .await?
        .into_iter()
        .find(|s| s.name == PLANT_SITE.1)
        .context("demo plant: no site")?;
    store.replace_plant(actor, site.id, &plant, "demo").await?;
    Ok(())
}

/// Simulated responses whose figures follow the 2022 baseline, as import rows.
fn simulated(
    catalog: &kojo_content::Catalog,
    instrument: &str,
    n: usize,
    seed: u64,
) -> anyhow::Result<Vec<kojo_storage::ImportRow>> {
    use kojo_core::survey::schema::Schema;
    use kojo_core::survey::tally::Plan;
    let inst = catalog.instrument(instrument).context("demo instrument")?;
    let baseline = catalog.baseline(&inst.baseline).context("demo baseline")?;
    let schema = Schema::new(inst)?;
    let plan = Plan::new(&schema, &[])?;
    let mut rows = Vec::new();
    kojo_core::survey::simulate::simulate(&schema, &plan, baseline, n, seed, |values, texts| {
        let mut cells = kojo_core::survey::answers::Answers::new();
        for (c, v) in values.iter().enumerate() {
            let mut cell = String::new();
            match texts[c] {
                Some(t) => cell.push_str(t),
                None => schema.write(c, *v, &mut cell),
            }
            if !cell.is_empty() {
                cells.insert(schema.columns[c].name.clone(), cell);
            }
        }
        rows.push(kojo_storage::ImportRow {
            respondent: format!("sim-{:04}", rows.len() + 1),
            org_id: None,
            answers: cells,
        });
    });
    Ok(rows)
}

/// A round of simulated answers (`n` respondents from `seed`), imported and closed.
async fn closed_round(
    service: &Service,
    actor: &Actor,
    owner: kojo_core::ids::OrgId,
    instrument: &str,
    title: &str,
    (n, seed): (usize, u64),
) -> anyhow::Result<()> {
    let store = service.store();
    let round = store
        .create_round(
            actor,
            owner,
            &kojo_storage::NewRound {
                instrument: instrument.into(),
                title: title.into(),
                opens_on: None,
                closes_on: None,
            },
        )
        .await?;
    store
        .import_responses(
            actor,
            round.id,
            &simulated(service.catalog(), instrument, n, seed)?,
        )
        .await?;
    store.close_round(actor, round.id).await?;
    Ok(())
}

/// Demo surveys: the ministry's reproduction of the 2022 surveys (simulated answers that give the
/// published figures), an association's closed round of last year (its report released) and its
/// open round with its members invited.
async fn surveys(service: &Service, actor: &Actor) -> anyhow::Result<()> {
    let store = service.store();
    use kojo_storage::{NewInvitee, NewRound};
    let ministry = store
        .list_orgs(Some(OrgKind::Ministry))
        .await?
        .into_iter()
        .next()
        .context("demo ministry")?;
    for (instrument, n, title) in [
        (
            "company-2022",
            397,
            "令和4年度 会員企業調査の再現（デモ・模擬回答）",
        ),
        (
            "association-2022",
            31,
            "令和4年度 業界団体調査の再現（デモ・模擬回答）",
        ),
    ] {
        closed_round(service, actor, ministry.id, instrument, title, (n, 2022)).await?;
    }
    let assoc = store
        .list_orgs(Some(OrgKind::Association))
        .await?
        .into_iter()
        .find(|a| a.sc3_member)
        .context("demo association")?;
    // Last year's round, closed: the association's report is released once a round closes
    // (docs/surveys.md, "Differencing"), so the demo shows one released and one running.
    closed_round(
        service,
        actor,
        assoc.id,
        "company-2022",
        "令和7年度 会員企業調査（デモ・模擬回答）",
        (40, 2025),
    )
    .await?;
    let round = store
        .create_round(
            actor,
            assoc.id,
            &NewRound {
                instrument: "company-2022".into(),
                title: "令和8年度 会員企業調査（デモ）".into(),
                opens_on: None,
                closes_on: None,
            },
        )
        .await?;
    let members = store.members(assoc.id).await?;
    let mut invitees = Vec::new();
    for m in &members {
        let key = kojo_service::rounds::respondent_of(m.id);
        let token = service.invitee_token(round.id, &key).await?;
        invitees.push(NewInvitee {
            org_id: Some(m.id),
            label: m.name.clone(),
            email: None,
            token_hash: tokens::hash_token(&token),
        });
    }
    store.add_invitees(actor, round.id, &invitees).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use kojo_core::date::Date;
    use kojo_core::plant::findings::{self, Rule};
    use kojo_core::plant::named::NamedPlant;

    /// The demo plant shows a newcomer the common findings of a real register.
    #[test]
    fn the_demo_plant_shows_the_usual_findings() {
        let doc: NamedPlant = toml::from_str(include_str!("demo_plant.toml")).unwrap();
        let plant = doc.resolve().unwrap();
        let found: std::collections::BTreeSet<Rule> =
            findings::check(&plant, Date::new(2026, 12, 1).unwrap())
                .iter()
                .map(|f| f.rule)
                .collect();
        for rule in [
            Rule::UnfilteredLink,
            Rule::RemoteAlwaysOn,
            Rule::PortableCrossesZones,
            Rule::NoOwner,
            Rule::SupportEnded,
            Rule::UnknownVersion,
            Rule::BusinessWithControl,
            Rule::SafetyNotSeparated,
            Rule::WirelessInControl,
            Rule::ExternalInControl,
        ] {
            assert!(found.contains(&rule), "{rule:?} not in {found:?}");
        }
    }
}
