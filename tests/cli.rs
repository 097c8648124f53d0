//! The binary as a user runs it: commands, exit statuses (SPEC §6), error
//! positions, and what must never appear in output.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tiaoshu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

fn level(report: &Value, article: &str) -> String {
    report["assessment"]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["article"] == article)
        .map(|a| a["level"].as_str().unwrap().to_string())
        .unwrap()
}

fn counts_file(dir: &tempfile::TempDir, text: &str) -> String {
    let p = dir.path().join("counts.toml");
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn assess_at_the_pro_rata_boundary() {
    let dir = tempfile::tempdir().unwrap();
    // 100·25 + 10·250 = 5000: exactly w = 1.
    let at = counts_file(&dir, "[counts]\ntracking = 25\naccommodation = 250\n");
    let out = tiaoshu(&[
        "assess",
        "--counts",
        &at,
        "--json",
        "-",
        "--fail-on",
        "serious",
    ]);
    assert_eq!(out.status.code(), Some(1), "--fail-on serious reached");
    let r = json(&out);
    assert_eq!(r["schema"], "tiaoshu.report/1");
    assert_eq!(r["inputs"], serde_json::json!([]));
    assert_eq!(r["kinds"]["tracking"]["seized"], 25);
    assert_eq!(r["kinds"]["tracking"]["counted"], 25);
    assert_eq!(r["kinds"].as_object().unwrap().len(), 10);
    assert_eq!(level(&r, "253-1"), "serious");
    assert_eq!(level(&r, "286-1"), "none");
    let grounds = r["assessment"]["articles"][0]["grounds"]
        .as_array()
        .unwrap();
    assert_eq!(grounds[0]["rule"], "Interp-2017 Art.5(1)(6)");

    let below = counts_file(&dir, "[counts]\ntracking = 24\naccommodation = 250\n");
    let out = tiaoshu(&[
        "assess",
        "--counts",
        &below,
        "--json",
        "-",
        "--fail-on",
        "serious",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let r = json(&out);
    assert_eq!(level(&r, "253-1"), "none");
    assert_eq!(
        r["assessment"]["articles"][0]["next"]["items_needed"]["A"],
        1
    );

    // w = 10 exactly: especially serious.
    let ten = counts_file(&dir, "[counts]\ntracking = 250\naccommodation = 2500\n");
    let r = json(&tiaoshu(&["assess", "--counts", &ten, "--json", "-"]));
    assert_eq!(level(&r, "253-1"), "especially_serious");
    assert_eq!(level(&r, "286-1"), "serious");
}

#[test]
fn assess_reads_subject_from_the_file_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let f = counts_file(&dir, "subject = \"duty\"\n[counts]\ntracking = 25\n");
    let r = json(&tiaoshu(&["assess", "--counts", &f, "--json", "-"]));
    assert_eq!(r["assessment"]["subject"], "duty");
    assert_eq!(level(&r, "253-1"), "serious");
    let r = json(&tiaoshu(&[
        "assess",
        "--counts",
        &f,
        "--json",
        "-",
        "--subject",
        "ordinary",
    ]));
    assert_eq!(level(&r, "253-1"), "none");
    let j = dir.path().join("c.json");
    std::fs::write(&j, r#"{"illegal_gains_rmb": 5000, "counts": {}}"#).unwrap();
    let r = json(&tiaoshu(&[
        "assess",
        "--counts",
        j.to_str().unwrap(),
        "--json",
        "-",
    ]));
    assert_eq!(level(&r, "253-1"), "serious", "gains alone (item 7)");
}

#[test]
fn explain_states_the_thresholds_in_both_languages() {
    let en = tiaoshu(&["explain", "--lang", "en"]);
    assert!(en.status.success());
    let en = String::from_utf8(en.stdout).unwrap();
    for n in ["50", "500", "5,000", "50,000"] {
        assert!(
            en.contains(n) || en.contains(&n.replace(',', "")),
            "en lacks {n}"
        );
    }
    let zh = String::from_utf8(tiaoshu(&["explain", "--lang", "zh", "--article", "253-1"]).stdout)
        .unwrap();
    assert!(zh.contains("情节严重") && zh.contains("情节特别严重"));
    assert_eq!(
        tiaoshu(&["explain", "--article", "999"]).status.code(),
        Some(2)
    );
}

#[test]
fn stdin_gives_the_same_counts_as_the_file() {
    let file = root().join("fixtures/general_csv/input");
    let entry = std::fs::read_dir(&file)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let from_file = json(&tiaoshu(&[
        "scan",
        entry.to_str().unwrap(),
        "--json",
        "-",
        "-q",
    ]));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .args(["scan", "-", "--json", "-", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(&entry).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let from_stdin = json(&out);
    assert_eq!(
        common::kind_counts(&from_stdin),
        common::kind_counts(&from_file)
    );
    assert_eq!(from_stdin["inputs"][0]["path"], "<stdin>");
    assert_eq!(
        from_stdin["inputs"][0]["sha256"],
        from_file["inputs"][0]["sha256"]
    );
}

#[test]
fn bad_input_is_reported_with_position_and_still_counted() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("people.jsonl");
    std::fs::write(
        &p,
        "{\"name\":\"张伟\",\"mobile\":\"13812345678\"}\n{\"name\":\"李娜\",\"mobile\":\"13912345678\"\n{\"name\":\"王芳\",\"mobile\":\"15012345678\"}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.csv"), "").unwrap();
    std::fs::write(
        dir.path().join("photo.png"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    let out = tiaoshu(&[
        "scan",
        dir.path().to_str().unwrap(),
        dir.path().join("missing.csv").to_str().unwrap(),
        "--json",
        "-",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(2), "input errors exit 2");
    let r = json(&out);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors
        .iter()
        .any(|e| e["path"].as_str().unwrap().ends_with("missing.csv")));
    let bad = errors
        .iter()
        .find(|e| e["path"].as_str().unwrap().ends_with("people.jsonl"))
        .unwrap();
    assert_eq!(bad["position"], "line 2, byte 41"); // line 1 is 41 bytes: 张伟 is 6
                                                    // the broken line is still read: its name and phone count
    assert_eq!(r["totals"]["records"], 3);
    assert_eq!(r["kinds"]["general"]["counted"], 3);
    let skipped = r["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["reason"], "image (PNG)");
    assert_eq!(skipped[0]["sha256"].as_str().unwrap().len(), 64);
    let empty = r["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("empty.csv"))
        .unwrap();
    assert_eq!(
        (empty["records"].as_u64(), empty["errors"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["scan", "fixtures/mixed/input", "--policy", "travel=flying"],
        vec!["scan", "fixtures/mixed/input", "--policy", "nonsense"],
        vec!["scan", "fixtures/mixed/input", "--encoding", "ebcdic"],
        vec!["scan"],
        vec!["frobnicate"],
    ] {
        let out = tiaoshu(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} says why");
    }
}

#[test]
fn format_values_are_listed_and_their_aliases_accepted() {
    let out = tiaoshu(&["scan", "fixtures/mixed/input", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("csv, tsv, text, jsonl, json, sql"), "{err}");
    let counts = |format: &str, input: &str| {
        let out = tiaoshu(&["scan", input, "--format", format, "--json", "-", "--quiet"]);
        let kinds = json(&out)["kinds"].clone();
        assert!(
            kinds.as_object().is_some_and(|k| !k.is_empty()),
            "{format} {input}"
        );
        kinds
    };
    assert_eq!(
        counts("txt", "fixtures/mixed/input"),
        counts("text", "fixtures/mixed/input")
    );
    assert_eq!(
        counts("ndjson", "fixtures/jsonl_tracking/input"),
        counts("jsonl", "fixtures/jsonl_tracking/input")
    );
    // sql, missing from the help before, is a value like the others.
    assert_eq!(
        counts("sql", "fixtures/sql_mysql/input"),
        json(&tiaoshu(&[
            "scan",
            "fixtures/sql_mysql/input",
            "--json",
            "-",
            "--quiet"
        ]))["kinds"]
    );
}

#[test]
fn encoding_values_ignore_case_and_keep_their_aliases() {
    let kinds = |enc: &str| {
        let out = tiaoshu(&[
            "scan",
            "fixtures/gbk_folder/input",
            "--encoding",
            enc,
            "--json",
            "-",
            "--quiet",
        ]);
        assert_eq!(out.status.code(), Some(0), "{enc}");
        json(&out)["kinds"].clone()
    };
    let gbk = kinds("gbk");
    for enc in ["GBK", "gb18030", "GB2312", "cp936"] {
        assert_eq!(kinds(enc), gbk, "{enc}");
    }
    // The encoding is applied: GBK bytes read as UTF-16 are errors.
    let out = tiaoshu(&[
        "scan",
        "fixtures/gbk_folder/input",
        "--encoding",
        "UTF-16LE",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(kinds("UTF8"), kinds("utf-8"));
}

#[test]
fn fail_on_levels() {
    let run = |fail_on: &str| {
        tiaoshu(&["scan", "fixtures/mixed/input", "-q", "--fail-on", fail_on])
            .status
            .code()
    };
    assert_eq!(run("none"), Some(0));
    assert_eq!(run("serious"), Some(1));
    assert_eq!(run("especially-serious"), Some(0));
}

#[test]
fn policies_and_their_effects_are_reported() {
    let r = json(&tiaoshu(&[
        "scan",
        "fixtures/travel/input",
        "--json",
        "-",
        "-q",
    ]));
    assert_eq!(r["policies"]["travel"], "other_safety");
    assert_eq!(r["policies"]["basis"], "counted");
    let travel = r["policy_effects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["policy"] == "travel")
        .unwrap()
        .clone();
    assert_eq!(travel["records"], r["kinds"]["other_safety"]["seized"]);
    let r = json(&tiaoshu(&[
        "scan",
        "fixtures/jsonl_tracking/input",
        "--json",
        "-",
        "-q",
        "--policy",
        "track_unit=person",
    ]));
    assert_eq!(r["kinds"]["tracking"]["persons"], 5);
    assert_eq!(
        r["assessment"]["basis_counts"]["A"], 5,
        "the assessment counts persons"
    );
    let r = json(&tiaoshu(&[
        "scan",
        "fixtures/general_csv/input",
        "--json",
        "-",
        "-q",
        "--basis",
        "seized",
    ]));
    assert_eq!(
        r["assessment"]["basis_counts"]["C"],
        r["kinds"]["general"]["seized"]
    );
}

/// No personal data in any output without --reveal: no digit run long
/// enough to be a phone, ID or card, no e-mail address, no input name.
#[test]
fn no_personal_data_in_output() {
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("r.json");
    // a damaged SQL dump: its error messages quote the input, masked
    let bad_sql = dir.path().join("bad.sql");
    std::fs::write(
        &bad_sql,
        "INSERT INTO t VALUES (1,'张伟') 13812345678 zw@example.com (2,'王芳'),\n(3,'李娜' 110101199003071234;\n",
    )
    .unwrap();
    let out = tiaoshu(&[
        "scan",
        "fixtures/mixed/input",
        "fixtures/gbk_folder/input",
        "fixtures/all_formats/input",
        bad_sql.to_str().unwrap(),
        "--json",
        json_path.to_str().unwrap(),
    ]);
    let mut text = String::from_utf8(out.stdout).unwrap();
    text.push_str(&String::from_utf8(out.stderr).unwrap());
    let report = std::fs::read_to_string(&json_path).unwrap();
    // sha256 digests are hex, not PI: drop them before looking for digit runs
    let report: String = report
        .lines()
        .filter(|l| !l.contains("\"sha256\""))
        .collect::<Vec<_>>()
        .join("\n");
    text.push_str(&report);
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        assert!(run < 11, "a long digit run in the output");
    }
    assert!(
        !text.contains("@example"),
        "an e-mail address in the output"
    );
    for name in ["张伟", "王芳", "李娜"] {
        assert!(!text.contains(name), "a name in the output");
    }
}

#[test]
fn patterns_dir_adds_a_detector_and_patterns_commands_work() {
    let dir = tempfile::tempdir().unwrap();
    let pat = dir.path().join("pat");
    std::fs::create_dir(&pat).unwrap();
    std::fs::write(
        pat.join("school.toml"),
        r#"
[[detector]]
id = "student_id"
label = "student number (学号)"
class = "identifier"
validator = "regex"
regex = '^S\d{8}$'
headers = ["学号", "student_no"]
examples = ["S20230001"]
negative_examples = ["S2023"]
"#,
    )
    .unwrap();
    let data = dir.path().join("students.csv");
    std::fs::write(&data, "学号,备注\nS20230001,a\nS20230002,b\nS2023,c\n").unwrap();
    let without = json(&tiaoshu(&[
        "scan",
        data.to_str().unwrap(),
        "--json",
        "-",
        "-q",
    ]));
    assert_eq!(without["totals"]["pi_records"], 0);
    let with = json(&tiaoshu(&[
        "scan",
        data.to_str().unwrap(),
        "--json",
        "-",
        "-q",
        "--patterns",
        pat.to_str().unwrap(),
    ]));
    assert_eq!(with["totals"]["pi_records"], 3);
    assert_eq!(
        with["kinds"]["general"]["invalid"], 1,
        "S2023 fails the pattern"
    );
    assert_eq!(with["kinds"]["general"]["counted"], 2);

    let test = tiaoshu(&[
        "patterns",
        "test",
        pat.join("school.toml").to_str().unwrap(),
    ]);
    assert_eq!(
        test.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&test.stdout)
    );
    assert!(String::from_utf8_lossy(&test.stdout).contains("2 passed, 0 failed"));
    std::fs::write(
        pat.join("bad.toml"),
        "[[detector]]\nid = \"x\"\nclass = \"identifier\"\nvalidator = \"mobile\"\nexamples = [\"hello\"]\n",
    )
    .unwrap();
    let bad = tiaoshu(&["patterns", "test", pat.join("bad.toml").to_str().unwrap()]);
    assert_ne!(
        bad.status.code(),
        Some(0),
        "an unknown validator or a failing example fails"
    );

    let check = tiaoshu(&["patterns", "check", "13812345678"]);
    let out = String::from_utf8(check.stdout).unwrap();
    assert!(
        out.contains("138****5678") && out.contains("mobile: valid"),
        "{out}"
    );
    assert!(!out.contains("13812345678"), "masked unless --reveal");
    let list = String::from_utf8(tiaoshu(&["patterns", "list"]).stdout).unwrap();
    assert!(list.contains("resident_id") && list.contains("accommodation"));
}

/// Inputs from the first review of the scanner, each of which used to lose
/// or mis-count records.
mod review_regressions {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(s).0.into_owned()
    }

    fn scan_dir(dir: &std::path::Path, extra: &[&str]) -> Value {
        let mut args = vec!["scan", dir.to_str().unwrap(), "--json", "-", "-q"];
        args.extend_from_slice(extra);
        json(&tiaoshu(&args))
    }

    #[test]
    fn gbk_trail_bytes_are_not_structure() {
        let dir = tempfile::tempdir().unwrap();
        // 淺 ends in the byte of `\`, 瑋 in the byte of `|`
        std::fs::write(
            dir.path().join("a.json"),
            gbk(r#"[{"name":"张淺","mobile":"13812345678"},{"name":"李瑋","mobile":"13912345678"},{"name":"王芳","mobile":"15012345678"}]"#),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.csv"),
            gbk("姓名|手机号\n张瑋|13712345678\n李淺|13612345678\n"),
        )
        .unwrap();
        let r = scan_dir(dir.path(), &[]);
        assert_eq!(r["totals"]["records"], 5);
        assert_eq!(r["kinds"]["general"]["counted"], 5);
        assert_eq!(r["totals"]["errors"], 0);
    }

    #[test]
    fn one_stray_byte_keeps_a_utf8_file_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let mut data = "姓名,地址\n张三,北京市朝阳区建国路88号\n李四,上海市浦东新区世纪大道1号\n"
            .as_bytes()
            .to_vec();
        data.extend(b"\xff\xfe\n");
        std::fs::write(dir.path().join("a.csv"), data).unwrap();
        let r = scan_dir(dir.path(), &[]);
        assert_eq!(r["inputs"][0]["encoding"], "utf-8");
        assert_eq!(
            r["kinds"]["general"]["counted"], 2,
            "name + address rows still read"
        );
        assert_eq!(r["totals"]["errors"], 1, "the stray bytes are reported");
    }

    #[test]
    fn leak_lines_keep_coordinates_and_ragged_csv_keeps_its_header() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("g.txt"),
            "13812345678----39.904211,116.407395----2023-01-01 10:00:00\n13812345678----39.904211,116.407395----2023-01-01 18:00:00\n",
        )
        .unwrap();
        let mut rows = String::from("姓名,银行卡号,密码\n");
        for i in 0..12 {
            rows.push_str(&format!(
                "张伟,6222020200112233446,{i}{}\n",
                if i == 3 { "," } else { "" }
            ));
        }
        std::fs::write(dir.path().join("r.csv"), rows).unwrap();
        let r = scan_dir(dir.path(), &[]);
        assert_eq!(
            r["kinds"]["tracking"]["counted"], 2,
            "two times, two points"
        );
        assert_eq!(
            r["kinds"]["property"]["seized"], 12,
            "card + password under a header"
        );
    }

    #[test]
    fn a_header_with_a_name_like_column_is_a_header() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("h.csv"), "姓名,手机号,经度,纬度,时间\n张三,13812345678,116.407412,39.904212,2023-01-01 10:00:00\n").unwrap();
        let r = scan_dir(dir.path(), &[]);
        assert_eq!(r["totals"]["records"], 1);
        assert_eq!(r["kinds"]["tracking"]["counted"], 1);
    }

    #[test]
    fn an_unclosed_quote_is_reported_and_the_rest_still_counts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("q.csv"),
            "姓名,手机号\n\"张三,13812345678\n李四,13912345678\n王五,15012345678\n",
        )
        .unwrap();
        let r = scan_dir(dir.path(), &[]);
        assert_eq!(r["totals"]["records"], 3);
        assert_eq!(r["totals"]["errors"], 1);
        assert!(r["kinds"]["general"]["counted"].as_u64().unwrap() >= 2);
    }

    #[test]
    fn obtained_then_sold_is_not_counted_twice_and_a_file_named_twice_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let data = "姓名,手机号\n张三,13812345678\n李四,13912345678\n";
        std::fs::create_dir_all(dir.path().join("sold/a")).unwrap();
        std::fs::write(dir.path().join("all.csv"), data).unwrap();
        std::fs::write(dir.path().join("sold/a/x.csv"), data).unwrap();
        let case = dir.path().join("case.toml");
        std::fs::write(
            &case,
            "[[recipients]]\nname = \"A\"\npaths = [\"sold/a/**\"]\n",
        )
        .unwrap();
        let r = scan_dir(dir.path(), &["--case", case.to_str().unwrap()]);
        assert_eq!(r["kinds"]["general"]["counted"], 2);
        let a = dir.path().join("all.csv");
        let dotted = format!("{}/./all.csv", dir.path().display());
        let r = json(&tiaoshu(&[
            "scan",
            a.to_str().unwrap(),
            &dotted,
            "--json",
            "-",
            "-q",
        ]));
        assert_eq!(r["inputs"].as_array().unwrap().len(), 1);
        assert_eq!(r["kinds"]["general"]["seized"], 2);
    }
}

/// Every input's SHA-256 is the file's, whichever way it was read: mapped
/// (with and without a byte-order mark, UTF-8 and GBK), streamed (gzip),
/// or an archive.
#[test]
fn input_hashes_are_the_files_sha256() {
    use std::io::Write;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The digest `sha256sum` gives for a file, or for bytes on its input.
    let sha256sum = |file: &str, bytes: Option<&[u8]>| -> String {
        let mut cmd = Command::new("sha256sum");
        cmd.current_dir(root).stdout(std::process::Stdio::piped());
        let out = match bytes {
            None => cmd.arg(file).output().unwrap(),
            Some(b) => {
                let mut child = cmd
                    .arg("-")
                    .stdin(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                child.stdin.take().unwrap().write_all(b).unwrap();
                child.wait_with_output().unwrap()
            }
        };
        assert!(out.status.success(), "sha256sum {file}");
        String::from_utf8(out.stdout).unwrap()[..64].to_string()
    };
    for dir in [
        "fixtures/mixed/input",
        "fixtures/gbk_folder/input",
        "fixtures/all_formats/input",
        "fixtures/zip_gz_csv/input",
        "fixtures/arrow_ipc/input",
        "fixtures/parquet_struct/input",
        "fixtures/xlsx_two_sheets/input",
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
            .args(["scan", dir, "--json", "-", "-q"])
            .current_dir(root)
            .output()
            .unwrap();
        let report = json(&out);
        let mut checked = 0;
        for section in ["inputs", "archives", "skipped"] {
            for input in report[section].as_array().unwrap() {
                let path = input["path"].as_str().unwrap();
                // An archive entry (`a.zip!inner/b.csv`, nested zips too):
                // its bytes as the zip crate extracts them.
                let mut parts = path.split('!');
                let file = parts.next().unwrap();
                let want = if path.contains('!') {
                    let mut bytes = std::fs::read(root.join(file)).unwrap();
                    for entry in parts {
                        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                        let mut inner = Vec::new();
                        std::io::Read::read_to_end(&mut zip.by_name(entry).unwrap(), &mut inner)
                            .unwrap();
                        bytes = inner;
                    }
                    sha256sum(path, Some(&bytes))
                } else {
                    sha256sum(file, None)
                };
                assert_eq!(input["sha256"], want.as_str(), "{path}");
                checked += 1;
            }
        }
        assert!(checked >= 1, "{dir}: {checked} files checked");
    }
}
