//! Cells as the ledger reads them, and dates in every form offices write them: Excel
//! serial dates (the 1900 date system, with its 29 February 1900 that never was) and
//! text (2025年3月5日, 2025.3.5, 2025/3/5, 2025-03-05, 20250305).

use chrono::NaiveDate;

/// A cell's value, as read from the workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell Excel formats as a date: its serial number (1900 date system unless the
    /// workbook says 1904).
    Date {
        serial: f64,
        is_1904: bool,
    },
    /// An error value (#N/A, #REF! …).
    Error,
}

impl Cell {
    /// From calamine's value.
    pub fn from_data(d: &calamine::Data) -> Cell {
        use calamine::Data;
        match d {
            Data::Empty => Cell::Empty,
            Data::String(s) => {
                let s = s.trim();
                if s.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_owned())
                }
            }
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_owned()),
            Data::DateTime(dt) => Cell::Date {
                serial: dt.as_f64(),
                is_1904: is_1904(dt),
            },
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.trim().to_owned()),
            Data::Error(_) => Cell::Error,
        }
    }

    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text: numbers without a fraction as integers (an ID number typed
    /// as a number is its digits, when they fit exactly).
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Empty | Cell::Error => None,
            Cell::Text(s) => Some(s.clone()),
            Cell::Number(f) | Cell::Date { serial: f, .. } => Some(number_text(*f)),
        }
    }
}

/// Whether a date cell counts from 1904 (calamine keeps it private; its 1900 and 1904
/// readings of serial 0 differ).
fn is_1904(dt: &calamine::ExcelDateTime) -> bool {
    let probe =
        calamine::ExcelDateTime::new(dt.as_f64(), calamine::ExcelDateTimeType::DateTime, true);
    probe.to_ymd_hms_milli() == dt.to_ymd_hms_milli()
}

/// A number as text: an integer without ".0"; anything else as Rust writes it.
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Why a value is not a date (the domain's one reader of written dates).
pub use guitu_domain::dates::{DateProblem, text_date};

/// The date of an Excel serial number (days since 1899-12-31, with the 1900 leap-year bug:
/// serial 60 is 29 February 1900, which never was). A time of day is dropped.
pub fn serial_date(serial: f64, is_1904: bool) -> Result<NaiveDate, DateProblem> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return Err(DateProblem::NotADate);
    }
    let dt = calamine::ExcelDateTime::new(
        serial.floor(),
        calamine::ExcelDateTimeType::DateTime,
        is_1904,
    );
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)).ok_or(DateProblem::Impossible)
}

/// A cell of a date column as a date: a date cell, a serial number, or text.
pub fn cell_date(cell: &Cell) -> Result<Option<NaiveDate>, DateProblem> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Error => Err(DateProblem::NotADate),
        Cell::Date { serial, is_1904 } => serial_date(*serial, *is_1904).map(Some),
        Cell::Number(f) => {
            // 20250305 typed as a number is the text form, not a serial date.
            if f.fract() == 0.0 && (19_000_101.0..=21_001_231.0).contains(f) {
                text_date(&number_text(*f)).map(Some)
            } else {
                serial_date(*f, false).map(Some)
            }
        }
        Cell::Text(s) => text_date(s).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn serial_dates_follow_excels_1900_system_and_its_missing_leap_day() {
        assert_eq!(serial_date(1.0, false), Ok(d(1900, 1, 1)));
        assert_eq!(serial_date(59.0, false), Ok(d(1900, 2, 28)));
        assert_eq!(
            serial_date(60.0, false),
            Err(DateProblem::Impossible),
            "serial 60 is Excel's 29 February 1900, which never was"
        );
        assert_eq!(serial_date(61.0, false), Ok(d(1900, 3, 1)));
        assert_eq!(serial_date(45721.0, false), Ok(d(2025, 3, 5)));
        assert_eq!(
            serial_date(45721.75, false),
            Ok(d(2025, 3, 5)),
            "the time is dropped"
        );
        assert_eq!(serial_date(0.0, false), Err(DateProblem::NotADate));
    }

    #[test]
    fn text_dates_in_every_office_form() {
        for s in [
            "2025年3月5日",
            "2025.3.5",
            "2025/3/5",
            "2025-03-05",
            "20250305",
            "２０２５年３月５日",
            " 2025 年 3 月 5 日 ",
        ] {
            assert_eq!(text_date(s), Ok(d(2025, 3, 5)), "{s}");
        }
        assert_eq!(text_date("2026-02-30"), Err(DateProblem::Impossible));
        assert_eq!(text_date("2026年2月30日"), Err(DateProblem::Impossible));
        for s in [
            "3月5日",
            "25.3.5",
            "5/3/2025",
            "不详",
            "2025年3月",
            "2025.13",
        ] {
            assert_eq!(
                text_date(s),
                Err(DateProblem::NotADate),
                "{s} is never guessed"
            );
        }
    }

    #[test]
    fn number_cells_in_date_columns() {
        assert_eq!(cell_date(&Cell::Number(45721.0)), Ok(Some(d(2025, 3, 5))));
        assert_eq!(
            cell_date(&Cell::Number(20250305.0)),
            Ok(Some(d(2025, 3, 5)))
        );
        assert_eq!(cell_date(&Cell::Empty), Ok(None));
        assert_eq!(cell_date(&Cell::Error), Err(DateProblem::NotADate));
    }
}
