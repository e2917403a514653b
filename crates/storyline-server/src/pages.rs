//! The web pages: server-rendered HTML (maud escapes everything it interpolates), readable
//! without JavaScript. Citations are `<details>` elements: an outlet chip that opens on the
//! source sentence, with no script at all.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use storyline_store::{EventQuery, EventRow, StorylinePlace, StorylineQuery, StorylineRow, db};

use crate::view::{self, EventView};
use crate::{ApiError, AppState};

/// Events per page of the list.
const PAGE: usize = 30;

const STYLE: &str = r#"
:root { --fg:#1d1d1f; --muted:#5f6368; --line:#e3e3e3; --accent:#1a5fb4; --chip:#eef3fb; --warn:#a61b1b; --ok:#2e7d32; }
* { box-sizing: border-box; }
body { margin:0; font: 17px/1.55 Georgia, "Times New Roman", serif; color:var(--fg); background:#fff; }
header.site { border-bottom:1px solid var(--line); padding:.6rem 1rem; display:flex; flex-wrap:wrap; gap:.6rem; align-items:center; font-family: system-ui, sans-serif; }
header.site a.brand { font-weight:700; color:var(--fg); text-decoration:none; margin-right:auto; }
form.search { display:flex; flex-wrap:wrap; gap:.4rem; font-family: system-ui, sans-serif; font-size:15px; }
form.search input { font-size:15px; padding:.3rem .5rem; border:1px solid #bbb; border-radius:4px; }
form.search input[type=search] { min-width: 12rem; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
h1 { font-size:1.7rem; line-height:1.25; margin:.4rem 0; }
h2 { font-size:1.25rem; margin:1.8rem 0 .5rem; border-bottom:1px solid var(--line); padding-bottom:.2rem; }
h3 { font-size:1.05rem; margin:1rem 0 .3rem; }
.meta, .muted { color:var(--muted); font-family: system-ui, sans-serif; font-size:14px; }
a { color:var(--accent); }
ol.events { list-style:none; padding:0; }
ol.events li { padding:.8rem 0; border-bottom:1px solid var(--line); }
ol.events h2 { border:0; margin:0; font-size:1.15rem; }
.summary p { margin:.3rem 0 .8rem; }
div.cites { display:flex; flex-wrap:wrap; gap:.25rem; align-items:baseline; margin:-.5rem 0 .9rem; }
details.cite { font-family: system-ui, sans-serif; font-size:13px; }
details.cite[open] { flex-basis:100%; }
details.cite > summary { display:inline-block; list-style:none; cursor:pointer; background:var(--chip); color:var(--accent); border-radius:999px; padding:0 .55rem; }
details.cite > summary::-webkit-details-marker { display:none; }
details.cite[open] > summary { background:var(--accent); color:#fff; }
details.cite blockquote { display:block; margin:.3rem 0 .6rem; padding:.4rem .7rem; border-left:3px solid var(--accent); background:#fafafa; font: 15px/1.45 Georgia, serif; color:var(--fg); }
.chip { display:inline-block; background:var(--chip); border-radius:999px; padding:0 .5rem; margin:.1rem; font: 13px system-ui, sans-serif; }
.badge { display:inline-block; border-radius:4px; padding:0 .4rem; font: 12px system-ui, sans-serif; text-transform:uppercase; letter-spacing:.03em; }
.badge.conflict { background:#fde7e7; color:var(--warn); }
.badge.consistent { background:#e6f4ea; color:var(--ok); }
.badge.updated, .badge.relative, .badge.updating { background:#fff4d6; color:#7a5b00; }
table { border-collapse:collapse; width:100%; font-size:15px; }
td, th { text-align:left; vertical-align:top; padding:.3rem .4rem; border-bottom:1px solid var(--line); }
blockquote.quote { margin:.4rem 0; padding-left:.8rem; border-left:3px solid var(--line); }
.figures { display:grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap:.4rem; }
.figure { border:1px solid var(--line); border-radius:6px; padding:.4rem .6rem; }
nav.pages { margin:1.5rem 0; font-family: system-ui, sans-serif; }
nav.storyline { display:flex; flex-wrap:wrap; gap:.3rem 1rem; justify-content:space-between; background:var(--chip); border-radius:6px; padding:.4rem .7rem; margin:.3rem 0 .8rem; font: 14px system-ui, sans-serif; }
ol.timeline-events { list-style:none; padding:0; border-left:2px solid var(--line); margin-left:.4rem; }
ol.timeline-events li { padding:.4rem 0 .8rem 1rem; position:relative; }
ol.timeline-events li::before { content:""; position:absolute; left:-.42rem; top:.85rem; width:.7rem; height:.7rem; border-radius:50%; background:var(--accent); }
ol.timeline-events li.current::before { background:var(--warn); }
.text p { margin:.5rem 0; }
@media (max-width: 40rem) { body { font-size:16px; } h1 { font-size:1.4rem; } main { padding:.7rem; } }
"#;

fn layout(title: &str, q: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Storyline" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.site {
                    a.brand href="/" { "Storyline" }
                    a href="/" { "Events" }
                    a href="/storylines" { "Storylines" }
                    form.search action="/" method="get" role="search" {
                        input type="search" name="q" value=(q) placeholder="Search events" aria-label="Search events";
                        button type="submit" { "Search" }
                    }
                }
                main { (body) }
            }
        }
    }
}

fn page(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

/// An error as a page.
pub fn error_page(e: &ApiError) -> Response {
    let body = html! {
        h1 { (e.status.canonical_reason().unwrap_or("Error")) }
        p { (e.message) }
        p { a href="/" { "All events" } }
    };
    page(e.status, layout("Error", "", body))
}

/// The page of a private server asked for without its read token: a form that sends the
/// token as `?token=` to this server (which answers with a cookie and a redirect).
pub fn token_page(e: &ApiError, path: &str) -> Response {
    let body = html! {
        h1 { "This Storyline is private" }
        p { (e.message) }
        form.search action=(path) method="get" {
            input type="password" name="token" placeholder="Read token" aria-label="Read token" autocomplete="current-password";
            button type="submit" { "Open" }
        }
    };
    page(e.status, layout("Private", "", body))
}

/// Query of the list page (every field optional; empty fields are ignored).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

impl ListParams {
    /// The store query these parameters ask for, or a 400 naming the bad parameter.
    pub fn to_query(&self, default_limit: usize, max_limit: usize) -> Result<EventQuery, ApiError> {
        let present = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let date =
            |name: &str, v: &Option<String>, end_of_day: bool| -> Result<Option<i64>, ApiError> {
                match present(v) {
                    None => Ok(None),
                    Some(s) => storyline::Timestamp::parse(&s)
                        .map(|t| {
                            Some(
                                t.unix_seconds()
                                    + if end_of_day && t.is_day_only() {
                                        86_399
                                    } else {
                                        0
                                    },
                            )
                        })
                        .ok_or_else(|| {
                            ApiError::parameter(format!(
                                "{name}: not a date: {s:?} (use YYYY-MM-DD or RFC 3339)"
                            ))
                        }),
                }
            };
        let limit = match present(&self.limit) {
            None => default_limit,
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=max_limit).contains(&n) => n,
                _ => {
                    return Err(ApiError::parameter(format!(
                        "limit: must be a number from 1 to {max_limit}, not {s:?}"
                    )));
                }
            },
        };
        let after = match present(&self.cursor) {
            None => None,
            Some(c) => Some(db::parse_cursor(&c).ok_or_else(|| {
                ApiError::parameter(format!("cursor: not a cursor from this API: {c:?}"))
            })?),
        };
        Ok(EventQuery {
            q: present(&self.q),
            from: date("from", &self.from, false)?,
            to: date("to", &self.to, true)?,
            limit,
            after,
        })
    }

    /// The storyline query these parameters ask for (words, limit, cursor; dates are not
    /// read), or a 400 naming the bad parameter.
    pub fn to_storyline_query(
        &self,
        default_limit: usize,
        max_limit: usize,
    ) -> Result<StorylineQuery, ApiError> {
        let words_only = ListParams {
            from: None,
            to: None,
            ..self.clone()
        };
        let q = words_only.to_query(default_limit, max_limit)?;
        Ok(StorylineQuery {
            q: q.q,
            limit: q.limit,
            after: q.after,
        })
    }
}

/// Runs a point lookup (by key: tens of microseconds) on the current thread. Handing it to a
/// blocking thread costs two thread wake-ups, more than the lookup itself: under load the
/// server spent most of its time switching threads (measured with `storyline bench api`).
/// Searches and lists, which can take milliseconds, go through [`read`].
pub(crate) fn lookup<T>(
    state: &AppState,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, storyline_store::StoreError>,
) -> Result<T, ApiError> {
    state.readers.with(f).map_err(ApiError::from)
}

/// Runs a read on a blocking thread (searches can take milliseconds).
pub(crate) async fn read<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T, storyline_store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || state.readers.with(f))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
        .map_err(ApiError::from)
}

fn encode(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

fn event_meta(first: Option<i64>, last: Option<i64>, articles: i64, outlets: Markup) -> Markup {
    html! {
        @if let Some(s) = view::span(first, last) { time { (s) } " · " }
        (articles) @if articles == 1 { " article" } @else { " articles" }
        " · " (outlets)
    }
}

/// "3 outlets", "1 outlet".
fn outlet_count(n: i64) -> Markup {
    html! { (n) @if n == 1 { " outlet" } @else { " outlets" } }
}

/// The outlets of an event page. The stored outlet count takes each article with no outlet
/// for an outlet of its own (two such may come from two outlets); the page counts only the
/// outlets its articles name and says how many name none ("outlets not given").
fn page_outlets(ev: &EventView) -> Markup {
    let mut named: Vec<&str> = ev
        .members
        .iter()
        .filter(|m| storyline::article::outlet_given(&m.outlet, &m.id))
        .map(|m| m.outlet.as_str())
        .collect();
    let unnamed = ev.members.len() - named.len();
    named.sort_unstable();
    named.dedup();
    html! {
        @if named.is_empty() { "outlets not given" }
        @else {
            (outlet_count(named.len() as i64))
            @if unnamed > 0 { " (" (unnamed) " without one)" }
        }
    }
}

/// `GET /`: the event list, with search and dates.
pub async fn index(
    State(state): State<Arc<AppState>>,
    Query(params): Query<ListParams>,
) -> Response {
    let query = match params.to_query(PAGE, PAGE) {
        Ok(q) => q,
        Err(e) => return error_page(&e),
    };
    let rows: Vec<EventRow> = match read(&state, move |c| db::list_events(c, &query)).await {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let q = params.q.clone().unwrap_or_default();
    let from = params.from.clone().unwrap_or_default();
    let to = params.to.clone().unwrap_or_default();
    let next = (rows.len() == PAGE)
        .then(|| rows.last().map(EventRow::cursor))
        .flatten();
    let heading = if q.trim().is_empty() {
        "Events".to_string()
    } else {
        format!("Events matching “{}”", q.trim())
    };
    let body = html! {
        h1 { (heading) }
        form.search action="/" method="get" {
            input type="hidden" name="q" value=(q);
            label { "From " input type="date" name="from" value=(from); }
            label { "To " input type="date" name="to" value=(to); }
            button type="submit" { "Filter" }
        }
        @if rows.is_empty() {
            p.muted { "No events" @if !q.trim().is_empty() { " match this search" } "." }
        }
        ol.events {
            @for r in &rows {
                li.event {
                    h2 { a href={ "/events/" (r.id) } { (r.title) } }
                    p.meta {
                        (event_meta(r.first_date, r.last_date, r.articles, outlet_count(r.outlets)))
                        @if r.updating { " " span.badge.updating { "updating" } }
                    }
                    @if !r.lead.is_empty() { p.lead { (r.lead) } }
                }
            }
        }
        @if let Some(c) = next {
            nav.pages { a rel="next" href={ "/?" (encode(&[("q", &q), ("from", &from), ("to", &to), ("cursor", &c)])) } { "Older events →" } }
        }
    };
    page(StatusCode::OK, layout(&heading, &q, body))
}

/// `GET /storylines`: the storylines, newest activity first, with search.
pub async fn storylines(
    State(state): State<Arc<AppState>>,
    Query(params): Query<ListParams>,
) -> Response {
    let query = match params.to_storyline_query(PAGE, PAGE) {
        Ok(q) => q,
        Err(e) => return error_page(&e),
    };
    let rows: Vec<StorylineRow> = match read(&state, move |c| db::list_storylines(c, &query)).await
    {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let q = params.q.clone().unwrap_or_default();
    let next = (rows.len() == PAGE)
        .then(|| rows.last().map(StorylineRow::cursor))
        .flatten();
    let heading = if q.trim().is_empty() {
        "Storylines".to_string()
    } else {
        format!("Storylines matching “{}”", q.trim())
    };
    let body = html! {
        h1 { (heading) }
        form.search action="/storylines" method="get" role="search" {
            input type="search" name="q" value=(q) placeholder="Search storylines" aria-label="Search storylines";
            button type="submit" { "Search" }
        }
        @if rows.is_empty() {
            p.muted { "No storylines" @if !q.trim().is_empty() { " match this search" } "." }
        }
        ol.events {
            @for r in &rows {
                li.storyline {
                    h2 { a href={ "/storylines/" (r.id) } { (r.title) } }
                    p.meta {
                        @if let Some(s) = view::span(r.first_date, r.last_date) { time { (s) } " · " }
                        (r.events) @if r.events == 1 { " event" } @else { " events" }
                        " · " (r.articles) @if r.articles == 1 { " article" } @else { " articles" }
                    }
                    @if !r.lead.is_empty() { p.lead { (r.lead) } }
                }
            }
        }
        @if let Some(c) = next {
            nav.pages { a rel="next" href={ "/storylines?" (encode(&[("q", &q), ("cursor", &c)])) } { "Older storylines →" } }
        }
    };
    page(StatusCode::OK, layout(&heading, "", body))
}

/// `GET /storylines/{id}`: a storyline's events as a timeline, with their dates and leads.
pub async fn storyline(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let key = id.clone();
    let found = read(&state, move |c| {
        let Some(row) = db::storyline_row(c, &key)? else {
            return Ok(None);
        };
        Ok(Some((row, db::storyline_events(c, &key)?)))
    })
    .await;
    let (row, events) = match found {
        Ok(Some(x)) => x,
        Ok(None) => {
            return error_page(&ApiError::not_found(format!(
                "There is no storyline {id:?}."
            )));
        }
        Err(e) => return error_page(&e),
    };
    let body = html! {
        p.meta { a href="/storylines" { "Storylines" } }
        h1 { (row.title) }
        p.meta {
            @if let Some(s) = view::span(row.first_date, row.last_date) { time { (s) } " · " }
            (row.events) @if row.events == 1 { " event" } @else { " events" }
            " · " (row.articles) @if row.articles == 1 { " article" } @else { " articles" }
        }
        ol.timeline-events {
            @for e in &events {
                li.event {
                    div.meta { time { (view::span(e.first_date, e.last_date).unwrap_or_else(|| "undated".into())) } }
                    h2 { a href={ "/events/" (e.id) } { (e.title) } }
                    p.meta { (event_meta(None, None, e.articles, outlet_count(e.outlets))) @if e.updating { " " span.badge.updating { "updating" } } }
                    @if !e.lead.is_empty() { p.lead { (e.lead) } }
                }
            }
        }
    };
    page(StatusCode::OK, layout(&row.title, "", body))
}

/// The bar of an event page: its storyline and the events before and after it there.
fn storyline_bar(place: &StorylinePlace) -> Markup {
    let Some(line) = &place.storyline else {
        return html! {};
    };
    html! {
        nav.storyline aria-label="Storyline" {
            span.prev {
                @if let Some(p) = &place.previous { a rel="prev" href={ "/events/" (p.id) } { "← " (p.title) } }
            }
            span.line {
                "Storyline: " a href={ "/storylines/" (line.id) } { (line.title) }
                " (" (place.position) " of " (line.events) ")"
            }
            span.next {
                @if let Some(n) = &place.next { a rel="next" href={ "/events/" (n.id) } { (n.title) " →" } }
            }
        }
    }
}

/// Links only to web addresses (never `javascript:` or other schemes from article data).
fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

fn outlets(list: &[String]) -> Markup {
    html! { @for o in list { span.chip { (o) } } }
}

fn event_body(ev: &EventView, updating: bool) -> Markup {
    let c = &ev.comparison;
    let mut speakers: Vec<(&str, Vec<&view::StatementView>)> = Vec::new();
    for s in &c.statements {
        let name = s.speaker.as_deref().unwrap_or("Unattributed");
        match speakers.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(s),
            None => speakers.push((name, vec![s])),
        }
    }
    // Attributed speakers first, in order of first appearance.
    speakers.sort_by_key(|(n, _)| *n == "Unattributed");
    let mut quantities: Vec<&view::QuantityView> = c.quantities.iter().collect();
    quantities.sort_by_key(|q| match q.agreement.as_str() {
        "conflict" => 0,
        "updated" => 1,
        _ => 2,
    });
    html! {
        h1 { (ev.title) }
        p.meta {
            (event_meta(ev.first_date, ev.last_date, ev.articles as i64, page_outlets(ev)))
            @if updating { " " span.badge.updating { "updating" } }
        }
        section.summary #summary {
            h2 { "Summary" }
            @if ev.summary.is_empty() { p.muted { "The summary is being computed." } }
            @for s in &ev.summary {
                p.sentence { (s.text) }
                div.cites {
                    @for cite in &s.citations {
                        details.cite {
                            summary title={ "Reported by " (cite.outlet) } { (cite.outlet) }
                            blockquote {
                                (cite.text) " "
                                a href={ "/articles/" (cite.article) } { "article" }
                            }
                        }
                    }
                    @if s.support > 1 { span.muted { (s.support) " outlets" } }
                }
            }
        }
        @if !speakers.is_empty() {
            section #quotes {
                h2 { "Who said what" }
                @for (name, list) in &speakers {
                    h3.speaker { (name) }
                    @for s in list {
                        blockquote.quote {
                            "“" (s.text) "”"
                            div.meta { (outlets(&s.outlets)) @if let Some(w) = &s.when { " · " (w) } }
                        }
                    }
                }
            }
        }
        @if !quantities.is_empty() {
            section #figures {
                h2 { "Figures" }
                @for q in &quantities {
                    h3 { (q.what) " " span class={ "badge " (q.agreement) } { (q.agreement) } }
                    div.figures {
                        @for f in &q.figures {
                            div.figure { strong { (f.text) } div.meta { (f.outlet) } }
                        }
                    }
                }
            }
        }
        @if !c.names.is_empty() {
            section #names {
                h2 { "Names spelled differently" }
                table {
                    @for n in &c.names {
                        tr { th { (n.canonical) } td { @for v in &n.variants { div { em { (v.spelling) } " " (outlets(&v.outlets)) } } } }
                    }
                }
            }
        }
        @if !c.facts.shared.is_empty() {
            section #shared {
                h2 { "What most outlets report" }
                ul { @for f in &c.facts.shared { li { (f.text) " " (outlets(&f.outlets)) } } }
            }
        }
        @if !c.facts.unique.is_empty() {
            section #unique {
                h2 { "Reported by one outlet only" }
                ul { @for f in &c.facts.unique { li { (f.text) " " (outlets(&f.outlets)) } } }
            }
        }
        @if !c.disputed.is_empty() {
            section #disputed {
                h2 { "Presented differently" }
                @for d in &c.disputed {
                    h3 { (d.claim) }
                    table {
                        @for o in &d.outlets {
                            tr { th { (o.outlet) } td { span.badge { (o.stance) } @if let Some(m) = &o.marker { " “" (m) "”" } } td { (o.text) } }
                        }
                    }
                }
            }
        }
        @if !c.timeline.is_empty() {
            section #timeline {
                h2 { "Timeline" }
                ol.timeline {
                    @for t in c.timeline.iter().filter(|t| !t.relative) {
                        li { strong { (t.label) } " " (t.text) " " (outlets(&t.outlets)) }
                    }
                }
                @if c.timeline.iter().any(|t| t.relative) {
                    p.muted { "From articles without a date, so not in order with the dates above:" }
                    ul.timeline {
                        @for t in c.timeline.iter().filter(|t| t.relative) {
                            li { strong { (t.label) } " " (t.text) " " (outlets(&t.outlets)) }
                        }
                    }
                }
            }
        }
        section #articles {
            h2 { "Articles" }
            table {
                tr { th { "Headline" } th { "Outlet" } th { "Date" } }
                @for m in &ev.members {
                    tr {
                        td {
                            a href={ "/articles/" (m.id) } { (m.title) }
                            @if let Some(d) = &m.duplicate_of { div.muted { "copy of " (d) } }
                        }
                        td {
                            @if !storyline::article::outlet_given(&m.outlet, &m.id) { span.muted { "not given" } }
                            @else if let Some(u) = m.url.as_deref().and_then(safe_url) { a href=(u) rel="nofollow noopener noreferrer" { (m.outlet) } } @else { (m.outlet) }
                        }
                        td { @if let Some(d) = m.date { (d.date().to_string()) } }
                    }
                }
            }
        }
    }
}

/// `GET /events/{id}`.
pub async fn event(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let key = id.clone();
    let found = read(&state, move |c| {
        let Some(row) = db::event_row(c, &key)? else {
            return Ok(None);
        };
        let report = db::event_report(c, &key)?.and_then(|(r, _)| r);
        let members = if report.is_none() {
            db::event_articles(c, &key)?
        } else {
            Vec::new()
        };
        let place = db::storyline_place(c, &key)?.unwrap_or_default();
        Ok(Some((row, report, members, place)))
    })
    .await;
    let (row, report, members, place) = match found {
        Ok(Some(x)) => x,
        Ok(None) => return error_page(&ApiError::not_found(format!("There is no event {id:?}."))),
        Err(e) => return error_page(&e),
    };
    let doc = report.unwrap_or_else(|| storyline_store::engine::pending_document(&row, &members));
    let ev = match serde_json::from_str::<EventView>(&doc) {
        Ok(ev) => ev,
        Err(e) => {
            tracing::error!("event {id}: stored document unreadable: {e}");
            return error_page(&ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "store_error",
                "This event's stored document is unreadable.",
            ));
        }
    };
    page(
        StatusCode::OK,
        layout(
            &ev.title,
            "",
            html! { (storyline_bar(&place)) (event_body(&ev, row.updating)) },
        ),
    )
}

/// `GET /articles/{id}`.
pub async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let key = id.clone();
    let found = match read(&state, move |c| db::article(c, &key)).await {
        Ok(Some(a)) => a,
        Ok(None) => {
            return error_page(&ApiError::not_found(format!("There is no article {id:?}.")));
        }
        Err(e) => return error_page(&e),
    };
    let a = &found.article;
    let body = html! {
        h1 { (a.title) }
        p.meta {
            (found.outlet)
            @if let Some(d) = a.date { " · " (d.date().to_string()) }
            @if let Some(u) = a.url.as_deref() {
                " · "
                @if let Some(u) = safe_url(u) { a href=(u) rel="nofollow noopener noreferrer" { "original" } } @else { (u) }
            }
            " · " a href={ "/events/" (found.event) } { "its event" }
            @if let Some(d) = &found.duplicate_of { " · copy of " a href={ "/articles/" (d) } { (d) } }
        }
        div.text { @for p in a.text.split("\n").map(str::trim).filter(|p| !p.is_empty()) { p { (p) } } }
    };
    page(StatusCode::OK, layout(&a.title, "", body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_linked() {
        assert_eq!(
            safe_url("https://example.org/a"),
            Some("https://example.org/a")
        );
        assert_eq!(safe_url(" HTTP://x.y"), Some("HTTP://x.y"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,<b>"), None);
    }

    #[test]
    fn list_parameters_are_checked() {
        let p = ListParams {
            limit: Some("0".into()),
            ..Default::default()
        };
        assert_eq!(p.to_query(20, 100).unwrap_err().code, "invalid_parameter");
        let p = ListParams {
            from: Some("yesterday-ish".into()),
            ..Default::default()
        };
        assert!(
            p.to_query(20, 100)
                .unwrap_err()
                .message
                .starts_with("from:")
        );
        let p = ListParams {
            to: Some("2031-03-14".into()),
            q: Some("  ".into()),
            ..Default::default()
        };
        let q = p.to_query(20, 100).unwrap();
        assert_eq!(q.q, None);
        assert_eq!(q.to.map(|t| t % 86_400), Some(86_399));
    }
}
