//! The HTML entry point: arbitrary bytes as a page (charset sniffing, nesting guard, parse,
//! metadata, extraction) and as a stored HTTP response.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_web::html::{ExtractOptions, extract};
use storyline_web::lang::LangFilter;
use storyline_web::source::{Document, Payload};
use storyline_web::{IngestOptions, Origin, process_document};

fuzz_target!(|data: &[u8]| {
    let text = storyline_web::charset::decode(data, None, Some("https://x.example/2031/03/14/a"));
    let _ = extract(&text.text, Some("https://x.example/a/b"), &ExtractOptions::default());
    let opts = IngestOptions {
        langs: LangFilter::Any,
        min_words: 0,
        ..IngestOptions::default()
    };
    let doc = Document {
        origin: Origin::file("fuzz"),
        payload: Payload::Http(data.to_vec()),
        url: Some("https://x.example/a".into()),
        record_id: None,
    };
    let _ = process_document(doc, &opts);
});
