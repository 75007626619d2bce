//! Issue 12, parts 5 and 6: a forgotten passphrase set anew with the recovery code, and
//! the training vault — demo data beside the real vault, never in it.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use guitu_api::{ApiError, KdfParams, Problem, Secret, Session, StoreError, training_vault_dir};
use guitu_domain::access::Role;

const PASS: &str = "test-passphrase-1";
const NEW_PASS: &str = "新的密码足够长了吧对吧";

fn kdf() -> KdfParams {
    KdfParams::insecure_for_tests()
}

fn secret(s: &str) -> Secret {
    Secret::new(s.to_owned())
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
}

/// Every file of a folder (not its subfolders) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            out.insert(
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).expect("read"),
            );
        }
    }
    out
}

fn code_of(e: &ApiError) -> String {
    e.problem().code().to_owned()
}

#[test]
fn demo_data_goes_into_the_training_vault_beside_the_real_one_and_never_into_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let (mut real, _code) = Session::create(&dir, "张老师", &secret(PASS), &kdf()).expect("create");
    assert!(
        !real.is_training().expect("is_training"),
        "a new vault is real"
    );

    let before = snapshot(&dir);
    let refused = real
        .add_demo(5, 7, today())
        .expect_err("demo data into the real vault must be refused");
    assert_eq!(
        code_of(&refused),
        "demo.real_vault",
        "the refusal has its own code"
    );
    assert_eq!(real.case_count().expect("count"), 0, "nothing was imported");

    let opened = real
        .open_training(12, today(), &kdf())
        .expect("the training vault is made and filled");
    let mut training = opened.session;
    assert!(
        training.is_training().expect("is_training"),
        "the session is on a training vault"
    );
    assert_eq!(
        opened.demo.as_ref().map(|c| c.cases),
        Some(12),
        "created now, with the demo cases asked for"
    );
    assert!(opened.set_aside.is_none());
    assert!(
        training_vault_dir(&dir)
            .join(guitu_store_header())
            .is_file(),
        "the training vault is its own vault in {}",
        training_vault_dir(&dir).display()
    );
    assert_eq!(training.user(), "张老师", "made by the user who opened it");
    assert_eq!(training.case_count().expect("count"), 12);
    // Work done in training: more demo data, a settings change.
    training
        .add_demo(3, 9, today())
        .expect("more demo data is fine in training");
    let mut settings = training.settings().clone();
    settings.idle_lock_minutes = 3;
    training
        .save_settings(settings)
        .expect("settings in training");
    drop(training);

    assert_eq!(
        real.case_count().expect("count"),
        0,
        "the real vault holds none of the training vault's cases"
    );
    assert_eq!(
        snapshot(&dir),
        before,
        "the real vault's files are byte for byte what they were: nothing done in training, nor opening it, writes to them"
    );
    assert_ne!(
        real.settings().idle_lock_minutes,
        3,
        "a setting changed in training is not the real vault's"
    );

    let again = real
        .open_training(12, today(), &kdf())
        .expect("the training vault opens again");
    assert!(
        again.demo.is_none(),
        "an existing training vault is opened, not refilled"
    );
    assert_eq!(
        again.session.case_count().expect("count"),
        15,
        "the practice work is still there"
    );
    let nested = again
        .session
        .open_training(1, today(), &kdf())
        .expect_err("a training vault has no training vault of its own");
    assert_eq!(code_of(&nested), "training.already_open");
    drop(again);
    drop(real);

    // The same user, after unlocking again (and by the recovery code), reaches it.
    let real = Session::open(&dir, &secret(PASS)).expect("unlock");
    let third = real.open_training(1, today(), &kdf()).expect("open");
    assert_eq!(third.session.case_count().expect("count"), 15);
}

fn guitu_store_header() -> &'static str {
    "vault.json"
}

#[test]
fn after_a_rekey_the_old_training_vault_is_set_aside_and_a_new_one_made() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let (mut real, _code) = Session::create(&dir, "张老师", &secret(PASS), &kdf()).expect("create");
    real.add_user(
        "王芳",
        &[Role::Caseworker],
        None,
        &secret("王芳的密码很长很长的"),
        &kdf(),
    )
    .expect("add user");
    drop(real.open_training(2, today(), &kdf()).expect("training"));
    real.remove_user("王芳", &kdf(), &|_| {})
        .expect("removing a user re-keys the database");
    let opened = real
        .open_training(4, today(), &kdf())
        .expect("a new training vault after the re-key");
    let aside = opened
        .set_aside
        .clone()
        .expect("the old training vault was set aside, not deleted");
    assert!(
        aside.join("vault.json").is_file(),
        "the old practice work is kept in {}",
        aside.display()
    );
    assert_eq!(opened.demo.map(|c| c.cases), Some(4), "a new one, filled");
}

#[test]
fn a_training_vault_of_its_own_takes_demo_data_and_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("course");
    let (mut s, _) =
        Session::create_training(&dir, "讲师", &secret(PASS), &kdf()).expect("create_training");
    assert!(s.is_training().expect("is_training"));
    assert_eq!(s.add_demo(4, 7, today()).expect("demo").cases, 4);
    drop(s);
    let s = Session::open(&dir, &secret(PASS)).expect("its own passphrase opens it");
    assert!(
        s.is_training().expect("is_training"),
        "the mark survives a reopen"
    );
}

#[test]
fn the_recovery_code_sets_a_new_passphrase_and_a_wrong_code_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let (mut s, code) = Session::create(&dir, "张老师", &secret(PASS), &kdf()).expect("create");
    s.add_user(
        "王芳",
        &[Role::Caseworker],
        None,
        &secret("王芳的密码很长很长的"),
        &kdf(),
    )
    .expect("add user");
    drop(s);

    let before = snapshot(&dir);
    let wrong = Session::recover(
        &dir,
        "0000-0000-0000-0000-0000-0000-0000-0000",
        Some("王芳"),
        &secret(NEW_PASS),
        &kdf(),
    )
    .expect_err("a wrong recovery code is refused");
    assert!(
        matches!(wrong, ApiError::Store(StoreError::WrongPassphrase)),
        "a wrong code says so: {wrong:?}"
    );
    assert_eq!(wrong.problem(), Problem::WrongPassphrase);
    assert_eq!(
        snapshot(&dir),
        before,
        "a wrong recovery code leaves every file as it was"
    );

    let s = Session::recover(&dir, code.expose(), Some("王芳"), &secret(NEW_PASS), &kdf())
        .expect("the recovery code sets 王芳's new passphrase");
    assert_eq!(s.user(), "王芳", "unlocked as the user who recovered");
    drop(s);
    assert!(
        Session::open_as(&dir, "王芳", &secret("王芳的密码很长很长的")).is_err(),
        "the forgotten passphrase no longer opens"
    );
    let s = Session::open_as(&dir, "王芳", &secret(NEW_PASS)).expect("the new one does");
    drop(s);
    let admin = Session::open_as(&dir, "张老师", &secret(PASS))
        .expect("the other user's passphrase is untouched");
    let trail = admin.audit_recent(20).expect("audit");
    assert!(
        trail.iter().any(|e| e.action == "passphrase_changed"
            && e.actor == "recovery"
            && e.target == "user:王芳"),
        "the recovery is in the audit trail, by the recovery code, for 王芳: {trail:?}"
    );
}
