//! `storyline`: the command-line front of the Storyline engine.
//!
//! A thin layer: flags are parsed here into typed options, the work is done by the
//! `storyline` library, and problems with input records are reported on stderr with the
//! record they concern.

mod bench_api;
mod bench_cluster;
mod bench_cmd;
mod bench_compare;
mod bench_extract;
mod bench_run;
mod bench_scale;
mod bench_watch;
mod cluster_cmd;
mod compare_cmd;
mod eval_args;
mod eval_citations;
mod eval_cmd;
mod eval_compare;
mod ingest_cmd;
mod input;
mod net;
mod progress;
mod run_cmd;
mod run_scale;
mod scale_cmd;
mod serve_cmd;
mod store;
mod storylines_cmd;
mod summarize_cmd;
mod watch_cmd;
mod window;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: a long stream allocates and frees millions of
/// small buffers across threads, which glibc's allocator turns into ever-growing resident
/// memory (measured: `bench cluster --long`); with mimalloc memory stays flat.
///
/// Built without transparent huge pages (`no_thp`): mimalloc asks for them on its arenas, and
/// each page it frees and takes back is then a 2 MiB page the kernel zeroes again. That was a
/// quarter of `bench summarize`'s CPU time (2.26 s against 1.66 s of task-clock on DUC 2006,
/// measured with `perf stat`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status when `--strict` is given and some input records were rejected.
pub const EXIT_REJECTED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "storyline",
    version,
    about = "Storyline: one trustworthy, cited account of a news event from many outlets",
    long_about = "Storyline reads news articles (JSONL, folders of .txt files, HTML pages, WARC \
archives), removes page residue, groups them into events, and writes for each event a short \
extractive summary in which every sentence cites the articles that report it, beside a comparison \
of the outlets. `storyline run ARTICLES --serve` stores them and serves a web page and a JSON API.",
    after_help = "Exit status: 0 success; 1 error (unreadable input, failed output); 2 bad usage; \
3 with --strict, some input records were rejected.\nLogging: -v/-q, or RUST_LOG=storyline=debug."
)]
struct Cli {
    /// More log output on stderr (repeat for more).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// Only errors on stderr (no warnings about input records).
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest articles into the store: group them into events, summarize and compare each
    /// event (incremental: re-running adds only new articles). The main job.
    Run(run_cmd::RunArgs),
    /// Serve the store: the web page and the JSON API (http://127.0.0.1:8080).
    Serve(serve_cmd::ServeArgs),
    /// List the stored events, newest first (search with -s).
    Events(serve_cmd::EventsArgs),
    /// Show one stored event: its cited summary and source comparison, its storyline and
    /// the events before and after it there.
    Event(serve_cmd::EventArgs),
    /// List the stored storylines (events linked into developing stories), newest activity
    /// first (search with -s).
    Storylines(storylines_cmd::StorylinesArgs),
    /// Show one storyline: its events in time order, each with its date and lead.
    Storyline(storylines_cmd::StorylineArgs),
    /// Summarize the articles of one event, or each cluster of a benchmark file.
    Summarize(summarize_cmd::SummarizeArgs),
    /// Compare the outlets of one event: quotes and speakers, figures and conflicts, name
    /// variants, shared and unique facts, timeline, claims presented differently.
    Compare(compare_cmd::CompareArgs),
    /// Group a stream of articles into events as they arrive (and summarize them).
    Cluster(cluster_cmd::ClusterArgs),
    /// Extract articles from HTML pages, WARC archives and feed files (JSONL out).
    Ingest(ingest_cmd::IngestArgs),
    /// Follow feeds, news sitemaps and lists of them (OPML, feeds.txt): store, cluster and
    /// summarize what they publish, politely, round after round.
    Watch(watch_cmd::WatchArgs),
    /// Each followed source: its last fetch, status, new articles and errors.
    Sources(watch_cmd::SourcesArgs),
    /// Evaluate outputs against gold data.
    #[command(subcommand)]
    Eval(eval_cmd::EvalCommand),
    /// Benchmarks on the dev data, beside the peers.
    #[command(subcommand)]
    Bench(bench_cmd::BenchCommand),
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    // html5ever logs parse errors of every malformed page at warn level.
    let default = format!("{default},html5ever=error");
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    let result = match cli.command {
        Command::Run(args) => run_cmd::run(args, cli.quiet),
        Command::Serve(args) => serve_cmd::run_serve(args, cli.quiet),
        Command::Events(args) => serve_cmd::run_events(args),
        Command::Event(args) => serve_cmd::run_event(args),
        Command::Storylines(args) => storylines_cmd::run_storylines(args),
        Command::Storyline(args) => storylines_cmd::run_storyline(args),
        Command::Summarize(args) => summarize_cmd::run(args),
        Command::Compare(args) => compare_cmd::run(args),
        Command::Cluster(args) => cluster_cmd::run(args),
        Command::Ingest(args) => ingest_cmd::run(args, cli.verbose, cli.quiet),
        Command::Watch(args) => watch_cmd::run(args, cli.quiet),
        Command::Sources(args) => watch_cmd::run_sources(args),
        Command::Eval(cmd) => eval_cmd::run(cmd),
        Command::Bench(cmd) => bench_cmd::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
