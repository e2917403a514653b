//! The JSON API, and its OpenAPI document (generated from these handlers and types).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use storyline::Article;
use storyline::ingest::{self, LineOutcome};
use storyline::language;
use storyline_store::{EventRow, Outcome, StorylineRow, db};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::{ErrorBody, ErrorDetail, RecordError};
use crate::pages::{ListParams, lookup, read};
use crate::{ApiError, AppState};

/// The API routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/events", get(list_events))
        .route("/api/events/{id}", get(get_event))
        .route("/api/storylines", get(list_storylines))
        .route("/api/storylines/{id}", get(get_storyline))
        .route("/api/articles", post(post_articles))
        .route("/api/articles/{id}", get(get_article))
        .route("/api/status", get(status))
        .route("/api/openapi.json", get(openapi))
}

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Storyline API",
        description = "News events from many outlets: cited summaries and source comparisons."
    ),
    paths(list_events, get_event, list_storylines, get_storyline, get_article, post_articles, status),
    components(schemas(
        EventList,
        EventItem,
        StorylineList,
        StorylineItem,
        StorylineDoc,
        EventDocument,
        SentenceDoc,
        CitationDoc,
        MemberDoc,
        ArticleDoc,
        IngestResponse,
        OutcomeDoc,
        RecordError,
        StatusDoc,
        ErrorBody,
        ErrorDetail
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The `bearer` security scheme that writes (and, on a private server, reads) need.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Query of `GET /api/events`.
#[derive(Debug, Deserialize, IntoParams)]
#[allow(dead_code)] // read through `ListParams`; here for the document
struct ListQueryDoc {
    /// Keywords (all must match; searched in titles, summaries and headlines).
    q: Option<String>,
    /// Only events with articles on or after this date (YYYY-MM-DD or RFC 3339).
    from: Option<String>,
    /// Only events with articles on or before this date.
    to: Option<String>,
    /// Events per page, 1-100 (default 20).
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// A page of events, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    events: Vec<EventItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

/// An event in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventItem {
    id: String,
    title: String,
    /// Earliest article date, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    first_date: Option<i64>,
    /// Latest article date, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_date: Option<i64>,
    articles: i64,
    outlets: i64,
    /// The summary's first sentence (empty until summarized).
    lead: String,
    /// New articles arrived; the summary and comparison are being recomputed.
    updating: bool,
    /// The storyline it belongs to (absent for events stored before storylines were kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    storyline: Option<String>,
}

impl From<EventRow> for EventItem {
    fn from(r: EventRow) -> Self {
        EventItem {
            id: r.id,
            title: r.title,
            first_date: r.first_date,
            last_date: r.last_date,
            articles: r.articles,
            outlets: r.outlets,
            lead: r.lead,
            updating: r.updating,
            storyline: r.storyline,
        }
    }
}

/// A page of storylines, newest activity first.
#[derive(Debug, Serialize, ToSchema)]
pub struct StorylineList {
    storylines: Vec<StorylineItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

/// A storyline: a developing story, the events linked into it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StorylineItem {
    /// The id of its first event.
    id: String,
    /// The headline of its largest event.
    title: String,
    /// The lead of its largest event (empty until summarized).
    lead: String,
    /// Its largest event.
    head_event: String,
    /// Earliest article date, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    first_date: Option<i64>,
    /// Latest article date, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_date: Option<i64>,
    /// Events in it.
    events: i64,
    /// Articles in it.
    articles: i64,
}

impl From<StorylineRow> for StorylineItem {
    fn from(r: StorylineRow) -> Self {
        StorylineItem {
            id: r.id,
            title: r.title,
            lead: r.lead,
            head_event: r.head_event,
            first_date: r.first_date,
            last_date: r.last_date,
            events: r.events,
            articles: r.articles,
        }
    }
}

/// A storyline with its events in time order.
#[derive(Debug, Serialize, ToSchema)]
pub struct StorylineDoc {
    #[serde(flatten)]
    storyline: StorylineItem,
    /// Its events, oldest first (by first article date; undated ones last).
    timeline: Vec<EventItem>,
}

/// Query of `GET /api/storylines`.
#[derive(Debug, Deserialize, IntoParams)]
#[allow(dead_code)] // read through `ListParams`; here for the document
struct StorylineQueryDoc {
    /// Keywords (all must match one of its events: titles, summaries, headlines).
    q: Option<String>,
    /// Storylines per page, 1-100 (default 20).
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Storylines, newest activity first; keyword search.
#[utoipa::path(get, path = "/api/storylines", params(StorylineQueryDoc),
    responses((status = 200, body = StorylineList), (status = 400, body = ErrorBody)))]
async fn list_storylines(
    State(state): State<Arc<AppState>>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<StorylineList>, ApiError> {
    let Query(params) = params.map_err(query_error)?;
    let query = params.to_storyline_query(20, 100)?;
    let limit = query.limit;
    let rows = read(&state, move |c| db::list_storylines(c, &query)).await?;
    let next_cursor = (rows.len() == limit)
        .then(|| rows.last().map(StorylineRow::cursor))
        .flatten();
    Ok(Json(StorylineList {
        storylines: rows.into_iter().map(StorylineItem::from).collect(),
        next_cursor,
    }))
}

/// One storyline and its events in time order.
#[utoipa::path(get, path = "/api/storylines/{id}", params(("id" = String, Path, description = "Storyline id")),
    responses((status = 200, body = StorylineDoc), (status = 404, body = ErrorBody)))]
async fn get_storyline(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<StorylineDoc>, ApiError> {
    let key = id.clone();
    let found = read(&state, move |c| {
        let Some(row) = db::storyline_row(c, &key)? else {
            return Ok(None);
        };
        Ok(Some((row, db::storyline_events(c, &key)?)))
    })
    .await?;
    match found {
        Some((row, events)) => Ok(Json(StorylineDoc {
            storyline: row.into(),
            timeline: events.into_iter().map(EventItem::from).collect(),
        })),
        None => Err(ApiError::not_found(format!("no storyline {id:?}"))),
    }
}

fn query_error(e: QueryRejection) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_parameter", e.body_text())
}

/// Events, newest first; keyword search and date range.
#[utoipa::path(get, path = "/api/events", params(ListQueryDoc),
    responses((status = 200, body = EventList), (status = 400, body = ErrorBody)))]
async fn list_events(
    State(state): State<Arc<AppState>>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<EventList>, ApiError> {
    let Query(params) = params.map_err(query_error)?;
    let query = params.to_query(20, 100)?;
    let limit = query.limit;
    let rows = read(&state, move |c| db::list_events(c, &query)).await?;
    let next_cursor = (rows.len() == limit)
        .then(|| rows.last().map(EventRow::cursor))
        .flatten();
    Ok(Json(EventList {
        events: rows.into_iter().map(EventItem::from).collect(),
        next_cursor,
    }))
}

/// An event: summary with citations, source comparison, timeline, member articles.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)] // the stored document is sent as stored; this describes it
pub struct EventDocument {
    id: String,
    title: String,
    #[schema(nullable = false)]
    first_date: Option<i64>,
    #[schema(nullable = false)]
    last_date: Option<i64>,
    articles: usize,
    outlets: usize,
    /// Summary length in words.
    words: usize,
    /// The summary and comparison are being recomputed (new articles arrived).
    updating: bool,
    /// The storyline it belongs to (absent for events stored before storylines were kept).
    #[schema(nullable = false)]
    storyline: Option<String>,
    summary: Vec<SentenceDoc>,
    /// Quotes and speakers (`statements`), figures and conflicts (`quantities`), name
    /// variants (`names`), shared and unique facts (`facts`), `timeline`, and claims the
    /// outlets present differently (`disputed`). Absent until first summarized.
    #[schema(value_type = Object)]
    comparison: serde_json::Value,
    members: Vec<MemberDoc>,
}

/// A summary sentence.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct SentenceDoc {
    text: String,
    /// The article it is taken from.
    article: String,
    /// Every article reporting the same content, with its sentence.
    citations: Vec<CitationDoc>,
    /// Distinct outlets among the citations.
    support: usize,
}

/// An article cited for a sentence.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct CitationDoc {
    article: String,
    outlet: String,
    /// The article's sentence that reports it.
    text: String,
    /// Share of the summary sentence's content found there, 0-1.
    coverage: f32,
}

/// A member article.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct MemberDoc {
    id: String,
    title: String,
    outlet: String,
    #[schema(nullable = false)]
    date: Option<String>,
    #[schema(nullable = false)]
    url: Option<String>,
    /// The earlier article this one copies.
    #[schema(nullable = false)]
    duplicate_of: Option<String>,
}

/// The stored document, with `updating` added in front (the document is stored as JSON
/// and sent without being parsed again).
fn with_updating(doc: &str, updating: bool) -> String {
    let rest = doc.trim_start().strip_prefix('{').unwrap_or("}");
    let sep = if rest.trim_start().starts_with('}') {
        ""
    } else {
        ","
    };
    format!("{{\"updating\":{updating}{sep}{rest}")
}

/// The stored document with `updating` and `storyline` added in front: the storyline is
/// read from the event's row, as folds of storylines change it without changing the event.
fn with_row_fields(doc: &str, updating: bool, storyline: Option<&str>) -> String {
    let doc = with_updating(doc, updating);
    match storyline.and_then(|s| serde_json::to_string(s).ok()) {
        Some(s) => format!("{{\"storyline\":{s},{}", &doc[1..]),
        None => doc,
    }
}

/// One event.
#[utoipa::path(get, path = "/api/events/{id}", params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventDocument), (status = 404, body = ErrorBody)))]
async fn get_event(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let key = id.as_str();
    let found = lookup(&state, |c| {
        let Some(row) = db::event_row(c, key)? else {
            return Ok(None);
        };
        let line = row.storyline.as_deref();
        Ok(match db::event_report(c, key)? {
            Some((Some(doc), updating)) => Some(with_row_fields(&doc, updating, line)),
            Some((None, _)) => Some(with_row_fields(
                &storyline_store::engine::pending_document(&row, &db::event_articles(c, key)?),
                true,
                line,
            )),
            None => None,
        })
    })?;
    match found {
        Some(body) => Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response()),
        None => Err(ApiError::not_found(format!("no event {id:?}"))),
    }
}

/// A stored article.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ArticleDoc {
    id: String,
    title: String,
    text: String,
    #[schema(nullable = false)]
    source: Option<String>,
    #[schema(nullable = false)]
    url: Option<String>,
    #[schema(nullable = false)]
    date: Option<String>,
    /// Source, else the URL's host, else the id.
    outlet: String,
    /// The event it joined.
    event: String,
    #[schema(nullable = false)]
    duplicate_of: Option<String>,
    /// Ingest order.
    seq: i64,
}

/// One article and the event it joined.
#[utoipa::path(get, path = "/api/articles/{id}", params(("id" = String, Path, description = "Article id")),
    responses((status = 200, body = ArticleDoc), (status = 404, body = ErrorBody)))]
async fn get_article(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    match lookup(&state, |c| db::article(c, &id))? {
        Some(a) => Ok(Json(a).into_response()),
        None => Err(ApiError::not_found(format!("no article {id:?}"))),
    }
}

/// Counts of the store.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusDoc {
    articles: i64,
    events: i64,
    /// Events whose summary and comparison are being recomputed.
    updating: i64,
}

/// Counts of the store.
#[utoipa::path(get, path = "/api/status", responses((status = 200, body = StatusDoc)))]
async fn status(State(state): State<Arc<AppState>>) -> Result<Json<StatusDoc>, ApiError> {
    let c = read(&state, db::counts).await?;
    Ok(Json(StatusDoc {
        articles: c.articles,
        events: c.events,
        updating: c.dirty,
    }))
}

/// Query of `POST /api/articles`.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct IngestParams {
    /// `true`: store the good records of a batch and report the bad ones (default: a batch
    /// with a bad record is rejected whole).
    #[serde(default)]
    partial: Option<bool>,
    /// `any` keeps articles in any language (default: articles clearly not in English are
    /// rejected).
    #[serde(default)]
    lang: Option<String>,
}

/// What an ingest did.
#[derive(Debug, Serialize, ToSchema)]
pub struct IngestResponse {
    /// Articles stored.
    stored: usize,
    /// Articles whose id was already stored (nothing changed).
    already_stored: usize,
    /// Events started by this batch.
    new_events: usize,
    /// One per good record, in order.
    #[schema(value_type = Vec<OutcomeDoc>)]
    results: Vec<Outcome>,
    /// Records kept with a change (text cut, date not understood...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<RecordError>,
    /// Records left out (only with `partial=true`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rejected: Vec<RecordError>,
}

/// What happened to one article.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct OutcomeDoc {
    /// `stored` or `already_stored`.
    status: String,
    id: String,
    /// The event it joined (when stored).
    #[schema(nullable = false)]
    event: Option<String>,
    /// The earlier article it copies.
    #[schema(nullable = false)]
    duplicate_of: Option<String>,
    /// It started a new event.
    #[schema(nullable = false)]
    new_event: Option<bool>,
}

/// JSON types, and the two that clients send JSON under by default (`curl -d` sends
/// `application/x-www-form-urlencoded`).
fn media_type_ok(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE) else {
        return true;
    };
    let ct = ct
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        ct.as_str(),
        "" | "application/json"
            | "application/x-ndjson"
            | "application/jsonl"
            | "application/json-lines"
            | "text/plain"
            | "application/x-www-form-urlencoded"
    )
}

/// The records of a body: a JSON object, a JSON array of objects, or JSONL (one object per
/// line). Each record is a (1-based position, JSON text) pair.
fn records(body: &str) -> Result<Vec<(usize, String)>, ApiError> {
    let trimmed = body.trim_start();
    if trimmed.starts_with('[') {
        let items: Vec<serde_json::Value> = serde_json::from_str(body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not a JSON array of articles: {e}"),
            )
        })?;
        return Ok(items
            .into_iter()
            .enumerate()
            .map(|(k, v)| (k + 1, v.to_string()))
            .collect());
    }
    let lines: Vec<(usize, &str)> = body
        .lines()
        .enumerate()
        .map(|(k, l)| (k + 1, l))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    // One pretty-printed object spans several lines.
    if lines.len() > 1
        && trimmed.starts_with('{')
        && serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| v.is_object())
    {
        return Ok(vec![(1, body.to_string())]);
    }
    Ok(lines.into_iter().map(|(k, l)| (k, l.to_string())).collect())
}

/// Ingests one article (a JSON object) or a batch (a JSON array, or JSONL: one object per
/// line) of `{"id","title","text","source"?,"url"?,"date"?}`, and answers with the event
/// each article joined.
#[utoipa::path(post, path = "/api/articles", params(IngestParams), security(("bearer" = [])),
    request_body(content = String, description = "One article as a JSON object, a JSON array of articles, or JSONL", content_type = "application/json"),
    responses((status = 200, body = IngestResponse),
        (status = 400, description = "Malformed JSON, invalid UTF-8 or an empty body", body = ErrorBody),
        (status = 401, description = "No write token, or a wrong one (nothing was stored)", body = ErrorBody),
        (status = 403, description = "The server is read-only", body = ErrorBody),
        (status = 429, description = "Over the per-client rate; see Retry-After", body = ErrorBody),
        (status = 413, description = "Body or batch too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Some records are not valid articles (nothing was stored)", body = ErrorBody)))]
async fn post_articles(
    State(state): State<Arc<AppState>>,
    params: Result<Query<IngestParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<IngestResponse>, ApiError> {
    let Query(params) = params.map_err(query_error)?;
    if !media_type_ok(&headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send articles as application/json (an object or an array) or application/x-ndjson (JSONL)",
        ));
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "the body is over the limit of {} bytes; send smaller batches",
                    state.opts.max_body_bytes
                ),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.body_text())
        }
    })?;
    let text = std::str::from_utf8(&body).map_err(|e| {
        let at = e.valid_up_to();
        let line = body[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_utf8",
            format!("the body is not valid UTF-8 (byte {at}, line {line}); nothing was stored"),
        )
    })?;
    if text.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "empty body: send one article as a JSON object, or a batch as JSONL",
        ));
    }
    let records = records(text)?;
    if records.len() > state.opts.max_batch {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            format!(
                "{} articles in one request; the limit is {}",
                records.len(),
                state.opts.max_batch
            ),
        ));
    }
    let any_language = params
        .lang
        .as_deref()
        .is_some_and(|l| l.eq_ignore_ascii_case("any"));
    let mut articles: Vec<Article> = Vec::with_capacity(records.len());
    let (mut bad, mut warnings, mut malformed) = (Vec::new(), Vec::new(), false);
    for (k, rec) in &records {
        match ingest::parse_article_line("request", *k, rec, &state.opts.limits) {
            LineOutcome::Blank => {}
            LineOutcome::Rejected(issue) => {
                malformed |= matches!(issue.problem, ingest::Problem::NotJson(_));
                bad.push(RecordError {
                    record: *k,
                    id: issue.record.id,
                    message: issue.problem.to_string(),
                });
            }
            LineOutcome::Article(a, issues) => {
                let sample = format!(
                    "{}\n{}",
                    a.title,
                    &a.text[..a.text.floor_char_boundary(4000)]
                );
                if let Some(d) = (!any_language)
                    .then(|| language::clearly_not_english(&sample))
                    .flatten()
                {
                    bad.push(RecordError {
                        record: *k,
                        id: Some(a.id.clone()),
                        message: format!(
                            "written in {} ({}), not English; add ?lang=any to keep it",
                            d.name, d.code
                        ),
                    });
                    continue;
                }
                warnings.extend(issues.into_iter().map(|i| RecordError {
                    record: *k,
                    id: i.record.id,
                    message: i.problem.to_string(),
                }));
                articles.push(a);
            }
        }
    }
    if !bad.is_empty() && !params.partial.unwrap_or(false) {
        let (status, code) = if malformed {
            (StatusCode::BAD_REQUEST, "malformed_json")
        } else {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_article")
        };
        let n = bad.len();
        let mut e = ApiError::new(
            status,
            code,
            format!(
                "{n} of {} records are not valid articles; nothing was stored (add ?partial=true to store the others)",
                records.len()
            ),
        );
        e.records = bad;
        return Err(e);
    }
    let worker = Arc::clone(&state);
    let (results, counts) = tokio::task::spawn_blocking(move || worker.ingest(&articles))
        .await
        .map_err(|e| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        })??;
    Ok(Json(IngestResponse {
        stored: counts.stored,
        already_stored: counts.already_stored,
        new_events: counts.new_events,
        results,
        warnings,
        rejected: bad,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updating_is_added_to_the_document() {
        assert_eq!(
            with_updating("{\"id\":\"e1\"}", true),
            "{\"updating\":true,\"id\":\"e1\"}"
        );
        assert_eq!(with_updating("{}", false), "{\"updating\":false}");
        let v: serde_json::Value =
            serde_json::from_str(&with_row_fields("{\"id\":\"e1\"}", false, Some("s\"1"))).unwrap();
        assert_eq!(
            (v["storyline"].as_str(), v["id"].as_str()),
            (Some("s\"1"), Some("e1"))
        );
        let v: serde_json::Value =
            serde_json::from_str(&with_updating(" {\"a\":[1]}", false)).unwrap();
        assert_eq!(v["a"][0], 1);
    }

    #[test]
    fn bodies_are_split_into_records() {
        assert_eq!(records("{\"id\":\"a\"}").unwrap().len(), 1);
        assert_eq!(
            records("{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n")
                .unwrap()
                .iter()
                .map(|r| r.0)
                .collect::<Vec<_>>(),
            vec![1, 3]
        );
        assert_eq!(records("[{\"id\":\"a\"},{\"id\":\"b\"}]").unwrap().len(), 2);
        assert_eq!(
            records("{\n \"id\": \"a\",\n \"text\": \"x\"\n}")
                .unwrap()
                .len(),
            1
        );
        assert_eq!(records("[{\"id\":").unwrap_err().code, "malformed_json");
    }
}
