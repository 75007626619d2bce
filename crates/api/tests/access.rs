//! R-ACCESS enforced in the use cases (issue 10): every use case called as every role,
//! allowed or refused exactly as the domain's one permission table (`access::GRANTS`)
//! says; a refusal is `permission.denied` and lands in the audit trail; shelter staff never
//! receive legal-aid details or police references; approvals need a second person.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use chrono::NaiveDate;
use guitu_api::{ApiError, CaseListQuery, CaseSort, KdfParams, PrintKind, Secret, Session};
use guitu_domain::DomainError;
use guitu_domain::access::{self, CaseScope, Permission, Role, Target};
use guitu_domain::approval::{ApprovalOutcome, ApprovalSubject};
use guitu_domain::model::*;
use uuid::Uuid;

const PASS: &str = "test-passphrase-1";
const SHELTER: &str = "大足区救助管理站";
const OWNER: &str = "王芳";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

fn kdf() -> KdfParams {
    KdfParams::insecure_for_tests()
}

fn secret() -> Secret {
    Secret::new(PASS.into())
}

/// The users of the test vault: name, roles, institution.
const USERS: &[(&str, &[Role], Option<&str>)] = &[
    ("刘主任", &[Role::Supervisor], None),
    (OWNER, &[Role::Caseworker], None),
    ("李强", &[Role::Caseworker], None),
    ("张姐", &[Role::ShelterStaff], Some(SHELTER)),
    ("审计员甲", &[Role::Auditor], None),
    ("管理员乙", &[Role::Administrator], None),
];

/// A vault made by 管理员 (administrator and supervisor), with the users above and one
/// case of 王芳's received at the shelter: a police reference, a note, a legal-aid
/// application and a pending closure request by 王芳.
struct Fixture {
    number: String,
    case_id: Uuid,
    case: Case,
    person: Person,
    note: (Uuid, RecordBody),
    legal: (Uuid, RecordBody),
    pending: Uuid,
}

fn vault(dir: &Path) -> Fixture {
    let (mut s, _) = Session::create(dir, "管理员", &secret(), &kdf()).expect("create");
    for (name, roles, inst) in USERS {
        s.add_user(name, roles, *inst, &secret(), &kdf())
            .expect("the administrator adds a user");
    }
    let person = Person {
        id: Uuid::nil(),
        name: Some("陈小兰".into()),
        sex: Sex::Female,
        birth_date: Some(BirthDate {
            date: d("2012-03-01"),
            estimated: false,
        }),
        resident_id: None,
        ..Default::default()
    };
    let case = Case {
        id: Uuid::nil(),
        case_number: String::new(),
        person_id: Uuid::nil(),
        institution: SHELTER.into(),
        institution_kind: InstitutionKind::AssistanceStation,
        received_date: d("2026-10-20"),
        referral: ReferralSource::PoliceRescue,
        police_reference: Some("公（刑）字2026-117号".into()),
        caseworker: OWNER.into(),
        flags: CaseFlags::default(),
        stage: Stage::Placement,
    };
    let case_id = s.create_case(person, case).expect("case").value;
    s.add_record(
        case_id,
        RecordBody::Note(Note {
            date: d("2026-10-21"),
            text: "情绪稳定".into(),
        }),
    )
    .expect("note");
    s.add_record(
        case_id,
        RecordBody::LegalAid(LegalAid::application(
            "大足区法律援助中心",
            "人身损害赔偿",
            d("2026-11-02"),
        )),
    )
    .expect("legal aid");
    let view = s
        .case_view(&case_id.to_string(), d("2026-11-29"))
        .expect("view");
    let number = view.case.case_number.clone();
    let find = |k: RecordKind| {
        let r = view
            .records
            .iter()
            .find(|r| r.body.kind() == k)
            .expect("record");
        (r.id, r.body.clone())
    };
    let (note, legal) = (find(RecordKind::Note), find(RecordKind::LegalAid));
    drop(s);
    let mut owner = Session::open_as(dir, OWNER, &secret()).expect("王芳 unlocks");
    let pending = owner
        .request_approval(
            &number,
            ApprovalSubject::Closure,
            None,
            "已返回家庭",
            d("2026-11-20"),
        )
        .expect("the caseworker requests closure of her case")
        .id;
    Fixture {
        number,
        case_id,
        case: view.case,
        person: view.person,
        note,
        legal,
        pending,
    }
}

fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn is_denied(r: &Result<impl std::fmt::Debug, ApiError>) -> bool {
    matches!(r, Err(ApiError::Rule(DomainError::PermissionDenied { .. })))
}

#[test]
fn every_use_case_as_every_role_follows_the_one_permission_table() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let template = tmp.path().join("template");
    let f = vault(&template);
    let (number, case_id) = (f.number.clone(), f.case_id);
    let mut checked = 0;
    for (name, roles, inst) in USERS
        .iter()
        .chain([("管理员", &[Role::Administrator, Role::Supervisor][..], None)].iter())
    {
        // Each role on its own copy: some calls change the case (reassign, decide).
        let dir = tmp.path().join(format!("as-{name}"));
        std::fs::create_dir_all(&dir).expect("dir");
        for f in ["guitu.db", "vault.json", "vault.check"] {
            std::fs::copy(template.join(f), dir.join(f)).expect("copy");
        }
        let mut s = Session::open_as(&dir, name, &secret()).expect("the user unlocks");
        let actor = access::Actor {
            name: (*name).into(),
            roles: roles.to_vec(),
            institution: inst.map(str::to_owned),
        };
        let scope = CaseScope {
            caseworker: OWNER,
            institutions: &[SHELTER],
        };
        let on_case = |p| access::allows(&actor, p, &Target::Case(scope));
        let on_kind = |k| access::allows(&actor, Permission::EditRecord, &Target::Record(scope, k));
        let on_vault = |p| access::allows(&actor, p, &Target::Vault);
        let any = |p| !access::reaches(&actor, p).is_empty();
        let today = d("2026-11-29");
        let list = CaseListQuery {
            query: String::new(),
            stage: None,
            active: false,
            flags: vec![],
            caseworker: None,
            institution: None,
            sort: CaseSort::CaseNumber,
            descending: false,
            offset: 0,
            limit: 50,
        };
        let mut expect = |what: &str, allowed: bool, denied: bool| {
            checked += 1;
            assert_eq!(
                !denied,
                allowed,
                "{name} ({roles:?}) {what}: the table says {}",
                if allowed { "allowed" } else { "denied" }
            );
        };
        let (note_id, note) = f.note.clone();
        let legal = f.legal.clone();

        let r = s.list_cases(&list, today);
        expect("lists cases", any(Permission::ListCases), is_denied(&r));
        if let Ok(l) = &r {
            assert_eq!(
                l.rows.iter().any(|row| row.case_number == number),
                on_case(Permission::ListCases),
                "{name}: the list holds the case exactly when it is within reach"
            );
        }
        let r = s.search("陈小兰", 10);
        expect("searches", any(Permission::ListCases), is_denied(&r));
        if let Ok(hits) = &r {
            assert_eq!(
                !hits.is_empty(),
                on_case(Permission::ListCases),
                "{name}: search hits"
            );
        }
        let r = s.due(today);
        expect("lists deadlines", any(Permission::ListCases), is_denied(&r));
        let r = s.dashboard(today, Some(false));
        expect(
            "opens the dashboard",
            any(Permission::ListCases),
            is_denied(&r),
        );
        let r = s.case_view(&number, today);
        expect(
            "reads the case",
            on_case(Permission::ReadCase),
            is_denied(&r),
        );
        let r = s.find_case(&number);
        expect(
            "finds the case",
            on_case(Permission::ReadCase),
            is_denied(&r),
        );
        let r = s.print(&number, PrintKind::Full, None, None, today);
        expect(
            "prints the case",
            on_case(Permission::PrintCase),
            is_denied(&r),
        );
        let r = s.update_record(note_id, note.clone());
        expect("edits a note", on_kind(RecordKind::Note), is_denied(&r));
        let r = s.update_record(legal.0, legal.1.clone());
        expect(
            "edits legal aid",
            on_kind(RecordKind::LegalAid),
            is_denied(&r),
        );
        let r = s.check_record(case_id, &note, Some(note_id));
        expect("checks a note", on_kind(RecordKind::Note), is_denied(&r));
        let case = f.case.clone();
        let r = s.update_case(case.clone());
        expect(
            "edits the case",
            on_case(Permission::EditCase),
            is_denied(&r),
        );
        let person = f.person.clone();
        let r = s.update_person(person);
        expect(
            "edits the person",
            on_case(Permission::EditCase),
            is_denied(&r),
        );
        let r = s.request_approval(&number, ApprovalSubject::Closure, None, "请求结案", today);
        expect(
            "requests an approval",
            on_case(Permission::RequestApproval),
            is_denied(&r),
        );
        let r = s.audit(None, None, None, None, 10);
        expect(
            "reads the audit trail",
            on_vault(Permission::ReadAudit),
            is_denied(&r),
        );
        let r = s.users();
        expect(
            "lists users",
            on_vault(Permission::ManageUsers),
            is_denied(&r),
        );
        let settings = s.settings().clone();
        let r = s.save_settings(settings);
        expect(
            "saves settings",
            on_vault(Permission::EditSettings),
            is_denied(&r),
        );
        let r = s.load_calendar_year(include_str!("../../../assets/calendars/2026.json"));
        expect(
            "loads a calendar",
            on_vault(Permission::LoadCalendar),
            is_denied(&r),
        );
        let r = s.backup(&dir.join("out.backup"));
        expect("backs up", on_vault(Permission::Backup), is_denied(&r));
        let r = s.export_json("test");
        expect(
            "exports everything",
            on_vault(Permission::ExportAll),
            is_denied(&r),
        );
        let r = s.export_ledger(Some(2026));
        expect(
            "exports the ledger (its own cases at least)",
            any(Permission::ExportLedger),
            is_denied(&r),
        );
        let r = s.annual_report(2026, today);
        expect(
            "makes the annual report",
            on_vault(Permission::Reports),
            is_denied(&r),
        );
        let r = s.add_demo(1, 7, today);
        expect(
            "imports (demo)",
            on_vault(Permission::Import),
            is_denied(&r),
        );
        let mut new_case = case.clone();
        new_case.id = Uuid::nil();
        new_case.case_number = String::new();
        new_case.caseworker = String::new();
        let r = s.create_case(
            Person {
                id: Uuid::nil(),
                intake_number: Some("JS-1".into()),
                sex: Sex::Male,
                ..Default::default()
            },
            new_case,
        );
        expect(
            "opens a new case",
            on_vault(Permission::CreateCase),
            is_denied(&r),
        );
        let mut moved = f.case.clone();
        moved.caseworker = "李强".into();
        let r = s.update_case(moved);
        expect(
            "reassigns the case",
            on_case(Permission::EditCase) && on_case(Permission::Reassign),
            is_denied(&r),
        );
        let r = s.decide_approval(f.pending, ApprovalOutcome::Approved, "", today);
        expect(
            "decides the closure",
            on_case(Permission::Decide),
            is_denied(&r),
        );
        if r.is_ok() {
            assert_eq!(
                s.find_case(&number).expect("case").stage,
                Stage::Closed,
                "an approved closure closes the case"
            );
        }
        let r = s.add_user("新人", &[Role::Caseworker], None, &secret(), &kdf());
        expect(
            "adds a user",
            on_vault(Permission::ManageUsers),
            is_denied(&r),
        );
        drop(s);
        let admin = Session::open_as(&dir, "管理员", &secret()).expect("admin");
        let denied = admin
            .audit(Some(name), None, None, None, 10_000)
            .expect("audit")
            .iter()
            .filter(|a| a.action == "denied" && a.actor == *name)
            .count();
        let refused_any = !on_vault(Permission::ManageUsers);
        assert!(
            !refused_any || denied > 0,
            "{name}: every refusal is in the audit trail"
        );
    }
    assert!(
        checked >= 7 * 26,
        "every use case was called as every role ({checked})"
    );
}

#[test]
fn shelter_staff_never_receive_legal_aid_or_police_references() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let number = vault(&dir).number;
    let mut s = Session::open_as(&dir, "张姐", &secret()).expect("shelter staff unlock");
    let today = d("2026-11-29");
    let view = s.case_view(&number, today).expect("her institution's case");
    let dashboard = s.dashboard(today, Some(false)).expect("dashboard");
    let due = s.due(today).expect("due");
    let hits = s.search("陈小兰", 10).expect("search");
    let json = serde_json::to_string(&(&view, &dashboard, &due, &hits)).expect("json");
    for secret_text in [
        "公（刑）字2026-117号",
        "大足区法律援助中心",
        "人身损害赔偿",
        "\"type\":\"legal_aid\"",
        "green_channel",
    ] {
        let at = json.find(secret_text);
        assert!(
            at.is_none(),
            "a shelter-staff response holds {secret_text}: …{}…",
            at.map(|i| json[i.saturating_sub(120)..(i + 40).min(json.len())].to_owned())
                .unwrap_or_default()
        );
    }
    assert!(
        view.records
            .iter()
            .any(|r| r.body.kind() == RecordKind::Note),
        "she sees the notes she may keep"
    );
    assert!(
        is_denied(&s.print(&number, PrintKind::Full, None, None, today)),
        "and prints nothing (the printed full file holds everything)"
    );
}

#[test]
fn a_supervisor_decides_others_requests_only_and_the_requester_sees_the_outcome() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let f = vault(&dir);
    let (number, case_id) = (f.number, f.case_id);
    let today = d("2026-11-29");
    let mut boss = Session::open_as(&dir, "刘主任", &secret()).expect("supervisor");
    let pending = boss.approvals_for_me().expect("dashboard approvals");
    assert_eq!(pending.to_decide.len(), 1, "王芳's request waits for him");
    assert_eq!(pending.to_decide_case_numbers, vec![number.clone()]);
    let own = boss
        .request_approval(
            &number,
            ApprovalSubject::DistrictApproval,
            None,
            "已报区政府",
            today,
        )
        .expect("a supervisor may request too");
    assert!(
        matches!(
            boss.decide_approval(own.id, ApprovalOutcome::Approved, "", today),
            Err(ApiError::Rule(DomainError::SelfApproval))
        ),
        "nobody approves their own request"
    );
    assert!(
        matches!(
            boss.decide_approval(
                pending.to_decide[0].id,
                ApprovalOutcome::Rejected,
                "",
                today
            ),
            Err(ApiError::Rule(DomainError::Required { .. }))
        ),
        "a rejection needs its reason"
    );
    boss.decide_approval(
        pending.to_decide[0].id,
        ApprovalOutcome::Approved,
        "同意结案",
        today,
    )
    .expect("approve");
    drop(boss);
    let mut owner = Session::open_as(&dir, OWNER, &secret()).expect("王芳");
    let mine = owner.approvals_for_me().expect("mine");
    assert_eq!(
        mine.mine[0].outcome,
        Some(ApprovalOutcome::Approved),
        "the requester sees the outcome"
    );
    assert_eq!(mine.mine[0].decided_by.as_deref(), Some("刘主任"));
    let view = owner.case_view(&number, today).expect("view");
    assert_eq!(
        view.case.stage,
        Stage::Closed,
        "approved: the case is closed"
    );
    assert!(
        view.history
            .iter()
            .any(|h| h.entity == guitu_api::Entity::Approval),
        "the request and decision are in the case's history"
    );
    let printed = owner
        .print(&number, PrintKind::Full, None, None, today)
        .expect("the caseworker prints her case");
    let text = pdftotext(&printed.bytes);
    for must in ["审批记录", "结案", "王芳", "刘主任", "同意结案", "已批准"] {
        assert!(
            text.contains(must),
            "the full case file prints the approval with both names: {must} missing"
        );
    }
    let mut closing = owner.find_case(&case_id.to_string()).expect("case");
    closing.stage = Stage::FollowUp;
    owner
        .update_case(closing)
        .expect("reopening is the caseworker's");
    let mut closing = owner.find_case(&case_id.to_string()).expect("case");
    closing.stage = Stage::Closed;
    assert!(
        matches!(
            owner.update_case(closing),
            Err(ApiError::Rule(DomainError::ApprovalNeeded { .. }))
        ),
        "a caseworker cannot close a case herself: she requests it"
    );
}
