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

/// The language `guitu` is asked to speak (`--lang`, else the locale variables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Zh,
    En,
}

/// The outcome of one run of `guitu`.
#[derive(Debug)]
struct Run {
    what: String,
    lang: Lang,
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

    /// The `[code]` of the `错误 [code]: …` / `Error [code]: …` line, if there is one.
    fn error_code(&self) -> Option<&str> {
        let line = self.error_line()?;
        let start = line.find('[')? + 1;
        let end = start + line[start..].find(']')?;
        Some(&line[start..end])
    }

    /// The error line, in the language of the run: `错误 [code]: …` or `Error [code]: …`.
    fn error_line(&self) -> Option<&str> {
        let prefix = match self.lang {
            Lang::Zh => "错误 [",
            Lang::En => "Error [",
        };
        self.stderr.lines().find(|l| l.starts_with(prefix))
    }

    /// Asserts exit status 1 with `错误 [code]: …` (or `Error [code]: …` in English) on
    /// standard error, in the run's language only; returns the error line.
    #[track_caller]
    fn fails_with(&self, code: &str, why: &str) -> &str {
        self.fails_with_codes(code, &[], why)
    }

    /// As `fails_with`; `codes` are words of the format the Chinese message may quote
    /// (the allowed values of a field, say).
    #[track_caller]
    fn fails_with_codes(&self, code: &str, codes: &[&str], why: &str) -> &str {
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
            "{why}: `{}` must report the error code [{code}] in a line `{} [code]: …`\nstderr:\n{}",
            self.what,
            if self.lang == Lang::Zh {
                "错误"
            } else {
                "Error"
            },
            self.stderr
        );
        let line = self.error_line().unwrap_or_default();
        let message = line.split_once("]: ").map(|(_, m)| m).unwrap_or_default();
        match self.lang {
            Lang::Zh => {
                assert!(
                    message.chars().any(is_cjk),
                    "{why}: the Chinese message must be in Chinese: {line}"
                );
                let english = english_words(message, codes);
                assert!(
                    english.is_empty(),
                    "{why}: the Chinese message must not also say it in English (found {english:?}): {line}"
                );
            }
            Lang::En => {
                assert!(
                    !message.chars().any(is_chinese),
                    "{why}: the English message must hold no Chinese: {line}"
                );
                assert!(
                    english_words(message, &[]).len() >= 2,
                    "{why}: the English message must say it in English: {line}"
                );
            }
        }
        line
    }
}

/// English words in a text: tokens of ASCII letters with a lower-case letter, other than
/// command-line options (`--older`), codes (`import.rule`, `persons[0].sex`, `GUITU_PASSPHRASE`, `R-EMP-16`, `YYYY-MM-DD`,
/// UUIDs), paths, the words of the format a message may quote (`format`, `"guitu"`,
/// `guitu verify`), and `allowed` (data, or codes a message lists).
fn english_words(text: &str, allowed: &[&str]) -> Vec<String> {
    const FORMAT_WORDS: [&str; 4] = ["guitu", "format", "version", "verify"];
    let mut out = Vec::new();
    let token_char = |c: char| c.is_ascii_alphanumeric() || "_./-[]:@~".contains(c);
    for raw in text.split(|c: char| !token_char(c)) {
        if raw.starts_with("--") {
            continue; // a command-line option to type (`--older`)
        }
        let token = raw.trim_matches(|c: char| ".:-[]".contains(c));
        if token.is_empty() || "_./[]:@~".chars().any(|c| token.contains(c)) {
            continue; // a code, a field path, a file path
        }
        let uuid_like =
            token.len() == 36 && token.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if uuid_like {
            continue;
        }
        for word in token.split('-') {
            let is_word = word.len() >= 2
                && word.chars().all(|c| c.is_ascii_alphabetic())
                && word.chars().any(|c| c.is_ascii_lowercase());
            let known = FORMAT_WORDS.contains(&word)
                || allowed.iter().any(|a| {
                    a.split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| w == word)
                });
            if is_word && !known {
                out.push(word.to_owned());
            }
        }
    }
    out
}

#[test]
fn the_language_checks_bite() {
    assert_eq!(
        english_words("已导入：1人，1个个案 / Imported: 1 persons", &[]),
        vec!["Imported", "persons"],
        "English words in a Chinese line are found"
    );
    assert!(
        english_words(
            "错误 [import.rule]: 第2条记录（0194b1a0-0000-7000-8000-000000001001）：R-EMP-16 YYYY-MM-DD /tmp/x/vault persons[0].sex GUITU_PASSPHRASE [R-LA-GC]",
            &[]
        )
        .is_empty(),
        "codes, ids, paths and field paths are not English words"
    );
    assert_eq!(
        english_words("承办人: Zhang Min，[pending]", &["Zhang Min"]),
        vec!["pending"],
        "data words are allowed, nothing else"
    );
    assert!(
        "个案 身份不明".chars().any(is_chinese) && "（".chars().any(is_chinese),
        "Chinese characters and full-width punctuation are Chinese"
    );
    assert!(
        !"Identity unknown (JS-1) — 1 Dec 2026"
            .chars()
            .any(is_chinese),
        "an English line with a dash is not"
    );
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Any Chinese character or Chinese punctuation (full-width forms, 。，、「」 …).
fn is_chinese(c: char) -> bool {
    matches!(c, '\u{2e80}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ffef}')
}

/// The language a run will speak: `--lang` in the arguments, else the first locale
/// variable set (`LC_ALL`, `LC_MESSAGES`, `LANG`); English when it starts with "en".
fn run_language(args: &[&str], env: &[(&str, Option<&str>)]) -> Lang {
    let from = |v: &str| {
        if v.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    };
    if let Some(i) = args.iter().position(|a| *a == "--lang") {
        return from(args.get(i + 1).copied().unwrap_or(""));
    }
    if let Some(v) = args.iter().find_map(|a| a.strip_prefix("--lang=")) {
        return from(v);
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        let value = match env.iter().find(|(k, _)| *k == var) {
            Some((_, v)) => v.map(str::to_owned),
            None if var == "LANG" => Some(DEFAULT_LANG.to_owned()),
            None => None,
        };
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            return from(&v);
        }
    }
    Lang::Zh
}

/// The locale of every run unless a test says otherwise: a Chinese desktop.
const DEFAULT_LANG: &str = "zh_CN.UTF-8";

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
    // Nothing from the outer environment may leak in (a real vault, a recovery code, the
    // developer's locale).
    for (k, _) in std::env::vars_os() {
        let k_s = k.to_string_lossy();
        if k_s.starts_with("GUITU_") || k_s.starts_with("LC_") || k_s == "LANG" || k_s == "LANGUAGE"
        {
            cmd.env_remove(k);
        }
    }
    cmd.env("GUITU_VAULT", vault)
        .env("GUITU_PASSPHRASE", PASS)
        .env("GUITU_NEW_PASSPHRASE", PASS)
        .env("GUITU_INSECURE_TEST_KDF", "1")
        .env("GUITU_TODAY", TODAY)
        .env("GUITU_USER", USER)
        .env("LANG", DEFAULT_LANG);
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let what = format!("guitu {}", args.join(" "));
    let lang = run_language(args, env);
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
        lang,
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

    /// A new, initialised training vault (`init --training-vault`: demo data goes only
    /// into a training vault) and its recovery code.
    fn init_training() -> (TestVault, String) {
        let v = TestVault::new();
        let run = v.run(&["init", "--training-vault"]);
        run.ok("init of a new training vault");
        let code = recovery_code(&run.stdout);
        (v, code)
    }

    /// Runs `guitu` in Chinese (the default locale of the tests).
    fn run(&self, args: &[&str]) -> Run {
        guitu_in(&self.dir, args, &[])
    }

    /// Runs `guitu --lang en …`.
    fn run_en(&self, args: &[&str]) -> Run {
        let mut all = vec!["--lang", "en"];
        all.extend_from_slice(args);
        guitu_in(&self.dir, &all, &[])
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

/// The recovery code from `init`'s output: the line after the one announcing it (恢复码 in
/// Chinese, "Recovery code" in English).
fn recovery_code(stdout: &str) -> String {
    let mut lines = stdout.lines();
    lines
        .by_ref()
        .find(|l| l.contains("恢复码") || l.contains("Recovery code"))
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
                "actions": "已协调镇街落实帮扶措施", "mode": "home", "place": "本人住所",
                "next_visit": "2026-12-01" }),
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

/// The personal values of the fixtures: no error message may repeat one of them.
fn personal_values() -> Vec<String> {
    vec![
        "李娜".into(),
        "王芳".into(),
        "小娜".into(),
        "龙水镇".into(),
        "四川省某县".into(),
        "JS202500117".into(),
        resident_id("50011119980402002"),
    ]
}

/// Imports `content` into a fresh vault, in Chinese and then in English; expects the
/// refusal `code` with every fragment of the language in the message and no personal
/// value of the file, then checks nothing at all was written.
#[track_caller]
fn assert_import_refused(content: &[u8], code: &str, zh: &[&str], en: &[&str], why: &str) {
    assert_import_refused_codes(content, code, &[], zh, en, why);
}

/// As `assert_import_refused`; `codes` are words of the format the Chinese message may
/// quote (the allowed values of a field).
#[track_caller]
fn assert_import_refused_codes(
    content: &[u8],
    code: &str,
    codes: &[&str],
    zh: &[&str],
    en: &[&str],
    why: &str,
) {
    let (v, _) = TestVault::init();
    let path = v.write("import.json", content);
    for (run, fragments) in [
        (v.run(&["import", &path]), zh),
        (v.run_en(&["import", &path]), en),
    ] {
        let line = run.fails_with_codes(code, codes, why).to_owned();
        for f in fragments {
            assert!(
                line.contains(f),
                "{why}: the message must name {f:?} so the caseworker can find and fix it: {line}"
            );
        }
        for p in personal_values() {
            assert!(
                !line.contains(&p),
                "{why}: an error message names the item and field, never a personal value ({p}): {line}"
            );
        }
        assert!(
            !run.stdout.contains("已导入") && !run.stdout.contains("Imported"),
            "{why}: a refused import must not report anything imported:\n{}",
            run.stdout
        );
    }
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
        line.contains("已有档案库"),
        "the message says a vault is already there: {line}"
    );
    assert!(
        !again.stdout.contains("恢复码"),
        "a refused init must not print a (new, useless) recovery code:\n{}",
        again.stdout
    );
    let again_en = v.run_en(&["init"]);
    let line = again_en.fails_with("vault.exists", "init on an existing vault, in English");
    assert!(
        line.contains("already exists"),
        "the English message says a vault is already there: {line}"
    );
    assert!(
        !again_en.stdout.contains("Recovery code"),
        "a refused init must not print a recovery code:\n{}",
        again_en.stdout
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
    for lang in ["zh", "en"] {
        let run = v.run_env(
            &["--lang", lang, "init"],
            &[("GUITU_NEW_PASSPHRASE", Some("short"))],
        );
        let line = run.fails_with("vault.weak_passphrase", "a 5-character passphrase");
        assert!(
            line.contains("10"),
            "the message gives the minimum length: {line}"
        );
    }
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
    for (i, args) in [
        vec!["export"],
        vec!["import", path.as_str()],
        vec!["demo", "--cases", "3"],
        vec!["passwd"],
        vec!["verify"],
        vec!["show", "DZ-2025-0101"],
        vec!["due"],
    ]
    .into_iter()
    .enumerate()
    {
        // Every other command in English: the message is in the language asked for.
        let lang = if i % 2 == 0 { "zh" } else { "en" };
        let mut all = vec!["--lang", lang];
        all.extend_from_slice(&args);
        let run = v.run_env(&all, &wrong);
        let line = run.fails_with("vault.wrong_passphrase", "a wrong passphrase");
        let says = if lang == "zh" {
            "密码"
        } else {
            "Wrong passphrase"
        };
        assert!(
            line.contains(says),
            "the message says the passphrase is wrong ({says}): {line}"
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
        &["--lang", "en", "recover"],
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

/// The rule a due item belongs to, from what is due (`what.kind`).
fn rule_of(item: &Value) -> &'static str {
    match item["what"]["kind"].as_str() {
        Some("id3m_deadline" | "id3m_step") => "R-ID-3M",
        Some("legal_aid_step") => "R-LA-GC",
        other => panic!(
            "what.kind must be id3m_deadline, id3m_step or legal_aid_step, got {other:?}: {item}"
        ),
    }
}

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
    let (v, _) = TestVault::init_training();
    let demo = v.run(&["demo", "--cases", "60"]);
    let out = demo.ok("demo --cases 60");
    assert!(
        out.contains("60个个案"),
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
            matches!(rule_of(item), "R-ID-3M" | "R-LA-GC"),
            "every item belongs to R-ID-3M or R-LA-GC: {item}"
        );
        assert!(
            numbers.contains(str_of(item, "case_number")),
            "every item names a case of the vault: {item}"
        );
        assert!(
            item["what"].is_object() && !str_of(&item["what"], "kind").is_empty(),
            "every item says what is due as a typed value (the front ends make the text): {item}"
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
    let rules: BTreeSet<&str> = items.iter().map(rule_of).collect();
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
    for i in items.iter().filter(|i| rule_of(i) == "R-ID-3M") {
        let e = actual
            .entry(str_of(i, "case_number").to_owned())
            .or_default();
        e.0 += 1;
        e.1 |= i["state"] == "due_soon" && i["what"]["kind"] == "id3m_deadline";
    }
    assert_eq!(
        actual,
        expected_id3m(&export, on),
        "R-ID-3M items per case (count, is the due-soon deadline) must match the records"
    );
    // R-LA-GC items only for cases with a legal-aid application.
    for i in items.iter().filter(|i| rule_of(i) == "R-LA-GC") {
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
        t.contains("已逾期") && t.contains("即将到期") && t.contains("待办步骤"),
        "the Chinese report has the three sections:\n{t}"
    );
    assert!(
        has_zh_date(t),
        "the text report shows dates like 2026年3月19日:\n{t}"
    );
    let text = v.run_en(&["due"]);
    let t = text.ok("due (text, English)");
    assert!(
        t.contains("Deadlines as of 28 Nov 2026")
            && t.contains("Overdue:")
            && t.contains("Due soon:")
            && t.contains("Steps pending:"),
        "the English report has the three sections and English dates:\n{t}"
    );
    assert!(
        !t.contains("已逾期") && !has_zh_date(t),
        "the English report does not also say it in Chinese:\n{t}"
    );

    for bad in [
        v.run(&["due", "--on", "2026-13-01"]),
        v.run_en(&["due", "--on", "2026-13-01"]),
    ] {
        let line = bad.fails_with("input.bad_date", "month 13");
        assert!(
            line.contains("2026-13-01") && line.contains("YYYY-MM-DD"),
            "the message repeats the typed date and gives the expected form: {line}"
        );
    }
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
                rule_of(i).to_owned(),
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
    let (a, _) = TestVault::init_training();
    let (b, _) = TestVault::init_training();
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
    let (v, _) = TestVault::init_training();
    v.run(&["demo", "--cases", "60"]).ok("first demo run");
    let run = v.run_en(&["demo", "--cases", "5", "--seed", "7"]);
    let out = run.ok("`demo` adds demo cases: a second run with another seed adds more");
    assert!(
        out.contains("Demo data added: 5 cases"),
        "demo reports what it added, in English when asked:\n{out}"
    );
    assert_eq!(
        array(&v.export(), "cases").len(),
        65,
        "a second demo run adds its cases without clashing with the first"
    );
}

// ----- 4. search and show ------------------------------------------------------------------

#[test]
fn search_finds_two_character_names_case_numbers_and_id_numbers_and_show_prints_the_case() {
    let (v, _) = TestVault::init_training();
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
    let run = v.run_en(&["show", number]);
    let t = run.ok("show (text, English)");
    assert!(
        t.contains(&format!("Case {number}")) && t.contains("Three-month identity rule"),
        "the English view names the case and the three-month identity rule:\n{t}"
    );
    assert!(
        !t.contains("三个月身份查明规则") && !has_zh_date(t),
        "the English view does not also say it in Chinese:\n{t}"
    );

    let by_id = v.run(&["show", &case_id, "--json"]);
    let view: Value = serde_json::from_str(by_id.ok("show by case id")).expect("JSON");
    assert_eq!(
        view["case"]["case_number"], number,
        "a case can be shown by its id too"
    );

    let missing = v.run(&["show", "DZ-2099-99999"]);
    missing.fails_with("vault.not_found", "an unknown case number");
    let missing = v.run_en(&["show", "DZ-2099-99999"]);
    let line = missing.fails_with("vault.not_found", "an unknown case number, in English");
    assert!(
        line.contains("DZ-2099-99999"),
        "the message repeats the case number asked for: {line}"
    );
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
        out.contains("已导入：1人，1个个案，14条记录"),
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
        to_file.stderr.contains("明文"),
        "export to a file warns that the file is not encrypted:\n{}",
        to_file.stderr
    );
    let exported_en = v.file("export-en.json");
    let to_file = v.run_en(&["export", exported_en.to_str().expect("UTF-8 path")]);
    to_file.ok("export to a file, in English");
    assert!(
        to_file.stderr.contains("plain text") && !to_file.stderr.contains("明文"),
        "the English warning says the file is not encrypted, in English only:\n{}",
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
    let show = w.run_en(&["show", "DZ-2025-0101"]);
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
        "import.rule",
        &["第2条人员", &uuid(2), "居民身份证号码无效", "校验码"],
        &[
            "persons[1]",
            &uuid(2),
            "Invalid resident ID number",
            "check character",
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
        "import.rule",
        &[
            "第15条记录",
            &uuid(2000),
            "离站日期",
            "入站日期",
            "2026年3月1日",
        ],
        &[
            "records[14]",
            &uuid(2000),
            "discharged",
            "admitted",
            "1 Mar 2026",
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
        "import.rule",
        &["第4条记录", &uuid(2000), "收买家庭", "R-PL-BUYER"],
        &["records[3]", &uuid(2000), "bought", "R-PL-BUYER"],
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
        "import.rule",
        &["第2条记录", &uuid(1001), "十六周岁", "15岁", "R-EMP-16"],
        &["records[1]", &uuid(1001), "aged 16", "is 15", "R-EMP-16"],
        "employment services for a person aged 15 on the service date",
    );
}

#[test]
fn import_refuses_an_unknown_enum_value_naming_its_path() {
    let mut f = valid_file();
    f["persons"][0]["sex"] = json!("robot");
    let allowed = ["female", "male", "unknown"];
    assert_import_refused_codes(
        f.to_string().as_bytes(),
        "import.invalid",
        &allowed,
        &["persons[0].sex", "female, male, unknown"],
        &["persons[0].sex", "female, male, unknown"],
        "an unknown value of an enumeration",
    );
    // The refused value itself is never repeated (it could be anything, a name too).
    let (v, _) = TestVault::init();
    let path = v.write("robot.json", f.to_string());
    let run = v.run_en(&["import", &path]);
    let line = run.fails_with("import.invalid", "an unknown value of an enumeration");
    assert!(
        !line.contains("robot"),
        "the message names the field and the allowed values, not the refused value: {line}"
    );
    // A number where the value belongs is valid JSON: the field is named, not "not JSON".
    let mut f = valid_file();
    f["cases"][0]["institution_kind"] = json!(3);
    assert_import_refused(
        f.to_string().as_bytes(),
        "import.invalid",
        &["cases[0].institution_kind"],
        &["cases[0].institution_kind"],
        "a number where an enumeration value belongs",
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
        &["records[1]", "dna_profile", "基因数据"],
        &["records[1]", "dna_profile", "genetic data"],
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
        &["JSON", "行"],
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
        &["JSON"],
        "a CSV file given as import",
    );
    assert_import_refused(
        b"",
        "import.not_json",
        &["JSON"],
        &["JSON"],
        "an empty import file",
    );
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
        "import.missing_reference",
        &["第15条记录", &uuid(2000), "case_id", &uuid(999)],
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
        "import.format",
        &["format", "guitu"],
        &["format", "guitu"],
        "a file that is not in the guitu format",
    );
    let (v, _) = TestVault::init();
    let missing = v.file("no-such-file.json");
    let missing = missing.to_str().expect("UTF-8 path");
    for (run, says) in [
        (v.run(&["import", missing]), "无法读写文件"),
        (v.run_en(&["import", missing]), "Cannot read or write"),
    ] {
        let line = run.fails_with("file.io", "an import file that does not exist");
        assert!(
            line.contains("no-such-file.json") && line.contains(says),
            "the message names the file and says it cannot be read ({says}): {line}"
        );
    }
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
    for (args, says) in [
        (vec!["init"], "无法写入"),
        (vec!["--lang", "en", "init"], "cannot be written"),
    ] {
        let run = guitu_in(dir, &args, &[]);
        let line = run.fails_with("vault.not_writable", "a vault directory under /sys");
        assert!(
            line.contains("/sys/guitu-x/vault") && line.contains(says),
            "the message names the directory and says it cannot be written ({says}): {line}"
        );
        assert!(
            !run.stdout.contains("恢复码") && !run.stdout.contains("Recovery code"),
            "no recovery code for a vault that was not created:\n{}",
            run.stdout
        );
    }
    assert!(!Path::new("/sys/guitu-x").exists(), "nothing was created");
}

// ----- 8. verify ---------------------------------------------------------------------------

#[test]
fn verify_passes_on_a_new_and_on_a_filled_vault() {
    let (v, _) = TestVault::init_training();
    let run = v.run(&["verify"]);
    let out = run.ok("verify of a new vault");
    assert!(out.contains("校验通过"), "verify says it passed:\n{out}");
    v.run(&["demo", "--cases", "20"]).ok("demo");
    let run = v.run(&["verify"]);
    let out = run.ok("verify after demo data");
    assert!(
        out.contains("校验通过"),
        "verify passes after writes:\n{out}"
    );
    assert!(
        out.contains("审计链") && out.contains("结构版本"),
        "verify reports the audit chain and the schema version:\n{out}"
    );
    let run = v.run_en(&["verify"]);
    let out = run.ok("verify in English");
    assert!(
        out.contains("Verified") && out.contains("Audit chain") && out.contains("Schema version"),
        "verify reports in English when asked:\n{out}"
    );
    assert!(
        !out.chars().any(is_chinese),
        "the English report holds no Chinese:\n{out}"
    );
}

// ----- 9. backup and restore -----------------------------------------------------------------

#[test]
fn backup_restores_into_a_new_vault_and_a_truncated_backup_is_refused() {
    let (v, _) = TestVault::init_training();
    v.run(&["demo", "--cases", "20"]).ok("demo");
    let original = v.export_text();
    let backup = v.file("vault.guitu-backup");
    let backup_s = backup.to_str().expect("UTF-8 path").to_owned();
    let run = v.run(&["backup", &backup_s]);
    assert!(
        run.ok("backup").contains("字节"),
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
    let run = guitu_in(&elsewhere, &["--lang", "en", "restore", &backup_s], &[]);
    assert!(
        run.ok("restore into a new directory")
            .contains("Restored and verified: 20 cases"),
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
    for (i, (name, content)) in [
        ("damaged.guitu-backup", fake),
        (
            "notes.txt",
            "这不是备份文件 / not a backup".as_bytes().to_vec(),
        ),
        ("empty.guitu-backup", Vec::new()),
    ]
    .into_iter()
    .enumerate()
    {
        let path = v.write(name, &content);
        let (run, says) = if i % 2 == 0 {
            (v.run(&["restore", &path]), "备份")
        } else {
            (v.run_en(&["restore", &path]), "backup")
        };
        let line = run.fails_with("vault.bad_backup", name);
        assert!(
            line.contains(says),
            "the message says the file is not a valid backup ({says}): {line}"
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
        run.ok("passwd").contains("密码已更改"),
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
        &["--lang", "en", "passwd"],
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
        &["--lang", "en", "recover"],
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
        (vec!["--lang", "en", "verify"], "GUITU_PASSPHRASE"),
        (vec!["restore", "x.bak"], "GUITU_PASSPHRASE"),
        (vec!["--lang", "en", "recover"], "GUITU_RECOVERY_CODE"),
    ] {
        let run = v.run_env(&args, &[("GUITU_PASSPHRASE", None)]);
        let line = run.fails_with(
            "input.no_terminal",
            "a secret missing with standard input closed",
        );
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
    let line = run.fails_with("input.no_terminal", "init without a new passphrase");
    assert!(
        line.contains("GUITU_NEW_PASSPHRASE"),
        "names the variable: {line}"
    );
    assert!(
        !fresh.dir.exists(),
        "init without a passphrase creates nothing"
    );
    let run = v.run_env(&["passwd"], &[("GUITU_NEW_PASSPHRASE", None)]);
    run.fails_with("input.no_terminal", "passwd without a new passphrase");
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
    let (v, _) = TestVault::init_training();
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
        // R-HANDOFF-BASIS: a hand-off relies on a consent or the basis given here.
        let mut args = vec!["print", &number, "--kind", kind, "-o", &out_s];
        if kind != "full" {
            args.extend(["--basis", "assistance_duty"]);
        }
        let run = v.run(&args);
        let stdout = run.ok("print writes a PDF").to_owned();
        assert!(
            stdout.contains("已打印"),
            "print says where the file went: {stdout}"
        );
        assert_eq!(
            stdout.contains("移交依据："),
            kind != "full",
            "a hand-off says what it relied on, the full file is none: {stdout}"
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
    let bases = [
        "assistance_duty",
        "police_request",
        "emergency",
        "child_protection",
        "legal_aid_application",
    ];
    // The demo's consents never cover the police.
    v.run(&["print", &number, "--kind", "police"])
        .fails_with_codes(
            "handoff.basis_needed",
            &bases,
            "a hand-off without consent or basis is refused",
        );
    let line = v
        .run_en(&["print", &number, "--kind", "police"])
        .fails_with(
            "handoff.basis_needed",
            "a hand-off without consent or basis is refused",
        )
        .to_owned();
    assert!(
        bases.iter().all(|b| line.contains(b)),
        "the refusal lists the bases there are: {line}"
    );
    let mut typo = bases.to_vec();
    typo.push("duty");
    v.run(&["print", &number, "--kind", "police", "--basis", "duty"])
        .fails_with_codes("input.unknown_basis", &typo, "an unknown basis is refused");
    v.run(&["print", &number, "--kind", "press"])
        .fails_with_codes(
            "input.unknown_print_kind",
            // The kinds there are, and the word typed (repeated so it can be corrected).
            &[
                "full",
                "school",
                "hospital",
                "legal-aid",
                "police",
                "civil-affairs",
                "press",
            ],
            "an unknown print kind is refused",
        );
    let line = v
        .run_en(&["print", &number, "--kind", "press"])
        .fails_with(
            "input.unknown_print_kind",
            "an unknown print kind is refused",
        )
        .to_owned();
    assert!(
        line.contains("legal-aid") && line.contains("civil-affairs"),
        "the message lists the kinds there are: {line}"
    );
}

#[test]
fn print_with_a_password_needs_it_to_open() {
    let (v, _) = TestVault::init_training();
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
            "--basis",
            "police_request",
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

// ----- one vocabulary (issue 9): warnings and one language at a time ---------------------------

/// A person whose birth date is an estimate (1990-05-01) and whose resident ID number
/// says 1990-06-15, with an employment service (R-EMP-16 by the estimate) and a note.
fn warnings_file() -> Value {
    let mut p = person(
        &uuid(1),
        "陈静",
        "1990-05-01",
        Some(&resident_id("50011119900615002")),
    );
    p["birth_date"]["estimated"] = json!(true);
    file(
        vec![p],
        vec![case(
            &uuid(101),
            "DZ-2026-0301",
            &uuid(1),
            "assistance_station",
            "2026-09-01",
        )],
        vec![
            record(
                &uuid(1000),
                &uuid(101),
                json!({ "type": "note", "date": "2026-09-02", "text": "情绪稳定" }),
            ),
            record(
                &uuid(1001),
                &uuid(101),
                json!({ "type": "employment", "date": "2026-10-10", "service": "training",
                        "provider": "大足区就业和人才服务局", "wanted": true, "notes": null }),
            ),
        ],
    )
}

/// The line of `text` that names `id`, with its warning.
#[track_caller]
fn line_naming<'a>(text: &'a str, id: &str, why: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(id))
        .unwrap_or_else(|| panic!("{why}: a line must name the item {id}:\n{text}"))
}

#[test]
fn import_lists_every_warning_per_item_and_show_carries_them() {
    // R-EMP-16 (an estimated birth date at an employment service) and R-ID-NUM (the ID
    // number's birth date differs from the recorded one) used to be accepted in silence.
    let f = warnings_file().to_string();
    let (person_id, employment_id) = (uuid(1), uuid(1001));

    let (zh, _) = TestVault::init();
    let path = zh.write("warnings.json", &f);
    let run = zh.run(&["import", &path]);
    let out = run.ok("an import with warnings is accepted");
    assert!(
        out.contains("已导入：1人，1个个案，2条记录") && out.contains("条提醒"),
        "import reports the counts and that there are warnings:\n{out}"
    );
    let line = line_naming(out, &person_id, "the R-ID-NUM warning");
    assert!(
        line.contains("第1条人员")
            && line.contains(
                "身份证号码中的出生日期（1990年6月15日）与登记的出生日期（1990年5月1日）不一致"
            )
            && line.contains("R-ID-NUM"),
        "the person's line says the ID number's birth date differs from the recorded one: {line}"
    );
    let line = line_naming(out, &employment_id, "the R-EMP-16 warning");
    assert!(
        line.contains("第2条记录")
            && line.contains("出生日期为估计值")
            && line.contains("36岁")
            && line.contains("R-EMP-16"),
        "the employment record's line says the age rests on an estimate: {line}"
    );
    let show = zh.run(&["show", "DZ-2026-0301"]);
    let t = show.ok("show the imported case");
    assert!(
        t.contains("身份证号码中的出生日期") && t.contains("出生日期为估计值"),
        "the case view carries both warnings as the case stands:\n{t}"
    );

    let (en, _) = TestVault::init();
    let path = en.write("warnings.json", &f);
    let run = en.run_en(&["import", &path]);
    let out = run.ok("an import with warnings, in English");
    assert!(
        out.contains("Imported: 1 persons, 1 cases, 2 records") && out.contains("warning(s):"),
        "the English import reports the counts and the warnings:\n{out}"
    );
    let line = line_naming(out, &person_id, "the R-ID-NUM warning in English");
    assert!(
        line.contains("persons[0]")
            && line.contains(
                "The ID number's birth date (15 Jun 1990) differs from the recorded birth date (1 May 1990)"
            ),
        "the person's line, in English: {line}"
    );
    let line = line_naming(out, &employment_id, "the R-EMP-16 warning in English");
    assert!(
        line.contains("records[1]")
            && line.contains("The birth date is estimated (age 36 by the estimate)"),
        "the employment record's line, in English: {line}"
    );
    assert!(
        !out.chars().any(is_chinese),
        "the English import report holds no Chinese (the file's names are not in it):\n{out}"
    );

    let (js, _) = TestVault::init();
    let path = js.write("warnings.json", &f);
    let run = js.run(&["import", &path, "--json"]);
    let report: Value = serde_json::from_str(run.ok("import --json"))
        .unwrap_or_else(|e| panic!("import --json must print JSON ({e}):\n{}", run.stdout));
    assert_eq!(
        report["counts"],
        json!({ "persons": 1, "cases": 1, "records": 2 }),
        "import --json has the counts"
    );
    let warnings = array(&report, "warnings");
    let find = |code: &str| -> &Value {
        warnings
            .iter()
            .find(|w| w["warning"]["code"] == code)
            .unwrap_or_else(|| panic!("import --json must carry the warning {code}: {report:#}"))
    };
    let mismatch = find("warn.id_birth_date_mismatch");
    assert_eq!(
        mismatch["at"],
        json!({ "list": "persons", "index": 0, "id": person_id }),
        "the R-ID-NUM warning names the person"
    );
    assert_eq!(
        mismatch["warning"]["params"],
        json!({ "id_birth": "1990-06-15", "recorded": "1990-05-01" }),
        "the warning's typed parameters are the two dates"
    );
    let estimated = find("warn.estimated_birth_date");
    assert_eq!(
        estimated["at"],
        json!({ "list": "records", "index": 1, "id": employment_id }),
        "the R-EMP-16 warning names the employment record"
    );
    assert_eq!(
        estimated["warning"]["params"],
        json!({ "age": 36 }),
        "the age by the estimate on the service date"
    );

    let run = js.run(&["show", "DZ-2026-0301", "--json"]);
    let view: Value = serde_json::from_str(run.ok("show --json"))
        .unwrap_or_else(|e| panic!("show --json must be JSON ({e}):\n{}", run.stdout));
    let warnings = array(&view, "warnings");
    let has = |code: &str, record: Value| {
        warnings
            .iter()
            .any(|w| w["warning"]["code"] == code && w["record_id"] == record)
    };
    assert!(
        has("warn.id_birth_date_mismatch", Value::Null),
        "show --json carries the person's R-ID-NUM warning (no record): {warnings:#?}"
    );
    assert!(
        has("warn.estimated_birth_date", json!(employment_id)),
        "show --json carries the employment record's R-EMP-16 warning with its record id: {warnings:#?}"
    );
}

/// Latin-letter data, so that a Chinese character in English output can only be ours: an
/// adult (estimated birth date, an ID number that disagrees, an employment service) due
/// soon under R-ID-3M, and an unidentified minor past the three-month line with a
/// legal-aid application never accepted.
fn latin_file() -> Value {
    let adult = json!({
        "id": uuid(1), "name": "Mei Lin", "intake_number": "JS-2026-0041",
        "other_names": ["Xiao Mei"], "sex": "female",
        "birth_date": { "date": "1990-05-01", "estimated": true },
        "nationality": null, "ethnicity": "Han", "household_registration": "Sichuan Province",
        "resident_id": resident_id("50011119900615002"), "disability": null,
        "languages": ["Southwest Mandarin"], "guardians": [], "found_place": "Longshui Town"
    });
    let minor = json!({
        "id": uuid(2), "name": null, "intake_number": "JS-2026-0042",
        "other_names": [], "sex": "female",
        "birth_date": { "date": "2012-02-01", "estimated": true },
        "nationality": null, "ethnicity": null, "household_registration": null,
        "resident_id": null, "disability": null, "languages": ["Yi"],
        "guardians": [], "found_place": "Baoding Town"
    });
    let case = |id: u32, number: &str, person: u32, kind: &str, received: &str, minor: bool| {
        json!({
            "id": uuid(id), "case_number": number, "person_id": uuid(person),
            "institution": "Dazu Assistance Station", "institution_kind": kind,
            "received_date": received, "referral": "police_rescue",
            "police_reference": "DZ-PSB-2026-321", "caseworker": "Zhang Min",
            "flags": { "minor": minor, "woman": true, "disabled": false, "foreign": false, "cross_province": false },
            "stage": "identity"
        })
    };
    let rec = |id: u32, case_id: u32, body: Value| {
        json!({
            "id": uuid(id), "case_id": uuid(case_id), "body": body,
            "created_at": "2026-09-02T10:00:00Z", "created_by": "Zhang Min",
            "updated_at": "2026-09-02T10:00:00Z", "updated_by": "Zhang Min"
        })
    };
    file(
        vec![adult, minor],
        vec![
            // Due 2026-12-01: three days from TODAY, inside the shortest lead.
            case(
                101,
                "DZ-2026-0401",
                1,
                "assistance_station",
                "2026-09-01",
                false,
            ),
            // Due 2026-11-20 and passed: the household-registration track runs.
            case(
                102,
                "DZ-2026-0402",
                2,
                "minor_protection_centre",
                "2026-08-20",
                true,
            ),
        ],
        vec![
            rec(
                1000,
                101,
                json!({ "type": "note", "date": "2026-09-02", "text": "Calm on arrival; asked to call her sister." }),
            ),
            rec(
                1001,
                101,
                json!({ "type": "employment", "date": "2026-10-10", "service": "training",
                "provider": "Dazu Employment Bureau", "wanted": true, "notes": "Wants to train as a cook" }),
            ),
            rec(
                1002,
                101,
                json!({ "type": "shelter_stay", "institution": "Dazu Assistance Station",
                "kind": "assistance_station", "admitted": "2026-09-01", "discharged": null,
                "reason": "Police rescue" }),
            ),
            rec(
                2000,
                102,
                json!({ "type": "interview", "date": "2026-08-21", "interviewer": "Officer Wang",
                "agencies_present": ["District Police", "Civil Affairs"], "interpreter": "Yi interpreter",
                "guardian_or_social_worker_present": true, "repeat_reason": null }),
            ),
            rec(
                2001,
                102,
                json!({ "type": "legal_aid", "centre": "Dazu Legal Aid Centre",
                "matter": "Civil claim in the criminal case", "green_channel": true,
                "received": "2026-11-02", "accepted": null, "reviewed": null, "decision": null,
                "refusal_reason": null, "assigned": null, "assignee": null, "handled": null,
                "closed": null }),
            ),
        ],
    )
}

/// Every word of the fixture's text values (names, places, notes …): data, which may
/// appear in any language's output.
fn data_words(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| data_words(x, out)),
        Value::Object(o) => o.values().for_each(|x| data_words(x, out)),
        _ => {}
    }
}

#[test]
fn english_output_holds_no_chinese_and_chinese_output_no_english() {
    let f = latin_file();
    let mut data: Vec<String> = vec!["Zhang Min".into()];
    data_words(&f, &mut data);
    let data: Vec<&str> = data.iter().map(String::as_str).collect();

    // A refused file: an employment service the person does not want (R-EMP-16).
    let mut refused = latin_file();
    refused["records"][1]["body"]["wanted"] = json!(false);

    let mut outputs: BTreeMap<(&str, &str), String> = BTreeMap::new();
    for lang in ["en", "zh"] {
        let v = TestVault::new();
        let init = v.run_env(
            &["--lang", lang, "init"],
            &[("GUITU_USER", Some("Zhang Min"))],
        );
        init.ok("init with a Latin-letter user name");
        let bad = v.write("refused.json", refused.to_string());
        // The user who unlocks is the vault's only user (GUITU_USER names who you are).
        let me = [("GUITU_USER", Some("Zhang Min"))];
        let run = v.run_env(&["--lang", lang, "import", &bad], &me);
        let line = run
            .fails_with("import.rule", "an employment service not wanted")
            .to_owned();
        outputs.insert((lang, "a rule refusal"), line);
        let run = v.run_env(&["--lang", lang, "show", "DZ-2099-0001"], &me);
        let line = run
            .fails_with("vault.not_found", "an unknown case number")
            .to_owned();
        outputs.insert((lang, "a missing case"), line);

        let good = v.write("latin.json", f.to_string());
        let import = v.run_env(&["--lang", lang, "import", &good], &me);
        outputs.insert(
            (lang, "import"),
            import.ok("import of the Latin-letter file").to_owned(),
        );
        for (what, args) in [
            ("show of the adult", vec!["show", "DZ-2026-0401"]),
            (
                "show of the unidentified minor",
                vec!["show", "DZ-2026-0402"],
            ),
            ("due", vec!["due"]),
            ("search by intake number", vec!["search", "JS-2026-0042"]),
            ("search by name", vec!["search", "Mei Lin"]),
        ] {
            let mut all = vec!["--lang", lang];
            all.extend_from_slice(&args);
            let run = v.run_env(&all, &me);
            outputs.insert((lang, what), run.ok(what).to_owned());
            assert!(
                run.stderr.is_empty(),
                "{what}: nothing on standard error:\n{}",
                run.stderr
            );
        }
    }

    // CLI_DEBUG=1 prints every output of this test (to see what a failure refers to).
    if std::env::var("CLI_DEBUG").is_ok() {
        for ((lang, what), text) in &outputs {
            eprintln!("=== {lang} {what}\n{text}");
        }
    }
    for ((lang, what), text) in &outputs {
        for line in text.lines() {
            if *lang == "en" {
                let chinese: String = line.chars().filter(|c| is_chinese(*c)).collect();
                assert!(
                    chinese.is_empty(),
                    "English {what}: no line may hold Chinese (found {chinese:?}; the data are Latin letters): {line}"
                );
            } else {
                let english = english_words(line, &data);
                assert!(
                    english.is_empty(),
                    "Chinese {what}: no English words but codes, case numbers and data (found {english:?}): {line}"
                );
            }
        }
    }
    let en = |what: &'static str| outputs[&("en", what)].as_str();
    let zh = |what: &'static str| outputs[&("zh", what)].as_str();
    // The output is really in each language, not just empty of the other.
    assert!(
        en("import").contains("Imported:") && zh("import").contains("已导入"),
        "import speaks the language asked for:\n{}\n{}",
        en("import"),
        zh("import")
    );
    assert!(
        en("import").contains("R-EMP-16") && en("import").contains("R-ID-NUM"),
        "the English import lists both warnings:\n{}",
        en("import")
    );
    for what in [
        "due",
        "search by intake number",
        "show of the unidentified minor",
    ] {
        assert!(
            en(what).contains("Identity unknown (JS-2026-0042)"),
            "English {what}: the unidentified person shows as 'Identity unknown (intake number)':\n{}",
            en(what)
        );
        assert!(
            zh(what).contains("身份不明（JS-2026-0042）"),
            "Chinese {what}: the unidentified person shows as 身份不明（接收编号）:\n{}",
            zh(what)
        );
    }
    assert!(
        en("due").contains("Due soon: 1") && en("due").contains("1 Dec 2026"),
        "the adult's three-month line (1 Dec 2026) is due soon:\n{}",
        en("due")
    );
    assert!(
        en("search by name").contains("DZ-2026-0401"),
        "the adult is found by name:\n{}",
        en("search by name")
    );
    assert!(
        en("a rule refusal").contains("records[1]") && en("a rule refusal").contains("want"),
        "the English refusal names the record and says the person does not want it: {}",
        en("a rule refusal")
    );
}

#[test]
fn import_is_strict_about_trailing_content_dates_ids_lengths_and_characters() {
    let (v, _) = TestVault::init();
    let good = serde_json::to_string_pretty(&valid_file()).expect("JSON");
    let try_import = |name: &str, content: &str, code: &str, why: &str| -> (String, String) {
        let path = v.write(name, content);
        let zh = v.run(&["import", &path]).fails_with(code, why).to_owned();
        let en = v
            .run_en(&["import", &path])
            .fails_with(code, why)
            .to_owned();
        for p in personal_values() {
            assert!(
                !zh.contains(&p) && !en.contains(&p),
                "{why}: an error message never repeats a personal value ({p}):\n{zh}\n{en}"
            );
        }
        (zh, en)
    };

    // Two files joined: only the first used to be imported.
    let (_, en) = try_import(
        "joined.json",
        &format!("{good}\n{good}"),
        "import.trailing",
        "two files joined",
    );
    assert!(
        en.contains("line"),
        "the message says where the extra content starts: {en}"
    );

    // Lenient dates used to be read as the year 26, or rolled over.
    for bad in ["26-01-05", "2026-1-5", "2026-02-30"] {
        let mut f = valid_file();
        f["persons"][0]["birth_date"]["date"] = json!(bad);
        let (zh, en) = try_import(
            "date.json",
            &f.to_string(),
            "import.invalid",
            &format!("the date {bad:?}"),
        );
        for line in [&zh, &en] {
            assert!(
                line.contains("persons[0].birth_date.date") && line.contains("YYYY-MM-DD"),
                "the message names the field and the form a date takes: {line}"
            );
        }
    }

    // A second spelling of an id.
    let mut f = valid_file();
    f["cases"][0]["id"] = json!(uuid(C1).to_uppercase());
    let (_, en) = try_import(
        "id.json",
        &f.to_string(),
        "import.invalid",
        "an upper-case id",
    );
    assert!(
        en.contains("cases[0].id") && en.contains("canonical"),
        "the message names the id field and asks for the canonical form: {en}"
    );

    // Ten megabytes of name.
    let mut f = valid_file();
    f["persons"][0]["name"] = json!("李娜".repeat(5 * 1024 * 1024 / 3));
    let (zh, en) = try_import("long.json", &f.to_string(), "import.rule", "a 10 MB name");
    assert!(
        zh.contains("姓名") && zh.contains("50") && en.contains("name") && en.contains("50"),
        "the message names the field and its limit:\n{zh}\n{en}"
    );

    // A right-to-left override in an ID number, a NUL in a name.
    for (field, value) in [
        ("resident_id", "5001111998\u{202e}04020021".to_owned()),
        ("name", "李\u{0}娜".to_owned()),
    ] {
        let mut f = valid_file();
        f["persons"][0][field] = json!(value);
        let (zh, en) = try_import(
            "chars.json",
            &f.to_string(),
            "import.rule",
            &format!("a control character in {field}"),
        );
        assert!(
            zh.contains("控制") && en.contains("control"),
            "the message says the field holds control or direction characters:\n{zh}\n{en}"
        );
    }
    let after = v.export();
    assert!(
        array(&after, "persons").is_empty() && array(&after, "cases").is_empty(),
        "every refused file left the vault empty: {after:#}"
    );
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
    guitu_in(&v.dir, &["init", "--training-vault"], &open).ok("init under umask 000");
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
    let (v, _) = TestVault::init_training();
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
    let (v, _) = TestVault::init_training();
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

/// Issue 10 through the real binary: users with their own passphrases and roles, a
/// caseworker's closure request decided by a supervisor, the audit trail by case, and a
/// removed user whose passphrase opens nothing any more.
#[test]
fn a_team_requests_and_approves_a_closure_and_a_removed_user_is_locked_out() {
    let v = TestVault::new();
    v.run(&["init", "--training-vault"]).ok("init");
    let cw = [("GUITU_USER", Some("王芳"))];
    let boss = [("GUITU_USER", Some("刘主任"))];
    v.run_env(&["user", "add", "王芳", "--role", "caseworker"], &[])
        .ok("the administrator adds a caseworker");
    v.run_env(&["user", "add", "刘主任", "--role", "supervisor"], &[])
        .ok("and a supervisor");
    v.run(&["user", "add", "某人", "--role", "wizard"])
        .fails_with_codes(
            "input.unknown_role",
            &[
                "wizard",
                "administrator",
                "supervisor",
                "caseworker",
                "shelter_staff",
                "auditor",
            ],
            "a role that is not a role: the roles as typed on the command line",
        );
    let list = v.run(&["user", "list"]);
    let out = list.ok("list users");
    assert!(
        out.contains("王芳") && out.contains("个案工作者"),
        "the list shows names and roles:\n{out}"
    );
    v.run(&["demo", "--cases", "1"]).ok("a case");
    let export = v.run(&["export"]);
    let file: Value = serde_json::from_str(export.ok("export")).expect("json");
    let number = file["cases"][0]["case_number"]
        .as_str()
        .expect("case number")
        .to_owned();
    v.run_env(&["show", &number], &cw)
        .fails_with("permission.denied", "not her case yet");
    v.run(&["assign", &number, "--to", "王芳"])
        .ok("the supervisor-administrator assigns the case to her");
    v.run_env(&["show", &number], &cw).ok("now it is hers");
    v.run_env(
        &[
            "approval",
            "request",
            &number,
            "--subject",
            "closure",
            "--note",
            "已返回家庭",
        ],
        &cw,
    )
    .ok("she requests closure");
    let pending = v.run_env(&["approval", "list", "--json"], &boss);
    let desk: Value = serde_json::from_str(pending.ok("the supervisor's desk")).expect("json");
    let id = desk["to_decide"][0]["id"]
        .as_str()
        .expect("a request")
        .to_owned();
    v.run_env(
        &["approval", "decide", &id, "--approve", "--reason", "同意"],
        &cw,
    )
    .fails_with("permission.denied", "a caseworker does not decide");
    v.run_env(
        &["approval", "decide", &id, "--approve", "--reason", "同意"],
        &boss,
    )
    .ok("the supervisor approves");
    let shown = v.run_env(&["show", &number, "--json"], &cw);
    let view: Value = serde_json::from_str(shown.ok("show")).expect("json");
    assert_eq!(view["case"]["stage"], "closed", "approved: closed");
    let audit = v.run(&["audit", "--case", &number]);
    let out = audit.ok("the audit trail of the case");
    assert!(
        out.contains("approval_requested")
            && out.contains("approval_decided")
            && out.contains("刘主任"),
        "who requested and who decided:\n{out}"
    );
    v.run_env(&["audit"], &cw).fails_with(
        "permission.denied",
        "caseworkers do not read the audit trail",
    );
    let pdf = v.tmp.path().join("audit.pdf");
    let pdf_path = pdf.to_str().expect("utf-8 path");
    v.run(&["audit", "--case", &number, "-o", pdf_path])
        .ok("the audit trail of the case, printed");
    let text = std::process::Command::new("pdftotext")
        .args(["-raw", pdf_path, "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("审计记录") && text.contains("approval_decided") && text.contains(&number),
        "the printed trail names the case by number and the decision:\n{text}"
    );
    v.run(&["user", "remove", "王芳"])
        .ok("the administrator removes her");
    v.run_env(&["show", &number], &cw)
        .fails_with("user.unknown", "her passphrase opens nothing any more");
    v.run_env(&["show", &number], &boss).ok("the others go on");
}

/// R-DUP at the command line: an import whose person may already be in the vault is
/// refused with the pair listed and nothing written; decided, it links the case; the
/// vault's pairs are listed best first; a merge is undone.
#[test]
fn duplicates_are_decided_at_import_listed_merged_and_unmerged() {
    let v = TestVault::new();
    v.run(&["init"]).ok("init");
    let stored = person(
        &uuid(1),
        "李娜",
        "1990-05-06",
        Some(&resident_id("51010419900506002")),
    );
    let first = file(
        vec![stored],
        vec![case(
            &uuid(2),
            "DZ-2025-0001",
            &uuid(1),
            "assistance_station",
            "2025-11-30",
        )],
        vec![],
    );
    let path = v.write("first.json", first.to_string());
    v.run(&["import", &path]).ok("the first file");

    // The same woman from another office, with her old 15-digit number and 丽娜.
    let mut again = person(&uuid(11), "李丽娜", "1990-05-06", Some("510104900506002"));
    again["other_names"] = json!([]);
    let second = file(
        vec![again],
        vec![case(
            &uuid(12),
            "DZ-2026-0007",
            &uuid(11),
            "assistance_station",
            "2026-10-02",
        )],
        vec![],
    );
    let path = v.write("second.json", second.to_string());
    let before = v.snapshot();
    let refused = v.run(&["import", &path]);
    refused.fails_with(
        "import.undecided_duplicates",
        "a possible duplicate needs a decision",
    );
    assert!(
        refused.stderr.contains(&uuid(11)) && refused.stderr.contains(&uuid(1)),
        "the pair is listed by its ids:\n{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("身份证号相同") && refused.stderr.contains("--same"),
        "with its reasons and how to decide:\n{}",
        refused.stderr
    );
    assert_eq!(
        describe(&before),
        describe(&v.snapshot()),
        "a refused import changes no byte of the vault"
    );
    v.run(&[
        "import",
        &path,
        "--same",
        &format!("{}=DZ-2099-9999", uuid(11)),
    ])
    .fails_with("vault.not_found", "the vault's person must exist");
    v.run(&["import", &path, "--same", "12345"])
        .fails_with("input.bad_person_pair", "a pair is FILE=VAULT");
    let out = v
        .run(&[
            "import",
            &path,
            "--same",
            &format!("{}=DZ-2025-0001", uuid(11)),
        ])
        .ok("decided: the same person (named by her case number)")
        .to_owned();
    assert!(out.contains("已导入"), "{out}");
    let export = v.export();
    assert_eq!(
        array(&export, "persons").len(),
        1,
        "one person with two cases: {export}"
    );
    assert!(
        array(&export, "cases")
            .iter()
            .all(|c| str_of(c, "person_id") == uuid(1)),
        "both cases are 李娜's"
    );
    let names = &array(&export, "persons")[0]["other_names"];
    assert!(
        names
            .as_array()
            .is_some_and(|n| n.contains(&json!("李丽娜"))),
        "the file's name is kept as another name: {names}"
    );

    // Two persons typed twice inside the vault: listed, merged, unmerged.
    let mut a = person(&uuid(21), "王晓红", "2008-03-03", None);
    a["other_names"] = json!([]);
    let mut b = person(&uuid(22), "王小红", "2008-03-03", None);
    b["other_names"] = json!([]);
    let third = file(
        vec![a, b],
        vec![
            case(
                &uuid(23),
                "DZ-2026-0020",
                &uuid(21),
                "assistance_station",
                "2026-01-05",
            ),
            case(
                &uuid(24),
                "DZ-2026-0021",
                &uuid(22),
                "assistance_station",
                "2026-06-05",
            ),
        ],
        vec![],
    );
    let path = v.write("third.json", third.to_string());
    v.run(&["import", &path])
        .ok("no one of the vault looks like them");
    let listed = v.run(&["duplicates"]);
    let out = listed.ok("the vault's pairs");
    assert!(
        out.contains("王晓红") && out.contains("王小红") && out.contains("姓名拼音相同"),
        "王晓红 / 王小红 are listed with their reason:\n{out}"
    );
    let json_out = v.run(&["duplicates", "--json"]);
    let scan: Value = serde_json::from_str(json_out.ok("as JSON")).expect("json");
    assert_eq!(array(&scan, "pairs").len(), 1, "one pair: {scan}");
    v.run(&["user", "add", "王芳", "--role", "caseworker"])
        .ok("a caseworker");
    v.run_env(&["duplicates"], &[("GUITU_USER", Some("王芳"))])
        .fails_with(
            "permission.denied",
            "the vault's pairs are a supervisor's list",
        );
    v.run(&["duplicates", "merge", "DZ-2026-0020", "DZ-2026-0021"])
        .ok("merged: 王小红's case joins 王晓红");
    let export = v.export();
    let persons = array(&export, "persons");
    assert_eq!(persons.len(), 2, "李娜 and 王晓红: {export}");
    assert!(
        array(&export, "cases")
            .iter()
            .filter(|c| str_of(c, "person_id") == uuid(21))
            .count()
            == 2,
        "both cases are 王晓红's"
    );
    let merges: Value = serde_json::from_str(
        v.run(&["duplicates", "merges", "--json"])
            .ok("the merges")
            .trim(),
    )
    .expect("json");
    let id = str_of(&merges.as_array().expect("a list of merges")[0], "id").to_owned();
    v.run(&["duplicates", "undo", &id])
        .ok("the merge is undone");
    assert_eq!(
        array(&v.export(), "persons").len(),
        3,
        "王小红 is a person of her own again"
    );
    v.run(&["duplicates", "undo", &id])
        .fails_with("vault.merge_undone", "undone once");
    v.run(&["duplicates", "not-same", "DZ-2026-0020", "DZ-2026-0021"])
        .ok("told apart");
    let scan: Value =
        serde_json::from_str(v.run(&["duplicates", "--json"]).ok("again")).expect("json");
    assert!(
        array(&scan, "pairs").is_empty(),
        "a pair told apart is not listed again: {scan}"
    );
}

// ----- ledgers (台账, issue 13) -------------------------------------------------------------

#[test]
fn a_ledger_exported_by_guitu_previews_and_imports_into_an_empty_vault() {
    let (v, _) = TestVault::init();
    let file = v.write("valid.json", valid_file().to_string());
    v.run(&["import", &file]).ok("a valid file imports");
    let before = v.export();
    let ledger = v.file("台账.xlsx");
    let ledger_s = ledger.to_str().unwrap();
    let out = v
        .run(&["ledger", "export", "-o", ledger_s])
        .ok("the ledger exports")
        .to_owned();
    assert!(out.contains("台账已写入"), "{out}");
    #[cfg(unix)]
    assert_eq!(
        mode(&ledger),
        0o600,
        "a ledger is private like every export"
    );
    v.run(&[
        "ledger",
        "export",
        "--year",
        "2026",
        "-o",
        v.file("2026.xlsx").to_str().unwrap(),
    ])
    .ok("a year's ledger exports");

    let (w, _) = TestVault::init();
    let preview = w
        .run(&["ledger", "import", ledger_s, "--preview"])
        .ok("preview")
        .to_owned();
    assert!(
        preview.contains("表头在第3行"),
        "the header below the title rows: {preview}"
    );
    assert!(
        !preview.contains("（不导入）"),
        "Guitu's own ledger maps every column: {preview}"
    );
    assert_eq!(
        array(&w.export(), "cases").len(),
        0,
        "a preview writes nothing"
    );
    let out = w
        .run(&["ledger", "import", ledger_s])
        .ok("the ledger imports")
        .to_owned();
    assert!(out.contains("已导入"), "{out}");
    assert_eq!(
        array(&w.export(), "cases").len(),
        array(&before, "cases").len(),
        "every case of the ledger is imported"
    );
    w.run(&["ledger", "import", ledger_s])
        .fails_with("ledger.already_imported", "the same ledger twice");
    let case_number = str_of(&array(&w.export(), "cases")[0], "case_number").to_owned();
    let shown = w
        .run(&["show", &case_number])
        .ok("an imported case shows")
        .to_owned();
    assert!(
        shown.contains("台账.xlsx 第") && shown.contains("行）"),
        "the case's history names its ledger row: {shown}"
    );
}

#[test]
fn a_bad_ledger_row_is_named_by_sheet_row_and_column_and_nothing_is_written() {
    let (v, _) = TestVault::init();
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    s.set_name("登记").unwrap();
    for (r, row) in [
        ["姓名", "性别", "接收机构", "解救日期"],
        ["李娜", "女", "大足区救助管理站", "2025-03-05"],
        ["王红", "女", "大足区救助管理站", "2026-02-30"],
    ]
    .iter()
    .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            s.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    let bad = v.file("bad.xlsx");
    std::fs::write(&bad, book.save_to_buffer().unwrap()).unwrap();
    let bad = bad.to_str().unwrap();
    let run = v.run(&["ledger", "import", bad]);
    let line = run.fails_with("ledger.impossible_date", "a date that does not exist");
    assert!(
        line.contains("登记") && line.contains("第3行") && line.contains("解救日期"),
        "{line}"
    );
    let en = v.run_en(&["ledger", "import", bad]);
    let line = en.fails_with("ledger.impossible_date", "in English too");
    assert!(line.contains("row 3"), "{line}");
    assert_eq!(array(&v.export(), "cases").len(), 0, "nothing was written");
    let preview = v
        .run(&["ledger", "import", bad, "--preview"])
        .ok("a preview shows the problem")
        .to_owned();
    assert!(preview.contains("1行有问题"), "{preview}");
}

#[test]
fn the_annual_report_prints_tables_and_writes_private_files() {
    let (v, _) = TestVault::init_training();
    v.run(&["demo", "--cases", "60"]).ok("demo data");
    let text = v.run(&["report", "annual", "--year", "2026"]);
    let out = text.ok("the annual report as tables");
    assert!(
        out.contains("2026年度 被拐卖受害人救助帮扶工作情况统计"),
        "the title: {out}"
    );
    assert!(out.contains("统计截至2026年11月28日"), "as of today: {out}");
    for label in [
        "受助人员合计",
        "6岁及以下",
        "返回家庭",
        "按时完成率",
        "由发现地镇街安置",
    ] {
        assert!(out.contains(label), "{label} is a row or column: {out}");
    }
    assert!(out.contains("<5"), "60 demo cases have small cells: {out}");
    let en = v.run_en(&["report", "annual", "--year", "2026"]);
    let en_out = en.ok("in English");
    assert!(en_out.contains("persons assisted, total"), "{en_out}");

    let json = v.run(&["report", "annual", "--year", "2026", "--json"]);
    let value: Value = serde_json::from_str(json.ok("as JSON")).expect("JSON");
    assert_eq!(value["year"], 2026);
    assert!(
        json.stdout.contains("\"lt5\""),
        "small counts travel as lt5, never as their number"
    );

    let pdf = v.file("年度统计.pdf");
    let xlsx = v.file("年度统计.xlsx");
    let written = v.run(&[
        "report",
        "annual",
        "--year",
        "2026",
        "-o",
        pdf.to_str().expect("path"),
        "--xlsx",
        xlsx.to_str().expect("path"),
    ]);
    let said = written.ok("both files");
    assert!(said.contains("已生成"), "{said}");
    assert_eq!(mode(&pdf), 0o600, "the PDF is private");
    assert_eq!(mode(&xlsx), 0o600, "the spreadsheet is private");
    assert!(
        std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"),
        "a PDF"
    );
    assert!(
        std::fs::read(&xlsx).expect("xlsx").starts_with(b"PK"),
        "an xlsx (zip)"
    );

    let bad = v.run(&["report", "annual", "--year", "1850"]);
    assert_eq!(bad.error_code(), Some("input.bad_year"), "{}", bad.stderr);

    let december = v.run_env(&["due"], &[("GUITU_TODAY", Some("2026-12-05"))]);
    assert!(
        december
            .ok("due in December")
            .contains("2026年度统计报告应于2026年12月15日前报送，还有10天"),
        "the reminder from 1 December: {}",
        december.stdout
    );
    let november = v.run(&["due"]);
    assert!(
        !november.ok("due in November").contains("年度统计报告"),
        "no reminder in November"
    );
}

/// Issue 12 (R-DATE) through the real binary: a record voided with a reason leaves the
/// case's records and stays in its history, a whole case voided leaves `search` and is
/// listed by `guitu void list`; both come back with `guitu void restore`.
#[test]
fn void_and_restore_from_the_command_line() {
    let v = TestVault::new();
    v.run(&["init", "--training-vault"]).ok("init");
    v.run(&["demo", "--cases", "1"]).ok("a case");
    let export = v.run(&["export"]);
    let file: Value = serde_json::from_str(export.ok("export")).expect("json");
    let number = file["cases"][0]["case_number"]
        .as_str()
        .expect("case number")
        .to_owned();
    let show = v.run(&["show", &number, "--json"]);
    let view: Value = serde_json::from_str(show.ok("show")).expect("json");
    let records = array(&view, "records");
    let first = str_of(&records[0], "id").to_owned();
    v.run(&["void", "record", &first, "--reason", " "])
        .fails_with("rule.required", "a reason is required");
    v.run(&["void", "record", &first, "--reason", "误登记"])
        .ok("the record is voided");
    let show = v.run(&["show", &number, "--json"]);
    let after: Value = serde_json::from_str(show.ok("show")).expect("json");
    assert_eq!(
        array(&after, "records").len(),
        records.len() - 1,
        "the voided record leaves the records"
    );
    let voided = array(&after, "voided_records");
    assert_eq!(voided.len(), 1, "and is kept as voided");
    assert_eq!(voided[0]["void"]["reason"], "误登记");
    assert!(
        array(&after, "history")
            .iter()
            .any(|h| h["action"] == "void"),
        "voiding is in the history"
    );
    let text = v.run(&["show", &number]);
    let text = text.ok("show (text)");
    assert!(
        text.contains("已作废的记录") && text.contains("误登记"),
        "the text view lists the voided record with its reason:\n{text}"
    );
    v.run(&["void", "record", &first, "--reason", "再次"])
        .fails_with("vault.voided", "voided once is enough");
    v.run(&["void", "restore", "record", &first])
        .ok("a supervisor restores it");

    v.run(&["void", "case", &number, "--reason", "重复录入"])
        .ok("the case is voided");
    let search = v.run(&["search", &number]);
    assert!(
        !search.ok("search").contains(&number),
        "search leaves a voided case out:\n{}",
        search.stdout
    );
    let list = v.run(&["void", "list"]);
    let out = list.ok("void list");
    assert!(
        out.contains(&number) && out.contains("重复录入"),
        "the voided cases are listed with their reason:\n{out}"
    );
    v.run(&["void", "restore", "case", &number]).ok("restored");
    let search = v.run(&["search", &number]);
    assert!(search.ok("search").contains(&number), "found again");
}

#[test]
fn demo_data_never_goes_into_a_real_vault_and_training_takes_it_beside_it() {
    let (v, _) = TestVault::init();
    let before = v.snapshot();
    v.run(&["demo", "--cases", "3"])
        .fails_with("demo.real_vault", "demo data into a real vault");
    v.run_en(&["demo", "--cases", "3"])
        .fails_with("demo.real_vault", "the same in English");
    assert_eq!(
        v.snapshot(),
        before,
        "a refused demo leaves the real vault byte for byte as it was"
    );

    let out = v.run(&["--training", "demo", "--cases", "4"]);
    out.ok("--training puts demo data into the training vault beside the vault");
    let training_dir = v.dir.with_file_name("vault-training");
    assert!(
        training_dir.join("vault.json").is_file(),
        "the training vault is the folder beside the vault: {}",
        training_dir.display()
    );
    let training = v.run(&["--training", "export"]);
    training.ok("the training vault opens with the vault's own passphrase");
    let exported: Value = serde_json::from_str(&training.stdout).expect("JSON");
    assert_eq!(
        exported["cases"].as_array().map(Vec::len),
        Some(4),
        "the demo cases are in the training vault"
    );
    assert_eq!(
        v.export()["cases"].as_array().map(Vec::len),
        Some(0),
        "and none in the real vault"
    );
    v.run(&["--training", "demo", "--cases", "2"])
        .ok("a second run adds to the same training vault");
    let training: Value =
        serde_json::from_str(v.run(&["--training", "export"]).ok("export")).expect("JSON");
    assert_eq!(training["cases"].as_array().map(Vec::len), Some(6));
}

// ----- hand-off between devices (issue 11) --------------------------------------------------

/// `guitu device card`, `peer add` (refused until the fingerprint is confirmed), `bundle
/// create` (refused without a basis when no consent is recorded), `bundle open` (the case
/// arrives whole; opening again is a no-op; another device cannot open it).
#[test]
fn a_case_travels_to_a_peer_in_a_bundle_on_a_stated_basis() {
    let (office, _) = TestVault::init();
    let (shelter, _) = TestVault::init();
    let (stranger, _) = TestVault::init();
    let path = office.write("case.json", valid_file().to_string());
    office.run(&["import", &path]).ok("the office's case");

    // Cards both ways; the fingerprint is compared before a peer is added.
    let office_card = office.file("office.guitu-card");
    let shelter_card = shelter.file("shelter.guitu-card");
    office
        .run(&["device", "rename", "区救助站"])
        .ok("name the office's device");
    let out = office.run(&["device", "card", "-o", office_card.to_str().unwrap()]);
    let fp_office = out.ok("office card").split("指纹：").nth(1).unwrap()[..24].to_owned();
    shelter
        .run(&["device", "card", "-o", shelter_card.to_str().unwrap()])
        .ok("shelter card");
    let shown = shelter.run(&["peer", "add", office_card.to_str().unwrap()]);
    assert!(
        shown.stdout.contains(&fp_office),
        "without --fingerprint the card's fingerprint is shown to compare: {}",
        shown.stdout
    );
    shown.fails_with(
        "peer.fingerprint_mismatch",
        "nothing is added before the fingerprint is confirmed",
    );
    shelter
        .run(&[
            "peer",
            "add",
            office_card.to_str().unwrap(),
            "--fingerprint",
            "0000 0000 0000 0000 0000",
        ])
        .fails_with(
            "peer.fingerprint_mismatch",
            "a wrong fingerprint adds nothing",
        );
    shelter
        .run(&[
            "peer",
            "add",
            office_card.to_str().unwrap(),
            "--fingerprint",
            &fp_office,
        ])
        .ok("the shelter adds the office");
    let fp_shelter = shelter
        .run(&["device"])
        .ok("device")
        .split("  ")
        .nth(1)
        .unwrap()
        .to_owned();
    office
        .run(&[
            "peer",
            "add",
            shelter_card.to_str().unwrap(),
            "--kind",
            "assistance_institution",
            "--fingerprint",
            &fp_shelter,
        ])
        .ok("the office adds the shelter");
    let peers = office.run(&["peer", "list"]);
    assert!(peers.ok("peers").contains(&fp_shelter), "{}", peers.stdout);

    // No consent is recorded for a shelter: a legal basis must be named.
    let bundle = office.file("to-shelter.guitu");
    let b = bundle.to_str().unwrap();
    let shelter_name = peers
        .stdout
        .lines()
        .next()
        .unwrap()
        .split("  ")
        .next()
        .unwrap()
        .to_owned();
    office
        .run(&[
            "bundle",
            "create",
            "--to",
            &shelter_name,
            "--cases",
            "DZ-2025-0101",
            "-o",
            b,
        ])
        .fails_with_codes(
            "handoff.basis_needed",
            &[
                "assistance_duty",
                "police_request",
                "emergency",
                "child_protection",
                "legal_aid_application",
            ],
            "no consent and no legal basis: nothing is sent (the bases are named as typed)",
        );
    assert!(!bundle.exists(), "a refused hand-off writes no file");
    office
        .run(&[
            "bundle",
            "create",
            "--to",
            &shelter_name,
            "--cases",
            "DZ-2025-0101",
            "--basis",
            "assistance_duty",
            "-o",
            b,
        ])
        .ok("sent on the statutory assistance duty");
    let bytes = std::fs::read(&bundle).unwrap();
    assert!(
        !String::from_utf8_lossy(&bytes).contains("李娜")
            && !String::from_utf8_lossy(&bytes).contains("DZ-2025"),
        "the bundle on disk is encrypted: no name, no case number"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&bundle).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a bundle is private to its user");
    }

    // Another device cannot open it; the shelter can, once.
    stranger
        .run(&["bundle", "open", b])
        .fails_with("bundle.refused", "a bundle for another device is refused");
    let opened = shelter.run(&["bundle", "open", b]);
    let text = opened.ok("the shelter opens the bundle");
    assert!(
        text.contains("区救助站") && text.contains("DZ-2025-0101"),
        "{text}"
    );
    assert!(
        text.contains("依法履行救助管理职责"),
        "the basis shows in the report: {text}"
    );
    let show = shelter.run(&["show", "DZ-2025-0101"]);
    assert!(
        show.ok("the case is at the shelter").contains("李娜"),
        "{}",
        show.stdout
    );
    let again = shelter.run(&["bundle", "open", b]);
    assert!(
        again.ok("replay").contains("已接收过"),
        "a replay is a no-op: {}",
        again.stdout
    );
    let audit = office.run(&["audit", "--json"]);
    assert!(
        audit.ok("audit").contains("bundle_created"),
        "the bundle is an audit entry"
    );
    assert!(
        !audit.stdout.contains("李娜"),
        "the audit entry carries no content"
    );
    let audit = shelter.run(&["audit", "--json"]);
    assert!(
        audit.ok("audit").contains("bundle_opened"),
        "opening is an audit entry"
    );
    shelter.run(&["conflicts"]).ok("no conflicts");
}
