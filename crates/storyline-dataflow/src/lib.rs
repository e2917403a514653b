//! Storyline's stream clustering spread over worker threads, processes and hosts, on timely
//! dataflow (McSherry et al., "Naiad: a timely dataflow system", SOSP 2013; the Rust
//! `timely` crate).
//!
//! ```text
//!  every worker (all processes)                          worker 0 (process 0)
//!  ───────────────────────────                           ────────────────────
//!  chunk c of the input ──► parse, clean, featurize ──exchange──► stash by chunk
//!  (byte range, epoch c)      (storyline::stream::parse_line)     │ when the frontier passes c:
//!                                                                 ▼
//!                                     InOrderAssigner::take, chunk after chunk, line by line
//!                                                                 │
//!                                           output (process 0), checkpoint per input file
//! ```
//!
//! [`ordered`] is the dataflow: input files cut into chunks ([`input`]), chunk `c` is epoch
//! `c`, every worker of every process processes chunks ([`ChunkWork`]) and worker 0 of
//! process 0 consumes their outputs strictly in input order ([`InOrder`]), once timely's
//! progress tracking says nothing earlier can still arrive. [`run`] is stream clustering on
//! it: features, not articles, are exchanged, and worker 0 assigns them with the same
//! [`InOrderAssigner`] the single-process stream uses, so the output is identical to
//! `storyline cluster` on the concatenated input, whatever the number of workers and
//! processes. `storyline run --hosts` (the whole pipeline into the store) is another
//! `ChunkWork`/`InOrder` pair, in the command line crate.
//!
//! Faults: processes are connected with a deadline ([`net`]); timely itself turns a lost
//! connection into a panic of its network thread, which the caller should turn into an exit
//! (see [`is_lost_peer_panic`]): timely has no recovery, a run stops as a whole. A re-run
//! resumes after the last input file completed ([`checkpoint`]).

pub mod checkpoint;
mod cluster;
pub mod input;
pub mod net;
pub mod ordered;
pub mod scatter;

use std::hash::{Hash, Hasher};
use std::io;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use storyline::cluster::{ClusterOptions, ClusterStats};
use storyline::ingest::Limits;
use storyline::stream::{InOrderAssigner, StreamItem, StreamTotals};

pub use checkpoint::Checkpoint;
pub use input::{Chunk, InputFile};
pub use net::Network;
pub use ordered::{ChunkWork, InOrder, Shape, is_stall_panic, run_chunks};
pub use scatter::{Coordinator, ScatterShape, scatter};

/// What can stop a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: io::Error,
    },
    /// The processes could not be connected.
    #[error("process {process}: {message}")]
    Connect {
        /// This process.
        process: usize,
        /// What went wrong.
        message: String,
    },
    /// A checkpoint that cannot be used.
    #[error("checkpoint {0}")]
    Checkpoint(String),
    /// Inconsistent settings.
    #[error("{0}")]
    Usage(String),
    /// timely failed.
    #[error("dataflow: {0}")]
    Dataflow(String),
    /// The consumer of the outputs (an `InOrder`) failed.
    #[error("{0}")]
    Consumer(String),
}

/// Where process 0 writes, in input order.
pub trait Sink: Send {
    /// One item of the stream (assignments, issues, retired events), in input order.
    fn item(&mut self, item: StreamItem<()>) -> io::Result<()>;
    /// Makes everything written so far durable and returns the output's length in bytes
    /// (recorded in the checkpoint, to cut the output back to on resume).
    fn commit(&mut self) -> io::Result<u64>;
}

/// A scaled-out clustering run.
pub struct Job {
    /// JSONL inputs, clustered as if concatenated in this order.
    pub inputs: Vec<InputFile>,
    /// Clusterer settings.
    pub cluster: ClusterOptions,
    /// Record size limits.
    pub limits: Limits,
    /// About this many bytes per chunk.
    pub chunk_bytes: u64,
    /// Worker threads in each process.
    pub workers: usize,
    /// The processes, or `None` for one process.
    pub network: Option<Network>,
    /// Where process 0 keeps its checkpoint (`None`: no checkpoints, no resume).
    pub checkpoint: Option<PathBuf>,
    /// A pause before each chunk is featurized: only to make runs last in fault tests.
    pub throttle: Option<Duration>,
    /// Stop when the dataflow makes no progress for this long (see [`Shape::stall_timeout`]).
    pub stall_timeout: Option<Duration>,
}

impl Job {
    /// A key of what decides the output: the clusterer options (the inputs are checked file
    /// by file).
    pub fn options_key(&self) -> u64 {
        stable_hash(&format!("{:?}|{:?}", self.cluster, self.limits))
    }
}

/// A 64-bit FNV-1a hash of `s`: the same in every process and build (for keys that
/// processes compare).
pub fn stable_hash(s: &str) -> u64 {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    s.hash(&mut h);
    h.0
}

struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// What a run did (the assigner's part only in process 0).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    /// This process.
    pub process: usize,
    /// Worker threads in each process.
    pub workers: usize,
    /// Processes.
    pub processes: usize,
    /// Input files done by an earlier run (resumed after them).
    pub files_skipped: usize,
    /// Chunks in this run.
    pub chunks: usize,
    /// Chunks featurized by this process.
    pub chunks_here: usize,
    /// Counts (process 0; after a resume, including the earlier run's).
    pub totals: StreamTotals,
    /// The clusterer's state at the end (process 0).
    pub stats: Option<ClusterStats>,
    /// Articles featurized in this process.
    pub articles_here: u64,
    /// Bytes of features and issues as serialized for the exchange, from every worker
    /// (process 0 sees them all).
    pub exchanged_bytes: u64,
    /// Articles behind those bytes.
    pub exchanged_articles: u64,
    /// CPU time of reading, parsing and featurizing in this process's workers (seconds).
    pub featurize_secs: f64,
    /// Time worker 0 spent assigning (process 0).
    pub assign_secs: f64,
    /// Wall time of the dataflow (after connecting).
    pub secs: f64,
}

/// Runs a clustering job. Process 0 passes the sink (and, when resuming, the checkpoint it
/// loaded); the other processes pass `None`. Returns this process's report.
pub fn run(
    job: Job,
    resume: Option<Checkpoint>,
    sink: Option<Box<dyn Sink>>,
) -> Result<Report, Error> {
    let options_key = job.options_key();
    let (done, assigner) = match resume {
        Some(c) => (c.done, c.assigner.with_options(job.cluster.clone())),
        None => (Vec::new(), InOrderAssigner::new(&job.cluster)),
    };
    let start_file = done.len();
    let consumer = sink.map(|sink| cluster::Assigning {
        sink,
        assigner,
        checkpoint: job.checkpoint.clone().map(|p| (p, options_key, done)),
        line_offset: 0,
    });
    let shape = Shape {
        inputs: job.inputs,
        chunk_bytes: job.chunk_bytes,
        workers: job.workers,
        network: job.network,
        settings_key: options_key,
        throttle: job.throttle,
        heavy_consumer: true,
        stall_timeout: job.stall_timeout,
    };
    let work = cluster::ClusterWork {
        cluster: job.cluster,
        limits: job.limits,
    };
    let (mut report, assigning) = ordered::run_chunks(shape, start_file, work, consumer)?;
    if let Some(a) = assigning {
        report.totals = a.assigner.totals();
        report.stats = Some(a.assigner.clusterer().stats());
    }
    Ok(report)
}

/// Is this panic message timely's report of a lost connection ("timely communication
/// error: ...")? A process that sees one should stop: the run cannot go on without the peer.
pub fn is_lost_peer_panic(message: &str) -> bool {
    message.starts_with("timely communication error")
}
