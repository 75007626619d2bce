//! Opening, creating and re-keying the vault.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use crate::audit::{self, AuditAction, ChainReport};
use crate::keys::{self, DataKey, KdfParams, Secret, SlotFilter, SlotKind, VaultHeader};
use crate::{DB_FILE, HEADER_FILE, Result, StoreError, schema};

/// An open, unlocked vault. Dropping it closes the database and zeroes the key.
pub struct Vault {
    pub(crate) conn: Connection,
    dir: PathBuf,
    header: VaultHeader,
    key: DataKey,
    actor: String,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// How long unlocking took, split into key derivation and database open.
#[derive(Debug, Clone, Copy)]
pub struct OpenTiming {
    /// Argon2id derivation and slot unwrap.
    pub key_derivation: Duration,
    /// Opening and keying the SQLCipher database, checking it, migrating.
    pub open: Duration,
}

/// The result of `verify`.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    /// `PRAGMA cipher_integrity_check` found no damaged page.
    pub cipher_ok: bool,
    /// `PRAGMA integrity_check` says ok.
    pub integrity_ok: bool,
    /// Problems reported by the two checks (none when ok).
    pub problems: Vec<String>,
    /// Schema version of the vault and of this build.
    pub schema_version: i64,
    pub supported_version: i64,
    /// The audit chain.
    pub audit: ChainReport,
}

impl VerifyReport {
    /// True when every check passed.
    pub fn ok(&self) -> bool {
        self.cipher_ok
            && self.integrity_ok
            && self.schema_version == self.supported_version
            && self.audit.first_broken.is_none()
    }
}

fn io_err(path: &Path, source: std::io::Error) -> StoreError {
    if source.kind() == std::io::ErrorKind::PermissionDenied
        || source.kind() == std::io::ErrorKind::ReadOnlyFilesystem
    {
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

/// Opens (or creates) the SQLCipher database at `path` with the raw data key, checks the
/// key on the first statement, and sets the connection's pragmas.
pub(crate) fn open_connection(path: &Path, key: &DataKey, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::CannotOpen && !create =>
        {
            StoreError::NoVault(path.to_owned())
        }
        other => StoreError::Sql(other),
    })?;
    key_connection(&conn, key)?;
    Ok(conn)
}

/// Keys a fresh connection, probes the key and sets the pragmas every connection uses.
pub(crate) fn key_connection(conn: &Connection, key: &DataKey) -> Result<()> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let literal = key.sqlcipher_key_literal();
    let stmt = Zeroizing::new(format!("PRAGMA key = \"{}\";", literal.as_str()));
    conn.execute_batch(&stmt)?;
    // A wrong key is only detected at the first statement that reads the file.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            StoreError::Corrupt("the database does not open with the vault's key".into())
        }
        other => StoreError::Sql(other),
    })?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    Ok(())
}

fn user_of(header: &VaultHeader, slot_id: &str) -> String {
    header
        .slots
        .iter()
        .find(|s| s.id == slot_id)
        .map(|s| match &s.kind {
            SlotKind::Passphrase { user } => user.clone(),
            SlotKind::Recovery => "recovery".to_owned(),
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

impl Vault {
    /// Whether `dir` holds a vault (its header file).
    pub fn exists(dir: &Path) -> bool {
        dir.join(HEADER_FILE).is_file()
    }

    /// Creates a new vault in `dir` for `user`: a random data key, a passphrase slot and a
    /// recovery-code slot. Returns the vault and the recovery code, to be shown once.
    pub fn create(
        dir: &Path,
        user: &str,
        passphrase: &Secret,
        kdf: &KdfParams,
    ) -> Result<(Vault, Secret)> {
        keys::check_passphrase_strength(passphrase)?;
        if Self::exists(dir) || dir.join(DB_FILE).exists() {
            return Err(StoreError::VaultExists(dir.to_owned()));
        }
        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        let key = DataKey::generate()?;
        let mut header = VaultHeader::new(uuid::Uuid::now_v7());
        header.add_slot(
            SlotKind::Passphrase {
                user: user.to_owned(),
            },
            passphrase,
            kdf,
            &key,
        )?;
        let recovery = keys::generate_recovery_code()?;
        header.add_slot(SlotKind::Recovery, &recovery, kdf, &key)?;
        // The header first: it fails early on a directory that cannot be written.
        let header_path = dir.join(HEADER_FILE);
        header.save(&header_path)?;
        let db_path = dir.join(DB_FILE);
        let built = (|| -> Result<Connection> {
            let mut conn = open_connection(&db_path, &key, true)?;
            schema::migrate(&mut conn)?;
            Ok(conn)
        })();
        let conn = match built {
            Ok(c) => c,
            Err(e) => {
                // Leave no half-made vault behind.
                let _ = fs::remove_file(&db_path);
                let _ = fs::remove_file(&header_path);
                return Err(match e {
                    StoreError::Sql(rusqlite::Error::SqliteFailure(f, msg))
                        if f.code == rusqlite::ErrorCode::CannotOpen
                            || f.code == rusqlite::ErrorCode::ReadOnly =>
                    {
                        StoreError::NotWritable {
                            path: dir.to_owned(),
                            source: std::io::Error::other(msg.unwrap_or_default()),
                        }
                    }
                    other => other,
                });
            }
        };
        let mut vault = Vault {
            conn,
            dir: dir.to_owned(),
            header,
            key,
            actor: user.to_owned(),
        };
        vault.audit(AuditAction::VaultCreated, "vault", "")?;
        Ok((vault, recovery))
    }

    /// Opens the vault in `dir` with a passphrase. A wrong passphrase changes nothing on disk.
    pub fn open(dir: &Path, passphrase: &Secret) -> Result<Vault> {
        Self::open_timed(dir, passphrase, SlotFilter::Passphrase).map(|(v, _)| v)
    }

    /// Opens the vault with the recovery code.
    pub fn open_with_recovery(dir: &Path, code: &str) -> Result<Vault> {
        let code = keys::normalize_recovery_code(code);
        Self::open_timed(dir, &code, SlotFilter::Recovery).map(|(v, _)| v)
    }

    /// Opens the vault and reports how long key derivation and the open took.
    pub fn open_timed(
        dir: &Path,
        secret: &Secret,
        filter: SlotFilter,
    ) -> Result<(Vault, OpenTiming)> {
        let header_path = dir.join(HEADER_FILE);
        if !header_path.is_file() {
            return Err(StoreError::NoVault(dir.to_owned()));
        }
        let header = VaultHeader::load(&header_path)?;
        let t0 = Instant::now();
        let (key, slot_id) = header.unlock(secret, Some(filter))?;
        let key_derivation = t0.elapsed();
        let t1 = Instant::now();
        let vault = Self::open_with_key(dir, header, key, &slot_id)?;
        Ok((
            vault,
            OpenTiming {
                key_derivation,
                open: t1.elapsed(),
            },
        ))
    }

    fn open_with_key(
        dir: &Path,
        header: VaultHeader,
        key: DataKey,
        slot_id: &str,
    ) -> Result<Vault> {
        let db_path = dir.join(DB_FILE);
        if !db_path.is_file() {
            return Err(StoreError::NoVault(dir.to_owned()));
        }
        let mut conn = open_connection(&db_path, &key, false)?;
        // Refuse a newer vault before writing anything.
        let found = schema::version(&conn)?;
        if found > schema::SCHEMA_VERSION {
            return Err(StoreError::NewerVersion {
                found,
                supported: schema::SCHEMA_VERSION,
            });
        }
        schema::migrate(&mut conn)?;
        let actor = user_of(&header, slot_id);
        Ok(Vault {
            conn,
            dir: dir.to_owned(),
            header,
            key,
            actor,
        })
    }

    /// The user the vault was opened by; recorded in history and the audit trail.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The vault directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether a recovery-code slot exists.
    pub fn has_recovery(&self) -> bool {
        self.header.has_recovery_slot()
    }

    /// The users that have a passphrase slot.
    pub fn users(&self) -> Vec<String> {
        let mut users: Vec<String> = self
            .header
            .slots
            .iter()
            .filter_map(|s| match &s.kind {
                SlotKind::Passphrase { user } => Some(user.clone()),
                SlotKind::Recovery => None,
            })
            .collect();
        users.dedup();
        users
    }

    pub(crate) fn key(&self) -> &DataKey {
        &self.key
    }

    pub(crate) fn header(&self) -> &VaultHeader {
        &self.header
    }

    /// Replaces `user`'s passphrase (this vault's user when `None`). Only the key slot is
    /// rewritten; the database is not re-encrypted.
    pub fn change_passphrase(
        &mut self,
        user: Option<&str>,
        new: &Secret,
        kdf: &KdfParams,
    ) -> Result<()> {
        keys::check_passphrase_strength(new)?;
        let user = user
            .map(str::to_owned)
            .unwrap_or_else(|| self.actor.clone());
        let mut header = self.header.clone();
        header.replace_passphrase(&user, new, kdf, &self.key)?;
        header.save(&self.dir.join(HEADER_FILE))?;
        self.header = header;
        self.audit(AuditAction::PassphraseChanged, &format!("user:{user}"), "")?;
        Ok(())
    }

    /// Replaces the recovery code with a new one, shown once.
    pub fn new_recovery_code(&mut self, kdf: &KdfParams) -> Result<Secret> {
        let code = keys::generate_recovery_code()?;
        let mut header = self.header.clone();
        let old: Vec<String> = header
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Recovery)
            .map(|s| s.id.clone())
            .collect();
        header.add_slot(SlotKind::Recovery, &code, kdf, &self.key)?;
        for id in old {
            header.remove_slot(&id)?;
        }
        header.save(&self.dir.join(HEADER_FILE))?;
        self.header = header;
        self.audit(AuditAction::RecoveryCodeReplaced, "vault", "")?;
        Ok(code)
    }

    /// Appends an audit entry (see `audit`).
    pub fn audit(&mut self, action: AuditAction, target: &str, detail: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        audit::append(&tx, &self.actor, action, target, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// SQLCipher integrity, schema version and the audit chain.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA cipher_integrity_check")?;
        let cipher: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        let cipher_ok = cipher.is_empty();
        problems.extend(cipher);
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let integrity: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        let integrity_ok = integrity.len() == 1 && integrity[0] == "ok";
        if !integrity_ok {
            problems.extend(integrity);
        }
        Ok(VerifyReport {
            cipher_ok,
            integrity_ok,
            problems,
            schema_version: schema::version(&self.conn)?,
            supported_version: schema::SCHEMA_VERSION,
            audit: audit::verify_chain(&self.conn)?,
        })
    }
}

/// Replaces a user's passphrase using the recovery code, without the old passphrase.
pub fn recover(
    dir: &Path,
    code: &str,
    user: Option<&str>,
    new: &Secret,
    kdf: &KdfParams,
) -> Result<Vault> {
    let mut vault = Vault::open_with_recovery(dir, code)?;
    let user = match user {
        Some(u) => u.to_owned(),
        None => vault
            .users()
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound {
                kind: "user",
                id: "-".into(),
            })?,
    };
    vault.change_passphrase(Some(&user), new, kdf)?;
    vault.actor = user;
    Ok(vault)
}
