//! Files written on a user's request (exports, printed PDFs): readable by their owner
//! only (0600, whatever the umask) and replaced atomically, like every file of the vault.

use std::path::Path;

use crate::{ApiError, Result};

/// Writes `bytes` to `path`: a temporary file (0600) in the same folder, fsync, rename
/// over `path`, fsync of the folder. On failure an existing file is left as it was.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    guitu_store::files::write_private(path, bytes).map_err(|source| ApiError::File {
        path: path.display().to_string(),
        source,
    })
}
