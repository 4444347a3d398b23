//! Instance administration: the organisation list.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use kojo_core::org::{OrgKind, Role};

use crate::{AppError, AppState, Ctx};

pub struct OrgRow {
    pub kind_code: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub industry: String,
    pub prefecture: String,
    pub employees: String,
    pub members: String,
    pub sites: String,
    pub users: String,
    pub sc3: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_orgs.html")]
pub struct OrgsPage {
    pub ctx: Ctx,
    pub rows: Vec<OrgRow>,
}

pub async fn orgs(State(state): State<AppState>, ctx: Ctx) -> Result<OrgsPage, AppError> {
    ctx.require_role(&[Role::Admin])?;
    let l = ctx.locale;
    let t = ctx.t;
    let orgs = state.store().list_orgs(None).await?;
    let counts: HashMap<kojo_core::ids::OrgId, (i64, i64, i64)> = state
        .store()
        .org_counts()
        .await?
        .into_iter()
        .map(|(id, m, s, u)| (id, (m, s, u)))
        .collect();
    let reference = state.catalog();
    let rows = orgs
        .into_iter()
        .map(|o| {
            let kind = o.kind;
            let (members, sites, users) = counts.get(&o.id).copied().unwrap_or_default();
            let industry = o
                .industry_code
                .as_deref()
                .and_then(|c| reference.industries.industries.iter().find(|i| i.code == c))
                .map(|i| i.title.get(l).to_string())
                .unwrap_or_default();
            let prefecture = o
                .prefecture_code
                .as_deref()
                .and_then(|c| {
                    reference
                        .prefectures
                        .prefectures
                        .iter()
                        .find(|p| p.code == c)
                })
                .map(|p| p.title.get(l).to_string())
                .unwrap_or_default();
            let dash_unless = |show: bool, n: i64| {
                if show {
                    kojo_core::format::int(n)
                } else {
                    String::new()
                }
            };
            OrgRow {
                kind_code: kind.as_str(),
                kind: match kind {
                    OrgKind::Ministry => t.kind_ministry,
                    OrgKind::Association => t.kind_association,
                    OrgKind::Company => t.kind_company,
                },
                name: o.name,
                industry,
                prefecture,
                employees: o.employees.map(kojo_core::format::int).unwrap_or_default(),
                members: dash_unless(kind == OrgKind::Association, members),
                sites: dash_unless(kind == OrgKind::Company, sites),
                users: kojo_core::format::int(users),
                sc3: o.sc3_member,
            }
        })
        .collect();
    Ok(OrgsPage { ctx, rows })
}
