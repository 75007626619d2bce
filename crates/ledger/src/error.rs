//! What a ledger is refused for: typed, with the sheet, row and column, never a cell's
//! value (a name or an ID number must not reach a message or a log).

use serde::Serialize;

use guitu_domain::label::LabelledEnum;
use guitu_domain::{DomainError, IdNumberProblem};

use crate::column::LedgerColumn;

/// Why one cell of a row is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum RowProblem {
    /// A value the row needs is blank (the rescue or admission date).
    MissingValue,
    /// Not a date in any form the ledger reads.
    NotADate,
    /// A date that does not exist (2026-02-30, Excel's 29 February 1900).
    ImpossibleDate,
    /// A date after today.
    FutureDate,
    /// Not a valid resident ID number (R-ID-NUM), and why.
    InvalidIdNumber { id_problem: IdNumberProblem },
    /// An 18-digit ID number stored as a number: Excel keeps only 15 digits of it.
    IdAsNumber,
    /// Not one of the values the column accepts.
    UnknownValue { allowed: Vec<String> },
    /// Longer than the field it goes into allows.
    TooLong { max: u32 },
    /// An Excel error value (#N/A, #REF! …).
    ErrorCell,
    /// A rule of the domain refuses what the row makes.
    Rule { error: DomainError },
}

/// One refused cell: where it is (sheet, row as Excel numbers it, the header as written
/// in the file, the ledger column) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RowError {
    pub sheet: String,
    /// The sheet's place in the workbook, from 1.
    pub sheet_index: u32,
    pub row: u32,
    /// The column's letter as Excel shows it (A, B …); empty for a column the file lacks.
    pub letter: String,
    pub header: String,
    pub column: LedgerColumn,
    pub problem: RowProblem,
}

/// The one error type of the ledger crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// Neither .xlsx nor .xls (or damaged).
    #[error("not an Excel workbook this build reads")]
    NotWorkbook,
    /// `--sheet` names no sheet of the workbook.
    #[error("the workbook has no sheet of that name")]
    NoSuchSheet,
    /// No row among the first rows names at least three ledger columns.
    #[error("no header row with at least three known column headers")]
    NoHeader,
    /// A column the ledger cannot do without is not mapped.
    #[error("no column is mapped to {}", .column.as_str())]
    MissingColumn { column: LedgerColumn },
    /// Two file columns are mapped to one ledger column.
    #[error("two columns are mapped to {}", .column.as_str())]
    ColumnTwice { column: LedgerColumn },
    /// A `--map` file that is not a JSON object of header → column key.
    #[error("the mapping file is not a JSON object of header texts to column keys")]
    BadMap,
    /// A `--map` file names a column key that does not exist.
    #[error("the mapping file names an unknown column")]
    UnknownMapColumn { given: String },
    /// A `--map` file names a header that is not in the header row.
    #[error("the mapping file names a header the sheet does not have")]
    MapHeaderMissing,
    /// No 接收机构 column and no office in the settings: the cases would have no
    /// receiving institution.
    #[error("no receiving institution: map a column to it or set the office in the settings")]
    NoInstitution,
    /// The sheet has a header and no data rows.
    #[error("the ledger has no rows")]
    Empty,
    /// The same ledger (file and sheet) was imported already.
    #[error("this ledger was imported already")]
    AlreadyImported,
    /// A row is refused.
    #[error("row {} refused at column {}", .0.row, .0.column.as_str())]
    Row(Box<RowError>),
    /// The workbook could not be written.
    #[error("the workbook could not be written")]
    Write,
}
