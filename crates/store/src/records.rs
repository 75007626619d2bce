//! Records: dated entries of every kind attached to a case.

use chrono::Utc;
use rusqlite::{Connection, params};
use uuid::Uuid;

use guitu_domain::label::LabelledEnum;
use guitu_domain::model::{Record, RecordBody};
use guitu_text::Thing;

use crate::audit::{self, AuditAction, now_string};
use crate::cases::refresh_case;
use crate::history::{self, Change, Entity, HistoryAction, Meta, diff, field_list};
use crate::rows::{self, Db, constraint, to_json};
use crate::{Invalid, Result, StoreError, Vault};

/// Whether a record keeps a deadline open (the domain's `due::keeps_open`: a legal-aid
/// application not yet closed, a follow-up visit that plans the next one).
pub(crate) fn is_open(body: &RecordBody) -> bool {
    guitu_domain::rules::due::keeps_open(body)
}

pub(crate) fn insert(tx: &Connection, r: &Record) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO records (id, case_id, kind, date, open, data, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        r.id.to_string(),
        r.case_id.to_string(),
        Db(r.body.kind()),
        r.body.date().to_string(),
        is_open(&r.body),
        to_json(&r.body)?,
        now_string(r.created_at),
        r.created_by,
        now_string(r.updated_at),
        r.updated_by
    ])
    .map_err(|e| constraint(e, Thing::Id, &r.id.to_string()))?;
    Ok(())
}

/// Writes a stored record's new body (no history: the caller's; the kind is the caller's
/// to check).
pub(crate) fn write_body(
    tx: &Connection,
    id: &str,
    body: &RecordBody,
    at: &str,
    actor: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE records SET date = ?2, open = ?3, data = ?4, updated_at = ?5, updated_by = ?6 WHERE id = ?1",
    )?
    .execute(params![
        id,
        body.date().to_string(),
        is_open(body),
        to_json(body)?,
        at,
        actor
    ])?;
    Ok(())
}

/// Adds a record inside a transaction (history, derived case facts and audit included).
pub(crate) fn insert_record_tx(
    tx: &Connection,
    meta: &Meta<'_>,
    case_id: Uuid,
    body: RecordBody,
) -> Result<Record> {
    let now = Utc::now();
    let record = Record {
        id: Uuid::now_v7(),
        case_id,
        body,
        created_at: now,
        created_by: meta.actor.to_owned(),
        updated_at: now,
        updated_by: meta.actor.to_owned(),
    };
    let cid = case_id.to_string();
    rows::case(tx, &cid)?;
    insert(tx, &record)?;
    let rid = record.id.to_string();
    history::write(
        tx,
        meta,
        Entity::Record,
        &rid,
        Some(&cid),
        HistoryAction::Create,
        &diff(None, &serde_json::to_value(&record.body)?),
    )?;
    refresh_case(tx, &cid)?;
    audit::append(
        tx,
        meta.actor,
        AuditAction::Create,
        &format!("record:{rid}"),
        record.body.kind().as_str(),
    )?;
    Ok(record)
}

/// Replaces a record's body inside a transaction; the kind cannot change.
pub(crate) fn update_record_tx(
    tx: &Connection,
    meta: &Meta<'_>,
    id: Uuid,
    body: RecordBody,
) -> Result<(Record, Vec<Change>)> {
    let rid = id.to_string();
    let old = rows::records_where(tx, "id = ?1", &rid)?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound {
            what: Thing::Record,
            reference: rid.clone(),
        })?;
    if old.body.kind() != body.kind() {
        return Err(StoreError::Invalid(Invalid::RecordKindFixed));
    }
    let changes = diff(
        Some(&serde_json::to_value(&old.body)?),
        &serde_json::to_value(&body)?,
    );
    let mut record = old;
    if changes.is_empty() {
        return Ok((record, changes));
    }
    record.body = body;
    record.updated_at = Utc::now();
    record.updated_by = meta.actor.to_owned();
    let cid = record.case_id.to_string();
    write_body(
        tx,
        &rid,
        &record.body,
        &now_string(record.updated_at),
        meta.actor,
    )?;
    history::write(
        tx,
        meta,
        Entity::Record,
        &rid,
        Some(&cid),
        HistoryAction::Update,
        &changes,
    )?;
    refresh_case(tx, &cid)?;
    audit::append(
        tx,
        meta.actor,
        AuditAction::Update,
        &format!("record:{rid}"),
        &field_list(&changes),
    )?;
    Ok((record, changes))
}

impl Vault {
    /// Adds a record to a case (the caller has validated it against the rules).
    pub fn insert_record(&mut self, case_id: Uuid, body: RecordBody) -> Result<Record> {
        self.write(|tx, meta| insert_record_tx(tx, meta, case_id, body))
    }

    /// Replaces a record's body; history records each changed field. The kind cannot
    /// change.
    pub fn update_record(&mut self, id: Uuid, body: RecordBody) -> Result<(Record, Vec<Change>)> {
        self.write(|tx, meta| update_record_tx(tx, meta, id, body))
    }

    /// A record by id.
    pub fn record(&self, id: Uuid) -> Result<Record> {
        rows::records_where(&self.conn, "id = ?1", &id.to_string())?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound {
                what: Thing::Record,
                reference: id.to_string(),
            })
    }

    /// Every record of a case that is not voided, by date (voided ones:
    /// `voided_records_of_case`).
    pub fn records_of_case(&self, case_id: Uuid) -> Result<Vec<Record>> {
        rows::records_where(
            &self.conn,
            "case_id = ?1 AND voided_at IS NULL",
            &case_id.to_string(),
        )
    }
}
