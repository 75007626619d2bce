//! The hash-chained audit trail.
//!
//! Each entry stores the hash of the entry before it and its own hash, SHA-256 over the
//! JSON array `[seq, at, actor, action, target, detail, prev_hash]`. The hash of the last
//! entry is also kept in `meta` (key `audit_head`), so removing entries from the end is
//! detected as well as editing or deleting one in the middle. Entries name records by id,
//! never by personal data, and never hold a printed or exported file.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::Result;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    VaultCreated,
    PassphraseChanged,
    RecoveryCodeReplaced,
    Create,
    Update,
    /// A full record (a case with everything in it) was shown.
    View,
    Import,
    Export,
    Backup,
    Restore,
    Print,
    SettingsChanged,
    /// A user (a passphrase slot and a row of `users`) was added.
    UserAdded,
    /// A user's roles, institution or disabled flag changed.
    UserChanged,
    /// A permission check refused a use case.
    Denied,
    /// A user was removed (their slots and row), and the database re-keyed.
    UserRemoved,
    /// A key slot of the first kind was renewed as a sealed slot at unlock.
    KeySlotRenewed,
    /// An approval was requested.
    ApprovalRequested,
    /// An approval request was approved or rejected.
    ApprovalDecided,
    /// Two persons were decided not to be the same person (R-DUP).
    NotDuplicate,
    /// Two persons were merged into one.
    PersonsMerged,
    /// A merge was undone.
    MergeUndone,
    /// A ledger (台账) was exported: the year and the row count, never the content.
    LedgerExported,
    /// A report was made (R-ANNUAL): which report, which year, which format; never its
    /// figures.
    ReportMade,
    /// A record was voided (作废, R-DATE); the reason is in the change history.
    RecordVoided,
    /// A voided record was restored.
    RecordRestored,
    /// A case was voided.
    CaseVoided,
    /// A voided case was restored.
    CaseRestored,
    /// A peer device was added from its contact card (its kind; never a person's data).
    PeerAdded,
    /// A peer device was removed: its bundles are refused.
    PeerRemoved,
    /// This device was renamed.
    DeviceRenamed,
    /// A hand-off bundle was made for a peer: bundle id, case and change counts.
    BundleCreated,
    /// A peer's bundle was opened and merged: bundle id, counts of cases, new changes and
    /// conflicts.
    BundleOpened,
    /// A conflict between two devices' values was resolved (the field's name).
    ConflictResolved,
}

impl AuditAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VaultCreated => "vault_created",
            Self::PassphraseChanged => "passphrase_changed",
            Self::RecoveryCodeReplaced => "recovery_code_replaced",
            Self::Create => "create",
            Self::Update => "update",
            Self::View => "view",
            Self::Import => "import",
            Self::Export => "export",
            Self::Backup => "backup",
            Self::Restore => "restore",
            Self::Print => "print",
            Self::SettingsChanged => "settings_changed",
            Self::UserAdded => "user_added",
            Self::UserChanged => "user_changed",
            Self::Denied => "denied",
            Self::UserRemoved => "user_removed",
            Self::KeySlotRenewed => "key_slot_renewed",
            Self::ApprovalRequested => "approval_requested",
            Self::ApprovalDecided => "approval_decided",
            Self::NotDuplicate => "not_duplicate",
            Self::PersonsMerged => "persons_merged",
            Self::MergeUndone => "merge_undone",
            Self::LedgerExported => "ledger_exported",
            Self::ReportMade => "report_made",
            Self::RecordVoided => "record_voided",
            Self::RecordRestored => "record_restored",
            Self::CaseVoided => "case_voided",
            Self::CaseRestored => "case_restored",
            Self::PeerAdded => "peer_added",
            Self::PeerRemoved => "peer_removed",
            Self::DeviceRenamed => "device_renamed",
            Self::BundleCreated => "bundle_created",
            Self::BundleOpened => "bundle_opened",
            Self::ConflictResolved => "conflict_resolved",
        }
    }
}

/// One entry of the trail.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Result of walking the chain.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: u64,
    /// The first entry that does not fit the chain, and why.
    pub first_broken: Option<(i64, String)>,
}

fn hash_of(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
    prev: &str,
) -> String {
    // serde_json of a tuple of strings and an integer cannot fail.
    let canonical =
        serde_json::to_string(&(seq, at, actor, action, target, detail, prev)).unwrap_or_default();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

pub(crate) fn now_string(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Appends an entry inside the caller's transaction.
pub(crate) fn append(
    conn: &Connection,
    actor: &str,
    action: AuditAction,
    target: &str,
    detail: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_owned()),
    };
    let at = now_string(Utc::now());
    let hash = hash_of(seq, &at, actor, action.as_str(), target, detail, &prev);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, actor, action.as_str(), target, detail, prev, hash],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![format!("{seq}:{hash}")],
    )?;
    Ok(())
}

/// Walks the chain from the first entry and names the first broken one.
pub(crate) fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut entries = 0u64;
    let mut first_broken = None;
    while let Some(r) = rows.next()? {
        let e = AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            detail: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        };
        entries += 1;
        if first_broken.is_none() {
            if e.seq != expected_seq {
                first_broken = Some((
                    expected_seq,
                    format!("entry {expected_seq} is missing (next is {})", e.seq),
                ));
            } else if e.prev_hash != expected_prev {
                first_broken = Some((e.seq, "does not link to the entry before it".to_owned()));
            } else if hash_of(
                e.seq,
                &e.at,
                &e.actor,
                &e.action,
                &e.target,
                &e.detail,
                &e.prev_hash,
            ) != e.hash
            {
                first_broken = Some((
                    e.seq,
                    "its content was changed after it was written".to_owned(),
                ));
            }
        }
        expected_prev = e.hash;
        expected_seq = e.seq + 1;
    }
    if entries == 0 {
        // Every vault starts with `vault_created`: an empty trail is a wiped one (or a
        // database that is not a vault), never an intact one.
        return Ok(ChainReport {
            entries,
            first_broken: Some((1, "the audit trail is empty".to_owned())),
        });
    }
    if first_broken.is_none() {
        let head: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'audit_head'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let actual = (entries > 0).then(|| format!("{}:{}", expected_seq - 1, expected_prev));
        if head != actual {
            first_broken = Some((
                expected_seq,
                "entries after this point were removed".to_owned(),
            ));
        }
    }
    Ok(ChainReport {
        entries,
        first_broken,
    })
}

/// The newest `limit` entries, newest first.
pub(crate) fn recent(conn: &Connection, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            detail: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Which audit entries to read (every filter optional; newest first, at most `limit`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub user: Option<String>,
    /// The case's id: entries about the case, its person and its records.
    pub case_id: Option<String>,
    /// Entries at or after this instant (RFC 3339, or a date `YYYY-MM-DD`).
    pub from: Option<String>,
    /// Entries before this instant (RFC 3339, or a date: before that day ends).
    pub to: Option<String>,
    pub limit: u32,
}

pub(crate) fn query(conn: &Connection, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<String> = Vec::new();
    let mut arg = |v: String| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(u) = &q.user {
        clauses.push(format!("actor = {}", arg(u.clone())));
    }
    if let Some(c) = &q.case_id {
        let p = arg(c.clone());
        clauses.push(format!(
            "(target = 'case:' || {p} OR target IN (SELECT 'record:' || id FROM records WHERE case_id = {p}) OR target IN (SELECT 'person:' || person_id FROM cases WHERE id = {p}))"
        ));
    }
    if let Some(f) = &q.from {
        clauses.push(format!("at >= {}", arg(f.clone())));
    }
    if let Some(t) = &q.to {
        // A date means the whole day: everything that sorts before the day's end.
        let end = if t.len() == 10 {
            format!("{t}~")
        } else {
            t.clone()
        };
        clauses.push(format!("at < {}", arg(end)));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let limit_n = args.len() + 1;
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit {filter} ORDER BY seq DESC LIMIT ?{limit_n}"
    ))?;
    let mut params: Vec<&dyn rusqlite::ToSql> =
        args.iter().map(|a| a as &dyn rusqlite::ToSql).collect();
    let limit = q.limit.clamp(1, 100_000);
    params.push(&limit);
    let rows = stmt.query_map(params.as_slice(), |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            detail: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
