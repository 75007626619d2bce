//! Opening, creating and re-keying the vault, and the checks that bind its three files
//! together (database, header, checkpoint).
//!
//! Only [`Vault::create`] ever makes a database: an open finds `guitu.db` missing or
//! empty → [`StoreError::DatabaseMissing`] / [`StoreError::DatabaseEmpty`], never a
//! fresh schema keyed into an empty file.
//!
//! The header is bound to the database: the database's `meta` row `header` holds the
//! generation and SHA-256 of the `vault.json` it belongs to. A header change (passphrase,
//! recovery code) runs: (1) `header_pending` = the new header's generation and hash,
//! committed; (2) the new `vault.json` written atomically; (3) `header` = the new one,
//! `header_pending` cleared, the audit entry, committed; (4) the checkpoint. An open
//! accepts the header named by `header`, or the one named by `header_pending` (a crash
//! between (2) and (3): the change is finished then), and nothing else: an older
//! `vault.json` put back after a passphrase change is refused
//! ([`StoreError::HeaderRolledBack`]), so the revoked passphrase no longer opens
//! today's data through Guitu.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::audit::{self, AuditAction, ChainReport};
use crate::checkpoint::{self, CHECK_FILE, Checkpoint, Head};
use crate::keys::{self, DataKey, KdfParams, Secret, SlotFilter, SlotKind, VaultHeader};
use crate::users::{self, User};
use crate::{DB_FILE, HEADER_FILE, Result, StoreError, files, restore, schema};

/// An open, unlocked vault. Dropping it closes the database and zeroes the key.
pub struct Vault {
    pub(crate) conn: Connection,
    dir: PathBuf,
    header: VaultHeader,
    /// SHA-256 (hex) of the `vault.json` bytes this vault was opened with or wrote.
    header_hash: String,
    key: DataKey,
    actor: String,
    /// The checkpoint last read or written.
    checkpoint: Option<Checkpoint>,
    /// The database says a checkpoint was written (meta `checkpointed`).
    checkpointed: bool,
    /// Whether the checks of open passed: only then may the checkpoint be advanced.
    trusted: bool,
    /// Write the checkpoint after every commit (see docs/RELIABILITY.md for the cost).
    checkpoint_each_commit: bool,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Drop for Vault {
    /// Closing advances the checkpoint (best effort: a full disk must not turn a close
    /// into a failure; the next open advances it then).
    fn drop(&mut self) {
        if self.trusted {
            let _ = self.write_checkpoint();
        }
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
    /// What the comparison with the checkpoint (`vault.check`) found wrong, if anything
    /// (changes missing, another history, header replaced, checkpoint missing or forged).
    pub checkpoint_problem: Option<std::sync::Arc<StoreError>>,
    /// Generation of the checkpoint the database was compared with.
    pub checkpoint_generation: u64,
}

impl VerifyReport {
    /// True when every check passed.
    pub fn ok(&self) -> bool {
        self.cipher_ok
            && self.integrity_ok
            && self.schema_version == self.supported_version
            && self.audit.first_broken.is_none()
            && self.checkpoint_problem.is_none()
    }
}

/// A header change under way (meta `header_pending`), see the module documentation.
#[derive(Debug, Serialize, Deserialize)]
struct PendingHeader {
    generation: u64,
    hash: String,
    action: String,
    target: String,
    /// A user added with the new header: their row is written with it, also when an
    /// open finishes the change after a crash.
    #[serde(default)]
    user: Option<User>,
}

/// An I/O error at `path`, typed: a folder or file Guitu may not write (permission,
/// read-only file system) is `NotWritable`, anything else `Io`.
pub(crate) fn io_err(path: &Path, source: std::io::Error) -> StoreError {
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

/// Like `io_err`, for `create_dir_all`. It makes missing parents itself, so "not found"
/// there means a file system that refuses new entries in an existing directory (procfs
/// does this instead of EACCES): the place cannot be written.
fn create_dir_err(dir: &Path, source: std::io::Error) -> StoreError {
    let parent_exists = dir
        .ancestors()
        .skip(1)
        .find(|a| a.exists())
        .is_some_and(Path::is_dir);
    if source.kind() == std::io::ErrorKind::NotFound && parent_exists {
        StoreError::NotWritable {
            path: dir.to_owned(),
            source,
        }
    } else {
        io_err(dir, source)
    }
}

/// Waits, once per process, until SQLCipher has finished its process-wide set-up.
///
/// SQLite marks itself initialised and releases its init mutex *before* it runs
/// SQLCipher's `sqlcipher_extra_init` (crypto provider, then registration of
/// `sqlcipher_export` as an auto-extension). A connection another thread opens in that
/// window fails `PRAGMA key` or lacks `sqlcipher_export` (backups then fail with "no
/// such function"). Seen with parallel tests; a desktop app opening a vault while another
/// thread opens its first connection could hit it too. So the first open in this process
/// waits until a fresh connection has the export function, the last thing set up.
fn ensure_sqlcipher_ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        for _ in 0..2000 {
            let ready = Connection::open_in_memory()
                .and_then(|c| c.prepare("SELECT sqlcipher_export('main')").map(drop))
                .is_ok();
            if ready {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// The folder a database file is in, for error messages.
fn dir_of(path: &Path) -> PathBuf {
    files::parent_of(path)
}

/// Opens the SQLCipher database at `path` with the raw data key, checks the key on the
/// first statement, and sets the connection's pragmas. With `create` false the file must
/// exist and hold a schema: an empty file is refused before anything is written to it.
pub(crate) fn open_connection(path: &Path, key: &DataKey, create: bool) -> Result<Connection> {
    match open_connection_with(path, key, create, false) {
        // On a full disk SQLite cannot grow the shared-memory file (`-shm`) a WAL reader
        // needs. In exclusive locking mode the WAL index lives in this process's memory
        // instead: the vault opens for reading (and no other process can open it meanwhile).
        Err(StoreError::DiskFull { .. }) if !create => {
            open_connection_with(path, key, create, true)
        }
        other => other,
    }
}

fn open_connection_with(
    path: &Path,
    key: &DataKey,
    create: bool,
    exclusive: bool,
) -> Result<Connection> {
    ensure_sqlcipher_ready();
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::CannotOpen && !create =>
        {
            StoreError::DatabaseMissing { dir: dir_of(path) }
        }
        other => StoreError::Sql(other).in_vault(&dir_of(path)),
    })?;
    if exclusive {
        // Before the key is checked: the check is the first read.
        conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE;")?;
    }
    let objects = key_connection(&conn, key).map_err(|e| e.in_vault(&dir_of(path)))?;
    if !create && objects == 0 {
        return Err(StoreError::DatabaseEmpty { dir: dir_of(path) });
    }
    set_pragmas(&conn)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Keys a fresh connection and probes the key; returns the number of schema objects.
pub(crate) fn key_connection(conn: &Connection, key: &DataKey) -> Result<i64> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let literal = key.sqlcipher_key_literal();
    let stmt = Zeroizing::new(format!("PRAGMA key = \"{}\";", literal.as_str()));
    conn.execute_batch(&stmt)?;
    // A wrong key is only detected at the first statement that reads the file.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::NotADatabase
                || f.code == rusqlite::ErrorCode::DatabaseCorrupt =>
        {
            StoreError::Corrupt("the database does not open with the vault's key".into())
        }
        other => StoreError::Sql(other),
    })
}

/// The pragmas every connection uses. `synchronous = FULL`: in WAL mode every commit is
/// fsynced before it is acknowledged, so a power cut loses nothing that was reported
/// saved (NORMAL could lose the last commits; the measured cost is in
/// docs/RELIABILITY.md).
pub(crate) fn set_pragmas(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -65536;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    Ok(())
}

/// Meta key marking a training vault.
const TRAINING_KEY: &str = "training";
/// HKDF purpose of [`Vault::training_secret`].
const TRAINING_PURPOSE: &[u8] = b"guitu training vault v1";

pub(crate) fn user_of(header: &VaultHeader, slot_id: &str) -> String {
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

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// `<generation>:<sha256 hex>` of a header, as kept in meta `header`.
pub(crate) fn header_binding(generation: u64, hash: &str) -> String {
    format!("{generation}:{hash}")
}

fn parse_binding(s: &str) -> (u64, &str) {
    match s.split_once(':') {
        Some((g, h)) => (g.parse().unwrap_or(0), h),
        None => (0, s),
    }
}

/// The newest audit entry (`None` for an empty trail).
pub(crate) fn audit_head(conn: &Connection) -> Result<Option<Head>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok(Head {
                    seq: r.get(0)?,
                    hash: r.get(1)?,
                    at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Sets the files of an existing vault to 0600 and its folder to 0700 (vaults made by
/// earlier versions were world-readable). Best effort: a read-only medium still opens.
fn harden_permissions(dir: &Path) {
    let _ = files::set_private_dir(dir);
    for name in [
        DB_FILE,
        HEADER_FILE,
        CHECK_FILE,
        "guitu.db-wal",
        "guitu.db-shm",
    ] {
        let p = dir.join(name);
        if p.exists() {
            let _ = files::set_private_file(&p);
        }
    }
}

impl Vault {
    /// Whether `dir` holds a vault (its header file, or a restore being switched in).
    pub fn exists(dir: &Path) -> bool {
        dir.join(HEADER_FILE).is_file() || restore::switch_pending(dir)
    }

    /// Creates a new vault in `dir` for `user`: a random data key, a passphrase slot and a
    /// recovery-code slot. Returns the vault and the recovery code, to be shown once.
    pub fn create(
        dir: &Path,
        user: &str,
        passphrase: &Secret,
        kdf: &KdfParams,
    ) -> Result<(Vault, Secret)> {
        Self::create_marked(dir, user, passphrase, kdf, false)
    }

    /// Creates a **training vault** in `dir`: a vault like any other, marked in its
    /// encrypted database as holding made-up cases for practice (meta `training`, set in
    /// the creation transaction, its audit entry says so). Demo data goes only into such a
    /// vault, and the front ends show the mark on every screen.
    pub fn create_training(
        dir: &Path,
        user: &str,
        passphrase: &Secret,
        kdf: &KdfParams,
    ) -> Result<(Vault, Secret)> {
        Self::create_marked(dir, user, passphrase, kdf, true)
    }

    /// Whether this is a training vault ([`Vault::create_training`]).
    pub fn is_training(&self) -> Result<bool> {
        Ok(meta_get(&self.conn, TRAINING_KEY)?.is_some_and(|v| v == "1"))
    }

    /// The secret that opens this vault's training vault: derived from the data key
    /// (HKDF, salted with the vault id), so whoever can unlock this vault can open its
    /// training vault, no passphrase is stored anywhere, and this vault is not written.
    /// 64 hex characters.
    pub fn training_secret(&self) -> Secret {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let k = self.key.derive(&self.header.vault_id, TRAINING_PURPOSE);
        let mut s = String::with_capacity(64);
        for b in k.iter() {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        Secret::new(s)
    }

    fn create_marked(
        dir: &Path,
        user: &str,
        passphrase: &Secret,
        kdf: &KdfParams,
        training: bool,
    ) -> Result<(Vault, Secret)> {
        keys::check_passphrase_strength(passphrase)?;
        if Self::exists(dir) || dir.join(DB_FILE).exists() {
            return Err(StoreError::VaultExists(dir.to_owned()));
        }
        files::create_private_dir_all(dir).map_err(|e| create_dir_err(dir, e))?;
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
        let header_hash = header.save(&header_path).map_err(|e| e.in_vault(dir))?;
        let db_path = dir.join(DB_FILE);
        let built = (|| -> Result<Connection> {
            // Made 0600 before SQLite opens it: SQLite gives -wal and -shm its mode.
            drop(files::create_new_private(&db_path).map_err(|e| io_err(&db_path, e))?);
            let mut conn = open_connection(&db_path, &key, true)?;
            schema::migrate(&mut conn)?;
            let tx = conn.transaction()?;
            meta_set(
                &tx,
                "header",
                &header_binding(header.generation, &header_hash),
            )?;
            if training {
                meta_set(&tx, TRAINING_KEY, "1")?;
            }
            let detail = if training { "training" } else { "" };
            audit::append(&tx, user, AuditAction::VaultCreated, "vault", detail)?;
            // The first user of a new vault is its administrator (and supervisor).
            users::insert(
                &tx,
                &User {
                    name: user.to_owned(),
                    roles: users::FIRST_USER_ROLES.to_vec(),
                    institution: None,
                    disabled: false,
                },
                user,
            )?;
            tx.commit()?;
            // Everything into the main file, so it is never empty after `create`.
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(conn)
        })();
        let conn = match built {
            Ok(c) => c,
            Err(e) => {
                // Leave no half-made vault behind.
                for name in [DB_FILE, "guitu.db-wal", "guitu.db-shm", HEADER_FILE] {
                    let _ = fs::remove_file(dir.join(name));
                }
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
                    other => other.in_vault(dir),
                });
            }
        };
        let mut vault = Vault {
            conn,
            dir: dir.to_owned(),
            header,
            header_hash,
            key,
            actor: user.to_owned(),
            checkpoint: None,
            checkpointed: false,
            trusted: true,
            checkpoint_each_commit: true,
        };
        vault.write_checkpoint()?;
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

    /// Opens the vault as `user` with their passphrase: only that user's slots are tried.
    pub fn open_as(dir: &Path, user: &str, passphrase: &Secret) -> Result<Vault> {
        Self::open_timed_as(dir, user, passphrase).map(|(v, _)| v)
    }

    /// [`Vault::open_as`], with the time split into key derivation and open.
    pub fn open_timed_as(
        dir: &Path,
        user: &str,
        passphrase: &Secret,
    ) -> Result<(Vault, OpenTiming)> {
        Self::open_unlocking(dir, passphrase, |h| h.unlock_as(user, passphrase))
    }

    /// The users who can unlock the vault in `dir` (from its header: no secret needed).
    pub fn slot_users_of(dir: &Path) -> Result<Vec<String>> {
        restore::finish_interrupted(dir)?;
        let header_path = dir.join(HEADER_FILE);
        if !header_path.is_file() {
            return Err(StoreError::NoVault(dir.to_owned()));
        }
        Ok(VaultHeader::load(&header_path)?.slot_users())
    }

    /// Opens the vault and reports how long key derivation and the open took.
    pub fn open_timed(
        dir: &Path,
        secret: &Secret,
        filter: SlotFilter,
    ) -> Result<(Vault, OpenTiming)> {
        Self::open_unlocking(dir, secret, |h| h.unlock(secret, Some(filter)))
    }

    fn open_unlocking(
        dir: &Path,
        secret: &Secret,
        unlock: impl FnOnce(&VaultHeader) -> Result<(DataKey, String)>,
    ) -> Result<(Vault, OpenTiming)> {
        // A restore interrupted while it switched the files is finished first.
        restore::finish_interrupted(dir)?;
        let header_path = dir.join(HEADER_FILE);
        if !header_path.is_file() {
            return Err(StoreError::NoVault(dir.to_owned()));
        }
        let (header, header_hash) = VaultHeader::load_with_hash(&header_path)?;
        let t0 = Instant::now();
        let (key, slot_id) = unlock(&header)?;
        let key_derivation = t0.elapsed();
        let t1 = Instant::now();
        let mut vault = Self::open_with_key(dir, header, header_hash, key, &slot_id)?;
        // A slot made before slots were sealed is renewed with the secret that opened it,
        // so that a later re-key can carry this user over (on a full disk, at a later open).
        match vault.upgrade_unsealed_slot(&slot_id, secret) {
            Err(e) if e.is_disk_full() => {}
            other => other?,
        }
        Ok((
            vault,
            OpenTiming {
                key_derivation,
                open: t1.elapsed(),
            },
        ))
    }

    pub(crate) fn open_with_key(
        dir: &Path,
        header: VaultHeader,
        header_hash: String,
        key: DataKey,
        slot_id: &str,
    ) -> Result<Vault> {
        let db_path = dir.join(DB_FILE);
        let db_len = match fs::metadata(&db_path) {
            Ok(m) if m.is_file() => m.len(),
            Ok(_) => {
                return Err(StoreError::DatabaseMissing {
                    dir: dir.to_owned(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::DatabaseMissing {
                    dir: dir.to_owned(),
                });
            }
            Err(e) => return Err(io_err(&db_path, e)),
        };
        let wal_len = fs::metadata(dir.join("guitu.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
        if db_len == 0 && wal_len == 0 {
            // Never key an empty file: SQLite would take it for an empty database.
            return Err(StoreError::DatabaseEmpty {
                dir: dir.to_owned(),
            });
        }
        harden_permissions(dir);
        let mut conn = open_connection(&db_path, &key, false)?;
        // Refuse a newer vault before writing anything.
        let found = schema::version(&conn)?;
        if found > schema::SCHEMA_VERSION {
            return Err(StoreError::NewerVersion {
                found,
                supported: schema::SCHEMA_VERSION,
            });
        }
        schema::migrate(&mut conn).map_err(|e| e.in_vault(dir))?;
        let checkpointed = meta_get(&conn, "checkpointed")
            .map_err(|e| corrupt_or(e, dir))?
            .is_some();
        let actor = user_of(&header, slot_id);
        let mut vault = Vault {
            conn,
            dir: dir.to_owned(),
            header,
            header_hash,
            key,
            actor,
            checkpoint: None,
            checkpointed,
            trusted: false,
            checkpoint_each_commit: true,
        };
        vault.check_header_binding()?;
        vault.check_checkpoint()?;
        vault.trusted = true;
        // A vault made before users had roles: its slot users get a row (on a full disk
        // it opens for reading, and the rows come at a later open).
        match vault.adopt_slot_users() {
            Err(e) if e.is_disk_full() => {}
            other => other?,
        }
        // Advance the checkpoint if the database is ahead (a crash after a commit). On a
        // full disk the vault still opens, for reading.
        match vault.write_checkpoint() {
            Err(e) if e.is_disk_full() => {}
            other => other?,
        }
        Ok(vault)
    }

    /// Compares the header this vault was opened with against the one the database
    /// names, and finishes or forgets an interrupted header change.
    fn check_header_binding(&mut self) -> Result<()> {
        let dir = self.dir.clone();
        let stored = meta_get(&self.conn, "header").map_err(|e| corrupt_or(e, &dir))?;
        let pending: Option<PendingHeader> =
            meta_get(&self.conn, "header_pending")?.and_then(|s| serde_json::from_str(&s).ok());
        let current = header_binding(self.header.generation, &self.header_hash);
        match (stored, pending) {
            // A vault made before the binding existed: adopt the header it has.
            (None, None) => {
                let tx = self.conn.transaction()?;
                meta_set(&tx, "header", &current)?;
                tx.commit()
                    .map_err(|e| StoreError::Sql(e).in_vault(&dir))
                    .or_else(|e| if e.is_disk_full() { Ok(()) } else { Err(e) })?;
            }
            (Some(s), pending) if parse_binding(&s).1 == self.header_hash => {
                if pending.is_some() {
                    // The new header never replaced this one: the change did not happen.
                    self.conn
                        .execute("DELETE FROM meta WHERE key = 'header_pending'", [])?;
                }
            }
            (_, Some(p)) if p.hash == self.header_hash => {
                // A crash after the new header was written and before the database
                // recorded it: finish the change.
                let action = match p.action.as_str() {
                    "recovery_code_replaced" => AuditAction::RecoveryCodeReplaced,
                    "restore" => AuditAction::Restore,
                    "user_added" => AuditAction::UserAdded,
                    "key_slot_renewed" => AuditAction::KeySlotRenewed,
                    _ => AuditAction::PassphraseChanged,
                };
                let tx = self.conn.transaction()?;
                meta_set(&tx, "header", &current)?;
                tx.execute("DELETE FROM meta WHERE key = 'header_pending'", [])?;
                if let Some(u) = &p.user {
                    users::insert(&tx, u, &self.actor)?;
                }
                audit::append(&tx, &self.actor, action, &p.target, "")?;
                tx.commit()?;
            }
            (stored, _) => {
                let expected = stored.as_deref().map(|s| parse_binding(s).0).unwrap_or(0);
                return Err(StoreError::HeaderRolledBack {
                    dir,
                    found: self.header.generation,
                    expected,
                });
            }
        }
        Ok(())
    }

    /// Compares the database with the checkpoint beside it (see checkpoint.rs).
    fn check_checkpoint(&mut self) -> Result<()> {
        let dir = self.dir.clone();
        let cp = checkpoint::read(&dir, &self.key, self.header.vault_id)?;
        let Some(cp) = cp else {
            if self.checkpointed {
                return Err(StoreError::CheckpointMissing { dir });
            }
            // A vault made before checkpoints existed: the first one is written now.
            return Ok(());
        };
        let head = audit_head(&self.conn)
            .map_err(|e| corrupt_or(e, &dir))?
            .unwrap_or(Head {
                seq: 0,
                hash: String::new(),
                at: String::new(),
            });
        if head.seq < cp.audit_seq {
            return Err(StoreError::ChangesMissing {
                dir,
                missing: u64::try_from(cp.audit_seq - head.seq).unwrap_or(0),
                found: head.seq,
                expected: cp.audit_seq,
                last_known_at: cp.audit_at.clone(),
            });
        }
        let hash_there: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM audit WHERE seq = ?1",
                [cp.audit_seq],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| corrupt_or(StoreError::Sql(e), &dir))?;
        if cp.audit_seq > 0 && hash_there.as_deref() != Some(cp.audit_hash.as_str()) {
            return Err(StoreError::HistoryDiverged {
                dir,
                seq: cp.audit_seq,
            });
        }
        if cp.header_generation > self.header.generation
            || (cp.header_generation == self.header.generation
                && cp.header_hash != self.header_hash)
        {
            return Err(StoreError::HeaderRolledBack {
                dir,
                found: self.header.generation,
                expected: cp.header_generation,
            });
        }
        self.checkpoint = Some(cp);
        Ok(())
    }

    /// Writes the checkpoint if the database or the header moved since the last one.
    pub(crate) fn write_checkpoint(&mut self) -> Result<()> {
        let Some(head) = audit_head(&self.conn)? else {
            return Ok(());
        };
        if self
            .checkpoint
            .as_ref()
            .is_some_and(|cp| cp.describes(&head, &self.header_hash))
            && self.checkpointed
        {
            return Ok(());
        }
        let generation = self.checkpoint.as_ref().map_or(0, |c| c.generation) + 1;
        let cp = Checkpoint::new(
            &self.key,
            self.header.vault_id,
            generation,
            &head,
            self.header.generation,
            &self.header_hash,
        )?;
        checkpoint::write(&self.dir, &cp)?;
        self.checkpoint = Some(cp);
        if !self.checkpointed {
            // From now on a missing checkpoint is an error (written after the file, so a
            // crash in between is not taken for a deleted checkpoint).
            meta_set(&self.conn, "checkpointed", "1").map_err(|e| e.in_vault(&self.dir))?;
            self.checkpointed = true;
        }
        Ok(())
    }

    /// Called after every commit of a change: advances the checkpoint (unless turned
    /// off for a measurement). A failure here does not undo the commit: the database is
    /// then ahead of the checkpoint, which the next open or close repairs.
    pub(crate) fn after_commit(&mut self) {
        if self.checkpoint_each_commit {
            let _ = self.write_checkpoint();
        }
    }

    /// For measurements only (docs/RELIABILITY.md): checkpoint after every commit or
    /// only at close, and `synchronous` FULL or NORMAL.
    #[doc(hidden)]
    pub fn tune_for_measurement(
        &mut self,
        checkpoint_each_commit: bool,
        sync_full: bool,
    ) -> Result<()> {
        self.checkpoint_each_commit = checkpoint_each_commit;
        self.conn.pragma_update(
            None,
            "synchronous",
            if sync_full { "FULL" } else { "NORMAL" },
        )?;
        Ok(())
    }

    /// The user the vault was opened by; recorded in history and the audit trail.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The vault directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The id of the vault (in its header).
    pub fn vault_id(&self) -> uuid::Uuid {
        self.header.vault_id
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

    /// Checks that `secret` opens this vault's user's own key slot (Argon2id), without
    /// touching the database: the check before a passphrase change.
    pub fn check_passphrase(&self, secret: &Secret) -> Result<()> {
        let (key, slot_id) = self.header.unlock(secret, Some(SlotFilter::Passphrase))?;
        drop(key);
        if user_of(&self.header, &slot_id) == self.actor {
            Ok(())
        } else {
            Err(StoreError::WrongPassphrase)
        }
    }

    /// Replaces the header by `header` (generation + 1) in the crash-safe order of the
    /// module documentation, with the audit entry `action` on `target`.
    fn replace_header(
        &mut self,
        mut header: VaultHeader,
        action: AuditAction,
        target: &str,
        user: Option<User>,
    ) -> Result<()> {
        let dir = self.dir.clone();
        header.generation = self.header.generation.max(header.generation) + 1;
        let bytes = header.to_bytes()?;
        let hash = keys::hash_hex(&bytes);
        let pending = PendingHeader {
            generation: header.generation,
            hash: hash.clone(),
            action: action.as_str().to_owned(),
            target: target.to_owned(),
            user,
        };
        // (1) the database learns which header is coming.
        {
            let tx = self.conn.transaction()?;
            meta_set(&tx, "header_pending", &serde_json::to_string(&pending)?)?;
            tx.commit().map_err(|e| StoreError::Sql(e).in_vault(&dir))?;
        }
        // (2) the header file.
        let written = files::write_private(&dir.join(HEADER_FILE), &bytes);
        if let Err(source) = written {
            let _ = self
                .conn
                .execute("DELETE FROM meta WHERE key = 'header_pending'", []);
            return Err(io_err(&dir.join(HEADER_FILE), source).in_vault(&dir));
        }
        self.header = header;
        self.header_hash = hash.clone();
        // (3) the database records it, with the audit entry.
        {
            let tx = self.conn.transaction()?;
            meta_set(&tx, "header", &header_binding(pending.generation, &hash))?;
            tx.execute("DELETE FROM meta WHERE key = 'header_pending'", [])?;
            if let Some(u) = &pending.user {
                users::insert(&tx, u, &self.actor)?;
            }
            audit::append(&tx, &self.actor, action, target, "")?;
            tx.commit().map_err(|e| StoreError::Sql(e).in_vault(&dir))?;
        }
        // (4) the checkpoint.
        self.write_checkpoint()
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
        // With a single user the slot keeps that user's name whatever name was given:
        // record the name the slot actually carries.
        let users: Vec<String> = header
            .slots
            .iter()
            .filter_map(|s| match &s.kind {
                SlotKind::Passphrase { user } => Some(user.clone()),
                SlotKind::Recovery => None,
            })
            .collect();
        let named = if users.contains(&user) || users.len() != 1 {
            user
        } else {
            users.into_iter().next().unwrap_or(user)
        };
        self.replace_header(
            header,
            AuditAction::PassphraseChanged,
            &format!("user:{named}"),
            None,
        )
    }

    /// Renews the slot `slot_id` as a sealed slot if it is of the first kind.
    fn upgrade_unsealed_slot(&mut self, slot_id: &str, secret: &Secret) -> Result<()> {
        let unsealed = self
            .header
            .slots
            .iter()
            .any(|s| s.id == slot_id && !s.is_sealed());
        if !unsealed {
            return Ok(());
        }
        let mut header = self.header.clone();
        header.upgrade_slot(slot_id, secret, &self.key)?;
        let target = match self.unlocked_slot_kind() {
            SlotKind::Recovery => "recovery".to_owned(),
            SlotKind::Passphrase { user } => format!("user:{user}"),
        };
        self.replace_header(header, AuditAction::KeySlotRenewed, &target, None)
    }

    /// Replaces the slots of `kind` by one slot of the first kind (wrapping the data key
    /// itself) made with `secret`, as a vault made before sealed slots has them: for the
    /// tests of the upgrade only.
    #[cfg(feature = "insecure-test-kdf")]
    pub fn unseal_slot_for_tests(
        &mut self,
        kind: SlotKind,
        secret: &Secret,
        kdf: &KdfParams,
    ) -> Result<()> {
        let mut header = self.header.clone();
        header.slots.retain(|s| s.kind != kind);
        header.add_unsealed_slot(kind, secret, kdf, &self.key)?;
        self.replace_header(header, AuditAction::PassphraseChanged, "test", None)
    }

    /// The kind of slot this vault was unlocked with.
    pub(crate) fn unlocked_slot_kind(&self) -> SlotKind {
        if self.unlocked_by_recovery() {
            SlotKind::Recovery
        } else {
            SlotKind::Passphrase {
                user: self.actor.clone(),
            }
        }
    }

    /// The generation of the checkpoint last read or written (0: none yet).
    pub(crate) fn checkpoint_generation(&self) -> u64 {
        self.checkpoint.as_ref().map_or(0, |c| c.generation)
    }

    /// Merges the WAL and closes the database (the files are about to be switched); the
    /// vault is unusable until it is replaced by a newly opened one.
    pub(crate) fn close_for_switch(&mut self) -> Result<()> {
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        old.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        old.close().map_err(|(_, e)| StoreError::Sql(e))
    }

    /// Gives a row to every slot user of a vault made before users had roles.
    fn adopt_slot_users(&mut self) -> Result<()> {
        let slot_users = self.users();
        let tx = self.conn.transaction()?;
        let added = users::adopt_slot_users(&tx, &slot_users)?;
        if added > 0 {
            audit::append(
                &tx,
                &self.actor,
                AuditAction::UserChanged,
                "users",
                "adopted",
            )?;
        }
        tx.commit()
            .map_err(|e| StoreError::Sql(e).in_vault(&self.dir))?;
        if added > 0 {
            self.after_commit();
        }
        Ok(())
    }

    /// The unlocked user: their row, or — unlocked with the recovery code — an
    /// administrator without a name of their own. A slot without a row (its user was
    /// removed from the table, or the row never came) is refused.
    pub fn current_user(&self) -> Result<User> {
        if self.unlocked_by_recovery() {
            return Ok(User {
                name: self.actor.clone(),
                roles: vec![guitu_domain::access::Role::Administrator],
                institution: None,
                disabled: false,
            });
        }
        match users::get(&self.conn, &self.actor)? {
            Some(u) if u.disabled => Err(StoreError::UserDisabled),
            Some(u) => Ok(u),
            None => Err(StoreError::UserUnknown),
        }
    }

    fn unlocked_by_recovery(&self) -> bool {
        self.actor == "recovery"
            && !self.header.slots.iter().any(|s| {
                s.kind
                    == SlotKind::Passphrase {
                        user: "recovery".into(),
                    }
            })
    }

    /// Every user of the vault, with their roles.
    pub fn list_users(&self) -> Result<Vec<User>> {
        users::list(&self.conn)
    }

    /// Adds a user: a passphrase slot in the header and their row, as one header change
    /// (a crash between the two is finished at the next open).
    pub fn add_user(&mut self, user: &User, passphrase: &Secret, kdf: &KdfParams) -> Result<()> {
        keys::check_passphrase_strength(passphrase)?;
        let taken = self.users().iter().any(|u| u == &user.name)
            || users::get(&self.conn, &user.name)?.is_some();
        if taken {
            return Err(StoreError::UserExists);
        }
        let mut header = self.header.clone();
        header.add_slot(
            SlotKind::Passphrase {
                user: user.name.clone(),
            },
            passphrase,
            kdf,
            &self.key,
        )?;
        self.replace_header(
            header,
            AuditAction::UserAdded,
            &format!("user:{}", user.name),
            Some(user.clone()),
        )
    }

    /// Changes a user's roles, institution or disabled flag (not their passphrase).
    pub fn update_user(&mut self, user: &User) -> Result<()> {
        let tx = self.conn.transaction()?;
        if !users::update(&tx, user)? {
            return Err(StoreError::UserUnknown);
        }
        audit::append(
            &tx,
            &self.actor,
            AuditAction::UserChanged,
            &format!("user:{}", user.name),
            "",
        )?;
        tx.commit()
            .map_err(|e| StoreError::Sql(e).in_vault(&self.dir))?;
        self.after_commit();
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
        self.replace_header(header, AuditAction::RecoveryCodeReplaced, "vault", None)?;
        Ok(code)
    }

    /// Appends an audit entry (see `audit`).
    pub fn audit(&mut self, action: AuditAction, target: &str, detail: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        audit::append(&tx, &self.actor, action, target, detail)?;
        tx.commit()
            .map_err(|e| StoreError::Sql(e).in_vault(&self.dir))?;
        self.after_commit();
        Ok(())
    }

    /// Compares the database with the checkpoint again (as `open` did) without changing
    /// anything: the files may have changed while the vault was open.
    fn recheck_checkpoint(&self) -> Result<()> {
        let cp = checkpoint::read(&self.dir, &self.key, self.header.vault_id)?;
        let Some(cp) = cp else {
            return if self.checkpointed {
                Err(StoreError::CheckpointMissing {
                    dir: self.dir.clone(),
                })
            } else {
                Ok(())
            };
        };
        let head = audit_head(&self.conn)?;
        let seq = head.as_ref().map_or(0, |h| h.seq);
        if seq < cp.audit_seq {
            return Err(StoreError::ChangesMissing {
                dir: self.dir.clone(),
                missing: u64::try_from(cp.audit_seq - seq).unwrap_or(0),
                found: seq,
                expected: cp.audit_seq,
                last_known_at: cp.audit_at,
            });
        }
        let hash_there: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM audit WHERE seq = ?1",
                [cp.audit_seq],
                |r| r.get(0),
            )
            .optional()?;
        if cp.audit_seq > 0 && hash_there.as_deref() != Some(cp.audit_hash.as_str()) {
            return Err(StoreError::HistoryDiverged {
                dir: self.dir.clone(),
                seq: cp.audit_seq,
            });
        }
        let on_disk = fs::read(self.dir.join(HEADER_FILE))
            .map(|b| keys::hash_hex(&b))
            .unwrap_or_default();
        if on_disk != self.header_hash {
            return Err(StoreError::HeaderRolledBack {
                dir: self.dir.clone(),
                found: VaultHeader::load(&self.dir.join(HEADER_FILE))
                    .map(|h| h.generation)
                    .unwrap_or(0),
                expected: self.header.generation,
            });
        }
        Ok(())
    }

    /// SQLCipher integrity, schema version, the audit chain and the checkpoint.
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
        let checkpoint_problem = match self.recheck_checkpoint() {
            Ok(()) => None,
            Err(e) => Some(std::sync::Arc::new(e)),
        };
        Ok(VerifyReport {
            cipher_ok,
            integrity_ok,
            problems,
            schema_version: schema::version(&self.conn)?,
            supported_version: schema::SCHEMA_VERSION,
            audit: audit::verify_chain(&self.conn)?,
            checkpoint_problem,
            checkpoint_generation: checkpoint::read(&self.dir, &self.key, self.header.vault_id)
                .ok()
                .flatten()
                .map_or(0, |c| c.generation),
        })
    }
}

/// A database error while reading what open checks: a damaged file says so.
fn corrupt_or(e: StoreError, dir: &Path) -> StoreError {
    match e {
        StoreError::Sql(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::DatabaseCorrupt
                || f.code == rusqlite::ErrorCode::NotADatabase =>
        {
            StoreError::Corrupt(format!(
                "the database in {} is damaged (it was truncated or overwritten)",
                dir.display()
            ))
        }
        other => other.in_vault(dir),
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
                what: guitu_text::Thing::User,
                reference: "-".into(),
            })?,
    };
    vault.change_passphrase(Some(&user), new, kdf)?;
    vault.actor = user;
    Ok(vault)
}

#[cfg(test)]
mod tests {
    //! Tests that need the private connection: a newer schema version, migrations, and
    //! tampering with the audit trail behind the vault's back.

    use std::collections::BTreeMap;

    use chrono::NaiveDate;
    use guitu_domain::model::{
        Case, CaseFlags, InstitutionKind, Note, Person, RecordBody, ReferralSource, Sex, Stage,
    };
    use sha2::{Digest, Sha256};

    use super::*;

    const PASSPHRASE: &str = "correct horse battery staple";

    fn secret(s: &str) -> Secret {
        Secret::new(s.to_owned())
    }

    fn new_vault() -> (tempfile::TempDir, PathBuf, Vault, Secret) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("vault");
        let (vault, code) = Vault::create(
            &dir,
            "tester",
            &secret(PASSPHRASE),
            &KdfParams::insecure_for_tests(),
        )
        .expect("create");
        (tmp, dir, vault, code)
    }

    /// SHA-256 of every file in `dir` by name.
    fn snapshot(dir: &Path) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for entry in fs::read_dir(dir).expect("read_dir") {
            let entry = entry.expect("entry");
            let bytes = fs::read(entry.path()).expect("read");
            out.insert(
                entry.file_name().to_string_lossy().into_owned(),
                hex::encode(Sha256::digest(&bytes)),
            );
        }
        out
    }

    /// A case with a note: the audit trail then holds vault_created, create (case),
    /// create (record), view, export, print — six entries.
    fn vault_with_audit_trail() -> (tempfile::TempDir, Vault) {
        let (tmp, _dir, mut v, _code) = new_vault();
        let p = Person {
            id: uuid::Uuid::now_v7(),
            name: Some("林秀英".into()),
            sex: Sex::Female,
            ..Default::default()
        };
        let date = NaiveDate::from_ymd_opt(2026, 1, 10).expect("date");
        let c = Case {
            id: uuid::Uuid::now_v7(),
            case_number: "DZ-2026-0001".into(),
            person_id: p.id,
            institution: "某区救助管理站".into(),
            institution_kind: InstitutionKind::AssistanceStation,
            received_date: date,
            referral: ReferralSource::PoliceRescue,
            police_reference: None,
            caseworker: "tester".into(),
            flags: CaseFlags::default(),
            stage: Stage::Intake,
        };
        v.create_case(&p, &c).expect("create_case");
        v.insert_record(
            c.id,
            RecordBody::Note(Note {
                date,
                text: "初次谈话".into(),
            }),
        )
        .expect("note");
        v.log_view(c.id).expect("view");
        v.log_export("case", "json").expect("export");
        v.log_print(c.id, "handoff").expect("print");
        let report = v.verify().expect("verify");
        assert!(report.ok(), "the untampered chain verifies: {report:?}");
        assert_eq!(report.audit.entries, 6);
        (tmp, v)
    }

    fn first_broken(v: &Vault) -> Option<i64> {
        let report = v.verify().expect("verify");
        assert_eq!(
            report.ok(),
            report.audit.first_broken.is_none(),
            "verify().ok() must reflect the audit chain"
        );
        report.audit.first_broken.map(|(seq, _)| seq)
    }

    #[test]
    fn a_vault_from_a_newer_version_is_refused_without_touching_it() {
        let (_tmp, dir, v, code) = new_vault();
        v.conn
            .pragma_update(None, "user_version", 99)
            .expect("set user_version");
        drop(v);
        let before = snapshot(&dir);

        let err = Vault::open(&dir, &secret(PASSPHRASE)).expect_err("newer vault");
        assert!(
            matches!(
                err,
                StoreError::NewerVersion {
                    found: 99,
                    supported: schema::SCHEMA_VERSION
                }
            ),
            "an older Guitu must refuse a newer vault rather than damage it, got {err:?}"
        );
        let err = Vault::open_with_recovery(&dir, code.expose()).expect_err("newer vault");
        assert!(
            matches!(err, StoreError::NewerVersion { found: 99, .. }),
            "got {err:?}"
        );
        assert_eq!(
            snapshot(&dir),
            before,
            "the refused open must leave every file byte-for-byte as it was"
        );
    }

    #[test]
    fn connections_use_wal_memory_temp_store_and_foreign_keys() {
        let (_tmp, _dir, v, _code) = new_vault();
        let pragma = |name: &str| -> String {
            v.conn
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|val| match val {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .expect("pragma")
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(
            pragma("temp_store"),
            "2",
            "temporary data must stay in memory, never in an unencrypted temp file"
        );
        assert_eq!(
            pragma("foreign_keys"),
            "1",
            "records must not point at missing cases"
        );
    }

    #[test]
    fn migrations_bring_a_fresh_vault_to_the_current_version_once() {
        let (_tmp, _dir, mut v, _code) = new_vault();
        assert_eq!(
            schema::version(&v.conn).expect("version"),
            schema::SCHEMA_VERSION,
            "a fresh vault is at the version this build writes"
        );
        let objects = |c: &Connection| -> i64 {
            c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .expect("count")
        };
        let before = objects(&v.conn);
        let changes = v.conn.total_changes();
        schema::migrate(&mut v.conn).expect("migrating an up-to-date vault is a no-op");
        assert_eq!(objects(&v.conn), before, "no migration may run twice");
        assert_eq!(v.conn.total_changes(), changes, "nothing was written");
        assert_eq!(
            schema::version(&v.conn).expect("version"),
            schema::SCHEMA_VERSION
        );
    }

    #[test]
    fn a_failed_migration_leaves_the_version_where_it_was() {
        // A plain (unencrypted) database is enough to see the transaction at work.
        let mut conn = Connection::open_in_memory().expect("memory db");
        schema::migrate(&mut conn).expect("migrate");
        assert_eq!(
            schema::version(&conn).expect("version"),
            schema::SCHEMA_VERSION
        );
        // Pretend the schema is older than it is: re-running 0001 fails halfway.
        conn.pragma_update(None, "user_version", 0)
            .expect("reset version");
        let err = schema::migrate(&mut conn).expect_err("tables exist already");
        assert!(matches!(err, StoreError::Sql(_)), "got {err:?}");
        assert_eq!(
            schema::version(&conn).expect("version"),
            0,
            "a failed migration must roll back completely, including user_version"
        );
    }

    #[test]
    fn an_edited_audit_entry_is_named() {
        let (_tmp, v) = vault_with_audit_trail();
        v.conn
            .execute("UPDATE audit SET detail = 'pdf' WHERE seq = 3", [])
            .expect("tamper");
        assert_eq!(
            first_broken(&v),
            Some(3),
            "verify must name the entry whose content was changed"
        );
    }

    #[test]
    fn an_edited_entry_with_a_recomputed_hash_breaks_the_link_to_the_next() {
        let (_tmp, v) = vault_with_audit_trail();
        // Recompute entry 3's hash the way audit.rs does; entry 4 still names the old one.
        let (at, actor, action, target, prev): (String, String, String, String, String) = v
            .conn
            .query_row(
                "SELECT at, actor, action, target, prev_hash FROM audit WHERE seq = 3",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .expect("entry 3");
        let canonical =
            serde_json::to_string(&(3i64, &at, &actor, &action, &target, "edited", &prev))
                .expect("json");
        let hash = hex::encode(Sha256::digest(canonical.as_bytes()));
        v.conn
            .execute(
                "UPDATE audit SET detail = 'edited', hash = ?1 WHERE seq = 3",
                [&hash],
            )
            .expect("tamper");
        assert_eq!(
            first_broken(&v),
            Some(4),
            "a consistently rewritten entry is caught by the entry after it"
        );
    }

    #[test]
    fn a_deleted_middle_entry_is_named() {
        let (_tmp, v) = vault_with_audit_trail();
        v.conn
            .execute("DELETE FROM audit WHERE seq = 4", [])
            .expect("delete");
        assert_eq!(
            first_broken(&v),
            Some(4),
            "verify must name the missing entry"
        );
    }

    #[test]
    fn a_deleted_first_entry_is_named() {
        let (_tmp, v) = vault_with_audit_trail();
        v.conn
            .execute("DELETE FROM audit WHERE seq = 1", [])
            .expect("delete");
        assert_eq!(first_broken(&v), Some(1));
    }

    #[test]
    fn a_deleted_last_entry_is_detected_through_the_stored_head() {
        let (_tmp, v) = vault_with_audit_trail();
        v.conn
            .execute("DELETE FROM audit WHERE seq = 6", [])
            .expect("delete");
        assert_eq!(
            first_broken(&v),
            Some(6),
            "removing entries from the end must be detected (audit_head in meta)"
        );
    }

    #[test]
    fn an_emptied_audit_trail_is_detected() {
        let (_tmp, v) = vault_with_audit_trail();
        v.conn.execute("DELETE FROM audit", []).expect("delete");
        assert_eq!(
            first_broken(&v),
            Some(1),
            "wiping the whole trail must be detected"
        );
    }

    #[test]
    fn an_emptied_audit_trail_without_its_stored_head_is_not_intact() {
        let (_tmp, v) = vault_with_audit_trail();
        v.conn
            .execute_batch("DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head';")
            .expect("delete");
        assert_eq!(
            first_broken(&v),
            Some(1),
            "0 entries and no stored head must not count as intact"
        );
    }

    #[test]
    fn the_chain_goes_on_correctly_after_a_reopen() {
        let (tmp, v) = vault_with_audit_trail();
        let dir = v.dir().to_owned();
        drop(v);
        let mut v = Vault::open(&dir, &secret(PASSPHRASE)).expect("open");
        v.audit(AuditAction::Export, "case", "csv").expect("audit");
        assert_eq!(
            first_broken(&v),
            None,
            "appending after a reopen keeps the chain intact"
        );
        drop(tmp);
    }

    #[test]
    fn a_backup_of_a_tampered_vault_is_refused_on_restore() {
        let (tmp, mut v) = vault_with_audit_trail();
        v.conn
            .execute("UPDATE audit SET actor = 'someone else' WHERE seq = 2", [])
            .expect("tamper");
        let file = tmp.path().join("tampered.backup");
        v.backup(&file).expect("backup still works");
        let target = tmp.path().join("restored");
        let err = Vault::restore(
            &target,
            &file,
            &secret(PASSPHRASE),
            crate::RestoreOptions::default(),
        )
        .expect_err("tampered");
        assert!(
            matches!(err, StoreError::BadBackup(_)),
            "a restore verifies the audit chain before it replaces anything, got {err:?}"
        );
        assert!(
            !target.join(DB_FILE).exists() && !target.join(HEADER_FILE).exists(),
            "the refused restore put no vault in place"
        );
    }

    #[test]
    fn record_writes_refresh_the_derived_case_facts() {
        let (_tmp, mut v) = vault_with_audit_trail();
        let cid: String = v
            .conn
            .query_row("SELECT id FROM cases", [], |r| r.get(0))
            .expect("case id");
        let case_id = uuid::Uuid::parse_str(&cid).expect("uuid");
        let facts = |v: &Vault| -> (Option<String>, i64, bool) {
            v.conn
                .query_row(
                    "SELECT identity_verified, track_steps_done, track_closed FROM cases WHERE id = ?1",
                    [&cid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .expect("facts")
        };
        assert_eq!(facts(&v), (None, 0, false));
        let date = |d| NaiveDate::from_ymd_opt(2026, 1, d).expect("date");
        let attempt = |verified: Option<NaiveDate>| {
            RecordBody::IdentityAttempt(guitu_domain::model::IdentityAttempt {
                date: date(20),
                method: guitu_domain::model::IdentityMethod::PoliceInquiry,
                outcome: if verified.is_some() {
                    guitu_domain::model::IdentityOutcome::Verified
                } else {
                    guitu_domain::model::IdentityOutcome::Pending
                },
                verified_date: verified,
                police_reference: None,
                notes: None,
            })
        };
        let r = v.insert_record(case_id, attempt(None)).expect("pending");
        assert_eq!(facts(&v).0, None, "a pending inquiry establishes nothing");
        v.update_record(r.id, attempt(Some(date(25))))
            .expect("verified");
        assert_eq!(
            facts(&v).0.as_deref(),
            Some("2026-01-25"),
            "an update that verifies identity refreshes the derived fact in the same write"
        );
        v.insert_record(
            case_id,
            RecordBody::TrackStep(guitu_domain::model::TrackStepRecord {
                step: guitu_domain::model::TrackStep::SocialAssistance,
                date: date(26),
                by: "tester".into(),
                notes: None,
            }),
        )
        .expect("step");
        assert_eq!(facts(&v).1, 1, "track steps are counted");
    }
}
