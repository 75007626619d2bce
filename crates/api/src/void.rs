//! Voiding (作废, R-DATE): a record or a case entered by mistake is voided with a
//! reason, never deleted; a supervisor restores it.
//!
//! Who may void is who may change it: a record, whoever may edit records of its kind in
//! its case (`edit_record`: a caseworker her own cases, shelter staff their kinds in
//! their institution, a supervisor every case); a case, whoever may edit the case
//! (`edit_case`). Restoring is a supervisor's act (`restore_voided`). A voided item
//! leaves the lists, search, the deadlines and the figures (the store leaves it out of
//! every query that feeds them); the change history has a `void` and a `restore` entry,
//! the audit trail `record_voided` / `case_voided` and their restorations.

use uuid::Uuid;

use guitu_domain::access::Permission;
use guitu_domain::validate;
use guitu_store::{Invalid, StoreError, VoidedCase};

use crate::{Result, Session};

impl Session {
    /// Voids a record with a reason (required).
    pub fn void_record(&mut self, id: Uuid, reason: &str) -> Result<()> {
        let record = self.vault.record(id)?;
        self.require_case(
            Permission::EditRecord,
            record.case_id,
            Some(record.body.kind()),
        )?;
        let reason = validate::void_reason(reason)?;
        Ok(self.vault.void_record(id, &reason)?)
    }

    /// Restores a voided record (a supervisor's act).
    pub fn restore_record(&mut self, id: Uuid) -> Result<()> {
        let record = self.vault.record(id)?;
        self.require_case(Permission::RestoreVoided, record.case_id, None)?;
        Ok(self.vault.restore_record(id)?)
    }

    /// Voids a case (by number or id) with a reason (required).
    pub fn void_case(&mut self, reference: &str, reason: &str) -> Result<()> {
        let case = self.vault.find_case(reference)?;
        self.require_case(Permission::EditCase, case.id, None)?;
        let reason = validate::void_reason(reason)?;
        Ok(self.vault.void_case(case.id, &reason)?)
    }

    /// Restores a voided case (a supervisor's act).
    pub fn restore_case(&mut self, reference: &str) -> Result<()> {
        let case = self.vault.find_case(reference)?;
        self.require_case(Permission::RestoreVoided, case.id, None)?;
        Ok(self.vault.restore_case(case.id)?)
    }

    /// The voided cases, most recently voided first: for those who may restore them.
    pub fn voided_cases(&self) -> Result<Vec<VoidedCase>> {
        self.require_any(Permission::RestoreVoided)?;
        Ok(self.vault.voided_cases()?)
    }

    /// Refuses a change to a voided record or to anything of a voided case: restore it
    /// first.
    pub(crate) fn refuse_voided(&self, case_id: Uuid, record: Option<Uuid>) -> Result<()> {
        let voided = match record {
            Some(id) => self.vault.record_void(id)?.is_some(),
            None => false,
        } || self.vault.case_void(case_id)?.is_some();
        if voided {
            return Err(StoreError::Invalid(Invalid::Voided).into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_blank_reason_is_refused_by_the_domain() {
        assert!(matches!(
            guitu_domain::validate::void_reason("   "),
            Err(guitu_domain::DomainError::Required { field }) if field == "void.reason"
        ));
        assert_eq!(
            guitu_domain::validate::void_reason(" 重复录入 ").as_deref(),
            Ok("重复录入")
        );
    }
}
