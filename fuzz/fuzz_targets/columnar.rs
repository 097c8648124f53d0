//! Parquet and Arrow IPC files and streams. Seed with fixtures/parquet_struct
//! and fixtures/arrow_ipc. No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(init: common::init(), |data: &[u8]| {
    common::scan_bytes("x.parquet", data, 4096);
});
