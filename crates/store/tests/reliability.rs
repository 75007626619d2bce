//! Crash injection: SIGKILL at every system call that changes files, during an import, a
//! restore, a passphrase change, a backup and the removal of a user (a re-key); after each kill the vault must open,
//! verify, and hold either the state before the operation or the state after it — and
//! the state after it whenever the operation had been acknowledged.
//!
//! How: this file is its own test harness (`harness = false`, single-threaded, so the
//! syscall counts are those of one thread). Run normally, it builds a template vault per
//! operation, runs the operation once under `strace -f -e trace=SET` to count the calls
//! of each syscall in SET (every call that can change a file: open/create, write, fsync,
//! rename, unlink, truncate, mkdir, chmod, ...), then, for each syscall `s` and each
//! `n` in 1..=count(s), copies the template and re-runs the operation — this same binary
//! with `GUITU_CRASH_WORKLOAD` set — under
//! `strace -f -e inject=s:signal=SIGKILL:when=n`, and checks the result in-process. A
//! system call that only reads cannot change what is on disk: a kill there leaves the
//! same files as a kill at the next call that writes, so these points cover every state
//! a crash can leave.
//!
//! Writes (`write`, `pwrite64`), opens and fsyncs are sampled evenly when there are more than
//! `GUITU_CRASH_BUDGET` (default 60) of them per operation; every other point is always
//! run. `GUITU_CRASH_ALL=1` runs every point. Without strace (not installed, or ptrace
//! not allowed) the test says so and passes; CI installs it (scripts/deps.sh --test).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stdout
)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use guitu_domain::model::{Case, Person};
use guitu_store::{KdfParams, RestoreOptions, StoreError, Vault};

mod common;
use common::{case_for, person, secret};

const OLD: &str = "correct horse battery staple";
const NEW: &str = "another long enough passphrase";
const USER: &str = "crash.tester";
/// The user the `remove_user` operation removes (passphrase [`NEW`]).
const REMOVED: &str = "removed.user";

/// The syscalls that can change a file or a directory entry.
const MUTATING: &[&str] = &[
    "openat",
    "creat",
    "write",
    "pwrite64",
    "writev",
    "pwritev",
    "fsync",
    "fdatasync",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "ftruncate",
    "truncate",
    "mkdir",
    "mkdirat",
    "rmdir",
    "fchmod",
    "fchmodat",
    "chmod",
    "link",
    "linkat",
];
/// Sampled when there are many; every other syscall point is always run. A kill at an
/// `fsync` leaves on disk what the writes before it left (the page cache outlives the
/// process), so its points repeat earlier states and are sampled too.
const SAMPLED: &[&str] = &[
    "openat",
    "write",
    "pwrite64",
    "writev",
    "pwritev",
    "fsync",
    "fdatasync",
];

fn kdf() -> KdfParams {
    KdfParams::insecure_for_tests()
}

fn add_cases(v: &mut Vault, from: usize, n: usize) {
    for i in from..from + n {
        let p = person(i);
        let c = case_for(&p, &format!("DZ-2026-{i:04}"));
        v.create_case(&p, &c).expect("create_case");
    }
}

// ----- the workload (run in a child process under strace) ------------------------------

fn workload(op: &str) {
    let dir = PathBuf::from(std::env::var("GUITU_CRASH_DIR").expect("dir"));
    let aux = PathBuf::from(std::env::var("GUITU_CRASH_AUX").expect("aux"));
    let ack = || {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(b"ACK\n");
        let _ = out.flush();
    };
    match op {
        "import" => {
            let mut v = Vault::open(&dir, &secret(OLD)).expect("open");
            let persons: Vec<Person> = (100..120).map(person).collect();
            let cases: Vec<Case> = persons
                .iter()
                .enumerate()
                .map(|(i, p)| case_for(p, &format!("IM-2026-{i:04}")))
                .collect();
            v.import(&persons, &cases, &[], "crash-test")
                .expect("import");
            ack();
            drop(v);
        }
        "passwd" => {
            let mut v = Vault::open(&dir, &secret(OLD)).expect("open");
            v.change_passphrase(None, &secret(NEW), &kdf())
                .expect("passwd");
            ack();
            drop(v);
        }
        "backup" => {
            let mut v = Vault::open(&dir, &secret(OLD)).expect("open");
            v.backup(&aux.join("out.backup")).expect("backup");
            ack();
            drop(v);
        }
        "restore" => {
            let v = Vault::restore(
                &dir,
                &aux.join("older.backup"),
                &secret(OLD),
                RestoreOptions {
                    replace_other_vault: false,
                    allow_older: true,
                },
            )
            .expect("restore");
            ack();
            drop(v);
        }
        "remove_user" => {
            let mut v = Vault::open_as(&dir, USER, &secret(OLD)).expect("open");
            v.remove_user(REMOVED, &kdf(), &|_| {})
                .expect("remove user");
            ack();
            drop(v);
        }
        other => panic!("unknown workload {other}"),
    }
}

// ----- the operations and what "old" and "new" look like -------------------------------

struct Op {
    name: &'static str,
    /// Cases in the vault before and after.
    before: u64,
    after: u64,
}

const OPS: &[Op] = &[
    Op {
        name: "import",
        before: 3,
        after: 23,
    },
    Op {
        name: "restore",
        before: 8,
        after: 5,
    },
    Op {
        name: "passwd",
        before: 3,
        after: 3,
    },
    Op {
        name: "backup",
        before: 3,
        after: 3,
    },
    Op {
        name: "remove_user",
        before: 3,
        after: 3,
    },
];

/// Builds the template of `op` in `root/template` (vault) and `root/template-aux`.
fn template(op: &Op, root: &Path) -> (PathBuf, PathBuf) {
    let dir = root.join("template");
    let aux = root.join("template-aux");
    std::fs::create_dir_all(&aux).expect("aux");
    let (mut v, _) = Vault::create(&dir, USER, &secret(OLD), &kdf()).expect("create");
    if op.name == "restore" {
        add_cases(&mut v, 1, 5);
        v.backup(&aux.join("older.backup")).expect("backup");
        add_cases(&mut v, 6, 3);
    } else {
        add_cases(&mut v, 1, 3);
    }
    if op.name == "remove_user" {
        let user = guitu_store::User {
            name: REMOVED.into(),
            roles: vec![guitu_domain::access::Role::Caseworker],
            institution: None,
            disabled: false,
        };
        v.add_user(&user, &secret(NEW), &kdf()).expect("add user");
    }
    drop(v);
    (dir, aux)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

struct Run {
    killed: bool,
    acked: bool,
}

fn run_workload(op: &str, dir: &Path, aux: &Path, strace_args: &[String]) -> Run {
    let exe = std::env::current_exe().expect("exe");
    let out = Command::new("strace")
        .args(strace_args)
        .arg("--")
        .arg(exe)
        .env("GUITU_CRASH_WORKLOAD", op)
        .env("GUITU_CRASH_DIR", dir)
        .env("GUITU_CRASH_AUX", aux)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("strace runs");
    let acked = String::from_utf8_lossy(&out.stdout).contains("ACK");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let killed = stderr.contains("killed by SIGKILL") || !out.status.success();
    if !killed && !acked {
        panic!("{op}: the workload neither finished nor was killed: {stderr}");
    }
    Run { killed, acked }
}

/// Counts the calls of each syscall of MUTATING during one run of `op`.
fn count_syscalls(op: &Op, root: &Path, tdir: &Path, taux: &Path) -> BTreeMap<String, usize> {
    let dir = root.join("count");
    let aux = root.join("count-aux");
    copy_dir(tdir, &dir);
    copy_dir(taux, &aux);
    let log = root.join("count.log");
    let run = run_workload(
        op.name,
        &dir,
        &aux,
        &[
            "-f".into(),
            "-qq".into(),
            "-o".into(),
            log.display().to_string(),
            "-e".into(),
            format!("trace={}", MUTATING.join(",")),
        ],
    );
    assert!(
        run.acked && !run.killed,
        "{}: the counting run finishes",
        op.name
    );
    let text = std::fs::read_to_string(&log).expect("log");
    let mut counts = BTreeMap::new();
    for line in text.lines() {
        // "<pid> name(args...) = result" (or "<... name resumed>")
        let rest = line.split_once(' ').map_or(line, |(_, r)| r).trim_start();
        if let Some((name, _)) = rest.split_once('(')
            && MUTATING.contains(&name)
        {
            *counts.entry(name.to_owned()).or_insert(0) += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&aux);
    counts
}

/// Which `n` to run for a syscall with `count` calls.
fn points(name: &str, count: usize, budget: usize, all: bool) -> Vec<usize> {
    if all || !SAMPLED.contains(&name) || count <= budget {
        return (1..=count).collect();
    }
    let mut v: Vec<usize> = (0..budget)
        .map(|i| 1 + i * (count - 1) / (budget - 1).max(1))
        .collect();
    // The last calls are where an operation finishes: always run them.
    v.extend(count.saturating_sub(5).max(1)..=count);
    v.sort_unstable();
    v.dedup();
    v
}

/// Checks the vault after a kill: opens, verifies, old or new, acknowledged ⇒ new.
fn check(op: &Op, dir: &Path, aux: &Path, run: &Run) -> Result<&'static str, String> {
    let opened = match Vault::open(dir, &secret(OLD)) {
        Ok(v) => Ok((v, OLD)),
        Err(StoreError::WrongPassphrase) if op.name == "passwd" => {
            Vault::open(dir, &secret(NEW)).map(|v| (v, NEW))
        }
        Err(e) => Err(e),
    };
    let (v, pass) = opened.map_err(|e| format!("the vault does not open: {e:?}"))?;
    let report = v.verify().map_err(|e| format!("verify fails: {e:?}"))?;
    if !report.ok() {
        return Err(format!("verify reports a problem: {report:?}"));
    }
    let cases = v.case_count().map_err(|e| format!("count: {e:?}"))?;
    let state = match op.name {
        "passwd" => {
            if Vault::open(dir, &secret(if pass == OLD { NEW } else { OLD })).is_ok() {
                return Err("both passphrases open the vault".into());
            }
            if pass == NEW { "new" } else { "old" }
        }
        "remove_user" => {
            if cases != op.before {
                return Err(format!("the vault lost data: {cases} cases"));
            }
            match Vault::open_as(dir, REMOVED, &secret(NEW)) {
                Ok(_) => "old",
                Err(StoreError::UserUnknown) => "new",
                Err(e) => return Err(format!("the removed user's slot: {e:?}")),
            }
        }
        "backup" => {
            if cases != op.before {
                return Err(format!("the vault lost data: {cases} cases"));
            }
            let file = aux.join("out.backup");
            if file.exists() {
                let target = aux.join("check-restore");
                let r = Vault::restore(&target, &file, &secret(OLD), RestoreOptions::default())
                    .map_err(|e| {
                        format!("a backup file under its final name does not restore: {e:?}")
                    })?;
                if r.case_count().map_err(|e| e.to_string())? != op.before {
                    return Err("the backup holds other data".into());
                }
                "new"
            } else {
                "old"
            }
        }
        _ if cases == op.after => "new",
        _ if cases == op.before => "old",
        _ => return Err(format!("neither old nor new: {cases} cases")),
    };
    if run.acked && state != "new" {
        return Err(format!(
            "acknowledged, yet the vault is in the old state ({cases} cases)"
        ));
    }
    Ok(state)
}

fn strace_works() -> bool {
    Command::new("strace")
        .args(["-qq", "-o", "/dev/null", "-e", "trace=none", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn main() {
    if let Ok(op) = std::env::var("GUITU_CRASH_WORKLOAD") {
        workload(&op);
        return;
    }
    // `cargo test -- --list` and filters: this suite has one test.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("crash_injection: test");
        return;
    }
    if let Some(filter) = args.iter().find(|a| !a.starts_with('-'))
        && !"crash_injection".contains(filter.as_str())
    {
        println!("test result: ok. 0 passed; 0 failed; 1 filtered out");
        return;
    }
    if !strace_works() {
        println!(
            "crash_injection: SKIPPED: strace is missing or cannot trace here (install it: scripts/deps.sh --test)"
        );
        println!("test result: ok. 0 passed; 0 failed; 1 ignored");
        return;
    }
    let budget: usize = std::env::var("GUITU_CRASH_BUDGET")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let all = std::env::var("GUITU_CRASH_ALL").is_ok_and(|v| v == "1");
    let only = std::env::var("GUITU_CRASH_OPS").ok();
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut total_trials = 0usize;
    for op in OPS {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|x| x == op.name))
        {
            continue;
        }
        let root = tempfile::tempdir().expect("tempdir");
        let (tdir, taux) = template(op, root.path());
        let counts = count_syscalls(op, root.path(), &tdir, &taux);
        let total: usize = counts.values().sum();
        let (mut trials, mut killed, mut old, mut new, mut acked) = (0, 0, 0, 0, 0);
        for (name, &count) in &counts {
            for n in points(name, count, budget, all) {
                let dir = root.path().join(format!("t-{name}-{n}"));
                let aux = root.path().join(format!("t-{name}-{n}-aux"));
                copy_dir(&tdir, &dir);
                copy_dir(&taux, &aux);
                let run = run_workload(
                    op.name,
                    &dir,
                    &aux,
                    &[
                        "-f".into(),
                        "-qq".into(),
                        "-o".into(),
                        "/dev/null".into(),
                        "-e".into(),
                        format!("trace={name}"),
                        "-e".into(),
                        format!("inject={name}:signal=SIGKILL:when={n}"),
                    ],
                );
                trials += 1;
                killed += usize::from(run.killed);
                acked += usize::from(run.acked);
                match check(op, &dir, &aux, &run) {
                    Ok("new") => new += 1,
                    Ok(_) => old += 1,
                    Err(why) => failures.push(format!("{} killed at {name} #{n}: {why}", op.name)),
                }
                let _ = std::fs::remove_dir_all(&dir);
                let _ = std::fs::remove_dir_all(&aux);
            }
        }
        total_trials += trials;
        println!(
            "crash_injection {:8}: {total} file-changing syscalls ({}), {trials} trials, {killed} killed, {acked} acknowledged; after each: {old} old, {new} new, {} broken",
            op.name,
            counts
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", "),
            trials - old - new,
        );
    }
    println!(
        "crash_injection: {total_trials} trials in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() {
        println!("test crash_injection ... ok");
        println!("test result: ok. 1 passed; 0 failed");
    } else {
        for f in &failures {
            println!("  {f}");
        }
        println!("test crash_injection ... FAILED");
        println!("test result: FAILED. 0 passed; 1 failed");
        std::process::exit(1);
    }
}
