//! Backup to one encrypted file, and the parser of that file (restore.rs restores it).
//!
//! A backup file is: the magic line, the vault header (key slots: only wrapped keys),
//! the database exported with `sqlcipher_export` under the same data key, and a SHA-256
//! of everything before it. The backup API cannot write an encrypted database into an
//! unkeyed one, hence the export. Nothing in the file is readable without a passphrase
//! or the recovery code of the vault it came from.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::audit::AuditAction;
use crate::keys::VaultHeader;
use guitu_text::BackupProblem;

use crate::{Result, StoreError, Vault, files, schema};

const MAGIC: &[u8; 16] = b"GUITU-BACKUP-v1\n";

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| crate::vault::io_err(path, source)
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

/// A backup file, parsed and checked (not yet decrypted).
#[derive(Debug)]
pub struct ParsedBackup<'a> {
    /// The vault header inside, validated like a `vault.json` (format, slots, duplicate
    /// slot ids, key-derivation bounds).
    pub header: VaultHeader,
    /// The encrypted database.
    pub db: &'a [u8],
}

/// Parses a backup file: magic, checksum, length fields (never trusted), header, database,
/// and nothing after it. Refusals are [`StoreError::BadBackup`] (or the header's own
/// errors). Public for the fuzz target (fuzz/).
pub fn parse_backup(bytes: &[u8]) -> Result<ParsedBackup<'_>> {
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
    let header = VaultHeader::from_bytes(take(&mut at, hlen)?).map_err(|e| match e {
        StoreError::HeaderCorrupt(_) => bad(BackupProblem::Header),
        other => other,
    })?;
    let dlen = u64::from_le_bytes(
        take(&mut at, 8)?
            .try_into()
            .map_err(|_| bad(BackupProblem::Truncated))?,
    );
    let db = take(
        &mut at,
        usize::try_from(dlen).map_err(|_| bad(BackupProblem::Truncated))?,
    )?;
    if at != body.len() {
        return Err(bad(BackupProblem::TrailingData));
    }
    Ok(ParsedBackup { header, db })
}

impl Vault {
    /// Writes an encrypted backup of the whole vault to `file` (atomically, 0600), then
    /// records it in the audit trail and advances the checkpoint.
    pub fn backup(&mut self, file: &Path) -> Result<u64> {
        let dir = self.dir().to_owned();
        self.backup_inner(file).map_err(|e| e.in_vault(&dir))
    }

    fn backup_inner(&mut self, file: &Path) -> Result<u64> {
        let scratch = Scratch(scratch_path(self.dir(), "backup"));
        {
            // ATTACH uses the main connection's open flags, which do not create files:
            // an empty file is a valid empty database for the export to fill.
            drop(files::create_new_private(&scratch.0).map_err(io(&scratch.0))?);
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
        files::write_private(file, &out).map_err(|e| io(file)(e).in_vault(self.dir()))?;
        self.audit(
            AuditAction::Backup,
            "vault",
            &format!("{} bytes", out.len()),
        )?;
        Ok(out.len() as u64)
    }
}
