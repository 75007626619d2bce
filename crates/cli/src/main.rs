//! `guitu`: the headless administrator's tool for a Guitu vault.
//!
//! A thin front end on `guitu-api`: it parses arguments, asks for secrets, prints
//! results in the user's language (`--lang zh|en`, else `LANG`). Errors go to standard
//! error with their stable code; the exit status is 1 for an error, 2 for a usage
//! error, 3 when `verify` finds a problem.

mod handoff;
mod output;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Datelike;
use clap::{Parser, Subcommand};

use guitu_api::{ApiError, Problem, Session, clock};
use guitu_api::{KdfParams, Secret};
use guitu_domain::access::Role;
use guitu_domain::approval::{ApprovalOutcome, ApprovalSubject};
use guitu_domain::label::LabelledEnum;
use guitu_text::Lang;

use output::t;

#[derive(Parser, Debug)]
#[command(
    name = "guitu",
    version,
    about = "归途 Guitu: case files for assisted trafficking victims (the administrator's tool)"
)]
struct Cli {
    /// Vault directory (default: the per-user application data directory, shared with the desktop app).
    #[arg(long, global = true, env = "GUITU_VAULT")]
    vault: Option<PathBuf>,
    /// Language of the output: zh or en (default: from LANG; Chinese unless it is English).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Who you are: the user whose passphrase unlocks (asked when the vault has several
    /// users and a terminal is there; `init`: the first user's name).
    #[arg(long, global = true, env = "GUITU_USER")]
    user: Option<String>,
    /// Work in the training vault beside the vault (`<vault>-training`, the desktop app's
    /// 打开培训库): unlocked with the vault's own passphrase, made on first use.
    #[arg(long, global = true)]
    training: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a new vault; prints the recovery code once.
    Init {
        /// A training vault of its own here (courses, scripts): made-up cases for
        /// practice (demo data goes only into one), marked as such in the desktop app.
        #[arg(long)]
        training_vault: bool,
    },
    /// Change the passphrase (only the key slot is rewritten).
    Passwd,
    /// Set a new passphrase with the recovery code.
    Recover,
    /// Import a JSON file (docs/import-format.md); all or nothing. Lists every warning.
    Import {
        file: PathBuf,
        /// The counts and every warning (with its code) as JSON.
        #[arg(long)]
        json: bool,
        /// A person of the file is this person of the vault (FILE_PERSON=VAULT_PERSON, ids
        /// or a case number for the vault's person): the file's cases join that person.
        #[arg(long, value_name = "FILE_PERSON=VAULT_PERSON")]
        same: Vec<String>,
        /// A person of the file is not this person of the vault (never asked again).
        #[arg(long, value_name = "FILE_PERSON=VAULT_PERSON")]
        different: Vec<String>,
        /// Every possible duplicate not decided otherwise is a different person.
        #[arg(long)]
        all_different: bool,
    },
    /// An administrator's tool: export everything as PLAIN-TEXT JSON (to FILE, or
    /// standard output), unencrypted, for archives or moving to another system. Cases go
    /// from one Guitu device to another in signed, encrypted bundles: `guitu bundle`.
    Export { file: Option<PathBuf> },
    /// Add realistic, deterministic demo cases: only into a training vault (`--training`,
    /// or one made by `init --training-vault`), never into a real one.
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
        /// Where to write the PDF (default: the case number and the kind of file, in the
        /// current directory: `DZ-2026-0143 移交摘要（学校）.pdf`).
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Protect the PDF with a password (asked at the prompt, or GUITU_PDF_PASSWORD).
        #[arg(long)]
        password: bool,
        /// The legal basis of a hand-off summary when the case has no consent in force for
        /// its recipient: assistance_duty | police_request | emergency | child_protection |
        /// legal_aid_application.
        #[arg(long)]
        basis: Option<String>,
        /// A note on the legal basis (e.g. the police's request number); printed with it,
        /// never in the audit trail.
        #[arg(long, requires = "basis")]
        basis_note: Option<String>,
    },
    /// Reports (logged): `guitu report annual --year 2026`.
    Report {
        #[command(subcommand)]
        report: ReportCommand,
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
    /// Users of the vault and their roles (an administrator's tool).
    #[command(subcommand)]
    User(UserCommand),
    /// The audit trail: who did what to which case, when (newest first).
    Audit {
        /// Only this user's acts.
        #[arg(long = "by")]
        by: Option<String>,
        /// Only acts on this case (number or id).
        #[arg(long)]
        case: Option<String>,
        /// From this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Up to and including this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
        #[arg(long)]
        json: bool,
        /// Print the entries as a PDF to this file instead (the print is audited).
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// Approvals: closing a case, a placement decision, the R-ID-3M district approval.
    #[command(subcommand)]
    Approval(ApprovalCommand),
    /// Persons who may be the same person, best first (R-DUP); merge, tell apart, undo.
    Duplicates {
        #[command(subcommand)]
        action: Option<DuplicatesCommand>,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Excel ledgers (台账): import an office's ledger, export the ledger of a year.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Make another caseworker responsible for a case (a supervisor's act).
    Assign {
        /// Case number or id.
        case: String,
        /// The new responsible caseworker.
        #[arg(long)]
        to: String,
    },
    /// Void (作废) a record or a case entered by mistake, with a reason; nothing is
    /// deleted. List the voided cases; restore (a supervisor's act).
    #[command(subcommand)]
    Void(VoidCommand),
    /// This device for hand-offs: its name and fingerprint; `card -o FILE` writes its
    /// contact card, `rename NAME` names it.
    Device {
        #[command(subcommand)]
        action: Option<handoff::DeviceCommand>,
    },
    /// Peer devices: add one from its contact card (after comparing fingerprints), list,
    /// remove.
    #[command(subcommand)]
    Peer(handoff::PeerCommand),
    /// Hand-off between devices: `bundle create --to PEER [--cases …] -o FILE`, `bundle
    /// open FILE`. A bundle is signed by this device and encrypted to the peer.
    #[command(subcommand)]
    Bundle(handoff::BundleCommand),
    /// Fields two devices changed differently, waiting for a person; `conflicts resolve ID
    /// --keep|--take|--value JSON`.
    Conflicts {
        #[command(subcommand)]
        action: Option<handoff::ConflictCommand>,
        /// Only this case (number or id).
        #[arg(long)]
        case: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum VoidCommand {
    /// Void a record (its id: `guitu show CASE --json`).
    Record {
        id: uuid::Uuid,
        /// Why (required; kept in the history and printed in the full case file).
        #[arg(long)]
        reason: String,
    },
    /// Void a whole case.
    Case {
        /// Case number or id.
        case: String,
        #[arg(long)]
        reason: String,
    },
    /// The voided cases, most recently voided first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Restore a voided record or case.
    #[command(subcommand)]
    Restore(RestoreTarget),
}

#[derive(Subcommand, Debug)]
enum RestoreTarget {
    /// Restore a voided record.
    Record { id: uuid::Uuid },
    /// Restore a voided case.
    Case {
        /// Case number or id.
        case: String,
    },
}

#[derive(Subcommand, Debug)]
enum LedgerCommand {
    /// Import a ledger (.xlsx or .xls; docs/ledger-format.md): all or nothing. A refused
    /// row is named by sheet, row and column.
    Import {
        file: PathBuf,
        /// The sheet to read (default: the first with a header row).
        #[arg(long)]
        sheet: Option<String>,
        /// Corrections to the proposed mapping: a JSON object of header text → column
        /// key (`{"受助人": "name", "备注": null}`).
        #[arg(long, value_name = "MAP.json")]
        map: Option<PathBuf>,
        /// Show the mapping and the first rows as Guitu will store them; write nothing.
        #[arg(long)]
        preview: bool,
        /// The person of a ledger row is this person of the vault (ROW=VAULT_PERSON: the
        /// row number, and an id or a case number of the vault's person).
        #[arg(long, value_name = "ROW=VAULT_PERSON")]
        same: Vec<String>,
        /// The person of a ledger row is not this person of the vault.
        #[arg(long, value_name = "ROW=VAULT_PERSON")]
        different: Vec<String>,
        /// Every possible duplicate not decided otherwise is a different person.
        #[arg(long)]
        all_different: bool,
        /// The preview or the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export the ledger: the cases of a year (received in it, or earlier and still
    /// open), or every case; written 0600.
    Export {
        /// The year (default: every case).
        #[arg(long)]
        year: Option<i32>,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum ReportCommand {
    /// The annual report (R-ANNUAL): the year's anonymous figures, as tables here, a PDF
    /// (-o) or a spreadsheet (--xlsx). Counts of 1 to 4 show as <5.
    Annual {
        /// The year (default: this year).
        #[arg(long)]
        year: Option<i32>,
        /// Write the report as a PDF.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Write the report as a spreadsheet.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// The figures as JSON (small counts as "lt5").
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Every user with roles and institution.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a user with their own passphrase (asked, or GUITU_NEW_PASSPHRASE).
    Add {
        name: String,
        /// administrator | supervisor | caseworker | shelter_staff | auditor (repeatable).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The institution whose cases shelter staff see.
        #[arg(long)]
        institution: Option<String>,
    },
    /// Disable a user (their passphrase still unlocks, but nothing is allowed).
    Disable { name: String },
    /// Enable a disabled user.
    Enable { name: String },
    /// Set a new passphrase for a user who forgot theirs.
    Reset { name: String },
    /// Remove a user and re-key the vault, so that their old key slot opens nothing.
    Remove { name: String },
}

#[derive(Subcommand, Debug)]
enum DuplicatesCommand {
    /// Merge two persons into one (a supervisor's act): every case of the second moves to
    /// the first, whose other names gain the second's names. Undone with `undo`.
    Merge {
        /// The person kept: a case number of theirs, or the person's id.
        keep: String,
        /// The person merged into the kept one (case number or person id).
        absorb: String,
    },
    /// Remember that two persons are not the same person: never proposed again.
    NotSame { a: String, b: String },
    /// Undo a merge (its id, from `merges`).
    Undo { merge: uuid::Uuid },
    /// The most recent merges.
    Merges {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum ApprovalCommand {
    /// Requests waiting for your decision, and your own requests with their outcome.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Request an approval on a case, with a note.
    Request {
        /// Case number or id.
        case: String,
        /// closure | placement | district_approval
        #[arg(long)]
        subject: String,
        /// The placement record a placement decision is about.
        #[arg(long)]
        record: Option<uuid::Uuid>,
        #[arg(long)]
        note: String,
    },
    /// Approve or reject a request (with a reason; required to reject).
    Decide {
        id: uuid::Uuid,
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        approve: bool,
        #[arg(long)]
        reject: bool,
        #[arg(long, default_value = "")]
        reason: String,
    },
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| "use zh or en".to_owned())
}

/// The language to speak: `--lang`, else `LC_ALL`, `LC_MESSAGES` or `LANG`.
fn language(given: Option<Lang>) -> Lang {
    given.unwrap_or_else(|| {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.trim().is_empty())
            .map(|v| Lang::from_locale(&v))
            .unwrap_or_default()
    })
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
        return Err(ApiError::Input(Problem::NoTerminal {
            variable: var.to_owned(),
        }));
    }
    rpassword::prompt_password(prompt)
        .map(Secret::new)
        .map_err(|source| ApiError::File {
            path: "terminal".into(),
            source,
        })
}

fn new_passphrase(lang: Lang) -> Result<Secret, ApiError> {
    if let Ok(v) = std::env::var("GUITU_NEW_PASSPHRASE") {
        return Ok(Secret::new(v));
    }
    let a = secret_from_env_or_prompt(
        "GUITU_NEW_PASSPHRASE",
        &t(lang, "新密码：", "New passphrase: "),
    )?;
    let b = secret_from_env_or_prompt(
        "GUITU_NEW_PASSPHRASE",
        &t(lang, "再次输入新密码：", "Repeat the new passphrase: "),
    )?;
    if a.expose() != b.expose() {
        return Err(ApiError::Input(Problem::PassphrasesDiffer));
    }
    Ok(a)
}

/// Key-derivation parameters for new slots. `GUITU_INSECURE_TEST_KDF=1` (tests only)
/// uses cheap parameters so a test suite can create many vaults.
fn kdf() -> KdfParams {
    guitu_api::default_kdf()
}

/// Unlocks as `--user`, or — asked at the terminal when the vault has several users — as
/// the user typed; without a name and a terminal, whichever slot the passphrase opens.
fn open(dir: &Path, user: Option<&str>, lang: Lang) -> Result<Session, ApiError> {
    let mut user = user.map(str::to_owned);
    if user.is_none() && std::io::stdin().is_terminal() {
        let users = Session::users_of(dir)?;
        if users.len() > 1 {
            eprint!(
                "{}",
                t(
                    lang,
                    &format!("用户（{}）：", users.join("、")),
                    &format!("User ({}): ", users.join(", "))
                )
            );
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|source| ApiError::File {
                    path: "terminal".into(),
                    source,
                })?;
            user = Some(line.trim().to_owned()).filter(|u| !u.is_empty());
        }
    }
    let pass = secret_from_env_or_prompt("GUITU_PASSPHRASE", &t(lang, "密码：", "Passphrase: "))?;
    match user {
        Some(u) => Session::open_as(dir, &u, &pass),
        None => Session::open(dir, &pass),
    }
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

fn run(cli: Cli, lang: Lang) -> Result<ExitCode, ApiError> {
    let dir = match cli.vault {
        Some(d) => d,
        None => default_vault_dir()?,
    };
    let cli_user = cli.user.clone();
    // `--training`: every command that unlocks works in the training vault beside the vault.
    let training = cli.training;
    let open = |dir: &Path, user: Option<&str>, lang: Lang| -> Result<Session, ApiError> {
        let s = open(dir, user, lang)?;
        if training {
            Ok(s.open_training(0, clock::today()?, &kdf())?.session)
        } else {
            Ok(s)
        }
    };
    let mut out = std::io::stdout().lock();
    let print = |out: &mut std::io::StdoutLock<'_>, s: &str| {
        let _ = writeln!(out, "{s}");
    };
    let say = |out: &mut std::io::StdoutLock<'_>, zh: &str, en: &str| {
        let _ = writeln!(out, "{}", t(lang, zh, en));
    };
    match cli.command {
        Command::Init { training_vault } => {
            let user = cli_user
                .or_else(|| std::env::var("USER").ok())
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| "admin".to_owned());
            let pass = new_passphrase(lang)?;
            let (_session, code) = if training_vault {
                Session::create_training(&dir, &user, &pass, &kdf())?
            } else {
                Session::create(&dir, &user, &pass, &kdf())?
            };
            let d = dir.display();
            if training_vault {
                say(
                    &mut out,
                    &format!("已创建培训库（只放演示数据，不放真实个案）：{d}"),
                    &format!("Training vault created (demo data only, no real cases): {d}"),
                );
            } else {
                say(
                    &mut out,
                    &format!("已创建档案库：{d}"),
                    &format!("Vault created: {d}"),
                );
            }
            say(&mut out, &format!("用户：{user}"), &format!("User: {user}"));
            say(
                &mut out,
                "恢复码（只显示这一次，请打印或抄写后妥善保管）：",
                "Recovery code (shown only now: print or write it down and keep it safe):",
            );
            print(&mut out, &format!("    {}", code.expose()));
        }
        Command::Passwd => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let new = new_passphrase(lang)?;
            s.change_passphrase(&new, &kdf())?;
            say(&mut out, "密码已更改", "Passphrase changed");
        }
        Command::Recover => {
            let user = cli_user;
            let code = secret_from_env_or_prompt(
                "GUITU_RECOVERY_CODE",
                &t(lang, "恢复码：", "Recovery code: "),
            )?;
            let new = new_passphrase(lang)?;
            let s = Session::recover(&dir, code.expose(), user.as_deref(), &new, &kdf())?;
            let u = s.user();
            say(
                &mut out,
                &format!("已为用户 {u} 设置新密码"),
                &format!("New passphrase set for {u}"),
            );
        }
        Command::Import {
            file,
            json,
            same,
            different,
            all_different,
        } => {
            let bytes = read_file(&file)?;
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let decisions = guitu_api::transfer::ImportDecisions {
                same: parse_pairs(&s, &same, file_person)?,
                different: parse_pairs(&s, &different, file_person)?,
                all_different,
            };
            let report = match s.import_json_deciding(&bytes, &format!("file:{name}"), &decisions) {
                Err(e @ ApiError::Import(guitu_api::ImportError::UndecidedDuplicates { .. })) => {
                    // Which pairs, and how to decide them (nothing was written).
                    let preview = s.check_import(&bytes)?;
                    if json {
                        print(&mut out, &output::json(&preview));
                    } else {
                        eprintln!("{}", output::import_duplicates(&preview, lang));
                    }
                    return Err(e);
                }
                other => other?,
            };
            if json {
                print(&mut out, &output::json(&report));
            } else {
                print(&mut out, &output::imported(&report, lang));
            }
        }
        Command::Export { file } => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let target = file
                .as_ref()
                .map(|f| format!("file:{}", f.display()))
                .unwrap_or_else(|| "stdout".into());
            let text = s.export_json(&target)?;
            match file {
                Some(f) => {
                    write_file(&f, text.as_bytes())?;
                    let d = f.display();
                    eprintln!(
                        "{}",
                        t(
                            lang,
                            &format!(
                                "已导出明文数据（未加密，请妥善保管、用后销毁）：{d}\n在归途设备之间移交个案请用加密的移交包：guitu bundle create"
                            ),
                            &format!(
                                "Exported as plain text (unencrypted: keep it safe, destroy it after use): {d}\nTo hand cases to another Guitu device use an encrypted bundle: guitu bundle create"
                            )
                        )
                    );
                }
                None => print(&mut out, &text),
            }
        }
        Command::Demo { cases, seed } => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let today = clock::today()?;
            let c = s.add_demo(cases, seed, today)?;
            let (n, r) = (c.cases, c.records);
            say(
                &mut out,
                &format!("已生成演示数据：{n}个个案，{r}条记录"),
                &format!("Demo data added: {n} cases, {r} records"),
            );
        }
        Command::Due { on, json } => {
            let s = open(&dir, cli_user.as_deref(), lang)?;
            let on = match on {
                Some(d) => clock::parse_date(&d)?,
                None => clock::today()?,
            };
            let report = s.due(on)?;
            if json {
                print(&mut out, &output::json(&report));
            } else {
                if let Some(due) = s.annual_report_due(on) {
                    print(&mut out, &guitu_text::report_due(&due, lang));
                }
                print(&mut out, &output::due(&report, lang));
            }
        }
        Command::Report {
            report:
                ReportCommand::Annual {
                    year,
                    output,
                    xlsx,
                    json,
                },
        } => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let today = clock::today()?;
            let year = year.unwrap_or_else(|| today.year());
            if let Some(path) = &output {
                let printed = s.annual_report_pdf(year, today)?;
                write_file(path, &printed.bytes)?;
                let (p, pages, kb) = (path.display(), printed.pages, printed.bytes.len() / 1024);
                say(
                    &mut out,
                    &format!("已生成：{p}（{pages}页，{kb} KB）"),
                    &format!("Written: {p} ({pages} pages, {kb} KB)"),
                );
            }
            if let Some(path) = &xlsx {
                let sheet = s.annual_report_xlsx(year, today)?;
                write_file(path, &sheet.bytes)?;
                let (p, kb) = (path.display(), sheet.bytes.len() / 1024);
                say(
                    &mut out,
                    &format!("已生成：{p}（{kb} KB）"),
                    &format!("Written: {p} ({kb} KB)"),
                );
            }
            if json {
                let report = s.annual_report(year, today)?;
                print(&mut out, &output::json(&report));
            } else if output.is_none() && xlsx.is_none() {
                let report = s.annual_report(year, today)?;
                print(&mut out, &output::annual_report(&report, lang));
            }
        }
        Command::Search { text, json, limit } => {
            let s = open(&dir, cli_user.as_deref(), lang)?;
            let hits = s.search(&text, limit)?;
            if json {
                print(&mut out, &output::json(&hits));
            } else {
                print(&mut out, &output::hits(&hits, lang));
            }
        }
        Command::Show { case, json } => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let view = s.case_view(&case, clock::today()?)?;
            if json {
                print(&mut out, &output::json(&view));
            } else {
                print(&mut out, &output::case(&view, lang));
            }
        }
        Command::Print {
            case,
            kind,
            output,
            password,
            basis,
            basis_note,
        } => {
            use guitu_domain::handoff::{HandoffBasis, LegalBasis};
            let legal = match basis {
                Some(b) => Some(HandoffBasis::legal(
                    b.parse::<LegalBasis>().map_err(|_| {
                        ApiError::Input(Problem::UnknownBasis {
                            given: b.chars().take(40).collect(),
                            allowed: LegalBasis::ALL
                                .iter()
                                .map(|v| v.as_str().to_owned())
                                .collect(),
                        })
                    })?,
                    basis_note.as_deref(),
                )),
                None => None,
            };
            let kind = guitu_api::PrintKind::from_cli(&kind).ok_or_else(|| {
                ApiError::Input(Problem::UnknownPrintKind {
                    given: kind.chars().take(40).collect(),
                    allowed: guitu_api::PrintKind::ALL
                        .iter()
                        .map(|k| k.cli_name().to_owned())
                        .collect(),
                })
            })?;
            let password = if password {
                let a = secret_from_env_or_prompt(
                    "GUITU_PDF_PASSWORD",
                    &t(lang, "PDF密码：", "PDF password: "),
                )?;
                if std::env::var("GUITU_PDF_PASSWORD").is_err() {
                    let b = secret_from_env_or_prompt(
                        "GUITU_PDF_PASSWORD",
                        &t(lang, "再次输入PDF密码：", "Repeat the PDF password: "),
                    )?;
                    if a.expose() != b.expose() {
                        return Err(ApiError::Input(Problem::PassphrasesDiffer));
                    }
                }
                Some(a)
            } else {
                None
            };
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let today = clock::today()?;
            // R-PRINT-FIT: a kind that does not fit the person is printed, with a warning.
            let plan = s.print_plan(&case, kind, today)?;
            for w in &plan.warnings {
                eprintln!(
                    "{}{}",
                    t(lang, "注意：", "Note: "),
                    guitu_text::warning(w, lang)
                );
            }
            let printed = s.print(
                &case,
                kind,
                password.as_ref().map(|p| p.expose()),
                legal,
                today,
            )?;
            let path = output.unwrap_or_else(|| {
                PathBuf::from(match lang {
                    Lang::Zh => plan.file_name_zh,
                    Lang::En => plan.file_name_en,
                })
            });
            write_file(&path, &printed.bytes)?;
            let (p, pages, kb) = (path.display(), printed.pages, printed.bytes.len() / 1024);
            let locked = password.is_some();
            say(
                &mut out,
                &format!(
                    "已打印：{p}（{pages}页，{kb} KB）{}",
                    if locked { "，已加密" } else { "" }
                ),
                &format!(
                    "Printed: {p} ({pages} pages, {kb} KB){}",
                    if locked { ", password-protected" } else { "" }
                ),
            );
            // R-HANDOFF-BASIS: what the hand-off relied on, as the summary states it.
            if let (Some(b), Some(r)) = (&printed.basis, kind.recipient()) {
                let line = guitu_text::handoff_basis(b, r, true, lang);
                say(
                    &mut out,
                    &format!("移交依据：{line}"),
                    &format!("Basis: {line}"),
                );
            }
            if !printed.missing_glyphs.is_empty() {
                let chars: Vec<String> = printed
                    .missing_glyphs
                    .iter()
                    .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
                    .collect();
                let list = chars.join(", ");
                eprintln!(
                    "{}",
                    t(
                        lang,
                        &format!(
                            "注意：字体缺少以下字符，已以[U+编码]形式打印，请手工补写：{list}"
                        ),
                        &format!(
                            "Note: the font lacks these characters; they are printed as [U+code], write them in by hand: {list}"
                        )
                    )
                );
            }
        }
        Command::Verify => {
            let s = open(&dir, cli_user.as_deref(), lang)?;
            let r = s.verify()?;
            print(&mut out, &output::verify(&r, lang));
            if !r.ok() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Backup { file } => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let n = s.backup(&file)?;
            let f = file.display();
            say(
                &mut out,
                &format!("已写入加密备份：{f}（{n}字节）"),
                &format!("Encrypted backup written: {f} ({n} bytes)"),
            );
        }
        Command::Restore {
            file,
            replace_other_vault,
            older,
        } => {
            let pass = secret_from_env_or_prompt(
                "GUITU_PASSPHRASE",
                &t(lang, "备份的密码：", "Passphrase of the backup: "),
            )?;
            let options = guitu_api::RestoreOptions {
                replace_other_vault,
                allow_older: older,
            };
            let s = Session::restore(&dir, &file, &pass, options)?;
            let n = s.case_count()?;
            say(
                &mut out,
                &format!("已恢复并校验：{n}个个案"),
                &format!("Restored and verified: {n} cases"),
            );
        }
        Command::Calendar { file } => {
            let bytes = read_file(&file)?;
            let text = String::from_utf8_lossy(&bytes);
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let year = s.load_calendar_year(&text)?;
            say(
                &mut out,
                &format!("已载入{year}年节假日安排"),
                &format!("Holiday calendar {year} loaded"),
            );
        }
        Command::User(cmd) => user_command(cmd, &dir, cli_user.as_deref(), lang, &mut out)?,
        Command::Ledger(cmd) => ledger_command(cmd, &dir, cli_user.as_deref(), lang, &mut out)?,
        Command::Approval(cmd) => {
            approval_command(cmd, &dir, cli_user.as_deref(), lang, &mut out)?;
        }
        Command::Duplicates {
            action,
            json,
            limit,
        } => duplicates_command(
            action,
            json,
            limit,
            &dir,
            cli_user.as_deref(),
            lang,
            &mut out,
        )?,
        Command::Audit {
            by,
            case,
            from,
            to,
            limit,
            json,
            output,
        } => {
            for d in [&from, &to].into_iter().flatten() {
                clock::parse_date(d)?;
            }
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            if let Some(path) = output {
                let printed = s.print_audit(&guitu_api::AuditFilter {
                    user: by.as_deref(),
                    case: case.as_deref(),
                    from: from.as_deref(),
                    to: to.as_deref(),
                    limit,
                })?;
                write_file(&path, &printed.bytes)?;
                let (p, pages) = (path.display(), printed.pages);
                say(
                    &mut out,
                    &format!("已打印审计记录：{p}（{pages}页）"),
                    &format!("Audit trail printed: {p} ({pages} pages)"),
                );
                return Ok(ExitCode::SUCCESS);
            }
            let entries = s.audit(
                by.as_deref(),
                case.as_deref(),
                from.as_deref(),
                to.as_deref(),
                limit,
            )?;
            if json {
                print(&mut out, &output::json(&entries));
            } else {
                print(&mut out, &output::audit(&entries, lang));
            }
        }
        Command::Assign { case, to } => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            let mut c = s.find_case(&case)?;
            c.caseworker = to.trim().to_owned();
            s.update_case(c)?;
            say(
                &mut out,
                &format!("已将个案 {case} 交由 {to} 负责"),
                &format!("Case {case} is now {to}'s"),
            );
        }
        Command::Device { action } => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            handoff::device(&mut s, action, &mut out, lang)?;
        }
        Command::Peer(cmd) => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            handoff::peer(&mut s, cmd, &mut out, lang)?;
        }
        Command::Bundle(cmd) => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            handoff::bundle(&mut s, cmd, &mut out, lang)?;
        }
        Command::Conflicts { action, case, json } => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            handoff::conflicts(&mut s, action, case, json, &mut out, lang)?;
        }
        Command::Void(cmd) => {
            let mut s = open(&dir, cli_user.as_deref(), lang)?;
            match cmd {
                VoidCommand::Record { id, reason } => {
                    s.void_record(id, &reason)?;
                    say(
                        &mut out,
                        &format!("记录 {id} 已作废"),
                        &format!("Record {id} voided"),
                    );
                }
                VoidCommand::Case { case, reason } => {
                    s.void_case(&case, &reason)?;
                    say(
                        &mut out,
                        &format!("个案 {case} 已作废"),
                        &format!("Case {case} voided"),
                    );
                }
                VoidCommand::List { json } => {
                    let cases = s.voided_cases()?;
                    if json {
                        print(&mut out, &output::json(&cases));
                    } else if cases.is_empty() {
                        say(&mut out, "没有已作废的个案", "No voided cases");
                    } else {
                        for c in &cases {
                            let name = guitu_text::person_name(
                                c.name.as_deref(),
                                c.intake_number.as_deref(),
                                lang,
                            );
                            let _ = writeln!(
                                out,
                                "{}  {name}  {}  {}  {}",
                                c.case_number,
                                c.void.at.get(..10).unwrap_or(&c.void.at),
                                c.void.by,
                                c.void.reason
                            );
                        }
                    }
                }
                VoidCommand::Restore(RestoreTarget::Record { id }) => {
                    s.restore_record(id)?;
                    say(
                        &mut out,
                        &format!("记录 {id} 已恢复"),
                        &format!("Record {id} restored"),
                    );
                }
                VoidCommand::Restore(RestoreTarget::Case { case }) => {
                    s.restore_case(&case)?;
                    say(
                        &mut out,
                        &format!("个案 {case} 已恢复"),
                        &format!("Case {case} restored"),
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn ledger_command(
    cmd: LedgerCommand,
    dir: &Path,
    me: Option<&str>,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), ApiError> {
    let mut print = |text: &str| {
        let _ = writeln!(out, "{text}");
    };
    match cmd {
        LedgerCommand::Import {
            file,
            sheet,
            map,
            preview,
            same,
            different,
            all_different,
            json,
        } => {
            let bytes = read_file(&file)?;
            let mut s = open(dir, me, lang)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let sheet = sheet.as_deref();
            let first = s.ledger_preview(&bytes, sheet, None)?;
            let mapping = match map {
                None => None,
                Some(m) => {
                    let overrides = guitu_api::ledger::parse_map(&read_file(&m)?)
                        .map_err(|e| ApiError::Ledger(e, None))?;
                    Some(
                        first
                            .mapping
                            .clone()
                            .with_overrides(&overrides)
                            .map_err(|e| ApiError::Ledger(e, None))?,
                    )
                }
            };
            let shown = match &mapping {
                Some(_) => s.ledger_preview(&bytes, sheet, mapping.clone())?,
                None => first,
            };
            if preview {
                if json {
                    print(&output::json(&shown));
                } else {
                    print(&output::ledger_preview(&shown, lang));
                }
                return Ok(());
            }
            // ROW=VAULT_PERSON: the row's person, as the preview proposed it.
            let row_person = |row: &str| {
                let row: u32 = row.trim().parse().ok()?;
                shown
                    .duplicates
                    .iter()
                    .find(|d| d.row == row)
                    .and_then(|d| uuid::Uuid::parse_str(&d.duplicate.file_person).ok())
            };
            let by_row = |given: &[String]| parse_pairs(&s, given, row_person);
            let decisions = guitu_api::transfer::ImportDecisions {
                same: by_row(&same)?,
                different: by_row(&different)?,
                all_different,
            };
            let report = match s.import_ledger(&bytes, &name, sheet, mapping, &decisions) {
                Err(e @ ApiError::Import(guitu_api::ImportError::UndecidedDuplicates { .. })) => {
                    if json {
                        print(&output::json(&shown.duplicates));
                    } else {
                        eprintln!("{}", output::ledger_duplicates(&shown.duplicates, lang));
                    }
                    return Err(e);
                }
                other => other?,
            };
            if json {
                print(&output::json(&report));
            } else {
                print(&output::imported(&report, lang));
            }
        }
        LedgerCommand::Export { year, output } => {
            let mut s = open(dir, me, lang)?;
            let bytes = s.export_ledger(year)?;
            write_file(&output, &bytes)?;
            let o = output.display();
            print(&t(
                lang,
                &format!("台账已写入：{o}"),
                &format!("Ledger written: {o}"),
            ));
        }
    }
    Ok(())
}

/// A person named by a case number (or case id) of theirs, or by the person's id.
fn person_ref(s: &Session, given: &str) -> Result<uuid::Uuid, ApiError> {
    match s.person_of_case(given) {
        Ok(id) => Ok(id),
        Err(e) => match uuid::Uuid::parse_str(given.trim()) {
            Ok(id) => Ok(id),
            Err(_) => Err(e),
        },
    }
}

/// `LEFT=VAULT_PERSON` pairs of `guitu import` (the file's person id on the left) and of
/// `guitu ledger import` (a row number): `left` finds the file's person.
fn parse_pairs(
    s: &Session,
    given: &[String],
    left: impl Fn(&str) -> Option<uuid::Uuid>,
) -> Result<Vec<(uuid::Uuid, uuid::Uuid)>, ApiError> {
    given
        .iter()
        .map(|g| {
            let bad = || {
                ApiError::Input(Problem::BadPersonPair {
                    given: g.chars().take(80).collect(),
                })
            };
            let (file, vault) = g.split_once('=').ok_or_else(bad)?;
            let file = left(file).ok_or_else(bad)?;
            Ok((file, person_ref(s, vault)?))
        })
        .collect()
}

/// The file's person of a `guitu import` pair: its id.
fn file_person(id: &str) -> Option<uuid::Uuid> {
    uuid::Uuid::parse_str(id.trim()).ok()
}

fn duplicates_command(
    action: Option<DuplicatesCommand>,
    json: bool,
    limit: usize,
    dir: &Path,
    me: Option<&str>,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), ApiError> {
    let mut s = open(dir, me, lang)?;
    let mut print = |text: &str| {
        let _ = writeln!(out, "{text}");
    };
    let say = |zh: &str, en: &str| t(lang, zh, en);
    match action {
        None => {
            let scan = s.duplicate_pairs(limit)?;
            if json {
                print(&output::json(&scan));
            } else {
                print(&output::duplicate_pairs(&scan, lang));
            }
        }
        Some(DuplicatesCommand::Merge { keep, absorb }) => {
            let kept = person_ref(&s, &keep)?;
            let absorbed = person_ref(&s, &absorb)?;
            let m = s.merge_persons(kept, absorbed)?;
            let (n, id) = (m.cases_moved, &m.merge_id);
            print(&say(
                &format!("已合并：{n}个个案并入所保留的人员（撤销：guitu duplicates undo {id}）"),
                &format!(
                    "Merged: {n} case(s) moved to the person kept (undo: guitu duplicates undo {id})"
                ),
            ));
        }
        Some(DuplicatesCommand::NotSame { a, b }) => {
            let (a, b) = (person_ref(&s, &a)?, person_ref(&s, &b)?);
            s.mark_not_duplicate(a, b)?;
            print(&say(
                "已记录：不是同一人，今后不再提示",
                "Recorded: not the same person; not proposed again",
            ));
        }
        Some(DuplicatesCommand::Undo { merge }) => {
            s.undo_merge(merge)?;
            print(&say("已撤销合并", "Merge undone"));
        }
        Some(DuplicatesCommand::Merges { json }) => {
            let list = s.merges(100)?;
            if json {
                print(&output::json(&list));
            } else {
                print(&output::merges(&list, lang));
            }
        }
    }
    Ok(())
}

fn parse_roles(given: &[String]) -> Result<Vec<Role>, ApiError> {
    given
        .iter()
        .map(|r| {
            Role::parse(r.trim()).ok_or_else(|| {
                ApiError::Input(Problem::UnknownRole {
                    given: r.chars().take(40).collect(),
                    allowed: Role::ALL.iter().map(|r| r.as_str().to_owned()).collect(),
                })
            })
        })
        .collect()
}

fn user_command(
    cmd: UserCommand,
    dir: &Path,
    me: Option<&str>,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), ApiError> {
    let mut s = open(dir, me, lang)?;
    let mut say = |zh: &str, en: &str| {
        let _ = writeln!(out, "{}", t(lang, zh, en));
    };
    match cmd {
        UserCommand::List { json } => {
            let users = s.users()?;
            if json {
                say(&output::json(&users), &output::json(&users));
            } else {
                let text = output::users(&users, lang);
                say(&text, &text);
            }
        }
        UserCommand::Add {
            name,
            roles,
            institution,
        } => {
            let roles = parse_roles(&roles)?;
            let pass = new_passphrase(lang)?;
            let u = s.add_user(&name, &roles, institution.as_deref(), &pass, &kdf())?;
            say(
                &format!("已添加用户：{}", u.name),
                &format!("User added: {}", u.name),
            );
        }
        UserCommand::Disable { name } => {
            let mut u = find_user(&s, &name)?;
            u.disabled = true;
            s.update_user(&u)?;
            say(
                &format!("已停用用户：{name}"),
                &format!("User disabled: {name}"),
            );
        }
        UserCommand::Enable { name } => {
            let mut u = find_user(&s, &name)?;
            u.disabled = false;
            s.update_user(&u)?;
            say(
                &format!("已启用用户：{name}"),
                &format!("User enabled: {name}"),
            );
        }
        UserCommand::Reset { name } => {
            let pass = new_passphrase(lang)?;
            s.reset_passphrase(&name, &pass, &kdf())?;
            say(
                &format!("已为用户 {name} 设置新密码"),
                &format!("New passphrase set for {name}"),
            );
        }
        UserCommand::Remove { name } => {
            let code = s.remove_user(&name, &kdf(), &|p| {
                if let Some(pct) = p.done.saturating_mul(100).checked_div(p.total) {
                    eprint!("\r{:?} {pct}%   ", p.stage);
                }
            })?;
            eprintln!();
            say(
                &format!("已删除用户 {name}，档案库已换用新密钥"),
                &format!("User {name} removed; the vault was re-keyed"),
            );
            if let Some(code) = code {
                say(
                    "新的恢复码（只显示这一次，请打印或抄写后妥善保管）：",
                    "New recovery code (shown only now: print or write it down and keep it safe):",
                );
                let _ = writeln!(out, "    {}", code.expose());
            }
        }
    }
    Ok(())
}

fn find_user(s: &Session, name: &str) -> Result<guitu_api::User, ApiError> {
    s.users()?
        .into_iter()
        .find(|u| u.name == name)
        .ok_or_else(|| ApiError::Store(guitu_api::StoreError::UserUnknown))
}

fn approval_command(
    cmd: ApprovalCommand,
    dir: &Path,
    me: Option<&str>,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), ApiError> {
    let mut s = open(dir, me, lang)?;
    let today = clock::today()?;
    match cmd {
        ApprovalCommand::List { json } => {
            let a = s.approvals_for_me()?;
            let text = if json {
                output::json(&a)
            } else {
                output::approvals(&a, lang)
            };
            let _ = writeln!(out, "{text}");
        }
        ApprovalCommand::Request {
            case,
            subject,
            record,
            note,
        } => {
            let subject = ApprovalSubject::parse(subject.trim()).ok_or_else(|| {
                ApiError::Input(Problem::UnknownSubject {
                    given: subject.chars().take(40).collect(),
                    allowed: ApprovalSubject::ALL
                        .iter()
                        .map(|r| r.as_str().to_owned())
                        .collect(),
                })
            })?;
            let r = s.request_approval(&case, subject, record, &note, today)?;
            let _ = writeln!(
                out,
                "{}",
                t(
                    lang,
                    &format!("已提请审批：{}", r.id),
                    &format!("Approval requested: {}", r.id)
                )
            );
        }
        ApprovalCommand::Decide {
            id,
            approve,
            reject: _,
            reason,
        } => {
            let outcome = if approve {
                ApprovalOutcome::Approved
            } else {
                ApprovalOutcome::Rejected
            };
            let r = s.decide_approval(id, outcome, &reason, today)?;
            let what = guitu_text::label(&outcome, lang);
            let _ = writeln!(
                out,
                "{}",
                t(
                    lang,
                    &format!("{what}：{}", r.id),
                    &format!("{what}: {}", r.id)
                )
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = language(cli.lang);
    match run(cli, lang) {
        Ok(code) => code,
        Err(e) => {
            let p = e.problem();
            eprintln!(
                "{} [{}]: {}",
                t(lang, "错误", "Error"),
                p.code(),
                guitu_text::problem(&p, lang)
            );
            ExitCode::FAILURE
        }
    }
}
