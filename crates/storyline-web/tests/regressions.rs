//! Inputs that once crashed or hung an entry point (found by fuzzing, or written by hand
//! for known hazards), fed to every entry point: none may panic.
//!
//! `tests/regressions/warc/*` and `tests/regressions/html/*` are each given to the WARC
//! reader (plain and as gzip members), to the HTTP response parser, and to page extraction.

use std::io::BufReader;
use std::path::Path;

use storyline_web::html::{ExtractOptions, extract};
use storyline_web::lang::LangFilter;
use storyline_web::source::{Document, Payload};
use storyline_web::warc::{GzMembers, WarcLimits, WarcReader};
use storyline_web::{IngestOptions, Origin, process_document};

fn every_entry_point(bytes: &[u8]) {
    let limits = WarcLimits {
        max_block_bytes: 1 << 20,
        ..WarcLimits::default()
    };
    let n = WarcReader::new(bytes, limits).take(100_000).count();
    let m = WarcReader::new(GzMembers::new(BufReader::new(bytes)), limits)
        .take(100_000)
        .count();
    assert!(n < 100_000 && m < 100_000, "the reader must end");
    let _ = storyline_web::http::parse_response(bytes, 1 << 20);
    let text = storyline_web::charset::decode(bytes, None, None).text;
    let _ = extract(
        &text,
        Some("https://x.example/a/b"),
        &ExtractOptions::default(),
    );
    let opts = IngestOptions {
        langs: LangFilter::Any,
        min_words: 0,
        ..IngestOptions::default()
    };
    for payload in [
        Payload::Http(bytes.to_vec()),
        Payload::Page {
            bytes: bytes.to_vec(),
            charset: None,
        },
    ] {
        let doc = Document {
            origin: Origin::file("regression"),
            payload,
            url: Some("https://x.example/a/b".into()),
            record_id: None,
        };
        let _ = process_document(doc, &opts);
    }
}

#[test]
fn no_regression_input_panics_any_entry_point() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut seen = 0;
    for kind in ["warc", "html"] {
        let dir = root.join(kind);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            eprintln!("{}", f.display());
            every_entry_point(&bytes);
            seen += 1;
        }
    }
    assert!(seen > 0, "the regression corpus is in tests/regressions");
}
