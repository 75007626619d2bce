//! Approvals (R-ACCESS): closing a case, a placement decision and the R-ID-3M district
//! approval step are requested (with a note) and decided — approved or rejected, with a
//! reason — by a supervisor who is not the requester. Which changes are such steps, and
//! who may decide, is decided here; the API enforces it and the store keeps the requests.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Actor;
use crate::error::DomainError;
use crate::labelled_enum;
use crate::model::{Case, RecordBody, Stage, TrackStep};

/// Longest note or reason, in characters.
pub const MAX_APPROVAL_TEXT: u32 = 500;

labelled_enum!(
    /// What an approval is for.
    ApprovalSubject {
        /// Closing the case (结案).
        Closure => ("closure", "结案", "closing the case"),
        /// A placement decision (the placement record's supervisor approval).
        Placement => ("placement", "安置决定", "placement decision"),
        /// The R-ID-3M step "district government approval" (报区政府同意).
        DistrictApproval => ("district_approval", "报区政府同意", "district government approval"),
    }
);

labelled_enum!(
    /// How a request was decided.
    ApprovalOutcome {
        Approved => ("approved", "已批准", "approved"),
        Rejected => ("rejected", "已驳回", "rejected"),
    }
);

/// A request for approval and, once decided, its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ApprovalRequest {
    pub id: Uuid,
    pub case_id: Uuid,
    pub subject: ApprovalSubject,
    /// The placement record a placement decision is about.
    pub record_id: Option<Uuid>,
    pub requested_by: String,
    pub requested_on: NaiveDate,
    pub note: String,
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub outcome: Option<ApprovalOutcome>,
    pub reason: Option<String>,
}

impl ApprovalRequest {
    /// Whether the request waits for a decision.
    pub fn pending(&self) -> bool {
        self.outcome.is_none()
    }
}

fn text(field: &'static str, value: &str, required: bool) -> Result<(), DomainError> {
    if required && value.trim().is_empty() {
        return Err(DomainError::Required {
            field: field.into(),
        });
    }
    if value.chars().count() > MAX_APPROVAL_TEXT as usize {
        return Err(DomainError::TooLong {
            field: field.into(),
            max: MAX_APPROVAL_TEXT,
        });
    }
    Ok(())
}

/// Checks a new request: a note is required; a placement decision names its placement
/// record.
pub fn validate_request(
    subject: ApprovalSubject,
    record: Option<&RecordBody>,
    note: &str,
) -> Result<(), DomainError> {
    text("note", note, true)?;
    if subject == ApprovalSubject::Placement && !matches!(record, Some(RecordBody::Placement(_))) {
        return Err(DomainError::Required {
            field: "record_id".into(),
        });
    }
    Ok(())
}

/// Checks a decision: not by the requester, not twice, and a rejection says why.
pub fn check_decision(
    request: &ApprovalRequest,
    decider: &Actor,
    outcome: ApprovalOutcome,
    reason: &str,
) -> Result<(), DomainError> {
    if !request.pending() {
        return Err(DomainError::AlreadyDecided);
    }
    if request.requested_by == decider.name {
        return Err(DomainError::SelfApproval);
    }
    text("reason", reason, outcome == ApprovalOutcome::Rejected)
}

/// Whether changing `old` into `new` is a step that needs a decision (closing the case).
pub fn case_change_needs(old: &Case, new: &Case) -> Option<ApprovalSubject> {
    (new.stage == Stage::Closed && old.stage != Stage::Closed).then_some(ApprovalSubject::Closure)
}

/// Whether writing `new` (over `old`, when editing) is a step that needs a decision: a
/// placement's supervisor approval set or changed, a district-approval step recorded.
pub fn record_change_needs(old: Option<&RecordBody>, new: &RecordBody) -> Option<ApprovalSubject> {
    match new {
        RecordBody::Placement(p) => {
            let before = match old {
                Some(RecordBody::Placement(o)) => o.supervisor_approval.as_ref(),
                _ => None,
            };
            (p.supervisor_approval.is_some() && p.supervisor_approval.as_ref() != before)
                .then_some(ApprovalSubject::Placement)
        }
        RecordBody::TrackStep(t) if t.step == TrackStep::DistrictApproval => {
            (old != Some(new)).then_some(ApprovalSubject::DistrictApproval)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::model::TrackStepRecord;

    fn request(by: &str) -> ApprovalRequest {
        ApprovalRequest {
            id: Uuid::nil(),
            case_id: Uuid::nil(),
            subject: ApprovalSubject::Closure,
            record_id: None,
            requested_by: by.into(),
            requested_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
            note: "家人已接回".into(),
            decided_by: None,
            decided_on: None,
            outcome: None,
            reason: None,
        }
    }

    fn supervisor(name: &str) -> Actor {
        Actor {
            name: name.into(),
            roles: vec![Role::Supervisor],
            institution: None,
        }
    }

    #[test]
    fn nobody_approves_their_own_request() {
        let r = request("王芳");
        assert_eq!(
            check_decision(&r, &supervisor("王芳"), ApprovalOutcome::Approved, ""),
            Err(DomainError::SelfApproval)
        );
        assert_eq!(
            check_decision(&r, &supervisor("刘主任"), ApprovalOutcome::Approved, ""),
            Ok(()),
            "another supervisor approves, a reason is optional"
        );
    }

    #[test]
    fn a_rejection_says_why_and_a_decision_is_final() {
        let mut r = request("王芳");
        assert!(matches!(
            check_decision(&r, &supervisor("刘主任"), ApprovalOutcome::Rejected, " "),
            Err(DomainError::Required { .. })
        ));
        r.outcome = Some(ApprovalOutcome::Approved);
        assert_eq!(
            check_decision(&r, &supervisor("刘主任"), ApprovalOutcome::Rejected, "不妥"),
            Err(DomainError::AlreadyDecided)
        );
    }

    #[test]
    fn a_district_approval_step_needs_a_decision_other_steps_do_not() {
        let step = |s| {
            RecordBody::TrackStep(TrackStepRecord {
                step: s,
                date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
                by: "王芳".into(),
                notes: None,
            })
        };
        assert_eq!(
            record_change_needs(None, &step(TrackStep::DistrictApproval)),
            Some(ApprovalSubject::DistrictApproval)
        );
        assert_eq!(
            record_change_needs(None, &step(TrackStep::HouseholdRegistration)),
            None
        );
        let same = step(TrackStep::DistrictApproval);
        assert_eq!(
            record_change_needs(Some(&same), &same),
            None,
            "saving the step unchanged decides nothing"
        );
    }
}
