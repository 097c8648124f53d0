//! Structure-aware: JSON streams built from tokens (objects, arrays, keys,
//! strings with escapes, numbers, stray closers, commas, line ends, cut
//! values) read as a JSON document and as JSON Lines, with `--max-record`
//! small enough to cut values. Where issue 12 item 1 lived: a stray `}` at
//! the top level looped forever. Properties: no panic, no hang (run with
//! `-timeout=10`), memory bounded (`-rss_limit_mb`), and the counts do not
//! depend on the chunk size.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::json_stream::run(data));
