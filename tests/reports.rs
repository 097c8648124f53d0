//! Case-file reports, the evidence table and masking (issue 5): run the
//! binary on the fixtures and check what a prosecutor, a judge and a
//! defence lawyer would rely on.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name).join("input")
}

/// Runs the binary from the project root (so paths in outputs are relative).
fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run tiaoshu")
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Reads every row of a Parquet file as column → text (null as "").
fn parquet_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::UInt64Type;
    use arrow_array::Array;
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let schema = batch.schema();
        for r in 0..batch.num_rows() {
            let mut row = BTreeMap::new();
            for (i, f) in schema.fields().iter().enumerate() {
                let col = batch.column(i);
                let v = if col.is_null(r) {
                    String::new()
                } else if let Some(s) = col.as_string_opt::<i32>() {
                    s.value(r).to_string()
                } else {
                    col.as_primitive::<UInt64Type>().value(r).to_string()
                };
                row.insert(f.name().clone(), v);
            }
            rows.push(row);
        }
    }
    rows
}

fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            head.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn jsonl_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| {
                    let s = match v {
                        Value::Null => String::new(),
                        Value::String(s) => s.clone(),
                        v => v.to_string(),
                    };
                    (k.clone(), s)
                })
                .collect()
        })
        .collect()
}

/// Checks an evidence table against the report it came with: one row per
/// PI record, statuses adding up to the kinds table, every duplicate
/// pointing at an earlier counted row with the same key, every counted
/// key once per recipient.
fn check_evidence(rows: &[BTreeMap<String, String>], report: &Value) {
    assert_eq!(
        rows.len() as u64,
        report["totals"]["pi_records"].as_u64().unwrap(),
        "one evidence row per PI record"
    );
    let mut by_kind: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut counted: HashSet<(String, String)> = HashSet::new();
    let mut counted_at: HashSet<(String, String, String)> = HashSet::new();
    for row in rows {
        *by_kind
            .entry((row["kind"].clone(), row["status"].clone()))
            .or_default() += 1;
        let group = row["recipient"].clone();
        match row["status"].as_str() {
            "counted" => {
                assert!(
                    counted.insert((group.clone(), row["key"].clone())),
                    "a key is counted once per recipient: {row:?}"
                );
                counted_at.insert((group, row["path"].clone(), row["position"].clone()));
                assert!(row["first_path"].is_empty());
            }
            "duplicate" => {
                assert!(
                    counted.contains(&(group.clone(), row["key"].clone())),
                    "a duplicate comes after the counted row of its key: {row:?}"
                );
                assert!(
                    counted_at.contains(&(
                        group,
                        row["first_path"].clone(),
                        row["first_position"].clone()
                    )),
                    "a duplicate names its first occurrence: {row:?}"
                );
            }
            "invalid" => {
                assert!(
                    !row["reason"].is_empty(),
                    "an invalid row says why: {row:?}"
                );
                assert!(row["key"].is_empty());
            }
            s => panic!("status {s:?}"),
        }
        assert!(!row["path"].is_empty() && !row["position"].is_empty());
        assert!(!row["line"].is_empty() || !row["row"].is_empty(), "{row:?}");
        assert_eq!(row["tier"], report["kinds"][&row["kind"]]["tier"]);
    }
    for (kind, k) in report["kinds"].as_object().unwrap() {
        for status in ["counted", "invalid", "duplicate"] {
            assert_eq!(
                by_kind
                    .get(&(kind.clone(), status.to_string()))
                    .copied()
                    .unwrap_or(0),
                k[status].as_u64().unwrap(),
                "{kind} {status}"
            );
        }
    }
}

#[test]
fn evidence_rows_equal_pi_records_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, extra) in [
        ("mixed", &[][..]),
        ("zip_gz_csv", &[][..]),
        ("xlsx_two_sheets", &[][..]),
        ("cross_dup", &[][..]),
        (
            "recipients",
            &["--case", "fixtures/recipients/case.toml"][..],
        ),
    ] {
        let input = fixture(folder);
        let report = dir.path().join(format!("{folder}.json"));
        let mut tables = Vec::new();
        for ext in ["parquet", "csv", "jsonl"] {
            let out = dir.path().join(format!("{folder}.{ext}"));
            let mut args = vec![
                "scan".to_string(),
                rel(&input),
                "--json".into(),
                report.display().to_string(),
                "--evidence".into(),
                out.display().to_string(),
                "-q".into(),
            ];
            args.extend(extra.iter().map(|s| s.to_string()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = run(&args);
            assert!(
                o.status.code() == Some(0),
                "{folder}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            tables.push((ext, out));
        }
        let report = json(&report);
        for (ext, out) in &tables {
            let rows = match *ext {
                "parquet" => parquet_rows(out),
                "csv" => csv_rows(out),
                _ => jsonl_rows(out),
            };
            check_evidence(&rows, &report);
        }
        // The three formats hold the same rows.
        {
            let p = parquet_rows(&tables[0].1);
            let c = csv_rows(&tables[1].1);
            let j = jsonl_rows(&tables[2].1);
            assert_eq!(p, c, "{folder}: parquet = csv");
            assert_eq!(c, j, "{folder}: csv = jsonl");
        }
    }
}

#[test]
fn evidence_does_not_depend_on_threads_or_chunking() {
    let dir = tempfile::tempdir().unwrap();
    let input = rel(&fixture("mixed"));
    let mut tables = Vec::new();
    for (i, extra) in [
        &["--threads", "1"][..],
        &["--threads", "4", "--chunk-bytes", "97"][..],
    ]
    .iter()
    .enumerate()
    {
        let out = dir.path().join(format!("e{i}.csv"));
        let mut args = vec!["scan", &input, "--evidence", out.to_str().unwrap(), "-q"];
        args.extend_from_slice(extra);
        assert_eq!(run(&args).status.code(), Some(0));
        tables.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(tables[0], tables[1]);
}

#[test]
fn evidence_is_the_same_when_its_sorts_spill_to_disk() {
    // 5,020 records in a.csv and again in b.csv (each a duplicate of its
    // first occurrence in a.csv), and a workbook (row places with sheet
    // names): over 10,000 valid rows. At --max-memory 4K each of the
    // table's sorts holds 1,024 records (its floor) and writes the rest in
    // runs; at 1G it holds them all.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let people = fixture("general_5000").join("people.csv");
    for name in ["a.csv", "b.csv"] {
        std::fs::copy(&people, input.join(name)).unwrap();
    }
    std::fs::copy(
        fixture("xlsx_two_sheets").join("book.xlsx"),
        input.join("book.xlsx"),
    )
    .unwrap();
    let mut tables = Vec::new();
    for memory in ["4K", "1G"] {
        let table = dir.path().join(format!("e-{memory}.csv"));
        let report = dir.path().join(format!("r-{memory}.json"));
        let out = run(&[
            "scan",
            input.to_str().unwrap(),
            "--json",
            report.to_str().unwrap(),
            "--evidence",
            table.to_str().unwrap(),
            "--max-memory",
            memory,
            "-q",
        ]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let report = json(&report);
        assert_eq!(report["errors"], serde_json::json!([]), "{memory}");
        let rows = csv_rows(&table);
        check_evidence(&rows, &report);
        assert!(report["kinds"]["general"]["duplicate"].as_u64().unwrap() >= 5020);
        // Each duplicate in b.csv names its line in a.csv (or an earlier
        // one: a.csv repeats 10 of its own records).
        let line = |r: &BTreeMap<String, String>, c: &str| r[c].parse::<u64>().unwrap();
        let from_b = rows
            .iter()
            .filter(|r| r["path"].ends_with("b.csv") && r["status"] == "duplicate")
            .inspect(|r| {
                assert!(r["first_path"].ends_with("a.csv"), "{r:?}");
                assert!(line(r, "first_line") <= line(r, "line"), "{r:?}");
            })
            .count();
        assert!(from_b >= 5000, "{from_b}");
        tables.push(std::fs::read(&table).unwrap());
    }
    assert_eq!(
        tables[0], tables[1],
        "the table does not depend on --max-memory"
    );
}

#[test]
fn evidence_loads_in_pyarrow() {
    // CI installs pyarrow (.ci/run) and sets TIAOSHU_REQUIRE_PYARROW.
    let has = Command::new("python3")
        .args(["-c", "import pyarrow.parquet"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has {
        assert!(
            std::env::var_os("TIAOSHU_REQUIRE_PYARROW").is_none(),
            "pyarrow is required here"
        );
        eprintln!("skipped: python3 with pyarrow is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e.parquet");
    let json_out = dir.path().join("r.json");
    let o = run(&[
        "scan",
        &rel(&fixture("mixed")),
        "--evidence",
        out.to_str().unwrap(),
        "--json",
        json_out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let script = r#"
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
d = t.to_pydict()
counts = {}
for kind, status in zip(d["kind"], d["status"]):
    counts[kind + "/" + status] = counts.get(kind + "/" + status, 0) + 1
print(json.dumps({"rows": t.num_rows, "columns": t.column_names, "counts": counts}))
"#;
    let o = Command::new("python3")
        .args(["-c", script, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let report = json(&json_out);
    assert_eq!(v["rows"], report["totals"]["pi_records"]);
    assert_eq!(v["columns"][0], "path");
    assert_eq!(
        v["counts"]["general/counted"],
        report["kinds"]["general"]["counted"]
    );
    assert_eq!(
        v["counts"]["tracking/duplicate"],
        report["kinds"]["tracking"]["duplicate"]
    );
}

#[test]
fn a_report_from_the_saved_json_is_the_report_of_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).display().to_string();
    let input = rel(&fixture("mixed"));
    for lang in ["zh", "en"] {
        for ext in ["html", "md"] {
            let direct = d(&format!("direct.{lang}.{ext}"));
            let saved = d("r.json");
            let o = run(&[
                "scan", &input, "--json", &saved, "--report", &direct, "--lang", lang, "-q",
            ]);
            assert_eq!(o.status.code(), Some(0));
            let later = d(&format!("later.{lang}.{ext}"));
            let flag = if ext == "html" { "--html" } else { "--md" };
            let o = run(&["report", &saved, flag, &later, "--lang", lang]);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert_eq!(
                std::fs::read(&direct).unwrap(),
                std::fs::read(&later).unwrap(),
                "{lang} {ext}"
            );
        }
    }
    // Not a report: a clear error, exit 2.
    let bad = d("bad.json");
    std::fs::write(&bad, "{\"schema\": \"other\"}").unwrap();
    let o = run(&["report", &bad, "--html", &d("x.html")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a tiaoshu report"));
}

#[test]
fn the_html_report_has_every_section_and_no_network_resource() {
    let dir = tempfile::tempdir().unwrap();
    let report = |lang: &str| {
        let out = dir.path().join(format!("r.{lang}.html"));
        let o = run(&[
            "scan",
            &rel(&fixture("mixed")),
            "--report",
            out.to_str().unwrap(),
            "--lang",
            lang,
            "-q",
        ]);
        assert_eq!(o.status.code(), Some(0));
        std::fs::read_to_string(out).unwrap()
    };
    let zh = report("zh");
    let en = report("en");
    for html in [&zh, &en] {
        for banned in [
            "<script", "src=", "href=", "url(", "@import", "<link", "https:",
        ] {
            assert!(
                !html.contains(banned),
                "{banned} in a self-contained report"
            );
        }
        // the only URL is the SVG namespace, which is a name, not a resource
        assert_eq!(html.matches("http:").count(), 2, "two SVG namespaces");
        assert!(html.contains("@page { size: A4"));
        assert!(html.contains("<svg id=\"chart-253-1\""));
        assert!(html.contains("<svg id=\"chart-286-1\""));
        // the inputs with their SHA-256 (people.csv, computed by the test suite's fixture)
        assert!(html.contains("fixtures/mixed/input/people.csv"));
        assert!(html.contains("19dc2d70"));
        // samples, masked, with their positions (the first tracking record of
        // the generated fixture)
        assert!(html.contains("line 1, byte 0"));
        assert!(html.contains("mobile=135****9277"));
    }
    for term in [
        "公民个人信息条数认定报告",
        "情节严重",
        "情节特别严重",
        "行踪轨迹信息",
        "通信内容",
        "征信信息",
        "财产信息",
        "住宿信息",
        "通信记录",
        "健康生理信息",
        "交易信息",
        "其他可能影响人身、财产安全的信息",
        "其他公民个人信息",
        "法释〔2017〕10号第五条第一款第六项",
        "刑法第二百五十三条之一",
        "认定依据",
        "距下一档次",
        "计数方法说明",
        "样例",
        "适用的分类规则",
        "采用的案件事实",
        "检材",
        // the tally's reasons and the policies' effects, worded in Chinese
        "手机号段 194 未分配 — 1",
        "居民身份证号码校验码错误 — 1",
        "电子邮箱须含且仅含一个“@” — 2",
        "行踪轨迹信息计入 35 个点位，涉及 5 名被跟踪人；认定按点位计算",
        "仅有一个电话号码的记录不计入",
        "认定采用“计入”口径的条数",
    ] {
        assert!(zh.contains(term), "zh: {term}");
    }
    // The JSON's English wordings stay out of the Chinese report.
    for english in [
        "unallocated mobile prefix",
        "check digit mismatch",
        "because of this policy",
        "left out of the count",
        "tracking points",
        "“counted”",
    ] {
        assert!(!zh.contains(english), "zh holds {english:?}");
        assert!(
            en.contains(english) || english == "“counted”",
            "en lacks {english:?}"
        );
    }
    for term in [
        "Verdict",
        "serious",
        "Fa Shi [2017] No. 10, Art. 5(1)(6)",
        "Margin to the next level",
        "447",
        "Items per kind",
        "Policies in force",
        "Case facts used",
        "How the items were counted",
        "Samples",
    ] {
        assert!(en.contains(term), "en: {term}");
    }
}

/// Identifiers in a fixture's input, found here from the raw bytes (GBK or
/// UTF-8) with patterns of the test's own: mobiles, ID numbers, bank cards,
/// e-mails. Names come from the tool's own evidence with `--reveal`.
fn fixture_identifiers(input: &Path) -> HashSet<String> {
    let mut found = HashSet::new();
    let numbers = regex::Regex::new(
        r"(?:^|[^0-9])(1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]|[0-9]{16,19})(?:[^0-9]|$)",
    )
    .unwrap();
    let emails = regex::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}").unwrap();
    for e in walkdir::WalkDir::new(input).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t.to_string(),
            Err(_) => encoding_rs::GBK.decode(&bytes).0.into_owned(),
        };
        for c in numbers.captures_iter(&text) {
            found.insert(c[1].to_string());
        }
        for m in emails.find_iter(&text) {
            found.insert(m.as_str().to_string());
        }
    }
    found
}

#[test]
fn no_output_holds_an_unmasked_identifier_without_reveal() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for folder in [
        "mixed",
        "credit_property",
        "idcard",
        "travel",
        "comm",
        "zip_gz_csv",
    ] {
        let input = fixture(folder);
        let input_rel = rel(&input);
        let d = |n: &str| {
            dir.path()
                .join(format!("{folder}.{n}"))
                .display()
                .to_string()
        };
        // What the identifiers are: the raw values, and every value the
        // tool itself found (names, addresses, accounts) with --reveal.
        let mut secrets = fixture_identifiers(&input);
        let revealed = d("revealed.jsonl");
        let o = run(&[
            "scan",
            &input_rel,
            "--evidence",
            &revealed,
            "--reveal",
            "-q",
        ]);
        assert!(o.status.code() == Some(0), "{folder}");
        for row in jsonl_rows(Path::new(&revealed)) {
            for pair in row["identifiers"].split("; ") {
                if let Some((id, v)) = pair.split_once('=') {
                    // gender, ethnicity, dates and job titles are not
                    // identifying on their own (and words like 男 occur in any text)
                    if [
                        "name",
                        "mobile",
                        "resident_id",
                        "email",
                        "bank_card",
                        "passport",
                        "address",
                        "wechat",
                        "qq",
                        "plate",
                        "hk_macau_permit",
                    ]
                    .contains(&id)
                        && v.chars().count() >= 2
                    {
                        secrets.insert(v.to_string());
                    }
                }
            }
        }
        assert!(secrets.len() > 5, "{folder}: the fixture has identifiers");
        // Every output of a scan without --reveal.
        let o = run(&[
            "scan",
            &input_rel,
            "--json",
            &d("json"),
            "--report",
            &d("zh.html"),
            "--lang",
            "zh",
            "--evidence",
            &d("csv"),
        ]);
        assert_eq!(o.status.code(), Some(0));
        let mut outputs = vec![
            (
                "stdout".to_string(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
            ),
            (
                "stderr".to_string(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            ),
        ];
        run(&[
            "scan",
            &input_rel,
            "--report",
            &d("en.md"),
            "--evidence",
            &d("jsonl"),
            "-q",
        ]);
        run(&[
            "scan",
            &input_rel,
            "--report",
            &d("en.html"),
            "--evidence",
            &d("parquet"),
            "-q",
        ]);
        for n in ["json", "zh.html", "en.md", "en.html", "csv", "jsonl"] {
            outputs.push((n.to_string(), std::fs::read_to_string(d(n)).unwrap()));
        }
        let parquet: Vec<String> = parquet_rows(Path::new(&d("parquet")))
            .into_iter()
            .flat_map(|r| r.into_values())
            .collect();
        outputs.push(("parquet".into(), parquet.join("\n")));
        for (name, text) in &outputs {
            assert!(
                !text.is_empty() || name == "stderr",
                "{folder} {name} is empty"
            );
            for s in &secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "{folder}: {name} holds an unmasked identifier ({} chars)",
                    s.chars().count()
                );
            }
        }
        checked += secrets.len();
    }
    assert!(checked > 500, "{checked} identifiers checked");
}
