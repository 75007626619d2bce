//! Hand-off between devices in the use cases (issue 11): pairing only after the
//! fingerprint is confirmed, every case sent on a basis (the consent in force for the
//! peer's kind, else a legal basis), who may send, open and resolve, the bundle file
//! private and unreadable, the merge report and the conflicts through the API.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use chrono::NaiveDate;
use guitu_api::{ApiError, ConflictChoice, KdfParams, Secret, Session};
use guitu_domain::access::Role;
use guitu_domain::handoff::{HandoffBasis, LegalBasis, RecipientKind};
use guitu_domain::model::*;
use uuid::Uuid;

const PASS: &str = "test-passphrase-1";
const TODAY: &str = "2026-11-29";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("valid test date")
}

fn secret() -> Secret {
    Secret::new(PASS.into())
}

fn kdf() -> KdfParams {
    KdfParams::insecure_for_tests()
}

struct Office {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    files: PathBuf,
}

impl Office {
    fn new(admin: &str) -> (Office, Session) {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("vault");
        let files = tmp.path().join("files");
        std::fs::create_dir(&files).expect("files dir");
        let (s, _) = Session::create(&dir, admin, &secret(), &kdf()).expect("create");
        (
            Office {
                _tmp: tmp,
                dir,
                files,
            },
            s,
        )
    }

    fn file(&self, name: &str) -> PathBuf {
        self.files.join(name)
    }

    fn open_as(&self, user: &str) -> Session {
        Session::open_as(&self.dir, user, &secret()).expect("unlock")
    }
}

fn new_case(s: &mut Session, caseworker: &str, institution: &str) -> Uuid {
    let person = Person {
        id: Uuid::nil(),
        name: Some("陈小兰".into()),
        sex: Sex::Female,
        birth_date: Some(BirthDate {
            date: d("2012-03-01"),
            estimated: false,
        }),
        ..Default::default()
    };
    let case = Case {
        id: Uuid::nil(),
        case_number: String::new(),
        person_id: Uuid::nil(),
        institution: institution.into(),
        institution_kind: InstitutionKind::AssistanceStation,
        received_date: d("2026-10-20"),
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: caseworker.into(),
        flags: CaseFlags::default(),
        stage: Stage::Placement,
    };
    s.create_case(person, case).expect("case").value
}

/// Two offices paired both ways: returns (office, shelter) with their sessions and the
/// peer ids (the shelter as the office knows it, and the office as the shelter knows it).
fn paired() -> (Office, Session, Office, Session, String, String) {
    let (a, mut sa) = Office::new("管理员");
    let (b, mut sb) = Office::new("庇护所管理员");
    sa.add_user("刘主任", &[Role::Supervisor], None, &secret(), &kdf())
        .expect("supervisor");
    let card_a = sa.device_card_text().expect("card a");
    let card_b = sb.device_card_text().expect("card b");
    let fp_a = sb.read_card(&card_a).expect("read a").fingerprint;
    let fp_b = sa.read_card(&card_b).expect("read b").fingerprint;
    let shelter = sa
        .add_peer(&card_b, RecipientKind::AssistanceInstitution, &fp_b)
        .expect("office adds shelter")
        .device_id;
    let office = sb
        .add_peer(&card_a, RecipientKind::CivilAffairs, &fp_a)
        .expect("shelter adds office")
        .device_id;
    (a, sa, b, sb, shelter, office)
}

#[test]
fn a_peer_is_added_only_with_its_own_fingerprint_and_a_valid_card() {
    let (_a, mut sa) = Office::new("管理员");
    let (_b, sb) = Office::new("管理员");
    let card = sb.device_card_text().expect("card");
    let preview = sa.read_card(&card).expect("a valid card reads");
    assert_eq!(preview.fingerprint.len(), 24, "five groups of four digits");
    let err = sa
        .add_peer(&card, RecipientKind::School, "1234 5678 9012 3456 7890")
        .expect_err("a fingerprint other than the card's adds nothing");
    assert_eq!(err.code(), "peer.fingerprint_mismatch");
    assert!(
        sa.peers().expect("peers").is_empty(),
        "no peer after a mismatch"
    );
    // A card whose name was changed no longer verifies (its signature covers the name).
    let forged = card.replace(&sb.device().expect("device").name, "假设备");
    assert_eq!(
        sa.read_card(&forged).expect_err("forged card").code(),
        "peer.bad_card"
    );
    // Its own card is not a peer.
    let own = sa.device_card_text().expect("own card");
    assert_eq!(
        sa.read_card(&own).expect_err("own").code(),
        "peer.own_device"
    );
    // Spaces and grouping do not matter; the digits do.
    let digits: String = preview.fingerprint.chars().filter(|c| *c != ' ').collect();
    let peer = sa
        .add_peer(&card, RecipientKind::School, &digits)
        .expect("the compared digits add the peer");
    assert_eq!(peer.kind, RecipientKind::School);
    let audit = sa.audit(None, None, None, None, 50).expect("audit");
    assert!(
        audit.iter().any(|e| e.action == "peer_added"),
        "adding a peer is an audit entry"
    );
}

#[test]
fn a_case_goes_on_its_consent_or_on_a_named_legal_basis_and_never_without() {
    let (a, mut sa, b, mut sb, shelter, _office) = paired();
    let today = d(TODAY);
    let case = new_case(&mut sa, "管理员", "大足区救助管理站");
    let path = a.file("to-shelter.guitu");

    let plan = sa
        .handoff_plan(&shelter, Some(&[case]), today)
        .expect("plan");
    assert!(plan.needs_basis, "no consent recorded: a basis is needed");
    assert!(plan.cases[0].consent.is_none());
    let err = sa
        .create_bundle(&shelter, Some(&[case]), None, today, &path)
        .expect_err("no consent and no legal basis");
    assert_eq!(err.code(), "handoff.basis_needed");
    assert!(!path.exists(), "a refused hand-off writes no file");

    // A consent for shelters, given by the guardian: the case goes on it.
    sa.add_record(
        case,
        RecordBody::Consent(Consent {
            given_by: ConsentGiver::Guardian,
            guardian_name: Some("陈父".into()),
            covers: "安置所需的基本情况".into(),
            recipients: vec![RecipientKind::AssistanceInstitution],
            from: d("2026-11-01"),
            withdrawn: None,
            notes: None,
        }),
    )
    .expect("consent");
    let plan = sa
        .handoff_plan(&shelter, Some(&[case]), today)
        .expect("plan");
    assert!(!plan.needs_basis, "the consent covers shelters: {plan:?}");
    let made = sa
        .create_bundle(&shelter, Some(&[case]), None, today, &path)
        .expect("sent on the consent");
    assert_eq!(made.cases, 1);
    assert!(
        made.changes >= 3,
        "person, case and records travel: {made:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the bundle is private to its user");
    }
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("陈小兰") && !text.contains("陈父"),
        "the bundle is encrypted: no name readable"
    );

    let report = sb.open_bundle(&path).expect("the shelter opens it");
    assert_eq!(report.cases.len(), 1);
    assert!(report.cases[0].added >= 3, "{report:?}");
    match &report.cases[0].basis {
        Some(HandoffBasis::Consent { given_by, from, .. }) => {
            assert_eq!(*given_by, ConsentGiver::Guardian);
            assert_eq!(*from, d("2026-11-01"));
        }
        other => panic!("the consent travels with the case: {other:?}"),
    }
    let view = sb
        .case_view(&case.to_string(), today)
        .expect("the case is at the shelter");
    assert_eq!(view.person.name.as_deref(), Some("陈小兰"));

    // The consent is withdrawn: the next hand-off needs a legal basis again.
    let consent_id = sa
        .case_view(&case.to_string(), today)
        .expect("view")
        .records
        .iter()
        .find(|r| r.body.kind() == RecordKind::Consent)
        .expect("consent record")
        .id;
    let mut body = sa
        .case_view(&case.to_string(), today)
        .unwrap()
        .records
        .into_iter()
        .find(|r| r.id == consent_id)
        .unwrap()
        .body;
    if let RecordBody::Consent(c) = &mut body {
        c.withdrawn = Some(d("2026-11-20"));
    }
    sa.update_record(consent_id, body).expect("withdrawn");
    let err = sa
        .create_bundle(&shelter, None, None, today, &a.file("2.guitu"))
        .expect_err("the shared case has no consent in force any more");
    assert_eq!(err.code(), "handoff.basis_needed");
    let legal = HandoffBasis::legal(LegalBasis::AssistanceDuty, Some("区民政局通知"));
    sa.create_bundle(&shelter, None, Some(legal), today, &a.file("2.guitu"))
        .expect("sent on a legal basis");
    let report = sb.open_bundle(&a.file("2.guitu")).expect("open");
    assert!(
        matches!(
            &report.cases[0].basis,
            Some(HandoffBasis::Legal {
                basis: LegalBasis::AssistanceDuty,
                ..
            })
        ),
        "each hand-off carries the basis it was made on: {report:?}"
    );
    let audit = sa.audit(None, None, None, None, 20).expect("audit");
    let made = audit
        .iter()
        .find(|e| e.action == "bundle_created")
        .expect("the bundle is an audit entry");
    assert!(
        made.detail.contains("basis:assistance_duty=1") && !made.detail.contains("区民政局"),
        "the audit entry names the basis by code, never its note: {}",
        made.detail
    );
    let _ = b;
}

#[test]
fn who_may_send_open_and_resolve() {
    let (a, mut sa, _b, mut sb, shelter, office) = paired();
    let today = d(TODAY);
    sa.add_user("王芳", &[Role::Caseworker], None, &secret(), &kdf())
        .expect("caseworker");
    sa.add_user("李强", &[Role::Caseworker], None, &secret(), &kdf())
        .expect("caseworker 2");
    sa.add_user("审计员", &[Role::Auditor], None, &secret(), &kdf())
        .expect("auditor");
    sa.add_user(
        "系统管理员",
        &[Role::Administrator],
        None,
        &secret(),
        &kdf(),
    )
    .expect("an administrator only");
    let case = new_case(&mut sa, "王芳", "大足区救助管理站");
    let legal = || Some(HandoffBasis::legal(LegalBasis::AssistanceDuty, None));
    drop(sa);

    // An administrator manages peers but does not send case content.
    let mut admin = a.open_as("系统管理员");
    assert!(is_denied(&admin.create_bundle(
        &shelter,
        Some(&[case]),
        legal(),
        today,
        &a.file("x.guitu")
    )));
    // Another caseworker may not send 王芳's case; she may.
    let mut other = a.open_as("李强");
    assert!(is_denied(&other.create_bundle(
        &shelter,
        Some(&[case]),
        legal(),
        today,
        &a.file("x.guitu")
    )));
    assert!(
        is_denied(&other.device_card_text()),
        "caseworkers do not manage peers"
    );
    let mut owner = a.open_as("王芳");
    owner
        .create_bundle(&shelter, Some(&[case]), legal(), today, &a.file("1.guitu"))
        .expect("the responsible caseworker sends her case");
    let mut auditor = a.open_as("审计员");
    assert!(
        is_denied(&auditor.open_bundle(&a.file("1.guitu"))),
        "auditors only read"
    );
    assert_eq!(
        admin
            .remove_peer("no-such-peer")
            .expect_err("unknown")
            .code(),
        "vault.not_found",
        "an administrator may manage peers (an unknown one is not found, not denied)"
    );

    // A conflict, and who may resolve it.
    sb.open_bundle(&a.file("1.guitu")).expect("shelter opens");
    let mut c = sb.find_case(&case.to_string()).expect("case at shelter");
    c.institution = "庇护所填写".into();
    sb.update_case(c).expect("shelter edits");
    let mut c = owner.find_case(&case.to_string()).expect("case");
    c.institution = "办公室填写".into();
    owner.update_case(c).expect("office edits");
    sb.create_bundle(&office, None, legal(), today, &a.file("back.guitu"))
        .expect("shelter sends back");
    let report = owner.open_bundle(&a.file("back.guitu")).expect("open back");
    assert_eq!(report.conflicts, 1, "{report:?}");
    assert_eq!(owner.conflict_count().expect("count"), 1);
    assert_eq!(
        other.conflict_count().expect("count"),
        0,
        "a caseworker does not see conflicts of cases outside her reach"
    );
    let conflicts = owner.conflicts(Some(case)).expect("conflicts");
    assert_eq!(conflicts.len(), 1);
    assert!(is_denied(&other.resolve_conflict(
        conflicts[0].conflict.id,
        ConflictChoice::Incoming
    )));
    let bad = owner.resolve_conflict(
        conflicts[0].conflict.id,
        ConflictChoice::Value {
            value: serde_json::json!(42),
        },
    );
    assert_eq!(
        bad.expect_err("a number is not an institution").code(),
        "conflict.bad_value"
    );
    let blank = owner.resolve_conflict(
        conflicts[0].conflict.id,
        ConflictChoice::Value {
            value: serde_json::json!("   "),
        },
    );
    assert_eq!(
        blank
            .expect_err("a written value passes the rules of an edit")
            .code(),
        "rule.required"
    );
    assert_eq!(
        owner.conflict_count().expect("count"),
        1,
        "a refused value resolves nothing"
    );
    owner
        .resolve_conflict(
            conflicts[0].conflict.id,
            ConflictChoice::Value {
                value: serde_json::json!("双方商定的值"),
            },
        )
        .expect("the owner writes a new value");
    assert_eq!(
        owner.find_case(&case.to_string()).unwrap().institution,
        "双方商定的值"
    );
    assert_eq!(owner.conflict_count().expect("count"), 0);
    let _ = &mut admin;
    let _ = &mut auditor;
}

fn is_denied<T: std::fmt::Debug>(r: &Result<T, ApiError>) -> bool {
    matches!(r, Err(e) if e.code() == "permission.denied")
}

#[test]
fn by_default_a_bundle_carries_the_shared_cases_that_changed() {
    let (a, mut sa, _b, mut sb, shelter, office) = paired();
    let today = d(TODAY);
    let legal = || Some(HandoffBasis::legal(LegalBasis::AssistanceDuty, None));
    let one = new_case(&mut sa, "管理员", "大足区救助管理站");
    let two = new_case(&mut sa, "管理员", "大足区救助管理站");
    sa.create_bundle(
        &shelter,
        Some(&[one, two]),
        legal(),
        today,
        &a.file("1.guitu"),
    )
    .expect("send both");
    sb.open_bundle(&a.file("1.guitu")).expect("shelter opens");
    // Nothing changed at the shelter: its bundle back carries only acknowledgements.
    let plan = sb.handoff_plan(&office, None, today).expect("plan");
    assert!(plan.cases.is_empty(), "nothing new to send: {plan:?}");
    let made = sb
        .create_bundle(&office, None, None, today, &a.file("ack.guitu"))
        .expect("a bundle of acknowledgements needs no basis");
    assert_eq!((made.cases, made.changes), (0, 0));
    sa.open_bundle(&a.file("ack.guitu"))
        .expect("office opens the acknowledgements");
    // The office changes one case: only that one goes by default.
    let mut c = sa.find_case(&one.to_string()).expect("case");
    c.institution = "改过".into();
    sa.update_case(c).expect("edit");
    let plan = sa.handoff_plan(&shelter, None, today).expect("plan");
    let numbers: Vec<Uuid> = plan.cases.iter().map(|c| c.case_id).collect();
    assert_eq!(
        numbers,
        vec![one],
        "only the changed case, the other is acknowledged"
    );
    let made = sa
        .create_bundle(&shelter, None, legal(), today, &a.file("2.guitu"))
        .expect("send the change");
    assert_eq!(made.changes, 1, "only the one change: {made:?}");
}
