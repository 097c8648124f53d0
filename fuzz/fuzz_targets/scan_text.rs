//! Text formats (CSV, leak text, JSON Lines, JSON, SQL) through the whole
//! scan: no panic, and the counts do not depend on the chunk size.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::scan_text::run(data));
