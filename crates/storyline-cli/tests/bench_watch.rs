//! `storyline bench watch` with a handful of pages, so that the on-demand benchmark cannot
//! rot: the simulated web is served, the watch engine stores every page, and the numbers
//! are printed.

use std::process::Command;

#[test]
fn bench_watch_stores_every_published_page_and_prints_its_numbers() {
    let out = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .env_remove("RUST_LOG")
        .args(["bench", "watch", "--feeds", "4", "--entries", "3"])
        .args(["--pages", "10"])
        .output()
        .expect("storyline runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("stored: 10 articles of 10 published"),
        "{stdout}"
    );
    for line in [
        "pages/s:",
        "publication -> stored:",
        "publication -> event on page:",
        "peak RSS:",
    ] {
        assert!(stdout.contains(line), "{line} missing:\n{stdout}");
    }
    // 10 pages over 4 feeds: three rounds, every feed polled at each.
    assert!(stdout.contains("12 feed requests"), "{stdout}");
}
