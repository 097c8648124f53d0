//! Runs the binary on every labelled dataset in `fixtures/` and compares the
//! report with the expected numbers, which `fixtures/make_fixtures.py` worked
//! out from how it built each dataset (not from the tool's output).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn datasets() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.json").exists())
        .collect();
    v.sort();
    v
}

/// Runs `tiaoshu scan` on a dataset with its extra args; returns the report.
pub fn scan(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let mut args: Vec<String> = vec!["scan".into(), dir.join("input").display().to_string()];
    let args_file = dir.join("args.json");
    if args_file.exists() {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(args_file).unwrap()).unwrap();
        for a in v["args"].as_array().unwrap() {
            args.push(a.as_str().unwrap().to_string());
        }
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(["--json".into(), "-".into(), "--quiet".into()]);
    let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .args(&args)
        .current_dir(root())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON ({e}): {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, out.status.code().unwrap_or(-1))
}

/// The differences between a report and an expected.json, as readable lines.
fn differences(report: &Value, expected: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    for key in ["records", "pi_records", "masked", "bare", "errors"] {
        if report["totals"][key] != expected["totals"][key] {
            diffs.push(format!(
                "totals.{key}: got {} want {}",
                report["totals"][key], expected["totals"][key]
            ));
        }
    }
    for (kind, want) in expected["kinds"].as_object().unwrap() {
        for field in ["seized", "invalid", "duplicate", "counted"] {
            let got = &report["kinds"][kind][field];
            if got != &want[field] {
                diffs.push(format!(
                    "kinds.{kind}.{field}: got {got} want {}",
                    want[field]
                ));
            }
        }
    }
    if let Some(want) = expected.get("skipped") {
        let got = report["skipped"].as_array().map_or(0, Vec::len);
        if Some(got as u64) != want.as_u64() {
            diffs.push(format!("skipped: got {got} want {want}"));
        }
    }
    if let Some(want) = expected.get("inputs").and_then(Value::as_array) {
        // Paths relative to the dataset's input folder, in scan order.
        let got: Vec<Value> = report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let path = i["path"].as_str().unwrap().replace('\\', "/");
                let rel = path.split_once("/input/").map_or(path.as_str(), |(_, r)| r);
                serde_json::json!({
                    "path": rel,
                    "format": i["format"],
                    "records": i["records"],
                    "errors": i["errors"],
                })
            })
            .collect();
        if &got != want {
            diffs.push(format!(
                "inputs:\n    got  {}\n    want {}",
                Value::Array(got),
                Value::Array(want.clone())
            ));
        }
    }
    for a in report["assessment"]["articles"].as_array().unwrap() {
        let article = a["article"].as_str().unwrap();
        if a["level"] != expected["levels"][article] {
            diffs.push(format!(
                "level {article}: got {} want {}",
                a["level"], expected["levels"][article]
            ));
        }
    }
    diffs
}

#[test]
fn every_fixture_matches_its_expected_report() {
    let mut failures = Vec::new();
    let sets = datasets();
    assert!(
        sets.len() >= 12,
        "at least 12 labelled datasets, found {}",
        sets.len()
    );
    for dir in &sets {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap();
        let (report, _) = scan(dir, &[]);
        let diffs = differences(&report, &expected);
        if !diffs.is_empty() {
            failures.push(format!(
                "{}:\n  {}",
                dir.file_name().unwrap().to_string_lossy(),
                diffs.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        sets.len(),
        failures.join("\n")
    );
}

#[test]
fn results_do_not_depend_on_threads_chunking_or_path_order() {
    let dir = root().join("fixtures/mixed/input");
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("tool");
        v
    };
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
            .arg("scan")
            .args(args)
            .args(["--json", "-", "--quiet"])
            .current_dir(root())
            .output()
            .unwrap();
        strip(serde_json::from_slice::<Value>(&out.stdout).unwrap())
    };
    let sub = |p: &str| dir.join(p).display().to_string();
    let paths = [
        sub("people.csv"),
        sub("leak"),
        sub("hotel"),
        sub("gps"),
        sub("orders.json"),
        sub("chat.csv"),
    ];
    let mut reversed = paths.clone();
    reversed.reverse();
    let args: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .chain(["--threads", "1"])
        .collect();
    let base = run(&args);
    for extra in [
        vec!["--threads", "2"],
        vec!["--threads", "8"],
        vec!["--threads", "3", "--chunk-bytes", "97"],
        vec!["--threads", "2", "--chunk-bytes", "1"],
    ] {
        let args: Vec<&str> = paths
            .iter()
            .map(String::as_str)
            .chain(extra.iter().copied())
            .collect();
        assert_eq!(run(&args), base, "{extra:?}");
    }
    let args: Vec<&str> = reversed
        .iter()
        .map(String::as_str)
        .chain(["--threads", "2"])
        .collect();
    assert_eq!(run(&args), base, "reversed path order");
}

/// Archives, workbooks, columnar files and SQL go through other readers:
/// their results must not depend on threads, chunking or path order either.
#[test]
fn every_format_at_once_is_deterministic() {
    let dir = root().join("fixtures/all_formats/input");
    let run = |paths: &[String], extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
            .arg("scan")
            .args(paths)
            .args(extra)
            .args(["--json", "-", "--quiet"])
            .current_dir(root())
            .output()
            .unwrap();
        let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_object_mut().unwrap().remove("tool");
        v
    };
    let mut paths: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    paths.sort();
    let base = run(&paths, &["--threads", "1"]);
    assert!(base["totals"]["records"].as_u64().unwrap() > 1000);
    for extra in [
        &["--threads", "2"][..],
        &["--threads", "8"],
        &["--threads", "3", "--chunk-bytes", "97"],
        &["--threads", "2", "--chunk-bytes", "1"],
    ] {
        assert_eq!(run(&paths, extra), base, "{extra:?}");
    }
    paths.reverse();
    assert_eq!(
        run(&paths, &["--threads", "2"]),
        base,
        "reversed path order"
    );
}
