//! Every problem a use case can report, as a stable code with typed parameters.

use serde::Serialize;

use guitu_domain::DomainError;

/// What kind of thing a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Thing {
    Case,
    Person,
    Record,
    CaseNumber,
    User,
    KeySlot,
    Id,
    Approval,
    Merge,
    /// A peer device (hand-off).
    Peer,
    /// A conflict between two devices' values.
    Conflict,
}

/// What went wrong with a file, from the operating system's error kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum IoKind {
    NotFound,
    PermissionDenied,
    AlreadyExists,
    DiskFull,
    ReadOnly,
    IsADirectory,
    Other,
}

impl IoKind {
    /// The kind of an I/O error.
    pub fn of(e: &std::io::Error) -> IoKind {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::NotFound => IoKind::NotFound,
            K::PermissionDenied => IoKind::PermissionDenied,
            K::AlreadyExists => IoKind::AlreadyExists,
            K::StorageFull | K::QuotaExceeded => IoKind::DiskFull,
            K::ReadOnlyFilesystem => IoKind::ReadOnly,
            K::IsADirectory => IoKind::IsADirectory,
            _ if e.raw_os_error() == Some(28) => IoKind::DiskFull,
            _ => IoKind::Other,
        }
    }
}

/// Why a hand-off bundle was refused. Nothing in the vault changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum BundleProblem {
    /// The file is not a Guitu bundle.
    NotABundle,
    /// The bundle was encrypted for another device.
    NotForThisDevice,
    /// The file was changed or cut off after it was made.
    Damaged,
    /// The sender is not a peer of this vault.
    UnknownSender,
    /// The sender was removed from the peers.
    RemovedSender,
    /// The signature does not match the sender's key: forged or altered.
    Forged,
    /// Made by a newer Guitu.
    NewerFormat { version: u32 },
    /// This device made it.
    OwnBundle,
    /// A change builds on a person, case or record this vault does not hold.
    MissingBase,
    /// A change does not fit the record schema.
    Invalid,
    /// A case in the bundle has a case number another case here already has.
    CaseNumberTaken,
    /// A change in it concerns a case this vault never shared with the sender.
    NotShared,
}

/// Why a backup file was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum BackupProblem {
    /// The file does not start like a Guitu backup.
    NotBackup,
    /// The checksum does not match: truncated or damaged.
    Checksum,
    /// A length field points outside the file.
    Truncated,
    /// The header inside the backup cannot be read.
    Header,
    /// The database inside does not open with the key.
    DatabaseOpen,
    /// The database fails its integrity check.
    Integrity,
    /// Something follows the database inside the file.
    TrailingData,
    /// The audit trail inside is empty.
    AuditEmpty,
    /// The audit trail inside is broken at an entry.
    AuditBroken {
        #[ts(type = "number")]
        seq: i64,
    },
}

/// Where in an import file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportLocation {
    /// `persons`, `cases` or `records`.
    pub list: String,
    /// Position in the list, from 0.
    pub index: usize,
    /// The item's id, when it has one.
    pub id: Option<String>,
}

/// Where in a ledger (台账) a refused cell is: the sheet, the row as Excel numbers it, the
/// header as written in the file, and the ledger column's key (`received_date` …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct LedgerCell {
    pub sheet: String,
    /// The sheet's place in the workbook, from 1.
    pub sheet_index: u32,
    pub row: u32,
    /// The column's letter (A, B …); empty when the file has no such column.
    pub letter: String,
    pub header: String,
    pub column: String,
}

/// What kind of value a field of the format expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Text,
    Number,
    Bool,
    List,
    Object,
    Date,
    Time,
    Other,
}

impl ValueKind {
    /// The kind serde names in "expected …" (`a string`, `u8`, `a sequence` …).
    pub fn from_serde(expected: &str) -> ValueKind {
        let e = expected.to_ascii_lowercase();
        if e.contains("rfc 3339") || e.contains("date and time") {
            ValueKind::Time
        } else if e.contains("date") {
            ValueKind::Date
        } else if e.contains("string") || e.contains("char") {
            ValueKind::Text
        } else if e.contains("bool") {
            ValueKind::Bool
        } else if e.contains("sequence") || e.contains("array") || e.contains("tuple") {
            ValueKind::List
        } else if e.contains("struct") || e.contains("map") || e.contains("enum") {
            ValueKind::Object
        } else if [
            "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "integer", "number",
        ]
        .iter()
        .any(|n| e.contains(n))
        {
            ValueKind::Number
        } else {
            ValueKind::Other
        }
    }
}

/// Why a value in an import file was refused (never the value itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ImportProblem {
    /// A value that is not one of the allowed ones.
    UnknownValue { allowed: Vec<String> },
    /// A required field is missing.
    MissingField { field: String },
    /// A field the format does not have (R-DNA: there is nowhere to put genetic data).
    UnknownField { field: String },
    /// The wrong kind of value (text where a number is expected …).
    WrongType { expected: ValueKind },
    /// A date not written `YYYY-MM-DD`, or not a real date.
    BadDate,
    /// An id that is not a canonical lower-case UUID.
    BadId,
    /// A value too long for the importer to read.
    TooLong,
    /// Something else the format does not allow.
    Invalid,
}

/// A problem a use case reports: a stable `code` (`vault.wrong_passphrase`,
/// `rule.required` …) and typed `params`. The front ends branch on the code and make
/// the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "code", content = "params")]
pub enum Problem {
    // ----- the vault -----
    /// The passphrase or recovery code opens no key slot; nothing was changed on disk.
    #[serde(rename = "vault.wrong_passphrase")]
    WrongPassphrase,
    /// The unlocked user has been disabled by an administrator.
    #[serde(rename = "user.disabled")]
    UserDisabled,
    /// The unlocked key slot has no user with roles.
    #[serde(rename = "user.unknown")]
    UserUnknown,
    /// A user of that name exists already.
    #[serde(rename = "user.exists")]
    UserExists,
    /// Users cannot remove or disable themselves.
    #[serde(rename = "user.self")]
    UserIsSelf,
    /// The change would leave no administrator.
    #[serde(rename = "user.last_administrator")]
    UserLastAdministrator,
    /// These users must unlock once before a user can be removed.
    #[serde(rename = "user.must_unlock")]
    UsersMustUnlock { users: Vec<String> },
    /// There is no vault in the folder.
    #[serde(rename = "vault.no_vault")]
    NoVault { dir: String },
    /// A vault already exists where a new one was to be made.
    #[serde(rename = "vault.exists")]
    VaultExists { dir: String },
    /// The vault's folder cannot be written.
    #[serde(rename = "vault.not_writable")]
    NotWritable { path: String },
    /// The disk holding the vault is full.
    #[serde(rename = "vault.disk_full")]
    DiskFull { dir: String },
    /// A file of the vault could not be read or written.
    #[serde(rename = "vault.io")]
    VaultIo { path: String, kind: IoKind },
    /// The vault's key file is damaged.
    #[serde(rename = "vault.header_corrupt")]
    HeaderCorrupt,
    /// Made by a newer version of Guitu.
    #[serde(rename = "vault.newer_version")]
    NewerVersion {
        #[ts(type = "number")]
        found: i64,
        #[ts(type = "number")]
        supported: i64,
    },
    /// A cryptographic primitive failed (not a wrong passphrase).
    #[serde(rename = "vault.crypto")]
    Crypto,
    /// The passphrase is too short.
    #[serde(rename = "vault.weak_passphrase")]
    WeakPassphrase { min: usize },
    /// The last way into the vault cannot be removed.
    #[serde(rename = "vault.last_slot")]
    LastSlot,
    /// Something asked for does not exist.
    #[serde(rename = "vault.not_found")]
    NotFound { what: Thing, reference: String },
    /// A unique value is taken.
    #[serde(rename = "vault.duplicate")]
    Duplicate { what: Thing, value: String },
    /// The database is damaged.
    #[serde(rename = "vault.corrupt")]
    Corrupt,
    /// A backup file is not a Guitu backup or fails verification.
    #[serde(rename = "vault.bad_backup")]
    BadBackup { reason: BackupProblem },
    /// The vault's key file is there but its database is not.
    #[serde(rename = "vault.database_missing")]
    DatabaseMissing { dir: String },
    /// The database is empty (truncated or replaced); it is never made a new vault.
    #[serde(rename = "vault.database_empty")]
    DatabaseEmpty { dir: String },
    /// Acknowledged changes are gone (an older database put back, a lost WAL).
    #[serde(rename = "vault.changes_missing")]
    ChangesMissing {
        dir: String,
        #[ts(type = "number")]
        missing: u64,
        /// The day of the newest change the checkpoint knows.
        last_known_on: Option<chrono::NaiveDate>,
    },
    /// The database was replaced by a copy with another history.
    #[serde(rename = "vault.history_diverged")]
    HistoryDiverged {
        dir: String,
        #[ts(type = "number")]
        seq: i64,
    },
    /// The checkpoint beside the database is gone.
    #[serde(rename = "vault.checkpoint_missing")]
    CheckpointMissing { dir: String },
    /// The checkpoint cannot be trusted (edited, or another vault's).
    #[serde(rename = "vault.checkpoint_invalid")]
    CheckpointInvalid { dir: String },
    /// An older key file was put back (a revoked passphrase must not open the vault).
    #[serde(rename = "vault.header_rolled_back")]
    HeaderRolledBack {
        dir: String,
        #[ts(type = "number")]
        found: u64,
        #[ts(type = "number")]
        expected: u64,
    },
    /// The backup belongs to another vault: restoring needs a confirmation.
    #[serde(rename = "vault.restore_other_vault")]
    RestoreOtherVault,
    /// The backup is older than the vault: restoring needs a confirmation.
    #[serde(rename = "vault.restore_older")]
    RestoreOlder {
        #[ts(type = "number")]
        backup_changes: i64,
        #[ts(type = "number")]
        current_changes: i64,
        backup_last_on: Option<chrono::NaiveDate>,
    },
    /// A case cannot move to another person.
    #[serde(rename = "vault.case_person_fixed")]
    CasePersonFixed,
    /// A record cannot change its kind.
    #[serde(rename = "vault.record_kind_fixed")]
    RecordKindFixed,
    /// A person cannot be merged with, or told apart from, itself.
    #[serde(rename = "vault.same_person")]
    SamePerson,
    /// The merge was undone already.
    #[serde(rename = "vault.merge_undone")]
    MergeUndone,
    /// The record or case is voided (作废): restore it before changing or voiding it.
    #[serde(rename = "vault.voided")]
    Voided,
    /// The record or case is not voided: nothing to restore.
    #[serde(rename = "vault.not_voided")]
    NotVoided,
    /// An unexpected database failure (a bug or a damaged file).
    #[serde(rename = "vault.internal")]
    Internal,

    // ----- import -----
    /// The import file is not complete, valid JSON; nothing was written.
    #[serde(rename = "import.not_json")]
    ImportNotJson { line: usize, column: usize },
    /// Text follows the JSON document (two files joined?); nothing was written.
    #[serde(rename = "import.trailing")]
    ImportTrailing { line: usize, column: usize },
    /// Not a Guitu file of a version this build reads.
    #[serde(rename = "import.format")]
    ImportFormat { supported: u32 },
    /// A value in the file is refused; nothing was written.
    #[serde(rename = "import.invalid")]
    ImportInvalid {
        path: String,
        problem: ImportProblem,
    },
    /// An item of the file breaks a rule; nothing was written.
    #[serde(rename = "import.rule")]
    ImportRule {
        at: ImportLocation,
        error: DomainError,
    },
    /// An id appears twice in the file.
    #[serde(rename = "import.duplicate_id")]
    ImportDuplicateId { at: ImportLocation },
    /// A case number appears twice in the file.
    #[serde(rename = "import.duplicate_case_number")]
    ImportDuplicateCaseNumber {
        at: ImportLocation,
        case_number: String,
    },
    /// An item refers to a person or case that is in neither the file nor the vault.
    #[serde(rename = "import.missing_reference")]
    ImportMissingReference {
        at: ImportLocation,
        field: String,
        target: String,
    },
    /// R-DUP: persons of the file may already be in the vault; each pair needs a decision.
    #[serde(rename = "import.undecided_duplicates")]
    ImportUndecidedDuplicates { count: u32 },

    // ----- ledgers (台账) -----
    /// Not an Excel workbook (.xlsx or .xls) this build reads.
    #[serde(rename = "ledger.not_workbook")]
    LedgerNotWorkbook,
    /// The workbook has no sheet of the name given.
    #[serde(rename = "ledger.no_sheet")]
    LedgerNoSheet { sheet: String },
    /// No row among the first ten names at least three ledger columns.
    #[serde(rename = "ledger.no_header")]
    LedgerNoHeader,
    /// A column the ledger cannot do without (`column`, headed `header` in Guitu's own
    /// ledger) is not mapped.
    #[serde(rename = "ledger.missing_column")]
    LedgerMissingColumn { column: String, header: String },
    /// Two columns of the file are mapped to one ledger column.
    #[serde(rename = "ledger.column_twice")]
    LedgerColumnTwice { column: String, header: String },
    /// The mapping file is not a JSON object of header texts to column keys.
    #[serde(rename = "ledger.bad_map")]
    LedgerBadMap,
    /// The mapping file names a column key that does not exist.
    #[serde(rename = "ledger.unknown_map_column")]
    LedgerUnknownMapColumn { given: String, allowed: Vec<String> },
    /// The mapping file names a header the header row does not have.
    #[serde(rename = "ledger.map_header_missing")]
    LedgerMapHeaderMissing,
    /// No 接收机构 column and no office in the settings.
    #[serde(rename = "ledger.no_institution")]
    LedgerNoInstitution,
    /// The ledger has a header and no rows.
    #[serde(rename = "ledger.empty")]
    LedgerEmpty,
    /// This ledger (the same file, the same sheet) was imported already.
    #[serde(rename = "ledger.already_imported")]
    LedgerAlreadyImported,
    /// The ledger file could not be made.
    #[serde(rename = "ledger.write_failed")]
    LedgerWriteFailed,
    /// A cell the row needs is blank (the rescue or admission date); nothing was written.
    #[serde(rename = "ledger.missing_value")]
    LedgerMissingValue { at: Box<LedgerCell> },
    /// A cell of a date column is not a date; nothing was written.
    #[serde(rename = "ledger.not_a_date")]
    LedgerNotADate { at: Box<LedgerCell> },
    /// A date that does not exist (2026-02-30); nothing was written.
    #[serde(rename = "ledger.impossible_date")]
    LedgerImpossibleDate { at: Box<LedgerCell> },
    /// A date after today; nothing was written.
    #[serde(rename = "ledger.future_date")]
    LedgerFutureDate { at: Box<LedgerCell> },
    /// Not a valid resident ID number (R-ID-NUM); nothing was written.
    #[serde(rename = "ledger.bad_id_number")]
    LedgerBadIdNumber {
        at: Box<LedgerCell>,
        problem: guitu_domain::IdNumberProblem,
    },
    /// An 18-digit ID number stored as a number, its last digits lost; nothing was written.
    #[serde(rename = "ledger.id_as_number")]
    LedgerIdAsNumber { at: Box<LedgerCell> },
    /// Not one of the values the column accepts; nothing was written.
    #[serde(rename = "ledger.unknown_value")]
    LedgerUnknownValue {
        at: Box<LedgerCell>,
        allowed: Vec<String>,
    },
    /// Longer than the field allows; nothing was written.
    #[serde(rename = "ledger.too_long")]
    LedgerTooLong { at: Box<LedgerCell>, max: u32 },
    /// An Excel error value (#N/A …); nothing was written.
    #[serde(rename = "ledger.error_cell")]
    LedgerErrorCell { at: Box<LedgerCell> },
    /// A rule refuses what the row makes; nothing was written.
    #[serde(rename = "ledger.rule")]
    LedgerRule {
        at: Box<LedgerCell>,
        error: DomainError,
    },

    // ----- files, printing, input -----
    /// A file could not be read or written.
    #[serde(rename = "file.io")]
    File { path: String, kind: IoKind },
    /// The PDF password is too short.
    #[serde(rename = "print.weak_password")]
    WeakPdfPassword { min: usize },
    /// The PDF could not be made.
    #[serde(rename = "print.failed")]
    PrintFailed,
    /// R-HANDOFF-BASIS: a hand-off to a recipient of this kind with no consent in force for
    /// it and no legal basis given; nothing was printed or sent. `allowed`: the legal bases.
    #[serde(rename = "handoff.basis_needed")]
    HandoffBasisNeeded {
        recipient: guitu_domain::handoff::RecipientKind,
        allowed: Vec<guitu_domain::handoff::LegalBasis>,
    },
    /// A date typed in the wrong form.
    #[serde(rename = "input.bad_date")]
    BadDate { value: String },
    /// A year outside the dates Guitu accepts (a report's year).
    #[serde(rename = "input.bad_year")]
    BadYear { given: i32, min: i32, max: i32 },
    /// An empty user name.
    #[serde(rename = "input.empty_user")]
    EmptyUser,
    /// The two passphrases typed differ.
    #[serde(rename = "input.passphrases_differ")]
    PassphrasesDiffer,
    /// An unknown kind of printed file.
    #[serde(rename = "input.unknown_print_kind")]
    UnknownPrintKind { given: String, allowed: Vec<String> },
    /// A legal basis of a hand-off that is not one (`guitu print --basis`).
    #[serde(rename = "input.unknown_basis")]
    UnknownBasis { given: String, allowed: Vec<String> },
    /// A role name that is not a role.
    #[serde(rename = "input.unknown_role")]
    UnknownRole { given: String, allowed: Vec<String> },
    /// An approval subject that is not one.
    #[serde(rename = "input.unknown_subject")]
    UnknownSubject { given: String, allowed: Vec<String> },
    /// A decision about two persons not written as FILE_PERSON=VAULT_PERSON.
    #[serde(rename = "input.bad_person_pair")]
    BadPersonPair { given: String },
    /// No per-user data folder: the vault folder must be given.
    #[serde(rename = "input.no_data_dir")]
    NoDataDir,
    /// A secret was needed but there is no terminal to ask on.
    #[serde(rename = "input.no_terminal")]
    NoTerminal { variable: String },
    /// Demo data was asked for in a real vault: it goes only into a training vault.
    #[serde(rename = "demo.real_vault")]
    DemoNeedsTraining,
    /// A training vault was asked to open its own training vault.
    #[serde(rename = "training.already_open")]
    TrainingAlreadyOpen,

    // ----- hand-off between devices -----
    /// A bundle was refused; nothing changed.
    #[serde(rename = "bundle.refused")]
    BundleRefused { reason: BundleProblem },
    /// A contact card is not a valid Guitu device card.
    #[serde(rename = "peer.bad_card")]
    BadCard,
    /// A device cannot be its own peer.
    #[serde(rename = "peer.own_device")]
    OwnDevice,
    /// The value chosen for a conflict does not fit the field.
    #[serde(rename = "conflict.bad_value")]
    ConflictValue,
    /// The fingerprint a person confirmed is not the card's: the peer was not added.
    #[serde(rename = "peer.fingerprint_mismatch")]
    FingerprintMismatch,
    /// No peer of that name or device id.
    #[serde(rename = "peer.unknown")]
    UnknownPeer { given: String },
    /// A kind of recipient that is not one (`guitu peer add --kind`).
    #[serde(rename = "input.unknown_recipient_kind")]
    UnknownRecipientKind { given: String, allowed: Vec<String> },
    /// A bundle was asked for but no case is shared with the peer or chosen.
    #[serde(rename = "bundle.no_cases")]
    BundleNoCases,

    // ----- the desktop app -----
    /// The vault is locked.
    #[serde(rename = "app.locked")]
    Locked,
    /// Something failed inside the app.
    #[serde(rename = "app.internal")]
    AppInternal,

    /// A rule refused the change.
    #[serde(untagged)]
    Rule(DomainError),
}

impl Problem {
    /// The stable code, as on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongPassphrase => "vault.wrong_passphrase",
            Self::UserDisabled => "user.disabled",
            Self::UserUnknown => "user.unknown",
            Self::UserExists => "user.exists",
            Self::UserIsSelf => "user.self",
            Self::UserLastAdministrator => "user.last_administrator",
            Self::UsersMustUnlock { .. } => "user.must_unlock",
            Self::NoVault { .. } => "vault.no_vault",
            Self::VaultExists { .. } => "vault.exists",
            Self::NotWritable { .. } => "vault.not_writable",
            Self::DiskFull { .. } => "vault.disk_full",
            Self::VaultIo { .. } => "vault.io",
            Self::HeaderCorrupt => "vault.header_corrupt",
            Self::NewerVersion { .. } => "vault.newer_version",
            Self::Crypto => "vault.crypto",
            Self::WeakPassphrase { .. } => "vault.weak_passphrase",
            Self::LastSlot => "vault.last_slot",
            Self::NotFound { .. } => "vault.not_found",
            Self::Duplicate { .. } => "vault.duplicate",
            Self::Corrupt => "vault.corrupt",
            Self::BadBackup { .. } => "vault.bad_backup",
            Self::DatabaseMissing { .. } => "vault.database_missing",
            Self::DatabaseEmpty { .. } => "vault.database_empty",
            Self::ChangesMissing { .. } => "vault.changes_missing",
            Self::HistoryDiverged { .. } => "vault.history_diverged",
            Self::CheckpointMissing { .. } => "vault.checkpoint_missing",
            Self::CheckpointInvalid { .. } => "vault.checkpoint_invalid",
            Self::HeaderRolledBack { .. } => "vault.header_rolled_back",
            Self::RestoreOtherVault => "vault.restore_other_vault",
            Self::RestoreOlder { .. } => "vault.restore_older",
            Self::CasePersonFixed => "vault.case_person_fixed",
            Self::RecordKindFixed => "vault.record_kind_fixed",
            Self::SamePerson => "vault.same_person",
            Self::MergeUndone => "vault.merge_undone",
            Self::Voided => "vault.voided",
            Self::NotVoided => "vault.not_voided",
            Self::Internal => "vault.internal",
            Self::ImportNotJson { .. } => "import.not_json",
            Self::ImportTrailing { .. } => "import.trailing",
            Self::ImportFormat { .. } => "import.format",
            Self::ImportInvalid { .. } => "import.invalid",
            Self::ImportRule { .. } => "import.rule",
            Self::ImportDuplicateId { .. } => "import.duplicate_id",
            Self::ImportDuplicateCaseNumber { .. } => "import.duplicate_case_number",
            Self::ImportMissingReference { .. } => "import.missing_reference",
            Self::ImportUndecidedDuplicates { .. } => "import.undecided_duplicates",
            Self::LedgerNotWorkbook => "ledger.not_workbook",
            Self::LedgerNoSheet { .. } => "ledger.no_sheet",
            Self::LedgerNoHeader => "ledger.no_header",
            Self::LedgerMissingColumn { .. } => "ledger.missing_column",
            Self::LedgerColumnTwice { .. } => "ledger.column_twice",
            Self::LedgerBadMap => "ledger.bad_map",
            Self::LedgerUnknownMapColumn { .. } => "ledger.unknown_map_column",
            Self::LedgerMapHeaderMissing => "ledger.map_header_missing",
            Self::LedgerNoInstitution => "ledger.no_institution",
            Self::LedgerEmpty => "ledger.empty",
            Self::LedgerAlreadyImported => "ledger.already_imported",
            Self::LedgerWriteFailed => "ledger.write_failed",
            Self::LedgerMissingValue { .. } => "ledger.missing_value",
            Self::LedgerNotADate { .. } => "ledger.not_a_date",
            Self::LedgerImpossibleDate { .. } => "ledger.impossible_date",
            Self::LedgerFutureDate { .. } => "ledger.future_date",
            Self::LedgerBadIdNumber { .. } => "ledger.bad_id_number",
            Self::LedgerIdAsNumber { .. } => "ledger.id_as_number",
            Self::LedgerUnknownValue { .. } => "ledger.unknown_value",
            Self::LedgerTooLong { .. } => "ledger.too_long",
            Self::LedgerErrorCell { .. } => "ledger.error_cell",
            Self::LedgerRule { .. } => "ledger.rule",
            Self::File { .. } => "file.io",
            Self::WeakPdfPassword { .. } => "print.weak_password",
            Self::PrintFailed => "print.failed",
            Self::HandoffBasisNeeded { .. } => "handoff.basis_needed",
            Self::BadDate { .. } => "input.bad_date",
            Self::BadYear { .. } => "input.bad_year",
            Self::EmptyUser => "input.empty_user",
            Self::PassphrasesDiffer => "input.passphrases_differ",
            Self::UnknownPrintKind { .. } => "input.unknown_print_kind",
            Self::UnknownBasis { .. } => "input.unknown_basis",
            Self::UnknownRole { .. } => "input.unknown_role",
            Self::UnknownSubject { .. } => "input.unknown_subject",
            Self::BadPersonPair { .. } => "input.bad_person_pair",
            Self::NoDataDir => "input.no_data_dir",
            Self::NoTerminal { .. } => "input.no_terminal",
            Self::DemoNeedsTraining => "demo.real_vault",
            Self::TrainingAlreadyOpen => "training.already_open",
            Self::BundleRefused { .. } => "bundle.refused",
            Self::BadCard => "peer.bad_card",
            Self::OwnDevice => "peer.own_device",
            Self::ConflictValue => "conflict.bad_value",
            Self::BundleNoCases => "bundle.no_cases",
            Self::FingerprintMismatch => "peer.fingerprint_mismatch",
            Self::UnknownPeer { .. } => "peer.unknown",
            Self::UnknownRecipientKind { .. } => "input.unknown_recipient_kind",
            Self::Locked => "app.locked",
            Self::AppInternal => "app.internal",
            Self::Rule(e) => e.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_carries_the_code_even_for_rule_errors() {
        let p = Problem::Rule(DomainError::PlacementWithBuyer);
        let v = serde_json::to_value(&p).expect("serialise");
        assert_eq!(
            v["code"], "rule.placement_with_buyer",
            "a rule error keeps its rule code through every layer (never vault.rule)"
        );
        let p = Problem::NoVault { dir: "/v".into() };
        let v = serde_json::to_value(&p).expect("serialise");
        assert_eq!(v["code"], p.code());
        assert_eq!(v["params"]["dir"], "/v");
        let v = serde_json::to_value(Problem::WrongPassphrase).expect("serialise");
        assert_eq!(v, serde_json::json!({"code": "vault.wrong_passphrase"}));
    }
}
