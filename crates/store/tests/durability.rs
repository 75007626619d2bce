//! Full disks, and the cost of durability.
//!
//! - `a_full_disk_keeps_reading_and_says_disk_full`: a vault on a small tmpfs (mounted
//!   here; needs root, as CI has — skipped with a notice otherwise) is filled up: it still
//!   opens and reads, every write fails with `StoreError::DiskFull` naming the vault
//!   folder, nothing is half-written, and all is well once space is freed.
//! - `measure_save_cost` (ignored; run with `--ignored --nocapture`): a record save with
//!   `synchronous` FULL or NORMAL, with the checkpoint written after every commit or only
//!   at close. The figures are in docs/RELIABILITY.md.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use uuid::Uuid;

use guitu_domain::model::{Note, RecordBody};
use guitu_store::{KdfParams, Secret, StoreError, Vault};

mod common;
use common::{case_for, person};

const PASS: &str = "correct horse battery staple";

fn secret() -> Secret {
    Secret::new(PASS.to_owned())
}

fn add_case(v: &mut Vault, i: usize) -> Result<Uuid, StoreError> {
    let p = person(i);
    let c = case_for(&p, &format!("DZ-2026-{i:04}"));
    v.create_case(&p, &c)?;
    Ok(c.id)
}

fn note(i: usize) -> RecordBody {
    RecordBody::Note(Note {
        date: NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"),
        text: format!("第{i}次谈话记录：情况稳定，继续跟进。").repeat(8),
    })
}

/// A tmpfs of `size` mounted on a new folder; unmounted on drop.
struct Mount {
    dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Mount {
    fn new(size: &str) -> Option<Mount> {
        let tmp = tempfile::tempdir().ok()?;
        let dir = tmp.path().join("mnt");
        fs::create_dir(&dir).ok()?;
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Mount { dir, _tmp: tmp })
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

/// Writes a filler file until the file system is full.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut f = fs::File::create(&path).expect("filler");
    let block = vec![0x55u8; 64 * 1024];
    loop {
        if f.write_all(&block).is_err() {
            break;
        }
    }
    // Small leftovers too.
    let small = [0x55u8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
    path
}

fn is_disk_full_of(e: &StoreError, dir: &Path) -> bool {
    matches!(e, StoreError::DiskFull { dir: d } if d == dir)
}

#[test]
fn a_full_disk_keeps_reading_and_says_disk_full() {
    let Some(mount) = Mount::new("8m") else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root)");
        return;
    };
    let dir = mount.dir.join("vault");
    let (mut v, _) =
        Vault::create(&dir, "tester", &secret(), &KdfParams::insecure_for_tests()).expect("create");
    let first = add_case(&mut v, 1).expect("case");
    add_case(&mut v, 2).expect("case");
    drop(v);

    let filler = fill(&mount.dir);
    let mut v = Vault::open(&dir, &secret()).expect("a vault on a full disk still opens");
    assert_eq!(v.case_count().expect("count"), 2, "and reads");
    assert_eq!(v.case(first).expect("case").id, first);
    assert!(
        !v.search("测试人", 10).expect("search").is_empty(),
        "search works"
    );

    // Every kind of write says "disk full" with the vault folder.
    let mut errors = Vec::new();
    for i in 0..50 {
        match v.insert_record(first, note(i)) {
            Ok(_) => continue,
            Err(e) => {
                errors.push(e);
                break;
            }
        }
    }
    match add_case(&mut v, 3) {
        Ok(_) => {}
        Err(e) => errors.push(e),
    }
    let backup = mount.dir.join("vault.backup");
    errors.push(v.backup(&backup).expect_err("a backup on the full disk"));
    assert!(errors.len() >= 2, "the writes failed: {errors:?}");
    for e in &errors {
        assert!(is_disk_full_of(e, &dir), "not named as disk full: {e:?}");
        assert!(e.to_string().contains("is full"), "{e}");
    }
    assert!(!backup.exists(), "no partial backup under the final name");
    let count = v.case_count().expect("count");
    drop(v);

    fs::remove_file(filler).expect("free space");
    let v = Vault::open(&dir, &secret()).expect("open");
    assert_eq!(
        v.case_count().expect("count"),
        count,
        "nothing half-written"
    );
    assert!(v.verify().expect("verify").ok(), "and the vault verifies");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[test]
#[ignore = "measurement: run with --ignored --nocapture"]
fn measure_save_cost() {
    // On the real disk (not a tmpfs, where fsync costs nothing): under the target dir.
    let base = std::env::var_os("GUITU_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    fs::create_dir_all(&base).expect("bench dir");
    let tmp = tempfile::tempdir_in(&base).expect("tempdir");
    let n = 200;
    for (sync_full, cp_each) in [(false, false), (false, true), (true, false), (true, true)] {
        let dir = tmp.path().join(format!("v-{sync_full}-{cp_each}"));
        let (mut v, _) = Vault::create(&dir, "tester", &secret(), &KdfParams::insecure_for_tests())
            .expect("create");
        let case = add_case(&mut v, 1).expect("case");
        v.tune_for_measurement(cp_each, sync_full).expect("tune");
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            let t = Instant::now();
            v.insert_record(case, note(i)).expect("save");
            times.push(t.elapsed());
        }
        times.sort();
        let mean = times.iter().sum::<Duration>() / n as u32;
        println!(
            "record save, synchronous={}, checkpoint {}: mean {:.2} ms, p50 {:.2} ms, p95 {:.2} ms ({n} saves)",
            if sync_full { "FULL  " } else { "NORMAL" },
            if cp_each {
                "after every commit"
            } else {
                "at close only     "
            },
            mean.as_secs_f64() * 1e3,
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3,
        );
    }
}
