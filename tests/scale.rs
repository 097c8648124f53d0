//! The scan at scale: the same JSON, byte for byte, whatever the thread
//! count, the order of the paths and the memory limit of the dedup; spilled
//! dedup keys never outlive the scan; the progress bar only on a terminal.
//!
//! The dataset is written here, deterministically: several files and formats
//! with records repeated inside and across files, so dedup has work to do.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn tiaoshu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
}

/// xorshift64: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"];

fn name(i: u64) -> String {
    format!(
        "{}{}{}",
        SURNAMES[(i % 10) as usize],
        GIVEN[(i / 10 % 10) as usize],
        GIVEN[(i / 100 % 10) as usize]
    )
}

fn mobile(i: u64) -> String {
    format!("138{:08}", i % 100_000_000)
}

/// A valid 18-digit resident ID.
fn resident_id(i: u64) -> String {
    common::with_check_char(&format!(
        "110105{}{:02}{:02}{:03}",
        1950 + i % 50,
        1 + i % 12,
        1 + i % 28,
        i % 1000
    ))
}

/// One record's values: which person (`p`) and which kind of row.
fn row(p: u64) -> (String, String, String, String) {
    (
        name(p),
        mobile(p * 7 + 3),
        resident_id(p),
        format!("2024-03-{:02} 10:{:02}:00", 1 + p % 28, p % 60),
    )
}

/// Writes the dataset; returns its directory. `scale` multiplies its size.
fn dataset(dir: &Path, scale: u64) -> PathBuf {
    let root = dir.join("data");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    let mut rng = Rng(0x5eed);
    // persons are drawn from a pool smaller than the records: repeats
    let mut pick = |n: u64| rng.next() % n;
    let pool = 3000 * scale;

    let mut general = String::from("序号,姓名,手机号,地址\n");
    for i in 0..4000 * scale {
        let p = pick(pool);
        let (n, m, _, _) = row(p);
        general += &format!("{i},{n},{m},北京市朝阳区建国路{}号\n", p % 500);
    }
    std::fs::write(root.join("general.csv"), general).unwrap();

    // quoted fields and CRLF: the csv crate path
    let mut hotel = String::from("\"姓名\",\"身份证号\",\"酒店名称\",\"入住时间\"\r\n");
    for _ in 0..2500 * scale {
        let p = pick(pool);
        let (n, _, id, t) = row(p);
        hotel += &format!("\"{n}\",\"{id}\",\"如家酒店, 北京店\",\"{t}\"\r\n");
    }
    std::fs::write(root.join("sub/hotel.csv"), hotel).unwrap();

    let mut track = String::new();
    for _ in 0..2500 * scale {
        let p = pick(pool);
        let (n, m, _, t) = row(p);
        track += &format!(
            "{{\"姓名\":\"{n}\",\"手机号\":\"{m}\",\"位置\":{{\"经度\":116.{:06},\"纬度\":39.{:06}}},\"定位时间\":\"{t}\"}}\n",
            p % 999_999,
            (p * 3) % 999_999
        );
    }
    std::fs::write(root.join("sub/track.jsonl"), track).unwrap();

    // GBK leak text
    let mut leak = String::new();
    for _ in 0..2000 * scale {
        let p = pick(pool);
        let (n, m, id, _) = row(p);
        leak += &format!("{n}----{m}----{id}\n");
    }
    let (gbk, _, _) = encoding_rs::GBK.encode(&leak);
    std::fs::write(root.join("leak.txt"), &gbk).unwrap();

    // the general file again, compressed: every record a repeat
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read(root.join("general.csv")).unwrap())
        .unwrap();
    std::fs::write(root.join("copy.csv.gz"), gz.finish().unwrap()).unwrap();
    root
}

fn paths(root: &Path) -> Vec<String> {
    [
        "general.csv",
        "sub/hotel.csv",
        "sub/track.jsonl",
        "leak.txt",
        "copy.csv.gz",
    ]
    .iter()
    .map(|p| root.join(p).display().to_string())
    .collect()
}

fn scan(paths: &[String], extra: &[&str]) -> Output {
    tiaoshu()
        .arg("scan")
        .args(paths)
        .args(extra)
        .args(["--json", "-"])
        .output()
        .unwrap()
}

#[test]
fn json_is_byte_identical_for_any_threads_path_order_and_memory_limit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dataset(dir.path(), 1);
    let files = paths(&root);
    let base = scan(&files, &["--threads", "1", "--quiet"]);
    assert_eq!(
        base.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&base.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&base.stdout).unwrap();
    assert_eq!(report["totals"]["records"], 4000 * 2 + 2500 * 2 + 2000);
    let dup: u64 = report["kinds"]
        .as_object()
        .unwrap()
        .values()
        .map(|k| k["duplicate"].as_u64().unwrap())
        .sum();
    assert!(dup > 4000, "the gz copy repeats every record: {dup}");

    // Paths in shuffled orders (fixed permutations), several thread counts.
    let orders: [[usize; 5]; 3] = [[4, 2, 0, 3, 1], [1, 3, 4, 0, 2], [2, 0, 1, 4, 3]];
    for (k, order) in orders.iter().enumerate() {
        let shuffled: Vec<String> = order.iter().map(|&i| files[i].clone()).collect();
        for threads in ["1", "2", "8"] {
            let out = scan(&shuffled, &["--threads", threads, "--quiet"]);
            assert!(
                out.stdout == base.stdout,
                "order #{k} with --threads {threads} gives other JSON"
            );
        }
    }

    // A memory limit far below the dedup table: keys spill to disk, the JSON
    // is the same, and the spill directory is gone afterwards.
    let temp = dir.path().join("spill");
    std::fs::create_dir(&temp).unwrap();
    let temp_arg = temp.display().to_string();
    let out = scan(
        &files,
        &[
            "--threads",
            "2",
            "--max-memory",
            "1K",
            "--temp-dir",
            &temp_arg,
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("keys went to disk"),
        "the dedup spilled: {stderr}"
    );
    assert!(out.stdout == base.stdout, "spilling changes nothing");
    assert_eq!(
        std::fs::read_dir(&temp).unwrap().count(),
        0,
        "spill files removed"
    );
}

#[test]
fn an_interrupted_scan_leaves_no_spill_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dataset(dir.path(), 40);
    let temp = dir.path().join("spill");
    std::fs::create_dir(&temp).unwrap();
    let mut child = tiaoshu()
        .arg("scan")
        .args(paths(&root))
        .args([
            "--threads",
            "1",
            "--max-memory",
            "1K",
            "--quiet",
            "--json",
            "/dev/null",
        ])
        .arg("--temp-dir")
        .arg(&temp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the spill directory to hold files, then interrupt.
    let start = Instant::now();
    let spilling = loop {
        let files: usize = std::fs::read_dir(&temp)
            .unwrap()
            .flatten()
            .map(|d| std::fs::read_dir(d.path()).map_or(0, |f| f.count()))
            .sum();
        if files > 0 {
            break true;
        }
        if start.elapsed() > Duration::from_secs(60) || child.try_wait().unwrap().is_some() {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(spilling, "the scan spilled before it ended");
    let status = common::interrupt(&mut child);
    assert_eq!(status.code(), Some(130), "exit status after Ctrl-C");
    assert_eq!(
        std::fs::read_dir(&temp).unwrap().count(),
        0,
        "the interrupted scan removed its spill directory"
    );
}

#[test]
fn a_progress_bar_only_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let root = dataset(dir.path(), 1);
    let json = dir.path().join("r.json").display().to_string();
    // stderr is a pipe: nothing on it (the summary goes to stdout).
    let out = tiaoshu()
        .arg("scan")
        .args(paths(&root))
        .args(["--json", &json])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Under a pseudo-terminal (util-linux `script`), the bar is drawn, and
    // --quiet turns it off.
    let Ok(script) = which("script") else {
        eprintln!("no `script`: terminal part skipped");
        return;
    };
    let command = |quiet: &str| {
        let cmd = format!(
            "{} scan {} --json {json} {quiet}",
            env!("CARGO_BIN_EXE_tiaoshu"),
            paths(&root).join(" ")
        );
        let log = dir.path().join("tty.log");
        let status = Command::new(&script)
            .args(["-qec", &cmd])
            .arg(&log)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        String::from_utf8_lossy(&std::fs::read(log).unwrap()).into_owned()
    };
    let shown = command("");
    assert!(shown.contains("ETA"), "bar drawn on a terminal: {shown:?}");
    assert!(shown.contains("records"), "{shown:?}");
    let quiet = command("--quiet");
    assert!(!quiet.contains("ETA"), "--quiet: {quiet:?}");
}

fn which(program: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(program))
                .find(|p| p.is_file())
        })
        .ok_or(())
}
