//! Approvals: a caseworker requests closing a case, a placement decision or the R-ID-3M
//! district approval (with a note); a supervisor who is not the requester approves (the
//! step is then done, in the same transaction) or rejects it (with a reason). The rules
//! are `guitu_domain::approval`.

use chrono::NaiveDate;
use uuid::Uuid;

use guitu_domain::access::Permission;
use guitu_domain::approval::{self, ApprovalOutcome, ApprovalRequest, ApprovalSubject};
use guitu_domain::model::{Approval, RecordBody, Stage, TrackStep, TrackStepRecord};
use guitu_store::ApprovalAct;

use crate::{Result, Session};

impl Session {
    /// Requests an approval on the case `reference` (a placement decision names its
    /// placement record).
    pub fn request_approval(
        &mut self,
        reference: &str,
        subject: ApprovalSubject,
        record_id: Option<Uuid>,
        note: &str,
        today: NaiveDate,
    ) -> Result<ApprovalRequest> {
        let case = self.vault.find_case(reference)?;
        self.require_case(Permission::RequestApproval, case.id, None)?;
        let record = match record_id {
            Some(id) => {
                let r = self.vault.record(id)?;
                if r.case_id != case.id {
                    return Err(guitu_domain::DomainError::Required {
                        field: "record_id".into(),
                    }
                    .into());
                }
                Some(r.body)
            }
            None => None,
        };
        approval::validate_request(subject, record.as_ref(), note)?;
        let req = ApprovalRequest {
            id: Uuid::now_v7(),
            case_id: case.id,
            subject,
            record_id,
            requested_by: self.actor.name.clone(),
            requested_on: today,
            note: note.trim().to_owned(),
            decided_by: None,
            decided_on: None,
            outcome: None,
            reason: None,
        };
        self.vault.request_approval(&req)?;
        Ok(req)
    }

    /// Approves or rejects the request `id`. An approval does the step: the case closed,
    /// the placement's supervisor approval, the district-approval step recorded.
    pub fn decide_approval(
        &mut self,
        id: Uuid,
        outcome: ApprovalOutcome,
        reason: &str,
        today: NaiveDate,
    ) -> Result<ApprovalRequest> {
        let req = self.vault.approval(id)?;
        self.require_case(Permission::Decide, req.case_id, None)?;
        approval::check_decision(&req, &self.actor, outcome, reason)?;
        let act = if outcome == ApprovalOutcome::Rejected {
            ApprovalAct::Nothing
        } else {
            match req.subject {
                ApprovalSubject::Closure => {
                    let mut case = self.vault.case(req.case_id)?;
                    case.stage = Stage::Closed;
                    guitu_domain::validate::validate_case(&case)?;
                    ApprovalAct::SaveCase(case)
                }
                ApprovalSubject::Placement => {
                    let rid = req.record_id.ok_or(guitu_domain::DomainError::Required {
                        field: "record_id".into(),
                    })?;
                    let mut body = self.vault.record(rid)?.body;
                    if let RecordBody::Placement(p) = &mut body {
                        p.supervisor_approval = Some(Approval {
                            by: self.actor.name.clone(),
                            date: today,
                        });
                    }
                    self.check_record_as_decider(req.case_id, &body, Some(rid), today)?;
                    ApprovalAct::UpdateRecord(rid, body)
                }
                ApprovalSubject::DistrictApproval => {
                    let body = RecordBody::TrackStep(TrackStepRecord {
                        step: TrackStep::DistrictApproval,
                        date: today,
                        by: self.actor.name.clone(),
                        notes: Some(req.note.clone()),
                    });
                    self.check_record_as_decider(req.case_id, &body, None, today)?;
                    ApprovalAct::AddRecord(body)
                }
            }
        };
        let reason = (!reason.trim().is_empty()).then(|| reason.trim().to_owned());
        Ok(self
            .vault
            .decide_approval(id, outcome, reason, today, act)?)
    }

    /// The domain's validation of the record an approval writes (the decider's own
    /// permission to decide was checked).
    fn check_record_as_decider(
        &self,
        case_id: Uuid,
        body: &RecordBody,
        editing: Option<Uuid>,
        today: NaiveDate,
    ) -> Result<()> {
        let case = self.vault.case(case_id)?;
        let person = self.vault.person(case.person_id)?;
        let others: Vec<_> = self
            .vault
            .records_of_case(case_id)?
            .into_iter()
            .filter(|r| Some(r.id) != editing)
            .collect();
        let ctx = self.record_context(&person, &case, &others, today);
        guitu_domain::validate::validate_record(body, &ctx)?;
        Ok(())
    }

    /// Requests waiting for this user's decision (not their own), and — for a requester —
    /// their own requests with the outcome, newest first.
    pub fn approvals_for_me(&self) -> Result<MyApprovals> {
        let to_decide = if self.permissions().contains(&Permission::Decide) {
            let pending: Vec<ApprovalRequest> = self
                .vault
                .pending_approvals()?
                .into_iter()
                .filter(|r| r.requested_by != self.actor.name)
                .collect();
            let ids: Vec<String> = pending.iter().map(|r| r.case_id.to_string()).collect();
            let keep = self
                .vault
                .cases_within(&ids, &self.reach(Permission::Decide))?;
            pending
                .into_iter()
                .filter(|r| {
                    keep.as_ref()
                        .is_none_or(|k| k.contains(&r.case_id.to_string()))
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut mine = self.vault.approvals_requested_by(&self.actor.name)?;
        mine.reverse();
        let numbers = |list: &[ApprovalRequest]| -> Result<Vec<String>> {
            list.iter()
                .map(|r| Ok(self.vault.case(r.case_id)?.case_number))
                .collect()
        };
        Ok(MyApprovals {
            to_decide_case_numbers: numbers(&to_decide)?,
            to_decide,
            mine_case_numbers: numbers(&mine)?,
            mine,
        })
    }
}

/// The approvals on a user's dashboard.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct MyApprovals {
    /// Pending requests this user may decide (a supervisor), oldest first.
    pub to_decide: Vec<ApprovalRequest>,
    /// The case number of each of `to_decide`.
    pub to_decide_case_numbers: Vec<String>,
    /// This user's own requests, newest first, with their outcome.
    pub mine: Vec<ApprovalRequest>,
    pub mine_case_numbers: Vec<String>,
}
