//! Text formats (CSV, leak text, JSON Lines, JSON, SQL) through the whole
//! scan: no panic, and the counts do not depend on the chunk size.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const NAMES: [&str; 6] = ["x.csv", "x.txt", "x.jsonl", "x.json", "x.sql", "x.dat"];

fuzz_target!(init: common::init(), |data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let chunk = 1 + (pick as usize >> 3);
    let whole = common::scan_bytes(name, rest, 1 << 20);
    let cut = common::scan_bytes(name, rest, chunk);
    assert_eq!(
        common::counts(&whole),
        common::counts(&cut),
        "chunk size {chunk} changed the counts"
    );
});
