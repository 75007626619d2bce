//! What the shell keeps between commands: the vault directory and, while unlocked, the
//! session (which holds the data key; dropping it closes the database and zeroes the key).

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use guitu_api::{ErrorPayload, Session};

/// The shell's state.
pub struct AppState {
    pub dir: PathBuf,
    session: Mutex<Option<Session>>,
    last_activity: Mutex<Instant>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// The error a command returns while the vault is locked.
pub fn locked() -> ErrorPayload {
    ErrorPayload {
        code: "locked".into(),
        message: "保险库已锁定，请先解锁 / The vault is locked: unlock it first".into(),
    }
}

fn poisoned() -> ErrorPayload {
    ErrorPayload {
        code: "internal".into(),
        message: "内部错误，请重新启动应用 / Internal error: restart the app".into(),
    }
}

impl AppState {
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            session: Mutex::new(None),
            last_activity: Mutex::new(Instant::now()),
        }
    }

    fn slot(&self) -> Result<MutexGuard<'_, Option<Session>>, ErrorPayload> {
        self.session.lock().map_err(|_| poisoned())
    }

    /// Runs `f` on the unlocked session; counts as activity.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Session) -> guitu_api::Result<T>,
    ) -> Result<T, ErrorPayload> {
        self.touch();
        let mut slot = self.slot()?;
        let session = slot.as_mut().ok_or_else(locked)?;
        f(session).map_err(|e| e.payload())
    }

    /// Installs a freshly unlocked session.
    pub fn set(&self, session: Session) -> Result<(), ErrorPayload> {
        self.touch();
        *self.slot()? = Some(session);
        Ok(())
    }

    /// Drops the session (and with it the key). Returns whether it was unlocked.
    pub fn lock(&self) -> bool {
        match self.session.lock() {
            Ok(mut slot) => slot.take().is_some(),
            // A poisoned lock still holds the session: drop it all the same.
            Err(poison) => poison.into_inner().take().is_some(),
        }
    }

    /// The user and idle-lock minutes of the open session.
    pub fn session_info(&self) -> Option<(String, u32)> {
        let slot = self.session.lock().ok()?;
        slot.as_ref()
            .map(|s| (s.user().to_owned(), s.settings().idle_lock_minutes))
    }

    /// Records user activity.
    pub fn touch(&self) {
        if let Ok(mut t) = self.last_activity.lock() {
            *t = Instant::now();
        }
    }

    /// Locks when the vault has been idle for longer than its setting; returns true
    /// when it locked.
    pub fn lock_if_idle(&self, now: Instant) -> bool {
        let Some((_, minutes)) = self.session_info() else {
            return false;
        };
        let idle = self
            .last_activity
            .lock()
            .map(|t| now.saturating_duration_since(*t))
            .unwrap_or_default();
        if is_idle(idle, minutes) {
            self.lock()
        } else {
            false
        }
    }
}

/// Whether `idle` exceeds the idle-lock setting.
pub fn is_idle(idle: Duration, minutes: u32) -> bool {
    idle >= Duration::from_secs(u64::from(minutes) * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_after_the_configured_minutes() {
        assert!(
            !is_idle(Duration::from_secs(599), 10),
            "9:59 of 10 minutes is not idle yet"
        );
        assert!(
            is_idle(Duration::from_secs(600), 10),
            "10 minutes without input locks"
        );
        assert!(
            is_idle(Duration::from_secs(61), 1),
            "the shortest setting, 1 minute"
        );
    }

    #[test]
    fn locked_state_refuses_commands() {
        let state = AppState::new(PathBuf::from("/nonexistent"));
        let err = state.with(|s| Ok(s.user().to_owned()));
        assert_eq!(
            err.err().map(|e| e.code),
            Some("locked".to_owned()),
            "no session: locked"
        );
        assert!(!state.lock_if_idle(Instant::now()), "nothing to lock");
    }
}
