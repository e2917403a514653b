//! Clustering quality on the shared dev streams, against the peers' published numbers.
//!
//! Runs when `../shared/data/clustering` and `../shared/tools/clustering/ANCHORS.md` exist;
//! otherwise each test prints why it is skipped and passes. One setting (the defaults) for
//! every stream, as the bar requires. `storyline bench cluster` prints the full table.

use std::collections::HashMap;
use std::io::BufReader;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use storyline::cluster::ClusterOptions;
use storyline::stream::{StreamItem, StreamOptions, cluster_stream};
use storyline_eval::clusters::{read_gold, score};
use storyline_eval::peers::read_tables;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Pairwise and BCubed F1 of the default clusterer on a stream, and the best peers' (pair,
/// B3) from the ANCHORS.md table under `heading`, read from the given columns.
fn compare(test: &str, stream: &str, heading: &str, pair_col: &str, b3_col: &str) -> Scored {
    compare_level(test, false, stream, heading, pair_col, b3_col)
}

/// ((pair F1, B3 F1), (best peer's pair F1, best peer's B3 F1)), if the data is there.
type Scored = Option<((f64, f64), (f64, f64))>;

/// As [`compare`], scoring the storylines instead of the events when `storylines` is set.
fn compare_level(
    test: &str,
    storylines: bool,
    stream: &str,
    heading: &str,
    pair_col: &str,
    b3_col: &str,
) -> Scored {
    let path = shared().join("data/clustering").join(stream);
    let anchors = shared().join("tools/clustering/ANCHORS.md");
    if !path.exists() || !anchors.exists() {
        let _ = writeln!(
            std::io::stderr(),
            "skipping {test}: {} or {} not found",
            path.display(),
            anchors.display()
        );
        return None;
    }
    let mut pred = HashMap::new();
    let reader = BufReader::new(std::fs::File::open(&path).expect("open"));
    cluster_stream(
        reader,
        &ClusterOptions::default(),
        &StreamOptions::default(),
        |item| {
            if let StreamItem::Assigned(a, _) = item {
                pred.insert(a.id, if storylines { a.storyline } else { a.event });
            }
        },
    );
    let s = score(&read_gold(&path).expect("gold"), &pred, true);
    let tables = read_tables(&anchors).expect("ANCHORS.md");
    let t = tables
        .iter()
        .find(|t| t.heading.starts_with(heading))
        .expect("peers' table");
    let best = |col: &str| {
        t.systems()
            .filter(|s| !s.starts_with("every") && !s.starts_with("all in"))
            .filter_map(|s| t.last_number(s, col))
            .fold(0.0, f64::max)
    };
    println!(
        "{test}: pair F1 {:.3} B3 F1 {:.3}; best peers {:.3} / {:.3}",
        s.pair_f1,
        s.b3_f1,
        best(pair_col),
        best(b3_col)
    );
    Some(((s.pair_f1, s.b3_f1), (best(pair_col), best(b3_col))))
}

fn assert_above(test: &str, got: Scored) {
    let Some(((pair, b3), (peer_pair, peer_b3))) = got else {
        return;
    };
    assert!(
        pair > peer_pair,
        "{test}: pairwise F1 {pair:.3} is not above the best peer's {peer_pair:.3}"
    );
    assert!(
        b3 > peer_b3,
        "{test}: BCubed F1 {b3:.3} is not above the best peer's {peer_b3:.3}"
    );
}

#[test]
fn clusters_multinews_above_every_peer() {
    let t = "multinews";
    assert_above(
        t,
        compare(
            t,
            "mn_val_stream.jsonl",
            "Tuning on Multi-News VAL",
            "val pair P / R / F1",
            "val B3 F1",
        ),
    );
}

#[test]
fn clusters_duc_above_every_peer() {
    let t = "duc";
    assert_above(
        t,
        compare(t, "duc_stream.jsonl", "DUC 2006+2007", "pair F1", "B3 F1"),
    );
}

#[test]
fn clusters_googlenews_above_every_peer() {
    let t = "googlenews";
    assert_above(
        t,
        compare(
            t,
            "googlenews_ts_stream.jsonl",
            "GoogleNews-T/S",
            "pair F1",
            "B3 F1",
        ),
    );
}

#[test]
fn storylines_of_duc_topics_above_every_peer() {
    let t = "duc storylines";
    assert_above(
        t,
        compare_level(
            t,
            true,
            "duc_stream.jsonl",
            "DUC 2006+2007",
            "pair F1",
            "B3 F1",
        ),
    );
}

#[test]
fn storylines_of_googlenews_above_every_peer() {
    let t = "googlenews storylines";
    assert_above(
        t,
        compare_level(
            t,
            true,
            "googlenews_ts_stream.jsonl",
            "GoogleNews-T/S",
            "pair F1",
            "B3 F1",
        ),
    );
}
