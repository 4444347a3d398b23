//! A company assesses a factory: answering, conflicts, completion, results, plan, exports,
//! offline workbook and the JSON API.

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use kojo_core::Locale;
use kojo_core::ids::{AssessmentId, SiteId};
use kojo_core::org::{OrgKind, Role};
use kojo_core::status::PlanStatus;
use kojo_formats::assessment_xlsx::{self, ImportedAnswer};
use kojo_storage::{Actor, NewOrg};

use crate::support::{Reply, TestApp};

struct Company {
    app: TestApp,
    cookie: String,
    site: SiteId,
}

/// A company of 120 employees with one factory and its admin signed in.
async fn company() -> Company {
    let app = TestApp::new().await;
    let org = app
        .db
        .create_org(
            &Actor::cli(),
            OrgKind::Company,
            &NewOrg {
                name: "山田精機".into(),
                employees: Some(120),
                ..NewOrg::default()
            },
        )
        .await
        .unwrap()
        .id;
    app.user("yamada", Role::CompanyAdmin, Some(org)).await;
    let cookie = app.sign_in("yamada").await;
    let r = app
        .post(
            "/company/sites",
            &[("name", "本社工場"), ("prefecture", "23")],
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let site = app.db.sites_of(org).await.unwrap()[0].id;
    Company { app, cookie, site }
}

impl Company {
    async fn start(&self, copy_from: Option<AssessmentId>) -> AssessmentId {
        let copy = copy_from.map(|c| c.to_string()).unwrap_or_default();
        let form: Vec<(&str, &str)> = if copy_from.is_some() {
            vec![("copy_from", &copy)]
        } else {
            vec![]
        };
        let r = self
            .app
            .post(
                &format!("/sites/{}/assessments", self.site),
                &form,
                Some(&self.cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        r.location()
            .trim_start_matches("/assessments/")
            .parse()
            .unwrap()
    }

    /// Saves one answer the way the page does (htmx).
    async fn answer(
        &self,
        id: AssessmentId,
        item: &str,
        level: &str,
        version: i64,
        note: &str,
    ) -> Reply {
        let body = format!(
            "level={level}&note={}&owner=&target_date=&version={version}",
            crate::support::enc(note)
        );
        let req = Request::post(format!("/assessments/{id}/items/{item}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("hx-request", "true")
            .header(header::COOKIE, &self.cookie)
            .body(Body::from(body))
            .unwrap();
        self.app.send(req).await
    }

    async fn answer_all(&self, id: AssessmentId, level: &str) {
        let items: Vec<String> = catalog_items();
        for item in items {
            let v = self
                .app
                .db
                .answer(id, &item)
                .await
                .unwrap()
                .map(|a| a.version)
                .unwrap_or(0);
            let r = self.answer(id, &item, level, v, "").await;
            assert!(
                r.body.contains("data-message=\"saved\""),
                "{item}: {}",
                r.body
            );
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.app.get(path, Some(&self.cookie)).await
    }
}

fn catalog_items() -> Vec<String> {
    let c = kojo_content::load_embedded().unwrap();
    c.latest_checklist("factory-guideline")
        .unwrap()
        .items
        .iter()
        .map(|i| i.id.clone())
        .collect()
}

#[tokio::test]
async fn the_form_shows_every_item_with_examples_for_the_companys_size() {
    let c = company().await;
    let r = c.get("/company").await;
    assert!(
        r.body.contains("本社工場") && r.body.contains("愛知県"),
        "site listed with its prefecture"
    );
    let id = c.start(None).await;
    let page = c.get(&format!("/assessments/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<article class=\"item").count(), 32);
    assert!(page.body.contains("0 / 32 項目に回答済み"));
    // 120 employees: the small-company example is shown, the large one is not.
    let content = kojo_content::load_embedded().unwrap();
    let m = &content
        .latest_checklist("factory-guideline")
        .unwrap()
        .item("OPS-8")
        .unwrap()
        .measures[0];
    assert!(page.body.contains(&html_escape(&m.examples.small.ja)));
    assert!(!page.body.contains(&html_escape(&m.examples.large.ja)));
    assert!(page.body.contains("中小企業"), "size band named");
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn answers_save_as_you_go_and_a_stale_save_is_refused_with_a_clear_message() {
    let c = company().await;
    let id = c.start(None).await;
    let r = c.answer(id, "OPS-8", "2", 0, "JVNを月1回確認").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("data-message=\"saved\"")
            && r.body.contains("name=\"version\" value=\"1\"")
    );
    // A colleague whose page still says version 0 does not overwrite it.
    let r = c.answer(id, "OPS-8", "1", 0, "上書き").await;
    assert!(r.body.contains("data-message=\"conflict\""), "{}", r.body);
    assert!(r.body.contains("ほかの人が先にこの項目を保存しました"));
    assert!(
        r.body.contains("JVNを月1回確認"),
        "the stored note is shown"
    );
    let stored = c.app.db.answer(id, "OPS-8").await.unwrap().unwrap();
    assert_eq!((stored.level.as_deref(), stored.version), (Some("2"), 1));
    // Survives a reload.
    let page = c.get(&format!("/assessments/{id}")).await;
    assert!(page.body.contains("JVNを月1回確認"));
    assert!(page.body.contains("1 / 32 項目に回答済み"));
    // History.
    c.answer(id, "OPS-8", "3", 1, "月1回＋設備ベンダーに確認")
        .await;
    let h = c
        .get(&format!("/assessments/{id}/items/OPS-8/history"))
        .await;
    assert_eq!(
        h.body.matches("<tr>").count(),
        3,
        "header + 2 versions: {}",
        h.body
    );
    assert!(h.body.contains("一部実施") && h.body.contains("実施済み"));
    // Wrong input names the field.
    let r = c.answer(id, "OPS-8", "9", 2, "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("回答: 「9」は受け付けられません")
            && r.body.contains("5, 4, 3, 2, 1, na")
            && !crate::forms::error_text(&r.body).contains("level"),
        "{}",
        r.body
    );
    assert_eq!(
        c.answer(id, "NOPE-1", "3", 0, "").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn script_in_a_note_is_escaped_on_every_page_and_export() {
    let c = company().await;
    let id = c.start(None).await;
    let evil = "<script>alert(1)</script>=HYPERLINK(\"http://x\")";
    c.answer(id, "ORG-1", "1", 0, evil).await;
    // The results and the printable report show no notes; the plan's owner is the user's text
    // there.
    let add = [("measure", "ORG-1-m1")];
    let r = c
        .app
        .post(&format!("/sites/{}/plan", c.site), &add, Some(&c.cookie))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let item = c.app.db.plan_of_site(c.site).await.unwrap()[0].id;
    let owner = [("status", "in_progress"), ("owner", evil), ("version", "1")];
    let r = c
        .app
        .post(&format!("/plan/{item}"), &owner, Some(&c.cookie))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for path in [
        format!("/assessments/{id}"),
        format!("/assessments/{id}/results"),
        format!("/assessments/{id}/report?lang=en"),
    ] {
        let r = c.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(!r.body.contains("<script>alert"), "{path}");
        assert!(
            r.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{path} shows the text, escaped"
        );
    }
    let h = c
        .get(&format!("/assessments/{id}/items/ORG-1/history"))
        .await;
    assert!(
        !h.body.contains("<script>alert") && h.body.contains("&#60;script&#62;"),
        "{}",
        h.body
    );
    let csv = c.get(&format!("/assessments/{id}/export.csv")).await;
    assert!(
        csv.body.contains("<script>alert(1)</script>"),
        "CSV keeps the text"
    );
    // The note starts with "<", not a formula character, so it stays as is; a note starting
    // with "=" is escaped:
    c.answer(id, "ORG-2", "1", 0, "=1+1").await;
    let csv = c.get(&format!("/assessments/{id}/export.csv")).await;
    assert!(
        csv.body.contains("'=1+1"),
        "formula injection escaped: {}",
        csv.body
    );
}

#[tokio::test]
async fn completing_needs_every_answer_and_makes_the_assessment_read_only() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer(id, "ORG-1", "3", 0, "").await;
    let r = c
        .app
        .post(&format!("/assessments/{id}/complete"), &[], Some(&c.cookie))
        .await;
    assert!(r.body.contains("未回答の項目が31件あります"), "{}", r.body);
    c.answer_all(id, "3").await;
    let r = c
        .app
        .post(&format!("/assessments/{id}/complete"), &[], Some(&c.cookie))
        .await;
    assert_eq!(r.location(), format!("/assessments/{id}/results"));
    let page = c.get(&format!("/assessments/{id}")).await;
    assert!(
        !page
            .body
            .contains("<form method=\"post\" action=\"/assessments/"),
        "no answer forms"
    );
    let r = c.answer(id, "ORG-1", "1", 2, "").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Pressed again (a second tab, a double click): the results, not an error.
    let r = c
        .app
        .post(&format!("/assessments/{id}/complete"), &[], Some(&c.cookie))
        .await;
    assert_eq!(r.location(), format!("/assessments/{id}/results"));
    // A completed assessment cannot be discarded; the reason is given in the reader's language.
    let r = c
        .app
        .post(
            &format!("/assessments/{id}/discard"),
            &[("confirm", "yes")],
            Some(&c.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("この評価は完了しているため変更できません"),
        "{}",
        r.body
    );
    assert!(c.app.db.assessment(id).await.is_ok(), "still there");
}

/// A plant where a vendor's network is wired straight to the zone of an important PLC.
async fn store_vendor_line(c: &Company) {
    use kojo_core::ids::{AssetId, ConduitId, ProcessId, ZoneId};
    use kojo_core::plant::model::*;
    let zone = |id, purpose, exposure, sl| Zone {
        id: ZoneId::new(id),
        name: format!("z{id}"),
        purpose,
        exposure,
        importance: None,
        sl_target: sl,
        processes: vec![],
    };
    let plant = Plant {
        processes: vec![Process {
            id: ProcessId::new(1),
            name: "プレス".into(),
            importance: Importance::High,
            damages: vec![Damage::ProductionStop],
            impact: String::new(),
        }],
        zones: vec![
            zone(1, ZonePurpose::Control, Exposure::Internal, 3),
            zone(2, ZonePurpose::External, Exposure::Vendor, 1),
        ],
        conduits: vec![Conduit {
            id: ConduitId::new(1),
            name: "保守回線".into(),
            a: ZoneId::new(2),
            b: ZoneId::new(1),
            kind: ConduitKind::Direct,
            direction: Direction::Both,
            protocols: vec![],
            encrypted: false,
            always_on: true,
            operator: String::new(),
        }],
        assets: vec![Asset {
            zone: Some(ZoneId::new(1)),
            processes: vec![ProcessId::new(1)],
            ..Asset::new(AssetId::new(1), "PLC", AssetKind::Plc)
        }],
        flows: vec![],
    };
    c.app
        .db
        .replace_plant(&Actor::cli(), c.site, &plant, "test")
        .await
        .unwrap();
}

#[tokio::test]
async fn results_show_scores_charts_the_national_figures_and_the_gap_list() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer_all(id, "3").await;
    // OPS-8 not done (65.0% nationally), PHY-6 not done (no national figure), same weight 4.
    c.answer(id, "OPS-8", "1", 1, "").await;
    c.answer(id, "PHY-6", "1", 1, "").await;
    c.answer(id, "SC-2", "na", 1, "").await;
    let r = c.get(&format!("/assessments/{id}/results")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("id=\"chart-bars\"") && r.body.contains("<svg"),
        "bar chart"
    );
    assert!(r.body.contains("id=\"chart-radar\""));
    assert!(r.body.contains("運用的対策") && r.body.contains("サプライチェーン対策"));
    // The national figure for OPS-8, from the baseline, with the site placed in it.
    assert!(
        r.body
            .contains("2022年度は企業の65.0%が未実施または該当しない・わからない"),
        "national statement"
    );
    assert!(r.body.contains("この割合に含まれます"));
    // Antivirus: 63.7% had implemented it; this site has too.
    assert!(r.body.contains("2022年度は企業の63.7%が実施済み"));
    // Without a plant model: weight × gap, 4×2 = 8 each; ties keep checklist order. The
    // national rate is context, not a multiplier.
    let ops8 = r.body.find("id=\"gap-OPS-8\"").expect("OPS-8 in gaps");
    let phy6 = r.body.find("id=\"gap-PHY-6\"").expect("PHY-6 in gaps");
    assert!(ops8 < phy6);
    assert!(r.body.contains("data-rank=\"1\"") && r.body.contains("優先度 8.0"));
    assert!(!r.body.contains("高リスクの攻撃ルートの"));
    // With a model where a vendor's line runs straight into the PLC zone, remote access
    // (PHY-6) cuts the high-risk routes and comes first.
    store_vendor_line(&c).await;
    // (A change made outside this server shows once the server handles a write; an answer
    // saved through it is one.)
    c.answer(id, "SC-2", "na", 2, "確認中").await;
    let r = c.get(&format!("/assessments/{id}/results")).await;
    let ops8 = r.body.find("id=\"gap-OPS-8\"").expect("OPS-8 in gaps");
    let phy6 = r.body.find("id=\"gap-PHY-6\"").expect("PHY-6 in gaps");
    assert!(phy6 < ops8, "risk-based order");
    assert!(
        r.body.contains("高リスクの攻撃ルートの100.0%を下げる"),
        "{}",
        r.body
    );
    // SC-2 answered N/A: to verify, not a gap.
    assert!(!r.body.contains("id=\"gap-SC-2\""));
    assert!(r.body.contains("id=\"to-verify\""));
    // Every measure of a gap with its cost band and an add-to-plan button.
    assert!(r.body.contains("id=\"measure-OPS-8-m1\"") && r.body.contains("0円"));
    // Read your writes: fixing OPS-8 right after viewing the results takes it off the gap list
    // at once (the results version is cached only until this server handles a change).
    c.answer(id, "OPS-8", "3", 2, "").await;
    let r = c.get(&format!("/assessments/{id}/results")).await;
    assert!(
        !r.body.contains("id=\"gap-OPS-8\""),
        "OPS-8 is no longer a gap"
    );
}

#[tokio::test]
async fn measures_go_into_the_plan_which_carries_over() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer(id, "OPS-8", "1", 0, "").await;
    let req = Request::post(format!("/sites/{}/plan", c.site))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .header(header::COOKIE, &c.cookie)
        .body(Body::from(format!("measure=OPS-8-m1&assessment={id}")))
        .unwrap();
    let r = c.app.send(req).await;
    assert!(r.body.contains("計画に追加済み"), "{}", r.body);
    let results = c.get(&format!("/assessments/{id}/results")).await;
    assert!(results.body.contains("計画に追加済み"));
    let plan = c.get(&format!("/sites/{}/plan", c.site)).await;
    assert!(plan.body.contains("機器台帳と脆弱性情報を定期的に照合する"));
    let item = &c.app.db.plan_of_site(c.site).await.unwrap()[0];
    let r = c
        .app
        .post(
            &format!("/plan/{}", item.id),
            &[
                ("status", "in_progress"),
                ("owner", "鈴木"),
                ("due_date", "2027/3/31"),
                ("note", ""),
                ("version", "1"),
            ],
            Some(&c.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let item = &c.app.db.plan_of_site(c.site).await.unwrap()[0];
    assert_eq!(
        (
            item.status.as_str(),
            item.owner.as_str(),
            item.due_date.as_deref()
        ),
        ("in_progress", "鈴木", Some("2027-03-31"))
    );
    // A stale save (version 1 again) is refused with the plan's own conflict message.
    let req = Request::post(format!("/plan/{}", item.id))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .header(header::COOKIE, &c.cookie)
        .body(Body::from("status=done&owner=&due_date=&note=&version=1"))
        .unwrap();
    let r = c.app.send(req).await;
    assert!(r.body.contains("data-message=\"conflict\""), "{}", r.body);
    assert!(r.body.contains("先にこの計画を更新しました"), "{}", r.body);
    assert_eq!(
        c.app.db.plan_of_site(c.site).await.unwrap()[0].status,
        PlanStatus::InProgress
    );
    // A measure that is not in the checklist is refused.
    let r = c
        .app
        .post(
            &format!("/sites/{}/plan", c.site),
            &[("measure", "XYZ-m1")],
            Some(&c.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // The next assessment (a copy of the completed one) sees the same plan.
    c.answer_all(id, "3").await;
    let r = c
        .app
        .post(&format!("/assessments/{id}/complete"), &[], Some(&c.cookie))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let next = c.start(Some(id)).await;
    assert_ne!(next, id);
    let r = c.get(&format!("/assessments/{next}/results")).await;
    assert!(r.body.contains("id=\"plan-summary\"") && r.body.contains("鈴木"));
}

#[tokio::test]
async fn a_copy_compares_with_the_previous_assessment() {
    let c = company().await;
    let first = c.start(None).await;
    c.answer_all(first, "2").await;
    c.app
        .post(
            &format!("/assessments/{first}/complete"),
            &[],
            Some(&c.cookie),
        )
        .await;
    let second = c.start(Some(first)).await;
    assert_eq!(
        c.app.db.answers(second).await.unwrap().len(),
        32,
        "answers copied"
    );
    c.answer(second, "OPS-8", "4", 1, "").await;
    let r = c.get(&format!("/assessments/{second}/results")).await;
    assert!(r.body.contains("id=\"progress\""));
    assert!(r.body.contains("class=\"better\"") && r.body.contains("OPS-8"));
    assert!(
        r.body.contains("前回 25.0"),
        "previous overall score shown: {}",
        &r.body[..2000.min(r.body.len())]
    );
    // Comparison between the company's sites appears with two assessed sites.
    let r = c
        .app
        .post("/company/sites", &[("name", "第二工場")], Some(&c.cookie))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let company = c.get("/company").await;
    assert!(company.body.contains("id=\"site-comparison\""));
}

#[tokio::test]
async fn exports_open_in_a_real_xlsx_reader_and_csv_in_both_encodings() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer_all(id, "3").await;
    c.answer(id, "OPS-8", "1", 1, "予算待ち").await;
    let r = c.get(&format!("/assessments/{id}/export.xlsx")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    let bytes = c
        .app
        .send_bytes(&format!("/assessments/{id}/export.xlsx"), &c.cookie)
        .await;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        ["概要", "回答", "優先順位と対策", "行動計画", "全国比較"]
    );
    // 総合点 is a number; the 状況 column says what the score does not (nothing here: every
    // item is answered), never the score again.
    let summary = wb.worksheet_range("概要").unwrap();
    let overall = summary
        .rows()
        .find(|r| r.first().map(cell).as_deref() == Some("総合"))
        .expect("総合 row");
    assert!(matches!(overall[1], Data::Float(_)), "{:?}", overall[1]);
    let status_col = summary
        .rows()
        .find_map(|r| r.iter().position(|c| cell(c) == "状況"))
        .expect("状況 column");
    for r in summary.rows() {
        if let (Some(Data::Float(score)), Some(status)) = (r.get(1), r.get(status_col)) {
            assert!(!cell(status).contains(&format!("{score:.1}")), "{r:?}");
        }
    }
    let answers = wb.worksheet_range("回答").unwrap();
    let rows: Vec<Vec<String>> = answers
        .rows()
        .map(|r| r.iter().map(cell).collect())
        .collect();
    assert_eq!(rows[0][0], "項目ID");
    let ops8 = rows.iter().find(|r| r[0] == "OPS-8").unwrap();
    assert!(ops8.iter().any(|c| c == "未実施") && ops8.iter().any(|c| c == "予算待ち"));
    let gaps = wb.worksheet_range("優先順位と対策").unwrap();
    assert!(gaps.rows().any(|r| r.iter().any(|c| cell(c) == "OPS-8")));
    // English.
    let bytes = c
        .app
        .send_bytes(&format!("/assessments/{id}/export.xlsx?lang=en"), &c.cookie)
        .await;
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names()[0], "Summary");

    let utf8 = c
        .app
        .send_bytes(&format!("/assessments/{id}/export.csv"), &c.cookie)
        .await;
    assert_eq!(&utf8[..3], b"\xEF\xBB\xBF", "UTF-8 with BOM");
    let text = String::from_utf8(utf8[3..].to_vec()).unwrap();
    assert!(text.starts_with("項目ID,分類,項目"));
    let sjis = c
        .app
        .send_bytes(
            &format!("/assessments/{id}/export.csv?encoding=cp932"),
            &c.cookie,
        )
        .await;
    let (decoded, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!had_errors);
    assert_eq!(
        decoded.lines().next(),
        text.lines().next(),
        "same content in CP932"
    );
    assert_eq!(
        c.get(&format!("/assessments/{id}/export.csv?encoding=latin1"))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // A character CP932 cannot hold: the reader is told where, in Japanese.
    let r = c.answer(id, "OPS-8", "1", 2, "予算待ち😀").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c
        .get(&format!("/assessments/{id}/export.csv?encoding=cp932"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("列: 文字「😀」(U+1F600)は CP932(Shift_JIS)で書けません"),
        "{}",
        r.body
    );
}

fn cell(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn the_printable_report_is_in_the_language_asked_for() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer_all(id, "2").await;
    let ja = c.get(&format!("/assessments/{id}/report?lang=ja")).await;
    assert!(ja.body.contains("<html lang=\"ja\">") && ja.body.contains("評価結果"));
    let en = c.get(&format!("/assessments/{id}/report?lang=en")).await;
    assert!(en.body.contains("<html lang=\"en\">") && en.body.contains("Assessment results"));
    assert!(en.body.contains("What to do first") && !en.body.contains("対策の優先順位"));
}

async fn upload(c: &Company, bytes: Vec<u8>, name: &str) -> Reply {
    let boundary = "kojoboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post(format!("/sites/{}/import", c.site))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, &c.cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    c.app.send(req).await
}

#[tokio::test]
async fn the_offline_workbook_round_trips_and_bad_files_import_nothing() {
    let c = company().await;
    let template = c
        .app
        .send_bytes("/templates/assessment.xlsx", &c.cookie)
        .await;
    let content = kojo_content::load_embedded().unwrap();
    let cl = content.latest_checklist("factory-guideline").unwrap();
    let scale = content.scale(&cl.scale).unwrap();
    assert!(
        assessment_xlsx::parse(&template, cl, scale)
            .unwrap()
            .iter()
            .all(|a| a.level.is_none())
    );
    let filled = assessment_xlsx::template_with(
        cl,
        scale,
        Locale::Ja,
        &[ImportedAnswer {
            item_id: "OPS-8".into(),
            level: Some("2".into()),
            note: "現場で記入".into(),
            owner: "工場長".into(),
            target_date: Some("2027-03-31".into()),
        }],
    )
    .unwrap();
    let r = upload(&c, filled, "現場.xlsx").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: AssessmentId = r
        .location()
        .trim_start_matches("/assessments/")
        .parse()
        .unwrap();
    let a = c.app.db.answer(id, "OPS-8").await.unwrap().unwrap();
    assert_eq!(
        (
            a.level.as_deref(),
            a.note.as_str(),
            a.target_date.as_deref()
        ),
        (Some("2"), "現場で記入", Some("2027-03-31"))
    );
    // A second workbook while that draft is open is refused, naming what to do.
    let again = assessment_xlsx::template(cl, scale, Locale::Ja).unwrap();
    let r = upload(&c, again.clone(), "again.xlsx").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("回答中の評価（下書き）があります"),
        "{}",
        r.body
    );
    // Starting again continues the draft instead of adding one.
    let r = c
        .app
        .post(
            &format!("/sites/{}/assessments", c.site),
            &[],
            Some(&c.cookie),
        )
        .await;
    assert_eq!(r.location(), format!("/assessments/{id}"));
    // Discarding needs the box ticked; then the workbook can come in.
    let discard = format!("/assessments/{id}/discard");
    let r = c.app.post(&discard, &[], Some(&c.cookie)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = c
        .app
        .post(&discard, &[("confirm", "yes")], Some(&c.cookie))
        .await;
    assert_eq!(r.location(), "/company");
    assert_eq!(
        c.app
            .get(&format!("/assessments/{id}"), Some(&c.cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = upload(&c, again, "again.xlsx").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: AssessmentId = r
        .location()
        .trim_start_matches("/assessments/")
        .parse()
        .unwrap();
    c.app
        .db
        .discard_draft(&kojo_storage::Actor::cli(), id)
        .await
        .unwrap();

    let before = c.app.db.assessments_of_site(c.site).await.unwrap().len();
    let r = upload(&c, b"not a workbook at all".to_vec(), "x.xlsx").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Excel（.xlsx）ファイルとして読み取れませんでした")
    );
    // A foreign workbook.
    let foreign =
        kojo_formats::assessment_xlsx::export(&kojo_formats::assessment_xlsx::ExportData {
            locale: Locale::Ja,
            title: "x".into(),
            meta: vec![],
            categories: vec![],
            overall: None,
            answers: vec![],
            gaps: vec![],
            plan: vec![],
            baseline: vec![],
        })
        .unwrap();
    let r = upload(&c, foreign, "other.xlsx").await;
    assert!(r.body.contains("kojo のひな形ではありません"), "{}", r.body);
    assert_eq!(
        c.app.db.assessments_of_site(c.site).await.unwrap().len(),
        before,
        "nothing imported"
    );
    // Too large.
    let r = upload(&c, vec![b'x'; 6 * 1024 * 1024], "big.xlsx").await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body.contains("上限 5MB"), "{}", r.body);
}

#[tokio::test]
async fn every_wrong_cell_is_listed_with_its_location() {
    let c = company().await;
    // Build a workbook with two wrong cells by prefilling values the parser refuses.
    let content = kojo_content::load_embedded().unwrap();
    let cl = content.latest_checklist("factory-guideline").unwrap();
    let scale = content.scale(&cl.scale).unwrap();
    let mut bad_scale = scale.clone();
    bad_scale.levels[0].code = "7".into(); // writes "7: …" into the answer cell
    let given = vec![
        ImportedAnswer {
            item_id: "ORG-1".into(),
            level: Some("7".into()),
            note: String::new(),
            owner: String::new(),
            target_date: None,
        },
        ImportedAnswer {
            item_id: "ORG-2".into(),
            level: Some("7".into()),
            note: String::new(),
            owner: String::new(),
            target_date: Some("2027-02-30".into()),
        },
    ];
    let bytes = assessment_xlsx::template_with(cl, &bad_scale, Locale::Ja, &given).unwrap();
    let r = upload(&c, bytes.clone(), "bad.xlsx").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"import-errors\""), "{}", r.body);
    assert!(
        r.body.contains("E2") && r.body.contains("E3") && r.body.contains("H3"),
        "{}",
        r.body
    );
    assert!(r.body.contains("何も保存していません"));
    // What each cell should hold, in the reader's language.
    let codes = scale.codes().join(", ");
    let (answer_ja, answer_en) = (
        format!("<td>{codes} のいずれか（または表示名）</td>"),
        format!("<td>one of {codes} (or their labels)</td>"),
    );
    let (date_ja, date_en) = (
        "2026-03-31 や 2026/3/31 のような日付",
        "a date such as 2026-03-31 or 2026/3/31",
    );
    assert!(
        r.body.contains(&answer_ja) && r.body.contains(date_ja),
        "{}",
        r.body
    );
    assert!(!r.body.contains(&answer_en) && !r.body.contains(date_en));
    c.app
        .post("/lang", &[("to", "en"), ("next", "/")], Some(&c.cookie))
        .await;
    let r = upload(&c, bytes, "bad.xlsx").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("<html lang=\"en\">"), "{}", r.body);
    assert!(
        r.body.contains(&answer_en) && r.body.contains(date_en),
        "{}",
        r.body
    );
    assert!(!r.body.contains(&answer_ja) && !r.body.contains(date_ja));
    assert!(
        c.app
            .db
            .assessments_of_site(c.site)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_json_api_reads_and_writes_with_versions() {
    let c = company().await;
    let r = c
        .app
        .request_json(
            "POST",
            &format!("/api/sites/{}/assessments", c.site),
            "{}",
            &c.cookie,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = AssessmentId::new(
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
            .as_i64()
            .unwrap(),
    );
    // Starting again continues the draft (200, the same assessment).
    let again = c
        .app
        .request_json(
            "POST",
            &format!("/api/sites/{}/assessments", c.site),
            "{}",
            &c.cookie,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(
        again.body.contains(&format!("\"id\":{id}")),
        "{}",
        again.body
    );
    let answer_path = format!("/api/assessments/{id}/answers/OPS-8");
    let put = |body: &'static str| c.app.request_json("PUT", &answer_path, body, &c.cookie);
    let r = put(r#"{"level":"1","note":"","version":0}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["version"],
        1
    );
    let r = put(r#"{"level":"2","version":0}"#).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["current"]["level"], "1");
    let r = put(r#"{"level":"x","version":1}"#).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["error"]["code"], "bad_request");
    assert_eq!(v["error"]["field"], "level", "{v}");
    assert!(
        v["error"]["detail"].as_str().unwrap().contains("「x」"),
        "{v}"
    );

    let r = c.get(&format!("/api/assessments/{id}")).await;
    let report: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(report["answers"].as_array().unwrap().len(), 32);
    assert!(report["scores"]["categories"].as_array().unwrap().len() == 4);
    let gap = &report["gaps"][0];
    assert_eq!(gap["item"], "OPS-8");
    assert_eq!(
        gap["figures"][0]["figure"],
        "company.checklist.operational.vulnerability_identification.not_done"
    );
    assert_eq!(gap["figures"][0]["value"], 65.0);
    let m = &gap["measures"][0];
    assert!(m["example"]["ja"].is_string() && m["cost_label"]["ja"].is_string());
    assert_eq!(report["size_band"], "small");
    let r = c.get("/api/sites").await;
    assert!(r.body.contains("本社工場"));
    let complete_path = format!("/api/assessments/{id}/complete");
    let complete = || c.app.request_json("POST", &complete_path, "{}", &c.cookie);
    let r = complete().await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not every item answered");
    c.answer_all(id, "3").await;
    // Completing is idempotent: a retried request gets the same answer.
    for _ in 0..2 {
        let r = complete().await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("\"complete\""));
    }
    assert_eq!(
        put(r#"{"level":"2","version":2}"#).await.status,
        StatusCode::CONFLICT,
        "read-only"
    );
    // Signed out: 401 JSON, not a redirect.
    let r = c.app.get(&format!("/api/assessments/{id}"), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("\"unauthenticated\""));
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_api_routes() {
    let app = TestApp::new().await;
    let r = app.get("/api/openapi.json", None).await;
    let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let routed: std::collections::BTreeSet<(String, String)> = kojo_web::routes::ROUTES
        .iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| (r.path.to_string(), r.verb.as_str().to_lowercase()))
        .collect();
    let mut documented = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((path.clone(), method.clone()));
        }
    }
    assert_eq!(routed, documented, "routed vs documented");
    // The schemas come from the handlers' types, limits included.
    let input = &doc["components"]["schemas"]["AnswerBody"]["properties"];
    assert_eq!(
        input["note"]["maxLength"],
        kojo_service::assessment::NOTE_MAX
    );
    assert_eq!(
        input["owner"]["maxLength"],
        kojo_service::assessment::OWNER_MAX
    );
    let report = &doc["components"]["schemas"]["AssessmentReport"]["properties"];
    assert!(
        report["gaps"].is_object() && report["scores"].is_object(),
        "{report}"
    );
    let put = &doc["paths"]["/api/assessments/{assessment}/answers/{item}"]["put"];
    for code in ["200", "400", "401", "403", "404", "409"] {
        assert!(
            put["responses"][code].is_object(),
            "PUT answers lacks {code}"
        );
    }
}

#[tokio::test]
async fn colleagues_join_by_a_single_use_invitation() {
    let c = company().await;
    let r = c
        .app
        .post(
            "/company/invitations",
            &[("role", "company_member")],
            Some(&c.cookie),
        )
        .await;
    let start = r.body.find("/invite/").expect("link shown");
    let token: String = r.body[start + 8..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    let path = format!("/invite/{token}");
    let form = [
        ("login", "suzuki"),
        ("display_name", "鈴木"),
        ("password", "long-enough-pw"),
        ("password_again", "long-enough-pw"),
    ];
    let r = c.app.post(&path, &form, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cookie = format!("kojo_session={}", r.set_cookie("kojo_session").unwrap());
    let page = c.app.get("/company", Some(&cookie)).await;
    assert!(
        page.body.contains("本社工場"),
        "the new member sees the company's sites"
    );
    assert!(
        !page.body.contains("id=\"add-site\""),
        "members do not manage sites"
    );
    assert_eq!(
        c.app.get("/company/members", Some(&cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.app.post(&path, &form, None).await.status,
        StatusCode::NOT_FOUND,
        "single use"
    );
}

#[tokio::test]
async fn a_password_change_ends_other_sessions() {
    let c = company().await;
    let other = c.app.sign_in("yamada").await;
    let form = [
        ("current", crate::support::PASSWORD),
        ("new", "a-new-long-passphrase"),
        ("again", "a-new-long-passphrase"),
    ];
    let r = c
        .app
        .post("/account/password", &form, Some(&c.cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"password-changed\""));
    let fresh = format!("kojo_session={}", r.set_cookie("kojo_session").unwrap());
    assert_eq!(
        c.app.get("/company", Some(&fresh)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.app.get("/company", Some(&other)).await.status,
        StatusCode::SEE_OTHER
    );
    let wrong = [
        ("current", "nope"),
        ("new", "another-long-pass"),
        ("again", "another-long-pass"),
    ];
    let r = c.app.post("/account/password", &wrong, Some(&fresh)).await;
    assert!(r.body.contains("現在のパスワードが正しくありません"));
}

/// Adds a measure to the plan the way the results page does (htmx).
async fn add_to_plan(c: &Company, id: AssessmentId, measure: &str) {
    let req = Request::post(format!("/sites/{}/plan", c.site))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .header(header::COOKIE, &c.cookie)
        .body(Body::from(format!("measure={measure}&assessment={id}")))
        .unwrap();
    let r = c.app.send(req).await;
    assert!(r.body.contains("計画に追加済み"), "{}", r.body);
}

#[tokio::test]
async fn the_results_lead_with_one_screen_and_the_next_steps_filter_to_free_measures() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer_all(id, "1").await;
    let r = c.get(&format!("/assessments/{id}/results")).await;
    assert_eq!(r.status, StatusCode::OK);
    // The first screen comes before the details, with the national figure on the same chart.
    let glance = r.body.find("id=\"glance\"").expect("first screen");
    let details = r.body.find("id=\"details\"").expect("details");
    assert!(glance < details);
    let first = &r.body[glance..details];
    assert!(first.contains("id=\"chart-national\"") && first.contains("全国（令和4年度）"));
    assert_eq!(
        first.matches("<li class=\"step").count(),
        3,
        "three next steps"
    );
    assert!(
        first.contains("初めての評価です"),
        "no previous assessment yet"
    );
    assert!(first.contains("まだ行動計画に対策がありません"));
    // Free only: every step shown costs nothing, and at least one exists for all-level-1 answers.
    let free = c
        .get(&format!("/assessments/{id}/results?steps=free"))
        .await;
    let glance = free.body.find("id=\"glance\"").unwrap();
    let details = free.body.find("id=\"details\"").unwrap();
    let first = &free.body[glance..details];
    let steps = first.matches("<li class=\"step").count();
    assert!(steps >= 1, "{first}");
    assert_eq!(first.matches("<li class=\"step free\"").count(), steps);
    assert!(first.contains("id=\"steps-free\" aria-current=\"true\""));
    // The plan at a glance: percent complete and the cost band of the open items.
    add_to_plan(&c, id, "OPS-8-m1").await;
    let r = c.get(&format!("/assessments/{id}/results")).await;
    assert!(r.body.contains("id=\"plan-cost\""), "cost band line");
    assert!(r.body.contains("完了 0 / 1件"), "percent complete");
    // The step taken into the plan is no longer a next step.
    let glance = r.body.find("id=\"glance\"").unwrap();
    let details = r.body.find("id=\"details\"").unwrap();
    assert!(!r.body[glance..details].contains("data-measure=\"OPS-8-m1\""));
}

#[tokio::test]
async fn plan_items_flag_overdue_count_progress_link_back_print_and_can_be_removed() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer_all(id, "1").await;
    add_to_plan(&c, id, "OPS-8-m1").await;
    add_to_plan(&c, id, "ORG-1-m1").await;
    let items = c.app.db.plan_of_site(c.site).await.unwrap();
    let ops8 = items.iter().find(|i| i.measure_id == "OPS-8-m1").unwrap();
    let org1 = items.iter().find(|i| i.measure_id == "ORG-1-m1").unwrap();
    let save = |item: kojo_core::ids::PlanItemId, status: &'static str, due: &'static str| {
        let c = &c;
        async move {
            let r = c
                .app
                .post(
                    &format!("/plan/{item}"),
                    &[
                        ("status", status),
                        ("owner", "鈴木"),
                        ("due_date", due),
                        ("note", ""),
                        ("version", "1"),
                    ],
                    Some(&c.cookie),
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
    };
    save(ops8.id, "planned", "2024-04-01").await;
    save(org1.id, "done", "2024-04-01").await;
    let plan = c.get(&format!("/sites/{}/plan", c.site)).await;
    // Only the open item past its date is overdue; one of two is done.
    assert_eq!(
        plan.body.matches("overdue-flag").count(),
        1,
        "{}",
        plan.body
    );
    assert!(plan.body.contains("期限切れ 1件"));
    assert!(
        plan.body.contains("id=\"plan-percent\">50%"),
        "{}",
        plan.body
    );
    // Each measure links back to where it was chosen.
    assert!(plan.body.contains(&format!(
        "href=\"/assessments/{id}/results#measure-OPS-8-m1\""
    )));
    // The printable plan, alone, in both languages.
    let print = c.get(&format!("/sites/{}/plan/print", c.site)).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.body.contains("id=\"plan-table\"") && print.body.contains("2024年4月1日"));
    assert!(
        !print.body.contains("class=\"topbar"),
        "no menu on the printed plan"
    );
    let en = c
        .get(&format!("/sites/{}/plan/print?lang=en", c.site))
        .await;
    assert!(
        en.body.contains("lang=\"en\"") && en.body.contains("Overdue"),
        "{}",
        en.body
    );
    // Removing takes the item out (audited), the page says so, and it can be added again.
    let r = c
        .app
        .post(&format!("/plan/{}/remove", ops8.id), &[], Some(&c.cookie))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let left = c.app.db.plan_of_site(c.site).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].measure_id, "ORG-1-m1");
    let plan = c.get(&format!("/sites/{}/plan", c.site)).await;
    assert!(!plan.body.contains("data-measure=\"OPS-8-m1\""));
    assert!(plan.body.contains("id=\"plan-percent\">100%"));
    // Removing it again finds nothing.
    let r = c
        .app
        .post(&format!("/plan/{}/remove", ops8.id), &[], Some(&c.cookie))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    add_to_plan(&c, id, "OPS-8-m1").await;
    assert_eq!(c.app.db.plan_of_site(c.site).await.unwrap().len(), 2);
}

#[tokio::test]
async fn items_not_known_get_who_to_ask_and_a_printable_question_sheet() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer_all(id, "3").await;
    c.answer(id, "SC-2", "na", 1, "").await;
    c.answer(id, "PHY-1", "na", 1, "").await;
    let r = c.get(&format!("/assessments/{id}/results")).await;
    assert!(r.body.contains("確認先"), "who to ask");
    assert!(
        r.body
            .contains(&format!("href=\"/assessments/{id}/vendor-questions\""))
    );
    let sheet = c.get(&format!("/assessments/{id}/vendor-questions")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert_eq!(
        sheet.body.matches("<tr data-item=").count(),
        2,
        "{}",
        sheet.body
    );
    assert!(
        sheet.body.contains("data-item=\"SC-2\"") && sheet.body.contains("data-item=\"PHY-1\"")
    );
    assert!(sheet.body.contains("山田精機 本社工場"));
    assert!(sheet.body.contains("class=\"answer-box\""));
    let en = c
        .get(&format!("/assessments/{id}/vendor-questions?lang=en"))
        .await;
    assert!(en.body.contains("What we need to know"));
    // Nothing unknown: the sheet says so.
    c.answer(id, "SC-2", "3", 2, "").await;
    c.answer(id, "PHY-1", "3", 2, "").await;
    let sheet = c.get(&format!("/assessments/{id}/vendor-questions")).await;
    assert!(sheet.body.contains("id=\"vq-none\""));
}

#[tokio::test]
async fn terms_link_to_the_glossary_which_defines_them_in_both_languages() {
    let c = company().await;
    let id = c.start(None).await;
    c.answer_all(id, "1").await;
    // The assessment form and the results link terms where they appear, to an entry that exists.
    let form = c.get(&format!("/assessments/{id}")).await;
    let results = c.get(&format!("/assessments/{id}/results")).await;
    let glossary = c.app.get("/glossary", None).await;
    assert_eq!(glossary.status, StatusCode::OK);
    for page in [&form.body, &results.body] {
        let links: Vec<&str> = page
            .split("href=\"/glossary#")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(links.len() >= 3, "terms linked");
        for id in links {
            assert!(glossary.body.contains(&format!("<dt id=\"{id}\"")), "{id}");
        }
    }
    assert!(glossary.body.contains("HMI（タッチパネル・表示器）"));
    assert!(
        glossary
            .body
            .contains("href=\"/glossary\" id=\"footer-glossary\"")
    );
    let r = c
        .app
        .post(
            "/lang",
            &[("to", "en"), ("next", "/glossary")],
            Some(&c.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let en = c.get("/glossary").await;
    assert!(
        en.body.contains("Glossary") && en.body.contains("<dt id=\"ews\""),
        "{}",
        &en.body[..500]
    );
}

/// Attaches a file to an item the way the evidence page's form does.
async fn attach(c: &Company, id: AssessmentId, item: &str, bytes: Vec<u8>, name: &str) -> Reply {
    let boundary = "kojoboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\n{item}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post(format!("/assessments/{id}/evidence"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, &c.cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    c.app.send(req).await
}

#[tokio::test]
async fn evidence_is_checked_by_content_stored_listed_in_the_appendix_and_audited() {
    let c = company().await;
    let id = c.start(None).await;
    let jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo of the control cabinet".to_vec();
    let r = attach(&c, id, "PHY-1", jpeg.clone(), "C:\\写真\\制御盤.jpg").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.location()
            .starts_with(&format!("/assessments/{id}/evidence?item=PHY-1"))
    );
    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj".to_vec();
    assert_eq!(
        attach(&c, id, "ORG-1", pdf, "方針.pdf").await.status,
        StatusCode::SEE_OTHER
    );
    // An HTML page named .jpg, an unknown item, a file over 10 MB: refused, nothing written.
    let r = attach(
        &c,
        id,
        "PHY-1",
        b"<html><script>alert(1)</script>".to_vec(),
        "x.jpg",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("添付できるのは写真（JPEG・PNG・WebP）か PDF だけです"),
        "{}",
        r.body
    );
    assert_eq!(
        attach(&c, id, "XYZ-9", jpeg.clone(), "a.jpg").await.status,
        StatusCode::NOT_FOUND
    );
    let mut big = jpeg.clone();
    big.resize(kojo_core::evidence::MAX_BYTES + 1, 0);
    let r = attach(&c, id, "PHY-1", big, "big.jpg").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(
        r.body.contains("ファイルが大きすぎます（10.0 MB）"),
        "{}",
        r.body
    );
    let files = c.app.db.evidence_of(id).await.unwrap();
    assert_eq!(files.len(), 2);
    let photo = files.iter().find(|e| e.item_id == "PHY-1").unwrap();
    assert_eq!(photo.file_name, "制御盤.jpg", "the name without its path");
    // The page lists them; the file comes back byte for byte, as a download that cannot run.
    let page = c
        .get(&format!("/assessments/{id}/evidence?item=PHY-1"))
        .await;
    assert!(page.body.contains("制御盤.jpg") && page.body.contains("方針.pdf"));
    assert!(page.body.contains("<option value=\"PHY-1\" selected>"));
    let r = c
        .get(&format!("/assessments/{id}/evidence/{}", photo.id))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "image/jpeg");
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let bytes = c
        .app
        .send_bytes(
            &format!("/assessments/{id}/evidence/{}", photo.id),
            &c.cookie,
        )
        .await;
    assert_eq!(bytes, jpeg);
    // The results' appendix lists them (in English too).
    let results = c.get(&format!("/assessments/{id}/results")).await;
    let appendix = &results.body[results.body.find("id=\"evidence-appendix\"").unwrap()..];
    assert!(appendix.contains("制御盤.jpg") && appendix.contains("PDF"));
    let en = c.get(&format!("/assessments/{id}/report?lang=en")).await;
    assert!(en.body.contains("Appendix: evidence") && en.body.contains("方針.pdf"));
    // Audited: who attached what.
    let audit = c
        .app
        .db
        .audit_log(Some(("evidence", &photo.id.to_string())), 10)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "create");
    // Deleting removes it from the list (audited); a completed assessment takes no more files.
    let r = c
        .app
        .post(
            &format!("/assessments/{id}/evidence/{}/delete", photo.id),
            &[],
            Some(&c.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.app.db.evidence_of(id).await.unwrap().len(), 1);
    let results = c.get(&format!("/assessments/{id}/results")).await;
    assert!(
        !results.body.contains("制御盤.jpg"),
        "the appendix follows the deletion"
    );
    c.answer_all(id, "2").await;
    c.app
        .post(&format!("/assessments/{id}/complete"), &[], Some(&c.cookie))
        .await;
    let r = attach(&c, id, "PHY-1", jpeg, "late.jpg").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(c.app.db.evidence_of(id).await.unwrap().len(), 1);
}
