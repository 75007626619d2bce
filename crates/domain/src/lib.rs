//! Guitu's domain: the entities and rules of the district's implementation rules for
//! China's Anti-Human-Trafficking Action Plan (see `shared/docs/DOMAIN.md`).
//!
//! No I/O happens here: the crate compiles and tests without a database, a window or a
//! file system. Rules carry the ids of DOMAIN.md (R-ID-3M, R-LA-GC, …) in their docs.

pub mod calendar;
pub mod error;
pub mod label;
pub mod model;
pub mod rules;
pub mod settings;
pub mod validate;

pub use error::{DomainError, IdNumberProblem, Warning};
pub use label::Label;
