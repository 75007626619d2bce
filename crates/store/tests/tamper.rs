//! The tamper corpus: every way of damaging or rolling back a vault's files that the
//! reliability issue names (truncation, zeroed pages, swapped pages, an older database
//! put back, a deleted or truncated WAL, an older header put back, a deleted or forged
//! checkpoint) must make `open` fail with the right typed error or `verify` report a
//! problem — never a healthy vault. And the legitimate look-alikes (a crash after a
//! commit, before the checkpoint moved) must still open.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};

use guitu_domain::model::{Case, Person};
use guitu_store::{CHECK_FILE, DB_FILE, HEADER_FILE, KdfParams, StoreError, Vault};

mod common;
use common::{case_for, person, secret};

const PASS: &str = "correct horse battery staple";
const NEW: &str = "another long enough passphrase";
const WAL: &str = "guitu.db-wal";
const PAGE: u64 = 4096;

fn import(v: &mut Vault, from: usize, n: usize) {
    let persons: Vec<Person> = (from..from + n).map(person).collect();
    let cases: Vec<Case> = persons
        .iter()
        .enumerate()
        .map(|(i, p)| case_for(p, &format!("DZ-2026-{:04}", from + i)))
        .collect();
    v.import(&persons, &cases, &[], "tamper-test")
        .expect("import");
}

/// A closed vault with 40 cases (a few dozen pages) in `<tmp>/vault`.
fn vault() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let (mut v, _) = Vault::create(
        &dir,
        "tester",
        &secret(PASS),
        &KdfParams::insecure_for_tests(),
    )
    .expect("create");
    import(&mut v, 1, 40);
    drop(v);
    (tmp, dir)
}

fn copy_files(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("ls") {
        let e = e.expect("entry");
        if e.file_type().expect("type").is_file() {
            fs::copy(e.path(), to.join(e.file_name())).expect("copy");
        }
    }
}

/// Opens and verifies; `Ok(())` only for a vault that opens and verifies clean.
fn healthy(dir: &Path, pass: &str) -> Result<(), String> {
    let v = Vault::open(dir, &secret(pass)).map_err(|e| format!("open: {e:?}"))?;
    let r = v.verify().map_err(|e| format!("verify: {e:?}"))?;
    if r.ok() {
        Ok(())
    } else {
        Err(format!("verify: {r:?}"))
    }
}

fn open_err(dir: &Path, pass: &str) -> StoreError {
    Vault::open(dir, &secret(pass)).expect_err("the damaged vault must not open as healthy")
}

fn db_pages(dir: &Path) -> u64 {
    fs::metadata(dir.join(DB_FILE)).expect("meta").len() / PAGE
}

fn rewrite_page(dir: &Path, page: u64, f: impl FnOnce(&mut [u8])) {
    let path = dir.join(DB_FILE);
    let mut bytes = fs::read(&path).expect("read");
    let at = usize::try_from(page * PAGE).expect("usize");
    f(&mut bytes[at..at + PAGE as usize]);
    fs::write(&path, bytes).expect("write");
}

#[test]
fn an_empty_database_is_refused_not_turned_into_a_new_vault() {
    let (_tmp, dir) = vault();
    fs::write(dir.join(DB_FILE), b"").expect("truncate");
    let err = open_err(&dir, PASS);
    assert!(
        matches!(err, StoreError::DatabaseEmpty { .. }),
        "got {err:?}"
    );
    assert_eq!(
        fs::metadata(dir.join(DB_FILE)).expect("meta").len(),
        0,
        "nothing was written into the empty file"
    );
    assert!(!dir.join(WAL).exists(), "no WAL was made either");
}

#[test]
fn a_missing_database_is_named() {
    let (_tmp, dir) = vault();
    fs::remove_file(dir.join(DB_FILE)).expect("rm");
    let err = open_err(&dir, PASS);
    assert!(
        matches!(err, StoreError::DatabaseMissing { .. }),
        "got {err:?}"
    );
    assert!(!dir.join(DB_FILE).exists(), "open made no database");
}

#[test]
fn a_truncated_database_is_detected_at_every_length() {
    let (tmp, dir) = vault();
    let pages = db_pages(&dir);
    assert!(
        pages > 8,
        "the corpus needs a database of some pages: {pages}"
    );
    for keep in [1, 2, pages / 2, pages - 1] {
        let copy = tmp.path().join(format!("trunc-{keep}"));
        copy_files(&dir, &copy);
        let f = fs::OpenOptions::new()
            .write(true)
            .open(copy.join(DB_FILE))
            .expect("open");
        f.set_len(keep * PAGE).expect("truncate");
        drop(f);
        assert!(
            healthy(&copy, PASS).is_err(),
            "a database truncated to {keep} of {pages} pages must not be healthy"
        );
    }
}

#[test]
fn zeroed_and_swapped_pages_are_detected() {
    let (tmp, dir) = vault();
    let pages = db_pages(&dir);
    for page in [0, 1, pages / 2, pages - 1] {
        let copy = tmp.path().join(format!("zero-{page}"));
        copy_files(&dir, &copy);
        rewrite_page(&copy, page, |p| p.fill(0));
        assert!(
            healthy(&copy, PASS).is_err(),
            "page {page} of {pages} zeroed must not be healthy"
        );
    }
    for (a, b) in [(1, 2), (2, pages - 1), (pages / 2, pages / 2 + 1)] {
        let copy = tmp.path().join(format!("swap-{a}-{b}"));
        copy_files(&dir, &copy);
        let path = copy.join(DB_FILE);
        let mut bytes = fs::read(&path).expect("read");
        let (a8, b8) = (
            usize::try_from(a * PAGE).expect("usize"),
            usize::try_from(b * PAGE).expect("usize"),
        );
        let pa = bytes[a8..a8 + PAGE as usize].to_vec();
        let pb = bytes[b8..b8 + PAGE as usize].to_vec();
        bytes[a8..a8 + PAGE as usize].copy_from_slice(&pb);
        bytes[b8..b8 + PAGE as usize].copy_from_slice(&pa);
        fs::write(&path, bytes).expect("write");
        assert!(
            healthy(&copy, PASS).is_err(),
            "pages {a} and {b} swapped must not be healthy"
        );
    }
}

#[test]
fn an_older_database_put_back_names_the_missing_changes() {
    let (tmp, dir) = vault();
    let old = tmp.path().join("old.db");
    fs::copy(dir.join(DB_FILE), &old).expect("copy");
    let mut v = Vault::open(&dir, &secret(PASS)).expect("open");
    import(&mut v, 100, 25);
    let p = person(200);
    v.create_case(&p, &case_for(&p, "DZ-2026-0200"))
        .expect("one more");
    drop(v);
    fs::copy(&old, dir.join(DB_FILE)).expect("roll back");
    let err = open_err(&dir, PASS);
    assert!(
        matches!(err, StoreError::ChangesMissing { missing: 2, .. }),
        "the import and the case are the 2 changes missing, got {err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("last 2 changes"), "{text}");
}

/// The files of an open vault right after a committed import: what a SIGKILL or a power
/// cut (with synchronous = FULL) leaves.
fn crash_image_after_import() -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = vault();
    let mut v = Vault::open(&dir, &secret(PASS)).expect("open");
    import(&mut v, 100, 20);
    let image = tmp.path().join("image");
    copy_files(&dir, &image);
    drop(v);
    assert!(image.join(WAL).exists(), "the import is in the WAL");
    (tmp, image)
}

#[test]
fn a_crash_image_opens_with_everything_acknowledged() {
    let (_tmp, image) = crash_image_after_import();
    healthy(&image, PASS).expect("a crash after a commit is not tampering");
    let v = Vault::open(&image, &secret(PASS)).expect("open");
    assert_eq!(v.case_count().expect("count"), 60);
}

#[test]
fn a_deleted_wal_after_a_committed_import_is_detected() {
    let (_tmp, image) = crash_image_after_import();
    fs::remove_file(image.join(WAL)).expect("rm wal");
    let _ = fs::remove_file(image.join("guitu.db-shm"));
    let err = open_err(&image, PASS);
    assert!(
        matches!(err, StoreError::ChangesMissing { missing: 1, .. }),
        "the import is missing, got {err:?}"
    );
}

#[test]
fn a_truncated_wal_is_detected() {
    let (tmp, pristine) = crash_image_after_import();
    let len = fs::metadata(pristine.join(WAL)).expect("meta").len();
    for keep in [32, len / 2, len - 100] {
        let image = tmp.path().join(format!("cut-{keep}"));
        copy_files(&pristine, &image);
        let f = fs::OpenOptions::new()
            .write(true)
            .open(image.join(WAL))
            .expect("open");
        f.set_len(keep).expect("truncate");
        drop(f);
        let _ = fs::remove_file(image.join("guitu.db-shm"));
        let err = open_err(&image, PASS);
        assert!(
            matches!(err, StoreError::ChangesMissing { .. }),
            "WAL cut to {keep} of {len} bytes, got {err:?}"
        );
    }
}

#[test]
fn a_database_ahead_of_its_checkpoint_is_a_crash_not_tampering() {
    let (tmp, dir) = vault();
    let cp = tmp.path().join("old.check");
    fs::copy(dir.join(CHECK_FILE), &cp).expect("copy");
    let mut v = Vault::open(&dir, &secret(PASS)).expect("open");
    import(&mut v, 100, 5);
    drop(v);
    // As if the process had died after the commit, before the checkpoint moved.
    fs::copy(&cp, dir.join(CHECK_FILE)).expect("put the old checkpoint back");
    healthy(&dir, PASS).expect("the database ahead of the checkpoint opens");
    let old = fs::read(&cp).expect("read");
    assert_ne!(
        fs::read(dir.join(CHECK_FILE)).expect("read"),
        old,
        "and the checkpoint was advanced"
    );
}

#[test]
fn an_older_header_put_back_after_a_passphrase_change_does_not_open() {
    let (tmp, dir) = vault();
    let old_header = tmp.path().join("old.json");
    let old_check = tmp.path().join("old.check");
    fs::copy(dir.join(HEADER_FILE), &old_header).expect("copy");
    fs::copy(dir.join(CHECK_FILE), &old_check).expect("copy");
    let mut v = Vault::open(&dir, &secret(PASS)).expect("open");
    v.change_passphrase(None, &secret(NEW), &KdfParams::insecure_for_tests())
        .expect("passwd");
    drop(v);

    fs::copy(&old_header, dir.join(HEADER_FILE)).expect("roll back the header");
    let err = open_err(&dir, PASS);
    assert!(
        matches!(
            err,
            StoreError::HeaderRolledBack {
                found: 1,
                expected: 2,
                ..
            }
        ),
        "the revoked passphrase must not open today's data, got {err:?}"
    );
    // With the old checkpoint put back too, the database still knows its header.
    fs::copy(&old_check, dir.join(CHECK_FILE)).expect("roll back the checkpoint");
    let err = open_err(&dir, PASS);
    assert!(
        matches!(err, StoreError::HeaderRolledBack { .. }),
        "got {err:?}"
    );
    // An edited generation number does not help: the hash is compared.
    let text = fs::read_to_string(&old_header).expect("read");
    fs::write(
        dir.join(HEADER_FILE),
        text.replace("\"generation\": 1", "\"generation\": 9"),
    )
    .expect("write");
    let err = open_err(&dir, PASS);
    assert!(
        matches!(err, StoreError::HeaderRolledBack { .. }),
        "got {err:?}"
    );
}

#[test]
fn a_deleted_or_forged_checkpoint_is_detected() {
    let (tmp, dir) = vault();
    let copy = tmp.path().join("deleted");
    copy_files(&dir, &copy);
    fs::remove_file(copy.join(CHECK_FILE)).expect("rm");
    let err = open_err(&copy, PASS);
    assert!(
        matches!(err, StoreError::CheckpointMissing { .. }),
        "got {err:?}"
    );

    let copy = tmp.path().join("forged");
    copy_files(&dir, &copy);
    let text = fs::read_to_string(copy.join(CHECK_FILE)).expect("read");
    let forged = text.replace("\"audit_seq\": ", "\"audit_seq\": 1");
    assert_ne!(forged, text);
    fs::write(copy.join(CHECK_FILE), forged).expect("write");
    let err = open_err(&copy, PASS);
    assert!(
        matches!(err, StoreError::CheckpointInvalid { .. }),
        "got {err:?}"
    );

    // Another vault's checkpoint (valid under that vault's key) does not fit.
    let (_tmp2, other) = vault();
    let copy = tmp.path().join("other");
    copy_files(&dir, &copy);
    fs::copy(other.join(CHECK_FILE), copy.join(CHECK_FILE)).expect("copy");
    let err = open_err(&copy, PASS);
    assert!(
        matches!(err, StoreError::CheckpointInvalid { .. }),
        "got {err:?}"
    );
}

#[test]
fn another_vaults_database_does_not_open() {
    let (tmp, dir) = vault();
    let (_tmp2, other) = vault();
    let copy = tmp.path().join("mixed");
    copy_files(&dir, &copy);
    fs::copy(other.join(DB_FILE), copy.join(DB_FILE)).expect("copy");
    let err = open_err(&copy, PASS);
    assert!(matches!(err, StoreError::Corrupt(_)), "got {err:?}");
}

#[test]
fn verify_names_a_rollback_that_happens_while_the_vault_is_open() {
    let (tmp, dir) = vault();
    let old = tmp.path().join("old.db");
    fs::copy(dir.join(DB_FILE), &old).expect("copy");
    let mut v = Vault::open(&dir, &secret(PASS)).expect("open");
    import(&mut v, 100, 3);
    // Checkpoint says 2 entries on; the open vault's connection is fine, but a second
    // process looking at the folder sees the checkpoint ahead of an old copy.
    drop(v);
    let image = tmp.path().join("image");
    copy_files(&dir, &image);
    fs::copy(&old, image.join(DB_FILE)).expect("roll back");
    let err = open_err(&image, PASS);
    let text = err.to_string();
    assert!(text.contains("missing"), "{text}");
}
