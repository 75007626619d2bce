//! The change history (who, when, which record, which fields, old → new) and the audit
//! acts that are not changes (a view of a full case, an export, a print).

use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::audit::{self, AuditAction, AuditEntry};
use crate::rows::to_json;
use crate::{Result, Vault};

/// One changed field: old → new (JSON values; `null` for none).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, ts_rs::TS)]
pub struct Change {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// What a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum HistoryAction {
    Create,
    Update,
    Import,
    /// Voided (作废) with a reason (R-DATE).
    Void,
    /// A voided record or case restored.
    Restore,
    /// A person, case or record as it stood when this vault began to keep the change log
    /// of hand-offs (migration 8): its whole content, so a peer can receive it. Not shown
    /// in the case's history, which has the edits that led to it.
    Baseline,
}

impl HistoryAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Import => "import",
            Self::Void => "void",
            Self::Restore => "restore",
            Self::Baseline => "baseline",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<HistoryAction> {
        Ok(match s {
            "create" => Self::Create,
            "update" => Self::Update,
            "import" => Self::Import,
            "void" => Self::Void,
            "restore" => Self::Restore,
            "baseline" => Self::Baseline,
            _ => {
                return Err(crate::StoreError::Corrupt("unknown history action".into()));
            }
        })
    }
}

/// What a history entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Person,
    Case,
    Record,
    /// An approval request and its decision.
    Approval,
}

impl Entity {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Case => "case",
            Self::Record => "record",
            Self::Approval => "approval",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Entity> {
        Ok(match s {
            "person" => Self::Person,
            "case" => Self::Case,
            "record" => Self::Record,
            "approval" => Self::Approval,
            _ => return Err(crate::StoreError::Corrupt("unknown history entity".into())),
        })
    }
}

/// One entry of the change history.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct HistoryEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub entity: Entity,
    pub entity_id: String,
    /// For a record: its kind (`shelter_stay` …), so the fields can be labelled.
    pub record_kind: Option<String>,
    pub action: HistoryAction,
    pub changes: Vec<Change>,
}

/// Who writes, and when: the same for every row of one transaction; and the device's
/// clock, read at the first change the transaction logs and saved before it commits.
pub(crate) struct Meta<'a> {
    pub actor: &'a str,
    pub at: String,
    pub clock: std::cell::RefCell<Option<crate::sync::Clock>>,
}

impl<'a> Meta<'a> {
    /// Who writes, now.
    pub(crate) fn new(actor: &'a str) -> Meta<'a> {
        Meta {
            actor,
            at: crate::audit::now_string(chrono::Utc::now()),
            clock: std::cell::RefCell::new(None),
        }
    }
}

/// Field-by-field differences between two serialised values (top-level fields of an
/// object; a `type` tag counts as a field).
pub(crate) fn diff(old: Option<&Value>, new: &Value) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let old_map = old.and_then(Value::as_object).unwrap_or(&empty);
    let Some(new_map) = new.as_object() else {
        return vec![Change {
            field: String::new(),
            old: old.cloned().unwrap_or(Value::Null),
            new: new.clone(),
        }];
    };
    let mut fields: Vec<&String> = old_map.keys().chain(new_map.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|f| {
            let o = old_map.get(f).cloned().unwrap_or(Value::Null);
            let n = new_map.get(f).cloned().unwrap_or(Value::Null);
            (o != n).then(|| Change {
                field: f.clone(),
                old: o,
                new: n,
            })
        })
        .collect()
}

/// Appends one history entry inside the caller's transaction. A change of a person, a
/// case or a record is also a change of the hand-off log (its id, this device, the
/// clock); an approval's entry stays on this device.
pub(crate) fn write(
    tx: &Connection,
    meta: &Meta<'_>,
    entity: Entity,
    entity_id: &str,
    case_id: Option<&str>,
    action: HistoryAction,
    changes: &[Change],
) -> Result<()> {
    let creates = matches!(
        action,
        HistoryAction::Create | HistoryAction::Import | HistoryAction::Baseline
    );
    if entity != Entity::Approval && !creates {
        // An imported entity enters the log, as it was, before its first change.
        crate::sync::ensure_logged(tx, meta, entity, entity_id, case_id, changes)?;
    }
    let stamp = match entity {
        Entity::Approval => None,
        _ => Some(crate::sync::stamp(tx, meta)?),
    };
    insert(
        tx,
        meta,
        entity,
        entity_id,
        case_id,
        action,
        changes,
        stamp.as_ref(),
    )?;
    if let Some(stamp) = &stamp
        && !creates
    {
        let bases = crate::sync::advance_versions(tx, entity_id, changes, &stamp.change_id)?;
        if !bases.is_empty() {
            tx.prepare_cached("UPDATE history SET bases = ?2 WHERE change_id = ?1")?
                .execute(params![stamp.change_id, to_json(&bases)?])?;
        }
    }
    Ok(())
}

/// Appends a history entry that stays on this device (an import's source line).
pub(crate) fn write_local(
    tx: &Connection,
    meta: &Meta<'_>,
    entity: Entity,
    entity_id: &str,
    case_id: Option<&str>,
    action: HistoryAction,
    changes: &[Change],
) -> Result<()> {
    insert(tx, meta, entity, entity_id, case_id, action, changes, None)
}

#[allow(clippy::too_many_arguments)]
fn insert(
    tx: &Connection,
    meta: &Meta<'_>,
    entity: Entity,
    entity_id: &str,
    case_id: Option<&str>,
    action: HistoryAction,
    changes: &[Change],
    stamp: Option<&crate::sync::Stamp>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO history (at, actor, entity, entity_id, case_id, action, changes, change_id, origin, hlc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        meta.at,
        meta.actor,
        entity.as_str(),
        entity_id,
        case_id,
        action.as_str(),
        to_json(&changes)?,
        stamp.map(|s| s.change_id.as_str()),
        stamp.map(|s| s.origin.as_str()),
        stamp.map(|s| s.hlc.as_str()),
    ])?;
    Ok(())
}

/// The names of the changed fields, for an audit entry (never their values).
pub(crate) fn field_list(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| c.field.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

impl Vault {
    /// Runs `f` in one transaction with who writes and when.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &Meta<'_>) -> Result<T>,
    ) -> Result<T> {
        let actor = self.actor().to_owned();
        let meta = Meta::new(&actor);
        let dir = self.dir().to_owned();
        let tx = self.conn.transaction()?;
        let out = f(&tx, &meta).map_err(|e| e.in_vault(&dir))?;
        crate::sync::save_clock(&tx, &meta).map_err(|e| e.in_vault(&dir))?;
        tx.commit()
            .map_err(|e| crate::StoreError::from(e).in_vault(&dir))?;
        // The checkpoint beside the database follows every commit (checkpoint.rs).
        self.after_commit();
        Ok(out)
    }

    /// The change history of a case (its person, the case and its records), oldest first.
    pub fn history_of_case(&self, case_id: Uuid) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.seq, h.at, h.actor, h.entity, h.entity_id, h.action, h.changes, r.kind
             FROM history h LEFT JOIN records r ON h.entity = 'record' AND r.id = h.entity_id
             WHERE h.case_id = ?1 AND h.action <> 'baseline' ORDER BY h.seq",
        )?;
        let mut rows = stmt.query([case_id.to_string()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(HistoryEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                entity: Entity::parse(&r.get::<_, String>(3)?)?,
                entity_id: r.get(4)?,
                action: HistoryAction::parse(&r.get::<_, String>(5)?)?,
                changes: serde_json::from_str(&r.get::<_, String>(6)?)?,
                record_kind: r.get(7)?,
            });
        }
        Ok(out)
    }

    /// Records that a full case was shown (R-PRIV: every view is logged).
    pub fn log_view(&mut self, case_id: Uuid) -> Result<()> {
        self.audit(AuditAction::View, &format!("case:{case_id}"), "")
    }

    /// Records an export in the audit trail.
    pub fn log_export(&mut self, target: &str, detail: &str) -> Result<()> {
        self.audit(AuditAction::Export, target, detail)
    }

    /// Records a print in the audit trail (who, which case, which profile; never the file).
    pub fn log_print(&mut self, case_id: Uuid, profile: &str) -> Result<()> {
        self.audit(AuditAction::Print, &format!("case:{case_id}"), profile)
    }

    /// Records a report made (R-ANNUAL) in the audit trail: `target` names the report and
    /// its period (`report:annual:2026`), `format` how it left the vault (`view`, `pdf`,
    /// `xlsx`); never its figures.
    pub fn log_report(&mut self, target: &str, format: &str) -> Result<()> {
        self.audit(AuditAction::ReportMade, target, format)
    }

    /// The newest audit entries.
    pub fn audit_recent(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        audit::recent(&self.conn, limit)
    }

    /// Audit entries by user, case and time (newest first).
    pub fn audit_query(&self, q: &audit::AuditQuery) -> Result<Vec<AuditEntry>> {
        audit::query(&self.conn, q)
    }

    /// Records a refused use case in the audit trail. Takes `&self`: a refusal happens in
    /// reading use cases too. The checkpoint follows at the next write.
    pub fn audit_denied(&self, target: &str, detail: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        audit::append(&tx, self.actor(), AuditAction::Denied, target, detail)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_changed_fields_only() {
        let old = json!({"a": 1, "b": "x", "c": null});
        let new = json!({"a": 1, "b": "y", "d": true});
        let d = diff(Some(&old), &new);
        assert_eq!(
            d.len(),
            2,
            "b changed and d was added; a and the null c did not change: {d:?}"
        );
        assert_eq!(
            d[0],
            Change {
                field: "b".into(),
                old: json!("x"),
                new: json!("y")
            }
        );
        assert_eq!(
            d[1],
            Change {
                field: "d".into(),
                old: Value::Null,
                new: json!(true)
            }
        );
    }
}
