//! What the desktop app asks of the API: the case list (search, filters, order, pages),
//! its filter values, and the dashboard.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use chrono::NaiveDate;
use guitu_api::{CaseListQuery, CaseSort, DueState, KdfParams, Secret, Session};
use guitu_domain::model::*;
use uuid::Uuid;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

fn session(dir: &tempfile::TempDir) -> Session {
    Session::create(
        &dir.path().join("vault"),
        "张敏",
        &Secret::new("test-passphrase-1".into()),
        &KdfParams::insecure_for_tests(),
    )
    .expect("vault")
    .0
}

fn person(name: &str, born: &str) -> Person {
    Person {
        id: Uuid::nil(),
        name: Some(name.into()),
        sex: Sex::Female,
        birth_date: Some(BirthDate {
            date: d(born),
            estimated: false,
        }),
        ..Default::default()
    }
}

fn case(received: &str, caseworker: &str, institution: &str, stage: Stage) -> Case {
    Case {
        id: Uuid::nil(),
        case_number: String::new(),
        person_id: Uuid::nil(),
        institution: institution.into(),
        institution_kind: InstitutionKind::AssistanceStation,
        received_date: d(received),
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: caseworker.into(),
        flags: CaseFlags::default(),
        stage,
    }
}

fn query(text: &str) -> CaseListQuery {
    CaseListQuery {
        query: text.into(),
        stage: None,
        active: false,
        flags: vec![],
        caseworker: None,
        institution: None,
        sort: CaseSort::CaseNumber,
        descending: false,
        offset: 0,
        limit: 100,
    }
}

/// Six cases: three minors (born 2012) and three adults, two caseworkers, two stations.
fn six_cases(s: &mut Session) {
    let rows = [
        (
            "李娜",
            "2012-03-01",
            "2026-01-05",
            "张敏",
            "城南站",
            Stage::Intake,
        ),
        (
            "王芳",
            "1990-03-01",
            "2026-02-05",
            "张敏",
            "城北站",
            Stage::Placement,
        ),
        (
            "李娜娜",
            "2012-05-01",
            "2026-03-05",
            "刘洋",
            "城南站",
            Stage::Intake,
        ),
        (
            "赵敏",
            "1985-03-01",
            "2026-04-05",
            "刘洋",
            "城北站",
            Stage::Closed,
        ),
        (
            "钱红",
            "2013-03-01",
            "2026-05-05",
            "张敏",
            "城南站",
            Stage::Identity,
        ),
        (
            "孙丽",
            "1995-03-01",
            "2026-06-05",
            "刘洋",
            "城北站",
            Stage::Intake,
        ),
    ];
    for (name, born, received, cw, inst, stage) in rows {
        s.create_case(person(name, born), case(received, cw, inst, stage))
            .expect("case saved");
    }
}

#[test]
fn the_case_list_filters_sorts_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    six_cases(&mut s);

    let all = s.list_cases(&query(""), d("2026-03-20")).unwrap();
    assert_eq!(all.total, 6, "every case without a filter");
    let numbers: Vec<&str> = all.rows.iter().map(|r| r.case_number.as_str()).collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted, "ordered by case number");

    let mut minors = query("");
    minors.flags = vec![CaseFlag::Minor];
    let m = s.list_cases(&minors, d("2026-03-20")).unwrap();
    assert_eq!(
        m.total, 3,
        "the minor flag is derived from the birth date and filters"
    );
    assert!(m.rows.iter().all(|r| r.flags.minor), "only minors listed");

    let mut by_stage = query("");
    by_stage.stage = Some(Stage::Intake);
    by_stage.caseworker = Some("刘洋".into());
    let st = s.list_cases(&by_stage, d("2026-03-20")).unwrap();
    let names: Vec<&str> = st
        .rows
        .iter()
        .map(|r| r.name.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        ["李娜娜", "孙丽"],
        "stage and caseworker filters combine"
    );

    let mut inst = query("");
    inst.institution = Some("城北站".into());
    inst.sort = CaseSort::ReceivedDate;
    inst.descending = true;
    let i = s.list_cases(&inst, d("2026-03-20")).unwrap();
    let dates: Vec<&str> = i.rows.iter().map(|r| r.received_date.as_str()).collect();
    assert_eq!(
        dates,
        ["2026-06-05", "2026-04-05", "2026-02-05"],
        "institution filter, newest received first"
    );

    let mut page = query("");
    page.sort = CaseSort::Name;
    page.offset = 2;
    page.limit = 2;
    let p = s.list_cases(&page, d("2026-03-20")).unwrap();
    assert_eq!(p.total, 6, "the total counts every match, not the page");
    assert_eq!(p.rows.len(), 2, "a page holds `limit` rows");

    let found = s.list_cases(&query("李娜"), d("2026-03-20")).unwrap();
    let names: Vec<&str> = found
        .rows
        .iter()
        .map(|r| r.name.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        names.len(),
        2,
        "a two-character name finds both 李娜 and 李娜娜: {names:?}"
    );
    let mut found_minor_intake = query("李娜");
    found_minor_intake.caseworker = Some("张敏".into());
    let f = s.list_cases(&found_minor_intake, d("2026-03-20")).unwrap();
    assert_eq!(f.total, 1, "a search combines with the filters");
    assert_eq!(f.rows[0].name.as_deref(), Some("李娜"));

    let facets = s.case_facets().unwrap();
    assert_eq!(
        facets.caseworkers,
        ["刘洋", "张敏"],
        "each caseworker once, sorted"
    );
    assert_eq!(
        facets.institutions,
        ["城北站", "城南站"],
        "each institution once, sorted"
    );
}

#[test]
fn a_case_edit_moves_it_between_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    six_cases(&mut s);
    let mut closed = query("");
    closed.stage = Some(Stage::Closed);
    assert_eq!(s.list_cases(&closed, d("2026-03-20")).unwrap().total, 1);
    let row = s
        .list_cases(&query("钱红"), d("2026-03-20"))
        .unwrap()
        .rows
        .remove(0);
    let mut c = s.find_case(&row.case_number).unwrap();
    c.stage = Stage::Closed;
    c.flags.cross_province = true;
    c.institution = "城东站".into();
    s.update_case(c).unwrap();
    assert_eq!(
        s.list_cases(&closed, d("2026-03-20")).unwrap().total,
        2,
        "the new stage is listed"
    );
    let mut cross = query("");
    cross.flags = vec![CaseFlag::CrossProvince, CaseFlag::Minor];
    let x = s.list_cases(&cross, d("2026-03-20")).unwrap();
    assert_eq!(x.total, 1, "flags set by an edit filter at once");
    assert!(
        s.case_facets()
            .unwrap()
            .institutions
            .contains(&"城东站".to_owned()),
        "an edited institution is offered as a filter"
    );
}

#[test]
fn the_dashboard_counts_stages_and_the_deadlines_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    six_cases(&mut s);
    // Received 2026-01-05 → R-ID-3M due 2026-04-05; on 2026-03-20 it is 16 days ahead:
    // outside the 14-day lead (not "due soon") but inside the 30-day chart.
    let dash = s.dashboard(d("2026-03-20"), Some(false)).unwrap();
    assert_eq!(dash.case_count, 6);
    let intake = dash
        .by_stage
        .iter()
        .find(|c| c.stage == Stage::Intake)
        .unwrap();
    assert_eq!(intake.count, 3, "three cases in intake");
    assert_eq!(
        dash.next_30_days.len(),
        31,
        "one entry per day, today included"
    );
    let on_due = dash
        .next_30_days
        .iter()
        .find(|day| day.date == d("2026-04-05"))
        .unwrap();
    assert!(
        on_due.id3m >= 1,
        "the three-month deadline of 2026-04-05 is in the chart"
    );
    assert!(
        dash.due
            .items
            .iter()
            .filter(|i| i.deadline.due == d("2026-04-05"))
            .all(|i| i.deadline.state == DueState::Pending),
        "16 days ahead is not yet due soon"
    );
    assert!(
        s.due(d("2026-03-20"))
            .unwrap()
            .items
            .iter()
            .all(|i| i.deadline.due != d("2026-04-05")),
        "`guitu due` lists only what the warning leads say"
    );
}

fn by_due(active: bool, descending: bool, offset: u32, limit: u32) -> CaseListQuery {
    CaseListQuery {
        active,
        sort: CaseSort::NextDue,
        descending,
        offset,
        limit,
        ..query("")
    }
}

fn names(list: &guitu_api::CaseList) -> Vec<String> {
    list.rows
        .iter()
        .map(|r| r.name.clone().unwrap_or_default())
        .collect()
}

#[test]
fn the_case_list_sorts_open_cases_by_their_nearest_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    six_cases(&mut s);
    // On 2026-09-01 the three-month lines of the cases received 01-05, 02-05, 03-05 and
    // 05-05 have passed (their first track steps are overdue, the earliest intake's most
    // of all); 孙丽's line (received 06-05) falls on 09-05, four days ahead; 赵敏's case is
    // closed.
    let today = d("2026-09-01");
    let open = s.list_cases(&by_due(true, false, 0, 50), today).unwrap();
    assert_eq!(
        open.total, 5,
        "the open cases only: the closed one is left out"
    );
    assert_eq!(
        names(&open),
        ["李娜", "王芳", "李娜娜", "钱红", "孙丽"],
        "the nearest deadline first: the longest overdue on top"
    );
    let first = open.rows[0]
        .next_due
        .expect("an overdue case has a nearest deadline");
    assert_eq!(first.nearest.state, DueState::Overdue);
    assert!(
        first.overdue >= 2,
        "all five steps of a line passed in April are open: {first:?}"
    );
    let last = open.rows[4].next_due.expect("a pending line is a deadline");
    assert_eq!(
        (last.nearest.due, last.nearest.state, last.nearest.days),
        (d("2026-09-05"), DueState::DueSoon, 4),
        "the three-month line four days ahead is due soon"
    );
    let all = s.list_cases(&by_due(false, false, 0, 50), today).unwrap();
    assert_eq!(
        names(&all).last().map(String::as_str),
        Some("赵敏"),
        "a case without an open deadline comes after those with one"
    );
    assert_eq!(all.rows[5].next_due, None, "a closed case has no deadline");
    let page = s.list_cases(&by_due(false, false, 4, 2), today).unwrap();
    assert_eq!(
        names(&page),
        ["孙丽", "赵敏"],
        "a page across the end of the dated cases continues with the rest"
    );
    let reversed = s.list_cases(&by_due(true, true, 0, 50), today).unwrap();
    assert_eq!(
        names(&reversed),
        ["孙丽", "钱红", "李娜娜", "王芳", "李娜"],
        "descending: the furthest deadline first"
    );
    let by_number = s.list_cases(&query(""), today).unwrap();
    assert!(
        by_number
            .rows
            .iter()
            .filter(|r| r.next_due.is_some())
            .count()
            == 5,
        "every order shows the nearest deadline of each row"
    );
    // The deadlines are kept between pages, and computed again after a change: closing
    // 钱红's case takes her out of the open cases and her deadlines with her.
    let number = open.rows[3].case_number.clone();
    let mut closed = s.find_case(&number).unwrap();
    closed.stage = Stage::Closed;
    s.update_case(closed).expect("a supervisor closes a case");
    let after = s.list_cases(&by_due(false, false, 0, 50), today).unwrap();
    let row = after.rows.iter().find(|r| r.case_number == number).unwrap();
    assert_eq!(
        row.next_due, None,
        "a case closed since the last page has no deadline"
    );
    assert_eq!(
        names(&s.list_cases(&by_due(true, false, 0, 50), today).unwrap()),
        ["李娜", "王芳", "李娜娜", "孙丽"]
    );
    let later = s
        .list_cases(&by_due(true, false, 0, 50), d("2026-09-06"))
        .unwrap();
    let sun = later.rows[3].next_due.expect("孙丽's track runs");
    assert_eq!(
        (later.rows[3].name.as_deref(), sun.nearest.what),
        (
            Some("孙丽"),
            guitu_api::DueWhat::Id3mStep {
                step: TrackStep::HouseholdRegistration
            }
        ),
        "another day, other deadlines: on 09-06 孙丽's line has passed and the track's first step is next"
    );
    assert!(sun.nearest.due > d("2026-09-05"));
}

#[test]
fn the_dashboard_groups_a_cases_steps_and_filters_to_my_cases() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(&dir);
    six_cases(&mut s);
    let today = d("2026-09-01");
    let mine = s.dashboard(today, None).unwrap();
    assert!(
        mine.can_choose_mine,
        "the vault's first user reaches every case"
    );
    assert!(mine.mine, "a user with cases of her own starts on them");
    let numbers = |dash: &guitu_api::Dashboard| -> Vec<String> {
        dash.cases.iter().map(|c| c.case_number.clone()).collect()
    };
    let mut unique = numbers(&mine);
    unique.dedup();
    assert_eq!(unique, numbers(&mine), "one row per case");
    let own = ["李娜", "王芳", "钱红"];
    assert_eq!(
        mine.cases.len(),
        3,
        "张敏's three cases: {:?}",
        numbers(&mine)
    );
    for c in &mine.cases {
        assert!(
            own.contains(&c.name.as_deref().unwrap_or("")),
            "{c:?} is 张敏's"
        );
    }
    let first = &mine.cases[0];
    assert_eq!(
        first.name.as_deref(),
        Some("李娜"),
        "the longest overdue first"
    );
    assert_eq!(
        first.due.overdue as usize,
        first
            .items
            .iter()
            .filter(|d| d.state == DueState::Overdue)
            .count(),
        "the row counts its overdue steps"
    );
    assert!(
        first.due.overdue >= 2,
        "several steps overdue in one row: {first:?}"
    );
    assert_eq!(
        mine.due
            .items
            .iter()
            .filter(|i| i.case_id == first.case_id && i.deadline.state == DueState::Overdue)
            .count(),
        first.due.overdue as usize,
        "the row holds every overdue step of the case in the report"
    );
    let all = s.dashboard(today, Some(false)).unwrap();
    assert!(!all.mine);
    assert!(
        all.cases
            .iter()
            .any(|c| c.name.as_deref() == Some("李娜娜")),
        "every case: 刘洋's too"
    );
    assert!(
        all.cases
            .iter()
            .any(|c| c.name.as_deref() == Some("孙丽") && c.due.nearest.state == DueState::DueSoon),
        "a line four days ahead is listed as due soon"
    );
}
