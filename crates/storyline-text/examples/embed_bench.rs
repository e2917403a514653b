//! Times the static embeddings on the harbor-strike sample articles: viewing the table, one
//! word vector (the citation aligner's soft match), one sentence vector.
//!
//!     cargo run --release -p storyline-text --example embed_bench
use std::hint::black_box;
use std::time::Instant;

use storyline_text::{StaticEmbeddings, sentence_strs, tokenize};

const ARTICLES: [&str; 5] = [
    include_str!("../../../samples/harbor-strike/01-coastal-daily.txt"),
    include_str!("../../../samples/harbor-strike/02-harbor-ledger.txt"),
    include_str!("../../../samples/harbor-strike/03-meridian-wire.txt"),
    include_str!("../../../samples/harbor-strike/04-northgate-tribune.txt"),
    include_str!("../../../samples/harbor-strike/05-bayline-news.txt"),
];

/// Best of `runs` timings of `f` over `n` items, in ns per item.
fn ns_per_item(n: usize, runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_nanos() as f64 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let view = ns_per_item(1000, 5, || {
        for _ in 0..1000 {
            black_box(StaticEmbeddings::minilm());
        }
    });
    let table = StaticEmbeddings::minilm();
    let text = ARTICLES.concat();
    let words: Vec<&str> = tokenize(&text)
        .iter()
        .map(|t| &text[t.span.clone()])
        .collect();
    let sentences = sentence_strs(&text);
    let tokens: usize = sentences.iter().map(|s| table.tokens(s).len()).sum();
    let mut v = vec![0.0f32; table.dim()];

    let word = ns_per_item(words.len() * 20, 5, || {
        for _ in 0..20 {
            for w in &words {
                black_box(table.word_vector(w, &mut v));
            }
        }
    });
    let tokenize_only = ns_per_item(words.len() * 20, 5, || {
        for _ in 0..20 {
            for w in &words {
                table.for_each_token(w, |t| {
                    black_box(t);
                });
            }
        }
    });
    let sentence = ns_per_item(sentences.len() * 20, 5, || {
        for _ in 0..20 {
            for s in &sentences {
                black_box(table.sentence_vector_into(s, &mut v));
            }
        }
    });
    println!(
        "table {} x {}: view {view:.0} ns; word vector {word:.0} ns ({} words; \
         {tokenize_only:.0} ns of it finding the tokens); \
         sentence vector {:.2} us ({} sentences, {:.1} tokens each)",
        table.len(),
        table.dim(),
        words.len(),
        sentence / 1000.0,
        sentences.len(),
        tokens as f64 / sentences.len() as f64
    );
}
