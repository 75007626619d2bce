//! The one error type of the store crate. Every variant is something a caller can act on.

use std::path::PathBuf;

use guitu_text::{BackupProblem, Thing};

/// A caller's mistake: a change the store never makes (not damage to the vault).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// A case cannot move to another person.
    CasePersonFixed,
    /// A record cannot change its kind.
    RecordKindFixed,
}

/// Errors of the vault. Messages never carry personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
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

/// Result alias of the store crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
