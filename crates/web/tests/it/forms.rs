//! Nothing fails silently, nothing typed is lost (issue 11 §1), seen over HTTP: the
//! self-assessment's autosave answers every save with the item's status line (saved, or why
//! not, in the reader's language) and never redraws the fields; a plain form post that is
//! refused comes back as typed. The browser tests (crates/app/tests/it/forms.rs) show the same
//! in the page.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kojo_core::ids::{AssessmentId, OrgId};
use kojo_core::org::{OrgKind, Role};
use kojo_storage::{Actor, NewOrg};

use crate::support::{Reply, TestApp, enc};

/// The visible text of the item's error box (not its attributes).
pub fn error_text(body: &str) -> String {
    let Some(start) = body.find("<div class=\"error-msg\"") else {
        return String::new();
    };
    let rest = &body[start..];
    let end = rest.find("</div>").unwrap_or(rest.len());
    strip_tags(&rest[..end]).trim().to_string()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The content of an out-of-band element of an htmx answer (`id` → its inner text).
fn oob(body: &str, id: &str) -> Option<String> {
    let start = body.find(&format!("<div id=\"{id}\" hx-swap-oob"))?;
    let rest = &body[start..];
    let open = rest.find('>')? + 1;
    let close = rest.find("</div>")?;
    Some(rest[open..close].to_string())
}

pub struct Company {
    pub app: TestApp,
    pub cookie: String,
    pub org: OrgId,
    pub id: AssessmentId,
}

/// A company of 12 people with one factory, its admin signed in, an assessment started.
pub async fn company() -> Company {
    let app = TestApp::new().await;
    let new = NewOrg {
        name: "小林金型".into(),
        employees: Some(12),
        industry_code: Some("26".into()),
        prefecture_code: Some("23".into()),
        ..NewOrg::default()
    };
    let org = app
        .db
        .create_org(&Actor::cli(), OrgKind::Company, &new)
        .await
        .unwrap()
        .id;
    app.user("kobayashi", Role::CompanyAdmin, Some(org)).await;
    let cookie = app.sign_in("kobayashi").await;
    let r = app
        .post("/company/sites", &[("name", "本社工場")], Some(&cookie))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let site = app.db.sites_of(org).await.unwrap()[0].id;
    let r = app
        .post(&format!("/sites/{site}/assessments"), &[], Some(&cookie))
        .await;
    let id = r
        .location()
        .trim_start_matches("/assessments/")
        .parse()
        .unwrap();
    Company {
        app,
        cookie,
        org,
        id,
    }
}

impl Company {
    /// One item's form as posted; `htmx` as the page's script sends it.
    pub async fn save(&self, item: &str, fields: &[(&str, &str)], htmx: bool) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(format!("/assessments/{}/items/{item}", self.id))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &self.cookie);
        if htmx {
            req = req.header("hx-request", "true");
        }
        self.app.send(req.body(Body::from(body)).unwrap()).await
    }

    pub async fn english(&self) {
        let r = self
            .app
            .post("/lang", &[("to", "en"), ("next", "/")], Some(&self.cookie))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn a_saved_item_answers_with_its_status_line_the_next_version_and_the_progress() {
    let c = company().await;
    let r = c
        .save(
            "OPS-8",
            &[("level", "2"), ("note", "JVNを月1回確認"), ("version", "0")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .starts_with("<div class=\"item-status\" id=\"status-OPS-8\"")
    );
    assert!(r.body.contains("data-message=\"saved\""));
    assert!(
        !r.body.contains("<textarea") && !r.body.contains("type=\"radio\""),
        "the fields are not redrawn (focus and typing stay): {}",
        r.body
    );
    assert!(r.body.contains(
        "<input type=\"hidden\" name=\"version\" value=\"1\" id=\"version-OPS-8\" autocomplete=\"off\" hx-swap-oob=\"true\">"
    ));
    assert!(
        r.body
            .contains("<p id=\"progress\" hx-swap-oob=\"true\">1 / 32 項目に回答済み</p>"),
        "the counter follows: {}",
        r.body
    );
    assert_eq!(
        oob(&r.body, "save-announce").as_deref(),
        Some("OPS-8: 保存しました")
    );
    assert_eq!(oob(&r.body, "save-alert").as_deref(), Some(""));
    // A note alone is not an answer: the counter stays.
    let r = c
        .save("ORG-1", &[("note", "メモだけ"), ("version", "0")], true)
        .await;
    assert!(r.body.contains("1 / 32 項目に回答済み"), "{}", r.body);
}

#[tokio::test]
async fn a_refused_save_says_why_in_the_item_in_the_readers_language_and_stores_nothing() {
    let c = company().await;
    c.save(
        "OPS-8",
        &[("level", "2"), ("note", "最初"), ("version", "0")],
        true,
    )
    .await;
    let before = c.app.db.answer(c.id, "OPS-8").await.unwrap().unwrap();
    for date in ["2027/13/45", "0007-05-01"] {
        let typed = [
            ("level", "3"),
            ("note", "新しいメモ"),
            ("owner", "田中"),
            ("target_date", date),
            ("version", "1"),
        ];
        let r = c.save("OPS-8", &typed, true).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{date}");
        let text = error_text(&r.body);
        assert!(
            text.contains("保存していません。")
                && text.contains(&format!("目標日: 「{date}」は受け付けられません"))
                && text.contains("入力した内容はこの画面に残っています"),
            "{text}"
        );
        assert!(
            !text.contains("target_date") && !text.contains("not a date"),
            "no English or field names on a Japanese page: {text}"
        );
        assert!(r.body.contains("data-field=\"target_date\""));
        assert!(
            !r.body.contains("data-message=\"saved\""),
            "never saved beside not saved"
        );
        assert!(
            !r.body.contains("name=\"version\""),
            "the version to post stays as it was (nothing was stored)"
        );
        assert!(
            r.body.contains("最終保存:"),
            "when it was last saved, unchanged"
        );
        assert!(
            oob(&r.body, "save-alert")
                .unwrap()
                .starts_with("OPS-8: 保存していません。")
        );
        assert_eq!(oob(&r.body, "save-announce").as_deref(), Some(""));
        assert!(r.body.contains("1 / 32 項目に回答済み"));
    }
    let after = c.app.db.answer(c.id, "OPS-8").await.unwrap().unwrap();
    assert_eq!(before, after, "nothing stored");
    // A note over the limit is refused the same way, naming the limit.
    let long = "あ".repeat(2001);
    let r = c
        .save("OPS-8", &[("note", &long), ("version", "1")], true)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(error_text(&r.body).contains("2000"), "{}", r.body);
    // In English, the same in English.
    c.english().await;
    let r = c
        .save(
            "OPS-8",
            &[("target_date", "2027/13/45"), ("version", "1")],
            true,
        )
        .await;
    let text = error_text(&r.body);
    assert!(
        text.starts_with("Not saved.") && text.contains("2027/13/45") && !text.contains("目標日"),
        "{text}"
    );
}

#[tokio::test]
async fn a_conflict_shows_what_is_stored_and_keeps_the_typed_answer_to_save_again() {
    let c = company().await;
    c.save(
        "OPS-8",
        &[("level", "2"), ("note", "JVN"), ("version", "0")],
        true,
    )
    .await;
    // A colleague whose page still says version 0.
    let r = c
        .save(
            "OPS-8",
            &[("level", "1"), ("note", "上書き"), ("version", "0")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let text = error_text(&r.body);
    assert!(
        text.contains("ほかの人が先にこの項目を保存しました")
            && text.contains("保存されている内容: 一部実施 — JVN"),
        "{text}"
    );
    assert!(r.body.contains("id=\"resave-OPS-8\""), "{}", r.body);
    assert!(
        r.body.contains("name=\"version\" value=\"1\""),
        "saving again replaces what is stored now, knowingly"
    );
    let r = c
        .save(
            "OPS-8",
            &[("level", "1"), ("note", "上書き"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let stored = c.app.db.answer(c.id, "OPS-8").await.unwrap().unwrap();
    assert_eq!(stored.note, "上書き");
}

#[tokio::test]
async fn a_save_on_a_completed_assessment_says_so_in_the_item() {
    let c = company().await;
    let catalog = kojo_content::load_embedded().unwrap();
    for item in &catalog.latest_checklist("factory-guideline").unwrap().items {
        let r = c
            .save(&item.id, &[("level", "3"), ("version", "0")], true)
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = c
        .app
        .post(
            &format!("/assessments/{}/complete", c.id),
            &[],
            Some(&c.cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The page left open from before (or restored by the back button) saves once more.
    let r = c
        .save(
            "ORG-1",
            &[("level", "1"), ("note", "あとから"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("data-message=\"read-only\""));
    let text = error_text(&r.body);
    assert!(
        text.contains("この評価はすでに完了しているため変更できません")
            && text.contains("画面を読み込み直す"),
        "{text}"
    );
    assert!(r.body.contains(&format!("href=\"/assessments/{}\"", c.id)));
    c.english().await;
    let r = c
        .save("ORG-1", &[("level", "1"), ("version", "1")], true)
        .await;
    assert!(
        error_text(&r.body).contains("This assessment has been completed"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_refused_plain_form_post_comes_back_as_typed_with_the_reason_beside_the_field() {
    let c = company().await;
    let typed = [
        ("level", "3"),
        ("note", "新しいメモ <b>"),
        ("owner", "田中"),
        ("target_date", "2027/13/45"),
        ("version", "0"),
    ];
    let r = c.save("PHY-6", &typed, false).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("<!doctype html>"), "the whole page");
    let item = &r.body[r.body.find("id=\"item-PHY-6\"").unwrap()..];
    let item = &item[..item.find("</article>").unwrap()];
    assert!(
        item.contains(">新しいメモ &#60;b&#62;</textarea>"),
        "{item}"
    );
    assert!(item.contains("value=\"田中\""));
    assert!(
        item.contains("value=\"2027/13/45\" aria-invalid=\"true\""),
        "{item}"
    );
    assert!(item.contains("id=\"lv-PHY-6-3\" checked"));
    assert!(error_text(item).contains("目標日: 「2027/13/45」は受け付けられません"));
    assert!(
        r.body
            .contains("<a href=\"#status-PHY-6\">PHY-6 を保存できませんでした"),
        "the top of the page links to the item"
    );
    assert!(c.app.db.answer(c.id, "PHY-6").await.unwrap().is_none());
    // Saved: back to the item.
    let ok = [("level", "3"), ("version", "0")];
    let r = c.save("PHY-6", &ok, false).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/assessments/{}#item-PHY-6", c.id));
}

#[tokio::test]
async fn every_field_of_the_assessment_has_a_label_and_the_page_has_live_regions() {
    let c = company().await;
    let page = c
        .app
        .get(&format!("/assessments/{}", c.id), Some(&c.cookie))
        .await;
    for field in ["note", "owner", "date"] {
        assert_eq!(
            page.body.matches(&format!("<label for=\"{field}-")).count(),
            32,
            "{field}"
        );
    }
    assert_eq!(
        page.body
            .matches("<label class=\"level\" for=\"lv-")
            .count(),
        32 * 6
    );
    assert!(page.body.contains(
        "id=\"save-announce\" class=\"visually-hidden\" role=\"status\" aria-live=\"polite\""
    ));
    assert!(
        page.body
            .contains("id=\"save-alert\" class=\"visually-hidden\" role=\"alert\"")
    );
    assert!(page.body.contains("<script src=\"/assets/forms.js?v="));
    assert!(
        page.body.contains("data-reload-on-restore"),
        "a draft reloads when restored"
    );
    let js = c.app.get("/assets/forms.js", None).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.body.contains("htmx:sendError") && js.body.contains("pageshow"));
    let _ = c.org;
}
