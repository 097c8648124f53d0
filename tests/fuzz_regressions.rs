//! Inputs found by fuzzing (fuzz/README.md), kept so that what they broke
//! stays fixed. Each is scanned as a user would: the scan must finish with a
//! report, count what comes before the damage, and report the damage.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn scan(file: &str) -> (Value, i32, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(file);
    let (report, code, stderr, _) = scan_within(&path, 300);
    (report, code, stderr)
}

/// `columnar` target: an Arrow IPC file whose record batch claims a buffer
/// far past the end of the file. arrow-ipc 60.1 panics on it
/// (arrow-buffer immutable.rs:299, "the offset of the new Buffer cannot
/// exceed the existing length"); the scan catches the panic, reports it as
/// an error of this input, keeps the 10 rows of the batch before, and says
/// nothing on stderr.
#[test]
fn arrow_ipc_buffer_past_the_end() {
    let (r, code, stderr) = scan("columnar-arrow-ipc-buffer-past-end.arrow");
    assert_eq!(code, 2);
    assert_eq!(r["totals"]["records"], 10);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("the arrow reader failed on this file"));
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `columnar` target: an LZ4-compressed Arrow IPC buffer that declares it
/// expands to 22 PB. arrow-ipc 60.1 allocates the declared size up front,
/// and an allocation failure aborts the process (it is not a panic and
/// cannot be caught). The scan checks every compressed buffer's declared
/// size against --max-ratio / --max-expanded before arrow-ipc reads the
/// file: the first batch (10 rows) counts, the second is reported.
#[test]
fn arrow_ipc_compressed_buffer_declaring_petabytes() {
    let (r, code, _) = scan("columnar-arrow-ipc-lz4-declares-petabytes.arrow");
    assert_eq!(code, 2);
    assert_eq!(r["totals"]["records"], 10);
    let message = r["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("declares 22517998141046784 bytes"),
        "{message}"
    );
}

/// `columnar` target: an Arrow IPC file whose footer lists a record batch
/// block far larger than the file. arrow-ipc 60.1 allocates the block's
/// declared size before reading it (an uncatchable allocation failure).
/// The scan checks the footer's blocks and every message's body against
/// the file's length first, and reports the batch.
#[test]
fn arrow_ipc_footer_block_past_the_end() {
    let (r, code, _) = scan("columnar-arrow-ipc-block-past-end.arrow");
    assert_eq!(code, 2);
    let message = r["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("reaches past the end of the file"),
        "{message}"
    );
}

/// `columnar` target: the sizes checked must be those of the messages the
/// footer points at, not of the messages in file order: here the footer
/// sends arrow-ipc to an LZ4 buffer declaring 6.9 EB.
#[test]
fn arrow_ipc_footer_pointing_at_a_bad_buffer() {
    let (r, code, _) = scan("columnar-arrow-ipc-footer-points-at-bad-buffer.arrow");
    assert_eq!(code, 2);
    let message = r["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("a compressed buffer declares"),
        "{message}"
    );
}

/// `columnar` target: arrow-ipc's file reader parses a block's message from
/// all the block's bytes after the length prefix (the flatbuffer may point
/// into the body), not from the metadata length alone: the check must parse
/// it the same way to see the LZ4 buffer that declares 36 PB.
#[test]
fn arrow_ipc_message_parsed_from_the_whole_block() {
    let (r, code, _) = scan("columnar-arrow-ipc-message-read-from-whole-block.arrow");
    assert_eq!(code, 2);
    let message = r["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("a compressed buffer declares"),
        "{message}"
    );
}

/// Scans `path` as a user would (`--json - --quiet`), killed after
/// `secs`: (report, exit code, stderr, seconds taken).
fn scan_within(path: &std::path::Path, secs: u64) -> (Value, i32, String, f64) {
    scan_with(path, &[], secs)
}

/// `scan_within` with more options.
fn scan_with(path: &std::path::Path, args: &[&str], secs: u64) -> (Value, i32, String, f64) {
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .arg("scan")
        .arg(path)
        .args(["--json", "-", "--quiet"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // (the pipes are read on threads, so a large report cannot block it)
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).map(|_| v)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).map(|_| v)
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(secs) {
            child.kill().unwrap();
            panic!("{} did not finish in {secs} s", path.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = child.wait().unwrap();
    let stdout = out.join().unwrap().unwrap();
    let stderr = err.join().unwrap().unwrap();
    let report = serde_json::from_slice(&stdout).expect("a report");
    (
        report,
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stderr).into_owned(),
        start.elapsed().as_secs_f64(),
    )
}

/// `scan_text` target (2026-12-03): 12 bytes, `{"":[{""}""}`, hung the scan.
/// A `}` where a record array's next element belongs was taken as an empty
/// bare value that ended where it began, so the framer stood still. The `}`
/// now ends the array (whose `]` is missing); the element `{""}` is not
/// JSON and is reported.
#[test]
fn json_brace_ending_a_record_array() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/scan_text-brace-ends-record-array.json");
    let (r, code, _, _) = scan_within(&path, 30);
    assert_eq!(code, 2);
    assert_eq!(r["totals"]["records"], 0);
    assert!(!r["errors"].as_array().unwrap().is_empty());
}

/// `long_line` target (2026-12-03): one line of 1 MiB of `-1` took 20 s
/// (512 KiB: 18 s; 128 KiB: 5 s) in format sniffing, which looked for `---`
/// in the whole line once per `-`. Now once per line.
#[test]
fn a_long_line_of_dashes_is_sniffed_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["dash.dat", "dash.txt"] {
        let path = dir.path().join(name);
        std::fs::write(&path, "-1".repeat(1 << 19)).unwrap();
        let (r, _, _, secs) = scan_within(&path, 60);
        assert_eq!(r["totals"]["records"], 1, "{name}");
        assert!(secs < 30.0, "{name}: {secs} s");
    }
}

/// `columnar` target (2026-12-03): an Arrow IPC file (1,680 bytes) whose
/// dictionary block declares 3.4 PB. The size check caught it, but its
/// verdict was applied only after arrow-ipc had opened the file, and
/// opening reads the dictionaries: arrow-ipc asked for the memory (an
/// error entry without a sanitizer, an abort under AddressSanitizer). A
/// file whose dictionaries fail the check is no longer opened.
#[test]
fn arrow_ipc_block_declaring_petabytes() {
    let (r, code, stderr) = scan("columnar-arrow-ipc-block-declaring-petabytes.arrow");
    assert_eq!(code, 2);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("dictionary 1: its block reaches past the end of the file"));
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `long_line` target (2026-12-04): a first line of 1 MiB of `@.#0` and
/// then `张伟,13812345678`. Where the first read of the file (its size is
/// `--chunk-bytes`) ended inside the long line, the header search saw the
/// line's cut-off start as a record and the second line as the header: one
/// record, not PI, instead of two records, one of them PI. The header is now
/// searched for, and columns typed, among the whole records of a fixed
/// window at the start of the file, whatever the first read took.
#[test]
fn a_long_first_line_cut_by_the_first_read_is_not_a_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.txt");
    let mut data = b"@.#0".repeat(1 << 18);
    data.extend_from_slice("\n张伟,13812345678\n".as_bytes());
    std::fs::write(&path, &data).unwrap();
    let mut seen = Vec::new();
    for chunk in ["4194304", "1048575", "262145", "65536"] {
        let (r, code, _, _) = scan_with(&path, &["--threads", "1", "--chunk-bytes", chunk], 120);
        let totals = &r["totals"];
        assert_eq!(totals["records"], 2, "--chunk-bytes {chunk}: {totals}");
        seen.push((code, totals.clone(), r["kinds"].clone()));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
}

/// `long_line` target (2026-12-04): 1 MiB of `\xf6@\r@\r` (lines ended by
/// a lone `\r`) scanned with `--chunk-bytes 1` took 6 s (release; more than
/// the 20 s limit under AddressSanitizer): a chunk that is not plain CSV
/// went through the csv crate, and building its reader (it compiles a
/// state machine) cost 14 µs a chunk, one chunk a record here. Chunks
/// without a quote are now split into lines without a csv reader (the
/// 640 KiB here: 37 s before, 4.5 s after, debug build).
#[test]
fn chunks_of_lines_ended_by_a_lone_cr_cost_no_csv_reader_each() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    let mut data: Vec<u8> = b"\xf6@\r@\r".repeat(1 << 17);
    data.extend_from_slice("\n张伟,13812345678\n".as_bytes());
    std::fs::write(&path, &data).unwrap();
    let (whole, _, _, _) = scan_with(&path, &["--threads", "1"], 120);
    let (cut, _, _, secs) = scan_with(&path, &["--threads", "1", "--chunk-bytes", "1"], 120);
    assert_eq!(whole["totals"], cut["totals"]);
    assert_eq!(cut["totals"]["records"], 2 * (1 << 17) + 1);
    assert!(secs < 20.0, "{secs} s");
}

/// Found beside the above: a quote that never closes, early in a CSV file,
/// makes the rest of the file one record, whose lines are then read one by
/// one without quoting. Each line built its own csv reader (15 µs): a
/// million lines took 15 s (release) instead of 0.3 s. Lines are now split
/// on the delimiter without a reader.
#[test]
fn the_lines_after_a_quote_that_never_closes_are_read_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    let mut data = String::from("name,phone\n\"x,13800000000\n");
    for i in 0..200_000u64 {
        data.push_str(&format!("a{i},1{i:010}\n"));
    }
    std::fs::write(&path, &data).unwrap();
    let (r, code, _, secs) = scan_with(&path, &["--threads", "1"], 120);
    assert_eq!(code, 2, "the unclosed quote is an error entry");
    assert_eq!(r["totals"]["records"], 200_001);
    assert_eq!(r["totals"]["errors"], 1);
    assert!(secs < 8.0, "{secs} s");
}

/// `sevenz` target (issue 15): a 699-byte 7z whose LZMA2 chunk decodes to
/// nothing while its header still promises bytes. lzma-rust2 0.16.5 looped
/// for ever inside one `read` (the scan hung); the vendored copy
/// (vendor/lzma-rust2/PATCH.md) ends the chunk with an error, which is the
/// entry's error; the scan ends at once with exit 2.
#[test]
fn a_7z_whose_lzma2_chunk_makes_no_progress_ends_with_an_error() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/sevenz-lzma2-chunk-without-progress.7z");
    let (r, code, stderr, secs) = scan_within(&path, 60);
    assert_eq!(code, 2, "{stderr}");
    assert!(secs < 10.0, "{secs} s");
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]["path"].as_str().unwrap().contains(".7z!"),
        "{errors:?}"
    );
}

/// `sevenz` target (issue 15), run 2: a 222-byte 7z whose files-info block
/// names a file past its list of files. sevenz-rust2 0.20.2 panics (index
/// out of bounds, reader.rs:519); the scan catches it (a guarded
/// third-party parser), reports it as an error of the archive, and says
/// nothing on stderr.
#[test]
fn a_7z_whose_files_info_names_a_file_past_its_list_is_an_error() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/sevenz-files-info-index-past-the-files.7z");
    let (r, code, stderr, _) = scan_within(&path, 60);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("the 7z reader failed"));
}

/// `sevenz` target (issue 15), run 3: a 222-byte 7z whose LZMA2 block
/// declares a large dictionary. Under AddressSanitizer the allocation made
/// the run exceed libFuzzer's 30 s; the release build reads it in a few
/// milliseconds (the dictionary is allocated lazily, output is bounded by
/// the expansion budget). Kept so that it stays quick: an error, in
/// seconds.
#[test]
fn a_7z_declaring_a_large_dictionary_is_read_quickly() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/sevenz-large-dictionary-slow-under-asan.7z");
    let (r, code, stderr, secs) = scan_within(&path, 60);
    assert_eq!(code, 2, "{stderr}");
    assert!(secs < 10.0, "{secs} s");
    assert_eq!(r["errors"].as_array().unwrap().len(), 1, "{}", r["errors"]);
}
