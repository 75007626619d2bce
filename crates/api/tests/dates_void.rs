//! R-DATE (issue 12): dates that cannot lie — a done date after today is refused, a
//! likely mistake needs a confirmation — and voiding (作废): a record or a case entered
//! by mistake leaves the lists, deadlines and figures, stays in the history and the full
//! case file, and a supervisor restores it.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use chrono::{Days, Local, NaiveDate};
use guitu_api::{
    ApiError, CaseListQuery, CaseSort, DueState, DueWhat, HistoryAction, KdfParams, PrintKind,
    Secret, Session,
};
use guitu_domain::access::Role;
use guitu_domain::model::*;
use guitu_domain::{DomainError, Warning};
use uuid::Uuid;

/// Today as the use cases that save read it (the system clock: `GUITU_TODAY` is not set
/// in these tests).
fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).expect("a date")
}

fn days_ahead(n: u64) -> NaiveDate {
    today().checked_add_days(Days::new(n)).expect("a date")
}

fn secret() -> Secret {
    Secret::new("test-passphrase-1".into())
}

fn session(dir: &tempfile::TempDir) -> Session {
    Session::create(
        &dir.path().join("vault"),
        "刘主任",
        &secret(),
        &KdfParams::insecure_for_tests(),
    )
    .expect("a vault")
    .0
}

fn person() -> Person {
    Person {
        id: Uuid::nil(),
        intake_number: Some("JS-207".into()),
        sex: Sex::Female,
        birth_date: Some(BirthDate {
            date: NaiveDate::from_ymd_opt(2012, 6, 1).unwrap(),
            estimated: true,
        }),
        ..Default::default()
    }
}

/// An unidentified person received by an assistance station a year ago: R-ID-3M's track
/// has triggered and its first step is overdue.
fn case(received: NaiveDate, caseworker: &str) -> Case {
    Case {
        id: Uuid::nil(),
        case_number: String::new(),
        person_id: Uuid::nil(),
        institution: "区救助管理站".into(),
        institution_kind: InstitutionKind::AssistanceStation,
        received_date: received,
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: caseworker.into(),
        flags: CaseFlags::default(),
        stage: Stage::Identity,
    }
}

fn step_done(on: NaiveDate) -> RecordBody {
    RecordBody::TrackStep(TrackStepRecord {
        step: TrackStep::HouseholdRegistration,
        date: on,
        by: "刘主任".into(),
        notes: None,
    })
}

/// Whether `guitu due` lists the first track step of `case` as overdue.
fn step_one_overdue(s: &Session, case: Uuid) -> bool {
    s.due(today())
        .expect("due")
        .in_state(DueState::Overdue)
        .any(|i| {
            i.case_id == case
                && i.deadline.what
                    == DueWhat::Id3mStep {
                        step: TrackStep::HouseholdRegistration,
                    }
        })
}

fn list(s: &Session) -> u32 {
    s.list_cases(
        &CaseListQuery {
            query: String::new(),
            stage: None,
            active: false,
            flags: vec![],
            caseworker: None,
            institution: None,
            sort: CaseSort::CaseNumber,
            descending: false,
            offset: 0,
            limit: 100,
        },
        today(),
    )
    .expect("list")
    .total
}

#[test]
fn a_step_done_after_today_is_refused_and_the_deadline_stays_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    let id = s
        .create_case(person(), case(days_ago(365), "刘主任"))
        .unwrap()
        .value;
    assert!(step_one_overdue(&s, id), "a year on, step 1 is overdue");
    let refused = s.add_record(id, step_done(days_ahead(91)));
    assert!(
        matches!(&refused, Err(ApiError::Rule(DomainError::DateAfterToday { field, today: t }))
            if field == "track_step.date" && *t == today()),
        "a step done after today is refused by its field: {refused:?}"
    );
    assert!(
        step_one_overdue(&s, id),
        "the refused typo must not take the step off the overdue list"
    );
    assert!(
        s.case_view(&id.to_string(), today())
            .unwrap()
            .records
            .is_empty(),
        "nothing was saved"
    );
    assert!(
        s.add_record(id, step_done(today())).is_ok(),
        "done today is a true date"
    );
}

#[test]
fn a_record_before_intake_or_an_unlikely_birth_date_is_saved_only_when_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    let id = s
        .create_case(person(), case(days_ago(30), "刘主任"))
        .unwrap()
        .value;
    let note = RecordBody::Note(Note {
        date: days_ago(40),
        text: "接收前公安来电".into(),
    });
    let first = s.add_record(id, note.clone());
    let expected = Warning::BeforeIntake {
        field: "note.date".into(),
        received: days_ago(30),
    };
    assert!(
        matches!(&first, Err(ApiError::Rule(DomainError::ConfirmationNeeded { warnings })) if warnings == &vec![expected.clone()]),
        "unconfirmed, the save asks for a confirmation: {first:?}"
    );
    assert!(
        s.case_view(&id.to_string(), today())
            .unwrap()
            .records
            .is_empty(),
        "and writes nothing"
    );
    let saved = s
        .add_record_confirmed(id, note, true)
        .expect("confirmed, it saves");
    assert_eq!(saved.warnings, vec![expected], "with its warning");

    let mut unborn = person();
    unborn.birth_date = Some(BirthDate {
        date: days_ahead(10),
        estimated: false,
    });
    let count = s.case_count().unwrap();
    assert!(
        matches!(
            s.create_case(unborn.clone(), case(days_ago(1), "刘主任")),
            Err(ApiError::Rule(DomainError::ConfirmationNeeded { .. }))
        ),
        "a birth date in the future needs a confirmation"
    );
    assert_eq!(s.case_count().unwrap(), count, "nothing was written");
    let created = s
        .create_case_confirmed(unborn, case(days_ago(1), "刘主任"), true)
        .expect("confirmed");
    assert_eq!(created.warnings, vec![Warning::BirthDateInFuture]);

    assert!(
        matches!(
            s.create_case(person(), case(days_ahead(1), "刘主任")),
            Err(ApiError::Rule(DomainError::DateAfterToday { field, .. })) if field == "case.received_date"
        ),
        "a case is not received tomorrow"
    );
}

#[test]
fn a_voided_record_leaves_the_deadlines_stays_in_history_and_file_and_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    let id = s
        .create_case(person(), case(days_ago(365), "刘主任"))
        .unwrap()
        .value;
    let mistaken = s.add_record(id, step_done(today())).unwrap().value;
    assert!(
        !step_one_overdue(&s, id),
        "recorded as done, the step leaves the list"
    );

    assert!(
        matches!(s.void_record(mistaken.id, "  "), Err(ApiError::Rule(DomainError::Required { field })) if field == "void.reason"),
        "a reason is required"
    );
    s.void_record(mistaken.id, "误登记：公安尚未受理")
        .expect("voided");
    assert!(
        step_one_overdue(&s, id),
        "voided, the step is overdue again"
    );
    let view = s.case_view(&id.to_string(), today()).unwrap();
    assert!(
        view.records.is_empty(),
        "the voided record leaves the records"
    );
    assert_eq!(view.voided_records.len(), 1);
    let v = &view.voided_records[0];
    assert_eq!(v.record.id, mistaken.id);
    assert_eq!(v.void.reason, "误登记：公安尚未受理");
    assert_eq!(v.void.by, "刘主任");
    assert!(
        view.history
            .iter()
            .any(|h| h.action == HistoryAction::Void && h.entity_id == mistaken.id.to_string()),
        "voiding is in the change history"
    );
    assert!(
        matches!(
            s.update_record(mistaken.id, step_done(today())),
            Err(ApiError::Store(guitu_api::StoreError::Invalid(
                guitu_store::Invalid::Voided
            )))
        ),
        "a voided record is not edited"
    );
    let pdf = s.print(&id.to_string(), PrintKind::Full, None, None, today());
    assert!(pdf.is_ok(), "the full file prints with the voided record");

    s.restore_record(mistaken.id)
        .expect("a supervisor restores");
    assert!(!step_one_overdue(&s, id), "restored, the step counts again");
    let view = s.case_view(&id.to_string(), today()).unwrap();
    assert_eq!(view.records.len(), 1);
    assert!(view.voided_records.is_empty());
    assert!(
        view.history
            .iter()
            .any(|h| h.action == HistoryAction::Restore),
        "restoring is in the change history"
    );
    let audit: Vec<String> = s
        .audit_recent(20)
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(
        audit.contains(&"record_voided".to_owned())
            && audit.contains(&"record_restored".to_owned()),
        "both acts are audit entries: {audit:?}"
    );
}

#[test]
fn a_voided_case_leaves_lists_search_deadlines_counts_report_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    let mut named = person();
    named.name = Some("王秀英".into());
    let id = s
        .create_case(named, case(days_ago(365), "刘主任"))
        .unwrap()
        .value;
    let number = s.find_case(&id.to_string()).unwrap().case_number;
    assert_eq!(list(&s), 1);
    assert!(step_one_overdue(&s, id));
    let year = days_ago(365)
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap();
    let before = serde_json::to_string(&s.annual_report(year, today()).unwrap()).unwrap();

    s.void_case(&number, "重复录入").expect("voided");
    assert_eq!(list(&s), 0, "the case list leaves it out");
    assert_eq!(s.case_count().unwrap(), 0, "and the count");
    assert!(
        s.search("王秀英", 10).unwrap().is_empty(),
        "search finds it no more"
    );
    assert!(!step_one_overdue(&s, id), "its deadlines are gone");
    assert!(
        s.due(today()).unwrap().items.is_empty(),
        "no deadline of a voided case"
    );
    let after = serde_json::to_string(&s.annual_report(year, today()).unwrap()).unwrap();
    assert_ne!(before, after, "the annual report counts it no more");
    let export = s.export_json("export.json").expect("export");
    assert!(!export.contains(&number), "the export leaves it out");
    let voided = s.voided_cases().unwrap();
    assert_eq!(voided.len(), 1);
    assert_eq!(voided[0].case_number, number);
    assert_eq!(voided[0].void.reason, "重复录入");
    let view = s
        .case_view(&number, today())
        .expect("a supervisor still opens it");
    assert_eq!(
        view.void.as_ref().map(|v| v.reason.as_str()),
        Some("重复录入")
    );

    s.restore_case(&number).expect("restored");
    assert_eq!(list(&s), 1);
    assert!(step_one_overdue(&s, id));
    assert_eq!(s.search("王秀英", 10).unwrap().len(), 1);
}

#[test]
fn a_caseworker_voids_her_own_records_and_only_a_supervisor_restores() {
    let dir = tempfile::tempdir().unwrap();
    let mut boss = session(&dir);
    boss.add_user(
        "王芳",
        &[Role::Caseworker],
        None,
        &secret(),
        &KdfParams::insecure_for_tests(),
    )
    .unwrap();
    let id = boss
        .create_case(person(), case(days_ago(365), "王芳"))
        .unwrap()
        .value;
    let other = boss
        .create_case(person(), case(days_ago(365), "刘主任"))
        .unwrap()
        .value;
    let mine = boss.add_record(id, step_done(today())).unwrap().value;
    let theirs = boss.add_record(other, step_done(today())).unwrap().value;
    drop(boss);

    let mut wang = Session::open_as(&dir.path().join("vault"), "王芳", &secret()).unwrap();
    assert!(
        matches!(
            wang.void_record(theirs.id, "错"),
            Err(ApiError::Rule(DomainError::PermissionDenied { .. }))
        ),
        "not her case"
    );
    wang.void_record(mine.id, "误登记").expect("her own case");
    assert!(
        matches!(
            wang.restore_record(mine.id),
            Err(ApiError::Rule(DomainError::PermissionDenied { .. }))
        ),
        "restoring is a supervisor's"
    );
    assert!(
        matches!(
            wang.voided_cases(),
            Err(ApiError::Rule(DomainError::PermissionDenied { .. }))
        ),
        "so is the list of voided cases"
    );
    drop(wang);
    let mut boss = Session::open_as(&dir.path().join("vault"), "刘主任", &secret()).unwrap();
    boss.restore_record(mine.id)
        .expect("the supervisor restores");
    assert!(
        matches!(
            boss.restore_record(mine.id),
            Err(ApiError::Store(guitu_api::StoreError::Invalid(
                guitu_store::Invalid::NotVoided
            )))
        ),
        "twice is nothing to restore"
    );
}
