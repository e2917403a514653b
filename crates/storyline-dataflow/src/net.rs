//! Connecting the processes of a run: one TCP connection per pair, then handed to timely.
//!
//! timely's own connection code retries forever (printing to stdout, which is where the
//! output goes) and cannot tell a peer that runs another job from one that runs this job.
//! So the sockets are made here, the way timely makes them (process `i` connects to every
//! `j < i` and accepts every `j > i`, the first word on a connection is the connector's
//! index), with a deadline, and with a short check before timely takes over: the connector
//! sends the job's key, the acceptor answers whether it matches and, from process 0, the
//! input file the run starts from (the resume point). Then
//! `initialize_networking_from_sockets` builds timely's usual TCP allocators on them.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use timely::communication::allocator::zero_copy::initialize::initialize_networking_from_sockets;
use timely::communication::allocator::{AllocatorBuilder, ProcessBuilder};

use crate::Error;

/// The processes of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// `host:port` of every process, in process order (a timely hostfile).
    pub hosts: Vec<String>,
    /// This process.
    pub process: usize,
    /// How long to wait for every peer to be there.
    pub connect_timeout: Duration,
}

impl Network {
    /// Reads a hostfile: one `host:port` per line (blank lines and `#` comments ignored).
    pub fn from_hostfile(
        path: &Path,
        process: usize,
        connect_timeout: Duration,
    ) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            context: format!("{}: cannot read the hostfile", path.display()),
            source: e,
        })?;
        let hosts: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        if hosts.is_empty() {
            return Err(Error::Usage(format!(
                "{}: no host:port lines",
                path.display()
            )));
        }
        if process >= hosts.len() {
            return Err(Error::Usage(format!(
                "--process {process}: the hostfile {} lists {} processes (0 to {})",
                path.display(),
                hosts.len(),
                hosts.len() - 1
            )));
        }
        Ok(Network {
            hosts,
            process,
            connect_timeout,
        })
    }
}

/// Allocators for the workers, the guard of the network threads, the start file.
pub(crate) type Allocators = (Vec<AllocatorBuilder>, Box<dyn std::any::Any + Send>, u64);

/// What timely's workers communicate through: threads of one process, or, with a network of
/// several processes, TCP connections made by [`connect`] (within its deadline, after the
/// job check). Returns them, the guard that keeps the network threads, and the start file
/// (process 0's `start_file`, as process 0 told it).
pub(crate) fn allocators(
    network: Option<&Network>,
    workers: usize,
    job_key: u64,
    start_file: u64,
) -> Result<Allocators, Error> {
    match network {
        Some(net) if net.hosts.len() > 1 => {
            let (sockets, start) = connect(net, job_key, start_file)?;
            let allocators = ProcessBuilder::new_typed_vector(
                workers,
                timely::communication::Hooks::default().refill,
                None,
            );
            let (tcp, guard) = initialize_networking_from_sockets(
                allocators,
                sockets,
                net.process,
                workers,
                timely::communication::Hooks::default(),
            )
            .map_err(|e| Error::Connect {
                process: net.process,
                message: e.to_string(),
            })?;
            Ok((
                tcp.into_iter().map(AllocatorBuilder::Tcp).collect(),
                Box::new(guard),
                start,
            ))
        }
        _ => {
            let (b, g) = timely::CommunicationConfig::Process(workers)
                .try_build()
                .map_err(Error::Dataflow)?;
            Ok((b, g, start_file))
        }
    }
}

/// The first word of the check, so that a stray connection is not taken for a peer.
const MAGIC: u64 = 0x5354_4f52_594c_4e31; // "STORYLN1"

/// What an acceptor answers.
const ACCEPTED: u64 = 1;
const WRONG_JOB: u64 = 2;

/// Connects to every peer within the deadline. Process 0 tells the others `start_file`;
/// the others learn it from process 0. Returns one socket per process (`None` for this
/// one) and the start file.
pub(crate) fn connect(
    net: &Network,
    job_key: u64,
    start_file: u64,
) -> Result<(Vec<Option<TcpStream>>, u64), Error> {
    let me = net.process;
    let deadline = Instant::now() + net.connect_timeout;
    let listen_at = net.hosts[me].clone();
    let listener = TcpListener::bind(&listen_at).map_err(|e| Error::Connect {
        process: me,
        message: format!("cannot listen on {listen_at}: {e}"),
    })?;
    let expected = net.hosts.len() - me - 1;
    let acceptor =
        thread::spawn(move || accept_all(listener, me, expected, job_key, start_file, deadline));
    let mut sockets: Vec<Option<TcpStream>> = Vec::new();
    let mut start = start_file;
    for (j, host) in net.hosts.iter().enumerate().take(me) {
        let (stream, told) = connect_one(j, host, me, job_key, deadline, net.connect_timeout)?;
        if j == 0 {
            start = told;
        }
        sockets.push(Some(stream));
    }
    sockets.push(None);
    let accepted = acceptor.join().map_err(|_| Error::Connect {
        process: me,
        message: "the accepting thread panicked".into(),
    })??;
    sockets.extend(accepted.into_iter().map(Some));
    for s in sockets.iter().flatten() {
        let ok = s
            .set_read_timeout(None)
            .and_then(|()| s.set_write_timeout(None))
            .and_then(|()| s.set_nodelay(true));
        ok.map_err(|e| Error::Connect {
            process: me,
            message: format!("socket setup: {e}"),
        })?;
    }
    Ok((sockets, start))
}

fn resolve(host: &str) -> io::Result<Vec<SocketAddr>> {
    Ok(host.to_socket_addrs()?.collect())
}

fn connect_one(
    peer: usize,
    host: &str,
    me: usize,
    job_key: u64,
    deadline: Instant,
    timeout: Duration,
) -> Result<(TcpStream, u64), Error> {
    let mut last = String::from("not tried");
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::Connect {
                process: me,
                message: format!(
                    "process {peer} at {host} did not answer within {:.0} s (last error: {last})",
                    timeout.as_secs_f64()
                ),
            });
        }
        let attempt = resolve(host).and_then(|addrs| {
            let addr = addrs.first().ok_or_else(|| {
                io::Error::new(io::ErrorKind::NotFound, "no address for this host")
            })?;
            let wait = (deadline - now).min(Duration::from_secs(2));
            let mut s = TcpStream::connect_timeout(addr, wait)?;
            s.set_read_timeout(Some(wait.max(Duration::from_millis(500))))?;
            write_words(&mut s, &[MAGIC, me as u64, job_key])?;
            let [answer, start] = read_words::<2>(&mut s)?;
            Ok((s, answer, start))
        });
        match attempt {
            Ok((s, ACCEPTED, start)) => return Ok((s, start)),
            Ok((_, _, _)) => {
                return Err(Error::Connect {
                    process: me,
                    message: format!(
                        "process {peer} at {host} runs a different job (input files, options, \
                         worker count or hostfile differ)"
                    ),
                });
            }
            Err(e) => {
                last = e.to_string();
                thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn accept_all(
    listener: TcpListener,
    me: usize,
    expected: usize,
    job_key: u64,
    start_file: u64,
    deadline: Instant,
) -> Result<Vec<TcpStream>, Error> {
    let err = |message: String| Error::Connect {
        process: me,
        message,
    };
    let mut slots: Vec<Option<TcpStream>> = (0..expected).map(|_| None).collect();
    listener
        .set_nonblocking(true)
        .map_err(|e| err(format!("listener: {e}")))?;
    while slots.iter().any(Option::is_none) {
        if Instant::now() >= deadline {
            let missing: Vec<String> = slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.is_none())
                .map(|(k, _)| (me + 1 + k).to_string())
                .collect();
            return Err(err(format!(
                "process(es) {} did not connect in time",
                missing.join(", ")
            )));
        }
        match listener.accept() {
            Ok((mut s, from)) => {
                let checked = s
                    .set_nonblocking(false)
                    .and_then(|()| s.set_read_timeout(Some(Duration::from_secs(2))))
                    .and_then(|()| read_words::<3>(&mut s));
                let Ok([magic, peer, key]) = checked else {
                    continue; // not a peer, or gone: keep waiting
                };
                let peer = peer as usize;
                if magic != MAGIC || peer <= me || peer > me + expected {
                    tracing::warn!("ignoring a connection from {from} that is not a peer");
                    continue;
                }
                if key != job_key {
                    let _ = write_words(&mut s, &[WRONG_JOB, 0]);
                    return Err(err(format!(
                        "process {peer} (from {from}) runs a different job (input files, \
                         options, worker count or hostfile differ)"
                    )));
                }
                write_words(&mut s, &[ACCEPTED, start_file])
                    .map_err(|e| err(format!("answering process {peer}: {e}")))?;
                slots[peer - me - 1] = Some(s);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(err(format!("accepting: {e}"))),
        }
    }
    Ok(slots.into_iter().flatten().collect())
}

fn write_words(s: &mut TcpStream, words: &[u64]) -> io::Result<()> {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
    s.write_all(&bytes)?;
    s.flush()
}

fn read_words<const N: usize>(s: &mut TcpStream) -> io::Result<[u64; N]> {
    let mut out = [0u64; N];
    for w in &mut out {
        let mut b = [0u8; 8];
        s.read_exact(&mut b)?;
        *w = u64::from_be_bytes(b);
    }
    Ok(out)
}
