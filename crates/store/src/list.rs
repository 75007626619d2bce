//! The case list of the desktop app: filtered, sorted pages over the cases table's
//! covering indexes (migration 0002), so a page or a count never reads the case rows.

use rusqlite::{Connection, ToSql};
use serde::{Deserialize, Serialize};

use guitu_domain::model::{CaseFlag, CaseFlags, Stage};

use crate::Result;
use crate::rows::Db;

/// Orders of the case list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseSort {
    CaseNumber,
    Name,
    ReceivedDate,
    Stage,
    /// By the nearest open deadline (the domain judges them; the API gives the order),
    /// cases without one after, by case number.
    NextDue,
}

/// A page of the case list: text search, filters, order, page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct CaseListQuery {
    /// Search text (names, case number, ID number, notes); empty for every case.
    pub query: String,
    pub stage: Option<Stage>,
    /// Only cases that are not closed.
    #[serde(default)]
    pub active: bool,
    /// Every one of these flags must be set.
    pub flags: Vec<CaseFlag>,
    pub caseworker: Option<String>,
    pub institution: Option<String>,
    pub sort: CaseSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

/// One row of the case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CaseListRow {
    pub id: String,
    pub case_number: String,
    /// The person's name as recorded (`None` while unknown).
    pub name: Option<String>,
    /// The intake number that stands in while the name is unknown.
    pub intake_number: Option<String>,
    pub stage: Stage,
    pub flags: CaseFlags,
    pub caseworker: String,
    pub institution: String,
    pub received_date: String,
    /// R-ID-3M may still ask something of the case.
    pub id3m_open: bool,
    /// The nearest open deadline and the counts of overdue and due-soon ones: judged by
    /// the domain and filled in by the API (the store leaves it `None`).
    pub next_due: Option<guitu_domain::rules::due::CaseDue>,
}

/// A page of the case list and how many cases match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CaseList {
    pub total: u32,
    pub rows: Vec<CaseListRow>,
}

/// The values the list's filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CaseFacets {
    pub caseworkers: Vec<String>,
    pub institutions: Vec<String>,
}

/// Number of cases in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StageCount {
    pub stage: Stage,
    pub count: u32,
}

/// Which cases a user may list (R-ACCESS; the API makes it from the user's roles): every
/// case, or those whose responsible caseworker is `caseworker`, or those received or
/// sheltered in `institution`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseReach {
    pub all: bool,
    pub caseworker: Option<String>,
    pub institution: Option<String>,
}

impl CaseReach {
    /// Every case.
    pub const ALL: CaseReach = CaseReach {
        all: true,
        caseworker: None,
        institution: None,
    };

    /// The SQL condition on `cases` and its arguments (`None`: every case).
    fn clause(&self) -> Option<(String, Vec<String>)> {
        if self.all {
            return None;
        }
        let mut ors: Vec<&str> = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(cw) = self.caseworker.as_ref().filter(|s| !s.is_empty()) {
            ors.push("caseworker = ?");
            args.push(cw.clone());
        }
        if let Some(inst) = self.institution.as_ref().filter(|s| !s.is_empty()) {
            ors.push(
                "(institution = ? OR id IN (SELECT case_id FROM records WHERE kind = 'shelter_stay' AND json_extract(data, '$.institution') = ?))",
            );
            args.push(inst.clone());
            args.push(inst.clone());
        }
        if ors.is_empty() {
            return Some(("0".to_owned(), args));
        }
        Some((format!("({})", ors.join(" OR ")), args))
    }
}

/// Most search hits a filtered list considers.
pub const MAX_SEARCH_HITS: u32 = 2000;
/// Largest page.
pub const MAX_PAGE: u32 = 500;

const FLAG_BITS: [(CaseFlag, i64); 5] = [
    (CaseFlag::Minor, 1),
    (CaseFlag::Woman, 2),
    (CaseFlag::Disabled, 4),
    (CaseFlag::Foreign, 8),
    (CaseFlag::CrossProvince, 16),
];

/// The flags as the bit set stored in `cases.flags`.
pub(crate) fn flag_bits(flags: &CaseFlags) -> i64 {
    FLAG_BITS
        .iter()
        .filter(|(f, _)| flags.has(*f))
        .map(|(_, b)| b)
        .sum()
}

fn flags_of(bits: i64) -> CaseFlags {
    let on = |f: CaseFlag| FLAG_BITS.iter().any(|(g, b)| *g == f && bits & b != 0);
    CaseFlags {
        minor: on(CaseFlag::Minor),
        woman: on(CaseFlag::Woman),
        disabled: on(CaseFlag::Disabled),
        foreign: on(CaseFlag::Foreign),
        cross_province: on(CaseFlag::CrossProvince),
    }
}

const ROW_COLUMNS: &str = "id, case_number, person_name, intake_number, stage, flags, caseworker, institution, received_date, id3m_open";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<CaseListRow> {
    let name: String = r.get(2)?;
    Ok(CaseListRow {
        id: r.get(0)?,
        case_number: r.get(1)?,
        name: (!name.is_empty()).then_some(name),
        intake_number: r.get(3)?,
        stage: r.get::<_, Db<Stage>>(4)?.0,
        flags: flags_of(r.get(5)?),
        caseworker: r.get(6)?,
        institution: r.get(7)?,
        received_date: r.get(8)?,
        id3m_open: r.get(9)?,
        next_due: None,
    })
}

/// A page of the list. `search_ids` are the ids a text search found (`None`: no text);
/// `due_order` the ids of the cases with an open deadline, nearest first (for
/// [`CaseSort::NextDue`]).
pub(crate) fn list(
    conn: &Connection,
    q: &CaseListQuery,
    search_ids: Option<&[String]>,
    due_order: &[String],
    reach: &CaseReach,
) -> Result<CaseList> {
    // A voided case (作废) leaves the list; the sort indexes hold only the others.
    let mut clauses: Vec<&str> = vec!["voided_at IS NULL"];
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let reach_clause = reach.clause();
    if let Some((sql, reach_args)) = &reach_clause {
        clauses.push(sql.as_str());
        for a in reach_args {
            args.push(Box::new(a.clone()));
        }
    }
    if let Some(stage) = q.stage {
        clauses.push("stage = ?");
        args.push(Box::new(Db(stage)));
    }
    if q.active {
        clauses.push("stage <> ?");
        args.push(Box::new(Db(Stage::Closed)));
    }
    let mask: i64 = FLAG_BITS
        .iter()
        .filter(|(f, _)| q.flags.contains(f))
        .map(|(_, b)| b)
        .sum();
    if mask != 0 {
        clauses.push("(flags & ?) = ?");
        args.push(Box::new(mask));
        args.push(Box::new(mask));
    }
    if let Some(cw) = q.caseworker.as_ref().filter(|s| !s.is_empty()) {
        clauses.push("caseworker = ?");
        args.push(Box::new(cw.clone()));
    }
    if let Some(inst) = q.institution.as_ref().filter(|s| !s.is_empty()) {
        clauses.push("institution = ?");
        args.push(Box::new(inst.clone()));
    }
    if let Some(ids) = search_ids {
        clauses.push("id IN (SELECT value FROM json_each(?))");
        args.push(Box::new(serde_json::to_string(ids)?));
    }
    let (index, column) = match q.sort {
        CaseSort::CaseNumber => ("cases_list_number", "case_number"),
        CaseSort::Name => ("cases_list_name", "name_key"),
        CaseSort::ReceivedDate => ("cases_list_received", "received_date"),
        CaseSort::Stage => ("cases_list_stage", "stage"),
        CaseSort::NextDue => ("cases_list_number", "case_number"),
    };
    // Walking a sort index suits the whole table; a search's few ids are found by id.
    let index = if search_ids.is_some() {
        String::new()
    } else {
        format!("INDEXED BY {index}")
    };
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM cases {index} {filter}"))?
        .query_row(params.as_slice(), |r| r.get(0))?;
    let limit = usize::try_from(q.limit.clamp(1, MAX_PAGE)).unwrap_or(50);
    let offset = usize::try_from(q.offset).unwrap_or(usize::MAX);
    let mut rows = Vec::with_capacity(limit);
    let due_json = if q.sort == CaseSort::NextDue && !due_order.is_empty() {
        Some(serde_json::to_string(due_order)?)
    } else {
        None
    };
    let mut rest_clauses = clauses.clone();
    let mut rest_args: Vec<&dyn ToSql> = params.clone();
    let mut rest_offset = offset;
    if let Some(due_json) = &due_json {
        // The cases with a deadline come first, in the order the domain gave; only they
        // are read by id (a few hundred of a vault), the rest walk the number index.
        let mut with_due = clauses.clone();
        with_due.push("id IN (SELECT value FROM json_each(?))");
        let mut due_params = params.clone();
        due_params.push(due_json);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ROW_COLUMNS} FROM cases WHERE {}",
            with_due.join(" AND ")
        ))?;
        let mut found: std::collections::HashMap<String, CaseListRow> = stmt
            .query_map(due_params.as_slice(), row_of)?
            .map(|r| r.map(|row| (row.id.clone(), row)))
            .collect::<rusqlite::Result<_>>()?;
        let mut ordered: Vec<CaseListRow> =
            due_order.iter().filter_map(|id| found.remove(id)).collect();
        if q.descending {
            ordered.reverse();
        }
        rest_offset = offset.saturating_sub(ordered.len());
        rows.extend(ordered.into_iter().skip(offset).take(limit));
        rest_clauses.push("id NOT IN (SELECT value FROM json_each(?))");
        rest_args.push(due_json);
    }
    if rows.len() < limit {
        let dir = if q.descending && q.sort != CaseSort::NextDue {
            "DESC"
        } else {
            "ASC"
        };
        let rest_filter = if rest_clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", rest_clauses.join(" AND "))
        };
        // A search without filters lists a handful of rows: the index order is only
        // needed when walking the whole table.
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM cases {index} {rest_filter}
             ORDER BY {column} {dir}, case_number {dir} LIMIT ? OFFSET ?"
        );
        let page_limit = i64::try_from(limit - rows.len()).unwrap_or(i64::MAX);
        let page_offset = i64::try_from(rest_offset).unwrap_or(i64::MAX);
        let mut page_params = rest_args;
        page_params.push(&page_limit);
        page_params.push(&page_offset);
        let mut stmt = conn.prepare_cached(&sql)?;
        let rest = stmt
            .query_map(page_params.as_slice(), row_of)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.extend(rest);
    }
    Ok(CaseList {
        total: u32::try_from(total).unwrap_or(u32::MAX),
        rows,
    })
}

/// Caseworkers and institutions that occur, sorted (each from its own small index).
pub(crate) fn facets(conn: &Connection) -> Result<CaseFacets> {
    let distinct = |sql: &str| -> Result<Vec<String>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let v = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(v)
    };
    Ok(CaseFacets {
        caseworkers: distinct(
            "SELECT DISTINCT caseworker FROM cases INDEXED BY cases_caseworker
             WHERE caseworker <> '' ORDER BY caseworker",
        )?,
        institutions: distinct(
            "SELECT DISTINCT institution FROM cases INDEXED BY cases_institution
             WHERE institution <> '' ORDER BY institution",
        )?,
    })
}

/// Cases per stage, in the stages' order.
pub(crate) fn stage_counts(conn: &Connection) -> Result<Vec<StageCount>> {
    let mut stmt = conn.prepare_cached(
        "SELECT stage, count(*) FROM cases INDEXED BY cases_list_stage WHERE voided_at IS NULL GROUP BY stage",
    )?;
    let mut counts: Vec<StageCount> = stmt
        .query_map([], |r| {
            Ok(StageCount {
                stage: r.get::<_, Db<Stage>>(0)?.0,
                count: u32::try_from(r.get::<_, i64>(1)?).unwrap_or(u32::MAX),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    counts.sort_by_key(|c| c.stage);
    Ok(counts)
}

impl crate::Vault {
    /// A page of the case list.
    pub fn list_cases(&self, q: &CaseListQuery) -> Result<CaseList> {
        self.list_cases_within(q, &CaseReach::ALL)
    }

    /// A page of the case list, of the cases within `reach` only.
    pub fn list_cases_within(&self, q: &CaseListQuery, reach: &CaseReach) -> Result<CaseList> {
        self.list_cases_by_due(q, reach, &[])
    }

    /// A page of the case list within `reach`; `due_order` is the ids of the cases with
    /// an open deadline, nearest first, for [`CaseSort::NextDue`].
    pub fn list_cases_by_due(
        &self,
        q: &CaseListQuery,
        reach: &CaseReach,
        due_order: &[String],
    ) -> Result<CaseList> {
        let text = q.query.trim();
        if text.is_empty() {
            return list(&self.conn, q, None, due_order, reach);
        }
        let ids = crate::search::search_ids(&self.conn, text, MAX_SEARCH_HITS)?;
        list(&self.conn, q, Some(&ids), due_order, reach)
    }

    /// A marker that changes whenever the vault's data may have: the rows this
    /// connection has written and the last change-history entry. Whatever is computed
    /// from the data (the deadlines of every case) can be kept while it stays the same.
    pub fn change_marker(&self) -> Result<(u64, i64)> {
        let seq: i64 = self
            .conn
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM history")?
            .query_row([], |r| r.get(0))?;
        Ok((self.conn.total_changes(), seq))
    }

    /// How many cases have `caseworker` as their responsible caseworker.
    pub fn count_cases_of(&self, caseworker: &str) -> Result<u32> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM cases INDEXED BY cases_caseworker WHERE caseworker = ?1",
            )?
            .query_row([caseworker], |r| r.get(0))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The ids of the cases within `reach` (`None`: every case), to filter search hits and
    /// deadlines.
    pub fn case_ids_within(
        &self,
        reach: &CaseReach,
    ) -> Result<Option<std::collections::HashSet<String>>> {
        let Some((sql, args)) = reach.clause() else {
            return Ok(None);
        };
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a as &dyn ToSql).collect();
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT id FROM cases WHERE {sql}"))?;
        let ids = stmt
            .query_map(params.as_slice(), |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(ids))
    }

    /// Which of `ids` are within `reach` (`None`: all of them, without a query), to
    /// narrow search hits and deadline candidates in one query.
    pub fn cases_within(
        &self,
        ids: &[String],
        reach: &CaseReach,
    ) -> Result<Option<std::collections::HashSet<String>>> {
        let Some((sql, args)) = reach.clause() else {
            return Ok(None);
        };
        let json = serde_json::to_string(ids)?;
        let mut params: Vec<&dyn ToSql> = vec![&json];
        params.extend(args.iter().map(|a| a as &dyn ToSql));
        // The given ids drive the query (a lookup each by the id index), whatever index
        // the reach's columns have: a caseworker's own cases may be tens of thousands.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id FROM cases WHERE rowid IN (SELECT c.rowid FROM json_each(?) j CROSS JOIN cases c ON c.id = j.value) AND {sql}"
        ))?;
        let ids = stmt
            .query_map(params.as_slice(), |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(ids))
    }

    /// What decides who reaches a case: its responsible caseworker, and the institutions
    /// that received or shelter the person.
    pub fn case_scope(&self, case_id: &str) -> Result<(String, Vec<String>)> {
        let (caseworker, institution): (String, String) = self
            .conn
            .prepare_cached("SELECT caseworker, institution FROM cases WHERE id = ?1")?
            .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut institutions = vec![institution];
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT json_extract(data, '$.institution') FROM records WHERE case_id = ?1 AND kind = 'shelter_stay'",
        )?;
        for i in stmt.query_map([case_id], |r| r.get::<_, Option<String>>(0))? {
            if let Some(i) = i? {
                institutions.push(i);
            }
        }
        institutions.retain(|i| !i.is_empty());
        institutions.dedup();
        Ok((caseworker, institutions))
    }

    /// Caseworkers and institutions that occur.
    pub fn case_facets(&self) -> Result<CaseFacets> {
        facets(&self.conn)
    }

    /// Cases per stage.
    pub fn stage_counts(&self) -> Result<Vec<StageCount>> {
        stage_counts(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_bits_round_trip() {
        let all = CaseFlags {
            minor: true,
            woman: false,
            disabled: true,
            foreign: false,
            cross_province: true,
        };
        assert_eq!(flag_bits(&all), 1 | 4 | 16, "bits follow FLAG_BITS");
        assert_eq!(
            flags_of(flag_bits(&all)),
            all,
            "bits decode to the same flags"
        );
    }
}
