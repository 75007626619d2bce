//! 打印: a case file sent to a printer through the system print dialog, with nothing
//! readable left on disk.
//!
//! The use case (`Session::print_for_printer`) lays the file out exactly as the PDF and
//! gives its pages as SVG in one HTML page. That page lives only in memory
//! ([`PrintJobs`]) and is served, with the embedded fonts, by the `guitu-print:` protocol
//! (`Cache-Control: no-store`; WebKit keeps a custom protocol's responses in memory only)
//! to one hidden window per job; once its fonts are loaded the window opens the system
//! print dialog (WebKitGTK's print operation on A4 without margins of its own: the pages
//! carry theirs). The window is not incognito: WebKitGTK's ephemeral context does not
//! reach Tauri's custom protocols ("The URL can't be shown"); s13 checks that nothing of
//! the case is left readable in the app's data, config and cache directories. The window closes
//! and the page is dropped when the printer has the job, when the dialog is cancelled or
//! when printing fails. Each step is a [`PRINT_JOB_EVENT`] for the UI.
//!
//! What the system does with a job is the system's: GTK hands the pages to the printer
//! through an unlinked temporary file, and the print server spools the job until it is
//! printed; "Print to File" in the dialog writes the file the user names there.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use tauri::http::{Request, Response, StatusCode, header};
use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Emitter, Manager, Runtime, UriSchemeContext, WebviewUrl, WebviewWindow};

use guitu_api::FontFile;

/// The protocol that serves print pages and their fonts.
pub const SCHEME: &str = "guitu-print";
/// The event a print job reports its steps with.
pub const PRINT_JOB_EVENT: &str = "print-job";
/// Labels of print windows start with this.
const LABEL_PREFIX: &str = "print-";

/// Whether a window is a print job's.
pub fn is_print_window(label: &str) -> bool {
    label.starts_with(LABEL_PREFIX)
}

/// The pages of the print jobs whose windows are open, by window label; only in memory.
#[derive(Default)]
pub struct PrintJobs {
    pages: Mutex<HashMap<String, String>>,
    next: AtomicU64,
}

impl PrintJobs {
    /// Keeps `html` for a new job and returns the label of its window.
    fn add(&self, html: String) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let label = format!("{LABEL_PREFIX}{n}");
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert(label.clone(), html);
        }
        label
    }

    fn page(&self, label: &str) -> Option<Vec<u8>> {
        self.pages
            .lock()
            .ok()
            .and_then(|p| p.get(label).map(|h| h.as_bytes().to_vec()))
    }

    /// Forgets a job's page (its window is closing).
    fn remove(&self, label: &str) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.remove(label);
        }
    }
}

/// A step of a print job, for the UI.
#[derive(Debug, Clone, Copy, Serialize, ts_rs::TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PrintJobState {
    /// The system print dialog is open.
    Dialog,
    /// The user chose a printer and printed: the pages are on their way.
    Printing,
    /// The printer (or the print server) has the job.
    Finished,
    /// The user closed the dialog without printing.
    Cancelled,
    /// The page could not be loaded or the system could not print it.
    Failed,
}

/// What [`PRINT_JOB_EVENT`] carries.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PrintJobEvent {
    pub job: String,
    pub state: PrintJobState,
}

fn report<R: Runtime>(app: &AppHandle<R>, job: &str, state: PrintJobState) {
    let _ = app.emit(
        PRINT_JOB_EVENT,
        PrintJobEvent {
            job: job.to_owned(),
            state,
        },
    );
}

/// Closes a job's window and forgets its page.
fn end<R: Runtime>(app: &AppHandle<R>, job: &str, state: PrintJobState) {
    app.state::<PrintJobs>().remove(job);
    if let Some(w) = app.get_webview_window(job) {
        let _ = w.destroy();
    }
    report(app, job, state);
}

/// Serves `guitu-print:`: a print window's own page at `/`, the fonts beside it, nothing
/// else and to no other window.
pub fn serve<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
) -> Response<Cow<'static, [u8]>> {
    let label = ctx.webview_label();
    let path = request.uri().path();
    let found = if !is_print_window(label) {
        None
    } else if path == "/" {
        ctx.app_handle()
            .state::<PrintJobs>()
            .page(label)
            .map(|html| ("text/html; charset=utf-8", Cow::Owned(html)))
    } else {
        FontFile::for_path(path).map(|f| ("font/ttf", Cow::Borrowed(f.bytes())))
    };
    let response = match found {
        Some((mime, body)) => Response::builder()
            .header(header::CONTENT_TYPE, mime)
            .header(header::CACHE_CONTROL, "no-store")
            .body(body),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Cow::Borrowed(&[][..])),
    };
    response.unwrap_or_else(|_| Response::new(Cow::Borrowed(&[][..])))
}

/// The address of a print window's page.
fn page_url() -> Result<tauri::Url, tauri::Error> {
    // Windows and Android serve a custom protocol as http://<scheme>.localhost/.
    let url = if cfg!(any(windows, target_os = "android")) {
        format!("http://{SCHEME}.localhost/")
    } else {
        format!("{SCHEME}://localhost/")
    };
    tauri::Url::parse(&url).map_err(tauri::Error::InvalidUrl)
}

/// Opens a hidden window with `html` and, once it has loaded, the system print dialog.
/// Returns the job (the window's label) for the UI to follow its [`PRINT_JOB_EVENT`]s.
pub fn start<R: Runtime>(app: &AppHandle<R>, html: String, title: &str) -> tauri::Result<String> {
    let jobs = app.state::<PrintJobs>();
    let label = jobs.add(html);
    let built =
        tauri::WebviewWindowBuilder::new(app, &label, WebviewUrl::CustomProtocol(page_url()?))
            .title(title)
            .visible(false)
            .inner_size(820.0, 1000.0)
            .focused(false)
            .on_page_load(|window, payload| {
                if payload.event() == PageLoadEvent::Finished {
                    open_dialog(window);
                }
            })
            .build();
    match built {
        Ok(window) => {
            let app = app.clone();
            let job = label.clone();
            window.on_window_event(move |e| {
                if matches!(e, tauri::WindowEvent::Destroyed) {
                    app.state::<PrintJobs>().remove(&job);
                }
            });
            Ok(label)
        }
        Err(e) => {
            jobs.remove(&label);
            Err(e)
        }
    }
}

/// WebKitGTK: waits for the fonts, then runs the print dialog over the active window on
/// A4 without margins, and ends the job when the printer has it, the dialog is cancelled
/// or printing fails.
#[cfg(target_os = "linux")]
fn open_dialog<R: Runtime>(window: WebviewWindow<R>) {
    let app = window.app_handle().clone();
    let job = window.label().to_owned();
    let outcome = window.with_webview(move |platform| {
        use gtk::prelude::WidgetExt;
        use webkit2gtk::{PrintOperationExt, PrintOperationResponse, WebViewExt};
        let view = platform.inner();
        let printed = view.clone();
        view.call_async_javascript_function(
            "await document.fonts.ready; return document.fonts.status;",
            None,
            None,
            None,
            None::<&webkit2gtk::gio::Cancellable>,
            move |fonts| {
                if fonts.is_err() {
                    end(&app, &job, PrintJobState::Failed);
                    return;
                }
                let op = webkit2gtk::PrintOperation::new(&printed);
                op.set_page_setup(&a4_without_margins());
                let (done, failed) = ((app.clone(), job.clone()), (app.clone(), job.clone()));
                op.connect_finished(move |_| end(&done.0, &done.1, PrintJobState::Finished));
                op.connect_failed(move |_, _| end(&failed.0, &failed.1, PrintJobState::Failed));
                report(&app, &job, PrintJobState::Dialog);
                let own = printed.toplevel();
                let parent = active_window(own.as_ref());
                match op.run_dialog(parent.as_ref()) {
                    PrintOperationResponse::Print => report(&app, &job, PrintJobState::Printing),
                    _ => end(&app, &job, PrintJobState::Cancelled),
                }
            },
        );
    });
    if outcome.is_err() {
        let app = window.app_handle();
        end(app, window.label(), PrintJobState::Failed);
    }
}

/// The window the user is working in (the main window, which asked to print), to hold the
/// dialog.
#[cfg(target_os = "linux")]
fn active_window(own: Option<&gtk::Widget>) -> Option<gtk::Window> {
    use gtk::prelude::{Cast, GtkWindowExt, WidgetExt};
    gtk::Window::list_toplevels()
        .into_iter()
        .filter(|w| own != Some(w) && w.is_visible())
        .filter_map(|w| w.downcast::<gtk::Window>().ok())
        .find(|w| w.is_active())
}

#[cfg(target_os = "linux")]
fn a4_without_margins() -> gtk::PageSetup {
    let setup = gtk::PageSetup::new();
    setup.set_paper_size(&gtk::PaperSize::new(Some(gtk::PAPER_NAME_A4)));
    setup.set_orientation(gtk::PageOrientation::Portrait);
    setup.set_top_margin(0.0, gtk::Unit::Mm);
    setup.set_bottom_margin(0.0, gtk::Unit::Mm);
    setup.set_left_margin(0.0, gtk::Unit::Mm);
    setup.set_right_margin(0.0, gtk::Unit::Mm);
    setup
}

/// Elsewhere the window shows its pages and asks the browser engine to print them
/// (`window.print()`, which opens the system dialog); the user closes the window.
#[cfg(not(target_os = "linux"))]
fn open_dialog<R: Runtime>(window: WebviewWindow<R>) {
    let app = window.app_handle().clone();
    let job = window.label().to_owned();
    let shown = window
        .show()
        .and_then(|()| window.eval("document.fonts.ready.then(() => window.print())"));
    report(
        &app,
        &job,
        if shown.is_ok() {
            PrintJobState::Dialog
        } else {
            PrintJobState::Failed
        },
    );
}
