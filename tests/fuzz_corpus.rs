//! Replays the kept fuzz corpora (`fuzz/corpus/TARGET/`, minimised from the
//! campaigns in fuzz/README.md) through the fuzz targets' own bodies
//! (`fuzz/fuzz_targets/harness.rs`), so every input that once found new
//! code keeps being run by an ordinary `cargo test`, without a nightly
//! compiler or libFuzzer. A finding is a panic here, as it is there.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;
#[path = "../fuzz/fuzz_targets/harness.rs"]
mod harness;

use std::path::PathBuf;

/// Runs every file of a target's corpus; how many there were.
fn replay(target: &str, run: fn(&[u8])) -> usize {
    common::init();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let caught = std::panic::catch_unwind(|| run(&data));
        assert!(caught.is_ok(), "{target}: {} fails", f.display());
    }
    assert!(!files.is_empty(), "{target}: an empty corpus");
    files.len()
}

macro_rules! corpus {
    ($($target:ident),*) => {
        $(
            #[test]
            fn $target() {
                replay(stringify!($target), harness::$target::run);
            }
        )*
    };
}

corpus!(
    scan_text,
    sql,
    archive,
    tar_walk,
    bson_stream,
    sevenz,
    workbook,
    columnar,
    validators,
    long_line,
    json_stream
);
