//! Import and export: many persons, cases and records in one transaction.

use rusqlite::OptionalExtension;
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::model::{Case, Person, Record, RecordBody};
use guitu_text::Thing;

use crate::audit::{self, AuditAction};
use crate::cases::{case_facts, insert_case, insert_person_row, refresh_case, write_case_facts};
use crate::history::{self, Entity, HistoryAction};
use crate::rows::{self, RECORD_COLUMNS, to_json};
use crate::{Result, StoreError, Vault, records, search};

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct ImportCounts {
    pub persons: usize,
    pub cases: usize,
    pub records: usize,
}

/// What an import decided about persons already in the vault (R-DUP).
#[derive(Debug, Clone, Default)]
pub struct Linked {
    /// Stored persons that file cases were linked to, with the names (and gaps) the file
    /// gave them.
    pub updated_persons: Vec<Person>,
    /// Pairs decided not to be the same person.
    pub not_duplicates: Vec<(Uuid, Uuid)>,
    /// Where each case came from, for its history (a ledger's file and row: `台账.xlsx
    /// 第12行`): the case's `import` entry carries it as the change of `source`.
    pub case_sources: std::collections::HashMap<Uuid, String>,
}

impl Vault {
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
        self.import_linked(persons, cases, records, source, &Linked::default())
    }

    /// [`Vault::import`], with what the importer decided about persons already in the
    /// vault (R-DUP), written in the same transaction: the stored persons the file's cases
    /// now belong to, with their new data, and the pairs decided not to be the same person.
    pub fn import_linked(
        &mut self,
        persons: &[Person],
        cases: &[Case],
        records: &[Record],
        source: &str,
        linked: &Linked,
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
        let result = self.import_sorted(&persons, &cases, &records, source, linked);
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
        linked: &Linked,
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
                insert_person_row(tx, p, meta)?;
            }
            crate::duplicates::write_keys_sorted(tx, persons)?;
            let by_id: std::collections::HashMap<Uuid, &Person> =
                persons.iter().map(|p| (p.id, *p)).collect();
            let mut bodies: std::collections::HashMap<Uuid, Vec<&RecordBody>> = std::collections::HashMap::new();
            for r in records {
                bodies.entry(r.case_id).or_default().push(&r.body);
            }
            // The hand-off log gets an imported person, case or record's content when it
            // is first changed or sent (`sync::ensure_logged`), not here: an import of
            // 100,000 cases would write it all twice.
            for c in cases {
                insert_case(tx, c, meta)?;
                let cid = c.id.to_string();
                let from: Vec<history::Change> = linked
                    .case_sources
                    .get(&c.id)
                    .map(|s| history::Change {
                        field: "source".to_owned(),
                        old: serde_json::Value::Null,
                        new: serde_json::Value::String(s.clone()),
                    })
                    .into_iter()
                    .collect();
                history::write_local(tx, meta, Entity::Case, &cid, Some(&cid), HistoryAction::Import, &from)?;
                let person = match by_id.get(&c.person_id) {
                    Some(p) => (*p).clone(),
                    None => rows::person(tx, &c.person_id.to_string())?,
                };
                let own = bodies.remove(&c.id).unwrap_or_default();
                search::index_new_case(tx, c, &person, own.iter().copied())?;
                write_case_facts(tx, &cid, &person, &case_facts(c.received_date, own.iter().copied()))?;
            }
            // History: one `import` entry per case (above); each record carries who made
            // it and when in its own metadata.
            for r in records {
                records::insert(tx, r)?;
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
                        what: Thing::Id,
                        reference: format!("a row of {table}"),
                    });
                }
            }
            // Records added to cases already in the vault: refresh those cases.
            for case_id in bodies.keys() {
                refresh_case(tx, &case_id.to_string())?;
            }
            for p in &linked.updated_persons {
                crate::cases::update_person_tx(tx, meta, p)?;
            }
            for (a, b) in &linked.not_duplicates {
                crate::duplicates::insert_not_duplicate(tx, meta, *a, *b)?;
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

    /// Every person, case and record, in a stable order: cases by the pinyin order of
    /// their person's name (as people read a list), persons and records by id (UUIDv7).
    /// Voided cases and records (作废) are left out, and persons who have only voided
    /// cases: the import format has no void mark, so they would come back as real.
    pub fn export_all(&self) -> Result<(Vec<Person>, Vec<Case>, Vec<Record>)> {
        let load = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        };
        let persons = load(
            "SELECT data FROM persons p
             WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id)
                OR EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.voided_at IS NULL)
             ORDER BY id",
        )?
        .iter()
        .map(|d| serde_json::from_str(d))
        .collect::<serde_json::Result<_>>()?;
        let cases = load("SELECT data FROM cases WHERE voided_at IS NULL ORDER BY name_key, id")?
            .iter()
            .map(|d| serde_json::from_str(d))
            .collect::<serde_json::Result<_>>()?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {RECORD_COLUMNS} FROM records r WHERE r.voided_at IS NULL
               AND EXISTS (SELECT 1 FROM cases c WHERE c.id = r.case_id AND c.voided_at IS NULL)
             ORDER BY case_id, id"
        ))?;
        let mut rows = stmt.query([])?;
        let mut records = Vec::new();
        while let Some(row) = rows.next()? {
            records.push(rows::record(row)?);
        }
        Ok((persons, cases, records))
    }
}
