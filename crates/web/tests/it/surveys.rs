//! Survey rounds end to end in-process: an association opens a round, invites members, they
//! answer through links (draft, submit, correct), a signed-in company answers with the checklist
//! pre-filled, the round closes; the report withholds small groups; the ministry's national
//! view counts a company once; imports are located and atomic; interviews are tagged.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kojo_core::ids::{InterviewId, OrgId, RoundId};
use kojo_core::org::{OrgKind, Role};
use kojo_core::status::ResponseStatus;
use kojo_storage::{Actor, ImportRow, NewOrg, NewSite};

use crate::support::{Reply, TestApp, enc};

/// The resume code the tests' link respondents choose.
const CODE: &str = "kaisha-no-himitsu";

/// An imported response of an organisation answering G1.
fn import_row(org: OrgId, g1: &str) -> ImportRow {
    ImportRow {
        respondent: format!("org-{org}"),
        org_id: Some(org),
        answers: [("G1".to_string(), g1.to_string())].into_iter().collect(),
    }
}

struct Setup {
    app: TestApp,
    assoc_cookie: String,
    round: RoundId,
    companies: Vec<OrgId>,
}

async fn setup(companies: usize) -> Setup {
    let app = TestApp::new().await;
    let cli = Actor::cli();
    let assoc = app
        .db
        .create_org(
            &cli,
            OrgKind::Association,
            &NewOrg {
                name: "工作機械団体".into(),
                sc3_member: true,
                ..NewOrg::default()
            },
        )
        .await
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for i in 0..companies {
        let c = app
            .db
            .create_org(
                &cli,
                OrgKind::Company,
                &NewOrg {
                    name: format!("会員{i:02}"),
                    industry_code: Some(if i % 2 == 0 { "26" } else { "31" }.into()),
                    employees: Some(50 + 100 * i as i64),
                    ..NewOrg::default()
                },
            )
            .await
            .unwrap()
            .id;
        app.db.add_membership(&cli, assoc, c).await.unwrap();
        ids.push(c);
    }
    app.user("assoc", Role::AssociationAdmin, Some(assoc)).await;
    let assoc_cookie = app.sign_in("assoc").await;
    let r = app
        .post(
            "/rounds",
            &[
                ("instrument", "company-2022"),
                ("title", "令和8年度 会員調査"),
                ("opens_on", "2026/12/1"),
                ("closes_on", ""),
            ],
            Some(&assoc_cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let round = r.location().trim_start_matches("/rounds/").parse().unwrap();
    Setup {
        app,
        assoc_cookie,
        round,
        companies: ids,
    }
}

impl Setup {
    /// Closes the round as its association does (its report is released then).
    async fn close(&self) {
        let r = self
            .app
            .post(
                &format!("/rounds/{}/close", self.round),
                &[("confirm", "yes")],
                Some(&self.assoc_cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    async fn invite_all(&self) -> Vec<String> {
        let body: String = self
            .companies
            .iter()
            .map(|c| format!("org={c}"))
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::post(format!("/rounds/{}/invitees", self.round))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &self.assoc_cookie)
            .body(Body::from(body))
            .unwrap();
        let r = self.app.send(req).await;
        assert!(r.body.contains("id=\"round-message\""), "{}", r.body);
        let csv = self
            .app
            .get(
                &format!("/rounds/{}/links.csv", self.round),
                Some(&self.assoc_cookie),
            )
            .await;
        assert!(csv.body.starts_with('\u{feff}'), "UTF-8 with BOM");
        csv.body
            .lines()
            .skip(1)
            .map(|l| l.rsplit('/').next().unwrap().trim().to_string())
            .collect()
    }

    /// Posts an answer form to a link.
    async fn answer(&self, token: &str, fields: &[(&str, &str)]) -> Reply {
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::post(format!("/r/{token}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.app.send(req).await
    }
}

#[tokio::test]
async fn respondents_answer_through_links_and_the_round_closes() {
    let s = setup(3).await;
    let tokens = s.invite_all().await;
    assert_eq!(tokens.len(), 3);
    // The same links can be downloaded again (derived, not stored).
    let again: Vec<String> = s
        .app
        .get(
            &format!("/rounds/{}/links.csv", s.round),
            Some(&s.assoc_cookie),
        )
        .await
        .body
        .lines()
        .skip(1)
        .map(|l| l.rsplit('/').next().unwrap().trim().to_string())
        .collect();
    assert_eq!(tokens, again);
    assert_eq!(
        s.app.get("/r/not-a-token", None).await.status,
        StatusCode::NOT_FOUND
    );

    let form = s.app.get(&format!("/r/{}", tokens[0]), None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("id=\"survey-form\"") && form.body.contains("name=\"H1.ORG-1\""));
    assert!(
        form.body
            .contains("<span id=\"round-period\">2026年12月1日 –</span>"),
        "the period as a Japanese date, open-ended"
    );
    // Draft (with the resume code its respondent chose) with one invalid answer: nothing is
    // stored, the page says so (never "saved"), the bad answer is named and comes back as typed
    // with the valid ones (issue 11 §1).
    let with_error = [
        ("version", "0"),
        ("action", "save"),
        ("resume_code", CODE),
        ("G1", "1"),
        ("E1", "1"),
        ("E1", "2"),
        ("C7", "-5"),
    ];
    let r = s.answer(&tokens[0], &with_error).await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "{}",
        &r.body[..500.min(r.body.len())]
    );
    let respondent = format!("org-{}", s.companies[0]);
    assert!(
        s.app
            .db
            .response(s.round, &respondent)
            .await
            .unwrap()
            .is_none(),
        "nothing stored"
    );
    assert!(
        r.body.contains("1, 2, 9 のいずれかで答えてください。")
            && !r.body.contains("one of")
            && r.body.contains("保存していません。次の回答を直してから")
            && !r.body.contains("保存しました"),
        "the problem with C7 in Japanese, nothing said saved: {}",
        r.body
    );
    assert!(
        r.body.contains("<a href=\"#f-C7-1\">C7: "),
        "linked from the top"
    );
    assert!(
        r.body
            .contains("name=\"E1\" id=\"f-E1-2\" value=\"2\" checked"),
        "the valid answers stay on the page"
    );
    let r = s
        .answer(&tokens[0], &with_error[..with_error.len() - 1])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let stored = s
        .app
        .db
        .response(s.round, &respondent)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, ResponseStatus::Draft);
    assert_eq!(
        stored.answers.get("E1"),
        Some("1|2"),
        "several choices joined with |"
    );
    // Routing: answering the contract question although the company does not outsource is dropped.
    let r = s
        .answer(
            &tokens[0],
            &[
                ("version", "1"),
                ("action", "submit"),
                ("resume_code", CODE),
                ("G1", "2"),
                ("G3", "1"),
                ("E1", "1"),
            ],
        )
        .await;
    assert!(
        r.body
            .contains("設問 G3 は、前の回答によって対象外のため、回答を保存しませんでした。"),
        "the dropped answer is named (the form itself always shows G3): {}",
        r.body
    );
    let stored = s
        .app
        .db
        .response(s.round, &format!("org-{}", s.companies[0]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, ResponseStatus::Submitted);
    assert!(!stored.answers.contains("G3"));
    // The submitted response is spent for the link: nothing more is accepted.
    let r = s
        .answer(
            &tokens[0],
            &[
                ("version", "2"),
                ("action", "save"),
                ("resume_code", CODE),
                ("E1", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // A stale form does not overwrite a draft.
    let draft = [("action", "save"), ("resume_code", CODE), ("E1", "2")];
    let r = s
        .answer(&tokens[1], &[&[("version", "0")], &draft[..]].concat())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = s
        .answer(&tokens[1], &[&[("version", "0")], &draft[..]].concat())
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    s.answer(
        &tokens[1],
        &[
            ("version", "1"),
            ("action", "submit"),
            ("resume_code", CODE),
            ("G1", "1"),
            ("E1", "1"),
        ],
    )
    .await;
    for t in &tokens[2..] {
        s.answer(
            t,
            &[
                ("version", "0"),
                ("action", "submit"),
                ("G1", "1"),
                ("E1", "1"),
            ],
        )
        .await;
    }
    let page = s
        .app
        .get(&format!("/rounds/{}", s.round), Some(&s.assoc_cookie))
        .await;
    assert!(page.body.contains("提出済み 3件"), "{}", page.body);
    // The header shows the round's dates (none set: it says so), and closing sits apart from
    // the import, behind a confirmation.
    assert!(
        page.body.contains("id=\"round-period\">受付期間 "),
        "{}",
        page.body
    );
    let import = page.body.find("action=\"/rounds/").unwrap();
    let close_form = page.body.find("id=\"close-round\"").unwrap();
    assert!(page.body[..close_form].contains("id=\"close-confirm\""));
    assert!(close_form > import);
    let close = format!("/rounds/{}/close", s.round);
    let r = s.app.post(&close, &[], Some(&s.assoc_cookie)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "unconfirmed");
    assert!(
        s.app
            .get(&format!("/rounds/{}", s.round), Some(&s.assoc_cookie))
            .await
            .body
            .contains("id=\"round-status\">受付中")
    );
    // Close: no more answers.
    let r = s
        .app
        .post(&close, &[("confirm", "yes")], Some(&s.assoc_cookie))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = s
        .answer(
            &tokens[1],
            &[("version", "1"), ("action", "save"), ("E1", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("id=\"round-closed\""));
    // An association's round is not reopened: its report is out (differencing).
    let page = s
        .app
        .get(&format!("/rounds/{}", s.round), Some(&s.assoc_cookie))
        .await;
    assert!(!page.body.contains("id=\"reopen-round\""));
    let r = s
        .app
        .post(
            &format!("/rounds/{}/reopen", s.round),
            &[],
            Some(&s.assoc_cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("再開できません"), "{}", r.body);
}

#[tokio::test]
async fn a_small_round_is_withheld_and_groups_below_k_never_leak() {
    let s = setup(3).await;
    let tokens = s.invite_all().await;
    for t in &tokens {
        s.answer(
            t,
            &[
                ("version", "0"),
                ("action", "submit"),
                ("G1", "1"),
                ("E1", "1"),
            ],
        )
        .await;
    }
    let r = s
        .app
        .get(
            &format!("/rounds/{}/report", s.round),
            Some(&s.assoc_cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("id=\"report-withheld\""),
        "3 respondents < 5: withheld"
    );
    assert!(
        !r.body.contains(">3<") && !r.body.contains("100.0%"),
        "no count or percentage shown"
    );
    // A withheld question is one line saying so and why, not a row of dashes per choice.
    let block = &r.body[r.body.find("class=\"panel qblock\"").expect("a question")..];
    let block = &block[..block.find("</section>").unwrap()];
    assert_eq!(block.matches("class=\"withheld\"").count(), 1, "{block}");
    assert!(
        !block.contains("<table class=\"data\">") && !block.contains("—"),
        "{block}"
    );
    let csv = s
        .app
        .get(
            &format!("/rounds/{}/report.csv", s.round),
            Some(&s.assoc_cookie),
        )
        .await;
    assert!(
        !csv.body.contains(",3,"),
        "the export is withheld too: {}",
        &csv.body[..400.min(csv.body.len())]
    );
}

/// Issue 8 §2, differencing: an association that saves its report, lets one known member submit
/// and compares, learns nothing — an open round's report shows its association only the number
/// of respondents (the status list says as much), in the page and in every export; the ministry
/// sees the results while the round runs; the association sees them once the round is closed,
/// when no answer can change any more.
#[tokio::test]
async fn an_open_rounds_report_is_released_to_its_association_only_when_closed() {
    let s = setup(8).await;
    let tokens = s.invite_all().await;
    for t in &tokens[..6] {
        s.answer(
            t,
            &[
                ("version", "0"),
                ("action", "submit"),
                ("G1", "1"),
                ("E1", "1"),
            ],
        )
        .await;
    }
    let view = |path: String| {
        let app = &s.app;
        let cookie = s.assoc_cookie.clone();
        async move { app.get(&path, Some(&cookie)).await.body }
    };
    let page = format!("/rounds/{}/report?section=G", s.round);
    let before = view(page.clone()).await;
    assert!(before.contains("回答者 6件"), "the size stays live");
    assert!(before.contains("id=\"report-withheld\""));
    assert!(before.contains("締め切ったあと"), "says why, in Japanese");
    assert!(
        !before.contains("100.0%"),
        "no share of the six who said yes"
    );
    let cross = view(format!("{page}&by=@industry&of=G1")).await;
    assert!(
        !cross.contains("id=\"cross-table\""),
        "no cross-tab of an open round either"
    );
    let csv_before = view(format!("/rounds/{}/report.csv", s.round)).await;

    // One more member submits (the adversary knows who: the status list says so).
    s.answer(
        &tokens[6],
        &[
            ("version", "0"),
            ("action", "submit"),
            ("G1", "2"),
            ("E1", "1"),
        ],
    )
    .await;
    let after = view(page.clone()).await;
    assert!(after.contains("回答者 7件"));
    let strip = |p: &str| p.replace("回答者 7件", "回答者 6件");
    assert_eq!(strip(&after), before, "the page differs only by its size");
    let csv_after = view(format!("/rounds/{}/report.csv", s.round)).await;
    assert_eq!(csv_after, csv_before, "the CSV export is the same");
    assert!(!csv_after.contains("100.0") && !csv_after.contains("85.7"));
    // (The workbook is built from the same tables as the CSV: `survey_report_tables`.)

    // The ministry reads it while it runs.
    let ministry_org = s.app.org(OrgKind::Ministry, "経済産業省").await;
    s.app
        .user("meti", Role::MinistryAnalyst, Some(ministry_org))
        .await;
    let meti = s.app.sign_in("meti").await;
    let ministry = s.app.get(&page, Some(&meti)).await.body;
    assert!(!ministry.contains("id=\"report-withheld\""), "{ministry}");
    assert!(ministry.contains("85.7%"), "6 of 7 said yes to G1");

    // English says the same (the language is remembered per user).
    s.app
        .post(
            "/lang",
            &[("to", "en"), ("next", "/")],
            Some(&s.assoc_cookie),
        )
        .await;
    let en = view(page.clone()).await;
    assert!(en.contains("once the round is closed"), "{en}");
    s.app
        .post(
            "/lang",
            &[("to", "ja"), ("next", "/")],
            Some(&s.assoc_cookie),
        )
        .await;

    s.close().await;
    let released = view(page).await;
    assert!(!released.contains("id=\"report-withheld\""));
    assert!(released.contains("85.7%"), "released once closed");
    let cross = view(format!(
        "/rounds/{}/report?section=G&by=@industry&of=G1",
        s.round
    ))
    .await;
    assert!(
        cross.contains("id=\"cross-table\""),
        "the cross-tab once closed"
    );
}

#[tokio::test]
async fn the_report_shows_charts_figures_and_suppressed_crosstab_groups() {
    let s = setup(12).await;
    let tokens = s.invite_all().await;
    // 12 companies: industry 26 × 6, 31 × 6; outsourcing: 8 yes, 4 no.
    for (i, t) in tokens.iter().enumerate() {
        let g1 = if i < 8 { "1" } else { "2" };
        let mut fields = vec![
            ("version", "0"),
            ("action", "submit"),
            ("G1", g1),
            ("E1", "1"),
        ];
        if g1 == "1" {
            fields.push(("G3", "1"));
        }
        s.answer(t, &fields).await;
    }
    s.close().await;
    let r = s
        .app
        .get(
            &format!("/rounds/{}/report?section=G", s.round),
            Some(&s.assoc_cookie),
        )
        .await;
    assert!(r.body.contains("回答者 12件"));
    assert!(
        r.body.contains("id=\"q-G1\"") && r.body.contains("<svg"),
        "a chart per question"
    );
    // ...drawn again for phones, shown there instead of the wide one.
    let narrow = &r.body[r
        .body
        .find("class=\"chart chart-narrow\"")
        .expect("a phone-width chart")..];
    assert!(
        narrow.starts_with("class=\"chart chart-narrow\"><svg"),
        "{}",
        &narrow[..200]
    );
    assert!(narrow[..400].contains("340"), "{}", &narrow[..400]);
    assert!(
        r.body.contains("data-figure=\"company.outsourcing.yes\""),
        "the 2022 figure beside it"
    );
    assert!(
        r.body.contains("66.7%") && r.body.contains("59.7%"),
        "8/12 and the published 59.7%"
    );
    // Cross-tab of G1 by @size_band: employees 50..1150 → small 3, medium 7, large 2 → small
    // and large are below 5; both withheld.
    let r = s
        .app
        .get(
            &format!("/rounds/{}/report?section=G&by=%40size_band&of=G1", s.round),
            Some(&s.assoc_cookie),
        )
        .await;
    assert!(r.body.contains("id=\"cross-table\""), "{}", r.body);
    let table = &r.body[r.body.find("id=\"cross-table\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("n=7"), "medium shown: {table}");
    assert!(
        !table.contains("n=3") && !table.contains("n=2"),
        "small groups withheld: {table}"
    );
    assert!(table.matches("非表示").count() >= 2, "{table}");
    // Industry: 6 and 6 — both shown.
    let r = s
        .app
        .get(
            &format!("/rounds/{}/report?by=%40industry&of=G1", s.round),
            Some(&s.assoc_cookie),
        )
        .await;
    let table = &r.body[r.body.find("id=\"cross-table\"").unwrap()..];
    assert_eq!(
        table[..table.find("</table>").unwrap()]
            .matches("n=6")
            .count(),
        2
    );
    // The xlsx export opens with a sheet per section.
    let req = Request::get(format!("/rounds/{}/report.xlsx", s.round))
        .header(header::COOKIE, &s.assoc_cookie)
        .body(Body::empty())
        .unwrap();
    let resp = s.app.send(req).await;
    assert_eq!(resp.status, StatusCode::OK);
    // ...with bar charts of the shares beside the tables, as the assessment workbook has.
    let bytes = s
        .app
        .send_bytes(&format!("/rounds/{}/report.xlsx", s.round), &s.assoc_cookie)
        .await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let charts: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| n.starts_with("xl/charts/chart"))
        .collect();
    assert!(charts.len() >= 3, "{charts:?}");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(&charts[0]).unwrap(), &mut xml).unwrap();
    assert!(xml.contains("<c:barChart>"), "{xml}");
}

#[tokio::test]
async fn a_signed_in_company_answers_with_the_checklist_from_its_self_assessment() {
    let s = setup(1).await;
    let company = s.companies[0];
    let cli = Actor::cli();
    let site = s
        .app
        .db
        .create_site(
            &cli,
            company,
            &NewSite {
                name: "本社工場".into(),
                ..NewSite::default()
            },
        )
        .await
        .unwrap();
    let a = s
        .app
        .db
        .create_assessment(&cli, site.id, "factory-guideline/v1", None)
        .await
        .unwrap();
    s.app
        .db
        .save_answer(
            &cli,
            a.id,
            "OPS-8",
            0,
            &kojo_storage::AnswerInput {
                level: Some("2".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    s.app
        .user("yamada", Role::CompanyAdmin, Some(company))
        .await;
    let cookie = s.app.sign_in("yamada").await;
    let list = s.app.get("/company/surveys", Some(&cookie)).await;
    assert!(list.body.contains("令和8年度 会員調査"));
    let form = s
        .app
        .get(&format!("/company/surveys/{}", s.round), Some(&cookie))
        .await;
    assert!(
        form.body.contains("id=\"prefilled\""),
        "{}",
        &form.body[..800.min(form.body.len())]
    );
    // OPS-8 pre-checked at 一部実施 (code 2).
    let cell = &form.body[form
        .body
        .find("name=\"H1.OPS-8\" id=\"f-H1.OPS-8-2\" value=\"2\"")
        .expect("OPS-8 row")..];
    assert!(cell[..160].contains("checked"), "{}", &cell[..160]);
    // Answering signed in counts for the company's invitation too (same organisation).
    s.invite_all().await;
    let status = |csv: String| csv.lines().nth(1).unwrap_or_default().to_string();
    let links = format!("/rounds/{}/links.csv", s.round);
    let before = status(s.app.get(&links, Some(&s.assoc_cookie)).await.body);
    assert!(before.contains("未回答"), "{before}");
    let req = Request::post(format!("/company/surveys/{}", s.round))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from("version=0&action=submit&G1=1&E1=1"))
        .unwrap();
    let r = s.app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = status(s.app.get(&links, Some(&s.assoc_cookie)).await.body);
    assert!(after.contains("提出済み"), "{after}");
    let page = s
        .app
        .get(&format!("/rounds/{}", s.round), Some(&s.assoc_cookie))
        .await;
    assert!(page.body.contains("提出済み 1件"), "{}", page.body);
    assert!(page.body.contains("100.0%"), "the response rate counts it");
    // Another company cannot open it.
    let other = s
        .app
        .db
        .create_org(
            &cli,
            OrgKind::Company,
            &NewOrg {
                name: "非会員".into(),
                ..NewOrg::default()
            },
        )
        .await
        .unwrap()
        .id;
    s.app.user("other", Role::CompanyAdmin, Some(other)).await;
    let oc = s.app.sign_in("other").await;
    assert_eq!(
        s.app
            .get(&format!("/company/surveys/{}", s.round), Some(&oc))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn imports_name_every_bad_cell_and_import_nothing() {
    let s = setup(0).await;
    let upload = |name: &'static str, body: String| {
        let boundary = "b0undary";
        let payload = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{body}\r\n--{boundary}--\r\n"
        );
        Request::post(format!("/rounds/{}/import", s.round))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, &s.assoc_cookie)
            .body(Body::from(payload))
            .unwrap()
    };
    let bad = "respondent,G1,E1,H1.ORG-1\nr1,1,1|2,3\nr2,7,1,3\nr3,1,1|99,x\n".to_string();
    let r = s.app.send(upload("bad.csv", bad.clone())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Every bad cell with what it should hold, in the reader's language.
    for needle in [
        "bad.csv: 3行目、G1列: 「7」 — 正しい入力: ",
        "4行目、E1列: 「1|99」 — 正しい入力: ",
        "のいずれか（複数は | で区切る）",
        "4行目、H1.ORG-1列: 「x」",
    ] {
        assert!(r.body.contains(needle), "{needle}: {}", r.body);
    }
    assert!(!r.body.contains("expected one of"), "{}", r.body);
    s.app
        .post(
            "/lang",
            &[("to", "en"), ("next", "/")],
            Some(&s.assoc_cookie),
        )
        .await;
    let r = s.app.send(upload("bad.csv", bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for needle in [
        "row 3, column G1: \"7\" — expected one of",
        "row 4, column E1",
        "(several joined with |)",
        "row 4, column H1.ORG-1: \"x\"",
    ] {
        assert!(
            r.body.contains(&needle.replace('"', "&#34;")),
            "{needle}: {}",
            r.body
        );
    }
    assert!(!r.body.contains("正しい入力"), "{}", r.body);
    let r = s
        .app
        .send(upload("unknown.csv", "respondent,Z9\nr1,1\n".into()))
        .await;
    assert!(
        r.body
            .contains("the header names columns this instrument does not have"),
        "{}",
        r.body
    );
    s.app
        .post(
            "/lang",
            &[("to", "ja"), ("next", "/")],
            Some(&s.assoc_cookie),
        )
        .await;
    // Response files may be four times as large as a workbook; the message says so.
    let r = s
        .app
        .send(upload("big.csv", "x".repeat(21 * 1024 * 1024)))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body.contains("上限 20MB"), "{}", r.body);
    assert!(
        s.app.db.submitted(&[s.round]).await.unwrap().is_empty(),
        "nothing imported"
    );
    // Whole-file problems are in the reader's language too.
    let r = s
        .app
        .send(upload("unknown.csv", "respondent,Z9\nr1,1\n".into()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("unknown.csv: 見出し行に、この調査票にない列があります: 「Z9」"),
        "{}",
        r.body
    );
    let r = s
        .app
        .send(upload("ragged.csv", "respondent,G1\nr1,1,2\n".into()))
        .await;
    assert!(
        r.body
            .contains("ragged.csv: 2行目: 列が3個あります。見出し行と同じ2個が必要です"),
        "{}",
        r.body
    );
    let r = s
        .app
        .send(upload("answers.xlsx", "respondent\n".into()))
        .await;
    assert!(
        r.body.contains("中身が xlsx ブックではありません"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("expected"), "{}", r.body);
    let good = "respondent,G1,E1,H1.ORG-1\nr1,1,1|2,3\nr2,2,1,\n".to_string();
    let r = s.app.send(upload("good.csv", good)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(s.app.db.submitted(&[s.round]).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_ministry_counts_a_company_once_across_associations() {
    let s = setup(0).await;
    let cli = Actor::cli();
    let ministry = s
        .app
        .db
        .create_org(
            &cli,
            OrgKind::Ministry,
            &NewOrg {
                name: "経済産業省".into(),
                ..NewOrg::default()
            },
        )
        .await
        .unwrap()
        .id;
    let other = s
        .app
        .db
        .create_org(
            &cli,
            OrgKind::Association,
            &NewOrg {
                name: "化学団体".into(),
                ..NewOrg::default()
            },
        )
        .await
        .unwrap()
        .id;
    let round2 = s
        .app
        .db
        .create_round(
            &cli,
            other,
            &kojo_storage::NewRound {
                instrument: "company-2022".into(),
                title: "化学".into(),
                opens_on: None,
                closes_on: None,
            },
        )
        .await
        .unwrap();
    // Six companies in the first round, the first of them answers both rounds.
    let mut orgs = Vec::new();
    for i in 0..6 {
        orgs.push(
            s.app
                .db
                .create_org(
                    &cli,
                    OrgKind::Company,
                    &NewOrg {
                        name: format!("C{i}"),
                        ..NewOrg::default()
                    },
                )
                .await
                .unwrap()
                .id,
        );
    }
    let rows: Vec<ImportRow> = orgs.iter().map(|o| import_row(*o, "1")).collect();
    s.app
        .db
        .import_responses(&cli, s.round, &rows)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    s.app
        .db
        .import_responses(&cli, round2.id, &[import_row(orgs[0], "2")])
        .await
        .unwrap();
    s.app
        .user("meti", Role::MinistryAnalyst, Some(ministry))
        .await;
    let cookie = s.app.sign_in("meti").await;
    let r = s
        .app
        .get("/national/company-2022?section=G", Some(&cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("回答者 6件"), "six companies, not seven");
    // The latest answer counts: 5 of 6 outsource.
    assert!(
        r.body.contains("83.3%"),
        "{}",
        &r.body[..2000.min(r.body.len())]
    );
    // Associations cannot see the national view; the ministry reads a round but cannot close it.
    assert_eq!(
        s.app
            .get("/national/company-2022", Some(&s.assoc_cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.app
            .get(&format!("/rounds/{}/report", s.round), Some(&cookie))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        s.app
            .post(&format!("/rounds/{}/close", s.round), &[], Some(&cookie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let csv = s
        .app
        .get(&format!("/rounds/{}/responses.csv", s.round), Some(&cookie))
        .await;
    assert_eq!(csv.body.lines().count(), 7, "header + six responses");
}

#[tokio::test]
async fn interviews_are_tagged_and_themes_counted() {
    let app = TestApp::new().await;
    let cli = Actor::cli();
    let ministry = app
        .db
        .create_org(
            &cli,
            OrgKind::Ministry,
            &NewOrg {
                name: "経済産業省".into(),
                ..NewOrg::default()
            },
        )
        .await
        .unwrap()
        .id;
    let assoc = app
        .db
        .create_org(
            &cli,
            OrgKind::Association,
            &NewOrg {
                name: "団体".into(),
                ..NewOrg::default()
            },
        )
        .await
        .unwrap()
        .id;
    app.user("meti", Role::MinistryAnalyst, Some(ministry))
        .await;
    let cookie = app.sign_in("meti").await;
    let r = app
        .post(
            "/interviews",
            &[
                ("association", &assoc.to_string()),
                ("held_on", "2022-12-15"),
                ("interviewer", "調査員"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let path = r.location().to_string();
    // An empty hearing form records nothing: the date and interviewer are asked for.
    let empty = app
        .post(
            "/interviews",
            &[
                ("association", &assoc.to_string()),
                ("held_on", ""),
                ("interviewer", ""),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(
        empty.body.contains("実施日") || empty.body.contains("日付"),
        "{}",
        empty.body
    );
    // D1 (how the association can help) is answered with choices, all that apply.
    let page = app.get(&path, Some(&cookie)).await;
    assert!(
        page.body.contains("id=\"choices-D1\"")
            && page.body.contains("type=\"checkbox\" name=\"D1\"")
    );
    let r = app
        .post(
            &format!("{path}/answers"),
            &[("D1", "1"), ("D1", "3")],
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&path, Some(&cookie)).await;
    assert!(
        page.body.contains("name=\"D1\" value=\"1\" checked")
            && page.body.contains("name=\"D1\" value=\"3\" checked")
    );
    assert!(!page.body.contains("name=\"D1\" value=\"2\" checked"));
    let r = app
        .post(
            &format!("{path}/answers"),
            &[("D1", "協力できる")],
            Some(&cookie),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "free text is not a choice"
    );
    // A passage without a theme is refused.
    let r = app
        .post(
            &format!("{path}/passages"),
            &[
                ("passage_question", "D1"),
                ("passage_text", "会報で周知できる"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let catalog = kojo_content::load_embedded().unwrap();
    let hearing = catalog.instrument("hearing-2022").unwrap();
    let q = &hearing.questions[0].id;
    let theme = &hearing.themes[0].id;
    app.post(
        &format!("{path}/answers"),
        &[(q.as_str(), "専任の担当者がいない")],
        Some(&cookie),
    )
    .await;
    // Tagging a passage posts the whole form: an answer typed but not saved is kept.
    let q2 = &hearing.questions[1].id;
    let r = app
        .post(
            &format!("{path}/passages"),
            &[
                (q2.as_str(), "年2回の勉強会"),
                ("passage_question", q.as_str()),
                ("passage_text", "専任の担当者がいない"),
                ("passage_theme", theme.as_str()),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A bad theme or an empty passage writes nothing, not even the answers with it.
    for (text, theme) in [("x", "no-such-theme"), ("  ", theme.as_str())] {
        let r = app
            .post(
                &format!("{path}/passages"),
                &[
                    (q2.as_str(), "上書きされない"),
                    ("passage_question", q.as_str()),
                    ("passage_text", text),
                    ("passage_theme", theme),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let field = if text.trim().is_empty() {
            "該当する発言"
        } else {
            "テーマ"
        };
        assert!(r.body.contains(field), "names the field: {}", r.body);
        assert!(
            !r.body.contains("passage_"),
            "no internal names: {}",
            r.body
        );
    }
    let page = app.get(&path, Some(&cookie)).await;
    assert!(page.body.contains("専任の担当者がいない"));
    assert!(page.body.contains("年2回の勉強会"));
    assert!(!page.body.contains("上書きされない"));
    let themes = app.get("/interviews/themes", Some(&cookie)).await;
    assert!(themes.body.contains(hearing.themes[0].topic.ja.as_str()));
    assert!(
        themes
            .body
            .contains("<td class=\"num\">1</td><td class=\"num\">1</td>"),
        "one passage, one association"
    );
    // A passage is corrected by removing it (the answers posted with it are kept) and tagging
    // again; removing it twice changes nothing.
    let passage = app.db.passages(interview_id(&path)).await.unwrap()[0].id;
    for _ in 0..2 {
        let r = app
            .post(
                &format!("{path}/passages/{passage}/delete"),
                &[(q2.as_str(), "年3回の勉強会")],
                Some(&cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    assert!(
        app.db
            .passages(interview_id(&path))
            .await
            .unwrap()
            .is_empty()
    );
    let page = app.get(&path, Some(&cookie)).await;
    assert!(page.body.contains("年3回の勉強会"));
    assert!(!page.body.contains(&format!("passage-{passage}")));
    let themes = app.get("/interviews/themes", Some(&cookie)).await;
    assert!(
        !themes
            .body
            .contains("<td class=\"num\">1</td><td class=\"num\">1</td>"),
        "the removed passage no longer counts"
    );
}

fn interview_id(path: &str) -> InterviewId {
    path.rsplit('/').next().unwrap().parse().unwrap()
}
