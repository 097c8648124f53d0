//! BSON streams (mongodump): length prefixes that lie, documents cut short,
//! damaged elements, BSON in gzip. Seed with the fixtures' BSON files
//! (fuzz/README.md). No panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::bson_stream::run(data));
