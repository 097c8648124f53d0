//! The validators and value detection on arbitrary text: no panic (they
//! index into values by byte, so multi-byte input is the risk).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::validators::run(data));
