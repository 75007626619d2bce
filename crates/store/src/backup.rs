//! Backup to one encrypted file, and restore from it (verified before it replaces anything).
//!
//! A backup file is: the magic line, the vault header (key slots: only wrapped keys),
//! the database exported with `sqlcipher_export` under the same data key, and a SHA-256
//! of everything before it. The backup API cannot write an encrypted database into an
//! unkeyed one, hence the export. Nothing in the file is readable without a passphrase
//! or the recovery code of the vault it came from.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::audit::{self, AuditAction};
use crate::keys::{Secret, VaultHeader};
use crate::vault::open_connection;
use guitu_text::BackupProblem;

use crate::{DB_FILE, HEADER_FILE, Result, StoreError, Vault, schema};

const MAGIC: &[u8; 16] = b"GUITU-BACKUP-v1\n";

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| {
        if source.kind() == std::io::ErrorKind::PermissionDenied {
            StoreError::NotWritable {
                path: path.to_owned(),
                source,
            }
        } else {
            StoreError::Io {
                path: path.to_owned(),
                source,
            }
        }
    }
}

fn scratch_path(dir: &Path, what: &str) -> PathBuf {
    dir.join(format!(".{what}-{}.db", uuid::Uuid::now_v7()))
}

fn remove_db_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
}

/// Removes a scratch database when dropped, whatever happened.
struct Scratch(PathBuf);
impl Drop for Scratch {
    fn drop(&mut self) {
        remove_db_files(&self.0);
    }
}

impl Vault {
    /// Writes an encrypted backup of the whole vault to `file` (atomically).
    pub fn backup(&mut self, file: &Path) -> Result<u64> {
        let scratch = Scratch(scratch_path(self.dir(), "backup"));
        {
            // ATTACH uses the main connection's open flags, which do not create files:
            // an empty file is a valid empty database for the export to fill.
            File::create(&scratch.0).map_err(io(&scratch.0))?;
            let literal = self.key().sqlcipher_key_literal();
            let path = scratch.0.to_string_lossy().replace('\'', "''");
            let attach = Zeroizing::new(format!(
                "ATTACH DATABASE '{path}' AS bk KEY \"{}\";",
                literal.as_str()
            ));
            self.conn.execute_batch(&attach)?;
            let exported = self
                .conn
                .query_row("SELECT sqlcipher_export('bk')", [], |_| Ok(()))
                .and_then(|()| {
                    self.conn
                        .pragma_update(Some("bk"), "user_version", schema::SCHEMA_VERSION)
                });
            let detached = self.conn.execute_batch("DETACH DATABASE bk;");
            exported?;
            detached?;
        }
        let db = fs::read(&scratch.0).map_err(io(&scratch.0))?;
        let header = serde_json::to_vec(self.header())?;
        let mut out = Vec::with_capacity(db.len() + header.len() + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(
            &u32::try_from(header.len())
                .map_err(|_| StoreError::Corrupt("header too large".into()))?
                .to_le_bytes(),
        );
        out.extend_from_slice(&header);
        out.extend_from_slice(&(db.len() as u64).to_le_bytes());
        out.extend_from_slice(&db);
        let digest = Sha256::digest(&out);
        out.extend_from_slice(&digest);
        let tmp = file.with_extension(format!("tmp-{}", uuid::Uuid::now_v7()));
        let written = (|| -> std::io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(&out)?;
            f.sync_all()?;
            fs::rename(&tmp, file)
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(io(file)(e));
        }
        self.audit(
            AuditAction::Backup,
            "vault",
            &format!("{} bytes", out.len()),
        )?;
        Ok(out.len() as u64)
    }

    /// Restores the backup `file` into `dir` after verifying it (checksum, key, SQLCipher
    /// and SQLite integrity, schema version, audit chain). The vault it replaces is kept
    /// beside it as `guitu.db.before-restore-<time>` (with its WAL, if one was left behind),
    /// its header as `vault.json.before-restore-<time>`. Close any open vault of `dir` first.
    pub fn restore(dir: &Path, file: &Path, secret: &Secret) -> Result<Vault> {
        let mut bytes = Vec::new();
        File::open(file)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(io(file))?;
        let bad = StoreError::BadBackup;
        if bytes.len() < MAGIC.len() + 4 + 8 + 32 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(bad(BackupProblem::NotBackup));
        }
        let (body, digest) = bytes.split_at(bytes.len() - 32);
        if Sha256::digest(body).as_slice() != digest {
            return Err(bad(BackupProblem::Checksum));
        }
        let mut at = MAGIC.len();
        let take = |at: &mut usize, n: usize| -> Result<&[u8]> {
            // A length field is not trusted: it may point past the end (or overflow).
            let end = at.checked_add(n).ok_or(bad(BackupProblem::Truncated))?;
            let s = body.get(*at..end).ok_or(bad(BackupProblem::Truncated))?;
            *at = end;
            Ok(s)
        };
        let hlen = u32::from_le_bytes(
            take(&mut at, 4)?
                .try_into()
                .map_err(|_| bad(BackupProblem::Truncated))?,
        ) as usize;
        let header: VaultHeader =
            serde_json::from_slice(take(&mut at, hlen)?).map_err(|_| bad(BackupProblem::Header))?;
        let dlen = u64::from_le_bytes(
            take(&mut at, 8)?
                .try_into()
                .map_err(|_| bad(BackupProblem::Truncated))?,
        );
        let db = take(
            &mut at,
            usize::try_from(dlen).map_err(|_| bad(BackupProblem::Truncated))?,
        )?;
        let (key, _slot) = header.unlock(secret, None)?;

        fs::create_dir_all(dir).map_err(io(dir))?;
        let scratch = Scratch(scratch_path(dir, "restore"));
        fs::write(&scratch.0, db).map_err(io(&scratch.0))?;
        {
            let conn = open_connection(&scratch.0, &key, false)
                .map_err(|_| bad(BackupProblem::DatabaseOpen))?;
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
        }
        // Verified: move the old vault aside, then put the restored one in place.
        let db_path = dir.join(DB_FILE);
        let header_path = dir.join(HEADER_FILE);
        // A name no earlier restore used: a second restore in the same second must not
        // overwrite the first kept copy.
        let base = chrono::Utc::now().format("%Y%m%dT%H%M%S").to_string();
        let mut stamp = base.clone();
        let mut n = 1;
        while dir
            .join(format!("{DB_FILE}.before-restore-{stamp}"))
            .exists()
            || dir
                .join(format!("{HEADER_FILE}.before-restore-{stamp}"))
                .exists()
        {
            n += 1;
            stamp = format!("{base}-{n}");
        }
        if db_path.exists() {
            let aside = dir.join(format!("{DB_FILE}.before-restore-{stamp}"));
            fs::rename(&db_path, &aside).map_err(io(&db_path))?;
            // The WAL may hold committed transactions not yet checkpointed (after a
            // crash): it moves with the database, under the name SQLite looks for.
            let wal = dir.join(format!("{DB_FILE}-wal"));
            if wal.exists() {
                let wal_aside = dir.join(format!("{DB_FILE}.before-restore-{stamp}-wal"));
                fs::rename(&wal, &wal_aside).map_err(io(&wal))?;
            }
            let _ = fs::remove_file(dir.join(format!("{DB_FILE}-shm")));
        }
        if header_path.exists() {
            let aside = dir.join(format!("{HEADER_FILE}.before-restore-{stamp}"));
            fs::rename(&header_path, &aside).map_err(io(&header_path))?;
        }
        fs::rename(&scratch.0, &db_path).map_err(io(&db_path))?;
        header.save(&header_path)?;
        let mut vault = Vault::open_timed(dir, secret, crate::keys::SlotFilter::Passphrase)
            .or_else(|_| Vault::open_timed(dir, secret, crate::keys::SlotFilter::Recovery))?
            .0;
        vault.audit(
            AuditAction::Restore,
            "vault",
            &file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )?;
        Ok(vault)
    }
}
