//! The vault's own values: rule settings, loaded holiday calendars, case-number sequences.

use rusqlite::{Connection, OptionalExtension, params};

use guitu_domain::settings::RuleSettings;

use crate::audit::{self, AuditAction};
use crate::rows::to_json;
use crate::{Result, Vault};

fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

fn put(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// The rule settings stored in the vault (defaults until an administrator changes them).
pub(crate) fn settings(conn: &Connection) -> Result<RuleSettings> {
    Ok(match get(conn, "settings")? {
        Some(s) => serde_json::from_str(&s)?,
        None => RuleSettings::default(),
    })
}

/// The highest sequence number among case numbers `{prefix}-{year}-NNNN`.
pub(crate) fn max_case_seq(conn: &Connection, prefix: &str, year: i32) -> Result<u32> {
    let start = format!("{prefix}-{year}-");
    let mut stmt = conn.prepare_cached(
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

/// Takes the next case number for `year` with the configured prefix, inside the caller's
/// transaction: the number and the case that gets it are written together or not at all.
pub(crate) fn take_case_number(tx: &Connection, year: i32) -> Result<String> {
    let settings = settings(tx)?;
    let key = format!("case_seq:{}:{year}", settings.case_prefix);
    let mut seq = get(tx, &key)?
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0)
        .max(max_case_seq(tx, &settings.case_prefix, year)?);
    loop {
        seq += 1;
        let number = settings.case_number(year, seq);
        let taken: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM cases WHERE case_number = ?1)")?
            .query_row([&number], |r| r.get(0))?;
        if !taken {
            put(tx, &key, &seq.to_string())?;
            return Ok(number);
        }
    }
}

impl Vault {
    /// The rule settings (defaults until an administrator changes them).
    pub fn settings(&self) -> Result<RuleSettings> {
        settings(&self.conn)
    }

    /// Saves validated settings, with an audit entry.
    pub fn save_settings(&mut self, s: &RuleSettings) -> Result<()> {
        s.validate()?;
        let json = to_json(s)?;
        self.write(|tx, meta| {
            put(tx, "settings", &json)?;
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
            put(tx, &format!("calendar:{year}"), json)?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::SettingsChanged,
                &format!("calendar:{year}"),
                "",
            )
        })
    }

    /// The highest sequence number among case numbers `{prefix}-{year}-NNNN` in the vault.
    pub fn max_case_seq(&self, prefix: &str, year: i32) -> Result<u32> {
        max_case_seq(&self.conn, prefix, year)
    }
}
