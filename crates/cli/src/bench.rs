//! `guitu bench`: builds a vault of demo cases and prints the figures of
//! docs/PERFORMANCE.md. Figures, not pass/fail tests: a noisy machine must not fail CI.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use guitu_api::{ApiError, KdfParams, Secret, Session, clock};
use guitu_domain::model::{Note, RecordBody};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50 and p95 of a sample, in milliseconds.
fn percentiles(mut v: Vec<Duration>) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort();
    let at = |q: f64| ms(v[((v.len() as f64 - 1.0) * q).round() as usize]);
    (at(0.50), at(0.95))
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

struct Report<'a, W: Write> {
    out: &'a mut W,
}

impl<W: Write> Report<'_, W> {
    fn line(&mut self, name: &str, value: String, target: &str) {
        let _ = writeln!(self.out, "{name:<44} {value:>22}   {target}");
    }
}

/// Runs the benchmark with `cases` demo cases.
pub fn run(cases: usize, dir: Option<PathBuf>, out: &mut impl Write) -> Result<(), ApiError> {
    let dir = dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("guitu-bench-{}", std::process::id()))
    });
    if dir.exists() {
        return Err(ApiError::BadInput {
            zh: format!("基准测试目录 {} 已存在，请换一个", dir.display()),
            en: format!(
                "the benchmark directory {} exists: choose another",
                dir.display()
            ),
        });
    }
    let result = run_in(cases, &dir, out);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_in(cases: usize, dir: &std::path::Path, out: &mut impl Write) -> Result<(), ApiError> {
    let mut r = Report { out };
    let _ = writeln!(
        r.out,
        "guitu bench: {cases} demo cases, vault in {}",
        dir.display()
    );
    let (kdf, t_cal) = timed(|| KdfParams::calibrate(Duration::from_millis(500)));
    r.line(
        "kdf calibration",
        format!("{:.0} ms", ms(t_cal)),
        &format!("m={} KiB t={} p={}", kdf.m_cost_kib, kdf.t_cost, kdf.p_cost),
    );
    let pass = Secret::new("bench-passphrase-2026".into());
    let (session, _code) = Session::create(dir, "bench", &pass, &kdf)?;
    let today = clock::today()?;
    let (file, t_gen) = timed(|| guitu_api::demo::generate(cases, 2026, today));
    let bytes = serde_json::to_vec(&file).map_err(|e| ApiError::BadInput {
        zh: e.to_string(),
        en: e.to_string(),
    })?;
    r.line(
        "demo generation (not counted)",
        format!("{:.0} ms", ms(t_gen)),
        &format!(
            "{} records, {} MB JSON",
            file.records.len(),
            bytes.len() / 1_000_000
        ),
    );
    let (parsed, t_parse) = timed(|| guitu_api::transfer::parse(&bytes));
    parsed?;
    drop(bytes);
    let mut session = session;
    let (counts, t_import) = timed(|| session.import_file(file.clone(), "bench"));
    let counts = counts?;
    r.line(
        &format!(
            "import {} cases (validate+write, one transaction)",
            counts.cases
        ),
        format!("{:.2} s", t_import.as_secs_f64()),
        "target ≤ 30 s for 100,000",
    );
    r.line(
        "  + parsing the same data as a JSON file",
        format!("{:.2} s", t_parse.as_secs_f64()),
        "(guitu import FILE adds this)",
    );
    drop(session);

    let mut kd = Vec::new();
    let mut op = Vec::new();
    for _ in 0..5 {
        let (s, timing) = Session::open_timed(dir, &pass)?;
        kd.push(timing.key_derivation);
        op.push(timing.open);
        drop(s);
    }
    let (kd50, _) = percentiles(kd);
    let (op50, op95) = percentiles(op);
    r.line(
        "unlock: key derivation (Argon2id) p50",
        format!("{kd50:.0} ms"),
        "aim ≈ 500 ms",
    );
    r.line(
        "unlock: open without key derivation p50/p95",
        format!("{op50:.1} / {op95:.1} ms"),
        "target ≤ 100 ms",
    );

    let mut session = Session::open(dir, &pass)?;
    let two_char: Vec<String> = file
        .persons
        .iter()
        .filter_map(|p| p.name.clone())
        .filter(|n| n.chars().count() == 2)
        .take(100)
        .collect();
    let three_char: Vec<String> = file
        .persons
        .iter()
        .filter_map(|p| p.name.clone())
        .filter(|n| n.chars().count() >= 3)
        .take(100)
        .collect();
    let ids: Vec<String> = file
        .persons
        .iter()
        .filter_map(|p| p.resident_id.clone())
        .take(100)
        .collect();
    let numbers: Vec<String> = file
        .cases
        .iter()
        .step_by((cases / 100).max(1))
        .map(|c| c.case_number.clone())
        .take(100)
        .collect();
    let phrases: Vec<String> = ["情绪疏导", "营养不良", "普通话", "继续上学", "恐惧反应"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for (label, queries) in [
        ("search 2-character name", &two_char),
        ("search 3+-character name", &three_char),
        ("search note phrase", &phrases),
        ("search resident ID number", &ids),
        ("search case number", &numbers),
    ] {
        let mut times = Vec::new();
        let mut found = 0usize;
        for i in 0..200 {
            let Some(q) = queries.get(i % queries.len().max(1)) else {
                break;
            };
            let (hits, t) = timed(|| session.search(q, 50));
            found += usize::from(!hits?.is_empty());
            times.push(t);
        }
        let n = times.len();
        let (p50, p95) = percentiles(times);
        r.line(
            &format!("{label} p50/p95"),
            format!("{p50:.2} / {p95:.2} ms"),
            &format!("target p95 ≤ 20 ms ({found}/{n} found)"),
        );
    }
    let mut times = Vec::new();
    let mut items = 0;
    for _ in 0..20 {
        let (rep, t) = timed(|| session.due(today));
        items = rep?.items.len();
        times.push(t);
    }
    let (p50, p95) = percentiles(times);
    r.line(
        "due query p50/p95",
        format!("{p50:.1} / {p95:.1} ms"),
        &format!("target p95 ≤ 20 ms ({items} items)"),
    );
    let case_ids: Vec<_> = file
        .cases
        .iter()
        .step_by((cases / 200).max(1))
        .map(|c| c.id)
        .collect();
    let mut times = Vec::new();
    for (i, id) in case_ids.iter().take(200).enumerate() {
        let body = RecordBody::Note(Note {
            date: today,
            text: format!("基准测试备注 {i}：电话回访，情况稳定。"),
        });
        let (res, t) = timed(|| session.add_record(*id, body));
        res?;
        times.push(t);
    }
    let (p50, p95) = percentiles(times);
    r.line(
        "save one record (validate+history+audit) p50/p95",
        format!("{p50:.2} / {p95:.2} ms"),
        "target p95 ≤ 5 ms",
    );
    let db = std::fs::metadata(dir.join(guitu_store::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    r.line("vault size", format!("{} MB", db / 1_000_000), "");
    Ok(())
}
