//! The JSONL article reader on arbitrary bytes (`storyline::fuzz::jsonl`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| storyline::fuzz::jsonl(data));
