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
//! The input files are cut into chunks at line boundaries ([`input`]); chunk `c` is epoch `c`
//! of the dataflow. Processes take chunks in turn (`c mod processes`; a process 0 with a
//! single worker leaves its turns to the others, its worker is busy assigning), the workers
//! of one process take their process's chunks from a shared counter (worker 0 takes one only
//! when a step of the dataflow found nothing to assign, so it ends up mostly assigning). Features, not articles, are exchanged to worker 0, which
//! assigns a chunk only once timely's progress tracking says no worker can still send
//! anything for it or for an earlier chunk. So articles are assigned strictly in input
//! order by the same [`InOrderAssigner`] the single-process stream uses: the output is
//! identical to `storyline cluster` on the concatenated input, whatever the number of
//! workers and processes. Workers stay at most a few chunks ahead of the assigner (a probe on
//! its output), so memory is bounded.
//!
//! Faults: processes are connected with a deadline ([`net`]); timely itself turns a lost
//! connection into a panic of its network thread, which the caller should turn into an exit
//! (see [`is_lost_peer_panic`]): timely has no recovery, a run stops as a whole. A re-run
//! resumes after the last input file completed ([`checkpoint`]).

pub mod checkpoint;
pub mod input;
pub mod net;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use storyline::cluster::{ClusterOptions, ClusterStats, Featurizer};
use storyline::ingest::Limits;
use storyline::stream::{InOrderAssigner, Parsed, StreamItem, StreamTotals, parse_line};
use timely::communication::allocator::zero_copy::initialize::initialize_networking_from_sockets;
use timely::communication::allocator::{AllocatorBuilder, ProcessBuilder};
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::operator::Operator;
use timely::dataflow::operators::{Capability, Input, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};

pub use checkpoint::Checkpoint;
pub use input::{Chunk, InputFile};
pub use net::Network;

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
}

impl Job {
    /// A key of what decides the output: the clusterer options (the inputs are checked file
    /// by file).
    pub fn options_key(&self) -> u64 {
        stable_hash(&format!("{:?}|{:?}", self.cluster, self.limits))
    }

    /// A key all processes of a run must agree on.
    fn run_key(&self) -> u64 {
        let files: Vec<(&str, u64)> = self
            .inputs
            .iter()
            .map(|f| (f.name.as_str(), f.size))
            .collect();
        let hosts = self.network.as_ref().map(|n| n.hosts.clone());
        stable_hash(&format!(
            "{}|{files:?}|{}|{}|{hosts:?}",
            self.options_key(),
            self.chunk_bytes,
            self.workers
        ))
    }
}

/// A 64-bit FNV-1a hash: the same in every process and build.
fn stable_hash(s: &str) -> u64 {
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

/// The work of one chunk, sent to the assigner.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ChunkResult {
    chunk: u64,
    lines: usize,
    parsed: Vec<Parsed<()>>,
    /// Its serialized size (measured by the sender).
    bytes: u64,
}

/// State shared by the workers of this process.
struct Shared {
    inputs: Vec<InputFile>,
    plan: Vec<Chunk>,
    cluster: ClusterOptions,
    limits: Limits,
    processes: usize,
    process: usize,
    workers: usize,
    throttle: Option<Duration>,
    /// Next chunk (of this process's turn) to take.
    next: AtomicUsize,
    featurize_nanos: AtomicU64,
    articles: AtomicU64,
    chunks_here: AtomicUsize,
    /// Worker 0's: the sink, the assigner to start from, the checkpoint.
    assigner_part: Mutex<Option<AssignerPart>>,
}

struct AssignerPart {
    sink: Box<dyn Sink>,
    assigner: InOrderAssigner,
    checkpoint: Option<(PathBuf, u64, Vec<checkpoint::DoneFile>)>,
}

/// What worker 0 hands back.
struct AssignerOutcome {
    assigner: InOrderAssigner,
    error: Option<Error>,
    exchanged_bytes: u64,
    exchanged_articles: u64,
    assign_secs: f64,
}

/// How far (in chunks) workers may run ahead of the assigner, per worker.
const AHEAD_PER_WORKER: usize = 4;

/// Runs the job. Process 0 passes the sink (and, when resuming, the checkpoint it loaded);
/// the other processes pass `None`. Returns this process's report.
pub fn run(
    job: Job,
    resume: Option<Checkpoint>,
    sink: Option<Box<dyn Sink>>,
) -> Result<Report, Error> {
    let process = job.network.as_ref().map_or(0, |n| n.process);
    let processes = job.network.as_ref().map_or(1, |n| n.hosts.len());
    let workers = job.workers.max(1);
    if (process == 0) != sink.is_some() {
        return Err(Error::Usage(
            "process 0, and only process 0, writes the output".into(),
        ));
    }
    let options_key = job.options_key();
    let (done, assigner) = match resume {
        Some(c) => (c.done, c.assigner.with_options(job.cluster.clone())),
        None => (Vec::new(), InOrderAssigner::new(&job.cluster)),
    };
    // Connect first: process 0 tells the others where the run starts.
    let (builders, guard, start_file): (Vec<AllocatorBuilder>, Box<dyn std::any::Any + Send>, _) =
        match &job.network {
            Some(net) if processes > 1 => {
                let (sockets, start) = net::connect(net, job.run_key(), done.len() as u64)?;
                let allocators = ProcessBuilder::new_typed_vector(
                    workers,
                    timely::communication::Hooks::default().refill,
                    None,
                );
                let (tcp, guard) = initialize_networking_from_sockets(
                    allocators,
                    sockets,
                    process,
                    workers,
                    timely::communication::Hooks::default(),
                )
                .map_err(|e| Error::Connect {
                    process,
                    message: e.to_string(),
                })?;
                (
                    tcp.into_iter().map(AllocatorBuilder::Tcp).collect(),
                    Box::new(guard),
                    start as usize,
                )
            }
            _ => {
                let (b, g) = timely::CommunicationConfig::Process(workers)
                    .try_build()
                    .map_err(Error::Dataflow)?;
                (b, g, done.len())
            }
        };
    if start_file > job.inputs.len() {
        return Err(Error::Usage(format!(
            "process 0 resumes after {start_file} input files, this process has {}",
            job.inputs.len()
        )));
    }
    let plan = input::plan(&job.inputs, start_file, job.chunk_bytes);
    let chunks = plan.len();
    let assigner_part = sink.map(|sink| AssignerPart {
        sink,
        assigner,
        checkpoint: job
            .checkpoint
            .clone()
            .map(|p| (p, options_key, done.clone())),
    });
    let shared = Arc::new(Shared {
        inputs: job.inputs,
        plan,
        cluster: job.cluster,
        limits: job.limits,
        processes,
        process,
        workers,
        throttle: job.throttle,
        next: AtomicUsize::new(0),
        featurize_nanos: AtomicU64::new(0),
        articles: AtomicU64::new(0),
        chunks_here: AtomicUsize::new(0),
        assigner_part: Mutex::new(assigner_part),
    });
    let started = Instant::now();
    let worker_shared = Arc::clone(&shared);
    let guards = timely::execute::execute_from(
        builders,
        guard,
        timely::WorkerConfig::default(),
        move |worker| run_worker(worker, &worker_shared),
    )
    .map_err(Error::Dataflow)?;
    let mut outcome = None;
    for result in guards.join() {
        match result {
            Ok(Some(o)) => outcome = Some(o),
            Ok(None) => {}
            Err(e) => return Err(Error::Dataflow(e)),
        }
    }
    let mut report = Report {
        process,
        workers,
        processes,
        files_skipped: start_file,
        chunks,
        chunks_here: shared.chunks_here.load(Ordering::Relaxed),
        articles_here: shared.articles.load(Ordering::Relaxed),
        featurize_secs: shared.featurize_nanos.load(Ordering::Relaxed) as f64 * 1e-9,
        secs: started.elapsed().as_secs_f64(),
        ..Report::default()
    };
    if let Some(o) = outcome {
        if let Some(e) = o.error {
            return Err(e);
        }
        report.totals = o.assigner.totals();
        report.stats = Some(o.assigner.clusterer().stats());
        report.exchanged_bytes = o.exchanged_bytes;
        report.exchanged_articles = o.exchanged_articles;
        report.assign_secs = o.assign_secs;
    }
    Ok(report)
}

/// One worker: featurize chunks of this process's turn; worker 0 also assigns.
fn run_worker(worker: &mut timely::worker::Worker, shared: &Shared) -> Option<AssignerOutcome> {
    let index = worker.index();
    let peers = worker.peers();
    let mut input = InputHandle::<u64, _>::new();
    let probe = ProbeHandle::<u64>::new();
    let part = if index == 0 {
        shared.assigner_part.lock().ok().and_then(|mut p| p.take())
    } else {
        None
    };
    let outcome: Rc<RefCell<Option<AssignerOutcome>>> = Rc::new(RefCell::new(None));
    let assigner = part.map(|p| Assigning::new(p, shared));
    let out = Rc::clone(&outcome);
    // Chunks assigned so far (worker 0), to see whether a step did any assigning.
    let assigned = Rc::new(Cell::new(0u64));
    let assigned_in_operator = Rc::clone(&assigned);
    // Chunks received by the assigner and waiting for an earlier one.
    let waiting = Rc::new(Cell::new(0usize));
    let waiting_in_operator = Rc::clone(&waiting);
    worker.dataflow::<u64, _, _>(|scope| {
        scope
            .input_from(&mut input)
            .unary_frontier::<timely::container::CapacityContainerBuilder<Vec<()>>, _, _, _>(
                Exchange::new(|_: &ChunkResult| 0),
                "AssignInOrder",
                move |_initial, _info| {
                    let mut assigning = assigner;
                    let mut stash: BTreeMap<u64, (Capability<u64>, ChunkResult)> = BTreeMap::new();
                    move |(input, frontier), _output| {
                        input.for_each(|cap, data| {
                            for r in data.drain(..) {
                                if let Some(cap) = cap.retain_least(0) {
                                    stash.insert(r.chunk, (cap, r));
                                }
                            }
                        });
                        while let Some(entry) = stash.first_entry() {
                            if frontier.frontier().less_equal(entry.key()) {
                                break;
                            }
                            let (_cap, result) = entry.remove();
                            if let Some(a) = assigning.as_mut() {
                                a.chunk(result);
                            }
                            assigned_in_operator.set(assigned_in_operator.get() + 1);
                        }
                        waiting_in_operator.set(stash.len());
                        if frontier.frontier().is_empty()
                            && let Some(a) = assigning.take()
                        {
                            *out.borrow_mut() = Some(a.finish());
                        }
                    }
                },
            )
            .probe_with(&probe);
    });
    let mut featurizer = Featurizer::new(&shared.cluster);
    let ahead = (AHEAD_PER_WORKER * peers) as u64;
    loop {
        if index == 0 {
            // The assigner comes first: featurize only when a step finds nothing to assign
            // (where assigning is the slower half, worker 0 ends up only assigning).
            // Chunks already waiting for an earlier one mean that one is on its way from
            // another worker: wait for it rather than start a chunk of its own.
            loop {
                let before = assigned.get();
                worker.step();
                if assigned.get() != before {
                    continue;
                }
                if waiting.get() == 0 || shared.workers == 1 {
                    break;
                }
                // Not taking a chunk now: tell the frontier that worker 0 sends nothing before
                // the next chunk still to be taken (or it would hold everyone back).
                let untaken = shared.chunk_of_turn(shared.next.load(Ordering::Relaxed));
                let floor = untaken.unwrap_or(shared.plan.len() as u64);
                if *input.time() < floor {
                    input.advance_to(floor);
                }
                worker.step_or_park(Some(Duration::from_micros(500)));
            }
        }
        let Some(c) = shared.chunk_of_turn(shared.next.fetch_add(1, Ordering::Relaxed)) else {
            break;
        };
        input.advance_to(c);
        while probe.less_than(&c.saturating_sub(ahead)) {
            worker.step_or_park(Some(Duration::from_millis(1)));
        }
        let result = featurize_chunk(shared, c, &mut featurizer);
        input.send(result);
        input.advance_to(c + 1);
        worker.step();
    }
    input.close();
    while !probe.done() {
        worker.step_or_park(Some(Duration::from_millis(10)));
    }
    outcome.borrow_mut().take()
}

impl Shared {
    /// The chunk this process featurizes at its `turn`-th take, if any is left. Processes
    /// take chunks in turn; a process 0 of a single worker takes none when there are others
    /// (its worker assigns, which on the dev streams costs about as much as featurizing).
    fn chunk_of_turn(&self, turn: usize) -> Option<u64> {
        let skip_first = usize::from(self.processes > 1 && self.workers == 1);
        let takers = self.processes - skip_first;
        let position = self.process.checked_sub(skip_first)?;
        let c = turn * takers + position;
        (c < self.plan.len()).then_some(c as u64)
    }
}

fn featurize_chunk(shared: &Shared, c: u64, featurizer: &mut Featurizer) -> ChunkResult {
    if let Some(pause) = shared.throttle {
        std::thread::sleep(pause);
    }
    let started = Instant::now();
    let chunk = &shared.plan[c as usize];
    let file = &shared.inputs[chunk.file];
    let lines = input::read_chunk(file, chunk, shared.limits.max_line_bytes);
    let n = lines.len();
    let parsed: Vec<Parsed<()>> = lines
        .into_iter()
        .map(|line| parse_line(line, &file.name, &shared.limits, featurizer).map_article(|_| ()))
        .collect();
    let articles = parsed
        .iter()
        .filter(|p| matches!(p, Parsed::Article(_)))
        .count();
    let mut result = ChunkResult {
        chunk: c,
        lines: n,
        parsed,
        bytes: 0,
    };
    result.bytes = bincode::serialized_size(&result).unwrap_or(0);
    shared
        .featurize_nanos
        .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    shared
        .articles
        .fetch_add(articles as u64, Ordering::Relaxed);
    shared.chunks_here.fetch_add(1, Ordering::Relaxed);
    result
}

/// Worker 0's assigning state.
struct Assigning {
    sink: Box<dyn Sink>,
    assigner: InOrderAssigner,
    checkpoint: Option<(PathBuf, u64, Vec<checkpoint::DoneFile>)>,
    plan: Vec<Chunk>,
    inputs: Vec<InputFile>,
    next: u64,
    line_offset: usize,
    error: Option<Error>,
    exchanged_bytes: u64,
    exchanged_articles: u64,
    busy: Duration,
}

impl Assigning {
    fn new(part: AssignerPart, shared: &Shared) -> Self {
        Assigning {
            sink: part.sink,
            assigner: part.assigner,
            checkpoint: part.checkpoint,
            plan: shared.plan.clone(),
            inputs: shared.inputs.clone(),
            next: 0,
            line_offset: 0,
            error: None,
            exchanged_bytes: 0,
            exchanged_articles: 0,
            busy: Duration::ZERO,
        }
    }

    /// Assigns the articles of the next chunk, in order.
    fn chunk(&mut self, result: ChunkResult) {
        let started = Instant::now();
        debug_assert_eq!(
            result.chunk, self.next,
            "chunks reach the assigner in order"
        );
        self.next = result.chunk + 1;
        let chunk = self.plan[result.chunk as usize];
        if chunk.first_of_file {
            self.line_offset = 0;
        }
        self.exchanged_bytes += result.bytes;
        let name = &self.inputs[chunk.file].name;
        let sink = &mut self.sink;
        let error = &mut self.error;
        for p in result.parsed {
            self.exchanged_articles += u64::from(matches!(p, Parsed::Article(_)));
            self.assigner.take(p, name, self.line_offset, &mut |item| {
                if error.is_none()
                    && let Err(e) = sink.item(item)
                {
                    *error = Some(Error::Io {
                        context: "writing output".into(),
                        source: e,
                    });
                }
            });
        }
        self.line_offset += result.lines;
        if chunk.last_of_file && self.error.is_none() {
            self.file_done(chunk.file);
        }
        self.busy += started.elapsed();
    }

    /// The last chunk of a file was assigned: flush, and checkpoint.
    fn file_done(&mut self, file: usize) {
        let Some((path, key, done)) = &mut self.checkpoint else {
            return;
        };
        let f = &self.inputs[file];
        done.push(checkpoint::DoneFile {
            name: f.name.clone(),
            size: f.size,
        });
        let saved = self
            .sink
            .commit()
            .map_err(|e| Error::Io {
                context: "writing output".into(),
                source: e,
            })
            .and_then(|len| checkpoint::save(path, *key, done, len, &self.assigner));
        if let Err(e) = saved {
            self.error = Some(e);
        }
    }

    fn finish(mut self) -> AssignerOutcome {
        if self.error.is_none()
            && let Err(e) = self.sink.commit()
        {
            self.error = Some(Error::Io {
                context: "writing output".into(),
                source: e,
            });
        }
        AssignerOutcome {
            assigner: self.assigner,
            error: self.error,
            exchanged_bytes: self.exchanged_bytes,
            exchanged_articles: self.exchanged_articles,
            assign_secs: self.busy.as_secs_f64(),
        }
    }
}

/// Is this panic message timely's report of a lost connection ("timely communication
/// error: ...")? A process that sees one should stop: the run cannot go on without the peer.
pub fn is_lost_peer_panic(message: &str) -> bool {
    message.starts_with("timely communication error")
}
