//! `storyline bench summarize`: quality and speed on the dev benchmarks, next to the peers.
//!
//! For each benchmark set, every cluster is summarized in one thread (timed from raw
//! articles to the cited summary: cleaning, segmentation, analysis, selection, citations;
//! reading the JSONL file is not counted), the summaries are written to `--out`, scored with
//! the field's metric, and printed beside the peers' numbers from
//! `../shared/tools/peers/ANCHORS.md`:
//!
//! - DUC 2006 and DUC 2007 (250 words): ROUGE-1.5.5 recall, `-n 4 -m -l 250 -2 4 -u -f A`;
//! - Multi-News val, the fixed 1,000-story sample (250 words): rouge-score F1, stemmed,
//!   system cut to 250 words.

use std::fs;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use storyline::ingest::{Limits, read_clusters_jsonl};
use storyline::report::{SummaryLine, event_title};
use storyline::{Corpus, SummaryOptions, summarize};
use storyline_eval::brief::{BriefChecks, CheckedSentence, check_brief};
use storyline_eval::peers::{AnchorTable, read_tables};
use storyline_eval::report::{
    GoldTopic, ReportOptions, RougeScoreOptions, SystemSummary, evaluate,
};
use storyline_eval::rouge::{Limit, Metric, RougeConfig};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// ROUGE and time per cluster on DUC 2006, DUC 2007 and Multi-News, beside the peers.
    Summarize(SummarizeBenchArgs),
    /// Article extraction F1 and pages/s on the Scrapinghub benchmark, beside other extractors.
    Extract(crate::bench_extract::ExtractBenchArgs),
    /// Clustering F1 on the dev streams beside the peers, articles/s, memory on a long stream.
    Cluster(crate::bench_cluster::ClusterBenchArgs),
    /// Time of the source comparison per 25-article event, by stage.
    Compare(crate::bench_compare::CompareBenchArgs),
    /// Scaled-out clustering: articles/s over worker threads and processes, identity with
    /// the single-process run, bytes exchanged per article.
    Scale(crate::bench_scale::ScaleBenchArgs),
    /// The HTTP API: GET /api/events/{id} under wrk on 10,000 events, and 100,000 articles
    /// POSTed across a kill -9 of the server (counted, checked).
    Api(crate::bench_api::ApiBenchArgs),
    /// `storyline run` end to end beside `storyline cluster` on the same JSONL inputs:
    /// articles/s at 1 and N threads, and where the time went (ingest, store, refresh).
    Run(crate::bench_run::RunBenchArgs),
    /// `storyline watch` end to end against a simulated web of 500 feeds on loopback:
    /// pages/s, publication-to-page latency, memory over a long run (on demand, not CI).
    Watch(crate::bench_watch::WatchBenchArgs),
}

#[derive(Args)]
pub struct SummarizeBenchArgs {
    /// The shared dev data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The peers' numbers.
    #[arg(long, default_value = "../shared/tools/peers/ANCHORS.md")]
    anchors: PathBuf,
    /// Where summaries and results are written.
    #[arg(long, default_value = "bench-out")]
    out: PathBuf,
    /// Sets to run (comma-separated): duc2006, duc2007, multinews.
    #[arg(
        long,
        default_value = "duc2006,duc2007,multinews",
        value_delimiter = ','
    )]
    sets: Vec<String>,
    /// Summarizer parameter NAME=VALUE (repeatable; for experiments).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
}

pub fn run(cmd: BenchCommand) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Summarize(a) => bench_summarize(a),
        BenchCommand::Extract(a) => crate::bench_extract::run(a),
        BenchCommand::Cluster(a) => crate::bench_cluster::run(a),
        BenchCommand::Compare(a) => crate::bench_compare::run(a),
        BenchCommand::Scale(a) => crate::bench_scale::run(a),
        BenchCommand::Api(a) => crate::bench_api::run(a),
        BenchCommand::Run(a) => crate::bench_run::run(a),
        BenchCommand::Watch(a) => crate::bench_watch::run(a),
    }
}

/// How one set is scored.
#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Protocol {
    /// ROUGE-1.5.5 recall.
    Rouge155Recall,
    /// Google rouge-score F1.
    RougeScoreF1,
}

struct BenchSet {
    name: &'static str,
    file: &'static str,
    words: usize,
    protocol: Protocol,
    /// Heading of the peers' table in ANCHORS.md starts with this.
    anchor_heading: &'static str,
}

const SETS: &[BenchSet] = &[
    BenchSet {
        name: "duc2006",
        file: "duc2006/test.jsonl",
        words: 250,
        protocol: Protocol::Rouge155Recall,
        anchor_heading: "DUC 2006",
    },
    BenchSet {
        name: "duc2007",
        file: "duc2007/test_main_partial.jsonl",
        words: 250,
        protocol: Protocol::Rouge155Recall,
        anchor_heading: "DUC 2007",
    },
    BenchSet {
        name: "multinews",
        file: "multinews/val_sample1000.jsonl",
        words: 250,
        protocol: Protocol::RougeScoreF1,
        anchor_heading: "Multi-News",
    },
];

#[derive(Serialize)]
struct SetResult {
    set: String,
    clusters: usize,
    protocol: Protocol,
    /// Metric name -> score x100.
    scores: Vec<(String, f64)>,
    ms_median: f64,
    ms_p90: f64,
    ms_max: f64,
    mean_words: f64,
    /// What the brief checks flag (pronoun openers, unnamed quotes, ...).
    checks: BriefChecks,
    /// Bars: for each headline metric, the best peer (oracle aside) and whether we beat it.
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct Bar {
    metric: String,
    ours: f64,
    best_peer: String,
    best_peer_score: f64,
    above: bool,
}

fn bench_summarize(a: SummarizeBenchArgs) -> Result<ExitCode> {
    if !a.data.is_dir() {
        bail!(
            "{}: dev data folder not found (pass --data)",
            a.data.display()
        );
    }
    let mut opts = SummaryOptions::default();
    for p in &a.params {
        let (k, v) = p
            .split_once('=')
            .with_context(|| format!("--param {p}: expected NAME=VALUE"))?;
        opts.set(k, v).map_err(anyhow::Error::msg)?;
    }
    let anchors = match read_tables(&a.anchors) {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(
                "{}: {e}; peers' numbers will not be shown",
                a.anchors.display()
            );
            Vec::new()
        }
    };
    fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let mut results = Vec::new();
    let mut all_bars_met = true;
    for name in &a.sets {
        let Some(set) = SETS.iter().find(|s| s.name == name) else {
            bail!("unknown set {name:?} (known: duc2006, duc2007, multinews)");
        };
        let path = a.data.join(set.file);
        if !path.exists() {
            println!("{}: {} not found, skipped\n", set.name, path.display());
            continue;
        }
        let r = run_set(set, &path, &a.out, &opts, &anchors)?;
        all_bars_met &= r.bars.iter().all(|b| b.above);
        results.push(r);
    }
    let json = a.out.join("bench-summarize.json");
    fs::write(&json, serde_json::to_string_pretty(&results)?)
        .with_context(|| format!("writing {}", json.display()))?;
    println!("results: {}", json.display());
    if !all_bars_met {
        println!("note: some peer is ahead on at least one headline metric (see above)");
    }
    Ok(ExitCode::SUCCESS)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[k]
}

fn run_set(
    set: &BenchSet,
    path: &Path,
    out_dir: &Path,
    base: &SummaryOptions,
    anchors: &[AnchorTable],
) -> Result<SetResult> {
    let file = fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let clusters = read_clusters_jsonl(
        BufReader::new(file),
        &path.display().to_string(),
        &Limits::default(),
    );
    for issue in &clusters.issues {
        tracing::debug!("{issue}");
    }
    let opts = SummaryOptions {
        words: set.words,
        ..base.clone()
    };
    let mut times = Vec::with_capacity(clusters.items.len());
    let mut lines = Vec::with_capacity(clusters.items.len());
    let mut gold = Vec::new();
    let mut system = Vec::new();
    let mut words = 0usize;
    let mut checks = BriefChecks::default();
    for c in &clusters.items {
        let started = Instant::now();
        let corpus = Corpus::build(&c.articles);
        let summary = summarize(&corpus, &opts);
        times.push(started.elapsed().as_secs_f64() * 1e3);
        words += summary.words();
        let checked: Vec<CheckedSentence> = summary
            .sentences
            .iter()
            .enumerate()
            .map(|(k, s)| CheckedSentence {
                text: s.text.clone(),
                claim: s.original.clone().unwrap_or_else(|| s.text.clone()),
                cited: s.citations.iter().skip(1).map(|c| c.text.clone()).collect(),
                follows_its_predecessor: summary.follows_its_predecessor(k),
            })
            .collect();
        checks.add(&check_brief(&event_title(&corpus, &summary), &checked));
        gold.push(GoldTopic {
            id: c.id.clone(),
            summaries: c.references.clone(),
        });
        system.push(SystemSummary {
            id: c.id.clone(),
            sentences: summary.sentences.iter().map(|s| s.text.clone()).collect(),
        });
        lines.push(serde_json::to_string(&SummaryLine::new(&c.id, &summary))?);
    }
    let out_file = out_dir.join(format!("{}.jsonl", set.name));
    fs::write(&out_file, lines.join("\n") + "\n")
        .with_context(|| format!("writing {}", out_file.display()))?;

    let options = ReportOptions {
        rouge: RougeConfig {
            stem: true,
            limit: Some(Limit::Words(set.words)),
            ..RougeConfig::default()
        },
        rouge_score: Some(RougeScoreOptions { stem: true }),
        bootstrap: None,
    };
    let gold: Vec<GoldTopic> = gold
        .into_iter()
        .filter(|g| !g.summaries.is_empty())
        .collect();
    let report = evaluate(&gold, &system, &options)?;
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let n = clusters.items.len().max(1) as f64;

    let (columns, ours): (Vec<&str>, Vec<f64>) = match set.protocol {
        Protocol::Rouge155Recall => {
            let r = |m| report.average.get(m).map_or(0.0, |p| p.recall * 100.0);
            (
                vec!["R-1", "R-2", "R-L", "R-SU4"],
                vec![
                    r(Metric::N(1)),
                    r(Metric::N(2)),
                    r(Metric::L),
                    r(Metric::SU(4)),
                ],
            )
        }
        Protocol::RougeScoreF1 => {
            let g = report.rouge_score_average.unwrap_or_default();
            (
                vec!["R-1", "R-2", "R-L", "R-Lsum"],
                vec![
                    g.rouge1.fmeasure * 100.0,
                    g.rouge2.fmeasure * 100.0,
                    g.rouge_l.fmeasure * 100.0,
                    g.rouge_lsum.fmeasure * 100.0,
                ],
            )
        }
    };
    let table = anchors
        .iter()
        .find(|t| t.heading.starts_with(set.anchor_heading));
    let mut stdout = std::io::stdout().lock();
    let what = match set.protocol {
        Protocol::Rouge155Recall => "ROUGE-1.5.5 -n 4 -m -l 250 -2 4 -u -f A, recall x100",
        Protocol::RougeScoreF1 => "rouge-score stemmed, cut to 250 words, F1 x100",
    };
    writeln!(
        stdout,
        "== {} ({} clusters, {} words; {what})",
        set.name,
        clusters.items.len(),
        set.words
    )?;
    write!(stdout, "{:<22}", "system")?;
    for c in &columns {
        write!(stdout, "{c:>8}")?;
    }
    writeln!(stdout)?;
    write!(stdout, "{:<22}", "storyline")?;
    for v in &ours {
        write!(stdout, "{v:>8.2}")?;
    }
    writeln!(stdout)?;
    let mut bars = Vec::new();
    if let Some(t) = table {
        for sys in t.systems() {
            write!(stdout, "{:<22}", sys)?;
            for c in &columns {
                match t.value(sys, c) {
                    Some(v) => write!(stdout, "{v:>8.2}")?,
                    None => write!(stdout, "{:>8}", "-")?,
                }
            }
            writeln!(stdout)?;
        }
        let headline: &[&str] = match set.protocol {
            Protocol::Rouge155Recall => &["R-2"],
            Protocol::RougeScoreF1 => &["R-1", "R-2"],
        };
        for &m in headline {
            let k = columns.iter().position(|c| *c == m).unwrap_or(0);
            let best = t
                .systems()
                .filter(|s| !s.starts_with("oracle"))
                .filter_map(|s| t.value(s, m).map(|v| (s.to_string(), v)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((peer, v)) = best {
                bars.push(Bar {
                    metric: m.to_string(),
                    ours: ours[k],
                    best_peer: peer,
                    best_peer_score: v,
                    above: ours[k] > v,
                });
            }
        }
    } else {
        writeln!(stdout, "(no peers' table found for {})", set.anchor_heading)?;
    }
    for b in &bars {
        let verdict = if b.above { "above" } else { "NOT above" };
        writeln!(
            stdout,
            "bar {}: storyline {:.2} is {verdict} the best peer ({} {:.2})",
            b.metric, b.ours, b.best_peer, b.best_peer_score
        )?;
    }
    writeln!(
        stdout,
        "time per cluster (one thread, articles -> cited summary): median {:.2} ms, p90 {:.2} ms, max {:.2} ms; mean summary {:.0} words",
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.9),
        sorted.last().copied().unwrap_or(0.0),
        words as f64 / n
    )?;
    if let Some(lex) = anchors
        .iter()
        .find(|t| t.heading.starts_with(set.anchor_heading))
        .and_then(|t| t.value("sumy_lexrank", "CPU s/cluster"))
    {
        writeln!(
            stdout,
            "sumy LexRank (ANCHORS.md, CPU s/cluster): {lex:.2} s = {:.0}x the median time here",
            lex * 1e3 / percentile(&sorted, 0.5).max(1e-9)
        )?;
    }
    writeln!(stdout, "{}", checks.summary_line())?;
    writeln!(stdout, "summaries: {}\n", out_file.display())?;
    Ok(SetResult {
        set: set.name.to_string(),
        clusters: clusters.items.len(),
        protocol: set.protocol,
        scores: columns
            .iter()
            .map(|c| c.to_string())
            .zip(ours.iter().copied())
            .collect(),
        ms_median: percentile(&sorted, 0.5),
        ms_p90: percentile(&sorted, 0.9),
        ms_max: sorted.last().copied().unwrap_or(0.0),
        mean_words: words as f64 / n,
        checks,
        bars,
    })
}
