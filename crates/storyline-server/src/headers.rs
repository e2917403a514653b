//! Response headers for pages that show text taken from other people's web pages: a
//! Content-Security-Policy for pages without script, no MIME sniffing, no referrer, no
//! framing; and the API's CORS policy (none unless origins are configured).
//!
//! The pages need: their one inline `<style>` (`style-src 'unsafe-inline'`), forms that submit
//! to the server itself (`form-action 'self'`: search, and the token form of a private
//! server), and nothing else (no script, no fonts, no frames; `img-src 'self'` for a
//! favicon). CORS is hand-written because it is an allowlist of exact origins and two methods;
//! tower-http would be a new dependency for it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_METHOD,
    CONTENT_SECURITY_POLICY, ORIGIN, REFERRER_POLICY, VARY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

macro_rules! csp {
    () => {
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    };
}

/// The Content-Security-Policy of every answer.
pub const CSP: &str = csp!();

/// The security headers as raw HTTP/1.1 lines, for answers written without the router.
pub const RAW_SECURITY_HEADERS: &str = concat!(
    "content-security-policy: ",
    csp!(),
    "\r\n",
    "x-content-type-options: nosniff\r\n",
    "referrer-policy: no-referrer\r\n",
    "x-frame-options: DENY\r\n",
);

/// The middleware: adds the security headers to every answer (keeping any a handler set).
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    for (name, value) in [
        (CONTENT_SECURITY_POLICY, CSP),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "no-referrer"),
        (X_FRAME_OPTIONS, "DENY"),
    ] {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
    resp
}

/// The middleware: CORS for `/api` when the request's `Origin` is allowed (`*` allows any):
/// preflights are answered here (before authorization: they carry no token), other answers
/// get `Access-Control-Allow-Origin`. The API authenticates with bearer headers, never with
/// cookies, so credentials are never allowed.
pub async fn cors(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let origins = &state.opts.cors_origins;
    let path = req.uri().path();
    let api = path == "/api" || path.starts_with("/api/");
    let allowed = match req.headers().get(ORIGIN) {
        Some(o) if api && !origins.is_empty() => {
            if origins.iter().any(|a| a == "*") {
                Some(HeaderValue::from_static("*"))
            } else if origins.iter().any(|a| a.as_bytes() == o.as_bytes()) {
                Some(o.clone())
            } else {
                None
            }
        }
        _ => None,
    };
    let Some(allow) = allowed else {
        return next.run(req).await;
    };
    let preflight = req.method() == Method::OPTIONS
        && req.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    let mut resp = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        h.insert(
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        r
    } else {
        let mut r = next.run(req).await;
        r.headers_mut().insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after, www-authenticate"),
        );
        r
    };
    let h = resp.headers_mut();
    h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow);
    h.append(VARY, HeaderValue::from_static("origin"));
    resp
}
