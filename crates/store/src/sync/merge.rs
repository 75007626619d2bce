//! Merging a peer's changes, field by field, and the conflict queue.
//!
//! For each field of a change: if the value here is still the change's old value, it
//! takes the new one; if it already is the new one, nothing happens; if the value here
//! was written by a change the incoming one resolves (a person chose between them on
//! another device), it takes the new one; otherwise the field keeps its value and goes
//! into the conflict queue with both values, both authors and both times. A change seen
//! before is skipped, so a bundle opened twice, or bundles that overlap, change nothing
//! more. A change is stored in the history as it was made (its id, origin, clock, author
//! and time), with the fields held back, so it can travel on to other peers unchanged.

use std::collections::{BTreeSet, HashMap};

use chrono::DateTime;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value};

use guitu_domain::label::LabelledEnum;
use guitu_domain::model::{Case, Person, Record, RecordBody};
use guitu_domain::rules::merge as merge_rule;
use guitu_text::{BundleProblem, Thing};

use super::{Conflict, Peer, Resolution, WireChange};
use crate::audit::{self, AuditAction};
use crate::cases::refresh_case;
use crate::history::{Change, Entity, HistoryAction, Meta};
use crate::rows::to_json;
use crate::{Result, StoreError};

/// The field a void mark travels as (作废: its reason; `null` when not voided). Its time
/// and author are the change's.
pub(crate) const VOID_FIELD: &str = "void_reason";

/// What opening a bundle did to one case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CaseMerge {
    pub case_id: String,
    pub case_number: String,
    /// Persons, cases and records new to this vault.
    #[ts(type = "number")]
    pub added: u64,
    /// Fields that took a peer's value.
    #[ts(type = "number")]
    pub changed: u64,
    /// Fields now in the conflict queue.
    #[ts(type = "number")]
    pub conflicts: u64,
    /// The basis the sender handed the case off on.
    pub basis: Option<guitu_domain::handoff::HandoffBasis>,
}

/// What opening a bundle did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct MergeReport {
    pub bundle_id: String,
    pub peer_id: String,
    pub peer_name: String,
    pub made_by: String,
    pub created_at: String,
    /// The bundle was opened here before: nothing changed.
    pub replayed: bool,
    /// Changes new to this vault, and changes it already held.
    #[ts(type = "number")]
    pub new_changes: u64,
    #[ts(type = "number")]
    pub known_changes: u64,
    #[ts(type = "number")]
    pub added: u64,
    #[ts(type = "number")]
    pub changed: u64,
    #[ts(type = "number")]
    pub conflicts: u64,
    pub cases: Vec<CaseMerge>,
}

impl MergeReport {
    pub(super) fn replay(payload: &super::Payload, peer: &Peer) -> MergeReport {
        MergeReport {
            bundle_id: payload.id.clone(),
            peer_id: peer.device_id.clone(),
            peer_name: peer.name.clone(),
            made_by: payload.made_by.clone(),
            created_at: payload.created_at.clone(),
            replayed: true,
            known_changes: payload.changes.len() as u64,
            ..MergeReport::default()
        }
    }
}

/// An entity as stored here: its JSON object with the void mark as a field.
struct Stored {
    value: Map<String, Value>,
    case_id: String,
}

fn load(tx: &Connection, entity: Entity, id: &str) -> Result<Option<Stored>> {
    let row: Option<(String, Option<String>, String)> = match entity {
        Entity::Person => tx
            .prepare_cached(
                "SELECT data, NULL, COALESCE((SELECT id FROM cases WHERE person_id = ?1 LIMIT 1), '') FROM persons WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?,
        Entity::Case => tx
            .prepare_cached("SELECT data, void_reason, id FROM cases WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?,
        Entity::Record => tx
            .prepare_cached("SELECT data, void_reason, case_id FROM records WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?,
        Entity::Approval => None,
    };
    let Some((data, void, case_id)) = row else {
        return Ok(None);
    };
    let mut value = match serde_json::from_str::<Value>(&data)? {
        Value::Object(m) => m,
        _ => return Err(StoreError::Corrupt("entity data".into())),
    };
    if entity != Entity::Person {
        value.insert(
            VOID_FIELD.to_owned(),
            void.map_or(Value::Null, Value::String),
        );
    }
    Ok(Some(Stored { value, case_id }))
}

/// Whether a change creates its entity (its fields start from nothing).
fn creates(action: HistoryAction) -> bool {
    matches!(
        action,
        HistoryAction::Create | HistoryAction::Import | HistoryAction::Baseline
    )
}

/// An entity's stored value with its void mark (`synced_state`).
pub(super) fn load_value(
    conn: &Connection,
    entity: Entity,
    id: &str,
) -> Result<Option<Map<String, Value>>> {
    Ok(load(conn, entity, id)?.map(|s| s.value))
}

fn invalid() -> StoreError {
    StoreError::Bundle(BundleProblem::Invalid)
}

/// Writes an entity's new value (inserting it when it is new here); returns the case
/// whose facts and search document must be refreshed.
fn save(
    tx: &Connection,
    c: &WireChange,
    mut value: Map<String, Value>,
    is_new: bool,
    touched: &mut BTreeSet<String>,
) -> Result<()> {
    let void = match value.remove(VOID_FIELD) {
        Some(Value::String(s)) => Some(s),
        Some(Value::Null) | None => None,
        Some(_) => return Err(invalid()),
    };
    let meta = Meta::new(&c.actor);
    let meta = Meta {
        at: c.at.clone(),
        ..meta
    };
    let at = DateTime::parse_from_rfc3339(&c.at)
        .map_err(|_| invalid())?
        .with_timezone(&chrono::Utc);
    let json = Value::Object(value);
    match c.entity {
        Entity::Person => {
            let p: Person = serde_json::from_value(json).map_err(|_| invalid())?;
            if p.id.to_string() != c.entity_id {
                return Err(invalid());
            }
            if is_new {
                crate::cases::insert_person(tx, &p, &meta)?;
            } else {
                crate::cases::write_person_row(tx, &p, &c.at, &c.actor)?;
            }
            for pc in crate::duplicates::cases_of(tx, &c.entity_id)? {
                touched.insert(pc.case_id);
            }
        }
        Entity::Case => {
            let case: Case = serde_json::from_value(json).map_err(|_| invalid())?;
            if case.id.to_string() != c.entity_id {
                return Err(invalid());
            }
            let person_here: bool = tx
                .prepare_cached("SELECT 1 FROM persons WHERE id = ?1")?
                .query_row([case.person_id.to_string()], |_| Ok(()))
                .optional()?
                .is_some();
            if !person_here {
                return Err(StoreError::Bundle(BundleProblem::MissingBase));
            }
            let written = if is_new {
                crate::cases::insert_case(tx, &case, &meta).and_then(|()| {
                    let person = crate::rows::person(tx, &case.person_id.to_string())?;
                    crate::search::index_new_case(tx, &case, &person, std::iter::empty())
                })
            } else {
                crate::cases::write_case_row(tx, &case, &c.at, &c.actor)
            };
            written.map_err(|e| match e {
                StoreError::Duplicate { .. } => StoreError::Bundle(BundleProblem::CaseNumberTaken),
                e => e,
            })?;
            set_void(tx, "cases", &c.entity_id, void.as_deref(), c)?;
            touched.insert(c.entity_id.clone());
        }
        Entity::Record => {
            let body: RecordBody = serde_json::from_value(json).map_err(|_| invalid())?;
            let case_id = if is_new {
                let case_id = c.case_id.clone().ok_or_else(invalid)?;
                let case_here: bool = tx
                    .prepare_cached("SELECT 1 FROM cases WHERE id = ?1")?
                    .query_row([&case_id], |_| Ok(()))
                    .optional()?
                    .is_some();
                if !case_here {
                    return Err(StoreError::Bundle(BundleProblem::MissingBase));
                }
                let record = Record {
                    id: crate::rows::uuid(&c.entity_id)?,
                    case_id: crate::rows::uuid(&case_id)?,
                    body,
                    created_at: at,
                    created_by: c.actor.clone(),
                    updated_at: at,
                    updated_by: c.actor.clone(),
                };
                crate::records::insert(tx, &record)?;
                case_id
            } else {
                let old_kind: String = tx
                    .prepare_cached("SELECT kind FROM records WHERE id = ?1")?
                    .query_row([&c.entity_id], |r| r.get(0))?;
                if old_kind != body.kind().as_str() {
                    return Err(invalid());
                }
                crate::records::write_body(tx, &c.entity_id, &body, &c.at, &c.actor)?;
                tx.prepare_cached("SELECT case_id FROM records WHERE id = ?1")?
                    .query_row([&c.entity_id], |r| r.get(0))?
            };
            set_void(tx, "records", &c.entity_id, void.as_deref(), c)?;
            touched.insert(case_id);
        }
        Entity::Approval => return Err(invalid()),
    }
    Ok(())
}

fn set_void(
    tx: &Connection,
    table: &str,
    id: &str,
    reason: Option<&str>,
    c: &WireChange,
) -> Result<()> {
    let current: Option<String> = tx
        .prepare_cached(&format!("SELECT void_reason FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))?;
    if current.as_deref() == reason {
        return Ok(());
    }
    let (at, by) = match reason {
        Some(_) => (Some(c.at.as_str()), Some(c.actor.as_str())),
        None => (None, None),
    };
    tx.prepare_cached(&format!(
        "UPDATE {table} SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1"
    ))?
    .execute(params![id, at, by, reason])?;
    Ok(())
}

/// A change of the history that touched a field of an entity.
struct Writer {
    change_id: String,
    actor: String,
    at: String,
    value: Value,
}

/// The changes here that set a field of an entity, newest first (fields a merge held back
/// excluded).
fn writers(tx: &Connection, entity_id: &str, field: &str) -> Result<Vec<Writer>> {
    let mut stmt = tx.prepare_cached(
        "SELECT change_id, actor, at, changes, held FROM history
         WHERE entity_id = ?1 AND change_id IS NOT NULL ORDER BY seq DESC",
    )?;
    let mut rows = stmt.query([entity_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let held: Option<String> = r.get(4)?;
        if let Some(h) = &held {
            let held: Vec<String> = serde_json::from_str(h)?;
            if held.iter().any(|f| f == field) {
                continue;
            }
        }
        let changes: Vec<Change> = serde_json::from_str(&r.get::<_, String>(3)?)?;
        if let Some(ch) = changes.into_iter().find(|ch| ch.field == field) {
            out.push(Writer {
                change_id: r.get(0)?,
                actor: r.get(1)?,
                at: r.get(2)?,
                value: ch.new,
            });
        }
    }
    Ok(out)
}

fn record_kind(tx: &Connection, entity: Entity, id: &str) -> Result<Option<String>> {
    if entity != Entity::Record {
        return Ok(None);
    }
    Ok(tx
        .prepare_cached("SELECT kind FROM records WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Merges a bundle's changes (the caller's transaction).
pub(super) fn merge(
    tx: &Connection,
    meta: &Meta<'_>,
    payload: &super::Payload,
    peer: &Peer,
) -> Result<MergeReport> {
    let mut report = MergeReport {
        bundle_id: payload.id.clone(),
        peer_id: peer.device_id.clone(),
        peer_name: peer.name.clone(),
        made_by: payload.made_by.clone(),
        created_at: payload.created_at.clone(),
        ..MergeReport::default()
    };
    let mut per_case: HashMap<String, CaseMerge> = HashMap::new();
    let mut opened: Vec<(i64, String)> = Vec::new();
    let mut touched = BTreeSet::new();
    let listed: std::collections::HashSet<&str> =
        payload.cases.iter().map(|c| c.id.as_str()).collect();
    for c in &payload.changes {
        if c.entity == Entity::Approval {
            return Err(invalid());
        }
        let known: bool = tx
            .prepare_cached("SELECT 1 FROM history WHERE change_id = ?1")?
            .query_row([&c.id], |_| Ok(()))
            .optional()?
            .is_some();
        if known {
            report.known_changes += 1;
            continue;
        }
        report.new_changes += 1;
        let stored = load(tx, c.entity, &c.entity_id)?;
        let is_new = stored.is_none();
        if is_new && !creates(c.action) {
            return Err(StoreError::Bundle(BundleProblem::MissingBase));
        }
        // A bundle changes only the cases it lists (what its report and the audit entry
        // name): a record or case of another case, or a person none of whose cases it
        // lists, refuses it. A new person harms nothing until a listed case takes them.
        let in_scope = match (&c.entity, &stored) {
            (Entity::Person, None) => true,
            (Entity::Person, Some(_)) => {
                c.case_id.as_deref().is_some_and(|k| listed.contains(k))
                    || crate::duplicates::cases_of(tx, &c.entity_id)?
                        .iter()
                        .any(|pc| listed.contains(pc.case_id.as_str()))
            }
            (Entity::Case, _) => listed.contains(c.entity_id.as_str()),
            (_, Some(s)) => listed.contains(s.case_id.as_str()),
            (_, None) => c.case_id.as_deref().is_some_and(|k| listed.contains(k)),
        };
        if !in_scope {
            return Err(StoreError::Bundle(BundleProblem::NotShared));
        }
        let (mut value, case_id) = match stored {
            Some(s) => (s.value, s.case_id),
            None => (Map::new(), c.case_id.clone().unwrap_or_default()),
        };
        let case_key = if case_id.is_empty() {
            c.case_id.clone().unwrap_or_default()
        } else {
            case_id
        };
        let mut held: Vec<String> = Vec::new();
        let mut applied = 0u64;
        for ch in &c.changes {
            let local = value.get(&ch.field).cloned().unwrap_or(Value::Null);
            // The field's version here, and the version the change was made on (both
            // `None`: the value the entity was created with).
            let here = if is_new {
                None
            } else {
                super::version(tx, &c.entity_id, &ch.field)?
            };
            let base = if creates(c.action) {
                None
            } else {
                c.bases.get(&ch.field).cloned()
            };
            // The domain decides (R-SYNC, `rules::merge`).
            let decision = merge_rule::decide(&merge_rule::FieldChange {
                here: here.as_deref(),
                local: &local,
                base: base.as_deref(),
                old: &ch.old,
                new: &ch.new,
                id: &c.id,
                entity_is_new: is_new,
                creates: creates(c.action),
                resolves: &c.resolves,
            });
            let take = if decision == merge_rule::FieldMerge::Take {
                true
            } else if let merge_rule::FieldMerge::Same { adopt } = decision {
                if adopt {
                    super::set_version(tx, &c.entity_id, &ch.field, &c.id)?;
                }
                false
            } else {
                let writer = writers(tx, &c.entity_id, &ch.field)?
                    .into_iter()
                    .find(|w| w.value == local);
                let (actor, at) =
                    writer.map_or((String::new(), String::new()), |w| (w.actor, w.at));
                tx.prepare_cached(
                    "INSERT INTO conflicts (entity, entity_id, case_id, field, local_value, local_actor, local_at,
                        incoming_value, incoming_change, incoming_actor, incoming_at, incoming_origin, opened_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )?
                .execute(params![
                    c.entity.as_str(),
                    c.entity_id,
                    case_key,
                    ch.field,
                    local.to_string(),
                    actor,
                    at,
                    ch.new.to_string(),
                    c.id,
                    c.actor,
                    c.at,
                    c.origin,
                    meta.at
                ])?;
                held.push(ch.field.clone());
                opened.push((tx.last_insert_rowid(), case_key.clone()));
                false
            };
            if take {
                if ch.new.is_null() {
                    value.remove(&ch.field);
                } else {
                    value.insert(ch.field.clone(), ch.new.clone());
                }
                if !creates(c.action) {
                    super::set_version(tx, &c.entity_id, &ch.field, &c.id)?;
                }
                applied += 1;
            }
            // A resolution made elsewhere settles the same conflict here.
            if !c.resolves.is_empty() {
                let queued: Vec<(i64, String)> = tx
                    .prepare_cached(
                        "SELECT id, incoming_change FROM conflicts WHERE entity_id = ?1 AND field = ?2",
                    )?
                    .query_map(params![c.entity_id, ch.field], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                for (id, change) in queued {
                    if c.resolves.contains(&change) {
                        tx.prepare_cached("DELETE FROM conflicts WHERE id = ?1")?
                            .execute([id])?;
                    }
                }
            }
        }
        if applied > 0 || is_new {
            save(tx, c, value, is_new, &mut touched)?;
        }
        tx.prepare_cached(
            "INSERT INTO history (at, actor, entity, entity_id, case_id, action, changes, change_id, origin, hlc, via, resolves, held, bases)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            c.at,
            c.actor,
            c.entity.as_str(),
            c.entity_id,
            c.case_id,
            c.action.as_str(),
            to_json(&c.changes)?,
            c.id,
            c.origin,
            c.hlc,
            peer.device_id,
            (!c.resolves.is_empty()).then(|| to_json(&c.resolves)).transpose()?,
            (!held.is_empty()).then(|| to_json(&held)).transpose()?,
            (!c.bases.is_empty()).then(|| to_json(&c.bases)).transpose()?,
        ])?;
        let entry = per_case
            .entry(case_key.clone())
            .or_insert_with(|| CaseMerge {
                case_id: case_key.clone(),
                ..CaseMerge::default()
            });
        if is_new {
            entry.added += 1;
            report.added += 1;
        } else {
            entry.changed += applied;
            report.changed += applied;
        }
    }
    // The conflicts this bundle leaves waiting (one it opened and a later change of the
    // same bundle settled is not counted).
    for (id, case) in opened {
        let waiting = tx
            .prepare_cached("SELECT 1 FROM conflicts WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some();
        if waiting {
            per_case.entry(case.clone()).or_default().conflicts += 1;
            report.conflicts += 1;
        }
    }
    for case in &touched {
        refresh_case(tx, case)?;
    }
    let bases: HashMap<&str, &super::SharedCase> =
        payload.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    for case in &payload.cases {
        per_case
            .entry(case.id.clone())
            .or_insert_with(|| CaseMerge {
                case_id: case.id.clone(),
                ..CaseMerge::default()
            });
    }
    let mut cases: Vec<CaseMerge> = per_case
        .into_values()
        .filter(|c| !c.case_id.is_empty())
        .collect();
    for c in &mut cases {
        if let Some(s) = bases.get(c.case_id.as_str()) {
            c.case_number = s.case_number.clone();
            c.basis = s.basis.clone();
        }
        if let Some(n) = tx
            .prepare_cached("SELECT case_number FROM cases WHERE id = ?1")?
            .query_row([&c.case_id], |r| r.get::<_, String>(0))
            .optional()?
        {
            c.case_number = n;
        }
    }
    cases.sort_by(|a, b| a.case_number.cmp(&b.case_number));
    report.cases = cases;
    Ok(report)
}

/// The queue, oldest first.
pub(super) fn conflicts(conn: &Connection, case_id: Option<uuid::Uuid>) -> Result<Vec<Conflict>> {
    queue(
        conn,
        "?1 IS NULL OR q.case_id = ?1",
        case_id.map(|c| c.to_string()),
    )
}

/// One conflict of the queue.
pub(super) fn conflict(conn: &Connection, id: i64) -> Result<Option<Conflict>> {
    Ok(queue(conn, "q.id = ?1", Some(id.to_string()))?.pop())
}

fn queue(conn: &Connection, filter: &str, param: Option<String>) -> Result<Vec<Conflict>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT q.id, q.entity, q.entity_id, q.case_id, q.field, q.local_actor, q.local_at,
                q.incoming_value, q.incoming_actor, q.incoming_at, COALESCE(p.name, q.incoming_origin)
         FROM conflicts q LEFT JOIN peers p ON p.device_id = q.incoming_origin
         WHERE {filter} ORDER BY q.id"
    ))?;
    let mut rows = stmt.query([param])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let entity = Entity::parse(&r.get::<_, String>(1)?)?;
        let entity_id: String = r.get(2)?;
        let field: String = r.get(4)?;
        let local_value = load(conn, entity, &entity_id)?
            .and_then(|s| s.value.get(&field).cloned())
            .unwrap_or(Value::Null);
        // Who wrote the value here now (it may have changed since the conflict opened).
        let (local_actor, local_at) = writers(conn, &entity_id, &field)?
            .into_iter()
            .find(|w| w.value == local_value)
            .map_or((r.get(5)?, r.get(6)?), |w| (w.actor, w.at));
        out.push(Conflict {
            id: r.get(0)?,
            entity,
            record_kind: record_kind(conn, entity, &entity_id)?,
            entity_id,
            case_id: r.get(3)?,
            field,
            local_value,
            local_actor,
            local_at,
            incoming_value: serde_json::from_str(&r.get::<_, String>(7)?)?,
            incoming_actor: r.get(8)?,
            incoming_at: r.get(9)?,
            incoming_device: r.get(10)?,
        });
    }
    Ok(out)
}

/// Resolves a conflict (the caller's transaction): a change from the value here to the
/// chosen one, resolving every change of the field this vault has seen, and the field's
/// conflicts closed.
pub(super) fn resolve(
    tx: &Connection,
    meta: &Meta<'_>,
    id: i64,
    choice: &Resolution,
) -> Result<()> {
    let row: Option<(String, String, String, String, String)> = tx
        .prepare_cached(
            "SELECT entity, entity_id, case_id, field, incoming_value FROM conflicts WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((entity, entity_id, case_id, field, incoming)) = row else {
        return Err(StoreError::NotFound {
            what: Thing::Conflict,
            reference: id.to_string(),
        });
    };
    let entity = Entity::parse(&entity)?;
    let stored = load(tx, entity, &entity_id)?.ok_or_else(|| StoreError::NotFound {
        what: Thing::Conflict,
        reference: id.to_string(),
    })?;
    let local = stored.value.get(&field).cloned().unwrap_or(Value::Null);
    let chosen = match choice {
        Resolution::Local => local.clone(),
        Resolution::Incoming => serde_json::from_str(&incoming)?,
        Resolution::Value(v) => v.clone(),
    };
    // Every change of the field seen here, and every change queued against it.
    let mut resolves: Vec<String> = writers(tx, &entity_id, &field)?
        .into_iter()
        .map(|w| w.change_id)
        .collect();
    let queued: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT id, incoming_change FROM conflicts WHERE entity_id = ?1 AND field = ?2",
        )?
        .query_map(params![entity_id, field], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (_, change) in &queued {
        resolves.push(change.clone());
    }
    resolves.sort();
    resolves.dedup();
    let stamp = super::stamp(tx, meta)?;
    let bases: std::collections::BTreeMap<String, String> = super::version(tx, &entity_id, &field)?
        .map(|v| (field.clone(), v))
        .into_iter()
        .collect();
    super::set_version(tx, &entity_id, &field, &stamp.change_id)?;
    let mut value = stored.value;
    if chosen.is_null() {
        value.remove(&field);
    } else {
        value.insert(field.clone(), chosen.clone());
    }
    let change = WireChange {
        id: stamp.change_id.clone(),
        origin: stamp.origin.clone(),
        hlc: stamp.hlc.clone(),
        actor: meta.actor.to_owned(),
        at: meta.at.clone(),
        entity,
        entity_id: entity_id.clone(),
        case_id: Some(case_id.clone()),
        action: HistoryAction::Update,
        changes: vec![Change {
            field: field.clone(),
            old: local,
            new: chosen,
        }],
        resolves: resolves.clone(),
        bases: bases.clone(),
    };
    let mut touched = BTreeSet::new();
    // The chosen value must still fit the record schema (a person may have typed it).
    save(tx, &change, value, false, &mut touched).map_err(|e| match e {
        StoreError::Bundle(BundleProblem::Invalid) => {
            StoreError::Invalid(crate::Invalid::ConflictValue)
        }
        e => e,
    })?;
    for case in &touched {
        refresh_case(tx, case)?;
    }
    tx.prepare_cached(
        "INSERT INTO history (at, actor, entity, entity_id, case_id, action, changes, change_id, origin, hlc, resolves, bases)
         VALUES (?1, ?2, ?3, ?4, ?5, 'update', ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        meta.at,
        meta.actor,
        entity.as_str(),
        entity_id,
        case_id,
        to_json(&change.changes)?,
        stamp.change_id,
        stamp.origin,
        stamp.hlc,
        to_json(&resolves)?,
        (!bases.is_empty()).then(|| to_json(&bases)).transpose()?
    ])?;
    for (qid, _) in queued {
        tx.prepare_cached("DELETE FROM conflicts WHERE id = ?1")?
            .execute([qid])?;
    }
    audit::append(
        tx,
        meta.actor,
        AuditAction::ConflictResolved,
        &format!("{}:{entity_id}", entity.as_str()),
        &field,
    )
}
