//! Restore: a backup is validated completely in a staging folder, then switched in so
//! that the vault folder holds the old vault or the new one, whole, at every crash point.
//!
//! # Protocol
//!
//! Everything happens inside the vault folder `D` (so it works when `D` is a mount point
//! and needs no rights on its parent):
//!
//! 1. **Stage.** `D/.restore-<uuid>/` (0700) receives the backup's database (0600,
//!    fsynced). It must open with the key, pass `cipher_integrity_check`,
//!    `integrity_check` and the audit chain; it is migrated if older, gets the header
//!    binding, the `restore` audit entry and a checkpoint of its own, and is closed with
//!    its WAL merged (no `-wal` file). Its header and checkpoint are written beside it.
//!    A crash here leaves `D` untouched; the staging folder is deleted at the next open.
//! 2. **Journal.** `D/restore.journal` names the staging folder and the folder the old
//!    vault moves to (`D/before-restore-<time>/`). It is written atomically (temporary
//!    file, fsync, rename, fsync of `D`): from then on the switch is decided, and an open
//!    always rolls it forward before anything else.
//! 3. **Switch.** The old database's `-wal`, `-shm` and `-journal` move to the aside folder
//!    first (a WAL must never meet another database), then for each of `guitu.db`,
//!    `vault.check`, `vault.json`: the old file moves aside, the staged one moves in, each
//!    rename followed by an fsync of both folders. Every step is idempotent: while
//!    `staging/f` exists, `D/f` is the old file; once it is gone, `D/f` is the new one.
//! 4. **Done.** The staging folder and the journal are removed.
//!
//! [`finish_interrupted`] (run by every open, by `Vault::exists` through
//! [`switch_pending`], and by restore itself) replays step 3 from the journal, or deletes a
//! staging folder no journal names (a crash in step 1).

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditAction};
use crate::backup::parse_backup;
use crate::checkpoint::{self, CHECK_FILE, Checkpoint};
use crate::keys::{DataKey, Secret, SlotFilter, VaultHeader, hash_hex};
use crate::vault::{audit_head, header_binding, key_connection, meta_set, open_connection};
use crate::{DB_FILE, HEADER_FILE, Result, StoreError, Vault, files, schema};
use guitu_text::BackupProblem;

pub(crate) const JOURNAL: &str = "restore.journal";
pub(crate) const STAGING_PREFIX: &str = ".restore-";
const ASIDE_PREFIX: &str = "before-restore-";
/// Files of the old database that never move into the new vault.
const OLD_ONLY: [&str; 3] = ["guitu.db-wal", "guitu.db-shm", "guitu.db-journal"];
/// Files switched one by one, in this order.
const SWITCHED: [&str; 3] = [DB_FILE, CHECK_FILE, HEADER_FILE];

/// What a restore may replace without asking. Both false by default: restoring another
/// vault's backup, or one that lacks changes the current vault has, is refused with
/// [`StoreError::RestoreOtherVault`] / [`StoreError::RestoreOlder`] until confirmed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreOptions {
    /// Replace a vault with another vault id.
    pub replace_other_vault: bool,
    /// Replace the vault with a backup that lacks some of its changes.
    pub allow_older: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Journal {
    pub(crate) staging: String,
    pub(crate) aside: String,
    /// Delete the old vault once the new one is in (a re-key: the old files are readable
    /// with the old key, which a removed user's slot still opens).
    #[serde(default)]
    pub(crate) discard_aside: bool,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| crate::vault::io_err(path, source).in_vault(&files::parent_of(path))
}

/// Whether a switch was decided and not finished (a journal is there).
pub(crate) fn switch_pending(dir: &Path) -> bool {
    dir.join(JOURNAL).is_file()
}

/// Finishes a switch a crash interrupted, and removes staging folders of restores that
/// never reached their switch. A folder without a vault is left alone.
pub(crate) fn finish_interrupted(dir: &Path) -> Result<()> {
    let journal_path = dir.join(JOURNAL);
    let mut keep: Option<String> = None;
    if journal_path.is_file() {
        let bytes = fs::read(&journal_path).map_err(io(&journal_path))?;
        let j: Journal = serde_json::from_slice(&bytes).map_err(|_| {
            StoreError::Corrupt(format!(
                "the restore journal {} cannot be read",
                journal_path.display()
            ))
        })?;
        roll_forward(dir, &j)?;
        keep = Some(j.staging);
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(STAGING_PREFIX) && keep.as_deref() != Some(name.as_str()) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
    Ok(())
}

pub(crate) fn sync(dir: &Path) -> Result<()> {
    files::sync_dir(dir).map_err(io(dir))
}

/// Step 3 and 4 of the protocol; idempotent.
pub(crate) fn roll_forward(dir: &Path, j: &Journal) -> Result<()> {
    let staging = dir.join(&j.staging);
    let aside = dir.join(&j.aside);
    files::create_private_dir_all(&aside).map_err(io(&aside))?;
    if staging.join(DB_FILE).exists() {
        let mut moved = false;
        for f in OLD_ONLY {
            let p = dir.join(f);
            if p.exists() {
                fs::rename(&p, aside.join(f)).map_err(io(&p))?;
                moved = true;
            }
        }
        if moved {
            sync(&aside)?;
            sync(dir)?;
        }
    }
    for f in SWITCHED {
        let staged = staging.join(f);
        if !staged.exists() {
            continue;
        }
        let current = dir.join(f);
        if current.exists() {
            fs::rename(&current, aside.join(f)).map_err(io(&current))?;
            sync(&aside)?;
        }
        fs::rename(&staged, &current).map_err(io(&current))?;
        sync(dir)?;
    }
    let _ = fs::remove_dir_all(&staging);
    if j.discard_aside {
        fs::remove_dir_all(&aside).map_err(io(&aside))?;
        sync(dir)?;
    }
    // An empty aside folder (restore into an empty folder) is not kept.
    let _ = fs::remove_dir(&aside);
    let journal = dir.join(JOURNAL);
    if journal.exists() {
        fs::remove_file(&journal).map_err(io(&journal))?;
    }
    sync(dir)
}

/// What the vault in `dir` is now, as far as the backup's key can tell.
struct Current {
    vault_id: uuid::Uuid,
    header_generation: u64,
    checkpoint_generation: u64,
    /// Sequence number and hash of its newest audit entry, if known.
    head: Option<(i64, String)>,
}

fn current_vault(dir: &Path, key: &DataKey, backup_vault: uuid::Uuid) -> Option<Current> {
    let header = VaultHeader::load(&dir.join(HEADER_FILE)).ok()?;
    let mut cur = Current {
        vault_id: header.vault_id,
        header_generation: header.generation,
        checkpoint_generation: 0,
        head: None,
    };
    if header.vault_id != backup_vault {
        // Another vault: another key, nothing more can be read.
        return Some(cur);
    }
    let cp = checkpoint::read(dir, key, header.vault_id).ok().flatten();
    let db_head = (|| -> Result<Option<(i64, String)>> {
        let conn = Connection::open_with_flags(
            dir.join(DB_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        key_connection(&conn, key)?;
        Ok(audit_head(&conn)?.map(|h| (h.seq, h.hash)))
    })()
    .ok()
    .flatten();
    cur.checkpoint_generation = cp.as_ref().map_or(0, |c| c.generation);
    let cp_head = cp.map(|c| (c.audit_seq, c.audit_hash));
    // The newer of the two: the database may be ahead of its checkpoint, and a damaged
    // database (the reason for many a restore) may not open at all.
    cur.head = match (db_head, cp_head) {
        (Some(d), Some(c)) => Some(if d.0 >= c.0 { d } else { c }),
        (d, c) => d.or(c),
    };
    Some(cur)
}

/// Removes the staging folder unless the switch was decided.
struct StagingGuard {
    path: PathBuf,
    armed: bool,
}

impl Drop for StagingGuard {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

impl Vault {
    /// Restores the backup `file` into `dir` after verifying it completely (checksum,
    /// header, key, SQLCipher and SQLite integrity, schema version, audit chain) in a
    /// staging folder; the vault it replaces is kept in `dir/before-restore-<time>/`
    /// (with its WAL, if one was left behind). Another vault's backup, or one older than
    /// the vault it would replace, is refused unless `options` confirm it. Close any open
    /// vault of `dir` first. See the module documentation for the crash-safe switch.
    pub fn restore(
        dir: &Path,
        file: &Path,
        secret: &Secret,
        options: RestoreOptions,
    ) -> Result<Vault> {
        let bytes = fs::read(file).map_err(|source| StoreError::Io {
            path: file.to_owned(),
            source,
        })?;
        let bad = StoreError::BadBackup;
        let parsed = parse_backup(&bytes)?;
        let (key, slot_id) = parsed.header.unlock(secret, None)?;
        let actor = crate::vault::user_of(&parsed.header, &slot_id);

        files::create_private_dir_all(dir).map_err(io(dir))?;
        finish_interrupted(dir)?;
        let current = current_vault(dir, &key, parsed.header.vault_id);
        if let Some(cur) = &current
            && cur.vault_id != parsed.header.vault_id
            && !options.replace_other_vault
        {
            return Err(StoreError::RestoreOtherVault {
                backup_vault: parsed.header.vault_id,
                current_vault: cur.vault_id,
            });
        }

        let staging_name = format!("{STAGING_PREFIX}{}", uuid::Uuid::now_v7());
        let staging = dir.join(&staging_name);
        files::create_private_dir_all(&staging).map_err(io(&staging))?;
        let mut guard = StagingGuard {
            path: staging.clone(),
            armed: true,
        };
        let db_path = staging.join(DB_FILE);
        {
            use std::io::Write;
            let mut f = files::create_new_private(&db_path).map_err(io(&db_path))?;
            f.write_all(parsed.db).map_err(io(&db_path))?;
            f.sync_all().map_err(io(&db_path))?;
        }
        let mut conn = open_connection(&db_path, &key, false).map_err(|e| match e {
            e if e.is_disk_full() => e,
            _ => bad(BackupProblem::DatabaseOpen),
        })?;
        let found = schema::version(&conn)?;
        if found > schema::SCHEMA_VERSION {
            return Err(StoreError::NewerVersion {
                found,
                supported: schema::SCHEMA_VERSION,
            });
        }
        let cipher: Vec<String> = conn
            .prepare("PRAGMA cipher_integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if !cipher.is_empty() || integrity != "ok" {
            return Err(bad(BackupProblem::Integrity));
        }
        let chain = audit::verify_chain(&conn)?;
        if let Some((seq, _)) = chain.first_broken {
            return Err(bad(BackupProblem::AuditBroken { seq }));
        }
        let head = audit_head(&conn)?.ok_or(bad(BackupProblem::AuditEmpty))?;
        if let Some(Current {
            head: Some((cseq, chash)),
            vault_id,
            ..
        }) = &current
            && *vault_id == parsed.header.vault_id
            && !options.allow_older
        {
            let hash_there: Option<String> = rusqlite::OptionalExtension::optional(
                conn.query_row("SELECT hash FROM audit WHERE seq = ?1", [cseq], |r| {
                    r.get(0)
                }),
            )?;
            if head.seq < *cseq || hash_there.as_deref() != Some(chash.as_str()) {
                return Err(StoreError::RestoreOlder {
                    backup_changes: head.seq,
                    current_changes: *cseq,
                    backup_last_at: head.at.clone(),
                });
            }
        }
        schema::migrate(&mut conn)?;
        // The restored log may lack changes its peers hold: it starts a new epoch, so
        // they send everything again (docs/SYNC.md).
        crate::sync::new_epoch(&conn)?;
        // Restoring is an administrator's act, as the backup's own users say (a backup
        // made before users had roles: its slot users administer it, as at open).
        let slot_user = match parsed.header.slots.iter().find(|s| s.id == slot_id) {
            Some(crate::keys::KeySlot {
                kind: crate::keys::SlotKind::Passphrase { user },
                ..
            }) => Some(user.clone()),
            _ => None,
        };
        if let Some(name) = slot_user {
            let any: bool =
                conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?;
            if any {
                let allowed = crate::users::get(&conn, &name)?.is_some_and(|u| {
                    !u.disabled
                        && guitu_domain::access::allows(
                            &u.actor(),
                            guitu_domain::access::Permission::Restore,
                            &guitu_domain::access::Target::Vault,
                        )
                });
                if !allowed {
                    return Err(StoreError::RestoreDenied);
                }
            }
        }

        // The staged header: the backup's slots, a generation above both vaults'.
        let mut header = parsed.header.clone();
        header.generation = header
            .generation
            .max(current.as_ref().map_or(0, |c| c.header_generation))
            + 1;
        let header_bytes = header.to_bytes()?;
        let header_hash = hash_hex(&header_bytes);
        let file_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        {
            let tx = conn.transaction()?;
            meta_set(
                &tx,
                "header",
                &header_binding(header.generation, &header_hash),
            )?;
            tx.execute("DELETE FROM meta WHERE key = 'header_pending'", [])?;
            meta_set(&tx, "checkpointed", "1")?;
            audit::append(&tx, &actor, AuditAction::Restore, "vault", &file_name)?;
            tx.commit().map_err(|e| StoreError::Sql(e).in_vault(dir))?;
        }
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let head = audit_head(&conn)?.ok_or(bad(BackupProblem::AuditEmpty))?;
        conn.close()
            .map_err(|(_, e)| StoreError::Sql(e).in_vault(dir))?;
        for leftover in ["guitu.db-wal", "guitu.db-shm"] {
            let _ = fs::remove_file(staging.join(leftover));
        }
        let hpath = staging.join(HEADER_FILE);
        files::write_private(&hpath, &header_bytes).map_err(io(&hpath))?;
        let cp = Checkpoint::new(
            &key,
            header.vault_id,
            current.as_ref().map_or(0, |c| c.checkpoint_generation) + 1,
            &head,
            header.generation,
            &header_hash,
        )?;
        checkpoint::write(&staging, &cp)?;
        sync(&staging)?;

        // The switch is decided.
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S").to_string();
        let mut aside = format!("{ASIDE_PREFIX}{stamp}");
        let mut n = 1;
        while dir.join(&aside).exists() {
            n += 1;
            aside = format!("{ASIDE_PREFIX}{stamp}-{n}");
        }
        let journal = Journal {
            staging: staging_name,
            aside,
            discard_aside: false,
        };
        let jpath = dir.join(JOURNAL);
        files::write_private(&jpath, &serde_json::to_vec(&journal)?).map_err(io(&jpath))?;
        guard.armed = false;
        roll_forward(dir, &journal)?;
        drop(key);
        Vault::open_timed(dir, secret, SlotFilter::Passphrase)
            .or_else(|e| match e {
                StoreError::WrongPassphrase => Vault::open_timed(dir, secret, SlotFilter::Recovery),
                other => Err(other),
            })
            .map(|(v, _)| v)
    }
}
