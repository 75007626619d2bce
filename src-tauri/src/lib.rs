//! Guitu's desktop shell: the window, the plugins, the idle lock and thin commands over
//! `guitu_api`. This is the only crate that knows Tauri.

pub mod bindings;
mod commands;
mod printer;
mod state;

use std::time::{Duration, Instant};

use tauri::{Emitter, Manager};

pub use commands::LOCKED_EVENT;
use commands::LockedEvent;
use state::AppState;

/// How often the idle lock looks at the clock.
const IDLE_CHECK: Duration = Duration::from_secs(5);

fn vault_dir() -> Result<std::path::PathBuf, String> {
    match std::env::var_os("GUITU_VAULT") {
        Some(dir) if !dir.is_empty() => Ok(dir.into()),
        _ => guitu_api::default_vault_dir().map_err(|e| e.to_string()),
    }
}

/// Turns off WebKitGTK's accelerated compositing unless `GUITU_WEBKIT_ACCELERATION=1`.
/// Without a usable GPU (virtual machines, remote desktops, Xvfb) WebKit composites with
/// software OpenGL and every repaint of the case list costs 100–400 ms; painting without
/// compositing takes one frame. Our pages use no 3D transforms or video that would need it.
#[cfg(target_os = "linux")]
fn software_compositing(app: &tauri::App) {
    if std::env::var("GUITU_WEBKIT_ACCELERATION").is_ok_and(|v| v == "1") {
        return;
    }
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
    }
}

/// The shell's state, with the bundle file the app was started on (if any).
fn initial_state(dir: std::path::PathBuf) -> AppState {
    let state = AppState::new(dir);
    let args: Vec<String> = std::env::args().collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    if let Some(path) = state::bundle_argument(&args, &cwd) {
        state.set_pending_bundle(path);
    }
    state
}

/// Builds and runs the app; returns the process exit code.
pub fn run() -> i32 {
    let dir = match vault_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let result = tauri::Builder::default()
        // First, so a second start hands over to the running window and exits.
        .plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            // A second start on a bundle file (double-clicked while the app runs): the
            // running window asks whether to open it.
            if let Some(path) = state::bundle_argument(&args, std::path::Path::new(&cwd)) {
                app.state::<AppState>().set_pending_bundle(path);
                let _ = app.emit(commands::BUNDLE_EVENT, ());
            }
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        // Print windows are hidden and short-lived: never restored (it would show them)
        // nor remembered.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_filter(|label| !printer::is_print_window(label))
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(initial_state(dir))
        .manage(printer::PrintJobs::default())
        .register_uri_scheme_protocol(printer::SCHEME, printer::serve)
        .setup(|app| {
            #[cfg(target_os = "linux")]
            software_compositing(app);
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("idle-lock".into())
                .spawn(move || {
                    loop {
                        std::thread::sleep(IDLE_CHECK);
                        let state = handle.state::<AppState>();
                        if state.lock_if_idle(Instant::now()) {
                            let _ = handle.emit(
                                LOCKED_EVENT,
                                LockedEvent {
                                    reason: "idle".into(),
                                },
                            );
                        }
                    }
                })?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::create_vault,
            commands::unlock,
            commands::recover,
            commands::open_training,
            commands::lock,
            commands::touch,
            commands::add_demo,
            commands::list_cases,
            commands::case_facets,
            commands::case_view,
            commands::create_case,
            commands::update_person,
            commands::update_case,
            commands::check_record,
            commands::check_person,
            commands::implied_flags,
            commands::check_settings,
            commands::add_record,
            commands::update_record,
            commands::dashboard,
            commands::get_settings,
            commands::save_settings,
            commands::load_calendar,
            commands::change_passphrase,
            commands::print_case,
            commands::print_plan,
            commands::print_to_printer,
            commands::export_json,
            commands::list_users,
            commands::add_user,
            commands::update_user,
            commands::reset_passphrase,
            commands::remove_user,
            commands::request_approval,
            commands::decide_approval,
            commands::my_approvals,
            commands::audit,
            commands::duplicate_candidates,
            commands::link_case,
            commands::create_case_not_duplicate,
            commands::duplicate_pairs,
            commands::mark_not_duplicate,
            commands::merge_persons,
            commands::undo_merge,
            commands::merges,
            commands::annual_report,
            commands::save_annual_report,
            commands::export_ledger,
            commands::ledger_preview,
            commands::import_ledger,
            commands::update_person_confirmed,
            commands::void_record,
            commands::restore_record,
            commands::void_case,
            commands::restore_case,
            commands::voided_cases,
            commands::device,
            commands::rename_device,
            commands::save_device_card,
            commands::read_card,
            commands::add_peer,
            commands::remove_peer,
            commands::peers,
            commands::case_handoffs,
            commands::handoff_plan,
            commands::create_bundle,
            commands::open_bundle,
            commands::conflicts,
            commands::conflict_count,
            commands::resolve_conflict,
            commands::pending_bundle,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("Guitu could not start: {e}");
            1
        }
    }
}
