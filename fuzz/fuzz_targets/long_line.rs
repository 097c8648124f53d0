//! Structure-aware: one very long line (up to 1 MiB) made by repeating a
//! short piece the fuzzer chooses, as a leak text line, a CSV row or a CSV
//! header. Where issue 12 item 3 lived: header and role detection that grew
//! with the cube of the line's length. The property is time: run with
//! `-timeout=10`; a line of 1 MiB must scan in well under that, whatever it
//! repeats. The counts must not depend on the chunk size.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::long_line::run(data));
