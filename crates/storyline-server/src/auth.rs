//! Who may write and who may read: bearer tokens, compared in constant time.
//!
//! Writes (every method but GET, HEAD and OPTIONS) need `Authorization: Bearer <write token>`,
//! always, loopback included; `Writes::Refused` (`storyline serve --read-only`) answers every
//! write 403. Reads are open unless a read token is set; then a read needs the read token (or
//! the write token) as a bearer header, as the `storyline_token` cookie, or as `?token=`. A
//! browser cannot send bearer headers, so a page opened with a valid `?token=` is redirected to
//! the same address without it, setting the cookie (HttpOnly, SameSite=Strict). Writes never
//! accept the cookie or the query: a cookie would let another site's form write (CSRF), and a
//! token in a URL ends up in logs.
//!
//! The write token comes from the caller (the CLI reads `STORYLINE_WRITE_TOKEN`) or from a
//! file beside the store, `<db>.token`, created with mode 0600 on first start from 32 bytes of
//! the operating system's CSPRNG (`getrandom`) and reused afterwards ([`load_or_create`]).

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE, LOCATION, SET_COOKIE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use thiserror::Error;

use crate::AppState;
use crate::error::ApiError;

/// The cookie that carries the read token for browsers.
pub const COOKIE_NAME: &str = "storyline_token";

/// Shortest token accepted: anything shorter is guessable by a patient client.
pub const MIN_TOKEN_LEN: usize = 16;

/// A secret compared in constant time. Its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// Why a token or its file cannot be used.
#[derive(Debug, Error)]
pub enum TokenError {
    /// Too short, or not in the bearer token alphabet.
    #[error(
        "a token must be at least {MIN_TOKEN_LEN} characters of A-Z a-z 0-9 - . _ ~ + / (and = at the end)"
    )]
    Malformed,
    /// The token file could not be read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The token file holds no usable token.
    #[error("{path}: not a token ({reason}); delete the file to have a new one made")]
    BadFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: &'static str,
    },
    /// The operating system gave no random bytes.
    #[error("no random bytes from the operating system: {0}")]
    Random(String),
}

impl Token {
    /// A token from text (e.g. an environment variable): the RFC 6750 `b64token` alphabet, at
    /// least [`MIN_TOKEN_LEN`] characters. Surrounding whitespace is ignored.
    pub fn new(text: &str) -> Result<Token, TokenError> {
        let t = text.trim();
        let body = t.trim_end_matches('=');
        let ok = t.len() >= MIN_TOKEN_LEN
            && !body.is_empty()
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b));
        if ok {
            Ok(Token(t.to_string()))
        } else {
            Err(TokenError::Malformed)
        }
    }

    /// 32 random bytes from the operating system's CSPRNG, as 64 hex digits.
    pub fn random() -> Result<Token, TokenError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| TokenError::Random(e.to_string()))?;
        let mut s = String::with_capacity(64);
        for b in bytes {
            s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        }
        Ok(Token(s))
    }

    /// The secret itself (to give to a client).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this token, in time that depends only on this token's length, never
    /// on where `given` first differs (no early exit, so a client cannot find the token a byte
    /// at a time by timing answers). Hand-written rather than a crate: it is these few lines.
    pub fn matches(&self, given: &[u8]) -> bool {
        let expected = self.0.as_bytes();
        let mut diff = expected.len() ^ given.len();
        for (i, &e) in expected.iter().enumerate() {
            let g = given.get(i).copied().unwrap_or(0);
            diff |= usize::from(e ^ g);
        }
        // Keeps the optimizer from turning the loop into an early-exit comparison.
        std::hint::black_box(diff) == 0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Who may write.
#[derive(Debug, Clone, Default)]
pub enum Writes {
    /// Writes with this bearer token.
    Token(Token),
    /// No writes at all (403): `--read-only`, and the default of a server built without a token.
    #[default]
    Refused,
}

/// Who may do what.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// Who may write.
    pub writes: Writes,
    /// When set, reads need this token (or the write token); otherwise reads are open.
    pub read_token: Option<Token>,
}

/// Where a write token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// Given by the caller (an environment variable).
    Given,
    /// Read from an existing token file.
    File(PathBuf),
    /// A new random token written to this file.
    Created(PathBuf),
}

/// The token file of a store: `<db>.token` beside it.
pub fn token_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(".token");
    PathBuf::from(p)
}

/// The write token: `given` when there is one; else the one in `<db>.token`; else a new random
/// one written there (mode 0600, created exclusively so that two servers starting at once agree).
pub fn load_or_create(db: &Path, given: Option<&str>) -> Result<(Token, TokenSource), TokenError> {
    if let Some(g) = given {
        return Ok((Token::new(g)?, TokenSource::Given));
    }
    let path = token_path(db);
    let file_err = |source| TokenError::File {
        path: path.clone(),
        source,
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut f) => {
            let token = Token::random()?;
            f.write_all(format!("{}\n", token.expose()).as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(file_err)?;
            Ok((token, TokenSource::Created(path)))
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let text = fs::read_to_string(&path).map_err(file_err)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = fs::metadata(&path).map_err(file_err)?.permissions().mode();
                if mode & 0o077 != 0 {
                    return Err(TokenError::BadFile {
                        path,
                        reason: "other users may read it: `chmod 600` it, or delete it",
                    });
                }
            }
            let token = Token::new(&text).map_err(|_| TokenError::BadFile {
                path: path.clone(),
                reason: "too short or not in the bearer token alphabet",
            })?;
            Ok((token, TokenSource::File(path)))
        }
        Err(e) => Err(file_err(e)),
    }
}

/// Whether a request changes state.
fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The token of `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<&[u8]> {
    let v = headers.get(AUTHORIZATION)?.as_bytes();
    let (scheme, rest) = v.split_at(v.iter().position(|&b| b == b' ')?);
    scheme
        .eq_ignore_ascii_case(b"bearer")
        .then(|| rest.trim_ascii())
}

/// The value of the token cookie.
fn cookie(headers: &HeaderMap) -> Option<&[u8]> {
    headers
        .get_all(COOKIE)
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b';'))
        .find_map(|kv| {
            let kv = kv.trim_ascii();
            let rest = kv.strip_prefix(COOKIE_NAME.as_bytes())?;
            rest.strip_prefix(b"=")
        })
}

/// The query's pairs, and the `token` among them.
fn query_token(query: Option<&str>) -> (Vec<(String, String)>, Option<String>) {
    let pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let token = pairs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.clone());
    (pairs, token)
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// 401 with `WWW-Authenticate: Bearer`: JSON under `/api`, a page that asks for the token
/// elsewhere.
fn unauthorized(path: &str, given: bool, message: &str) -> Response {
    let challenge = if given {
        "Bearer realm=\"storyline\", error=\"invalid_token\""
    } else {
        "Bearer realm=\"storyline\""
    };
    let e = ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message);
    let mut resp = if is_api(path) {
        e.into_response()
    } else {
        crate::pages::token_page(&e, path)
    };
    resp.headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    resp
}

/// The middleware: refuses writes without the write token (401) or on a read-only server
/// (403), and reads without the read token when one is set (401).
pub async fn authorize(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let access = &state.opts.access;
    let path = req.uri().path().to_string();
    let given = bearer(req.headers());
    let write_token = match &access.writes {
        Writes::Token(t) => Some(t),
        Writes::Refused => None,
    };
    if is_write(req.method()) {
        let Some(token) = write_token else {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "read_only",
                "this server is read-only: it stores nothing sent to it",
            )
            .into_response();
        };
        return match given {
            Some(g) if token.matches(g) => next.run(req).await,
            Some(_) => unauthorized(&path, true, "wrong write token; nothing was stored"),
            None => unauthorized(
                &path,
                false,
                "writes need `Authorization: Bearer <token>` (the write token: STORYLINE_WRITE_TOKEN, or the file <db>.token beside the store); nothing was stored",
            ),
        };
    }
    let Some(read) = &access.read_token else {
        return next.run(req).await;
    };
    let valid = |t: &[u8]| read.matches(t) | write_token.is_some_and(|w| w.matches(t));
    if given.is_some_and(valid) || cookie(req.headers()).is_some_and(valid) {
        return next.run(req).await;
    }
    let (pairs, from_query) = query_token(req.uri().query());
    match from_query {
        Some(t) if valid(t.as_bytes()) => {
            if is_api(&path) || req.method() != Method::GET {
                return next.run(req).await;
            }
            // A browser: the cookie from now on, and the token out of the address bar.
            let rest: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "token").collect();
            let mut location = path.clone();
            if !rest.is_empty() {
                location.push('?');
                location.push_str(&serde_urlencoded::to_string(rest).unwrap_or_default());
            }
            let secure = req
                .headers()
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
            let cookie = format!(
                "{COOKIE_NAME}={t}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000{}",
                if secure { "; Secure" } else { "" }
            );
            let mut resp = StatusCode::SEE_OTHER.into_response();
            if let (Ok(loc), Ok(c)) = (
                HeaderValue::from_str(&location),
                HeaderValue::from_str(&cookie),
            ) {
                resp.headers_mut().insert(LOCATION, loc);
                resp.headers_mut().insert(SET_COOKIE, c);
            }
            resp
        }
        Some(_) => unauthorized(&path, true, "wrong token"),
        None => unauthorized(
            &path,
            given.is_some(),
            "this server is private: reads need the read token (`Authorization: Bearer <token>`, the storyline_token cookie, or ?token=)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_only_themselves() {
        let t = Token::new("abcdefghijklmnop").unwrap();
        assert!(t.matches(b"abcdefghijklmnop"));
        assert!(!t.matches(b"abcdefghijklmnoq"));
        assert!(!t.matches(b"abcdefghijklmno"));
        assert!(!t.matches(b"abcdefghijklmnopq"));
        assert!(!t.matches(b""));
    }

    #[test]
    fn short_or_odd_tokens_are_refused() {
        assert!(Token::new("short").is_err());
        assert!(Token::new("has spaces in it, sixteen+").is_err());
        assert!(Token::new("semi;colon;sixteen;chars").is_err());
        assert!(Token::new("  aGVsbG8gd29ybGQgaGVsbG8=  \n").is_ok());
        let r = Token::random().unwrap();
        assert_eq!(r.expose().len(), 64);
        assert_ne!(r, Token::random().unwrap());
        assert_eq!(format!("{r:?}"), "Token(<redacted>)");
    }

    #[test]
    fn bearer_and_cookie_are_read() {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_static("bearer  abc "));
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; storyline_token=xyz; b=2"),
        );
        assert_eq!(bearer(&h), Some(&b"abc"[..]));
        assert_eq!(cookie(&h), Some(&b"xyz"[..]));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
    }
}
