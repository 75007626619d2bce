//! A bundle: the changes a peer has not acknowledged, for the cases shared with it, and
//! the acknowledgements of what this vault received from it.
//!
//! On disk a bundle is an `age` file encrypted to the peer's X25519 key (`age`'s STREAM
//! authenticates every chunk, so a changed or cut-off byte fails to decrypt). Inside:
//! `GUITUBD1`; the sender's device id and the packed payload, each after its length (8
//! bytes, big-endian); the payload is JSON compressed with deflate; last, the sender's
//! Ed25519 signature of a domain tag, the sender's id and the packed payload — so only a
//! paired device can have made it, it is checked before anything is unpacked, and the
//! payload names the device it was made for.

use std::collections::HashSet;

use ed25519_dalek::{Signature, Verifier};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use guitu_domain::handoff::HandoffBasis;
use guitu_text::BundleProblem;

use super::WireChange;
use super::device::{DeviceSecrets, verifying_key};
use crate::history::{Change, Entity, HistoryAction, Meta};
use crate::{Result, StoreError};

/// The payload format this build writes and reads.
pub const BUNDLE_VERSION: u32 = 1;
const FORMAT: &str = "guitu-bundle";
const MAGIC: &[u8; 8] = b"GUITUBD1";
const SIGNED_TAG: &[u8] = b"guitu-bundle-signature-v1\0";
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1";

/// A case a bundle carries, with the basis it is handed off on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedCase {
    pub id: String,
    pub case_number: String,
    /// The hand-off basis (consent or legal basis) the sender shared it on.
    pub basis: Option<HandoffBasis>,
}

/// "I hold your changes of this case up to your history seq `seq`" — whose change id
/// was `change` (so a sender whose history was renumbered by a restore ignores it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    pub case: String,
    pub seq: i64,
    #[serde(default)]
    pub change: Option<String>,
}

/// What a bundle says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    pub format: String,
    pub version: u32,
    pub id: String,
    /// The sending device and the user who made the bundle.
    pub from: String,
    pub made_by: String,
    /// The device it was made for.
    pub to: String,
    pub created_at: String,
    /// The sender's last logged change when it was made (its history seq and change
    /// id): the peer acknowledges up to it.
    pub upto: i64,
    #[serde(default)]
    pub upto_change: Option<String>,
    /// The sender's log epoch (renewed when it is restored from a backup).
    #[serde(default)]
    pub epoch: String,
    /// This bundle carries the receiver's own changes back (it was restored).
    #[serde(default)]
    pub echo: bool,
    /// The sender has received such a bundle in its current epoch.
    #[serde(default)]
    pub echo_seen: bool,
    pub cases: Vec<SharedCase>,
    /// In the sender's order (each change after the changes it was made on).
    pub changes: Vec<WireChange>,
    pub acks: Vec<Ack>,
}

fn bad(p: BundleProblem) -> StoreError {
    StoreError::Bundle(p)
}

type Row = (i64, WireChange, Option<String>);

fn read_rows(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(p)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let changes: Vec<Change> = serde_json::from_str(&r.get::<_, String>(8)?)?;
        let resolves: Option<String> = r.get(10)?;
        out.push((
            r.get(0)?,
            WireChange {
                id: r.get(1)?,
                origin: r.get(2)?,
                hlc: r.get(3)?,
                actor: r.get(4)?,
                at: r.get(5)?,
                entity: Entity::parse(&r.get::<_, String>(6)?)?,
                entity_id: r.get(7)?,
                case_id: r.get(11)?,
                action: HistoryAction::parse(&r.get::<_, String>(9)?)?,
                changes,
                resolves: match resolves {
                    Some(s) => serde_json::from_str(&s)?,
                    None => Vec::new(),
                },
                bases: match r.get::<_, Option<String>>(13)? {
                    Some(s) => serde_json::from_str(&s)?,
                    None => Default::default(),
                },
            },
            r.get(12)?,
        ));
    }
    Ok(out)
}

const COLUMNS: &str = "seq, change_id, origin, hlc, actor, at, entity, entity_id, changes, action, resolves, case_id, via, bases";

/// Gathers what a bundle for `peer` carries.
pub(super) fn collect(
    tx: &Connection,
    meta: &Meta<'_>,
    own: &str,
    peer: &str,
    cases: &[(Uuid, Option<HandoffBasis>)],
) -> Result<Payload> {
    // Imported persons, cases and records enter the log before they are sent.
    for (case, _) in cases {
        super::ensure_case_logged(tx, meta, &case.to_string())?;
    }
    let (upto, upto_change): (i64, Option<String>) = tx
        .query_row(
            "SELECT seq, change_id FROM history WHERE change_id IS NOT NULL ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, None));
    let (echo, echo_seen): (bool, Option<String>) = tx
        .prepare_cached("SELECT echo, echo_seen FROM peers WHERE device_id = ?1")?
        .query_row([peer], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let echo_seen = echo_seen.as_deref() == Some(super::epoch(tx)?.as_str());
    // Changes the peer made or sent are left out, unless it was restored (`echo`).
    let mut rows: Vec<Row> = Vec::new();
    let mut shared = Vec::with_capacity(cases.len());
    let mut persons: HashSet<(String, i64)> = HashSet::new();
    for (case, basis) in cases {
        let cid = case.to_string();
        let (number, person, acked): (String, String, i64) = tx
            .prepare_cached(
                "SELECT c.case_number, c.person_id, s.acked_seq FROM cases c
                 JOIN shares s ON s.case_id = c.id AND s.peer = ?2 WHERE c.id = ?1",
            )?
            .query_row(params![cid, peer], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let own = read_rows(
            tx,
            &format!(
                "SELECT {COLUMNS} FROM history WHERE case_id = ?1 AND seq > ?2 AND change_id IS NOT NULL
                   AND entity <> 'person' AND ((origin <> ?3 AND via IS NOT ?3) OR ?4)"
            ),
            params![cid, acked, peer, echo],
        )?;
        // The person's changes since the peer's acknowledgement; all of them when the case
        // is new to the peer or moved to another person since (a merge, R-DUP): the peer
        // may not hold that person at all.
        let moved = own.iter().any(|r| {
            r.1.entity == Entity::Case && r.1.changes.iter().any(|c| c.field == "person_id")
        });
        rows.extend(own);
        let since = if acked == 0 || moved { 0 } else { acked };
        if persons.insert((person.clone(), since)) {
            rows.extend(read_rows(
                tx,
                &format!(
                    "SELECT {COLUMNS} FROM history WHERE entity_id = ?1 AND entity = 'person' AND seq > ?3
                       AND change_id IS NOT NULL AND ((origin <> ?2 AND via IS NOT ?2) OR ?4)"
                ),
                params![person, peer, since, echo],
            )?);
        }
        shared.push(SharedCase {
            id: cid,
            case_number: number,
            basis: basis.clone(),
        });
    }
    rows.sort_by_key(|r| r.0);
    let mut ids = HashSet::new();
    rows.retain(|r| ids.insert(r.1.id.clone()));
    let acks = tx
        .prepare_cached(
            "SELECT case_id, received_seq, received_change FROM shares WHERE peer = ?1",
        )?
        .query_map([peer], |r| {
            Ok(Ack {
                case: r.get(0)?,
                seq: r.get(1)?,
                change: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Payload {
        format: FORMAT.to_owned(),
        version: BUNDLE_VERSION,
        id: Uuid::now_v7().to_string(),
        from: own.to_owned(),
        made_by: meta.actor.to_owned(),
        to: peer.to_owned(),
        created_at: meta.at.clone(),
        upto,
        upto_change,
        epoch: super::epoch(tx)?,
        echo,
        echo_seen,
        cases: shared,
        changes: rows.into_iter().map(|r| r.1).collect(),
        acks,
    })
}

/// The largest payload a bundle may unpack to (a 100,000-case join is about 1 GB).
const MAX_PAYLOAD: u64 = 8 << 30;

fn signed_bytes(from: &[u8], packed: &[u8]) -> Vec<u8> {
    let mut signed = Vec::with_capacity(SIGNED_TAG.len() + from.len() + packed.len() + 1);
    signed.extend_from_slice(SIGNED_TAG);
    signed.extend_from_slice(from);
    signed.push(0);
    signed.extend_from_slice(packed);
    signed
}

/// Compresses the payload (deflate), signs it, and encrypts it to the peer.
pub(super) fn seal(payload: &Payload, secrets: &DeviceSecrets, recipient: &str) -> Result<Vec<u8>> {
    use std::io::Write;
    let recipient: age::x25519::Recipient = recipient
        .parse()
        .map_err(|_| StoreError::Corrupt("peer key".into()))?;
    let body = serde_json::to_vec(payload)?;
    let mut packer = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::fast(),
    );
    let packed = packer
        .write_all(&body)
        .and_then(|()| packer.finish())
        .map_err(|e| StoreError::Crypto(e.to_string()))?;
    drop(body);
    let from = payload.from.as_bytes();
    let signature = secrets.sign(&signed_bytes(from, &packed));
    let mut inner = Vec::with_capacity(packed.len() + from.len() + 96);
    inner.extend_from_slice(MAGIC);
    inner.extend_from_slice(&(from.len() as u64).to_be_bytes());
    inner.extend_from_slice(from);
    inner.extend_from_slice(&(packed.len() as u64).to_be_bytes());
    inner.extend_from_slice(&packed);
    inner.extend_from_slice(&signature);
    drop(packed);
    age::encrypt(&recipient, &inner).map_err(|e| StoreError::Crypto(e.to_string()))
}

/// A length (8 bytes, big-endian) and what follows it.
fn take_len(rest: &[u8]) -> Result<(usize, &[u8])> {
    let damaged = || bad(BundleProblem::Damaged);
    let (len, rest) = rest.split_at_checked(8).ok_or_else(damaged)?;
    let len = u64::from_be_bytes(<[u8; 8]>::try_from(len).map_err(|_| damaged())?);
    Ok((usize::try_from(len).map_err(|_| damaged())?, rest))
}

/// Decrypts and verifies a bundle; `peer_key` gives a device's state (removed?) and
/// signing key, `None` for a device that is not a peer. The sender's signature is checked
/// before anything is unpacked or parsed.
pub(super) fn open(
    bytes: &[u8],
    secrets: &DeviceSecrets,
    own: &str,
    peer_key: impl Fn(&str) -> Result<Option<(bool, String)>>,
) -> Result<Payload> {
    use std::io::Read;
    if !bytes.starts_with(AGE_MAGIC) {
        return Err(bad(BundleProblem::NotABundle));
    }
    let inner = age::decrypt(&secrets.age, bytes).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => bad(BundleProblem::NotForThisDevice),
        _ => bad(BundleProblem::Damaged),
    })?;
    let damaged = || bad(BundleProblem::Damaged);
    let rest = inner.strip_prefix(MAGIC.as_slice()).ok_or_else(damaged)?;
    let (from_len, rest) = take_len(rest)?;
    let (from, rest) = rest.split_at_checked(from_len).ok_or_else(damaged)?;
    let (packed_len, rest) = take_len(rest)?;
    let (packed, sig) = rest.split_at_checked(packed_len).ok_or_else(damaged)?;
    let sig = <[u8; 64]>::try_from(sig).map_err(|_| damaged())?;
    let from_id = std::str::from_utf8(from).map_err(|_| damaged())?;
    if from_id == own {
        return Err(bad(BundleProblem::OwnBundle));
    }
    let (removed, key) = peer_key(from_id)?.ok_or_else(|| bad(BundleProblem::UnknownSender))?;
    if removed {
        return Err(bad(BundleProblem::RemovedSender));
    }
    let key = verifying_key(&key).ok_or_else(|| StoreError::Corrupt("peer key".into()))?;
    key.verify(&signed_bytes(from, packed), &Signature::from_bytes(&sig))
        .map_err(|_| bad(BundleProblem::Forged))?;
    let mut body = Vec::with_capacity(packed.len().saturating_mul(4));
    flate2::read::DeflateDecoder::new(packed)
        .take(MAX_PAYLOAD)
        .read_to_end(&mut body)
        .map_err(|_| damaged())?;
    let from_id = from_id.to_owned();
    drop(inner);
    // What it says it is, before the whole of it is read.
    #[derive(Deserialize)]
    struct Head {
        format: String,
        version: u32,
    }
    let head: Head = serde_json::from_slice(&body).map_err(|_| damaged())?;
    if head.format != FORMAT {
        return Err(bad(BundleProblem::NotABundle));
    }
    if head.version > BUNDLE_VERSION {
        return Err(bad(BundleProblem::NewerFormat {
            version: head.version,
        }));
    }
    let payload: Payload = serde_json::from_slice(&body).map_err(|_| damaged())?;
    if payload.to != own || payload.from != from_id {
        return Err(bad(BundleProblem::NotForThisDevice));
    }
    Ok(payload)
}
