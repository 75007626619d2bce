//! R-DUP in the use cases (issue 14): a homophone at intake is proposed with its reasons,
//! "the same person" links the new case, "not the same" is never asked again; an import
//! waits for a decision per pair and writes nothing meanwhile; a supervisor merges two
//! persons and undoes it; search finds names by pinyin.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use chrono::NaiveDate;
use guitu_api::transfer::ImportDecisions;
use guitu_api::{ApiError, ImportError, KdfParams, Secret, Session};
use guitu_domain::DomainError;
use guitu_domain::access::Role;
use guitu_domain::duplicates::MatchReason;
use guitu_domain::model::*;
use uuid::Uuid;

const PASS: &str = "test-passphrase-1";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

fn secret() -> Secret {
    Secret::new(PASS.into())
}

fn person(name: &str, sex: Sex, born: &str, estimated: bool, place: &str) -> Person {
    Person {
        id: Uuid::nil(),
        name: Some(name.into()),
        sex,
        birth_date: Some(BirthDate {
            date: d(born),
            estimated,
        }),
        found_place: Some(place.into()),
        ..Default::default()
    }
}

fn case(received: &str) -> Case {
    Case {
        id: Uuid::nil(),
        case_number: String::new(),
        person_id: Uuid::nil(),
        institution: "大足区救助管理站".into(),
        institution_kind: InstitutionKind::AssistanceStation,
        received_date: d(received),
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: String::new(),
        flags: CaseFlags::default(),
        stage: Stage::Intake,
    }
}

/// A vault made by 管理员 (administrator and supervisor) with a caseworker 王芳.
fn vault(dir: &Path) -> Session {
    let (mut s, _) = Session::create(dir, "管理员", &secret(), &KdfParams::insecure_for_tests())
        .expect("create");
    s.add_user(
        "王芳",
        &[Role::Caseworker],
        None,
        &secret(),
        &KdfParams::insecure_for_tests(),
    )
    .expect("add a caseworker");
    s
}

fn person_of(s: &mut Session, case_id: Uuid) -> Person {
    s.case_view(&case_id.to_string(), d("2026-11-29"))
        .expect("the case opens")
        .person
}

#[test]
fn a_homophone_at_intake_is_proposed_and_same_person_links_the_case() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut s = vault(&dir);
    let first = s
        .create_case(
            person("张伟", Sex::Male, "2009-07-01", true, "城关镇"),
            case("2026-03-01"),
        )
        .expect("张伟's case")
        .value;
    let zhang_wei = person_of(&mut s, first).id;

    // The example: 章伟, born 2009, found in the same town.
    let intake = person("章伟", Sex::Male, "2009-07-01", true, "城关镇");
    let found = s
        .duplicate_candidates(intake.clone(), Some(d("2026-11-29")))
        .expect("the check runs");
    assert_eq!(found.len(), 1, "张伟 is proposed for 章伟: {found:?}");
    let c = &found[0];
    assert_eq!(c.person.person_id, zhang_wei.to_string());
    for r in [
        MatchReason::SamePinyin,
        MatchReason::SameBirthYear,
        MatchReason::SameFoundPlace,
    ] {
        assert!(c.reasons.contains(&r), "{r:?} is among the reasons: {c:?}");
    }
    assert!(c.person.readable, "the supervisor reads every case");
    assert_eq!(c.person.name.as_deref(), Some("张伟"));

    // "The same person": the new case joins 张伟, who gains 章伟 as another name.
    let linked = s
        .link_case(zhang_wei, intake.clone(), case("2026-11-29"))
        .expect("the case is linked")
        .value;
    let p = person_of(&mut s, linked);
    assert_eq!(p.id, zhang_wei, "the new case belongs to the stored person");
    assert_eq!(p.name.as_deref(), Some("张伟"), "the stored name stays");
    assert!(p.other_names.contains(&"章伟".to_owned()), "{p:?}");
    assert_eq!(
        s.person_cases(zhang_wei).unwrap().len(),
        2,
        "one person, two cases: one history"
    );
    assert_eq!(s.case_count().unwrap(), 2);

    // "Not the same person": created, remembered, never proposed again.
    let other = s
        .create_case_not_duplicate(intake.clone(), case("2026-11-29"), &[zhang_wei])
        .expect("a new person is created")
        .value;
    let other_person = person_of(&mut s, other);
    assert_ne!(other_person.id, zhang_wei);
    let again = s
        .duplicate_candidates(other_person.clone(), None)
        .expect("the check runs");
    assert!(
        again
            .iter()
            .all(|c| c.person.person_id != zhang_wei.to_string()),
        "a pair decided not the same is not proposed again: {again:?}"
    );
    let scan = s.duplicate_pairs(100).expect("the supervisor scans");
    assert!(
        scan.pairs.iter().all(|p| {
            let ids = [p.a.person_id.clone(), p.b.person_id.clone()];
            !(ids.contains(&zhang_wei.to_string()) && ids.contains(&other_person.id.to_string()))
        }),
        "nor listed among the vault's duplicates: {:?}",
        scan.pairs
    );

    // Search finds by pinyin: the full spelling, a prefix and the initials.
    for q in ["zhangwei", "zhang", "zw"] {
        let hits = s.search(q, 50).expect("search");
        assert!(
            hits.iter().any(|h| h.case_id == first.to_string()),
            "“{q}” finds 张伟: {hits:?}"
        );
    }
}

#[test]
fn a_caseworker_sees_only_case_numbers_of_persons_outside_their_cases() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut s = vault(&dir);
    let mut other = case("2026-03-01");
    other.caseworker = "管理员".into();
    s.create_case(
        person("李娜", Sex::Female, "2010-05-05", false, "河口镇"),
        other,
    )
    .expect("a case of someone else's");
    drop(s);
    let mut cw = Session::open_as(&dir, "王芳", &secret()).expect("王芳 unlocks");
    let found = cw
        .duplicate_candidates(
            person("李娜", Sex::Female, "2010-05-05", false, "河口镇"),
            None,
        )
        .expect("a caseworker checks at intake");
    assert_eq!(found.len(), 1);
    let p = &found[0].person;
    assert!(!p.readable, "not 王芳's case");
    assert_eq!(p.name, None, "no name of a person outside her cases");
    assert_eq!(p.birth_date, None);
    assert_eq!(p.cases.len(), 1, "the case number, to ask a supervisor");
    let person_id: Uuid = p.person_id.parse().unwrap();
    let e = cw
        .link_case(
            person_id,
            person("李娜", Sex::Female, "2010-05-05", false, "河口镇"),
            case("2026-11-29"),
        )
        .expect_err("she cannot link a case to a person she cannot read");
    assert!(
        matches!(e, ApiError::Rule(DomainError::PermissionDenied { .. })),
        "{e:?}"
    );
    assert!(
        matches!(
            cw.duplicate_pairs(10),
            Err(ApiError::Rule(DomainError::PermissionDenied { .. }))
        ),
        "the vault's pairs are a supervisor's list"
    );
    assert!(matches!(
        cw.merge_persons(person_id, person_id),
        Err(ApiError::Rule(DomainError::PermissionDenied { .. }))
    ));
}

#[test]
fn merging_moves_every_case_and_undo_brings_the_person_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let mut s = vault(&dir);
    let a_case = s
        .create_case(
            person("李芳", Sex::Female, "2005-04-02", false, "新华街道"),
            case("2024-06-01"),
        )
        .unwrap()
        .value;
    let mut lifang = person("李方", Sex::Female, "2005-04-02", false, "新华街道");
    lifang.other_names = vec!["阿芳".into()];
    let b_case = s.create_case(lifang, case("2026-10-01")).unwrap().value;
    s.add_record(
        b_case,
        RecordBody::Note(Note {
            date: d("2026-10-02"),
            text: "第二次救助".into(),
        }),
    )
    .unwrap();
    let kept = person_of(&mut s, a_case).id;
    let absorbed = person_of(&mut s, b_case).id;

    let scan = s.duplicate_pairs(10).unwrap();
    assert_eq!(scan.pairs.len(), 1, "李芳 / 李方 is a pair: {scan:?}");
    assert!(scan.pairs[0].reasons.contains(&MatchReason::SamePinyin));

    let merged = s
        .merge_persons(kept, absorbed)
        .expect("the supervisor merges");
    assert_eq!(merged.cases_moved, 1);
    assert_eq!(merged.names_added, vec!["李方", "阿芳"]);
    let p = person_of(&mut s, b_case);
    assert_eq!(
        p.id, kept,
        "the absorbed person's case is the kept person's now"
    );
    assert_eq!(p.other_names, vec!["李方", "阿芳"]);
    assert_eq!(s.person_cases(kept).unwrap().len(), 2);
    let view = s.case_view(&b_case.to_string(), d("2026-11-29")).unwrap();
    assert_eq!(view.records.len(), 1, "the records travel with the case");
    assert!(
        view.history
            .iter()
            .any(|h| h.changes.iter().any(|c| c.field == "person_id")),
        "the move is in the case's history"
    );
    assert!(
        s.duplicate_pairs(10).unwrap().pairs.is_empty(),
        "one person: no pair left"
    );
    let audit = s.audit(None, None, None, None, 50).unwrap();
    assert!(audit.iter().any(|e| e.action == "persons_merged"));
    let listed = s.merges(10).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].absorbed_name.as_deref(), Some("李方"));
    assert_eq!(
        listed[0].kept_name.as_deref(),
        Some("李芳"),
        "the merge names who was kept"
    );
    assert_eq!(
        listed[0].case_numbers,
        vec![view.case.case_number.clone()],
        "and the case numbers that moved"
    );

    s.undo_merge(merged.merge_id.parse().unwrap())
        .expect("the merge is undone");
    let back = person_of(&mut s, b_case);
    assert_eq!(back.id, absorbed, "the case is the absorbed person's again");
    assert_eq!(back.name.as_deref(), Some("李方"));
    assert_eq!(back.other_names, vec!["阿芳"]);
    let kept_again = person_of(&mut s, a_case);
    assert!(
        kept_again.other_names.is_empty(),
        "the names the merge added are gone"
    );
    assert_eq!(
        s.duplicate_pairs(10).unwrap().pairs.len(),
        1,
        "the pair is back"
    );
    let e = s
        .undo_merge(merged.merge_id.parse().unwrap())
        .expect_err("a merge is undone once");
    assert_eq!(e.problem().code(), "vault.merge_undone");
    assert!(
        s.audit(None, None, None, None, 50)
            .unwrap()
            .iter()
            .any(|e| e.action == "merge_undone")
    );
}

#[test]
fn an_import_waits_for_a_decision_on_each_possible_duplicate() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = vault(&tmp.path().join("vault"));
    let mut stored = person("王秀英", Sex::Female, "1949-12-31", false, "城关镇");
    stored.resident_id = Some("11010519491231002X".into());
    let stored_case = s.create_case(stored, case("2025-01-10")).unwrap().value;
    let stored_id = person_of(&mut s, stored_case).id;

    // Another office's file: the same woman with her old 15-digit number, and a stranger.
    let (mut other, _) = Session::create(
        &tmp.path().join("other"),
        "外区",
        &secret(),
        &KdfParams::insecure_for_tests(),
    )
    .unwrap();
    let mut again = person("王秀瑛", Sex::Female, "1949-12-31", false, "东城街道");
    again.resident_id = Some("110105491231002".into());
    other.create_case(again, case("2026-09-01")).unwrap();
    other
        .create_case(
            person("赵明", Sex::Male, "1980-01-01", false, "城关镇"),
            case("2026-09-02"),
        )
        .unwrap();
    let file = other.export_json("test").unwrap();

    let e = s
        .import_json(file.as_bytes(), "test")
        .expect_err("an undecided duplicate refuses the file");
    assert!(
        matches!(
            e,
            ApiError::Import(ImportError::UndecidedDuplicates { count: 1 })
        ),
        "{e:?}"
    );
    assert_eq!(s.case_count().unwrap(), 1, "nothing was written");
    let preview = s.check_import(file.as_bytes()).unwrap();
    assert_eq!(preview.duplicates.len(), 1, "{preview:?}");
    let dup = &preview.duplicates[0];
    assert_eq!(dup.file_name.as_deref(), Some("王秀瑛"));
    assert_eq!(dup.candidate.person.person_id, stored_id.to_string());
    assert!(
        dup.candidate.reasons.contains(&MatchReason::SameResidentId),
        "the 15-digit number is the 18-digit one: {dup:?}"
    );
    let file_person: Uuid = dup.file_person.parse().unwrap();

    let report = s
        .import_json_deciding(
            file.as_bytes(),
            "test",
            &ImportDecisions {
                same: vec![(file_person, stored_id)],
                ..Default::default()
            },
        )
        .expect("decided, the file imports");
    assert_eq!(report.linked, 1);
    assert_eq!(report.counts.persons, 1, "only 赵明 is a new person");
    assert_eq!(report.counts.cases, 2);
    assert_eq!(s.person_cases(stored_id).unwrap().len(), 2);
    let p = person_of(&mut s, stored_case);
    assert!(p.other_names.contains(&"王秀瑛".to_owned()), "{p:?}");
}

#[test]
fn an_import_decided_all_different_remembers_each_pair() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = vault(&tmp.path().join("vault"));
    let c = s
        .create_case(
            person("刘洋", Sex::Male, "2001-07-01", true, "城关镇"),
            case("2025-01-10"),
        )
        .unwrap()
        .value;
    let stored = person_of(&mut s, c).id;
    let (mut other, _) = Session::create(
        &tmp.path().join("other"),
        "外区",
        &secret(),
        &KdfParams::insecure_for_tests(),
    )
    .unwrap();
    other
        .create_case(
            person("柳洋", Sex::Male, "2001-07-01", true, "城关镇"),
            case("2026-09-01"),
        )
        .unwrap();
    let file = other.export_json("test").unwrap();
    let report = s
        .import_json_deciding(
            file.as_bytes(),
            "test",
            &ImportDecisions {
                all_different: true,
                ..Default::default()
            },
        )
        .expect("imported as a different person");
    assert_eq!(report.not_duplicates, 1);
    assert_eq!(report.counts.persons, 1);
    assert!(
        s.duplicate_pairs(10).unwrap().pairs.is_empty(),
        "刘洋 / 柳洋 was decided: not listed again"
    );
    let stored_person = person_of(&mut s, c);
    assert_eq!(stored_person.id, stored);
    assert!(
        s.duplicate_candidates(stored_person, None)
            .unwrap()
            .is_empty(),
        "柳洋 is not proposed for 刘洋 again"
    );
}
