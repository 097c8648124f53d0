//! The workbook entry point (XLSX/XLSB/ODS inside a zip, XLS). Seed with
//! fixtures/xlsx_two_sheets. No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
#[path = "harness.rs"]
mod harness;

fuzz_target!(init: common::init(), |data: &[u8]| harness::workbook::run(data));
