//! Excel ledgers (台账): offices' workbooks read into domain rows, and the ledger written
//! back out (issue 13). No SQL and no Tauri here: the API turns rows into an import.
//!
//! Reading: [`sheet::read_workbook`] (calamine: .xlsx and .xls), [`sheet::locate`] (the
//! sheet, the header row, the proposed [`LedgerMapping`]), [`read`] (every data row made
//! into a [`LedgerRow`] or its [`RowError`]s). Writing: [`export::write`]. The grammar of
//! the record columns is [`grammar`] (docs/ledger-format.md).

pub mod cell;
pub mod column;
pub mod error;
pub mod export;
pub mod grammar;
pub mod row;
pub mod sheet;

pub use column::LedgerColumn;
pub use error::{LedgerError, RowError, RowProblem};
pub use export::{ExportCase, ExportMeta};
pub use row::{LedgerRecord, LedgerRow, RowContext};
pub use sheet::{Layout, LedgerMapping, MappedColumn, Sheet};

/// Every data row of a located ledger, each made into a row or refused with its problems.
/// Refuses the whole file when a column it cannot do without is missing: the rescue or
/// admission date, and the receiving institution when there is no office to stand in.
pub fn read(
    layout: &Layout,
    ctx: &RowContext<'_>,
) -> Result<Vec<Result<LedgerRow, Vec<RowError>>>, LedgerError> {
    check_columns(layout, ctx)?;
    Ok(layout
        .rows
        .iter()
        .map(|(row, cells)| row::read_row(layout, *row, cells, ctx))
        .collect())
}

/// The columns a ledger cannot do without.
pub fn check_columns(layout: &Layout, ctx: &RowContext<'_>) -> Result<(), LedgerError> {
    layout.mapping.check()?;
    if layout
        .mapping
        .index_of(LedgerColumn::ReceivedDate)
        .is_none()
    {
        return Err(LedgerError::MissingColumn {
            column: LedgerColumn::ReceivedDate,
        });
    }
    if layout.mapping.index_of(LedgerColumn::Institution).is_none() && ctx.office.trim().is_empty()
    {
        return Err(LedgerError::NoInstitution);
    }
    Ok(())
}

/// Every row of a ledger, or the first refused cell (in row order, then column order):
/// an import is all or nothing.
pub fn read_all(layout: &Layout, ctx: &RowContext<'_>) -> Result<Vec<LedgerRow>, LedgerError> {
    let rows = read(layout, ctx)?;
    if rows.is_empty() {
        return Err(LedgerError::Empty);
    }
    rows.into_iter()
        .map(|r| {
            r.map_err(|errors| match errors.into_iter().next() {
                Some(e) => LedgerError::Row(Box::new(e)),
                None => LedgerError::Empty,
            })
        })
        .collect()
}

/// A `--map` file: a JSON object of header text → column key (`""` or `null`: ignore
/// the column), e.g. `{"受助人": "name", "备注": null}`.
pub fn parse_map(json: &[u8]) -> Result<Vec<(String, Option<String>)>, LedgerError> {
    let bytes = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|_| LedgerError::BadMap)?;
    map.into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::Null => Ok((k, None)),
            serde_json::Value::String(s) => Ok((k, Some(s))),
            _ => Err(LedgerError::BadMap),
        })
        .collect()
}
