//! Ledgers (台账) in and out: an office's Excel ledger previewed (sheets, header row,
//! proposed mapping, the first rows as Guitu will store them, possible duplicates) and
//! imported through the same all-or-nothing path as a JSON import; the ledger of a year
//! exported as .xlsx, an audit entry like a print.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use guitu_domain::access::Permission;
use guitu_domain::label::{Label, LabelledEnum};
use guitu_domain::model::{Record, RecordBody};
use guitu_ledger::sheet::{locate, read_workbook};
use guitu_ledger::{
    LedgerColumn, LedgerError, LedgerMapping, LedgerRow, RowContext, RowError, RowProblem,
};
use guitu_store::AuditAction;
use guitu_text::LedgerCell;

use crate::transfer::{
    FORMAT, ImportDecisions, ImportDuplicate, ImportReport, TransferFile, VERSION,
};
use crate::{ApiError, ImportError, Problem, Result, Session};

pub use guitu_ledger::{
    LedgerColumn as Column, LedgerMapping as Mapping, LedgerRow as Row, MappedColumn, parse_map,
};

/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// What a ledger would import, before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LedgerPreview {
    /// Every sheet of the workbook.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
    /// The header row as Excel numbers it.
    pub header_row: u32,
    /// Every column of the header row and the ledger column it maps to.
    pub mapping: LedgerMapping,
    /// Data rows (blank rows left out).
    pub rows: u32,
    /// Rows with a problem (an import refuses the file while there is one).
    pub bad_rows: u32,
    /// The first rows as Guitu will store them, or their problems.
    pub first_rows: Vec<LedgerPreviewRow>,
    /// A problem of the whole file with this mapping (a column missing, no institution).
    pub problem: Option<Problem>,
    /// The first refused cell of the whole ledger, if any (the import would report it).
    pub first_problem: Option<Problem>,
    /// Persons of the ledger who may already be in the vault (R-DUP), when every row is good.
    pub duplicates: Vec<LedgerDuplicate>,
}

/// One row of a preview.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LedgerPreviewRow {
    pub row: u32,
    /// What Guitu will store (ids and the case number are given at import).
    pub item: Option<LedgerRow>,
    pub problems: Vec<Problem>,
}

/// A person of the ledger (its row) who may be a person of the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct LedgerDuplicate {
    pub row: u32,
    /// The candidate pair; `duplicate.file_person` is the id the decisions name.
    pub duplicate: ImportDuplicate,
}

/// A ledger's row problem as the front ends receive it.
pub fn row_problem(e: &RowError) -> Problem {
    let at = Box::new(LedgerCell {
        sheet: e.sheet.clone(),
        sheet_index: e.sheet_index,
        row: e.row,
        letter: e.letter.clone(),
        header: e.header.clone(),
        column: e.column.as_str().to_owned(),
    });
    match &e.problem {
        RowProblem::MissingValue => Problem::LedgerMissingValue { at },
        RowProblem::NotADate => Problem::LedgerNotADate { at },
        RowProblem::ImpossibleDate => Problem::LedgerImpossibleDate { at },
        RowProblem::FutureDate => Problem::LedgerFutureDate { at },
        RowProblem::InvalidIdNumber { id_problem } => Problem::LedgerBadIdNumber {
            at,
            problem: *id_problem,
        },
        RowProblem::IdAsNumber => Problem::LedgerIdAsNumber { at },
        RowProblem::UnknownValue { allowed } => Problem::LedgerUnknownValue {
            at,
            allowed: allowed.clone(),
        },
        RowProblem::TooLong { max } => Problem::LedgerTooLong { at, max: *max },
        RowProblem::ErrorCell => Problem::LedgerErrorCell { at },
        RowProblem::Rule { error } => Problem::LedgerRule {
            at,
            error: error.clone(),
        },
    }
}

/// A ledger error as the front ends receive it.
pub fn ledger_problem(e: &LedgerError, sheet: Option<&str>) -> Problem {
    match e {
        LedgerError::NotWorkbook => Problem::LedgerNotWorkbook,
        LedgerError::NoSuchSheet => Problem::LedgerNoSheet {
            sheet: sheet.unwrap_or_default().chars().take(40).collect(),
        },
        LedgerError::NoHeader => Problem::LedgerNoHeader,
        LedgerError::MissingColumn { column } => Problem::LedgerMissingColumn {
            column: column.as_str().to_owned(),
            header: column.zh().to_owned(),
        },
        LedgerError::ColumnTwice { column } => Problem::LedgerColumnTwice {
            column: column.as_str().to_owned(),
            header: column.zh().to_owned(),
        },
        LedgerError::BadMap => Problem::LedgerBadMap,
        LedgerError::UnknownMapColumn { given } => Problem::LedgerUnknownMapColumn {
            given: given.clone(),
            allowed: LedgerColumn::keys(),
        },
        LedgerError::MapHeaderMissing => Problem::LedgerMapHeaderMissing,
        LedgerError::NoInstitution => Problem::LedgerNoInstitution,
        LedgerError::Empty => Problem::LedgerEmpty,
        LedgerError::AlreadyImported => Problem::LedgerAlreadyImported,
        LedgerError::Row(r) => row_problem(r),
        LedgerError::Write => Problem::LedgerWriteFailed,
    }
}

/// The ids of a ledger's items: the first six bytes from the file and sheet, then the
/// kind, the row and the record's place in the row (a UUID of version 8). The same file
/// gives the same ids, so a preview's persons are the import's, and a ledger imported
/// twice is recognised.
#[derive(Debug, Clone, Copy)]
struct Ids([u8; 6]);

impl Ids {
    fn of(bytes: &[u8], sheet: &str) -> Ids {
        let mut h = Sha256::new();
        h.update(bytes);
        h.update([0u8]);
        h.update(sheet.as_bytes());
        let digest = h.finalize();
        let mut key = [0u8; 6];
        key.copy_from_slice(&digest[..6]);
        Ids(key)
    }

    fn id(&self, kind: u8, row: u32, seq: u32) -> Uuid {
        let mut b = [0u8; 16];
        b[..6].copy_from_slice(&self.0);
        b[6] = 0x80 | (kind & 0x0F);
        b[7] = 0;
        b[8] = 0x80;
        b[9..13].copy_from_slice(&row.to_be_bytes());
        b[13..16].copy_from_slice(&seq.to_be_bytes()[1..]);
        Uuid::from_bytes(b)
    }

    fn person(&self, row: u32) -> Uuid {
        self.id(1, row, 0)
    }

    fn case(&self, row: u32) -> Uuid {
        self.id(2, row, 0)
    }

    fn record(&self, row: u32, seq: u32) -> Uuid {
        self.id(3, row, seq)
    }
}

/// Where each generated item came from: its row and the column that made it.
type Origins = HashMap<Uuid, (u32, LedgerColumn)>;

/// A read ledger: its layout and rows.
struct Read {
    sheets: Vec<String>,
    layout: guitu_ledger::Layout,
    ids: Ids,
}

impl Session {
    fn row_context(&self) -> Result<(chrono::NaiveDate, String, String)> {
        Ok((
            crate::clock::today()?,
            self.settings.office.clone(),
            self.user.name.clone(),
        ))
    }

    fn read_ledger(
        bytes: &[u8],
        sheet: Option<&str>,
        mapping: Option<LedgerMapping>,
    ) -> Result<Read> {
        let wrap = |e: LedgerError| ApiError::Ledger(e, sheet.map(str::to_owned));
        let sheets = read_workbook(bytes).map_err(wrap)?;
        let mut layout = locate(&sheets, sheet).map_err(wrap)?;
        if let Some(m) = mapping {
            layout.mapping = m;
        }
        Ok(Read {
            sheets: sheets.iter().map(|s| s.name.clone()).collect(),
            ids: Ids::of(bytes, &layout.sheet),
            layout,
        })
    }

    /// The ledger of a workbook as it would be imported: sheets, header row, the mapping
    /// (proposed from the headers, or `mapping` as corrected), the first rows as Guitu
    /// will store them with their problems, and the persons who may already be in the
    /// vault. Nothing is written.
    pub fn ledger_preview(
        &self,
        bytes: &[u8],
        sheet: Option<&str>,
        mapping: Option<LedgerMapping>,
    ) -> Result<LedgerPreview> {
        self.require(Permission::Import)?;
        let read = Self::read_ledger(bytes, sheet, mapping)?;
        let (today, office, user) = self.row_context()?;
        let ctx = RowContext {
            today,
            office: &office,
            user: &user,
        };
        let mut preview = LedgerPreview {
            sheets: read.sheets.clone(),
            sheet: read.layout.sheet.clone(),
            header_row: read.layout.header_row,
            mapping: read.layout.mapping.clone(),
            rows: read.layout.rows.len() as u32,
            bad_rows: 0,
            first_rows: Vec::new(),
            problem: None,
            first_problem: None,
            duplicates: Vec::new(),
        };
        let rows = match guitu_ledger::read(&read.layout, &ctx) {
            Ok(rows) => rows,
            Err(e) => {
                preview.problem = Some(ledger_problem(&e, sheet));
                return Ok(preview);
            }
        };
        let mut good = Vec::new();
        for (i, r) in rows.into_iter().enumerate() {
            match r {
                Ok(row) => {
                    if i < PREVIEW_ROWS {
                        preview.first_rows.push(LedgerPreviewRow {
                            row: row.row,
                            item: Some(row.clone()),
                            problems: Vec::new(),
                        });
                    }
                    good.push(row);
                }
                Err(errors) => {
                    preview.bad_rows += 1;
                    if preview.first_problem.is_none() {
                        preview.first_problem = errors.first().map(row_problem);
                    }
                    if i < PREVIEW_ROWS {
                        preview.first_rows.push(LedgerPreviewRow {
                            row: errors.first().map_or(0, |e| e.row),
                            item: None,
                            problems: errors.iter().map(row_problem).collect(),
                        });
                    }
                }
            }
        }
        if preview.bad_rows == 0 && !good.is_empty() {
            let (file, _, _) = self.ledger_file(&good, read.ids, "")?;
            let rows_of: HashMap<Uuid, u32> = good
                .iter()
                .map(|r| (read.ids.person(r.row), r.row))
                .collect();
            preview.duplicates = self
                .import_duplicates(&file)?
                .into_iter()
                .map(|d| LedgerDuplicate {
                    row: Uuid::parse_str(&d.file_person)
                        .ok()
                        .and_then(|id| rows_of.get(&id).copied())
                        .unwrap_or_default(),
                    duplicate: d,
                })
                .collect();
        }
        Ok(preview)
    }

    /// The transfer file of a ledger's rows: ids from the file, case numbers after the
    /// vault's, records made by the importing user now. Also where each item came from
    /// and each case's source (`台账.xlsx 第12行`).
    fn ledger_file(
        &self,
        rows: &[LedgerRow],
        ids: Ids,
        file_name: &str,
    ) -> Result<(TransferFile, Origins, HashMap<Uuid, String>)> {
        let prefix = self.settings.case_prefix.clone();
        let mut next: HashMap<i32, u32> = HashMap::new();
        let now = chrono::Utc::now();
        let mut file = TransferFile {
            format: FORMAT.into(),
            version: VERSION,
            persons: Vec::with_capacity(rows.len()),
            cases: Vec::with_capacity(rows.len()),
            records: Vec::new(),
        };
        let mut origins = Origins::new();
        let mut sources = HashMap::new();
        for r in rows {
            let person_id = ids.person(r.row);
            let case_id = ids.case(r.row);
            let mut person = r.person.clone();
            person.id = person_id;
            let mut case = r.case.clone();
            case.id = case_id;
            case.person_id = person_id;
            let year = case.received_date.year();
            let seq = match next.get_mut(&year) {
                Some(n) => n,
                None => next
                    .entry(year)
                    .or_insert(self.vault.max_case_seq(&prefix, year)?),
            };
            *seq += 1;
            case.case_number = self.settings.case_number(year, *seq);
            origins.insert(person_id, (r.row, LedgerColumn::Name));
            origins.insert(case_id, (r.row, LedgerColumn::ReceivedDate));
            for (i, rec) in r.records.iter().enumerate() {
                let id = ids.record(r.row, i as u32);
                origins.insert(id, (r.row, rec.column));
                file.records.push(Record {
                    id,
                    case_id,
                    body: rec.body.clone(),
                    created_at: now,
                    created_by: self.user.name.clone(),
                    updated_at: now,
                    updated_by: self.user.name.clone(),
                });
            }
            sources.insert(case_id, format!("{file_name} 第{}行", r.row));
            file.persons.push(person);
            file.cases.push(case);
        }
        Ok((file, origins, sources))
    }

    /// Imports a ledger: every row read and checked, then the same all-or-nothing import
    /// as a JSON file (domain validation, R-DUP decisions). A refused row names the
    /// sheet, the row, the column's header and why. Every case keeps its ledger row as
    /// its source (`台账.xlsx 第12行`, in its history).
    pub fn import_ledger(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        sheet: Option<&str>,
        mapping: Option<LedgerMapping>,
        decisions: &ImportDecisions,
    ) -> Result<ImportReport> {
        self.require(Permission::Import)?;
        let read = Self::read_ledger(bytes, sheet, mapping)?;
        let wrap = |e: LedgerError| ApiError::Ledger(e, sheet.map(str::to_owned));
        let (today, office, user) = self.row_context()?;
        let ctx = RowContext {
            today,
            office: &office,
            user: &user,
        };
        let rows = guitu_ledger::read_all(&read.layout, &ctx).map_err(wrap)?;
        if let Some(first) = rows.first()
            && self.vault.case(read.ids.case(first.row)).is_ok()
        {
            return Err(wrap(LedgerError::AlreadyImported));
        }
        let (file, origins, sources) = self.ledger_file(&rows, read.ids, file_name)?;
        let at_row = |id: Option<&String>, error| -> Option<ApiError> {
            let id = Uuid::parse_str(id?).ok()?;
            let (row, default) = origins.get(&id).copied()?;
            let (column, problem) = guitu_ledger::row::domain_problem(error, default);
            Some(wrap(LedgerError::Row(Box::new(
                guitu_ledger::row::row_error(&read.layout, row, column, problem),
            ))))
        };
        match self.import_checked_from(
            file,
            &format!("ledger:{file_name}"),
            Some(decisions),
            sources,
        ) {
            Err(ApiError::Import(ImportError::Rule { at, error })) => {
                Err(at_row(at.id.as_ref(), error.clone())
                    .unwrap_or(ApiError::Import(ImportError::Rule { at, error })))
            }
            other => other,
        }
    }

    /// The ledger as an .xlsx file: one row per case within the user's reach — of
    /// `year`, the cases received in it and those received earlier and not closed
    /// before it began; without a year, every case. Logged in the audit trail (the year
    /// and the row count, never the content).
    pub fn export_ledger(&mut self, year: Option<i32>) -> Result<Vec<u8>> {
        self.require_any(Permission::ExportLedger)?;
        let within = self
            .vault
            .case_ids_within(&self.reach(Permission::ExportLedger))?;
        let (persons, cases, records) = self.vault.export_all()?;
        let persons: HashMap<Uuid, _> = persons.into_iter().map(|p| (p.id, p)).collect();
        let mut bodies: HashMap<Uuid, Vec<&RecordBody>> = HashMap::new();
        for r in &records {
            bodies.entry(r.case_id).or_default().push(&r.body);
        }
        let empty: Vec<&RecordBody> = Vec::new();
        let allowed = |id: &Uuid| {
            within
                .as_ref()
                .is_none_or(|w: &HashSet<String>| w.contains(&id.to_string()))
        };
        let mut chosen: Vec<guitu_ledger::ExportCase<'_>> = cases
            .iter()
            .filter(|c| allowed(&c.id))
            .filter_map(|c| {
                let person = persons.get(&c.person_id)?;
                let records = bodies.get(&c.id).unwrap_or(&empty);
                let keep = year.is_none_or(|y| guitu_ledger::export::in_year(c, records, y));
                keep.then_some(guitu_ledger::ExportCase {
                    person,
                    case: c,
                    records,
                })
            })
            .collect();
        chosen.sort_by(|a, b| {
            (a.case.received_date, &a.case.case_number)
                .cmp(&(b.case.received_date, &b.case.case_number))
        });
        let meta = guitu_ledger::ExportMeta {
            year,
            office: self.settings.office.clone(),
            user: self.user.name.clone(),
            date: crate::clock::today()?,
        };
        let bytes =
            guitu_ledger::export::write(&meta, &chosen).map_err(|e| ApiError::Ledger(e, None))?;
        let target = match year {
            Some(y) => format!("ledger:{y}"),
            None => "ledger:all".to_owned(),
        };
        self.vault.audit(
            AuditAction::LedgerExported,
            &target,
            &format!("rows={}", chosen.len()),
        )?;
        Ok(bytes)
    }
}
