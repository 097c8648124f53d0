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
    let big = write(dir.path(), "big.csv", people_csv(0, 600_000));
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
    assert!(r["totals"]["records"].as_u64().unwrap() < 600_010);
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
