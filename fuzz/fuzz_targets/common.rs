//! Shared by the fuzz targets: the whole scan over bytes held in memory.
#![allow(dead_code)]

use std::sync::OnceLock;

use tiaoshu::case::Groups;
use tiaoshu::detect::{Engine, PatternSet};
use tiaoshu::input::InputFile;
use tiaoshu::scan::{scan, ScanOptions, ScanOutput};

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let patterns = PatternSet::builtin().expect("built-in patterns load");
        Engine::new(&patterns).expect("built-in patterns compile")
    })
}

/// A panic inside a third-party parser is caught by the scan and reported as
/// an error entry (by design; such findings are upstream bugs, kept as
/// regression tests in tests/fuzz_regressions.rs): it must not end the
/// campaign. Every other panic still aborts, through libFuzzer's hook.
pub fn init() {
    tiaoshu::scan::install_panic_hook();
}

/// Scans `data` as a file called `name`, cut into chunks of `chunk` bytes.
pub fn scan_bytes(name: &str, data: &[u8], chunk: usize) -> ScanOutput {
    scan_limited(name, data, chunk, ScanOptions::default().max_record_bytes)
}

/// As [`scan_bytes`], with records cut at `max_record` bytes.
#[allow(dead_code)]
pub fn scan_limited(name: &str, data: &[u8], chunk: usize, max_record: usize) -> ScanOutput {
    let files = [InputFile::in_memory(name, data.to_vec())];
    let opts = ScanOptions {
        threads: 1,
        chunk_bytes: chunk.max(1),
        max_record_bytes: max_record,
        ..ScanOptions::default()
    };
    let groups = Groups::new(&[]).expect("no recipients");
    scan(&files, &groups, engine(), &opts, None)
}

/// The numbers that must not depend on how the input was chunked.
pub fn counts(out: &ScanOutput) -> Vec<u64> {
    let t = &out.tally;
    let mut v = vec![t.records, t.masked, t.bare];
    for k in &t.kinds {
        v.extend([k.seized, k.invalid, k.duplicate, k.counted]);
    }
    v
}
