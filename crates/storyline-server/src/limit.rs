//! Limits that keep one client from starving the others: a request rate per client (a token
//! bucket, answered 429 with `Retry-After`), open connections per client (the connection is
//! answered 429 and closed), and open connections in all (further clients wait in the
//! kernel's accept queue).
//!
//! Hand-written rather than `tower_governor`: that crate brings `governor`, `dashmap`,
//! `quanta` and a forwarded-header parser (a build-time cost on these 2 cores) for what is a
//! few dozen lines here, and tower's own `RateLimit`/`ConcurrencyLimit` layers are global, not
//! per client. Memory is bounded: the bucket table holds at most `max_clients` entries (a
//! bucket that has refilled is forgotten, as a new client would get the same), and the
//! connection table has an entry only per open connection.
//!
//! A client is its IP address, an IPv6 client its /64 (one host usually holds a whole /64).
//! Behind a reverse proxy every connection comes from the proxy, so requests from
//! `trusted_proxies` are keyed by the last address of `X-Forwarded-For` that is not a trusted
//! proxy, and the proxies' own connections are not capped per client.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header::RETRY_AFTER};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::AppState;
use crate::error::ApiError;

/// Per-client limits of a server.
#[derive(Debug, Clone)]
pub struct ClientLimits {
    /// Requests per second a client may make on average (0: no limit).
    pub requests_per_s: f64,
    /// Requests a client may make at once after a pause (the bucket's size).
    pub burst: u32,
    /// Connections one client may hold open (0: no limit).
    pub connections_per_client: usize,
    /// Connections open in all (0: no limit).
    pub max_connections: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// Most clients whose rate is tracked at once; beyond it, new clients share one bucket.
    pub max_clients: usize,
}

impl Default for ClientLimits {
    fn default() -> Self {
        ClientLimits {
            requests_per_s: 50.0,
            burst: 100,
            connections_per_client: 32,
            max_connections: 1024,
            trusted_proxies: Vec::new(),
            max_clients: 65_536,
        }
    }
}

/// Who a client is, for the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    /// An address (IPv4, or the /64 of an IPv6 address).
    Ip(IpAddr),
    /// Every client that arrived while the table was full.
    Overflow,
}

impl ClientKey {
    /// The key of an address: IPv4 as is (also when mapped into IPv6), IPv6 by its /64.
    pub fn of(ip: IpAddr) -> ClientKey {
        match ip {
            IpAddr::V4(v4) => ClientKey::Ip(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::Ip(IpAddr::V4(v4)),
                None => {
                    let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                    ClientKey::Ip(IpAddr::V6(Ipv6Addr::from(prefix)))
                }
            },
        }
    }
}

/// The client's address: the peer, or, when the peer is a trusted proxy, the last address of
/// `X-Forwarded-For` that is not one (proxies append the address they saw).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Debug)]
struct Buckets {
    map: HashMap<ClientKey, Bucket>,
    swept: Option<Instant>,
}

/// Token buckets per client (the classic leaky-bucket-as-meter of RFC 2697's single rate,
/// without colours): `burst` requests at once, refilled at `rate` per second.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    max_clients: usize,
    buckets: Mutex<Buckets>,
}

impl RateLimiter {
    /// A limiter, or none when `rate` is 0 (no limit).
    pub fn new(rate: f64, burst: u32, max_clients: usize) -> Option<RateLimiter> {
        (rate > 0.0).then(|| RateLimiter {
            rate,
            burst: f64::from(burst.max(1)),
            max_clients: max_clients.max(1),
            buckets: Mutex::new(Buckets {
                map: HashMap::new(),
                swept: None,
            }),
        })
    }

    /// Takes one request from `key`'s bucket, or says how long until there is one.
    pub fn check(&self, key: ClientKey, now: Instant) -> Result<(), Duration> {
        let mut b = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let mut key = key;
        if !b.map.contains_key(&key) && b.map.len() >= self.max_clients {
            // Forget clients whose buckets are full again (they are like new ones), at most
            // once a second so that a flood of new addresses cannot make every request sweep.
            if b.swept
                .is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1))
            {
                let refill = Duration::from_secs_f64(self.burst / self.rate);
                b.map.retain(|_, x| now.duration_since(x.at) < refill);
                b.swept = Some(now);
            }
            if b.map.len() >= self.max_clients {
                key = ClientKey::Overflow;
            }
        }
        let bucket = b.map.entry(key).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.rate))
        }
    }

    /// Clients tracked now.
    pub fn tracked(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .map
            .len()
    }
}

/// The peer address of a connection accepted by [`LimitedListener`].
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl Connected<IncomingStream<'_, LimitedListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, LimitedListener>) -> Self {
        Peer(*stream.remote_addr())
    }
}

/// The middleware: 429 with `Retry-After` once a client is over its rate.
pub async fn throttle(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(limiter) = &state.limiter else {
        return next.run(req).await;
    };
    // Requests that did not come through a listener (tests through the router) share a key.
    let peer = req
        .extensions()
        .get::<ConnectInfo<Peer>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.0.ip());
    let ip = client_ip(
        peer,
        req.headers(),
        &state.opts.client_limits.trusted_proxies,
    );
    match limiter.check(ClientKey::of(ip), Instant::now()) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            let e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "more than {} requests per second from your address; retry in {secs} s",
                    state.opts.client_limits.requests_per_s
                ),
            );
            let path = req.uri().path();
            let mut resp = if path == "/api" || path.starts_with("/api/") {
                e.into_response()
            } else {
                crate::pages::error_page(&e)
            };
            resp.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
            resp
        }
    }
}

/// Open connections per client.
type OpenCounts = Arc<Mutex<HashMap<ClientKey, usize>>>;

/// A TCP listener that caps open connections, in all and per client.
pub struct LimitedListener {
    inner: TcpListener,
    all: Option<Arc<Semaphore>>,
    per_client: usize,
    exempt: Vec<IpAddr>,
    open: OpenCounts,
}

impl LimitedListener {
    /// Wraps `inner` with `limits` (its connection caps and trusted proxies).
    pub fn new(inner: TcpListener, limits: &ClientLimits) -> LimitedListener {
        LimitedListener {
            inner,
            all: (limits.max_connections > 0)
                .then(|| Arc::new(Semaphore::new(limits.max_connections))),
            per_client: limits.connections_per_client,
            exempt: limits.trusted_proxies.clone(),
            open: Arc::default(),
        }
    }
}

/// Counts a connection of a client while it is open.
struct Slot {
    open: OpenCounts,
    key: ClientKey,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// An accepted connection, holding its place in the limits until it is dropped.
pub struct LimitedStream {
    inner: TcpStream,
    _slot: Option<Slot>,
    _permit: Option<OwnedSemaphorePermit>,
}

impl Listener for LimitedListener {
    type Io = LimitedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (LimitedStream, SocketAddr) {
        loop {
            let permit = match &self.all {
                Some(s) => Arc::clone(s).acquire_owned().await.ok(),
                None => None,
            };
            let (stream, addr) = match self.inner.accept().await {
                Ok(x) => x,
                Err(e) => {
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                    ) {
                        // Out of file descriptors, most likely: wait for some to close.
                        tracing::error!("accept error: {e}");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    continue;
                }
            };
            let mut slot = None;
            if self.per_client > 0 && !self.exempt.contains(&addr.ip()) {
                let key = ClientKey::of(addr.ip());
                let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
                let n = open.entry(key).or_insert(0);
                if *n >= self.per_client {
                    drop(open);
                    tokio::spawn(refuse(stream, permit));
                    continue;
                }
                *n += 1;
                slot = Some(Slot {
                    open: Arc::clone(&self.open),
                    key,
                });
            }
            return (
                LimitedStream {
                    inner: stream,
                    _slot: slot,
                    _permit: permit,
                },
                addr,
            );
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// Answers a connection over its client's cap with 429 and closes it (within 2 s). The
/// request is read and dropped first, so that closing does not reset the connection before
/// the client has read the answer.
async fn refuse(mut stream: TcpStream, _permit: Option<OwnedSemaphorePermit>) {
    const BODY: &str = r#"{"error":{"code":"too_many_connections","message":"too many open connections from your address; close some and retry"}}"#;
    let answer = format!(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n{}\r\n{BODY}",
        BODY.len(),
        crate::headers::RAW_SECURITY_HEADERS
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let mut buf = [0u8; 4096];
        let _ = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await;
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        let mut drained = 0;
        while drained < 1 << 16 {
            match stream.read(&mut buf).await? {
                0 => break,
                n => drained += n,
            }
        }
        io::Result::Ok(())
    })
    .await;
}

impl AsyncRead for LimitedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for LimitedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_its_rate() {
        let l = RateLimiter::new(10.0, 3, 100).unwrap();
        let t0 = Instant::now();
        let a = ClientKey::of("10.0.0.1".parse().unwrap());
        let b = ClientKey::of("10.0.0.2".parse().unwrap());
        for _ in 0..3 {
            assert!(l.check(a, t0).is_ok());
        }
        let wait = l.check(a, t0).unwrap_err();
        assert!(wait > Duration::from_millis(50) && wait <= Duration::from_millis(100));
        assert!(l.check(b, t0).is_ok(), "another client is not affected");
        assert!(l.check(a, t0 + Duration::from_millis(100)).is_ok());
        assert!(RateLimiter::new(0.0, 3, 100).is_none());
    }

    #[test]
    fn the_table_stays_bounded() {
        let l = RateLimiter::new(1.0, 2, 4).unwrap();
        let t0 = Instant::now();
        for i in 0..100u8 {
            let _ = l.check(ClientKey::of(IpAddr::from([10, 0, 0, i])), t0);
        }
        assert!(l.tracked() <= 5, "{}", l.tracked());
        // Once their buckets have refilled, old clients make room for new ones.
        let later = t0 + Duration::from_secs(5);
        assert!(
            l.check(ClientKey::of(IpAddr::from([10, 0, 1, 1])), later)
                .is_ok()
        );
        assert!(l.tracked() <= 2, "{}", l.tracked());
    }

    #[test]
    fn ipv6_clients_are_their_64_and_proxies_are_seen_through() {
        let a = ClientKey::of("2001:db8::1".parse().unwrap());
        let b = ClientKey::of("2001:db8::ffff:2".parse().unwrap());
        assert_eq!(a, b);
        assert_eq!(
            ClientKey::of("::ffff:10.1.2.3".parse().unwrap()),
            ClientKey::of("10.1.2.3".parse().unwrap())
        );
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9"),
        );
        assert_eq!(
            client_ip(proxy, &h, &[proxy]),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // An untrusted peer cannot choose its key.
        let other: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(client_ip(other, &h, &[proxy]), other);
    }
}
