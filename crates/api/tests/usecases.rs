//! Use cases end to end on a real (encrypted) vault in a temporary directory.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use chrono::NaiveDate;
use guitu_api::{ApiError, DueState, KdfParams, Secret, Session};
use guitu_domain::model::*;
use guitu_domain::rules::id3m::Id3mStatus;
use uuid::Uuid;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

fn session(dir: &tempfile::TempDir) -> Session {
    let pass = Secret::new("test-passphrase-1".into());
    Session::create(
        &dir.path().join("vault"),
        "张敏",
        &pass,
        &KdfParams::insecure_for_tests(),
    )
    .expect("a vault can be created in a fresh directory")
    .0
}

fn unknown_minor() -> Person {
    Person {
        id: Uuid::nil(),
        intake_number: Some("JS2025-118".into()),
        sex: Sex::Female,
        birth_date: Some(BirthDate {
            date: d("2014-06-01"),
            estimated: true,
        }),
        found_place: Some("龙水镇".into()),
        ..Default::default()
    }
}

fn case_received(date: &str) -> Case {
    Case {
        id: Uuid::nil(),
        case_number: String::new(),
        person_id: Uuid::nil(),
        institution: "大足区未成年人救助保护中心".into(),
        institution_kind: InstitutionKind::MinorProtectionCentre,
        received_date: d(date),
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: "张敏".into(),
        flags: CaseFlags::default(),
        stage: Stage::Identity,
    }
}

fn new_case(s: &mut Session, person: Person, received: &str) -> Uuid {
    s.create_case(person, case_received(received))
        .expect("a valid case is saved")
        .value
}

#[test]
fn an_unidentified_minor_received_2025_11_30_is_due_2026_02_28_and_enters_the_track() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let id = new_case(&mut s, unknown_minor(), "2025-11-30");
    let case = s
        .find_case(&id.to_string())
        .expect("the case is found by id");
    assert_eq!(
        case.case_number, "DZ-2025-0001",
        "numbers come from the configured prefix and the received year"
    );
    assert!(
        case.flags.minor,
        "an 11-year-old is flagged minor from the birth date"
    );

    let view = s
        .case_view(&case.case_number, d("2026-02-20"))
        .expect("view");
    assert!(
        matches!(view.id3m, Id3mStatus::Pending { due, days_left: 8, warning_lead: Some(14) } if due == d("2026-02-28")),
        "due = received + 3 months clamped to February's end, inside the 14-day lead: {:?}",
        view.id3m
    );
    let report = s.due(d("2026-02-20")).expect("due report");
    assert!(
        report.items.iter().any(|i| i.case_id == id
            && i.deadline.state == DueState::DueSoon
            && i.deadline.due == d("2026-02-28")),
        "the due report lists the case as due soon: {:?}",
        report.items
    );

    let report = s.due(d("2026-03-02")).expect("due report");
    let steps: Vec<_> = report.items.iter().filter(|i| i.case_id == id).collect();
    assert_eq!(
        steps.len(),
        5,
        "after the line the five steps of the track are pending: {steps:?}"
    );

    s.add_record(
        id,
        RecordBody::TrackStep(TrackStepRecord {
            step: TrackStep::HouseholdRegistration,
            date: d("2026-03-05"),
            by: "张敏".into(),
            notes: Some("已向公安提交入户申请审批表".into()),
        }),
    )
    .expect("a track step is saved");
    let view = s
        .case_view(&case.case_number, d("2026-03-06"))
        .expect("view");
    match &view.id3m {
        Id3mStatus::Triggered {
            steps,
            complete: false,
            ..
        } => {
            assert_eq!(
                steps[0].done,
                Some(d("2026-03-05")),
                "the recorded step is dated"
            );
            assert_eq!(steps[0].by.as_deref(), Some("张敏"), "and attributed");
        }
        other => panic!("the track is running: {other:?}"),
    }

    // Identity found later: the track is closed with a reason, never deleted.
    s.add_record(
        id,
        RecordBody::IdentityAttempt(IdentityAttempt {
            date: d("2026-04-01"),
            method: IdentityMethod::PoliceBloodSample,
            outcome: IdentityOutcome::Verified,
            verified_date: Some(d("2026-04-10")),
            police_reference: Some("DZGA-CX-2026-00007".into()),
            notes: None,
        }),
    )
    .expect("identity attempt saved");
    let view = s
        .case_view(&case.case_number, d("2026-04-11"))
        .expect("view");
    assert!(
        matches!(&view.id3m, Id3mStatus::Closed { closed_on, steps, .. } if *closed_on == d("2026-04-10") && steps[0].done.is_some()),
        "late identification closes the track and keeps its steps: {:?}",
        view.id3m
    );
    assert!(
        s.due(d("2026-04-11"))
            .expect("due")
            .items
            .iter()
            .all(|i| i.case_id != id),
        "a closed track has nothing due"
    );
}

#[test]
fn green_channel_due_dates_skip_the_national_day_holiday() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let id = new_case(&mut s, unknown_minor(), "2026-09-01");
    let la = LegalAid::application(
        "大足区法律援助中心",
        "刑事附带民事诉讼代理",
        d("2026-09-30"),
    );
    s.add_record(id, RecordBody::LegalAid(la))
        .expect("legal aid saved");
    let view = s.case_view(&id.to_string(), d("2026-09-30")).expect("view");
    let steps = &view.legal_aid[0].status.steps;
    assert_eq!(
        steps[0].due,
        Some(d("2026-09-30")),
        "green channel: accepted the same day"
    );
    assert_eq!(
        steps[1].due,
        Some(d("2026-10-10")),
        "decide within 3 working days: 10-01..10-07 are holidays, 10-08, 10-09 and the make-up Saturday 10-10 count"
    );
    let report = s.due(d("2026-10-12")).expect("due");
    assert!(
        report.items.iter().any(|i| i.case_id == id
            && i.deadline.what.rule() == "R-LA-GC"
            && i.deadline.state == DueState::Overdue),
        "on 10-12 acceptance and decision are overdue: {:?}",
        report.items
    );
}

fn assert_rule(err: ApiError, code: &str) {
    assert_eq!(
        err.code(),
        code,
        "distinct error code for a distinct mistake: {err}"
    );
    let has_han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let zh = guitu_text::problem(&err.problem(), guitu_text::Lang::Zh);
    assert!(has_han(&zh), "the Chinese text is Chinese: {zh}");
    let en = guitu_text::problem(&err.problem(), guitu_text::Lang::En);
    assert!(
        !has_han(&en) && !en.is_empty(),
        "the English text has no Chinese: {en}"
    );
}

#[test]
fn each_bad_input_is_refused_with_its_own_code_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let mut bad_id = unknown_minor();
    bad_id.resident_id = Some("110105194912310021".into());
    assert_rule(
        s.create_case(bad_id, case_received("2026-01-05"))
            .expect_err("check character"),
        "rule.invalid_resident_id",
    );
    assert_eq!(
        s.case_count().expect("count"),
        0,
        "a refused case leaves nothing"
    );

    let id = new_case(&mut s, unknown_minor(), "2026-01-05");
    let before = s
        .case_view(&id.to_string(), d("2026-06-01"))
        .expect("view")
        .records
        .len();
    let stay = RecordBody::ShelterStay(ShelterStay {
        institution: "大足区救助管理站".into(),
        kind: ShelterKind::TemporaryGuardianship,
        admitted: d("2026-01-05"),
        discharged: Some(d("2026-01-04")),
        reason: None,
    });
    assert_rule(
        s.add_record(id, stay).expect_err("discharge first"),
        "rule.end_before_start",
    );
    let buyer = RecordBody::Placement(Placement {
        kind: PlacementKind::Relatives,
        start: d("2026-03-01"),
        end: None,
        place: "某村".into(),
        carer: CarerRelation::PurchasingFamily,
        decided_by: "张敏".into(),
        supervisor_approval: None,
        district_approval: None,
        notes: None,
    });
    assert_rule(
        s.add_record(id, buyer).expect_err("R-PL-BUYER"),
        "rule.placement_with_buyer",
    );
    let job = RecordBody::Employment(Employment {
        date: d("2026-06-01"),
        service: EmploymentService::Training,
        provider: "大足区就业和人才服务局".into(),
        wanted: true,
        notes: None,
    });
    assert_rule(
        s.add_record(id, job).expect_err("R-EMP-16: 11 years old"),
        "rule.employment_under_16",
    );
    let after = s
        .case_view(&id.to_string(), d("2026-06-01"))
        .expect("view")
        .records
        .len();
    assert_eq!(before, after, "refused records are not saved");
}

#[test]
fn a_child_welfare_placement_is_saved_with_guidance_for_unknown_parents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let id = new_case(&mut s, unknown_minor(), "2026-01-05");
    let view = s.case_view(&id.to_string(), d("2026-01-06")).expect("view");
    assert_eq!(
        view.guidance,
        guitu_domain::rules::placement::UnknownParentsGuidance::TemporaryGuardianship,
        "R-PL-UNKNOWN: a minor with unknown parents goes to temporary guardianship first"
    );
    let placement = Placement {
        kind: PlacementKind::ChildWelfare,
        start: d("2026-05-01"),
        end: None,
        place: "大足区儿童福利院".into(),
        carer: CarerRelation::Institution,
        decided_by: "张敏".into(),
        supervisor_approval: Some(Approval {
            by: "赵科长".into(),
            date: d("2026-04-28"),
        }),
        district_approval: None,
        notes: None,
    };
    let saved = s
        .add_record(id, RecordBody::Placement(placement))
        .expect("a child-welfare placement is lawful");
    assert!(
        saved
            .warnings
            .contains(&guitu_domain::Warning::DistrictApprovalNeeded),
        "after the three-month line the placement needs district approval (R-ID-3M): {:?}",
        saved.warnings
    );
}

#[test]
fn edits_are_kept_in_the_history_with_old_and_new_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let id = new_case(&mut s, unknown_minor(), "2026-01-05");
    let note = s
        .add_record(
            id,
            RecordBody::Note(Note {
                date: d("2026-01-06"),
                text: "入站时情绪紧张".into(),
            }),
        )
        .expect("note")
        .value;
    s.update_record(
        note.id,
        RecordBody::Note(Note {
            date: d("2026-01-06"),
            text: "入站时情绪紧张，已安排社工陪伴".into(),
        }),
    )
    .expect("edit");
    let view = s.case_view(&id.to_string(), d("2026-01-07")).expect("view");
    let edit = view
        .history
        .iter()
        .find(|h| {
            h.action == guitu_api::HistoryAction::Update && h.entity_id == note.id.to_string()
        })
        .expect("the edit is in the history");
    assert_eq!(edit.actor, "张敏", "attributed to the user");
    assert_eq!(edit.changes.len(), 1, "only the text changed");
    assert_eq!(edit.changes[0].field, "text");
    assert_eq!(edit.changes[0].old, serde_json::json!("入站时情绪紧张"));
    let audit = s.audit_recent(5).expect("audit");
    assert_eq!(
        audit[0].action, "view",
        "showing a full case is logged (R-PRIV)"
    );
}

#[test]
fn export_import_export_round_trips_and_covers_every_record_kind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let demo = guitu_api::demo::generate(120, 11, d("2026-11-28"));
    let kinds: std::collections::BTreeSet<_> = demo.records.iter().map(|r| r.body.kind()).collect();
    assert_eq!(
        kinds.len(),
        RecordKind::ALL.len(),
        "demo data has every record kind: {kinds:?}"
    );
    let bytes = serde_json::to_vec(&demo).expect("json");
    s.import_json(&bytes, "test")
        .expect("demo data passes every rule");
    let first = s.export_json("test").expect("export");

    let dir2 = tempfile::tempdir().expect("tempdir");
    let mut s2 = session(&dir2);
    s2.import_json(first.as_bytes(), "test")
        .expect("an export imports into an empty vault");
    let second = s2.export_json("test").expect("export");
    assert!(
        first == second,
        "export → import → export gives the same data"
    );
    let report = s2.due(d("2026-11-28")).expect("due");
    assert!(
        report
            .items
            .iter()
            .any(|i| i.deadline.state == DueState::Overdue && i.deadline.what.rule() == "R-ID-3M"),
        "some demo cases are past the three-month line"
    );
}

#[test]
fn an_import_with_one_bad_record_writes_nothing_and_names_the_record_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let mut demo = guitu_api::demo::generate(20, 3, d("2026-11-28"));
    let victim = demo
        .records
        .iter_mut()
        .find(|r| matches!(r.body, RecordBody::ShelterStay(_)))
        .expect("a stay");
    if let RecordBody::ShelterStay(st) = &mut victim.body {
        st.discharged = Some(st.admitted - chrono::Duration::days(1));
    }
    let bad_id = victim.id;
    let err = s
        .import_json(&serde_json::to_vec(&demo).expect("json"), "test")
        .expect_err("one bad record refuses the file");
    assert_eq!(err.code(), "import.rule");
    match err.problem() {
        guitu_api::Problem::ImportRule { at, error } => {
            assert_eq!(at.list, "records");
            assert_eq!(
                at.id.as_deref(),
                Some(bad_id.to_string().as_str()),
                "the record is named"
            );
            assert_eq!(
                error.code(),
                "rule.end_before_start",
                "with the rule it breaks"
            );
            assert_eq!(
                error.field(),
                Some("shelter_stay.discharged"),
                "and the field"
            );
        }
        other => panic!("expected import.rule, got {other:?}"),
    }
    assert_eq!(
        s.case_count().expect("count"),
        0,
        "all or nothing: no case of the file was written"
    );
}

#[test]
fn import_format_errors_are_told_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let e = s
        .import_json(br#"{"format":"guitu","version":1,"persons":[{"id":"#, "t")
        .expect_err("truncated");
    assert_eq!(e.code(), "import.not_json");
    let e = s
        .import_json("这不是JSON".as_bytes(), "t")
        .expect_err("not json");
    assert_eq!(e.code(), "import.not_json");
    let e = s
        .import_json(
            br#"{"format":"guitu","version":1,"persons":[{"id":"019ad1c2-0000-7000-8000-000000000001","intake_number":"X","sex":"robot"}]}"#,
            "t",
        )
        .expect_err("unknown enum value");
    match e.problem() {
        guitu_api::Problem::ImportInvalid { path, problem } => {
            assert_eq!(path, "persons[0].sex", "the field is named");
            assert!(
                matches!(&problem, guitu_text::ImportProblem::UnknownValue { allowed } if allowed.contains(&"female".to_owned())),
                "with the allowed values: {problem:?}"
            );
        }
        other => panic!("expected import.invalid, got {other:?}"),
    }
    let e = s
        .import_json(br#"{"format":"guitu","version":9}"#, "t")
        .expect_err("future version");
    assert_eq!(e.code(), "import.format");
    let two = br#"{"format":"guitu","version":1}{"format":"guitu","version":1}"#;
    let e = s.import_json(two, "t").expect_err("two documents");
    assert_eq!(
        e.code(),
        "import.trailing",
        "content after the document is refused"
    );
}

#[test]
fn the_documented_example_imports() {
    let doc = include_str!("../../../docs/import-format.md");
    let example = doc
        .split("## Example")
        .nth(1)
        .and_then(|s| s.split("```json").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("the doc has an example");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let counts = s
        .import_json(example.as_bytes(), "doc")
        .expect("docs/import-format.md's example is a valid file");
    let counts = counts.counts;
    assert_eq!((counts.persons, counts.cases, counts.records), (1, 1, 1));
}

#[test]
fn search_finds_two_character_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let mut p = unknown_minor();
    p.name = Some("李娜".into());
    let id = new_case(&mut s, p, "2026-01-05");
    let hits = s.search("李娜", 10).expect("search");
    assert_eq!(
        hits.len(),
        1,
        "a two-character name is found (trigram FTS alone would miss it)"
    );
    assert_eq!(hits[0].case_id, id.to_string());
}

fn visit(date: &str, next: Option<&str>) -> RecordBody {
    RecordBody::FollowUp(FollowUp {
        date: d(date),
        visitor: "张敏".into(),
        living_situation: "与父母同住，情绪稳定".into(),
        needs: vec![Need::Education],
        actions: None,
        mode: Some(VisitMode::Home),
        place: Some("龙水镇本人住所".into()),
        next_visit: next.map(d),
    })
}

#[test]
fn the_next_follow_up_visit_is_a_deadline_until_a_later_visit_is_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let id = new_case(&mut s, unknown_minor(), "2025-03-01");
    let first = s
        .add_record(id, visit("2025-06-01", Some("2025-09-01")))
        .expect("a visit planning the next one is saved")
        .value;
    let of_case = |r: &guitu_api::DueReport| -> Vec<(DueState, NaiveDate, i64)> {
        r.items
            .iter()
            .filter(|i| i.case_id == id && i.deadline.what.rule() == "R-FOLLOWUP")
            .map(|i| (i.deadline.state, i.deadline.due, i.deadline.days))
            .collect()
    };
    assert_eq!(
        of_case(&s.due(d("2025-08-01")).expect("due")),
        vec![],
        "a month ahead the planned visit is not yet listed"
    );
    assert_eq!(
        of_case(&s.due(d("2025-08-30")).expect("due")),
        vec![(DueState::DueSoon, d("2025-09-01"), 2)],
        "two days ahead it is due soon, like every deadline within the lead"
    );
    assert_eq!(
        of_case(&s.due(d("2025-09-05")).expect("due")),
        vec![(DueState::Overdue, d("2025-09-01"), -4)],
        "four days past it is overdue"
    );
    let board = s
        .dashboard(d("2025-08-20"), Some(false))
        .expect("dashboard");
    let day = board
        .next_30_days
        .iter()
        .find(|c| c.date == d("2025-09-01"))
        .expect("the chart covers 30 days");
    assert_eq!(
        (day.follow_up, day.id3m, day.legal_aid),
        (1, 0, 0),
        "the dashboard's chart counts the planned visit on its day"
    );

    // The visit is made (a few days late) and plans none: nothing is due any more.
    s.add_record(id, visit("2025-09-04", None))
        .expect("the later visit is saved");
    assert_eq!(
        of_case(&s.due(d("2025-09-05")).expect("due")),
        vec![],
        "a later visit ends the planned one"
    );

    // Editing the first visit to plan a date cannot bring it back: it is not the latest.
    s.update_record(first.id, visit("2025-06-01", Some("2025-09-03")))
        .expect("the earlier visit is edited");
    assert_eq!(
        of_case(&s.due(d("2025-09-05")).expect("due")),
        vec![],
        "only the latest visit's plan counts"
    );

    // A visit whose next visit is before the visit itself is refused.
    let err = s
        .add_record(id, visit("2025-09-10", Some("2025-09-01")))
        .expect_err("a next visit before the visit");
    assert_rule(err, "rule.end_before_start");
}

#[test]
fn the_flags_the_persons_data_decides_are_not_the_forms_to_tick() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = session(&dir);
    let adult = Person {
        id: Uuid::nil(),
        name: Some("陈秀英".into()),
        sex: Sex::Female,
        birth_date: Some(BirthDate {
            date: d("1983-03-14"),
            estimated: false,
        }),
        ..Default::default()
    };
    let mut case = case_received("2026-01-31");
    case.flags.minor = true;
    case.flags.cross_province = true;
    let id = s
        .create_case(adult.clone(), case)
        .expect("a valid case is saved")
        .value;
    let saved = s.find_case(&id.to_string()).expect("the case");
    assert!(
        !saved.flags.minor && saved.flags.woman,
        "born 1983: an adult woman, whatever the form ticked: {:?}",
        saved.flags
    );
    assert!(
        saved.flags.cross_province,
        "cross-province stays the caseworker's"
    );

    let mut edited = saved.clone();
    edited.flags.woman = false;
    edited.flags.cross_province = false;
    s.update_case(edited).expect("the case is saved");
    let again = s.find_case(&id.to_string()).expect("the case");
    assert!(
        again.flags.woman && !again.flags.cross_province,
        "an edit keeps the decided flag and takes the caseworker's: {:?}",
        again.flags
    );

    // The birth date was mistyped: she was 15 when received. The case follows the person.
    let mut stored = s
        .case_view(&id.to_string(), d("2026-02-01"))
        .expect("view")
        .person;
    stored.birth_date = Some(BirthDate {
        date: d("2010-06-01"),
        estimated: false,
    });
    s.update_person(stored).expect("the person is saved");
    let girl = s.find_case(&id.to_string()).expect("the case");
    assert!(
        girl.flags.minor && !girl.flags.woman,
        "a corrected birth date makes the case a minor's: {:?}",
        girl.flags
    );

    let facts = guitu_domain::rules::flags::FlagFacts::of(&adult, &again);
    let implied = Session::implied_flags(&facts);
    assert_eq!(
        (
            implied.minor,
            implied.woman,
            implied.disabled,
            implied.foreign
        ),
        (Some(false), Some(true), None, None),
        "what the form is shown: minor and woman decided, the rest the caseworker's"
    );
}
