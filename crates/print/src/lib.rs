//! Guitu's printed files: the full case file (完整档案) and the redacted hand-off
//! summaries (移交摘要) for schools, hospitals, legal-aid centres, police and other
//! civil-affairs offices, as A4 PDFs with real, searchable Chinese text.
//!
//! - `doc`: the document model (what is printed).
//! - `content`, `profiles`: what goes into each kind of file; a redaction profile per
//!   recipient decides which fields appear, and what it leaves out never enters the
//!   document.
//! - `linebreak`: Chinese line breaking (禁则).
//! - `report`: the annual report (R-ANNUAL) as a document (tables and bar charts) and as
//!   a spreadsheet.
//! - `render`: layout on printpdf with the embedded Noto Sans SC font, subset per file;
//!   optional AES-256 password protection with lopdf.

pub mod content;
pub mod doc;
pub mod error;
#[cfg(feature = "html")]
pub mod html;
pub mod linebreak;
pub mod profiles;
pub mod render;
pub mod report;

pub use error::{PrintError, Result};
