//! The other side of the API, for benchmarks and tests: a minimal blocking HTTP/1.1 client
//! (one request per connection, `std::net` only), and a `storyline serve` child process that
//! can be killed and started again on the same store.
//!
//! Not a general HTTP client: no TLS, no redirects, no chunked request bodies. It exists so
//! that what drives the server in a benchmark is as plain as a user's `curl`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// An HTTP response: status, headers and body.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Header names (lowercase) and values, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request (`Connection: close`) and reads the whole response. `timeout` bounds
/// each read and write.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
    timeout: Duration,
) -> io::Result<Response> {
    let headers: Vec<(&str, &str)> = content_type
        .map(|ct| ("Content-Type", ct))
        .into_iter()
        .collect();
    request_with(addr, method, path, &headers, body, timeout)
}

/// [`request`] with headers of its own (`Authorization`, `Content-Type`, ...).
pub fn request_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.set_nodelay(true)?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// Reads a `Connection: close` response: status line, headers, then a body delimited by
/// `Content-Length` or by the end of the stream (or chunked).
fn parse_response(raw: &[u8]) -> io::Result<Response> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("the connection closed before a complete response"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad("response head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let mut length = None;
    let mut chunked = false;
    let mut headers = Vec::new();
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        if k.eq_ignore_ascii_case("content-length") {
            length = v.trim().parse::<usize>().ok();
        } else if k.eq_ignore_ascii_case("transfer-encoding") {
            chunked = v.to_ascii_lowercase().contains("chunked");
        }
    }
    let rest = &raw[end + 4..];
    let body = if chunked {
        dechunk(rest)?
    } else {
        match length {
            Some(n) if rest.len() < n => return Err(bad("the connection closed mid-body")),
            Some(n) => rest[..n].to_vec(),
            None => rest.to_vec(),
        }
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let eol = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| bad("truncated chunk"))?;
        let size = std::str::from_utf8(&rest[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .ok_or_else(|| bad("bad chunk size"))?;
        rest = &rest[eol + 2..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size + 2 {
            return Err(bad("truncated chunk"));
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// The write token a `storyline serve` on `db` uses: `STORYLINE_WRITE_TOKEN` when set (the
/// server reads the same variable), else the token file beside the store.
pub fn write_token(db: &Path) -> io::Result<String> {
    if let Ok(t) = std::env::var("STORYLINE_WRITE_TOKEN") {
        return Ok(t.trim().to_string());
    }
    let path = crate::auth::token_path(db);
    let t = std::fs::read_to_string(&path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    Ok(t.trim().to_string())
}

/// A `storyline serve --port 0` child process on a store.
pub struct ServeProcess {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// From spawning to listening (the store's articles are replayed first).
    pub startup: Duration,
    /// Its write token (none when it is read-only or the token could not be read).
    pub token: Option<String>,
}

impl ServeProcess {
    /// Starts `exe serve --db DB --port 0` (exe: the `storyline` binary) and waits, at most
    /// `limit`, for the line that says where it listens. Its later stderr is discarded.
    pub fn start(exe: &Path, db: &Path, limit: Duration) -> io::Result<ServeProcess> {
        Self::start_with(exe, db, &[], limit)
    }

    /// [`ServeProcess::start`] with more options for `serve` (`--rate-limit 0`, ...).
    pub fn start_with(
        exe: &Path,
        db: &Path,
        args: &[&str],
        limit: Duration,
    ) -> io::Result<ServeProcess> {
        let started = Instant::now();
        let mut child = Command::new(exe)
            .args(["serve", "--port", "0"])
            .args(args)
            .arg("--db")
            .arg(db)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child.stderr.take().ok_or_else(|| bad("no stderr"))?;
        let (tx, rx) = mpsc::channel();
        // Keeps reading stderr so that the child never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent && let Some(port) = listening_port(&line) {
                    sent = tx.send(Ok(port)).is_ok();
                } else if !sent {
                    let _ = tx.send(Err(line));
                }
            }
        });
        let mut said = Vec::new();
        loop {
            let left = limit.saturating_sub(started.elapsed());
            match rx.recv_timeout(left) {
                Ok(Ok(port)) => {
                    return Ok(ServeProcess {
                        child,
                        addr: SocketAddr::from(([127, 0, 0, 1], port)),
                        startup: started.elapsed(),
                        token: write_token(db).ok(),
                    });
                }
                Ok(Err(line)) => said.push(line),
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(io::Error::other(format!(
                        "storyline serve did not start listening within {limit:?}: {}",
                        said.join(" | ")
                    )));
                }
            }
        }
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// `kill -9`, and waits for it to be gone.
    pub fn kill(mut self) -> io::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port in `... at http://127.0.0.1:PORT ...`.
fn listening_port(line: &str) -> Option<u16> {
    let rest = &line[line.find("at http://")? + "at http://".len()..];
    let hostport = rest.split(|c: char| c.is_whitespace() || c == '/').next()?;
    hostport.rsplit_once(':')?.1.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_are_read_by_length_or_chunks() {
        let r = parse_response(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi").unwrap();
        assert_eq!((r.status, r.text().as_str()), (200, "hi"));
        let r = parse_response(
            b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!((r.status, r.text().as_str()), (404, "abc"));
        assert!(parse_response(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhi").is_err());
        assert!(parse_response(b"HTTP/1.1 200").is_err());
    }

    #[test]
    fn the_listening_line_gives_the_port() {
        assert_eq!(
            listening_port(
                "Storyline is serving x.db (0 articles, 0 events) at http://127.0.0.1:41234 (API: /api/events)."
            ),
            Some(41234)
        );
        assert_eq!(listening_port("stopping"), None);
    }
}
