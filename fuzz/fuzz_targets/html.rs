//! The HTML entry point: arbitrary bytes as a page and as a stored HTTP response
//! (`storyline_web::fuzz::html`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| storyline_web::fuzz::html(data));
