//! A polite HTTP client for live sources.
//!
//! - robots.txt is fetched once per host and kept for [`FetchOptions::robots_ttl`]
//!   ([`crate::robots`]); its `Crawl-delay` lengthens the per-host delay.
//! - One request at a time per host (the fetcher is used from one thread, and each host's
//!   next allowed time is kept), at least [`FetchOptions::host_delay`] apart.
//! - Conditional GET: the caller's `ETag`/`Last-Modified` are sent back; a 304 is
//!   [`Fetched::NotModified`].
//! - 429 and 503 rest the host: `Retry-After` when given, else a backoff that doubles up to
//!   [`FetchOptions::max_backoff`].
//! - Timeouts (connect and whole request), a redirect limit, a body size limit (counted after
//!   decompression), gzip and brotli (ureq's decoders, `Accept-Encoding: gzip, br`), and a
//!   configurable `User-Agent`.
//!
//! Memory is bounded: at most [`FetchOptions::max_hosts`] hosts are remembered.

use std::collections::HashMap;
use std::io::Read;
use std::time::{Duration, Instant, SystemTime};

use crate::robots::Robots;

/// Settings of the fetcher.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Sent as `User-Agent`; its first word (before `/`) is the token robots.txt rules name.
    pub user_agent: String,
    /// Whole request, from connecting to the last body byte.
    pub timeout: Duration,
    /// Connecting.
    pub connect_timeout: Duration,
    /// A longer body is refused.
    pub max_body_bytes: u64,
    /// Redirects followed.
    pub max_redirects: u32,
    /// Least time between two requests to one host.
    pub host_delay: Duration,
    /// Honour robots.txt.
    pub robots: bool,
    /// How long a host's robots.txt is kept.
    pub robots_ttl: Duration,
    /// Longest rest after 429/503.
    pub max_backoff: Duration,
    /// First rest after 429/503 without `Retry-After`.
    pub first_backoff: Duration,
    /// Hosts remembered (delays, backoffs, robots.txt).
    pub max_hosts: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            user_agent: format!(
                "storyline/{} (+https://example.invalid/storyline)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 8 << 20,
            max_redirects: 5,
            host_delay: Duration::from_secs(1),
            robots: true,
            robots_ttl: Duration::from_secs(3600),
            max_backoff: Duration::from_secs(6 * 3600),
            first_backoff: Duration::from_secs(60),
            max_hosts: 10_000,
        }
    }
}

/// HTTP validators of a response, sent back on the next request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// What a fetch gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    /// 304: unchanged since the validators.
    NotModified,
    /// 2xx with its body.
    Body {
        /// The body (decompressed).
        bytes: Vec<u8>,
        /// The address after redirects.
        url: String,
        /// `Content-Type`.
        content_type: Option<String>,
        /// Validators to send next time.
        validators: Validators,
    },
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// robots.txt disallows it.
    #[error("disallowed by robots.txt")]
    Robots,
    /// 429 or 503: the host rests.
    #[error("HTTP {status}: the host asks us to wait; retrying in {}s", retry_after.as_secs())]
    Throttled {
        /// The status.
        status: u16,
        /// The rest.
        retry_after: Duration,
    },
    /// The host is resting after a 429/503 to an earlier request: not asked now.
    #[error("the host is resting after a 429/503; retrying in {}s", .0.as_secs())]
    Resting(Duration),
    /// Another non-success status.
    #[error("HTTP {0}")]
    Status(u16),
    /// The body is over the limit.
    #[error("body over the limit of {0} bytes")]
    TooLarge(u64),
    /// A redirect loop, or more redirects than allowed.
    #[error("too many redirects (a loop?)")]
    Redirects,
    /// Connecting or reading took too long.
    #[error("timed out")]
    Timeout,
    /// The host is unknown or refuses connections.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// Anything else on the wire.
    #[error("{0}")]
    Network(String),
    /// Not an http(s) address.
    #[error("not an http(s) address: {0}")]
    BadUrl(String),
}

impl FetchError {
    /// Worth trying again later (as opposed to a refusal by robots.txt or a bad address).
    pub fn is_transient(&self) -> bool {
        !matches!(self, FetchError::Robots | FetchError::BadUrl(_))
    }
}

/// One request's outcome: done, or sent elsewhere.
enum Step {
    Done(Fetched),
    Redirect(String),
}

/// What is known of one host.
#[derive(Debug)]
struct Host {
    /// No request before this.
    next: Instant,
    /// The last rest after 429/503 (doubles while they go on).
    backoff: Duration,
    /// Its robots.txt and when it was fetched.
    robots: Option<(Instant, Robots)>,
}

/// The polite client (see the module documentation). Use it from one thread.
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
    token: String,
    hosts: HashMap<String, Host>,
}

impl Fetcher {
    /// A fetcher with these settings.
    pub fn new(opts: FetchOptions) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .timeout_connect(Some(opts.connect_timeout))
            // Redirects are followed here, so that robots.txt and the host's turn apply to
            // every hop.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .user_agent(opts.user_agent.as_str())
            .max_idle_connections_per_host(1)
            .build();
        let token = opts
            .user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("storyline")
            .to_ascii_lowercase();
        Fetcher {
            agent: config.into(),
            opts,
            token,
            hosts: HashMap::new(),
        }
    }

    /// The settings.
    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// When `url`'s host may next be asked (now if it is not resting).
    pub fn ready_at(&self, url: &str) -> Instant {
        origin(url)
            .and_then(|o| self.hosts.get(&o))
            .map_or_else(Instant::now, |h| h.next)
    }

    /// Fetches `url`, waiting for its host's turn, sending `validators` back. Redirects are
    /// followed up to [`FetchOptions::max_redirects`], each hop checked against its host's
    /// robots.txt; a loop is [`FetchError::Redirects`].
    pub fn get(&mut self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut url = url.to_string();
        let mut visited: Vec<String> = Vec::new();
        for _ in 0..=self.opts.max_redirects {
            let origin = origin(&url).ok_or_else(|| FetchError::BadUrl(url.clone()))?;
            if self.opts.robots {
                let path = path_of(&url);
                let robots = self.robots(&origin);
                if !robots.allowed(&path) {
                    return Err(FetchError::Robots);
                }
            }
            match self.request(&origin, &url, validators)? {
                Step::Done(f) => return Ok(f),
                Step::Redirect(next) => {
                    visited.push(std::mem::replace(&mut url, next));
                    if visited.contains(&url) {
                        return Err(FetchError::Redirects);
                    }
                }
            }
        }
        Err(FetchError::Redirects)
    }

    /// The robots.txt rules of `origin` (fetched when not known or stale).
    fn robots(&mut self, origin: &str) -> Robots {
        if let Some(h) = self.hosts.get(origin)
            && let Some((at, r)) = &h.robots
            && at.elapsed() < self.opts.robots_ttl
        {
            return r.clone();
        }
        let url = format!("{origin}/robots.txt");
        let robots = match self.request(origin, &url, &Validators::default()) {
            Ok(Step::Done(Fetched::Body { bytes, .. })) => {
                Robots::parse(&String::from_utf8_lossy(&bytes), &self.token)
            }
            // 4xx: no rules. Unreachable or resting: allowed now, asked again next time.
            Err(FetchError::Status(s)) if (400..500).contains(&s) => Robots::allow_all(),
            // Not modified, or moved: no rules taken from it (RFC 9309 would follow the move).
            Ok(_) => Robots::allow_all(),
            Err(_) => return Robots::allow_all(),
        };
        if let Some(h) = self.hosts.get_mut(origin) {
            h.robots = Some((Instant::now(), robots.clone()));
        }
        robots
    }

    fn host(&mut self, origin: &str) -> &mut Host {
        if !self.hosts.contains_key(origin) && self.hosts.len() >= self.opts.max_hosts {
            // Forget the hosts not resting (their robots.txt is fetched again if needed).
            let now = Instant::now();
            self.hosts.retain(|_, h| h.next > now);
            if self.hosts.len() >= self.opts.max_hosts {
                self.hosts.clear();
            }
        }
        self.hosts
            .entry(origin.to_string())
            .or_insert_with(|| Host {
                next: Instant::now(),
                backoff: Duration::ZERO,
                robots: None,
            })
    }

    fn request(
        &mut self,
        origin: &str,
        url: &str,
        validators: &Validators,
    ) -> Result<Step, FetchError> {
        let delay = self.delay(origin);
        let host = self.host(origin);
        let wait = host.next.saturating_duration_since(Instant::now());
        if !host.backoff.is_zero() && wait > delay {
            // Resting after a 429/503: the other hosts' sources go on meanwhile.
            return Err(FetchError::Resting(wait));
        }
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
        let mut req = self.agent.get(url);
        if let Some(e) = &validators.etag {
            req = req.header("If-None-Match", e.as_str());
        }
        if let Some(m) = &validators.last_modified {
            req = req.header("If-Modified-Since", m.as_str());
        }
        let result = req.call();
        let opts = self.opts.clone();
        let host = self.host(origin);
        host.next = Instant::now() + delay;
        let mut resp = result.map_err(|e| wire_error(e, opts.max_body_bytes))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if status == 429 || status == 503 {
            let asked = header("retry-after").and_then(|v| retry_after(&v));
            let doubled = if host.backoff.is_zero() {
                opts.first_backoff
            } else {
                host.backoff * 2
            };
            let rest = asked.unwrap_or(doubled).min(opts.max_backoff);
            host.backoff = doubled.min(opts.max_backoff);
            host.next = Instant::now() + rest.max(delay);
            return Err(FetchError::Throttled {
                status,
                retry_after: rest,
            });
        }
        host.backoff = Duration::ZERO;
        if status == 304 {
            return Ok(Step::Done(Fetched::NotModified));
        }
        if matches!(status, 301 | 302 | 303 | 307 | 308) {
            let location = header("location").ok_or(FetchError::Status(status))?;
            let next = storyline_web::html::meta::resolve(Some(url), &location)
                .ok_or_else(|| FetchError::BadUrl(location.clone()))?;
            return Ok(Step::Redirect(next));
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(status));
        }
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let content_type = header("content-type");
        let final_url = url.to_string();
        let limit = opts.max_body_bytes;
        let mut bytes = Vec::new();
        resp.body_mut()
            .with_config()
            .limit(limit + 1)
            .reader()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                if e.to_string().contains("limit") {
                    FetchError::TooLarge(limit)
                } else if e.kind() == std::io::ErrorKind::TimedOut {
                    FetchError::Timeout
                } else {
                    FetchError::Network(e.to_string())
                }
            })?;
        if bytes.len() as u64 > limit {
            return Err(FetchError::TooLarge(limit));
        }
        Ok(Step::Done(Fetched::Body {
            bytes,
            url: final_url,
            content_type,
            validators,
        }))
    }

    /// The delay between two requests to `origin`: ours, or its robots.txt's if longer.
    fn delay(&self, origin: &str) -> Duration {
        let crawl = self
            .hosts
            .get(origin)
            .and_then(|h| h.robots.as_ref())
            .and_then(|(_, r)| r.delay)
            .unwrap_or_default();
        self.opts.host_delay.max(crawl.min(Duration::from_secs(60)))
    }
}

fn wire_error(e: ureq::Error, limit: u64) -> FetchError {
    match e {
        ureq::Error::TooManyRedirects => FetchError::Redirects,
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(limit),
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            FetchError::Connect(e.to_string())
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            FetchError::Connect(io.to_string())
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => FetchError::Timeout,
        ureq::Error::BadUri(u) => FetchError::BadUrl(u),
        other => FetchError::Network(other.to_string()),
    }
}

/// `Retry-After`: seconds, or an HTTP date.
fn retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

/// `scheme://host[:port]`, lowercased, for http(s) URLs.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if host.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// The path and query of a URL (`/` when none).
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find(['/', '?']).map_or("/", |k| &rest[k..]);
    let path = path.split('#').next().unwrap_or("/");
    if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_paths() {
        assert_eq!(
            origin("HTTP://Example.com:8080/a?b").as_deref(),
            Some("http://example.com:8080")
        );
        assert_eq!(origin("ftp://x/y"), None);
        assert_eq!(path_of("http://h/a/b?c=1#f"), "/a/b?c=1");
        assert_eq!(path_of("http://h"), "/");
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
    }
}
