//! The archive walker: zip (nested), gzip, zstd, bzip2, xz. Seed with the
//! fixtures' archives (fuzz/README.md). No panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::archive::run(data));
