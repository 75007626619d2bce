//! What the shell keeps between commands: the vault directory and, while unlocked, the
//! session (which holds the data key; dropping it closes the database and zeroes the key).
//!
//! Locking never waits for a use case. The session sits behind its own mutex inside an
//! `Arc`; a command clones the `Arc` under a short lock of the slot and runs on a
//! blocking thread. Locking only empties the slot: the UI is locked at once, and a use
//! case still running (a 100,000-case demo, an export) finishes on its own `Arc`, after
//! which the last reference drops the session and its key.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use guitu_api::{Problem, Session};
use guitu_domain::access::{Permission, Visibility};
use guitu_store::User;

/// An unlocked vault and what status reports need without waiting for it.
struct Unlocked {
    session: Arc<Mutex<Session>>,
    info: SessionInfo,
}

/// Who is unlocked and what the UI may offer them (read once at unlock: a session's
/// user and roles do not change while it is open).
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user: User,
    pub permissions: Vec<Permission>,
    pub visibility: Visibility,
    pub idle_lock_minutes: u32,
    /// A training vault (demo data, marked on every screen).
    pub training: bool,
}

/// The shell's state.
pub struct AppState {
    pub dir: PathBuf,
    slot: Mutex<Option<Unlocked>>,
    last_activity: Mutex<Instant>,
    /// A bundle file the app was opened on (a double-clicked `.guitu`), until the UI
    /// takes it.
    pending_bundle: Mutex<Option<PathBuf>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            slot: Mutex::new(None),
            last_activity: Mutex::new(Instant::now()),
            pending_bundle: Mutex::new(None),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Unlocked>> {
        // A poisoned slot still holds a valid Option: keep using it.
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The open session, if any (a clone of its `Arc`; counts as activity).
    fn session(&self) -> Result<Arc<Mutex<Session>>, Problem> {
        self.touch();
        self.slot()
            .as_ref()
            .map(|u| Arc::clone(&u.session))
            .ok_or(Problem::Locked)
    }

    /// Runs `f` on the unlocked session on a blocking thread; counts as activity.
    pub async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Session) -> guitu_api::Result<T> + Send + 'static,
    ) -> Result<T, Problem> {
        let session = self.session()?;
        tauri::async_runtime::spawn_blocking(move || {
            let mut s = session.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut s).map_err(|e| e.problem())
        })
        .await
        .map_err(|_| Problem::AppInternal)?
    }

    /// Installs a freshly unlocked session.
    pub fn set(&self, session: Session) {
        self.touch();
        // A mark that cannot be read counts as training: never show a training vault
        // unmarked.
        let training = session.is_training().unwrap_or(true);
        let unlocked = Unlocked {
            info: SessionInfo {
                training,
                user: session.current_user().clone(),
                permissions: session.permissions(),
                visibility: session.visibility(),
                idle_lock_minutes: session.settings().idle_lock_minutes,
            },
            session: Arc::new(Mutex::new(session)),
        };
        *self.slot() = Some(unlocked);
    }

    /// Updates the idle-lock minutes shown and used (after the settings change).
    pub fn set_idle_minutes(&self, minutes: u32) {
        if let Some(u) = self.slot().as_mut() {
            u.info.idle_lock_minutes = minutes;
        }
    }

    /// Drops the shell's hold on the session (and with it, once no use case runs on it,
    /// the key). Never waits for a running use case. Returns whether it was unlocked.
    pub fn lock(&self) -> bool {
        self.slot().take().is_some()
    }

    /// The user, permissions and idle-lock minutes of the open session.
    pub fn session_info(&self) -> Option<SessionInfo> {
        self.slot().as_ref().map(|u| u.info.clone())
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
        let Some(minutes) = self.slot().as_ref().map(|u| u.info.idle_lock_minutes) else {
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

impl AppState {
    /// Keeps the bundle file the app was opened on for the UI (a later one replaces it).
    pub fn set_pending_bundle(&self, path: PathBuf) {
        *self
            .pending_bundle
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(path);
    }

    /// The bundle file the app was opened on, once.
    pub fn take_pending_bundle(&self) -> Option<PathBuf> {
        self.pending_bundle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }
}

/// The hand-off bundle among a start's arguments (the program first, as
/// `std::env::args` and the single-instance plugin give them): the last one naming a
/// `.guitu` file, made absolute against `cwd` (a second start's working directory is not
/// the running app's). `file://` URIs (what some file managers pass) are read as paths.
pub fn bundle_argument<S: AsRef<str>>(args: &[S], cwd: &std::path::Path) -> Option<PathBuf> {
    args.iter()
        .skip(1)
        .map(AsRef::as_ref)
        .filter(|a| !a.starts_with('-'))
        .map(|a| match a.strip_prefix("file://") {
            Some(uri) => percent_decoded(uri),
            None => a.to_owned(),
        })
        .rfind(|a| {
            std::path::Path::new(a)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("guitu"))
        })
        .map(|a| cwd.join(a))
}

/// A URI's path with its `%XX` escapes decoded (`%E5%BD%92` → 归); a malformed escape or
/// bytes that are not UTF-8 stay as they were written.
fn percent_decoded(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| uri.to_owned())
}

/// Whether `idle` exceeds the idle-lock setting.
pub fn is_idle(idle: Duration, minutes: u32) -> bool {
    idle >= Duration::from_secs(u64::from(minutes) * 60)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
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
    fn a_bundle_file_among_the_arguments_is_found_and_made_absolute() {
        let cwd = std::path::Path::new("/home/u/下载");
        assert_eq!(
            bundle_argument(
                &["guitu-desktop", "归途移交包 庇护所 2026-11-30.guitu"],
                cwd
            ),
            Some(PathBuf::from(
                "/home/u/下载/归途移交包 庇护所 2026-11-30.guitu"
            )),
            "a relative path is read against the start's working directory"
        );
        assert_eq!(
            bundle_argument(&["guitu-desktop", "/media/usb/a.GUITU"], cwd),
            Some(PathBuf::from("/media/usb/a.GUITU")),
            "an absolute path stays; the extension in any case"
        );
        assert_eq!(
            bundle_argument(&["guitu-desktop", "file:///media/usb/b.guitu"], cwd),
            Some(PathBuf::from("/media/usb/b.guitu")),
            "a file URI is a path"
        );
        assert_eq!(
            bundle_argument(
                &[
                    "guitu-desktop",
                    "file:///media/usb/%E5%BD%92%E9%80%94%20a.guitu"
                ],
                cwd
            ),
            Some(PathBuf::from("/media/usb/归途 a.guitu")),
            "a file URI's escapes are decoded"
        );
        assert_eq!(
            bundle_argument(&["guitu-desktop", "file:///media/usb/100%zz.guitu"], cwd),
            Some(PathBuf::from("/media/usb/100%zz.guitu")),
            "a malformed escape stays as written"
        );
        assert_eq!(
            bundle_argument(&["/usr/bin/x.guitu"], cwd),
            None,
            "the program itself is not an argument"
        );
        assert_eq!(
            bundle_argument(
                &[
                    "guitu-desktop",
                    "card.guitu-card",
                    "notes.txt",
                    "--flag.guitu"
                ],
                cwd
            ),
            None,
            "a contact card, another file or an option is not a bundle"
        );
        assert_eq!(
            bundle_argument(&["guitu-desktop", "/a/1.guitu", "/a/2.guitu"], cwd),
            Some(PathBuf::from("/a/2.guitu")),
            "of two, the last"
        );
    }

    #[test]
    fn a_pending_bundle_is_taken_once() {
        let state = AppState::new(PathBuf::from("/nonexistent"));
        assert_eq!(
            state.take_pending_bundle(),
            None,
            "nothing pending at first"
        );
        state.set_pending_bundle(PathBuf::from("/a/1.guitu"));
        state.set_pending_bundle(PathBuf::from("/a/2.guitu"));
        assert_eq!(
            state.take_pending_bundle(),
            Some(PathBuf::from("/a/2.guitu")),
            "the latest file handed over"
        );
        assert_eq!(state.take_pending_bundle(), None, "taken once");
    }

    #[test]
    fn locked_state_refuses_commands() {
        let state = AppState::new(PathBuf::from("/nonexistent"));
        let err = tauri::async_runtime::block_on(state.with(|s| Ok(s.user().to_owned())));
        assert_eq!(err.err(), Some(Problem::Locked), "no session: locked");
        assert!(!state.lock_if_idle(Instant::now()), "nothing to lock");
    }

    #[test]
    fn locking_does_not_wait_for_a_running_use_case() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("vault");
        let (session, _code) = Session::create(
            &dir,
            "tester",
            &guitu_api::Secret::new("correct horse battery".into()),
            &guitu_api::KdfParams::insecure_for_tests(),
        )
        .expect("create");
        let state = Arc::new(AppState::new(dir));
        state.set(session);
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let running = {
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                tauri::async_runtime::block_on(state.with(move |s| {
                    let _ = started_tx.send(());
                    // A long use case: it holds the session until released.
                    let _ = release_rx.recv();
                    s.case_count()
                }))
            })
        };
        started_rx.recv().expect("the use case started");
        // The use case waits for `release`, which comes only after the lock: a lock that
        // waited for the session would never return (the watchdog below says so).
        let (locked_tx, locked_rx) = std::sync::mpsc::channel();
        {
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                let _ = locked_tx.send(state.lock());
            });
        }
        let locked = locked_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("lock returned while the use case still ran (it must not wait for it)");
        assert!(locked, "it was unlocked");
        assert!(state.session_info().is_none(), "locked at once for the UI");
        let _ = release_tx.send(());
        let finished = running.join().expect("thread");
        assert_eq!(
            finished,
            Ok(0),
            "the running use case finished on its own session"
        );
    }
}
