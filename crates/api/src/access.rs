//! R-ACCESS in the use cases: every use case asks the domain's permission table
//! (`guitu_domain::access`) for the acting user before it reads or writes; a refusal is
//! `permission.denied`, recorded in the audit trail. Lists, search and deadlines are
//! narrowed to the cases within the user's reach; what a role may not see of a case is
//! taken out of every response (see `redact`).

use std::collections::HashSet;

use uuid::Uuid;

use guitu_domain::DomainError;
use guitu_domain::access::{self, Actor, CaseScope, Permission, Reach, Target, Visibility};
use guitu_domain::label::LabelledEnum;
use guitu_domain::model::{RecordBody, RecordKind};
use guitu_store::{CaseReach, User};

use crate::due::Within;
use crate::views::CaseView;
use crate::{ApiError, Result, Session};

impl Session {
    /// The unlocked user (the recovery code acts as an administrator).
    pub fn current_user(&self) -> &User {
        &self.user
    }

    /// The acting user as the permission table sees them.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// What this user is shown of the cases they may read.
    pub fn visibility(&self) -> Visibility {
        access::visibility(&self.actor)
    }

    /// The permissions this user holds over at least some cases (for the UI, which only
    /// hides what the use cases would refuse anyway).
    pub fn permissions(&self) -> Vec<Permission> {
        Permission::ALL
            .iter()
            .copied()
            .filter(|p| !access::reaches(&self.actor, *p).is_empty())
            .collect()
    }

    fn deny(&self, error: DomainError, target: &str) -> ApiError {
        let detail = match &error {
            DomainError::PermissionDenied {
                permission,
                record_kind,
            } => match record_kind {
                Some(k) => format!("{}:{}", permission.as_str(), k.as_str()),
                None => permission.as_str().to_owned(),
            },
            other => other.code().to_owned(),
        };
        // The refusal stands even if it cannot be recorded (a full disk).
        let _ = self.vault.audit_denied(target, &detail);
        ApiError::Rule(error)
    }

    /// Checks a permission about the vault as a whole.
    pub(crate) fn require(&self, permission: Permission) -> Result<()> {
        access::check(&self.actor, permission, &Target::Vault).map_err(|e| self.deny(e, "vault"))
    }

    /// Checks a permission on the case `case_id` (and, for a record, its kind).
    pub(crate) fn require_case(
        &self,
        permission: Permission,
        case_id: Uuid,
        kind: Option<RecordKind>,
    ) -> Result<()> {
        let (caseworker, institutions) = self.vault.case_scope(&case_id.to_string())?;
        let institutions: Vec<&str> = institutions.iter().map(String::as_str).collect();
        let scope = CaseScope {
            caseworker: &caseworker,
            institutions: &institutions,
        };
        let target = match kind {
            Some(k) => Target::Record(scope, k),
            None => Target::Case(scope),
        };
        access::check(&self.actor, permission, &target)
            .map_err(|e| self.deny(e, &format!("case:{case_id}")))
    }

    /// Refuses a step that needs a supervisor's decision unless the user may decide.
    pub(crate) fn require_decision(
        &self,
        needed: Option<guitu_domain::approval::ApprovalSubject>,
        case_id: Uuid,
    ) -> Result<()> {
        let Some(subject) = needed else {
            return Ok(());
        };
        if self
            .require_case_quietly(Permission::Decide, case_id)
            .is_ok()
        {
            return Ok(());
        }
        Err(self.deny(
            DomainError::ApprovalNeeded { subject },
            &format!("case:{case_id}"),
        ))
    }

    pub(crate) fn require_case_quietly(&self, permission: Permission, case_id: Uuid) -> Result<()> {
        let (caseworker, institutions) = self.vault.case_scope(&case_id.to_string())?;
        let institutions: Vec<&str> = institutions.iter().map(String::as_str).collect();
        let scope = CaseScope {
            caseworker: &caseworker,
            institutions: &institutions,
        };
        Ok(access::check(
            &self.actor,
            permission,
            &Target::Case(scope),
        )?)
    }

    /// The cases `permission` reaches, for the store's list queries.
    pub(crate) fn reach(&self, permission: Permission) -> CaseReach {
        let reaches = access::reaches(&self.actor, permission);
        CaseReach {
            all: reaches.contains(&Reach::All),
            caseworker: reaches
                .contains(&Reach::Own)
                .then(|| self.actor.name.clone()),
            institution: if reaches.contains(&Reach::Institution) {
                self.actor.institution.clone()
            } else {
                None
            },
        }
    }

    /// The case ids this user may list (`None`: every case).
    pub(crate) fn listable(&self) -> Result<Option<HashSet<String>>> {
        self.require_any(Permission::ListCases)?;
        Ok(self
            .vault
            .case_ids_within(&self.reach(Permission::ListCases))?)
    }

    /// Which of `ids` this user may list (`None`: all).
    pub(crate) fn listable_of(&self, ids: &[String]) -> Result<Option<HashSet<String>>> {
        self.require_any(Permission::ListCases)?;
        Ok(self
            .vault
            .cases_within(ids, &self.reach(Permission::ListCases))?)
    }

    /// Which deadlines this user is shown.
    pub(crate) fn within(&self) -> Result<Within> {
        self.require_any(Permission::ListCases)?;
        Ok(Within {
            reach: self.reach(Permission::ListCases),
            legal_aid: self.visibility().legal_aid,
        })
    }

    /// Refuses a user who holds `permission` over no case at all.
    pub(crate) fn require_any(&self, permission: Permission) -> Result<()> {
        if access::reaches(&self.actor, permission).is_empty() {
            return Err(self.deny(
                DomainError::PermissionDenied {
                    permission,
                    record_kind: None,
                },
                "vault",
            ));
        }
        Ok(())
    }
}

/// Takes out of a case view what `visibility` does not show (shelter staff: legal aid,
/// police references, identity documents, the change history).
pub(crate) fn redact(view: &mut CaseView, visibility: Visibility) {
    if !visibility.police_reference {
        view.case.police_reference = None;
        for r in &mut view.records {
            if let RecordBody::IdentityAttempt(a) = &mut r.body {
                a.police_reference = None;
            }
        }
    }
    if !visibility.police_reference {
        for v in &mut view.voided_records {
            if let RecordBody::IdentityAttempt(a) = &mut v.record.body {
                a.police_reference = None;
            }
        }
    }
    if !visibility.legal_aid {
        view.voided_records
            .retain(|v| v.record.body.kind() != RecordKind::LegalAid);
        view.records
            .retain(|r| r.body.kind() != RecordKind::LegalAid);
        view.legal_aid.clear();
        let kept: HashSet<Uuid> = view.records.iter().map(|r| r.id).collect();
        view.warnings
            .retain(|w| w.record_id.is_none_or(|id| kept.contains(&id)));
        view.deadlines.retain(|d| d.what.rule() != "R-LA-GC");
        view.next_deadline = guitu_domain::rules::due::CaseDue::of(&view.deadlines);
    }
    if !visibility.identity_documents {
        view.person.resident_id = None;
    }
    if !visibility.history {
        view.history.clear();
    }
}
