//! The WARC entry point: arbitrary bytes as a plain and as a gzipped archive, every record
//! taken through the whole per-record path (`storyline_web::fuzz::warc`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| storyline_web::fuzz::warc(data));
