//! Guitu's words.
//!
//! Errors and warnings travel through the layers as values: a stable code with typed
//! parameters ([`Problem`] for what a use case refuses or fails with, the domain's
//! `DomainError` and `Warning` for the rules). Text is made only at the edges: the desktop
//! UI has a catalogue keyed by the same codes (generated TypeScript types make it
//! complete), and this crate is the one renderer for the CLI and the printed files.
//!
//! Nothing here carries personal data: problems name files, fields, case numbers and
//! ids, never a person's name or ID number.

mod problem;
mod render;
mod report;
pub mod values;

pub use problem::{
    BackupProblem, ImportLocation, ImportProblem, IoKind, LedgerCell, Problem, Thing, ValueKind,
};
pub use render::{
    Lang, case_flag_list, date, due_what, field, handoff_basis, history_summary, label,
    person_name, problem, rule_error, warning, yes_no,
};
pub use report::{report_cell, report_due, report_notes, report_title, small_count, withheld};
