//! The one error type of the store crate. Every variant is something a caller can act on.

use std::path::PathBuf;

use guitu_text::{BackupProblem, BundleProblem, Thing};

/// A caller's mistake: a change the store never makes (not damage to the vault).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// A case cannot move to another person.
    CasePersonFixed,
    /// A record cannot change its kind.
    RecordKindFixed,
    /// A person cannot be merged with, or told apart from, itself.
    SamePerson,
    /// The merge was undone already.
    MergeUndone,
    /// The record or case is voided (作废): restore it before changing or voiding it.
    Voided,
    /// The record or case is not voided: there is nothing to restore.
    NotVoided,
    /// A device cannot be its own peer.
    OwnDevice,
    /// The value chosen for a conflict does not fit the field.
    ConflictValue,
}

/// Errors of the vault. Messages never carry personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A hand-off bundle was refused (nothing was changed).
    #[error("the bundle was refused")]
    Bundle(BundleProblem),
    /// A contact card is not a Guitu device's card, or its keys do not match its
    /// fingerprint and signature.
    #[error("not a valid contact card")]
    BadCard,
    /// The unlocked user has been disabled by an administrator.
    #[error("this user is disabled")]
    UserDisabled,
    /// The unlocked key slot has no user row (no roles): an administrator must add it.
    #[error("this user has no roles in the vault")]
    UserUnknown,
    /// A user of that name exists already.
    #[error("a user of that name exists")]
    UserExists,
    /// The user whose passphrase opens the backup may not restore it (R-ACCESS: restoring
    /// is an administrator's act, checked against the backup's own users).
    #[error("this user may not restore a backup")]
    RestoreDenied,
    /// Users cannot remove or disable themselves.
    #[error("users cannot remove or disable themselves")]
    UserIsSelf,
    /// The change would leave the vault without an administrator who can unlock it.
    #[error("the vault would have no administrator left")]
    UserLastAdministrator,
    /// These users' key slots were made before users could be removed: each must unlock
    /// once (which renews the slot) before a re-key can carry their access over.
    #[error("some users must unlock once before a user can be removed")]
    UsersMustUnlock { users: Vec<String> },
    /// The passphrase (or recovery code) does not open any key slot. Nothing was changed on disk.
    #[error("wrong passphrase or recovery code")]
    WrongPassphrase,
    /// There is no vault in the directory.
    #[error("no vault at {0}")]
    NoVault(PathBuf),
    /// A vault already exists where a new one was to be created.
    #[error("a vault already exists at {0}")]
    VaultExists(PathBuf),
    /// The directory cannot be written (permissions, read-only medium).
    #[error("the vault directory {path} is not writable: {source}")]
    NotWritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Any other file-system error.
    #[error("file error at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The vault header (key slots) cannot be read.
    #[error("the vault header is damaged: {0}")]
    HeaderCorrupt(String),
    /// The vault or backup was made by a newer version of Guitu.
    #[error(
        "made by a newer version of Guitu (schema {found}, this version knows up to {supported})"
    )]
    NewerVersion { found: i64, supported: i64 },
    /// A cryptographic primitive failed (not a wrong passphrase).
    #[error("cryptographic failure: {0}")]
    Crypto(String),
    /// The last key slot of a vault cannot be removed: the vault could never be opened again.
    #[error("the last key slot of the vault cannot be removed")]
    LastSlot,
    /// The passphrase is too weak to protect the vault.
    #[error("passphrase too short: at least {min} characters")]
    WeakPassphrase { min: usize },
    /// A record that was asked for does not exist.
    #[error("{what:?} not found: {reference}")]
    NotFound { what: Thing, reference: String },
    /// A unique value (such as a case number) is already taken.
    #[error("{what:?} already exists: {value}")]
    Duplicate { what: Thing, value: String },
    /// A change the store never makes, asked for by mistake.
    #[error("invalid change: {0:?}")]
    Invalid(Invalid),
    /// The database is damaged or fails its integrity check.
    #[error("the vault database is damaged: {0}")]
    Corrupt(String),
    /// A backup file is not a Guitu backup, or fails verification.
    #[error("not a valid Guitu backup: {0:?}")]
    BadBackup(BackupProblem),
    /// The vault's header is there but its database file is not: only `init` creates one.
    #[error("the vault database {dir}/guitu.db is missing (the header is there)")]
    DatabaseMissing { dir: PathBuf },
    /// The vault's database file is empty or holds no tables (truncated, or replaced by
    /// an empty file). It is never turned into a new vault.
    #[error("the vault database {dir}/guitu.db is empty: it was truncated or replaced")]
    DatabaseEmpty { dir: PathBuf },
    /// The database is older than the checkpoint kept beside it: changes that were
    /// written and acknowledged are gone (an older copy put back, a deleted or truncated
    /// WAL). `last_known_at` is the time of the newest change the checkpoint knows.
    #[error(
        "the last {missing} changes to the vault in {dir} are missing (the database ends at change {found}; the checkpoint knows {expected}, the last of {last_known_at})"
    )]
    ChangesMissing {
        dir: PathBuf,
        missing: u64,
        found: i64,
        expected: i64,
        last_known_at: String,
    },
    /// The database's change history does not contain the change the checkpoint names:
    /// it was replaced by another copy with a different history.
    #[error(
        "the vault database in {dir} was replaced: its change {seq} is not the one recorded in the checkpoint"
    )]
    HistoryDiverged { dir: PathBuf, seq: i64 },
    /// The checkpoint file (`vault.check`) of a vault that had one is gone.
    #[error("the vault checkpoint {dir}/vault.check is missing")]
    CheckpointMissing { dir: PathBuf },
    /// The checkpoint file cannot be trusted.
    #[error("the vault checkpoint {dir}/vault.check is not valid: {reason}")]
    CheckpointInvalid { dir: PathBuf, reason: &'static str },
    /// The header file (`vault.json`) is not the one the database last recorded: an
    /// older copy was put back (e.g. from before a passphrase change).
    #[error(
        "the vault header {dir}/vault.json was replaced by another copy (generation {found}, the vault is at generation {expected})"
    )]
    HeaderRolledBack {
        dir: PathBuf,
        found: u64,
        expected: u64,
    },
    /// The backup belongs to another vault; restoring it needs an explicit confirmation.
    #[error(
        "the backup belongs to another vault ({backup_vault}, this one is {current_vault}): confirm to replace this vault"
    )]
    RestoreOtherVault {
        backup_vault: uuid::Uuid,
        current_vault: uuid::Uuid,
    },
    /// The backup lacks changes the current vault has; restoring it needs an explicit
    /// confirmation.
    #[error(
        "the backup is older than the vault: it ends at change {backup_changes} of {backup_last_at}, the vault has {current_changes}: confirm to lose the newer changes"
    )]
    RestoreOlder {
        backup_changes: i64,
        current_changes: i64,
        backup_last_at: String,
    },
    /// The disk holding the vault is full (ENOSPC, SQLITE_FULL). Nothing half-written.
    #[error("the disk holding the vault folder {dir} is full")]
    DiskFull { dir: PathBuf },
    /// SQLite/SQLCipher reported an error.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// Stored JSON could not be (de)serialised.
    #[error("stored data could not be decoded: {0}")]
    Json(#[from] serde_json::Error),
    /// A domain rule refused the change.
    #[error(transparent)]
    Domain(#[from] guitu_domain::DomainError),
}

impl StoreError {
    /// Whether this error means "no space left" (SQLITE_FULL, ENOSPC, EDQUOT).
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::DiskFull { .. } => true,
            StoreError::Sql(rusqlite::Error::SqliteFailure(f, msg)) => {
                f.code == rusqlite::ErrorCode::DiskFull
                    // `sqlcipher_export` passes an inner SQLITE_FULL on as SQLITE_ERROR
                    // with SQLite's message.
                    || msg
                        .as_deref()
                        .is_some_and(|m| m.contains("database or disk is full"))
            }
            StoreError::Io { source, .. } | StoreError::NotWritable { source, .. } => {
                io_is_disk_full(source)
            }
            _ => false,
        }
    }

    /// Names the vault folder in a "disk full" error; other errors pass through. SQLite
    /// reports some failures of a full disk as a plain I/O error (growing the `-shm`
    /// file: SQLITE_IOERR_SHMSIZE); those are checked by writing a probe file.
    pub fn in_vault(self, dir: &std::path::Path) -> StoreError {
        let io_failure = matches!(
            &self,
            StoreError::Sql(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::SystemIoFailure
        );
        if self.is_disk_full() || (io_failure && crate::files::no_space_left(dir)) {
            StoreError::DiskFull {
                dir: dir.to_owned(),
            }
        } else {
            self
        }
    }
}

/// ENOSPC (28) or EDQUOT (122 on Linux) / `StorageFull`.
pub(crate) fn io_is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(28))
}

/// Result alias of the store crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
