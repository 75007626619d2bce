//! Embedded migrations, applied in one transaction, guarded by `user_version`.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// A step of a migration that SQL alone cannot do, run after its SQL in the same
/// transaction.
type Step = fn(&Connection) -> Result<()>;

/// The migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[(&str, Option<Step>)] = &[
    (include_str!("migrations/0001_init.sql"), None),
    (include_str!("migrations/0002_case_list.sql"), None),
    (
        include_str!("migrations/0003_raw_names.sql"),
        Some(fill_name_keys),
    ),
    (include_str!("migrations/0004_users.sql"), None),
    (include_str!("migrations/0005_approvals.sql"), None),
    (
        include_str!("migrations/0006_duplicates.sql"),
        Some(fill_person_keys),
    ),
    (include_str!("migrations/0007_void.sql"), None),
    (
        include_str!("migrations/0008_sync.sql"),
        Some(crate::sync::begin_log),
    ),
];

/// Version 6: the duplicate-blocking keys of every stored person.
fn fill_person_keys(tx: &Connection) -> Result<()> {
    let mut select = tx.prepare("SELECT data FROM persons")?;
    let persons: Vec<String> = select
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for data in persons {
        let person: guitu_domain::model::Person = serde_json::from_str(&data)?;
        crate::duplicates::write_keys(tx, &person)?;
    }
    // And the pinyin spellings of the names, for search (`zhangwei`, `zw`).
    let mut select =
        tx.prepare("SELECT c.id, p.data FROM cases c JOIN persons p ON p.id = c.person_id")?;
    let cases: Vec<(String, String)> = select
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (case_id, data) in cases {
        let person: guitu_domain::model::Person = serde_json::from_str(&data)?;
        crate::search::insert_name_terms(tx, &case_id, &person)?;
    }
    Ok(())
}

/// Version 3: the pinyin sort key of every case's person.
fn fill_name_keys(tx: &Connection) -> Result<()> {
    let mut select = tx.prepare("SELECT id, person_name, intake_number FROM cases")?;
    let rows: Vec<(String, String, Option<String>)> = select
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE cases SET name_key = ?2 WHERE id = ?1")?;
    for (id, name, intake) in rows {
        let name = (!name.is_empty()).then_some(name.as_str());
        update.execute(rusqlite::params![
            id,
            guitu_domain::names::sort_key(name, intake.as_deref())
        ])?;
    }
    Ok(())
}

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The database's schema version.
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Applies the pending migrations in one transaction. A vault from a newer version is
/// refused before anything is written.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current = version(conn)?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (i, (sql, step)) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        tx.execute_batch(sql)?;
        if let Some(step) = step {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
