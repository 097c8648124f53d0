//! The progress bar on stderr.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::input::InputFile;

/// A progress bar over the bytes of the input files (a spinner when their
/// size is not known: standard input).
pub(super) fn bar(files: &[InputFile]) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let sizes: Option<u64> = files
        .iter()
        .map(|f| match (&f.path, &f.data) {
            (Some(p), _) => std::fs::metadata(p).ok().map(|m| m.len()),
            (None, Some(d)) => Some(d.len() as u64),
            (None, None) => None,
        })
        .sum();
    let bar = match sizes {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template(
                "{bar:20} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {bytes} {binary_bytes_per_sec}  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
    bar
}

/// Shows the bytes read so far and the records scanned, with their rate.
pub(super) fn show(bar: &indicatif::ProgressBar, records: u64, progress: &AtomicU64) {
    bar.set_position(progress.load(Ordering::Relaxed));
    let per_sec = records as f64 / bar.elapsed().as_secs_f64().max(1e-3);
    bar.set_message(format!(
        "{} records, {}/s",
        indicatif::HumanCount(records),
        indicatif::HumanCount(per_sec as u64)
    ));
}
