//! The SQL framer and parser: no panic, no hang, and the rows do not depend
//! on where the stream was cut into chunks.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::sql::run(data));
