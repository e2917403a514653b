//! Work that starts on process 0 spread over every worker of every process, results back to
//! process 0: how a scaled-out `storyline run` summarizes and compares its events.
//!
//! ```text
//!  worker 0 (process 0)                 every worker                 worker 0 (process 0)
//!  Coordinator::next_batch ─exchange─► job ─► work(job) ─exchange─► results by batch; when the
//!  (batch b = epoch b)      (by index)                      (to 0)  frontier passes b:
//!                                                                   Coordinator::done(b)
//! ```
//!
//! Worker 0 sends a batch only while at most a few are unfinished (a probe on the results),
//! so memory stays bounded; the processes connect anew (the same hostfile, with [`net`]).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::operator::Operator;
use timely::dataflow::operators::{Capability, Input, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};

use crate::ordered::Watchdog;
use crate::{Error, Network, net};

/// Process 0's side: where the jobs come from and where the results go.
pub trait Coordinator<J, R>: Send + 'static {
    /// The next batch of jobs, `None` when there are no more.
    fn next_batch(&mut self) -> Result<Option<Vec<J>>, Error>;
    /// The results of a batch (in no particular order), batches in order.
    fn done(&mut self, results: Vec<R>) -> Result<(), Error>;
}

/// How a scatter runs.
pub struct ScatterShape {
    /// Worker threads in each process.
    pub workers: usize,
    /// The processes, or `None` for one process.
    pub network: Option<Network>,
    /// A key all processes must agree on.
    pub key: u64,
    /// See [`crate::Shape::stall_timeout`].
    pub stall_timeout: Option<Duration>,
}

/// Batches in flight at most.
const IN_FLIGHT: u64 = 4;

/// Runs `work` on the jobs process 0's `coordinator` hands out (the other processes pass
/// `None`); returns the coordinator on process 0.
pub fn scatter<J, R, W, C>(
    shape: ScatterShape,
    work: W,
    coordinator: Option<C>,
) -> Result<Option<C>, Error>
where
    J: timely::ExchangeData + Clone,
    R: timely::ExchangeData + Clone,
    W: Fn(J) -> R + Send + Sync + 'static,
    C: Coordinator<J, R>,
{
    let process = shape.network.as_ref().map_or(0, |n| n.process);
    let workers = shape.workers.max(1);
    if (process == 0) != coordinator.is_some() {
        return Err(Error::Usage(
            "process 0, and only process 0, coordinates".into(),
        ));
    }
    let (builders, guard, _) = net::allocators(shape.network.as_ref(), workers, shape.key, 0)?;
    let work = Arc::new(work);
    let coordinator = Arc::new(Mutex::new(coordinator));
    let stall = shape.stall_timeout;
    let guards = timely::execute::execute_from(
        builders,
        guard,
        timely::WorkerConfig::default(),
        move |worker| {
            let mine = if worker.index() == 0 {
                coordinator.lock().ok().and_then(|mut c| c.take())
            } else {
                None
            };
            run_worker(worker, Arc::clone(&work), mine, stall)
        },
    )
    .map_err(Error::Dataflow)?;
    let mut back = None;
    for result in guards.join() {
        match result {
            Ok(Some(Ok(c))) => back = Some(c),
            Ok(Some(Err(e))) => return Err(e),
            Ok(None) => {}
            Err(e) => return Err(Error::Dataflow(e)),
        }
    }
    Ok(back)
}

type Outcome<C> = Rc<RefCell<Option<Result<C, Error>>>>;

fn run_worker<J, R, W, C>(
    worker: &mut timely::worker::Worker,
    work: Arc<W>,
    coordinator: Option<C>,
    stall: Option<Duration>,
) -> Option<Result<C, Error>>
where
    J: timely::ExchangeData + Clone,
    R: timely::ExchangeData + Clone,
    W: Fn(J) -> R + Send + Sync + 'static,
    C: Coordinator<J, R>,
{
    let peers = worker.peers() as u64;
    let mut input =
        InputHandle::<u64, timely::container::CapacityContainerBuilder<Vec<(u64, J)>>>::new();
    let probe = ProbeHandle::<u64>::new();
    let coordinator: Rc<RefCell<Option<C>>> = Rc::new(RefCell::new(coordinator));
    let failure: Rc<RefCell<Option<Error>>> = Rc::new(RefCell::new(None));
    let outcome: Outcome<C> = Rc::new(RefCell::new(None));
    {
        let coordinator = Rc::clone(&coordinator);
        let failure = Rc::clone(&failure);
        let outcome = Rc::clone(&outcome);
        worker.dataflow::<u64, _, _>(|scope| {
            scope
                .input_from(&mut input)
                .unary::<timely::container::CapacityContainerBuilder<Vec<R>>, _, _, _>(
                    Exchange::new(move |(k, _): &(u64, J)| *k % peers),
                    "Work",
                    move |_, _| {
                        move |input, output| {
                            input.for_each(|cap, data| {
                                if let Some(cap) = cap.retain_least(0) {
                                    let mut session = output.session(&cap);
                                    for (_, job) in data.drain(..) {
                                        session.give(work(job));
                                    }
                                }
                            });
                        }
                    },
                )
                .unary_frontier::<timely::container::CapacityContainerBuilder<Vec<()>>, _, _, _>(
                    Exchange::new(|_: &R| 0),
                    "Gather",
                    move |_initial, _info| {
                        let mut stash: BTreeMap<u64, (Capability<u64>, Vec<R>)> = BTreeMap::new();
                        move |(input, frontier), _output| {
                            input.for_each(|cap, data| {
                                if let Some(cap) = cap.retain_least(0) {
                                    let t = *cap.time();
                                    stash
                                        .entry(t)
                                        .or_insert_with(|| (cap, Vec::new()))
                                        .1
                                        .append(data);
                                }
                            });
                            while let Some(entry) = stash.first_entry() {
                                if frontier.frontier().less_equal(entry.key()) {
                                    break;
                                }
                                let (_cap, results) = entry.remove();
                                if failure.borrow().is_none()
                                    && let Some(c) = coordinator.borrow_mut().as_mut()
                                    && let Err(e) = c.done(results)
                                {
                                    *failure.borrow_mut() = Some(e);
                                }
                            }
                            if frontier.frontier().is_empty()
                                && let Some(c) = coordinator.borrow_mut().take()
                            {
                                *outcome.borrow_mut() = Some(match failure.borrow_mut().take() {
                                    Some(e) => Err(e),
                                    None => Ok(c),
                                });
                            }
                        }
                    },
                )
                .probe_with(&probe);
        });
    }
    let mut watchdog = Watchdog::new(stall);
    if coordinator.borrow().is_some() {
        let mut batch = 0u64;
        loop {
            while probe.less_than(&batch.saturating_sub(IN_FLIGHT)) {
                watchdog.check(&probe);
                worker.step_or_park(Some(Duration::from_millis(1)));
            }
            if failure.borrow().is_some() {
                break;
            }
            let next = match coordinator.borrow_mut().as_mut() {
                Some(c) => c.next_batch(),
                None => Ok(None),
            };
            match next {
                Ok(Some(jobs)) => {
                    for (k, job) in jobs.into_iter().enumerate() {
                        input.send((k as u64, job));
                    }
                    batch += 1;
                    input.advance_to(batch);
                    worker.step();
                }
                Ok(None) => break,
                Err(e) => {
                    *failure.borrow_mut() = Some(e);
                    break;
                }
            }
        }
    }
    input.close();
    while !probe.done() {
        watchdog.check(&probe);
        worker.step_or_park(Some(Duration::from_millis(5)));
    }
    outcome.borrow_mut().take()
}
