//! The project's own sample articles (`samples/`): cleaning and summarizing real-looking pages.

use std::path::{Path, PathBuf};

use storyline::clean::Residue;
use storyline::ingest::{Limits, read_txt_dir};
use storyline::{Corpus, SummaryOptions, summarize};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// Every article of `samples/articles.jsonl`.
fn sample_articles() -> Vec<storyline::Article> {
    let file = std::fs::File::open(samples().join("articles.jsonl")).expect("samples");
    storyline::ingest::read_articles_jsonl(
        std::io::BufReader::new(file),
        "articles.jsonl",
        &Limits::default(),
    )
    .items
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
    assert!(best >= 2, "no sentence backed by 2+ outlets: {s:#?}");
    for sentence in &s.sentences {
        for r in RESIDUE {
            assert!(!sentence.text.contains(r));
        }
    }
}

#[test]
fn the_txt_articles_give_their_outlet_date_and_url_as_their_jsonl_records_do() {
    let txt = read_txt_dir(&samples().join("harbor-strike"), &Limits::default());
    let file = std::fs::File::open(samples().join("articles.jsonl")).expect("samples");
    let jsonl = storyline::ingest::read_articles_jsonl(
        std::io::BufReader::new(file),
        "articles.jsonl",
        &Limits::default(),
    );
    for a in &txt.items {
        let record = jsonl
            .items
            .iter()
            .find(|r| r.id == format!("strike-{}", a.id))
            .unwrap_or_else(|| panic!("no record for {}", a.id));
        assert_eq!(
            (&a.source, &a.date, &a.url),
            (&record.source, &record.date, &record.url),
            "{}",
            a.id
        );
        assert_eq!(a.outlet(), record.outlet());
    }
}

/// Every brief of the sample events reads on its own: no sentence opens with a pronoun or an
/// unintroduced reference, no quote lacks a named speaker, no "yesterday", every event has a
/// title, and no citation lacks a number its sentence states (`storyline_eval::brief`).
#[test]
fn every_sample_brief_stands_alone_and_cites_its_numbers() {
    let mut by_event: Vec<(String, Vec<storyline::Article>)> = Vec::new();
    for a in sample_articles() {
        let event = a.id.split('-').next().unwrap_or("").to_string();
        match by_event.iter_mut().find(|(e, _)| *e == event) {
            Some((_, v)) => v.push(a),
            None => by_event.push((event, vec![a])),
        }
    }
    assert_eq!(by_event.len(), 4);
    let mut all = storyline_eval::brief::BriefChecks::default();
    for (event, articles) in &by_event {
        let corpus = Corpus::build(articles);
        let s = summarize(&corpus, &SummaryOptions::default());
        assert!(!s.sentences.is_empty(), "{event}");
        let checked: Vec<storyline_eval::brief::CheckedSentence> = s
            .sentences
            .iter()
            .enumerate()
            .map(|(k, x)| storyline_eval::brief::CheckedSentence {
                text: x.text.clone(),
                claim: x.original.clone().unwrap_or_else(|| x.text.clone()),
                cited: x.citations.iter().skip(1).map(|c| c.text.clone()).collect(),
                follows_its_predecessor: s.follows_its_predecessor(k),
            })
            .collect();
        let title = storyline::report::event_title(&corpus, &s);
        let c = storyline_eval::brief::check_brief(&title, &checked);
        assert_eq!(
            c.not_standalone() + c.untitled + c.number_mismatches,
            0,
            "{event}: {c:?}\n{s:#?}"
        );
        all.add(&c);
    }
    assert!(all.sentences >= 12, "{all:?}");
}

#[test]
fn the_brief_does_not_tell_the_result_twice_in_other_words() {
    // The final's outlets each tell the result in their own words ("won the National Cup,
    // beating Halden City 2-1 with a goal from ... Sigurdsson" / "Sigurðsson scored ... as
    // Rovers beat Halden City 2-1 in the National Cup final"): one telling is enough.
    let final_: Vec<storyline::Article> = sample_articles()
        .into_iter()
        .filter(|a| a.id.starts_with("final-"))
        .collect();
    let s = summarize(&Corpus::build(&final_), &SummaryOptions::default());
    let results = s
        .sentences
        .iter()
        .filter(|x| x.text.contains("2-1"))
        .count();
    assert_eq!(
        results,
        1,
        "{:#?}",
        s.sentences.iter().map(|x| &x.text).collect::<Vec<_>>()
    );
}
