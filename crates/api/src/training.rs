//! The training vault: demo data for practice, never in the real vault.
//!
//! A vault's training vault lives in the folder beside it, `<vault folder>-training`
//! ([`training_vault_dir`]). It is a vault of its own, marked as training in its encrypted
//! database, and it opens with a secret derived from the real vault's data key
//! (`Vault::training_secret`): whoever can unlock the real vault can open its training
//! vault, no second passphrase exists, and opening it writes nothing to the real vault.
//! Demo data goes only into a training vault ([`Session::add_demo`] refuses a real one).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use guitu_store::{ImportCounts, KdfParams, Secret, StoreError, Vault};

use crate::{ApiError, Problem, Result, Session};

/// The training vault of the vault in `dir`: the folder beside it whose name ends in
/// `-training` (`…/org.guitu.desktop/vault` → `…/org.guitu.desktop/vault-training`).
pub fn training_vault_dir(dir: &Path) -> PathBuf {
    match dir.file_name() {
        Some(name) => {
            let mut name = name.to_os_string();
            name.push("-training");
            dir.with_file_name(name)
        }
        None => dir.join("training"),
    }
}

/// A training vault opened from its real vault.
#[derive(Debug)]
pub struct TrainingOpened {
    pub session: Session,
    /// The demo cases put into it when it was created now; `None` when it existed.
    pub demo: Option<ImportCounts>,
    /// A training vault that no longer opened (the real vault was re-keyed since: a user
    /// was removed) was set aside under this folder and a new one made.
    pub set_aside: Option<PathBuf>,
}

impl Session {
    /// Whether this session is on a training vault (the front ends mark every screen).
    pub fn is_training(&self) -> Result<bool> {
        Ok(self.vault.is_training()?)
    }

    /// Creates a training vault of its own in `dir` (for courses, scripts and benchmarks:
    /// `guitu init --training`), with its own user and passphrase.
    pub fn create_training(
        dir: &Path,
        user: &str,
        passphrase: &Secret,
        kdf: &KdfParams,
    ) -> Result<(Session, Secret)> {
        if user.trim().is_empty() {
            return Err(ApiError::Input(Problem::EmptyUser));
        }
        let (vault, code) = Vault::create_training(dir, user.trim(), passphrase, kdf)?;
        Ok((Self::from_vault(vault)?, code))
    }

    /// Opens this vault's training vault, creating it (as this user, its administrator)
    /// with `demo_cases` demo cases as of `today` when it does not exist yet. This vault
    /// is not written. A training vault cannot open one of its own.
    pub fn open_training(
        &self,
        demo_cases: usize,
        today: NaiveDate,
        kdf: &KdfParams,
    ) -> Result<TrainingOpened> {
        if self.is_training()? {
            return Err(ApiError::Input(Problem::TrainingAlreadyOpen));
        }
        let dir = training_vault_dir(self.vault.dir());
        let secret = self.vault.training_secret();
        let mut set_aside = None;
        if Vault::exists(&dir) {
            match Vault::open(&dir, &secret) {
                Ok(vault) => {
                    return Ok(TrainingOpened {
                        session: Self::from_vault(vault)?,
                        demo: None,
                        set_aside: None,
                    });
                }
                // The real vault's data key changed (a user was removed and the database
                // re-keyed): its training vault no longer opens. It holds only practice
                // work; keep it aside rather than delete it, and make a new one.
                Err(StoreError::WrongPassphrase) => {
                    set_aside = Some(set_aside_dir(&dir)?);
                }
                Err(e) => return Err(e.into()),
            }
        }
        let (vault, _code) = Vault::create_training(&dir, self.user(), &secret, kdf)?;
        let mut session = Self::from_vault(vault)?;
        let demo = session.add_demo(demo_cases, 2026, today)?;
        Ok(TrainingOpened {
            session,
            demo: Some(demo),
            set_aside,
        })
    }
}

/// Renames a training vault that no longer opens to `<dir>-replaced-<n>` (the first free n).
fn set_aside_dir(dir: &Path) -> Result<PathBuf> {
    let base = dir.as_os_str().to_os_string();
    for n in 1..1000 {
        let mut name = base.clone();
        name.push(format!("-replaced-{n}"));
        let target = PathBuf::from(name);
        if !target.exists() {
            std::fs::rename(dir, &target).map_err(|source| ApiError::File {
                path: dir.display().to_string(),
                source,
            })?;
            return Ok(target);
        }
    }
    Err(ApiError::File {
        path: dir.display().to_string(),
        source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_training_vault_sits_beside_the_vault() {
        assert_eq!(
            training_vault_dir(Path::new("/home/a/.local/share/org.guitu.desktop/vault")),
            PathBuf::from("/home/a/.local/share/org.guitu.desktop/vault-training"),
            "a folder beside the vault, never inside it (a backup or restore of the vault leaves it alone)"
        );
        assert_eq!(
            training_vault_dir(Path::new("/")),
            PathBuf::from("/training"),
            "a root folder has no name to extend"
        );
    }
}
