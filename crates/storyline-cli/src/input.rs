//! Loading articles and clusters from the paths users give, and reporting record issues.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use storyline::Article;
use storyline::ingest::{self, Cluster, Ingested, Issue, Limits, Problem, RecordRef, Severity};
use storyline::language;

/// The `Inputs` section of `--help` for commands that read `.txt` articles (a literal, for
/// `concat!`).
macro_rules! inputs_help {
    () => {
        "Inputs:\n  \
A folder of .txt articles, a .txt file, a JSONL of articles {\"id\",\"title\",\"text\",\
\"source\"?,\"url\"?,\"date\"?} or of clusters {\"id\",\"docs\":[...]}, or - (JSONL on stdin).\n  \
A .txt article is its headline (the first non-empty line) and its body. It may start with a\n  \
front matter block that gives its outlet, date and address:\n\n    \
---\n    source: The Harbor Ledger\n    date: 2031-03-13\n    \
url: https://harborledger.example/news/deal\n    ---\n\n  \
Keys are case-insensitive (outlet = source, published = date, link = url); unknown keys are\n  \
ignored; a date that is not understood is reported with the file and line, and the article\n  \
kept. An article with neither source nor url has no outlet: it is listed as \"article N\n  \
(outlet not given)\", never by its file name, and counts as an outlet of its own."
    };
}
pub(crate) use inputs_help;

/// How input was given.
pub enum Input {
    /// Articles of one event.
    Articles(Ingested<Article>),
    /// Benchmark clusters.
    Clusters(Ingested<Cluster>),
}

/// Reads PATH as a folder of `.txt`, one `.txt` file, a JSONL of articles or clusters, or
/// `-` (JSONL on stdin). `force_clusters` skips the detection.
pub fn load(path: &Path, force_clusters: bool, limits: &Limits) -> Result<Input> {
    let name = path.display().to_string();
    if path.as_os_str() == "-" {
        let r = ingest::open_lines(path)?;
        return Ok(if force_clusters {
            Input::Clusters(ingest::read_clusters_jsonl(r, "-", limits))
        } else {
            Input::Articles(ingest::read_articles_jsonl(r, "-", limits))
        });
    }
    if !path.exists() {
        bail!("{name}: no such file or folder");
    }
    if path.is_dir() {
        let got = ingest::read_txt_dir(path, limits);
        if got.items.is_empty() && got.issues.is_empty() {
            bail!("{name}: no .txt files in this folder");
        }
        return Ok(Input::Articles(got));
    }
    let is_txt = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    if is_txt && !force_clusters {
        let mut got = Ingested::default();
        match ingest::read_txt_article(path, limits) {
            Ok((a, issues)) => {
                got.items.push(a);
                got.issues = issues;
            }
            Err(issue) => got.issues.push(issue),
        }
        return Ok(Input::Articles(got));
    }
    let clusters = force_clusters
        || ingest::looks_like_clusters(path).with_context(|| format!("{name}: cannot read"))?;
    let r = ingest::open_lines(path).with_context(|| format!("{name}: cannot open"))?;
    Ok(if clusters {
        Input::Clusters(ingest::read_clusters_jsonl(r, &name, limits))
    } else {
        Input::Articles(ingest::read_articles_jsonl(r, &name, limits))
    })
}

/// How a path is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jsonl,
    Txt,
    Web,
}

/// How PATH is read: `-` and `.jsonl` / `.json` / `.ndjson` files (also gzipped) as JSONL,
/// `.txt` files and folders holding any as text articles, the rest as web pages and
/// archives. A path that does not exist is an error.
pub fn kind(path: &Path) -> Result<Kind> {
    if path.as_os_str() == "-" {
        return Ok(Kind::Jsonl);
    }
    if !path.exists() {
        bail!("{}: no such file or folder", path.display());
    }
    if path.is_dir() {
        let has_txt = std::fs::read_dir(path)
            .with_context(|| format!("{}: cannot read the folder", path.display()))?
            .filter_map(|e| e.ok())
            .any(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("txt"))
            });
        return Ok(if has_txt { Kind::Txt } else { Kind::Web });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    Ok(if name.ends_with(".txt") {
        Kind::Txt
    } else if is_jsonl_name(&name) {
        Kind::Jsonl
    } else {
        Kind::Web
    })
}

/// Is this file name one of JSONL articles (`.jsonl`, `.json`, `.ndjson`, also gzipped)?
fn is_jsonl_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        ".jsonl",
        ".json",
        ".ndjson",
        ".jsonl.gz",
        ".json.gz",
        ".ndjson.gz",
    ]
    .iter()
    .any(|x| name.ends_with(x))
}

/// The paths to read for PATH and how: a folder gives its JSONL files (in name order), then
/// itself for its `.txt` articles or, failing those, its web pages and archives; anything
/// else is [`kind`]'s single answer.
pub fn expand(path: &Path) -> Result<Vec<(PathBuf, Kind)>> {
    let k = kind(path)?;
    if path.as_os_str() == "-" || !path.is_dir() {
        return Ok(vec![(path.to_path_buf(), k)]);
    }
    let mut jsonl = Vec::new();
    let mut others = false;
    for e in std::fs::read_dir(path)
        .with_context(|| format!("{}: cannot read the folder", path.display()))?
        .filter_map(|e| e.ok())
    {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_file() && is_jsonl_name(&name) {
            jsonl.push(p);
        } else if !name.to_ascii_lowercase().ends_with(".txt") {
            others = true;
        }
    }
    jsonl.sort();
    if !jsonl.is_empty() {
        tracing::info!(
            "{}: reading its {} JSONL file(s) as articles",
            path.display(),
            jsonl.len()
        );
    }
    let mut out: Vec<(PathBuf, Kind)> = jsonl.into_iter().map(|p| (p, Kind::Jsonl)).collect();
    if k == Kind::Txt || others || out.is_empty() {
        out.push((path.to_path_buf(), k));
    }
    Ok(out)
}

/// The language an article is clearly written in, when it is not English (its title and
/// the start of its text are looked at).
pub fn not_english_language(a: &Article) -> Option<language::Detected> {
    let sample = format!(
        "{}\n{}",
        a.title,
        &a.text[..a.text.floor_char_boundary(4000)]
    );
    language::clearly_not_english(&sample)
}

/// The report of an article left out for its language.
pub fn not_english(a: &Article, d: &language::Detected, context: &str) -> Issue {
    Issue {
        record: RecordRef {
            file: context.to_string(),
            line: None,
            id: Some(a.id.clone()),
        },
        problem: Problem::Language(format!("{} ({})", d.name, d.code)),
        severity: Severity::Rejected,
    }
}

/// Drops articles that are clearly not in English, reporting each.
pub fn keep_english(articles: &mut Vec<Article>, issues: &mut Vec<Issue>, context: &str) {
    articles.retain(|a| match not_english_language(a) {
        None => true,
        Some(d) => {
            issues.push(not_english(a, &d, context));
            false
        }
    });
}

/// A cluster's articles, without those clearly not in English when `english_only`; the
/// ones left out are reported. Returns the articles and how many were rejected.
pub fn cluster_articles(
    cluster: &Cluster,
    file: &str,
    english_only: bool,
) -> (Vec<Article>, usize) {
    let mut articles = cluster.articles.clone();
    if !english_only {
        return (articles, 0);
    }
    let mut issues = Vec::new();
    keep_english(
        &mut articles,
        &mut issues,
        &format!("{file} cluster {}", cluster.id),
    );
    let rejected = report(&issues);
    (articles, rejected)
}

/// Prints issues on stderr (unless quiet) and returns how many records were rejected.
pub fn report(issues: &[Issue]) -> usize {
    let mut reporter = Reporter::default();
    let rejected = reporter.report(issues);
    reporter.finish();
    rejected
}

/// How many problems of one file are shown one by one; the rest are counted by kind and
/// summed up at the end (a binary file read as JSONL has one problem per "line").
const SHOWN_PER_FILE: usize = 5;

/// Reports record issues on stderr: the first few of each file in full, the rest per file
/// and kind in one line at [`Reporter::finish`].
#[derive(Default)]
pub struct Reporter {
    files: std::collections::BTreeMap<String, FileIssues>,
}

#[derive(Default)]
struct FileIssues {
    shown: usize,
    hidden: std::collections::BTreeMap<&'static str, usize>,
}

impl Reporter {
    /// Reports `issues`; returns how many records they reject.
    pub fn report(&mut self, issues: &[Issue]) -> usize {
        let mut rejected = 0;
        for i in issues {
            if i.severity == Severity::Rejected {
                rejected += 1;
            }
            let file = match self.files.get_mut(&i.record.file) {
                Some(f) => f,
                None => self.files.entry(i.record.file.clone()).or_default(),
            };
            if file.shown < SHOWN_PER_FILE {
                file.shown += 1;
                tracing::warn!("{i}");
            } else {
                *file.hidden.entry(i.problem.kind()).or_default() += 1;
            }
        }
        rejected
    }

    /// Sums up the issues not shown, one line per file.
    pub fn finish(&mut self) {
        for (file, issues) in std::mem::take(&mut self.files) {
            if issues.hidden.is_empty() {
                continue;
            }
            let total: usize = issues.hidden.values().sum();
            let kinds: Vec<String> = issues
                .hidden
                .iter()
                .map(|(k, n)| format!("{k}: {n}"))
                .collect();
            tracing::warn!(
                "{file}: {total} more problem(s) not shown ({})",
                kinds.join(", ")
            );
        }
    }
}

/// The error for an input that gave nothing to work on: what was rejected, if anything.
pub fn nothing_to_read(name: &str, rejected: usize) -> anyhow::Error {
    if rejected == 0 {
        anyhow::anyhow!("nothing to read in {name}: no article in it")
    } else {
        anyhow::anyhow!(
            "nothing to read in {name}: none of its {rejected} record(s) could be used (see the \
             warnings above)"
        )
    }
}
