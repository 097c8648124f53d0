//! 7z archives: headers, solid and non-solid blocks, CRCs, encrypted
//! headers without their password. Seed with the fixtures' 7z files
//! (fuzz/README.md). No panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::sevenz::run(data));
