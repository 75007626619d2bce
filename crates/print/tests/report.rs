//! The annual report as a PDF and a spreadsheet (R-ANNUAL): the PDF's text (pdftotext,
//! poppler-utils) holds every table with its labels and "<5", and no name of the
//! persons behind the figures; the spreadsheet read back (calamine) holds the same cells.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use guitu_domain::calendar::WorkCalendar;
use guitu_domain::label::Label;
use guitu_domain::model::*;
use guitu_domain::report::{self, AnnualReport, Cell, Closing, Period, ReportCase};
use guitu_domain::settings::RuleSettings;
use guitu_print::render::{Fonts, RenderOptions, render};
use guitu_print::report::{ReportInput, document, xlsx};
use uuid::Uuid;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

const NAMES: [&str; 9] = [
    "欧阳娜娜",
    "司马晓",
    "诸葛青",
    "上官燕",
    "东方朔",
    "皇甫蓝",
    "慕容雪",
    "令狐冲",
    "独孤月",
];

/// Nine persons: seven girls placed with their family, two boys placed in child welfare.
fn figures() -> AnnualReport {
    let cases = NAMES.iter().enumerate().map(|(i, name)| {
        let boy = i >= 7;
        let person = Person {
            id: Uuid::from_u128(i as u128 + 1),
            name: Some((*name).into()),
            sex: if boy { Sex::Male } else { Sex::Female },
            birth_date: Some(BirthDate {
                date: d("2012-01-01"),
                estimated: false,
            }),
            found_place: Some("某镇某村".into()),
            ..Person::default()
        };
        let case = Case {
            id: Uuid::from_u128(100 + i as u128),
            case_number: format!("DZ-2026-00{i}"),
            person_id: person.id,
            institution: "某某救助管理站".into(),
            institution_kind: InstitutionKind::Other,
            received_date: d("2026-03-01"),
            referral: ReferralSource::PoliceRescue,
            police_reference: None,
            caseworker: "王芳".into(),
            flags: CaseFlags {
                minor: true,
                ..CaseFlags::default()
            },
            stage: Stage::Placement,
        };
        let placement = RecordBody::Placement(Placement {
            kind: if boy {
                PlacementKind::ChildWelfare
            } else {
                PlacementKind::ReturnToFamily
            },
            start: d("2026-04-01"),
            end: None,
            place: "某镇某村".into(),
            carer: CarerRelation::Parents,
            decided_by: "王芳".into(),
            supervisor_approval: None,
            district_approval: None,
            notes: None,
        });
        ReportCase {
            case,
            person,
            records: vec![placement],
            closing: Closing::default(),
        }
    });
    report::annual_report(
        Period::new(2026, d("2026-12-31")).expect("period"),
        cases.collect::<Vec<_>>(),
        &RuleSettings::default(),
        &WorkCalendar::builtin(),
    )
}

fn input(r: &AnnualReport) -> ReportInput<'_> {
    ReportInput {
        report: r,
        printed_by: "刘主任",
        printed_at: d("2026-12-10").and_hms_opt(9, 30, 0).expect("time"),
    }
}

fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, bytes).expect("write");
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_pdf_holds_every_table_and_less_than_five_and_no_name() {
    let r = figures();
    let doc = document(&input(&r));
    let fonts = Fonts::load().expect("fonts");
    let pdf = render(&doc, &fonts, &RenderOptions::default()).expect("render");
    let text = pdftotext(&pdf.bytes);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        flat.contains("2026年度被拐卖受害人救助帮扶工作情况统计"),
        "the title"
    );
    assert!(
        flat.contains("内部资料注意保密"),
        "the confidentiality mark"
    );
    assert!(
        flat.contains(&format!("第1页/共{}页", pdf.pages)),
        "page numbers"
    );
    assert!(flat.contains("制表人：刘主任"), "who made it");
    for t in &r.tables {
        assert!(flat.contains(t.section.zh()), "section {:?}", t.section);
        for row in &t.rows {
            let label: String = row
                .label
                .zh()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            assert!(flat.contains(&label), "row {label}");
        }
    }
    assert!(flat.contains("安置合计9"), "nine placements");
    assert!(
        flat.contains("返回家庭不公布"),
        "the seven placed with their family would give the two away (9 − 7): withheld"
    );
    assert!(
        flat.contains("儿童福利机构<5"),
        "two placed in child welfare print as <5: {flat}"
    );
    assert!(flat.contains("受助人员年龄分布"), "the age chart");
    assert!(flat.contains("安置方式分布"), "the placement chart");
    for name in NAMES
        .iter()
        .chain(&["某镇某村", "某某救助管理站", "DZ-2026", "王芳"])
    {
        assert!(!flat.contains(name), "{name} must not be in the report");
    }
}

#[test]
fn the_spreadsheet_holds_the_same_cells() {
    let r = figures();
    let bytes = xlsx(&input(&r)).expect("xlsx");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("reads back");
    let names = book.sheet_names();
    assert_eq!(
        names.len(),
        r.tables.len() + 1,
        "a worksheet per section and the notes"
    );
    let mut small_seen = false;
    for t in &r.tables {
        let range = book
            .worksheet_range(t.section.zh())
            .expect("the section's sheet");
        let rows: Vec<&[Data]> = range.rows().collect();
        assert!(
            matches!(rows[0].first(), Some(Data::String(s)) if s.contains("2026年度")),
            "a title row"
        );
        for (i, row) in t.rows.iter().enumerate() {
            let line = rows[i + 2];
            assert_eq!(line[0], Data::String(row.label.zh().to_owned()));
            for (j, cell) in row.cells.iter().enumerate() {
                let got = &line[j + 1];
                let want = match cell {
                    Cell::Count(c) => c.number().map(|n| n as f64),
                    Cell::Share(s) => s.percent(),
                };
                match want {
                    Some(n) => assert_eq!(got, &Data::Float(n), "{:?} {j}", row.label),
                    None => {
                        let text = guitu_text::report_cell(cell, guitu_text::Lang::Zh);
                        small_seen |= text == "<5";
                        assert_eq!(got, &Data::String(text), "{:?} {j}", row.label);
                    }
                }
            }
        }
    }
    assert!(small_seen, "the two boys' cells are written as the text <5");
}
