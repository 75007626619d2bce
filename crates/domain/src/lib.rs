//! Guitu's domain: the entities and rules of the district's implementation rules for
//! China's Anti-Human-Trafficking Action Plan (see `shared/docs/DOMAIN.md`).
//!
//! No I/O happens here: the crate compiles and tests without a database, a window or a
//! file system. Rules carry the ids of DOMAIN.md (R-ID-3M, R-LA-GC, …) in their docs.

// The derive refers to `::guitu_domain::…`, also inside this crate.
extern crate self as guitu_domain;

pub mod access;
pub mod approval;
pub mod calendar;
pub mod dates;
pub mod duplicates;
pub mod error;
pub mod handoff;
pub mod label;
pub mod model;
pub mod names;
pub mod report;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod validate;

pub use error::{
    CalendarProblem, Channel, DomainError, FieldPath, IdNumberProblem, SettingProblem, Warning,
};
pub use label::Label;
