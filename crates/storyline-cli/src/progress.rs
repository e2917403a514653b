//! Progress lines on stderr while articles are read and stored, and the CPU time spent.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use storyline_store::IngestCounts;

/// The ingest progress line: articles read, stored, events started, rate.
pub(crate) fn show_progress(bar: &ProgressBar, counts: &IngestCounts, started: Instant) {
    let read = counts.stored + counts.already_stored;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    bar.set_position(read as u64);
    bar.set_message(format!(
        "{} new, {} events started, {:.0} articles/s",
        counts.stored,
        counts.new_events,
        read as f64 / secs
    ));
}

/// A spinner labelled `what` on stderr, or a hidden bar unless `show`.
pub(crate) fn spinner(show: bool, what: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {prefix} {pos} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_prefix(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(150));
    bar
}

/// CPU seconds (user + system) this process has used so far, all threads (0 where
/// `/proc/self/stat` cannot be read).
pub(crate) fn cpu_secs() -> f64 {
    // Fields 14 and 15 of /proc/self/stat, in clock ticks (100 a second on Linux).
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}
