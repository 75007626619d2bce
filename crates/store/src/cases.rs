//! Persons and cases, and the facts a case's records imply, kept in the same transaction
//! as every write so the lists and the deadline query read one index.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use uuid::Uuid;

use guitu_domain::model::{Case, Person, RecordBody};
use guitu_domain::names;
use guitu_domain::rules::id3m;
use guitu_text::Thing;

use crate::audit::{self, AuditAction};
use crate::history::{self, Change, Entity, HistoryAction, Meta, diff, field_list};
use crate::rows::{self, Db, constraint, to_json};
use crate::{Invalid, Result, StoreError, Vault, meta, search};

/// Facts derived from a case's records (deadlines themselves are computed by the domain,
/// never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CaseFacts {
    identity_verified: Option<NaiveDate>,
    track_steps_done: usize,
    track_closed: bool,
    /// R-ID-3M may still ask something of the case (the domain decides).
    id3m_open: bool,
}

pub(crate) fn case_facts<'a>(
    received: NaiveDate,
    bodies: impl IntoIterator<Item = &'a RecordBody>,
) -> CaseFacts {
    let facts = id3m::Id3mRecords::gather(bodies);
    CaseFacts {
        identity_verified: facts.identity_verified,
        track_steps_done: facts.steps_done(),
        track_closed: facts.closure.is_some(),
        id3m_open: facts.may_still_apply(received),
    }
}

/// Writes the case's derived facts and its person's name columns, only when one changed:
/// most record writes change none, and every list index holds them.
pub(crate) fn write_case_facts(
    tx: &Connection,
    case_id: &str,
    person: &Person,
    f: &CaseFacts,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE cases SET identity_verified = ?2, track_steps_done = ?3, track_closed = ?4, id3m_open = ?5,
                          person_name = ?6, intake_number = ?7, name_key = ?8
         WHERE id = ?1 AND (identity_verified IS NOT ?2 OR track_steps_done IS NOT ?3
                            OR track_closed IS NOT ?4 OR id3m_open IS NOT ?5 OR person_name IS NOT ?6
                            OR intake_number IS NOT ?7 OR name_key IS NOT ?8)",
    )?
    .execute(params![
        case_id,
        f.identity_verified.map(|d| d.to_string()),
        f.track_steps_done as i64,
        f.track_closed,
        f.id3m_open,
        person.name.as_deref().unwrap_or(""),
        person.intake_number,
        names::sort_key(person.name.as_deref(), person.intake_number.as_deref()),
    ])?;
    Ok(())
}

/// After a change to a case, its person or one of its records: rebuilds the case's search
/// document and derived facts from what is stored, in the same transaction.
pub(crate) fn refresh_case(tx: &Connection, case_id: &str) -> Result<()> {
    let case = rows::case(tx, case_id)?;
    let person = rows::person(tx, &case.person_id.to_string())?;
    // A voided record (作废) says nothing about the case any more.
    let mut stmt =
        tx.prepare_cached("SELECT data FROM records WHERE case_id = ?1 AND voided_at IS NULL")?;
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

pub(crate) fn insert_person(tx: &Connection, p: &Person, meta: &Meta<'_>) -> Result<()> {
    insert_person_row(tx, p, meta)?;
    crate::duplicates::write_keys(tx, p)
}

/// The person's row only: an import writes the blocking keys of all its persons at once,
/// in key order ([`crate::duplicates::write_keys_sorted`]).
pub(crate) fn insert_person_row(tx: &Connection, p: &Person, meta: &Meta<'_>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO persons (id, data, resident_id, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
    )?
    .execute(params![p.id.to_string(), to_json(p)?, p.resident_id, meta.at, meta.actor])
    .map_err(|e| constraint(e, Thing::Id, &p.id.to_string()))?;
    Ok(())
}

pub(crate) fn insert_case(tx: &Connection, c: &Case, meta: &Meta<'_>) -> Result<()> {
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
        Db(c.stage),
        Db(c.institution_kind),
        c.caseworker,
        to_json(c)?,
        meta.at,
        meta.actor,
        crate::list::flag_bits(&c.flags),
        c.institution
    ])
    .map_err(|e| constraint(e, Thing::CaseNumber, &c.case_number))?;
    Ok(())
}

/// Writes a stored person's new data and blocking keys (no history: the caller's).
pub(crate) fn write_person_row(tx: &Connection, p: &Person, at: &str, actor: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE persons SET data = ?2, resident_id = ?3, updated_at = ?4, updated_by = ?5 WHERE id = ?1",
    )?
    .execute(params![p.id.to_string(), to_json(p)?, p.resident_id, at, actor])?;
    crate::duplicates::write_keys(tx, p)
}

/// Writes a stored case's new data and its list columns (no history: the caller's). A
/// case number another case has is `StoreError::Duplicate`.
pub(crate) fn write_case_row(tx: &Connection, case: &Case, at: &str, actor: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE cases SET case_number = ?2, received_date = ?3, stage = ?4, institution_kind = ?5, caseworker = ?6,
                          data = ?7, updated_at = ?8, updated_by = ?9, flags = ?10, institution = ?11,
                          person_id = ?12
         WHERE id = ?1",
    )?
    .execute(params![
        case.id.to_string(),
        case.case_number,
        case.received_date.to_string(),
        Db(case.stage),
        Db(case.institution_kind),
        case.caseworker,
        to_json(case)?,
        at,
        actor,
        crate::list::flag_bits(&case.flags),
        case.institution,
        case.person_id.to_string()
    ])
    .map_err(|e| constraint(e, Thing::CaseNumber, &case.case_number))?;
    Ok(())
}

/// Saves a person's new data inside a transaction, with a history entry on each of their
/// cases, their cases' search and facts refreshed and new blocking keys (no audit entry:
/// the caller's act says what it was). Returns the changes (none: nothing written).
pub(crate) fn update_person_tx(
    tx: &Connection,
    meta: &Meta<'_>,
    person: &Person,
) -> Result<Vec<Change>> {
    let id = person.id.to_string();
    let old = rows::person(tx, &id)?;
    let changes = diff(
        Some(&serde_json::to_value(&old)?),
        &serde_json::to_value(person)?,
    );
    if changes.is_empty() {
        return Ok(changes);
    }
    write_person_row(tx, person, &meta.at, meta.actor)?;
    let cases = crate::duplicates::cases_of(tx, &id)?;
    for (i, c) in cases.iter().enumerate() {
        // One change for the hand-off log; each other case's history shows it too.
        let write = if i == 0 {
            history::write
        } else {
            history::write_local
        };
        write(
            tx,
            meta,
            Entity::Person,
            &id,
            Some(&c.case_id),
            HistoryAction::Update,
            &changes,
        )?;
        refresh_case(tx, &c.case_id)?;
    }
    if cases.is_empty() {
        history::write(
            tx,
            meta,
            Entity::Person,
            &id,
            None,
            HistoryAction::Update,
            &changes,
        )?;
    }
    Ok(changes)
}

/// Writes a new case of a stored (or just written) person: its number taken when empty,
/// its row, its history entry, its search document and facts. No audit entry.
pub(crate) fn insert_new_case(
    tx: &Connection,
    meta: &Meta<'_>,
    case: &mut Case,
    person: &Person,
) -> Result<()> {
    if case.case_number.trim().is_empty() {
        case.case_number = meta::take_case_number(tx, case.received_date.year())?;
    }
    let cid = case.id.to_string();
    insert_case(tx, case, meta)?;
    history::write(
        tx,
        meta,
        Entity::Case,
        &cid,
        Some(&cid),
        HistoryAction::Create,
        &diff(None, &serde_json::to_value(&*case)?),
    )?;
    search::index_new_case(tx, case, person, std::iter::empty())?;
    write_case_facts(
        tx,
        &cid,
        person,
        &case_facts(case.received_date, std::iter::empty()),
    )
}

/// Saves changes to a case inside a transaction (history and audit included).
pub(crate) fn update_case_tx(tx: &Connection, meta: &Meta<'_>, case: &Case) -> Result<Vec<Change>> {
    let id = case.id.to_string();
    let old = rows::case(tx, &id)?;
    if old.person_id != case.person_id {
        return Err(StoreError::Invalid(Invalid::CasePersonFixed));
    }
    let changes = diff(
        Some(&serde_json::to_value(&old)?),
        &serde_json::to_value(case)?,
    );
    if changes.is_empty() {
        return Ok(changes);
    }
    write_case_row(tx, case, &meta.at, meta.actor)?;
    history::write(
        tx,
        meta,
        Entity::Case,
        &id,
        Some(&id),
        HistoryAction::Update,
        &changes,
    )?;
    refresh_case(tx, &id)?;
    audit::append(
        tx,
        meta.actor,
        AuditAction::Update,
        &format!("case:{id}"),
        &field_list(&changes),
    )?;
    Ok(changes)
}

impl Vault {
    /// Creates a person and a case for them in one transaction. An empty case number is
    /// taken from the configured prefix and the received year in the same transaction.
    /// Returns the case as stored.
    pub fn create_case(&mut self, person: &Person, case: &Case) -> Result<Case> {
        self.write(|tx, meta| {
            let mut case = case.clone();
            insert_person(tx, person, meta)?;
            history::write(
                tx,
                meta,
                Entity::Person,
                &person.id.to_string(),
                Some(&case.id.to_string()),
                HistoryAction::Create,
                &diff(None, &serde_json::to_value(person)?),
            )?;
            insert_new_case(tx, meta, &mut case, person)?;
            let cid = case.id.to_string();
            audit::append(
                tx,
                meta.actor,
                AuditAction::Create,
                &format!("case:{cid}"),
                "",
            )?;
            Ok(case)
        })
    }

    /// Saves changes to a person; history records each changed field.
    pub fn update_person(&mut self, person: &Person) -> Result<Vec<Change>> {
        self.update_person_and_cases(person, &[])
    }

    /// Saves changes to a person and, in the same transaction, to cases of theirs (the
    /// case flags the person's data decides); returns the person's changes.
    pub fn update_person_and_cases(
        &mut self,
        person: &Person,
        cases: &[Case],
    ) -> Result<Vec<Change>> {
        self.write(|tx, meta| {
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
            for c in cases {
                update_case_tx(tx, meta, c)?;
            }
            Ok(changes)
        })
    }

    /// Saves changes to a case. A case cannot move to another person.
    pub fn update_case(&mut self, case: &Case) -> Result<Vec<Change>> {
        self.write(|tx, meta| update_case_tx(tx, meta, case))
    }

    /// A person by id.
    pub fn person(&self, id: Uuid) -> Result<Person> {
        rows::person(&self.conn, &id.to_string())
    }

    /// The ids of a person's cases.
    pub fn cases_of_person(&self, person_id: Uuid) -> Result<Vec<Uuid>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM cases WHERE person_id = ?1 ORDER BY seq")?;
        let ids = stmt
            .query_map([person_id.to_string()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.iter()
            .map(|s| {
                Uuid::parse_str(s)
                    .map_err(|_| StoreError::Corrupt("a stored id is not a UUID".into()))
            })
            .collect()
    }

    /// A case by id.
    pub fn case(&self, id: Uuid) -> Result<Case> {
        rows::case(&self.conn, &id.to_string())
    }

    /// A case by its case number or id.
    pub fn find_case(&self, number_or_id: &str) -> Result<Case> {
        let key = number_or_id.trim();
        let data: String = self
            .conn
            .prepare_cached("SELECT data FROM cases WHERE case_number = ?1 OR id = ?2")?
            .query_row(params![key.to_uppercase(), key.to_lowercase()], |r| {
                r.get(0)
            })
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound {
                    what: Thing::Case,
                    reference: key.to_owned(),
                },
                other => StoreError::Sql(other),
            })?;
        Ok(serde_json::from_str(&data)?)
    }

    /// Number of cases in the vault, voided ones included (what numbering and ids of
    /// generated data count on).
    pub fn case_count_all(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Number of cases in the vault that are not voided.
    pub fn case_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM cases WHERE voided_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::{KdfParams, Secret, schema};
    use guitu_domain::model::{CaseFlags, InstitutionKind, ReferralSource, Sex, Stage};

    fn person(name: Option<&str>, intake: Option<&str>) -> Person {
        Person {
            id: Uuid::now_v7(),
            name: name.map(str::to_owned),
            intake_number: intake.map(str::to_owned),
            sex: Sex::Female,
            ..Default::default()
        }
    }

    fn case_of(p: &Person, number: &str) -> Case {
        Case {
            id: Uuid::now_v7(),
            case_number: number.into(),
            person_id: p.id,
            institution: "某区救助管理站".into(),
            institution_kind: InstitutionKind::AssistanceStation,
            received_date: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
            referral: ReferralSource::PoliceRescue,
            police_reference: None,
            caseworker: "tester".into(),
            flags: CaseFlags::default(),
            stage: Stage::Intake,
        }
    }

    #[test]
    fn a_version_2_vault_is_migrated_to_raw_names_and_pinyin_keys() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("vault");
        let pass = Secret::new("correct horse battery".into());
        let (mut v, _) =
            Vault::create(&dir, "tester", &pass, &KdfParams::insecure_for_tests()).unwrap();
        let named = person(Some("张伟"), None);
        v.create_case(&named, &case_of(&named, "DZ-2026-0001"))
            .unwrap();
        let unknown = person(None, Some("JS-17"));
        v.create_case(&unknown, &case_of(&unknown, "DZ-2026-0002"))
            .unwrap();
        // Put the database back the way version 2 kept it: display text in person_name,
        // no intake_number or name_key column, the version-2 indexes.
        v.conn
            .execute_batch(
                "DROP INDEX cases_id3m; DROP INDEX cases_list_number; DROP INDEX cases_list_received;
                 DROP INDEX cases_list_name; DROP INDEX cases_list_stage;
                 ALTER TABLE cases DROP COLUMN intake_number; ALTER TABLE cases DROP COLUMN name_key;
                 UPDATE cases SET person_name = '身份不明（JS-17）' WHERE case_number = 'DZ-2026-0002';
                 CREATE INDEX cases_id3m ON cases(received_date, id, case_number, institution_kind, identity_verified, person_name)
                     WHERE id3m_open = 1 AND stage <> 'closed' AND institution_kind <> 'other';
                 CREATE INDEX cases_list_number ON cases(case_number, stage, flags, caseworker, institution, person_name, received_date, id3m_open, id);
                 CREATE INDEX cases_list_received ON cases(received_date, case_number, stage, flags, caseworker, institution, person_name, id3m_open, id);
                 CREATE INDEX cases_list_name ON cases(person_name, case_number, stage, flags, caseworker, institution, received_date, id3m_open, id);
                 CREATE INDEX cases_list_stage ON cases(stage, case_number, flags, caseworker, institution, person_name, received_date, id3m_open, id);
                 DROP TABLE users; DROP TABLE approvals;
                 DROP TABLE person_keys; DROP TABLE not_duplicates; DROP TABLE merges;
                 DELETE FROM search_terms WHERE term GLOB '[a-z]*';
                 DROP INDEX cases_voided;
                 ALTER TABLE cases DROP COLUMN voided_at; ALTER TABLE cases DROP COLUMN voided_by;
                 ALTER TABLE cases DROP COLUMN void_reason;
                 ALTER TABLE records DROP COLUMN voided_at; ALTER TABLE records DROP COLUMN voided_by;
                 ALTER TABLE records DROP COLUMN void_reason;
                 DROP TABLE shares; DROP TABLE peers; DROP TABLE bundles; DROP TABLE conflicts;
                 DROP TABLE field_versions; DROP INDEX history_change;
                 ALTER TABLE history DROP COLUMN change_id; ALTER TABLE history DROP COLUMN origin;
                 ALTER TABLE history DROP COLUMN hlc; ALTER TABLE history DROP COLUMN via;
                 ALTER TABLE history DROP COLUMN resolves; ALTER TABLE history DROP COLUMN held;
                 ALTER TABLE history DROP COLUMN bases;
                 DELETE FROM meta WHERE key GLOB 'device_*' OR key = 'hlc';
                 PRAGMA user_version = 2;",
            )
            .unwrap();
        drop(v);
        let v = Vault::open(&dir, &pass).expect("a version-2 vault opens and is migrated");
        assert_eq!(schema::version(&v.conn).unwrap(), schema::SCHEMA_VERSION);
        let baselines: i64 = v
            .conn
            .query_row(
                "SELECT count(*) FROM history WHERE action = 'baseline' AND change_id IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            baselines, 4,
            "version 8 logs each stored person and case once, so a peer can receive them"
        );
        v.device_card()
            .expect("version 8 gives the vault a device")
            .verify()
            .expect("and its card verifies");
        let keys: i64 = v
            .conn
            .query_row("SELECT count(*) FROM person_keys", [], |r| r.get(0))
            .unwrap();
        assert!(
            keys > 0,
            "version 6 fills the duplicate keys of the stored persons"
        );
        let hits = v.search("zhangwei", 10).unwrap();
        assert_eq!(
            hits.iter()
                .map(|h| h.case_number.as_str())
                .collect::<Vec<_>>(),
            ["DZ-2026-0001"],
            "version 6 adds the pinyin spellings of stored names to search"
        );
        let rows: Vec<(String, String, Option<String>, String)> = v
            .conn
            .prepare("SELECT case_number, person_name, intake_number, name_key FROM cases ORDER BY case_number")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows[0].1, "张伟");
        assert!(
            rows[0].3.starts_with("zhang wei"),
            "pinyin key filled: {}",
            rows[0].3
        );
        assert_eq!(
            (rows[1].1.as_str(), rows[1].2.as_deref()),
            ("", Some("JS-17")),
            "the stored display text gives way to the raw facts"
        );
        assert!(v.verify().unwrap().ok(), "the migrated vault verifies");
    }
}
