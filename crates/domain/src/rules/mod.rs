//! The rules of DOMAIN.md, one module each.

pub mod employment;
pub mod id3m;
pub mod idnum;
pub mod legal_aid;
pub mod placement;
