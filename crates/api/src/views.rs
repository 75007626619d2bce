//! What the use cases return to the front ends.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::Warning;
use guitu_domain::model::{Case, Person, Record};
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
}

/// Everything about one case, as of a day.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaseView {
    pub case: Case,
    pub person: Person,
    /// Chinese label of the stage.
    pub stage_label: String,
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
    /// Warnings of the rules (calendar fallback, unknown parents …).
    pub warnings: Vec<Warning>,
    /// The change history, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The earliest open deadline.
    pub next_deadline: Option<NaiveDate>,
}

/// The earliest open deadline of a case.
pub(crate) fn next_deadline(id3m: &Id3mStatus, legal_aid: &[LegalAidView]) -> Option<NaiveDate> {
    let id3m_next = match id3m {
        Id3mStatus::Pending { due, .. } => Some(*due),
        Id3mStatus::Triggered { steps, .. } => steps
            .iter()
            .filter(|s| s.done.is_none())
            .map(|s| s.due)
            .min(),
        _ => None,
    };
    id3m_next
        .into_iter()
        .chain(legal_aid.iter().filter_map(|l| l.status.next_due))
        .min()
}
