//! The rules of DOMAIN.md, one module each.

pub mod due;
pub mod employment;
pub mod flags;
pub mod id3m;
pub mod idnum;
pub mod legal_aid;
pub mod merge;
pub mod placement;
