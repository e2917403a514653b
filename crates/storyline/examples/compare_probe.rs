//! Prints what the source comparison finds in an articles JSONL: for diagnosing the
//! comparison on dev data.
//! usage: cargo run --release -p storyline --example compare_probe -- CLUSTERS.jsonl
use std::io::BufReader;

use storyline::Corpus;
use storyline::compare::quotes::statements;
use storyline::ingest::{Limits, read_clusters_jsonl};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = std::fs::File::open(&args[0]).expect("open");
    let got = read_clusters_jsonl(BufReader::new(file), &args[0], &Limits::default());
    for c in &got.items {
        let corpus = Corpus::build(&c.articles);
        println!("== {}", c.id);
        let show = std::env::var("SHOW").unwrap_or_else(|_| "qf".into());
        if show.contains('n') {
            for v in storyline::compare::name_variants(&corpus) {
                println!(
                    "  N {} <- {:?}",
                    v.canonical,
                    v.variants
                        .iter()
                        .map(|x| (&x.spelling, &x.outlets))
                        .collect::<Vec<_>>()
                );
            }
        }
        if show.contains('f') {
            let figs = storyline::compare::figures::figures(&corpus);
            if show.contains('a') {
                for f in &figs {
                    println!(
                        "  fig {} {:?} {:?} {:?} {:?} [{}, {}] :: {}",
                        f.article,
                        f.text,
                        f.predicate,
                        f.unit,
                        f.label,
                        f.low,
                        f.high,
                        f.hedge as u8
                    );
                }
            }
            for q in storyline::compare::figures::quantities(figs) {
                println!("  Q {:?} {:?} {:?}", q.what, q.agreement, q.outlets);
                for f in &q.figures {
                    println!("      {} {:?} [{}, {}]", f.outlet, f.text, f.low, f.high);
                }
            }
        }
        if !show.contains('q') {
            continue;
        }
        for s in statements(&corpus) {
            println!(
                "[{}] {:?} when={:?} :: {}",
                s.outlets.len(),
                s.speaker,
                s.when,
                s.text.chars().take(110).collect::<String>()
            );
            for o in &s.occurrences {
                println!(
                    "      {} {:?} {:?} {:?} | {}",
                    o.outlet,
                    o.attribution,
                    o.said_by,
                    o.when.as_ref().map(|w| w.label()),
                    o.text.chars().take(60).collect::<String>()
                );
                // SHOW=c: the paragraph around the quote, for judging the speaker.
                if show.contains('c') {
                    let (d, p) = o.location();
                    let para = &corpus.docs[d].clean.paragraphs[p];
                    let from = para.floor_char_boundary(o.span.start.saturating_sub(300));
                    let to = para.ceil_char_boundary((o.span.end + 200).min(para.len()));
                    let prev = p
                        .checked_sub(1)
                        .map(|k| corpus.docs[d].clean.paragraphs[k].as_str())
                        .unwrap_or("");
                    let prev = &prev[prev.floor_char_boundary(prev.len().saturating_sub(250))..];
                    println!(
                        "        {} ¶ {}[[{}]]{}",
                        prev,
                        &para[from..o.span.start],
                        &para[o.span.clone()],
                        &para[o.span.end..to]
                    );
                }
            }
        }
    }
}
