//! The annual report (R-ANNUAL) as a printed document — the same engine, fonts, running
//! header and footer as the case files, its tables labelled from the labelled
//! enumerations, two bar charts — and as a spreadsheet with the same tables.
//!
//! Only what the domain's [`AnnualReport`] holds is printed: typed labels and cells whose
//! small numbers are already "<5". There is no name, number or place to leave out.

use chrono::NaiveDateTime;
use rust_xlsxwriter::{Format, Workbook};

use guitu_domain::report::{AnnualReport, Cell, ReportSection, RowLabel, Shown, Table};
use guitu_text::{self as text, Lang};

use crate::doc::{Bar, BarValue, Block, Column, Document};
use crate::error::{PrintError, Result};

const ZH: Lang = Lang::Zh;
const CONFIDENTIAL: &str = "内部资料 注意保密";
const NUMERALS: [&str; 12] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

/// What a printed annual report needs besides the figures.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub report: &'a AnnualReport,
    /// The user who made it (named in the footer, like a printed case file).
    pub printed_by: &'a str,
    pub printed_at: NaiveDateTime,
}

/// The column titles of a table: 项目 and one per column.
fn titles(t: &Table) -> Vec<String> {
    std::iter::once("项目".to_owned())
        .chain(t.columns.iter().map(|c| text::label(c, ZH).to_owned()))
        .collect()
}

fn row_texts(t: &Table) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|r| {
            std::iter::once(text::label(&r.label, ZH).to_owned())
                .chain(r.cells.iter().map(|c| text::report_cell(c, ZH)))
                .collect()
        })
        .collect()
}

/// A chart of the rows of `t` that `pick` keeps (their first cell).
fn chart(t: &Table, title: &str, pick: impl Fn(&RowLabel) -> bool) -> Block {
    let bars = t
        .rows
        .iter()
        .filter(|r| pick(&r.label))
        .filter_map(|r| {
            let Cell::Count(c) = r.cells.first()? else {
                return None;
            };
            let value = match c.shown() {
                Shown::Number(n) => BarValue::Number(n),
                Shown::Small => BarValue::Hidden(text::small_count()),
                Shown::Withheld => BarValue::Hidden(text::withheld(ZH).to_owned()),
            };
            Some(Bar {
                label: text::label(&r.label, ZH).to_owned(),
                value,
            })
        })
        .collect();
    Block::BarChart {
        title: title.to_owned(),
        bars,
        note: "斜线框：数字不公布，长度不代表实际数量。".to_owned(),
    }
}

/// The printed document of the annual report.
pub fn document(input: &ReportInput<'_>) -> Document {
    let r = input.report;
    let title = text::report_title(r.year, ZH);
    let printed = format!(
        "{} {}",
        text::date(input.printed_at.date(), ZH),
        input.printed_at.format("%H:%M")
    );
    let mut blocks = vec![Block::Cover {
        title: title.clone(),
        subtitle: "（汇总统计，不含个人信息）".to_owned(),
        fields: vec![
            ("统计年度".to_owned(), format!("{}年", r.year)),
            ("统计截止日期".to_owned(), text::date(r.as_of, ZH)),
            ("制表人".to_owned(), input.printed_by.to_owned()),
            ("制表时间".to_owned(), printed.clone()),
        ],
    }];
    for (i, t) in r.tables.iter().enumerate() {
        let numeral = NUMERALS.get(i).copied().unwrap_or("");
        blocks.push(Block::Heading(format!(
            "{numeral}、{}",
            text::label(&t.section, ZH)
        )));
        let titles = titles(t);
        let columns = titles
            .into_iter()
            .enumerate()
            .map(|(i, title)| Column {
                title,
                weight: if i == 0 { 3.0 } else { 1.0 },
            })
            .collect();
        blocks.push(Block::Table {
            columns,
            rows: row_texts(t),
        });
        match t.section {
            ReportSection::Persons => blocks.push(chart(t, "受助人员年龄分布", |l| {
                matches!(l, RowLabel::AgeBand(_))
            })),
            ReportSection::Placements => blocks.push(chart(t, "安置方式分布", |l| {
                matches!(l, RowLabel::PlacementKind(_))
            })),
            _ => {}
        }
    }
    blocks.push(Block::Heading("说明".to_owned()));
    for note in text::report_notes(r.as_of, ZH) {
        blocks.push(Block::Paragraph(note));
    }
    blocks.push(Block::SignatureLines(vec![
        "填报人：".to_owned(),
        "审核人：".to_owned(),
        "报送日期：".to_owned(),
    ]));
    Document {
        title: title.clone(),
        header_left: title,
        header_right: CONFIDENTIAL.to_owned(),
        footer_left: format!("制表人：{}　制表时间：{printed}", input.printed_by),
        created: input.printed_at,
        blocks,
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> PrintError {
    PrintError::Xlsx(e.to_string())
}

/// The annual report as a spreadsheet: one worksheet per section (a title row, the
/// column titles, the rows; numbers as numbers, "<5" and 不公布 as text), and a last
/// worksheet with the notes.
pub fn xlsx(input: &ReportInput<'_>) -> Result<Vec<u8>> {
    let r = input.report;
    let title = text::report_title(r.year, ZH);
    let bold = Format::new().set_bold();
    let mut book = Workbook::new();
    for t in &r.tables {
        let section = text::label(&t.section, ZH);
        let sheet = book.add_worksheet();
        sheet.set_name(section).map_err(xlsx_error)?;
        sheet
            .write_string_with_format(0, 0, format!("{title} — {section}"), &bold)
            .map_err(xlsx_error)?;
        for (col, heading) in titles(t).iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(1, col, heading, &bold)
                .map_err(xlsx_error)?;
        }
        sheet.set_column_width(0, 36).map_err(xlsx_error)?;
        for (i, row) in t.rows.iter().enumerate() {
            let at = u32::try_from(i + 2).unwrap_or(u32::MAX);
            sheet
                .write_string(at, 0, text::label(&row.label, ZH))
                .map_err(xlsx_error)?;
            for (j, cell) in row.cells.iter().enumerate() {
                let col = u16::try_from(j + 1).unwrap_or(u16::MAX);
                let number = match cell {
                    Cell::Count(c) => c.number().map(|n| n as f64),
                    Cell::Share(s) => s.percent(),
                };
                match number {
                    Some(n) => sheet.write_number(at, col, n),
                    None => sheet.write_string(at, col, text::report_cell(cell, ZH)),
                }
                .map_err(xlsx_error)?;
            }
        }
    }
    let notes = book.add_worksheet();
    notes.set_name("说明").map_err(xlsx_error)?;
    notes
        .write_string_with_format(0, 0, &title, &bold)
        .map_err(xlsx_error)?;
    notes.set_column_width(0, 100).map_err(xlsx_error)?;
    let made = format!(
        "制表人：{}　制表时间：{} {}",
        input.printed_by,
        text::date(input.printed_at.date(), ZH),
        input.printed_at.format("%H:%M")
    );
    let lines = text::report_notes(r.as_of, ZH)
        .into_iter()
        .chain([made, CONFIDENTIAL.to_owned()]);
    for (i, line) in lines.enumerate() {
        let at = u32::try_from(i + 1).unwrap_or(u32::MAX);
        notes.write_string(at, 0, line).map_err(xlsx_error)?;
    }
    book.save_to_buffer().map_err(xlsx_error)
}
