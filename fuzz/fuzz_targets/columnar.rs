//! Parquet and Arrow IPC files and streams. Seed with fixtures/parquet_struct
//! and fixtures/arrow_ipc. No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::columnar::run(data));
