//! `storyline ingest`: HTML pages, WARC archives and feed files (RSS, Atom, JSON Feed, news
//! sitemaps) to articles (JSONL).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use storyline_web::html::ExtractOptions;
use storyline_web::lang::LangFilter;
use storyline_web::{IngestOptions, Tally, articles_from_paths};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One article per line: {"id","title","text","source","url","date","lang"}.
    Jsonl,
    /// One JSON array of the same objects.
    Json,
}

#[derive(Args)]
pub struct IngestArgs {
    /// Folders of .html/.htm/.html.gz pages, single pages, .warc/.warc.gz archives, feed
    /// files (RSS, Atom, JSON Feed, news sitemaps: one article per entry), or `-` (a page or
    /// an archive on stdin).
    #[arg(value_name = "PATHS", required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Languages to keep: `any`, or codes such as `en` or `en,de` (ISO 639-1 or 639-3).
    #[arg(long, default_value = "en")]
    lang: String,
    /// Write one JSON line per skipped or failed page here, with the reason.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Extraction threads (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Articles with fewer words are skipped as too short. With 0, a feed file's every
    /// entry gives an article, even one with neither title nor text.
    #[arg(long, default_value_t = 25)]
    min_words: usize,
    /// Pages over this many bytes are skipped as too large.
    #[arg(long, default_value_t = 8 << 20, value_name = "BYTES")]
    max_page_bytes: usize,
    /// Write articles here instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Show progress even when stderr is not a terminal (a line every few seconds).
    #[arg(long)]
    progress: bool,
    /// Exit with status 3 if any record failed (damaged archive, unreadable file).
    #[arg(long)]
    strict: bool,
}

pub fn run(args: IngestArgs, verbose: u8, quiet: bool) -> Result<ExitCode> {
    let langs = LangFilter::parse(&args.lang).map_err(|e| anyhow::anyhow!("--lang: {e}"))?;
    let opts = IngestOptions {
        threads: args.threads,
        langs,
        min_words: args.min_words,
        max_page_bytes: args.max_page_bytes,
        window: 0,
        extract: ExtractOptions::default(),
    };
    let (feeds, pages): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.iter().cloned().partition(|p| is_feed_file(p));
    let mut ingest = if pages.is_empty() && !feeds.is_empty() {
        None
    } else {
        Some(articles_from_paths(&pages, &opts)?)
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let mut rejects = match &args.rejects {
        Some(p) => {
            Some(BufWriter::new(File::create(p).with_context(|| {
                format!("{}: cannot create", p.display())
            })?))
        }
        None => None,
    };
    let progress = Progress::new(
        args.progress,
        quiet,
        ingest
            .as_ref()
            .map_or_else(Default::default, |i| i.progress().clone()),
    );
    let started = Instant::now();
    if args.format == Format::Json {
        out.write_all(b"[")?;
    }
    let mut first = true;
    let mut feed_tally = FeedTally::default();
    for path in &feeds {
        for article in feed_articles(path, &opts, &mut feed_tally, verbose, quiet)? {
            write_article(&mut out, args.format, &mut first, &article)?;
        }
    }
    while let Some(outcome) = ingest.as_mut().and_then(|i| i.next()) {
        match outcome {
            Ok(article) => {
                write_article(&mut out, args.format, &mut first, &article)?;
            }
            Err(reject) => {
                if reject.reason.is_document() || verbose >= 2 {
                    if verbose >= 1 && !quiet {
                        progress.println(&format!("warning: {reject}"));
                    }
                    if let Some(w) = rejects.as_mut()
                        && reject.reason.is_document()
                    {
                        writeln!(w, "{}", reject.to_json()).context("writing the rejects file")?;
                    }
                }
            }
        }
        if let Some(i) = &ingest {
            progress.update(i.tally(), started);
        }
    }
    if args.format == Format::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush().context("writing output")?;
    if let Some(w) = rejects.as_mut() {
        w.flush().context("writing the rejects file")?;
    }
    progress.finish();
    let tally = ingest
        .as_ref()
        .map(|i| i.tally().clone())
        .unwrap_or_default();
    let secs = started.elapsed().as_secs_f64();
    if !quiet {
        if ingest.is_some() {
            eprintln!(
                "ingest: {tally}\n  {:.1} s, {:.0} records/s",
                secs,
                tally.read as f64 / secs.max(1e-9)
            );
        }
        if !feeds.is_empty() {
            eprintln!(
                "ingest: {} feed file(s): {} entries, {} articles, {} skipped, {} failed",
                feeds.len(),
                feed_tally.entries,
                feed_tally.articles,
                feed_tally.skipped,
                feed_tally.failed
            );
        }
    }
    let failed = tally.failed_total() + feed_tally.failed as u64;
    if args.strict && failed > 0 {
        eprintln!("{failed} record(s) failed (--strict)");
        return Ok(ExitCode::from(crate::EXIT_REJECTED));
    }
    Ok(ExitCode::SUCCESS)
}

/// Does this file start like a feed, a news sitemap or an OPML list (rather than a page)?
fn is_feed_file(path: &Path) -> bool {
    if path.as_os_str() == "-" || !path.is_file() {
        return false;
    }
    let mut head = Vec::new();
    let read = File::open(path).and_then(|f| {
        f.take(storyline_feed::SNIFF_BYTES as u64)
            .read_to_end(&mut head)
    });
    read.is_ok() && storyline_feed::looks_like_source(&head)
}

/// What the feed files gave.
#[derive(Default)]
struct FeedTally {
    entries: usize,
    articles: usize,
    skipped: usize,
    failed: usize,
}

/// The articles of one feed file's entries, in feed order; entries that do not pass the
/// filters are counted (and shown with -v), a file that cannot be read is a failure.
fn feed_articles(
    path: &Path,
    opts: &IngestOptions,
    tally: &mut FeedTally,
    verbose: u8,
    quiet: bool,
) -> Result<Vec<storyline_web::WebArticle>> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| {
            f.take(opts.max_page_bytes as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .with_context(|| format!("{name}: cannot read"))?;
    if bytes.len() > opts.max_page_bytes {
        tally.failed += 1;
        if !quiet {
            eprintln!(
                "warning: {name}: failed: over {} bytes (--max-page-bytes)",
                opts.max_page_bytes
            );
        }
        return Ok(Vec::new());
    }
    let parsed = match storyline_feed::parse(&bytes, None, &storyline_feed::Limits::default()) {
        Ok(p) => p,
        Err(e) => {
            tally.failed += 1;
            if !quiet {
                eprintln!("warning: {name}: failed: {e}");
            }
            return Ok(Vec::new());
        }
    };
    if !parsed.links.is_empty() && !quiet {
        eprintln!(
            "{name}: a {} of {} source(s); `storyline watch {name}` follows them",
            parsed.kind.name(),
            parsed.links.len()
        );
    }
    // `--min-words 0` reads a feed as it is: every entry gives an article, even one whose
    // title and text are empty (its link and date still say something).
    let filter = storyline_feed::EntryFilter {
        langs: &opts.langs,
        min_words: opts.min_words,
        keep_empty: opts.min_words == 0,
    };
    let mut out = Vec::new();
    for entry in &parsed.entries {
        tally.entries += 1;
        match storyline_feed::entry_article(entry, parsed.outlet.as_deref(), &filter) {
            Ok((article, lang)) => {
                tally.articles += 1;
                out.push(storyline_web::WebArticle {
                    article,
                    lang,
                    origin: storyline_web::Origin {
                        url: entry.url.clone(),
                        ..storyline_web::Origin::file(name.clone())
                    },
                });
            }
            Err(why) => {
                tally.skipped += 1;
                if verbose >= 1 && !quiet {
                    eprintln!("warning: {name}: entry {:?}: skipped: {why}", entry.id);
                }
            }
        }
    }
    Ok(out)
}

/// Progress on stderr: a bar on a terminal, plain lines with `--progress` elsewhere.
struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    last_line: std::cell::Cell<Instant>,
    source: std::sync::Arc<storyline_web::Progress>,
}

impl Progress {
    fn new(forced: bool, quiet: bool, source: std::sync::Arc<storyline_web::Progress>) -> Self {
        let terminal = io::stderr().is_terminal();
        let bar = (terminal && !quiet).then(|| {
            let total = source
                .bytes_total
                .load(std::sync::atomic::Ordering::Relaxed);
            let bar = if total > 0 {
                ProgressBar::new(total).with_style(
                    ProgressStyle::with_template(
                        "{bar:30} {binary_bytes}/{binary_total_bytes} {elapsed_precise} eta {eta} {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                )
            } else {
                ProgressBar::new_spinner().with_style(
                    ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                )
            };
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            plain: forced && !terminal && !quiet,
            last_line: std::cell::Cell::new(Instant::now()),
            source,
        }
    }

    fn message(tally: &Tally, started: Instant) -> String {
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        format!(
            "{} records ({:.0}/s), {} articles, {} skipped, {} failed",
            tally.read,
            tally.read as f64 / secs,
            tally.extracted,
            tally.skipped_total(),
            tally.failed_total()
        )
    }

    fn update(&self, tally: &Tally, started: Instant) {
        if let Some(bar) = &self.bar {
            if tally.read.is_multiple_of(16) {
                bar.set_position(
                    self.source
                        .bytes_read
                        .load(std::sync::atomic::Ordering::Relaxed),
                );
                bar.set_message(Self::message(tally, started));
            }
        } else if self.plain && self.last_line.get().elapsed() >= Duration::from_secs(5) {
            self.last_line.set(Instant::now());
            eprintln!("progress: {}", Self::message(tally, started));
        }
    }

    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Writes one article as a JSON array element (`first`: no comma before it) or a JSONL line.
fn write_article(
    out: &mut dyn Write,
    format: Format,
    first: &mut bool,
    article: &storyline_web::WebArticle,
) -> io::Result<()> {
    if format == Format::Json {
        out.write_all(if *first { b"\n" } else { b",\n" })?;
    }
    *first = false;
    out.write_all(article.to_json_line().as_bytes())?;
    if format == Format::Jsonl {
        out.write_all(b"\n")?;
    }
    Ok(())
}
