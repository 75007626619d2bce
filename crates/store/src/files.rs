//! Private files: everything Guitu writes is readable by its owner only (folders 0700,
//! files 0600, whatever the umask), and replaced atomically (temporary file in the same
//! folder, fsync, rename, fsync of the folder), so a crash leaves the old file or the new
//! one, never a mix. On Windows the permission code is a no-op (files there inherit the
//! ACL of the user's profile folder).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Mode of every file Guitu writes.
#[cfg(unix)]
pub const FILE_MODE: u32 = 0o600;
/// Mode of the vault folder and of the folders Guitu makes inside it.
#[cfg(unix)]
pub const DIR_MODE: u32 = 0o700;

/// Opens a new file (it must not exist) readable and writable by its owner only.
pub fn create_new_private(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(FILE_MODE);
    }
    let f = o.open(path)?;
    // The umask can only remove bits from 0600, but a file system may ignore the mode
    // (or an ACL may add some): set it explicitly.
    set_private_file(path)?;
    Ok(f)
}

/// Sets a file's mode to 0600 (no-op on Windows).
pub fn set_private_file(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(FILE_MODE))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Sets a folder's mode to 0700 (no-op on Windows).
pub fn set_private_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(DIR_MODE))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates `dir` (and missing parents) and makes `dir` itself 0700. Parents made here get
/// 0700 too: they are Guitu's own (e.g. `~/.local/share/org.guitu.desktop`).
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(DIR_MODE);
    }
    b.create(dir)?;
    set_private_dir(dir)
}

/// Makes the rename or creation of an entry of `dir` durable.
#[cfg(unix)]
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Windows cannot open a directory as a file; NTFS journals the rename itself.
#[cfg(not(unix))]
pub fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// The folder of `path` (`.` for a bare file name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A fresh temporary name beside `path`: `.<name>.tmp-<random>`.
pub fn temp_beside(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let mut rnd = [0u8; 8];
    getrandom::fill(&mut rnd).map_err(|e| io::Error::other(e.to_string()))?;
    let mut tmp = std::ffi::OsString::from(".");
    tmp.push(name);
    tmp.push(format!(".tmp-{}", hex::encode(rnd)));
    Ok(parent_of(path).join(tmp))
}

/// Whether the file system of `dir` has no room for a 64 KiB file (used to tell a full
/// disk behind SQLite's generic I/O errors).
pub fn no_space_left(dir: &Path) -> bool {
    let Ok(probe) = temp_beside(&dir.join("space-probe")) else {
        return false;
    };
    let r = (|| -> io::Result<()> {
        let mut f = create_new_private(&probe)?;
        f.write_all(&[0u8; 64 * 1024])?;
        f.sync_all()
    })();
    let _ = fs::remove_file(&probe);
    matches!(r, Err(e) if crate::error::io_is_disk_full(&e))
}

/// Writes `bytes` to `path` readable by its owner only (0600), atomically: a temporary
/// file in the same folder, fsync, rename over `path`, fsync of the folder. On failure
/// the old file (if any) is left as it was and the temporary file is removed.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_beside(path)?;
    let written = (|| -> io::Result<()> {
        let mut f = create_new_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(&parent_of(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn written_files_are_private_whatever_the_old_mode() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let p = tmp.path().join("out.txt");
        fs::write(&p, b"old").expect("write");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).expect("chmod");
        write_private(&p, b"new").expect("write_private");
        assert_eq!(fs::read(&p).expect("read"), b"new");
        let mode = fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a replaced file is 0600");
        let leftovers = fs::read_dir(tmp.path()).expect("ls").count();
        assert_eq!(leftovers, 1, "no temporary file is left");
        let d = tmp.path().join("a/b");
        create_private_dir_all(&d).expect("mkdir");
        let mode = fs::metadata(&d).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
