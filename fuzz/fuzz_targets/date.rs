//! Publication-time parsing, one candidate per line (`storyline::fuzz::date`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| storyline::fuzz::date(data));
