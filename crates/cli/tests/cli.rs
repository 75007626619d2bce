//! End-to-end tests of the `guitu` binary: every test runs the real executable with a
//! temporary vault, a fixed date (`GUITU_TODAY`), cheap test key derivation and standard
//! input closed, and checks standard output, standard error and the exit status.

// Test code: a failed expectation is a failed test (clippy's in-test allowances only
// cover `#[test]` functions, not this file's helpers).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Months, NaiveDate};
use serde_json::{Value, json};

const PASS: &str = "归途-test-passphrase-1";
const NEW_PASS: &str = "归途-new-passphrase-2";
const TODAY: &str = "2026-11-28";
const USER: &str = "张敏";
/// No command of these tests should take anywhere near this long; a run that does is
/// taken to hang (waiting for a prompt, say) and is killed.
const TIMEOUT: Duration = Duration::from_secs(120);

// ----- running the binary ------------------------------------------------------------------

/// The outcome of one run of `guitu`.
#[derive(Debug)]
struct Run {
    what: String,
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts exit status 0 and returns standard output.
    #[track_caller]
    fn ok(&self, why: &str) -> &str {
        assert_eq!(
            self.status,
            Some(0),
            "{why}: `{}` should succeed\nstdout:\n{}\nstderr:\n{}",
            self.what,
            self.stdout,
            self.stderr
        );
        &self.stdout
    }

    /// The `[code]` of the `错误 / Error [code]: …` line, if there is one.
    fn error_code(&self) -> Option<&str> {
        let line = self.error_line()?;
        let start = line.find('[')? + 1;
        let end = start + line[start..].find(']')?;
        Some(&line[start..end])
    }

    fn error_line(&self) -> Option<&str> {
        self.stderr
            .lines()
            .find(|l| l.starts_with("错误 / Error ["))
    }

    /// Asserts exit status 1 with `错误 / Error [code]: …` on standard error, in Chinese
    /// and English; returns the error line.
    #[track_caller]
    fn fails_with(&self, code: &str, why: &str) -> &str {
        assert_eq!(
            self.status,
            Some(1),
            "{why}: `{}` must fail with exit status 1\nstdout:\n{}\nstderr:\n{}",
            self.what,
            self.stdout,
            self.stderr
        );
        assert_eq!(
            self.error_code(),
            Some(code),
            "{why}: `{}` must report the error code [{code}] in a line `错误 / Error [code]: …`\nstderr:\n{}",
            self.what,
            self.stderr
        );
        let line = self.error_line().unwrap_or_default();
        let message = line.split_once("]: ").map(|(_, m)| m).unwrap_or_default();
        assert!(
            message.chars().any(is_cjk),
            "{why}: a caseworker reads Chinese: the message must have a Chinese part: {line}"
        );
        assert!(
            message.contains(" / ") && message.split(" / ").skip(1).any(has_english),
            "{why}: the message must also say it in English, after ' / ': {line}"
        );
        line
    }
}

/// At least two English words (letters only, punctuation around them ignored).
fn has_english(text: &str) -> bool {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .count()
        >= 2
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Runs `guitu args…` on `vault` with the standard test environment; `env` overrides it
/// (`Some` sets a variable, `None` removes it). Standard input is closed.
fn guitu_in(vault: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
    // GUITU_TEST_UMASK=<mask> runs guitu under that umask (through sh).
    let umask = env
        .iter()
        .find(|(k, _)| *k == "GUITU_TEST_UMASK")
        .and_then(|(_, v)| *v);
    let mut cmd = match umask {
        Some(_) => {
            let mut c = Command::new("sh");
            c.args(["-c", "umask \"$GUITU_TEST_UMASK\" && exec \"$0\" \"$@\""])
                .arg(env!("CARGO_BIN_EXE_guitu"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_guitu")),
    };
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Nothing from the outer environment may leak in (a real vault, a recovery code).
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("GUITU_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("GUITU_VAULT", vault)
        .env("GUITU_PASSPHRASE", PASS)
        .env("GUITU_NEW_PASSPHRASE", PASS)
        .env("GUITU_INSECURE_TEST_KDF", "1")
        .env("GUITU_TODAY", TODAY)
        .env("GUITU_USER", USER);
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let what = format!("guitu {}", args.join(" "));
    let mut child = cmd.spawn().expect("the guitu binary starts");
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("waiting for guitu") {
            break s;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{what}` did not finish within {TIMEOUT:?}: it hangs (waiting for input?)");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout =
        String::from_utf8(out_reader.join().expect("stdout reader")).expect("UTF-8 stdout");
    let stderr =
        String::from_utf8(err_reader.join().expect("stderr reader")).expect("UTF-8 stderr");
    Run {
        what,
        status: status.code(),
        stdout,
        stderr,
    }
}

/// A temporary directory with a vault directory `vault` in it (not yet created).
struct TestVault {
    tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl TestVault {
    fn new() -> TestVault {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().join("vault");
        TestVault { tmp, dir }
    }

    /// A new, initialised vault and the recovery code `init` printed.
    fn init() -> (TestVault, String) {
        let v = TestVault::new();
        let run = v.run(&["init"]);
        run.ok("init of a new vault");
        let code = recovery_code(&run.stdout);
        (v, code)
    }

    fn run(&self, args: &[&str]) -> Run {
        guitu_in(&self.dir, args, &[])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> Run {
        guitu_in(&self.dir, args, env)
    }

    /// A path for a scratch file beside the vault.
    fn file(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Writes `content` to a scratch file and returns its path as a string.
    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> String {
        let p = self.file(name);
        std::fs::write(&p, content).expect("write a test file");
        p.to_str().expect("UTF-8 temp path").to_owned()
    }

    /// `guitu export` to standard output, as text.
    fn export_text(&self) -> String {
        let run = self.run(&["export"]);
        run.ok("export");
        run.stdout.clone()
    }

    /// `guitu export`, parsed.
    fn export(&self) -> Value {
        let text = self.export_text();
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("export must print valid JSON ({e}):\n{text}"))
    }

    /// Every file of the vault directory with its bytes (byte-for-byte comparison).
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(&self.dir).expect("the vault directory is readable") {
            let entry = entry.expect("a directory entry");
            if entry.file_type().expect("a file type").is_file() {
                files.insert(
                    entry.file_name().to_string_lossy().into_owned(),
                    std::fs::read(entry.path()).expect("a vault file is readable"),
                );
            }
        }
        files
    }
}

/// Names, sizes and FNV-1a hashes of a snapshot, for failure messages (the snapshots
/// themselves are compared byte for byte, which is stricter than comparing hashes).
fn describe(s: &BTreeMap<String, Vec<u8>>) -> String {
    s.iter()
        .map(|(k, v)| format!("{k} ({} bytes, fnv {:016x})", v.len(), fnv(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn fnv(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf2_9ce4_8422_2325, |h, x| {
        (h ^ u64::from(*x)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The recovery code from `init`'s output: the line after the one announcing it.
fn recovery_code(stdout: &str) -> String {
    let mut lines = stdout.lines();
    lines
        .by_ref()
        .find(|l| l.contains("Recovery code"))
        .unwrap_or_else(|| panic!("init must announce the recovery code:\n{stdout}"));
    lines
        .next()
        .unwrap_or_else(|| {
            panic!("init must print the recovery code after announcing it:\n{stdout}")
        })
        .trim()
        .to_owned()
}

fn is_recovery_code(code: &str) -> bool {
    // Crockford base32: digits and upper-case letters without I, L, O, U.
    let groups: Vec<&str> = code.split('-').collect();
    groups.len() == 8
        && groups.iter().all(|g| {
            g.chars().count() == 4
                && g.chars()
                    .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"ILOU".contains(c)))
        })
}

/// Whether `s` shows a date the Chinese way, e.g. 2026年1月31日.
fn has_zh_date(s: &str) -> bool {
    s.match_indices('年').any(|(i, _)| {
        let before: String = s[..i].chars().rev().take(4).collect();
        let after = &s[i + '年'.len_utf8()..];
        let month: String = after.chars().take_while(char::is_ascii_digit).collect();
        before.len() == 4
            && before.chars().all(|c| c.is_ascii_digit())
            && !month.is_empty()
            && after[month.len()..].starts_with('月')
    })
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("'{s}' is a date: {e}"))
}

fn array<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("'{key}' must be a JSON array in:\n{v:#}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("'{key}' must be a string in:\n{v:#}"))
}

// ----- import files ----------------------------------------------------------------------

/// A UUID (version 7 layout) numbered `n`, so files are readable and deterministic.
fn uuid(n: u32) -> String {
    format!("0194b1a0-0000-7000-8000-{n:012}")
}

/// A valid resident ID number (R-ID-NUM): the first 17 digits and their check character.
fn resident_id(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("a digit") * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// A person with every field written out (so an export must give back exactly this).
fn person(id: &str, name: &str, birth: &str, resident: Option<&str>) -> Value {
    json!({
        "id": id,
        "name": name,
        "intake_number": "JS202500117",
        "other_names": ["小娜"],
        "sex": "female",
        "birth_date": { "date": birth, "estimated": false },
        "nationality": "中国",
        "ethnicity": "汉族",
        "household_registration": "四川省某县",
        "resident_id": resident,
        "disability": null,
        "languages": ["西南官话"],
        "guardians": [],
        "found_place": "龙水镇"
    })
}

fn case(id: &str, number: &str, person_id: &str, kind: &str, received: &str) -> Value {
    json!({
        "id": id,
        "case_number": number,
        "person_id": person_id,
        "institution": "大足区救助管理站",
        "institution_kind": kind,
        "received_date": received,
        "referral": "police_rescue",
        "police_reference": "大公（刑）立字〔2025〕321号",
        "caseworker": "张敏",
        "flags": { "minor": false, "woman": true, "disabled": false, "foreign": false, "cross_province": true },
        "stage": "follow_up"
    })
}

fn record(id: &str, case_id: &str, body: Value) -> Value {
    json!({
        "id": id,
        "case_id": case_id,
        "body": body,
        "created_at": "2025-11-30T10:00:00Z",
        "created_by": "张敏",
        "updated_at": "2025-12-01T08:30:00Z",
        "updated_by": "李晓红"
    })
}

fn file(persons: Vec<Value>, cases: Vec<Value>, records: Vec<Value>) -> Value {
    json!({ "format": "guitu", "version": 1, "persons": persons, "cases": cases, "records": records })
}

/// One record body of every kind, every field written out, valid for an adult woman
/// received 2025-11-30 by an assistance station.
fn every_kind_bodies() -> Vec<Value> {
    vec![
        json!({ "type": "shelter_stay", "institution": "大足区救助管理站", "kind": "assistance_station",
                "admitted": "2025-11-30", "discharged": "2026-02-10", "reason": "公安解救后送站救助" }),
        json!({ "type": "identity_attempt", "date": "2025-12-02", "method": "police_blood_sample",
                "outcome": "pending", "verified_date": null, "police_reference": "DZGA-CX-2025-00042",
                "notes": "公安机关采血入库比对" }),
        json!({ "type": "track_step", "step": "household_registration", "date": "2026-03-10",
                "by": "张敏", "notes": "已协调派出所" }),
        json!({ "type": "track_closure", "date": "2026-06-01", "reason": "公安比对查明身份，户籍安置程序终止",
                "by": "张敏" }),
        json!({ "type": "placement", "kind": "town_placement", "start": "2026-04-01", "end": null,
                "place": "龙水镇", "carer": "institution", "decided_by": "张敏",
                "supervisor_approval": { "by": "赵科长", "date": "2026-03-30" },
                "district_approval": { "by": "大足区人民政府", "date": "2026-03-31" },
                "notes": "镇街专人对接" }),
        json!({ "type": "rehabilitation", "service": "psychological_counselling",
                "provider": "大足区社会工作服务中心", "start": "2025-12-05", "end": "2025-12-19",
                "outcome": "情况好转", "disability_grade": null, "certificate_no": null }),
        json!({ "type": "schooling", "date": "2026-03-01", "status": "enrolled", "school": "大足区职业教育中心",
                "elsewhere": false, "psych_education": true, "notes": null }),
        json!({ "type": "family_return", "date": "2026-06-15", "kind": "family", "place": "四川省某村",
                "privacy_measures": "不公开被拐经历，由镇街专人对接", "notes": null }),
        json!({ "type": "employment", "date": "2026-05-01", "service": "training",
                "provider": "大足区就业和人才服务局", "wanted": true, "notes": null }),
        json!({ "type": "legal_aid", "centre": "大足区法律援助中心", "matter": "刑事附带民事诉讼代理",
                "green_channel": true, "received": "2025-12-10", "accepted": "2025-12-10",
                "reviewed": "2025-12-12", "decision": "granted", "refusal_reason": null,
                "assigned": "2025-12-15", "assignee": "重庆某律师事务所 律师",
                "handled": "2026-02-01", "closed": "2026-03-01" }),
        json!({ "type": "follow_up", "date": "2026-09-01", "visitor": "张敏",
                "living_situation": "生活基本稳定", "needs": ["employment", "health"],
                "actions": "已协调镇街落实帮扶措施" }),
        json!({ "type": "interview", "date": "2025-11-30", "interviewer": "区公安分局刑侦支队民警",
                "agencies_present": ["区公安分局", "区民政局", "区妇联"], "interpreter": null,
                "guardian_or_social_worker_present": true, "repeat_reason": null }),
        json!({ "type": "mandatory_report", "date": "2025-11-30", "reported_to": "大足区公安分局",
                "reference": "QZBG-2025-0007", "summary": "发现疑似遭受侵害，依法报告公安机关" }),
        json!({ "type": "note", "date": "2025-12-01", "text": "入站时情绪紧张，已安排社工每日陪伴。" }),
    ]
}

const ALL_KINDS: [&str; 14] = [
    "shelter_stay",
    "identity_attempt",
    "track_step",
    "track_closure",
    "placement",
    "rehabilitation",
    "schooling",
    "family_return",
    "employment",
    "legal_aid",
    "follow_up",
    "interview",
    "mandatory_report",
    "note",
];

const P1: u32 = 1;
const C1: u32 = 101;

/// A valid file: one person, one case, one record of every kind.
fn valid_file() -> Value {
    let records = every_kind_bodies()
        .into_iter()
        .enumerate()
        .map(|(i, b)| record(&uuid(1000 + i as u32), &uuid(C1), b))
        .collect();
    file(
        vec![person(
            &uuid(P1),
            "李娜",
            "1998-04-02",
            Some(&resident_id("50011119980402002")),
        )],
        vec![case(
            &uuid(C1),
            "DZ-2025-0101",
            &uuid(P1),
            "assistance_station",
            "2025-11-30",
        )],
        records,
    )
}

/// The same JSON with every array of objects sorted by `id` (export order is the store's).
fn sorted_by_id(v: &Value) -> Value {
    let mut v = v.clone();
    for key in ["persons", "cases", "records"] {
        if let Some(a) = v[key].as_array_mut() {
            a.sort_by(|x, y| x["id"].as_str().cmp(&y["id"].as_str()));
        }
    }
    v
}

/// Imports `content` into a fresh vault, expects refusal with `code` and every fragment
/// in the message, then checks nothing at all was written.
#[track_caller]
fn assert_import_refused(content: &[u8], code: &str, fragments: &[&str], why: &str) {
    let (v, _) = TestVault::init();
    let path = v.write("import.json", content);
    let run = v.run(&["import", &path]);
    let line = run.fails_with(code, why).to_owned();
    for f in fragments {
        assert!(
            line.contains(f),
            "{why}: the message must name {f:?} so the caseworker can find and fix it: {line}"
        );
    }
    assert!(
        !run.stdout.contains("已导入"),
        "{why}: a refused import must not report anything imported:\n{}",
        run.stdout
    );
    let after = v.export();
    for key in ["persons", "cases", "records"] {
        assert!(
            array(&after, key).is_empty(),
            "{why}: an import is all or nothing: after the refusal the vault must hold no {key}, found:\n{after:#}"
        );
    }
}

// ----- 1. init ------------------------------------------------------------------------------

#[test]
fn init_prints_the_recovery_code_once_and_refuses_an_existing_vault() {
    let v = TestVault::new();
    let run = v.run(&["init"]);
    let out = run.ok("init of a new vault").to_owned();
    let code = recovery_code(&out);
    assert!(
        is_recovery_code(&code),
        "the recovery code must be 8 groups of 4 Crockford base32 characters, got {code:?}"
    );
    assert_eq!(
        out.matches(&code).count(),
        1,
        "the recovery code is printed exactly once:\n{out}"
    );
    assert!(
        !run.stderr.contains(&code),
        "the recovery code must not go to standard error (logs)"
    );
    assert!(
        out.contains(USER),
        "init names the user recorded in the audit trail (GUITU_USER):\n{out}"
    );
    assert!(
        v.dir.join("vault.json").is_file() && v.dir.join("guitu.db").is_file(),
        "init creates the key file and the database in the vault directory"
    );

    let before = v.snapshot();
    let again = v.run(&["init"]);
    let line = again.fails_with("vault.exists", "init on an existing vault");
    assert!(
        line.contains("已有保险库") && line.contains("already exists"),
        "the message says a vault is already there: {line}"
    );
    assert!(
        !again.stdout.contains("Recovery code"),
        "a refused init must not print a (new, useless) recovery code:\n{}",
        again.stdout
    );
    assert_eq!(
        v.snapshot(),
        before,
        "a refused init must leave the existing vault untouched"
    );
    v.run(&["verify"])
        .ok("the existing vault still opens after a refused init");
}

#[test]
fn init_refuses_a_short_passphrase_and_creates_nothing() {
    let v = TestVault::new();
    let run = v.run_env(&["init"], &[("GUITU_NEW_PASSPHRASE", Some("short"))]);
    let line = run.fails_with("vault.weak_passphrase", "a 5-character passphrase");
    assert!(
        line.contains("10"),
        "the message gives the minimum length: {line}"
    );
    assert!(
        !v.dir.join("vault.json").exists(),
        "no vault may be created with a refused passphrase"
    );
}

// ----- 2. wrong passphrase ----------------------------------------------------------------

#[test]
fn wrong_passphrase_fails_clearly_and_changes_no_byte() {
    let (v, _) = TestVault::init();
    let path = v.write("import.json", valid_file().to_string());
    v.run(&["import", &path])
        .ok("a valid import before the wrong-passphrase attempts");
    let before = v.snapshot();
    assert!(!before.is_empty(), "the vault directory holds files");

    let wrong = [("GUITU_PASSPHRASE", Some("not-the-passphrase-9"))];
    for args in [
        vec!["export"],
        vec!["import", path.as_str()],
        vec!["demo", "--cases", "3"],
        vec!["passwd"],
        vec!["verify"],
        vec!["show", "DZ-2025-0101"],
        vec!["due"],
    ] {
        let run = v.run_env(&args, &wrong);
        let line = run.fails_with("vault.wrong_passphrase", "a wrong passphrase");
        assert!(
            line.contains("密码") && line.contains("Wrong passphrase"),
            "the message says the passphrase is wrong, in Chinese and English: {line}"
        );
        assert!(
            run.stdout.is_empty(),
            "nothing of the vault may be printed with a wrong passphrase:\n{}",
            run.stdout
        );
        let after = v.snapshot();
        assert!(
            after == before,
            "`{}` with a wrong passphrase must leave the vault files byte for byte unchanged\nbefore: {}\nafter:  {}",
            run.what,
            describe(&before),
            describe(&after)
        );
    }
    let bad_code = v.run_env(
        &["recover"],
        &[(
            "GUITU_RECOVERY_CODE",
            Some("0000-0000-0000-0000-0000-0000-0000-0000"),
        )],
    );
    bad_code.fails_with("vault.wrong_passphrase", "a wrong recovery code");
    assert!(
        v.snapshot() == before,
        "a wrong recovery code must leave the vault files byte for byte unchanged"
    );
    assert_eq!(
        array(&v.export(), "records").len(),
        14,
        "the right passphrase still opens everything"
    );
}

// ----- 3. demo and due ---------------------------------------------------------------------

fn state_rank(s: &str) -> u8 {
    match s {
        "overdue" => 0,
        "due_soon" => 1,
        "pending" => 2,
        other => panic!("due item state must be overdue, due_soon or pending, got {other:?}"),
    }
}

/// Independent expectation of the R-ID-3M items per case number, from the exported data:
/// (number of items, whether the one item is the due-soon three-month deadline).
fn expected_id3m(export: &Value, on: NaiveDate) -> BTreeMap<String, (usize, bool)> {
    let mut out = BTreeMap::new();
    for c in array(export, "cases") {
        if str_of(c, "institution_kind") == "other" || str_of(c, "stage") == "closed" {
            continue;
        }
        let id = str_of(c, "id");
        let received = date(str_of(c, "received_date"));
        let due = received
            .checked_add_months(Months::new(3))
            .expect("a due date");
        let recs: Vec<&Value> = array(export, "records")
            .iter()
            .filter(|r| r["case_id"].as_str() == Some(id))
            .collect();
        let verified = recs
            .iter()
            .filter(|r| {
                r["body"]["type"] == "identity_attempt" && r["body"]["outcome"] == "verified"
            })
            .filter_map(|r| r["body"]["verified_date"].as_str().map(date))
            .min();
        if verified.is_some_and(|v| v <= due) {
            continue;
        }
        let number = str_of(c, "case_number").to_owned();
        if on <= due {
            if (due - on).num_days() <= 14 {
                out.insert(number, (1, true));
            }
            continue;
        }
        let closed = verified.is_some_and(|v| v <= on)
            || recs.iter().any(|r| {
                r["body"]["type"] == "track_closure"
                    && r["body"]["date"]
                        .as_str()
                        .map(date)
                        .is_some_and(|d| d <= on)
            });
        if closed {
            continue;
        }
        let done: BTreeSet<&str> = recs
            .iter()
            .filter(|r| r["body"]["type"] == "track_step")
            .filter_map(|r| r["body"]["step"].as_str())
            .collect();
        if done.len() < 5 {
            out.insert(number, (5 - done.len(), false));
        }
    }
    out
}

#[test]
fn demo_data_gives_sorted_due_items_of_both_rules() {
    let (v, _) = TestVault::init();
    let demo = v.run(&["demo", "--cases", "60"]);
    let out = demo.ok("demo --cases 60");
    assert!(
        out.contains("60 个案 cases"),
        "demo reports the 60 cases it added:\n{out}"
    );
    let export = v.export();
    assert_eq!(array(&export, "cases").len(), 60, "60 demo cases");

    let run = v.run(&["due", "--json"]);
    let text = run.ok("due --json");
    let report: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("due --json must be JSON ({e}):\n{text}"));
    assert_eq!(report["on"], TODAY, "the report is as of GUITU_TODAY");
    let items = array(&report, "items");
    assert!(!items.is_empty(), "60 demo cases have deadlines");

    let on = date(TODAY);
    let numbers: BTreeSet<&str> = array(&export, "cases")
        .iter()
        .map(|c| str_of(c, "case_number"))
        .collect();
    let mut last: Option<(u8, NaiveDate)> = None;
    for item in items {
        let state = str_of(item, "state");
        let rank = state_rank(state);
        let due = date(str_of(item, "due"));
        let days = item["days"].as_i64().expect("days is a number");
        assert_eq!(
            days,
            (due - on).num_days(),
            "days counts from the report day to the due date: {item}"
        );
        assert_eq!(
            state == "overdue",
            days < 0,
            "an item is overdue exactly when its due date has passed: {item}"
        );
        assert!(
            matches!(str_of(item, "rule"), "R-ID-3M" | "R-LA-GC"),
            "every item belongs to R-ID-3M or R-LA-GC: {item}"
        );
        assert!(
            numbers.contains(str_of(item, "case_number")),
            "every item names a case of the vault: {item}"
        );
        assert!(
            !str_of(item, "what_zh").is_empty() && !str_of(item, "what_en").is_empty(),
            "every item says what is due in Chinese and English: {item}"
        );
        if let Some(prev) = last {
            assert!(
                prev <= (rank, due),
                "items are sorted: overdue first, then due soon, then pending, each by due date: {item} after {prev:?}"
            );
        }
        last = Some((rank, due));
    }
    assert_eq!(
        items.first().map(|i| str_of(i, "state")),
        Some("overdue"),
        "the demo data has overdue deadlines, and they come first"
    );
    let rules: BTreeSet<&str> = items.iter().map(|i| str_of(i, "rule")).collect();
    assert!(
        rules.contains("R-ID-3M"),
        "the demo has three-month-rule deadlines: {rules:?}"
    );
    assert!(
        rules.contains("R-LA-GC"),
        "the demo has legal-aid deadlines: {rules:?}"
    );

    // R-ID-3M items, case by case, against an independent reading of the exported data.
    let mut actual: BTreeMap<String, (usize, bool)> = BTreeMap::new();
    for i in items.iter().filter(|i| i["rule"] == "R-ID-3M") {
        let e = actual
            .entry(str_of(i, "case_number").to_owned())
            .or_default();
        e.0 += 1;
        e.1 |= i["state"] == "due_soon" && str_of(i, "what_en").contains("three-month");
    }
    assert_eq!(
        actual,
        expected_id3m(&export, on),
        "R-ID-3M items per case (count, is the due-soon deadline) must match the records"
    );
    // R-LA-GC items only for cases with a legal-aid application.
    for i in items.iter().filter(|i| i["rule"] == "R-LA-GC") {
        let case_id = str_of(i, "case_id");
        assert!(
            array(&export, "records")
                .iter()
                .any(|r| r["case_id"] == case_id && r["body"]["type"] == "legal_aid"),
            "a legal-aid deadline needs a legal-aid application in its case: {i}"
        );
    }

    let text = v.run(&["due"]);
    let t = text.ok("due (text)");
    assert!(
        t.contains("已逾期 / overdue")
            && t.contains("即将到期 / due soon")
            && t.contains("待办步骤 / steps pending"),
        "the text report has the three sections:\n{t}"
    );
    assert!(
        has_zh_date(t),
        "the text report shows dates like 2026年3月19日:\n{t}"
    );

    let bad = v.run(&["due", "--on", "2026-13-01"]);
    let line = bad.fails_with("bad_input", "month 13");
    assert!(
        line.contains("2026-13-01") && line.contains("YYYY-MM-DD"),
        "the message repeats the bad date and gives the expected form: {line}"
    );
}

#[test]
fn due_reports_due_soon_and_pending_steps_from_hand_made_cases() {
    let (v, _) = TestVault::init();
    let p = |n: u32, name: &str| person(&uuid(n), name, "1990-01-01", None);
    let la = json!({ "type": "legal_aid", "centre": "大足区法律援助中心", "matter": "刑事附带民事诉讼代理",
        "green_channel": true, "received": "2026-11-02", "accepted": null, "reviewed": null,
        "decision": null, "refusal_reason": null, "assigned": null, "assignee": null,
        "handled": null, "closed": null });
    let verified = json!({ "type": "identity_attempt", "date": "2026-08-01", "method": "police_inquiry",
        "outcome": "verified", "verified_date": "2026-08-03", "police_reference": null, "notes": null });
    let f = file(
        vec![
            p(1, "王芳"),
            p(2, "赵敏"),
            p(3, "陈静"),
            p(4, "刘洋"),
            p(5, "周丽"),
        ],
        vec![
            // Due 2026-11-30: two days left, inside the 3-day lead.
            case(
                &uuid(101),
                "DZ-2026-0901",
                &uuid(1),
                "assistance_station",
                "2026-08-30",
            ),
            // Due 2026-11-20 and passed: the track runs, its five steps are weeks away.
            case(
                &uuid(102),
                "DZ-2026-0902",
                &uuid(2),
                "assistance_station",
                "2026-08-20",
            ),
            // Identity verified in time: no deadline.
            case(
                &uuid(103),
                "DZ-2026-0903",
                &uuid(3),
                "assistance_station",
                "2026-07-30",
            ),
            // Not an assistance institution: R-ID-3M does not apply; legal aid overdue.
            case(&uuid(104), "DZ-2026-0904", &uuid(4), "other", "2026-08-30"),
            // Due 2027-02-28, far away: nothing yet.
            case(
                &uuid(105),
                "DZ-2026-0905",
                &uuid(5),
                "assistance_station",
                "2026-11-28",
            ),
        ],
        vec![
            record(&uuid(1001), &uuid(103), verified),
            record(&uuid(1002), &uuid(104), la),
        ],
    );
    let path = v.write("due.json", f.to_string());
    v.run(&["import", &path]).ok("import of the due fixtures");
    let run = v.run(&["due", "--json"]);
    let report: Value = serde_json::from_str(run.ok("due --json")).expect("due --json is JSON");
    let got: Vec<(String, String, String)> = array(&report, "items")
        .iter()
        .map(|i| {
            (
                str_of(i, "state").to_owned(),
                str_of(i, "rule").to_owned(),
                str_of(i, "case_number").to_owned(),
            )
        })
        .collect();
    let t = |s: &str, r: &str, c: &str| (s.to_owned(), r.to_owned(), c.to_owned());
    let mut want = vec![t("overdue", "R-LA-GC", "DZ-2026-0904")];
    want.push(t("due_soon", "R-ID-3M", "DZ-2026-0901"));
    for _ in 0..5 {
        want.push(t("pending", "R-ID-3M", "DZ-2026-0902"));
    }
    // The legal-aid application has more open steps than acceptance; compare the
    // R-ID-3M items exactly and require at least the overdue acceptance.
    let id3m: Vec<_> = got.iter().filter(|x| x.1 == "R-ID-3M").cloned().collect();
    assert_eq!(
        id3m,
        want[1..].to_vec(),
        "R-ID-3M: the case two days from its three-month line is due soon, the triggered track's five steps are pending, the others have no deadline"
    );
    assert_eq!(
        got.first(),
        Some(&want[0]),
        "the legal-aid application received 2026-11-02 and never accepted is overdue and listed first: {got:?}"
    );
    assert!(
        got.iter()
            .all(|x| x.2 != "DZ-2026-0903" && x.2 != "DZ-2026-0905"),
        "a case verified in time and one far from its line have no deadlines: {got:?}"
    );
    let due_soon = array(&report, "items")
        .iter()
        .find(|i| i["state"] == "due_soon")
        .expect("a due-soon item");
    assert_eq!(
        due_soon["due"], "2026-11-30",
        "received 2026-08-30 + 3 months"
    );
    assert_eq!(due_soon["days"], 2, "two days from 2026-11-28");
    assert_eq!(due_soon["name"], "王芳", "the item names the person");
}

#[test]
fn demo_data_is_deterministic_and_has_every_record_kind() {
    let (a, _) = TestVault::init();
    let (b, _) = TestVault::init();
    a.run(&["demo", "--cases", "60"]).ok("demo in vault A");
    b.run(&["demo", "--cases", "60"]).ok("demo in vault B");
    let (ea, eb) = (a.export_text(), b.export_text());
    assert!(
        ea == eb,
        "the same seed, count and day must give the same demo data, ids included"
    );
    let export: Value = serde_json::from_str(&ea).expect("export is JSON");
    let kinds: BTreeSet<&str> = array(&export, "records")
        .iter()
        .map(|r| r["body"]["type"].as_str().expect("a record type"))
        .collect();
    for k in ALL_KINDS {
        assert!(
            kinds.contains(k),
            "60 demo cases include a {k} record: {kinds:?}"
        );
    }
    let names: Vec<&str> = array(&export, "persons")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        !names.is_empty() && names.iter().all(|n| n.chars().all(is_cjk)),
        "demo names are Chinese names: {names:?}"
    );
}

#[test]
fn a_second_demo_run_adds_its_cases() {
    let (v, _) = TestVault::init();
    v.run(&["demo", "--cases", "60"]).ok("first demo run");
    let run = v.run(&["demo", "--cases", "5", "--seed", "7"]);
    run.ok("`demo` adds demo cases: a second run with another seed adds more");
    assert_eq!(
        array(&v.export(), "cases").len(),
        65,
        "a second demo run adds its cases without clashing with the first"
    );
}

// ----- 4. search and show ------------------------------------------------------------------

#[test]
fn search_finds_two_character_names_case_numbers_and_id_numbers_and_show_prints_the_case() {
    let (v, _) = TestVault::init();
    v.run(&["demo", "--cases", "60"]).ok("demo --cases 60");
    let export = v.export();
    let persons = array(&export, "persons");
    let cases = array(&export, "cases");
    let case_of = |person_id: &str| -> Vec<&str> {
        cases
            .iter()
            .filter(|c| c["person_id"] == person_id)
            .map(|c| str_of(c, "case_number"))
            .collect()
    };
    let search = |q: &str| -> Vec<Value> {
        let run = v.run(&["search", q, "--json"]);
        let text = run.ok("search --json");
        let hits: Value = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("search --json must be JSON ({e}):\n{text}"));
        hits.as_array()
            .expect("search --json prints an array")
            .clone()
    };
    let hit_numbers = |hits: &[Value]| -> Vec<String> {
        hits.iter()
            .map(|h| str_of(h, "case_number").to_owned())
            .collect()
    };

    let two = persons
        .iter()
        .find(|p| p["name"].as_str().is_some_and(|n| n.chars().count() == 2))
        .expect("the demo has a person with a two-character name");
    let name = str_of(two, "name");
    let numbers = case_of(str_of(two, "id"));
    assert!(!numbers.is_empty(), "the person has a case");
    let hits = search(name);
    for n in &numbers {
        assert!(
            hit_numbers(&hits).iter().any(|h| h == n),
            "searching the two-character name {name} must find its case {n}: {hits:?}"
        );
    }
    let text = v.run(&["search", name]);
    let t = text.ok("search (text)");
    assert!(
        t.contains(numbers[0]) && t.contains(name),
        "the text result lists the case number and the name:\n{t}"
    );

    let number = str_of(&cases[7], "case_number");
    let hits = search(number);
    assert!(
        hit_numbers(&hits).iter().any(|h| h == number),
        "searching a case number finds that case: {number} in {hits:?}"
    );

    let with_id = persons
        .iter()
        .find(|p| p["resident_id"].is_string())
        .expect("the demo has a person with a resident ID number");
    let id_number = str_of(with_id, "resident_id");
    let hits = search(id_number);
    let expected = case_of(str_of(with_id, "id"));
    assert_eq!(
        hit_numbers(&hits),
        expected.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        "searching a resident ID number finds exactly that person's case"
    );

    let none = v.run(&["search", "不存在的名字乙丙丁"]);
    assert!(
        none.ok("a search without hits is not an error")
            .contains("没有找到"),
        "a search without hits says so:\n{}",
        none.stdout
    );

    let run = v.run(&["show", number, "--json"]);
    let view: Value = serde_json::from_str(run.ok("show --json"))
        .unwrap_or_else(|e| panic!("show --json must be JSON ({e}):\n{}", run.stdout));
    assert_eq!(
        view["case"]["case_number"], number,
        "show --json has case.case_number"
    );
    assert!(view["records"].is_array(), "show --json has the records");
    let case_id = str_of(&view["case"], "id").to_owned();

    let run = v.run(&["show", number]);
    let t = run.ok("show (text)");
    assert!(t.contains(number), "the text view names the case:\n{t}");
    assert!(
        t.contains("三个月身份查明规则"),
        "the text view has the three-month identity rule:\n{t}"
    );
    assert!(has_zh_date(t), "dates show as 2026年1月31日:\n{t}");

    let by_id = v.run(&["show", &case_id, "--json"]);
    let view: Value = serde_json::from_str(by_id.ok("show by case id")).expect("JSON");
    assert_eq!(
        view["case"]["case_number"], number,
        "a case can be shown by its id too"
    );

    let missing = v.run(&["show", "DZ-2099-99999"]);
    missing.fails_with("vault.not_found", "an unknown case number");
}

// ----- 5. import / export round trip ---------------------------------------------------------

#[test]
fn a_file_with_every_record_kind_imports_and_round_trips() {
    let (v, _) = TestVault::init();
    let input = valid_file();
    let kinds: BTreeSet<&str> = array(&input, "records")
        .iter()
        .map(|r| r["body"]["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        kinds,
        ALL_KINDS.into_iter().collect(),
        "the fixture has every record kind"
    );

    let path = v.write("in.json", serde_json::to_vec_pretty(&input).expect("JSON"));
    let run = v.run(&["import", &path]);
    let out = run.ok("import of a valid file with every record kind");
    assert!(
        out.contains("1 人 persons, 1 个案 cases, 14 条记录 records"),
        "import reports what it imported:\n{out}"
    );

    let first_text = v.export_text();
    let first: Value = serde_json::from_str(&first_text).expect("export is JSON");
    assert_eq!(
        first["format"], "guitu",
        "export writes the documented format"
    );
    assert_eq!(first["version"], 1, "export writes format version 1");
    assert_eq!(
        sorted_by_id(&first),
        sorted_by_id(&input),
        "export must give back exactly the imported persons, cases and records, every field"
    );

    // Export to a file, import that into an empty vault, export again.
    let exported = v.file("export.json");
    let to_file = v.run(&["export", exported.to_str().expect("UTF-8 path")]);
    to_file.ok("export to a file");
    assert!(
        to_file.stdout.is_empty(),
        "export to a file prints no data on standard output"
    );
    assert!(
        to_file.stderr.contains("明文") && to_file.stderr.contains("plain text"),
        "export to a file warns that the file is not encrypted:\n{}",
        to_file.stderr
    );
    let file_text = std::fs::read_to_string(&exported).expect("the export file exists");
    assert_eq!(
        serde_json::from_str::<Value>(&file_text).expect("the export file is JSON"),
        first,
        "export to a file and to standard output give the same data"
    );

    let (w, _) = TestVault::init();
    assert!(
        array(&w.export(), "cases").is_empty(),
        "the second vault starts empty"
    );
    w.run(&["import", exported.to_str().expect("UTF-8 path")])
        .ok("import of the export into an empty vault");
    let second_text = w.export_text();
    assert!(
        first_text == second_text,
        "export → import into an empty vault → export must give the same text\nfirst:\n{first_text}\nsecond:\n{second_text}"
    );

    // The imported case is usable: shown with its rules, found by its person's name.
    let show = w.run(&["show", "DZ-2025-0101"]);
    let t = show.ok("show the imported case");
    assert!(
        t.contains("Records (14)"),
        "the imported case shows its 14 records:\n{t}"
    );
    let hits = w.run(&["search", "李娜", "--json"]);
    assert!(
        hits.ok("search the imported name").contains("DZ-2025-0101"),
        "the imported person is indexed for search:\n{}",
        hits.stdout
    );
    w.run(&["verify"]).ok("the vault verifies after an import");

    // Importing the same file again must be refused (ids exist) and change nothing.
    let again = w.run(&["import", exported.to_str().expect("UTF-8 path")]);
    assert_eq!(
        again.status,
        Some(1),
        "a second import of the same ids is refused:\n{}",
        again.stderr
    );
    assert_eq!(
        w.export_text(),
        second_text,
        "a refused re-import leaves the data as it was"
    );
}

// ----- 6. bad imports ------------------------------------------------------------------------

#[test]
fn import_refuses_an_invalid_resident_id_number() {
    let good = resident_id("50011119980402002");
    let mut bad = good.clone();
    let last = bad.pop().expect("a check character");
    bad.push(if last == '1' { '2' } else { '1' });
    let f = file(
        vec![
            person(&uuid(1), "李娜", "1998-04-02", Some(&good)),
            person(&uuid(2), "王芳", "1998-04-02", Some(&bad)),
        ],
        vec![
            case(
                &uuid(101),
                "DZ-2025-0101",
                &uuid(1),
                "assistance_station",
                "2025-11-30",
            ),
            case(
                &uuid(102),
                "DZ-2025-0102",
                &uuid(2),
                "assistance_station",
                "2025-11-30",
            ),
        ],
        vec![],
    );
    assert_import_refused(
        f.to_string().as_bytes(),
        "rule.invalid_resident_id",
        &[
            "persons[1]",
            &uuid(2),
            "居民身份证号码无效",
            "Invalid resident ID number",
        ],
        "a resident ID number with a wrong check character",
    );
}

#[test]
fn import_refuses_a_discharge_before_the_admission() {
    let mut f = valid_file();
    let bad = record(
        &uuid(2000),
        &uuid(C1),
        json!({ "type": "shelter_stay", "institution": "大足区救助管理站", "kind": "assistance_station",
                "admitted": "2026-03-10", "discharged": "2026-03-01", "reason": null }),
    );
    f["records"].as_array_mut().expect("records").push(bad);
    assert_import_refused(
        f.to_string().as_bytes(),
        "rule.discharge_before_admission",
        &[
            "records[14]",
            &uuid(2000),
            "离站日期",
            "2026-03-01",
            "Discharge date",
        ],
        "a shelter stay discharged before its admission",
    );
}

#[test]
fn import_refuses_a_placement_with_the_purchasing_family() {
    let mut f = valid_file();
    let bad = record(
        &uuid(2000),
        &uuid(C1),
        json!({ "type": "placement", "kind": "relatives", "start": "2026-04-01", "end": null,
                "place": "某村", "carer": "purchasing_family", "decided_by": "张敏",
                "supervisor_approval": null, "district_approval": null, "notes": null }),
    );
    f["records"].as_array_mut().expect("records").insert(3, bad);
    assert_import_refused(
        f.to_string().as_bytes(),
        "rule.placement_with_buyer",
        &["records[3]", &uuid(2000), "收买家庭", "R-PL-BUYER"],
        "a placement with the family that bought the child",
    );
}

#[test]
fn import_refuses_employment_services_for_a_fifteen_year_old() {
    let f = file(
        vec![person(&uuid(1), "李娜", "2010-06-01", None)],
        vec![case(
            &uuid(101),
            "DZ-2025-0101",
            &uuid(1),
            "minor_protection_centre",
            "2025-11-30",
        )],
        vec![
            record(
                &uuid(1000),
                &uuid(101),
                json!({ "type": "note", "date": "2025-12-01", "text": "情绪稳定" }),
            ),
            record(
                &uuid(1001),
                &uuid(101),
                json!({ "type": "employment", "date": "2026-01-10", "service": "training",
                        "provider": "大足区就业和人才服务局", "wanted": true, "notes": null }),
            ),
        ],
    );
    assert_import_refused(
        f.to_string().as_bytes(),
        "rule.employment_under_16",
        &["records[1]", &uuid(1001), "十六周岁", "15", "R-EMP-16"],
        "employment services for a person aged 15 on the service date",
    );
}

#[test]
fn import_refuses_an_unknown_enum_value_naming_its_path() {
    let mut f = valid_file();
    f["persons"][0]["sex"] = json!("robot");
    assert_import_refused(
        f.to_string().as_bytes(),
        "import.invalid",
        &["persons[0].sex", "robot"],
        "an unknown value of an enumeration",
    );
}

#[test]
fn import_refuses_a_field_that_does_not_exist() {
    // R-DNA: a genetic profile has no field to go in; it must not be silently dropped.
    let mut f = valid_file();
    f["records"][1]["body"]["dna_profile"] = json!("D8S1179 13,14");
    assert_import_refused(
        f.to_string().as_bytes(),
        "import.invalid",
        &["records[1]", "dna_profile"],
        "an identity attempt carrying a DNA profile",
    );
}

#[test]
fn import_refuses_a_truncated_file() {
    let text = serde_json::to_string_pretty(&valid_file()).expect("JSON");
    let cut = &text.as_bytes()[..text.len() / 2];
    assert_import_refused(
        cut,
        "import.not_json",
        &["JSON", "line"],
        "an import file cut off in the middle",
    );
}

#[test]
fn import_refuses_text_that_is_not_json() {
    assert_import_refused(
        "姓名,性别,出生日期\n李娜,女,1998-04-02\n".as_bytes(),
        "import.not_json",
        &["JSON"],
        "a CSV file given as import",
    );
    assert_import_refused(b"", "import.not_json", &["JSON"], "an empty import file");
}

#[test]
fn import_refuses_a_record_of_a_case_that_does_not_exist() {
    let mut f = valid_file();
    let orphan = record(
        &uuid(2000),
        &uuid(999),
        json!({ "type": "note", "date": "2025-12-01", "text": "无主记录" }),
    );
    f["records"].as_array_mut().expect("records").push(orphan);
    assert_import_refused(
        f.to_string().as_bytes(),
        "import.inconsistent",
        &["records[14]", &uuid(2000), "case_id", &uuid(999)],
        "a record whose case_id names no case",
    );
}

#[test]
fn import_refuses_a_wrong_format_marker_and_a_missing_file() {
    let mut f = valid_file();
    f["format"] = json!("excel");
    assert_import_refused(
        f.to_string().as_bytes(),
        "import.invalid",
        &["format"],
        "a file that is not in the guitu format",
    );
    let (v, _) = TestVault::init();
    let missing = v.file("no-such-file.json");
    let run = v.run(&["import", missing.to_str().expect("UTF-8 path")]);
    let line = run.fails_with("file", "an import file that does not exist");
    assert!(
        line.contains("no-such-file.json"),
        "the message names the file: {line}"
    );
}

// ----- 7. not-writable vault directory ----------------------------------------------------

#[test]
fn init_in_a_directory_that_cannot_be_written_fails_clearly() {
    // Root may write anywhere on an ordinary file system, but nobody can create
    // directories in sysfs.
    let dir = Path::new("/sys/guitu-x/vault");
    assert!(
        Path::new("/sys").is_dir(),
        "this test needs Linux sysfs at /sys"
    );
    let run = guitu_in(dir, &["init"], &[]);
    let line = run.fails_with("vault.not_writable", "a vault directory under /sys");
    assert!(
        line.contains("/sys/guitu-x/vault")
            && line.contains("无法写入")
            && line.contains("not writable"),
        "the message names the directory and says it cannot be written: {line}"
    );
    assert!(
        !run.stdout.contains("Recovery code"),
        "no recovery code for a vault that was not created:\n{}",
        run.stdout
    );
    assert!(!Path::new("/sys/guitu-x").exists(), "nothing was created");
}

// ----- 8. verify ---------------------------------------------------------------------------

#[test]
fn verify_passes_on_a_new_and_on_a_filled_vault() {
    let (v, _) = TestVault::init();
    let run = v.run(&["verify"]);
    let out = run.ok("verify of a new vault");
    assert!(
        out.contains("校验通过 / Verified"),
        "verify says it passed:\n{out}"
    );
    v.run(&["demo", "--cases", "20"]).ok("demo");
    let run = v.run(&["verify"]);
    let out = run.ok("verify after demo data");
    assert!(
        out.contains("校验通过 / Verified"),
        "verify passes after writes:\n{out}"
    );
    assert!(
        out.contains("审计链 / Audit chain") && out.contains("结构版本 / Schema version"),
        "verify reports the audit chain and the schema version:\n{out}"
    );
}

// ----- 9. backup and restore -----------------------------------------------------------------

#[test]
fn backup_restores_into_a_new_vault_and_a_truncated_backup_is_refused() {
    let (v, _) = TestVault::init();
    v.run(&["demo", "--cases", "20"]).ok("demo");
    let original = v.export_text();
    let backup = v.file("vault.guitu-backup");
    let backup_s = backup.to_str().expect("UTF-8 path").to_owned();
    let run = v.run(&["backup", &backup_s]);
    assert!(
        run.ok("backup").contains("bytes"),
        "backup reports its size:\n{}",
        run.stdout
    );
    let bytes = std::fs::read(&backup).expect("the backup file exists");
    assert!(
        !bytes
            .windows("大足区".len())
            .any(|w| w == "大足区".as_bytes()),
        "the backup is encrypted: no plain text of the cases in it"
    );

    let elsewhere = v.file("restored").join("vault");
    let run = guitu_in(&elsewhere, &["restore", &backup_s], &[]);
    assert!(
        run.ok("restore into a new directory")
            .contains("20 个案 cases"),
        "restore reports the restored cases:\n{}",
        run.stdout
    );
    let run = guitu_in(&elsewhere, &["export"], &[]);
    assert!(
        run.ok("export of the restored vault") == original,
        "the restored vault must export exactly what the original exported"
    );
    guitu_in(&elsewhere, &["verify"], &[]).ok("the restored vault verifies");

    let truncated = v.write("truncated.guitu-backup", &bytes[..bytes.len() * 2 / 3]);
    let target = v.file("restored-2").join("vault");
    let run = guitu_in(&target, &["restore", &truncated], &[]);
    run.fails_with("vault.bad_backup", "a truncated backup");
    assert!(
        !target.join("vault.json").exists(),
        "no vault from a truncated backup"
    );
}

#[test]
fn restore_refuses_a_file_that_is_not_a_whole_backup() {
    let v = TestVault::new();
    let mut fake = b"GUITU-BACKUP-v1\n".to_vec();
    fake.extend_from_slice(&[7u8; 200]);
    for (name, content) in [
        ("damaged.guitu-backup", fake),
        (
            "notes.txt",
            "这不是备份文件 / not a backup".as_bytes().to_vec(),
        ),
        ("empty.guitu-backup", Vec::new()),
    ] {
        let path = v.write(name, &content);
        let run = v.run(&["restore", &path]);
        let line = run.fails_with("vault.bad_backup", name);
        assert!(
            line.contains("备份") && line.contains("backup"),
            "the message says the file is not a valid backup: {line}"
        );
        assert!(
            !v.dir.join("vault.json").exists() && !v.dir.join("guitu.db").exists(),
            "{name}: a refused restore creates no vault"
        );
    }
}

// ----- 10. passwd and recover --------------------------------------------------------------

#[test]
fn passwd_replaces_the_passphrase() {
    let (v, _) = TestVault::init();
    let path = v.write("import.json", valid_file().to_string());
    v.run(&["import", &path])
        .ok("import before changing the passphrase");
    let before = v.export_text();
    let run = v.run_env(&["passwd"], &[("GUITU_NEW_PASSPHRASE", Some(NEW_PASS))]);
    assert!(
        run.ok("passwd").contains("密码已更改 / Passphrase changed"),
        "passwd confirms:\n{}",
        run.stdout
    );
    v.run(&["export"])
        .fails_with("vault.wrong_passphrase", "the old passphrase after passwd");
    let run = v.run_env(&["export"], &[("GUITU_PASSPHRASE", Some(NEW_PASS))]);
    assert!(
        run.ok("the new passphrase after passwd") == before,
        "the data is unchanged and opens with the new passphrase"
    );
    let weak = v.run_env(
        &["passwd"],
        &[
            ("GUITU_PASSPHRASE", Some(NEW_PASS)),
            ("GUITU_NEW_PASSPHRASE", Some("short")),
        ],
    );
    weak.fails_with(
        "vault.weak_passphrase",
        "passwd to a 5-character passphrase",
    );
    v.run_env(&["verify"], &[("GUITU_PASSPHRASE", Some(NEW_PASS))])
        .ok("a refused passwd keeps the current passphrase");
}

#[test]
fn recover_sets_a_new_passphrase_with_the_recovery_code() {
    let (v, code) = TestVault::init();
    let path = v.write("import.json", valid_file().to_string());
    v.run(&["import", &path]).ok("import before recovering");
    let before = v.export_text();
    // Typed the way a person copies it from paper: lower case, spaces for dashes.
    let typed = code.to_lowercase().replace('-', " ");
    let run = v.run_env(
        &["recover"],
        &[
            ("GUITU_RECOVERY_CODE", Some(&typed)),
            ("GUITU_NEW_PASSPHRASE", Some(NEW_PASS)),
            ("GUITU_PASSPHRASE", None),
        ],
    );
    let out = run.ok("recover with the recovery code from init");
    assert!(
        out.contains("New passphrase set") && out.contains(USER),
        "recover says whose passphrase it set:\n{out}"
    );
    v.run(&["export"]).fails_with(
        "vault.wrong_passphrase",
        "the forgotten passphrase after recover",
    );
    let run = v.run_env(&["export"], &[("GUITU_PASSPHRASE", Some(NEW_PASS))]);
    assert!(
        run.ok("the new passphrase after recover") == before,
        "recover keeps every record and opens with the new passphrase"
    );
    let audit_ok = v.run_env(&["verify"], &[("GUITU_PASSPHRASE", Some(NEW_PASS))]);
    assert!(
        audit_ok.ok("verify after recover").contains("校验通过"),
        "the audit chain is intact after recover"
    );
}

// ----- 11. missing secrets never hang ------------------------------------------------------

#[test]
fn a_missing_secret_fails_at_once_instead_of_waiting_for_a_prompt() {
    let (v, _) = TestVault::init();
    let before = v.snapshot();
    for (args, var) in [
        (vec!["export"], "GUITU_PASSPHRASE"),
        (vec!["verify"], "GUITU_PASSPHRASE"),
        (vec!["restore", "x.bak"], "GUITU_PASSPHRASE"),
        (vec!["recover"], "GUITU_RECOVERY_CODE"),
    ] {
        let run = v.run_env(&args, &[("GUITU_PASSPHRASE", None)]);
        let line = run.fails_with("bad_input", "a secret missing with standard input closed");
        assert!(
            line.contains(var),
            "the message tells which environment variable to set ({var}): {line}"
        );
        assert!(
            run.stdout.is_empty(),
            "nothing is printed on standard output"
        );
    }
    assert!(v.snapshot() == before, "failed attempts change nothing");

    let fresh = TestVault::new();
    let run = fresh.run_env(&["init"], &[("GUITU_NEW_PASSPHRASE", None)]);
    let line = run.fails_with("bad_input", "init without a new passphrase");
    assert!(
        line.contains("GUITU_NEW_PASSPHRASE"),
        "names the variable: {line}"
    );
    assert!(
        !fresh.dir.exists(),
        "init without a passphrase creates nothing"
    );
    let run = v.run_env(&["passwd"], &[("GUITU_NEW_PASSPHRASE", None)]);
    run.fails_with("bad_input", "passwd without a new passphrase");
    v.run(&["verify"]).ok("the old passphrase still works");
}

#[test]
fn usage_errors_exit_with_status_2() {
    let (v, _) = TestVault::init();
    let run = v.run(&["frobnicate"]);
    assert_eq!(
        run.status,
        Some(2),
        "an unknown command is a usage error:\n{}",
        run.stderr
    );
    let run = v.run(&["demo", "--cases", "many"]);
    assert_eq!(
        run.status,
        Some(2),
        "a non-numeric count is a usage error:\n{}",
        run.stderr
    );
}

// ----- print (issue 4) ------------------------------------------------------------------------

#[test]
fn print_writes_each_kind_of_pdf_and_refuses_an_unknown_kind() {
    let (v, _) = TestVault::init();
    v.run(&["demo", "--cases", "12"]).ok("demo");
    let number = str_of(&array(&v.export(), "cases")[0], "case_number").to_owned();
    for kind in [
        "full",
        "school",
        "hospital",
        "legal-aid",
        "police",
        "civil-affairs",
    ] {
        let out = v.file(&format!("{kind}.pdf"));
        let out_s = out.to_str().expect("UTF-8 path").to_owned();
        let run = v.run(&["print", &number, "--kind", kind, "-o", &out_s]);
        let stdout = run.ok("print writes a PDF").to_owned();
        assert!(
            stdout.contains("已打印"),
            "print says where the file went: {stdout}"
        );
        let bytes = std::fs::read(&out).expect("the PDF exists");
        assert!(bytes.starts_with(b"%PDF-"), "{kind}: the output is a PDF");
        let text = Command::new("pdftotext")
            .arg(&out)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        let text = String::from_utf8_lossy(&text.stdout).replace(char::is_whitespace, "");
        assert!(
            text.contains(&number),
            "{kind}: the case number is in the text"
        );
        assert!(
            text.contains("内部资料注意保密"),
            "{kind}: the confidentiality mark is printed"
        );
    }
    v.run(&["print", &number, "--kind", "press"])
        .fails_with("bad_input", "an unknown print kind is refused");
}

#[test]
fn print_with_a_password_needs_it_to_open() {
    let (v, _) = TestVault::init();
    v.run(&["demo", "--cases", "5"]).ok("demo");
    let number = str_of(&array(&v.export(), "cases")[0], "case_number").to_owned();
    let out = v.file("locked.pdf");
    let out_s = out.to_str().expect("UTF-8 path").to_owned();
    v.run_env(
        &[
            "print",
            &number,
            "--kind",
            "police",
            "-o",
            &out_s,
            "--password",
        ],
        &[("GUITU_PDF_PASSWORD", Some("police-pw-7"))],
    )
    .ok("print with a password");
    let plain = Command::new("pdfinfo").arg(&out).output().expect("pdfinfo");
    assert!(
        !plain.status.success(),
        "the protected file does not open without its password"
    );
    let with = Command::new("pdfinfo")
        .args(["-upw", "police-pw-7"])
        .arg(&out)
        .output()
        .expect("pdfinfo");
    assert!(with.status.success(), "and opens with it");
}

// ----- reliability and privacy of the files (issue 8) -------------------------------------

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
#[test]
fn everything_guitu_writes_is_private_whatever_the_umask() {
    let v = TestVault::new();
    let open = [("GUITU_TEST_UMASK", Some("000"))];
    guitu_in(&v.dir, &["init"], &open).ok("init under umask 000");
    guitu_in(&v.dir, &["demo", "--cases", "3"], &open).ok("demo");
    let backup = v.file("b.guitu-backup");
    let export = v.file("export.json");
    let pdf = v.file("case.pdf");
    let number = str_of(&array(&v.export(), "cases")[0], "case_number").to_owned();
    for args in [
        vec!["backup", backup.to_str().expect("utf-8")],
        vec!["export", export.to_str().expect("utf-8")],
        vec!["print", &number, "-o", pdf.to_str().expect("utf-8")],
    ] {
        guitu_in(&v.dir, &args, &open).ok("a file written on request");
    }
    assert_eq!(mode(&v.dir), 0o700, "the vault folder");
    for name in ["guitu.db", "vault.json", "vault.check"] {
        assert_eq!(mode(&v.dir.join(name)), 0o600, "{name}");
    }
    for f in [&backup, &export, &pdf] {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }
    // An existing vault made world-readable (by an older version) is tightened at open.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&v.dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(
        v.dir.join("guitu.db"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    guitu_in(&v.dir, &["verify"], &open).ok("verify");
    assert_eq!(mode(&v.dir), 0o700);
    assert_eq!(mode(&v.dir.join("guitu.db")), 0o600);
}

#[test]
fn restore_asks_before_replacing_another_vault_or_newer_data() {
    let (v, _) = TestVault::init();
    v.run(&["demo", "--cases", "3"]).ok("demo");
    let backed_up = v.export_text();
    let backup = v.file("b.guitu-backup");
    let backup_s = backup.to_str().expect("utf-8").to_owned();
    v.run(&["backup", &backup_s]).ok("backup");
    v.run(&["demo", "--cases", "2", "--seed", "7"])
        .ok("newer data");
    let newer = v.export_text();
    let line = v
        .run(&["restore", &backup_s])
        .fails_with("vault.restore_older", "a backup older than the vault")
        .to_owned();
    assert!(
        line.contains("--older"),
        "the message says how to confirm: {line}"
    );
    assert_eq!(
        v.export_text(),
        newer,
        "the refused restore changed nothing"
    );
    v.run(&["restore", &backup_s, "--older"]).ok("confirmed");
    v.run(&["verify"]).ok("the restored vault verifies");
    assert_eq!(v.export_text(), backed_up, "the vault is the backup again");

    let (other, _) = TestVault::init();
    other
        .run(&["restore", &backup_s])
        .fails_with("vault.restore_other_vault", "another vault's backup");
    other
        .run(&["restore", &backup_s, "--replace-other-vault"])
        .ok("confirmed");
    assert_eq!(
        other.export_text(),
        backed_up,
        "the other vault now holds the backup"
    );
}

#[test]
fn an_emptied_or_rolled_back_vault_is_refused_by_name() {
    let (v, _) = TestVault::init();
    v.run(&["demo", "--cases", "3"]).ok("demo");
    let db = v.dir.join("guitu.db");
    let old_db = std::fs::read(&db).expect("read");
    let old_header = std::fs::read(v.dir.join("vault.json")).expect("read");
    v.run(&["demo", "--cases", "2", "--seed", "9"])
        .ok("more data");

    std::fs::write(&db, old_db).expect("an older copy put back");
    let line = v
        .run(&["verify"])
        .fails_with("vault.changes_missing", "a rolled-back database")
        .to_owned();
    assert!(line.contains("missing") && line.contains("缺少"), "{line}");

    std::fs::write(&db, b"").expect("emptied");
    v.run(&["verify"])
        .fails_with("vault.database_empty", "an empty database");
    assert_eq!(
        std::fs::metadata(&db).expect("meta").len(),
        0,
        "left as it was"
    );

    // A passphrase change, then the old header put back: the old passphrase is refused.
    let (w, _) = TestVault::init();
    let before = std::fs::read(w.dir.join("vault.json")).expect("read");
    assert_ne!(before, old_header);
    w.run_env(&["passwd"], &[("GUITU_NEW_PASSPHRASE", Some(NEW_PASS))])
        .ok("passwd");
    std::fs::write(w.dir.join("vault.json"), before).expect("old header back");
    w.run(&["verify"])
        .fails_with("vault.header_rolled_back", "an older vault.json");
}
