//! `storyline storylines` and `storyline storyline ID`: the stored storylines (events linked
//! into developing stories) in the terminal.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;
use storyline_store::{EventRow, StorylineQuery, StorylineRow, db};

use crate::serve_cmd::{Format, StoreArgs, day, open_existing};

#[derive(Args)]
pub struct StorylinesArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Keywords: storylines with an event that matches them all. `-s`, as `-q` is the global
    /// `--quiet`.
    #[arg(short = 's', long, visible_alias = "search")]
    query: Option<String>,
    /// At most this many storylines.
    #[arg(short = 'n', long, default_value_t = 20)]
    limit: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `storyline storylines`: newest activity first.
pub fn run_storylines(args: StorylinesArgs) -> Result<ExitCode> {
    let reader = open_existing(&args.store)?;
    let rows = db::list_storylines(
        &reader,
        &StorylineQuery {
            q: args.query.clone(),
            limit: args.limit.max(1),
            after: None,
        },
    )?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        Format::Markdown => {
            for r in &rows {
                writeln!(
                    out,
                    "- **{}** ({}) `{}`{}",
                    r.title,
                    extent(r),
                    r.id,
                    if r.lead.is_empty() {
                        String::new()
                    } else {
                        format!("  \n  {}", r.lead)
                    }
                )?;
            }
        }
        Format::Text => {
            for r in &rows {
                writeln!(
                    out,
                    "{:<12} {:<10} {:>4} ev {:>5} art  {}",
                    r.id,
                    day(r.last_date),
                    r.events,
                    r.articles,
                    r.title
                )?;
            }
        }
    }
    if rows.is_empty() {
        eprintln!(
            "no storylines{}",
            if args.query.is_some() { " match" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// "2014-04-09 – 2014-04-12; 3 events, 41 articles".
fn extent(r: &StorylineRow) -> String {
    format!(
        "{}; {}, {}",
        span(r),
        counted(r.events, "event"),
        counted(r.articles, "article")
    )
}

/// "1 event", "3 events".
fn counted(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The days a storyline covers, in words where its articles give none.
fn span(r: &StorylineRow) -> String {
    if r.first_date.is_none() && r.last_date.is_none() {
        return "dates not given".into();
    }
    let (a, b) = (day(r.first_date), day(r.last_date));
    if a == b { a } else { format!("{a} – {b}") }
}

#[derive(Args)]
pub struct StorylineArgs {
    /// The storyline's id (see `storyline storylines`).
    id: String,
    #[command(flatten)]
    store: StoreArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// A storyline and its events, as `--format json` prints it (the API's document).
#[derive(Serialize)]
struct StorylineDoc<'a> {
    #[serde(flatten)]
    storyline: &'a StorylineRow,
    timeline: &'a [EventRow],
}

/// `storyline storyline ID`: its events in time order, each with its date and lead.
pub fn run_storyline(args: StorylineArgs) -> Result<ExitCode> {
    let reader = open_existing(&args.store)?;
    let Some(row) = db::storyline_row(&reader, &args.id)? else {
        bail!(
            "no storyline {:?} in {} (see `storyline storylines`)",
            args.id,
            args.store.db.display()
        );
    };
    let events = db::storyline_events(&reader, &args.id)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&StorylineDoc {
                storyline: &row,
                timeline: &events,
            })?
        )?,
        Format::Markdown => {
            writeln!(out, "# {}\n", row.title)?;
            writeln!(out, "{}; storyline `{}`\n", extent(&row), row.id)?;
            for e in &events {
                writeln!(
                    out,
                    "- **{}** {} (`{}`; {} articles){}",
                    day(e.first_date),
                    e.title,
                    e.id,
                    e.articles,
                    if e.lead.is_empty() {
                        String::new()
                    } else {
                        format!("  \n  {}", e.lead)
                    }
                )?;
            }
        }
        Format::Text => {
            writeln!(out, "{}", row.title)?;
            writeln!(out, "{}; storyline {}\n", extent(&row), row.id)?;
            for e in &events {
                writeln!(
                    out,
                    "{:<10} {}  [{}; {} art]",
                    day(e.first_date),
                    e.title,
                    e.id,
                    e.articles
                )?;
                if !e.lead.is_empty() {
                    writeln!(out, "{:<10} {}", "", e.lead)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The lines `storyline event` ends with: its storyline and its neighbours there.
pub(crate) fn place_lines(conn: &db::Connection, event: &str) -> Result<Vec<String>> {
    let Some(place) = db::storyline_place(conn, event)? else {
        return Ok(Vec::new());
    };
    let Some(line) = &place.storyline else {
        return Ok(vec![
            "Storyline: none recorded (stored before storylines were kept)".to_string(),
        ]);
    };
    let mut lines = vec![format!(
        "Storyline: {} [{}] (event {} of {})",
        line.title, line.id, place.position, line.events
    )];
    if let Some(p) = &place.previous {
        lines.push(format!(
            "  previous: {} {} [{}]",
            day(p.first_date),
            p.title,
            p.id
        ));
    }
    if let Some(n) = &place.next {
        lines.push(format!(
            "  next:     {} {} [{}]",
            day(n.first_date),
            n.title,
            n.id
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_of_a_thing_is_singular() {
        assert_eq!(counted(1, "event"), "1 event");
        assert_eq!(counted(0, "event"), "0 events");
        assert_eq!(counted(233, "article"), "233 articles");
    }
}
