//! `storyline eval rouge`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use storyline_eval::report::{ReportOptions, RougeReport, RougeScoreOptions, evaluate_files};
use storyline_eval::rouge::{Bootstrap, Limit, Metric, RougeConfig};

use crate::eval_args::Format;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// ROUGE-1/2/L/SU4 as ROUGE-1.5.5 computes it (and rouge-score's F1).
    Rouge(RougeArgs),
    /// Pairwise and BCubed P/R/F1, ARI and event counts of a clustering.
    Clusters(ClustersArgs),
    /// Precision and recall of the source comparison (quotes, speakers, figures, conflicts,
    /// name variants) on the hand annotations in annotations/compare/.
    Compare(crate::eval_compare::CompareEvalArgs),
    /// Precision and recall of the articles cited for a sentence, on the gold judgements in
    /// annotations/citations/.
    Citations(crate::eval_citations::CitationsEvalArgs),
}

#[derive(Args)]
pub struct ClustersArgs {
    /// The gold stream: {"id","story","noise"?} per line.
    #[arg(long, value_name = "STREAM.jsonl")]
    gold: PathBuf,
    /// The clustering: {"id","event","storyline"?} (or {"id","cluster"}) per line.
    #[arg(value_name = "EVENTS.jsonl")]
    events: PathBuf,
    /// Which grouping to score: events, or the storylines they are linked into.
    #[arg(long, value_enum, default_value_t = LevelArg::Event)]
    level: LevelArg,
    /// Leave out articles marked "noise": true on both sides.
    #[arg(long)]
    ignore_noise: bool,
    /// Score only the articles on odd (or even) 0-based lines of the gold stream: the
    /// articles the shipped join model was not fitted on are the odd ones.
    #[arg(long, value_parser = ["odd", "even"])]
    lines: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `--level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LevelArg {
    /// The "event" of each line.
    Event,
    /// The "storyline" of each line.
    Storyline,
}

impl From<LevelArg> for storyline_eval::clusters::Level {
    fn from(l: LevelArg) -> Self {
        match l {
            LevelArg::Event => Self::Event,
            LevelArg::Storyline => Self::Storyline,
        }
    }
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
        EvalCommand::Clusters(a) => clusters(a),
        EvalCommand::Compare(a) => crate::eval_compare::run(a),
        EvalCommand::Citations(a) => crate::eval_citations::run(a),
    }
}

fn clusters(a: ClustersArgs) -> Result<ExitCode> {
    use storyline_eval::clusters::{read_gold, read_predictions, score};
    let mut gold = read_gold(&a.gold)?;
    if let Some(parity) = &a.lines {
        let want = usize::from(parity == "odd");
        gold.retain(|g| g.line % 2 == want);
    }
    let level: storyline_eval::clusters::Level = a.level.into();
    let pred = read_predictions(&a.events, level)?;
    let s = score(&gold, &pred, a.ignore_noise);
    let mut out = std::io::stdout().lock();
    match a.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?,
        Format::Text => {
            writeln!(
                out,
                "{} articles{}; {} predicted {}s for {} gold stories",
                s.articles,
                if a.ignore_noise {
                    " (noise left out)"
                } else {
                    ""
                },
                s.predicted_events,
                level.field(),
                s.gold_stories
            )?;
            writeln!(
                out,
                "pairwise  P {:.3}  R {:.3}  F1 {:.3}",
                s.pair_p, s.pair_r, s.pair_f1
            )?;
            writeln!(
                out,
                "BCubed    P {:.3}  R {:.3}  F1 {:.3}",
                s.b3_p, s.b3_r, s.b3_f1
            )?;
            writeln!(out, "ARI {:.3}", s.ari)?;
            if s.missing > 0 {
                writeln!(
                    out,
                    "{} gold articles had no prediction (scored as singletons)",
                    s.missing
                )?;
            }
        }
    }
    out.flush().context("writing output")?;
    Ok(ExitCode::SUCCESS)
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
