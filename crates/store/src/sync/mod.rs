//! Hand-off between devices (issue 11, docs/SYNC.md): this device's identity, its peers,
//! the change log every write already keeps (history rows with a change id, an origin
//! device and a hybrid logical clock), the cases shared with each peer and how far each
//! direction has got, the merge of a peer's changes and the conflict queue.
//!
//! - `device.rs` — the device's keys (X25519 for `age`, Ed25519 for signatures; their
//!   secret halves in the encrypted database) and its contact card.
//! - `merge.rs` — applying a peer's changes: a field whose value here is still the
//!   change's old value takes the new one; one that already has the new value stays; any
//!   other goes into the conflict queue and keeps its value until a person resolves it.
//! - `bundle.rs` — what a bundle carries, signed by the sender and encrypted to the peer.

mod bundle;
mod device;
mod merge;

use std::collections::HashSet;

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use guitu_domain::handoff::HandoffBasis;
use guitu_text::Thing;

use crate::audit::{self, AuditAction};
use crate::history::{Change, Entity, HistoryAction, Meta};
use crate::{Result, StoreError, Vault};

pub use bundle::{Ack, BUNDLE_VERSION, Payload, SharedCase};
pub use device::{DeviceCard, fingerprint};
pub(crate) use device::{DeviceSecrets, create_device};
pub use merge::{CaseMerge, MergeReport};

/// A change as a bundle carries it: one history entry of a person, a case or a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireChange {
    /// The change's id (unique across devices).
    pub id: String,
    /// The device it was made on.
    pub origin: String,
    /// Its hybrid logical clock on that device (`ms.counter`, sortable).
    pub hlc: String,
    pub actor: String,
    pub at: String,
    pub entity: Entity,
    pub entity_id: String,
    pub case_id: Option<String>,
    pub action: HistoryAction,
    pub changes: Vec<Change>,
    /// For a conflict resolution: every change of the field its author had seen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolves: Vec<String>,
    /// For an update: the version (change id) each field had when it was made; a field
    /// missing had its created value.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub bases: std::collections::BTreeMap<String, String>,
}

/// Gives the hand-off log an entity it does not hold yet — one imported (an import writes
/// no change per item: 100,000 cases would be written twice) — as a `baseline` change with
/// its content before `revert` (the changes about to be logged). Called before an update
/// is logged and before a case is sent; nothing when the log has the entity.
pub(crate) fn ensure_logged(
    tx: &Connection,
    meta: &Meta<'_>,
    entity: Entity,
    id: &str,
    case_id: Option<&str>,
    revert: &[Change],
) -> Result<()> {
    log_if_missing(tx, meta, entity, id, case_id, revert, true)
}

/// A case about to be sent: its person, the case and each of its records enter the log
/// if they are not in it (what each builds on is logged before it, once).
pub(crate) fn ensure_case_logged(tx: &Connection, meta: &Meta<'_>, case_id: &str) -> Result<()> {
    ensure_logged(tx, meta, Entity::Case, case_id, Some(case_id), &[])?;
    let records: Vec<String> = tx
        .prepare_cached("SELECT id FROM records WHERE case_id = ?1 ORDER BY seq")?
        .query_map([case_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for r in records {
        log_if_missing(tx, meta, Entity::Record, &r, Some(case_id), &[], false)?;
    }
    Ok(())
}

/// `ensure_logged`; `with_base`: first what the entity builds on (a record's case, a
/// case's person).
fn log_if_missing(
    tx: &Connection,
    meta: &Meta<'_>,
    entity: Entity,
    id: &str,
    case_id: Option<&str>,
    revert: &[Change],
    with_base: bool,
) -> Result<()> {
    let logged = tx
        .prepare_cached(
            "SELECT 1 FROM history WHERE entity_id = ?1 AND change_id IS NOT NULL LIMIT 1",
        )?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some();
    if logged {
        return Ok(());
    }
    let Some(mut value) = merge::load_value(tx, entity, id)? else {
        return Ok(());
    };
    for ch in revert {
        if ch.old.is_null() {
            value.remove(&ch.field);
        } else {
            value.insert(ch.field.clone(), ch.old.clone());
        }
    }
    // What it builds on enters the log first: a record's case, a case's person (as it
    // was before the change being logged).
    match entity {
        _ if !with_base => {}
        Entity::Record => {
            if let Some(case) = case_id {
                ensure_logged(tx, meta, Entity::Case, case, Some(case), &[])?;
            }
        }
        Entity::Case => {
            if let Some(person) = value.get("person_id").and_then(|v| v.as_str()) {
                ensure_logged(tx, meta, Entity::Person, person, Some(id), &[])?;
            }
        }
        _ => {}
    }
    crate::history::write(
        tx,
        meta,
        entity,
        id,
        case_id,
        HistoryAction::Baseline,
        &crate::history::diff(None, &serde_json::Value::Object(value)),
    )
}

/// Moves each changed field's version to `change_id`; returns the versions the change was
/// made on (fields at their created value left out).
pub(crate) fn advance_versions(
    tx: &Connection,
    entity_id: &str,
    changes: &[Change],
    change_id: &str,
) -> Result<std::collections::BTreeMap<String, String>> {
    let mut bases = std::collections::BTreeMap::new();
    for ch in changes {
        if let Some(v) = version(tx, entity_id, &ch.field)? {
            bases.insert(ch.field.clone(), v);
        }
        set_version(tx, entity_id, &ch.field, change_id)?;
    }
    Ok(bases)
}

/// The change that wrote a field last (`None`: as its entity was created).
pub(crate) fn version(tx: &Connection, entity_id: &str, field: &str) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT change_id FROM field_versions WHERE entity_id = ?1 AND field = ?2")?
        .query_row([entity_id, field], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set_version(
    tx: &Connection,
    entity_id: &str,
    field: &str,
    change_id: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO field_versions (entity_id, field, change_id) VALUES (?1, ?2, ?3)
         ON CONFLICT(entity_id, field) DO UPDATE SET change_id = excluded.change_id",
    )?
    .execute([entity_id, field, change_id])?;
    Ok(())
}

/// Starts a new epoch of this vault's log (made at migration 8, renewed by a restore):
/// what this vault said it had received no longer holds, so it acknowledges nothing and
/// its peers, seeing the new epoch, send everything again, its own changes included.
pub(crate) fn new_epoch(tx: &Connection) -> Result<()> {
    crate::vault::meta_set(tx, "log_epoch", &Uuid::now_v7().to_string())?;
    tx.execute(
        "UPDATE shares SET received_seq = 0, received_change = NULL",
        [],
    )?;
    Ok(())
}

pub(crate) fn epoch(conn: &Connection) -> Result<String> {
    crate::vault::meta_get(conn, "log_epoch")?
        .ok_or_else(|| StoreError::Corrupt("log epoch".into()))
}

/// The id, origin and clock of a change made here.
pub(crate) struct Stamp {
    pub change_id: String,
    pub origin: String,
    pub hlc: String,
}

/// The device's hybrid logical clock: milliseconds of the wall clock, and a counter for
/// changes within one millisecond or while the wall clock is behind a clock seen in a
/// peer's bundle. It never goes backwards, and it moves past every clock it has seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clock {
    device: String,
    ms: i64,
    counter: u64,
    dirty: bool,
}

/// A clock's text: both parts zero-padded, so the texts sort as the clocks do.
fn hlc_text(ms: i64, counter: u64) -> String {
    format!("{ms:015}.{counter:010}")
}

fn parse_hlc(s: &str) -> Option<(i64, u64)> {
    let (ms, counter) = s.split_once('.')?;
    Some((ms.parse().ok()?, counter.parse().ok()?))
}

impl Clock {
    fn load(conn: &Connection) -> Result<Clock> {
        let device = device::id(conn)?;
        let (ms, counter) = crate::vault::meta_get(conn, "hlc")?
            .as_deref()
            .and_then(parse_hlc)
            .unwrap_or((0, 0));
        Ok(Clock {
            device,
            ms,
            counter,
            dirty: false,
        })
    }

    fn tick(&mut self) -> String {
        let now = Utc::now().timestamp_millis();
        if now > self.ms {
            self.ms = now;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        self.dirty = true;
        hlc_text(self.ms, self.counter)
    }

    /// Moves past a clock seen in a peer's change.
    fn observe(&mut self, remote: &str) {
        if let Some((ms, counter)) = parse_hlc(remote)
            && (ms, counter) > (self.ms, self.counter)
        {
            self.ms = ms;
            self.counter = counter;
            self.dirty = true;
        }
    }
}

fn with_clock<T>(tx: &Connection, meta: &Meta<'_>, f: impl FnOnce(&mut Clock) -> T) -> Result<T> {
    let mut slot = meta.clock.borrow_mut();
    if slot.is_none() {
        *slot = Some(Clock::load(tx)?);
    }
    match slot.as_mut() {
        Some(clock) => Ok(f(clock)),
        None => Err(StoreError::Corrupt("device clock".into())),
    }
}

/// The id, origin and clock of the next change this transaction logs.
pub(crate) fn stamp(tx: &Connection, meta: &Meta<'_>) -> Result<Stamp> {
    with_clock(tx, meta, |c| Stamp {
        change_id: Uuid::now_v7().to_string(),
        origin: c.device.clone(),
        hlc: c.tick(),
    })
}

/// Saves the clock if the transaction moved it.
pub(crate) fn save_clock(tx: &Connection, meta: &Meta<'_>) -> Result<()> {
    if let Some(c) = meta.clock.borrow().as_ref()
        && c.dirty
    {
        crate::vault::meta_set(tx, "hlc", &hlc_text(c.ms, c.counter))?;
    }
    Ok(())
}

/// Migration 8's step: this vault's device, and one `baseline` change per person, case
/// and record holding what it is now (the history before has no change ids: it stays
/// here, and its result travels as the baseline).
pub(crate) fn begin_log(tx: &Connection) -> Result<()> {
    create_device(tx)?;
    new_epoch(tx)?;
    let meta = Meta::new("guitu");
    let void_of = |reason: Option<String>| -> Vec<Change> {
        reason
            .map(|r| Change {
                field: merge::VOID_FIELD.to_owned(),
                old: serde_json::Value::Null,
                new: serde_json::Value::String(r),
            })
            .into_iter()
            .collect()
    };
    let mut stmt = tx.prepare(
        "SELECT p.id, p.data, (SELECT c.id FROM cases c WHERE c.person_id = p.id ORDER BY c.seq LIMIT 1)
         FROM persons p ORDER BY p.seq",
    )?;
    let persons: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, data, case_id) in persons {
        let value: serde_json::Value = serde_json::from_str(&data)?;
        baseline(
            tx,
            &meta,
            Entity::Person,
            &id,
            case_id.as_deref(),
            &value,
            Vec::new(),
        )?;
    }
    let mut stmt = tx.prepare("SELECT id, data, void_reason FROM cases ORDER BY seq")?;
    let cases: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, data, void) in cases {
        let value: serde_json::Value = serde_json::from_str(&data)?;
        baseline(
            tx,
            &meta,
            Entity::Case,
            &id,
            Some(&id),
            &value,
            void_of(void),
        )?;
    }
    let mut stmt = tx.prepare("SELECT id, case_id, data, void_reason FROM records ORDER BY seq")?;
    let records: Vec<(String, String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, case_id, data, void) in records {
        let value: serde_json::Value = serde_json::from_str(&data)?;
        baseline(
            tx,
            &meta,
            Entity::Record,
            &id,
            Some(&case_id),
            &value,
            void_of(void),
        )?;
    }
    save_clock(tx, &meta)
}

fn baseline(
    tx: &Connection,
    meta: &Meta<'_>,
    entity: Entity,
    id: &str,
    case_id: Option<&str>,
    value: &serde_json::Value,
    extra: Vec<Change>,
) -> Result<()> {
    let mut changes = crate::history::diff(None, value);
    changes.extend(extra);
    crate::history::write(
        tx,
        meta,
        entity,
        id,
        case_id,
        HistoryAction::Baseline,
        &changes,
    )
}

/// A device this vault exchanges bundles with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Peer {
    pub device_id: String,
    pub name: String,
    /// What the peer is, as a recipient of hand-offs (`RecipientKind`'s wire name).
    pub kind: String,
    pub fingerprint: String,
    pub added_at: String,
    pub added_by: String,
    pub removed_at: Option<String>,
    /// Cases shared with it.
    #[ts(type = "number")]
    pub cases: u64,
}

/// A field in conflict: the value here and the value a peer's change brought.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Conflict {
    #[ts(type = "number")]
    pub id: i64,
    pub entity: Entity,
    pub entity_id: String,
    pub case_id: String,
    /// For a record: its kind, so the field can be labelled.
    pub record_kind: Option<String>,
    pub field: String,
    /// The value here now.
    #[ts(type = "unknown")]
    pub local_value: serde_json::Value,
    pub local_actor: String,
    pub local_at: String,
    #[ts(type = "unknown")]
    pub incoming_value: serde_json::Value,
    pub incoming_actor: String,
    pub incoming_at: String,
    /// The device the incoming change was made on (its name when it is a peer).
    pub incoming_device: String,
}

/// How a person resolves a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Keep the value here.
    Local,
    /// Take the incoming value.
    Incoming,
    /// Another value, written by the person.
    Value(serde_json::Value),
}

/// A bundle made here: the sealed bytes, and what it holds.
pub struct SealedBundle {
    pub bytes: Vec<u8>,
    pub id: String,
    pub cases: usize,
    pub changes: usize,
}

impl std::fmt::Debug for SealedBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedBundle")
            .field("id", &self.id)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

fn peer_row(conn: &Connection, device_id: &str) -> Result<Option<(Peer, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT device_id, name, kind, fingerprint, added_at, added_by, removed_at, age_recipient, sign_key,
                    (SELECT COUNT(*) FROM shares s WHERE s.peer = p.device_id)
             FROM peers p WHERE device_id = ?1",
        )?
        .query_row([device_id], |r| {
            Ok((
                Peer {
                    device_id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    fingerprint: r.get(3)?,
                    added_at: r.get(4)?,
                    added_by: r.get(5)?,
                    removed_at: r.get(6)?,
                    cases: r.get::<_, i64>(9)?.max(0) as u64,
                },
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .optional()?)
}

fn active_peer(conn: &Connection, device_id: &str) -> Result<(Peer, String, String)> {
    match peer_row(conn, device_id)? {
        Some(p) if p.0.removed_at.is_none() => Ok(p),
        _ => Err(StoreError::NotFound {
            what: Thing::Peer,
            reference: device_id.to_owned(),
        }),
    }
}

/// Shares cases with a peer, recording the basis of this hand-off (a case received from
/// the peer is shared back without one: its basis is given when it is sent).
fn share(
    tx: &Connection,
    meta: &Meta<'_>,
    peer: &str,
    cases: &[(Uuid, Option<HandoffBasis>)],
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO shares (peer, case_id, shared_at, shared_by, basis) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(peer, case_id) DO UPDATE SET basis = COALESCE(excluded.basis, shares.basis)",
    )?;
    for (case, basis) in cases {
        let basis = basis.as_ref().map(crate::rows::to_json).transpose()?;
        insert.execute(params![peer, case.to_string(), meta.at, meta.actor, basis])?;
    }
    Ok(())
}

impl Vault {
    /// This device's contact card.
    pub fn device_card(&self) -> Result<DeviceCard> {
        device::card(&self.conn)
    }

    /// Renames this device (its card carries the new name from now on).
    pub fn rename_device(&mut self, name: &str) -> Result<()> {
        self.write(|tx, meta| {
            crate::vault::meta_set(tx, "device_name", name)?;
            audit::append(tx, meta.actor, AuditAction::DeviceRenamed, "device", "")
        })
    }

    /// Adds a peer from its contact card (the caller has had a person compare the
    /// fingerprint). A peer removed before comes back with the card's keys.
    pub fn add_peer(&mut self, card: &DeviceCard, kind: &str) -> Result<Peer> {
        card.verify()?;
        if card.device_id == device::id(&self.conn)? {
            return Err(StoreError::Invalid(crate::Invalid::OwnDevice));
        }
        let id = card.device_id.clone();
        self.write(|tx, meta| {
            tx.prepare_cached(
                "INSERT INTO peers (device_id, name, kind, age_recipient, sign_key, fingerprint, added_at, added_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(device_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                   age_recipient = excluded.age_recipient, sign_key = excluded.sign_key,
                   fingerprint = excluded.fingerprint, added_at = excluded.added_at,
                   added_by = excluded.added_by, removed_at = NULL, removed_by = NULL",
            )?
            .execute(params![
                card.device_id,
                card.name,
                kind,
                card.age_recipient,
                card.sign_key,
                card.fingerprint,
                meta.at,
                meta.actor
            ])?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::PeerAdded,
                &format!("device:{id}"),
                &format!("kind:{kind}"),
            )
        })?;
        active_peer(&self.conn, &id).map(|p| p.0)
    }

    /// Removes a peer: its bundles are refused from now on.
    pub fn remove_peer(&mut self, device_id: &str) -> Result<()> {
        active_peer(&self.conn, device_id)?;
        self.write(|tx, meta| {
            tx.prepare_cached(
                "UPDATE peers SET removed_at = ?2, removed_by = ?3 WHERE device_id = ?1",
            )?
            .execute(params![device_id, meta.at, meta.actor])?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::PeerRemoved,
                &format!("device:{device_id}"),
                "",
            )
        })
    }

    /// The peers, removed ones last.
    pub fn peers(&self) -> Result<Vec<Peer>> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT device_id FROM peers ORDER BY removed_at IS NOT NULL, name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(p) = peer_row(&self.conn, &id)? {
                out.push(p.0);
            }
        }
        Ok(out)
    }

    /// One peer, removed or not.
    pub fn peer(&self, device_id: &str) -> Result<Peer> {
        peer_row(&self.conn, device_id)?
            .map(|p| p.0)
            .ok_or_else(|| StoreError::NotFound {
                what: Thing::Peer,
                reference: device_id.to_owned(),
            })
    }

    /// The cases shared with a peer — voided ones too: the void mark must reach it.
    pub fn shared_cases(&self, peer: &str) -> Result<Vec<Uuid>> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT s.case_id FROM shares s JOIN cases c ON c.id = s.case_id
                 WHERE s.peer = ?1 ORDER BY c.case_number",
            )?
            .query_map([peer], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|s| crate::rows::uuid(s)).collect()
    }

    /// The cases shared with a peer that have changes it has not acknowledged (its own and
    /// those it sent excepted, unless it was restored: `echo`) — what a bundle to it
    /// carries by default.
    pub fn cases_to_send(&self, peer: &str) -> Result<Vec<Uuid>> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT s.case_id FROM shares s JOIN cases c ON c.id = s.case_id
                   JOIN peers p ON p.device_id = s.peer
                 WHERE s.peer = ?1 AND (
                   EXISTS (SELECT 1 FROM history h WHERE h.case_id = s.case_id AND h.seq > s.acked_seq
                             AND h.change_id IS NOT NULL
                             AND ((h.origin <> s.peer AND h.via IS NOT s.peer) OR p.echo))
                   OR EXISTS (SELECT 1 FROM history h WHERE h.entity_id = c.person_id AND h.seq > s.acked_seq
                             AND h.change_id IS NOT NULL
                             AND ((h.origin <> s.peer AND h.via IS NOT s.peer) OR p.echo))
                   OR NOT EXISTS (SELECT 1 FROM history h WHERE h.entity_id = s.case_id
                             AND h.change_id IS NOT NULL))
                 ORDER BY c.case_number",
            )?
            .query_map([peer], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|s| crate::rows::uuid(s)).collect()
    }

    /// The peers a case is shared with, with the basis it was shared on.
    pub fn shares_of_case(&self, case_id: Uuid) -> Result<Vec<(Peer, Option<HandoffBasis>)>> {
        let rows: Vec<(String, Option<String>)> = self
            .conn
            .prepare_cached("SELECT peer, basis FROM shares WHERE case_id = ?1 ORDER BY shared_at")?
            .query_map([case_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (peer, basis) in rows {
            if let Some(p) = peer_row(&self.conn, &peer)? {
                out.push((p.0, basis.map(|b| serde_json::from_str(&b)).transpose()?));
            }
        }
        Ok(out)
    }

    /// Makes a bundle for a peer: every change of the given cases (shared with it from
    /// now on, each with its hand-off basis as JSON) that the peer has not acknowledged,
    /// the persons' changes of those cases, and the acknowledgements of what this vault
    /// received from the peer; signed by this device and encrypted to the peer. Records
    /// the bundle and an audit entry (peer, counts; never the content).
    pub fn create_bundle(
        &mut self,
        peer: &str,
        cases: &[(Uuid, Option<HandoffBasis>)],
    ) -> Result<SealedBundle> {
        let (_, recipient, _) = active_peer(&self.conn, peer)?;
        for (case, _) in cases {
            crate::rows::case(&self.conn, &case.to_string())?;
        }
        let secrets = DeviceSecrets::load(&self.conn)?;
        let own = device::id(&self.conn)?;
        let peer = peer.to_owned();
        self.write(|tx, meta| {
            share(tx, meta, &peer, cases)?;
            let payload = bundle::collect(tx, meta, &own, &peer, cases)?;
            let sealed = bundle::seal(&payload, &secrets, &recipient)?;
            tx.prepare_cached(
                "INSERT INTO bundles (id, direction, peer, at, by, upto, cases, changes)
                 VALUES (?1, 'out', ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                payload.id,
                peer,
                meta.at,
                meta.actor,
                payload.upto,
                payload.cases.len() as i64,
                payload.changes.len() as i64
            ])?;
            // The bases by code (`consent`, a legal basis' wire name), never a note or name.
            let mut bases = std::collections::BTreeMap::<&str, usize>::new();
            for (_, b) in cases {
                *bases
                    .entry(b.as_ref().map_or("none", HandoffBasis::code))
                    .or_default() += 1;
            }
            let bases: Vec<String> = bases.iter().map(|(k, n)| format!("{k}={n}")).collect();
            audit::append(
                tx,
                meta.actor,
                AuditAction::BundleCreated,
                &format!("device:{peer}"),
                &format!(
                    "bundle:{} cases:{} changes:{} basis:{}",
                    payload.id,
                    payload.cases.len(),
                    payload.changes.len(),
                    bases.join(",")
                ),
            )?;
            Ok(SealedBundle {
                bytes: sealed,
                id: payload.id.clone(),
                cases: payload.cases.len(),
                changes: payload.changes.len(),
            })
        })
    }

    /// Reads a bundle without changing anything: who sent it and what it carries, after
    /// its signature and addressee are checked (a refusal is `StoreError::Bundle`).
    pub fn read_bundle(&self, bytes: &[u8]) -> Result<(Peer, Payload)> {
        let secrets = DeviceSecrets::load(&self.conn)?;
        let own = device::id(&self.conn)?;
        let payload = bundle::open(bytes, &secrets, &own, |id| {
            Ok(peer_row(&self.conn, id)?.map(|(p, _, key)| (p.removed_at.is_some(), key)))
        })?;
        let peer = self.peer(&payload.from)?;
        Ok((peer, payload))
    }

    /// Opens a bundle: checks it (`read_bundle`), then merges its changes, records its
    /// acknowledgements and shares its cases with the sender, all in one transaction. A
    /// bundle opened before changes nothing (`MergeReport::replayed`).
    pub fn open_bundle(&mut self, bytes: &[u8]) -> Result<MergeReport> {
        let (peer, payload) = self.read_bundle(bytes)?;
        let seen: bool = self
            .conn
            .prepare_cached("SELECT 1 FROM bundles WHERE id = ?1 AND direction = 'in'")?
            .query_row([&payload.id], |_| Ok(()))
            .optional()?
            .is_some();
        if seen {
            // Nothing changes but the audit trail: someone opened it again.
            self.write(|tx, meta| {
                audit::append(
                    tx,
                    meta.actor,
                    AuditAction::BundleOpened,
                    &format!("device:{}", peer.device_id),
                    &format!("bundle:{} replayed", payload.id),
                )
            })?;
            return Ok(MergeReport::replay(&payload, &peer));
        }
        self.write(|tx, meta| {
            // A peer with a new epoch was restored from a backup: send it everything
            // again, its own changes too, until it says it has received that.
            let (seen_epoch, echo): (Option<String>, bool) = tx
                .prepare_cached("SELECT epoch, echo FROM peers WHERE device_id = ?1")?
                .query_row([&peer.device_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let mut echo = echo;
            if seen_epoch.is_some() && seen_epoch.as_deref() != Some(payload.epoch.as_str()) {
                tx.prepare_cached("UPDATE shares SET acked_seq = 0 WHERE peer = ?1")?
                    .execute([&peer.device_id])?;
                echo = true;
            } else if payload.echo_seen {
                echo = false;
            }
            let own_epoch = epoch(tx)?;
            tx.prepare_cached(
                "UPDATE peers SET epoch = ?2, echo = ?3,
                        echo_seen = CASE WHEN ?4 THEN ?5 ELSE echo_seen END
                 WHERE device_id = ?1",
            )?
            .execute(params![
                peer.device_id,
                payload.epoch,
                echo,
                payload.echo,
                own_epoch
            ])?;
            let report = merge::merge(tx, meta, &payload, &peer)?;
            with_clock(tx, meta, |c| {
                for change in &payload.changes {
                    c.observe(&change.hlc);
                }
            })?;
            for ack in &payload.acks {
                // An acknowledgement of nothing (a peer that lost what it had: restored
                // from a backup), or of a change this vault still has at that seq.
                let ours: Option<String> = tx
                    .prepare_cached("SELECT change_id FROM history WHERE seq = ?1")?
                    .query_row([ack.seq], |r| r.get(0))
                    .optional()?
                    .flatten();
                if ack.seq == 0 || (ack.change.is_some() && ours == ack.change) {
                    tx.prepare_cached(
                        "UPDATE shares SET acked_seq = ?3 WHERE peer = ?1 AND case_id = ?2",
                    )?
                    .execute(params![peer.device_id, ack.case, ack.seq])?;
                }
            }
            let mut shared = Vec::new();
            for case in &payload.cases {
                let here: bool = tx
                    .prepare_cached("SELECT 1 FROM cases WHERE id = ?1")?
                    .query_row([&case.id], |_| Ok(()))
                    .optional()?
                    .is_some();
                if here {
                    shared.push((crate::rows::uuid(&case.id)?, None));
                }
            }
            share(tx, meta, &peer.device_id, &shared)?;
            for (case, _) in &shared {
                // The latest bundle says how far the peer's log reached (an older one
                // opened late only makes the peer send again what is held already).
                tx.prepare_cached(
                    "UPDATE shares SET received_seq = ?3, received_change = ?4 WHERE peer = ?1 AND case_id = ?2",
                )?
                .execute(params![
                    peer.device_id,
                    case.to_string(),
                    payload.upto,
                    payload.upto_change
                ])?;
            }
            tx.prepare_cached(
                "INSERT INTO bundles (id, direction, peer, at, by, upto, cases, changes)
                 VALUES (?1, 'in', ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                payload.id,
                peer.device_id,
                meta.at,
                meta.actor,
                payload.upto,
                payload.cases.len() as i64,
                payload.changes.len() as i64
            ])?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::BundleOpened,
                &format!("device:{}", peer.device_id),
                &format!(
                    "bundle:{} cases:{} new:{} conflicts:{}",
                    payload.id,
                    payload.cases.len(),
                    report.new_changes,
                    report.conflicts
                ),
            )?;
            Ok(report)
        })
    }

    /// The conflicts waiting for a person, of one case or of every case.
    pub fn conflicts(&self, case_id: Option<Uuid>) -> Result<Vec<Conflict>> {
        merge::conflicts(&self.conn, case_id)
    }

    /// One waiting conflict (`None`: resolved, or never there).
    pub fn conflict(&self, id: i64) -> Result<Option<Conflict>> {
        merge::conflict(&self.conn, id)
    }

    /// This device's id.
    pub fn device_id(&self) -> Result<String> {
        device::id(&self.conn)
    }

    /// How many conflicts wait, per case.
    pub fn conflict_counts(&self) -> Result<Vec<(Uuid, u64)>> {
        let rows: Vec<(String, i64)> = self
            .conn
            .prepare_cached("SELECT case_id, COUNT(*) FROM conflicts GROUP BY case_id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(c, n)| Ok((crate::rows::uuid(&c)?, n.max(0) as u64)))
            .collect()
    }

    /// Resolves a conflict: the chosen value becomes a change of its own (it travels on
    /// to the peers, and settles the same conflict there), and every conflict of the same
    /// field is closed.
    pub fn resolve_conflict(&mut self, id: i64, choice: &Resolution) -> Result<()> {
        self.write(|tx, meta| merge::resolve(tx, meta, id, choice))
    }

    /// Every person, case and record as a bundle carries it (the JSON object, with the
    /// void mark as a field), keyed `entity:id`: what two vaults that exchanged all their
    /// bundles and resolved their conflicts hold alike (tests and the bench compare it).
    pub fn synced_state(
        &self,
    ) -> Result<std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>>>
    {
        let mut out = std::collections::BTreeMap::new();
        for (entity, sql) in [
            (Entity::Person, "SELECT id FROM persons"),
            (Entity::Case, "SELECT id FROM cases"),
            (Entity::Record, "SELECT id FROM records"),
        ] {
            let ids: Vec<String> = self
                .conn
                .prepare(sql)?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                if let Some(s) = merge::load_value(&self.conn, entity, &id)? {
                    out.insert(format!("{}:{id}", entity.as_str()), s);
                }
            }
        }
        Ok(out)
    }

    /// Signs and seals any payload to a peer, as a hostile paired device could (fuzzing
    /// only: the `fuzzing` feature).
    #[cfg(feature = "fuzzing")]
    pub fn seal_for_fuzzing(&self, payload: &mut Payload, peer: &str) -> Result<Vec<u8>> {
        let (_, recipient, _) = active_peer(&self.conn, peer)?;
        payload.from = device::id(&self.conn)?;
        payload.to = peer.to_owned();
        let secrets = DeviceSecrets::load(&self.conn)?;
        bundle::seal(payload, &secrets, &recipient)
    }

    /// The change ids this vault holds (for tests and the bench: what a vault has seen).
    pub fn change_ids(&self) -> Result<HashSet<String>> {
        Ok(self
            .conn
            .prepare("SELECT change_id FROM history WHERE change_id IS NOT NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    //! A paired peer that sends what the store never makes: a change outside the cases
    //! its bundle lists, an update of something this vault does not hold, a value that
    //! does not fit the schema. Each refuses the bundle and changes nothing.
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;
    use crate::KdfParams;
    use guitu_domain::model::{Case, Person};
    use guitu_text::BundleProblem;

    fn vault(dir: &std::path::Path) -> Vault {
        Vault::create(
            dir,
            "tester",
            &crate::Secret::new("correct horse battery".into()),
            &KdfParams::insecure_for_tests(),
        )
        .unwrap()
        .0
    }

    fn case_for(p: &Person, number: &str) -> Case {
        Case {
            id: Uuid::now_v7(),
            case_number: number.into(),
            person_id: p.id,
            institution: "某站".into(),
            institution_kind: guitu_domain::model::InstitutionKind::AssistanceStation,
            received_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
            referral: guitu_domain::model::ReferralSource::PoliceRescue,
            police_reference: None,
            caseworker: "tester".into(),
            flags: Default::default(),
            stage: guitu_domain::model::Stage::Intake,
        }
    }

    /// A payload from `from` to `to`, signed and sealed with `from`'s real keys.
    fn sealed(from: &Vault, to: &Vault, edit: impl FnOnce(&mut Payload)) -> Vec<u8> {
        let own = from.device_card().unwrap();
        let peer = to.device_card().unwrap();
        let mut payload = Payload {
            format: "guitu-bundle".into(),
            version: BUNDLE_VERSION,
            id: Uuid::now_v7().to_string(),
            from: own.device_id,
            made_by: "mallory".into(),
            to: peer.device_id,
            created_at: "2026-11-30T00:00:00Z".into(),
            upto: 1,
            upto_change: None,
            epoch: String::new(),
            echo: false,
            echo_seen: false,
            cases: Vec::new(),
            changes: Vec::new(),
            acks: Vec::new(),
        };
        edit(&mut payload);
        let secrets = DeviceSecrets::load(&from.conn).unwrap();
        bundle::seal(&payload, &secrets, &peer.age_recipient).unwrap()
    }

    fn change(
        entity: Entity,
        id: &str,
        case: &str,
        field: &str,
        old: &str,
        new: &str,
    ) -> WireChange {
        WireChange {
            id: Uuid::now_v7().to_string(),
            origin: "x".into(),
            hlc: "000000000000001.0000000000".into(),
            actor: "mallory".into(),
            at: "2026-11-30T00:00:00Z".into(),
            entity,
            entity_id: id.into(),
            case_id: Some(case.into()),
            action: HistoryAction::Update,
            changes: vec![Change {
                field: field.into(),
                old: old.into(),
                new: new.into(),
            }],
            resolves: Vec::new(),
            bases: Default::default(),
        }
    }

    #[test]
    fn a_peer_cannot_change_what_its_bundle_does_not_list_or_does_not_fit() {
        let tmp = tempfile::tempdir().unwrap();
        let mut office = vault(&tmp.path().join("office"));
        let mut peer = vault(&tmp.path().join("peer"));
        office
            .add_peer(&peer.device_card().unwrap(), "assistance_institution")
            .unwrap();
        peer.add_peer(&office.device_card().unwrap(), "assistance_institution")
            .unwrap();
        let p = Person {
            id: Uuid::now_v7(),
            name: Some("甲".into()),
            ..Default::default()
        };
        let secret_case = office.create_case(&p, &case_for(&p, "A-1")).unwrap();
        let before = (office.synced_state().unwrap(), office.change_ids().unwrap());
        let cid = secret_case.id.to_string();

        let refused = |office: &mut Vault, bytes: &[u8]| match office.open_bundle(bytes) {
            Err(StoreError::Bundle(p)) => p,
            other => panic!("expected a refusal, got {other:?}"),
        };
        // A change to a case the bundle does not list.
        let bytes = sealed(&peer, &office, |p| {
            p.changes.push(change(
                Entity::Case,
                &cid,
                &cid,
                "institution",
                "某站",
                "别处",
            ));
        });
        assert_eq!(refused(&mut office, &bytes), BundleProblem::NotShared);
        // Listed, but an update of a record this vault does not hold.
        let bytes = sealed(&peer, &office, |p| {
            p.cases.push(SharedCase {
                id: cid.clone(),
                case_number: "A-1".into(),
                basis: None,
            });
            p.changes.push(change(
                Entity::Record,
                &Uuid::now_v7().to_string(),
                &cid,
                "text",
                "a",
                "b",
            ));
        });
        assert_eq!(refused(&mut office, &bytes), BundleProblem::MissingBase);
        // Listed, but a value that does not fit the schema (a stage that is not one).
        let bytes = sealed(&peer, &office, |p| {
            p.cases.push(SharedCase {
                id: cid.clone(),
                case_number: "A-1".into(),
                basis: None,
            });
            p.changes.push(change(
                Entity::Case,
                &cid,
                &cid,
                "stage",
                "intake",
                "vanished",
            ));
        });
        assert_eq!(refused(&mut office, &bytes), BundleProblem::Invalid);
        assert_eq!(
            (office.synced_state().unwrap(), office.change_ids().unwrap()),
            before,
            "every refused bundle left the vault as it was"
        );
    }
}
