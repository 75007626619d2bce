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

    let all = s.list_cases(&query("")).unwrap();
    assert_eq!(all.total, 6, "every case without a filter");
    let numbers: Vec<&str> = all.rows.iter().map(|r| r.case_number.as_str()).collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted, "ordered by case number");

    let mut minors = query("");
    minors.flags = vec![CaseFlag::Minor];
    let m = s.list_cases(&minors).unwrap();
    assert_eq!(
        m.total, 3,
        "the minor flag is derived from the birth date and filters"
    );
    assert!(m.rows.iter().all(|r| r.flags.minor), "only minors listed");

    let mut by_stage = query("");
    by_stage.stage = Some(Stage::Intake);
    by_stage.caseworker = Some("刘洋".into());
    let st = s.list_cases(&by_stage).unwrap();
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
    let i = s.list_cases(&inst).unwrap();
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
    let p = s.list_cases(&page).unwrap();
    assert_eq!(p.total, 6, "the total counts every match, not the page");
    assert_eq!(p.rows.len(), 2, "a page holds `limit` rows");

    let found = s.list_cases(&query("李娜")).unwrap();
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
    let f = s.list_cases(&found_minor_intake).unwrap();
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
    assert_eq!(s.list_cases(&closed).unwrap().total, 1);
    let row = s.list_cases(&query("钱红")).unwrap().rows.remove(0);
    let mut c = s.find_case(&row.case_number).unwrap();
    c.stage = Stage::Closed;
    c.flags.cross_province = true;
    c.institution = "城东站".into();
    s.update_case(c).unwrap();
    assert_eq!(
        s.list_cases(&closed).unwrap().total,
        2,
        "the new stage is listed"
    );
    let mut cross = query("");
    cross.flags = vec![CaseFlag::CrossProvince, CaseFlag::Minor];
    let x = s.list_cases(&cross).unwrap();
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
    let dash = s.dashboard(d("2026-03-20")).unwrap();
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
