//! A minimal Tauri window (one static page, no plugins, no commands): the baseline of
//! the memory comparison in docs/PERFORMANCE.md, measured by `desktop-bench` the same
//! way as the app.

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!("minimal.conf.json")) {
        eprintln!("minimal window: {e}");
        std::process::exit(1);
    }
}
