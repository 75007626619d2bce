//! The checkpoint: what the vault looked like when it was last known good, kept OUTSIDE
//! the database it vouches for, in `vault.check` beside `guitu.db`.
//!
//! It names the newest audit entry (sequence number, hash, time), the header the vault
//! uses (its generation and SHA-256) and a generation counter of its own, authenticated
//! with HMAC-SHA256 under a key derived from the data key (HKDF, see mac.rs): nobody
//! without the key can write one that opens. At open and at `verify` the database is
//! compared with it:
//!
//! - database at or ahead of the checkpoint, on the same history → fine (a crash after a
//!   commit and before the checkpoint update leaves the database ahead); the checkpoint
//!   is advanced;
//! - database behind it → changes were lost or an older copy was put back
//!   ([`StoreError::ChangesMissing`] says how many, and the time of the last one known);
//! - database on another history (the entry the checkpoint names has another hash) →
//!   [`StoreError::HistoryDiverged`];
//! - checkpoint gone while the database says it had one → [`StoreError::CheckpointMissing`].
//!
//! Why a file of its own rather than a field of `vault.json`: the header holds the only
//! copies of the wrapped keys and is rewritten only when keys change; the checkpoint is
//! rewritten after every commit. Keeping them apart means the frequent write never puts
//! the key slots at risk, and putting back an old `vault.json` does not put back an old
//! checkpoint with it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::keys::DataKey;
use crate::{Result, StoreError, files, mac};

/// File name of the checkpoint inside the vault directory.
pub const CHECK_FILE: &str = "vault.check";

const FORMAT: u32 = 1;
const MAC_PURPOSE: &[u8] = b"guitu/vault/checkpoint-mac/v1";

/// The newest audit entry of a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub seq: i64,
    pub hash: String,
    pub at: String,
}

/// The contents of `vault.check`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Checkpoint {
    pub format: u32,
    pub vault_id: uuid::Uuid,
    /// Incremented by every write of the checkpoint.
    pub generation: u64,
    pub audit_seq: i64,
    pub audit_hash: String,
    pub audit_at: String,
    pub header_generation: u64,
    pub header_hash: String,
    pub mac: String,
}

impl Checkpoint {
    pub(crate) fn new(
        key: &DataKey,
        vault_id: uuid::Uuid,
        generation: u64,
        head: &Head,
        header_generation: u64,
        header_hash: &str,
    ) -> Result<Checkpoint> {
        let mut cp = Checkpoint {
            format: FORMAT,
            vault_id,
            generation,
            audit_seq: head.seq,
            audit_hash: head.hash.clone(),
            audit_at: head.at.clone(),
            header_generation,
            header_hash: header_hash.to_owned(),
            mac: String::new(),
        };
        cp.mac = hex::encode(cp.compute_mac(key)?);
        Ok(cp)
    }

    fn compute_mac(&self, key: &DataKey) -> Result<[u8; 32]> {
        let canonical = serde_json::to_vec(&(
            self.format,
            self.vault_id,
            self.generation,
            self.audit_seq,
            &self.audit_hash,
            &self.audit_at,
            self.header_generation,
            &self.header_hash,
        ))?;
        let k = key.derive(&self.vault_id, MAC_PURPOSE);
        Ok(mac::hmac_sha256(&k[..], &[&canonical]))
    }

    /// Whether it describes `head` under the header `header_hash`.
    pub(crate) fn describes(&self, head: &Head, header_hash: &str) -> bool {
        self.audit_seq == head.seq
            && self.audit_hash == head.hash
            && self.header_hash == header_hash
    }
}

/// Reads and authenticates the checkpoint of `dir`; `None` when there is none.
pub(crate) fn read(dir: &Path, key: &DataKey, vault_id: uuid::Uuid) -> Result<Option<Checkpoint>> {
    let path = dir.join(CHECK_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(StoreError::Io { path, source }),
    };
    let invalid = |reason| StoreError::CheckpointInvalid {
        dir: dir.to_owned(),
        reason,
    };
    let cp: Checkpoint =
        serde_json::from_slice(&bytes).map_err(|_| invalid("it cannot be read"))?;
    if cp.format != FORMAT {
        return Err(invalid("its format is unknown"));
    }
    let expected = cp.compute_mac(key)?;
    let given = hex::decode(&cp.mac).map_err(|_| invalid("it cannot be read"))?;
    if !mac::equal(&expected, &given) {
        return Err(invalid(
            "it was not written with this vault's key, or it was edited",
        ));
    }
    if cp.vault_id != vault_id {
        return Err(invalid("it belongs to another vault"));
    }
    Ok(Some(cp))
}

/// Writes the checkpoint of `dir` (0600, atomic, durable).
pub(crate) fn write(dir: &Path, cp: &Checkpoint) -> Result<()> {
    let path = dir.join(CHECK_FILE);
    let bytes = serde_json::to_vec_pretty(cp)?;
    files::write_private(&path, &bytes)
        .map_err(|source| StoreError::Io { path, source }.in_vault(dir))
}
