//! Dumps, for every article of a labelled stream, the decision features of its candidate
//! events while the clusterer's state is built from the gold stories (teacher forcing):
//! the data for studying and fitting the join decision. Prints CSV:
//! `article,candidate_rank,label,f0..f9` where label is 1 when the candidate event is the
//! article's gold story; articles whose story has no event yet have only label-0 rows (or
//! none), and a row with candidate_rank = -1 marks each article.
//! With `--on-policy`, the state is built by the clusterer's own decisions instead (DAgger,
//! Ross et al. 2011), an event's story being that of its first article.
//! `--model FILE` decides with that join model instead of the shipped one.
//! usage: cargo run --release -p storyline --example cluster_features -- STREAM.jsonl
//!        [--on-policy] [--model FILE] [--param NAME=VALUE ...] > features.csv
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};

use storyline::cluster::{ClusterOptions, EventClusterer, Featurizer};
use storyline::ingest::{Limits, LineOutcome, parse_article_line};

fn main() {
    let path = std::env::args().nth(1).expect("STREAM.jsonl");
    let on_policy = std::env::args().any(|a| a == "--on-policy");
    let mut opts = ClusterOptions::default();
    let args: Vec<String> = std::env::args().collect();
    for w in args.windows(2).filter(|w| w[0] == "--param") {
        let (k, v) = w[1].split_once('=').expect("NAME=VALUE");
        opts.set(k, v).expect("parameter");
    }
    if let Some(w) = args.windows(2).find(|w| w[0] == "--model") {
        let text = std::fs::read_to_string(&w[1]).expect("model file");
        opts.join_model = Some(std::sync::Arc::new(
            storyline::cluster::JoinModel::parse(&text).expect("model"),
        ));
    }
    let mut featurizer = Featurizer::new(&opts);
    let mut clusterer = EventClusterer::new(opts);
    let mut story_event: HashMap<String, String> = HashMap::new();
    let mut event_story: HashMap<String, String> = HashMap::new();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let file = BufReader::new(std::fs::File::open(&path).expect("open"));
    for (no, line) in file.lines().enumerate() {
        let line = line.expect("read");
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        let story = v["story"].to_string();
        let noise = v["noise"].as_bool().unwrap_or(false);
        let LineOutcome::Article(article, _) =
            parse_article_line(&path, no + 1, &line, &Limits::default())
        else {
            continue;
        };
        let f = featurizer.features(&article);
        if !noise {
            writeln!(
                out,
                "{no},-1,{},",
                i32::from(story_event.contains_key(&story))
            )
            .unwrap();
            for (k, (event, feats)) in clusterer.candidate_features(&f).into_iter().enumerate() {
                let label = event_story.get(&event).is_some_and(|s| *s == story);
                let fs: Vec<String> = feats.iter().map(|x| format!("{x:.5}")).collect();
                writeln!(out, "{no},{k},{},{}", i32::from(label), fs.join(",")).unwrap();
            }
        }
        let target = story_event.get(&story).cloned();
        let a = if on_policy {
            clusterer.assign(f)
        } else {
            clusterer.assign_to(f, target.as_deref())
        };
        story_event
            .entry(story.clone())
            .or_insert_with(|| a.event.clone());
        event_story.entry(a.event).or_insert(story);
    }
}
