//! The plant model and risk pages and API: a company builds a model through the forms and the
//! API, the findings and the risk analysis show what a reviewer expects of the hand-built plant,
//! errors name the field in the reader's language, and another company sees nothing.

use axum::http::StatusCode;
use kojo_core::ids::SiteId;
use kojo_core::org::{OrgKind, Role};
use kojo_core::plant::simulate::{Size, simulate};
use kojo_storage::{Actor, NewSite};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp};

struct Setup {
    app: TestApp,
    site: SiteId,
    /// Another site of the same company.
    other_site: SiteId,
    yamada: String,
    stranger: String,
}

async fn setup() -> Setup {
    let app = TestApp::new().await;
    let company = app.org(OrgKind::Company, "山田精機").await;
    let other = app.org(OrgKind::Company, "佐藤化学").await;
    let site = |name: &str| NewSite {
        name: name.into(),
        ..NewSite::default()
    };
    let cli = Actor::cli();
    let main = app
        .db
        .create_site(&cli, company, &site("本社工場"))
        .await
        .unwrap();
    let second = app
        .db
        .create_site(&cli, company, &site("豊橋工場"))
        .await
        .unwrap();
    app.user("yamada", Role::CompanyAdmin, Some(company)).await;
    app.user("sato", Role::CompanyAdmin, Some(other)).await;
    let yamada = app.sign_in("yamada").await;
    let stranger = app.sign_in("sato").await;
    Setup {
        app,
        site: main.id,
        other_site: second.id,
        yamada,
        stranger,
    }
}

impl Setup {
    fn url(&self, rest: &str) -> String {
        format!("/sites/{}{rest}", self.site)
    }

    /// Posts a plant form; returns the new record's id from the redirect.
    async fn add(&self, kind: &str, form: &[(&str, &str)]) -> String {
        let r = self
            .app
            .post(
                &self.url(&format!("/plant/{kind}")),
                form,
                Some(&self.yamada),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind}: {}", r.body);
        let id = r.location().rsplit('-').next().unwrap().to_string();
        assert!(id.parse::<i64>().is_ok(), "{}", r.location());
        id
    }

    async fn page(&self, path: &str) -> String {
        let r = self.app.get(path, Some(&self.yamada)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        r.body
    }

    async fn api(&self, method: &str, path: &str, body: Value) -> Reply {
        self.app
            .request_json(method, path, &body.to_string(), &self.yamada)
            .await
    }
}

/// The vendor wired straight to the PLC zone of a press line, built through the forms.
async fn press_line(s: &Setup) -> (String, String, String) {
    let press = s
        .add(
            "processes",
            &[
                ("name", "プレス加工"),
                ("importance", "3"),
                ("damages", "production"),
                ("damages", "safety"),
                ("impact", "ラインが止まり納期に遅れる"),
            ],
        )
        .await;
    let control = s
        .add(
            "zones",
            &[
                ("name", "プレスライン制御"),
                ("purpose", "control"),
                ("exposure", "internal"),
                ("sl_target", "3"),
                ("processes", &press),
            ],
        )
        .await;
    let vendor = s
        .add(
            "zones",
            &[
                ("name", "保守ベンダー"),
                ("purpose", "external"),
                ("exposure", "vendor"),
                ("sl_target", "1"),
            ],
        )
        .await;
    let line = s
        .add(
            "conduits",
            &[
                ("name", "保守回線"),
                ("a", &vendor),
                ("b", &control),
                ("kind", "direct"),
                ("direction", "both"),
            ],
        )
        .await;
    s.add(
        "assets",
        &[
            ("name", "1号プレスPLC"),
            ("kind", "plc"),
            ("zone", &control),
            ("processes", &press),
            ("owner", "製造課"),
            ("version", "Ｖ２．３"),
            ("remote_maintenance", "on"),
            ("status", "active"),
        ],
    )
    .await;
    (control, vendor, line)
}

fn rules_in(findings_page: &str) -> Vec<String> {
    findings_page
        .split("data-rule=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn a_vendor_wired_to_the_plc_zone_is_found_and_rated_and_a_firewall_clears_it() {
    let s = setup().await;
    let empty = s.page(&s.url("/plant")).await;
    assert!(empty.contains("id=\"plant-empty\""), "no model yet");
    let (control, vendor, line) = press_line(&s).await;

    let model = s.page(&s.url("/plant")).await;
    for name in [
        "プレス加工",
        "プレスライン制御",
        "保守ベンダー",
        "保守回線",
        "1号プレスPLC",
    ] {
        assert!(model.contains(name), "{name}");
    }
    assert!(model.contains("V2.3"), "full-width version normalised");
    // The diagram: a box per zone, the vendor line as a plain (unfiltered) link.
    assert!(model.contains(&format!("data-zone=\"{control}\"")));
    assert!(model.contains(&format!("data-zone=\"{vendor}\" data-level=\"outside\"")));
    assert!(model.contains(&format!("data-conduit=\"{line}\" data-kind=\"plain\"")));

    let findings = s.page(&s.url("/plant/findings")).await;
    let rules = rules_in(&findings);
    assert!(rules.contains(&"unfiltered_link".into()), "{rules:?}");
    assert!(rules.contains(&"untrusted_unprotected".into()), "{rules:?}");
    assert!(rules.contains(&"external_in_control".into()), "{rules:?}");
    // Each finding names its subject and the checklist items that fix it.
    assert!(findings.contains("保守回線 (保守ベンダー ↔ プレスライン制御)"));
    assert!(findings.contains("data-item=\"PHY-5\""));
    assert!(findings.contains("ファイアウォール"), "the fix in Japanese");

    let risk = s.page(&s.url("/risk")).await;
    assert!(risk.contains("id=\"route-table\""));
    let first = risk.split("<tr class=\"route").nth(1).unwrap();
    assert!(
        first.contains("level-high"),
        "the top route is high: {first}"
    );
    assert!(first.contains("リモート保守"), "{first}");
    assert!(first.contains("1号プレスPLC") && first.contains("プレス加工"));
    assert!(risk.contains("id=\"tree\"") && risk.contains("tree-steps"));
    assert!(risk.contains("id=\"asset-risk-table\""));
    assert!(
        risk.contains("id=\"method-unverified\""),
        "ipa-sme is not fully verified"
    );

    // A firewall on the vendor line: the unfiltered link is gone, the route is still there
    // but less vulnerable.
    let r = s
        .app
        .post(
            &s.url(&format!("/plant/conduits/{line}")),
            &[
                ("name", "保守回線"),
                ("a", &vendor),
                ("b", &control),
                ("kind", "firewall"),
                ("direction", "both"),
            ],
            Some(&s.yamada),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let findings = s.page(&s.url("/plant/findings")).await;
    let rules = rules_in(&findings);
    assert!(!rules.contains(&"unfiltered_link".into()), "{rules:?}");
    assert!(
        !rules.contains(&"untrusted_unprotected".into()),
        "{rules:?}"
    );
    let api: Value = serde_json::from_str(
        &s.api("GET", &format!("/api/sites/{}/risk", s.site), json!(null))
            .await
            .body,
    )
    .unwrap();
    let remote = api["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entry"] == "remote_maintenance" && r["steps"].as_array().unwrap().len() == 1)
        .unwrap();
    assert_eq!(remote["measures"]["conduit_points"], 2);
    assert_eq!(remote["vulnerability"], 2);
}

#[tokio::test]
async fn the_printed_report_carries_the_diagram_findings_and_riskiest_routes_once_there_is_a_model()
{
    let s = setup().await;
    let r = s
        .app
        .post(&s.url("/assessments"), &[], Some(&s.yamada))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.location().trim_start_matches("/assessments/").to_string();
    let report = format!("/assessments/{id}/report");

    let before = s.page(&report).await;
    assert!(
        !before.contains("id=\"report-plant\""),
        "no model, no section"
    );

    press_line(&s).await;
    let ja = s.page(&report).await;
    let section = ja
        .split("id=\"report-plant\"")
        .nth(1)
        .expect("the plant section once the site has zones");
    assert!(section.contains("<svg"), "the zone diagram is drawn");
    assert!(section.contains("工場のモデルとリスク分析"));
    assert!(section.contains("data-rule=\"unfiltered_link\""));
    let routes = section
        .split("id=\"report-routes\"")
        .nth(1)
        .expect("the route table");
    let first = routes.split("<tr class=\"route").nth(1).unwrap();
    assert!(first.contains("level-high"), "{first}");
    assert!(first.contains("1号プレスPLC"), "{first}");
    // No more than the printed number of routes.
    assert!(routes.matches("<tr class=\"route").count() <= 10);

    let en = s.page(&format!("{report}?lang=en")).await;
    assert!(en.contains("Riskiest attack routes"));
    assert!(!en.contains("リスクの高い攻撃ルート"));
}

#[tokio::test]
async fn the_api_builds_a_plant_and_names_the_field_in_the_readers_language() {
    let s = setup().await;
    let base = format!("/api/sites/{}", s.site);
    let r = s
        .api(
            "POST",
            &format!("{base}/processes"),
            json!({"name": "塗装", "importance": 3, "damages": ["quality"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let process: Value = serde_json::from_str(&r.body).unwrap();
    let r = s
        .api(
            "POST",
            &format!("{base}/zones"),
            json!({"name": "塗装ライン", "purpose": "control", "exposure": "internal", "sl_target": 2, "processes": [process["id"]]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let zone: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(zone["importance"], 3, "derived from the process");
    assert_eq!(zone["importance_set"], Value::Null);
    let r = s
        .api(
            "POST",
            &format!("{base}/zones"),
            json!({"name": "事務所", "purpose": "information", "exposure": "internal", "sl_target": "1"}),
        )
        .await;
    let office: Value = serde_json::from_str(&r.body).unwrap();
    let r = s
        .api(
            "POST",
            &format!("{base}/conduits"),
            json!({"a": office["id"], "b": zone["id"], "kind": "firewall", "protocols": ["OPC UA"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut assets = Vec::new();
    for (name, kind, z) in [
        ("塗装ロボット", "robot", &zone),
        ("事務PC", "workstation", &office),
    ] {
        let r = s
            .api(
                "POST",
                &format!("{base}/assets"),
                json!({"name": name, "kind": kind, "zone": z["id"], "processes": if kind == "robot" { json!([process["id"]]) } else { json!([]) }, "maintenance_end": "2020/3/31"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assets.push(serde_json::from_str::<Value>(&r.body).unwrap());
    }
    assert_eq!(assets[0]["importance"], 3);
    assert_eq!(assets[0]["maintenance_end"], "2020-03-31");
    let r = s
        .api(
            "POST",
            &format!("{base}/flows"),
            json!({"from": assets[0]["id"], "to": assets[1]["id"], "data": "生産実績"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let flow: Value = serde_json::from_str(&r.body).unwrap();

    // Changing a zone by hand, then the model as a whole.
    let r = s
        .api(
            "PUT",
            &format!("{base}/zones/{}", office["id"]),
            json!({"name": "事務所LAN", "purpose": "information", "exposure": "internal", "sl_target": 1, "importance": 2}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let plant: Value = serde_json::from_str(
        &s.api("GET", &format!("{base}/plant"), json!(null))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(plant["zones"][1]["name"], "事務所LAN");
    assert_eq!(plant["zones"][1]["importance_set"], 2);
    assert_eq!(plant["conduits"][0]["protocols"], json!(["OPC UA"]));
    assert_eq!(plant["flows"].as_array().unwrap().len(), 1);

    // Findings: the maintenance contract ended, worded in Japanese.
    let found: Value = serde_json::from_str(
        &s.api("GET", &format!("{base}/findings"), json!(null))
            .await
            .body,
    )
    .unwrap();
    let ended = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "support_ended")
        .expect("support_ended");
    assert_eq!(ended["subject"]["name"], "塗装ロボット");
    assert!(
        ended["title"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| c > '\u{3000}')
    );
    assert!(!ended["items"].as_array().unwrap().is_empty());

    // Risk with a limit of one route.
    let r = s
        .api(
            "GET",
            &format!("{base}/risk?limit=1&min_importance=2&max_hops=3"),
            json!(null),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let risk: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(risk["routes"].as_array().unwrap().len(), 1);
    assert!(risk["routes_total"].as_u64().unwrap() >= 2, "{risk}");
    assert_eq!(risk["min_importance"], 2);
    assert_eq!(risk["max_hops"], 3);
    assert_eq!(risk["rules"]["id"], "ipa-sme");
    assert_eq!(risk["assets"].as_array().unwrap().len(), 2);

    // Bad input: 400 naming the field, the message in Japanese.
    for (body, field, label) in [
        (
            json!({"name": "", "purpose": "control", "exposure": "internal", "sl_target": 2}),
            "name",
            "ゾーン名",
        ),
        (
            json!({"name": "z", "purpose": "control", "exposure": "internal", "sl_target": 9}),
            "sl_target",
            "目標セキュリティレベル",
        ),
        (
            json!({"name": "z", "purpose": "kitchen", "exposure": "internal", "sl_target": 2}),
            "purpose",
            "目的",
        ),
        (
            json!({"name": "z", "purpose": "control", "processes": ["x"]}),
            "processes",
            "このゾーンの業務",
        ),
    ] {
        let r = s.api("POST", &format!("{base}/zones"), body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}: {}", r.body);
        let e: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(e["error"]["field"], field, "{e}");
        assert!(
            e["error"]["detail"].as_str().unwrap().contains(label),
            "{e}"
        );
    }
    let r = s
        .api("POST", &format!("{base}/zones"), json!("not an object"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = s
        .api("POST", &format!("{base}/zones"), json!({"name": "塗装ライン", "purpose": "control", "exposure": "internal", "sl_target": 2}))
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a zone name is used once: {}",
        r.body
    );
    for query in ["limit=0", "max_hops=11", "min_importance=1", "rules=nope"] {
        let r = s
            .api("GET", &format!("{base}/risk?{query}"), json!(null))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
    }

    // Deleting: the flow, then it is gone; deleting it again is "not found".
    let path = format!("{base}/flows/{}", flow["id"]);
    let r = s.api("DELETE", &path, json!(null)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["kind"],
        "flow"
    );
    assert_eq!(
        s.api("DELETE", &path, json!(null)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn another_company_and_another_site_get_404_on_everything() {
    let s = setup().await;
    let (control, _, line) = press_line(&s).await;
    let site = s.site;
    let pages = [
        format!("/sites/{site}/plant"),
        format!("/sites/{site}/plant/findings"),
        format!("/sites/{site}/plant/start"),
        format!("/sites/{site}/risk"),
        format!("/sites/{site}/plant/zones/{control}"),
        format!("/sites/{site}/plant/conduits/{line}"),
        format!("/api/sites/{site}/plant"),
        format!("/api/sites/{site}/findings"),
        format!("/api/sites/{site}/risk"),
    ];
    for path in &pages {
        let r = s.app.get(path, Some(&s.stranger)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains("プレスライン制御"), "{path} leaked");
    }
    let writes = [
        ("POST", format!("/sites/{site}/plant/zones")),
        ("POST", format!("/sites/{site}/plant/zones/{control}")),
        (
            "POST",
            format!("/sites/{site}/plant/zones/{control}/delete"),
        ),
        ("POST", format!("/sites/{site}/plant/start")),
        ("POST", format!("/api/sites/{site}/zones")),
        ("PUT", format!("/api/sites/{site}/zones/{control}")),
        ("DELETE", format!("/api/sites/{site}/zones/{control}")),
    ];
    for (method, path) in &writes {
        let r = s.app.request(method, path, Some(&s.stranger)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    // A record of one site named under another site of the same company does not exist there.
    let other = s.other_site;
    for (method, path) in [
        ("GET", format!("/sites/{other}/plant/zones/{control}")),
        (
            "POST",
            format!("/sites/{other}/plant/zones/{control}/delete"),
        ),
        ("DELETE", format!("/api/sites/{other}/conduits/{line}")),
    ] {
        let r = s.app.request(method, &path, Some(&s.yamada)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    // Nothing was deleted.
    let model = s.page(&s.url("/plant")).await;
    assert!(model.contains("プレスライン制御") && model.contains("保守回線"));
}

#[tokio::test]
async fn a_bad_form_comes_back_with_the_error_next_to_the_field_and_what_was_typed() {
    let s = setup().await;
    let (control, ..) = press_line(&s).await;
    // An empty zone name: 「ゾーン名」, next to the field; the SL-T chosen is kept.
    let r = s
        .app
        .post(
            &s.url("/plant/zones"),
            &[
                ("name", " "),
                ("purpose", "safety"),
                ("exposure", "internal"),
                ("sl_target", "4"),
            ],
            Some(&s.yamada),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let error = r
        .body
        .split("id=\"new-zone-name-error\"")
        .nth(1)
        .expect("error by the name");
    let error = error.split("</p>").next().unwrap();
    assert!(error.contains("ゾーン名"), "{error}");
    assert!(!error.contains("name:"), "{error}");
    let form = r.body.split("id=\"new-zone\"").nth(1).unwrap();
    assert!(form.contains("<option value=\"4\" selected>"), "SL-T kept");
    assert!(
        form.contains("<option value=\"safety\" selected>"),
        "purpose kept"
    );
    assert!(r.body.contains("<details class=\"add-form\" open>"));

    // A date that does not exist, on an asset: 保守期限, the typed name kept.
    let r = s
        .app
        .post(
            &s.url("/plant/assets"),
            &[
                ("name", "2号プレスPLC"),
                ("kind", "plc"),
                ("zone", &control),
                ("maintenance_end", "2027/13/45"),
            ],
            Some(&s.yamada),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let error = r
        .body
        .split("id=\"new-asset-maintenance-end-error\"")
        .nth(1)
        .unwrap();
    assert!(error.split("</p>").next().unwrap().contains("保守期限"));
    assert!(r.body.contains("value=\"2号プレスPLC\""));
    assert!(r.body.contains("value=\"2027/13/45\""));

    // A name already used, on the edit page of another zone.
    let vendor = s
        .add(
            "zones",
            &[
                ("name", "倉庫"),
                ("purpose", "operations"),
                ("exposure", "internal"),
                ("sl_target", "1"),
            ],
        )
        .await;
    let r = s
        .app
        .post(
            &s.url(&format!("/plant/zones/{vendor}")),
            &[
                ("name", "プレスライン制御"),
                ("purpose", "operations"),
                ("exposure", "internal"),
                ("sl_target", "1"),
            ],
            Some(&s.yamada),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let error = r
        .body
        .split(&format!("id=\"zone-{vendor}-name-error\""))
        .nth(1)
        .unwrap();
    assert!(
        error
            .split("</p>")
            .next()
            .unwrap()
            .contains("すでに使われています")
    );
    assert!(
        r.body.contains("id=\"delete-submit\""),
        "still the edit page"
    );

    // The same mistake in English says "Zone name".
    let r = s
        .app
        .post("/lang", &[("to", "en"), ("next", "/")], Some(&s.yamada))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = s
        .app
        .post(
            &s.url("/plant/zones"),
            &[
                ("name", ""),
                ("purpose", "control"),
                ("exposure", "internal"),
                ("sl_target", "2"),
            ],
            Some(&s.yamada),
        )
        .await;
    let error = r.body.split("id=\"new-zone-name-error\"").nth(1).unwrap();
    assert!(
        error.split("</p>").next().unwrap().contains("Zone name"),
        "{error}"
    );
}

#[tokio::test]
async fn the_worksheet_makes_a_first_zone_map_then_adds_to_it() {
    let s = setup().await;
    let sheet = [
        ("damage_1", "delivery"),
        ("process_1", "プレス加工"),
        ("importance_1", "3"),
        ("impact_1", "納期に遅れる"),
        ("damage_2", "safety"),
        ("process_2", "溶接"),
        ("importance_2", "1"),
        ("damage_3", "quality"),
        ("process_3", ""),
        ("ways_in", "maintenance_line"),
        ("ways_in", "office_lan"),
        ("ways_in", "usb"),
        ("boundary_firewall", "no"),
        ("remote_on_request", "unknown"),
    ];
    let r = s
        .app
        .post(&s.url("/plant/start"), &sheet, Some(&s.yamada))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), s.url("/plant?done=made"));
    let model = s.page(&r.location().replace("#", "")).await;
    assert!(model.contains("id=\"plant-notice\""));
    for name in [
        "設備のネットワーク",
        "事務所のネットワーク",
        "保守業者",
        "プレス加工の設備",
        "溶接の設備",
        "USBメモリ",
    ] {
        assert!(model.contains(name), "{name}");
    }
    let plant: Value = serde_json::from_str(
        &s.api("GET", &format!("/api/sites/{}/plant", s.site), json!(null))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(plant["zones"].as_array().unwrap().len(), 3);
    assert_eq!(
        plant["processes"][1]["importance"], 3,
        "people's safety comes first"
    );
    let findings = s.page(&s.url("/plant/findings")).await;
    let rules = rules_in(&findings);
    for rule in [
        "unfiltered_link",
        "untrusted_unprotected",
        "remote_always_on",
    ] {
        assert!(rules.contains(&rule.into()), "{rule}: {rules:?}");
    }
    let risk = s.page(&s.url("/risk")).await;
    assert!(risk.contains("level-high"));

    // Once a model exists the sheet says it adds, and adding the same answers changes nothing.
    let start = s.page(&s.url("/plant/start")).await;
    assert!(start.contains("id=\"ws-existing\""));
    let r = s
        .app
        .post(&s.url("/plant/start"), &sheet, Some(&s.yamada))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let again: Value = serde_json::from_str(
        &s.api("GET", &format!("/api/sites/{}/plant", s.site), json!(null))
            .await
            .body,
    )
    .unwrap();
    let names = |p: &Value, kind: &str| -> Vec<String> {
        p[kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    for kind in ["processes", "zones", "conduits", "assets"] {
        assert_eq!(names(&again, kind), names(&plant, kind), "{kind}");
    }

    // Without the first work, the sheet comes back with the error by its field.
    let r = s
        .app
        .post(
            &s.url("/plant/start"),
            &[("damage_1", "delivery"), ("process_1", "")],
            Some(&s.yamada),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let error = r
        .body
        .split("id=\"worksheet-process-1-error\"")
        .nth(1)
        .unwrap();
    assert!(error.split("</p>").next().unwrap().contains("1つ目の業務"));
}

#[tokio::test]
async fn a_big_plant_shows_a_page_of_routes_with_counts_and_the_api_a_limited_list() {
    let s = setup().await;
    let plant = simulate(
        Size {
            assets: 120,
            zones: 30,
            conduits: 45,
        },
        7,
    );
    s.app
        .db
        .replace_plant(&Actor::cli(), s.site, &plant, "simulate")
        .await
        .unwrap();
    let risk = s.page(&s.url("/risk")).await;
    let rows = risk.matches("<tr class=\"route").count();
    assert_eq!(rows, 25, "one page of routes");
    let next = risk
        .split("id=\"routes-next\"")
        .next()
        .and_then(|b| b.rsplit("href=\"").next())
        .map(|h| h.split('"').next().unwrap().replace("&amp;", "&"))
        .unwrap();
    assert!(
        next.ends_with("page=2") || next.contains("page=2&"),
        "{next}"
    );
    let second = s.page(&next).await;
    assert!(second.contains("id=\"routes-prev\""));
    assert!(second.contains("<td class=\"num\">26</td>"), "ranks go on");
    // Band counts add up to the total.
    let api: Value = serde_json::from_str(
        &s.api(
            "GET",
            &format!("/api/sites/{}/risk?limit=10", s.site),
            json!(null),
        )
        .await
        .body,
    )
    .unwrap();
    let total = api["routes_total"].as_u64().unwrap();
    assert!(total > 25, "{total}");
    let banded: u64 = api["bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["routes"].as_u64().unwrap())
        .sum();
    assert_eq!(banded, total);
    assert_eq!(api["routes"].as_array().unwrap().len(), 10);
    let values: Vec<u64> = api["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_u64().unwrap())
        .collect();
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "highest first: {values:?}"
    );
    // The asset table lists at most 50.
    let table = risk.split("id=\"asset-risk-table\"").nth(1).unwrap();
    assert_eq!(
        table
            .split("</table>")
            .next()
            .unwrap()
            .matches("<tr data-level")
            .count(),
        50
    );
}

/// Visible text of a page: tags, scripts and entities removed.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        let tail = &rest[i..];
        let skip_to = if tail.starts_with("<script") {
            tail.find("</script>").map(|e| e + 9)
        } else {
            tail.find('>').map(|e| e + 1)
        };
        rest = &tail[skip_to.unwrap_or(tail.len())..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Runs of three or more English words: a sentence or a phrase left untranslated.
fn english_phrases(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for token in text.split(|c: char| c.is_whitespace()) {
        let word = token.trim_matches(|c: char| ",.;:()!?\"'".contains(c));
        let english = word.len() >= 2
            && word
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-');
        if english {
            run.push(word);
        } else {
            if run.len() >= 3 {
                found.push(run.join(" "));
            }
            run.clear();
        }
    }
    if run.len() >= 3 {
        found.push(run.join(" "));
    }
    found
}

#[tokio::test]
async fn no_plant_or_risk_page_shows_english_on_a_japanese_page() {
    let s = setup().await;
    let (control, _, line) = press_line(&s).await;
    // Every kind of record, so every table and form has content.
    let plc = s.page(&s.url("/plant")).await;
    let plc_id = plc
        .split("id=\"asset-")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let pc = s
        .add(
            "assets",
            &[
                ("name", "事務PC"),
                ("kind", "workstation"),
                ("zone", &control),
                ("black_box", "on"),
                ("cloud_link", "on"),
            ],
        )
        .await;
    let flow = s
        .add(
            "flows",
            &[
                ("from", &plc_id),
                ("to", &pc),
                ("data", "生産実績"),
                ("conduit", &line),
            ],
        )
        .await;
    let process = plc
        .split("id=\"process-")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let mut paths = vec![
        s.url("/plant"),
        s.url("/plant?done=made"),
        s.url("/plant/findings"),
        s.url("/plant/start"),
        s.url("/risk"),
        s.url("/risk?rules=ipa-27&min_importance=2&max_hops=2"),
        s.url(&format!("/plant/zones/{control}")),
        s.url(&format!("/plant/conduits/{line}")),
        s.url(&format!("/plant/assets/{pc}")),
        s.url(&format!("/plant/flows/{flow}")),
        s.url(&format!("/plant/processes/{process}")),
    ];
    paths.push("/company".into());
    let en: toml::Table = toml::from_str(include_str!("../../../../locales/en.toml")).unwrap();
    let ja: toml::Table = toml::from_str(include_str!("../../../../locales/ja.toml")).unwrap();
    for path in &paths {
        let page = s.page(path).await;
        assert!(page.contains("<html lang=\"ja\">"));
        let text = visible_text(&page);
        let phrases = english_phrases(&text);
        assert!(
            phrases.is_empty(),
            "{path}: English on a Japanese page: {phrases:?}"
        );
        for section in ["plant", "risk"] {
            for (key, value) in en[section].as_table().unwrap() {
                let value = value.as_str().unwrap();
                if value.split(' ').count() >= 2 && Some(value) != ja[section][key].as_str() {
                    assert!(!text.contains(value), "{path}: {section}.{key} in English");
                }
            }
        }
    }
    // The check can fail: the same pages in English are full of English phrases.
    let r = s
        .app
        .post("/lang", &[("to", "en"), ("next", "/")], Some(&s.yamada))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for path in &paths {
        let page = s.page(path).await;
        assert!(!english_phrases(&visible_text(&page)).is_empty(), "{path}");
    }
}
