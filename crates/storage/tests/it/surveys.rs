use kojo_core::ids::OrgId;
use kojo_core::org::OrgKind;
use kojo_core::status::ResponseStatus;
use kojo_core::survey::answers::Answers;
use kojo_storage::testing;
use kojo_storage::{
    Actor, Channel, ImportRow, Invalid, NewInvitee, NewRound, Replace, ResponseWrite, Saved,
    StoreError,
};

use crate::{company, org};

fn answers(cells: &[(&str, &str)]) -> Answers {
    cells
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn import_row(respondent: &str, org_id: Option<OrgId>, cells: &[(&str, &str)]) -> ImportRow {
    ImportRow {
        respondent: respondent.into(),
        org_id,
        answers: answers(cells),
    }
}

fn round() -> NewRound {
    NewRound {
        instrument: "company-2022".into(),
        title: "令和8年度 会員企業調査".into(),
        opens_on: Some("2026-12-01".into()),
        closes_on: None,
    }
}

#[tokio::test]
async fn rounds_invitees_and_responses() {
    let db = testing::fresh().await;
    let cli = Actor::cli();
    let assoc = db
        .create_org(&cli, OrgKind::Association, &org("団体"))
        .await
        .unwrap();
    let c1 = company(&db, "A社").await;
    let c2 = company(&db, "B社").await;
    let r = db.create_round(&cli, assoc.id, &round()).await.unwrap();
    assert!(r.is_open());
    let invite = |org_id: OrgId, label: &str, hash: &str| NewInvitee {
        org_id: Some(org_id),
        label: label.into(),
        email: None,
        token_hash: hash.into(),
    };
    assert_eq!(
        db.add_invitees(
            &cli,
            r.id,
            &[invite(c1.id, "A社", "t1"), invite(c2.id, "B社", "t2")]
        )
        .await
        .unwrap(),
        2
    );
    // Inviting A again fails and adds nobody (all or none).
    let err = db
        .add_invitees(&cli, r.id, &[invite(c1.id, "A社", "t3")])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(db.invitees(r.id).await.unwrap().len(), 2);
    let inv = db.invitee_by_token("t1").await.unwrap();
    assert_eq!(inv.label, "A社");
    assert_eq!(inv.response_status(), None);

    // Draft, resume, submit, correct.
    let resp = |v: i64, submit: bool, a: Answers| {
        let db = &db;
        let inv = inv.id;
        let (rid, cid) = (r.id, c1.id);
        async move {
            let w = ResponseWrite {
                round_id: rid,
                invitee_id: Some(inv),
                org_id: Some(cid),
                respondent: "c1",
                answers: &a,
                expected_version: v,
                submit,
                channel: Channel::Account,
                resume_hash: None,
                replace: Replace::Any,
            };
            db.save_response(&Actor::cli(), &w).await
        }
    };
    let Saved::Saved(d) = resp(0, false, answers(&[("A1", "26")])).await.unwrap() else {
        panic!()
    };
    assert_eq!((d.status, d.version), (ResponseStatus::Draft, 1));
    assert!(matches!(
        resp(0, false, answers(&[])).await.unwrap(),
        Saved::Conflict(Some(_))
    ));
    let Saved::Saved(s) = resp(1, true, answers(&[("A1", "26"), ("F1", "1")]))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(s.status, ResponseStatus::Submitted);
    let Saved::Saved(c) = resp(2, false, answers(&[("A1", "31")])).await.unwrap() else {
        panic!()
    };
    assert_eq!(
        c.status,
        ResponseStatus::Submitted,
        "a correction keeps it submitted"
    );
    assert_eq!(
        db.invitee_by_token("t1").await.unwrap().response_status(),
        Some(ResponseStatus::Submitted)
    );
    assert_eq!(db.response_counts(r.id).await.unwrap(), (1, 1));
    let rows = db.submitted(&[r.id]).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].answers.get("A1"), Some("31"));
    let v1 = db.round_version(r.id).await.unwrap();

    // Imports count as submitted and replace what was imported before, never an answer the
    // respondent gave (the whole file is refused).
    let err = db
        .import_responses(
            &cli,
            r.id,
            &[
                import_row("x9", None, &[("A1", "09")]),
                import_row("c1", Some(c1.id), &[("A1", "23")]),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Stale), "{err:?}");
    assert_eq!(db.submitted(&[r.id]).await.unwrap().len(), 1);
    assert_eq!(db.round_version(r.id).await.unwrap(), v1, "nothing written");
    for g in ["08", "09"] {
        db.import_responses(&cli, r.id, &[import_row("x9", None, &[("A1", g)])])
            .await
            .unwrap();
    }
    let rows = db.submitted(&[r.id]).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].answers.get("A1"), Some("31"), "c1 kept its answer");
    assert_eq!(rows[1].answers.get("A1"), Some("09"));
    assert_eq!(rows[1].channel, Channel::Import);
    assert_ne!(db.round_version(r.id).await.unwrap(), v1);

    // Closed: no more saves.
    db.close_round(&cli, r.id).await.unwrap();
    let err = resp(3, true, answers(&[])).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::RoundNotOpen)),
        "{err:?}"
    );
    assert!(db.close_round(&cli, r.id).await.is_err());
    // Nor imports.
    let err = db
        .import_responses(&cli, r.id, &[import_row("x10", None, &[("A1", "09")])])
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(Invalid::RoundNotOpen)),
        "{err:?}"
    );
    assert_eq!(db.submitted(&[r.id]).await.unwrap().len(), 2);
    assert_eq!(db.rounds(Some(assoc.id)).await.unwrap().len(), 1);
    assert_eq!(db.rounds(None).await.unwrap().len(), 1);
}

/// A link write replaces only a link draft holding the resume code it proved; a draft can be
/// deleted; resume attempts are counted before the code is checked and refused past the limit;
/// every write is audited without the answers.
#[tokio::test]
async fn link_drafts_are_guarded_and_resume_attempts_counted() {
    let db = testing::fresh().await;
    let cli = Actor::cli();
    let assoc = db
        .create_org(&cli, OrgKind::Association, &org("団体"))
        .await
        .unwrap();
    let r = db.create_round(&cli, assoc.id, &round()).await.unwrap();
    let link = Actor {
        user_id: None,
        label: "link".into(),
    };
    let secret = answers(&[("A1", "極秘")]);
    let write = |v: i64, submit: bool, hash: Option<&'static str>, replace| ResponseWrite {
        round_id: r.id,
        invitee_id: None,
        org_id: None,
        respondent: "inv-1",
        answers: &secret,
        expected_version: v,
        submit,
        channel: Channel::Link,
        resume_hash: hash,
        replace,
    };
    let saved = db
        .save_response(&link, &write(0, false, Some("h1"), Replace::Any))
        .await
        .unwrap();
    assert!(matches!(saved, Saved::Saved(ref s) if s.resume_hash.as_deref() == Some("h1")));
    // Another code's hash (or none) does not replace the draft, whatever the version says.
    for replace in [Replace::LinkDraft("h2"), Replace::LinkDraft("")] {
        let out = db
            .save_response(&link, &write(1, true, None, replace))
            .await
            .unwrap();
        assert!(matches!(out, Saved::Conflict(_)), "{out:?}");
    }
    let out = db
        .save_response(&link, &write(1, true, None, Replace::LinkDraft("h1")))
        .await
        .unwrap();
    assert!(matches!(out, Saved::Saved(ref s) if s.status == ResponseStatus::Submitted));
    // Submitted: no link write replaces it, and it cannot be deleted as a draft.
    let out = db
        .save_response(&link, &write(2, false, None, Replace::LinkDraft("h1")))
        .await
        .unwrap();
    assert!(matches!(out, Saved::Conflict(_)));
    assert!(!db.delete_link_draft(&link, r.id, "inv-2").await.unwrap());
    assert!(!db.delete_link_draft(&link, r.id, "inv-1").await.unwrap());
    // Another respondent's draft: five attempts within the window, then refused.
    let mut w = write(0, false, Some("h3"), Replace::Any);
    w.respondent = "inv-2";
    db.save_response(&link, &w).await.unwrap();
    for _ in 0..5 {
        assert!(
            db.claim_resume_attempt(r.id, "inv-2", 5, 60_000)
                .await
                .unwrap()
        );
    }
    assert!(
        !db.claim_resume_attempt(r.id, "inv-2", 5, 60_000)
            .await
            .unwrap()
    );
    // A window that has passed (0 ms) starts again; clearing forgets the attempts.
    assert!(db.claim_resume_attempt(r.id, "inv-2", 5, 0).await.unwrap());
    db.clear_resume_attempts(r.id, "inv-2").await.unwrap();
    assert!(
        db.claim_resume_attempt(r.id, "inv-2", 1, 60_000)
            .await
            .unwrap()
    );
    assert!(db.delete_link_draft(&link, r.id, "inv-2").await.unwrap());
    assert!(db.response(r.id, "inv-2").await.unwrap().is_none());
    // Four writes, four entries, none holding an answer.
    let log = db.audit_log(None, 100).await.unwrap();
    let writes: Vec<&str> = log
        .iter()
        .filter(|e| e.entity == "response")
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(writes, vec!["delete", "save", "submit", "save"]);
    assert!(
        log.iter()
            .all(|e| !e.detail.clone().unwrap_or_default().contains("極秘"))
    );
}

#[tokio::test]
async fn interviews_and_themes() {
    let db = testing::fresh().await;
    let cli = Actor::cli();
    let a1 = db
        .create_org(&cli, OrgKind::Association, &org("団体1"))
        .await
        .unwrap();
    let a2 = db
        .create_org(&cli, OrgKind::Association, &org("団体2"))
        .await
        .unwrap();
    let i1 = db
        .create_interview(&cli, a1.id, "hearing-2022", Some("2022-12-15"), "調査員")
        .await
        .unwrap();
    let i2 = db
        .create_interview(&cli, a2.id, "hearing-2022", None, "")
        .await
        .unwrap();
    db.save_interview_answer(&cli, i1.id, "A1", "勉強会を年2回開催")
        .await
        .unwrap();
    db.save_interview_answer(&cli, i1.id, "A1", "勉強会を年3回開催")
        .await
        .unwrap();
    assert_eq!(
        db.interview_answers(i1.id).await.unwrap(),
        vec![("A1".to_string(), "勉強会を年3回開催".to_string())]
    );
    let themes = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    db.add_passage(
        &cli,
        i1.id,
        "B1",
        "専属の担当者がいない",
        &themes(&["hr-no-dedicated-staff"]),
    )
    .await
    .unwrap();
    db.add_passage(
        &cli,
        i1.id,
        "B2",
        "BCPにサイバー攻撃が入っていない",
        &themes(&["recovery-no-cyber-bcp", "hr-no-dedicated-staff"]),
    )
    .await
    .unwrap();
    db.add_passage(
        &cli,
        i2.id,
        "B1",
        "担当者を抱えられない",
        &themes(&["hr-no-dedicated-staff"]),
    )
    .await
    .unwrap();
    // A follow-up interview with the first association: more passages, not more associations.
    let i3 = db
        .create_interview(&cli, a1.id, "hearing-2022", None, "")
        .await
        .unwrap();
    db.add_passage(
        &cli,
        i3.id,
        "B1",
        "やはり担当者がいない",
        &themes(&["hr-no-dedicated-staff"]),
    )
    .await
    .unwrap();
    assert!(db.add_passage(&cli, i2.id, "B1", "  ", &[]).await.is_err());
    let p = db.passages(i1.id).await.unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!(
        p[1].theme_ids(),
        ["hr-no-dedicated-staff", "recovery-no-cyber-bcp"]
    );
    let counts = db.theme_counts("hearing-2022").await.unwrap();
    assert_eq!(
        counts,
        vec![
            ("hr-no-dedicated-staff".to_string(), 4, 2),
            ("recovery-no-cyber-bcp".to_string(), 1, 1)
        ]
    );
    assert_eq!(db.interviews().await.unwrap().len(), 3);
}
