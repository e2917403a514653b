//! Entry points for fuzzing the web readers: arbitrary bytes as a page and as an archive,
//! taken through every stage a record goes through. They return nothing; they must never
//! panic, stall or grow without bound. The libFuzzer targets in `fuzz/` are one call each,
//! and `tests/fuzz_corpus.rs` replays the committed corpus (`fuzz/corpus/<target>/`)
//! through them with a time bound per input.

use std::io::BufReader;

use crate::html::{ExtractOptions, extract};
use crate::lang::LangFilter;
use crate::source::{Document, Item, Payload, SourceOptions, warc_item};
use crate::warc::{GzMembers, WarcLimits, WarcReader};
use crate::{IngestOptions, Origin, process_document};

fn options(max_page_bytes: usize) -> IngestOptions {
    IngestOptions {
        langs: LangFilter::Any,
        min_words: 0,
        max_page_bytes,
        ..IngestOptions::default()
    }
}

/// The HTML entry point: the bytes as a page (charset sniffing, bounded parse, metadata,
/// extraction) and as a stored HTTP response.
pub fn html(data: &[u8]) {
    let text = crate::charset::decode(data, None, Some("https://x.example/2031/03/14/a"));
    let _ = extract(
        &text.text,
        Some("https://x.example/a/b"),
        &ExtractOptions::default(),
    );
    let doc = Document {
        origin: Origin::file("fuzz"),
        payload: Payload::Http(data.to_vec()),
        url: Some("https://x.example/a".into()),
        record_id: None,
    };
    let _ = process_document(doc, &options(8 << 20));
}

/// The WARC entry point: the bytes as a plain and as a gzipped archive, every record taken
/// through the whole per-record path (small limits, so that the over-the-limit paths are
/// reached).
pub fn warc(data: &[u8]) {
    let limits = WarcLimits {
        max_block_bytes: 1 << 16,
        max_header_bytes: 1 << 12,
    };
    records(WarcReader::new(data, limits));
    records(WarcReader::new(
        GzMembers::new(BufReader::new(data)),
        limits,
    ));
}

fn records<R: std::io::Read>(reader: WarcReader<R>) {
    let source = SourceOptions {
        max_page_bytes: 1 << 16,
    };
    let opts = options(1 << 16);
    for item in reader.take(10_000) {
        if let Item::Doc(doc) = warc_item(item, "fuzz.warc", &source) {
            let _ = process_document(doc, &opts);
        }
    }
}
