//! Workbooks written by the tests (rust_xlsxwriter), read back as an office's ledger.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use guitu_domain::IdNumberProblem;
use guitu_domain::model::{
    IdentityMethod, IdentityOutcome, InstitutionKind, RecordBody, ReferralSource, Sex, Stage,
};
use guitu_ledger::sheet::{locate, read_workbook};
use guitu_ledger::{LedgerColumn, LedgerError, LedgerRow, RowContext, RowError, RowProblem};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn ctx() -> RowContext<'static> {
    RowContext {
        today: d(2026, 11, 29),
        office: "大足区救助管理站",
        user: "王芳",
    }
}

/// A valid ID number (GB 11643 check character) for a birth date.
fn id_number(birth: &str) -> String {
    let first17 = format!("500111{birth}123");
    let digits: Vec<u32> = first17.chars().filter_map(|c| c.to_digit(10)).collect();
    let mut d = [0u32; 17];
    d.copy_from_slice(&digits);
    let check = guitu_domain::rules::idnum::check_character(&d);
    format!("{first17}{check}")
}

/// The clean ledger: header in row 1, text everywhere, Guitu's own grammar.
fn clean() -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("台账").expect("name");
    let rows: Vec<Vec<String>> = vec![
        vec![
            "序号",
            "姓名",
            "性别",
            "身份证号",
            "解救日期",
            "来源单位",
            "身份核查情况",
            "经办人",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
        vec![
            "1".into(),
            "李娜".into(),
            "女".into(),
            id_number("19900305"),
            "2025-03-05".into(),
            "某市公安局".into(),
            "公安查询（2025年3月6日，已查明）".into(),
            "张强".into(),
        ],
        vec![
            "2".into(),
            "".into(),
            "".into(),
            "".into(),
            "2025年4月1日".into(),
            "本人求助".into(),
            "已核实".into(),
            "".into(),
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                s.write_string(r as u32, c as u16, v).expect("write");
            }
        }
    }
    book.save_to_buffer().expect("save")
}

/// What an office makes: a title row, a group header merged over sub-headers, a date
/// cell, serial numbers and text dates in both forms, a blank row, an unknown column.
fn office() -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("2025年台账").expect("name");
    let plain = Format::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    s.merge_range(0, 0, 0, 7, "2025年度被拐卖受害人救助台账", &plain)
        .expect("title");
    // Row 2: 序号 and 姓名 merged down over two rows, a group 基本情况 over three columns.
    s.merge_range(1, 0, 2, 0, "序 号", &plain).expect("merge");
    s.merge_range(1, 1, 2, 1, "受助人\n姓名", &plain)
        .expect("merge");
    s.merge_range(1, 2, 1, 4, "基本情况", &plain)
        .expect("merge");
    s.merge_range(1, 5, 2, 5, "入站日期：", &plain)
        .expect("merge");
    s.merge_range(1, 6, 2, 6, "备注", &plain).expect("merge");
    s.merge_range(1, 7, 2, 7, "承办人", &plain).expect("merge");
    for (c, h) in [(2u16, "性别"), (3, "身份证号码"), (4, "出生年月")] {
        s.write_string(2, c, h).expect("sub-header");
    }
    // Row 4: a date cell; row 5 blank; row 6: a serial number; rows 7, 8: text dates.
    s.write_number(3, 0, 1).expect("w");
    s.write_string(3, 1, "王秀英").expect("w");
    s.write_string(3, 2, "女").expect("w");
    s.write_string(3, 3, id_number("19850607")).expect("w");
    s.write_datetime_with_format(
        3,
        5,
        ExcelDateTime::from_ymd(2025, 3, 5).expect("date"),
        &date,
    )
    .expect("w");
    s.write_string(3, 6, "家属陪同").expect("w");
    s.write_string(3, 7, "刘敏").expect("w");
    s.write_number(5, 0, 2).expect("w");
    s.write_string(5, 1, "赵小红").expect("w");
    s.write_string(5, 2, "女").expect("w");
    s.write_number(5, 5, 45722.0).expect("w");
    s.write_number(6, 0, 3).expect("w");
    s.write_string(6, 1, "陈刚").expect("w");
    s.write_string(6, 2, "男").expect("w");
    s.write_string(6, 4, "约1970年1月1日").expect("w");
    s.write_string(6, 5, "2025年3月7日").expect("w");
    s.write_number(7, 0, 4).expect("w");
    s.write_string(7, 1, "周梅").expect("w");
    s.write_string(7, 5, "2025.3.8").expect("w");
    book.save_to_buffer().expect("save")
}

fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Vec<LedgerRow>, LedgerError> {
    let sheets = read_workbook(bytes)?;
    let layout = locate(&sheets, sheet)?;
    guitu_ledger::read_all(&layout, &ctx())
}

#[test]
fn a_clean_ledger_is_mapped_and_read_into_domain_rows() {
    let bytes = clean();
    let sheets = read_workbook(&bytes).expect("an .xlsx reads");
    let layout = locate(&sheets, None).expect("the header is found");
    assert_eq!(layout.header_row, 1);
    let mapped: Vec<Option<LedgerColumn>> =
        layout.mapping.columns.iter().map(|c| c.column).collect();
    assert_eq!(
        mapped,
        vec![
            Some(LedgerColumn::Seq),
            Some(LedgerColumn::Name),
            Some(LedgerColumn::Sex),
            Some(LedgerColumn::ResidentId),
            Some(LedgerColumn::ReceivedDate),
            Some(LedgerColumn::Referral),
            Some(LedgerColumn::Identity),
            Some(LedgerColumn::Caseworker),
        ],
        "every header of the clean ledger is proposed its column"
    );
    let rows = guitu_ledger::read_all(&layout, &ctx()).expect("both rows are good");
    assert_eq!(rows.len(), 2);
    let a = &rows[0];
    assert_eq!(a.row, 2, "rows keep the number Excel shows");
    assert_eq!(a.person.name.as_deref(), Some("李娜"));
    assert_eq!(a.person.sex, Sex::Female);
    assert_eq!(
        a.person.birth_date.map(|b| b.date),
        Some(d(1990, 3, 5)),
        "no birth date column: the ID number's birth date"
    );
    assert_eq!(a.case.received_date, d(2025, 3, 5));
    assert_eq!(a.case.referral, ReferralSource::PoliceRescue);
    assert_eq!(
        a.case.institution, "大足区救助管理站",
        "the office stands in"
    );
    assert_eq!(a.case.institution_kind, InstitutionKind::AssistanceStation);
    assert_eq!(a.case.caseworker, "张强");
    assert_eq!(a.case.stage, Stage::Identity);
    assert!(
        a.records
            .iter()
            .any(|r| matches!(&r.body, RecordBody::IdentityAttempt(x)
            if x.method == IdentityMethod::PoliceInquiry && x.outcome == IdentityOutcome::Verified
               && x.verified_date == Some(d(2025, 3, 6)))),
        "Guitu's grammar becomes an identity attempt: {:?}",
        a.records
    );
    assert!(
        a.records.iter().any(
            |r| matches!(&r.body, RecordBody::Note(n) if n.text == "来源单位/移送单位：某市公安局")
        ),
        "the unit's own name is kept in a note"
    );
    let b = &rows[1];
    assert_eq!(b.person.name, None);
    assert_eq!(
        b.person.intake_number.as_deref(),
        Some("台账第3行"),
        "an unnamed person gets the row as intake number"
    );
    assert_eq!(b.case.caseworker, "王芳", "no 经办人: the importing user");
    assert_eq!(b.case.referral, ReferralSource::SelfReport);
    assert!(
        b.records
            .iter()
            .any(|r| matches!(&r.body, RecordBody::Note(n)
            if n.text == "身份核查情况：已核实" && n.date == d(2025, 4, 1))),
        "free text is kept as a note dated the intake date: {:?}",
        b.records
    );
}

#[test]
fn an_office_ledger_with_title_merged_header_blank_row_and_every_date_form() {
    let bytes = office();
    let sheets = read_workbook(&bytes).expect("reads");
    let layout = locate(&sheets, None).expect("the header is found under the title");
    assert_eq!(layout.sheet, "2025年台账");
    assert_eq!(
        layout.header_row, 3,
        "the sub-header row of the two-row header"
    );
    let by_header: Vec<(&str, Option<LedgerColumn>)> = layout
        .mapping
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.column))
        .collect();
    assert_eq!(
        by_header,
        vec![
            ("序 号", Some(LedgerColumn::Seq)),
            ("受助人\n姓名", Some(LedgerColumn::Name)),
            ("基本情况/性别", Some(LedgerColumn::Sex)),
            ("基本情况/身份证号码", Some(LedgerColumn::ResidentId)),
            ("基本情况/出生年月", Some(LedgerColumn::BirthDate)),
            ("入站日期：", Some(LedgerColumn::ReceivedDate)),
            ("备注", None),
            ("承办人", Some(LedgerColumn::Caseworker)),
        ],
        "headers merged down, a group merged across, an unknown column shown unmapped"
    );
    let rows = guitu_ledger::read_all(&layout, &ctx()).expect("every row is good");
    let got: Vec<(u32, NaiveDate)> = rows.iter().map(|r| (r.row, r.case.received_date)).collect();
    assert_eq!(
        got,
        vec![
            (4, d(2025, 3, 5)),
            (6, d(2025, 3, 6)),
            (7, d(2025, 3, 7)),
            (8, d(2025, 3, 8)),
        ],
        "a date cell, a serial number, 2025年3月7日 and 2025.3.8; the blank row 5 skipped"
    );
    assert_eq!(rows[0].case.caseworker, "刘敏");
    let chen = &rows[2].person;
    assert_eq!(
        chen.birth_date.map(|b| (b.date, b.estimated)),
        Some((d(1970, 1, 1), true))
    );
    assert_eq!(rows[3].person.sex, Sex::Unknown, "a blank sex is unknown");
}

/// A one-row ledger whose one bad cell is `value` in column `header`.
fn with_cell(header: &str, value: Cell) -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("登记表").expect("name");
    let headers = ["姓名", "性别", "身份证号", "出生日期", "入站日期", header];
    for (c, h) in headers.iter().enumerate() {
        s.write_string(0, c as u16, *h).expect("header");
    }
    s.write_string(1, 0, "李娜").expect("w");
    s.write_string(1, 4, "2025-03-05").expect("w");
    s.write_string(2, 0, "王芳").expect("w");
    s.write_string(2, 4, "2025-03-06").expect("w");
    let col = 5;
    match value {
        Cell::Text(t) => s.write_string(2, col, t).map(|_| ()),
        Cell::Number(n) => s.write_number(2, col, n).map(|_| ()),
        Cell::Blank => Ok(()),
    }
    .expect("bad cell");
    book.save_to_buffer().expect("save")
}

enum Cell {
    Text(&'static str),
    Number(f64),
    Blank,
}

fn refusal(bytes: &[u8]) -> RowError {
    match read(bytes, None) {
        Err(LedgerError::Row(e)) => *e,
        other => panic!("expected a refused row, got {other:?}"),
    }
}

#[test]
fn every_bad_cell_is_refused_with_sheet_row_and_header() {
    let long_name: &'static str = Box::leak("娜".repeat(60).into_boxed_str());
    let cases: Vec<(&str, Cell, LedgerColumn, RowProblem)> = vec![
        (
            "解救日期",
            Cell::Text("2026-02-30"),
            LedgerColumn::ReceivedDate,
            RowProblem::ImpossibleDate,
        ),
        (
            "解救日期",
            Cell::Text("三月初"),
            LedgerColumn::ReceivedDate,
            RowProblem::NotADate,
        ),
        (
            "解救日期",
            Cell::Text("2027年1月1日"),
            LedgerColumn::ReceivedDate,
            RowProblem::FutureDate,
        ),
        (
            "解救日期",
            Cell::Number(60.0),
            LedgerColumn::ReceivedDate,
            RowProblem::ImpossibleDate,
        ),
        (
            "身份证号码",
            Cell::Text("500111199003051230"),
            LedgerColumn::ResidentId,
            RowProblem::InvalidIdNumber {
                id_problem: IdNumberProblem::CheckCharacter,
            },
        ),
        (
            "公民身份号码",
            Cell::Text("5001111990"),
            LedgerColumn::ResidentId,
            RowProblem::InvalidIdNumber {
                id_problem: IdNumberProblem::Length,
            },
        ),
        (
            "证件号码",
            Cell::Number(500111199003051234.0),
            LedgerColumn::ResidentId,
            RowProblem::IdAsNumber,
        ),
        (
            "性 别",
            Cell::Text("女士"),
            LedgerColumn::Sex,
            RowProblem::UnknownValue {
                allowed: vec!["男".into(), "女".into(), "不详".into(), "未知".into()],
            },
        ),
        (
            "被解救人姓名",
            Cell::Text(long_name),
            LedgerColumn::Name,
            RowProblem::TooLong { max: 50 },
        ),
        (
            "安置方式",
            Cell::Text("返回家庭（2025年2月30日起，照料人父母）：某地"),
            LedgerColumn::Placement,
            RowProblem::ImpossibleDate,
        ),
    ];
    for (header, value, column, problem) in cases {
        // The bad column replaces its namesake: the fixed columns are renamed away.
        let bytes = match column {
            LedgerColumn::ReceivedDate => received_in(header, value),
            LedgerColumn::Sex | LedgerColumn::ResidentId | LedgerColumn::Name => {
                replacing(column, header, value)
            }
            _ => with_cell(header, value),
        };
        let e = refusal(&bytes);
        assert_eq!(
            (
                e.sheet.as_str(),
                e.row,
                e.header.as_str(),
                e.column,
                &e.problem
            ),
            ("登记表", 3, header, column, &problem),
            "the refusal names sheet, row, header as written and why"
        );
    }
    let e = refusal(&received_in("解救日期", Cell::Blank));
    assert_eq!(
        (e.row, e.column, e.problem),
        (3, LedgerColumn::ReceivedDate, RowProblem::MissingValue)
    );
}

/// A ledger whose received-date column is `header` and row 3 holds `value` in it.
fn received_in(header: &str, value: Cell) -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("登记表").expect("name");
    for (c, h) in ["姓名", "性别", header].iter().enumerate() {
        s.write_string(0, c as u16, *h).expect("header");
    }
    s.write_string(1, 0, "李娜").expect("w");
    s.write_string(1, 2, "2025-03-05").expect("w");
    s.write_string(2, 0, "王芳").expect("w");
    match value {
        Cell::Text(t) => s.write_string(2, 2, t).map(|_| ()),
        Cell::Number(n) => s.write_number(2, 2, n).map(|_| ()),
        Cell::Blank => Ok(()),
    }
    .expect("w");
    book.save_to_buffer().expect("save")
}

/// A ledger whose `column` is headed `header` and row 3 holds `value` in it.
fn replacing(column: LedgerColumn, header: &str, value: Cell) -> Vec<u8> {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("登记表").expect("name");
    let mut headers = ["姓名", "性别", "身份证号", "入站日期"];
    let at = match column {
        LedgerColumn::Name => 0,
        LedgerColumn::Sex => 1,
        _ => 2,
    };
    headers[at] = header;
    for (c, h) in headers.iter().enumerate() {
        s.write_string(0, c as u16, *h).expect("header");
    }
    s.write_string(1, 0, "李娜").expect("w");
    s.write_string(1, 3, "2025-03-05").expect("w");
    if at != 0 {
        s.write_string(2, 0, "王芳").expect("w");
    }
    s.write_string(2, 3, "2025-03-06").expect("w");
    match value {
        Cell::Text(t) => s.write_string(2, at as u16, t).map(|_| ()),
        Cell::Number(n) => s.write_number(2, at as u16, n).map(|_| ()),
        Cell::Blank => Ok(()),
    }
    .expect("w");
    book.save_to_buffer().expect("save")
}

#[test]
fn file_level_refusals() {
    assert_eq!(
        read(b"not a workbook", None).err(),
        Some(LedgerError::NotWorkbook)
    );
    assert_eq!(
        read(&clean(), Some("Sheet9")).err(),
        Some(LedgerError::NoSuchSheet)
    );
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "姓名").expect("w");
    let bytes = book.save_to_buffer().expect("save");
    assert_eq!(
        read(&bytes, None).err(),
        Some(LedgerError::NoHeader),
        "one known header is not a header row"
    );
    // No received-date column.
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (c, h) in ["姓名", "性别", "身份证号"].iter().enumerate() {
        s.write_string(0, c as u16, *h).expect("w");
    }
    let bytes = book.save_to_buffer().expect("save");
    assert_eq!(
        read(&bytes, None).err(),
        Some(LedgerError::MissingColumn {
            column: LedgerColumn::ReceivedDate
        })
    );
    // No institution column and no office.
    let sheets = read_workbook(&clean()).expect("reads");
    let layout = locate(&sheets, None).expect("found");
    let no_office = RowContext {
        office: " ",
        ..ctx()
    };
    assert_eq!(
        guitu_ledger::read_all(&layout, &no_office).err(),
        Some(LedgerError::NoInstitution)
    );
}

#[test]
fn a_map_file_corrects_the_proposal() {
    let sheets = read_workbook(&office()).expect("reads");
    let layout = locate(&sheets, None).expect("found");
    let map = guitu_ledger::parse_map(r#"{"备注": "other_names", "承办人": null}"#.as_bytes())
        .expect("a map");
    let mapping = layout
        .mapping
        .clone()
        .with_overrides(&map)
        .expect("applies");
    let col = |h: &str| {
        mapping
            .columns
            .iter()
            .find(|c| c.header == h)
            .and_then(|c| c.column)
    };
    assert_eq!(col("备注"), Some(LedgerColumn::OtherNames));
    assert_eq!(col("承办人"), None);
    let bad = guitu_ledger::parse_map(r#"{"备注": "dna"}"#.as_bytes()).expect("a map");
    assert_eq!(
        layout.mapping.clone().with_overrides(&bad).err(),
        Some(LedgerError::UnknownMapColumn {
            given: "dna".into()
        })
    );
    assert_eq!(
        guitu_ledger::parse_map(b"[1]").err(),
        Some(LedgerError::BadMap)
    );
}
