//! Reading a workbook (.xlsx or .xls, calamine) and finding the ledger in it: the sheet,
//! the header row (below any title rows; a two-row header with group cells merged above
//! sub-headers), the proposed mapping, and the data rows (blank rows skipped).

use std::io::Cursor;

use calamine::Reader;
use serde::{Deserialize, Serialize};

use crate::LedgerError;
use crate::cell::Cell;
use crate::column::LedgerColumn;

/// How many non-blank rows from the top may come before the header row.
pub const HEADER_SEARCH_ROWS: usize = 10;
/// How many recognised headers make a row the header row.
pub const HEADER_MIN_RECOGNISED: usize = 3;

/// One sheet's cells: rows with their number as Excel shows it (from 1), cells by
/// column index (from 0, A = 0).
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<(u32, Vec<Cell>)>,
}

/// Every sheet of a workbook, in order.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, LedgerError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|_| LedgerError::NotWorkbook)?;
    let names = book.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|_| LedgerError::NotWorkbook)?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (i, r) in range.rows().enumerate() {
            let mut cells = vec![Cell::Empty; col0 as usize];
            cells.extend(r.iter().map(Cell::from_data));
            while cells.last().is_some_and(Cell::is_empty) {
                cells.pop();
            }
            if !cells.is_empty() {
                rows.push((row0 + i as u32 + 1, cells));
            }
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// The letter of a column index (0 → A, 26 → AA), as Excel shows it.
pub fn column_letter(mut index: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.iter().rev().collect()
}

/// A column of the file: its header as written and the ledger column it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MappedColumn {
    /// Column index from 0 (A = 0).
    pub index: u32,
    /// The column's letter as Excel shows it (A, B … AA).
    pub letter: String,
    /// The header as written in the file (a two-row header: the group and the
    /// sub-header joined by "/").
    pub header: String,
    /// The ledger column it maps to; `None`: ignored.
    pub column: Option<LedgerColumn>,
}

/// Which file column holds which ledger column: proposed from the headers, confirmed or
/// corrected by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LedgerMapping {
    pub columns: Vec<MappedColumn>,
}

impl LedgerMapping {
    /// The file column mapped to `column`.
    pub fn index_of(&self, column: LedgerColumn) -> Option<&MappedColumn> {
        self.columns.iter().find(|c| c.column == Some(column))
    }

    /// Refuses a ledger column mapped from two file columns.
    pub fn check(&self) -> Result<(), LedgerError> {
        for c in LedgerColumn::ALL {
            if self.columns.iter().filter(|m| m.column == Some(*c)).count() > 1 {
                return Err(LedgerError::ColumnTwice { column: *c });
            }
        }
        Ok(())
    }

    /// This mapping with a `--map` file's choices: header text → column key (`""` or
    /// `null`: ignore the column). Headers compare as the proposal does.
    pub fn with_overrides(
        mut self,
        overrides: &[(String, Option<String>)],
    ) -> Result<LedgerMapping, LedgerError> {
        for (header, key) in overrides {
            let column =
                match key.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(k) => Some(LedgerColumn::of_key(k).ok_or_else(|| {
                        LedgerError::UnknownMapColumn {
                            given: k.chars().take(40).collect(),
                        }
                    })?),
                };
            let wanted = crate::column::normalise_header(header);
            let mut found = false;
            for m in &mut self.columns {
                let h = crate::column::normalise_header(&m.header);
                let sub = m
                    .header
                    .rsplit('/')
                    .next()
                    .map(crate::column::normalise_header);
                if h == wanted || sub.as_deref() == Some(wanted.as_str()) {
                    m.column = column;
                    found = true;
                }
            }
            if !found {
                return Err(LedgerError::MapHeaderMissing);
            }
        }
        Ok(self)
    }
}

/// Where the ledger is in a sheet.
#[derive(Debug, Clone)]
pub struct Layout {
    pub sheet: String,
    /// The sheet's place in the workbook, from 1.
    pub sheet_index: u32,
    /// The header row as Excel numbers it (the sub-header row of a two-row header).
    pub header_row: u32,
    pub mapping: LedgerMapping,
    /// The data rows: Excel row number and cells; blank rows left out.
    pub rows: Vec<(u32, Vec<Cell>)>,
}

fn recognised(row: &[Cell]) -> Vec<Option<LedgerColumn>> {
    row.iter()
        .map(|c| match c {
            Cell::Text(t) => LedgerColumn::of_header(t),
            _ => None,
        })
        .collect()
}

fn text_at(row: &[Cell], i: usize) -> Option<String> {
    match row.get(i) {
        Some(Cell::Text(t)) => Some(t.clone()),
        _ => None,
    }
}

/// Finds the header of a sheet, if it has one.
fn layout_of(index: usize, sheet: &Sheet) -> Option<Layout> {
    let top: Vec<usize> = (0..sheet.rows.len()).take(HEADER_SEARCH_ROWS).collect();
    let h = top.into_iter().find(|&i| {
        recognised(&sheet.rows[i].1)
            .iter()
            .filter(|c| c.is_some())
            .count()
            >= HEADER_MIN_RECOGNISED
    })?;
    let (header_no, header) = &sheet.rows[h];
    let mut rec = recognised(header);
    let mut texts: Vec<Option<String>> = (0..header.len()).map(|i| text_at(header, i)).collect();
    let mut last_header_row = *header_no;
    let mut data_from = h + 1;
    // A sub-header row right below: a recognised header where the header row has none
    // (a group cell merged across columns sits above its sub-headers).
    if let Some((next_no, next)) = sheet.rows.get(h + 1)
        && *next_no == header_no + 1
    {
        let sub = recognised(next);
        let adds = sub
            .iter()
            .enumerate()
            .any(|(i, c)| c.is_some() && rec.get(i).copied().flatten().is_none());
        if adds {
            let width = next.len().max(header.len());
            rec.resize(width, None);
            texts.resize(width, None);
            // The group a merged cell names runs on to the right over blank cells.
            let mut group: Option<String> = None;
            for i in 0..width {
                let top = text_at(header, i);
                if top.is_some() {
                    group = top.clone().filter(|_| rec[i].is_none());
                }
                if let Some(s) = sub.get(i).copied().flatten() {
                    rec[i] = Some(s);
                    let sub_text = text_at(next, i).unwrap_or_default();
                    texts[i] = Some(match &group {
                        Some(g) => format!("{g}/{sub_text}"),
                        None => sub_text,
                    });
                } else if rec[i].is_none()
                    && let Some(t) = text_at(next, i)
                {
                    texts[i] = Some(match &group {
                        Some(g) => format!("{g}/{t}"),
                        None => t,
                    });
                }
            }
            last_header_row = *next_no;
            data_from = h + 2;
        }
    }
    // A header merged down from the row above (the found row is a sub-header row).
    if h > 0 {
        let (above_no, above) = &sheet.rows[h - 1];
        if *above_no + 1 == *header_no {
            let up = recognised(above);
            for (i, c) in up.iter().enumerate() {
                if c.is_some()
                    && rec.get(i).copied().flatten().is_none()
                    && text_at(header, i).is_none()
                {
                    if rec.len() <= i {
                        rec.resize(i + 1, None);
                        texts.resize(i + 1, None);
                    }
                    rec[i] = *c;
                    texts[i] = text_at(above, i);
                }
            }
        }
    }
    let mut seen = Vec::new();
    let columns = rec
        .iter()
        .zip(texts)
        .enumerate()
        .filter_map(|(i, (c, t))| {
            let header = t?;
            // The first column for a ledger column wins; a second is shown, unmapped.
            let column = c.filter(|c| !seen.contains(c));
            if let Some(c) = column {
                seen.push(c);
            }
            Some(MappedColumn {
                index: i as u32,
                letter: column_letter(i as u32),
                header,
                column,
            })
        })
        .collect();
    Some(Layout {
        sheet: sheet.name.clone(),
        sheet_index: index as u32 + 1,
        header_row: last_header_row,
        mapping: LedgerMapping { columns },
        rows: sheet.rows[data_from..]
            .iter()
            .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
            .cloned()
            .collect(),
    })
}

/// The ledger of a workbook: the sheet named, else the first sheet with a header.
pub fn locate(sheets: &[Sheet], sheet: Option<&str>) -> Result<Layout, LedgerError> {
    match sheet {
        Some(name) => {
            let (i, s) = sheets
                .iter()
                .enumerate()
                .find(|(_, s)| s.name == name || s.name.trim() == name.trim())
                .ok_or(LedgerError::NoSuchSheet)?;
            layout_of(i, s).ok_or(LedgerError::NoHeader)
        }
        None => sheets
            .iter()
            .enumerate()
            .find_map(|(i, s)| layout_of(i, s))
            .ok_or(LedgerError::NoHeader),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_as_excel_shows_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
