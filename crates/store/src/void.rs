//! Voiding (作废, R-DATE): a record or a case entered by mistake is marked void with who,
//! when and why, never deleted. A voided record leaves its case's derived facts and search
//! document (so the deadline queries and search no longer see it) and the lists of
//! records; a voided case leaves the case list, search, the deadline queries, the counts,
//! the annual report and the exports (migration 0007's partial indexes). Both stay in
//! the change history (a `void` and a `restore` entry) and the audit trail, and the full
//! case file prints them marked void. Restoring clears the mark.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::model::{Case, Record};
use guitu_text::Thing;

use crate::audit::{self, AuditAction};
use crate::cases::refresh_case;
use crate::history::{self, Change, Entity, HistoryAction, Meta};
use crate::rows::{self, RECORD_COLUMNS};
use crate::{Invalid, Result, StoreError, Vault};

/// Who voided something, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct VoidMark {
    /// When (RFC 3339, UTC).
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// A voided record with its mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct VoidedRecord {
    pub record: Record,
    pub void: VoidMark,
}

/// A voided case, for the list a supervisor restores from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct VoidedCase {
    pub id: String,
    pub case_number: String,
    /// The person's name as recorded (`None` while unknown).
    pub name: Option<String>,
    pub intake_number: Option<String>,
    pub received_date: String,
    pub caseworker: String,
    pub void: VoidMark,
}

fn mark_of(at: Option<String>, by: Option<String>, reason: Option<String>) -> Option<VoidMark> {
    Some(VoidMark {
        at: at?,
        by: by.unwrap_or_default(),
        reason: reason.unwrap_or_default(),
    })
}

fn mark(conn: &Connection, table: &str, id: &str) -> Result<Option<VoidMark>> {
    let what = if table == "cases" {
        Thing::Case
    } else {
        Thing::Record
    };
    let row: Option<(Option<String>, Option<String>, Option<String>)> = conn
        .prepare_cached(&format!(
            "SELECT voided_at, voided_by, void_reason FROM {table} WHERE id = ?1"
        ))?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (at, by, reason) = row.ok_or_else(|| StoreError::NotFound {
        what,
        reference: id.to_owned(),
    })?;
    Ok(mark_of(at, by, reason))
}

fn reason_change(old: Option<&str>, new: Option<&str>) -> Vec<Change> {
    vec![Change {
        field: "void_reason".to_owned(),
        old: old.map_or(serde_json::Value::Null, |s| s.into()),
        new: new.map_or(serde_json::Value::Null, |s| s.into()),
    }]
}

/// Marks a record or a case void (`reason` given) or clears the mark (`None`), with its
/// history entry, the case's facts and search refreshed, and an audit entry.
fn set_void(
    tx: &Connection,
    meta: &Meta<'_>,
    entity: Entity,
    id: &str,
    reason: Option<&str>,
) -> Result<()> {
    let (table, case_id) = match entity {
        Entity::Case => ("cases", id.to_owned()),
        _ => {
            let case_id: String = tx
                .prepare_cached("SELECT case_id FROM records WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound {
                    what: Thing::Record,
                    reference: id.to_owned(),
                })?;
            ("records", case_id)
        }
    };
    let old = mark(tx, table, id)?;
    match (&old, reason) {
        (Some(_), Some(_)) => return Err(StoreError::Invalid(Invalid::Voided)),
        (None, None) => return Err(StoreError::Invalid(Invalid::NotVoided)),
        _ => {}
    }
    let (at, by) = match reason {
        Some(_) => (Some(meta.at.as_str()), Some(meta.actor)),
        None => (None, None),
    };
    tx.prepare_cached(&format!(
        "UPDATE {table} SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1"
    ))?
    .execute(params![id, at, by, reason])?;
    let action = if reason.is_some() {
        HistoryAction::Void
    } else {
        HistoryAction::Restore
    };
    history::write(
        tx,
        meta,
        entity,
        id,
        Some(&case_id),
        action,
        &reason_change(old.as_ref().map(|m| m.reason.as_str()), reason),
    )?;
    if entity == Entity::Record {
        refresh_case(tx, &case_id)?;
    }
    let (act, target) = match (reason.is_some(), entity) {
        (true, Entity::Case) => (AuditAction::CaseVoided, format!("case:{id}")),
        (true, _) => (AuditAction::RecordVoided, format!("record:{id}")),
        (false, Entity::Case) => (AuditAction::CaseRestored, format!("case:{id}")),
        (false, _) => (AuditAction::RecordRestored, format!("record:{id}")),
    };
    // The reason is the user's text: the audit trail names the act, never the content.
    audit::append(tx, meta.actor, act, &target, "")?;
    Ok(())
}

impl Vault {
    /// Voids a record with a reason (the caller has checked the reason and the user).
    pub fn void_record(&mut self, id: Uuid, reason: &str) -> Result<()> {
        self.write(|tx, meta| set_void(tx, meta, Entity::Record, &id.to_string(), Some(reason)))
    }

    /// Restores a voided record.
    pub fn restore_record(&mut self, id: Uuid) -> Result<()> {
        self.write(|tx, meta| set_void(tx, meta, Entity::Record, &id.to_string(), None))
    }

    /// Voids a case with a reason.
    pub fn void_case(&mut self, id: Uuid, reason: &str) -> Result<()> {
        self.write(|tx, meta| set_void(tx, meta, Entity::Case, &id.to_string(), Some(reason)))
    }

    /// Restores a voided case.
    pub fn restore_case(&mut self, id: Uuid) -> Result<()> {
        self.write(|tx, meta| set_void(tx, meta, Entity::Case, &id.to_string(), None))
    }

    /// The void mark of a record (`None`: not voided).
    pub fn record_void(&self, id: Uuid) -> Result<Option<VoidMark>> {
        mark(&self.conn, "records", &id.to_string())
    }

    /// The void mark of a case (`None`: not voided).
    pub fn case_void(&self, id: Uuid) -> Result<Option<VoidMark>> {
        mark(&self.conn, "cases", &id.to_string())
    }

    /// The voided records of a case, by date.
    pub fn voided_records_of_case(&self, case_id: Uuid) -> Result<Vec<VoidedRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS}, voided_at, voided_by, void_reason FROM records
             WHERE case_id = ?1 AND voided_at IS NOT NULL ORDER BY date, id"
        ))?;
        let mut rows = stmt.query([case_id.to_string()])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let record = rows::record(row)?;
            if let Some(void) = mark_of(row.get(7)?, row.get(8)?, row.get(9)?) {
                out.push(VoidedRecord { record, void });
            }
        }
        Ok(out)
    }

    /// Every voided case, most recently voided first.
    pub fn voided_cases(&self) -> Result<Vec<VoidedCase>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, case_number, person_name, intake_number, received_date, caseworker,
                    voided_at, voided_by, void_reason
             FROM cases INDEXED BY cases_voided WHERE voided_at IS NOT NULL
             ORDER BY voided_at DESC, case_number",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let name: String = r.get(2)?;
            if let Some(void) = mark_of(r.get(6)?, r.get(7)?, r.get(8)?) {
                out.push(VoidedCase {
                    id: r.get(0)?,
                    case_number: r.get(1)?,
                    name: (!name.is_empty()).then_some(name),
                    intake_number: r.get(3)?,
                    received_date: r.get(4)?,
                    caseworker: r.get(5)?,
                    void,
                });
            }
        }
        Ok(out)
    }

    /// A case by id, with its void mark.
    pub fn case_with_void(&self, id: Uuid) -> Result<(Case, Option<VoidMark>)> {
        Ok((self.case(id)?, self.case_void(id)?))
    }
}
