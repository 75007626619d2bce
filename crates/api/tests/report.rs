//! The annual report (R-ANNUAL) against a hand-written fixture: every expected figure
//! below is counted by hand from the cases written out in `fixture` (the comments say
//! how), never by the report's code. Also: who may make it, and its audit entries.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use chrono::{Datelike, NaiveDate, Utc};
use guitu_api::transfer::{FORMAT, TransferFile, VERSION};
use guitu_api::{ApiError, KdfParams, Secret, Session};
use guitu_domain::DomainError;
use guitu_domain::access::Role;
use guitu_domain::model::*;
use guitu_domain::report::{
    AgeBand, AnnualReport, Cell, ReportColumn, ReportLine, ReportSection, RowLabel, Share, Shown,
};
use guitu_domain::rules::legal_aid::LaStep;
use uuid::Uuid;

const PASS: &str = "correct horse battery staple";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

fn secret() -> Secret {
    Secret::new(PASS.into())
}

fn kdf() -> KdfParams {
    KdfParams::insecure_for_tests()
}

fn person(name: &str, sex: Sex, birth: Option<&str>) -> Person {
    Person {
        id: Uuid::nil(),
        name: Some(name.into()),
        sex,
        birth_date: birth.map(|b| BirthDate {
            date: d(b),
            estimated: false,
        }),
        ..Person::default()
    }
}

fn case(received: &str, kind: InstitutionKind, stage: Stage) -> Case {
    Case {
        id: Uuid::nil(),
        case_number: String::new(),
        person_id: Uuid::nil(),
        institution: "某救助机构".into(),
        institution_kind: kind,
        received_date: d(received),
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: "王芳".into(),
        flags: CaseFlags::default(),
        stage,
    }
}

fn add(s: &mut Session, id: Uuid, body: RecordBody) {
    s.add_record(id, body).expect("record saved");
}

fn new_case(s: &mut Session, p: Person, c: Case) -> Uuid {
    s.create_case(p, c).expect("case saved").value
}

/// Distinct two- and three-character names, none of which may reach a report.
const NAMES: [&str; 40] = [
    "赵一鸣",
    "钱二丫",
    "孙三妹",
    "李四娟",
    "周五妮",
    "吴六花",
    "郑七巧",
    "冯八珍",
    "陈九妹",
    "褚十娘",
    "卫丹丹",
    "蒋思思",
    "沈冰冰",
    "韩菲菲",
    "杨晶晶",
    "朱莉莉",
    "秦敏敏",
    "尤佳佳",
    "许慧慧",
    "何婷婷",
    "吕小强",
    "施小虎",
    "张小龙",
    "孔大山",
    "曹大海",
    "严大江",
    "华大河",
    "金大川",
    "魏大林",
    "陶某某",
    "姜秀兰",
    "戚秀英",
    "谢秀梅",
    "邹秀云",
    "喻春花",
    "柏夏荷",
    "水秋菊",
    "窦冬梅",
    "章玉兰",
    "云桂香",
];

/// The fixture, year 2026. Groups (the figures in `expected` are counted from these):
/// A 12 girls born 2010-05-01, received 2026-03-01 (15: minors), placed with their family
///   on 2026-04-01; six of them enrolled at school on 2026-09-01.
/// B 7 women born 1990-01-01, received 2026-02-10 (36), cross-province; a shelter stay
///   10–19 February (10 days); a green-channel legal-aid application on Monday 2026-03-02,
///   accepted that day, decided on 4 March (five, on time: due 5 March) or 10 March (two,
///   late), assigned the next working day (on time).
/// C 3 boys born 2021-01-01, received 2026-06-01 (5), placed in child welfare 2026-06-15.
/// D 6 men born 1960-06-01, received 2025-10-01 at an assistance station (65 on 1 January),
///   identity never found: the three-month line on 2026-01-01; step 1 done 2026-01-15 (on
///   time), the others never (overdue on 31 December); a shelter stay since 2025-10-01,
///   still open (365 days in 2026); a follow-up visit on 2026-05-05, two of them another
///   on 2026-09-09.
/// E 1 person, sex and birth unknown, received 2026-07-07.
/// F 1 woman received 2027-01-05: not in 2026.
/// G imported closed, received 2025-03-01, last record 2025-06-01: closed before 2026.
/// H imported closed, received 2025-11-01 (woman born 1995-02-02), last record a visit on
///   2026-08-01: closed in 2026, dated by that record.
/// I a woman born 1992-07-07 received 2026-04-04, closed now through the app.
/// All but D are received by an institution of kind `other` (R-ID-3M does not apply).
fn fixture(dir: &Path) -> Session {
    let (s, _) = Session::create(dir, "管理员", &secret(), &kdf()).expect("create");
    // The fixture is written as of January 2027 (F is received on 2027-01-05): R-DATE
    // refuses what has not happened yet, whatever the clock says.
    let mut s = s.with_today(d("2027-01-31"));
    let mut names = NAMES.iter();
    let mut name = || *names.next().expect("enough names");
    use InstitutionKind::{AssistanceStation, Other};
    for i in 0..12 {
        let id = new_case(
            &mut s,
            person(name(), Sex::Female, Some("2010-05-01")),
            case("2026-03-01", Other, Stage::Placement),
        );
        add(
            &mut s,
            id,
            RecordBody::Placement(Placement {
                kind: PlacementKind::ReturnToFamily,
                start: d("2026-04-01"),
                end: None,
                place: "某村".into(),
                carer: CarerRelation::Parents,
                decided_by: "王芳".into(),
                supervisor_approval: None,
                district_approval: None,
                notes: None,
            }),
        );
        if i < 6 {
            add(
                &mut s,
                id,
                RecordBody::Schooling(Schooling {
                    date: d("2026-09-01"),
                    status: SchoolStatus::Enrolled,
                    school: "某小学".into(),
                    elsewhere: false,
                    psych_education: false,
                    notes: None,
                }),
            );
        }
    }
    for i in 0..7 {
        let mut c = case("2026-02-10", Other, Stage::Rehabilitation);
        c.flags.cross_province = true;
        let id = new_case(&mut s, person(name(), Sex::Female, Some("1990-01-01")), c);
        add(
            &mut s,
            id,
            RecordBody::ShelterStay(ShelterStay {
                institution: "某救助站".into(),
                kind: ShelterKind::AssistanceStation,
                admitted: d("2026-02-10"),
                discharged: Some(d("2026-02-19")),
                reason: None,
            }),
        );
        let (reviewed, assigned) = if i < 5 {
            ("2026-03-04", "2026-03-05")
        } else {
            ("2026-03-10", "2026-03-11")
        };
        add(
            &mut s,
            id,
            RecordBody::LegalAid(LegalAid {
                accepted: Some(d("2026-03-02")),
                reviewed: Some(d(reviewed)),
                decision: Some(LegalAidDecision::Granted),
                assigned: Some(d(assigned)),
                assignee: Some("律师".into()),
                ..LegalAid::application("某法律援助中心", "人身损害赔偿", d("2026-03-02"))
            }),
        );
    }
    for _ in 0..3 {
        let id = new_case(
            &mut s,
            person(name(), Sex::Male, Some("2021-01-01")),
            case("2026-06-01", Other, Stage::Placement),
        );
        add(
            &mut s,
            id,
            RecordBody::Placement(Placement {
                kind: PlacementKind::ChildWelfare,
                start: d("2026-06-15"),
                end: None,
                place: "某福利院".into(),
                carer: CarerRelation::Institution,
                decided_by: "王芳".into(),
                supervisor_approval: None,
                district_approval: None,
                notes: None,
            }),
        );
    }
    for i in 0..6 {
        let id = new_case(
            &mut s,
            person(name(), Sex::Male, Some("1960-06-01")),
            case("2025-10-01", AssistanceStation, Stage::FollowUp),
        );
        add(
            &mut s,
            id,
            RecordBody::ShelterStay(ShelterStay {
                institution: "某救助站".into(),
                kind: ShelterKind::AssistanceStation,
                admitted: d("2025-10-01"),
                discharged: None,
                reason: None,
            }),
        );
        add(
            &mut s,
            id,
            RecordBody::TrackStep(TrackStepRecord {
                step: TrackStep::HouseholdRegistration,
                date: d("2026-01-15"),
                by: "王芳".into(),
                notes: None,
            }),
        );
        let visits: &[&str] = if i < 2 {
            &["2026-05-05", "2026-09-09"]
        } else {
            &["2026-05-05"]
        };
        for v in visits {
            add(&mut s, id, visit(v));
        }
    }
    let unknown = Person {
        name: None,
        intake_number: Some("JS-E1".into()),
        ..person("", Sex::Unknown, None)
    };
    new_case(&mut s, unknown, case("2026-07-07", Other, Stage::Intake));
    new_case(
        &mut s,
        person(name(), Sex::Female, Some("1980-01-01")),
        case("2027-01-05", Other, Stage::Intake),
    );

    // G and H: imported as closed, so their history has no closing day.
    let imported = |name: &str, number: &str, birth: &str, received: &str, last: RecordBody| {
        let mut p = person(name, Sex::Female, Some(birth));
        p.id = Uuid::now_v7();
        let mut c = case(received, Other, Stage::Closed);
        c.id = Uuid::now_v7();
        c.case_number = number.into();
        c.person_id = p.id;
        c.flags.woman = true;
        let now = Utc::now();
        let r = Record {
            id: Uuid::now_v7(),
            case_id: c.id,
            body: last,
            created_at: now,
            created_by: "导入".into(),
            updated_at: now,
            updated_by: "导入".into(),
        };
        (p, c, r)
    };
    let g = imported(
        "欧阳闭案",
        "DZ-2025-0901",
        "1985-05-05",
        "2025-03-01",
        RecordBody::Note(Note {
            date: d("2025-06-01"),
            text: "结案".into(),
        }),
    );
    let h = imported(
        "司马回访",
        "DZ-2025-0902",
        "1995-02-02",
        "2025-11-01",
        visit("2026-08-01"),
    );
    let file = TransferFile {
        format: FORMAT.into(),
        version: VERSION,
        persons: vec![g.0, h.0],
        cases: vec![g.1, h.1],
        records: vec![g.2, h.2],
    };
    s.import_file(file, "test").expect("import");

    let id = new_case(
        &mut s,
        person(name(), Sex::Female, Some("1992-07-07")),
        case("2026-04-04", Other, Stage::Rehabilitation),
    );
    let view = s.case_view(&id.to_string(), d("2026-11-01")).expect("view");
    let mut closed = view.case.clone();
    closed.stage = Stage::Closed;
    s.update_case(closed)
        .expect("the supervisor closes the case");
    s
}

fn visit(date: &str) -> RecordBody {
    RecordBody::FollowUp(FollowUp {
        date: d(date),
        visitor: "王芳".into(),
        living_situation: "稳定".into(),
        needs: vec![],
        actions: None,
        mode: None,
        place: None,
        next_visit: None,
    })
}

fn count(r: &AnnualReport, section: ReportSection, label: RowLabel) -> Shown {
    let t = r.table(section).expect("the section is in the report");
    match t.cell(label, t.columns[0]) {
        Some(Cell::Count(c)) => c.shown(),
        other => panic!("{label:?} in {section:?}: {other:?}"),
    }
}

fn step(r: &AnnualReport, section: ReportSection, label: RowLabel) -> (Shown, Shown, Shown, Share) {
    let t = r.table(section).expect("steps table");
    let c = |col| match t.cell(label, col) {
        Some(Cell::Count(c)) => c.shown(),
        other => panic!("{label:?} {col:?}: {other:?}"),
    };
    let share = match t.cell(label, ReportColumn::OnTimeShare) {
        Some(Cell::Share(s)) => s,
        other => panic!("{label:?} share: {other:?}"),
    };
    (
        c(ReportColumn::OnTime),
        c(ReportColumn::Late),
        c(ReportColumn::Overdue),
        share,
    )
}

use Shown::{Number as N, Small, Withheld};

#[test]
fn the_annual_figures_match_the_hand_counted_fixture() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = fixture(tmp.path());
    let r = s.annual_report(2026, d("2026-12-31")).expect("report");
    assert_eq!((r.year, r.as_of), (2026, d("2026-12-31")));
    let line = RowLabel::ReportLine;
    use ReportSection as S;

    // Persons: A12 B7 C3 D6 E1 H1 I1 (F is 2027, G closed in 2025).
    let p = |l| count(&r, S::Persons, l);
    assert_eq!(
        p(line(ReportLine::PersonsAssisted)),
        N(31),
        "12+7+3+6+1+1+1"
    );
    assert_eq!(p(RowLabel::Sex(Sex::Female)), N(21), "A12 B7 H I");
    assert_eq!(p(RowLabel::Sex(Sex::Unknown)), Small, "E alone: <5");
    assert_eq!(
        p(RowLabel::Sex(Sex::Male)),
        Withheld,
        "9 men = 31 − 21 − 1 would give the unknown 1 away: withheld"
    );
    assert_eq!(p(RowLabel::AgeBand(AgeBand::UpTo6)), Small, "C: 3");
    assert_eq!(p(RowLabel::AgeBand(AgeBand::From7To13)), N(0));
    assert_eq!(p(RowLabel::AgeBand(AgeBand::From14To17)), N(12), "A");
    assert_eq!(p(RowLabel::AgeBand(AgeBand::From18To59)), N(9), "B7 H I");
    assert_eq!(
        p(RowLabel::AgeBand(AgeBand::From60)),
        N(6),
        "D: 65 on 1 January"
    );
    assert_eq!(p(RowLabel::AgeBand(AgeBand::Unknown)), Small, "E");
    assert_eq!(p(RowLabel::CaseFlag(CaseFlag::Minor)), N(15), "A12 C3");
    assert_eq!(p(RowLabel::CaseFlag(CaseFlag::Woman)), N(9), "B7 H I");
    assert_eq!(p(RowLabel::CaseFlag(CaseFlag::CrossProvince)), N(7), "B");
    assert_eq!(p(RowLabel::CaseFlag(CaseFlag::Foreign)), N(0));

    let c = |l| count(&r, S::Cases, line(l));
    assert_eq!(c(ReportLine::CasesActive), N(31));
    assert_eq!(c(ReportLine::NewIntakes), N(24), "A12 B7 C3 E1 I1");
    assert_eq!(
        c(ReportLine::Closures),
        Small,
        "H (by its record) and I if closed this year: 1 or 2"
    );
    assert_eq!(c(ReportLine::ClosuresDatedByRecords), Small, "H");

    let sh = |l| count(&r, S::Shelter, l);
    assert_eq!(sh(line(ReportLine::ShelterStays)), N(13), "B7 D6");
    assert_eq!(sh(line(ReportLine::ShelterDays)), N(7 * 10 + 6 * 365));
    assert_eq!(
        sh(RowLabel::ShelterKind(ShelterKind::AssistanceStation)),
        N(13)
    );

    let pl = |l| count(&r, S::Placements, l);
    assert_eq!(pl(line(ReportLine::PlacementsTotal)), N(15), "A12 C3");
    assert_eq!(
        pl(RowLabel::PlacementKind(PlacementKind::ChildWelfare)),
        Small
    );
    assert_eq!(
        pl(RowLabel::PlacementKind(PlacementKind::ReturnToFamily)),
        Withheld,
        "12 of 15 would give the 3 away"
    );
    assert_eq!(pl(RowLabel::PlacementKind(PlacementKind::Relatives)), N(0));
    assert_eq!(
        count(&r, S::Rehabilitation, line(ReportLine::RehabilitationTotal)),
        N(0)
    );
    let re = |l| count(&r, S::Reintegration, l);
    assert_eq!(re(line(ReportLine::SchoolingTotal)), N(6));
    assert_eq!(re(RowLabel::SchoolStatus(SchoolStatus::Enrolled)), N(6));
    assert_eq!(re(line(ReportLine::EmploymentTotal)), N(0));

    let f = |l| count(&r, S::FollowUps, line(l));
    assert_eq!(f(ReportLine::FollowUpVisits), N(9), "D 6+2, H 1");
    assert_eq!(f(ReportLine::PersonsVisited), N(7), "D6 H1");

    let la = |l| count(&r, S::LegalAid, l);
    assert_eq!(la(line(ReportLine::LegalAidApplications)), N(7));
    assert_eq!(la(line(ReportLine::GreenChannel)), N(7));
    assert_eq!(
        la(RowLabel::LegalAidDecision(LegalAidDecision::Granted)),
        N(7)
    );
    let ls = |s| step(&r, S::LegalAidSteps, RowLabel::LaStep(s));
    assert_eq!(
        ls(LaStep::Accept),
        (N(7), N(0), N(0), Share::Permille(1000)),
        "all accepted the same day: 100 %"
    );
    assert_eq!(
        ls(LaStep::Decide),
        (N(5), Small, N(0), Share::Withheld),
        "5 on time, 2 late: 71.4 % would give the 2 away"
    );
    assert_eq!(
        ls(LaStep::Assign),
        (N(7), N(0), N(0), Share::Permille(1000))
    );
    assert_eq!(
        ls(LaStep::Handle),
        (N(0), N(0), N(0), Share::NoBase),
        "no handling target"
    );

    let id = |l| count(&r, S::Id3m, line(l));
    assert_eq!(id(ReportLine::Id3mReached), N(6), "D: line 2026-01-01");
    assert_eq!(id(ReportLine::Id3mClosed), N(0));
    let ts = |s| step(&r, S::Id3mSteps, RowLabel::TrackStep(s));
    assert_eq!(
        ts(TrackStep::HouseholdRegistration),
        (N(6), N(0), N(0), Share::Permille(1000))
    );
    for later in &TrackStep::ALL[1..] {
        assert_eq!(
            ts(*later),
            (N(0), N(0), N(6), Share::Permille(0)),
            "{later:?} never done: overdue on 31 December, 0 % on time"
        );
    }

    // Nothing in the figures names anyone.
    let json = serde_json::to_string(&r).expect("json");
    for name in NAMES
        .iter()
        .chain(&["欧阳闭案", "司马回访", "JS-E1", "某救助站", "某村"])
    {
        assert!(!json.contains(name), "{name} must not reach the report");
    }
    assert!(!json.contains("DZ-"), "no case number in the report");
}

#[test]
fn the_closure_made_in_the_app_is_counted_in_the_year_it_was_made() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut s = fixture(tmp.path());
    // I was closed just now: its closing day is today's local date.
    let year = chrono::Local::now().year();
    let r = s
        .annual_report(year, chrono::Local::now().date_naive())
        .expect("report of this year");
    let t = r.table(ReportSection::Cases).expect("cases");
    let closures = match t.cell(
        RowLabel::ReportLine(ReportLine::Closures),
        ReportColumn::Count,
    ) {
        Some(Cell::Count(c)) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        closures.shown(),
        Small,
        "I at least is closed this year (and H too when this year is 2026)"
    );
    let by_records = t.cell(
        RowLabel::ReportLine(ReportLine::ClosuresDatedByRecords),
        ReportColumn::Count,
    );
    let expected = if year == 2026 { Small } else { N(0) };
    assert_eq!(
        by_records.map(|c| match c {
            Cell::Count(c) => c.shown(),
            Cell::Share(_) => panic!("a count"),
        }),
        Some(expected),
        "only H is dated by its record, and only in 2026"
    );
}

#[test]
fn reports_are_for_supervisors_and_auditors_and_each_is_an_audit_entry() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut s = fixture(dir);
    for (name, roles) in [
        ("李强", &[Role::Caseworker][..]),
        ("审计员甲", &[Role::Auditor][..]),
        ("张姐", &[Role::ShelterStaff][..]),
    ] {
        let inst = (roles == [Role::ShelterStaff]).then_some("某救助机构");
        s.add_user(name, roles, inst, &secret(), &kdf())
            .expect("user added");
    }
    s.annual_report_pdf(2026, d("2026-12-31")).expect("pdf");
    s.annual_report_xlsx(2026, d("2026-12-31")).expect("xlsx");
    let entries = s.audit(None, None, None, None, 20).expect("audit trail");
    let made: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e.action == "report_made")
        .map(|e| (e.target.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        made,
        vec![
            ("report:annual:2026", "xlsx"),
            ("report:annual:2026", "pdf")
        ],
        "each report made is logged with its year and format, newest first"
    );
    assert!(
        s.annual_report(1899, d("2026-12-31"))
            .is_err_and(|e| e.code() == "input.bad_year"),
        "a year outside 1900–2100 is refused"
    );
    assert!(
        s.annual_report_due(d("2026-12-02")).is_some(),
        "the supervisor is reminded"
    );
    drop(s);

    for name in ["李强", "张姐"] {
        let mut other = Session::open_as(dir, name, &secret()).expect("unlock");
        let refused = other.annual_report(2026, d("2026-12-31"));
        assert!(
            matches!(
                refused,
                Err(ApiError::Rule(DomainError::PermissionDenied { .. }))
            ),
            "{name} may not make the district's report: {refused:?}"
        );
        assert!(
            other.annual_report_due(d("2026-12-02")).is_none(),
            "{name} is not reminded of a report she does not make"
        );
        assert!(
            other
                .dashboard(d("2026-12-02"), Some(false))
                .is_ok_and(|dash| dash.annual_report.is_none()),
            "nor on the dashboard"
        );
    }
    let mut auditor = Session::open_as(dir, "审计员甲", &secret()).expect("unlock");
    let r = auditor
        .annual_report(2026, d("2026-12-31"))
        .expect("an auditor reads reports");
    assert_eq!(
        count(
            &r,
            ReportSection::Persons,
            RowLabel::ReportLine(ReportLine::PersonsAssisted)
        ),
        N(31),
        "the whole vault, whoever reads it"
    );
    let dash = auditor
        .dashboard(d("2026-12-10"), Some(false))
        .expect("dashboard");
    let due = dash.annual_report.expect("reminded from 1 December");
    assert_eq!((due.due, due.days_left), (d("2026-12-15"), 5));
    assert!(
        auditor
            .dashboard(d("2026-11-30"), Some(false))
            .expect("dashboard")
            .annual_report
            .is_none(),
        "not before December"
    );
}
