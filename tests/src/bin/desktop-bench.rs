//! Figures of the desktop app (docs/PERFORMANCE.md), measured in the real window through
//! tauri-driver: cold start to the unlock screen, unlock to the dashboard and to the case
//! list with N cases, search-as-you-type latency in the window (keystroke to rendered
//! results, measured inside the page), and the memory (PSS summed over the app and its
//! WebKit processes) idle on the case list, beside a minimal Tauri window measured the
//! same way.
//!
//! Run under a display (e.g. `xvfb-run -a`), after building the app, the minimal window
//! and the CLI:
//! `cargo build --release -p guitu-desktop --features custom-protocol --bins && cargo build --release -p guitu-cli`
//! `GUITU_APP=target/release/guitu-desktop cargo run --release -p guitu-e2e --bin desktop-bench -- 100000`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use guitu_e2e::{App, Step, target_dir};

const PASS: &str = "bench passphrase 2026";
const TODAY: &str = "2026-11-28";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return f64::NAN;
    }
    let i = ((s.len() as f64 - 1.0) * p).round() as usize;
    s[i.min(s.len() - 1)]
}

fn cli() -> PathBuf {
    let release = target_dir().join("release/guitu");
    if release.is_file() && std::env::var_os("GUITU_BENCH_DEBUG_CLI").is_none() {
        release
    } else {
        target_dir().join("debug/guitu")
    }
}

fn make_vault(dir: &Path, cases: usize) -> Step {
    let run = |args: &[&str]| -> Step {
        let out = Command::new(cli())
            .args(args)
            .env("GUITU_VAULT", dir)
            .env("GUITU_PASSPHRASE", PASS)
            .env("GUITU_NEW_PASSPHRASE", PASS)
            .env("GUITU_USER", "bench")
            .env("GUITU_TODAY", TODAY)
            .output()
            .map_err(|e| format!("guitu {args:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "guitu {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    // Demo data goes only into a training vault.
    run(&["init", "--training-vault"])?;
    run(&["demo", "--cases", &cases.to_string()])
}

/// Processes whose parent is `pid`, recursively, with `pid` itself.
fn tree(pid: u32) -> Vec<u32> {
    let mut all: Vec<(u32, u32)> = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(p) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|s| s.parse::<u32>().ok());
        if let Some(pp) = ppid {
            all.push((p, pp));
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(all.iter().filter(|(_, pp)| *pp == parent).map(|(p, _)| *p));
        i += 1;
    }
    out
}

fn pids_of(binary: &Path) -> Vec<u32> {
    let want = std::fs::canonicalize(binary).unwrap_or_else(|_| binary.to_path_buf());
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(p) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|x| x == want) {
            out.push(p);
        }
    }
    out
}

/// (PSS, RSS) in MiB summed over the process tree, and the number of processes.
fn memory(pid: u32) -> (f64, f64, usize) {
    let pids = tree(pid);
    let (mut pss, mut rss) = (0u64, 0u64);
    for p in &pids {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")) else {
            continue;
        };
        for line in text.lines() {
            let kb = |l: &str| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            if line.starts_with("Pss:") {
                pss += kb(line);
            } else if line.starts_with("Rss:") {
                rss += kb(line);
            }
        }
    }
    (pss as f64 / 1024.0, rss as f64 / 1024.0, pids.len())
}

/// One `list_cases` call through the IPC, as the list makes it: backend + IPC, no render.
const INVOKE_JS: &str = r#"
const [q, done] = [arguments[0], arguments[arguments.length - 1]];
const input = { query: q, stage: null, flags: [], caseworker: null, institution: null,
  sort: 'case_number', descending: false, offset: 0, limit: 100 };
const t0 = performance.now();
window.__TAURI_INTERNALS__.invoke('list_cases', { input })
  .then(r => done([performance.now() - t0, r.total]), e => done([-1, String(e)]));
"#;

const SEARCH_JS: &str = r#"
const [q, done] = [arguments[0], arguments[arguments.length - 1]];
const box = document.querySelector('[data-testid="case-search"]');
const total = () => document.querySelector('[data-testid="cases-total"]')?.getAttribute('data-total');
const before = total();
let tDom = -1;
const obs = new MutationObserver(() => {
  if (tDom < 0 && total() !== before) tDom = performance.now() - t0;
});
obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
box.value = q;
const t0 = performance.now();
box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: q }));
const check = () => {
  const rows = document.querySelectorAll('[data-testid="case-row"]');
  const t = total();
  const settled = t !== before && (t === '0' ? true : rows.length > 0 && rows[0].textContent.length > 0);
  if (settled) { obs.disconnect(); done([performance.now() - t0, Number(t), tDom]); }
  else if (performance.now() - t0 > 5000) { obs.disconnect(); done([-1, Number(t), tDom]); }
  else requestAnimationFrame(check);
};
check();
"#;

async fn bench(cases: usize) -> Step {
    let app_bin = guitu_e2e::app_binary()?;
    println!("app: {}", app_bin.display());
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let vault = work.path().join("vault");
    let t = Instant::now();
    make_vault(&vault, cases)?;
    println!(
        "vault with {cases} demo cases made in {:.1} s (guitu init + demo)",
        t.elapsed().as_secs_f64()
    );

    // Cold start: new session (tauri-driver starts WebKitWebDriver, which starts the app)
    // until the unlock screen is in the page. Includes the driver's own start-up, so it
    // is an upper bound of what a user sees.
    let mut starts = Vec::new();
    for i in 0..5 {
        let t0 = Instant::now();
        let app = App::start_in(&format!("bench-start-{i}"), TODAY, Some(&vault), false).await?;
        app.el("unlock-screen").await?;
        starts.push(ms(t0.elapsed()));
        app.finish(Ok(())).await;
    }
    println!(
        "cold start to the unlock screen (5 runs, incl. WebDriver session): p50 {:.0} ms, max {:.0} ms",
        percentile(&starts, 0.5),
        percentile(&starts, 1.0)
    );

    let app = App::start_in("bench", TODAY, Some(&vault), false).await?;
    app.fill("unlock-passphrase", PASS).await?;
    let t0 = Instant::now();
    app.click("unlock-submit").await?;
    app.el("dashboard-screen").await?;
    app.el("due-overdue").await?;
    let to_dashboard = ms(t0.elapsed());
    let t1 = Instant::now();
    app.click("nav-cases").await?;
    app.css_el("[data-testid=\"case-row\"]").await?;
    let to_list = ms(t1.elapsed());
    println!(
        "unlock (Argon2id + open) to the dashboard with its due lists: {to_dashboard:.0} ms; then to the case list's first rows: {to_list:.0} ms; unlock to case list {:.0} ms",
        to_dashboard + to_list
    );

    // Names and numbers to search for, from the list itself (cells 1 and 2 of a row).
    let cells = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=\"case-row\"]')].map(r => [...r.querySelectorAll('.cell')].slice(0, 2).map(c => c.textContent.trim()));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    let mut numbers = Vec::new();
    for row in cells.as_array().into_iter().flatten() {
        if let (Some(n), Some(name)) = (row[0].as_str(), row[1].as_str()) {
            numbers.push(n.to_owned());
            if name.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) && !name.is_empty() {
                names.push(name.to_owned());
            }
        }
    }
    let mut queries: Vec<(String, &str)> = Vec::new();
    for n in names.iter().filter(|n| n.chars().count() == 2).take(8) {
        queries.push((n.clone(), "2-char name"));
    }
    for n in names.iter().filter(|n| n.chars().count() >= 3).take(8) {
        queries.push((n.clone(), "3-char name"));
    }
    for n in numbers.iter().take(8) {
        queries.push((n.clone(), "case number"));
    }
    let mut by_kind: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut all = Vec::new();
    let mut dom = Vec::new();
    for round in 0..2 {
        for (q, kind) in &queries {
            // Typing the query's first character, then the whole query: the second is
            // the measured keystroke.
            let first: String = q.chars().take(1).collect();
            app.client
                .execute_async(SEARCH_JS, vec![serde_json::Value::String(first)])
                .await
                .map_err(|e| e.to_string())?;
            let v = app
                .client
                .execute_async(SEARCH_JS, vec![serde_json::Value::String(q.clone())])
                .await
                .map_err(|e| e.to_string())?;
            let latency = v[0].as_f64().unwrap_or(-1.0);
            if latency < 0.0 {
                return Err(format!("search {q} did not settle"));
            }
            if round == 1 {
                by_kind.entry(kind).or_default().push(latency);
                all.push(latency);
                dom.push(v[2].as_f64().unwrap_or(-1.0));
            }
        }
    }
    let mut ipc = Vec::new();
    for (q, _) in &queries {
        let v = app
            .client
            .execute_async(INVOKE_JS, vec![serde_json::Value::String(q.clone())])
            .await
            .map_err(|e| e.to_string())?;
        ipc.push(v[0].as_f64().unwrap_or(-1.0));
    }
    println!(
        "list_cases through the IPC alone (no rendering), same queries: p50 {:.1} ms, p95 {:.1} ms",
        percentile(&ipc, 0.5),
        percentile(&ipc, 0.95)
    );
    for (kind, v) in &by_kind {
        println!(
            "search-as-you-type, keystroke to rendered results, {kind}: p50 {:.1} ms, p95 {:.1} ms ({} queries)",
            percentile(v, 0.5),
            percentile(v, 0.95),
            v.len()
        );
    }
    println!(
        "search-as-you-type, all: p50 {:.1} ms, p95 {:.1} ms (of which until the DOM holds the new count: p50 {:.1} ms, p95 {:.1} ms)",
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        percentile(&dom, 0.5),
        percentile(&dom, 0.95)
    );

    // Memory, idle on the case list.
    app.el("case-search")
        .await?
        .clear()
        .await
        .map_err(|e| e.to_string())?;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let pid = pids_of(&app_bin)
        .into_iter()
        .next()
        .ok_or("the app's process was not found")?;
    let (pss, rss, n) = memory(pid);
    println!(
        "app idle on the case list with {cases} cases: PSS {pss:.0} MiB, RSS {rss:.0} MiB over {n} processes"
    );
    app.finish(Ok(())).await;

    let minimal = app_bin.with_file_name("minimal-window");
    if minimal.is_file() {
        // Tauri's default (accelerated compositing), then the app's own setting.
        for (label, software) in [("default", false), ("compositing off, as the app", true)] {
            let mut cmd = Command::new(&minimal);
            if software {
                cmd.env("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
            }
            let mut child = cmd.spawn().map_err(|e| e.to_string())?;
            tokio::time::sleep(Duration::from_secs(10)).await;
            let (mpss, mrss, mn) = memory(child.id());
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
            println!(
                "minimal Tauri window idle ({label}): PSS {mpss:.0} MiB, RSS {mrss:.0} MiB over {mn} processes; app / minimal PSS {:.2}×",
                pss / mpss
            );
        }
    } else {
        println!(
            "no minimal window at {} (cargo build -p guitu-desktop --features minimal-window --bins)",
            minimal.display()
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    let cases = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    if let Err(e) = bench(cases).await {
        eprintln!("desktop-bench: {e}");
        std::process::exit(1);
    }
}
