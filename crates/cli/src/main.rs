//! `guitu`: the headless administrator's tool for a Guitu vault.
//!
//! A thin front end on `guitu-api`: it parses arguments, asks for secrets, prints
//! results. Errors go to standard error in Chinese and English; the exit status is 1
//! for an error, 2 for a usage error, 3 when `verify` finds a problem.

mod bench;
mod output;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use guitu_api::{ApiError, Session, clock};
use guitu_api::{KdfParams, Secret};

/// The directory name shared with the desktop app (its bundle identifier).

#[derive(Parser, Debug)]
#[command(
    name = "guitu",
    version,
    about = "归途 Guitu — 被拐卖受害人救助个案管理（命令行管理工具）/ case files for assisted trafficking victims (administrator's tool)"
)]
struct Cli {
    /// Vault directory (default: the per-user application data directory, shared with the desktop app).
    #[arg(long, global = true, env = "GUITU_VAULT")]
    vault: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a new vault; prints the recovery code once.
    Init {
        /// The user name recorded in the history and audit trail.
        #[arg(long, env = "GUITU_USER")]
        user: Option<String>,
    },
    /// Change the passphrase (only the key slot is rewritten).
    Passwd,
    /// Set a new passphrase with the recovery code.
    Recover {
        /// Whose passphrase (default: the vault's only user).
        #[arg(long)]
        user: Option<String>,
    },
    /// Import a JSON file (docs/import-format.md); all or nothing.
    Import { file: PathBuf },
    /// Export everything as JSON (to FILE, or standard output).
    Export { file: Option<PathBuf> },
    /// Add realistic, deterministic demo cases.
    Demo {
        #[arg(long, default_value_t = 200)]
        cases: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// R-ID-3M and R-LA-GC deadlines: overdue, due soon, pending.
    Due {
        /// The day to judge on (YYYY-MM-DD; default today).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Search names (two-character names too), other names, case and ID numbers, notes.
    Search {
        text: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show a whole case (logged in the audit trail).
    Show {
        /// Case number (e.g. DZ-2026-0001) or id.
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// Print a case as a PDF: the full file or a redacted hand-off summary (logged).
    Print {
        /// Case number (e.g. DZ-2026-0001) or id.
        case: String,
        /// full | school | hospital | legal-aid | police | civil-affairs
        #[arg(long, default_value = "full")]
        kind: String,
        /// Where to write the PDF (default: <case>-<kind>.pdf in the current directory).
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Protect the PDF with a password (asked at the prompt, or GUITU_PDF_PASSWORD).
        #[arg(long)]
        password: bool,
    },
    /// Check the database (SQLCipher), migrations and the audit chain.
    Verify,
    /// Write an encrypted backup file.
    Backup { file: PathBuf },
    /// Restore a backup into the vault directory (the old vault is kept in it, in
    /// before-restore-<time>/).
    Restore {
        file: PathBuf,
        /// Confirm replacing a vault that is not the one the backup was made of.
        #[arg(long)]
        replace_other_vault: bool,
        /// Confirm replacing the vault with a backup that lacks some of its changes.
        #[arg(long)]
        older: bool,
    },
    /// Load a year of the official holiday calendar (JSON, see assets/calendars).
    Calendar { file: PathBuf },
    /// Print benchmark: a ~20-page case file, each hand-off kind, a batch of 100, and the
    /// same content printed by headless Chromium for comparison (if installed).
    BenchPrint {
        /// Chromium binary for the comparison.
        #[arg(long, default_value = "/usr/bin/chromium")]
        chromium: PathBuf,
    },
    /// Build a vault of demo cases and print performance figures.
    Bench {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        /// Where to build the benchmark vault (deleted afterwards).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

fn default_vault_dir() -> Result<PathBuf, ApiError> {
    guitu_api::default_vault_dir()
}

fn secret_from_env_or_prompt(var: &str, prompt: &str) -> Result<Secret, ApiError> {
    if let Ok(v) = std::env::var(var) {
        return Ok(Secret::new(v));
    }
    // rpassword reads /dev/tty, not standard input: without this check a run with no
    // terminal on standard input (a script, cron, a test) would wait on the controlling
    // terminal, or fail with an obscure "No such device" file error.
    if !std::io::stdin().is_terminal() {
        return Err(ApiError::BadInput {
            zh: format!(
                "未提供密码或恢复码：标准输入不是终端，无法提示输入；请在终端中运行，或设置环境变量 {var}"
            ),
            en: format!(
                "no passphrase or recovery code given: standard input is not a terminal, so it cannot be asked for; run in a terminal or set the environment variable {var}"
            ),
        });
    }
    rpassword::prompt_password(prompt)
        .map(Secret::new)
        .map_err(|source| ApiError::File {
            path: "terminal".into(),
            source,
        })
}

fn new_passphrase() -> Result<Secret, ApiError> {
    if let Ok(v) = std::env::var("GUITU_NEW_PASSPHRASE") {
        return Ok(Secret::new(v));
    }
    let a = secret_from_env_or_prompt("GUITU_NEW_PASSPHRASE", "新密码 / New passphrase: ")?;
    let b = secret_from_env_or_prompt(
        "GUITU_NEW_PASSPHRASE",
        "再次输入新密码 / Repeat the new passphrase: ",
    )?;
    if a.expose() != b.expose() {
        return Err(ApiError::BadInput {
            zh: "两次输入的密码不一致".into(),
            en: "the two passphrases differ".into(),
        });
    }
    Ok(a)
}

/// Key-derivation parameters for new slots. `GUITU_INSECURE_TEST_KDF=1` (tests only)
/// uses cheap parameters so a test suite can create many vaults.
fn kdf() -> KdfParams {
    guitu_api::default_kdf()
}

fn open(dir: &Path) -> Result<Session, ApiError> {
    let pass = secret_from_env_or_prompt("GUITU_PASSPHRASE", "密码 / Passphrase: ")?;
    Session::open(dir, &pass)
}

/// Exports and printed files: 0600, written atomically (guitu_api::files).
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    guitu_api::files::write_private(path, bytes)
}

fn read_file(path: &Path) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|source| ApiError::File {
            path: path.display().to_string(),
            source,
        })?;
    Ok(bytes)
}

fn run(cli: Cli) -> Result<ExitCode, ApiError> {
    let dir = match cli.vault {
        Some(d) => d,
        None => default_vault_dir()?,
    };
    let mut out = std::io::stdout().lock();
    let print = |out: &mut std::io::StdoutLock<'_>, s: &str| {
        let _ = writeln!(out, "{s}");
    };
    match cli.command {
        Command::Init { user } => {
            let user = user
                .or_else(|| std::env::var("USER").ok())
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| "admin".to_owned());
            let pass = new_passphrase()?;
            let (_session, code) = Session::create(&dir, &user, &pass, &kdf())?;
            print(
                &mut out,
                &format!("已创建保险库 / Vault created: {}", dir.display()),
            );
            print(&mut out, &format!("用户 / User: {user}"));
            print(
                &mut out,
                "恢复码（只显示这一次，请打印或抄写后妥善保管）/ Recovery code (shown only now: print or write it down and keep it safe):",
            );
            print(&mut out, &format!("    {}", code.expose()));
        }
        Command::Passwd => {
            let mut s = open(&dir)?;
            let new = new_passphrase()?;
            s.change_passphrase(&new, &kdf())?;
            print(&mut out, "密码已更改 / Passphrase changed");
        }
        Command::Recover { user } => {
            let code =
                secret_from_env_or_prompt("GUITU_RECOVERY_CODE", "恢复码 / Recovery code: ")?;
            let new = new_passphrase()?;
            let s = Session::recover(&dir, code.expose(), user.as_deref(), &new, &kdf())?;
            print(
                &mut out,
                &format!(
                    "已为用户 {} 设置新密码 / New passphrase set for {}",
                    s.user(),
                    s.user()
                ),
            );
        }
        Command::Import { file } => {
            let bytes = read_file(&file)?;
            let mut s = open(&dir)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let c = s.import_json(&bytes, &format!("file:{name}"))?;
            print(
                &mut out,
                &format!(
                    "已导入 / Imported: {} 人 persons, {} 个案 cases, {} 条记录 records",
                    c.persons, c.cases, c.records
                ),
            );
        }
        Command::Export { file } => {
            let mut s = open(&dir)?;
            let target = file
                .as_ref()
                .map(|f| format!("file:{}", f.display()))
                .unwrap_or_else(|| "stdout".into());
            let text = s.export_json(&target)?;
            match file {
                Some(f) => {
                    write_file(&f, text.as_bytes())?;
                    eprintln!(
                        "已导出（明文，请妥善保管）/ Exported (plain text: keep it safe): {}",
                        f.display()
                    );
                }
                None => print(&mut out, &text),
            }
        }
        Command::Demo { cases, seed } => {
            let mut s = open(&dir)?;
            let today = clock::today()?;
            let c = s.add_demo(cases, seed, today)?;
            print(
                &mut out,
                &format!(
                    "已生成演示数据 / Demo data added: {} 个案 cases, {} 条记录 records",
                    c.cases, c.records
                ),
            );
        }
        Command::Due { on, json } => {
            let s = open(&dir)?;
            let on = match on {
                Some(d) => clock::parse_date(&d)?,
                None => clock::today()?,
            };
            let report = s.due(on)?;
            if json {
                print(&mut out, &output::json(&report));
            } else {
                print(&mut out, &output::due(&report));
            }
        }
        Command::Search { text, json, limit } => {
            let s = open(&dir)?;
            let hits = s.search(&text, limit)?;
            if json {
                print(&mut out, &output::json(&hits));
            } else {
                print(&mut out, &output::hits(&hits));
            }
        }
        Command::Show { case, json } => {
            let mut s = open(&dir)?;
            let view = s.case_view(&case, clock::today()?)?;
            if json {
                print(&mut out, &output::json(&view));
            } else {
                print(&mut out, &output::case(&view));
            }
        }
        Command::Print {
            case,
            kind,
            output,
            password,
        } => {
            let kind = guitu_api::PrintKind::from_cli(&kind).ok_or_else(|| ApiError::BadInput {
                zh: format!("打印类型“{kind}”无效，可选：full、school、hospital、legal-aid、police、civil-affairs"),
                en: format!("unknown print kind '{kind}': use full, school, hospital, legal-aid, police or civil-affairs"),
            })?;
            let password = if password {
                let a =
                    secret_from_env_or_prompt("GUITU_PDF_PASSWORD", "PDF密码 / PDF password: ")?;
                if std::env::var("GUITU_PDF_PASSWORD").is_err() {
                    let b = secret_from_env_or_prompt(
                        "GUITU_PDF_PASSWORD",
                        "再次输入PDF密码 / Repeat the PDF password: ",
                    )?;
                    if a.expose() != b.expose() {
                        return Err(ApiError::BadInput {
                            zh: "两次输入的密码不一致".into(),
                            en: "the two passwords differ".into(),
                        });
                    }
                }
                Some(a)
            } else {
                None
            };
            let mut s = open(&dir)?;
            let printed = s.print(
                &case,
                kind,
                password.as_ref().map(|p| p.expose()),
                clock::today()?,
            )?;
            let path = output.unwrap_or_else(|| PathBuf::from(&printed.file_name));
            write_file(&path, &printed.bytes)?;
            print(
                &mut out,
                &format!(
                    "已打印 / Printed: {}（{} 页 pages，{} KB）{}",
                    path.display(),
                    printed.pages,
                    printed.bytes.len() / 1024,
                    if password.is_some() {
                        " 已加密 / password-protected"
                    } else {
                        ""
                    }
                ),
            );
            if !printed.missing_glyphs.is_empty() {
                let chars: Vec<String> = printed
                    .missing_glyphs
                    .iter()
                    .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
                    .collect();
                eprintln!(
                    "注意：字体缺少以下字符，已以[U+编码]形式打印，请手工补写 / Note: the font lacks these characters; they are printed as [U+code], write them in by hand: {}",
                    chars.join(", ")
                );
            }
        }
        Command::Verify => {
            let s = open(&dir)?;
            let r = s.verify()?;
            print(&mut out, &output::verify(&r));
            if !r.ok() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Backup { file } => {
            let mut s = open(&dir)?;
            let n = s.backup(&file)?;
            print(
                &mut out,
                &format!(
                    "已备份（加密）/ Encrypted backup written: {} ({n} bytes)",
                    file.display()
                ),
            );
        }
        Command::Restore {
            file,
            replace_other_vault,
            older,
        } => {
            let pass = secret_from_env_or_prompt(
                "GUITU_PASSPHRASE",
                "备份的密码 / Passphrase of the backup: ",
            )?;
            let options = guitu_api::RestoreOptions {
                replace_other_vault,
                allow_older: older,
            };
            let s = Session::restore(&dir, &file, &pass, options)?;
            print(
                &mut out,
                &format!(
                    "已恢复并校验 / Restored and verified: {} 个案 cases",
                    s.case_count()?
                ),
            );
        }
        Command::Calendar { file } => {
            let bytes = read_file(&file)?;
            let text = String::from_utf8_lossy(&bytes);
            let mut s = open(&dir)?;
            let year = s.load_calendar_year(&text)?;
            print(
                &mut out,
                &format!("已载入{year}年节假日安排 / Holiday calendar {year} loaded"),
            );
        }
        Command::BenchPrint { chromium } => {
            bench::run_print(&chromium, &mut out)?;
        }
        Command::Bench {
            cases,
            dir: bench_dir,
        } => {
            bench::run(cases, bench_dir, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 / Error [{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}
