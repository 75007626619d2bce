//! Persons, cases and records, with their change history and derived facts.

use chrono::{NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use guitu_domain::model::{
    Case, InstitutionKind, LegalAid, Person, Record, RecordBody, RecordKind, TrackStep,
};
use guitu_domain::rules::id3m;
use guitu_domain::settings::RuleSettings;

use crate::audit::{self, AuditAction, AuditEntry, now_string};
use crate::search::{self, SearchHit};
use crate::{Result, StoreError, Vault};

/// One changed field: old → new (JSON values; `null` for none).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, ts_rs::TS)]
pub struct Change {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// One entry of the change history.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct HistoryEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub actor: String,
    /// `person`, `case` or `record`.
    pub entity: String,
    pub entity_id: String,
    /// `create`, `update` or `import`.
    pub action: String,
    pub changes: Vec<Change>,
}

/// A case the R-ID-3M rule may concern: what the rule needs and what a list shows.
#[derive(Debug, Clone)]
pub struct Id3mCandidate {
    pub case_id: Uuid,
    pub case_number: String,
    /// The person's display name (name, or 身份不明 with the intake number).
    pub name: String,
    pub received: NaiveDate,
    pub institution_kind: InstitutionKind,
    /// Earliest verified date of an identity attempt.
    pub identity_verified: Option<NaiveDate>,
    /// The case's track records (steps and closures).
    pub track: Vec<RecordBody>,
}

/// An open legal-aid application and its case.
#[derive(Debug, Clone)]
pub struct LegalAidCandidate {
    pub case_id: Uuid,
    pub case_number: String,
    pub name: String,
    pub record_id: Uuid,
    pub application: LegalAid,
}

/// Cases and records the deadline queries need, selected in SQL and judged by the domain.
#[derive(Debug, Clone, Default)]
pub struct DueCandidates {
    pub id3m: Vec<Id3mCandidate>,
    pub legal_aid: Vec<LegalAidCandidate>,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct ImportCounts {
    pub persons: usize,
    pub cases: usize,
    pub records: usize,
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_string(v)?)
}

/// Field-by-field differences between two serialised values (top-level fields of an
/// object; a `kind` tag counts as a field).
fn diff(old: Option<&Value>, new: &Value) -> Vec<Change> {
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

struct Meta<'a> {
    actor: &'a str,
    at: String,
}

fn write_history(
    tx: &Connection,
    meta: &Meta<'_>,
    entity: &str,
    entity_id: &str,
    case_id: Option<&str>,
    action: &str,
    changes: &[Change],
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO history (at, actor, entity, entity_id, case_id, action, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![meta.at, meta.actor, entity, entity_id, case_id, action, to_json(&changes)?])?;
    Ok(())
}

fn is_open(body: &RecordBody) -> bool {
    matches!(body, RecordBody::LegalAid(la) if la.closed.is_none())
}

fn kind_str(kind: RecordKind) -> Result<String> {
    match serde_json::to_value(kind)? {
        Value::String(s) => Ok(s),
        _ => Err(StoreError::Corrupt("record kind is not a string".into())),
    }
}

/// Facts derived from a case's records, kept in `cases` so the deadline query can filter
/// in SQL (deadlines themselves are computed by the domain, never stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CaseFacts {
    identity_verified: Option<NaiveDate>,
    track_steps_done: usize,
    track_closed: bool,
    /// R-ID-3M may still ask something of the case.
    id3m_open: bool,
}

fn case_facts<'a>(
    received: NaiveDate,
    bodies: impl IntoIterator<Item = &'a RecordBody>,
) -> CaseFacts {
    let facts = id3m::Id3mRecords::gather(bodies);
    let closed = facts.closure.is_some();
    let steps_done = facts.steps_done();
    let in_time = facts
        .identity_verified
        .is_some_and(|v| v <= id3m::due_date(received));
    CaseFacts {
        identity_verified: facts.identity_verified,
        track_steps_done: steps_done,
        track_closed: closed,
        id3m_open: !closed && steps_done < TrackStep::ALL.len() && !in_time,
    }
}

fn write_case_facts(tx: &Connection, case_id: &str, person: &Person, f: &CaseFacts) -> Result<()> {
    tx.prepare_cached(
        // Only when a fact changed: most record writes change none, and every list index
        // holds id3m_open and person_name.
        "UPDATE cases SET identity_verified = ?2, track_steps_done = ?3, track_closed = ?4, id3m_open = ?5,
                          person_name = ?6
         WHERE id = ?1 AND (identity_verified IS NOT ?2 OR track_steps_done IS NOT ?3
                            OR track_closed IS NOT ?4 OR id3m_open IS NOT ?5 OR person_name IS NOT ?6)",
    )?
    .execute(params![
        case_id,
        f.identity_verified.map(|d| d.to_string()),
        f.track_steps_done as i64,
        f.track_closed,
        f.id3m_open,
        person.display_name()
    ])?;
    Ok(())
}

/// After a change to a case, its person or one of its records: rebuilds the case's search
/// document and derived facts from what is stored, in the same transaction.
fn refresh_case(tx: &Connection, case_id: &str) -> Result<()> {
    let (cdata, pdata): (String, String) = tx
        .prepare_cached("SELECT c.data, p.data FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.id = ?1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let case: Case = serde_json::from_str(&cdata)?;
    let person: Person = serde_json::from_str(&pdata)?;
    let mut stmt = tx.prepare_cached("SELECT data FROM records WHERE case_id = ?1")?;
    let bodies: Vec<RecordBody> = stmt
        .query_map([case_id], |r| r.get::<_, String>(0))?
        .map(|d| -> Result<RecordBody> { Ok(serde_json::from_str(&d?)?) })
        .collect::<Result<_>>()?;
    search::reindex_case(tx, &case, &person, &bodies)?;
    write_case_facts(
        tx,
        case_id,
        &person,
        &case_facts(case.received_date, &bodies),
    )
}

fn get_person_tx(conn: &Connection, id: &str) -> Result<Person> {
    let data: Option<String> = conn
        .prepare_cached("SELECT data FROM persons WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let data = data.ok_or_else(|| StoreError::NotFound {
        kind: "person",
        id: id.to_owned(),
    })?;
    Ok(serde_json::from_str(&data)?)
}

fn get_case_tx(conn: &Connection, id: &str) -> Result<Case> {
    let data: Option<String> = conn
        .prepare_cached("SELECT data FROM cases WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let data = data.ok_or_else(|| StoreError::NotFound {
        kind: "case",
        id: id.to_owned(),
    })?;
    Ok(serde_json::from_str(&data)?)
}

fn insert_person_tx(tx: &Connection, p: &Person, meta: &Meta<'_>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO persons (id, data, resident_id, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
    )?
    .execute(params![p.id.to_string(), to_json(p)?, p.resident_id, meta.at, meta.actor])
    .map_err(|e| duplicate(e, "person", &p.id.to_string()))?;
    Ok(())
}

fn insert_case_tx(tx: &Connection, c: &Case, meta: &Meta<'_>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO cases (id, case_number, person_id, received_date, stage, institution_kind, caseworker, data,
                            created_at, created_by, updated_at, updated_by, flags, institution)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        c.id.to_string(),
        c.case_number,
        c.person_id.to_string(),
        c.received_date.to_string(),
        enum_str(&c.stage)?,
        enum_str(&c.institution_kind)?,
        c.caseworker,
        to_json(c)?,
        meta.at,
        meta.actor,
        crate::list::flag_bits(&c.flags),
        c.institution
    ])
    .map_err(|e| duplicate(e, "case number", &c.case_number))?;
    Ok(())
}

fn insert_record_tx(tx: &Connection, r: &Record) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO records (id, case_id, kind, date, open, data, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        r.id.to_string(),
        r.case_id.to_string(),
        kind_str(r.body.kind())?,
        r.body.date().to_string(),
        is_open(&r.body),
        to_json(&r.body)?,
        now_string(r.created_at),
        r.created_by,
        now_string(r.updated_at),
        r.updated_by
    ])
    .map_err(|e| duplicate(e, "record", &r.id.to_string()))?;
    Ok(())
}

fn enum_str<T: Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v)? {
        Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

fn duplicate(e: rusqlite::Error, what: &'static str, value: &str) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, msg)
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.as_deref().is_some_and(|m| m.contains("UNIQUE")) =>
        {
            StoreError::Duplicate {
                what,
                value: value.to_owned(),
            }
        }
        rusqlite::Error::SqliteFailure(f, msg)
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.as_deref().is_some_and(|m| m.contains("FOREIGN KEY")) =>
        {
            StoreError::NotFound {
                kind: "referenced person or case",
                id: value.to_owned(),
            }
        }
        _ => StoreError::Sql(e),
    }
}

fn parse_record(
    id: String,
    case_id: String,
    data: String,
    created_at: String,
    created_by: String,
    updated_at: String,
    updated_by: String,
) -> Result<Record> {
    let uuid =
        |s: &str| Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("bad id {s}: {e}")));
    let time = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| StoreError::Corrupt(format!("bad time {s}: {e}")))
    };
    Ok(Record {
        id: uuid(&id)?,
        case_id: uuid(&case_id)?,
        body: serde_json::from_str(&data)?,
        created_at: time(&created_at)?,
        created_by,
        updated_at: time(&updated_at)?,
        updated_by,
    })
}

const RECORD_COLUMNS: &str = "id, case_id, data, created_at, created_by, updated_at, updated_by";

fn records_where(conn: &Connection, sql_where: &str, param: &str) -> Result<Vec<Record>> {
    let sql = format!("SELECT {RECORD_COLUMNS} FROM records WHERE {sql_where} ORDER BY date, id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([param], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (a, b, c, d, e, f, g) = row?;
        out.push(parse_record(a, b, c, d, e, f, g)?);
    }
    Ok(out)
}

impl Vault {
    fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>, &Meta<'_>) -> Result<T>) -> Result<T> {
        let actor = self.actor().to_owned();
        let meta = Meta {
            actor: &actor,
            at: now_string(Utc::now()),
        };
        let dir = self.dir().to_owned();
        let tx = self.conn.transaction()?;
        let out = f(&tx, &meta).map_err(|e| e.in_vault(&dir))?;
        tx.commit()
            .map_err(|e| StoreError::from(e).in_vault(&dir))?;
        self.after_commit();
        Ok(out)
    }

    // ----- settings ------------------------------------------------------------------

    /// The rule settings (defaults until an administrator changes them).
    pub fn settings(&self) -> Result<RuleSettings> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'settings'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match v {
            Some(s) => serde_json::from_str(&s)?,
            None => RuleSettings::default(),
        })
    }

    /// Saves validated settings, with an audit entry.
    pub fn save_settings(&mut self, s: &RuleSettings) -> Result<()> {
        s.validate()?;
        let json = to_json(s)?;
        self.write(|tx, meta| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('settings', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [&json],
            )?;
            audit::append(tx, meta.actor, AuditAction::SettingsChanged, "settings", "")
        })
    }

    /// Holiday calendar files an administrator loaded (JSON text per year), by year.
    pub fn calendar_files(&self) -> Result<Vec<(i32, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, value FROM meta WHERE key LIKE 'calendar:%' ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (key, value) = row?;
            if let Some(year) = key.strip_prefix("calendar:").and_then(|y| y.parse().ok()) {
                out.push((year, value));
            }
        }
        Ok(out)
    }

    /// Stores a holiday calendar file for a year (validated by the caller), with an audit entry.
    pub fn save_calendar_file(&mut self, year: i32, json: &str) -> Result<()> {
        self.write(|tx, meta| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![format!("calendar:{year}"), json],
            )?;
            audit::append(tx, meta.actor, AuditAction::SettingsChanged, &format!("calendar:{year}"), "")
        })
    }

    /// The highest sequence number among case numbers `{prefix}-{year}-NNNN` in the vault.
    pub fn max_case_seq(&self, prefix: &str, year: i32) -> Result<u32> {
        let start = format!("{prefix}-{year}-");
        let mut stmt = self.conn.prepare_cached(
            "SELECT case_number FROM cases WHERE case_number >= ?1 AND case_number < ?2",
        )?;
        let rows = stmt.query_map(params![start, format!("{prefix}-{year}.")], |r| {
            r.get::<_, String>(0)
        })?;
        let mut max = 0;
        for n in rows {
            if let Some(seq) = n?.strip_prefix(&start).and_then(|t| t.parse::<u32>().ok()) {
                max = max.max(seq);
            }
        }
        Ok(max)
    }

    /// Allocates the next case number for `year` with the configured prefix.
    pub fn next_case_number(&mut self, year: i32) -> Result<String> {
        let settings = self.settings()?;
        let key = format!("case_seq:{}:{year}", settings.case_prefix);
        let existing = self.max_case_seq(&settings.case_prefix, year)?;
        self.write(|tx, _| {
            let mut seq: u32 = tx
                .query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| r.get::<_, String>(0))
                .optional()?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
                .max(existing);
            loop {
                seq += 1;
                let number = settings.case_number(year, seq);
                let taken: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM cases WHERE case_number = ?1)", [&number], |r| r.get(0))?;
                if !taken {
                    tx.execute(
                        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        params![key, seq.to_string()],
                    )?;
                    return Ok(number);
                }
            }
        })
    }

    // ----- persons and cases -----------------------------------------------------------

    /// Creates a person and a case for them in one transaction.
    pub fn create_case(&mut self, person: &Person, case: &Case) -> Result<()> {
        self.write(|tx, meta| {
            insert_person_tx(tx, person, meta)?;
            write_history(
                tx,
                meta,
                "person",
                &person.id.to_string(),
                Some(&case.id.to_string()),
                "create",
                &diff(None, &serde_json::to_value(person)?),
            )?;
            insert_case_tx(tx, case, meta)?;
            write_history(
                tx,
                meta,
                "case",
                &case.id.to_string(),
                Some(&case.id.to_string()),
                "create",
                &diff(None, &serde_json::to_value(case)?),
            )?;
            search::index_new_case(tx, case, person, std::iter::empty())?;
            write_case_facts(
                tx,
                &case.id.to_string(),
                person,
                &case_facts(case.received_date, std::iter::empty()),
            )?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::Create,
                &format!("case:{}", case.id),
                "",
            )
        })
    }

    /// Saves changes to a person; history records each changed field.
    pub fn update_person(&mut self, person: &Person) -> Result<Vec<Change>> {
        self.write(|tx, meta| {
            let id = person.id.to_string();
            let old = get_person_tx(tx, &id)?;
            let changes = diff(Some(&serde_json::to_value(&old)?), &serde_json::to_value(person)?);
            if changes.is_empty() {
                return Ok(changes);
            }
            tx.prepare_cached("UPDATE persons SET data = ?2, resident_id = ?3, updated_at = ?4, updated_by = ?5 WHERE id = ?1")?
                .execute(params![id, to_json(person)?, person.resident_id, meta.at, meta.actor])?;
            let mut stmt = tx.prepare_cached("SELECT id FROM cases WHERE person_id = ?1")?;
            let case_ids: Vec<String> = stmt.query_map([&id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            for cid in &case_ids {
                write_history(tx, meta, "person", &id, Some(cid), "update", &changes)?;
                refresh_case(tx, cid)?;
            }
            if case_ids.is_empty() {
                write_history(tx, meta, "person", &id, None, "update", &changes)?;
            }
            audit::append(tx, meta.actor, AuditAction::Update, &format!("person:{id}"), &field_list(&changes))?;
            Ok(changes)
        })
    }

    /// Saves changes to a case.
    pub fn update_case(&mut self, case: &Case) -> Result<Vec<Change>> {
        self.write(|tx, meta| {
            let id = case.id.to_string();
            let old = get_case_tx(tx, &id)?;
            if old.person_id != case.person_id {
                return Err(StoreError::Corrupt("a case cannot move to another person".into()));
            }
            let changes = diff(Some(&serde_json::to_value(&old)?), &serde_json::to_value(case)?);
            if changes.is_empty() {
                return Ok(changes);
            }
            tx.prepare_cached(
                "UPDATE cases SET case_number = ?2, received_date = ?3, stage = ?4, institution_kind = ?5, caseworker = ?6,
                                  data = ?7, updated_at = ?8, updated_by = ?9, flags = ?10, institution = ?11
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                case.case_number,
                case.received_date.to_string(),
                enum_str(&case.stage)?,
                enum_str(&case.institution_kind)?,
                case.caseworker,
                to_json(case)?,
                meta.at,
                meta.actor,
                crate::list::flag_bits(&case.flags),
                case.institution
            ])
            .map_err(|e| duplicate(e, "case number", &case.case_number))?;
            write_history(tx, meta, "case", &id, Some(&id), "update", &changes)?;
            refresh_case(tx, &id)?;
            audit::append(tx, meta.actor, AuditAction::Update, &format!("case:{id}"), &field_list(&changes))?;
            Ok(changes)
        })
    }

    /// A person by id.
    pub fn person(&self, id: Uuid) -> Result<Person> {
        get_person_tx(&self.conn, &id.to_string())
    }

    /// A case by id.
    pub fn case(&self, id: Uuid) -> Result<Case> {
        get_case_tx(&self.conn, &id.to_string())
    }

    /// A case by its case number or id.
    pub fn find_case(&self, number_or_id: &str) -> Result<Case> {
        let key = number_or_id.trim();
        let data: Option<String> = self
            .conn
            .prepare_cached("SELECT data FROM cases WHERE case_number = ?1 OR id = ?2")?
            .query_row(params![key.to_uppercase(), key.to_lowercase()], |r| {
                r.get(0)
            })
            .optional()?;
        let data = data.ok_or_else(|| StoreError::NotFound {
            kind: "case",
            id: key.to_owned(),
        })?;
        Ok(serde_json::from_str(&data)?)
    }

    /// Number of cases in the vault.
    pub fn case_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    // ----- records -------------------------------------------------------------------

    /// Adds a record to a case (the caller has validated it against the rules).
    pub fn insert_record(&mut self, case_id: Uuid, body: RecordBody) -> Result<Record> {
        let now = Utc::now();
        let record = Record {
            id: Uuid::now_v7(),
            case_id,
            body,
            created_at: now,
            created_by: self.actor().to_owned(),
            updated_at: now,
            updated_by: self.actor().to_owned(),
        };
        self.write(|tx, meta| {
            let cid = case_id.to_string();
            get_case_tx(tx, &cid)?;
            insert_record_tx(tx, &record)?;
            let rid = record.id.to_string();
            write_history(
                tx,
                meta,
                "record",
                &rid,
                Some(&cid),
                "create",
                &diff(None, &serde_json::to_value(&record.body)?),
            )?;
            refresh_case(tx, &cid)?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::Create,
                &format!("record:{rid}"),
                &kind_str(record.body.kind())?,
            )
        })?;
        Ok(record)
    }

    /// Replaces a record's body; history records each changed field. The kind cannot change.
    pub fn update_record(&mut self, id: Uuid, body: RecordBody) -> Result<(Record, Vec<Change>)> {
        let rid = id.to_string();
        let old = self.record(id)?;
        if old.body.kind() != body.kind() {
            return Err(StoreError::Corrupt(
                "a record cannot change its kind".into(),
            ));
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
        record.updated_by = self.actor().to_owned();
        let rec = record.clone();
        let ch = changes.clone();
        self.write(|tx, meta| {
            let cid = rec.case_id.to_string();
            tx.prepare_cached("UPDATE records SET date = ?2, open = ?3, data = ?4, updated_at = ?5, updated_by = ?6 WHERE id = ?1")?
                .execute(params![rid, rec.body.date().to_string(), is_open(&rec.body), to_json(&rec.body)?, now_string(rec.updated_at), meta.actor])?;
            write_history(tx, meta, "record", &rid, Some(&cid), "update", &ch)?;
            refresh_case(tx, &cid)?;
            audit::append(tx, meta.actor, AuditAction::Update, &format!("record:{rid}"), &field_list(&ch))
        })?;
        Ok((record, changes))
    }

    /// A record by id.
    pub fn record(&self, id: Uuid) -> Result<Record> {
        records_where(&self.conn, "id = ?1", &id.to_string())?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound {
                kind: "record",
                id: id.to_string(),
            })
    }

    /// Every record of a case, by date.
    pub fn records_of_case(&self, case_id: Uuid) -> Result<Vec<Record>> {
        records_where(&self.conn, "case_id = ?1", &case_id.to_string())
    }

    /// The change history of a case (its person, the case and its records), oldest first.
    pub fn history_of_case(&self, case_id: Uuid) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, actor, entity, entity_id, action, changes FROM history WHERE case_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([case_id.to_string()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, at, actor, entity, entity_id, action, changes) = row?;
            out.push(HistoryEntry {
                seq,
                at,
                actor,
                entity,
                entity_id,
                action,
                changes: serde_json::from_str(&changes)?,
            });
        }
        Ok(out)
    }

    /// Records that a full case was shown (R-PRIV: every view is logged).
    pub fn log_view(&mut self, case_id: Uuid) -> Result<()> {
        self.audit(AuditAction::View, &format!("case:{case_id}"), "")
    }

    /// The newest audit entries.
    pub fn audit_recent(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        audit::recent(&self.conn, limit)
    }

    // ----- search and deadlines ------------------------------------------------------

    /// Searches names, other names, case numbers, ID numbers and note text.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        search::search(&self.conn, query, limit)
    }

    /// The cases and records the deadline rules may concern as of `on`: R-ID-3M cases
    /// received on or before `received_until` whose track is neither complete nor closed,
    /// and open legal-aid applications.
    pub fn due_candidates(&self, received_until: NaiveDate) -> Result<DueCandidates> {
        let uuid = |s: &str| {
            Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("bad id {s}: {e}")))
        };
        let date = |s: &str| {
            s.parse::<NaiveDate>()
                .map_err(|e| StoreError::Corrupt(format!("bad date {s}: {e}")))
        };
        let mut out = DueCandidates::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.case_number, c.received_date, c.institution_kind, c.identity_verified, c.person_name,
                    (SELECT '[' || coalesce(group_concat(r.data, ','), '') || ']' FROM records r
                      WHERE r.case_id = c.id AND r.kind IN ('track_step', 'track_closure'))
             FROM cases c INDEXED BY cases_id3m
             WHERE c.id3m_open = 1 AND c.stage <> 'closed' AND c.institution_kind <> 'other'
               AND c.received_date <= ?1",
        )?;
        let mut rows = stmt.query([received_until.to_string()])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(3)?;
            let verified: Option<String> = r.get(4)?;
            let track: String = r.get(6)?;
            out.id3m.push(Id3mCandidate {
                case_id: uuid(&r.get::<_, String>(0)?)?,
                case_number: r.get(1)?,
                received: date(&r.get::<_, String>(2)?)?,
                institution_kind: serde_json::from_value(Value::String(kind))?,
                identity_verified: verified.as_deref().map(date).transpose()?,
                name: r.get(5)?,
                track: serde_json::from_str(&track)?,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.case_number, c.person_name, r.id, r.data
             FROM records r INDEXED BY records_open CROSS JOIN cases c ON c.id = r.case_id
             WHERE r.kind = 'legal_aid' AND r.open = 1 AND c.stage <> 'closed'",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let body: RecordBody = serde_json::from_str(&r.get::<_, String>(4)?)?;
            let RecordBody::LegalAid(application) = body else {
                return Err(StoreError::Corrupt(
                    "a legal_aid row holds another kind of record".into(),
                ));
            };
            out.legal_aid.push(LegalAidCandidate {
                case_id: uuid(&r.get::<_, String>(0)?)?,
                case_number: r.get(1)?,
                name: r.get(2)?,
                record_id: uuid(&r.get::<_, String>(3)?)?,
                application,
            });
        }
        Ok(out)
    }

    // ----- import and export -------------------------------------------------------------

    /// Writes a whole import in one transaction: all or nothing. The caller has validated
    /// every item. The history gets one `import` entry per case (each record carries who
    /// made it and when in its own metadata); the audit trail one entry naming the counts.
    pub fn import(
        &mut self,
        persons: &[Person],
        cases: &[Case],
        records: &[Record],
        source: &str,
    ) -> Result<ImportCounts> {
        // Insert in key order: ids are time-ordered, so tables grow at their ends instead
        // of touching random pages (each of which, encrypted, costs a decrypt and an
        // encrypt). A large cache holds the indexes of a big import while they grow.
        let mut persons: Vec<&Person> = persons.iter().collect();
        persons.sort_by_key(|p| p.id);
        let mut cases: Vec<&Case> = cases.iter().collect();
        cases.sort_by_key(|c| c.id);
        let mut records: Vec<&Record> = records.iter().collect();
        records.sort_by_key(|r| r.id);
        let big = records.len() > 10_000;
        // A big import also skips the per-row foreign-key lookups (random reads of the
        // cases and persons tables): the API has checked every reference before calling,
        // and `PRAGMA foreign_key_check` confirms it before the transaction commits.
        if big {
            self.conn
                .execute_batch("PRAGMA cache_size = -524288; PRAGMA foreign_keys = OFF;")?;
        }
        let result = self.import_sorted(&persons, &cases, &records, source);
        if big {
            self.conn.execute_batch(
                "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA shrink_memory;",
            )?;
        }
        result
    }

    fn import_sorted(
        &mut self,
        persons: &[&Person],
        cases: &[&Case],
        records: &[&Record],
        source: &str,
    ) -> Result<ImportCounts> {
        let big = records.len() > 10_000;
        self.write(|tx, meta| {
            // A big import drops the secondary indexes and builds them again at the end
            // (one sort each) instead of inserting a million entries at random places.
            // All inside the transaction: a failure leaves the old indexes in place.
            let mut rebuild: Vec<String> = Vec::new();
            if big {
                let mut stmt = tx.prepare(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                       AND tbl_name IN ('records', 'history', 'search_docs', 'search_terms', 'cases', 'persons')",
                )?;
                let found: Vec<(String, String)> =
                    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
                for (name, sql) in found {
                    tx.execute_batch(&format!("DROP INDEX \"{}\";", name.replace('"', "\"\"")))?;
                    rebuild.push(sql);
                }
            }
            for p in persons {
                insert_person_tx(tx, p, meta)?;
            }
            let by_id: std::collections::HashMap<Uuid, &Person> =
                persons.iter().map(|p| (p.id, *p)).collect();
            let mut bodies: std::collections::HashMap<Uuid, Vec<&RecordBody>> = std::collections::HashMap::new();
            for r in records {
                bodies.entry(r.case_id).or_default().push(&r.body);
            }
            for c in cases {
                insert_case_tx(tx, c, meta)?;
                let cid = c.id.to_string();
                write_history(tx, meta, "case", &cid, Some(&cid), "import", &[])?;
                let person = match by_id.get(&c.person_id) {
                    Some(p) => (*p).clone(),
                    None => get_person_tx(tx, &c.person_id.to_string())?,
                };
                let own = bodies.remove(&c.id).unwrap_or_default();
                search::index_new_case(tx, c, &person, own.iter().copied())?;
                write_case_facts(tx, &cid, &person, &case_facts(c.received_date, own.iter().copied()))?;
            }
            // History: one `import` entry per case (above); each record carries who made
            // it and when in its own metadata.
            for r in records {
                insert_record_tx(tx, r)?;
            }
            for sql in &rebuild {
                tx.execute_batch(sql)?;
            }
            if big {
                let broken: Option<String> = tx
                    .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
                    .optional()?;
                if let Some(table) = broken {
                    return Err(StoreError::NotFound {
                        kind: "referenced person or case",
                        id: format!("a row of {table}"),
                    });
                }
            }
            // Records added to cases already in the vault: refresh those cases.
            for case_id in bodies.keys() {
                refresh_case(tx, &case_id.to_string())?;
            }
            let counts = ImportCounts {
                persons: persons.len(),
                cases: cases.len(),
                records: records.len(),
            };
            audit::append(tx, meta.actor, AuditAction::Import, source, &to_json(&counts)?)?;
            Ok(counts)
        })
    }

    /// Every person, case and record, in a stable order (ids are time-ordered UUIDv7).
    pub fn export_all(&self) -> Result<(Vec<Person>, Vec<Case>, Vec<Record>)> {
        let load = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        };
        let persons = load("SELECT data FROM persons ORDER BY id")?
            .iter()
            .map(|d| serde_json::from_str(d))
            .collect::<serde_json::Result<_>>()?;
        let cases = load("SELECT data FROM cases ORDER BY id")?
            .iter()
            .map(|d| serde_json::from_str(d))
            .collect::<serde_json::Result<_>>()?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {RECORD_COLUMNS} FROM records ORDER BY case_id, id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (a, b, c, d, e, f, g) = row?;
            records.push(parse_record(a, b, c, d, e, f, g)?);
        }
        Ok((persons, cases, records))
    }

    /// Records an export in the audit trail.
    pub fn log_export(&mut self, target: &str, detail: &str) -> Result<()> {
        self.audit(AuditAction::Export, target, detail)
    }

    /// Records a print in the audit trail (who, which case, which profile; never the file).
    pub fn log_print(&mut self, case_id: Uuid, profile: &str) -> Result<()> {
        self.audit(AuditAction::Print, &format!("case:{case_id}"), profile)
    }
}

fn field_list(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| c.field.as_str())
        .collect::<Vec<_>>()
        .join(",")
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
