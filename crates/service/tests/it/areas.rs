//! The company's pages, organisations and interviews: who may use them and what they check.

use kojo_core::org::{OrgKind, Role};
use kojo_service::company::SiteDraft;
use kojo_service::interviews::{InterviewDraft, PassageDraft};
use kojo_service::orgs::OrgDraft;
use kojo_service::{Error, Lang, Problem, Who};
use kojo_storage::{Invalid, NewOrg};

use crate::support::Fixture;

fn site(name: &str, prefecture: &str) -> SiteDraft {
    SiteDraft {
        name: name.into(),
        prefecture: prefecture.into(),
    }
}

#[tokio::test]
async fn a_company_admin_adds_factories_to_their_own_company_only() {
    let f = Fixture::new().await;
    let yamada = f.org(OrgKind::Company, "山田精機").await;
    let sato = f.org(OrgKind::Company, "佐藤化学").await;
    let admin = f.user("yamada", Role::CompanyAdmin, Some(yamada)).await;
    let member = f.user("suzuki", Role::CompanyMember, Some(yamada)).await;
    let root = f.user("root", Role::Admin, None).await;

    assert!(matches!(
        f.service.add_site(&admin, sato, &site("X", "")).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        f.service.add_site(&member, yamada, &site("X", "")).await,
        Err(Error::Forbidden)
    ));
    let unknown = f
        .service
        .add_site(&admin, yamada, &site("本社工場", "99"))
        .await;
    assert!(
        matches!(
            unknown,
            Err(Error::Invalid(Problem::UnknownPrefecture { .. }))
        ),
        "{unknown:?}"
    );
    f.service
        .add_site(&admin, yamada, &site("本社工場", "23"))
        .await
        .unwrap();
    let taken = f
        .service
        .add_site(&admin, yamada, &site(" 本社工場 ", ""))
        .await;
    let Err(Error::Conflict(problem)) = taken else {
        panic!("{taken:?}");
    };
    assert_eq!(
        problem.message(&Lang::ja()),
        "「本社工場」という工場はすでに登録されています。"
    );
    f.service
        .add_site(&Who::Cli, sato, &site("堺工場", "27"))
        .await
        .unwrap();

    let overview = f.service.company_overview(&member).await.unwrap();
    assert_eq!(overview.company.name, "山田精機");
    assert!(!overview.can_manage, "members do not add factories");
    assert_eq!(overview.sites.len(), 1, "only the own company's factories");
    assert!(overview.sites[0].complete.is_none() && overview.sites[0].scores.is_none());
    assert!(f.service.company_overview(&admin).await.unwrap().can_manage);
    // The instance admin sees aggregates only, never a company's own pages.
    assert!(matches!(
        f.service.company_overview(&root).await,
        Err(Error::Forbidden)
    ));
}

#[tokio::test]
async fn the_organisation_list_is_the_instance_admins() {
    let f = Fixture::new().await;
    let assoc = f.org(OrgKind::Association, "日本工作機械団体").await;
    let company = f.org(OrgKind::Company, "山田精機").await;
    f.db.add_membership(&kojo_storage::Actor::cli(), assoc, company)
        .await
        .unwrap();
    let member = f.user("yamada", Role::CompanyMember, Some(company)).await;
    let root = f.user("root", Role::Admin, None).await;
    assert!(matches!(
        f.service.org_summaries(&member).await,
        Err(Error::Forbidden)
    ));
    let list = f.service.org_summaries(&root).await.unwrap();
    let counts: Vec<(&str, i64, i64)> = list
        .iter()
        .map(|s| (s.org.name.as_str(), s.members, s.users))
        .collect();
    assert_eq!(counts, [("日本工作機械団体", 1, 0), ("山田精機", 0, 1)]);
}

#[tokio::test]
async fn organisations_are_found_by_id_or_name_and_checked_before_anything_is_written() {
    let f = Fixture::new().await;
    let cli = Who::Cli;
    let assoc = f.org(OrgKind::Association, "日本工作機械団体").await;
    f.org(OrgKind::Company, "同名").await;
    f.org(OrgKind::Association, "同名").await;
    let found = f
        .service
        .find_org(&cli, &assoc.to_string(), None)
        .await
        .unwrap();
    assert_eq!(found.name, "日本工作機械団体");
    let problem = |r: kojo_service::Result<kojo_storage::Org>| match r {
        Err(Error::Invalid(p)) => p,
        other => panic!("{other:?}"),
    };
    let p = problem(f.service.find_org(&cli, "同名", None).await);
    assert!(matches!(p, Problem::OrgAmbiguous { .. }), "{p:?}");
    assert!(
        f.service
            .find_org(&cli, "同名", Some(OrgKind::Company))
            .await
            .is_ok()
    );
    let p = problem(f.service.find_org(&cli, "ない", None).await);
    assert_eq!(
        p.message(&Lang::en()),
        "There is no organisation named \"ない\"."
    );
    let p = problem(f.service.find_org(&cli, "999999", None).await);
    assert!(
        matches!(p, Problem::Rule(Invalid::UnknownOrg { id: 999_999 })),
        "{p:?}"
    );
    let p = problem(
        f.service
            .find_org(&cli, &assoc.to_string(), Some(OrgKind::Company))
            .await,
    );
    assert_eq!(
        p.message(&Lang::ja()),
        "日本工作機械団体 は業界団体です。ここには企業を指定してください。"
    );

    let draft = |kind, industry: Option<&str>, member_of: &[&str]| OrgDraft {
        kind,
        org: NewOrg {
            name: "新会社".into(),
            industry_code: industry.map(str::to_string),
            ..NewOrg::default()
        },
        member_of: member_of.iter().map(|m| m.to_string()).collect(),
    };
    let p = problem(
        f.service
            .add_org(&cli, &draft(OrgKind::Company, Some("45"), &[]))
            .await,
    );
    assert!(
        matches!(
            p,
            Problem::Field {
                field: "industry",
                ..
            }
        ),
        "{p:?}"
    );
    let p = problem(
        f.service
            .add_org(
                &cli,
                &draft(OrgKind::Association, None, &["日本工作機械団体"]),
            )
            .await,
    );
    assert!(matches!(p, Problem::MembershipNeedsCompany), "{p:?}");
    let p = problem(
        f.service
            .add_org(&cli, &draft(OrgKind::Company, None, &["ない"]))
            .await,
    );
    assert!(matches!(p, Problem::OrgNotFound { .. }), "{p:?}");
    assert_eq!(
        f.service.orgs(&cli, None).await.unwrap().len(),
        3,
        "nothing created"
    );
    let org = f
        .service
        .add_org(
            &cli,
            &draft(OrgKind::Company, Some("26"), &["日本工作機械団体"]),
        )
        .await
        .unwrap();
    assert_eq!(f.db.associations_of(org.id).await.unwrap()[0].id, assoc);
}

#[tokio::test]
async fn interviews_are_the_ministrys_and_a_bad_passage_saves_nothing() {
    let f = Fixture::new().await;
    let ministry = f.org(OrgKind::Ministry, "経済産業省").await;
    let assoc = f.org(OrgKind::Association, "日本工作機械団体").await;
    let company = f.org(OrgKind::Company, "山田精機").await;
    let analyst = f.user("meti", Role::MinistryAnalyst, Some(ministry)).await;
    let outsider = f.user("assoc", Role::AssociationAdmin, Some(assoc)).await;
    assert!(matches!(
        f.service.interviews(&outsider).await,
        Err(Error::Forbidden)
    ));
    let draft = |association| InterviewDraft {
        association,
        held_on: "2026/3/31".into(),
        interviewer: "田中".into(),
    };
    let refused = f.service.create_interview(&analyst, &draft(company)).await;
    assert!(
        matches!(
            refused,
            Err(Error::Invalid(Problem::Field {
                field: "association",
                ..
            }))
        ),
        "{refused:?}"
    );
    let interview = f
        .service
        .create_interview(&analyst, &draft(assoc))
        .await
        .unwrap();
    assert_eq!(interview.held_on.as_deref(), Some("2026-03-31"));
    assert!(matches!(
        f.service.interview(&outsider, interview.id).await,
        Err(Error::Forbidden)
    ));

    let posted = vec![("A1".to_string(), "研修を実施".to_string())];
    let passage = |theme: &str| PassageDraft {
        question: "A1".into(),
        text: "研修".into(),
        themes: vec![theme.into()],
    };
    let bad = f
        .service
        .add_passage(&analyst, interview.id, &posted, &passage("no-such-theme"))
        .await;
    assert!(
        matches!(
            bad,
            Err(Error::Invalid(Problem::Field {
                field: "passage_theme",
                ..
            }))
        ),
        "{bad:?}"
    );
    let sheet = f.service.interview(&analyst, interview.id).await.unwrap();
    assert!(
        sheet.answers.is_empty() && sheet.passages.is_empty(),
        "nothing saved"
    );
    f.service
        .add_passage(
            &analyst,
            interview.id,
            &posted,
            &passage("hr-training-system"),
        )
        .await
        .unwrap();
    let sheet = f.service.interview(&analyst, interview.id).await.unwrap();
    assert_eq!(
        sheet.answers.get("A1").map(String::as_str),
        Some("研修を実施")
    );
    assert_eq!(sheet.passages.len(), 1);
    let summary = f.service.theme_summary(&analyst).await.unwrap();
    assert_eq!(summary.interviews, 1);
    assert_eq!(summary.counts.get("hr-training-system"), Some(&(1, 1)));
}

#[tokio::test]
async fn an_empty_hearing_form_and_an_untagged_passage_are_refused_with_their_field() {
    let f = Fixture::new().await;
    let ministry = f.org(OrgKind::Ministry, "経済産業省").await;
    let assoc = f.org(OrgKind::Association, "日本工作機械団体").await;
    let analyst = f.user("meti", Role::MinistryAnalyst, Some(ministry)).await;
    let draft = |held_on: &str, interviewer: &str| InterviewDraft {
        association: assoc,
        held_on: held_on.into(),
        interviewer: interviewer.into(),
    };
    for (d, field) in [
        (draft("", ""), "held_on"),
        (draft("", "田中"), "held_on"),
        (draft("2026-03-31", "  "), "interviewer"),
    ] {
        let r = f.service.create_interview(&analyst, &d).await;
        match r {
            Err(Error::Invalid(p @ Problem::Field { .. })) => {
                assert_eq!(p.field(), Some(field));
                assert!(!p.message(&Lang::ja()).is_empty());
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(
        f.service
            .interviews(&analyst)
            .await
            .unwrap()
            .rows
            .is_empty(),
        "nothing recorded"
    );
    let interview = f
        .service
        .create_interview(&analyst, &draft("2026-03-31", "田中"))
        .await
        .unwrap();
    let untagged = PassageDraft {
        question: "A1".into(),
        text: "研修".into(),
        themes: vec![],
    };
    let r = f
        .service
        .add_passage(&analyst, interview.id, &[], &untagged)
        .await;
    assert!(
        matches!(
            r,
            Err(Error::Invalid(Problem::Field {
                field: "passage_theme",
                ..
            }))
        ),
        "{r:?}"
    );
    assert!(f.db.passages(interview.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn rounds_refuse_reversed_dates_close_only_when_confirmed_and_reopen() {
    use kojo_service::rounds::RoundDraft;
    let f = Fixture::new().await;
    let assoc = f.org(OrgKind::Association, "日本工作機械団体").await;
    let admin = f.user("assoc", Role::AssociationAdmin, Some(assoc)).await;
    let draft = |opens: &str, closes: &str| RoundDraft {
        instrument: "company-2022".into(),
        title: "令和8年度調査".into(),
        opens_on: opens.into(),
        closes_on: closes.into(),
    };
    let r = f
        .service
        .create_round(&admin, None, &draft("2026-06-30", "2026-04-01"))
        .await;
    match r {
        Err(Error::Invalid(p)) => {
            assert_eq!(p.field(), Some("closes_on"));
            let m = p.message(&Lang::ja());
            assert!(m.contains("締切日") && m.contains("2026-06-30 以降"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    let round = f
        .service
        .create_round(&admin, None, &draft("2026-04-01", "2026-04-01"))
        .await
        .unwrap();
    let r = f.service.close_round(&admin, round.id, false).await;
    assert!(
        matches!(r, Err(Error::Invalid(Problem::ConfirmRequired))),
        "{r:?}"
    );
    assert!(f.db.round(round.id).await.unwrap().is_open());
    f.service.close_round(&admin, round.id, true).await.unwrap();
    assert!(!f.db.round(round.id).await.unwrap().is_open());
    // An association's report was released at closing: no reopening (differencing).
    let r = f.service.reopen_round(&admin, round.id).await;
    assert!(
        matches!(r, Err(Error::Invalid(Problem::ReopenReleased))),
        "{r:?}"
    );
    assert!(!f.db.round(round.id).await.unwrap().is_open());
    // The ministry's own round reopens (it sees its report while the round runs anyway).
    let ministry = f.org(OrgKind::Ministry, "経済産業省").await;
    let analyst = f.user("meti", Role::MinistryAnalyst, Some(ministry)).await;
    let round = f
        .service
        .create_round(&analyst, None, &draft("", ""))
        .await
        .unwrap();
    f.service
        .close_round(&analyst, round.id, true)
        .await
        .unwrap();
    f.service.reopen_round(&analyst, round.id).await.unwrap();
    assert!(f.db.round(round.id).await.unwrap().is_open());
    let again = f.service.reopen_round(&analyst, round.id).await;
    assert!(
        matches!(
            again,
            Err(Error::Invalid(Problem::Rule(Invalid::RoundNotClosed)))
        ),
        "{again:?}"
    );
}
