//! Instance administration: the organisation list.

use askama::Template;
use askama_web::WebTemplate;
use kojo_content::Catalog;
use kojo_core::format;
use kojo_core::org::OrgKind;
use kojo_service::orgs::OrgSummary;

use super::company::prefecture_name;
use crate::Ctx;

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
    /// (code, label) choices of the add-organisation form.
    pub kinds: Vec<(&'static str, &'static str)>,
    pub industries: Vec<(String, String)>,
    pub prefectures: Vec<(String, String)>,
    /// (id, name) of the associations a new company can join, and of every organisation.
    pub associations: Vec<(String, String)>,
    pub orgs: Vec<(String, String)>,
    /// (code, label) of the roles that belong to an organisation.
    pub roles: Vec<(&'static str, &'static str)>,
    /// The invitation link just made, shown once.
    pub invite_link: Option<String>,
}

/// A count shown only where it means something (members of associations, sites of companies).
fn count_if(show: bool, n: i64) -> String {
    if show { format::int(n) } else { String::new() }
}

fn org_row(ctx: &Ctx, catalog: &Catalog, s: &OrgSummary) -> OrgRow {
    let (l, o) = (ctx.locale, &s.org);
    let industry = o
        .industry_code
        .as_deref()
        .and_then(|c| catalog.industries.industries.iter().find(|i| i.code == c))
        .map(|i| i.title.get(l).to_string())
        .unwrap_or_default();
    OrgRow {
        kind_code: o.kind.as_str(),
        kind: kojo_service::kind_label(o.kind, &ctx.lang()),
        name: o.name.clone(),
        industry,
        prefecture: prefecture_name(catalog, o.prefecture_code.as_deref(), l),
        employees: o.employees.map(format::int).unwrap_or_default(),
        members: count_if(o.kind == OrgKind::Association, s.members),
        sites: count_if(o.kind == OrgKind::Company, s.sites),
        users: format::int(s.users),
        sc3: o.sc3_member,
    }
}

impl OrgsPage {
    pub fn new(catalog: &Catalog, ctx: Ctx, orgs: &[OrgSummary]) -> OrgsPage {
        let l = ctx.locale;
        let lang = ctx.lang();
        let pick = |kind: Option<OrgKind>| {
            orgs.iter()
                .filter(|s| kind.is_none_or(|k| s.org.kind == k))
                .map(|s| (s.org.id.to_string(), s.org.name.clone()))
                .collect()
        };
        OrgsPage {
            rows: orgs.iter().map(|s| org_row(&ctx, catalog, s)).collect(),
            kinds: OrgKind::ALL
                .iter()
                .map(|k| (k.as_str(), kojo_service::kind_label(*k, &lang)))
                .collect(),
            industries: catalog
                .industries
                .industries
                .iter()
                .map(|i| (i.code.clone(), i.title.get(l).to_string()))
                .collect(),
            prefectures: catalog
                .prefectures
                .prefectures
                .iter()
                .map(|p| (p.code.clone(), p.title.get(l).to_string()))
                .collect(),
            associations: pick(Some(OrgKind::Association)),
            orgs: pick(None),
            roles: kojo_core::org::Role::ALL
                .iter()
                .filter(|r| r.org_kind().is_some())
                .map(|r| (r.as_str(), ctx.role_label(r)))
                .collect(),
            invite_link: None,
            ctx,
        }
    }
}
