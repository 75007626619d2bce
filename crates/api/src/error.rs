//! The one error type of the use-case API. Every error becomes a [`Problem`] — a stable
//! code with typed parameters — for the front ends, which make the text: the desktop UI
//! from its catalogue, the CLI through `guitu_text`.

use guitu_domain::DomainError;
use guitu_store::{Invalid, StoreError};
pub use guitu_text::Problem;
use guitu_text::{ImportLocation, ImportProblem, IoKind};

/// What an import was refused for (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("not complete, valid JSON (line {line}, column {column})")]
    NotJson { line: usize, column: usize },
    #[error("content after the JSON document (line {line}, column {column})")]
    Trailing { line: usize, column: usize },
    #[error("not a Guitu file of a version this build reads")]
    Format,
    #[error("invalid value at {path}: {problem:?}")]
    Invalid {
        path: String,
        problem: ImportProblem,
    },
    #[error("{at:?} breaks a rule: {error}")]
    Rule {
        at: ImportLocation,
        error: DomainError,
    },
    #[error("{at:?} repeats an id")]
    DuplicateId { at: ImportLocation },
    #[error("{at:?} repeats case number {case_number}")]
    DuplicateCaseNumber {
        at: ImportLocation,
        case_number: String,
    },
    #[error("{at:?}: {field} names {target}, which does not exist")]
    MissingReference {
        at: ImportLocation,
        field: String,
        target: String,
    },
    /// R-DUP: persons of the file look like persons of the vault, and no decision was given
    /// for `count` such pairs (`Session::check_import` lists them).
    #[error("{count} possible duplicate persons are undecided")]
    UndecidedDuplicates { count: u32 },
}

/// Errors of the use cases. Messages name records by number, id and field, never by
/// personal data.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A domain rule refused the change.
    #[error(transparent)]
    Rule(#[from] DomainError),
    /// An import was refused; nothing was written.
    #[error("import refused: {0}")]
    Import(#[from] ImportError),
    /// The vault refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("cannot read or write {path}: {source}")]
    File {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A PDF could not be made.
    #[error(transparent)]
    Print(guitu_print::PrintError),
    /// A ledger (台账) was refused (nothing was written) or could not be made; with the
    /// sheet asked for, if any.
    #[error("ledger refused: {0}")]
    Ledger(guitu_ledger::LedgerError, Option<String>),
    /// R-HANDOFF-BASIS: a hand-off to a recipient of this kind has no consent in force and
    /// no legal basis was given; nothing was printed or sent.
    #[error("a hand-off needs a consent or a legal basis")]
    BasisNeeded(guitu_domain::handoff::RecipientKind),
    /// An argument is malformed or missing (a date, a passphrase typed twice …): one of
    /// the `input.*` problems.
    #[error("invalid input: {}", .0.code())]
    Input(Problem),
}

fn io_problem(path: &std::path::Path, source: &std::io::Error) -> Problem {
    match IoKind::of(source) {
        IoKind::DiskFull => Problem::DiskFull {
            dir: path.display().to_string(),
        },
        kind => Problem::VaultIo {
            path: path.display().to_string(),
            kind,
        },
    }
}

/// The date of an RFC 3339 time (`2026-11-28T…` → 2026-11-28); `None` if it has none.
fn date_part(at: &str) -> Option<chrono::NaiveDate> {
    at.get(..10).and_then(guitu_domain::dates::parse_strict)
}

/// The problem a store error is, for a front end.
pub fn store_problem(e: &StoreError) -> Problem {
    match e {
        StoreError::WrongPassphrase => Problem::WrongPassphrase,
        StoreError::UserDisabled => Problem::UserDisabled,
        StoreError::UserUnknown => Problem::UserUnknown,
        StoreError::UserExists => Problem::UserExists,
        StoreError::UserIsSelf => Problem::UserIsSelf,
        StoreError::RestoreDenied => Problem::Rule(DomainError::PermissionDenied {
            permission: guitu_domain::access::Permission::Restore,
            record_kind: None,
        }),
        StoreError::UserLastAdministrator => Problem::UserLastAdministrator,
        StoreError::UsersMustUnlock { users } => Problem::UsersMustUnlock {
            users: users.clone(),
        },
        StoreError::NoVault(p) => Problem::NoVault {
            dir: p.display().to_string(),
        },
        StoreError::VaultExists(p) => Problem::VaultExists {
            dir: p.display().to_string(),
        },
        StoreError::NotWritable { path, source } => match IoKind::of(source) {
            IoKind::DiskFull => Problem::DiskFull {
                dir: path.display().to_string(),
            },
            _ => Problem::NotWritable {
                path: path.display().to_string(),
            },
        },
        StoreError::Io { path, source } => io_problem(path, source),
        StoreError::HeaderCorrupt(_) => Problem::HeaderCorrupt,
        StoreError::NewerVersion { found, supported } => Problem::NewerVersion {
            found: *found,
            supported: *supported,
        },
        StoreError::Crypto(_) => Problem::Crypto,
        StoreError::LastSlot => Problem::LastSlot,
        StoreError::WeakPassphrase { min } => Problem::WeakPassphrase { min: *min },
        StoreError::NotFound { what, reference } => Problem::NotFound {
            what: *what,
            reference: reference.clone(),
        },
        StoreError::Duplicate { what, value } => Problem::Duplicate {
            what: *what,
            value: value.clone(),
        },
        StoreError::Invalid(Invalid::CasePersonFixed) => Problem::CasePersonFixed,
        StoreError::Invalid(Invalid::SamePerson) => Problem::SamePerson,
        StoreError::Invalid(Invalid::MergeUndone) => Problem::MergeUndone,
        StoreError::Invalid(Invalid::RecordKindFixed) => Problem::RecordKindFixed,
        StoreError::Invalid(Invalid::Voided) => Problem::Voided,
        StoreError::Invalid(Invalid::NotVoided) => Problem::NotVoided,
        StoreError::Invalid(Invalid::OwnDevice) => Problem::OwnDevice,
        StoreError::Invalid(Invalid::ConflictValue) => Problem::ConflictValue,
        StoreError::Bundle(reason) => Problem::BundleRefused {
            reason: reason.clone(),
        },
        StoreError::BadCard => Problem::BadCard,
        StoreError::Corrupt(_) => Problem::Corrupt,
        StoreError::BadBackup(reason) => Problem::BadBackup {
            reason: reason.clone(),
        },
        StoreError::Domain(d) => Problem::Rule(d.clone()),
        StoreError::DatabaseMissing { dir } => Problem::DatabaseMissing {
            dir: dir.display().to_string(),
        },
        StoreError::DatabaseEmpty { dir } => Problem::DatabaseEmpty {
            dir: dir.display().to_string(),
        },
        StoreError::ChangesMissing {
            dir,
            missing,
            last_known_at,
            ..
        } => Problem::ChangesMissing {
            dir: dir.display().to_string(),
            missing: *missing,
            last_known_on: date_part(last_known_at),
        },
        StoreError::HistoryDiverged { dir, seq } => Problem::HistoryDiverged {
            dir: dir.display().to_string(),
            seq: *seq,
        },
        StoreError::CheckpointMissing { dir } => Problem::CheckpointMissing {
            dir: dir.display().to_string(),
        },
        StoreError::CheckpointInvalid { dir, .. } => Problem::CheckpointInvalid {
            dir: dir.display().to_string(),
        },
        StoreError::HeaderRolledBack {
            dir,
            found,
            expected,
        } => Problem::HeaderRolledBack {
            dir: dir.display().to_string(),
            found: *found,
            expected: *expected,
        },
        StoreError::RestoreOtherVault { .. } => Problem::RestoreOtherVault,
        StoreError::RestoreOlder {
            backup_changes,
            current_changes,
            backup_last_at,
        } => Problem::RestoreOlder {
            backup_changes: *backup_changes,
            current_changes: *current_changes,
            backup_last_on: date_part(backup_last_at),
        },
        StoreError::DiskFull { dir } => Problem::DiskFull {
            dir: dir.display().to_string(),
        },
        StoreError::Sql(_) | StoreError::Json(_) => Problem::Internal,
    }
}

impl ApiError {
    /// The problem, as the front ends receive it.
    pub fn problem(&self) -> Problem {
        match self {
            Self::Rule(d) => Problem::Rule(d.clone()),
            Self::Import(e) => match e {
                ImportError::NotJson { line, column } => Problem::ImportNotJson {
                    line: *line,
                    column: *column,
                },
                ImportError::Trailing { line, column } => Problem::ImportTrailing {
                    line: *line,
                    column: *column,
                },
                ImportError::Format => Problem::ImportFormat {
                    supported: crate::transfer::VERSION,
                },
                ImportError::Invalid { path, problem } => Problem::ImportInvalid {
                    path: path.clone(),
                    problem: problem.clone(),
                },
                ImportError::Rule { at, error } => Problem::ImportRule {
                    at: at.clone(),
                    error: error.clone(),
                },
                ImportError::DuplicateId { at } => Problem::ImportDuplicateId { at: at.clone() },
                ImportError::DuplicateCaseNumber { at, case_number } => {
                    Problem::ImportDuplicateCaseNumber {
                        at: at.clone(),
                        case_number: case_number.clone(),
                    }
                }
                ImportError::MissingReference { at, field, target } => {
                    Problem::ImportMissingReference {
                        at: at.clone(),
                        field: field.clone(),
                        target: target.clone(),
                    }
                }
                ImportError::UndecidedDuplicates { count } => {
                    Problem::ImportUndecidedDuplicates { count: *count }
                }
            },
            Self::Store(e) => store_problem(e),
            Self::File { path, source } => Problem::File {
                path: path.clone(),
                kind: IoKind::of(source),
            },
            Self::Print(guitu_print::PrintError::WeakPassword { min }) => {
                Problem::WeakPdfPassword { min: *min }
            }
            Self::Print(_) => Problem::PrintFailed,
            Self::Input(p) => p.clone(),
            Self::BasisNeeded(recipient) => Problem::HandoffBasisNeeded {
                recipient: *recipient,
                allowed: guitu_domain::handoff::LegalBasis::ALL.to_vec(),
            },
            Self::Ledger(e, sheet) => crate::ledger::ledger_problem(e, sheet.as_deref()),
        }
    }

    /// The stable code (`vault.wrong_passphrase`, `rule.required` …).
    pub fn code(&self) -> &'static str {
        self.problem().code()
    }

    /// A date typed in the wrong form.
    pub fn bad_date(value: &str) -> ApiError {
        ApiError::Input(Problem::BadDate {
            value: value.chars().take(40).collect(),
        })
    }
}

/// Result alias of the API.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;
