//! Harness of the end-to-end tests: starts the built desktop app through `tauri-driver`
//! (which runs WebKitWebDriver, which runs the app) with a fresh vault and a fixed
//! "today", and drives its window with WebDriver (fantoccini). Every element is found by
//! its `data-testid` (ui/TESTIDS.md). A failing scenario saves a screenshot to
//! `target/e2e-screenshots/<scenario>.png`; a scenario may save more on the way
//! ([`App::screenshot`]).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

/// What a step returns: an error says what the user would not have seen.
pub type Step<T = ()> = Result<T, String>;

/// How long to wait for something to appear.
pub const WAIT: Duration = Duration::from_secs(15);

/// The repository root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, else `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The desktop app to drive: `GUITU_APP`, else the debug build.
pub fn app_binary() -> Step<PathBuf> {
    let path = std::env::var_os("GUITU_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/guitu-desktop"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "the desktop app is not built at {} (build it with `cargo build -p guitu-desktop`, or set GUITU_APP)",
            path.display()
        ))
    }
}

fn driver_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return p.into();
    }
    let home_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin/tauri-driver"));
    match home_bin {
        Some(p) if p.is_file() => p,
        _ => PathBuf::from("tauri-driver"),
    }
}

fn free_port() -> Step<u16> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// A running app with its own vault directory.
pub struct App {
    pub client: Client,
    driver: Child,
    home: tempfile::TempDir,
    name: String,
}

impl App {
    /// Starts the app for scenario `name`, with "today" fixed to `today` (GUITU_TODAY).
    pub async fn start(name: &str, today: &str) -> Step<App> {
        Self::start_in(name, today, None, true).await
    }

    /// Starts the app on `vault` (default: a new directory of this run); `test_kdf`
    /// chooses the test-only Argon2id parameters for a vault created in the window.
    pub async fn start_in(
        name: &str,
        today: &str,
        vault: Option<&Path>,
        test_kdf: bool,
    ) -> Step<App> {
        Self::start_with_args(name, today, vault, test_kdf, &[]).await
    }

    /// [`App::start_in`] with command-line arguments for the app (a file it is opened on,
    /// as a double-click in the file manager gives it).
    pub async fn start_with_args(
        name: &str,
        today: &str,
        vault: Option<&Path>,
        test_kdf: bool,
        args: &[String],
    ) -> Step<App> {
        let app = app_binary()?;
        let home = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
        let h = home.path();
        for d in ["data", "config", "cache", "home"] {
            std::fs::create_dir_all(h.join(d)).map_err(|e| format!("temp dir: {e}"))?;
        }
        let port = free_port()?;
        let native = free_port()?;
        let vault_dir = vault
            .map(Path::to_path_buf)
            .unwrap_or_else(|| h.join("vault"));
        let mut cmd = Command::new(driver_binary());
        if test_kdf {
            // Argon2id with small parameters: the unlock flow is what is tested here;
            // the real parameters are tested in crates/store.
            cmd.env("GUITU_INSECURE_TEST_KDF", "1");
        }
        let driver = cmd
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("GUITU_VAULT", vault_dir)
            .env("GUITU_TODAY", today)
            .env("GUITU_USER", "tester")
            .env("XDG_DATA_HOME", h.join("data"))
            .env("XDG_CONFIG_HOME", h.join("config"))
            .env("XDG_CACHE_HOME", h.join("cache"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                format!("cannot start tauri-driver ({e}): install it with `cargo install tauri-driver --locked --version '^2'`")
            })?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app.display().to_string(), "args": args }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("tauri-driver did not start the app: {e}"));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        };
        Ok(App {
            client,
            driver,
            home,
            name: name.to_owned(),
        })
    }

    /// The vault directory of this run.
    pub fn vault_dir(&self) -> PathBuf {
        self.home.path().join("vault")
    }

    /// Ends the run: on failure saves a screenshot and panics with the reason.
    pub async fn finish(mut self, result: Step) {
        let mut message = None;
        if let Err(why) = result {
            let dir = target_dir().join("e2e-screenshots");
            let shot = dir.join(format!("{}.png", self.name));
            self.keep_painting().await;
            let taken =
                tokio::time::timeout(Duration::from_secs(60), self.client.screenshot()).await;
            let saved = match taken {
                Ok(Ok(png)) => std::fs::create_dir_all(&dir)
                    .and_then(|()| std::fs::write(&shot, png))
                    .map(|()| format!("screenshot: {}", shot.display()))
                    .unwrap_or_else(|e| format!("screenshot not saved: {e}")),
                Ok(Err(e)) => format!("no screenshot: {e}"),
                Err(_) => "no screenshot: no frame painted within 60 s".to_owned(),
            };
            message = Some(format!("scenario {} failed: {why}\n{saved}", self.name));
        }
        let _ = self.client.clone().close().await;
        // SIGTERM, so tauri-driver stops WebKitWebDriver too (SIGKILL would leave it
        // holding its port).
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), self.driver.wait()).await;
        if let Some(m) = message {
            // The test harness's way to fail a test (this crate is test code only).
            #[allow(clippy::panic)]
            {
                panic!("{m}");
            }
        }
    }

    /// Makes the page paint for a few seconds. WebKitWebDriver takes a screenshot from the
    /// next painted frame: on a page where nothing changes (no caret blinking in a focused
    /// field, no transition) it waits until something does — here, until the idle lock.
    /// A 1-pixel, almost transparent element flickers for 3 s, unseen in the picture.
    async fn keep_painting(&self) {
        let _ = self
            .client
            .execute(
                "const el = document.createElement('div');
                 el.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0.01;z-index:2147483647';
                 document.body.appendChild(el);
                 let i = 0;
                 const t = setInterval(() => {
                   el.style.opacity = i % 2 ? '0.01' : '0.02';
                   if (++i > 60) { clearInterval(t); el.remove(); }
                 }, 50);",
                vec![],
            )
            .await;
    }

    /// Saves a screenshot of the window to `target/e2e-screenshots/<scenario>-<label>.png`
    /// (what the user saw at a step of a passing scenario); returns its path.
    pub async fn screenshot(&self, label: &str) -> Step<PathBuf> {
        let dir = target_dir().join("e2e-screenshots");
        let shot = dir.join(format!("{}-{label}.png", self.name));
        self.keep_painting().await;
        let png = tokio::time::timeout(Duration::from_secs(60), self.client.screenshot())
            .await
            .map_err(|_| format!("screenshot {label}: no frame painted within 60 s"))?
            .map_err(|e| format!("screenshot {label}: {e}"))?;
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&shot, png))
            .map_err(|e| format!("screenshot {}: {e}", shot.display()))?;
        Ok(shot)
    }

    fn css(id: &str) -> String {
        format!("[data-testid=\"{id}\"]")
    }

    /// Waits for the element with `data-testid` = `id` to be in the page.
    pub async fn el(&self, id: &str) -> Step<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&Self::css(id)))
            .await
            .map_err(|e| format!("element [{id}] did not appear: {e}"))
    }

    /// Waits for an element by CSS selector.
    pub async fn css_el(&self, selector: &str) -> Step<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await
            .map_err(|e| format!("element {selector} did not appear: {e}"))
    }

    /// Every element matching a CSS selector, now.
    pub async fn all(&self, selector: &str) -> Step<Vec<Element>> {
        self.client
            .find_all(Locator::Css(selector))
            .await
            .map_err(|e| format!("find {selector}: {e}"))
    }

    /// Whether an element with this test id is in the page now.
    pub async fn present(&self, id: &str) -> bool {
        self.client.find(Locator::Css(&Self::css(id))).await.is_ok()
    }

    pub async fn click(&self, id: &str) -> Step {
        let e = self.el(id).await?;
        e.click().await.map_err(|e| format!("click [{id}]: {e}"))
    }

    /// Sizes the window as a laptop screen shows it (1366×768: the size the screens are
    /// designed for) and returns the page's viewport (inner width, inner height).
    pub async fn set_size(&self, width: u32, height: u32) -> Step<(u64, u64)> {
        self.client
            .set_window_size(width, height)
            .await
            .map_err(|e| format!("window size {width}×{height}: {e}"))?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let v = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .map_err(|e| format!("viewport: {e}"))?;
        let n = |i: usize| v.get(i).and_then(serde_json::Value::as_u64).unwrap_or(0);
        Ok((n(0), n(1)))
    }

    /// How many elements matching `selector` are wholly inside the viewport now (what a
    /// user sees without scrolling the window or the list).
    pub async fn visible_count(&self, selector: &str) -> Step<u64> {
        let v = self
            .client
            .execute(
                "const sel = arguments[0];
                 return [...document.querySelectorAll(sel)].filter((el) => {
                   const r = el.getBoundingClientRect();
                   let p = el.parentElement;
                   while (p) {
                     const q = p.getBoundingClientRect();
                     const s = getComputedStyle(p);
                     if (/(auto|scroll|hidden)/.test(s.overflowY) && (r.top < q.top - 1 || r.bottom > q.bottom + 1)) return false;
                     p = p.parentElement;
                   }
                   return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
                 }).length;",
                vec![serde_json::Value::String(selector.to_owned())],
            )
            .await
            .map_err(|e| format!("count visible {selector}: {e}"))?;
        Ok(v.as_u64().unwrap_or(0))
    }

    /// Opens the form for a new record of `kind` in the case view: the kind's own "添加"
    /// button when the case has records of that kind, else through the "添加记录" menu.
    pub async fn add_record(&self, kind: &str) -> Step {
        let own = format!("record-add-{kind}");
        if self.present(&own).await {
            return self.click(&own).await;
        }
        self.click("records-add-menu").await?;
        self.click(&format!("record-menu-{kind}")).await
    }

    /// Clears a field and types `text` into it.
    pub async fn fill(&self, id: &str, text: &str) -> Step {
        let e = self.el(id).await?;
        e.clear().await.map_err(|e| format!("clear [{id}]: {e}"))?;
        e.send_keys(text)
            .await
            .map_err(|e| format!("type into [{id}]: {e}"))
    }

    /// Sets a date field (`<input type=date>`) to an ISO date, as a user picking it would.
    pub async fn set_date(&self, id: &str, iso: &str) -> Step {
        let e = self.el(id).await?;
        self.client
            .execute(
                "const el = arguments[0]; el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![
                    serde_json::to_value(&e).map_err(|e| e.to_string())?,
                    serde_json::Value::String(iso.into()),
                ],
            )
            .await
            .map_err(|e| format!("set date [{id}]: {e}"))?;
        Ok(())
    }

    /// Chooses an option of a `<select>` by its value.
    pub async fn select(&self, id: &str, value: &str) -> Step {
        let e = self.el(id).await?;
        e.select_by_value(value)
            .await
            .map_err(|e| format!("select {value} in [{id}]: {e}"))?;
        Ok(())
    }

    /// The visible text of an element.
    pub async fn text(&self, id: &str) -> Step<String> {
        let e = self.el(id).await?;
        e.text().await.map_err(|e| format!("text of [{id}]: {e}"))
    }

    /// Waits until the text of `id` satisfies `ok`; the error shows the last text seen.
    pub async fn wait_text(&self, id: &str, what: &str, ok: impl Fn(&str) -> bool) -> Step<String> {
        let deadline = Instant::now() + WAIT;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(e) = self.client.find(Locator::Css(&Self::css(id))).await
                && let Ok(t) = e.text().await
            {
                if ok(&t) {
                    return Ok(t);
                }
                last = t;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Err(format!("[{id}] should show {what}, but shows {last:?}"))
    }

    /// Waits until the element is gone from the page.
    pub async fn wait_gone(&self, id: &str) -> Step {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if !self.present(id).await {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Err(format!("[{id}] should have gone away"))
    }

    /// The text content of an element (WebKitWebDriver's visible-text algorithm skips
    /// some cells of absolutely positioned rows).
    pub async fn content(&self, e: &Element) -> Step<String> {
        let v = self
            .client
            .execute(
                "return arguments[0].textContent;",
                vec![serde_json::to_value(e).map_err(|e| e.to_string())?],
            )
            .await
            .map_err(|e| format!("text content: {e}"))?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// The visible text of the whole window.
    pub async fn body_text(&self) -> Step<String> {
        let body = self.css_el("body").await?;
        body.text().await.map_err(|e| format!("body text: {e}"))
    }
}
