//! The WARC entry point: arbitrary bytes as a plain and as a gzipped archive, every record
//! taken through the whole per-record path.
#![no_main]

use std::io::BufReader;

use libfuzzer_sys::fuzz_target;
use storyline_web::lang::LangFilter;
use storyline_web::source::{Item, SourceOptions, warc_item};
use storyline_web::warc::{GzMembers, WarcLimits, WarcReader};
use storyline_web::{IngestOptions, process_document};

fn records<R: std::io::Read>(reader: WarcReader<R>, opts: &IngestOptions) {
    let source = SourceOptions {
        max_page_bytes: 1 << 16,
    };
    for item in reader.take(10_000) {
        if let Item::Doc(doc) = warc_item(item, "fuzz.warc", &source) {
            let _ = process_document(doc, opts);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let limits = WarcLimits {
        max_block_bytes: 1 << 16,
        max_header_bytes: 1 << 12,
    };
    let opts = IngestOptions {
        langs: LangFilter::Any,
        min_words: 0,
        max_page_bytes: 1 << 16,
        ..IngestOptions::default()
    };
    records(WarcReader::new(data, limits), &opts);
    records(
        WarcReader::new(GzMembers::new(BufReader::new(data)), limits),
        &opts,
    );
});
