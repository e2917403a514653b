//! The dataflow every scaled-out run is made of: chunks of the input processed on every
//! worker of every process, their outputs consumed one chunk after the other, in input
//! order, by worker 0 of process 0.
//!
//! ```text
//!  every worker (all processes)                          worker 0 (process 0)
//!  ───────────────────────────                           ────────────────────
//!  chunk c of the input ──► ChunkWork::process ──exchange──► stash by chunk
//!  (byte range, epoch c)                                     │ when the frontier passes c:
//!                                                            ▼
//!                                              InOrder::chunk, chunk after chunk
//! ```
//!
//! Chunk `c` is epoch `c` of the dataflow. Processes take chunks in turn (`c mod
//! processes`; a process 0 with a single worker leaves its turns to the others, its worker
//! is busy consuming), the workers of one process take their process's chunks from a shared
//! counter (worker 0 takes one only when a step of the dataflow found nothing to consume, so
//! it ends up mostly consuming). Worker 0 consumes a chunk only once timely's progress
//! tracking says no worker can still send anything for it or for an earlier chunk: chunks
//! are consumed strictly in input order, whatever the number of workers and processes.
//! Workers stay at most a few chunks ahead of the consumer (a probe on its output), so
//! memory is bounded.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::operator::Operator;
use timely::dataflow::operators::{Capability, Input, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};

use crate::input::{self, Chunk, InputFile};
use crate::{Error, Network, Report, net};

/// What every worker does with a chunk of the input.
pub trait ChunkWork: Send + Sync + 'static {
    /// What a chunk becomes: sent to worker 0 of process 0 (serialized between processes).
    type Output: timely::ExchangeData + Clone;
    /// A worker's own state (a featurizer, say).
    type State;
    /// A fresh state for one worker.
    fn state(&self) -> Self::State;
    /// Processes one chunk of `file`; returns its output and the articles it holds.
    fn process(
        &self,
        state: &mut Self::State,
        file: &InputFile,
        chunk: &Chunk,
    ) -> (Self::Output, u64);
}

/// What worker 0 of process 0 does with the outputs, in input order.
pub trait InOrder<O>: Send + 'static {
    /// The next chunk's output. An error stops the consumer (the run still drains).
    fn chunk(&mut self, chunk: &Chunk, file: &InputFile, output: O) -> Result<(), Error>;
    /// After the last chunk.
    fn finish(&mut self) -> Result<(), Error>;
}

/// The shape of a run: its inputs, how they are cut, where it runs.
pub struct Shape {
    /// Input files, processed as if concatenated in this order.
    pub inputs: Vec<InputFile>,
    /// About this many bytes per chunk (of files that can be split).
    pub chunk_bytes: u64,
    /// Worker threads in each process.
    pub workers: usize,
    /// The processes, or `None` for one process.
    pub network: Option<Network>,
    /// A key of every setting that decides the output: the processes of a run must agree on
    /// it (their inputs, chunking, worker counts and hosts are added to it here).
    pub settings_key: u64,
    /// A pause before each chunk is processed: only to make runs last in fault tests.
    pub throttle: Option<Duration>,
    /// Consuming costs about as much as processing (clustering: assigning vs featurizing):
    /// then a process 0 of a single worker only consumes and leaves its turns to the other
    /// processes. Otherwise (storing extracted pages) it takes its turns too.
    pub heavy_consumer: bool,
    /// A worker waiting on the others stops the run when the dataflow's progress has not
    /// moved for this long (a peer that is frozen but still connected sends nothing and
    /// closes nothing). Must exceed the time one chunk can take.
    pub stall_timeout: Option<Duration>,
}

impl Shape {
    /// A key all processes of a run must agree on.
    fn run_key(&self) -> u64 {
        let files: Vec<(&str, u64, bool)> = self
            .inputs
            .iter()
            .map(|f| (f.name.as_str(), f.size, f.splittable))
            .collect();
        let hosts = self.network.as_ref().map(|n| n.hosts.clone());
        crate::stable_hash(&format!(
            "{}|{files:?}|{}|{}|{hosts:?}",
            self.settings_key, self.chunk_bytes, self.workers
        ))
    }
}

/// A chunk's output with its bookkeeping, as it travels.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Envelope<O> {
    chunk: u64,
    /// Serialized size of `output` (measured by the sender).
    bytes: u64,
    articles: u64,
    output: O,
}

/// State shared by the workers of this process.
struct Shared<W, C> {
    work: W,
    inputs: Vec<InputFile>,
    plan: Vec<Chunk>,
    processes: usize,
    process: usize,
    workers: usize,
    throttle: Option<Duration>,
    heavy_consumer: bool,
    stall_timeout: Option<Duration>,
    /// Next chunk (of this process's turn) to take.
    next: AtomicUsize,
    work_nanos: AtomicU64,
    articles: AtomicU64,
    chunks_here: AtomicUsize,
    /// Worker 0's consumer, until worker 0 takes it.
    consumer: Mutex<Option<C>>,
}

/// What worker 0 hands back.
struct Consumed<C> {
    consumer: C,
    error: Option<Error>,
    exchanged_bytes: u64,
    exchanged_articles: u64,
    busy: Duration,
}

/// How far (in chunks) workers may run ahead of the consumer, per worker.
const AHEAD_PER_WORKER: usize = 4;

/// Runs `work` over the chunks of `shape.inputs[start_file..]` (process 0 decides where the
/// run starts and tells the others: pass `start_file` there, anything elsewhere) and hands
/// the outputs, in order, to `consumer`, which process 0 passes and the others do not.
/// Returns this process's report and, on process 0, the consumer.
pub fn run_chunks<W, C>(
    shape: Shape,
    start_file: usize,
    work: W,
    consumer: Option<C>,
) -> Result<(Report, Option<C>), Error>
where
    W: ChunkWork,
    C: InOrder<W::Output>,
{
    let process = shape.network.as_ref().map_or(0, |n| n.process);
    let processes = shape.network.as_ref().map_or(1, |n| n.hosts.len());
    let workers = shape.workers.max(1);
    if (process == 0) != consumer.is_some() {
        return Err(Error::Usage(
            "process 0, and only process 0, writes the output".into(),
        ));
    }
    // Connect first: process 0 tells the others where the run starts.
    let (builders, guard, start) = net::allocators(
        shape.network.as_ref(),
        workers,
        shape.run_key(),
        start_file as u64,
    )?;
    let start_file = start as usize;
    if start_file > shape.inputs.len() {
        return Err(Error::Usage(format!(
            "process 0 resumes after {start_file} input files, this process has {}",
            shape.inputs.len()
        )));
    }
    let plan = input::plan(&shape.inputs, start_file, shape.chunk_bytes);
    let chunks = plan.len();
    let shared = Arc::new(Shared {
        work,
        inputs: shape.inputs,
        plan,
        processes,
        process,
        workers,
        throttle: shape.throttle,
        heavy_consumer: shape.heavy_consumer,
        stall_timeout: shape.stall_timeout,
        next: AtomicUsize::new(0),
        work_nanos: AtomicU64::new(0),
        articles: AtomicU64::new(0),
        chunks_here: AtomicUsize::new(0),
        consumer: Mutex::new(consumer),
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
    let mut consumed = None;
    for result in guards.join() {
        match result {
            Ok(Some(o)) => consumed = Some(o),
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
        featurize_secs: shared.work_nanos.load(Ordering::Relaxed) as f64 * 1e-9,
        secs: started.elapsed().as_secs_f64(),
        ..Report::default()
    };
    let consumer = match consumed {
        Some(o) => {
            if let Some(e) = o.error {
                return Err(e);
            }
            report.exchanged_bytes = o.exchanged_bytes;
            report.exchanged_articles = o.exchanged_articles;
            report.assign_secs = o.busy.as_secs_f64();
            Some(o.consumer)
        }
        None => None,
    };
    Ok((report, consumer))
}

/// Worker 0's consuming state.
struct Consuming<C> {
    consumer: C,
    plan: Vec<Chunk>,
    inputs: Vec<InputFile>,
    next: u64,
    error: Option<Error>,
    exchanged_bytes: u64,
    exchanged_articles: u64,
    busy: Duration,
}

impl<C> Consuming<C> {
    fn take<O>(&mut self, envelope: Envelope<O>)
    where
        C: InOrder<O>,
    {
        let started = Instant::now();
        debug_assert_eq!(envelope.chunk, self.next, "chunks are consumed in order");
        self.next = envelope.chunk + 1;
        self.exchanged_bytes += envelope.bytes;
        self.exchanged_articles += envelope.articles;
        if self.error.is_none() {
            let chunk = self.plan[envelope.chunk as usize];
            let file = &self.inputs[chunk.file];
            if let Err(e) = self.consumer.chunk(&chunk, file, envelope.output) {
                self.error = Some(e);
            }
        }
        self.busy += started.elapsed();
    }

    fn finish<O>(mut self) -> Consumed<C>
    where
        C: InOrder<O>,
    {
        if self.error.is_none()
            && let Err(e) = self.consumer.finish()
        {
            self.error = Some(e);
        }
        Consumed {
            consumer: self.consumer,
            error: self.error,
            exchanged_bytes: self.exchanged_bytes,
            exchanged_articles: self.exchanged_articles,
            busy: self.busy,
        }
    }
}

/// One worker: process chunks of this process's turn; worker 0 also consumes.
fn run_worker<W, C>(
    worker: &mut timely::worker::Worker,
    shared: &Shared<W, C>,
) -> Option<Consumed<C>>
where
    W: ChunkWork,
    C: InOrder<W::Output>,
{
    let index = worker.index();
    let peers = worker.peers();
    let mut input = InputHandle::<u64, _>::new();
    let probe = ProbeHandle::<u64>::new();
    let consumer = if index == 0 {
        shared.consumer.lock().ok().and_then(|mut c| c.take())
    } else {
        None
    };
    let outcome: Rc<RefCell<Option<Consumed<C>>>> = Rc::new(RefCell::new(None));
    let consuming = consumer.map(|consumer| Consuming {
        consumer,
        plan: shared.plan.clone(),
        inputs: shared.inputs.clone(),
        next: 0,
        error: None,
        exchanged_bytes: 0,
        exchanged_articles: 0,
        busy: Duration::ZERO,
    });
    let out = Rc::clone(&outcome);
    // Chunks consumed so far (worker 0), to see whether a step did any consuming.
    let consumed = Rc::new(Cell::new(0u64));
    let consumed_in_operator = Rc::clone(&consumed);
    // Chunks received by the consumer and waiting for an earlier one.
    let waiting = Rc::new(Cell::new(0usize));
    let waiting_in_operator = Rc::clone(&waiting);
    worker.dataflow::<u64, _, _>(|scope| {
        scope
            .input_from(&mut input)
            .unary_frontier::<timely::container::CapacityContainerBuilder<Vec<()>>, _, _, _>(
                Exchange::new(|_: &Envelope<W::Output>| 0),
                "ConsumeInOrder",
                move |_initial, _info| {
                    let mut consuming = consuming;
                    let mut stash: BTreeMap<u64, (Capability<u64>, Envelope<W::Output>)> =
                        BTreeMap::new();
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
                            let (_cap, envelope) = entry.remove();
                            if let Some(c) = consuming.as_mut() {
                                c.take(envelope);
                            }
                            consumed_in_operator.set(consumed_in_operator.get() + 1);
                        }
                        waiting_in_operator.set(stash.len());
                        if frontier.frontier().is_empty()
                            && let Some(c) = consuming.take()
                        {
                            *out.borrow_mut() = Some(c.finish());
                        }
                    }
                },
            )
            .probe_with(&probe);
    });
    let mut state = shared.work.state();
    let mut watchdog = Watchdog::new(shared.stall_timeout);
    let ahead = (AHEAD_PER_WORKER * peers) as u64;
    loop {
        if index == 0 {
            // The consumer comes first: process a chunk only when a step finds nothing to
            // consume (where consuming is the slower half, worker 0 ends up only consuming).
            // With a heavy consumer, chunks already waiting for an earlier one mean that one
            // is on its way from another worker: wait for it rather than start a chunk of
            // its own (a light consumer catches up after its chunk instead).
            loop {
                let before = consumed.get();
                worker.step();
                if consumed.get() != before {
                    continue;
                }
                if waiting.get() == 0 || shared.workers == 1 || !shared.heavy_consumer {
                    break;
                }
                // Not taking a chunk now: tell the frontier that worker 0 sends nothing before
                // the next chunk still to be taken (or it would hold everyone back).
                let untaken = shared.chunk_of_turn(shared.next.load(Ordering::Relaxed));
                let floor = untaken.unwrap_or(shared.plan.len() as u64);
                if *input.time() < floor {
                    input.advance_to(floor);
                }
                watchdog.check(&probe);
                worker.step_or_park(Some(Duration::from_micros(500)));
            }
        }
        let Some(c) = shared.chunk_of_turn(shared.next.fetch_add(1, Ordering::Relaxed)) else {
            break;
        };
        input.advance_to(c);
        while probe.less_than(&c.saturating_sub(ahead)) {
            watchdog.check(&probe);
            worker.step_or_park(Some(Duration::from_millis(1)));
        }
        let envelope = process_chunk(shared, c, &mut state);
        input.send(envelope);
        input.advance_to(c + 1);
        worker.step();
    }
    input.close();
    while !probe.done() {
        watchdog.check(&probe);
        worker.step_or_park(Some(Duration::from_millis(10)));
    }
    outcome.borrow_mut().take()
}

/// Watches the progress a waiting worker sees: the frontier at the consumer's output.
pub(crate) struct Watchdog {
    limit: Option<Duration>,
    last: Option<u64>,
    since: Instant,
}

/// The start of the panic message of a stalled run (see [`is_stall_panic`]).
const STALLED: &str = "no progress";

impl Watchdog {
    pub(crate) fn new(limit: Option<Duration>) -> Self {
        Watchdog {
            limit,
            last: None,
            since: Instant::now(),
        }
    }

    /// Panics (timely has no other way out of a worker) when the frontier has not moved for
    /// longer than the limit.
    pub(crate) fn check(&mut self, probe: &ProbeHandle<u64>) {
        let Some(limit) = self.limit else { return };
        let now = probe.with_frontier(|f| f.first().copied());
        if now != self.last {
            self.last = now;
            self.since = Instant::now();
        } else if self.since.elapsed() > limit {
            panic!(
                "{STALLED} for {} s (the run is at chunk {}): a process is frozen or far too slow; stopping (--stall-timeout)",
                limit.as_secs(),
                now.map_or_else(|| "-".to_string(), |c| c.to_string())
            );
        }
    }
}

/// Is this panic message a stalled run's (see [`Shape::stall_timeout`])?
pub fn is_stall_panic(message: &str) -> bool {
    message.starts_with(STALLED)
}

impl<W, C> Shared<W, C> {
    /// The chunk this process processes at its `turn`-th take, if any is left. Processes
    /// take chunks in turn; a process 0 of a single worker takes none when there are others
    /// and consuming is heavy (its worker is busy consuming).
    fn chunk_of_turn(&self, turn: usize) -> Option<u64> {
        let skip_first =
            usize::from(self.heavy_consumer && self.processes > 1 && self.workers == 1);
        let takers = self.processes - skip_first;
        let position = self.process.checked_sub(skip_first)?;
        let c = turn * takers + position;
        (c < self.plan.len()).then_some(c as u64)
    }
}

fn process_chunk<W: ChunkWork, C>(
    shared: &Shared<W, C>,
    c: u64,
    state: &mut W::State,
) -> Envelope<W::Output> {
    if let Some(pause) = shared.throttle {
        std::thread::sleep(pause);
    }
    let started = Instant::now();
    let chunk = &shared.plan[c as usize];
    let file = &shared.inputs[chunk.file];
    let (output, articles) = shared.work.process(state, file, chunk);
    let bytes = bincode::serialized_size(&output).unwrap_or(0);
    shared
        .work_nanos
        .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    shared.articles.fetch_add(articles, Ordering::Relaxed);
    shared.chunks_here.fetch_add(1, Ordering::Relaxed);
    Envelope {
        chunk: c,
        bytes,
        articles,
        output,
    }
}
