//! What the use cases return to the front ends.

use serde::Serialize;
use uuid::Uuid;

use guitu_domain::Warning;
use guitu_domain::model::{Case, Person, Record};
use guitu_domain::rules::due::{CaseDue, Deadline};
use guitu_domain::rules::id3m::Id3mStatus;
use guitu_domain::rules::legal_aid::LegalAidStatus;
use guitu_domain::rules::placement::UnknownParentsGuidance;
use guitu_store::HistoryEntry;

/// A saved value and the warnings the rules raised while accepting it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SaveOutcome<T> {
    pub value: T,
    pub warnings: Vec<Warning>,
}

/// A legal-aid application's green-channel state.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct LegalAidView {
    pub record_id: Uuid,
    pub status: LegalAidStatus,
    /// The application's open steps as deadlines, in their tier.
    pub deadlines: Vec<Deadline>,
}

/// A warning of a case as it stands, with the record it is about (if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CaseWarning {
    pub record_id: Option<Uuid>,
    pub warning: Warning,
}

/// Everything about one case, as of a day.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaseView {
    pub case: Case,
    pub person: Person,
    #[ts(type = "number")]
    pub days_since_intake: i64,
    /// Full years on the day (from the recorded, possibly estimated, birth date).
    pub age: Option<u32>,
    /// Every record, by date.
    pub records: Vec<Record>,
    /// R-ID-3M.
    pub id3m: Id3mStatus,
    /// R-LA-GC, one per application.
    pub legal_aid: Vec<LegalAidView>,
    /// R-PL-UNKNOWN.
    pub guidance: UnknownParentsGuidance,
    /// Every warning the rules give the case as it stands: the person's, each record's
    /// (with its id), the calendar's, R-PL-UNKNOWN.
    pub warnings: Vec<CaseWarning>,
    /// The change history, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The nearest open deadline and how many are overdue and due soon.
    pub next_deadline: Option<CaseDue>,
    /// Every open deadline of the case (R-ID-3M line and steps, R-LA-GC steps), nearest
    /// first.
    pub deadlines: Vec<Deadline>,
    /// Approval requests of the case and their decisions, oldest first.
    pub approvals: Vec<guitu_domain::approval::ApprovalRequest>,
    /// R-DATE: the records voided (作废) by mistake, with who, when and why; they are
    /// not in `records` and count for no rule.
    pub voided_records: Vec<guitu_store::VoidedRecord>,
    /// R-DATE: the case itself is voided (who, when, why).
    pub void: Option<guitu_store::VoidMark>,
}
