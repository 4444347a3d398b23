//! The self-assessment and the survey form in a real Chromium (issue 11 §1, §2, §5): every
//! failed save shows in the item in the reader's language with what was typed still there,
//! the counter follows, a completed assessment is never shown as editable, the survey form
//! keeps rejected answers beside their errors and shows conditional questions as answers
//! change, both pages work at 390 px and with the keyboard alone.

use fantoccini::Locator;
use fantoccini::key::Key;

use crate::support::{Browser, Db, Server, fresh_db, kojo};

pub const PASSWORD: &str = "factory-security-2026";

/// A kojo with one company (12 staff, 生産用機械, 愛知県), its admin, and a browser.
pub struct World {
    pub server: Server,
    pub b: Browser,
    /// Kept for the test's length (the SQLite file lives in its directory).
    pub db: Db,
}

impl World {
    pub fn db_url(&self) -> &str {
        &self.db.url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url)
    }
}

pub fn run(db: &str, args: &[&str], stdin: Option<&str>) {
    let o = kojo(db, args, stdin);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

pub async fn company_world() -> World {
    let db = fresh_db().await;
    run(&db.url, &["migrate"], None);
    run(
        &db.url,
        &["org", "add", "--kind", "association", "工作機械団体"],
        None,
    );
    run(
        &db.url,
        &[
            "org",
            "add",
            "--kind",
            "company",
            "--employees",
            "12",
            "--industry",
            "26",
            "--prefecture",
            "23",
            "--member-of",
            "工作機械団体",
            "小林金型",
        ],
        None,
    );
    for (login, role, org) in [
        ("kobayashi", "company-admin", "小林金型"),
        ("assoc", "association-admin", "工作機械団体"),
    ] {
        run(
            &db.url,
            &[
                "user",
                "add",
                login,
                "--role",
                role,
                "--org",
                org,
                "--password-stdin",
            ],
            Some(&format!("{PASSWORD}\n")),
        );
    }
    let server = Server::start(&db.url, &[]);
    let b = Browser::start().await;
    World { server, b, db }
}

pub async fn sign_in(w: &World, login: &str) {
    let b = &w.b;
    b.client.goto(&w.url("/login")).await.unwrap();
    b.fill("#login", login).await;
    b.fill("#password", PASSWORD).await;
    b.click("#login-submit").await;
    b.wait_until("return location.pathname === '/'", "the home page")
        .await;
}

/// Starts (or continues) the assessment of the company's only factory, adding it first.
async fn open_assessment(w: &World) -> String {
    let b = &w.b;
    b.client.goto(&w.url("/company")).await.unwrap();
    let sites = b
        .eval("return document.querySelectorAll('#sites tbody tr').length")
        .await;
    if sites == 0 {
        b.fill("#site-name", "本社工場").await;
        b.click("#site-submit").await;
        b.wait_count("#sites tbody tr", 1).await;
    }
    b.click(".start-assessment").await;
    b.wait_count("article.item", 32).await;
    b.client.current_url().await.unwrap().path().to_string()
}

pub async fn value(b: &Browser, css: &str) -> String {
    b.eval(&format!("return document.querySelector({css:?}).value"))
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn wait_status(b: &Browser, item: &str, message: &str) {
    b.wait_until(
        &format!("return document.querySelector('#status-{item}').dataset.message === {message:?}"),
        &format!("{item} {message}"),
    )
    .await;
}

/// A colleague's save through kojo's own form endpoint (same session, another page).
async fn colleague_saves(b: &Browser, path: &str, body: &str) -> u64 {
    b.client
        .execute_async(
            "const [url, body, done] = arguments; fetch(url, {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true'}, body}).then(r => done(r.status))",
            vec![path.into(), body.into()],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn every_failed_autosave_shows_in_the_item_and_nothing_typed_is_lost() {
    let w = company_world().await;
    let b = &w.b;
    b.client.set_window_size(1366, 900).await.unwrap();
    sign_in(&w, "kobayashi").await;
    let page = open_assessment(&w).await;

    // Saved: the counter follows, the focus stays on the answer just chosen.
    b.click("#lv-OPS-8-2").await;
    wait_status(b, "OPS-8", "saved").await;
    assert!(b.text("#progress").await.contains("1 / 32"), "live counter");
    assert_eq!(b.focused().await, "lv-OPS-8-2", "focus stays after a save");
    assert_eq!(b.text("#save-announce").await, "OPS-8: 保存しました");
    b.click("#note-OPS-8").await;
    b.keys("JVNを月1回確認").await;
    b.keys(&Key::Tab).await;
    b.wait_until(
        "return document.querySelector('#version-OPS-8').value === '2'",
        "the note saved",
    )
    .await;
    assert_eq!(b.focused().await, "owner-OPS-8");
    let saved_at = b.text("#status-OPS-8 .saved-at").await;

    // Refused by kojo (year 0007): why, in Japanese, in the item; what was typed stays.
    b.keys("田中").await;
    b.eval("const d = document.querySelector('#date-OPS-8'); d.value = '0007-05-01'; d.dispatchEvent(new Event('change', {bubbles: true}))").await;
    wait_status(b, "OPS-8", "error").await;
    let error = b.text("#error-OPS-8").await;
    assert!(
        error.contains("保存していません。")
            && error.contains("目標日: 「0007-05-01」は受け付けられません"),
        "{error}"
    );
    assert!(!error.contains("target_date") && !error.contains("bad_request"));
    assert_eq!(value(b, "#note-OPS-8").await, "JVNを月1回確認");
    assert_eq!(value(b, "#owner-OPS-8").await, "田中");
    assert_eq!(
        b.text("#status-OPS-8 .saved-at").await,
        saved_at,
        "最終保存 unchanged"
    );
    assert!(
        b.text("#status-OPS-8")
            .await
            .matches("保存しました")
            .count()
            == 0
    );
    assert_eq!(
        b.eval("return document.querySelector('#date-OPS-8').getAttribute('aria-invalid')")
            .await,
        "true"
    );
    assert!(
        b.text("#save-alert")
            .await
            .starts_with("OPS-8: 保存していません。")
    );
    // A browser without a date picker sends what was typed as it is.
    b.eval("const d = document.querySelector('#date-OPS-8'); d.type = 'text'; d.value = '2027/13/45'; d.dispatchEvent(new Event('change', {bubbles: true}))").await;
    b.wait_until(
        "return document.querySelector('#error-OPS-8').innerText.includes('2027/13/45')",
        "the second refusal",
    )
    .await;
    b.eval("const d = document.querySelector('#date-OPS-8'); d.value = '2027/3/31'; d.dispatchEvent(new Event('change', {bubbles: true}))").await;
    wait_status(b, "OPS-8", "saved").await;
    assert_eq!(
        b.eval("return document.querySelector('#date-OPS-8').hasAttribute('aria-invalid')")
            .await,
        false
    );

    // The network drops: said in the item, the note stays; once back, a change saves.
    b.offline(true).await;
    b.click("#note-OPS-8").await;
    b.keys("（停電中に追記）").await;
    b.keys(&Key::Tab).await;
    wait_status(b, "OPS-8", "failed").await;
    assert!(
        b.text("#error-OPS-8")
            .await
            .contains("kojo に接続できませんでした"),
        "{}",
        b.text("#error-OPS-8").await
    );
    assert_eq!(
        value(b, "#note-OPS-8").await,
        "JVNを月1回確認（停電中に追記）"
    );
    b.offline(false).await;
    b.click("#lv-OPS-8-3").await;
    wait_status(b, "OPS-8", "saved").await;

    // A colleague saves first: their answer is shown, ours stays and can replace it.
    let version = value(b, "#version-OPS-8").await;
    let status = colleague_saves(
        b,
        &format!("{page}/items/OPS-8"),
        &format!("level=1&note=%E5%90%8C%E5%83%9A&version={version}"),
    )
    .await;
    assert_eq!(status, 200);
    b.click("#lv-OPS-8-2").await;
    wait_status(b, "OPS-8", "conflict").await;
    assert!(
        b.text("#error-OPS-8")
            .await
            .contains("保存されている内容: 未実施 — 同僚")
    );
    assert!(
        b.eval("return document.querySelector('#lv-OPS-8-2').checked")
            .await
            == true
    );
    b.eval("document.querySelector('#resave-OPS-8').focus()")
        .await;
    b.keys(&Key::Enter).await;
    wait_status(b, "OPS-8", "saved").await;
    assert_eq!(
        b.focused().await,
        "status-OPS-8",
        "the focus stays in the item when its button goes"
    );

    // Completed in another tab: the page left open refuses visibly.
    let all = b
        .client
        .execute_async(
            "const [page, done] = arguments; const ids = [...document.querySelectorAll('article.item')].map(a => a.id.slice(5)).filter(i => i !== 'OPS-8'); Promise.all(ids.map(i => fetch(page + '/items/' + i, {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'level=3&version=0'}))).then(() => fetch(page + '/complete', {method: 'POST'})).then(r => done(r.url))",
            vec![page.clone().into()],
        )
        .await
        .unwrap();
    assert!(all.as_str().unwrap().ends_with("/results"), "{all}");
    b.click("#lv-ORG-1-1").await;
    wait_status(b, "ORG-1", "read-only").await;
    let error = b.text("#error-ORG-1").await;
    assert!(
        error.contains("この評価はすでに完了しているため変更できません"),
        "{error}"
    );
    assert!(error.contains("画面を読み込み直す"));
    assert!(
        b.eval("return document.querySelector('#lv-ORG-1-1').checked")
            .await
            == true
    );
    b.screenshot("autosave-errors-ja").await;
    assert_axe_clean(b, "assessment with refused saves (ja)").await;

    // In English.
    b.client.goto(&w.url(&page)).await.unwrap();
    b.click("#lang-switch").await;
    b.wait_count("html[lang=en]", 1).await;
    b.click("#copy").await;
    b.wait_count("form[data-autosave]", 32).await;
    b.eval("const d = document.querySelector('#date-PHY-6'); d.type = 'text'; d.value = '2027/13/45'; d.dispatchEvent(new Event('change', {bubbles: true}))").await;
    wait_status(b, "PHY-6", "error").await;
    let error = b.text("#error-PHY-6").await;
    assert!(
        error.starts_with("Not saved.")
            && error.contains("Target date")
            && !error.contains("目標日"),
        "{error}"
    );
    b.offline(true).await;
    b.click("#lv-PHY-6-2").await;
    wait_status(b, "PHY-6", "failed").await;
    assert!(
        b.text("#error-PHY-6")
            .await
            .contains("kojo could not be reached")
    );
    b.offline(false).await;
    b.assert_offline().await;
    b.screenshot("autosave-errors-en").await;
    assert_axe_clean(b, "assessment with refused saves (en)").await;
    w.b.stop().await;
}

/// After 評価を完了にする, the back button never shows the draft as editable: the browser
/// fetches the page again (no-store), and a page restored from the back/forward cache reloads.
#[tokio::test]
async fn the_back_button_after_completing_shows_the_completed_assessment() {
    let w = company_world().await;
    let b = &w.b;
    sign_in(&w, "kobayashi").await;
    for lang in ["ja", "en"] {
        let page = open_assessment(&w).await;
        // Every item answered by a colleague; this page still shows the draft.
        let done = b
            .client
            .execute_async(
                "const [page, done] = arguments; Promise.all([...document.querySelectorAll('article.item')].map(a => fetch(page + '/items/' + a.id.slice(5), {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'level=3&version=' + a.querySelector('[name=version]').value}))).then(rs => done(rs.filter(r => r.ok).length))",
                vec![page.clone().into()],
            )
            .await
            .unwrap();
        assert_eq!(done, 32);
        b.eval("window.kojoLeft = true").await;
        b.click("#complete").await;
        b.wait_until(
            "return location.pathname.endsWith('/results')",
            "the results",
        )
        .await;
        b.client.back().await.unwrap();
        b.wait_until(
            &format!("return location.pathname === {page:?} && document.querySelectorAll('form[data-autosave]').length === 0 && !!document.querySelector('#copy')"),
            "the completed assessment after going back",
        )
        .await;
        let restored = b.eval("return window.kojoLeft === true").await;
        assert_eq!(restored, false, "never the page left behind");
        let status = b.text("#status").await;
        assert_eq!(status, if lang == "ja" { "完了" } else { "Complete" });
        if lang == "ja" {
            b.click("#lang-switch").await;
            b.wait_count("html[lang=en]", 1).await;
        }
    }
    // The restore handler itself: a draft shown again from the cache is fetched anew.
    let page = open_assessment(&w).await;
    b.eval("window.kojoLeft = true; window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))").await;
    b.wait_until("return window.kojoLeft !== true", "a reload")
        .await;
    assert_eq!(b.client.current_url().await.unwrap().path(), page);
    w.b.stop().await;
}

/// Keyboard alone: Tab to an answer, Space and arrows choose, the note is typed, Tab moves on;
/// every save keeps the focus where it is and the focus is always visible.
#[tokio::test]
async fn an_assessment_is_answered_with_the_keyboard_alone() {
    let w = company_world().await;
    let b = &w.b;
    sign_in(&w, "kobayashi").await;
    open_assessment(&w).await;
    b.client.refresh().await.unwrap();
    b.wait_count("article.item", 32).await;
    // From the top of the page: the skip link first, then into the content.
    b.eval("document.activeElement && document.activeElement.blur()")
        .await;
    b.client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(&Key::Tab)
        .await
        .unwrap();
    assert_eq!(
        b.eval("return document.activeElement.className").await,
        "skip"
    );
    b.keys(&Key::Enter).await;
    let mut presses = 0;
    while !b.focused().await.starts_with("lv-ORG-1-") {
        b.keys(&Key::Tab).await;
        presses += 1;
        assert!(
            presses < 40,
            "never reached ORG-1's answers: at {}",
            b.focused().await
        );
    }
    assert_focus_visible(b).await;
    b.keys(&Key::Space).await;
    wait_status(b, "ORG-1", "saved").await;
    let first = b.focused().await;
    assert!(first.starts_with("lv-ORG-1-"), "{first}");
    b.keys(&Key::Down).await;
    b.wait_until(
        "return document.querySelector('#version-ORG-1').value === '2'",
        "the second answer saved",
    )
    .await;
    assert_ne!(
        b.focused().await,
        first,
        "the arrow moved to the next answer"
    );
    assert!(b.focused().await.starts_with("lv-ORG-1-"));
    // Tab leaves the group for the note; typing and Tab save it, the focus moves on.
    b.keys(&Key::Tab).await;
    assert_eq!(b.focused().await, "note-ORG-1");
    assert_focus_visible(b).await;
    b.keys("方針は社長が承認済み").await;
    b.keys(&Key::Tab).await;
    b.wait_until(
        "return document.querySelector('#version-ORG-1').value === '3'",
        "the note saved",
    )
    .await;
    assert_eq!(b.focused().await, "owner-ORG-1");
    // Shift+Tab goes back to the note, as typed.
    b.keys(&(Key::Shift + &Key::Tab)).await;
    assert_eq!(b.focused().await, "note-ORG-1");
    assert_eq!(value(b, "#note-ORG-1").await, "方針は社長が承認済み");
    assert!(b.text("#progress").await.contains("1 / 32"));
    w.b.stop().await;
}

pub async fn assert_focus_visible(b: &Browser) {
    let visible = b
        .eval(
            "const a = document.activeElement; const target = a.closest('label') || a; \
             const s = getComputedStyle(target); \
             return a.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2",
        )
        .await;
    assert_eq!(
        visible,
        true,
        "the focus is not visible on {}",
        b.focused().await
    );
}

/// At 390 × 844 the assessment fits the screen: no sideways scrolling, the answers and the
/// fields reachable and usable, in Japanese and English.
#[tokio::test]
async fn the_assessment_works_on_a_phone() {
    let w = company_world().await;
    let b = &w.b;
    sign_in(&w, "kobayashi").await;
    let page = open_assessment(&w).await;
    b.client.set_window_size(390, 844).await.unwrap();
    for lang in ["ja", "en"] {
        b.client.goto(&w.url(&page)).await.unwrap();
        b.wait_count("article.item", 32).await;
        b.assert_fits_width(&format!("{page} ({lang})")).await;
        let inside = b
            .eval(
                "const w = window.innerWidth; return [...document.querySelectorAll('#item-PHY-6 label.level, #note-PHY-6, #owner-PHY-6, #date-PHY-6, #complete')]\
                 .every(e => { const r = e.getBoundingClientRect(); return r.width > 40 && r.left >= 0 && r.right <= w; })",
            )
            .await;
        assert_eq!(
            inside, true,
            "answers and fields within the screen ({lang})"
        );
        // Another answer in each language, so that each click is a change to save.
        let level = if lang == "ja" { 2 } else { 3 };
        b.client
            .execute(
                &format!("document.querySelector('#lv-PHY-6-{level}').scrollIntoView({{block: 'center'}})"),
                vec![],
            )
            .await
            .unwrap();
        b.click(&format!("#item-PHY-6 label[for=lv-PHY-6-{level}]"))
            .await;
        wait_status(b, "PHY-6", "saved").await;
        b.screenshot(&format!("assessment-390-{lang}")).await;
        if lang == "ja" {
            b.click("#lang-switch").await;
            b.wait_count("html[lang=en]", 1).await;
        }
    }
    w.b.stop().await;
}

/// The association opens a round of the company survey (round 1) and invites its member;
/// returns the member's personal link, with the browser signed out again.
pub async fn survey_link(w: &World) -> String {
    let b = &w.b;
    run(
        &w.db.url,
        &[
            "survey",
            "open",
            "--org",
            "工作機械団体",
            "--instrument",
            "company-2022",
            "令和8年度 会員企業調査",
        ],
        None,
    );
    sign_in(w, "assoc").await;
    b.client.goto(&w.url("/rounds/1")).await.unwrap();
    b.wait_count(".invite-org", 1).await;
    b.eval("document.querySelectorAll('.invite-org').forEach(c => c.checked = true)")
        .await;
    b.click("#invite-submit").await;
    b.wait_count("#round-message", 1).await;
    let csv = b
        .client
        .execute_async(
            "const done = arguments[0]; fetch('/rounds/1/links.csv').then(r => r.text()).then(done)",
            vec![],
        )
        .await
        .unwrap();
    let link = csv
        .as_str()
        .unwrap()
        .lines()
        .nth(1)
        .and_then(|l| l.rsplit(',').next())
        .unwrap()
        .trim()
        .to_string();
    b.click("#logout").await;
    b.wait_count("#login", 1).await;
    assert!(link.contains("/r/"), "{link}");
    link
}

/// Sets a field's value as a paste or an old page would (past `maxlength`) and says so.
async fn set_value(b: &Browser, css: &str, value: &str) {
    b.client
        .execute(
            "const [css, v] = arguments; const e = document.querySelector(css); e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}))",
            vec![css.into(), value.into()],
        )
        .await
        .unwrap();
}

async fn checked(b: &Browser, css: &str) -> bool {
    b.eval(&format!("return !!document.querySelector({css:?}).checked"))
        .await
        == true
}

/// Through a personal link: the limits are on the page before saving; an 11,500-character
/// answer and "三人" in a number box come back as typed, nothing is stored, every error is
/// listed at the top with a link into its field, and "saved" never shows beside an error.
#[tokio::test]
async fn the_survey_form_keeps_rejected_answers_and_lists_every_error() {
    let w = company_world().await;
    let b = &w.b;
    b.client.set_window_size(1366, 900).await.unwrap();
    let link = survey_link(&w).await;
    for lang in ["ja", "en"] {
        b.client.goto(&link).await.unwrap();
        b.wait_count("#survey-form", 1).await;
        if lang == "en" {
            b.click("#lang-switch").await;
            b.wait_count("html[lang=en] #survey-form", 1).await;
        }
        // Limits before saving.
        assert_eq!(
            b.eval("return document.querySelector('#f-I6').maxLength")
                .await,
            2000
        );
        assert_eq!(
            b.eval("return document.querySelector('#f-F4').inputMode")
                .await,
            "decimal"
        );
        let (hint_text, hint_number) = if lang == "ja" {
            ("2,000文字以内", "0〜10,000の数値")
        } else {
            ("At most 2,000 characters", "A number from 0 to 10,000")
        };
        assert_eq!(b.text("#hint-I6").await, hint_text);
        assert_eq!(b.text("#hint-F4").await, hint_number);
        assert_eq!(
            b.eval("return document.querySelector('#f-F4').getAttribute('aria-describedby')")
                .await,
            "hint-F4"
        );
        // Typing counts the characters against the limit.
        b.click("#f-I6").await;
        b.keys("予算がない").await;
        assert!(
            b.text("#count-I6").await.starts_with("5 / 2,000"),
            "{}",
            b.text("#count-I6").await
        );

        let long = "あ".repeat(11_500);
        b.click("#f-G1-1").await;
        set_value(b, "#f-I6", &long).await;
        set_value(b, "#f-F4", "三人").await;
        b.fill("#choose-code", "kaisha-no-himitsu").await;
        b.click("#save-draft").await;
        b.wait_count("#respond-problems", 1).await;
        let problems = b.text("#respond-problems").await;
        let (not_saved, saved) = if lang == "ja" {
            (
                "保存していません。次の2件の回答を直してから",
                "保存しました",
            )
        } else {
            ("Not saved. Please correct the 2 answers", "Saved.")
        };
        assert!(problems.starts_with(not_saved), "{problems}");
        assert_eq!(
            b.eval("return document.querySelectorAll('#respond-message').length")
                .await,
            0,
            "no 'saved' message beside errors"
        );
        assert!(
            !b.text("main").await.contains(saved),
            "no '{saved}' anywhere"
        );
        // Every error, in page order, linking to its field; the list has the focus.
        let links = b
            .eval("return [...document.querySelectorAll('#respond-problems a')].map(a => a.getAttribute('href'))")
            .await;
        assert_eq!(links, serde_json::json!(["#f-F4", "#f-I6"]));
        assert_eq!(b.focused().await, "respond-problems");
        let (f4, i6) = if lang == "ja" {
            (
                "F4: 0以上10000以下の数値で答えてください。",
                "I6: 2000文字以内で答えてください。",
            )
        } else {
            (
                "F4: Answer with a number from 0 to 10000.",
                "I6: Answer with at most 2000 characters.",
            )
        };
        assert!(problems.contains(f4) && problems.contains(i6), "{problems}");
        // What was typed is still there, beside why.
        assert_eq!(value(b, "#f-F4").await, "三人");
        assert_eq!(value(b, "#f-I6").await.chars().count(), 11_500);
        assert!(checked(b, "#f-G1-1").await, "valid answers kept");
        assert_eq!(
            b.eval("return document.querySelector('#f-F4').getAttribute('aria-invalid')")
                .await,
            "true"
        );
        assert!(b.text("#err-F4").await.contains(&f4[4..]));
        assert_eq!(
            b.eval("return document.querySelector('#f-F4').getAttribute('aria-describedby')")
                .await,
            "hint-F4 err-F4"
        );
        assert!(b.text("#count-I6").await.starts_with("11,500 / 2,000"));
        // The link takes the focus into the field.
        b.click("#respond-problems a[href='#f-I6']").await;
        assert_eq!(b.focused().await, "f-I6");
        b.screenshot(&format!("survey-errors-{lang}")).await;
        assert_axe_clean(b, &format!("survey form with errors ({lang})")).await;
        // Corrected: saved, and said so without a problem beside it.
        set_value(b, "#f-I6", "人手が足りない").await;
        set_value(b, "#f-F4", "３").await;
        b.fill("#choose-code", "kaisha-no-himitsu").await;
        b.click("#save-draft").await;
        b.wait_count("#respond-message", 1).await;
        assert_eq!(
            b.eval("return document.querySelectorAll('#respond-problems').length")
                .await,
            0
        );
        assert!(checked(b, "#f-G1-1").await);
        assert_eq!(value(b, "#f-F4").await, "３", "kept as typed");
        // Start again for the other language: the draft is discarded.
        b.client.goto(&link).await.unwrap();
        b.wait_count("#discard", 1).await;
        b.click("#discard input[name=confirm]").await;
        b.click("#discard-submit").await;
        b.wait_count("#survey-form", 1).await;
    }
    b.assert_offline().await;
    w.b.stop().await;
}

/// Questions asked only after some answer appear and disappear as the answers change (their
/// inputs disabled while hidden, so nothing they held is sent); without JavaScript they are
/// all shown, each naming the answer that makes it apply.
#[tokio::test]
async fn conditional_questions_follow_the_answers() {
    let w = company_world().await;
    let b = &w.b;
    let link = survey_link(&w).await;
    b.client.goto(&link).await.unwrap();
    b.wait_count("#survey-form.routed", 1).await;
    let hidden = |ids: &[&str]| {
        format!(
            "return [{}].map(id => document.querySelector('#q-' + id).hidden)",
            ids.iter()
                .map(|i| format!("'{i}'"))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let all = [
        "C2", "C3", "C4", "C5", "C6", "E3", "E4", "G2", "G3", "G4", "G5", "J4", "J5", "J6", "K2",
        "K3", "K4",
    ];
    assert_eq!(
        b.eval(&hidden(&all)).await,
        serde_json::json!(vec![true; all.len()]),
        "nothing answered: none of them asked"
    );
    b.click("#f-C1-2").await;
    assert_eq!(
        b.eval(&hidden(&["C2", "C3", "C4", "C5", "C6"])).await,
        serde_json::json!([false, false, false, true, false]),
        "C5 only for incidents in factory systems"
    );
    assert!(b.text("#form-announce").await.contains("C2, C3, C4, C6"));
    b.click("#f-C2-1").await;
    b.click("#f-C1-3").await;
    assert_eq!(
        b.eval(&hidden(&["C2", "C3", "C4", "C5", "C6"])).await,
        serde_json::json!(vec![true; 5])
    );
    assert_eq!(
        b.eval("return document.querySelector('#f-C2-1').disabled")
            .await,
        true
    );
    // A chain: J3 → J5 → J6.
    b.click("#f-J3-1").await;
    b.click("#f-J5-2").await;
    assert_eq!(
        b.eval(&hidden(&["J4", "J5", "J6"])).await,
        serde_json::json!([false, false, false])
    );
    b.click("#f-J3-3").await;
    assert_eq!(
        b.eval(&hidden(&["J4", "J5", "J6"])).await,
        serde_json::json!([true, true, true])
    );
    // Saved: no question "dropped" (the hidden C2 answer was not sent).
    b.fill("#choose-code", "kaisha-no-himitsu").await;
    b.click("#save-draft").await;
    b.wait_count("#respond-message", 1).await;
    assert_eq!(
        b.eval("return document.querySelectorAll('#respond-problems').length")
            .await,
        0,
        "{}",
        b.text("main").await
    );
    // Without JavaScript every question shows, naming the answer that makes it apply.
    b.client
        .issue_cmd(crate::support::Cdp {
            cmd: "Emulation.setScriptExecutionDisabled",
            params: serde_json::json!({"value": true}),
        })
        .await
        .unwrap();
    b.client.goto(&link).await.unwrap();
    b.wait_count("#resume", 1).await;
    b.fill("#resume-code", "kaisha-no-himitsu").await;
    b.click("#resume-submit").await;
    b.wait_count("#survey-form", 1).await;
    assert_eq!(
        b.eval("return document.querySelectorAll('#survey-form.routed').length")
            .await,
        0
    );
    assert_eq!(
        b.eval(&hidden(&all)).await,
        serde_json::json!(vec![false; all.len()])
    );
    assert!(
        b.client
            .find(Locator::Css("#q-C2"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    assert_eq!(
        b.text("#q-C2 .routing").await,
        "（C1 で「工場システムで発生した」または「工場以外のシステム（情報システムなど）でのみ発生した」と答えた方のみ）"
    );
    assert_eq!(
        b.text("#q-C5 .routing").await,
        "（C1 で「工場システムで発生した」と答えた方のみ）"
    );
    b.click("#lang-switch").await;
    b.wait_count("html[lang=en]", 1).await;
    b.client.goto(&link).await.unwrap();
    b.fill("#resume-code", "kaisha-no-himitsu").await;
    b.click("#resume-submit").await;
    b.wait_count("#survey-form", 1).await;
    assert_eq!(
        b.text("#q-C5 .routing").await,
        "(only if you answered “Yes, in factory systems” to C1)"
    );
    w.b.stop().await;
}

/// A signed-in company finds A1, A3 and A4 filled from what kojo holds about it (生産用機械,
/// 愛知県, 12 staff), and is told so.
#[tokio::test]
async fn a_signed_in_company_finds_its_industry_prefecture_and_size_filled_in() {
    let w = company_world().await;
    let b = &w.b;
    let _ = survey_link(&w).await;
    sign_in(&w, "kobayashi").await;
    for lang in ["ja", "en"] {
        b.client.goto(&w.url("/company/surveys/1")).await.unwrap();
        b.wait_count("#survey-form", 1).await;
        assert!(checked(b, "#f-A1-26").await, "industry 26");
        assert!(checked(b, "#f-A3-23").await, "愛知県");
        assert_eq!(value(b, "#f-A4").await, "lt20", "fewer than 20");
        let notice = b.text("#prefilled-company").await;
        let expected = if lang == "ja" {
            "A1、A3、A4 は、kojo に登録されている貴社の情報から"
        } else {
            "A1, A3, A4 were filled in from what kojo holds"
        };
        assert!(notice.starts_with(expected), "{notice}");
        if lang == "ja" {
            b.click("#lang-switch").await;
            b.wait_count("html[lang=en]", 1).await;
        }
    }
    // What the company answers wins over the record.
    b.click("#f-A1-99").await;
    b.click("#save-draft").await;
    b.wait_count("#respond-message", 1).await;
    b.client.goto(&w.url("/company/surveys/1")).await.unwrap();
    b.wait_count("#survey-form", 1).await;
    assert!(
        checked(b, "#f-A1-99").await,
        "the saved answer, not the record"
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('#prefilled-company').length")
            .await,
        0
    );
    w.b.stop().await;
}

/// No serious or critical axe-core violation on the page as it stands (a state the link walk
/// of `a11y.rs` never reaches: refused answers, failed saves).
pub async fn assert_axe_clean(b: &Browser, state: &str) {
    let serious: Vec<String> = crate::a11y::axe(b)
        .await
        .into_iter()
        .filter(|v| v.impact == "serious" || v.impact == "critical")
        .map(|v| format!("{} [{}] {} at {:?}", v.rule, v.impact, v.help, v.nodes))
        .collect();
    assert!(serious.is_empty(), "{state}:\n{}", serious.join("\n"));
}

/// A draft discarded in another tab: the page left open says so in the item, in the reader's
/// language, and keeps what was typed (not "an error occurred, try again").
#[tokio::test]
async fn a_save_to_a_discarded_draft_says_the_assessment_is_gone() {
    let w = company_world().await;
    let b = &w.b;
    sign_in(&w, "kobayashi").await;
    for (lang, expected) in [
        ("ja", "この評価はもう存在しません"),
        ("en", "This assessment no longer exists"),
    ] {
        let page = open_assessment(&w).await;
        if lang == "en" {
            b.click("#lang-switch").await;
            b.wait_count("html[lang=en] form[data-autosave]", 32).await;
        }
        let status = b
            .client
            .execute_async(
                "const [page, done] = arguments; fetch(page + '/discard', {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'confirm=yes'}).then(r => done(r.status))",
                vec![page.clone().into()],
            )
            .await
            .unwrap();
        assert_eq!(status, 200, "discarded");
        b.click("#note-ORG-2").await;
        b.keys("typed after the discard").await;
        b.keys(&Key::Tab).await;
        wait_status(b, "ORG-2", "failed").await;
        let error = b.text("#error-ORG-2").await;
        assert!(error.contains(expected), "{error}");
        assert_eq!(value(b, "#note-ORG-2").await, "typed after the discard");
        assert!(b.text("#save-alert").await.starts_with("ORG-2: "));
    }
    w.b.stop().await;
}
