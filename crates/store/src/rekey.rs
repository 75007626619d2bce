//! Removing a user: the database is copied under a new data key and the remaining key
//! slots receive it, so that a copy of the removed user's slot (an old `vault.json`)
//! opens nothing of the vault as it is from then on.
//!
//! The remaining slots are *sealed* (keys.rs): the data key is encrypted to each slot's
//! X25519 public key, so the new key reaches every remaining user and the recovery code
//! without their secrets. The switch uses restore's protocol (restore.rs): the new
//! database, header and checkpoint are made in a staging folder, a journal decides the
//! switch, and every open rolls a decided switch forward. A crash before the journal
//! leaves the old vault (old key) whole, the staging folder is deleted at the next open;
//! a crash after it ends with the new vault (new key). The old files are deleted once
//! the new ones are in, not kept aside as a restore keeps them.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::audit::{self, AuditAction};
use crate::checkpoint::{self, Checkpoint};
use crate::keys::{self, DataKey, KdfParams, Secret, SlotKind};
use crate::restore::{JOURNAL, Journal, STAGING_PREFIX, roll_forward, sync};
use crate::vault::{audit_head, header_binding, meta_set, open_connection};
use crate::{DB_FILE, HEADER_FILE, Result, StoreError, Vault, files, schema, users};
use guitu_domain::access::Role;

/// How far a re-key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RekeyStage {
    /// Copying the database under the new key (`done` of `total` bytes).
    Copy,
    /// Checking the copy and recording the removal in it.
    Verify,
    /// Switching the files.
    Switch,
    /// Finished.
    Done,
}

/// Progress of a re-key, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct RekeyProgress {
    pub stage: RekeyStage,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What a removal did.
#[derive(Debug)]
pub struct Removed {
    /// A new recovery code, when the old one's slot could not receive the new key (a vault
    /// made before sealed slots): shown once, like the first.
    pub new_recovery_code: Option<Secret>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| crate::vault::io_err(path, source)
}

/// The staging folder, deleted on drop unless the switch was decided.
struct Staging {
    path: std::path::PathBuf,
    armed: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Copies the open database into `target` under `key` (sqlcipher_export), reporting the
/// bytes written while it runs.
fn export(
    conn: &Connection,
    target: &Path,
    key: &DataKey,
    total: u64,
    progress: &(dyn Fn(RekeyProgress) + Sync),
) -> Result<()> {
    drop(files::create_new_private(target).map_err(io(target))?);
    let literal = key.sqlcipher_key_literal();
    let path = target.to_string_lossy().replace('\'', "''");
    let attach = Zeroizing::new(format!(
        "ATTACH DATABASE '{path}' AS rk KEY \"{}\";",
        literal.as_str()
    ));
    conn.execute_batch(&attach)?;
    let finished = AtomicBool::new(false);
    let exported = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !finished.load(Ordering::Relaxed) {
                let done = fs::metadata(target).map(|m| m.len()).unwrap_or(0);
                progress(RekeyProgress {
                    stage: RekeyStage::Copy,
                    done: done.min(total),
                    total,
                });
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let r = conn
            .query_row("SELECT sqlcipher_export('rk')", [], |_| Ok(()))
            .and_then(|()| conn.pragma_update(Some("rk"), "user_version", schema::SCHEMA_VERSION));
        finished.store(true, Ordering::Relaxed);
        r
    });
    let detached = conn.execute_batch("DETACH DATABASE rk;");
    exported?;
    detached?;
    progress(RekeyProgress {
        stage: RekeyStage::Copy,
        done: total,
        total,
    });
    Ok(())
}

impl Vault {
    /// Removes the user `name`: their key slots and row go, and the database is re-keyed
    /// (module documentation) so that their old slot opens nothing of the vault from now on.
    /// Refused for the acting user, for the last administrator, and while another user's
    /// slot cannot receive the new key ([`StoreError::UsersMustUnlock`]).
    pub fn remove_user(
        &mut self,
        name: &str,
        kdf: &KdfParams,
        progress: &(dyn Fn(RekeyProgress) + Sync),
    ) -> Result<Removed> {
        let dir = self.dir().to_owned();
        self.remove_user_inner(name, kdf, progress)
            .map_err(|e| e.in_vault(&dir))
    }

    fn remove_user_inner(
        &mut self,
        name: &str,
        kdf: &KdfParams,
        progress: &(dyn Fn(RekeyProgress) + Sync),
    ) -> Result<Removed> {
        if name == self.actor() {
            return Err(StoreError::UserIsSelf);
        }
        let all = users::list(&self.conn)?;
        let has_slot = self.header().slot_users().iter().any(|u| u == name);
        if !has_slot && !all.iter().any(|u| u.name == name) {
            return Err(StoreError::UserUnknown);
        }
        let admins_left = all
            .iter()
            .filter(|u| u.name != name && !u.disabled && u.roles.contains(&Role::Administrator))
            .count();
        if admins_left == 0 {
            return Err(StoreError::UserLastAdministrator);
        }

        // The new header: the user's slots gone, the new key sealed to every other slot.
        let new_key = DataKey::generate()?;
        let mut header = self.header().clone();
        header
            .slots
            .retain(|s| !matches!(&s.kind, SlotKind::Passphrase { user } if user == name));
        let unsealed = header.reseal(&new_key)?;
        let mut must_unlock: Vec<String> = Vec::new();
        let mut replace_recovery = false;
        for id in &unsealed {
            match header.slots.iter().find(|s| &s.id == id).map(|s| &s.kind) {
                Some(SlotKind::Passphrase { user }) => must_unlock.push(user.clone()),
                Some(SlotKind::Recovery) => replace_recovery = true,
                None => {}
            }
        }
        if !must_unlock.is_empty() {
            must_unlock.sort();
            must_unlock.dedup();
            return Err(StoreError::UsersMustUnlock { users: must_unlock });
        }
        let new_recovery_code = if replace_recovery {
            header.slots.retain(|s| s.kind != SlotKind::Recovery);
            let code = keys::generate_recovery_code()?;
            header.add_slot(SlotKind::Recovery, &code, kdf, &new_key)?;
            Some(code)
        } else {
            None
        };
        header.generation = self.header().generation + 1;
        let header_bytes = header.to_bytes()?;
        let header_hash = keys::hash_hex(&header_bytes);

        // (1) Stage the copy under the new key.
        let dir = self.dir().to_owned();
        let staging_name = format!("{STAGING_PREFIX}{}", uuid::Uuid::now_v7());
        let staging_path = dir.join(&staging_name);
        files::create_private_dir_all(&staging_path).map_err(io(&staging_path))?;
        let mut staging = Staging {
            path: staging_path.clone(),
            armed: true,
        };
        let total: u64 = self.conn.query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64;
        let db_path = staging_path.join(DB_FILE);
        export(&self.conn, &db_path, &new_key, total, progress)?;

        // (2) Check the copy and record the removal in it.
        progress(RekeyProgress {
            stage: RekeyStage::Verify,
            done: 0,
            total: 1,
        });
        let mut conn = open_connection(&db_path, &new_key, false)?;
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            return Err(StoreError::Corrupt(
                "the re-keyed copy failed its integrity check".into(),
            ));
        }
        {
            let tx = conn.transaction()?;
            tx.execute("DELETE FROM users WHERE name = ?1", [name])?;
            meta_set(
                &tx,
                "header",
                &header_binding(header.generation, &header_hash),
            )?;
            tx.execute("DELETE FROM meta WHERE key = 'header_pending'", [])?;
            meta_set(&tx, "checkpointed", "1")?;
            audit::append(
                &tx,
                self.actor(),
                AuditAction::UserRemoved,
                &format!("user:{name}"),
                "rekeyed",
            )?;
            tx.commit()?;
        }
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let head = audit_head(&conn)?
            .ok_or_else(|| StoreError::Corrupt("the re-keyed copy has no audit trail".into()))?;
        conn.close().map_err(|(_, e)| StoreError::Sql(e))?;
        for leftover in ["guitu.db-wal", "guitu.db-shm"] {
            let _ = fs::remove_file(staging_path.join(leftover));
        }
        let hpath = staging_path.join(HEADER_FILE);
        files::write_private(&hpath, &header_bytes).map_err(io(&hpath))?;
        let cp = Checkpoint::new(
            &new_key,
            header.vault_id,
            self.checkpoint_generation() + 1,
            &head,
            header.generation,
            &header_hash,
        )?;
        checkpoint::write(&staging_path, &cp)?;
        sync(&staging_path)?;
        progress(RekeyProgress {
            stage: RekeyStage::Verify,
            done: 1,
            total: 1,
        });

        // (3) Close this vault's database and decide the switch.
        progress(RekeyProgress {
            stage: RekeyStage::Switch,
            done: 0,
            total: 1,
        });
        self.close_for_switch()?;
        let aside = format!(".rekey-old-{}", uuid::Uuid::now_v7());
        let journal = Journal {
            staging: staging_name,
            aside,
            discard_aside: true,
        };
        let jpath = dir.join(JOURNAL);
        files::write_private(&jpath, &serde_json::to_vec(&journal)?).map_err(io(&jpath))?;
        staging.armed = false;
        roll_forward(&dir, &journal)?;

        // (4) Continue with the new vault, as the same user.
        let slot_id = match self.unlocked_slot_kind() {
            SlotKind::Recovery => header
                .slots
                .iter()
                .find(|s| s.kind == SlotKind::Recovery)
                .map(|s| s.id.clone()),
            SlotKind::Passphrase { user } => header
                .slots
                .iter()
                .find(|s| matches!(&s.kind, SlotKind::Passphrase { user: u } if *u == user))
                .map(|s| s.id.clone()),
        }
        .unwrap_or_default();
        *self = Vault::open_with_key(&dir, header, header_hash, new_key, &slot_id)?;
        progress(RekeyProgress {
            stage: RekeyStage::Done,
            done: 1,
            total: 1,
        });
        Ok(Removed { new_recovery_code })
    }
}
