//! `storyline cluster ... --workers N` / `--hosts FILE --process P`: the same clustering on
//! timely dataflow, over worker threads, processes and hosts (see `storyline-dataflow`).
//!
//! Process 0 writes the output (the same lines, in the same order, as the single-process
//! run); every process must be started with the same inputs, options and hostfile.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use storyline::cluster::ClusterOptions;
use storyline::ingest::{Limits, Severity};
use storyline::stream::StreamItem;
use storyline_dataflow::{InputFile, Job, Report, Sink, checkpoint};

use crate::net::{NetArgs, stop_on_worker_panic};

/// Flags of the scaled-out clustering run (flattened into `storyline cluster`).
#[derive(Args, Debug, Default)]
pub struct ScaleArgs {
    /// More JSONL inputs, clustered after INPUT as if concatenated (with --workers or --hosts).
    #[arg(value_name = "MORE")]
    more_inputs: Vec<PathBuf>,
    #[command(flatten)]
    net: NetArgs,
    /// Write to FILE instead of stdout, with a checkpoint at FILE.checkpoint after each input
    /// file: a re-run resumes after the last file completed.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Ignore (and replace) an existing checkpoint.
    #[arg(long)]
    fresh: bool,
}

impl ScaleArgs {
    /// Was a scaled-out run asked for?
    pub fn requested(&self) -> bool {
        self.net.requested()
    }

    /// Flags that only mean something for a scaled-out run.
    pub fn check_unused(&self) -> Result<()> {
        if !self.more_inputs.is_empty() || self.output.is_some() || self.fresh {
            bail!("several inputs, --output and --fresh need --workers or --hosts");
        }
        Ok(())
    }
}

/// Writes assignment lines (and logs issues) on process 0.
struct OutputSink {
    out: BufWriter<Box<dyn Write + Send>>,
    /// The output file, to make it durable at checkpoints.
    file: Option<File>,
    written: u64,
}

impl Sink for OutputSink {
    fn item(&mut self, item: StreamItem<()>) -> io::Result<()> {
        match item {
            StreamItem::Assigned(a, ()) => {
                let line = serde_json::to_string(&a).map_err(io::Error::other)?;
                writeln!(self.out, "{line}")?;
                self.written += line.len() as u64 + 1;
            }
            StreamItem::Issue(issue) => match issue.severity {
                Severity::Rejected => tracing::warn!("{issue}"),
                Severity::Warning => tracing::info!("{issue}"),
            },
            StreamItem::Retired(_) => {}
        }
        Ok(())
    }

    fn commit(&mut self) -> io::Result<u64> {
        self.out.flush()?;
        if let Some(f) = &self.file {
            f.sync_data()?;
        }
        Ok(self.written)
    }
}

/// The output of process 0, cut back to a checkpoint's length when resuming.
fn open_output(path: Option<&Path>, resume_at: Option<u64>) -> Result<OutputSink> {
    let Some(path) = path else {
        return Ok(OutputSink {
            out: BufWriter::new(Box::new(io::stdout())),
            file: None,
            written: 0,
        });
    };
    let name = path.display();
    let file = match resume_at {
        Some(len) => {
            let f = OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("{name}: cannot reopen the output to resume"))?;
            let have = f.metadata().map(|m| m.len()).unwrap_or(0);
            if have < len {
                bail!(
                    "{name}: the output is shorter ({have} bytes) than its checkpoint says \
                     ({len}); remove the checkpoint (or pass --fresh) to start over"
                );
            }
            f.set_len(len)
                .with_context(|| format!("{name}: cannot cut back to the checkpoint"))?;
            f
        }
        None => File::create(path).with_context(|| format!("{name}: cannot create"))?,
    };
    let mut writer = file.try_clone().context("output")?;
    io::Seek::seek(&mut writer, io::SeekFrom::End(0)).context("output")?;
    Ok(OutputSink {
        out: BufWriter::with_capacity(1 << 16, Box::new(writer)),
        file: Some(file),
        written: resume_at.unwrap_or(0),
    })
}

/// Runs `storyline cluster` on timely dataflow.
pub fn run(
    input: &Path,
    cluster: ClusterOptions,
    args: &ScaleArgs,
    strict: bool,
    summarize: bool,
) -> Result<ExitCode> {
    if summarize {
        bail!(
            "--summarize is not available with --workers/--hosts yet (articles stay on the \
             worker that read them; only their features travel)"
        );
    }
    let mut inputs = Vec::new();
    for path in std::iter::once(input).chain(args.more_inputs.iter().map(PathBuf::as_path)) {
        if path.as_os_str() == "-" {
            bail!("--workers/--hosts read files (split by byte range), not stdin");
        }
        inputs.push(
            InputFile::open(path.to_path_buf())
                .with_context(|| format!("{}: cannot open", path.display()))?,
        );
    }
    let network = args.net.network()?;
    let process = network.as_ref().map_or(0, |n| n.process);
    let checkpoint_path = args.output.as_deref().map(checkpoint::path_for);
    let job = Job {
        inputs,
        cluster,
        limits: Limits::default(),
        chunk_bytes: args.net.chunk_bytes.max(1),
        workers: args.net.workers.unwrap_or(1).max(1),
        network,
        checkpoint: checkpoint_path.clone().filter(|_| process == 0),
        throttle: args.net.throttle_ms.map(Duration::from_millis),
        stall_timeout: args.net.stall_timeout(),
    };
    let (resume, sink) = if process == 0 {
        if let Some(path) = &checkpoint_path
            && args.fresh
            && path.exists()
        {
            std::fs::remove_file(path)
                .with_context(|| format!("{}: cannot remove", path.display()))?;
        }
        let resume = match &checkpoint_path {
            Some(path) => checkpoint::load(path, job.options_key(), &job.inputs)?,
            None => None,
        };
        if let Some(c) = &resume {
            eprintln!(
                "resuming after {} of {} input files (checkpoint {})",
                c.done.len(),
                job.inputs.len(),
                checkpoint_path
                    .as_deref()
                    .map_or(String::new(), |p| p.display().to_string())
            );
        }
        let sink = open_output(
            args.output.as_deref(),
            resume.as_ref().map(|c| c.output_len),
        )?;
        (resume, Some(Box::new(sink) as Box<dyn Sink>))
    } else {
        (None, None)
    };
    stop_on_worker_panic(process);
    let report = storyline_dataflow::run(job, resume, sink)?;
    args.net.write_report(&report)?;
    print_report(&report);
    if strict && report.totals.rejected > 0 {
        return Ok(ExitCode::from(crate::EXIT_REJECTED));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &Report) {
    let shape = format!("{} process(es) x {} worker(s)", r.processes, r.workers);
    let Some(stats) = r.stats else {
        eprintln!(
            "process {}: featurized {} articles in {} of {} chunks ({shape}); {:.2} s",
            r.process, r.articles_here, r.chunks_here, r.chunks, r.secs
        );
        return;
    };
    let t = r.totals;
    eprintln!(
        "clustered {} articles into {} events ({} exact and {} near duplicates); {} records rejected, {} warnings; {:.2} s, {:.0} articles/s; {shape}, {:.0} exchanged bytes/article",
        t.assigned,
        stats.events_created,
        t.exact_duplicates,
        t.near_duplicates,
        t.rejected,
        t.warnings,
        r.secs,
        r.exchanged_articles as f64 / r.secs.max(1e-9),
        r.exchanged_bytes as f64 / r.exchanged_articles.max(1) as f64,
    );
}
