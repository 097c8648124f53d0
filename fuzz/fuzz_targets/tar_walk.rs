//! The tar walk: headers (ustar, GNU long names, PAX), entries cut short,
//! links, tar inside gzip. Seed with the fixtures' tars (fuzz/README.md).
//! No panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::tar_walk::run(data));
