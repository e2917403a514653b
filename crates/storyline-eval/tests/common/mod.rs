//! DUC 2006 data shared by the integration tests (read from `shared/data/duc2006` beside the
//! workspace; never copied into the repository).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;

use serde::Deserialize;

/// `<workspace>/../shared/data/duc2006`, or `None` (after printing why) when absent.
pub fn duc2006_dir(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/duc2006");
    let needed = ["test.jsonl", "nist_peers.jsonl", "rougejk.m.out"];
    match needed.iter().find(|f| !dir.join(f).is_file()) {
        None => Some(dir),
        Some(missing) => {
            let _ = writeln!(
                std::io::stderr(),
                "skipping {test}: {} not found",
                dir.join(missing).display()
            );
            None
        }
    }
}

#[derive(Deserialize)]
pub struct Topic {
    pub id: String,
    pub summaries: Vec<String>,
    pub summary_annotators: Vec<String>,
}

#[derive(Deserialize)]
pub struct Peers {
    pub id: String,
    pub outputs: HashMap<String, String>,
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: PathBuf) -> Vec<T> {
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

pub struct Duc2006 {
    pub topics: Vec<Topic>,
    pub peers: HashMap<String, Peers>,
}

impl Duc2006 {
    pub fn load(dir: &std::path::Path) -> Duc2006 {
        let topics = read_jsonl::<Topic>(dir.join("test.jsonl"));
        let peers = read_jsonl::<Peers>(dir.join("nist_peers.jsonl"))
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        Duc2006 { topics, peers }
    }
}

/// Sentences of a DUC summary (one per line in the NIST SEE files).
pub fn sentences(text: &str) -> Vec<&str> {
    text.split('\n').filter(|s| !s.trim().is_empty()).collect()
}
