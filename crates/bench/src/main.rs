//! `guitu-bench`: the figures of docs/PERFORMANCE.md. A separate binary, so that nothing
//! a benchmark needs (the document of a print without its audit entry, the HTML printer
//! for the Chromium comparison) is in the `guitu` users run.

mod bench;
mod pairs;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "guitu-bench",
    about = "Guitu performance figures (docs/PERFORMANCE.md)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build a vault of demo cases and print import, unlock, search, deadline and save
    /// figures.
    Cases {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        /// Where to build the benchmark vault (deleted afterwards).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Precision and recall of duplicate detection on the labelled pairs, and the check's
    /// speed on a vault of demo cases.
    Duplicates {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        /// The labelled pairs (JSON).
        #[arg(long, default_value = pairs::PAIRS_FILE)]
        pairs: PathBuf,
    },
    /// Ledgers (台账): import a generated ledger into an empty vault, export the ledger of
    /// a demo vault.
    Ledger {
        /// Rows of the ledger imported.
        #[arg(long, default_value_t = 10_000)]
        rows: usize,
        /// Cases of the vault whose ledger is exported.
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
    },
    /// The annual report (R-ANNUAL) on a vault of demo cases: figures, PDF, spreadsheet.
    Report {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
    },
    /// Hand-off between devices: a new device joining with every case in one bundle
    /// (beside the plain import), then a bundle of changed cases made and opened.
    Handoff {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        #[arg(long, default_value_t = 1_000)]
        changed: usize,
    },
    /// Print a ~20-page case file, each hand-off kind and a batch of 100, and the same
    /// content through headless Chromium for comparison (if installed).
    Print {
        /// Chromium binary for the comparison.
        #[arg(long, default_value = "/usr/bin/chromium")]
        chromium: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    let result = match cli.command {
        Command::Cases { cases, dir } => bench::run(cases, dir, &mut out),
        Command::Print { chromium } => bench::run_print(&chromium, &mut out),
        Command::Duplicates { cases, pairs } => bench::run_duplicates(cases, &pairs, &mut out),
        Command::Ledger { rows, cases } => bench::run_ledger(rows, cases, &mut out),
        Command::Report { cases } => bench::run_report(cases, &mut out),
        Command::Handoff { cases, changed } => bench::run_handoff(cases, changed, &mut out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let text = guitu_text::problem(&e.problem(), guitu_text::Lang::En);
            eprintln!("error [{}]: {text}", e.code());
            ExitCode::FAILURE
        }
    }
}
