//! `storyline eval rouge`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use storyline_eval::report::{ReportOptions, RougeReport, RougeScoreOptions, evaluate_files};
use storyline_eval::rouge::{Bootstrap, Limit, Metric, RougeConfig};

#[derive(Subcommand)]
pub enum EvalCommand {
    /// ROUGE-1/2/L/SU4 as ROUGE-1.5.5 computes it (and rouge-score's F1).
    Rouge(RougeArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table.
    Text,
    /// Everything, per cluster too.
    Json,
}

#[derive(Args)]
pub struct RougeArgs {
    /// Gold clusters: {"id", "summaries": [reference, ...]} per line.
    #[arg(long, value_name = "GOLD.jsonl")]
    gold: PathBuf,
    /// System summaries: {"id", "summary", "sentences"?} per line (sentences as strings or
    /// {"text"} objects).
    #[arg(value_name = "SYSTEM.jsonl")]
    system: PathBuf,
    /// Cut peers and references to N words before scoring (ROUGE-1.5.5 -l N).
    #[arg(long, value_name = "N")]
    words: Option<usize>,
    /// Porter stemming after the WordNet exception list (ROUGE-1.5.5 -m).
    #[arg(long)]
    stem: bool,
    /// Score against each reference left out in turn and average (as NIST did for DUC).
    #[arg(long)]
    jackknife: bool,
    /// Bootstrap resamples for the 95% intervals (0: none).
    #[arg(long, default_value_t = 1000)]
    resamples: usize,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(cmd: EvalCommand) -> Result<ExitCode> {
    match cmd {
        EvalCommand::Rouge(a) => rouge(a),
    }
}

fn rouge(a: RougeArgs) -> Result<ExitCode> {
    let options = ReportOptions {
        rouge: RougeConfig {
            stem: a.stem,
            limit: a.words.map(Limit::Words),
            jackknife: a.jackknife,
            ..RougeConfig::default()
        },
        rouge_score: Some(RougeScoreOptions { stem: true }),
        bootstrap: (a.resamples > 0).then(|| Bootstrap {
            resamples: a.resamples,
            ..Bootstrap::default()
        }),
    };
    let report = evaluate_files(&a.gold, &a.system, &options)?;
    let mut out = std::io::stdout().lock();
    match a.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
        Format::Text => write!(out, "{}", table(&report))?,
    }
    out.flush().context("writing output")?;
    Ok(ExitCode::SUCCESS)
}

/// ROUGE-1.5.5 recall / precision / F (x100) per metric, then rouge-score F1.
pub fn table(r: &RougeReport) -> String {
    let mut s = format!("ROUGE-1.5.5 {} ; {} clusters", r.rouge155_options, r.topics);
    if !r.missing.is_empty() {
        s += &format!(
            " ({} without a system summary, scored as empty)",
            r.missing.len()
        );
    }
    s += "\nmetric        recall  precision       F";
    if r.bootstrap.is_some() {
        s += "    recall 95% CI";
    }
    s += "\n";
    for m in [Metric::N(1), Metric::N(2), Metric::L, Metric::SU(4)] {
        let Some(p) = r.average.get(m) else { continue };
        s += &format!(
            "{:<12} {:>7.2} {:>10.2} {:>7.2}",
            m.to_string(),
            p.recall * 100.0,
            p.precision * 100.0,
            p.f * 100.0
        );
        if let Some(ci) = r.bootstrap.as_ref().and_then(|b| b.get(m)) {
            s += &format!(
                "    {:.2}-{:.2}",
                ci.recall.low * 100.0,
                ci.recall.high * 100.0
            );
        }
        s += "\n";
    }
    if let Some(g) = &r.rouge_score_average {
        s += &format!(
            "rouge-score (stemmed) F1: rouge1 {:.2}  rouge2 {:.2}  rougeL {:.2}  rougeLsum {:.2}\n",
            g.rouge1.fmeasure * 100.0,
            g.rouge2.fmeasure * 100.0,
            g.rouge_l.fmeasure * 100.0,
            g.rouge_lsum.fmeasure * 100.0
        );
    }
    s
}
