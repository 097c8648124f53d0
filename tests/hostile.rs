//! Hostile and unlucky inputs (issue 12): each test is one finding, made
//! small. The scan must end — in bounded time and memory — with a report, an
//! error entry where the input is damaged, and nothing dropped silently.
//!
//! Every run here is capped: a hang is a test failure after the run's
//! timeout (generous for a debug build; the inputs are sized so that linear
//! work finishes in well under a second), and `ulimit -v` makes runaway
//! memory an allocation failure instead of a machine brought down.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// What a capped run gave.
struct Run {
    report: Option<Value>,
    /// `None`: killed by a signal.
    code: Option<i32>,
    stderr: String,
    /// Bytes of the JSON report.
    stdout_len: usize,
}

impl Run {
    fn report(&self) -> &Value {
        self.report.as_ref().unwrap_or_else(|| {
            panic!(
                "no JSON report (exit {:?}); stderr: {}",
                self.code, self.stderr
            )
        })
    }

    fn errors(&self) -> Vec<String> {
        self.report()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} | {} | {}",
                    e["path"].as_str().unwrap_or(""),
                    e["position"].as_str().unwrap_or(""),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    fn stdout_len(&self) -> usize {
        self.stdout_len
    }

    fn records(&self) -> u64 {
        self.report()["totals"]["records"].as_u64().unwrap()
    }

    fn counted(&self, kind: &str) -> u64 {
        self.report()["kinds"][kind]["counted"].as_u64().unwrap()
    }
}

/// Memory a run may map (`ulimit -v`, KiB): far above what a scan of these
/// inputs needs, far below what the findings took.
const MEMORY_KB: u64 = 3 << 20;

/// Runs `tiaoshu ARGS` with the JSON report on stdout (unless the args name
/// `--json` themselves), killed after `timeout`.
fn run(args: &[&str], timeout: Duration) -> Run {
    run_in(None, args, timeout)
}

fn run_in(cwd: Option<&Path>, args: &[&str], timeout: Duration) -> Run {
    let bin = env!("CARGO_BIN_EXE_tiaoshu");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_KB}; exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args);
    if !args.contains(&"--json") {
        cmd.args(["--json", "-", "--quiet"]);
    }
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the pipes on threads so a large report cannot block the child.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut v).ok();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut v).ok();
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > timeout {
            child.kill().ok();
            child.wait().ok();
            panic!("tiaoshu {args:?} did not finish in {timeout:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().unwrap();
    let stderr = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    Run {
        report: serde_json::from_slice(&stdout).ok(),
        code: status.code(),
        stderr,
        stdout_len: stdout.len(),
    }
}

const QUICK: Duration = Duration::from_secs(60);

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, data).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn mobile(i: u32) -> String {
    format!("138{:08}", i)
}

fn resident_id(i: u32) -> String {
    common::with_check_char(&format!(
        "1101011980{:02}{:02}{:03}",
        1 + i % 12,
        1 + i % 28,
        i % 1000
    ))
}

fn name(i: u32) -> String {
    let given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"];
    format!("张{}", given[i as usize % 10])
}

/// `n` people as CSV with a header: name, mobile, resident ID.
fn people_csv(from: u32, n: u32) -> String {
    let mut out = String::from("姓名,手机号,身份证号\n");
    for i in from..from + n {
        out.push_str(&format!("{},{},{}\n", name(i), mobile(i), resident_id(i)));
    }
    out
}

// ---------------------------------------------------------------------------
// 4, 7: files that change or never end
// ---------------------------------------------------------------------------

/// Item 4: a file truncated while it is scanned used to kill the process
/// with SIGBUS (it was memory-mapped). It is read with `read` now: the scan
/// ends with a report, counts what it read, and says the file changed.
#[test]
fn a_file_truncated_while_it_is_scanned_is_an_error_of_that_input() {
    let dir = tempfile::tempdir().unwrap();
    let big = write(dir.path(), "big.csv", people_csv(0, 1_500_000));
    let other = write(dir.path(), "other.csv", people_csv(0, 10));
    let len = std::fs::metadata(&big).unwrap().len();
    let bin = env!("CARGO_BIN_EXE_tiaoshu");
    let child = Command::new(bin)
        .args(["scan", s(&big), s(&other), "--json", "-", "--quiet"])
        .args(["--threads", "1", "--chunk-bytes", "65536"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(len / 10)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "not killed by a signal, exit 2");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["path"].as_str().unwrap().ends_with("big.csv"));
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("the file changed while it was read"));
    // the other input is read whole, after the damaged one
    let inputs = r["inputs"].as_array().unwrap();
    assert_eq!(inputs.last().unwrap()["records"], 10);
    assert!(r["totals"]["records"].as_u64().unwrap() < 1_500_010);
}

/// Item 7: `--threads 100000` hung (a pool of 100,000 threads); it is capped
/// at 4 per core, with a message.
#[test]
fn an_absurd_thread_count_is_capped_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "a.csv", people_csv(0, 20));
    let bin = env!("CARGO_BIN_EXE_tiaoshu");
    let out = Command::new(bin)
        .args(["scan", s(&f), "--threads", "100000", "--json", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--threads 100000 is more than 4 per core"),
        "{stderr}"
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["kinds"]["general"]["counted"], 20);
}

/// Item 7: `/dev/zero` given directly hung (read for ever as text); a
/// special file given directly is an error, one inside a directory is
/// listed as skipped with its reason (it was ignored in silence).
#[test]
fn special_files_are_errors_given_directly_and_listed_inside_a_directory() {
    let r = run(&["scan", "/dev/zero"], QUICK);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.records(), 0);
    let errors = r.errors();
    assert!(
        errors[0].contains("/dev/zero")
            && errors[0].contains("not a regular file (character device)"),
        "{errors:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.csv", people_csv(0, 5));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero")).unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let r = run(&["scan", s(dir.path())], QUICK);
    assert_eq!(r.code, Some(0), "{:?}", r.errors());
    assert_eq!(r.counted("general"), 5);
    let skipped: Vec<String> = r.report()["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| format!("{} {}", k["path"], k["reason"]))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped[0].contains("pipe") && skipped[0].contains("FIFO"),
        "{skipped:?}"
    );
    assert!(skipped[1].contains("zero") && skipped[1].contains("character device"));
}

// ---------------------------------------------------------------------------
// 10: recipients and links
// ---------------------------------------------------------------------------

/// Item 10: a file in buyer B's folder that is a link to buyer A's file was
/// dropped as "the same file", and B's sale vanished (300 counted instead of
/// 600). The same bytes given to two recipients count once per recipient;
/// the link is shown as one, and a second name inside one recipient's
/// folder is listed, not dropped in silence.
#[test]
fn a_link_into_another_recipients_folder_counts_for_both() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "dump/sold/a/people.csv", people_csv(0, 300));
    std::fs::create_dir_all(dir.path().join("dump/sold/b")).unwrap();
    std::os::unix::fs::symlink(&a, dir.path().join("dump/sold/b/people.csv")).unwrap();
    std::fs::hard_link(&a, dir.path().join("dump/sold/b/copy.csv")).unwrap();
    let case = write(
        dir.path(),
        "case.toml",
        "[[recipients]]\nname = \"A\"\npaths = [\"sold/a/**\"]\n\
         [[recipients]]\nname = \"B\"\npaths = [\"sold/b/**\"]\n",
    );
    let r = run(
        &["scan", s(&dir.path().join("dump")), "--case", s(&case)],
        QUICK,
    );
    assert_eq!(r.code, Some(0), "{:?}", r.errors());
    assert_eq!(r.counted("general"), 600, "300 for each recipient");
    let inputs = r.report()["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    let b = &inputs[1];
    assert!(b["path"].as_str().unwrap().ends_with("sold/b/copy.csv"));
    let skipped = r.report()["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("sold/b/people.csv"));
    assert!(skipped[0]["reason"]
        .as_str()
        .unwrap()
        .contains("the same file as"));
    assert_eq!(skipped[0]["sha256"], b["sha256"]);

    // Without the hard link, the symlink itself is read for B and says so.
    std::fs::remove_file(dir.path().join("dump/sold/b/copy.csv")).unwrap();
    let r = run(
        &["scan", s(&dir.path().join("dump")), "--case", s(&case)],
        QUICK,
    );
    assert_eq!(r.counted("general"), 600);
    let b = &r.report()["inputs"][1];
    assert!(b["path"].as_str().unwrap().ends_with("sold/b/people.csv"));
    assert!(b["symlink_to"]
        .as_str()
        .unwrap()
        .ends_with("sold/a/people.csv"));
}

/// Item 11: with recipients, a record held unassigned (obtained) and by a
/// recipient (sold) counts once, with the recipient; the evidence table and
/// the samples said `counted` for both, and the scan ended "the evidence
/// table disagrees with the counts", exit 2. The unassigned rows are now
/// duplicates of the recipient's first occurrence, in the table and in the
/// samples, whatever the scan order.
#[test]
fn obtained_then_sold_is_one_duplicate_in_the_evidence_and_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    // `a_obtained` sorts before `sold`: the unassigned copy is read first.
    write(dir.path(), "dump/a_obtained/all.csv", people_csv(0, 300));
    write(dir.path(), "dump/sold/a/part.csv", people_csv(0, 200));
    let case = write(
        dir.path(),
        "case.toml",
        "[[recipients]]\nname = \"A\"\npaths = [\"sold/a/**\"]\n",
    );
    for ev in ["e.jsonl", "e.csv"] {
        let evidence = dir.path().join(ev);
        let r = run(
            &[
                "scan",
                s(&dir.path().join("dump")),
                "--case",
                s(&case),
                "--evidence",
                s(&evidence),
            ],
            QUICK,
        );
        assert_eq!(r.code, Some(0), "{:?}", r.errors());
        let general = &r.report()["kinds"]["general"];
        assert_eq!(general["counted"], 300, "200 sold, 100 kept");
        assert_eq!(general["duplicate"], 200, "the obtained copies of the sold");
        if ev.ends_with(".csv") {
            continue;
        }
        let rows: Vec<Value> = std::fs::read_to_string(&evidence)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 500);
        let status = |v: &Value| v["status"].as_str().unwrap().to_string();
        let dups: Vec<&Value> = rows.iter().filter(|v| status(v) == "duplicate").collect();
        assert_eq!(dups.len(), 200);
        for d in &dups {
            assert!(d["path"].as_str().unwrap().ends_with("a_obtained/all.csv"));
            assert!(d["first_path"]
                .as_str()
                .unwrap()
                .ends_with("sold/a/part.csv"));
            assert_eq!(d["recipient"], "(unassigned)");
        }
        // the same person on the same line of both files
        let d = rows
            .iter()
            .find(|v| v["line"] == 102 && v["recipient"] == "(unassigned)")
            .unwrap();
        assert_eq!(d["status"], "duplicate");
        assert_eq!(d["first_line"], 102);
        let kept = rows.iter().find(|v| v["line"] == 202).unwrap();
        assert_eq!(kept["status"], "counted");
        // the samples (the first records read: the obtained file's) say the same
        let samples = r.report()["kinds"]["general"]["samples"]
            .as_array()
            .unwrap()
            .clone();
        assert!(!samples.is_empty());
        for (i, smp) in samples.iter().enumerate() {
            let line: u64 = smp["position"].as_str().unwrap()[5..]
                .split(',')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let obtained = smp["path"].as_str().unwrap().contains("a_obtained");
            let want = if obtained && line <= 201 {
                "duplicate"
            } else {
                "counted"
            };
            assert_eq!(smp["status"], want, "sample {i}: {smp}");
        }
    }
}

// ---------------------------------------------------------------------------
// 1, 6, 9: JSON
// ---------------------------------------------------------------------------

/// Item 1: a stray `}` at the top level of a JSON stream (50 bytes) sent the
/// framer into an endless loop with unbounded memory. It is skipped, with
/// one error at its place, and the values around it are read.
#[test]
fn a_stray_closing_brace_in_a_json_stream_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "stray.json",
        "{\n \"name\": \"张三\",\n \"mobile\": \"13812345678\"\n}\n}\n{\n \"mobile\": \"13912345678\",\n \"name\": \"李四\"\n}\n",
    );
    let r = run(&["scan", s(&f)], QUICK);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.records(), 2);
    assert_eq!(r.counted("general"), 2);
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("line 5, byte 48 | `}` outside any JSON value"),
        "{errors:?}"
    );
}

/// Item 1: any JSON document longer than `--max-record`, cut mid-value, ran
/// out of memory (`--max-record 0/1/10`). A value past the limit is skipped
/// with an error; the records in its arrays are still read.
#[test]
fn json_values_longer_than_max_record_are_skipped_not_held() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    for i in 0..200 {
        rows.push(format!(
            "{{\"name\": \"{}\", \"mobile\": \"{}\"}}",
            name(i),
            mobile(i)
        ));
    }
    let doc = format!("{{\"code\": 0, \"data\": [{}]}}", rows.join(", "));
    let f = write(dir.path(), "doc.json", &doc);
    for limit in ["0", "1", "10"] {
        let r = run(&["scan", s(&f), "--max-record", limit], QUICK);
        assert_eq!(r.code, Some(2), "--max-record {limit}");
        assert_eq!(r.records(), 0, "every record is longer than {limit} bytes");
        assert!(r.errors().iter().all(|e| e.contains("--max-record")));
    }
    // a limit the records fit in, but the wrapper does not: the records count
    let r = run(
        &["scan", s(&f), "--max-record", "100", "--chunk-bytes", "512"],
        QUICK,
    );
    assert_eq!(r.counted("general"), 200);
    // one line of JSON Lines cut short and past the limit: the same
    let f = write(dir.path(), "cut.jsonl", &doc[..doc.len() / 2]);
    let r = run(&["scan", s(&f), "--max-record", "10"], QUICK);
    assert_eq!(r.code, Some(2));
}

/// The `cat` of `n` people as a pretty-printed export wrapper.
fn wrapper_json(n: u32, note: usize) -> String {
    let mut out =
        String::from("{\n  \"code\": 0,\n  \"msg\": \"ok\",\n  \"data\": {\n    \"list\": [\n");
    for i in 0..n {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            "      {{\n        \"name\": \"{}\",\n        \"mobile\": \"{}\",\n        \"id\": \"{}\",\n        \"note\": \"{}\"\n      }}",
            name(i),
            mobile(i),
            resident_id(i),
            "备".repeat(note)
        ));
    }
    out.push_str("\n    ]\n  }\n}\n");
    out
}

/// Peak memory of a run in KiB (GNU time), and its report.
fn peak_kb(args: &[&str]) -> (u64, Value) {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_tiaoshu"))
        .args(args)
        .args(["--json", "-", "--quiet"])
        .output()
        .expect("GNU time (/usr/bin/time), which .ci/run installs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kb = stderr.lines().last().unwrap().trim().parse().unwrap();
    (kb, serde_json::from_slice(&out.stdout).unwrap())
}

/// Item 6: a 50 MB pretty-printed JSON document took 644 MB (13 times the
/// input, one `serde_json::Value`). Wrapper arrays are read element by
/// element: memory does not follow the document's size.
#[test]
fn a_large_json_document_is_read_element_by_element() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(dir.path(), "small.json", wrapper_json(2_000, 160));
    let large = write(dir.path(), "large.json", wrapper_json(40_000, 160));
    assert!(std::fs::metadata(&large).unwrap().len() > 20_000_000);
    // One thread and small chunks: what is in flight is small, so what
    // grows with the input shows.
    let opts = ["--threads", "1", "--chunk-bytes", "65536"];
    let (small_kb, _) = peak_kb(&[&["scan", s(&small)][..], &opts].concat());
    let (large_kb, r) = peak_kb(&[&["scan", s(&large)][..], &opts].concat());
    assert_eq!(
        r["totals"]["records"], 40_001,
        "40,000 people and the wrapper's fields"
    );
    assert_eq!(r["kinds"]["general"]["counted"], 40_000);
    // 20 times the input (25 MB); the memory grows by the dedup table and
    // the allocator's slack, a fraction of the input's size — not by 13
    // times it, as it did.
    let grew = large_kb.saturating_sub(small_kb) * 1024;
    let input = std::fs::metadata(&large).unwrap().len();
    assert!(
        grew < input * 2 / 3,
        "{small_kb} KiB -> {large_kb} KiB for {input} bytes"
    );
}

/// Item 9: a one-line minified wrapper `{"data":[…1,000 objects…]}` was read
/// as JSON Lines, 1 record, exit 0 (the indented form gave 1,000). Wrappers
/// are found by structure, not line breaks.
#[test]
fn a_minified_wrapper_on_one_line_gives_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let pretty = wrapper_json(1_000, 0);
    let minified: String =
        serde_json::to_string(&serde_json::from_str::<Value>(&pretty).unwrap()).unwrap();
    assert!(!minified.contains('\n'));
    let a = write(dir.path(), "pretty.json", &pretty);
    let b = write(dir.path(), "mini.json", &minified);
    let c = write(
        dir.path(),
        "mini.jsonl",
        format!("{minified}\n{minified}\n"),
    );
    let (ra, rb, rc) = (
        run(&["scan", s(&a)], QUICK),
        run(&["scan", s(&b)], QUICK),
        run(&["scan", s(&c)], QUICK),
    );
    assert_eq!(ra.counted("general"), 1_000);
    assert_eq!(rb.counted("general"), 1_000);
    assert_eq!(rb.records(), 1_001);
    assert_eq!(rb.report()["inputs"][0]["format"], "jsonl");
    assert_eq!(rc.records(), 2_002);
    assert_eq!(rc.report()["kinds"]["general"]["duplicate"], 1_000);
    assert_eq!(
        common::kind_counts(ra.report()),
        common::kind_counts(rb.report())
    );
}

// ---------------------------------------------------------------------------
// 3: long lines
// ---------------------------------------------------------------------------

/// Item 3: header and role detection was cubic in the line length (8 KB of
/// `a@a@…` took 30 s, 1 MB did not finish). Each of these 1 MB one-line files
/// scans in well under the timeout even in a debug build.
#[test]
fn long_lines_of_any_shape_scan_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    for (i, piece) in [
        "a@",
        ".",
        "-",
        "1",
        "11010119900307123",
        "a@b.c",
        "a_b",
        "aB",
        "张",
        "1,",
        "a|",
    ]
    .iter()
    .enumerate()
    {
        let f = write(
            dir.path(),
            &format!("{i}.txt"),
            piece.repeat(1_000_000 / piece.len()),
        );
        let r = run(&["scan", s(&f)], QUICK);
        assert_eq!(r.code, Some(0), "{piece:?}: {:?}", r.errors());
        // (a line of dashes is all separators: no record)
        assert_eq!(r.records(), u64::from(*piece != "-"), "{piece:?}");
    }
}

// ---------------------------------------------------------------------------
// 8: line ends
// ---------------------------------------------------------------------------

/// Item 8: CR-only line ends (old Mac exports) made a 300-record text or
/// JSON Lines file one record, and a CSV with mixed CR/LF/CRLF gave 201 of
/// 300. Every line end counts, and line numbers are an editor's.
#[test]
fn cr_only_and_mixed_line_ends_are_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..300)
        .map(|i| format!("{}----{}\r", name(i), mobile(i)))
        .collect();
    let jsonl: String = (0..300)
        .map(|i| {
            format!(
                "{{\"name\":\"{}\",\"mobile\":\"{}\"}}\r",
                name(i),
                mobile(i)
            )
        })
        .collect();
    let ends = ["\n", "\r", "\r\n"];
    let mut csv = String::from("姓名,手机号,身份证号\r");
    for i in 0..300 {
        csv.push_str(&format!(
            "{},{},{}{}",
            name(i),
            mobile(i),
            resident_id(i),
            ends[i as usize % 3]
        ));
    }
    // quoted fields too (the csv crate's path)
    let mut quoted = String::from("name,mobile\r");
    for i in 0..300 {
        quoted.push_str(&format!(
            "\"{}\",\"{}\"{}",
            name(i),
            mobile(i),
            ends[i as usize % 3]
        ));
    }
    for (file, data) in [
        ("a.txt", text),
        ("a.jsonl", jsonl),
        ("a.csv", csv),
        ("q.csv", quoted),
    ] {
        let f = write(dir.path(), file, &data);
        for chunk in ["65536", "100"] {
            let r = run(&["scan", s(&f), "--chunk-bytes", chunk], QUICK);
            assert_eq!(r.code, Some(0), "{file}: {:?}", r.errors());
            assert_eq!(r.counted("general"), 300, "{file}, chunks of {chunk}");
        }
    }
    // the line number of a record after CR line ends: an invalid ID on line 101
    let mut text: String = (0..100)
        .map(|i| format!("{}----{}\r", name(i), mobile(i)))
        .collect();
    text.push_str("张伟----110101199003071230\r");
    let f = write(dir.path(), "b.txt", &text);
    let r = run(
        &["scan", s(&f), "--evidence", s(&dir.path().join("e.jsonl"))],
        QUICK,
    );
    assert_eq!(r.report()["kinds"]["general"]["invalid"], 1);
    let evidence = std::fs::read_to_string(dir.path().join("e.jsonl")).unwrap();
    let last: Value = serde_json::from_str(evidence.lines().last().unwrap()).unwrap();
    assert_eq!(last["line"], 101);
    assert_eq!(last["status"], "invalid");
}

// ---------------------------------------------------------------------------
// 13: no line breaks at all
// ---------------------------------------------------------------------------

/// Item 13: a file with no newline gave spurious "neither UTF-8 nor GBK"
/// errors at every `--max-record` cut (a character split), and a report of
/// 101 MB, each sample holding a 34 MB "identifier". Cuts fall between
/// characters, and what a sample shows of a value is capped.
#[test]
fn a_file_without_line_breaks_is_cut_between_characters_and_samples_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let piece = format!("张三,13812345678,{};", "北京市朝阳区建国路".repeat(40_000));
    let f = write(dir.path(), "nonl.txt", piece.repeat(4));
    let r = run(&["scan", s(&f), "--max-record", "1M"], QUICK);
    let errors = r.errors();
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|e| e.contains("--max-record")),
        "{errors:?}"
    );

    let f = write(
        dir.path(),
        "long.csv",
        format!(
            "姓名,手机号,地址\n张三,13812345678,{}\n",
            "北京市朝阳区建国路".repeat(40_000)
        ),
    );
    let r = run(&["scan", s(&f)], QUICK);
    let sample = r.report()["kinds"]["general"]["samples"][0]["identifiers"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(sample.len() < 1_000, "{} bytes", sample.len());
    assert!(sample.contains("(360000 characters)"), "{sample}");
    assert!(r.stdout_len() < 20_000);
}

// ---------------------------------------------------------------------------
// 12: UTF-16 out of step
// ---------------------------------------------------------------------------

/// Item 12: a UTF-16 file with one byte dropped yielded 28 of 100 records,
/// with a message about UTF-8/GBK. The misalignment is found, the text
/// realigned, and the error says so, in UTF-16's terms.
#[test]
fn utf16_that_lost_a_byte_is_realigned_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    for (le, bom) in [(true, [0xff, 0xfe]), (false, [0xfe, 0xff])] {
        let text = people_csv(0, 100);
        let mut bytes = bom.to_vec();
        for u in text.encode_utf16() {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        bytes.remove(1001);
        let f = write(dir.path(), if le { "le.csv" } else { "be.csv" }, &bytes);
        let r = run(&["scan", s(&f)], QUICK);
        assert_eq!(r.code, Some(2));
        // the damaged record may be lost or invalid; the others count
        assert!(r.counted("general") >= 99, "{}", r.counted("general"));
        let errors = r.errors();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("byte 1001 | UTF-16 text out of step")),
            "{errors:?}"
        );
        assert!(errors.iter().all(|e| !e.contains("UTF-8")), "{errors:?}");
    }
}

// ---------------------------------------------------------------------------
// 18: names that are not UTF-8
// ---------------------------------------------------------------------------

/// Item 18: file names that are not UTF-8 collided in the report (`x\xff`
/// and `x\xfe` both became `x\u{fffd}`). They are shown losslessly.
#[test]
fn names_that_are_not_utf8_are_shown_losslessly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for name in [&b"x\xff.csv"[..], b"x\xfe.csv", br"x\xff.csv"] {
        let p = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(p, people_csv(0, 3)).unwrap();
    }
    let r = run(&["scan", s(dir.path())], QUICK);
    let mut names: Vec<String> = r.report()["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    names.sort();
    assert_eq!(names, [r"x\\xff.csv", r"x\xfe.csv", r"x\xff.csv"]);
}

// ---------------------------------------------------------------------------
// 2: sheets that declare a huge area
// ---------------------------------------------------------------------------

/// An XLSX workbook of one sheet whose `sheetData` (and dimension) is given.
fn xlsx_with(sheet: &str, dimension: Option<&str>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, text: String| {
        w.start_file(name, opts).unwrap();
        std::io::Write::write_all(&mut w, text.as_bytes()).unwrap();
    };
    put("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into());
    put("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into());
    put("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into());
    put("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into());
    let dimension = dimension.map_or(String::new(), |d| format!(r#"<dimension ref="{d}"/>"#));
    put(
        "xl/worksheets/sheet1.xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{sheet}</sheetData></worksheet>"#
        ),
    );
    w.finish().unwrap().into_inner()
}

fn cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A header and `n` people, as `<row>`s from row 1.
fn people_rows(n: u32) -> String {
    let mut rows = format!(
        "<row r=\"1\">{}{}</row>",
        cell("A1", "姓名"),
        cell("B1", "手机号")
    );
    for i in 0..n {
        let r = i + 2;
        rows.push_str(&format!(
            "<row r=\"{r}\">{}{}</row>",
            cell(&format!("A{r}"), &name(i)),
            cell(&format!("B{r}"), &mobile(i))
        ));
    }
    rows
}

/// An XLS (BIFF8) workbook of one sheet, built record by record in an OLE2
/// compound file: the sheet's cells as (row, column, text), and the rows
/// and columns its DIMENSIONS record declares.
fn xls_with(cells: &[(u16, u16, &str)], dimensions: (u32, u32, u16, u16)) -> Vec<u8> {
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }
    let bof = |dt: u16| {
        let mut d = vec![];
        d.extend(0x0600u16.to_le_bytes());
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        d
    };
    // globals: BOF, CODEPAGE (UTF-16), BOUNDSHEET (offset patched), EOF
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    record(&mut globals, 0x0042, &1200u16.to_le_bytes());
    let at = globals.len() + 4;
    record(&mut globals, 0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']);
    record(&mut globals, 0x000A, &[]);
    let sheet_pos = globals.len() as u32;
    globals[at..at + 4].copy_from_slice(&sheet_pos.to_le_bytes());
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    let (rf, rl, cf, cl) = dimensions;
    let mut dim = Vec::new();
    dim.extend(rf.to_le_bytes());
    dim.extend(rl.to_le_bytes());
    dim.extend(cf.to_le_bytes());
    dim.extend(cl.to_le_bytes());
    dim.extend([0, 0]);
    record(&mut sheet, 0x0200, &dim);
    for &(row, col, text) in cells {
        let mut d = Vec::new();
        d.extend(row.to_le_bytes());
        d.extend(col.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        let units: Vec<u16> = text.encode_utf16().collect();
        d.extend((units.len() as u16).to_le_bytes());
        d.push(1); // UTF-16
        for u in units {
            d.extend(u.to_le_bytes());
        }
        record(&mut sheet, 0x0204, &d);
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend(sheet);
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    let mut stream = file.create_stream("Workbook").unwrap();
    std::io::Write::write_all(&mut stream, &globals).unwrap();
    drop(stream);
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// An ODS workbook whose first table holds `rows` (XML of `table:table-row`s).
fn ods_with(rows: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    std::io::Write::write_all(&mut w, b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    w.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    std::io::Write::write_all(
        &mut w,
        br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#,
    )
    .unwrap();
    w.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    std::io::Write::write_all(&mut w, xml.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

fn ods_cell(text: &str, repeat: u32) -> String {
    format!(
        r#"<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// Item 2: a 2 KB XLSX whose dimension or cells name `A1` and `XFD1048576`
/// made the workbook reader allocate 512 GiB and abort (exit 134); a cell at
/// `AAA100000` took 3.7 GB. XLSX sheets are read cell by cell, in memory
/// proportional to their cells; XLS and ODS sheets, which the library only
/// builds densely, are measured first and refused past a limit.
#[test]
fn sheets_that_declare_a_huge_area_cost_their_cells_or_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let far = format!("<row r=\"1048576\">{}</row>", cell("XFD1048576", "x"));
    let wide = format!("<row r=\"100000\">{}</row>", cell("AAA100000", "x"));
    for (file, data) in [
        (
            "a.xlsx",
            xlsx_with(&format!("{}{far}", people_rows(50)), Some("A1:XFD1048576")),
        ),
        (
            "b.xlsx",
            xlsx_with(&format!("{}{wide}", people_rows(50)), None),
        ),
    ] {
        assert!(data.len() < 10_000);
        let f = write(dir.path(), file, &data);
        let r = run(&["scan", s(&f)], QUICK);
        assert_eq!(r.code, Some(0), "{file}: {:?}", r.errors());
        assert_eq!(r.counted("general"), 50, "{file}");
    }
    // a cell past column XFD is not a cell of a sheet: reported
    let beyond = format!("<row r=\"60\">{}</row>", cell("ZZZZ60", "x"));
    let f = write(
        dir.path(),
        "c.xlsx",
        xlsx_with(&format!("{}{beyond}", people_rows(50)), None),
    );
    let r = run(&["scan", s(&f)], QUICK);
    assert_eq!(r.counted("general"), 50);
    assert!(
        r.errors()[0].contains("past column XFD"),
        "{:?}",
        r.errors()
    );

    // XLS: read when it is of a sane size, refused when its cells or its
    // DIMENSIONS span more than 8,388,608 cells
    let mut cells: Vec<(u16, u16, String)> = vec![(0, 0, "姓名".into()), (0, 1, "手机号".into())];
    for i in 0..20u16 {
        cells.push((i + 1, 0, name(u32::from(i))));
        cells.push((i + 1, 1, mobile(u32::from(i))));
    }
    let refs: Vec<(u16, u16, &str)> = cells.iter().map(|(r, c, t)| (*r, *c, t.as_str())).collect();
    let f = write(dir.path(), "ok.xls", xls_with(&refs, (0, 21, 0, 2)));
    let r = run(&["scan", s(&f)], QUICK);
    assert_eq!(r.code, Some(0), "{:?}", r.errors());
    assert_eq!(r.report()["inputs"][0]["format"], "xls");
    assert_eq!(r.counted("general"), 20);
    let mut far = refs.clone();
    far.push((65535, 65535, "x"));
    for (file, data) in [
        ("far.xls", xls_with(&far, (0, 21, 0, 2))),
        ("dim.xls", xls_with(&refs, (0, 0xffff_ffff, 0, 0xff))),
        ("wrapped.xls", xls_with(&refs, (10, 5, 0, 2))),
    ] {
        let f = write(dir.path(), file, &data);
        let r = run(&["scan", s(&f)], QUICK);
        assert_eq!(r.code, Some(2), "{file}");
        assert!(
            r.errors()[0].contains("spans") && r.errors()[0].contains("cells"),
            "{file}: {:?}",
            r.errors()
        );
    }

    // ODS: read, and refused when its repeats expand past the limit
    let mut rows = format!(
        "<table:table-row>{}{}</table:table-row>",
        ods_cell("姓名", 1),
        ods_cell("手机号", 1)
    );
    for i in 0..20 {
        rows.push_str(&format!(
            "<table:table-row>{}{}</table:table-row>",
            ods_cell(&name(i), 1),
            ods_cell(&mobile(i), 1)
        ));
    }
    let f = write(dir.path(), "ok.ods", ods_with(&rows));
    let r = run(&["scan", s(&f)], QUICK);
    assert_eq!(r.code, Some(0), "{:?}", r.errors());
    assert_eq!(r.counted("general"), 20);
    let bomb = format!(
        "{rows}<table:table-row table:number-rows-repeated=\"1048000\">{}</table:table-row>",
        ods_cell("x", 16384)
    );
    let f = write(dir.path(), "bomb.ods", ods_with(&bomb));
    assert!(std::fs::metadata(&f).unwrap().len() < 10_000);
    let r = run(&["scan", s(&f)], QUICK);
    assert_eq!(r.code, Some(2));
    assert!(r.errors()[0].contains("spans"), "{:?}", r.errors());
}

// ---------------------------------------------------------------------------
// 5, 20: zip bombs and zips of many entries
// ---------------------------------------------------------------------------

/// A zip whose central directory points `n` entries at one local file of
/// `data`, deflated (the overlapping-entries bomb).
fn overlapping_zip(n: usize, data: &[u8]) -> Vec<u8> {
    let mut deflated = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut deflated, data).unwrap();
    let packed = deflated.finish().unwrap();
    let crc = crc32fast::hash(data);
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    let mut out = Vec::new();
    out.extend(le32(0x0403_4b50));
    for v in [20u16, 0, 8, 0, 0] {
        out.extend(le16(v));
    }
    out.extend(le32(crc));
    out.extend(le32(packed.len() as u32));
    out.extend(le32(data.len() as u32));
    out.extend(le16(5));
    out.extend(le16(0));
    out.extend(b"a.txt");
    out.extend(&packed);
    let cd_start = out.len() as u32;
    for i in 0..n {
        let name = format!("f{i:06}.txt");
        out.extend(le32(0x0201_4b50));
        for v in [20u16, 20, 0, 8, 0, 0] {
            out.extend(le16(v));
        }
        out.extend(le32(crc));
        out.extend(le32(packed.len() as u32));
        out.extend(le32(data.len() as u32));
        out.extend(le16(name.len() as u16));
        for v in [0u16, 0, 0, 0] {
            out.extend(le16(v));
        }
        out.extend(le32(0));
        out.extend(le32(0)); // every entry's local header: offset 0
        out.extend(name.as_bytes());
    }
    let cd_len = out.len() as u32 - cd_start;
    out.extend(le32(0x0605_4b50));
    for v in [0u16, 0, n as u16, n as u16] {
        out.extend(le16(v));
    }
    out.extend(le32(cd_len));
    out.extend(le32(cd_start));
    out.extend(le16(0));
    out
}

fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).unwrap();
        std::io::Write::write_all(&mut w, data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Item 5: zip bombs the limits did not catch. Entries that share their
/// data are refused (a 132 KB zip of them expanded to 67 GB); the budget
/// covers the archive as a whole, nested archives included, at
/// `--max-ratio` times the file's size (a 60 KB 42.zip-style archive ran
/// 116 s; a 4.7 MB one reached the 1 TB default).
#[test]
fn zip_bombs_are_refused_and_the_budget_covers_the_whole_archive() {
    let dir = tempfile::tempdir().unwrap();
    // 1,000 entries on one local file of 4 MiB of people
    let people = people_csv(0, 100_000).into_bytes();
    let f = write(dir.path(), "overlap.zip", overlapping_zip(1_000, &people));
    assert!(std::fs::metadata(&f).unwrap().len() < 1_000_000);
    let r = run(&["scan", s(&f)], QUICK);
    assert_eq!(r.code, Some(2));
    assert_eq!(
        r.counted("general"),
        100_000,
        "the first entry is read, once"
    );
    let errors = r.errors();
    assert_eq!(errors.len(), 999, "{:?}", &errors[..3]);
    assert!(
        errors[0].contains("!f000001.txt")
            && errors[0].contains("overlaps the bytes of entry f000000.txt")
    );

    // 42.zip-style: 16 entries per level, 5 levels, of 1 MiB of zeros
    let mut data = vec![0u8; 1 << 20];
    let mut name = "leaf.bin".to_string();
    for level in 0..5 {
        let entries: Vec<(String, Vec<u8>)> = (0..16)
            .map(|i| (format!("{i}_{name}"), data.clone()))
            .collect();
        data = zip_of(&entries);
        name = format!("l{level}.zip");
    }
    let size = data.len() as u64;
    assert!(size < 100_000, "{size}");
    let f = write(dir.path(), "42.zip", &data);
    let r = run(&["scan", s(&f)], QUICK);
    assert_eq!(r.code, Some(2));
    let errors = r.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("--max-ratio times its size")),
        "{:?}",
        &errors[..2]
    );
    // what was decompressed stays within the budget: 16 MiB + 1000 x size
    let read: u64 = r.report()["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .chain(r.report()["skipped"].as_array().unwrap())
        .map(|i| i["bytes"].as_u64().unwrap_or(0))
        .sum();
    assert!(read <= (16 << 20) + 1000 * size, "{read}");

    // entries each under the per-entry grace (16 MiB), many of them: the
    // archive's budget stops them (--max-ratio 10: 16 MiB + 10 x its size)
    let entries: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| (format!("z{i}.bin"), vec![0u8; 8 << 20]))
        .collect();
    let f = write(dir.path(), "grace.zip", zip_of(&entries));
    let r = run(&["scan", s(&f), "--max-ratio", "10"], QUICK);
    assert_eq!(r.code, Some(2));
    let refused = r
        .errors()
        .iter()
        .filter(|e| e.contains("may expand to in all"))
        .count();
    assert!(refused >= 37, "{refused} of 40 refused: {:?}", r.errors());
}

/// Item 20: a zip of 200,000 entries took 95 s against 3 s for the same
/// files in a directory (0.47 ms an entry). Each entry costs about what a
/// file costs now (figures in BENCHMARKS.md); here, 20,000 entries, every
/// one counted.
#[test]
fn a_zip_of_many_small_entries_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let entries: Vec<(String, Vec<u8>)> = (0..20_000)
        .map(|i| {
            (
                format!("d{:03}/p{i:06}.csv", i % 100),
                format!("姓名,手机号\n{},{}\n", name(i), mobile(i)).into_bytes(),
            )
        })
        .collect();
    let f = write(dir.path(), "many.zip", zip_of(&entries));
    let r = run(&["scan", s(&f)], QUICK);
    assert_eq!(r.code, Some(0), "{:?}", r.errors());
    assert_eq!(r.counted("general"), 20_000);
    assert_eq!(r.report()["inputs"].as_array().unwrap().len(), 20_000);
    assert_eq!(r.report()["archives"][0]["entries"], 20_000);
}

// ---------------------------------------------------------------------------
// 14, 15, 16: outputs
// ---------------------------------------------------------------------------

/// Item 14: `--json`, `--evidence` or `--report` naming an input destroyed
/// it (and `--evidence INPUT` then counted 0 records, exit 0); a missing
/// output directory was found only after the scan. All are refused before
/// the scan, exit 2, and the input is untouched.
#[test]
fn an_output_that_is_an_input_or_inside_a_scanned_directory_is_refused_first() {
    let dir = tempfile::tempdir().unwrap();
    let people = people_csv(0, 300);
    let f = write(dir.path(), "dump/people.csv", &people);
    let dump = dir.path().join("dump");
    // (named as a report; the same file as the input)
    let link = dir.path().join("link.md");
    std::fs::hard_link(&f, &link).unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &["scan", s(&f), "--evidence", s(&f)],
            "is one of the inputs",
        ),
        (&["scan", s(&f), "--json", s(&f)], "is one of the inputs"),
        (
            &["scan", s(&f), "--json", "-", "--report", s(&link)],
            "is one of the inputs",
        ),
        (
            &[
                "scan",
                s(&dump),
                "--json",
                "-",
                "--evidence",
                &format!("{}/e.csv", s(&dump)),
            ],
            "inside the scanned directory",
        ),
        (
            &["scan", s(&dump), "--json", &format!("{}/r.json", s(&dump))],
            "inside the scanned directory",
        ),
        (
            &[
                "scan",
                s(&dump),
                "--json",
                "-",
                "--report",
                &format!("{}/none/r.html", s(dir.path())),
            ],
            "no directory",
        ),
    ];
    for (args, says) in cases {
        let r = run(args, QUICK);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert_eq!(std::fs::read_to_string(&f).unwrap(), people, "{args:?}");
    }
    // nothing was left behind in the scanned directory
    assert_eq!(std::fs::read_dir(&dump).unwrap().count(), 1);
}

/// Item 15: Ctrl-C left a 0-byte evidence file and truncated an existing
/// one; a failing evidence table left a 0-row Parquet file. Outputs are
/// written under a temporary name and renamed into place when complete.
#[test]
fn an_interrupted_or_failed_scan_keeps_the_old_outputs_and_leaves_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let big: String = people_csv(0, 5000).repeat(200); // about 10 MB, seconds in debug
    let f = write(dir.path(), "in/big.csv", &big);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for name in ["e.parquet", "r.json", "r.html"] {
        std::fs::write(out.join(name), "old").unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_tiaoshu");
    let mut child = Command::new(bin)
        .args(["scan", s(&f), "--quiet"])
        .arg("--evidence")
        .arg(out.join("e.parquet"))
        .arg("--json")
        .arg(out.join("r.json"))
        .arg("--report")
        .arg(out.join("r.html"))
        .spawn()
        .unwrap();
    // once the temporaries exist, the scan is under way
    let start = Instant::now();
    while std::fs::read_dir(&out).unwrap().count() < 6 {
        assert!(start.elapsed() < QUICK, "the outputs were never opened");
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = common::interrupt(&mut child);
    assert_eq!(status.code(), Some(130));
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["e.parquet", "r.html", "r.json"]);
    for name in &left {
        assert_eq!(std::fs::read_to_string(out.join(name)).unwrap(), "old");
    }

    // An evidence table that cannot be finished (its temporary directory
    // is gone) is not put in place, and says so.
    let small = write(dir.path(), "in2/people.csv", people_csv(0, 30));
    let r = run(
        &[
            "scan",
            s(&small),
            "--evidence",
            s(&out.join("e.parquet")),
            "--temp-dir",
            s(&dir.path().join("missing")),
        ],
        QUICK,
    );
    assert_eq!(r.code, Some(2));
    assert!(
        r.errors().iter().any(|e| e.contains("not written")),
        "{:?}",
        r.errors()
    );
    assert_eq!(
        std::fs::read_to_string(out.join("e.parquet")).unwrap(),
        "old"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3);
}

/// Item 16: the summary written to a full disk panicked (exit 101). A write
/// error is an error (exit 2, a message); a reader that goes away early
/// (`| head`) ends the output quietly.
#[test]
fn writing_to_a_full_disk_is_an_error_and_a_closed_pipe_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "people.csv", people_csv(0, 30));
    let bin = env!("CARGO_BIN_EXE_tiaoshu");
    for args in [
        vec!["scan", s(&f)],
        vec!["scan", s(&f), "--json", "-"],
        vec!["explain"],
        vec!["patterns", "list"],
    ] {
        let full = Command::new(bin)
            .args(&args)
            .stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&full.stderr);
        assert_eq!(full.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");

        let mut child = Command::new(bin)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before a byte is read
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

// ---------------------------------------------------------------------------
// 17: names that hold personal data
// ---------------------------------------------------------------------------

/// Item 17: file names, zip entry names and the paths in errors that hold a
/// mobile, an ID number or an e-mail were printed unmasked. They are masked
/// as values are, everywhere but an evidence table asked for with
/// `--reveal`.
#[test]
fn identifiers_in_names_are_masked_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dump/13812345678.csv", people_csv(0, 30));
    let gz = {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut e, people_csv(60, 300).as_bytes()).unwrap();
        let mut b = e.finish().unwrap();
        b.truncate(b.len() / 2);
        b
    };
    write(
        dir.path(),
        "dump/客户110105194912310021.zip",
        zip_of(&[
            (
                "zw88@qq.com/list.csv".into(),
                people_csv(30, 30).into_bytes(),
            ),
            ("15912345678.csv.gz".into(), gz),
        ]),
    );
    write(
        dir.path(),
        "dump/13712345678.bin",
        [0u8, 1, 2, 0, 0, 7, 0, 0, 0, 0],
    );
    let secrets = [
        "13812345678",
        "110105194912310021",
        "zw88@",
        "15912345678",
        "13712345678",
    ];
    let dump = dir.path().join("dump");
    let evidence = dir.path().join("e.jsonl");
    let summary_file = dir.path().join("summary.txt");
    let r = run(
        &[
            "scan",
            s(&dump),
            "--evidence",
            s(&evidence),
            "--report",
            s(&dir.path().join("r.md")),
            "--json",
            s(&dir.path().join("r.json")),
        ],
        QUICK,
    );
    std::fs::write(&summary_file, &r.stderr).unwrap();
    let report = std::fs::read_to_string(dir.path().join("r.json")).unwrap();
    let v: Value = serde_json::from_str(&report).unwrap();
    assert!(v["totals"]["records"].as_u64().unwrap() >= 60);
    assert!(!v["errors"].as_array().unwrap().is_empty(), "the cut gzip");
    assert!(
        !v["skipped"].as_array().unwrap().is_empty(),
        "the binary file"
    );
    assert!(report.contains("138****5678.csv"), "{report}");
    assert!(report.contains("!z****@qq.com/list.csv"), "{report}");
    for (what, text) in [
        ("report", report.as_str()),
        ("evidence", &std::fs::read_to_string(&evidence).unwrap()),
        (
            "case report",
            &std::fs::read_to_string(dir.path().join("r.md")).unwrap(),
        ),
        ("summary", &r.stderr),
    ] {
        for secret in secrets {
            assert!(!text.contains(secret), "{what} shows {secret}");
        }
    }
    // --reveal: the evidence table names the files as they are; the report
    // does not
    let r = run(
        &["scan", s(&dump), "--evidence", s(&evidence), "--reveal"],
        QUICK,
    );
    let table = std::fs::read_to_string(&evidence).unwrap();
    assert!(table.contains("13812345678.csv"));
    assert!(table.contains("zw88@qq.com/list.csv"));
    let report = serde_json::to_string(r.report()).unwrap();
    assert!(!report.contains("13812345678"));
    // and a message about an output path
    let r = run(
        &[
            "scan",
            s(&dump),
            "--json",
            s(&dir.path().join("no/13812345678.json")),
        ],
        QUICK,
    );
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("138****5678.json"), "{}", r.stderr);
    assert!(!r.stderr.contains("13812345678"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// 19: the tool's own report
// ---------------------------------------------------------------------------

/// Item 19: a folder scanned again with the report saved in it read the
/// report as data (a tracking record from `tool.name`, 25 records more). A
/// report is recognised whole and skipped with that reason; a file that
/// only opens like one (data after it) is read as data.
#[test]
fn the_tools_own_report_is_skipped_and_a_lookalike_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dump/people.csv", people_csv(0, 30));
    let dump = dir.path().join("dump");
    let first = dir.path().join("first.json");
    let r = run(&["scan", s(&dump), "--json", s(&first), "--quiet"], QUICK);
    assert_eq!(r.code, Some(0));
    let report = std::fs::read_to_string(&first).unwrap();
    std::fs::write(dump.join("report.json"), &report).unwrap();
    let again = run(&["scan", s(&dump)], QUICK);
    assert_eq!(again.code, Some(0), "{:?}", again.errors());
    let before: Value = serde_json::from_str(&report).unwrap();
    for key in ["bytes", "records", "pi_records", "errors"] {
        assert_eq!(
            again.report()["totals"][key],
            before["totals"][key],
            "{key}"
        );
    }
    assert_eq!(again.report()["totals"]["skipped"], 1);
    assert_eq!(again.report()["kinds"], before["kinds"]);
    let skipped = again.report()["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0]["reason"]
        .as_str()
        .unwrap()
        .contains("a report written by tiaoshu"));

    // a report with records after it is data
    let mut lookalike = report.clone();
    lookalike.push_str(&format!(
        "{{\"name\":\"{}\",\"phone\":\"{}\"}}\n",
        name(99),
        mobile(99)
    ));
    std::fs::write(dump.join("report.json"), &lookalike).unwrap();
    let r = run(&["scan", s(&dump)], QUICK);
    assert!(r.report()["skipped"].as_array().unwrap().is_empty());
    assert!(r.records() > 30);
}
