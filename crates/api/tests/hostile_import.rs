//! A generated hostile-import corpus (issue 8, item 6): well over a thousand files made
//! from valid ones by deterministic mutations, each of which must be refused.
//!
//! For every file: the import is refused with a stable code (never a panic), the code is
//! the one expected for the mutation, nothing was written (case count and audit chain
//! unchanged), and neither the rendered message (Chinese and English), nor the wire form
//! the desktop receives, nor the error's `Display` echoes a personal value. Every personal
//! value of the fixtures carries a marker (`Qz…`, the rare character 蔺, the digits of the
//! ID numbers) so an echo is found wherever it ends up.
//!
//! Runs through the library on a temporary vault (not through the CLI binary) to stay
//! fast. `GUITU_HOSTILE_SEED=<n>` runs another corpus.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use guitu_api::{ApiError, KdfParams, Problem, Secret, Session};
use guitu_domain::DomainError;
use guitu_text::{ImportProblem, Lang};
use serde_json::{Value, json};

// ----- deterministic randomness ---------------------------------------------------------

/// xorshift64*: enough for picking mutations; no dependency, never changes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ----- the fixtures ------------------------------------------------------------------------

/// Every personal value in the fixtures contains this (case-insensitively).
const MARK: &str = "qz";
/// A rare character in the Chinese personal values.
const MARK_HAN: &str = "蔺";

/// A valid resident ID number (R-ID-NUM) from its first 17 digits.
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

/// The first 17 digits of the ID numbers of the two fixtures. Their first 12 digits never
/// occur in a message by chance (ids and line numbers look nothing like them).
const ID_DIGITS: [&str; 2] = ["51162319880312004", "51162319790705002"];

fn id_marker(fixture: usize) -> &'static str {
    &ID_DIGITS[fixture][..12]
}

/// A UUID (version 7 layout) numbered `n`; the `b` and `a` make upper-casing visible.
fn uuid(n: u32) -> String {
    format!("0194b1a0-0000-7000-8000-{n:012}")
}

/// A valid file: an adult woman with a resident ID number and a record of every kind, and
/// an unidentified minor (intake number, estimated birth date, a guardian) with three
/// records. `n` (0 or 1) keeps the ids and case numbers of the two fixtures apart.
fn fixture(n: u32) -> Value {
    let base = n * 100_000;
    let id = |k: u32| uuid(base + k);
    let (p1, p2, c1, c2) = (id(1), id(2), id(101), id(102));
    let year = 2025 - n;
    let persons = vec![
        json!({
            "id": p1,
            "name": format!("Qz蔺娜{n}"),
            "intake_number": format!("QZ-JS-{year}-117"),
            "other_names": ["Qz小娜", "Qz Nana"],
            "sex": "female",
            "birth_date": { "date": "1988-03-12", "estimated": false },
            "nationality": "Qz中国",
            "ethnicity": "Qz汉族",
            "household_registration": "Qz四川省蔺家村",
            "resident_id": resident_id(ID_DIGITS[n as usize]),
            "disability": { "kind": "intellectual", "grade": 2, "certificate_no": "Qz51162319880312" },
            "languages": ["Qz西南官话"],
            "guardians": [],
            "found_place": "Qz龙水镇"
        }),
        json!({
            "id": p2,
            "name": null,
            "intake_number": format!("QZ-JS-{year}-118"),
            "other_names": [],
            "sex": "female",
            "birth_date": { "date": "2014-06-01", "estimated": true },
            "nationality": null,
            "ethnicity": null,
            "household_registration": null,
            "resident_id": null,
            "disability": null,
            "languages": ["Qz彝语"],
            "guardians": [{ "name": "Qz蔺秀英", "relation": "Qz姨妈", "contact": "Qz13800000000" }],
            "found_place": "Qz宝顶镇"
        }),
    ];
    let case = |cid: &str, number: String, pid: &str, kind: &str, received: &str, minor: bool| {
        json!({
            "id": cid,
            "case_number": number,
            "person_id": pid,
            "institution": "Qz大足区救助管理站",
            "institution_kind": kind,
            "received_date": received,
            "referral": "police_rescue",
            "police_reference": "Qz大公（刑）立字〔2025〕321号",
            "caseworker": "Qz张敏",
            "flags": { "minor": minor, "woman": true, "disabled": false, "foreign": false, "cross_province": true },
            "stage": "follow_up"
        })
    };
    let cases = vec![
        case(
            &c1,
            format!("DZ-{year}-{:04}", 101),
            &p1,
            "assistance_station",
            "2025-11-30",
            false,
        ),
        case(
            &c2,
            format!("DZ-{year}-{:04}", 102),
            &p2,
            "minor_protection_centre",
            "2025-12-01",
            true,
        ),
    ];
    let adult = [
        json!({ "type": "shelter_stay", "institution": "Qz大足区救助管理站", "kind": "assistance_station",
                "admitted": "2025-11-30", "discharged": "2026-02-10", "reason": "Qz公安解救后送站救助" }),
        json!({ "type": "identity_attempt", "date": "2025-12-02", "method": "police_blood_sample",
                "outcome": "pending", "verified_date": null, "police_reference": "QzDZGA-CX-2025-00042",
                "notes": "Qz公安机关采血入库比对" }),
        json!({ "type": "track_step", "step": "household_registration", "date": "2026-03-10",
                "by": "Qz张敏", "notes": "Qz已协调派出所" }),
        json!({ "type": "track_closure", "date": "2026-06-01", "reason": "Qz公安比对查明身份",
                "by": "Qz张敏" }),
        json!({ "type": "placement", "kind": "town_placement", "start": "2026-04-01", "end": null,
                "place": "Qz龙水镇", "carer": "institution", "decided_by": "Qz张敏",
                "supervisor_approval": { "by": "Qz赵科长", "date": "2026-03-30" },
                "district_approval": { "by": "Qz大足区人民政府", "date": "2026-03-31" },
                "notes": "Qz镇街专人对接" }),
        json!({ "type": "rehabilitation", "service": "psychological_counselling",
                "provider": "Qz大足区社会工作服务中心", "start": "2025-12-05", "end": "2025-12-19",
                "outcome": "Qz情况好转", "disability_grade": null, "certificate_no": null }),
        json!({ "type": "schooling", "date": "2026-03-01", "status": "enrolled", "school": "Qz大足区职业教育中心",
                "elsewhere": false, "psych_education": true, "notes": null }),
        json!({ "type": "family_return", "date": "2026-06-15", "kind": "family", "place": "Qz四川省蔺家村",
                "privacy_measures": "Qz不公开被拐经历", "notes": null }),
        json!({ "type": "employment", "date": "2026-05-01", "service": "training",
                "provider": "Qz大足区就业和人才服务局", "wanted": true, "notes": "Qz本人希望学习烹饪" }),
        json!({ "type": "legal_aid", "centre": "Qz大足区法律援助中心", "matter": "Qz刑事附带民事诉讼代理",
                "green_channel": true, "received": "2025-12-10", "accepted": "2025-12-10",
                "reviewed": "2025-12-12", "decision": "granted", "refusal_reason": null,
                "assigned": "2025-12-15", "assignee": "Qz重庆某律师事务所",
                "handled": "2026-02-01", "closed": "2026-03-01" }),
        json!({ "type": "follow_up", "date": "2026-09-01", "visitor": "Qz张敏",
                "living_situation": "Qz生活基本稳定", "needs": ["employment", "health"],
                "actions": "Qz已协调镇街落实帮扶措施" }),
        json!({ "type": "interview", "date": "2025-11-30", "interviewer": "Qz区公安分局民警",
                "agencies_present": ["Qz区公安分局", "Qz区民政局"], "interpreter": null,
                "guardian_or_social_worker_present": true, "repeat_reason": null }),
        json!({ "type": "mandatory_report", "date": "2025-11-30", "reported_to": "Qz大足区公安分局",
                "reference": "QzQZBG-2025-0007", "summary": "Qz发现疑似遭受侵害，依法报告" }),
        json!({ "type": "note", "date": "2025-12-01", "text": "Qz入站时情绪紧张，蔺姓亲属来电。" }),
    ];
    let minor = [
        json!({ "type": "interview", "date": "2025-12-01", "interviewer": "Qz区公安分局民警",
                "agencies_present": ["Qz区公安分局"], "interpreter": "Qz彝语翻译",
                "guardian_or_social_worker_present": true, "repeat_reason": null }),
        json!({ "type": "schooling", "date": "2026-03-01", "status": "enrolled", "school": "Qz龙水镇小学",
                "elsewhere": false, "psych_education": true, "notes": "Qz插班五年级" }),
        json!({ "type": "note", "date": "2025-12-03", "text": "Qz能说出村名蔺家湾" }),
    ];
    let record = |k: u32, case_id: &str, body: &Value| {
        json!({
            "id": id(k),
            "case_id": case_id,
            "body": body,
            "created_at": "2025-11-30T10:00:00Z",
            "created_by": "Qz张敏",
            "updated_at": "2025-12-01T08:30:00Z",
            "updated_by": "Qz李晓红"
        })
    };
    let mut records: Vec<Value> = Vec::new();
    for (i, b) in adult.iter().enumerate() {
        records.push(record(1000 + i as u32, &c1, b));
    }
    for (i, b) in minor.iter().enumerate() {
        records.push(record(2000 + i as u32, &c2, b));
    }
    json!({ "format": "guitu", "version": 1, "persons": persons, "cases": cases, "records": records })
}

// ----- paths into a JSON value ------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

type JsonPath = Vec<Step>;

/// `persons[0].birth_date.date`: the way serde_path_to_error names a place.
fn show(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn at_mut<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// The key a leaf belongs to (`other_names` for `other_names[0]`).
fn leaf_key(path: &[Step]) -> &str {
    path.iter()
        .rev()
        .find_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
        .unwrap_or("")
}

/// The item a path is in: (`persons`, 0).
fn item_of(path: &[Step]) -> (String, usize) {
    match (path.first(), path.get(1)) {
        (Some(Step::Key(list)), Some(Step::Index(i))) => (list.clone(), *i),
        _ => (String::new(), 0),
    }
}

/// What a string leaf of the fixtures is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    Date,
    Id,
    Timestamp,
    Enum,
    Text,
}

fn classify_leaf(key: &str, s: &str) -> Option<Leaf> {
    let b = s.as_bytes();
    if key == "format" || key == "case_number" {
        return None;
    }
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return Some(Leaf::Date);
    }
    if b.len() == 36 && b[8] == b'-' && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Some(Leaf::Id);
    }
    if key.ends_with("_at") {
        return Some(Leaf::Timestamp);
    }
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Some(Leaf::Enum);
    }
    Some(Leaf::Text)
}

/// Every string leaf of a value with its path and kind.
fn string_leaves(v: &Value) -> Vec<(JsonPath, Leaf)> {
    fn walk(v: &Value, path: &mut JsonPath, key: &str, out: &mut Vec<(JsonPath, Leaf)>) {
        match v {
            Value::String(s) => {
                if let Some(kind) = classify_leaf(key, s) {
                    out.push((path.clone(), kind));
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(x, path, key, out);
                    path.pop();
                }
            }
            Value::Object(o) => {
                for (k, x) in o {
                    path.push(Step::Key(k.clone()));
                    walk(x, path, k, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), "", &mut out);
    out
}

/// Every object in a value, by path (the file itself, persons, their birth dates …).
fn objects(v: &Value) -> Vec<JsonPath> {
    fn walk(v: &Value, path: &mut JsonPath, out: &mut Vec<JsonPath>) {
        match v {
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(x, path, out);
                    path.pop();
                }
            }
            Value::Object(o) => {
                out.push(path.clone());
                for (k, x) in o {
                    path.push(Step::Key(k.clone()));
                    walk(x, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

fn leaves_of(v: &Value, kind: Leaf) -> Vec<JsonPath> {
    string_leaves(v)
        .into_iter()
        .filter(|(_, k)| *k == kind)
        .map(|(p, _)| p)
        .collect()
}

// ----- the corpus ------------------------------------------------------------------------

/// What a file of the corpus must be refused with.
#[derive(Debug, Clone)]
enum Expect {
    /// `import.not_json`.
    NotJson,
    /// `import.trailing`.
    Trailing,
    /// `import.format`.
    Format,
    /// `import.invalid` at a path (the exact one, or one inside the item) with a problem.
    Invalid {
        item: (String, usize),
        path: String,
        problem: fn(&ImportProblem) -> bool,
    },
    /// `import.not_json` or `import.invalid` (nesting too deep is either, by where it is).
    NotJsonOrInvalid,
    /// `import.rule` at an item, with a rule error.
    Rule {
        item: (String, usize),
        error: fn(&DomainError) -> bool,
        /// The field the error must name ends with this key (when it names one).
        key: Option<String>,
    },
    /// `import.duplicate_id` at an item.
    DuplicateId { item: (String, usize) },
    /// `import.duplicate_case_number` at an item.
    DuplicateCaseNumber { item: (String, usize) },
    /// `import.missing_reference` at an item and field.
    MissingReference {
        item: (String, usize),
        field: String,
    },
    /// Something already in the vault: refused by the file checks or by the store inside
    /// the transaction (which must then roll back).
    Collision,
}

struct Case {
    class: &'static str,
    what: String,
    bytes: Vec<u8>,
    expect: Expect,
}

fn to_bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).expect("a JSON value serialises")
}

fn truncations(rng: &mut Rng, base: &[u8], n: usize) -> Vec<Case> {
    let end = base
        .iter()
        .rposition(|&b| b == b'}')
        .expect("a JSON object ends with }");
    (0..n)
        .map(|i| {
            // Every proper prefix of the document, including the empty file and one
            // that stops just before the last brace.
            let cut = match i {
                0 => 0,
                1 => end,
                _ => rng.below(end),
            };
            Case {
                class: "truncation",
                what: format!("cut at byte {cut} of {}", base.len()),
                bytes: base[..cut].to_vec(),
                expect: Expect::NotJson,
            }
        })
        .collect()
}

fn concatenations(rng: &mut Rng, a: &[u8], b: &[u8], n: usize) -> Vec<Case> {
    let compact = |v: &[u8]| -> Vec<u8> {
        let x: Value = serde_json::from_slice(v).expect("a valid fixture");
        serde_json::to_vec(&x).expect("serialises")
    };
    let (ca, cb) = (compact(a), compact(b));
    let seconds: [&[u8]; 7] = [b, &cb, a, b"{}", b"[]", b"0", b"{\"format\":\"guitu\"}"];
    let separators: [&[u8]; 5] = [b"", b"\n", b"\r\n", b" \t ", b"\n\n\n"];
    (0..n)
        .map(|_| {
            let first = if rng.below(2) == 0 { a } else { &ca };
            let second = *rng.pick(&seconds);
            let sep = *rng.pick(&separators);
            let mut bytes = first.to_vec();
            bytes.extend_from_slice(sep);
            bytes.extend_from_slice(second);
            Case {
                class: "concatenated",
                what: format!(
                    "a document, {} separator bytes, then {} bytes",
                    sep.len(),
                    second.len()
                ),
                bytes,
                expect: Expect::Trailing,
            }
        })
        .collect()
}

const LENIENT_DATES: [&str; 16] = [
    "26-01-05",
    "2026-1-5",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-01-32",
    "2026/01/05",
    "20260105",
    " 2026-01-05",
    "2026-01-05 ",
    "+2026-01-05",
    "２０２６-01-05",
    "2026-01-05T00:00:00",
    "5 Jan 2026",
    "2026年1月5日",
    "",
];

fn lenient_dates(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let dates = leaves_of(base, Leaf::Date);
    (0..n)
        .map(|_| {
            let path = rng.pick(&dates).clone();
            let bad = *rng.pick(&LENIENT_DATES);
            let mut v = base.clone();
            *at_mut(&mut v, &path) = json!(bad);
            Case {
                class: "lenient_date",
                what: format!("{} = {bad:?}", show(&path)),
                bytes: to_bytes(&v),
                expect: Expect::Invalid {
                    item: item_of(&path),
                    path: show(&path),
                    problem: |p| matches!(p, ImportProblem::BadDate),
                },
            }
        })
        .collect()
}

fn implausible_dates(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let dates = leaves_of(base, Leaf::Date);
    let bad = [
        "0026-01-05",
        "1899-12-31",
        "2101-01-01",
        "9999-12-31",
        "0001-01-01",
    ];
    (0..n)
        .map(|_| {
            let path = rng.pick(&dates).clone();
            let d = *rng.pick(&bad);
            let mut v = base.clone();
            *at_mut(&mut v, &path) = json!(d);
            Case {
                class: "implausible_date",
                what: format!("{} = {d}", show(&path)),
                bytes: to_bytes(&v),
                expect: Expect::Rule {
                    item: item_of(&path),
                    error: |e| matches!(e, DomainError::DateOutOfRange { .. }),
                    key: Some(leaf_key(&path).to_owned()),
                },
            }
        })
        .collect()
}

fn non_canonical_ids(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let ids = leaves_of(base, Leaf::Id);
    type Spelling = (&'static str, fn(&str) -> String);
    let spellings: [Spelling; 8] = [
        ("upper case", |s| s.to_uppercase()),
        ("braces", |s| format!("{{{s}}}")),
        ("no hyphens", |s| s.replace('-', "")),
        ("urn", |s| format!("urn:uuid:{s}")),
        ("first letter upper", |s| s.replacen('b', "B", 1)),
        ("spaces around", |s| format!(" {s} ")),
        ("hyphens moved", |s| {
            let h = s.replace('-', "");
            format!("{}-{}-{}", &h[..12], &h[12..20], &h[20..])
        }),
        ("one digit short", |s| s[..s.len() - 1].to_owned()),
    ];
    (0..n)
        .map(|_| {
            let path = rng.pick(&ids).clone();
            let (name, spell) = rng.pick(&spellings);
            let mut v = base.clone();
            let slot = at_mut(&mut v, &path);
            let old = slot.as_str().expect("an id is a string").to_owned();
            *slot = json!(spell(&old));
            Case {
                class: "non_canonical_id",
                what: format!("{} spelt with {name}", show(&path)),
                bytes: to_bytes(&v),
                expect: Expect::Invalid {
                    item: item_of(&path),
                    path: show(&path),
                    problem: |p| matches!(p, ImportProblem::BadId),
                },
            }
        })
        .collect()
}

/// A text of `len` characters made of the marker (so an echo of any part is found).
fn marker_text(len: usize, han: bool) -> String {
    let unit: Vec<char> = if han {
        format!("{MARK_HAN}Qz").chars().collect()
    } else {
        "Qzmark".chars().collect()
    };
    unit.iter().copied().cycle().take(len).collect()
}

fn huge_texts(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let texts = leaves_of(base, Leaf::Text);
    let person_names: Vec<JsonPath> = texts
        .iter()
        .filter(|p| leaf_key(p) == "name" && item_of(p).0 == "persons")
        .cloned()
        .collect();
    (0..n)
        .map(|i| {
            // The first few are 10 MB names (one of them 3.3 million Chinese characters,
            // which once took half a minute); the rest just over the longest limit.
            let (path, len, han) = match i {
                0..=2 => (rng.pick(&person_names).clone(), 10 * 1024 * 1024, false),
                3 | 4 => (rng.pick(&person_names).clone(), 10 * 1024 * 1024 / 3, true),
                5 => (rng.pick(&texts).clone(), 10 * 1024 * 1024, false),
                _ => (
                    rng.pick(&texts).clone(),
                    *rng.pick(&[4001, 5000, 65_536, 200_000]),
                    rng.below(2) == 0,
                ),
            };
            let mut v = base.clone();
            *at_mut(&mut v, &path) = json!(marker_text(len, han));
            Case {
                class: "too_long",
                what: format!("{} = {len} characters", show(&path)),
                bytes: to_bytes(&v),
                expect: Expect::Rule {
                    item: item_of(&path),
                    error: |e| matches!(e, DomainError::TooLong { max, .. } if *max <= 4000),
                    key: Some(leaf_key(&path).to_owned()),
                },
            }
        })
        .collect()
}

/// Control characters and direction overrides (never line breaks or tabs: long text may
/// hold those). U+0085 is left out: it is also white space, so trimming a name may drop it.
const BAD_CHARS: [char; 17] = [
    '\u{0}', '\u{1}', '\u{7}', '\u{8}', '\u{1b}', '\u{7f}', '\u{9b}', '\u{202a}', '\u{202b}',
    '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{1f}',
];

fn bad_characters(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let texts = leaves_of(base, Leaf::Text);
    // Names and ID numbers first (the examples), then any text field.
    let named: Vec<JsonPath> = texts
        .iter()
        .filter(|p| {
            matches!(
                leaf_key(p),
                "name" | "resident_id" | "intake_number" | "other_names"
            )
        })
        .cloned()
        .collect();
    (0..n)
        .map(|i| {
            let path = if i % 2 == 0 {
                rng.pick(&named).clone()
            } else {
                rng.pick(&texts).clone()
            };
            let c = if i % 3 == 0 {
                *rng.pick(&['\u{0}', '\u{202e}'])
            } else {
                *rng.pick(&BAD_CHARS)
            };
            let mut v = base.clone();
            let slot = at_mut(&mut v, &path);
            let mut chars: Vec<char> = slot.as_str().expect("text").chars().collect();
            let pos = rng.below(chars.len() + 1);
            chars.insert(pos, c);
            *slot = json!(chars.into_iter().collect::<String>());
            Case {
                class: "bad_characters",
                what: format!("{} with U+{:04X} at {pos}", show(&path), u32::from(c)),
                bytes: to_bytes(&v),
                expect: Expect::Rule {
                    item: item_of(&path),
                    error: |e| matches!(e, DomainError::BadCharacters { .. }),
                    key: Some(leaf_key(&path).to_owned()),
                },
            }
        })
        .collect()
}

fn wrong_enums(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let enums = leaves_of(base, Leaf::Enum);
    let values: Vec<(&str, Value)> = vec![
        ("a number", json!(3)),
        ("a negative number", json!(-1)),
        ("a fraction", json!(1.5)),
        ("an object", json!({ "dna": "Qz-secret-enum" })),
        ("an empty object", json!({})),
        ("an array", json!(["female"])),
        ("true", json!(true)),
        ("an unknown word", json!("robot")),
        ("upper case", json!("FEMALE")),
        ("a marker", json!("Qz蔺-secret-value")),
        ("backticks", json!("x`Qz-leak`y`Qz`z")),
        ("backticks around a marker", json!("`x`Qz-leak")),
        ("quotes", json!("\"Qz\" expected one of `Qz`")),
        ("NUL", json!("female\u{0}Qz")),
        ("Chinese", json!("女Qz蔺")),
        ("empty", json!("")),
        ("10 kB", json!(marker_text(10_000, false))),
    ];
    (0..n)
        .map(|_| {
            let path = rng.pick(&enums).clone();
            let (name, value) = rng.pick(&values);
            let mut v = base.clone();
            *at_mut(&mut v, &path) = value.clone();
            Case {
                class: "wrong_enum",
                what: format!("{} = {name}", show(&path)),
                bytes: to_bytes(&v),
                expect: Expect::Invalid {
                    item: item_of(&path),
                    path: show(&path),
                    problem: |p| {
                        matches!(
                            p,
                            ImportProblem::UnknownValue { .. }
                                | ImportProblem::WrongType { .. }
                                | ImportProblem::Invalid
                        )
                    },
                },
            }
        })
        .collect()
}

fn unknown_fields(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let places = objects(base);
    let names = [
        "dna_profile",
        "dnaProfile",
        "genetic_markers",
        "DNA",
        "str_loci",
        "Name",
        "name_",
        "photo",
        "__proto__",
        "comment",
        // Keys that are personal values themselves (a converter that keyed persons by
        // name or ID number), and a 1 MB key: named by place, never echoed.
        "Qz蔺娜",
        "51162319880312004X",
        "@@HUGE_KEY@@",
    ];
    let values = [
        json!("D8S1179 13,14 Qz蔺"),
        json!({ "loci": ["Qz-D21S11"] }),
        json!(["Qz", 1, null]),
        json!(null),
        json!(12),
    ];
    let mut out = Vec::new();
    while out.len() < n {
        let path = rng.pick(&places).clone();
        let field = *rng.pick(&names);
        let mut v = base.clone();
        let obj = at_mut(&mut v, &path)
            .as_object_mut()
            .expect("an object of the fixture");
        if obj.contains_key(field) {
            continue;
        }
        let key = if field == "@@HUGE_KEY@@" {
            marker_text(1024 * 1024, false)
        } else {
            field.to_owned()
        };
        obj.insert(key.clone(), rng.pick(&values).clone());
        let mut target = path.clone();
        target.push(Step::Key(key));
        out.push(Case {
            class: "unknown_field",
            what: format!("{}.{} added", show(&path), field),
            bytes: to_bytes(&v),
            expect: Expect::Invalid {
                item: item_of(&target),
                // The object the field was added to (the key itself may be too long or
                // too personal to be repeated).
                path: show(&path),
                problem: |p| matches!(p, ImportProblem::UnknownField { .. }),
            },
        });
    }
    out
}

fn deep_nesting(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let leaves: Vec<JsonPath> = string_leaves(base).into_iter().map(|(p, _)| p).collect();
    let places = objects(base);
    (0..n)
        .map(|i| {
            let depth = *rng.pick(&[129, 1_000, 100_000, 1_000_000]);
            let (open, close) = if i % 2 == 0 {
                ("[".repeat(depth), "]".repeat(depth))
            } else {
                ("{\"a\":".repeat(depth), "}".repeat(depth))
            };
            let nested = format!("{open}\"Qz蔺\"{close}");
            // Either a value replaced by the nesting, or an extra field holding it.
            let mut v = base.clone();
            let token = "\"@@NESTED@@\"";
            let what = if i % 3 == 0 {
                let path = rng.pick(&places).clone();
                at_mut(&mut v, &path)
                    .as_object_mut()
                    .expect("an object")
                    .insert("deep".into(), json!("@@NESTED@@"));
                format!("{}.deep nested {depth} deep", show(&path))
            } else {
                let path = rng.pick(&leaves).clone();
                *at_mut(&mut v, &path) = json!("@@NESTED@@");
                format!("{} nested {depth} deep", show(&path))
            };
            let text = String::from_utf8(to_bytes(&v)).expect("UTF-8");
            let bytes = text.replacen(token, &nested, 1).into_bytes();
            Case {
                class: "deep_nesting",
                what,
                bytes,
                expect: Expect::NotJsonOrInvalid,
            }
        })
        .collect()
}

fn duplicates(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let len = |list: &str| base[list].as_array().map_or(0, Vec::len);
    (0..n)
        .map(|i| {
            let mut v = base.clone();
            let (what, expect) = match i % 6 {
                // A person's id given to the other person.
                0 => {
                    let id = v["persons"][0]["id"].clone();
                    v["persons"][1]["id"] = id;
                    (
                        "persons[1].id = persons[0].id".to_owned(),
                        Expect::DuplicateId {
                            item: ("persons".into(), 1),
                        },
                    )
                }
                // Two records with one id.
                1 => {
                    let a = rng.below(len("records"));
                    let mut b = rng.below(len("records"));
                    if a == b {
                        b = (a + 1) % len("records");
                    }
                    let id = v["records"][a]["id"].clone();
                    v["records"][b]["id"] = id;
                    (
                        format!("records[{b}].id = records[{a}].id"),
                        Expect::DuplicateId {
                            item: ("records".into(), a.max(b)),
                        },
                    )
                }
                // An id shared across lists.
                2 => {
                    let r = rng.below(len("records"));
                    let id = v["cases"][0]["id"].clone();
                    v["records"][r]["id"] = id;
                    (
                        format!("records[{r}].id = cases[0].id"),
                        Expect::DuplicateId {
                            item: ("records".into(), r),
                        },
                    )
                }
                // A whole item twice.
                3 => {
                    let list = *rng.pick(&["persons", "cases", "records"]);
                    let k = rng.below(len(list));
                    let copy = v[list][k].clone();
                    v[list].as_array_mut().expect("a list").push(copy);
                    (
                        format!("{list}[{k}] repeated at the end"),
                        Expect::DuplicateId {
                            item: (list.into(), len(list)),
                        },
                    )
                }
                // A case id that is also a person id.
                4 => {
                    let id = v["persons"][1]["id"].clone();
                    v["cases"][0]["id"] = id.clone();
                    (
                        "cases[0].id = persons[1].id".to_owned(),
                        Expect::DuplicateId {
                            item: ("cases".into(), 0),
                        },
                    )
                }
                // Two cases with one case number.
                _ => {
                    let number = v["cases"][0]["case_number"].clone();
                    v["cases"][1]["case_number"] = number;
                    (
                        "cases[1].case_number = cases[0].case_number".to_owned(),
                        Expect::DuplicateCaseNumber {
                            item: ("cases".into(), 1),
                        },
                    )
                }
            };
            Case {
                class: "duplicate",
                what,
                bytes: to_bytes(&v),
                expect,
            }
        })
        .collect()
}

fn dangling(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let records = base["records"].as_array().map_or(0, Vec::len);
    (0..n)
        .map(|i| {
            let mut v = base.clone();
            let nowhere = uuid(900_000 + rng.below(90_000) as u32);
            let (list, k, field) = if i % 2 == 0 {
                ("cases", rng.below(2), "person_id")
            } else {
                ("records", rng.below(records), "case_id")
            };
            v[list][k][field] = json!(nowhere);
            Case {
                class: "dangling_reference",
                what: format!("{list}[{k}].{field} names nothing"),
                bytes: to_bytes(&v),
                expect: Expect::MissingReference {
                    item: (list.into(), k),
                    field: field.into(),
                },
            }
        })
        .collect()
}

fn formats(rng: &mut Rng, base: &Value, n: usize) -> Vec<Case> {
    let bad: [(&str, Value); 6] = [
        ("format", json!("excel")),
        ("format", json!("Guitu")),
        ("format", json!("")),
        ("version", json!(0)),
        ("version", json!(2)),
        ("version", json!(999)),
    ];
    (0..n)
        .map(|_| {
            let (key, value) = rng.pick(&bad);
            let mut v = base.clone();
            v[*key] = value.clone();
            Case {
                class: "format",
                what: format!("{key} = {value}"),
                bytes: to_bytes(&v),
                expect: Expect::Format,
            }
        })
        .collect()
}

/// The base file made to collide with what the vault already holds (the resident
/// fixture): refused, and if the store found it inside the transaction, rolled back.
fn collisions(rng: &mut Rng, base: &Value, resident: &Value, n: usize) -> Vec<Case> {
    let text = serde_json::to_string(base).expect("JSON");
    (0..n)
        .map(|i| {
            let (what, out) = match i % 4 {
                // One of the file's ids replaced everywhere by a resident id of the same
                // list: the file is consistent, but the id is taken.
                0..=2 => {
                    let list = ["persons", "cases", "records"][i % 4];
                    let k = rng.below(base[list].as_array().map_or(1, Vec::len));
                    let r = rng.below(resident[list].as_array().map_or(1, Vec::len));
                    let mine = base[list][k]["id"].as_str().expect("an id");
                    let theirs = resident[list][r]["id"].as_str().expect("an id");
                    (
                        format!("{list}[{k}].id = the vault's {list}[{r}].id"),
                        text.replace(mine, theirs),
                    )
                }
                // A case number the vault already has.
                _ => {
                    let k = rng.below(2);
                    let mine = base["cases"][k]["case_number"].as_str().expect("a number");
                    let theirs = resident["cases"][k]["case_number"]
                        .as_str()
                        .expect("a number");
                    (
                        format!("cases[{k}].case_number = the vault's"),
                        text.replace(mine, theirs),
                    )
                }
            };
            Case {
                class: "vault_collision",
                what,
                bytes: out.into_bytes(),
                expect: Expect::Collision,
            }
        })
        .collect()
}

// ----- checking one file ---------------------------------------------------------------

fn location_is(at: &guitu_text::ImportLocation, item: &(String, usize)) -> bool {
    at.list == item.0 && at.index == item.1
}

/// Why `p` is not what `expect` asks for (`None` when it is).
fn mismatch(p: &Problem, expect: &Expect) -> Option<String> {
    let ok = match (expect, p) {
        (Expect::NotJson, Problem::ImportNotJson { .. }) => true,
        (Expect::Trailing, Problem::ImportTrailing { .. }) => true,
        (Expect::Format, Problem::ImportFormat { .. }) => true,
        (
            Expect::NotJsonOrInvalid,
            Problem::ImportNotJson { .. } | Problem::ImportInvalid { .. },
        ) => true,
        (
            Expect::Invalid {
                item,
                path: want,
                problem: is,
            },
            Problem::ImportInvalid { path, problem },
        ) => {
            if !is(problem) {
                return Some(format!("the problem should be another: {problem:?}"));
            }
            // The exact field, or at least the item it is in (an internally tagged record
            // body is read in one piece).
            let prefix = format!("{}[{}]", item.0, item.1);
            let inside = path.starts_with(want.as_str());
            let item_only = want.starts_with(path.as_str()) && path.starts_with(&prefix);
            if !(inside || item_only) {
                return Some(format!(
                    "the path should name {want} (or its item {prefix}), not {path:?}"
                ));
            }
            true
        }
        (
            Expect::Rule {
                item,
                error: is,
                key,
            },
            Problem::ImportRule { at, error },
        ) => {
            if !location_is(at, item) {
                return Some(format!("the refusal should name {item:?}, not {at:?}"));
            }
            if !is(error) {
                return Some(format!("the rule error should be another: {error:?}"));
            }
            if let (Some(key), Some(field)) = (key, error.field()) {
                let last = field.rsplit('.').next().unwrap_or(field);
                if last != key {
                    return Some(format!(
                        "the error should name the field {key}, not {field}"
                    ));
                }
            }
            true
        }
        (Expect::DuplicateId { item }, Problem::ImportDuplicateId { at }) => location_is(at, item),
        (Expect::DuplicateCaseNumber { item }, Problem::ImportDuplicateCaseNumber { at, .. }) => {
            location_is(at, item)
        }
        (
            Expect::MissingReference { item, field: f },
            Problem::ImportMissingReference { at, field, .. },
        ) => location_is(at, item) && field == f,
        (
            Expect::Collision,
            Problem::ImportDuplicateId { .. }
            | Problem::ImportDuplicateCaseNumber { .. }
            | Problem::Duplicate { .. },
        ) => true,
        _ => false,
    };
    if ok {
        None
    } else {
        Some(format!("expected {expect:?}"))
    }
}

/// Where a personal value of the fixtures shows in a text, if it does.
fn echo(text: &str) -> Option<&'static str> {
    if text.to_lowercase().contains(MARK) {
        Some("a Qz marker (a name, a note, a place …)")
    } else if text.contains(MARK_HAN) {
        Some("the character 蔺 of a name")
    } else if text.contains(id_marker(0)) || text.contains(id_marker(1)) {
        Some("the digits of an ID number")
    } else {
        None
    }
}

fn session(dir: &tempfile::TempDir, name: &str) -> Session {
    Session::create(
        &dir.path().join(name),
        "Qz张敏",
        &Secret::new("hostile-test-passphrase-1".into()),
        &KdfParams::insecure_for_tests(),
    )
    .expect("a vault in a fresh directory")
    .0
}

/// The vault's write state: cases and audit entries.
fn state(s: &Session) -> (u64, u64) {
    let cases = s.case_count().expect("case count");
    let audit = s.verify().expect("verify").audit.entries;
    (cases, audit)
}

#[test]
fn a_thousand_hostile_files_are_refused_with_a_stable_code_and_write_nothing() {
    let started = Instant::now();
    let seed: u64 = std::env::var("GUITU_HOSTILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2026);
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().expect("tempdir");

    let base = fixture(0);
    let resident = fixture(1);
    let base_bytes = to_bytes(&base);
    let resident_bytes = to_bytes(&resident);

    // Controls: both fixtures are valid, so a refusal below is the mutation's doing.
    let mut control = session(&dir, "control");
    let report = control
        .import_json(&base_bytes, "test:control")
        .unwrap_or_else(|e| panic!("the base fixture must import: {:?}", e.problem()));
    assert_eq!(report.counts.cases, 2, "the base fixture has two cases");
    drop(control);

    // The corpus vault holds the resident fixture, so a write would show in its counts.
    let mut s = session(&dir, "corpus");
    s.import_json(&resident_bytes, "test:resident")
        .unwrap_or_else(|e| panic!("the resident fixture must import: {:?}", e.problem()));
    let before = state(&s);
    assert_eq!(
        before.0, 2,
        "the corpus vault starts with the resident fixture's 2 cases"
    );

    let mut corpus: Vec<Case> = Vec::new();
    corpus.extend(truncations(&mut rng, &base_bytes, 200));
    corpus.extend(concatenations(&mut rng, &base_bytes, &resident_bytes, 80));
    corpus.extend(lenient_dates(&mut rng, &base, 130));
    corpus.extend(implausible_dates(&mut rng, &base, 40));
    corpus.extend(non_canonical_ids(&mut rng, &base, 100));
    corpus.extend(huge_texts(&mut rng, &base, 60));
    corpus.extend(bad_characters(&mut rng, &base, 130));
    corpus.extend(wrong_enums(&mut rng, &base, 130));
    corpus.extend(unknown_fields(&mut rng, &base, 80));
    corpus.extend(deep_nesting(&mut rng, &base, 30));
    corpus.extend(duplicates(&mut rng, &base, 60));
    corpus.extend(dangling(&mut rng, &base, 40));
    corpus.extend(formats(&mut rng, &base, 20));
    corpus.extend(collisions(&mut rng, &base, &resident, 40));
    assert!(
        corpus.len() >= 1000,
        "the corpus has at least 1,000 files, has {}",
        corpus.len()
    );

    let mut tried: BTreeMap<&str, usize> = BTreeMap::new();
    let mut codes: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    // Refusals that name the field itself rather than only its item (a record body is
    // read in one piece, so serde can name only `records[3].body` for some of its fields).
    let mut precision: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, case) in corpus.iter().enumerate() {
        *tried.entry(case.class).or_default() += 1;
        let label = format!("#{i} {} ({}) [seed {seed}]", case.class, case.what);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            s.import_json(&case.bytes, "test:hostile")
        }));
        let err: ApiError = match outcome {
            Err(_) => {
                failures.push(format!("{label}: the import PANICKED"));
                continue;
            }
            Ok(Ok(report)) => {
                failures.push(format!(
                    "{label}: was ACCEPTED ({:?}); every file of the corpus must be refused",
                    report.counts
                ));
                // The vault has changed: later files could not be judged against it.
                break;
            }
            Ok(Err(e)) => e,
        };
        let p = err.problem();
        let code = err.code();
        let wire = serde_json::to_value(&p).expect("a problem serialises");
        let mut detail = code.to_owned();
        if let Problem::ImportRule { error, .. } = &p {
            detail = format!("{code} {}", error.code());
        } else if let Problem::ImportInvalid { problem, .. } = &p {
            let name = serde_json::to_value(problem).expect("serialises")["problem"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            detail = format!("{code} {name}");
        }
        if let (Expect::Invalid { path: want, .. }, Problem::ImportInvalid { path, .. }) =
            (&case.expect, &p)
        {
            let e = precision.entry(case.class).or_default();
            e.1 += 1;
            if path.starts_with(want.as_str()) {
                e.0 += 1;
            }
        }
        *codes
            .entry(case.class)
            .or_default()
            .entry(detail)
            .or_default() += 1;
        if wire["code"] != code {
            failures.push(format!(
                "{label}: the wire form's code {} is not {code}",
                wire["code"]
            ));
        }
        if let Some(why) = mismatch(&p, &case.expect) {
            failures.push(format!("{label}: refused with {code} {p:?}, but {why}"));
        }
        let texts = [
            ("the Chinese message", guitu_text::problem(&p, Lang::Zh)),
            ("the English message", guitu_text::problem(&p, Lang::En)),
            ("the wire form", wire.to_string()),
            ("the error's Display", err.to_string()),
        ];
        for (what, text) in &texts {
            if let Some(leak) = echo(text) {
                let shown: String = text.chars().take(300).collect();
                failures.push(format!("{label}: {what} echoes {leak}: {shown}"));
            }
        }
        let after = state(&s);
        if after != before {
            failures.push(format!(
                "{label}: refused with {code} but the vault changed: (cases, audit entries) {before:?} → {after:?}"
            ));
            break;
        }
    }
    eprintln!(
        "hostile import corpus (seed {seed}): {} files in {:.1} s",
        corpus.len(),
        started.elapsed().as_secs_f64()
    );
    for (class, n) in &tried {
        let seen: Vec<String> = codes
            .get(class)
            .map(|m| m.iter().map(|(c, k)| format!("{c} ×{k}")).collect())
            .unwrap_or_default();
        let named = precision
            .get(class)
            .map(|(f, t)| format!(" (the path names the field itself in {f} of {t})"))
            .unwrap_or_default();
        eprintln!("  {class:<20} {n:>4} files: {}{named}", seen.join(", "));
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostile files were not refused as they must be:\n{}",
        failures.len(),
        corpus.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let report = s.verify().expect("verify");
    assert!(
        report.ok(),
        "the vault verifies after the corpus: {report:?}"
    );
    for number in ["DZ-2025-0101", "DZ-2025-0102"] {
        assert!(
            s.search(number, 10).expect("search").is_empty(),
            "no case of the refused files reached the search index ({number})"
        );
    }
}
