//! Duplicate persons (R-DUP): the blocking keys written with every person, the pairs
//! decided "not the same person", linking a new case to a stored person, and merging two
//! persons into one (and undoing it). Whether two persons are alike is the domain's
//! question (`guitu_domain::duplicates`); the store only finds whom to compare.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::duplicates::{Profile, pair};
use guitu_domain::model::{Case, Person};
use guitu_text::Thing;

use crate::audit::{self, AuditAction};
use crate::cases::{insert_new_case, refresh_case, update_person_tx};
use crate::history::{self, Change, Entity, HistoryAction, Meta, field_list};
use crate::rows::{self, to_json};
use crate::{Invalid, Result, StoreError, Vault};

/// Persons sharing one key beyond this many are not all compared with each other in a
/// scan of the vault (a very common name's pinyin, say): other keys still pair them.
pub const MAX_KEY_GROUP: usize = 200;
/// At most this many persons are read for one check (the most keys shared first).
pub const MAX_CANDIDATES: usize = 200;
/// At most this many persons are read for one key.
pub const MAX_KEY_ROWS: usize = 2000;

/// The persons of several key lists, those in the most lists first (then by id), at most
/// [`MAX_CANDIDATES`].
pub fn rank_shared<'a>(lists: impl IntoIterator<Item = &'a [Uuid]>) -> Vec<Uuid> {
    let mut shared: HashMap<Uuid, u32> = HashMap::new();
    for list in lists {
        for id in list {
            *shared.entry(*id).or_default() += 1;
        }
    }
    let mut ranked: Vec<(Uuid, u32)> = shared.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(MAX_CANDIDATES);
    ranked.into_iter().map(|(id, _)| id).collect()
}

/// Replaces a person's blocking keys (inside the caller's transaction).
pub(crate) fn write_keys(tx: &Connection, person: &Person) -> Result<()> {
    let id = person.id.to_string();
    delete_keys(tx, &id)?;
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO person_keys (key, person_id) VALUES (?1, ?2)")?;
    for key in Profile::of(person, &[]).keys() {
        insert.execute(params![key, id])?;
    }
    Ok(())
}

/// The blocking keys of new persons (with no keys yet), inserted in key order so the
/// table grows at its end rather than at random pages (an import of 100,000 persons).
pub(crate) fn write_keys_sorted(tx: &Connection, persons: &[&Person]) -> Result<()> {
    let mut rows: Vec<(String, String)> = persons
        .iter()
        .flat_map(|p| {
            let id = p.id.to_string();
            Profile::of(p, &[])
                .keys()
                .into_iter()
                .map(move |k| (k, id.clone()))
        })
        .collect();
    rows.sort();
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO person_keys (key, person_id) VALUES (?1, ?2)")?;
    for (key, id) in &rows {
        insert.execute(params![key, id])?;
    }
    Ok(())
}

fn delete_keys(tx: &Connection, person_id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM person_keys WHERE person_id = ?1")?
        .execute([person_id])?;
    Ok(())
}

/// One case of a person, as a duplicate check shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PersonCase {
    pub case_id: String,
    pub case_number: String,
    pub received_date: String,
}

/// A stored person and their cases.
#[derive(Debug, Clone)]
pub struct StoredPerson {
    pub person: Person,
    pub cases: Vec<PersonCase>,
}

impl StoredPerson {
    /// The receiving dates of the person's cases.
    pub fn intakes(&self) -> Vec<NaiveDate> {
        self.cases
            .iter()
            .filter_map(|c| c.received_date.parse().ok())
            .collect()
    }
}

/// A merge of two persons, as the list of merges shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct MergeEntry {
    pub id: String,
    pub at: String,
    pub by: String,
    pub kept: String,
    pub absorbed: String,
    /// The absorbed person's name (or intake number) as it was.
    pub absorbed_name: Option<String>,
    pub absorbed_intake_number: Option<String>,
    /// The kept person's name (or intake number) now; both `None` if they are gone.
    pub kept_name: Option<String>,
    pub kept_intake_number: Option<String>,
    pub cases: Vec<String>,
    /// The moved cases' numbers, in the order of `cases`.
    pub case_numbers: Vec<String>,
    pub names_added: Vec<String>,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
}

fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| StoreError::Corrupt("a stored id is not a UUID".into()))
}

pub(crate) fn cases_of(conn: &Connection, person_id: &str) -> Result<Vec<PersonCase>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, case_number, received_date FROM cases WHERE person_id = ?1 ORDER BY received_date, seq",
    )?;
    let rows = stmt
        .query_map([person_id], |r| {
            Ok(PersonCase {
                case_id: r.get(0)?,
                case_number: r.get(1)?,
                received_date: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Moves a case to another person: its row, its JSON, its history, its search terms.
fn move_case(tx: &Connection, meta: &Meta<'_>, case_id: &str, to: Uuid) -> Result<()> {
    let mut case: Case = rows::case(tx, case_id)?;
    let from = case.person_id;
    case.person_id = to;
    tx.prepare_cached(
        "UPDATE cases SET person_id = ?2, data = ?3, updated_at = ?4, updated_by = ?5 WHERE id = ?1",
    )?
    .execute(params![case_id, to.to_string(), to_json(&case)?, meta.at, meta.actor])?;
    let changes = vec![Change {
        field: "person_id".into(),
        old: serde_json::Value::String(from.to_string()),
        new: serde_json::Value::String(to.to_string()),
    }];
    history::write(
        tx,
        meta,
        Entity::Case,
        case_id,
        Some(case_id),
        HistoryAction::Update,
        &changes,
    )?;
    refresh_case(tx, case_id)
}

/// Remembers a pair decided not to be the same person (inside the caller's transaction).
pub(crate) fn insert_not_duplicate(
    tx: &Connection,
    meta: &Meta<'_>,
    a: Uuid,
    b: Uuid,
) -> Result<()> {
    if a == b {
        return Err(StoreError::Invalid(Invalid::SamePerson));
    }
    let (a, b) = pair(a, b);
    for id in [a, b] {
        rows::person(tx, &id.to_string())?;
    }
    tx.prepare_cached(
        "INSERT OR IGNORE INTO not_duplicates (a, b, at, by) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![a.to_string(), b.to_string(), meta.at, meta.actor])?;
    audit::append(
        tx,
        meta.actor,
        AuditAction::NotDuplicate,
        &format!("person:{a}"),
        &format!("person:{b}"),
    )
}

impl Vault {
    /// Whether any stored person has a blocking key (an empty vault has nothing to match).
    pub fn has_person_keys(&self) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM person_keys LIMIT 1")?
            .query_row([], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The persons with a blocking key (at most [`MAX_KEY_ROWS`]).
    pub fn persons_with_key(&self, key: &str) -> Result<Vec<Uuid>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT person_id FROM person_keys WHERE key = ?1 LIMIT ?2")?;
        let ids: Vec<String> = stmt
            .query_map(params![key, MAX_KEY_ROWS as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|s| parse_uuid(s)).collect()
    }

    /// Persons with their cases, for comparing (ids not found are skipped).
    pub fn persons_for_matching(&self, ids: &[Uuid]) -> Result<Vec<StoredPerson>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let id = id.to_string();
            let data: Option<String> = self
                .conn
                .prepare_cached("SELECT data FROM persons WHERE id = ?1")?
                .query_row([&id], |r| r.get(0))
                .optional()?;
            let Some(data) = data else { continue };
            out.push(StoredPerson {
                person: serde_json::from_str(&data)?,
                cases: cases_of(&self.conn, &id)?,
            });
        }
        Ok(out)
    }

    /// The persons decided not to be the same person as `person`.
    pub fn not_duplicates_of(&self, person: Uuid) -> Result<HashSet<Uuid>> {
        let id = person.to_string();
        let mut stmt = self.conn.prepare_cached(
            "SELECT b FROM not_duplicates WHERE a = ?1 UNION SELECT a FROM not_duplicates WHERE b = ?1",
        )?;
        let ids: Vec<String> = stmt
            .query_map([&id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|s| parse_uuid(s)).collect()
    }

    /// Every pair decided not to be the same person (smaller id first).
    pub fn not_duplicate_pairs(&self) -> Result<HashSet<(Uuid, Uuid)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT a, b FROM not_duplicates")?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.iter()
            .map(|(a, b)| Ok((parse_uuid(a)?, parse_uuid(b)?)))
            .collect()
    }

    /// Remembers that two persons are not the same person (an audit entry, no content).
    pub fn mark_not_duplicate(&mut self, a: Uuid, b: Uuid) -> Result<()> {
        self.write(|tx, meta| insert_not_duplicate(tx, meta, a, b))
    }

    /// Groups of persons sharing a key (at most [`MAX_KEY_GROUP`] persons per group), for
    /// a scan of the whole vault.
    pub fn key_groups(&self) -> Result<Vec<Vec<Uuid>>> {
        let mut stmt = self.conn.prepare(
            "SELECT group_concat(person_id) FROM person_keys GROUP BY key HAVING count(*) BETWEEN 2 AND ?1",
        )?;
        let groups: Vec<String> = stmt
            .query_map([MAX_KEY_GROUP as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        groups
            .iter()
            .map(|g| g.split(',').map(parse_uuid).collect())
            .collect()
    }

    /// Creates a case for a person already in the vault ("the same person"), saving the
    /// person's new data (names the new intake gave, say) in the same transaction. The
    /// person must exist; returns the case as stored.
    pub fn create_case_for_person(&mut self, person: &Person, case: &Case) -> Result<Case> {
        self.write(|tx, meta| {
            rows::person(tx, &person.id.to_string())?;
            let mut case = case.clone();
            case.person_id = person.id;
            insert_new_case(tx, meta, &mut case, person)?;
            let cid = case.id.to_string();
            let changes = update_person_tx(tx, meta, person)?;
            if !changes.is_empty() {
                audit::append(
                    tx,
                    meta.actor,
                    AuditAction::Update,
                    &format!("person:{}", person.id),
                    &field_list(&changes),
                )?;
            }
            audit::append(
                tx,
                meta.actor,
                AuditAction::Create,
                &format!("case:{cid}"),
                &format!("person:{}", person.id),
            )?;
            Ok(case)
        })
    }

    /// Merges `absorbed` into `kept`: every case of the absorbed person moves to the kept
    /// one, whose other names gain `names_added`; the absorbed person's row is kept in
    /// the merge so that [`Vault::undo_merge`] can bring it back. One transaction, a
    /// history entry on every case touched and an audit entry. Returns the merge's id.
    pub fn merge_persons(
        &mut self,
        kept: Uuid,
        absorbed: Uuid,
        names_added: &[String],
    ) -> Result<Uuid> {
        if kept == absorbed {
            return Err(StoreError::Invalid(Invalid::SamePerson));
        }
        self.write(|tx, meta| {
            let (kept_id, absorbed_id) = (kept.to_string(), absorbed.to_string());
            let mut keeper = rows::person(tx, &kept_id)?;
            let gone = rows::person(tx, &absorbed_id)?;
            let moved = cases_of(tx, &absorbed_id)?;
            for c in &moved {
                move_case(tx, meta, &c.case_id, kept)?;
            }
            let added: Vec<String> = names_added
                .iter()
                .filter(|n| !keeper.other_names.contains(n))
                .cloned()
                .collect();
            keeper.other_names.extend(added.iter().cloned());
            update_person_tx(tx, meta, &keeper)?;
            delete_keys(tx, &absorbed_id)?;
            tx.prepare_cached("DELETE FROM persons WHERE id = ?1")?
                .execute([&absorbed_id])?;
            let id = Uuid::now_v7();
            let case_ids: Vec<&str> = moved.iter().map(|c| c.case_id.as_str()).collect();
            tx.prepare_cached(
                "INSERT INTO merges (id, at, by, kept, absorbed, absorbed_data, cases, names_added)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id.to_string(),
                meta.at,
                meta.actor,
                kept_id,
                absorbed_id,
                to_json(&gone)?,
                to_json(&case_ids)?,
                to_json(&added)?
            ])?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::PersonsMerged,
                &format!("person:{kept_id}"),
                &format!("merge:{id} person:{absorbed_id} cases:{}", moved.len()),
            )?;
            Ok(id)
        })
    }

    /// Undoes a merge: the absorbed person comes back as it was, its cases move back, and
    /// the other names the merge gave the kept person are taken off again (those edited
    /// away since stay away). Refused when the merge was undone already.
    pub fn undo_merge(&mut self, merge: Uuid) -> Result<()> {
        self.write(|tx, meta| {
            let row: Option<(String, String, String, String, Option<String>)> = tx
                .prepare_cached(
                    "SELECT kept, absorbed_data, cases, names_added, undone_at FROM merges WHERE id = ?1",
                )?
                .query_row([merge.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            let Some((kept_id, absorbed_data, cases, names_added, undone)) = row else {
                return Err(StoreError::NotFound {
                    what: Thing::Person,
                    reference: merge.to_string(),
                });
            };
            if undone.is_some() {
                return Err(StoreError::Invalid(Invalid::MergeUndone));
            }
            let absorbed: Person = serde_json::from_str(&absorbed_data)?;
            let cases: Vec<String> = serde_json::from_str(&cases)?;
            let names_added: Vec<String> = serde_json::from_str(&names_added)?;
            crate::cases::insert_person(tx, &absorbed, meta)?;
            for cid in &cases {
                // A case moved on since (merged again, say) stays where it is now.
                let now: Option<String> = tx
                    .prepare_cached("SELECT person_id FROM cases WHERE id = ?1")?
                    .query_row([cid], |r| r.get(0))
                    .optional()?;
                if now.as_deref() == Some(kept_id.as_str()) {
                    move_case(tx, meta, cid, absorbed.id)?;
                }
            }
            let mut keeper = rows::person(tx, &kept_id)?;
            keeper.other_names.retain(|n| !names_added.contains(n));
            update_person_tx(tx, meta, &keeper)?;
            tx.prepare_cached("UPDATE merges SET undone_at = ?2, undone_by = ?3 WHERE id = ?1")?
                .execute(params![merge.to_string(), meta.at, meta.actor])?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::MergeUndone,
                &format!("person:{kept_id}"),
                &format!("merge:{merge} person:{}", absorbed.id),
            )
        })
    }

    /// The most recent merges, newest first.
    pub fn merges(&self, limit: u32) -> Result<Vec<MergeEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, by, kept, absorbed, absorbed_data, cases, names_added, undone_at, undone_by
             FROM merges ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows: Vec<[Option<String>; 10]> = stmt
            .query_map([limit], |r| {
                Ok([
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ])
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(
                |[
                    id,
                    at,
                    by,
                    kept,
                    absorbed,
                    data,
                    cases,
                    names,
                    undone_at,
                    undone_by,
                ]| {
                    let text = |v: Option<String>| v.unwrap_or_default();
                    let person: Person = serde_json::from_str(&text(data))?;
                    let kept = text(kept);
                    let keeper: Option<Person> = self
                        .conn
                        .prepare_cached("SELECT data FROM persons WHERE id = ?1")?
                        .query_row([&kept], |r| r.get::<_, String>(0))
                        .optional()?
                        .map(|d| serde_json::from_str(&d))
                        .transpose()?;
                    let cases: Vec<String> = serde_json::from_str(&text(cases))?;
                    let mut numbers = Vec::with_capacity(cases.len());
                    for c in &cases {
                        let n: Option<String> = self
                            .conn
                            .prepare_cached("SELECT case_number FROM cases WHERE id = ?1")?
                            .query_row([c], |r| r.get(0))
                            .optional()?;
                        numbers.extend(n);
                    }
                    Ok(MergeEntry {
                        id: text(id),
                        at: text(at),
                        by: text(by),
                        kept,
                        absorbed: text(absorbed),
                        absorbed_name: person.name,
                        absorbed_intake_number: person.intake_number,
                        kept_name: keeper.as_ref().and_then(|k| k.name.clone()),
                        kept_intake_number: keeper.and_then(|k| k.intake_number),
                        cases,
                        case_numbers: numbers,
                        names_added: serde_json::from_str(&text(names))?,
                        undone_at,
                        undone_by,
                    })
                },
            )
            .collect()
    }

    /// The person a case belongs to now.
    pub fn person_of_case(&self, case_id: Uuid) -> Result<Uuid> {
        Ok(rows::case(&self.conn, &case_id.to_string())?.person_id)
    }
}
