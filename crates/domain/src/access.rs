//! Who may do what (R-ACCESS): roles as sets of permissions, each with a reach over cases,
//! as data. The use cases in `crates/api` ask [`check`] before they read or write; the UI
//! asks the same table (through the bindings) only to hide what a role cannot do.
//!
//! A user holds one or more roles (a small office may make one person caseworker and
//! supervisor); a permission is granted when any of the user's roles grants it with a
//! reach that covers the case. What a role may *see* of a case is its [`Visibility`].

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::labelled_enum;
use crate::model::RecordKind;

labelled_enum!(
    /// A user's role in the vault.
    Role {
        /// Users, settings, calendars, backup and restore.
        Administrator => ("administrator", "管理员", "administrator"),
        /// Every case, approvals, reassignment, reports.
        Supervisor => ("supervisor", "主管", "supervisor"),
        /// The cases assigned to them and new intakes; requests approvals.
        Caseworker => ("caseworker", "个案工作者", "caseworker"),
        /// The cases placed in their institution: shelter stays, follow-ups, interviews, notes.
        ShelterStaff => ("shelter_staff", "安置机构工作人员", "shelter staff"),
        /// Read-only: the audit trail and reports.
        Auditor => ("auditor", "审计员", "auditor"),
    }
);

labelled_enum!(
    /// Something a use case does that a role may or may not do.
    Permission {
        ManageUsers => ("manage_users", "管理用户", "manage users"),
        EditSettings => ("edit_settings", "修改规则设置", "change the rule settings"),
        LoadCalendar => ("load_calendar", "导入节假日安排", "load a holiday calendar"),
        Backup => ("backup", "备份档案库", "back up the vault"),
        Restore => ("restore", "恢复备份", "restore a backup"),
        Import => ("import", "导入", "import"),
        ExportAll => ("export_all", "导出全部数据", "export everything"),
        ListCases => ("list_cases", "查看个案列表", "list cases"),
        ReadCase => ("read_case", "查看个案", "read a case"),
        CreateCase => ("create_case", "新建个案", "open a new case"),
        EditCase => ("edit_case", "修改个案", "edit a case"),
        EditRecord => ("edit_record", "添加或修改记录", "add or change a record"),
        PrintCase => ("print_case", "打印个案", "print a case"),
        RequestApproval => ("request_approval", "提请审批", "request an approval"),
        Decide => ("decide", "审批", "approve or reject"),
        Reassign => ("reassign", "调整负责社工", "reassign a case"),
        ReadAudit => ("read_audit", "查看审计记录", "read the audit trail"),
        Reports => ("reports", "查看统计报表", "see reports"),
        /// R-DUP: list the likely duplicate persons of the vault, merge two persons, undo a merge.
        MergePersons => ("merge_persons", "合并重复人员", "merge duplicate persons"),
        /// Export the ledger (台账) of the cases within reach, names and ID numbers included.
        ExportLedger => ("export_ledger", "导出台账", "export the ledger"),
        /// R-DATE: restore a voided (作废) record or case. Voiding itself is an edit
        /// (`edit_record` for a record, `edit_case` for a case).
        RestoreVoided => ("restore_voided", "恢复已作废的记录或个案", "restore a voided record or case"),
        /// Hand-off between devices: this device's card, adding and removing peers.
        ManagePeers => ("manage_peers", "管理对端设备", "manage peer devices"),
        /// Send a case to a peer device in a signed, encrypted bundle.
        SendBundle => ("send_bundle", "发送移交包", "send a hand-off bundle"),
        /// Open a peer's bundle and merge it into the vault.
        OpenBundle => ("open_bundle", "接收移交包", "open a hand-off bundle"),
    }
);

labelled_enum!(
    /// Which cases a granted permission covers.
    Reach {
        /// Not about a case (settings, users, the audit trail).
        Vault => ("vault", "整个档案库", "the vault"),
        /// The cases whose responsible caseworker is the user.
        Own => ("own", "本人负责的个案", "own cases"),
        /// The cases placed or sheltered in the user's institution.
        Institution => ("institution", "本机构安置的个案", "cases in their institution"),
        /// Every case.
        All => ("all", "全部个案", "every case"),
    }
);

/// One row of the permission table: `role` may do `permission` over `reach`; for
/// [`Permission::EditRecord`], only the record kinds listed (`None`: every kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub permission: Permission,
    pub reach: Reach,
    pub kinds: Option<&'static [RecordKind]>,
}

const fn g(role: Role, permission: Permission, reach: Reach) -> Grant {
    Grant {
        role,
        permission,
        reach,
        kinds: None,
    }
}

/// What shelter staff record about the people in their care.
pub const SHELTER_KINDS: &[RecordKind] = &[
    RecordKind::ShelterStay,
    RecordKind::FollowUp,
    RecordKind::Interview,
    RecordKind::Note,
];

use Permission as P;
use Reach as R;
use Role::*;

/// The whole table. Anything not listed is denied.
pub const GRANTS: &[Grant] = &[
    // Administrator: the vault itself, not the cases' contents.
    g(Administrator, P::ManageUsers, R::Vault),
    g(Administrator, P::EditSettings, R::Vault),
    g(Administrator, P::LoadCalendar, R::Vault),
    g(Administrator, P::Backup, R::Vault),
    g(Administrator, P::Restore, R::Vault),
    g(Administrator, P::Import, R::Vault),
    g(Administrator, P::ExportAll, R::Vault),
    g(Administrator, P::ExportLedger, R::All),
    g(Administrator, P::ReadAudit, R::Vault),
    g(Administrator, P::ManagePeers, R::Vault),
    // Supervisor: every case, approvals, reassignment, reports.
    g(Supervisor, P::ListCases, R::All),
    g(Supervisor, P::ReadCase, R::All),
    g(Supervisor, P::CreateCase, R::Vault),
    g(Supervisor, P::EditCase, R::All),
    g(Supervisor, P::EditRecord, R::All),
    g(Supervisor, P::PrintCase, R::All),
    g(Supervisor, P::RequestApproval, R::All),
    g(Supervisor, P::Decide, R::All),
    g(Supervisor, P::Reassign, R::All),
    g(Supervisor, P::ReadAudit, R::Vault),
    g(Supervisor, P::Reports, R::Vault),
    g(Supervisor, P::Import, R::Vault),
    g(Supervisor, P::MergePersons, R::All),
    g(Supervisor, P::ExportLedger, R::All),
    g(Supervisor, P::RestoreVoided, R::All),
    g(Supervisor, P::ManagePeers, R::Vault),
    g(Supervisor, P::SendBundle, R::All),
    g(Supervisor, P::OpenBundle, R::Vault),
    // Caseworker: their own cases and new intakes.
    g(Caseworker, P::ListCases, R::Own),
    g(Caseworker, P::ReadCase, R::Own),
    g(Caseworker, P::CreateCase, R::Vault),
    g(Caseworker, P::EditCase, R::Own),
    g(Caseworker, P::EditRecord, R::Own),
    g(Caseworker, P::PrintCase, R::Own),
    g(Caseworker, P::RequestApproval, R::Own),
    g(Caseworker, P::ExportLedger, R::Own),
    g(Caseworker, P::SendBundle, R::Own),
    g(Caseworker, P::OpenBundle, R::Vault),
    // Shelter staff: the cases in their institution, a few kinds of record.
    g(ShelterStaff, P::ListCases, R::Institution),
    g(ShelterStaff, P::ReadCase, R::Institution),
    Grant {
        role: ShelterStaff,
        permission: P::EditRecord,
        reach: R::Institution,
        kinds: Some(SHELTER_KINDS),
    },
    g(ShelterStaff, P::SendBundle, R::Institution),
    g(ShelterStaff, P::OpenBundle, R::Vault),
    // Auditor: reads, never edits.
    g(Auditor, P::ListCases, R::All),
    g(Auditor, P::ReadCase, R::All),
    g(Auditor, P::ReadAudit, R::Vault),
    g(Auditor, P::Reports, R::Vault),
];

/// Who is acting: the unlocked user's name, roles and (for shelter staff) institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Actor {
    pub name: String,
    pub roles: Vec<Role>,
    /// The institution whose cases shelter staff see (救助管理站、儿童福利机构 …).
    #[serde(default)]
    pub institution: Option<String>,
}

/// What about a case decides the reach: its responsible caseworker and the institutions
/// where the person is sheltered or placed.
#[derive(Debug, Clone, Copy)]
pub struct CaseScope<'a> {
    pub caseworker: &'a str,
    pub institutions: &'a [&'a str],
}

/// What a permission is asked for.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The vault as a whole (settings, users, a new case, the audit trail).
    Vault,
    /// One case.
    Case(CaseScope<'a>),
    /// A record of one kind in one case.
    Record(CaseScope<'a>, RecordKind),
}

fn covers(actor: &Actor, reach: Reach, target: &Target<'_>) -> bool {
    let scope = match target {
        Target::Vault => return reach == Reach::Vault,
        Target::Case(s) | Target::Record(s, _) => s,
    };
    match reach {
        Reach::Vault => false,
        Reach::All => true,
        Reach::Own => !actor.name.is_empty() && scope.caseworker == actor.name,
        Reach::Institution => actor
            .institution
            .as_deref()
            .is_some_and(|i| !i.is_empty() && scope.institutions.contains(&i)),
    }
}

fn kind_allowed(grant: &Grant, target: &Target<'_>) -> bool {
    match (grant.kinds, target) {
        (Some(kinds), Target::Record(_, kind)) => kinds.contains(kind),
        _ => true,
    }
}

/// Whether `actor` may do `permission` on `target`.
pub fn allows(actor: &Actor, permission: Permission, target: &Target<'_>) -> bool {
    GRANTS.iter().any(|grant| {
        grant.permission == permission
            && actor.roles.contains(&grant.role)
            && covers(actor, grant.reach, target)
            && kind_allowed(grant, target)
    })
}

/// [`allows`], as the error a use case returns when it does not.
pub fn check(
    actor: &Actor,
    permission: Permission,
    target: &Target<'_>,
) -> Result<(), DomainError> {
    if allows(actor, permission, target) {
        Ok(())
    } else {
        Err(DomainError::PermissionDenied {
            permission,
            record_kind: match target {
                Target::Record(_, kind) => Some(*kind),
                _ => None,
            },
        })
    }
}

/// The widest reach `actor` has for `permission` (to filter lists: `All`, else `Own` and
/// `Institution` together); `None` when no role grants it.
pub fn reaches(actor: &Actor, permission: Permission) -> Vec<Reach> {
    let mut out: Vec<Reach> = GRANTS
        .iter()
        .filter(|g| g.permission == permission && actor.roles.contains(&g.role))
        .map(|g| g.reach)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What of a case a reader is shown. Shelter staff care for the person but take no part
/// in the legal proceedings: they see no legal-aid details and no police references (as
/// in the printed hand-off to a hospital or school).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Visibility {
    pub police_reference: bool,
    pub legal_aid: bool,
    pub identity_documents: bool,
    pub history: bool,
}

impl Visibility {
    /// Everything.
    pub const FULL: Visibility = Visibility {
        police_reference: true,
        legal_aid: true,
        identity_documents: true,
        history: true,
    };
}

/// What `actor` is shown of the cases they may read: everything, unless every role they
/// hold that may read cases is shelter staff.
pub fn visibility(actor: &Actor) -> Visibility {
    let full = actor
        .roles
        .iter()
        .any(|r| matches!(r, Supervisor | Caseworker | Auditor));
    if full {
        Visibility::FULL
    } else {
        Visibility {
            police_reference: false,
            legal_aid: false,
            identity_documents: false,
            history: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::LabelledEnum;

    fn actor(roles: &[Role], institution: Option<&str>) -> Actor {
        Actor {
            name: "王芳".into(),
            roles: roles.to_vec(),
            institution: institution.map(str::to_owned),
        }
    }

    const HERS: CaseScope<'static> = CaseScope {
        caseworker: "王芳",
        institutions: &["区救助管理站"],
    };
    const OTHERS: CaseScope<'static> = CaseScope {
        caseworker: "李强",
        institutions: &["市儿童福利院"],
    };

    #[test]
    fn a_caseworker_reaches_only_her_own_cases() {
        let a = actor(&[Caseworker], None);
        assert!(allows(&a, P::ReadCase, &Target::Case(HERS)), "her own case");
        assert!(
            !allows(&a, P::ReadCase, &Target::Case(OTHERS)),
            "another caseworker's case is out of reach"
        );
        assert!(allows(&a, P::CreateCase, &Target::Vault), "new intakes");
        assert!(
            !allows(&a, P::Decide, &Target::Case(HERS)),
            "a caseworker requests approvals, never decides them"
        );
    }

    #[test]
    fn shelter_staff_record_only_their_kinds_in_their_institution() {
        let a = actor(&[ShelterStaff], Some("市儿童福利院"));
        let note = Target::Record(OTHERS, RecordKind::Note);
        let legal = Target::Record(OTHERS, RecordKind::LegalAid);
        assert!(
            allows(&a, P::EditRecord, &note),
            "a note in her institution's case"
        );
        assert!(
            !allows(&a, P::EditRecord, &legal),
            "legal aid is not shelter staff's to record"
        );
        assert!(
            !allows(&a, P::ReadCase, &Target::Case(HERS)),
            "a case placed elsewhere is out of reach"
        );
        assert_eq!(
            check(&a, P::EditRecord, &legal),
            Err(DomainError::PermissionDenied {
                permission: P::EditRecord,
                record_kind: Some(RecordKind::LegalAid)
            })
        );
        let v = visibility(&a);
        assert!(
            !v.legal_aid && !v.police_reference,
            "shelter staff see neither"
        );
    }

    #[test]
    fn shelter_staff_without_an_institution_reach_nothing() {
        let a = actor(&[ShelterStaff], None);
        assert!(!allows(&a, P::ReadCase, &Target::Case(HERS)));
        let blank = actor(&[ShelterStaff], Some(""));
        let nowhere = CaseScope {
            caseworker: "x",
            institutions: &[""],
        };
        assert!(
            !allows(&blank, P::ReadCase, &Target::Case(nowhere)),
            "an empty institution matches nothing"
        );
    }

    #[test]
    fn an_auditor_reads_and_never_edits() {
        let a = actor(&[Auditor], None);
        assert!(allows(&a, P::ReadCase, &Target::Case(OTHERS)));
        assert!(allows(&a, P::ReadAudit, &Target::Vault));
        for p in [
            P::EditCase,
            P::EditRecord,
            P::CreateCase,
            P::Decide,
            P::Reassign,
        ] {
            let target = match p {
                P::CreateCase => Target::Vault,
                P::EditRecord => Target::Record(OTHERS, RecordKind::Note),
                _ => Target::Case(OTHERS),
            };
            assert!(!allows(&a, p, &target), "an auditor may not {}", p.as_str());
        }
    }

    #[test]
    fn roles_add_up() {
        let a = actor(&[Caseworker, Supervisor], None);
        assert!(
            allows(&a, P::Decide, &Target::Case(OTHERS)),
            "as supervisor"
        );
        assert_eq!(reaches(&a, P::ReadCase), vec![R::Own, R::All]);
        let admin = actor(&[Administrator], None);
        assert!(
            !allows(&admin, P::ReadCase, &Target::Case(HERS)),
            "administering the vault is not reading its cases"
        );
        assert!(reaches(&admin, P::ReadCase).is_empty());
    }

    #[test]
    fn vault_permissions_are_not_granted_over_a_case_and_back() {
        let sup = actor(&[Supervisor], None);
        assert!(
            !allows(&sup, P::Reports, &Target::Case(HERS)),
            "a vault-wide grant does not answer a case question"
        );
        assert!(
            !allows(&sup, P::ReadCase, &Target::Vault),
            "a case grant does not answer a vault question"
        );
    }

    #[test]
    fn every_role_has_a_grant_and_every_permission_a_role() {
        for r in Role::ALL {
            assert!(
                GRANTS.iter().any(|g| g.role == *r),
                "{} has no grant",
                r.as_str()
            );
        }
        for p in Permission::ALL {
            assert!(
                GRANTS.iter().any(|g| g.permission == *p),
                "nobody may {}",
                p.as_str()
            );
        }
    }
}
