//! Integration tests of the vault through its public API: unlocking, what lies on disk,
//! key changes, audit trail, history, search, transactions, backup/restore, the deadline
//! candidates, settings and case numbers.
//!
//! Every vault uses `KdfParams::insecure_for_tests()` so a test takes milliseconds.

// clippy.toml allows these in `#[test]` functions only; the helpers below are test code
// too (this whole crate is a test target), and a failing helper should fail its test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use guitu_domain::model::{
    Case, CaseFlags, IdentityAttempt, IdentityMethod, IdentityOutcome, InstitutionKind, LegalAid,
    Note, Person, RecordBody, ReferralSource, Sex, Stage, TrackClosure, TrackStep, TrackStepRecord,
};
use guitu_domain::settings::RuleSettings;
use guitu_store::{
    Change, DB_FILE, HEADER_FILE, KdfParams, RestoreOptions, SCHEMA_VERSION, Secret, StoreError,
    Vault, recover,
};

// ----- helpers -------------------------------------------------------------------------

const USER: &str = "wang.caseworker";
const PASSPHRASE: &str = "correct horse battery staple";
const NEW_PASSPHRASE: &str = "另一个足够长的口令短语";

fn kdf() -> KdfParams {
    KdfParams::insecure_for_tests()
}

fn secret(s: &str) -> Secret {
    Secret::new(s.to_owned())
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

/// A fresh vault in a new temporary directory (the vault lives in `<tmp>/vault`, so tests
/// can also use directories beside it).
fn new_vault() -> (tempfile::TempDir, PathBuf, Vault, Secret) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let (vault, code) = Vault::create(&dir, USER, &secret(PASSPHRASE), &kdf()).expect("create");
    (tmp, dir, vault, code)
}

fn person(name: &str) -> Person {
    Person {
        id: Uuid::now_v7(),
        name: Some(name.to_owned()),
        sex: Sex::Female,
        ..Default::default()
    }
}

fn case_for(p: &Person, number: &str, received: NaiveDate, kind: InstitutionKind) -> Case {
    Case {
        id: Uuid::now_v7(),
        case_number: number.to_owned(),
        person_id: p.id,
        institution: "某区救助管理站".to_owned(),
        institution_kind: kind,
        received_date: received,
        referral: ReferralSource::PoliceRescue,
        police_reference: None,
        caseworker: USER.to_owned(),
        flags: CaseFlags::default(),
        stage: Stage::Intake,
    }
}

/// Creates a person named `name` with a case numbered `number` received 2026-01-10 at an
/// assistance station.
fn add_case(v: &mut Vault, name: &str, number: &str) -> (Person, Case) {
    let p = person(name);
    let c = case_for(
        &p,
        number,
        d(2026, 1, 10),
        InstitutionKind::AssistanceStation,
    );
    v.create_case(&p, &c).expect("create_case");
    (p, c)
}

fn note(date: NaiveDate, text: &str) -> RecordBody {
    RecordBody::Note(Note {
        date,
        text: text.to_owned(),
    })
}

fn legal_aid(received: NaiveDate, closed: Option<NaiveDate>) -> RecordBody {
    RecordBody::LegalAid(LegalAid {
        closed,
        ..LegalAid::application("某区法律援助中心", "刑事附带民事诉讼", received)
    })
}

fn identity(date: NaiveDate, outcome: IdentityOutcome, verified: Option<NaiveDate>) -> RecordBody {
    RecordBody::IdentityAttempt(IdentityAttempt {
        date,
        method: IdentityMethod::PoliceInquiry,
        outcome,
        verified_date: verified,
        police_reference: None,
        notes: None,
    })
}

fn track_step(step: TrackStep, date: NaiveDate) -> RecordBody {
    RecordBody::TrackStep(TrackStepRecord {
        step,
        date,
        by: USER.to_owned(),
        notes: None,
    })
}

/// SHA-256 of every file in `dir` by name: a new, removed or changed file shows.
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("read_dir") {
        let entry = entry.expect("dir entry");
        if entry.file_type().expect("file type").is_file() {
            let bytes = fs::read(entry.path()).expect("read file");
            out.insert(
                entry.file_name().to_string_lossy().into_owned(),
                hex::encode(Sha256::digest(&bytes)),
            );
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Case numbers of a search, sorted.
fn found(v: &Vault, q: &str) -> Vec<String> {
    let mut n: Vec<String> = v
        .search(q, 50)
        .expect("search")
        .into_iter()
        .map(|h| h.case_number)
        .collect();
    n.sort();
    n
}

fn audit_actions(v: &Vault) -> Vec<String> {
    let mut entries = v.audit_recent(1000).expect("audit_recent");
    entries.reverse();
    entries.into_iter().map(|e| e.action).collect()
}

// ----- 1. create, open, wrong passphrase ------------------------------------------------

#[test]
fn a_created_vault_opens_again_with_the_passphrase_and_with_the_recovery_code() {
    let (_tmp, dir, mut v, code) = new_vault();
    let (p, c) = add_case(&mut v, "林秀英", "DZ-2026-0001");
    drop(v);
    assert!(
        dir.join(DB_FILE).is_file() && dir.join(HEADER_FILE).is_file(),
        "a vault is the database plus its header file"
    );

    let v = Vault::open(&dir, &secret(PASSPHRASE)).expect("the passphrase must open the vault");
    assert_eq!(v.actor(), USER, "changes must be attributed to the user");
    assert_eq!(
        v.case(c.id).expect("case"),
        c,
        "data must survive close/open"
    );
    assert_eq!(v.person(p.id).expect("person"), p);
    assert!(v.has_recovery(), "a new vault always has a recovery slot");
    assert_eq!(v.users(), vec![USER.to_owned()]);
    drop(v);

    // Typed from the printout the way people do: lower case, no dashes.
    let typed: String = code
        .expose()
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_lowercase();
    assert_ne!(
        typed,
        code.expose(),
        "the test must really type it differently"
    );
    let v = Vault::open_with_recovery(&dir, &typed)
        .expect("a recovery code typed in lower case without dashes must open the vault");
    assert_eq!(
        v.case(c.id).expect("case"),
        c,
        "the recovery code opens the same data"
    );
    assert_eq!(
        v.actor(),
        "recovery",
        "what is done with the recovery code is attributed to it"
    );
}

#[test]
fn a_training_vault_is_marked_and_its_secret_comes_from_the_real_vault_without_writing_it() {
    let (tmp, dir, v, code) = new_vault();
    assert!(
        !v.is_training().expect("is_training"),
        "a vault made by create is a real vault"
    );
    let training_secret = v.training_secret();
    assert_eq!(
        training_secret.expose().len(),
        64,
        "the training secret is 32 bytes in hex"
    );
    assert_ne!(
        training_secret.expose(),
        PASSPHRASE,
        "the training vault does not reuse the passphrase"
    );
    drop(v);
    let before = snapshot(&dir);
    let again = Vault::open(&dir, &secret(PASSPHRASE)).expect("open");
    assert_eq!(
        again.training_secret().expose(),
        training_secret.expose(),
        "the same vault gives the same training secret at every unlock"
    );
    drop(again);
    let recovered = Vault::open_with_recovery(&dir, code.expose()).expect("recovery");
    assert_eq!(
        recovered.training_secret().expose(),
        training_secret.expose(),
        "the recovery code reaches the same training vault"
    );
    drop(recovered);
    assert_eq!(
        snapshot(&dir),
        before,
        "deriving the training secret writes nothing to the real vault"
    );

    let tdir = tmp.path().join("vault-training");
    let (t, _) = Vault::create_training(&tdir, USER, &training_secret, &kdf())
        .expect("create the training vault");
    assert!(t.is_training().expect("is_training"), "marked as training");
    let created = t.audit_recent(10).expect("audit");
    assert!(
        created
            .iter()
            .any(|e| e.action == "vault_created" && e.detail == "training"),
        "its creation is audited as a training vault: {created:?}"
    );
    assert_ne!(
        t.training_secret().expose(),
        training_secret.expose(),
        "another vault, another secret"
    );
    drop(t);
    let t = Vault::open(&tdir, &training_secret).expect("the training secret opens it");
    assert!(
        t.is_training().expect("is_training"),
        "the mark is in the database"
    );
    assert!(
        matches!(
            Vault::open(&tdir, &secret(PASSPHRASE)),
            Err(StoreError::WrongPassphrase)
        ),
        "the real passphrase alone does not open the training vault"
    );
}

#[test]
fn a_wrong_passphrase_is_refused_and_changes_nothing_on_disk() {
    let (_tmp, dir, mut v, code) = new_vault();
    add_case(&mut v, "林秀英", "DZ-2026-0001");
    drop(v);
    let before = snapshot(&dir);
    assert!(before.contains_key(DB_FILE) && before.contains_key(HEADER_FILE));

    let err = Vault::open(&dir, &secret("not the passphrase at all")).expect_err("wrong pass");
    assert!(
        matches!(err, StoreError::WrongPassphrase),
        "a wrong passphrase must say so clearly, got {err:?}"
    );
    let err = Vault::open_with_recovery(&dir, "0000-0000-0000-0000-0000-0000-0000-0000")
        .expect_err("wrong code");
    assert!(matches!(err, StoreError::WrongPassphrase), "got {err:?}");
    // The recovery code is not a passphrase and the passphrase not a recovery code.
    let err = Vault::open(&dir, &code).expect_err("code as passphrase");
    assert!(matches!(err, StoreError::WrongPassphrase), "got {err:?}");
    let err = Vault::open_with_recovery(&dir, PASSPHRASE).expect_err("passphrase as code");
    assert!(matches!(err, StoreError::WrongPassphrase), "got {err:?}");

    assert_eq!(
        snapshot(&dir),
        before,
        "a refused unlock must leave every vault file byte-for-byte as it was"
    );
}

#[test]
fn a_wrong_passphrase_while_the_vault_is_open_changes_nothing_either() {
    let (_tmp, dir, mut v, _code) = new_vault();
    add_case(&mut v, "林秀英", "DZ-2026-0001");
    let before = snapshot(&dir);
    assert!(
        before.contains_key(&format!("{DB_FILE}-wal")),
        "an open vault has its WAL; the snapshot must cover it"
    );
    let err = Vault::open(&dir, &secret("not the passphrase at all")).expect_err("wrong pass");
    assert!(matches!(err, StoreError::WrongPassphrase), "got {err:?}");
    assert_eq!(
        snapshot(&dir),
        before,
        "a refused unlock must not touch the database, its WAL/SHM or the header"
    );
    drop(v);
}

#[test]
fn create_refuses_an_existing_vault_and_open_reports_a_missing_one() {
    let (tmp, dir, v, _code) = new_vault();
    drop(v);
    let before = snapshot(&dir);
    let err = Vault::create(&dir, USER, &secret(PASSPHRASE), &kdf()).expect_err("exists");
    assert!(
        matches!(err, StoreError::VaultExists(_)),
        "creating over a vault would lose it, got {err:?}"
    );
    assert_eq!(
        snapshot(&dir),
        before,
        "a refused create must not touch the vault"
    );

    let err = Vault::open(&tmp.path().join("nowhere"), &secret(PASSPHRASE)).expect_err("none");
    assert!(
        matches!(err, StoreError::NoVault(_)),
        "a missing vault is not a wrong passphrase, got {err:?}"
    );
    let err =
        Vault::create(&tmp.path().join("short"), USER, &secret("short"), &kdf()).expect_err("weak");
    assert!(
        matches!(err, StoreError::WeakPassphrase { .. }),
        "got {err:?}"
    );
    assert!(
        !tmp.path().join("short").exists(),
        "a refused create leaves no directory behind"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn create_in_a_place_that_cannot_be_written_says_not_writable() {
    // Tests run as root, so chmod does not stop writes; sysfs and procfs do.
    if !Path::new("/sys/kernel").is_dir() || !Path::new("/proc/self").is_dir() {
        return; // not a Linux with sysfs and procfs mounted
    }
    for place in [
        "/sys/guitu-test-vault",
        "/sys/guitu-test-vault/nested",
        "/proc/guitu-test-vault",
    ] {
        let path = Path::new(place);
        let err =
            Vault::create(path, USER, &secret(PASSPHRASE), &kdf()).expect_err("must not create");
        assert!(
            matches!(err, StoreError::NotWritable { .. }),
            "the user must be told the place cannot be written ({place}), got {err:?}"
        );
        assert!(!path.exists(), "nothing may be left at {place}");
    }
}

// ----- 2. nothing readable on disk -----------------------------------------------------

#[test]
fn names_and_notes_never_reach_the_disk_in_plaintext() {
    let name = "蔺嫣然";
    let note_text = "她说曾被带到边境的一个园区做客服";
    let id_number = "11010519491231002X";
    let (tmp, dir, mut v, _code) = new_vault();
    let mut p = person(name);
    p.resident_id = Some(id_number.to_owned());
    let c = case_for(
        &p,
        "DZ-2026-0001",
        d(2026, 1, 10),
        InstitutionKind::AssistanceStation,
    );
    v.create_case(&p, &c).expect("create_case");
    v.insert_record(c.id, note(d(2026, 1, 11), note_text))
        .expect("note");
    let secrets: [&[u8]; 3] = [name.as_bytes(), note_text.as_bytes(), id_number.as_bytes()];

    let check = |when: &str| {
        for file in [
            DB_FILE.to_owned(),
            format!("{DB_FILE}-wal"),
            format!("{DB_FILE}-shm"),
            HEADER_FILE.to_owned(),
        ] {
            let Ok(bytes) = fs::read(dir.join(&file)) else {
                continue;
            };
            for s in secrets {
                assert!(
                    !contains(&bytes, s),
                    "{file} ({when}) holds personal data in plaintext: the vault must be encrypted"
                );
            }
            if file == DB_FILE {
                assert!(
                    !bytes.starts_with(b"SQLite format 3\0"),
                    "{file} ({when}) has a plaintext SQLite header: it is not encrypted"
                );
            }
        }
    };
    let wal = fs::metadata(dir.join(format!("{DB_FILE}-wal"))).expect("WAL of an open vault");
    assert!(
        wal.len() > 0,
        "the fresh writes sit in the WAL; checking an empty WAL would prove nothing"
    );
    check("while open");

    // A backup is a file that travels: it must not carry plaintext either.
    let backup = tmp.path().join("vault.backup");
    v.backup(&backup).expect("backup");
    let bytes = fs::read(&backup).expect("read backup");
    for s in secrets {
        assert!(
            !contains(&bytes, s),
            "the backup file holds personal data in plaintext"
        );
    }

    drop(v);
    assert!(
        !dir.join(format!("{DB_FILE}-wal")).exists(),
        "closing checkpoints the WAL into the database (so the next check reads the data there)"
    );
    check("after close");
}

// ----- 3. passphrase change and recovery -----------------------------------------------

#[test]
fn change_passphrase_replaces_the_old_one_and_keeps_the_data() {
    let (_tmp, dir, mut v, _code) = new_vault();
    let (_p, c) = add_case(&mut v, "林秀英", "DZ-2026-0001");
    let err = v
        .change_passphrase(None, &secret("short"), &kdf())
        .expect_err("weak");
    assert!(
        matches!(err, StoreError::WeakPassphrase { .. }),
        "got {err:?}"
    );
    v.change_passphrase(None, &secret(NEW_PASSPHRASE), &kdf())
        .expect("change_passphrase");
    assert_eq!(
        audit_actions(&v).last().map(String::as_str),
        Some("passphrase_changed"),
        "a passphrase change is audited"
    );
    drop(v);

    let err = Vault::open(&dir, &secret(PASSPHRASE)).expect_err("old passphrase");
    assert!(
        matches!(err, StoreError::WrongPassphrase),
        "the old passphrase must stop working, got {err:?}"
    );
    let v = Vault::open(&dir, &secret(NEW_PASSPHRASE)).expect("the new passphrase must work");
    assert_eq!(
        v.case(c.id).expect("case"),
        c,
        "changing the passphrase must not lose data"
    );
    assert!(v.verify().expect("verify").ok());
}

#[test]
fn recover_sets_a_new_passphrase_with_the_recovery_code() {
    let (_tmp, dir, mut v, code) = new_vault();
    let (_p, c) = add_case(&mut v, "林秀英", "DZ-2026-0001");
    drop(v);

    let typed = code.expose().to_lowercase();
    let v = recover(&dir, &typed, None, &secret(NEW_PASSPHRASE), &kdf())
        .expect("the recovery code must let the user set a new passphrase");
    assert_eq!(
        v.actor(),
        USER,
        "after recovery the vault works as the user again"
    );
    assert_eq!(v.case(c.id).expect("case"), c);
    drop(v);

    let err = Vault::open(&dir, &secret(PASSPHRASE)).expect_err("forgotten passphrase");
    assert!(
        matches!(err, StoreError::WrongPassphrase),
        "the forgotten passphrase is replaced, got {err:?}"
    );
    let v = Vault::open(&dir, &secret(NEW_PASSPHRASE)).expect("new passphrase");
    assert_eq!(v.case(c.id).expect("case"), c);
    drop(v);
    let err = recover(&dir, "0000", None, &secret(NEW_PASSPHRASE), &kdf()).expect_err("bad code");
    assert!(matches!(err, StoreError::WrongPassphrase), "got {err:?}");
    Vault::open_with_recovery(&dir, code.expose()).expect("the recovery code stays valid");
}

#[test]
fn a_new_recovery_code_replaces_the_old_one() {
    let (_tmp, dir, mut v, old) = new_vault();
    let new = v.new_recovery_code(&kdf()).expect("new code");
    assert_ne!(new.expose(), old.expose());
    drop(v);
    let err = Vault::open_with_recovery(&dir, old.expose()).expect_err("old code");
    assert!(
        matches!(err, StoreError::WrongPassphrase),
        "a replaced (perhaps lost) recovery code must stop working, got {err:?}"
    );
    Vault::open_with_recovery(&dir, new.expose()).expect("new code works");
}

// ----- 5. migrations ------------------------------------------------------------------

#[test]
fn a_fresh_vault_is_at_the_current_schema_and_reopening_writes_nothing() {
    let (_tmp, dir, v, _code) = new_vault();
    let report = v.verify().expect("verify");
    assert_eq!(
        report.schema_version, SCHEMA_VERSION,
        "a new vault is fully migrated"
    );
    assert!(report.ok(), "a new vault passes verify: {report:?}");
    drop(v);

    let before = snapshot(&dir);
    for _ in 0..2 {
        let v = Vault::open(&dir, &secret(PASSPHRASE)).expect("reopen");
        assert_eq!(v.verify().expect("verify").schema_version, SCHEMA_VERSION);
        drop(v);
        assert_eq!(
            snapshot(&dir),
            before,
            "opening an up-to-date vault must not re-apply migrations or write anything"
        );
    }
}

// ----- 6. audit trail -----------------------------------------------------------------

#[test]
fn the_audit_trail_records_every_sensitive_act_and_verifies() {
    let (tmp, _dir, mut v, _code) = new_vault();
    let name = "蔺嫣然";
    let (mut p, c) = add_case(&mut v, name, "DZ-2026-0001");
    let r = v
        .insert_record(c.id, note(d(2026, 1, 11), "初次谈话"))
        .expect("note");
    v.update_record(r.id, note(d(2026, 1, 11), "初次谈话，已安排翻译"))
        .expect("update record");
    p.languages = vec!["越南语".to_owned()];
    v.update_person(&p).expect("update person");
    v.log_view(c.id).expect("view");
    v.log_export("case:export", "json").expect("export");
    v.backup(&tmp.path().join("b.backup")).expect("backup");
    v.log_print(c.id, "handoff").expect("print");

    assert_eq!(
        audit_actions(&v),
        vec![
            "vault_created",
            "create",
            "create",
            "update",
            "update",
            "view",
            "export",
            "backup",
            "print"
        ],
        "creating, changing, viewing, exporting, backing up and printing must each be logged"
    );
    let entries = v.audit_recent(100).expect("recent");
    for e in &entries {
        assert_eq!(e.actor, USER, "every act is attributed");
        assert!(
            !e.target.contains(name) && !e.detail.contains(name),
            "audit entries name records by id, never by personal data: {e:?}"
        );
    }
    assert!(
        entries
            .iter()
            .any(|e| e.action == "view" && e.target == format!("case:{}", c.id)),
        "a view names the case it showed"
    );
    let report = v.verify().expect("verify");
    assert!(
        report.ok(),
        "an untouched chain must verify: {:?}",
        report.audit
    );
    assert_eq!(report.audit.entries, 9);
}

// ----- 7. history ---------------------------------------------------------------------

#[test]
fn history_records_the_changed_field_with_old_and_new_values() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    let (mut p, c) = add_case(&mut v, "韦春花", "DZ-2026-0001");
    let r = v
        .insert_record(c.id, note(d(2026, 1, 11), "初次谈话"))
        .expect("note");

    let (updated, changes) = v
        .update_record(r.id, note(d(2026, 1, 11), "初次谈话，已安排翻译"))
        .expect("update record");
    assert_eq!(
        changes,
        vec![Change {
            field: "text".into(),
            old: json!("初次谈话"),
            new: json!("初次谈话，已安排翻译")
        }],
        "only the changed field is recorded, with its old and new value"
    );
    assert_eq!(updated.updated_by, USER);
    assert_eq!(
        v.record(r.id).expect("record").body,
        note(d(2026, 1, 11), "初次谈话，已安排翻译")
    );
    let (_, none) = v
        .update_record(r.id, note(d(2026, 1, 11), "初次谈话，已安排翻译"))
        .expect("no-op update");
    assert!(none.is_empty(), "saving unchanged data records no change");

    p.name = Some("韦春兰".into());
    let changes = v.update_person(&p).expect("update person");
    assert_eq!(
        changes,
        vec![Change {
            field: "name".into(),
            old: json!("韦春花"),
            new: json!("韦春兰")
        }],
        "a rename is recorded as exactly that"
    );

    let h = v.history_of_case(c.id).expect("history");
    let shape: Vec<(&str, &str)> = h
        .iter()
        .map(|e| (e.entity.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        shape,
        vec![
            ("person", "create"),
            ("case", "create"),
            ("record", "create"),
            ("record", "update"),
            ("person", "update"),
        ],
        "the case timeline lists creation first, then each update, oldest first"
    );
    assert!(
        h.windows(2).all(|w| w[0].seq < w[1].seq),
        "history is ordered"
    );
    assert!(
        h.iter().all(|e| e.actor == USER),
        "every change is attributed to who made it"
    );
    assert_eq!(h[3].entity_id, r.id.to_string());
    assert_eq!(h[3].changes.len(), 1);
    assert_eq!(h[4].entity_id, p.id.to_string());
    assert_eq!(h[4].changes[0].field, "name");
    assert!(
        h[0].changes.iter().any(|ch| ch.field == "name"
            && ch.old == serde_json::Value::Null
            && ch.new == json!("韦春花")),
        "creation records the initial values: {:?}",
        h[0].changes
    );
}

#[test]
fn history_after_recovery_is_attributed_to_the_recovery_code() {
    let (_tmp, dir, mut v, code) = new_vault();
    let (_p, c) = add_case(&mut v, "韦春花", "DZ-2026-0001");
    drop(v);
    let mut v = Vault::open_with_recovery(&dir, code.expose()).expect("recovery");
    v.insert_record(c.id, note(d(2026, 1, 12), "用恢复码登录后补记"))
        .expect("note");
    let h = v.history_of_case(c.id).expect("history");
    assert_eq!(
        h.last().map(|e| e.actor.as_str()),
        Some("recovery"),
        "a change made with the recovery code must not be passed off as the user's"
    );
}

// ----- 8. search ----------------------------------------------------------------------

const FILLER_SURNAMES: [&str; 10] = ["张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"];
const FILLER_GIVEN: [&str; 12] = [
    "伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
];

/// 300 persons and cases DZ-2026-0001 … DZ-2026-0300 with names built from characters
/// the targeted names do not use, imported in one go.
fn import_filler(v: &mut Vault) {
    let mut persons = Vec::new();
    let mut cases = Vec::new();
    for i in 0..300usize {
        let mut name = String::from(FILLER_SURNAMES[i % 10]);
        name.push_str(FILLER_GIVEN[(i / 10) % 12]);
        if i % 3 == 0 {
            name.push_str(FILLER_GIVEN[(i / 7) % 12]);
        }
        let p = person(&name);
        let c = case_for(
            &p,
            &format!("DZ-2026-{:04}", i + 1),
            d(2026, 1, 1),
            InstitutionKind::AssistanceStation,
        );
        persons.push(p);
        cases.push(c);
    }
    v.import(&persons, &cases, &[], "test-filler")
        .expect("import filler");
}

#[test]
fn search_finds_short_and_long_names_numbers_and_notes_among_hundreds_of_cases() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    import_filler(&mut v);
    assert_eq!(v.case_count().expect("count"), 300);

    let (_, li_na) = add_case(&mut v, "李娜", "DZ-2026-0501");
    let (mut wei, wei_case) = add_case(&mut v, "韦春花", "DZ-2026-0502");
    let (_, ouyang) = add_case(&mut v, "欧阳小凤", "DZ-2026-0503");
    let mut other = person("阮氏兰");
    other.other_names = vec!["阿娟".to_owned()];
    other.resident_id = Some("11010519491231002X".to_owned());
    let other_case = case_for(
        &other,
        "DZ-2026-0504",
        d(2026, 1, 10),
        InstitutionKind::AssistanceStation,
    );
    v.create_case(&other, &other_case).expect("create_case");
    let r = v
        .insert_record(
            wei_case.id,
            note(d(2026, 1, 11), "在服装厂被强迫劳动三个月"),
        )
        .expect("note");

    let one = |n: &Case| vec![n.case_number.clone()];
    assert_eq!(
        found(&v, "李娜"),
        one(&li_na),
        "a two-character name must be found (trigram FTS alone finds nothing for it)"
    );
    assert_eq!(
        found(&v, "韦春花"),
        one(&wei_case),
        "a three-character name"
    );
    assert_eq!(found(&v, "欧阳小凤"), one(&ouyang), "a four-character name");
    assert_eq!(
        found(&v, "阳小"),
        one(&ouyang),
        "two characters from the middle of a compound-surname name"
    );
    assert_eq!(
        found(&v, "欧"),
        one(&ouyang),
        "one character finds the surname"
    );
    assert_eq!(found(&v, "阿娟"), one(&other_case), "another name (别名)");
    assert_eq!(found(&v, "阮氏兰"), one(&other_case));
    assert_eq!(
        found(&v, "DZ-2026-0503"),
        one(&ouyang),
        "an exact case number"
    );
    assert_eq!(
        found(&v, "dz-2026-0503"),
        one(&ouyang),
        "case numbers are found whatever the case of the letters"
    );
    assert_eq!(
        found(&v, "DZ-2026-000"),
        (1..=9)
            .map(|i| format!("DZ-2026-{i:04}"))
            .collect::<Vec<_>>(),
        "a case-number prefix finds exactly the numbers that start with it"
    );
    assert_eq!(
        found(&v, "11010519491231002X"),
        one(&other_case),
        "a resident ID number"
    );
    assert_eq!(
        found(&v, "11010519491231002x"),
        one(&other_case),
        "an ID number typed with a lower-case x"
    );
    assert_eq!(
        found(&v, "服装厂"),
        one(&wei_case),
        "note text of three or more characters"
    );
    assert!(found(&v, "没有这个人").is_empty(), "no false hits");
    assert!(found(&v, "  ").is_empty(), "an empty query finds nothing");
    let filler = found(&v, "张伟");
    assert!(
        !filler.is_empty() && filler.len() <= 50,
        "filler names are searchable too and the limit holds: {}",
        filler.len()
    );

    // Renaming someone moves them in the index.
    wei.name = Some("韦春兰".to_owned());
    v.update_person(&wei).expect("rename");
    assert!(
        found(&v, "韦春花").is_empty(),
        "after a rename the old name must no longer find the person"
    );
    assert!(
        found(&v, "春花").is_empty(),
        "nor two characters of the old name"
    );
    assert_eq!(
        found(&v, "韦春兰"),
        one(&wei_case),
        "the new name finds them"
    );
    assert_eq!(found(&v, "春兰"), one(&wei_case));
    assert_eq!(
        found(&v, "服装厂"),
        one(&wei_case),
        "a rename does not drop the case's notes from the index"
    );

    // Editing a note moves its text in the index.
    v.update_record(r.id, note(d(2026, 1, 11), "已转介心理咨询"))
        .expect("edit note");
    assert!(
        found(&v, "服装厂").is_empty(),
        "after an edit the old note text must be gone from the index"
    );
    assert_eq!(found(&v, "心理咨询"), one(&wei_case));
    let hits = v.search("韦春兰", 10).expect("search");
    assert_eq!(
        hits[0].name.as_deref(),
        Some("韦春兰"),
        "a hit shows the current name"
    );
    assert_eq!(hits[0].case_id, wei_case.id.to_string());
}

#[test]
fn find_case_accepts_the_number_in_any_letter_case_or_the_id() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    let (_, c) = add_case(&mut v, "李娜", "DZ-2026-0001");
    assert_eq!(v.find_case("dz-2026-0001").expect("lower case"), c);
    assert_eq!(v.find_case(" DZ-2026-0001 ").expect("spaces"), c);
    assert_eq!(
        v.find_case(&c.id.to_string().to_uppercase()).expect("id"),
        c
    );
    assert!(matches!(
        v.find_case("DZ-2026-9999"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn search_survives_queries_with_fts_syntax_in_them() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    let (_, c) = add_case(&mut v, "李娜", "DZ-2026-0001");
    for q in [
        "\"",
        "\"\"\"",
        "a\"b",
        "*",
        "李*",
        "NEAR(李 娜)",
        "李娜 OR",
        "-",
        "(((",
        "%_%",
    ] {
        v.search(q, 10)
            .unwrap_or_else(|e| panic!("typed text must never be a query error ({q}): {e}"));
    }
    assert_eq!(found(&v, "李娜"), vec![c.case_number]);
}

#[test]
fn foreign_names_are_found_by_part_and_in_any_letter_case() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    import_filler(&mut v);
    let mut p = person("阮氏兰");
    p.other_names = vec!["Nguyen Thi Lan".to_owned()];
    p.nationality = Some("越南".to_owned());
    let c = case_for(
        &p,
        "DZ-2026-0600",
        d(2026, 1, 10),
        InstitutionKind::AssistanceStation,
    );
    v.create_case(&p, &c).expect("create_case");
    for q in ["Nguyen Thi Lan", "nguyen", "THI LAN", "Lan"] {
        assert_eq!(
            found(&v, q),
            vec![c.case_number.clone()],
            "a romanised other name is found by {q}"
        );
    }
}

#[test]
fn update_case_records_the_change_and_keeps_case_numbers_unique() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    add_case(&mut v, "李娜", "DZ-2026-0001");
    let (_, mut c) = add_case(&mut v, "韦春花", "DZ-2026-0002");
    c.stage = Stage::Placement;
    c.case_number = "DZ-2026-0010".to_owned();
    let changes = v.update_case(&c).expect("update_case");
    let fields: Vec<&str> = changes.iter().map(|ch| ch.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["case_number", "stage"],
        "exactly the changed fields"
    );
    assert_eq!(v.case(c.id).expect("case"), c);
    assert!(
        found(&v, "DZ-2026-0002").is_empty(),
        "the old case number no longer finds the case"
    );
    assert_eq!(found(&v, "DZ-2026-0010"), vec!["DZ-2026-0010"]);
    assert_eq!(
        found(&v, "韦春花"),
        vec!["DZ-2026-0010"],
        "the name still finds it"
    );

    let mut clash = c.clone();
    clash.case_number = "DZ-2026-0001".to_owned();
    let err = v.update_case(&clash).expect_err("taken");
    assert!(matches!(err, StoreError::Duplicate { .. }), "got {err:?}");
    assert_eq!(
        v.case(c.id).expect("case"),
        c,
        "a refused update leaves the case as it was"
    );
    assert_eq!(
        found(&v, "DZ-2026-0010"),
        vec!["DZ-2026-0010"],
        "and its index entries"
    );
}

// ----- 9. transactions ----------------------------------------------------------------

#[test]
fn a_failed_import_writes_nothing() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    add_case(&mut v, "李娜", "DZ-2026-0001");
    let count = v.case_count().expect("count");
    let (persons_before, _, _) = v.export_all().expect("export");
    let audit_before = v.verify().expect("verify").audit.entries;

    let p1 = person("钟灵秀");
    let p2 = person("穆念慈");
    let c1 = case_for(
        &p1,
        "DZ-2026-0100",
        d(2026, 1, 5),
        InstitutionKind::AssistanceStation,
    );
    let c2 = case_for(
        &p2,
        "DZ-2026-0001",
        d(2026, 1, 5),
        InstitutionKind::AssistanceStation,
    );
    let r1 = guitu_domain::model::Record {
        id: Uuid::now_v7(),
        case_id: c1.id,
        body: note(d(2026, 1, 6), "导入的备注文字"),
        created_at: chrono::Utc::now(),
        created_by: USER.to_owned(),
        updated_at: chrono::Utc::now(),
        updated_by: USER.to_owned(),
    };
    let err = v
        .import(
            &[p1.clone(), p2.clone()],
            &[c1.clone(), c2],
            &[r1],
            "bad.json",
        )
        .expect_err("the second case's number is taken");
    match &err {
        StoreError::Duplicate { what, value } => {
            assert_eq!(*what, guitu_text::Thing::CaseNumber);
            assert_eq!(value, "DZ-2026-0001", "the error names the taken number");
        }
        other => panic!("a taken case number must be reported as Duplicate, got {other:?}"),
    }

    assert_eq!(
        v.case_count().expect("count"),
        count,
        "a failed import adds no case"
    );
    let (persons_after, _, records_after) = v.export_all().expect("export");
    assert_eq!(
        persons_after, persons_before,
        "a failed import adds no person, not even those before the failing item"
    );
    assert!(records_after.is_empty(), "and no record");
    assert!(
        matches!(v.case(c1.id), Err(StoreError::NotFound { .. })),
        "the first (valid) case of the failed import must not exist"
    );
    for q in ["钟灵秀", "穆念慈", "灵秀", "DZ-2026-0100", "导入的备注"] {
        assert!(
            found(&v, q).is_empty(),
            "the failed import left search entries behind for {q}"
        );
    }
    assert!(v.history_of_case(c1.id).expect("history").is_empty());
    let report = v.verify().expect("verify");
    assert_eq!(
        report.audit.entries, audit_before,
        "a failed import writes no audit entry"
    );
    assert!(report.ok());
    assert_eq!(
        new_case_number(&mut v, 2026),
        "DZ-2026-0002",
        "the vault still works after a failed write"
    );
}

#[test]
fn a_case_number_taken_twice_by_create_case_is_refused_cleanly() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    add_case(&mut v, "李娜", "DZ-2026-0001");
    let p = person("钟灵秀");
    let c = case_for(
        &p,
        "DZ-2026-0001",
        d(2026, 1, 5),
        InstitutionKind::AssistanceStation,
    );
    let err = v.create_case(&p, &c).expect_err("duplicate");
    assert!(matches!(err, StoreError::Duplicate { .. }), "got {err:?}");
    assert!(
        matches!(v.person(p.id), Err(StoreError::NotFound { .. })),
        "the person of a refused case must not be left behind"
    );
    assert!(found(&v, "钟灵秀").is_empty());
}

// ----- 10. backup and restore ---------------------------------------------------------

fn vault_with_data() -> (tempfile::TempDir, PathBuf, Vault, Secret) {
    let (tmp, dir, mut v, code) = new_vault();
    let (_, c) = add_case(&mut v, "欧阳小凤", "DZ-2026-0001");
    add_case(&mut v, "李娜", "DZ-2026-0002");
    v.insert_record(c.id, note(d(2026, 1, 11), "在服装厂被强迫劳动"))
        .expect("note");
    v.insert_record(c.id, legal_aid(d(2026, 1, 12), None))
        .expect("legal aid");
    (tmp, dir, v, code)
}

#[test]
fn backup_and_restore_into_a_fresh_directory_gives_the_same_data() {
    let (tmp, _dir, mut v, code) = vault_with_data();
    let file = tmp.path().join("guitu.backup");
    let size = v.backup(&file).expect("backup");
    assert_eq!(
        size,
        fs::metadata(&file).expect("backup file").len(),
        "backup reports its size"
    );
    let original = v.export_all().expect("export");
    drop(v);

    let target = tmp.path().join("restored");
    let restored = Vault::restore(
        &target,
        &file,
        &secret(PASSPHRASE),
        RestoreOptions::default(),
    )
    .expect("restore");
    assert_eq!(
        restored.export_all().expect("export"),
        original,
        "a restored vault holds exactly the backed-up persons, cases and records"
    );
    let report = restored.verify().expect("verify");
    assert!(report.ok(), "a restored vault verifies: {report:?}");
    assert_eq!(
        found(&restored, "阳小"),
        vec!["DZ-2026-0001"],
        "the search index comes back too"
    );
    assert_eq!(found(&restored, "服装厂"), vec!["DZ-2026-0001"]);
    assert_eq!(
        audit_actions(&restored).last().map(String::as_str),
        Some("restore"),
        "a restore is audited"
    );
    drop(restored);
    Vault::open(&target, &secret(PASSPHRASE)).expect("the restored vault opens normally");

    let by_code = tmp.path().join("restored-by-code");
    Vault::restore(
        &by_code,
        &file,
        &secret(&code.expose().to_lowercase()),
        RestoreOptions::default(),
    )
    .expect("the recovery code restores too");
}

#[test]
fn a_reopened_vault_can_be_backed_up_and_restored() {
    // A vault opened later (not the one just created) opens its database without the
    // create flag; the backup must still be able to write its scratch copy.
    let (tmp, dir, v, _code) = vault_with_data();
    let original = v.export_all().expect("export");
    drop(v);
    let mut v = Vault::open(&dir, &secret(PASSPHRASE)).expect("open");
    let file = tmp.path().join("later.backup");
    v.backup(&file)
        .expect("backing up a reopened vault must work");
    drop(v);
    let restored = Vault::restore(
        &tmp.path().join("r"),
        &file,
        &secret(PASSPHRASE),
        RestoreOptions::default(),
    )
    .expect("restore");
    assert_eq!(restored.export_all().expect("export"), original);
    let leftovers: Vec<String> = fs::read_dir(&dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the backup's scratch copy must not be left in the vault directory: {leftovers:?}"
    );
}

#[test]
fn restore_with_a_wrong_passphrase_creates_and_replaces_nothing() {
    let (tmp, dir, mut v, _code) = vault_with_data();
    let file = tmp.path().join("guitu.backup");
    v.backup(&file).expect("backup");
    drop(v);

    let target = tmp.path().join("restored");
    let err = Vault::restore(
        &target,
        &file,
        &secret("not the passphrase at all"),
        RestoreOptions::default(),
    )
    .expect_err("wrong passphrase");
    assert!(matches!(err, StoreError::WrongPassphrase), "got {err:?}");
    assert!(
        !target.exists(),
        "a refused restore must not even create the directory"
    );

    let before = snapshot(&dir);
    let err = Vault::restore(
        &dir,
        &file,
        &secret("not the passphrase at all"),
        RestoreOptions::default(),
    )
    .expect_err("wrong passphrase");
    assert!(matches!(err, StoreError::WrongPassphrase), "got {err:?}");
    assert_eq!(
        snapshot(&dir),
        before,
        "a refused restore must leave the existing vault exactly as it was"
    );
}

#[test]
fn a_truncated_or_damaged_backup_is_refused_before_anything_is_replaced() {
    let (tmp, dir, mut v, _code) = vault_with_data();
    let file = tmp.path().join("guitu.backup");
    v.backup(&file).expect("backup");
    drop(v);
    let good = fs::read(&file).expect("read");
    let before = snapshot(&dir);

    let mut cases: Vec<(String, Vec<u8>)> = vec![
        ("half".into(), good[..good.len() / 2].to_vec()),
        ("one byte short".into(), good[..good.len() - 1].to_vec()),
        ("only the magic".into(), good[..16].to_vec()),
        ("empty".into(), Vec::new()),
    ];
    for at in [20, good.len() / 2, good.len() - 40, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x01;
        cases.push((format!("bit flipped at {at}"), bad));
    }
    for (what, bytes) in cases {
        let bad_file = tmp.path().join("bad.backup");
        fs::write(&bad_file, &bytes).expect("write bad backup");
        let fresh = tmp.path().join("fresh");
        let err = Vault::restore(
            &fresh,
            &bad_file,
            &secret(PASSPHRASE),
            RestoreOptions::default(),
        )
        .expect_err(&what);
        assert!(
            matches!(err, StoreError::BadBackup(_)),
            "a damaged backup ({what}) must be refused as such, got {err:?}"
        );
        assert!(
            !fresh.exists(),
            "a refused restore ({what}) creates nothing"
        );
        let err = Vault::restore(
            &dir,
            &bad_file,
            &secret(PASSPHRASE),
            RestoreOptions::default(),
        )
        .expect_err(&what);
        assert!(matches!(err, StoreError::BadBackup(_)), "got {err:?}");
        assert_eq!(
            snapshot(&dir),
            before,
            "a damaged backup ({what}) must not replace the vault"
        );
    }
}

/// The folders `dir/before-restore-*` where restores put the vaults they replaced.
fn aside_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("before-restore-"))
        })
        .collect();
    out.sort();
    out
}

const CONFIRM: RestoreOptions = RestoreOptions {
    replace_other_vault: true,
    allow_older: true,
};

#[test]
fn restoring_over_a_vault_keeps_the_old_one_beside_it() {
    let (tmp, _dir, mut v, _code) = vault_with_data();
    let file = tmp.path().join("guitu.backup");
    v.backup(&file).expect("backup");
    let original = v.export_all().expect("export");
    drop(v);

    // Another vault (a different data key) lives where the backup is restored.
    let other_dir = tmp.path().join("other");
    let (mut other, _) =
        Vault::create(&other_dir, USER, &secret(NEW_PASSPHRASE), &kdf()).expect("create");
    add_case(&mut other, "穆念慈", "DZ-2026-0009");
    drop(other);
    let old = snapshot(&other_dir);

    let err = Vault::restore(
        &other_dir,
        &file,
        &secret(PASSPHRASE),
        RestoreOptions::default(),
    )
    .expect_err("another vault's backup");
    assert!(
        matches!(err, StoreError::RestoreOtherVault { .. }),
        "replacing another vault needs a confirmation, got {err:?}"
    );
    assert_eq!(
        snapshot(&other_dir),
        old,
        "the refused restore changed nothing"
    );

    let restored = Vault::restore(
        &other_dir,
        &file,
        &secret(PASSPHRASE),
        RestoreOptions {
            replace_other_vault: true,
            allow_older: false,
        },
    )
    .expect("restore");
    assert_eq!(restored.export_all().expect("export"), original);
    drop(restored);

    let aside = aside_dirs(&other_dir);
    assert_eq!(
        aside.len(),
        1,
        "the replaced vault is kept beside the restored one"
    );
    let kept = snapshot(&aside[0]);
    assert_eq!(
        kept[DB_FILE], old[DB_FILE],
        "the kept copy is the old database, unchanged"
    );
    assert_eq!(
        kept[HEADER_FILE], old[HEADER_FILE],
        "the old header is kept too: without it the old database could not be opened"
    );
    let err = Vault::open(&other_dir, &secret(NEW_PASSPHRASE)).expect_err("replaced");
    assert!(
        matches!(err, StoreError::WrongPassphrase),
        "the restored vault carries the backup's key slots, got {err:?}"
    );
    let back =
        Vault::open(&aside[0], &secret(NEW_PASSPHRASE)).expect("the kept vault opens as it is");
    assert!(back.verify().expect("verify").ok());
}

#[test]
fn restoring_twice_in_a_row_keeps_both_replaced_vaults() {
    let (tmp, dir, mut v, _code) = vault_with_data();
    let file = tmp.path().join("guitu.backup");
    v.backup(&file).expect("backup");
    let first_db = {
        drop(v);
        snapshot(&dir)[DB_FILE].clone()
    };
    // The backup lacks the `backup` audit entry written after it: an older backup.
    let err = Vault::restore(&dir, &file, &secret(PASSPHRASE), RestoreOptions::default())
        .expect_err("older");
    assert!(
        matches!(
            err,
            StoreError::RestoreOlder {
                backup_changes: 5,
                current_changes: 6,
                ..
            }
        ),
        "a backup older than the vault needs a confirmation, got {err:?}"
    );
    // Two restores within the same second (a script, or a quick second try).
    let restored =
        Vault::restore(&dir, &file, &secret(PASSPHRASE), CONFIRM).expect("first restore");
    drop(restored);
    let second_db = snapshot(&dir)[DB_FILE].clone();
    let restored =
        Vault::restore(&dir, &file, &secret(PASSPHRASE), CONFIRM).expect("second restore");
    drop(restored);

    let kept: Vec<String> = aside_dirs(&dir)
        .iter()
        .map(|d| snapshot(d)[DB_FILE].clone())
        .collect();
    assert_eq!(
        kept.len(),
        2,
        "each restore keeps the vault it replaced; a second one must not overwrite the first copy"
    );
    assert!(
        kept.contains(&first_db) && kept.contains(&second_db),
        "both replaced databases are kept unchanged"
    );
}

#[test]
fn restoring_over_a_crashed_vault_keeps_its_unsaved_wal_data_in_the_copy() {
    let (tmp, dir, mut v, _code) = vault_with_data();
    let file = tmp.path().join("guitu.backup");
    v.backup(&file).expect("backup");
    // Written after the backup: only in the WAL while the vault is open.
    let (_, late) = add_case(&mut v, "穆念慈", "DZ-2026-0003");
    // A crash image: the files as they are on disk while the vault is open.
    let crashed = tmp.path().join("crashed");
    fs::create_dir(&crashed).expect("mkdir");
    for name in [
        DB_FILE.to_owned(),
        format!("{DB_FILE}-wal"),
        HEADER_FILE.to_owned(),
        guitu_store::CHECK_FILE.to_owned(),
    ] {
        fs::copy(dir.join(&name), crashed.join(&name)).expect("copy crash image");
    }
    drop(v);

    let restored = Vault::restore(&crashed, &file, &secret(PASSPHRASE), CONFIRM).expect("restore");
    assert!(
        matches!(restored.case(late.id), Err(StoreError::NotFound { .. })),
        "the restored vault is the backup, without the later case"
    );
    drop(restored);

    // The kept copy opens where it is, with its WAL.
    let aside = aside_dirs(&crashed);
    assert_eq!(aside.len(), 1);
    assert!(
        aside[0].join(format!("{DB_FILE}-wal")).exists(),
        "the WAL moved with its database"
    );
    let old = Vault::open(&aside[0], &secret(PASSPHRASE)).expect("the kept copy opens");
    assert_eq!(
        old.case(late.id)
            .expect("the kept copy must hold the committed case that was still in the WAL"),
        late,
        "a restore must not silently drop committed data of the vault it replaces"
    );
}

#[test]
fn a_backup_with_an_absurd_length_field_is_refused_not_a_crash() {
    let (tmp, _dir, mut v, _code) = vault_with_data();
    let file = tmp.path().join("guitu.backup");
    v.backup(&file).expect("backup");
    drop(v);
    let good = fs::read(&file).expect("read");
    // Layout: magic (16) | header length (u32 LE) | header | db length (u64 LE) | db | SHA-256.
    let hlen = u32::from_le_bytes(good[16..20].try_into().expect("4 bytes")) as usize;
    let dlen_at = 20 + hlen;
    for dlen in [u64::MAX, u64::MAX - 100, (good.len() as u64) * 2] {
        let mut body = good[..good.len() - 32].to_vec();
        body[dlen_at..dlen_at + 8].copy_from_slice(&dlen.to_le_bytes());
        let digest = Sha256::digest(&body);
        body.extend_from_slice(&digest);
        let bad = tmp.path().join("crafted.backup");
        fs::write(&bad, &body).expect("write");
        let target = tmp.path().join("fresh");
        let err = Vault::restore(
            &target,
            &bad,
            &secret(PASSPHRASE),
            RestoreOptions::default(),
        )
        .expect_err("crafted");
        assert!(
            matches!(err, StoreError::BadBackup(_)),
            "a length field pointing past the file ({dlen}) is a bad backup, got {err:?}"
        );
        assert!(!target.exists(), "nothing created for a bad backup");
    }
}

// ----- 11. deadline candidates --------------------------------------------------------

#[test]
fn due_candidates_follow_identity_track_and_legal_aid_records() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    let add = |v: &mut Vault, name: &str, number: &str, received, kind| {
        let p = person(name);
        let c = case_for(&p, number, received, kind);
        v.create_case(&p, &c).expect("create_case");
        c
    };
    let station = add(
        &mut v,
        "林秀英",
        "DZ-2025-0001",
        d(2025, 11, 30),
        InstitutionKind::AssistanceStation,
    );
    let other_kind = add(
        &mut v,
        "李娜",
        "DZ-2025-0002",
        d(2025, 11, 30),
        InstitutionKind::Other,
    );
    let late_verified = add(
        &mut v,
        "韦春花",
        "DZ-2025-0003",
        d(2025, 11, 30),
        InstitutionKind::MinorProtectionCentre,
    );
    let tracked = add(
        &mut v,
        "欧阳小凤",
        "DZ-2025-0004",
        d(2025, 10, 1),
        InstitutionKind::ChildWelfare,
    );
    let recent = add(
        &mut v,
        "阮氏兰",
        "DZ-2026-0001",
        d(2026, 2, 1),
        InstitutionKind::AssistanceStation,
    );
    let until = d(2026, 1, 15);
    let id3m = |v: &Vault| -> BTreeMap<Uuid, (Option<NaiveDate>, usize)> {
        v.due_candidates(until)
            .expect("due_candidates")
            .id3m
            .into_iter()
            .map(|c| (c.case_id, (c.identity_verified, c.track.len())))
            .collect()
    };

    let now = id3m(&v);
    assert_eq!(
        now.get(&station.id),
        Some(&(None, 0)),
        "received at a station with no verified identity: R-ID-3M may concern it"
    );
    assert!(
        !now.contains_key(&other_kind.id),
        "R-ID-3M concerns assistance institutions only"
    );
    assert!(
        !now.contains_key(&recent.id),
        "cases received after the cut-off cannot be due yet"
    );

    // A pending or failed inquiry does not establish identity.
    v.insert_record(
        station.id,
        identity(d(2025, 12, 5), IdentityOutcome::NoMatch, None),
    )
    .expect("no match");
    assert_eq!(
        id3m(&v).get(&station.id),
        Some(&(None, 0)),
        "a no-match inquiry leaves the case a candidate"
    );
    v.insert_record(
        station.id,
        identity(
            d(2025, 12, 20),
            IdentityOutcome::Verified,
            Some(d(2025, 12, 20)),
        ),
    )
    .expect("verified");
    assert!(
        !id3m(&v).contains_key(&station.id),
        "identity verified well before the due date: the derived fact must be refreshed and the case drop out"
    );

    // Verified after the due date: still a candidate, the domain closes the track.
    v.insert_record(
        late_verified.id,
        identity(
            d(2026, 3, 10),
            IdentityOutcome::Verified,
            Some(d(2026, 3, 10)),
        ),
    )
    .expect("late verification");
    assert_eq!(
        id3m(&v).get(&late_verified.id),
        Some(&(Some(d(2026, 3, 10)), 0)),
        "a late verification keeps the case, with its date, for the domain to judge"
    );

    // Track steps are carried along; five distinct steps complete the track.
    let steps = TrackStep::ALL;
    for step in &steps[..2] {
        v.insert_record(tracked.id, track_step(*step, d(2026, 1, 10)))
            .expect("step");
    }
    assert_eq!(
        id3m(&v).get(&tracked.id),
        Some(&(None, 2)),
        "an incomplete track stays a candidate with its step records"
    );
    for step in &steps[2..] {
        v.insert_record(tracked.id, track_step(*step, d(2026, 1, 12)))
            .expect("step");
    }
    assert!(
        !id3m(&v).contains_key(&tracked.id),
        "a complete track is no longer a candidate"
    );
    v.insert_record(
        late_verified.id,
        RecordBody::TrackClosure(TrackClosure {
            date: d(2026, 3, 10),
            reason: "身份已查明".to_owned(),
            by: USER.to_owned(),
        }),
    )
    .expect("closure");
    assert!(
        !id3m(&v).contains_key(&late_verified.id),
        "a closed track is no longer a candidate"
    );

    // Legal aid: open until `closed` is set.
    let la = v
        .insert_record(recent.id, legal_aid(d(2026, 2, 3), None))
        .expect("legal aid");
    let open_ids = |v: &Vault| -> Vec<Uuid> {
        v.due_candidates(until)
            .expect("due_candidates")
            .legal_aid
            .into_iter()
            .map(|c| c.record_id)
            .collect()
    };
    assert_eq!(
        open_ids(&v),
        vec![la.id],
        "an open legal-aid application is a candidate"
    );
    v.update_record(la.id, legal_aid(d(2026, 2, 3), Some(d(2026, 2, 20))))
        .expect("close legal aid");
    assert!(
        open_ids(&v).is_empty(),
        "a closed legal-aid application is no longer a candidate"
    );
}

// ----- 12. settings -------------------------------------------------------------------

#[test]
fn settings_round_trip_and_invalid_settings_are_refused() {
    let (_tmp, dir, mut v, _code) = new_vault();
    assert_eq!(
        v.settings().expect("defaults"),
        RuleSettings::default(),
        "a new vault uses the defaults"
    );
    let mut s = RuleSettings {
        case_prefix: "HD".to_owned(),
        idle_lock_minutes: 30,
        ..RuleSettings::default()
    };
    s.id3m.lead_days = vec![21, 7];
    v.save_settings(&s).expect("save");
    assert_eq!(v.settings().expect("load"), s);
    drop(v);
    let mut v = Vault::open(&dir, &secret(PASSPHRASE)).expect("open");
    assert_eq!(
        v.settings().expect("load"),
        s,
        "settings survive close/open"
    );
    let audit_len = v.verify().expect("verify").audit.entries;

    let bad = RuleSettings {
        case_prefix: "dz-".to_owned(),
        ..RuleSettings::default()
    };
    let err = v.save_settings(&bad).expect_err("invalid prefix");
    assert!(
        matches!(err, StoreError::Domain(_)),
        "an invalid setting is a domain error the user can act on, got {err:?}"
    );
    assert_eq!(
        v.settings().expect("load"),
        s,
        "refused settings leave the saved ones in force"
    );
    assert_eq!(
        v.verify().expect("verify").audit.entries,
        audit_len,
        "a refused change is not audited as made"
    );
}

// ----- 13. case numbers ---------------------------------------------------------------

/// Creates a case without a number: the vault numbers it in the same transaction.
fn new_case_number(v: &mut Vault, year: i32) -> String {
    let p = person("编号测试");
    let c = case_for(&p, "", d(year, 1, 2), InstitutionKind::AssistanceStation);
    v.create_case(&p, &c).expect("create_case").case_number
}

/// Imports one case per number (as another office's export would bring them).
fn import_numbers(v: &mut Vault, numbers: &[&str]) {
    let persons: Vec<Person> = numbers.iter().map(|_| person("导入人员")).collect();
    let cases: Vec<Case> = persons
        .iter()
        .zip(numbers)
        .map(|(p, n)| case_for(p, n, d(2026, 1, 2), InstitutionKind::AssistanceStation))
        .collect();
    v.import(&persons, &cases, &[], "other-office.json")
        .expect("import");
}

#[test]
fn next_case_number_counts_up_and_skips_numbers_already_taken() {
    let (_tmp, dir, mut v, _code) = new_vault();
    assert_eq!(new_case_number(&mut v, 2026), "DZ-2026-0001");
    assert_eq!(new_case_number(&mut v, 2026), "DZ-2026-0002");

    // An import brings cases with numbers the counter has not handed out yet. Whether
    // the counter fills the gap (0004) or continues after the highest number (0006) is
    // a policy; what must hold is that no taken number is handed out and none twice.
    import_numbers(&mut v, &["DZ-2026-0003", "DZ-2026-0005"]);
    let mut handed_out = vec!["DZ-2026-0001".to_owned(), "DZ-2026-0002".to_owned()];
    let taken = ["DZ-2026-0003", "DZ-2026-0005"];
    for _ in 0..2 {
        let n = new_case_number(&mut v, 2026);
        assert!(
            !taken.contains(&n.as_str()),
            "{n} belongs to an imported case: two cases would share a number"
        );
        assert!(
            handed_out.last().is_some_and(|last| *last < n),
            "numbers count up and are never repeated: {n} after {handed_out:?}"
        );
        handed_out.push(n);
    }
    assert_eq!(
        new_case_number(&mut v, 2027),
        "DZ-2027-0001",
        "each year counts from 1"
    );
    drop(v);
    let mut v = Vault::open(&dir, &secret(PASSPHRASE)).expect("open");
    let n = new_case_number(&mut v, 2026);
    assert!(
        handed_out.last().is_some_and(|last| *last < n) && !taken.contains(&n.as_str()),
        "the counter survives close/open: {n} after {handed_out:?}"
    );
    let s = RuleSettings {
        case_prefix: "HD".to_owned(),
        ..RuleSettings::default()
    };
    v.save_settings(&s).expect("settings");
    assert_eq!(
        new_case_number(&mut v, 2026),
        "HD-2026-0001",
        "the configured prefix is used"
    );
}

#[test]
fn next_case_number_in_a_vault_filled_by_import_starts_after_the_imported_numbers() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    import_numbers(&mut v, &["DZ-2026-0001", "DZ-2026-0002", "DZ-2026-0003"]);
    assert_eq!(
        new_case_number(&mut v, 2026),
        "DZ-2026-0004",
        "numbers already taken by imported cases are skipped"
    );
    assert_eq!(new_case_number(&mut v, 2026), "DZ-2026-0005");
    assert_eq!(
        new_case_number(&mut v, 2025),
        "DZ-2025-0001",
        "another year's numbers are not affected"
    );
}

// ----- 14. names as they are, in pinyin order ------------------------------------------

#[test]
fn the_list_keeps_names_as_recorded_and_sorts_them_by_pinyin() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    for (name, number) in [
        ("张伟", "DZ-2026-0001"),
        ("王芳", "DZ-2026-0002"),
        ("李娜", "DZ-2026-0003"),
    ] {
        add_case(&mut v, name, number);
    }
    let mut unknown = person("x");
    unknown.name = None;
    unknown.intake_number = Some("JS-17".into());
    let c = case_for(
        &unknown,
        "DZ-2026-0004",
        d(2026, 1, 10),
        InstitutionKind::AssistanceStation,
    );
    v.create_case(&unknown, &c).expect("create_case");
    let q = guitu_store::CaseListQuery {
        query: String::new(),
        stage: None,
        active: false,
        flags: Vec::new(),
        caseworker: None,
        institution: None,
        sort: guitu_store::CaseSort::Name,
        descending: false,
        offset: 0,
        limit: 10,
    };
    let list = v.list_cases(&q).expect("list");
    let names: Vec<Option<&str>> = list.rows.iter().map(|r| r.name.as_deref()).collect();
    assert_eq!(
        names,
        [Some("李娜"), Some("王芳"), Some("张伟"), None],
        "pinyin order (li < wang < zhang), unknown names last — not code-point order"
    );
    let last = &list.rows[3];
    assert_eq!(
        last.intake_number.as_deref(),
        Some("JS-17"),
        "the intake number travels raw; 身份不明 is made by the front end in its language"
    );
    let hits = v.search("JS-17", 5).expect("search");
    assert!(
        hits.iter().all(|h| h.name.is_none()),
        "no display text is stored or returned"
    );
}

#[test]
fn a_rename_moves_the_case_in_the_name_order() {
    let (_tmp, _dir, mut v, _code) = new_vault();
    let (mut p, _) = add_case(&mut v, "张伟", "DZ-2026-0001");
    add_case(&mut v, "王芳", "DZ-2026-0002");
    p.name = Some("艾伦".into());
    v.update_person(&p).expect("rename");
    let q = guitu_store::CaseListQuery {
        query: String::new(),
        stage: None,
        active: false,
        flags: Vec::new(),
        caseworker: None,
        institution: None,
        sort: guitu_store::CaseSort::Name,
        descending: false,
        offset: 0,
        limit: 10,
    };
    let first = v.list_cases(&q).expect("list").rows[0].name.clone();
    assert_eq!(
        first.as_deref(),
        Some("艾伦"),
        "ai sorts before wang after the rename"
    );
}
