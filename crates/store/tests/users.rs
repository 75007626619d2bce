//! Users are key slots with roles (issue 10): the first user administers, an added user
//! unlocks with their own passphrase and holds the roles given, a disabled user is
//! refused after unlocking, the recovery code acts as an administrator.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;
use common::secret;

use guitu_domain::access::Role;
use guitu_store::{FIRST_USER_ROLES, KdfParams, StoreError, User, Vault};

const ADMIN_PASS: &str = "correct horse battery staple";
const CW_PASS: &str = "another long enough passphrase";

fn caseworker() -> User {
    User {
        name: "李强".into(),
        roles: vec![Role::Caseworker],
        institution: None,
        disabled: false,
    }
}

#[test]
fn users_have_their_own_slots_and_roles() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let kdf = KdfParams::insecure_for_tests();
    let (mut v, code) = Vault::create(&dir, "王芳", &secret(ADMIN_PASS), &kdf).expect("create");
    let me = v.current_user().expect("the creator is a user");
    assert_eq!(me.name, "王芳");
    assert_eq!(
        me.roles, FIRST_USER_ROLES,
        "the first user of a new vault administers it"
    );

    v.add_user(&caseworker(), &secret(CW_PASS), &kdf)
        .expect("an administrator adds a caseworker");
    assert!(
        matches!(
            v.add_user(&caseworker(), &secret(CW_PASS), &kdf),
            Err(StoreError::UserExists)
        ),
        "one name, one user"
    );
    let names: Vec<String> = v
        .list_users()
        .expect("list")
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["李强", "王芳"]);
    drop(v);

    let v = Vault::open(&dir, &secret(CW_PASS)).expect("the caseworker's own passphrase opens");
    assert_eq!(v.current_user().expect("user"), caseworker());
    drop(v);

    let mut v = Vault::open(&dir, &secret(ADMIN_PASS)).expect("admin");
    let mut off = caseworker();
    off.disabled = true;
    v.update_user(&off).expect("disable");
    drop(v);
    let v = Vault::open(&dir, &secret(CW_PASS)).expect("the slot still unlocks");
    assert!(
        matches!(v.current_user(), Err(StoreError::UserDisabled)),
        "a disabled user is refused once unlocked"
    );
    drop(v);

    let v = Vault::open_with_recovery(&dir, code.expose()).expect("recovery");
    let r = v.current_user().expect("recovery acts");
    assert_eq!(
        r.roles,
        [Role::Administrator],
        "the recovery code administers"
    );
}

#[test]
fn a_removed_user_s_old_slot_opens_nothing_of_the_re_keyed_vault() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let kdf = KdfParams::insecure_for_tests();
    let (mut v, code) = Vault::create(&dir, "王芳", &secret(ADMIN_PASS), &kdf).expect("create");
    v.add_user(&caseworker(), &secret(CW_PASS), &kdf)
        .expect("add 李强");
    let mut other = caseworker();
    other.name = "赵敏".into();
    v.add_user(&other, &secret("a third long passphrase"), &kdf)
        .expect("add 赵敏");
    // What 李强 could have copied before he left: the header with his slot.
    let old_header = std::fs::read(dir.join("vault.json")).expect("header");

    assert!(
        matches!(
            v.remove_user("王芳", &kdf, &|_| {}),
            Err(StoreError::UserIsSelf)
        ),
        "nobody removes themselves"
    );
    let seen = std::sync::Mutex::new(Vec::new());
    let removed = v
        .remove_user("李强", &kdf, &|p| seen.lock().expect("lock").push(p))
        .expect("the administrator removes 李强");
    assert!(
        removed.new_recovery_code.is_none(),
        "a sealed recovery slot takes the new key: the printed code stays valid"
    );
    let seen = seen.into_inner().expect("progress");
    assert_eq!(
        seen.last().map(|p| p.stage),
        Some(guitu_store::RekeyStage::Done),
        "the progress ends with done"
    );
    assert!(
        seen.iter()
            .any(|p| p.stage == guitu_store::RekeyStage::Copy && p.total > 0),
        "the copy reports its size"
    );
    assert_eq!(
        v.case_count().expect("the vault goes on after the re-key"),
        0
    );
    let names: Vec<String> = v
        .list_users()
        .expect("list")
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["王芳", "赵敏"], "李强 is gone from the users");
    drop(v);

    assert!(
        matches!(
            Vault::open_as(&dir, "李强", &secret(CW_PASS)),
            Err(StoreError::UserUnknown)
        ),
        "the new header has no slot of his"
    );
    // His old header beside the database as it is after the removal.
    let copy = tmp.path().join("his-copy");
    std::fs::create_dir_all(&copy).expect("dir");
    for f in ["guitu.db", "vault.check"] {
        std::fs::copy(dir.join(f), copy.join(f)).expect("copy");
    }
    std::fs::write(copy.join("vault.json"), &old_header).expect("old header");
    let err = Vault::open_as(&copy, "李强", &secret(CW_PASS))
        .expect_err("the old slot must not open the re-keyed database");
    assert!(
        !matches!(err, StoreError::UserUnknown | StoreError::WrongPassphrase),
        "his slot opens (old key) but the database does not take it: {err:?}"
    );
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.contains("before") || n.contains("journal"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no copy under the old key is left in the vault folder: {leftovers:?}"
    );

    Vault::open_as(&dir, "王芳", &secret(ADMIN_PASS)).expect("the administrator opens");
    Vault::open_as(&dir, "赵敏", &secret("a third long passphrase")).expect("赵敏 opens");
    Vault::open_with_recovery(&dir, code.expose()).expect("the recovery code opens");
    let v = Vault::open(&dir, &secret(ADMIN_PASS)).expect("open");
    assert!(v.verify().expect("verify").ok(), "the audit chain goes on");
}

#[test]
fn the_last_administrator_cannot_be_removed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let kdf = KdfParams::insecure_for_tests();
    let (mut v, _) = Vault::create(&dir, "王芳", &secret(ADMIN_PASS), &kdf).expect("create");
    v.add_user(&caseworker(), &secret(CW_PASS), &kdf)
        .expect("add");
    drop(v);
    // The store refuses it whoever asks (the API also checks the permission).
    let mut v = Vault::open_as(&dir, "李强", &secret(CW_PASS)).expect("open");
    assert!(
        matches!(
            v.remove_user("王芳", &kdf, &|_| {}),
            Err(StoreError::UserLastAdministrator)
        ),
        "the vault keeps an administrator"
    );
}

#[test]
fn only_an_administrator_of_the_backup_restores_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let kdf = KdfParams::insecure_for_tests();
    let (mut v, _) = Vault::create(&dir, "王芳", &secret(ADMIN_PASS), &kdf).expect("create");
    v.add_user(&caseworker(), &secret(CW_PASS), &kdf)
        .expect("add");
    let backup = tmp.path().join("b.backup");
    v.backup(&backup).expect("backup");
    drop(v);
    let other = tmp.path().join("elsewhere");
    assert!(
        matches!(
            Vault::restore(&other, &backup, &secret(CW_PASS), Default::default()),
            Err(StoreError::RestoreDenied)
        ),
        "a caseworker's passphrase opens the backup, but restoring is an administrator's act"
    );
    assert!(
        !other.join("vault.json").exists(),
        "nothing was switched in"
    );
    Vault::restore(&other, &backup, &secret(ADMIN_PASS), Default::default())
        .expect("the administrator restores");
}

#[test]
fn slots_of_an_older_vault_are_renewed_at_unlock_and_a_removal_waits_for_them() {
    use guitu_store::keys::SlotKind;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let kdf = KdfParams::insecure_for_tests();
    let (mut v, code) = Vault::create(&dir, "王芳", &secret(ADMIN_PASS), &kdf).expect("create");
    v.add_user(&caseworker(), &secret(CW_PASS), &kdf)
        .expect("add 李强");
    let mut leaving = caseworker();
    leaving.name = "赵敏".into();
    v.add_user(&leaving, &secret("a third long passphrase"), &kdf)
        .expect("add 赵敏");
    // As a vault made before sealed slots: 李强's slot and the recovery slot wrap the key.
    v.unseal_slot_for_tests(
        SlotKind::Passphrase {
            user: "李强".into(),
        },
        &secret(CW_PASS),
        &kdf,
    )
    .expect("unsealed slot");
    v.unseal_slot_for_tests(SlotKind::Recovery, &code, &kdf)
        .expect("unsealed recovery slot");
    assert!(
        matches!(
            v.remove_user("赵敏", &kdf, &|_| {}),
            Err(StoreError::UsersMustUnlock { ref users }) if users == &["李强".to_owned()]
        ),
        "李强's old slot cannot take a new key: he must unlock once"
    );
    drop(v);
    drop(Vault::open_as(&dir, "李强", &secret(CW_PASS)).expect("李强 unlocks as before"));
    let header = guitu_store::keys::VaultHeader::load(&dir.join("vault.json")).expect("header");
    assert!(
        header
            .slots
            .iter()
            .filter(|s| s.kind != SlotKind::Recovery)
            .all(|s| s.is_sealed()),
        "his unlock renewed his slot"
    );
    let mut v = Vault::open_as(&dir, "王芳", &secret(ADMIN_PASS)).expect("admin");
    let removed = v
        .remove_user("赵敏", &kdf, &|_| {})
        .expect("now the removal goes");
    let new_code = removed
        .new_recovery_code
        .expect("the old recovery slot could not take the new key: a new code, shown once");
    drop(v);
    assert!(
        Vault::open_with_recovery(&dir, code.expose()).is_err(),
        "the old recovery code opens nothing of the re-keyed vault"
    );
    Vault::open_with_recovery(&dir, new_code.expose()).expect("the new code opens");
    Vault::open_as(&dir, "李强", &secret(CW_PASS)).expect("李强 still opens");
}
