//! Individual answers stay with the respondent (docs/surveys.md, "Individual answers"), tested
//! as an attacker would: the association runs the round and holds every personal link
//! (links.csv), and tries to read, overwrite or outvote its members' answers over HTTP.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kojo_core::ids::{OrgId, RoundId};
use kojo_core::org::{OrgKind, Role};
use kojo_core::status::ResponseStatus;
use kojo_storage::{Actor, Channel, NewOrg, Response};

use crate::support::{Reply, TestApp};

/// The respondent's own resume code.
const CODE: &str = "yamada-no-himitsu-42";
/// An answer only its respondent may read again.
const SECRET: &str = "極秘：工場のVPN装置は未更新";

struct World {
    app: TestApp,
    assoc: OrgId,
    assoc_cookie: String,
    round: RoundId,
    members: Vec<OrgId>,
    /// The personal links' tokens, in the members' order.
    tokens: Vec<String>,
}

async fn association(app: &TestApp, name: &str, members: &[&str]) -> (OrgId, Vec<OrgId>) {
    let cli = Actor::cli();
    let assoc = app.org(OrgKind::Association, name).await;
    let mut ids = Vec::new();
    for m in members {
        let new = NewOrg {
            name: m.to_string(),
            industry_code: Some("26".into()),
            employees: Some(120),
            ..NewOrg::default()
        };
        let c = app
            .db
            .create_org(&cli, OrgKind::Company, &new)
            .await
            .unwrap()
            .id;
        app.db.add_membership(&cli, assoc, c).await.unwrap();
        ids.push(c);
    }
    (assoc, ids)
}

/// Opens a company survey as the signed-in runner; returns the round.
async fn open_round(app: &TestApp, cookie: &str, instrument: &str) -> RoundId {
    let form = [("instrument", instrument), ("title", "会員調査")];
    let r = app.post("/rounds", &form, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().trim_start_matches("/rounds/").parse().unwrap()
}

/// Invites organisations; the reply of the round page.
async fn invite(app: &TestApp, cookie: &str, round: RoundId, orgs: &[OrgId]) -> Reply {
    let ids: Vec<String> = orgs.iter().map(|o| o.to_string()).collect();
    let form: Vec<(&str, &str)> = ids.iter().map(|id| ("org", id.as_str())).collect();
    app.post(&format!("/rounds/{round}/invitees"), &form, Some(cookie))
        .await
}

/// Every invitee's link token from links.csv, as the association downloads it, by name.
async fn links(app: &TestApp, cookie: &str, round: RoundId) -> Vec<(String, String)> {
    let csv = app
        .get(&format!("/rounds/{round}/links.csv"), Some(cookie))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    csv.body
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| {
            let name = l.split(',').next().unwrap().to_string();
            (name, l.rsplit('/').next().unwrap().trim().to_string())
        })
        .collect()
}

async fn world(names: &[&str]) -> World {
    let app = TestApp::new().await;
    let (assoc, members) = association(&app, "工作機械団体", names).await;
    app.user("assoc", Role::AssociationAdmin, Some(assoc)).await;
    let assoc_cookie = app.sign_in("assoc").await;
    let round = open_round(&app, &assoc_cookie, "company-2022").await;
    let r = invite(&app, &assoc_cookie, round, &members).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let by_name = links(&app, &assoc_cookie, round).await;
    let tokens = names
        .iter()
        .map(|n| {
            let found = by_name.iter().find(|(name, _)| name == n);
            found.map(|(_, t)| t.clone()).unwrap()
        })
        .collect();
    World {
        app,
        assoc,
        assoc_cookie,
        round,
        members,
        tokens,
    }
}

impl World {
    /// Posts to a personal link (as whoever holds it: nobody is signed in).
    async fn link(&self, token: &str, fields: &[(&str, &str)]) -> Reply {
        self.app.post(&format!("/r/{token}"), fields, None).await
    }

    async fn stored(&self, org: OrgId) -> Option<Response> {
        self.app
            .db
            .response(self.round, &format!("org-{org}"))
            .await
            .unwrap()
    }

    /// The member's own draft through its link, with its resume code and the secret answer.
    async fn draft(&self, i: usize) {
        let fields = [
            ("version", "0"),
            ("action", "save"),
            ("resume_code", CODE),
            ("G1", "1"),
            ("I6", SECRET),
        ];
        let r = self.link(&self.tokens[i], &fields).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains(SECRET),
            "the respondent sees what it just typed"
        );
    }

    /// A member company signed in.
    async fn member_cookie(&self, i: usize) -> String {
        let login = format!("member{i}");
        self.app
            .user(&login, Role::CompanyAdmin, Some(self.members[i]))
            .await;
        self.app.sign_in(&login).await
    }
}

/// Uploads a response file (CSV) to a round as the signed-in runner.
async fn upload(app: &TestApp, cookie: &str, round: RoundId, csv: String) -> Reply {
    let boundary = "b0undary";
    let payload = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let req = Request::post(format!("/rounds/{round}/import"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, cookie)
        .body(Body::from(payload))
        .unwrap();
    app.send(req).await
}

/// Nothing a respondent stored appears in a reply.
fn reveals_nothing(r: &Reply) {
    assert!(!r.body.contains(SECRET), "the answer leaked: {}", r.body);
    assert!(
        !r.body.contains(" checked"),
        "a stored choice leaked: {}",
        r.body
    );
}

#[tokio::test]
async fn the_association_holding_links_csv_cannot_read_a_draft_or_a_submitted_answer() {
    let w = world(&["山田精機", "佐藤化学"]).await;
    w.draft(0).await;
    let link = format!("/r/{}", w.tokens[0]);
    // Opening the link — signed out or as the association — shows the resume box only.
    for cookie in [None, Some(w.assoc_cookie.as_str())] {
        let r = w.app.get(&link, cookie).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("id=\"resume\"") && !r.body.contains("id=\"survey-form\""));
        reveals_nothing(&r);
        assert_eq!(
            r.headers.get("cache-control").map(|v| v.as_bytes()),
            Some(&b"no-store"[..])
        );
    }
    // Resuming, saving or submitting without the code shows nothing and changes nothing.
    for action in ["resume", "save", "submit"] {
        let r = w
            .link(&w.tokens[0], &[("action", action), ("version", "1")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}");
        reveals_nothing(&r);
    }
    assert_eq!(
        w.stored(w.members[0]).await.unwrap().answers.get("I6"),
        Some(SECRET)
    );
    // The respondent's code shows the draft; submitted, the link is spent, even with the code.
    let r = w
        .link(&w.tokens[0], &[("action", "resume"), ("resume_code", CODE)])
        .await;
    assert!(
        r.status == StatusCode::OK && r.body.contains(SECRET),
        "{}",
        r.body
    );
    let submit = [
        ("action", "submit"),
        ("version", "1"),
        ("resume_code", CODE),
    ];
    let r = w
        .link(
            &w.tokens[0],
            &[&submit[..], &[("G1", "1"), ("I6", SECRET)]].concat(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains(SECRET) && !r.body.contains("id=\"survey-form\""));
    let r = w
        .link(&w.tokens[0], &[("action", "resume"), ("resume_code", CODE)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    reveals_nothing(&r);
    let r = w.app.get(&link, Some(&w.assoc_cookie)).await;
    assert!(r.body.contains("id=\"link-state\""));
    reveals_nothing(&r);
    // The association's own pages and files show the status, not the answer.
    for page in ["", "/links.csv", "/report", "/report.csv"] {
        let r = w
            .app
            .get(&format!("/rounds/{}{page}", w.round), Some(&w.assoc_cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(!r.body.contains(SECRET), "{page} leaked the answer");
    }
    let csv = w
        .app
        .get(
            &format!("/rounds/{}/links.csv", w.round),
            Some(&w.assoc_cookie),
        )
        .await;
    assert!(
        csv.body
            .lines()
            .any(|l| l.starts_with("山田精機,提出済み,")),
        "{}",
        csv.body
    );
    // The individual responses export is the ministry's, not the association's.
    let r = w
        .app
        .get(
            &format!("/rounds/{}/responses.csv", w.round),
            Some(&w.assoc_cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn answers_given_signed_in_are_never_reachable_through_the_link() {
    let w = world(&["山田精機"]).await;
    let cookie = w.member_cookie(0).await;
    let path = format!("/company/surveys/{}", w.round);
    let fields = [
        ("version", "0"),
        ("action", "save"),
        ("G1", "1"),
        ("I6", SECRET),
        ("H1.ORG-1", "3"),
    ];
    let r = w.app.post(&path, &fields, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The link — with or without any code — neither shows nor changes the company's draft.
    let r = w.app.get(&format!("/r/{}", w.tokens[0]), None).await;
    assert!(r.body.contains("id=\"link-state\"") && !r.body.contains("id=\"survey-form\""));
    reveals_nothing(&r);
    for action in ["resume", "save", "submit"] {
        let post = [
            ("action", action),
            ("version", "1"),
            ("resume_code", CODE),
            ("G1", "2"),
        ];
        let r = w.link(&w.tokens[0], &post).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{action}");
        reveals_nothing(&r);
    }
    let kept = w.stored(w.members[0]).await.unwrap();
    assert_eq!(
        (kept.status, kept.channel),
        (ResponseStatus::Draft, Channel::Account)
    );
    assert_eq!((kept.answers.get("G1"), kept.version), (Some("1"), 1));
    // The company itself sees its answers.
    let r = w.app.get(&path, Some(&cookie)).await;
    assert!(r.body.contains(SECRET));
}

#[tokio::test]
async fn a_submitted_answer_cannot_be_overwritten_through_its_link() {
    let w = world(&["山田精機"]).await;
    let first = [
        ("version", "0"),
        ("action", "submit"),
        ("G1", "1"),
        ("I6", SECRET),
    ];
    assert_eq!(w.link(&w.tokens[0], &first).await.status, StatusCode::OK);
    let before = w.stored(w.members[0]).await.unwrap();
    // Every version, with or without a code, saving or submitting: refused.
    for version in ["0", "1", "2"] {
        for action in ["save", "submit"] {
            for code in ["", CODE] {
                let post = [
                    ("version", version),
                    ("action", action),
                    ("resume_code", code),
                    ("G1", "2"),
                ];
                let r = w.link(&w.tokens[0], &post).await;
                assert_eq!(r.status, StatusCode::CONFLICT, "{version} {action} {code}");
                reveals_nothing(&r);
            }
        }
    }
    let discard = [("action", "discard"), ("confirm", "yes")];
    assert_eq!(
        w.link(&w.tokens[0], &discard).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(w.stored(w.members[0]).await.unwrap(), before, "untouched");
}

#[tokio::test]
async fn a_wrong_resume_code_reveals_nothing_and_guessing_is_throttled() {
    let w = world(&["山田精機"]).await;
    w.draft(0).await;
    // Five wrong guesses within the window are each refused…
    for guess in [
        "yamada-no-himitsu-41",
        "password-guess-1",
        "guess-number-four",
        "himitsu-42-yamada",
        "guess-number-five",
    ] {
        let r = w
            .link(
                &w.tokens[0],
                &[("action", "resume"), ("resume_code", guess)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{guess}");
        reveals_nothing(&r);
        assert!(!r.body.contains(guess), "the guess is not echoed");
    }
    // …and then even the right code is refused until the window has passed.
    let r = w
        .link(&w.tokens[0], &[("action", "resume"), ("resume_code", CODE)])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    reveals_nothing(&r);
    let save = [
        ("action", "save"),
        ("version", "1"),
        ("resume_code", CODE),
        ("G1", "2"),
    ];
    assert_eq!(
        w.link(&w.tokens[0], &save).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        w.stored(w.members[0]).await.unwrap().answers.get("G1"),
        Some("1")
    );
    // The code is kept as an Argon2id hash only.
    let hash = w.stored(w.members[0]).await.unwrap().resume_hash.unwrap();
    assert!(
        hash.starts_with("$argon2id$") && !hash.contains(CODE),
        "{hash}"
    );
    // Saving a new draft needs a code long enough; it is never echoed.
    let w2 = world(&["佐藤化学"]).await;
    let post = [
        ("action", "save"),
        ("version", "0"),
        ("resume_code", "short"),
        ("G1", "1"),
    ];
    let r = w2.link(&w2.tokens[0], &post).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(!r.body.contains("value=\"short\"") && w2.stored(w2.members[0]).await.is_none());
}

#[tokio::test]
async fn a_closed_round_accepts_nothing_and_shows_nothing() {
    let w = world(&["山田精機", "佐藤化学"]).await;
    w.draft(0).await;
    let cookie = w.member_cookie(1).await;
    let close = format!("/rounds/{}/close", w.round);
    assert_eq!(
        w.app
            .post(&close, &[("confirm", "yes")], Some(&w.assoc_cookie))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let r = w.app.get(&format!("/r/{}", w.tokens[0]), None).await;
    assert!(r.body.contains("id=\"round-closed\"") && !r.body.contains("id=\"resume\""));
    reveals_nothing(&r);
    for (token, action) in [
        (0, "resume"),
        (0, "save"),
        (0, "submit"),
        (0, "discard"),
        (1, "submit"),
    ] {
        let post = [
            ("action", action),
            ("version", "1"),
            ("resume_code", CODE),
            ("confirm", "yes"),
            ("G1", "2"),
        ];
        let r = w.link(&w.tokens[token], &post).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{action}");
        reveals_nothing(&r);
    }
    assert_eq!(
        w.stored(w.members[0]).await.unwrap().answers.get("G1"),
        Some("1")
    );
    assert!(w.stored(w.members[1]).await.is_none());
    // Signed in, the closed round is no longer there to answer.
    let path = format!("/company/surveys/{}", w.round);
    assert_eq!(
        w.app.get(&path, Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    let post = [("version", "0"), ("action", "submit"), ("G1", "1")];
    assert_eq!(
        w.app.post(&path, &post, Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_response_write_is_audited_once_without_its_content() {
    let w = world(&["山田精機", "佐藤化学", "鈴木工業"]).await;
    let before = w.app.db.audit_log(None, 1000).await.unwrap().len();
    w.draft(0).await; // save (link)
    let resume = [
        ("action", "submit"),
        ("version", "1"),
        ("resume_code", CODE),
        ("I6", SECRET),
    ];
    w.link(&w.tokens[0], &resume).await; // submit (link)
    w.draft(1).await; // save (link)
    let discard = [("action", "discard"), ("confirm", "yes")];
    let r = w.link(&w.tokens[1], &discard).await; // delete (link)
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(w.stored(w.members[1]).await.is_none());
    let cookie = w.member_cookie(2).await;
    let post = [("version", "0"), ("action", "save"), ("I6", SECRET)];
    let path = format!("/company/surveys/{}", w.round);
    w.app.post(&path, &post, Some(&cookie)).await; // save (signed in)
    let csv = format!("respondent,G1,I6\r\nnamed-1,1,{SECRET}\r\n");
    let r = upload(&w.app, &w.assoc_cookie, w.round, csv).await; // import (the association)
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let log = w.app.db.audit_log(None, 1000).await.unwrap();
    let new: Vec<_> = log[..log.len() - before].iter().rev().collect();
    let writes: Vec<(&str, &str, &str)> = new
        .iter()
        .filter(|e| e.entity == "response" || e.action == "import")
        .map(|e| (e.action.as_str(), e.entity.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        writes,
        vec![
            ("save", "response", "link"),
            ("submit", "response", "link"),
            ("save", "response", "link"),
            ("delete", "response", "link"),
            ("save", "response", "member2"),
            ("import", "round", "assoc"),
        ]
    );
    for e in &new {
        let detail = e.detail.clone().unwrap_or_default();
        assert!(
            !detail.contains(SECRET) && !detail.contains("I6"),
            "{detail}"
        );
    }
}

#[tokio::test]
async fn runners_invite_and_import_only_whom_the_survey_is_for() {
    let w = world(&["山田精機"]).await;
    let (_, theirs) = association(&w.app, "化学団体", &["佐藤化学"]).await;
    // Another association's member: not invited, nobody added.
    let r = invite(&w.app, &w.assoc_cookie, w.round, &[theirs[0], w.members[0]]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("佐藤化学 はこの調査に招待できません"),
        "{}",
        r.body
    );
    assert_eq!(links(&w.app, &w.assoc_cookie, w.round).await.len(), 1);
    // Nor counted through an import: the file is refused as a whole.
    let csv = format!("respondent,G1\r\nnamed-1,1\r\norg-{},1\r\n", theirs[0]);
    let r = upload(&w.app, &w.assoc_cookie, w.round, csv).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(&format!("回答者「org-{}」", theirs[0])),
        "{}",
        r.body
    );
    // An import never replaces an answer a member gave itself.
    let post = [("version", "0"), ("action", "submit"), ("G1", "1")];
    assert_eq!(w.link(&w.tokens[0], &post).await.status, StatusCode::OK);
    let csv = format!("respondent,G1\r\norg-{},2\r\n", w.members[0]);
    let r = upload(&w.app, &w.assoc_cookie, w.round, csv).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("本人が回答"), "{}", r.body);
    let rows = w.app.db.submitted(&[w.round]).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].answers.get("G1"), Some("1"));
    // The ministry surveys companies with the company questionnaire, never an association.
    let ministry = w.app.org(OrgKind::Ministry, "経済産業省").await;
    w.app
        .user("meti", Role::MinistryAnalyst, Some(ministry))
        .await;
    let meti = w.app.sign_in("meti").await;
    let round = open_round(&w.app, &meti, "company-2022").await;
    let r = invite(&w.app, &meti, round, &[w.assoc]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let csv = format!("respondent,G1\r\norg-{},1\r\n", w.assoc);
    let r = upload(&w.app, &meti, round, csv).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = invite(&w.app, &meti, round, &[w.members[0], theirs[0]]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(links(&w.app, &meti, round).await.len(), 2);
}

#[tokio::test]
async fn another_associations_round_cannot_override_a_company_in_the_national_roll_up() {
    let w = world(&["山田精機", "会員B", "会員C", "会員D", "会員E"]).await;
    let shared = w.members[0];
    // Every member answers 工作機械団体's round; the shared company signed in.
    let cookie = w.member_cookie(0).await;
    let post = [("version", "0"), ("action", "submit"), ("G1", "1")];
    let r = w
        .app
        .post(
            &format!("/company/surveys/{}", w.round),
            &post,
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for t in &w.tokens[1..] {
        assert_eq!(w.link(t, &post).await.status, StatusCode::OK);
    }
    // 化学団体 also has the shared company as a member, and none of the others.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (other, _) = association(&w.app, "化学団体", &[]).await;
    w.app
        .db
        .add_membership(&Actor::cli(), other, shared)
        .await
        .unwrap();
    w.app
        .user("chem", Role::AssociationAdmin, Some(other))
        .await;
    let chem = w.app.sign_in("chem").await;
    let round = open_round(&w.app, &chem, "company-2022").await;
    let r = invite(&w.app, &chem, round, &[w.members[1]]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "not its member");
    // Later, it answers in the shared company's name through the link it holds, and imports
    // the company in a second round.
    let r = invite(&w.app, &chem, round, &[shared]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (_, token) = links(&w.app, &chem, round).await.remove(0);
    let forged = [("version", "0"), ("action", "submit"), ("G1", "2")];
    assert_eq!(w.link(&token, &forged).await.status, StatusCode::OK);
    let second = open_round(&w.app, &chem, "company-2022").await;
    let csv = format!("respondent,G1\r\norg-{shared},2\r\n");
    assert_eq!(
        upload(&w.app, &chem, second, csv).await.status,
        StatusCode::OK
    );
    // The national view counts the company once, with the answer it gave signed in.
    let ministry = w.app.org(OrgKind::Ministry, "経済産業省").await;
    w.app
        .user("meti", Role::MinistryAnalyst, Some(ministry))
        .await;
    let meti = w.app.sign_in("meti").await;
    let r = w
        .app
        .get("/national/company-2022?section=G", Some(&meti))
        .await;
    assert!(r.body.contains("回答者 5件"), "{}", r.body);
    let block = &r.body[r.body.find("id=\"q-G1\"").unwrap()..];
    let block = &block[..block.find("</section>").unwrap()];
    assert!(
        block.contains("100.0%") && !block.contains("80.0%"),
        "{block}"
    ); // The A1 row's 2022 counts come with their unit and share of the 397 respondents, so they
    // compare with this round's shares, not as raw counts.
    let a = w
        .app
        .get("/national/company-2022?section=A", Some(&meti))
        .await;
    let row = &a.body[a
        .body
        .find("data-figure=\"company.industry.transport_equipment\"")
        .expect("A1 figure")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("59社（14.9%） (n=397)"), "{row}");
}
