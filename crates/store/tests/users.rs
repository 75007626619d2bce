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
