//! `guitu-bench cases`: builds a vault of demo cases and prints the figures of
//! docs/PERFORMANCE.md. Figures, not pass/fail tests: a noisy machine must not fail CI.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use guitu_api::{ApiError, CaseListQuery, CaseSort, KdfParams, Secret, Session, clock};
use guitu_domain::model::{Note, RecordBody};

/// The legal basis the benchmark's hand-off summaries give (R-HANDOFF-BASIS), so that a
/// case without a consent in force prints too.
fn duty() -> Option<guitu_domain::handoff::HandoffBasis> {
    Some(guitu_domain::handoff::HandoffBasis::legal(
        guitu_domain::handoff::LegalBasis::AssistanceDuty,
        None,
    ))
}

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
        return Err(ApiError::Input(guitu_api::Problem::VaultExists {
            dir: dir.display().to_string(),
        }));
    }
    let result = run_in(cases, &dir, out);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_in(cases: usize, dir: &std::path::Path, out: &mut impl Write) -> Result<(), ApiError> {
    let mut r = Report { out };
    let _ = writeln!(
        r.out,
        "guitu-bench cases: {cases} demo cases, vault in {}",
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
    let bytes =
        serde_json::to_vec(&file).map_err(|_| ApiError::Input(guitu_api::Problem::AppInternal))?;
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
            counts.counts.cases
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
    // The desktop's case list: a page of 100 as the app asks for it.
    let page = |query: &str| CaseListQuery {
        query: query.to_owned(),
        stage: None,
        active: false,
        flags: Vec::new(),
        caseworker: None,
        institution: None,
        sort: CaseSort::CaseNumber,
        descending: false,
        offset: 0,
        limit: 100,
    };
    let unfiltered = [page("")];
    let mut filtered = page("");
    filtered.flags = vec![guitu_domain::model::CaseFlag::Minor];
    filtered.sort = CaseSort::ReceivedDate;
    filtered.descending = true;
    filtered.offset = 5_000;
    // The list as the app opens it: active cases, nearest deadline first.
    let mut by_due = page("");
    by_due.active = true;
    by_due.sort = CaseSort::NextDue;
    let list_sets: [(&str, Vec<CaseListQuery>); 6] = [
        ("case list: first page, all cases", unfiltered.to_vec()),
        (
            "case list: active cases by nearest deadline (the app's default)",
            vec![by_due],
        ),
        (
            "case list: minors by received date, page 51",
            vec![filtered],
        ),
        (
            "case list: search 2-character name",
            two_char.iter().map(|q| page(q)).collect(),
        ),
        (
            "case list: search 3+-character name",
            three_char.iter().map(|q| page(q)).collect(),
        ),
        (
            "case list: search case number",
            numbers.iter().map(|q| page(q)).collect(),
        ),
    ];
    for (label, queries) in &list_sets {
        let mut times = Vec::new();
        let mut total = 0;
        for i in 0..100 {
            let Some(q) = queries.get(i % queries.len().max(1)) else {
                break;
            };
            let (res, t) = timed(|| session.list_cases(q, today));
            total = res?.total;
            times.push(t);
        }
        let (p50, p95) = percentiles(times);
        r.line(
            &format!("{label} p50/p95"),
            format!("{p50:.2} / {p95:.2} ms"),
            &format!("target p95 ≤ 50 ms with the window's work (last total {total})"),
        );
    }
    let mut times = Vec::new();
    for _ in 0..20 {
        let (res, t) = timed(|| session.case_facets());
        res?;
        times.push(t);
    }
    let (p50, p95) = percentiles(times);
    r.line(
        "case list filters (caseworkers, institutions) p50/p95",
        format!("{p50:.1} / {p95:.1} ms"),
        "",
    );
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

    // The same use cases as a caseworker: every call checks her permission, and lists,
    // search and deadlines are narrowed to her own cases (R-ACCESS).
    use guitu_domain::access::Role;
    let cw_name = file
        .cases
        .first()
        .map(|c| c.caseworker.clone())
        .unwrap_or_default();
    let own: Vec<_> = file
        .cases
        .iter()
        .filter(|c| c.caseworker == cw_name)
        .map(|c| c.id)
        .collect();
    session.add_user(&cw_name, &[Role::Caseworker], None, &pass, &kdf)?;
    session.add_user("离职者", &[Role::Caseworker], None, &pass, &kdf)?;
    drop(session);
    let mut cw = Session::open_as(dir, &cw_name, &pass)?;
    r.line(
        "as a caseworker",
        format!("{} own cases", own.len()),
        "every call below checks her permissions",
    );
    let mut times = Vec::new();
    for i in 0..200 {
        let Some(q) = two_char.get(i % two_char.len().max(1)) else {
            break;
        };
        let (hits, t) = timed(|| cw.search(q, 50));
        hits?;
        times.push(t);
    }
    let (p50, p95) = percentiles(times);
    r.line(
        "  search 2-character name p50/p95",
        format!("{p50:.2} / {p95:.2} ms"),
        "target p95 ≤ 20 ms",
    );
    let mut times = Vec::new();
    let mut items = 0;
    for _ in 0..20 {
        let (rep, t) = timed(|| cw.due(today));
        items = rep?.items.len();
        times.push(t);
    }
    let (p50, p95) = percentiles(times);
    r.line(
        "  due query p50/p95",
        format!("{p50:.1} / {p95:.1} ms"),
        &format!("target p95 ≤ 20 ms ({items} items)"),
    );
    let mut times = Vec::new();
    let mut total = 0;
    for _ in 0..50 {
        let (res, t) = timed(|| cw.list_cases(&page(""), today));
        total = res?.total;
        times.push(t);
    }
    let (p50, p95) = percentiles(times);
    r.line(
        "  case list: first page of her cases p50/p95",
        format!("{p50:.2} / {p95:.2} ms"),
        &format!("target p95 ≤ 50 ms ({total} cases)"),
    );
    let mut times = Vec::new();
    for (i, id) in own.iter().cycle().take(200).enumerate() {
        let body = RecordBody::Note(Note {
            date: today,
            text: format!("基准测试备注 {i}：家访，情况稳定。"),
        });
        let (res, t) = timed(|| cw.add_record(*id, body));
        res?;
        times.push(t);
    }
    let (p50, p95) = percentiles(times);
    r.line(
        "  save one record (permission+validate+history+audit) p50/p95",
        format!("{p50:.2} / {p95:.2} ms"),
        "target p95 ≤ 5 ms",
    );
    drop(cw);

    let mut admin = Session::open_as(dir, "bench", &pass)?;
    let (res, t) = timed(|| admin.remove_user("离职者", &kdf, &|_| {}));
    res?;
    let db = std::fs::metadata(dir.join(guitu_store::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    r.line(
        "remove a user: re-key the whole vault",
        format!("{:.2} s", t.as_secs_f64()),
        &format!("{} MB database copied under a new key", db / 1_000_000),
    );
    Ok(())
}

/// `guitu-bench print`: figures for docs/PERFORMANCE.md, printing section.
pub fn run_print(chromium: &std::path::Path, out: &mut impl Write) -> Result<(), ApiError> {
    use guitu_api::PrintKind;
    use guitu_domain::model::{FollowUp, Need, VisitMode};

    let dir = std::env::temp_dir().join(format!("guitu-bench-print-{}", std::process::id()));
    let result = (|| -> Result<(), ApiError> {
        let mut r = Report { out };
        let today = clock::today()?;
        let pass = Secret::new("bench-passphrase-2026".into());
        // The vault is a scratch one: the cheapest key derivation a release build accepts.
        let (mut s, _) = Session::create_training(&dir, "bench", &pass, &KdfParams::MINIMUM)?;
        s.add_demo(100, 7, today)?;
        let case = s.find_case("DZ-2026-0001").or_else(|_| {
            s.search("DZ-", 1)?
                .first()
                .map(|h| s.find_case(&h.case_id))
                .unwrap_or_else(|| s.find_case("-"))
        })?;
        // A typical long case file: many follow-up visits and notes.
        for i in 0..70 {
            let day = case.received_date + chrono::Duration::days(30 + i);
            s.add_record(case.id, RecordBody::FollowUp(FollowUp {
                date: day,
                visitor: "张敏".into(),
                living_situation: format!("第{}次回访：本人在亲属家中生活，情绪稳定，按时服药；学校反映出勤正常，与同学关系融洽。", i + 1),
                needs: vec![Need::Living, Need::Education],
                actions: Some("已联系镇街社工每月走访一次，协调学校心理老师跟进。".into()),
                mode: Some(VisitMode::Home),
                place: Some("亲属家中".into()),
                next_visit: None,
            }))?;
            s.add_record(
                case.id,
                RecordBody::Note(Note {
                    date: day,
                    text: format!(
                        "电话回访记录{}：监护人表示孩子近期睡眠改善，周末参加社区活动。",
                        i + 1
                    ),
                }),
            )?;
        }
        let reference = case.id.to_string();
        let (fonts, t_font) = timed(guitu_print::render::Fonts::load);
        fonts.map_err(ApiError::Print)?;
        r.line(
            "font parse (two weights, once per process)",
            format!("{:.0} ms", ms(t_font)),
            "",
        );
        // Warm the shared fonts once, then measure.
        s.print(&reference, PrintKind::Full, None, None, today)?;
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..10 {
            let (p, t) = timed(|| s.print(&reference, PrintKind::Full, None, None, today));
            last = Some(p?);
            times.push(t);
        }
        let (p50, p95) = percentiles(times);
        if let Some(p) = &last {
            r.line(
                &format!("full case file ({} pages) p50/p95", p.pages),
                format!("{p50:.1} / {p95:.1} ms"),
                &format!("{} KB; target ≤ 100 ms, ≤ 300 KB", p.bytes.len() / 1024),
            );
        }
        for kind in PrintKind::ALL.iter().filter(|k| **k != PrintKind::Full) {
            let mut times = Vec::new();
            let mut last = None;
            for _ in 0..10 {
                let (p, t) = timed(|| s.print(&reference, *kind, None, duty(), today));
                last = Some(p?);
                times.push(t);
            }
            let (p50, _) = percentiles(times);
            if let Some(p) = last {
                r.line(
                    &format!("hand-off {} ({} pages) p50", kind.cli_name(), p.pages),
                    format!("{p50:.1} ms"),
                    &format!("{} KB", p.bytes.len() / 1024),
                );
            }
        }
        let ids: Vec<String> = s
            .search("DZ-", 100)?
            .into_iter()
            .map(|h| h.case_id)
            .collect();
        let (batch, t_batch) = timed(|| -> Result<usize, ApiError> {
            let mut n = 0;
            for id in ids.iter().cycle().take(100) {
                s.print(id, PrintKind::School, None, duty(), today)?;
                n += 1;
            }
            Ok(n)
        });
        r.line(
            &format!("batch of {} hand-off summaries", batch?),
            format!("{:.2} s", t_batch.as_secs_f64()),
            "target ≤ 5 s",
        );
        let (with_pw, t_pw) =
            timed(|| s.print(&reference, PrintKind::Full, Some("bench-pw-1"), None, today));
        r.line(
            "full case file with AES-256 password",
            format!("{:.1} ms", ms(t_pw)),
            &format!("{} KB", with_pw?.bytes.len() / 1024),
        );

        // The same content as HTML, printed by headless Chromium.
        if !chromium.exists() {
            r.line(
                "headless Chromium comparison",
                "not run".into(),
                &format!(
                    "{} not installed (apt-get install chromium)",
                    chromium.display()
                ),
            );
            return Ok(());
        }
        let (doc, _, _) = s.print_document(&reference, PrintKind::Full, None, today)?;
        let font = std::env::current_dir()
            .map(|d| d.join("assets/fonts/NotoSansSC_400Regular.ttf"))
            .map_err(|source| ApiError::File {
                path: ".".into(),
                source,
            })?;
        let html_path = dir.join("case.html");
        let pdf_path = dir.join("chromium.pdf");
        write_html(
            &html_path,
            &guitu_print::html::to_html(&doc, &font.display().to_string()),
        )?;
        let profile = dir.join("chromium-profile");
        let (status, t_chrome) = timed(|| {
            std::process::Command::new(chromium)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-pdf-header-footer",
                ])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg(format!("--print-to-pdf={}", pdf_path.display()))
                .arg(format!("file://{}", html_path.display()))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
        });
        let ok = status.is_ok_and(|s| s.success());
        let size = std::fs::metadata(&pdf_path).map(|m| m.len()).unwrap_or(0);
        r.line(
            "same content: headless Chromium --print-to-pdf",
            if ok {
                format!("{:.0} ms", ms(t_chrome))
            } else {
                "failed".into()
            },
            &format!(
                "{} KB, whole process; ours should be ≥ 10× faster (ratio {:.0}×)",
                size / 1024,
                ms(t_chrome) / p50.max(0.001)
            ),
        );
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn write_html(path: &std::path::Path, html: &str) -> Result<(), ApiError> {
    guitu_api::files::write_private(path, html.as_bytes())
}

/// `guitu-bench duplicates`: precision and recall of R-DUP on the labelled pairs, then the
/// duplicate check on a vault of `cases` demo cases: one new person at a time (as at
/// intake), a 10,000-person import file, and a scan of the whole vault.
pub fn run_duplicates(
    cases: usize,
    pairs_file: &std::path::Path,
    out: &mut impl Write,
) -> Result<(), ApiError> {
    let mut r = Report { out };
    let pairs = crate::pairs::load(pairs_file).map_err(|e| {
        let _ = writeln!(r.out, "{e}");
        ApiError::Input(guitu_api::Problem::AppInternal)
    })?;
    let settings = guitu_domain::duplicates::DuplicateSettings::default();
    let same = pairs.iter().filter(|p| p.same).count();
    let _ = writeln!(
        r.out,
        "guitu-bench duplicates: {} labelled pairs ({same} same person, {} not) from {}",
        pairs.len(),
        pairs.len() - same,
        pairs_file.display()
    );
    for (label, threshold) in [
        ("candidate", settings.candidate_score),
        ("likely", settings.likely_score),
    ] {
        let m = crate::pairs::evaluate(&pairs, threshold);
        r.line(
            &format!("{label} score ≥ {threshold}: precision / recall"),
            format!("{:.3} / {:.3}", m.precision(), m.recall()),
            &format!(
                "TP {} FP {} FN {} TN {}",
                m.true_positives, m.false_positives, m.false_negatives, m.true_negatives
            ),
        );
        if threshold == settings.candidate_score {
            r.line(
                "  found but sharing no blocking key",
                format!("{}", m.unblocked.len()),
                "must be 0: the store compares only persons sharing a key",
            );
            for (id, category, same, score, note) in &m.wrong {
                let what = if *same { "missed" } else { "wrongly found" };
                let _ = writeln!(
                    r.out,
                    "    {what}: {id} ({category}), score {score}: {note}"
                );
            }
        }
    }

    let dir = std::env::temp_dir().join(format!("guitu-bench-dup-{}", std::process::id()));
    let result = duplicates_in_vault(cases, &dir, &mut r);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A new vault in `dir` (a quick KDF) holding `cases` demo cases of 2026: the session, the
/// file imported, today and how long the import took.
fn demo_vault(
    dir: &std::path::Path,
    cases: usize,
) -> Result<
    (
        Session,
        guitu_api::transfer::TransferFile,
        chrono::NaiveDate,
        Duration,
    ),
    ApiError,
> {
    let kdf = KdfParams::calibrate(Duration::from_millis(200));
    let pass = Secret::new("bench-passphrase-2026".into());
    let (mut session, _code) = Session::create(dir, "bench", &pass, &kdf)?;
    let today = clock::today()?;
    let file = guitu_api::demo::generate(cases, 2026, today);
    let (imported, t_import) = timed(|| session.import_file(file.clone(), "bench"));
    imported?;
    Ok((session, file, today, t_import))
}

fn duplicates_in_vault<W: Write>(
    cases: usize,
    dir: &std::path::Path,
    r: &mut Report<'_, W>,
) -> Result<(), ApiError> {
    let (session, file, today, t_import) = demo_vault(dir, cases)?;
    r.line(
        &format!("import {cases} cases, each person checked"),
        format!("{:.2} s", t_import.as_secs_f64()),
        "(into an empty vault)",
    );
    // New persons as an intake would bring them: named stored persons entered again,
    // without their ID number (each must find at least itself).
    let mut times = Vec::new();
    let mut with_candidates = 0usize;
    let named: Vec<&guitu_domain::model::Person> =
        file.persons.iter().filter(|p| p.name.is_some()).collect();
    for p in named.iter().step_by((named.len() / 200).max(1)).take(200) {
        let mut new = (*p).clone();
        new.id = uuid::Uuid::nil();
        new.resident_id = None;
        let (found, t) = timed(|| session.duplicate_candidates(new, Some(today)));
        with_candidates += usize::from(!found?.is_empty());
        times.push(t);
    }
    let n = times.len();
    let (p50, p95) = percentiles(times);
    r.line(
        "check one new person p50/p95",
        format!("{p50:.1} / {p95:.1} ms"),
        &format!("target ≤ 50 ms ({with_candidates}/{n} with candidates)"),
    );
    let other = guitu_api::demo::generate_numbered(10_000, 7, today, "JS", |_| 0);
    let bytes =
        serde_json::to_vec(&other).map_err(|_| ApiError::Input(guitu_api::Problem::AppInternal))?;
    let (preview, t_check) = timed(|| session.check_import(&bytes));
    let preview = preview?;
    r.line(
        &format!("check an import of {} persons", preview.persons),
        format!("{:.2} s", t_check.as_secs_f64()),
        &format!(
            "target: a few seconds ({} candidate pairs)",
            preview.duplicates.len()
        ),
    );
    let (scan, t_scan) = timed(|| session.duplicate_pairs(100));
    let scan = scan?;
    r.line(
        "scan the whole vault for pairs",
        format!("{:.2} s", t_scan.as_secs_f64()),
        &format!(
            "{} persons, {} pairs at candidate score or more",
            scan.persons, scan.total
        ),
    );
    Ok(())
}

/// Ledgers (issue 13): a generated `rows`-row ledger (Guitu's own export of that many
/// demo cases) imported into an empty vault, and the ledger of a `cases`-case demo vault
/// exported.
pub fn run_ledger(rows: usize, cases: usize, out: &mut impl Write) -> Result<(), ApiError> {
    let base = std::env::temp_dir().join(format!("guitu-bench-ledger-{}", std::process::id()));
    let result = ledger_in(rows, cases, &base, out);
    let _ = std::fs::remove_dir_all(&base);
    result
}

fn ledger_in(
    rows: usize,
    cases: usize,
    base: &std::path::Path,
    out: &mut impl Write,
) -> Result<(), ApiError> {
    let mut r = Report { out };
    let _ = writeln!(
        r.out,
        "guitu-bench ledger: import a {rows}-row ledger, export a {cases}-case ledger"
    );
    let kdf = KdfParams::calibrate(Duration::from_millis(500));
    let pass = Secret::new("bench-passphrase-2026".into());
    let today = clock::today()?;

    // The ledger to import: Guitu's export of `rows` demo cases.
    let (mut source, _) = Session::create(&base.join("source"), "bench", &pass, &kdf)?;
    source.import_file(guitu_api::demo::generate(rows, 2026, today), "bench")?;
    let (ledger, t_small) = timed(|| source.export_ledger(None));
    let ledger = ledger?;
    drop(source);
    r.line(
        &format!("export a {rows}-row ledger"),
        format!("{:.2} s", t_small.as_secs_f64()),
        &format!("{:.1} MB .xlsx", ledger.len() as f64 / 1e6),
    );
    let (mut empty, _) = Session::create(&base.join("empty"), "bench", &pass, &kdf)?;
    let (preview, t_preview) = timed(|| empty.ledger_preview(&ledger, None, None));
    let preview = preview?;
    r.line(
        "  preview (read, map, check every row)",
        format!("{:.2} s", t_preview.as_secs_f64()),
        &format!("{} rows, {} refused", preview.rows, preview.bad_rows),
    );
    let decisions = guitu_api::transfer::ImportDecisions::default();
    let (report, t_import) =
        timed(|| empty.import_ledger(&ledger, "bench.xlsx", None, None, &decisions));
    let report = report?;
    r.line(
        &format!("import a {rows}-row ledger into an empty vault"),
        format!("{:.2} s", t_import.as_secs_f64()),
        &format!(
            "{} cases, {} records (read + check + one transaction)",
            report.counts.cases, report.counts.records
        ),
    );
    drop(empty);

    let (mut big, _) = Session::create(&base.join("big"), "bench", &pass, &kdf)?;
    let (imported, t_demo) =
        timed(|| big.import_file(guitu_api::demo::generate(cases, 2026, today), "bench"));
    imported?;
    r.line(
        &format!("  (building the {cases}-case demo vault)"),
        format!("{:.1} s", t_demo.as_secs_f64()),
        "not counted",
    );
    let (all, t_all) = timed(|| big.export_ledger(None));
    let all = all?;
    r.line(
        &format!("export the {cases}-case ledger (every case)"),
        format!("{:.2} s", t_all.as_secs_f64()),
        &format!("{:.1} MB .xlsx", all.len() as f64 / 1e6),
    );
    let year = chrono::Datelike::year(&today);
    let (one, t_year) = timed(|| big.export_ledger(Some(year)));
    let one = one?;
    r.line(
        &format!("export the {year} ledger of that vault"),
        format!("{:.2} s", t_year.as_secs_f64()),
        &format!("{:.1} MB .xlsx", one.len() as f64 / 1e6),
    );
    Ok(())
}

/// `guitu-bench report`: the annual report (R-ANNUAL) on a vault of `cases` demo cases:
/// the figures, the PDF and the spreadsheet, each made a few times (each time the whole
/// use case: permission, the store's read, the domain's figures, the audit entry).
pub fn run_report(cases: usize, out: &mut impl Write) -> Result<(), ApiError> {
    let dir = std::env::temp_dir().join(format!("guitu-bench-report-{}", std::process::id()));
    let mut r = Report { out };
    let result = report_in_vault(cases, &dir, &mut r);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn report_in_vault<W: Write>(
    cases: usize,
    dir: &std::path::Path,
    r: &mut Report<'_, W>,
) -> Result<(), ApiError> {
    let (mut session, _file, today, t_import) = demo_vault(dir, cases)?;
    r.line(
        &format!("import {cases} cases (not counted)"),
        format!("{:.2} s", t_import.as_secs_f64()),
        "",
    );
    let year = chrono::Datelike::year(&today);
    let mut times = Vec::new();
    let mut persons = String::new();
    for _ in 0..5 {
        let (report, t) = timed(|| session.annual_report(year, today));
        let report = report?;
        times.push(t);
        persons = report
            .tables
            .first()
            .and_then(|t| t.rows.first())
            .and_then(|row| row.cells.first())
            .map(|c| guitu_text::report_cell(c, guitu_text::Lang::En))
            .unwrap_or_default();
    }
    let (p50, p95) = percentiles(times);
    r.line(
        &format!("annual report {year}: figures p50/p95"),
        format!("{:.0} / {:.0} ms", p50, p95),
        &format!("target < 2 s ({persons} persons assisted)"),
    );
    let mut times = Vec::new();
    let mut pages = 0;
    for _ in 0..3 {
        let (pdf, t) = timed(|| session.annual_report_pdf(year, today));
        pages = pdf?.pages;
        times.push(t);
    }
    let (p50, _) = percentiles(times);
    r.line(
        "annual report as PDF p50",
        format!("{p50:.0} ms"),
        &format!("{pages} pages"),
    );
    let mut times = Vec::new();
    for _ in 0..3 {
        let (sheet, t) = timed(|| session.annual_report_xlsx(year, today));
        sheet?;
        times.push(t);
    }
    let (p50, _) = percentiles(times);
    r.line(
        "annual report as spreadsheet p50",
        format!("{p50:.0} ms"),
        "",
    );
    Ok(())
}

/// Hand-off between devices (issue 11): a new device joining with every case in one
/// bundle, beside the plain import of the same data; then a bundle of `changed` changed
/// cases, made and opened.
pub fn run_handoff(cases: usize, changed: usize, out: &mut impl Write) -> Result<(), ApiError> {
    let base = std::env::temp_dir().join(format!("guitu-bench-handoff-{}", std::process::id()));
    let result = handoff_in(cases, changed, &base, out);
    let _ = std::fs::remove_dir_all(&base);
    result
}

fn handoff_in(
    cases: usize,
    changed: usize,
    base: &std::path::Path,
    out: &mut impl Write,
) -> Result<(), ApiError> {
    use guitu_domain::handoff::{HandoffBasis, LegalBasis, RecipientKind};
    let mut r = Report { out };
    let _ = writeln!(
        r.out,
        "guitu-bench handoff: a device joins with {cases} cases; a bundle of {changed} changed cases"
    );
    let kdf = KdfParams::calibrate(Duration::from_millis(500));
    let pass = Secret::new("bench-passphrase-2026".into());
    let today = clock::today()?;
    let file = guitu_api::demo::generate(cases, 2026, today);
    let ids: Vec<uuid::Uuid> = file.cases.iter().map(|c| c.id).collect();

    let (mut office, _) = Session::create(&base.join("office"), "bench", &pass, &kdf)?;
    let (report, t_import) = timed(|| office.import_file(file.clone(), "bench"));
    report?;
    r.line(
        &format!("plain import of {cases} cases (the baseline)"),
        format!("{:.2} s", t_import.as_secs_f64()),
        "validate + write, one transaction",
    );
    let (mut shelter, _) = Session::create(&base.join("shelter"), "bench", &pass, &kdf)?;
    let card_o = office.device_card_text()?;
    let card_s = shelter.device_card_text()?;
    let fp_o = shelter.read_card(&card_o)?.fingerprint;
    let fp_s = office.read_card(&card_s)?.fingerprint;
    let to_shelter = office
        .add_peer(&card_s, RecipientKind::AssistanceInstitution, &fp_s)?
        .device_id;
    let to_office = shelter
        .add_peer(&card_o, RecipientKind::CivilAffairs, &fp_o)?
        .device_id;
    let legal = || Some(HandoffBasis::legal(LegalBasis::AssistanceDuty, None));

    let join = base.join("join.guitu");
    let (made, t_make) =
        timed(|| office.create_bundle(&to_shelter, Some(&ids), legal(), today, &join));
    let made = made?;
    r.line(
        &format!("join: create a bundle of {cases} cases"),
        format!("{:.2} s", t_make.as_secs_f64()),
        &format!(
            "{} changes, {:.1} MB signed + encrypted",
            made.changes,
            made.bytes as f64 / 1e6
        ),
    );
    let (opened, t_open) = timed(|| shelter.open_bundle(&join));
    let opened = opened?;
    r.line(
        "join: open it on the new device (merge)",
        format!("{:.2} s", t_open.as_secs_f64()),
        &format!(
            "{:.1}× the plain import; {} added, {} conflicts",
            t_open.as_secs_f64() / t_import.as_secs_f64().max(1e-9),
            opened.added,
            opened.conflicts
        ),
    );
    // The shelter acknowledges (an empty bundle back), so the next bundle carries only
    // what changed.
    let ack = base.join("ack.guitu");
    shelter.create_bundle(&to_office, None, legal(), today, &ack)?;
    office.open_bundle(&ack)?;

    let step = (cases / changed.max(1)).max(1);
    let touched: Vec<uuid::Uuid> = ids.iter().step_by(step).take(changed).copied().collect();
    for (i, id) in touched.iter().enumerate() {
        office.add_record(
            *id,
            RecordBody::Note(Note {
                date: today,
                text: format!("移交基准测试备注 {i}"),
            }),
        )?;
    }
    let delta = base.join("delta.guitu");
    let (made, t_make) = timed(|| office.create_bundle(&to_shelter, None, legal(), today, &delta));
    let made = made?;
    r.line(
        &format!("create a bundle of {} changed cases", touched.len()),
        format!("{:.2} s", t_make.as_secs_f64()),
        &format!(
            "{} changes of {} shared cases, {:.2} MB",
            made.changes,
            made.cases,
            made.bytes as f64 / 1e6
        ),
    );
    let (opened, t_open) = timed(|| shelter.open_bundle(&delta));
    let opened = opened?;
    r.line(
        &format!("open it ({} changed cases)", touched.len()),
        format!("{:.2} s", t_open.as_secs_f64()),
        &format!(
            "{} new changes, {} conflicts",
            opened.new_changes, opened.conflicts
        ),
    );
    let (again, t_again) = timed(|| shelter.open_bundle(&delta));
    let again = again?;
    r.line(
        "open the same bundle again (a no-op)",
        format!("{:.1} ms", ms(t_again)),
        &format!("replayed: {}", again.replayed),
    );
    Ok(())
}
