//! The project's own sample articles (`samples/`): cleaning and summarizing real-looking pages.

use std::path::{Path, PathBuf};

use storyline::clean::Residue;
use storyline::ingest::{Limits, read_txt_dir};
use storyline::{Corpus, SummaryOptions, summarize};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn harbor_corpus() -> Corpus {
    let got = read_txt_dir(&samples().join("harbor-strike"), &Limits::default());
    assert!(got.issues.is_empty(), "{:?}", got.issues);
    assert_eq!(got.items.len(), 5);
    Corpus::build(&got.items)
}

/// Residue lines written into the sample pages (see samples/README.md).
const RESIDUE: &[&str] = &[
    "Coastal Daily | Every tide, every town",
    "By Helen Achterberg",
    "(Staff Photo/Lucia Brandt)",
    "Support Coastal Daily",
    "Share this article",
    "© 2031 Coastal Daily",
    "Subscribe now!",
    "(Photo: Meridian Wire / Ana Pereira)",
    "Raises, shorter shifts and a safety fund",
    "Cost to the city",
    "What happens next",
    "Support The Harbor Ledger",
    "Related: Shipping lines divert cargo",
    "Reporting by Nils Hartmann",
    "By Oskar Lindqvist",
    "READ MORE:",
    "INTERACTIVE:",
    "All rights reserved",
    "appeared first on Bayline News",
    "Source: Bayline News",
];

#[test]
fn page_residue_never_reaches_the_reporting() {
    let corpus = harbor_corpus();
    for doc in &corpus.docs {
        for p in &doc.clean.paragraphs {
            for r in RESIDUE {
                assert!(!p.contains(r), "{} kept residue {r:?} in: {p}", doc.id);
            }
        }
    }
}

#[test]
fn a_slogan_first_line_gives_way_to_the_real_headline() {
    let corpus = harbor_corpus();
    let coastal = corpus
        .docs
        .iter()
        .find(|d| d.id == "01-coastal-daily")
        .unwrap();
    assert_eq!(
        coastal.clean.title,
        "Port Aldren dockworkers vote to stay out as talks resume"
    );
    assert_eq!(coastal.clean.removed[0].reason, Residue::Slogan);
}

#[test]
fn the_headline_repeated_in_the_body_is_dropped_and_datelines_split_off() {
    let corpus = harbor_corpus();
    let ledger = corpus
        .docs
        .iter()
        .find(|d| d.id == "02-harbor-ledger")
        .unwrap();
    assert!(
        ledger
            .clean
            .removed
            .iter()
            .any(|r| r.reason == Residue::DuplicateTitle)
    );
    let wire = corpus
        .docs
        .iter()
        .find(|d| d.id == "03-meridian-wire")
        .unwrap();
    assert!(
        wire.clean
            .dateline
            .as_deref()
            .is_some_and(|d| d.starts_with("PORT ALDREN")),
        "{:?}",
        wire.clean.dateline
    );
}

#[test]
fn the_summary_leads_with_what_several_outlets_report() {
    let corpus = harbor_corpus();
    let s = summarize(
        &corpus,
        &SummaryOptions {
            words: 100,
            ..SummaryOptions::default()
        },
    );
    assert!(s.words() <= 100);
    let best = s.sentences.iter().map(|x| x.support).max().unwrap_or(0);
    assert!(best >= 3, "no sentence backed by 3+ outlets: {s:#?}");
    for sentence in &s.sentences {
        for r in RESIDUE {
            assert!(!sentence.text.contains(r));
        }
    }
}
