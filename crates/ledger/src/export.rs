//! Writing the ledger (rust_xlsxwriter): sheet 台账, a title row, 填报单位 / 填报人 /
//! 填报日期, a bold frozen header, one row per case with 序号 1..n, dates as real Excel
//! dates shown 2026年1月31日, and column widths computed for Chinese text (a CJK
//! character is two units wide; rust_xlsxwriter's autofit counts it as one).

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use guitu_domain::label::Label;
use guitu_domain::model::{Case, Person, RecordBody, Stage};

use crate::LedgerError;
use crate::column::LedgerColumn;
use crate::grammar;
use crate::row::note_of;

/// The name of the ledger's sheet.
pub const SHEET: &str = "台账";
/// The widest a column is made (in character units); longer text wraps.
pub const MAX_WIDTH: usize = 40;
/// The narrowest column.
pub const MIN_WIDTH: usize = 6;
/// Excel's date format for the ledger's dates.
pub const DATE_FORMAT: &str = "yyyy\"年\"m\"月\"d\"日\"";

/// A cell of the ledger as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Empty,
    Text(String),
    Date(NaiveDate),
    Number(u32),
}

impl Value {
    /// The value as the reader sees it (dates as 2026年1月31日).
    pub fn shown(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(t) => t.clone(),
            Value::Date(d) => grammar::fmt_date(*d),
            Value::Number(n) => n.to_string(),
        }
    }
}

/// One case with its records, to be written as a row.
#[derive(Debug, Clone, Copy)]
pub struct ExportCase<'a> {
    pub person: &'a Person,
    pub case: &'a Case,
    pub records: &'a [&'a RecordBody],
}

/// Who writes the ledger and for which year.
#[derive(Debug, Clone)]
pub struct ExportMeta {
    /// `None`: every case.
    pub year: Option<i32>,
    /// 填报单位 (the office setting).
    pub office: String,
    /// 填报人.
    pub user: String,
    /// 填报日期.
    pub date: NaiveDate,
}

/// Whether a case belongs in the ledger of `year`: received in the year, or received
/// earlier and not closed before the year began. A case's closing has no date of its
/// own: a closed case counts as closed on its latest record's date (its received date
/// when it has none).
pub fn in_year(case: &Case, records: &[&RecordBody], year: i32) -> bool {
    let received = case.received_date.year();
    if received == year {
        return true;
    }
    if received > year {
        return false;
    }
    if case.stage != Stage::Closed {
        return true;
    }
    let last = records
        .iter()
        .map(|r| r.date())
        .max()
        .unwrap_or(case.received_date)
        .max(case.received_date);
    last.year() >= year
}

/// The title of the ledger.
pub fn title(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("{y}年 被拐卖受害人救助帮扶台账"),
        None => "被拐卖受害人救助帮扶台账".to_owned(),
    }
}

/// The cells of a case's row, in [`LedgerColumn`] order.
pub fn row_values(seq: u32, c: &ExportCase<'_>) -> Vec<Value> {
    let text = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or(Value::Empty, |s| Value::Text(s.to_owned()))
    };
    let entries = |column: LedgerColumn| -> Value {
        let mut typed: Vec<(NaiveDate, String)> = c
            .records
            .iter()
            .filter(|r| grammar::column_of(r) == Some(column))
            .filter_map(|r| grammar::format(r).map(|t| (r.date(), t)))
            .collect();
        typed.sort();
        let mut lines: Vec<String> = typed.into_iter().map(|(_, t)| t).collect();
        lines.extend(c.records.iter().filter_map(|r| {
            match r {
                RecordBody::Note(n) => note_of(&n.text)
                    .filter(|(col, _)| *col == column)
                    .map(|(_, t)| t.to_owned()),
                _ => None,
            }
        }));
        text(Some(&lines.join("\n")))
    };
    let p = c.person;
    LedgerColumn::ALL
        .iter()
        .map(|col| match col {
            LedgerColumn::Seq => Value::Number(seq),
            LedgerColumn::Name => text(p.name.as_deref()),
            LedgerColumn::OtherNames => text(Some(&p.other_names.join("、"))),
            LedgerColumn::Sex => Value::Text(p.sex.zh().to_owned()),
            LedgerColumn::ResidentId => text(p.resident_id.as_deref()),
            LedgerColumn::BirthDate => match p.birth_date {
                None => Value::Empty,
                Some(b) if b.estimated => Value::Text(format!("约{}", grammar::fmt_date(b.date))),
                Some(b) => Value::Date(b.date),
            },
            LedgerColumn::HouseholdRegistration => text(p.household_registration.as_deref()),
            LedgerColumn::ReceivedDate => Value::Date(c.case.received_date),
            LedgerColumn::Institution => text(Some(&c.case.institution)),
            LedgerColumn::Referral => match entries(LedgerColumn::Referral) {
                Value::Empty => Value::Text(c.case.referral.zh().to_owned()),
                v => v,
            },
            LedgerColumn::Caseworker => text(Some(&c.case.caseworker)),
            column => entries(*column),
        })
        .collect()
}

/// Display width: a CJK or full-width character is two units, anything else one.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let wide = matches!(c as u32,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// The widths of the columns: the widest line of each (header included), plus a margin,
/// between [`MIN_WIDTH`] and [`MAX_WIDTH`].
pub fn column_widths(rows: &[Vec<Value>]) -> Vec<usize> {
    let mut widths: Vec<usize> = LedgerColumn::ALL
        .iter()
        .map(|c| display_width(c.zh()))
        .collect();
    for row in rows {
        for (w, v) in widths.iter_mut().zip(row) {
            let shown = v.shown();
            for line in shown.lines() {
                *w = (*w).max(display_width(line));
            }
        }
    }
    widths
        .into_iter()
        .map(|w| (w + 2).clamp(MIN_WIDTH, MAX_WIDTH))
        .collect()
}

fn xlsx<T>(r: Result<T, rust_xlsxwriter::XlsxError>) -> Result<T, LedgerError> {
    r.map_err(|_| LedgerError::Write)
}

/// The ledger of `cases` (in the order given) as an .xlsx file.
pub fn write(meta: &ExportMeta, cases: &[ExportCase<'_>]) -> Result<Vec<u8>, LedgerError> {
    let rows: Vec<Vec<Value>> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| row_values(i as u32 + 1, c))
        .collect();
    let widths = column_widths(&rows);
    let last = (LedgerColumn::ALL.len() - 1) as u16;

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    xlsx(sheet.set_name(SHEET))?;
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    xlsx(sheet.merge_range(0, 0, 0, last, &title(meta.year), &title_format))?;
    xlsx(sheet.set_row_height(0, 30))?;
    let filed = format!(
        "填报单位：{}    填报人：{}    填报日期：{}",
        meta.office,
        meta.user,
        grammar::fmt_date(meta.date)
    );
    xlsx(sheet.merge_range(1, 0, 1, last, &filed, &Format::new()))?;
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    for (i, c) in LedgerColumn::ALL.iter().enumerate() {
        xlsx(sheet.write_string_with_format(2, i as u16, c.zh(), &header_format))?;
        xlsx(sheet.set_column_width(i as u16, widths[i] as f64))?;
    }
    xlsx(sheet.set_freeze_panes(3, 0))?;
    let text_format = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let date_format = Format::new()
        .set_num_format(DATE_FORMAT)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                Value::Empty => xlsx(sheet.write_blank(r, c, &text_format).map(|_| ()))?,
                Value::Text(t) => xlsx(
                    sheet
                        .write_string_with_format(r, c, t, &text_format)
                        .map(|_| ()),
                )?,
                Value::Number(n) => xlsx(
                    sheet
                        .write_number_with_format(r, c, f64::from(*n), &text_format)
                        .map(|_| ()),
                )?,
                Value::Date(d) => {
                    let dt = xlsx(ExcelDateTime::from_ymd(
                        u16::try_from(d.year()).map_err(|_| LedgerError::Write)?,
                        d.month() as u8,
                        d.day() as u8,
                    ))?;
                    xlsx(
                        sheet
                            .write_datetime_with_format(r, c, &dt, &date_format)
                            .map(|_| ()),
                    )?
                }
            }
        }
    }
    xlsx(book.save_to_buffer())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_are_two_units_wide() {
        assert_eq!(display_width("姓名"), 4);
        assert_eq!(display_width("DZ-1"), 4);
        assert_eq!(display_width("2026年1月31日"), 4 + 2 + 1 + 2 + 2 + 2);
        assert_eq!(display_width("（）："), 6, "full-width punctuation is wide");
    }

    #[test]
    fn widths_fit_the_longest_line_within_the_bounds() {
        let mut row = vec![Value::Empty; LedgerColumn::ALL.len()];
        row[1] = Value::Text("欧阳娜娜娜".into());
        row[11] = Value::Text("短\n".to_owned() + &"长".repeat(60));
        let w = column_widths(&[row]);
        assert_eq!(w[0], MIN_WIDTH, "序号 is narrow and gets the minimum");
        assert_eq!(w[1], 12, "five characters = 10 units + 2");
        assert_eq!(w[11], MAX_WIDTH, "a long line wraps at the maximum width");
    }
}
