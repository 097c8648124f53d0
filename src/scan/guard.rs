//! Third-party parsing code run so that a panic inside it becomes an error
//! of the input it was reading, not the end of the scan.

use std::cell::Cell;

thread_local! {
    /// Inside [`Reader::guarded`]: a panic here is caught and reported.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs third-party parsing code, turning a panic inside it into its message.
pub(super) fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    result.map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

/// Installs a panic hook that keeps quiet about panics inside a guarded
/// third-party parser (they become error entries of the report, with their
/// message) and hands every other panic to the hook installed before.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !GUARDED.with(Cell::get) {
            previous(info);
        }
    }));
}
