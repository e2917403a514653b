//! What every scaled-out run (`storyline cluster`, `storyline run` with `--workers` or
//! `--hosts`) shares: its flags, and the panic hook that ends a process whose peer or worker
//! failed.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use storyline_dataflow::{Network, Report};

use crate::window::parse_duration;

/// Flags of every scaled-out run (`storyline cluster`, `storyline run`).
#[derive(Args, Debug, Default)]
pub struct NetArgs {
    /// Run on timely dataflow with N worker threads (per process, with --hosts).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Run as one of several processes: a file with one host:port per line, in process order
    /// (a timely hostfile). Needs --process. Every process is started with the same inputs
    /// (paths that each host can read), options and hostfile.
    #[arg(long, value_name = "FILE", requires = "process")]
    pub hosts: Option<PathBuf>,
    /// This process's line in the hostfile, from 0; process 0 writes the output (`run`: keeps
    /// the store).
    #[arg(long, value_name = "P", requires = "hosts")]
    pub process: Option<usize>,
    /// Input bytes per unit of work.
    #[arg(long, value_name = "BYTES", default_value_t = 256 << 10)]
    pub chunk_bytes: u64,
    /// Give up when a peer cannot be reached for this long: e.g. 30s, 2m (plain: seconds).
    #[arg(long, value_name = "TIME", default_value = "60s", value_parser = parse_duration)]
    pub connect_timeout: Duration,
    /// Stop with an error when the run makes no progress for this long while a process
    /// waits on the others (a peer frozen but still connected); must exceed the time one
    /// chunk can take. `0`: wait forever.
    #[arg(long, value_name = "TIME", default_value = "10m", value_parser = parse_duration)]
    pub stall_timeout: Duration,
    /// Pause this many milliseconds before each chunk (only to make runs last, in fault
    /// tests).
    #[arg(long, value_name = "MS", hide = true)]
    pub throttle_ms: Option<u64>,
    /// Write this process's run report (JSON) here (for `bench scale`).
    #[arg(long, value_name = "FILE", hide = true)]
    pub report: Option<PathBuf>,
}

impl NetArgs {
    /// Was a scaled-out run asked for?
    pub fn requested(&self) -> bool {
        self.workers.is_some() || self.hosts.is_some()
    }

    /// The processes, when --hosts was given.
    pub fn network(&self) -> Result<Option<Network>> {
        Ok(match (&self.hosts, self.process) {
            (Some(hosts), Some(process)) => Some(Network::from_hostfile(
                hosts,
                process,
                self.connect_timeout,
            )?),
            _ => None,
        })
    }

    /// The stall timeout, `None` for never.
    pub fn stall_timeout(&self) -> Option<Duration> {
        (!self.stall_timeout.is_zero()).then_some(self.stall_timeout)
    }

    /// Writes the run report when asked to.
    pub fn write_report(&self, report: &Report) -> Result<()> {
        if let Some(path) = &self.report {
            std::fs::write(path, serde_json::to_string_pretty(report)?)
                .with_context(|| format!("{}: cannot write the report", path.display()))?;
        }
        Ok(())
    }
}

thread_local! {
    /// This thread runs code that catches its own panics (see [`guarded`]).
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, which catches its own panics (summarizing an event): a panic in it is reported
/// and left to its `catch_unwind` rather than ending the process.
pub fn guarded<T>(f: impl FnOnce() -> T) -> T {
    GUARDED.with(|g| g.set(true));
    let out = f();
    GUARDED.with(|g| g.set(false));
    out
}

/// A lost peer or a failing worker ends this process at once, with a message naming it:
/// timely has no recovery, and its threads would otherwise block or panic one by one.
pub fn stop_on_worker_panic(process: usize) {
    std::panic::set_hook(Box::new(move |info| {
        if GUARDED.with(|g| g.get()) {
            eprintln!("{info}");
            return;
        }
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("");
        let peer = name
            .strip_prefix("timely:recv-")
            .or_else(|| name.strip_prefix("timely:send-"));
        if let Some(peer) = peer.filter(|_| storyline_dataflow::is_lost_peer_panic(&message)) {
            eprintln!(
                "error: process {process}: lost the connection to process {peer} ({message}); \
                 stopping, the run cannot go on without it"
            );
        } else if storyline_dataflow::is_stall_panic(&message) {
            eprintln!("error: process {process}: {message}");
        } else {
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!("error: process {process}: thread {name:?} failed: {message}{at}; stopping");
        }
        std::process::exit(1);
    }));
}
