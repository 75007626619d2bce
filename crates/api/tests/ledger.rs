//! Ledgers (台账) through the use cases: a refused row writes nothing and names its
//! sheet, row and column; persons already in the vault are proposed before an import;
//! export → import into an empty vault → export gives the same rows and figures; each
//! case keeps its ledger row; every export is an audit entry; a caseworker exports her
//! own cases only.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;
use uuid::Uuid;

use guitu_api::transfer::ImportDecisions;
use guitu_api::{KdfParams, Problem, Secret, Session};
use guitu_domain::access::Role;
use guitu_domain::model::*;
use guitu_ledger::cell::Cell;
use guitu_ledger::sheet::read_workbook;

const PASS: &str = "test-passphrase-1";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

fn secret() -> Secret {
    Secret::new(PASS.into())
}

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
    let mut settings = s.settings().clone();
    settings.office = "大足区救助管理站".into();
    s.save_settings(settings).expect("the office is a setting");
    s
}

/// A valid ID number for a birth date (yyyymmdd).
fn id_number(birth: &str, seq: &str) -> String {
    let first17 = format!("500111{birth}{seq}");
    let mut digits = [0u32; 17];
    for (slot, c) in digits.iter_mut().zip(first17.chars()) {
        *slot = c.to_digit(10).expect("digit");
    }
    format!(
        "{first17}{}",
        guitu_domain::rules::idnum::check_character(&digits)
    )
}

fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("登记").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                s.write_string(r as u32, c as u16, *v).expect("write");
            }
        }
    }
    book.save_to_buffer().expect("save")
}

fn problem(r: Result<impl std::fmt::Debug, guitu_api::ApiError>) -> Problem {
    r.expect_err("refused").problem()
}

#[test]
fn a_bad_row_refuses_the_file_names_its_cell_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = vault(&tmp.path().join("v"));
    let good = id_number("19900305", "123");
    let bytes = workbook(&[
        &["姓名", "性别", "身份证号码", "解救日期"],
        &["李娜", "女", &good, "2025-03-05"],
        &["王红", "女", "500111199003051230", "2025-03-06"],
    ]);
    let p = problem(s.import_ledger(&bytes, "台账.xlsx", None, None, &ImportDecisions::default()));
    match &p {
        Problem::LedgerBadIdNumber { at, .. } => {
            assert_eq!(
                (at.sheet.as_str(), at.row, at.header.as_str()),
                ("登记", 3, "身份证号码")
            );
            assert_eq!(at.column, "resident_id");
        }
        other => panic!("expected ledger.bad_id_number, got {other:?}"),
    }
    assert_eq!(
        s.case_count().unwrap(),
        0,
        "all or nothing: the good row 2 is not written"
    );
    let text = guitu_text::problem(&p, guitu_text::Lang::Zh);
    assert!(
        text.contains("第3行") && text.contains("身份证号码"),
        "{text}"
    );
    assert!(
        !text.contains("500111"),
        "the refused value is never repeated: {text}"
    );
    let en = guitu_text::problem(&p, guitu_text::Lang::En);
    assert!(en.contains("row 3"), "{en}");

    // A rule of the domain on what a row makes is named by the ledger's cell too:
    // a refused legal-aid application without its reason.
    let bytes = workbook(&[
        &["姓名", "性别", "解救日期", "法律援助"],
        &[
            "李娜",
            "女",
            "2025-03-05",
            "区法律援助中心（2025年3月6日申请，2025年3月7日不予援助）：民事诉讼",
        ],
    ]);
    let p = problem(s.import_ledger(&bytes, "台账.xlsx", None, None, &ImportDecisions::default()));
    match &p {
        Problem::LedgerRule { at, .. } => {
            assert_eq!((at.row, at.header.as_str()), (2, "法律援助"), "{p:?}")
        }
        other => panic!("expected ledger.rule at the legal-aid cell, got {other:?}"),
    }
    assert_eq!(s.case_count().unwrap(), 0);
}

#[test]
fn persons_already_in_the_vault_are_proposed_and_decided() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = vault(&tmp.path().join("v"));
    let id = id_number("19900305", "123");
    let first = workbook(&[
        &["姓名", "性别", "身份证号", "解救日期"],
        &["李娜", "女", &id, "2025-03-05"],
    ]);
    s.import_ledger(&first, "一月.xlsx", None, None, &ImportDecisions::default())
        .expect("an empty vault has nobody to be the same as");
    let again =
        problem(s.import_ledger(&first, "一月.xlsx", None, None, &ImportDecisions::default()));
    assert_eq!(
        again.code(),
        "ledger.already_imported",
        "the same file twice is recognised"
    );

    let second = workbook(&[
        &["姓名", "性别", "身份证号", "解救日期"],
        &["李 娜", "女", &id, "2025-09-01"],
        &["周梅", "女", "", "2025-09-02"],
    ]);
    let preview = s.ledger_preview(&second, None, None).expect("preview");
    assert_eq!((preview.rows, preview.bad_rows), (2, 0));
    assert_eq!(
        preview.duplicates.len(),
        1,
        "李娜's ID number is in the vault: {:?}",
        preview.duplicates
    );
    let dup = &preview.duplicates[0];
    assert_eq!(dup.row, 2);
    assert_eq!(s.case_count().unwrap(), 1, "a preview writes nothing");
    let p = problem(s.import_ledger(
        &second,
        "九月.xlsx",
        None,
        None,
        &ImportDecisions::default(),
    ));
    assert_eq!(p.code(), "import.undecided_duplicates");
    assert_eq!(
        s.case_count().unwrap(),
        1,
        "nothing written while a pair is undecided"
    );
    let file_person = Uuid::parse_str(&dup.duplicate.file_person).unwrap();
    let vault_person = Uuid::parse_str(&dup.duplicate.candidate.person.person_id).unwrap();
    let report = s
        .import_ledger(
            &second,
            "九月.xlsx",
            None,
            None,
            &ImportDecisions {
                same: vec![(file_person, vault_person)],
                ..Default::default()
            },
        )
        .expect("decided: the same person");
    assert_eq!(
        (report.counts.cases, report.counts.persons, report.linked),
        (2, 1, 1)
    );
}

/// A vault with cases holding every ledger column's records.
fn filled(s: &mut Session) {
    let person = |name: &str, sex, id: Option<String>| Person {
        id: Uuid::nil(),
        name: Some(name.into()),
        sex,
        birth_date: id
            .as_deref()
            .map(|i| BirthDate {
                date: guitu_domain::rules::idnum::parse(i).unwrap().1,
                estimated: false,
            })
            .or(Some(BirthDate {
                date: d("1970-01-01"),
                estimated: true,
            })),
        resident_id: id,
        household_registration: Some("贵州省某县".into()),
        other_names: vec!["小红".into(), "阿红".into()],
        ..Default::default()
    };
    let case = |received: &str, caseworker: &str| Case {
        id: Uuid::nil(),
        case_number: String::new(),
        person_id: Uuid::nil(),
        institution: "大足区救助管理站".into(),
        institution_kind: InstitutionKind::AssistanceStation,
        received_date: d(received),
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: caseworker.into(),
        flags: CaseFlags::default(),
        stage: Stage::Intake,
    };
    let a = s
        .create_case(
            person("李娜", Sex::Female, Some(id_number("19900305", "123"))),
            case("2025-03-05", "王芳"),
        )
        .unwrap()
        .value;
    let b = s
        .create_case(
            person("陈刚", Sex::Male, None),
            case("2025-04-01", "管理员"),
        )
        .unwrap()
        .value;
    let mut la = LegalAid::application("区法律援助中心", "刑事附带民事诉讼", d("2025-03-10"));
    la.accepted = Some(d("2025-03-11"));
    la.reviewed = Some(d("2025-03-12"));
    la.decision = Some(LegalAidDecision::Granted);
    la.assigned = Some(d("2025-03-13"));
    la.assignee = Some("李律师".into());
    let bodies = vec![
        RecordBody::ShelterStay(ShelterStay {
            institution: "大足区救助管理站".into(),
            kind: ShelterKind::AssistanceStation,
            admitted: d("2025-03-05"),
            discharged: Some(d("2025-04-05")),
            reason: None,
        }),
        RecordBody::IdentityAttempt(IdentityAttempt {
            date: d("2025-03-06"),
            method: IdentityMethod::PoliceInquiry,
            outcome: IdentityOutcome::Verified,
            verified_date: Some(d("2025-03-20")),
            police_reference: None,
            notes: None,
        }),
        RecordBody::Rehabilitation(Rehabilitation {
            service: RehabService::PsychologicalCounselling,
            provider: "区心理咨询中心".into(),
            start: d("2025-03-08"),
            end: Some(d("2025-03-30")),
            outcome: None,
            disability_grade: None,
            certificate_no: None,
        }),
        RecordBody::LegalAid(la),
        RecordBody::Placement(Placement {
            kind: PlacementKind::ReturnToFamily,
            start: d("2025-04-05"),
            end: None,
            place: "贵州省某县".into(),
            carer: CarerRelation::Parents,
            decided_by: "管理员".into(),
            supervisor_approval: Some(Approval {
                by: "管理员".into(),
                date: d("2025-04-04"),
            }),
            district_approval: None,
            notes: None,
        }),
        RecordBody::FollowUp(FollowUp {
            date: d("2025-06-01"),
            visitor: "王芳".into(),
            living_situation: "生活稳定".into(),
            needs: vec![Need::Employment],
            actions: None,
            mode: Some(VisitMode::Home),
            place: Some("本人住所".into()),
            next_visit: Some(d("2025-09-01")),
        }),
        RecordBody::Note(Note {
            date: d("2025-03-05"),
            text: "身份核查情况：家属已到站确认".into(),
        }),
    ];
    for body in bodies {
        s.add_record(a, body).expect("a record of the first case");
    }
    s.add_record(
        b,
        RecordBody::Note(Note {
            date: d("2025-04-01"),
            text: "来源单位/移送单位：某市公安局".into(),
        }),
    )
    .unwrap();
}

/// The cells of a ledger from row 3 on (the header and the rows), as shown.
fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let sheets = read_workbook(bytes).expect("the export reads");
    assert_eq!(sheets[0].name, "台账");
    sheets[0]
        .rows
        .iter()
        .filter(|(n, _)| *n >= 3)
        .map(|(_, cells)| {
            cells
                .iter()
                .map(|c| match c {
                    Cell::Date { serial, is_1904 } => guitu_ledger::grammar::fmt_date(
                        guitu_ledger::cell::serial_date(*serial, *is_1904).expect("a real date"),
                    ),
                    c => c.text().unwrap_or_default(),
                })
                .collect()
        })
        .collect()
}

/// Records per kind, and cases per stage and referral: the vault's figures.
fn figures(s: &mut Session) -> BTreeMap<String, usize> {
    let json = s.export_json("test").unwrap();
    let file = guitu_api::transfer::parse(json.as_bytes()).unwrap();
    let mut out = BTreeMap::new();
    for r in &file.records {
        *out.entry(format!("record:{}", r.body.kind().as_str_name()))
            .or_default() += 1;
    }
    for c in &file.cases {
        *out.entry(format!("referral:{:?}", c.referral)).or_default() += 1;
        *out.entry(format!("year:{}", chrono::Datelike::year(&c.received_date)))
            .or_default() += 1;
    }
    out.insert("persons".into(), file.persons.len());
    out
}

trait KindName {
    fn as_str_name(&self) -> &'static str;
}
impl KindName for RecordKind {
    fn as_str_name(&self) -> &'static str {
        guitu_domain::label::LabelledEnum::as_str(self)
    }
}

#[test]
fn export_import_export_gives_the_same_rows_and_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = vault(&tmp.path().join("a"));
    filled(&mut a);
    let first = a.export_ledger(None).expect("the ledger");
    let rows = cells(&first);
    assert_eq!(rows.len(), 3, "the header and two cases");
    assert_eq!(rows[0][0], "序号");
    assert_eq!(rows[1][1], "李娜");
    assert_eq!(
        rows[1][7], "2025年3月5日",
        "a real date, shown as a Chinese date"
    );
    assert!(
        rows[1][10].contains("公安查询（2025年3月6日，已查明，2025年3月20日查明）"),
        "{}",
        rows[1][10]
    );
    assert!(
        rows[1][10].contains("家属已到站确认"),
        "a note of the column goes back to it"
    );
    assert_eq!(
        rows[2][9], "某市公安局",
        "the unit's own name, kept in a note"
    );
    assert_eq!(
        rows[2][5], "约1970年1月1日",
        "an estimated birth date says so"
    );

    let mut b = vault(&tmp.path().join("b"));
    let preview = b.ledger_preview(&first, None, None).expect("preview");
    assert!(
        preview.mapping.columns.iter().all(|c| c.column.is_some()),
        "Guitu's own ledger needs no mapping question: {:?}",
        preview.mapping
    );
    assert_eq!(preview.header_row, 3);
    b.import_ledger(&first, "台账.xlsx", None, None, &ImportDecisions::default())
        .expect("the ledger imports into an empty vault");
    let second = b.export_ledger(None).expect("the ledger again");
    assert_eq!(
        cells(&second),
        rows,
        "export → import → export gives the same rows"
    );
    assert_eq!(figures(&mut b), figures(&mut a), "the same figures");

    // The case's history names its ledger row; the export is in the audit trail.
    let case = b.find_case("DZ-2025-0001").expect("numbered in row order");
    let view = b.case_view(&case.id.to_string(), d("2026-11-29")).unwrap();
    assert!(
        view.history.iter().any(|h| h
            .changes
            .iter()
            .any(|c| c.field == "source" && c.new == "台账.xlsx 第4行")),
        "the case's import entry names the ledger row: {:?}",
        view.history
    );
    let audit = b.audit_recent(20).unwrap();
    assert!(
        audit.iter().any(|e| e.action == "ledger_exported"
            && e.target == "ledger:all"
            && e.detail == "rows=2"),
        "{audit:?}"
    );
}

#[test]
fn the_year_and_the_users_reach_choose_the_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let mut s = vault(&dir);
    filled(&mut s);
    assert_eq!(cells(&s.export_ledger(Some(2025)).unwrap()).len(), 3);
    assert_eq!(
        cells(&s.export_ledger(Some(2026)).unwrap()).len(),
        3,
        "open cases received earlier belong to the next year's ledger"
    );
    assert_eq!(
        cells(&s.export_ledger(Some(2024)).unwrap()).len(),
        1,
        "only the header"
    );
    drop(s);
    let mut wang = Session::open_as(&dir, "王芳", &secret()).unwrap();
    let rows = cells(&wang.export_ledger(None).unwrap());
    assert_eq!(rows.len(), 2, "王芳 is responsible for one case only");
    assert_eq!(rows[1][16], "王芳");
}
