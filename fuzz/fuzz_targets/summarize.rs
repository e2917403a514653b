//! Summarize and compare on arbitrary text, cut into articles at `0x1E`
//! (`storyline::fuzz::summarize_compare`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| storyline::fuzz::summarize_compare(data));
