//! Dumps the claim-matching features of every (gold sentence, other article) pair of the
//! citation gold, with the gold label, for setting the thresholds of `CitationRule` (a
//! threshold is chosen leave-one-cluster-out over the 8 clusters, so its precision on a
//! cluster it was not chosen on is known).
//! usage: cargo run --release -p storyline --example claim_features -- \
//!            annotations/citations/annotations.jsonl ../shared/data > /tmp/claims.csv
//! Columns: cluster,k,doc,label(2 full, 1 partial, 0 no),found(0: no passage shares a
//! word),features...,lacks (the claim words the passage lacks, with their idf share)
//!
//! With a third argument `articles`, prints instead for each gold sentence the largest share
//! of its content (idf-weighted) that an article of another outlet holds anywhere in its
//! text, with the gold's best verdict among that outlet's articles (2 full, 1 partial, 0
//! none): what `compare::facts`'s `NEAR_ARTICLE_COVERAGE` was set on (sort it with
//! `sort -k4`). The outlet is the DUC id's agency prefix (APW, NYT, XIE).
use std::io::{BufReader, Write};

use storyline::align::claim::{ClaimAligner, ClaimFeatures};
use storyline::ingest::{Limits, read_clusters_jsonl};
use storyline::{Aligner, Corpus};
use storyline_eval::citations::{Label, best_matching, read_gold};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let gold = read_gold(std::path::Path::new(&args[0])).expect("gold");
    let data = std::path::Path::new(&args[1]);
    let articles = args.get(2).is_some_and(|a| a == "articles");
    let mut out = std::io::stdout().lock();
    if !articles {
        writeln!(
            out,
            "cluster,k,doc,label,found,{},lacks,sentence,passage",
            ClaimFeatures::NAMES.join(",")
        )
        .ok();
    }
    for g in &gold {
        let path = data.join(&g.dataset);
        let file = std::fs::File::open(&path).expect("data");
        let read = read_clusters_jsonl(BufReader::new(file), &g.dataset, &Limits::default());
        let cluster = read
            .items
            .iter()
            .find(|c| c.id == g.cluster)
            .expect("cluster");
        let corpus = Corpus::build(&cluster.articles);
        let aligner = Aligner::new(&corpus);
        let claims = ClaimAligner::new(&aligner);
        for gs in &g.sentences {
            let raw = cluster
                .articles
                .iter()
                .find(|a| a.id == gs.doc)
                .map_or("", |a| a.text.as_str());
            let Some(d) = corpus.docs.iter().position(|d| d.id == gs.doc) else {
                continue;
            };
            let Some(s) = best_matching(
                corpus.docs[d]
                    .sentences
                    .clone()
                    .map(|s| (s, corpus.sentences[s].text.as_str())),
                gs.text(raw),
            ) else {
                eprintln!("{} S{}: sentence not found", g.cluster, gs.k);
                continue;
            };
            if articles {
                article_coverage(&mut out, &corpus, &aligner, g, gs, d, s);
                continue;
            }
            let found = claims.passages(s);
            for (doc_ix, doc) in corpus.docs.iter().enumerate() {
                if doc_ix == d {
                    continue;
                }
                let label = match gs.support.get(&doc.id).map(|e| e.label) {
                    Some(Label::Full) => 2,
                    Some(Label::Partial) => 1,
                    None => 0,
                };
                let mut ms: Vec<Option<&storyline::align::claim::ClaimMatch>> =
                    found.iter().filter(|m| m.doc == doc_ix).map(Some).collect();
                if ms.is_empty() {
                    ms.push(None);
                }
                for m in ms {
                    let f = m.map(|m| m.features).unwrap_or_default();
                    let v: Vec<String> = f.to_vec().iter().map(|x| format!("{x:.4}")).collect();
                    let passage = m.map_or(String::new(), |m| {
                        (m.sentence..m.sentence + m.span)
                            .map(|k| corpus.sentences[k].text.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    let lacks = m.map_or(String::new(), |m| {
                        claims
                            .missing_words(s, m.sentence, m.span)
                            .iter()
                            .map(|(w, share)| format!("{w}:{share:.2}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    let q = |t: &str| format!("\"{}\"", t.replace('"', "'"));
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{},{},{}",
                        g.cluster,
                        gs.k,
                        doc.id,
                        label,
                        u8::from(m.is_some()),
                        v.join(","),
                        q(&lacks),
                        q(&corpus.sentences[s].text),
                        q(&passage)
                    )
                    .ok();
                }
            }
        }
    }
}

/// The `articles` mode's line for gold sentence `gs` (sentence `s` of document `d`).
fn article_coverage(
    out: &mut impl Write,
    corpus: &Corpus,
    aligner: &Aligner<'_>,
    g: &storyline_eval::citations::CitationGold,
    gs: &storyline_eval::citations::GoldSentence,
    d: usize,
    s: usize,
) {
    let own = &gs.doc[..3.min(gs.doc.len())];
    let shares = aligner.doc_coverage(s);
    let (mut best, mut label) = (0.0f32, 0);
    for (di, doc) in corpus.docs.iter().enumerate() {
        if di == d || doc.id.starts_with(own) {
            continue;
        }
        best = best.max(shares[di]);
        label = label.max(match gs.support.get(&doc.id).map(|e| e.label) {
            Some(Label::Full) => 2,
            Some(Label::Partial) => 1,
            None => 0,
        });
    }
    let text: String = corpus.sentences[s].text.chars().take(80).collect();
    writeln!(
        out,
        "{label} {} {} article_coverage={best:.2} {text}",
        g.cluster, gs.k
    )
    .ok();
}
