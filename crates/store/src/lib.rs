//! The Guitu vault: an SQLCipher database encrypted with a random data key, the key slots
//! that wrap that key, migrations, repositories with change history, the hash-chained
//! audit trail, search, and backup/restore.
//!
//! This is the only crate that knows SQL. Callers see domain types and the plain structs
//! defined here; every write runs in one transaction, so a failed operation leaves
//! nothing half-written.

mod approvals;
mod audit;
pub mod backup;
mod cases;
mod checkpoint;
mod deadlines;
pub mod duplicates;
pub mod error;
pub mod files;
mod history;
pub mod keys;
mod list;
mod mac;
mod meta;
mod records;
mod rekey;
mod report;
mod restore;
mod rows;
mod schema;
mod search;
pub mod sync;
mod transfer;
mod users;
mod vault;
mod void;

pub use approvals::ApprovalAct;
pub use audit::{AuditAction, AuditEntry, AuditQuery, ChainReport};
pub use checkpoint::CHECK_FILE;
pub use deadlines::{DueCandidates, FollowUpCandidate, Id3mCandidate, LegalAidCandidate};
pub use duplicates::{MergeEntry, PersonCase, StoredPerson};
pub use error::{Invalid, Result, StoreError};
pub use history::{Change, Entity, HistoryAction, HistoryEntry};
pub use keys::SlotFilter;
pub use keys::{KdfParams, Secret};
pub use list::{CaseFacets, CaseList, CaseListQuery, CaseListRow, CaseReach, CaseSort, StageCount};
pub use rekey::{RekeyProgress, RekeyStage, Removed};
pub use restore::RestoreOptions;
pub use schema::SCHEMA_VERSION;
pub use search::SearchHit;
pub use sync::{CaseMerge, Conflict, DeviceCard, MergeReport, Peer, Resolution, SealedBundle};
pub use transfer::{ImportCounts, Linked};
pub use users::{FIRST_USER_ROLES, User};
pub use vault::{OpenTiming, Vault, VerifyReport, recover};
pub use void::{VoidMark, VoidedCase, VoidedRecord};

/// File name of the encrypted database inside the vault directory.
pub const DB_FILE: &str = "guitu.db";
/// File name of the header (key slots) inside the vault directory.
pub const HEADER_FILE: &str = "vault.json";
