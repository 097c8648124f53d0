//! Inputs of every shape (SPEC §3): format sniffing by content, containers,
//! and bad input that must neither crash the scan nor shrink a count
//! silently. Every test builds its input in a temporary folder (synthetic
//! data only).

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A valid resident ID, mobile and name per row; `n` rows from `from`.
fn people_csv(from: u32, n: u32) -> String {
    let mut s = String::from("姓名,手机号,身份证号\n");
    for i in from..from + n {
        s.push_str(&format!("张{},{},{}\n", name(i), mobile(i), resident_id(i)));
    }
    s
}

fn name(i: u32) -> &'static str {
    ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"][i as usize % 10]
}

fn mobile(i: u32) -> String {
    format!("138{:08}", i)
}

/// 110101 + a birth date in 1980 + sequence, with its GB 11643 check digit.
fn resident_id(i: u32) -> String {
    common::with_check_char(&format!(
        "1101011980{:02}{:02}{:03}",
        1 + i % 12,
        1 + i % 28,
        i % 1000
    ))
}

fn scan(paths: &[&Path], extra: &[&str]) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .arg("scan")
        .args(paths)
        .args(extra)
        .args(["--json", "-", "--quiet"])
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, out.status.code().unwrap_or(-1))
}

/// (path inside the scanned folder, format, records) of every input.
fn inputs(r: &Value) -> Vec<(String, String, u64)> {
    r["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let path = i["path"].as_str().unwrap();
            // the temporary folder is the last component before the file's
            let short = path
                .split_once("/.tmp")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map_or(path, |(_, rel)| rel);
            (
                short.to_string(),
                i["format"].as_str().unwrap().to_string(),
                i["records"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn general(r: &Value) -> (u64, u64) {
    let g = &r["kinds"]["general"];
    (
        g["seized"].as_u64().unwrap(),
        g["counted"].as_u64().unwrap(),
    )
}

fn scan_text_file(dir: &Path, name: &str, text: &str) -> (Value, i32) {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    scan(&[&p], &[])
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn the_format_is_decided_by_content_before_extension() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // a .txt that is CSV, a .dat of JSON Lines, a .csv that is tab-separated
    std::fs::write(d.join("a.txt"), people_csv(0, 10)).unwrap();
    let jsonl: String = (10..20)
        .map(|i| {
            format!(
                "{{\"name\":\"李{}\",\"mobile\":\"{}\",\"idcard\":\"{}\"}}\n",
                name(i),
                mobile(i),
                resident_id(i)
            )
        })
        .collect();
    std::fs::write(d.join("b.dat"), jsonl).unwrap();
    std::fs::write(d.join("c.csv"), people_csv(20, 10).replace(',', "\t")).unwrap();
    let (r, code) = scan(&[d], &[]);
    assert_eq!(code, 0);
    assert_eq!(
        inputs(&r),
        [
            ("a.txt".into(), "csv".into(), 10),
            ("b.dat".into(), "jsonl".into(), 10),
            ("c.csv".into(), "tsv".into(), 10),
        ]
    );
    assert_eq!(general(&r), (30, 30));

    // --format overrides the content: the CSV read as leak-style text
    // (its header line becomes a record of its own).
    let (r, _) = scan(&[&d.join("a.txt")], &["--format", "text"]);
    assert_eq!(inputs(&r), [("a.txt".into(), "text".into(), 11)]);
}

#[test]
fn compressed_and_archived_inputs_count_like_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = people_csv(0, 20);
    std::fs::write(d.join("plain.csv"), &csv).unwrap();
    let plain = scan(&[&d.join("plain.csv")], &[]).0;

    // a zip holding a gz of the same CSV, and a zip nested in it
    let inner = zip(&[("deep/again.csv", people_csv(100, 5).as_bytes())]);
    let bundle = zip(&[
        ("inner/data.csv.gz", &gzip(csv.as_bytes())),
        ("inner/nested.zip", &inner),
    ]);
    std::fs::write(d.join("bundle.zip"), &bundle).unwrap();
    let (r, code) = scan(&[&d.join("bundle.zip")], &[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        inputs(&r),
        [
            ("bundle.zip!inner/data.csv.gz".into(), "csv".into(), 20),
            (
                "bundle.zip!inner/nested.zip!deep/again.csv".into(),
                "csv".into(),
                5
            ),
        ]
    );
    assert_eq!(general(&r), (25, 25));
    assert_eq!(r["kinds"]["general"]["counted"], 25);
    assert_eq!(general(&plain), (20, 20));
    // the archive and the nested archive are listed with their hashes
    let archives = r["archives"].as_array().unwrap();
    assert_eq!(archives.len(), 2);
    assert!(archives[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("bundle.zip"));
    assert_eq!(archives[0]["bytes"], bundle.len() as u64);
    assert_eq!(archives[0]["sha256"].as_str().unwrap().len(), 64);

    // the same CSV gzipped and given on stdin
    let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .args(["scan", "-", "--json", "-", "--quiet"])
        .stdin(
            std::fs::File::open({
                std::fs::write(d.join("x.gz"), gzip(csv.as_bytes())).unwrap();
                d.join("x.gz")
            })
            .unwrap(),
        )
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(general(&r), (20, 20));
    assert_eq!(r["inputs"][0]["compression"], "gzip");

    // a zip on stdin (it needs random access: spilled to a temporary file),
    // with an image inside that is skipped under its entry name
    let with_image = zip(&[
        ("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("a.csv", csv.as_bytes()),
    ]);
    std::fs::write(d.join("stdin.zip"), &with_image).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .args(["scan", "-", "--json", "-", "--quiet"])
        .stdin(std::fs::File::open(d.join("stdin.zip")).unwrap())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(general(&r), (20, 20));
    assert_eq!(r["inputs"][0]["path"], "<stdin>!a.csv");
    assert_eq!(r["skipped"][0]["path"], "<stdin>!photo.png");
    assert_eq!(r["skipped"][0]["reason"], "image (PNG)");
}

#[test]
fn a_truncated_stream_counts_what_came_before_and_says_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = people_csv(0, 2000);
    let packed = gzip(csv.as_bytes());
    std::fs::write(d.join("cut.csv.gz"), &packed[..packed.len() / 2]).unwrap();
    let (r, code) = scan(&[d], &[]);
    assert_eq!(code, 2, "an input could not be read to its end");
    let (seized, _) = general(&r);
    assert!(
        seized > 500 && seized < 2000,
        "{seized} records before the cut"
    );
    assert_eq!(r["inputs"][0]["records"], seized);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["path"].as_str().unwrap().ends_with("cut.csv.gz"));
    assert!(errors[0]["position"].as_str().unwrap().starts_with("line "));

    // An SQL dump cut in the middle of an extended INSERT: the tuples before
    // the cut count, and the cut is reported.
    let mut dump = String::from(
        "CREATE TABLE `people` (`name` varchar(8), `mobile` varchar(16), `id_card` varchar(18));\n",
    );
    for k in 0..10 {
        dump.push_str("INSERT INTO `people` VALUES ");
        let tuples: Vec<String> = (k * 10..k * 10 + 10)
            .map(|i| format!("('张{}','{}','{}')", name(i), mobile(i), resident_id(i)))
            .collect();
        dump.push_str(&tuples.join(","));
        dump.push_str(";\n");
    }
    let whole = scan_text_file(d, "whole.sql", &dump);
    assert_eq!(general(&whole.0), (100, 100));
    assert_eq!(whole.1, 0);
    let cut_at = dump.find("('张伟','13800000050'").unwrap();
    let (r, code) = scan_text_file(d, "cut.sql", &dump[..cut_at]);
    assert_eq!(code, 2);
    assert_eq!(general(&r), (50, 50));
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("cut short"));

    // A zip cut in half has lost its central directory: the entries before
    // the cut are still read from their local headers.
    let entries: Vec<(String, String)> = (0..8)
        .map(|k| (format!("part{k}.csv"), people_csv(k * 100, 50)))
        .collect();
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_bytes()))
        .collect();
    let whole = zip(&refs);
    std::fs::write(d.join("cut.csv.gz"), b"").unwrap();
    std::fs::write(d.join("half.zip"), &whole[..whole.len() / 2]).unwrap();
    let (r, code) = scan(&[&d.join("half.zip")], &[]);
    assert_eq!(code, 2);
    let read = r["inputs"].as_array().unwrap().len();
    assert!((2..8).contains(&read), "{read} entries before the cut");
    assert!(general(&r).0 >= 50 * (read as u64 - 1));
    assert!(!r["errors"].as_array().unwrap().is_empty());
}

#[test]
fn decompression_bombs_and_absurd_lines_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 64 MiB of one repeated line packs to about 100 KiB: past 100:1
    let bomb = gzip(&b"aaaaaaaaaaaaaaa\n".repeat(4 << 20));
    std::fs::write(d.join("bomb.txt.gz"), &bomb).unwrap();
    std::fs::write(
        d.join("bomb.zip"),
        zip(&[("x.txt", &b"b".repeat(64 << 20))]),
    )
    .unwrap();
    std::fs::write(d.join("ok.csv"), people_csv(0, 3)).unwrap();
    let (r, code) = scan(&[d], &["--max-ratio", "100"]);
    assert_eq!(code, 2);
    let messages: Vec<&str> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages.iter().all(|m| m.contains("--max-ratio")),
        "{messages:?}"
    );
    assert_eq!(general(&r), (3, 3), "the other input still counts");

    // the total budget
    let (r, code) = scan(&[&d.join("bomb.txt.gz")], &["--max-expanded", "1M"]);
    assert_eq!(code, 2);
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("--max-expanded"));

    // An absurdly long line is cut and reported, the rest is read. (The
    // limit bounds the buffer a record that never ends can take; records
    // shorter than a chunk are never held longer than that anyway.)
    let mut long = people_csv(0, 5);
    long.push_str(&"x".repeat(1_000_000));
    long.push('\n');
    long.push_str(
        &people_csv(5, 5)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    long.push('\n');
    std::fs::write(d.join("long.csv"), long).unwrap();
    let (r, code) = scan(
        &[&d.join("long.csv")],
        &["--max-record", "16K", "--chunk-bytes", "4096"],
    );
    assert_eq!(code, 2);
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("--max-record"));
    assert_eq!(general(&r).0, 10);
}

#[test]
fn archives_nested_past_the_depth_limit_are_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = zip(&[("core.csv", people_csv(0, 1).as_bytes())]);
    for _ in 0..20 {
        data = zip(&[("layer.zip", &data)]);
    }
    std::fs::write(dir.path().join("deep.zip"), data).unwrap();
    let (r, code) = scan(&[dir.path()], &[]);
    assert_eq!(code, 2);
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("nested deeper"));
}

#[test]
fn empty_unreadable_damaged_and_binary_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.csv"), b"").unwrap();
    std::fs::write(d.join("people.csv"), people_csv(0, 4)).unwrap();
    std::fs::write(d.join("broken.zip"), b"PK\x03\x04 this is not really a zip").unwrap();
    std::fs::write(d.join("noise.bin"), [0u8, 1, 2, 3, 0, 0, 7, 8].repeat(64)).unwrap();
    std::fs::write(d.join("fake.parquet"), b"PAR1 and then nothing").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("gone.csv"), d.join("dangling.csv")).unwrap();

    // An empty file alone: no error, 0 records, exit 0.
    let (r, code) = scan(&[&d.join("empty.csv")], &[]);
    assert_eq!(code, 0);
    assert_eq!(inputs(&r), [("empty.csv".into(), "csv".into(), 0)]);

    let (r, code) = scan(&[d], &[]);
    assert_eq!(code, 2, "damaged inputs make the count possibly incomplete");
    assert_eq!(general(&r), (4, 4));
    let errors: Vec<String> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["path"], e["message"]))
        .collect();
    for want in ["broken.zip", "fake.parquet"] {
        assert!(
            errors.iter().any(|e| e.contains(want)),
            "{want} in {errors:?}"
        );
    }
    #[cfg(unix)]
    assert!(
        errors.iter().any(|e| e.contains("dangling.csv")),
        "{errors:?}"
    );
    let skipped = r["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["reason"], "unknown binary");
    assert_eq!(skipped[0]["sha256"].as_str().unwrap().len(), 64);

    // Skipped files change the exit status only with --strict.
    let (people, noise) = (d.join("people.csv"), d.join("noise.bin"));
    let only_skipped: [&Path; 2] = [&people, &noise];
    assert_eq!(scan(&only_skipped, &[]).1, 0);
    assert_eq!(scan(&only_skipped, &["--strict"]).1, 2);

    // A file without read permission (not testable as root, who reads anyway).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = d.join("locked.csv");
        std::fs::write(&locked, people_csv(50, 2)).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked).is_err() {
            let (r, code) = scan(&[&locked], &[]);
            assert_eq!(code, 2);
            assert!(r["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("cannot read"));
        }
    }
}

/// A minimal XLSX: one sheet of inline-string cells (`None` = empty cell).
fn xlsx(rows: &[Vec<Option<&str>>]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            if let Some(v) = cell {
                let col = (b'A' + c as u8) as char;
                sheet.push_str(&format!(
                    r#"<c r="{col}{}" t="inlineStr"><is><t>{v}</t></is></c>"#,
                    r + 1
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts: [(&str, String); 5] = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let entries: Vec<(&str, &[u8])> = parts.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    zip(&entries)
}

#[test]
fn a_sheet_whose_header_is_below_a_title_still_types_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let people: Vec<(String, String)> = (0..6)
        .map(|i| (format!("张{}", name(i)), mobile(i)))
        .collect();
    let mut rows = vec![
        vec![Some("2024年客户名单"), None],
        vec![None, None],
        vec![Some("姓名"), Some("手机号")],
    ];
    for (n, m) in &people {
        rows.push(vec![Some(n.as_str()), Some(m.as_str())]);
    }
    let path = dir.path().join("book.xlsx");
    std::fs::write(&path, xlsx(&rows)).unwrap();
    let (r, code) = scan(&[&path], &[]);
    assert_eq!(code, 0, "{r}");
    // name + phone by header: general PI, not bare phone numbers; the title
    // row is a record (nothing is dropped) but not PI
    assert_eq!(general(&r), (6, 6));
    assert_eq!(r["totals"]["bare"], 0);
    assert_eq!(r["inputs"][0]["format"], "xlsx");
    assert_eq!(r["inputs"][0]["records"], 7);
}

#[test]
fn where_a_never_ending_record_is_cut_does_not_depend_on_chunking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("oneline.txt");
    let line: String = (0..30_000).map(|i| format!("{} ", mobile(i))).collect();
    std::fs::write(&path, line).unwrap();
    let mut seen = Vec::new();
    for chunk in ["97", "4096", "1000000"] {
        let (r, code) = scan(&[&path], &["--max-record", "20K", "--chunk-bytes", chunk]);
        assert_eq!(code, 2);
        seen.push((
            r["totals"]["records"].clone(),
            r["totals"]["errors"].clone(),
        ));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
    // 360,000 bytes in cuts of 20 KiB: 17 cuts, 18 pieces
    assert_eq!(seen[0], (Value::from(18), Value::from(17)));
}

#[test]
fn a_csv_whose_header_is_below_a_title_still_types_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("住宿登记 导出\n\n酒店名称,姓名,身份证号,入住时间\n");
    for i in 0..10 {
        csv.push_str(&format!(
            "如家酒店,张{},{},2024-01-{:02} 12:00:00\n",
            name(i),
            resident_id(i),
            i + 1
        ));
    }
    let path = dir.path().join("hotel.csv");
    std::fs::write(&path, &csv).unwrap();
    let (r, code) = scan(&[&path], &[]);
    assert_eq!(code, 0);
    // accommodation (tier B), as with the header on the first line; the
    // title line is a record of its own, not PI
    assert_eq!(r["kinds"]["accommodation"]["counted"], 10);
    assert_eq!(r["kinds"]["general"]["seized"], 0);
    assert_eq!(r["totals"]["records"], 11);
    // and the same with the chunking at its smallest
    let (r1, _) = scan(&[&path], &["--chunk-bytes", "1"]);
    assert_eq!(r1["kinds"], r["kinds"]);
}

#[test]
fn zip_entries_of_one_name_and_streamed_zips_cut_short_are_all_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // two entries that end up with the same name (the zip crate indexes by
    // name and would see one): rename y.csv to x.csv in the bytes
    let a = people_csv(0, 30);
    let b = people_csv(100, 30);
    let mut data = zip(&[("x.csv", a.as_bytes()), ("y.csv", b.as_bytes())]);
    let mut i = 0;
    while let Some(at) = data[i..].windows(5).position(|w| w == b"y.csv") {
        data[i + at] = b'x';
        i += at + 5;
    }
    std::fs::write(d.join("dup.zip"), &data).unwrap();
    let (r, code) = scan(&[&d.join("dup.zip")], &[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(general(&r), (60, 60));
    assert_eq!(r["inputs"].as_array().unwrap().len(), 2);

    // a zip written to a pipe (sizes after the data), cut at 70%
    let mut w = zip::ZipWriter::new_stream(Vec::new());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for k in 0..5 {
        w.start_file(format!("p{k}.csv"), opts).unwrap();
        w.write_all(people_csv(1000 + k * 200, 200).as_bytes())
            .unwrap();
    }
    let whole = w.finish().unwrap().into_inner();
    std::fs::write(d.join("cut.zip"), &whole[..whole.len() * 7 / 10]).unwrap();
    let (r, code) = scan(&[&d.join("cut.zip")], &[]);
    assert_eq!(code, 2);
    let (seized, counted) = general(&r);
    assert_eq!(seized, counted);
    assert!(
        (600..1000).contains(&seized),
        "{seized} records before the cut"
    );
    assert!(r["errors"].as_array().unwrap().len() >= 2);
}

#[test]
fn an_arrow_ipc_stream_is_read_from_a_file_and_from_stdin() {
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.arrows");
    let names: Vec<String> = (0..6).map(|i| format!("张{}", name(i))).collect();
    let mobiles: Vec<String> = (0..6).map(mobile).collect();
    let batch = arrow_array::RecordBatch::try_from_iter(vec![
        (
            "姓名",
            Arc::new(arrow_array::StringArray::from(names)) as arrow_array::ArrayRef,
        ),
        (
            "手机号",
            Arc::new(arrow_array::StringArray::from(mobiles)) as arrow_array::ArrayRef,
        ),
    ])
    .unwrap();
    let mut w = arrow_ipc::writer::StreamWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        &batch.schema(),
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.write(&batch.slice(0, 3)).unwrap(); // three repeats
    w.finish().unwrap();
    let (r, code) = scan(&[&path], &[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["inputs"][0]["format"], "arrow");
    assert_eq!(r["kinds"]["general"]["seized"], 9);
    assert_eq!(r["kinds"]["general"]["duplicate"], 3);
    let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .args(["scan", "-", "--json", "-", "--quiet"])
        .stdin(std::fs::File::open(&path).unwrap())
        .output()
        .unwrap();
    let from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::kind_counts(&from_stdin), common::kind_counts(&r));
}

/// A tar of regular files and links, as `tar` writes it (GNU headers).
fn tar_of(entries: &[(&str, Option<&[u8]>, &str)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data, link) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        match data {
            Some(data) => {
                h.set_size(data.len() as u64);
                h.set_cksum();
                b.append_data(&mut h, name, *data).unwrap();
            }
            None => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                b.append_link(&mut h, name, link).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

/// Issue 15, item 1: tar in its forms, its links listed, its damage
/// reported where it is, every whole entry before it counted; RAR, which
/// is not read, is an error (exit 2), not a skip.
#[test]
fn tar_archives_are_read_entry_by_entry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (people_csv(0, 5), people_csv(100, 7));
    let long = format!("dump/{}/b.csv", "d".repeat(150));
    let tar = tar_of(&[
        ("dump/a.csv", Some(a.as_bytes()), ""),
        (&long, Some(b.as_bytes()), ""),
        ("dump/latest.csv", None, "a.csv"),
    ]);
    std::fs::write(d.join("t.tar"), &tar).unwrap();
    std::fs::write(d.join("t.tgz"), gzip(&tar)).unwrap();
    let (r, code) = scan(&[&d.join("t.tar"), &d.join("t.tgz")], &[]);
    assert_eq!(code, 0, "{}", r["errors"]);
    assert_eq!(
        inputs(&r),
        [
            ("t.tar!dump/a.csv".into(), "csv".into(), 5),
            (format!("t.tar!{long}"), "csv".into(), 7),
            ("t.tgz!dump/a.csv".into(), "csv".into(), 5),
            (format!("t.tgz!{long}"), "csv".into(), 7),
        ]
    );
    assert_eq!(general(&r), (24, 12), "the .tgz repeats the .tar");
    let skipped = r["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2);
    assert!(skipped[0]["reason"]
        .as_str()
        .unwrap()
        .contains("symbolic link to a.csv"));
    let archives = r["archives"].as_array().unwrap();
    assert_eq!(archives[0]["format"], "tar");
    assert_eq!(archives[0]["entries"], 3);

    // Two archives one after the other: both read.
    std::fs::write(d.join("cat.tar"), [tar.clone(), tar.clone()].concat()).unwrap();
    let (r, code) = scan(&[&d.join("cat.tar")], &[]);
    assert_eq!((code, general(&r)), (0, (24, 12)));

    let errors = |r: &Value| -> Vec<(String, String, String)> {
        r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["path"].as_str().unwrap().to_string(),
                    e["position"].as_str().unwrap().to_string(),
                    e["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // A damaged second header: the first entry counts, then an error.
    let mut bad = tar.clone();
    let second = 512 + a.len().div_ceil(512) * 512;
    bad[second + 3] ^= 0x20;
    std::fs::write(d.join("bad.tar"), &bad).unwrap();
    let (r, code) = scan(&[&d.join("bad.tar")], &[]);
    assert_eq!((code, general(&r)), (2, (5, 5)));
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].1, "after entry #1");
    assert!(e[0].2.contains("checksum"), "{e:?}");

    // Cut inside the first entry's data: its whole lines count, the cut is
    // an error of that entry.
    std::fs::write(d.join("cut.tar"), &tar[..512 + 100]).unwrap();
    let (r, code) = scan(&[&d.join("cut.tar")], &[]);
    let whole_rows = a[..100].matches('\n').count() as u64 - 1;
    assert_eq!((code, general(&r).0), (2, whole_rows));
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].0.ends_with("cut.tar!dump/a.csv"), "{e:?}");
    assert!(e[0].2.contains("cut short"), "{e:?}");

    // Cut between two entries: nothing of an entry is missing, but the
    // archive did not end: an error, not a silent end.
    std::fs::write(d.join("edge.tar"), &tar[..second]).unwrap();
    let (r, code) = scan(&[&d.join("edge.tar")], &[]);
    assert_eq!((code, general(&r)), (2, (5, 5)));
    let e = errors(&r);
    assert!(e[0].2.contains("end-of-archive"), "{e:?}");

    // RAR is not read: an error naming why, not a skip.
    std::fs::write(d.join("x.rar"), b"Rar!\x1a\x07\x01\x00 more bytes").unwrap();
    let (r, code) = scan(&[&d.join("x.rar")], &[]);
    assert_eq!(code, 2);
    assert!(r["skipped"].as_array().unwrap().is_empty());
    assert!(errors(&r)[0].2.contains("RAR"));
}

/// A SQLite database of `people` rows made by SQLite itself.
fn sqlite_db(path: &Path, people: std::ops::Range<u32>) {
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, 姓名 TEXT, 手机号 INTEGER, 身份证号 TEXT)",
    )
    .unwrap();
    for i in people {
        let m: i64 = mobile(i).parse().unwrap();
        db.execute(
            "INSERT INTO users (姓名, 手机号, 身份证号) VALUES (?1, ?2, ?3)",
            rusqlite::params![name(i), m, resident_id(i)],
        )
        .unwrap();
    }
}

/// Issue 15, item 6: SQLite databases, on disk (with a write-ahead log
/// beside them) and inside archives, read from a private copy: the
/// evidence is not changed (not even its times), the copy is gone after.
#[test]
fn sqlite_databases_are_read_without_changing_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tmp = tempfile::tempdir().unwrap();
    let db = d.join("app.db");
    sqlite_db(&db, 0..6);
    // A second connection writes in WAL mode and is left open while the
    // files are copied: the copy's transactions are only in its -wal.
    let wal_db = d.join("wal.db");
    {
        let w = rusqlite::Connection::open(&wal_db).unwrap();
        w.execute_batch("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;")
            .unwrap();
        w.execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, 姓名 TEXT, 手机号 INTEGER, 身份证号 TEXT)",
        )
        .unwrap();
        for i in 10..14 {
            let m: i64 = mobile(i).parse().unwrap();
            w.execute(
                "INSERT INTO users (姓名, 手机号, 身份证号) VALUES (?1, ?2, ?3)",
                rusqlite::params![name(i), m, resident_id(i)],
            )
            .unwrap();
        }
        let kept = d.join("kept");
        std::fs::create_dir(&kept).unwrap();
        std::fs::copy(&wal_db, kept.join("wal.db")).unwrap();
        std::fs::copy(d.join("wal.db-wal"), kept.join("wal.db-wal")).unwrap();
    }
    let kept = d.join("kept");
    let state = |dir: &Path| -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let m = std::fs::metadata(&p).unwrap();
                (
                    p.display().to_string(),
                    std::fs::read(&p).unwrap(),
                    m.modified().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = state(&kept);
    let tmp_arg = tmp.path().to_str().unwrap();
    let (r, code) = scan(&[&kept.join("wal.db")], &["--temp-dir", tmp_arg]);
    assert_eq!(code, 0, "{}", r["errors"]);
    assert_eq!(general(&r), (4, 4), "the rows only in the -wal count");
    let skipped = r["skipped"].as_array().unwrap();
    assert!(skipped[0]["path"].as_str().unwrap().ends_with("wal.db-wal"));
    assert_eq!(skipped[0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        state(&kept),
        before,
        "no byte or time of the evidence changed"
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the copy is gone"
    );

    // Inside a tar.gz and a zip: copied out, read the same way.
    let bytes = std::fs::read(&db).unwrap();
    let tar = tar_of(&[("data/app.db", Some(&bytes), "")]);
    std::fs::write(d.join("backup.tar.gz"), gzip(&tar)).unwrap();
    std::fs::write(d.join("backup.zip"), zip(&[("app.db", &bytes)])).unwrap();
    let (r, code) = scan(
        &[&db, &d.join("backup.tar.gz"), &d.join("backup.zip")],
        &["--temp-dir", tmp_arg],
    );
    assert_eq!(code, 0, "{}", r["errors"]);
    let got = inputs(&r);
    assert_eq!(
        got,
        [
            ("app.db".into(), "sqlite".into(), 6),
            ("backup.tar.gz!data/app.db".into(), "sqlite".into(), 6),
            ("backup.zip!app.db".into(), "sqlite".into(), 6),
        ]
    );
    // a mobile stored as an integer is the same identifier as the string:
    // the copies are duplicates
    assert_eq!(general(&r), (18, 6));
    let sample = &r["kinds"]["general"]["samples"][0];
    assert_eq!(sample["position"], "table users, rowid 1");
    assert!(!sample["identifiers"].as_str().unwrap().contains("qq"));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// Issue 15, items 2 and 4: an AES-encrypted zip entry opens with the
/// password (from --password or --password-file, a wrong one tried first),
/// stays an error naming the entry without it; a 7z whose data are damaged
/// is an error after the entries before the damage. No password is written
/// anywhere.
#[test]
fn passwords_open_encrypted_archives_and_are_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pw = "Zh@ngW3i-2024";
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let aes = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .with_aes_encryption(zip::AesMode::Aes256, pw);
    w.start_file("locked/users.csv", aes).unwrap();
    w.write_all(people_csv(0, 8).as_bytes()).unwrap();
    let plain = zip::write::SimpleFileOptions::default();
    w.start_file("open.csv", plain).unwrap();
    w.write_all(people_csv(50, 3).as_bytes()).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let z = d.join("aes.zip");
    std::fs::write(&z, bytes).unwrap();
    let out = tempfile::tempdir().unwrap();

    // Without the password: the open entry counts, the locked one is an
    // error that names it.
    let (r, code) = scan(&[&z], &[]);
    assert_eq!((code, general(&r)), (2, (3, 3)));
    let e = &r["errors"][0];
    assert!(e["path"]
        .as_str()
        .unwrap()
        .ends_with("aes.zip!locked/users.csv"));
    assert!(e["message"].as_str().unwrap().contains("encrypted"));

    // A wrong password alone: still locked.
    let (r, code) = scan(&[&z], &["--password", "nope"]);
    assert_eq!((code, general(&r)), (2, (3, 3)));
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("locked"));

    // From a file, after a wrong one: opened; the password is in no output.
    let pw_file = d.join("pw.txt");
    std::fs::write(&pw_file, format!("nope\r\n\n{pw}\n")).unwrap();
    let (json, html) = (out.path().join("r.json"), out.path().join("r.html"));
    let status = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
        .args([
            "scan",
            z.to_str().unwrap(),
            "--password-file",
            pw_file.to_str().unwrap(),
        ])
        .args([
            "--json",
            json.to_str().unwrap(),
            "--report",
            html.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(general(&r), (11, 11));
    for text in [
        std::fs::read_to_string(&json).unwrap(),
        std::fs::read_to_string(&html).unwrap(),
        String::from_utf8_lossy(&status.stdout).into_owned(),
        String::from_utf8_lossy(&status.stderr).into_owned(),
    ] {
        assert!(!text.contains(pw) && !text.contains("nope"));
    }

    // A 7z (from the fixtures) with a byte of its packed data changed.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/locked_archives/input");
    let mut data = std::fs::read(root.join("plain.7z")).unwrap();
    let (r, code) = scan(&[&root.join("plain.7z")], &[]);
    assert_eq!((code, general(&r).0), (0, 21));
    data[32 + 40] ^= 0x55;
    let bad = d.join("bad.7z");
    std::fs::write(&bad, &data).unwrap();
    let (r, code) = scan(&[&bad], &[]);
    assert_eq!(code, 2);
    assert!(general(&r).0 < 21, "{}", r["kinds"]["general"]);
    assert_eq!(r["errors"].as_array().unwrap().len(), 1, "{}", r["errors"]);
}
