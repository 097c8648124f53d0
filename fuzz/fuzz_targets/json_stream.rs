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

const TOKENS: [&[u8]; 24] = [
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\n",
    b"\r\n",
    b" ",
    b"\"name\":",
    b"\"phone\":",
    b"\"id_number\":",
    b"\"a.b\":",
    b"\"\\u5f20\\u4f1f\"",
    b"\"\xe5\xbc\xa0\xe4\xbc\x9f\"",
    b"\"13812345678\"",
    b"13812345678",
    b"\"11010519491231002X\"",
    b"\"x\\\"}{\"",
    b"\"\\",
    b"null",
    b"-1.5e3",
    b"true",
    b"\"",
];

fuzz_target!(init: common::init(), |data: &[u8]| {
    // [lines?, max record, chunk, tokens...]
    let [flags, limit, chunk, tokens @ ..] = data else {
        return;
    };
    let mut doc = Vec::new();
    for &t in tokens {
        doc.extend_from_slice(TOKENS[t as usize % TOKENS.len()]);
    }
    let name = if flags & 1 == 0 { "x.json" } else { "x.jsonl" };
    let limit = match limit % 4 {
        0 => *limit as usize / 4,
        1 => 64 + *limit as usize,
        _ => 64 << 20,
    };
    let whole = common::scan_limited(name, &doc, 4 << 20, limit);
    let cut = common::scan_limited(name, &doc, 1 + *chunk as usize, limit);
    assert_eq!(
        common::counts(&whole),
        common::counts(&cut),
        "chunk size changed the counts"
    );
});
