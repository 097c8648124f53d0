//! Structure-aware: one very long line (up to 1 MiB) made by repeating a
//! short piece the fuzzer chooses, as a leak text line, a CSV row or a CSV
//! header. Where issue 12 item 3 lived: header and role detection that grew
//! with the cube of the line's length. The property is time: run with
//! `-timeout=10`; a line of 1 MiB must scan in well under that, whatever it
//! repeats. The counts must not depend on the chunk size.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const NAMES: [&str; 3] = ["x.txt", "x.csv", "x.dat"];

fuzz_target!(init: common::init(), |data: &[u8]| {
    // [name, log2 length, chunk, piece...]
    let [pick, len, chunk, piece @ ..] = data else {
        return;
    };
    if piece.is_empty() {
        return;
    }
    let piece = &piece[..piece.len().min(64)];
    let name = NAMES[*pick as usize % NAMES.len()];
    let want = 1usize << (10 + (*len as usize % 11)); // 1 KiB ..= 1 MiB
    let mut line: Vec<u8> = piece.iter().copied().cycle().take(want).collect();
    if pick & 0x80 != 0 {
        // a header line before it, or a second line after it
        line.splice(0..0, b"name,phone,id_number,email\n".iter().copied());
    } else {
        line.extend_from_slice(b"\n\xe5\xbc\xa0\xe4\xbc\x9f,13812345678\n");
    }
    let whole = common::scan_bytes(name, &line, 4 << 20);
    let cut = common::scan_bytes(name, &line, 1 + (*chunk as usize) * 4096);
    assert_eq!(
        common::counts(&whole),
        common::counts(&cut),
        "chunk size changed the counts"
    );
});
