//! The HTML report in a real browser: headless Chromium prints it to an A4
//! PDF (zh and en) and the PDF's text must hold the verdict and the chart.
//! `tests/render.sh` drives Chromium; CI installs it (.ci/run) and sets
//! TIAOSHU_REQUIRE_BROWSER so that the test cannot pass by skipping.
//!
//! With TIAOSHU_SCREENSHOTS=DIR the screenshots are also copied to DIR
//! (that is how docs/report-*.png are made).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_report_prints_to_a4_pdf_in_chromium_with_verdict_and_chart() {
    if !(have("chromium") && have("pdftotext") && have("pdfinfo")) {
        assert!(
            std::env::var_os("TIAOSHU_REQUIRE_BROWSER").is_none(),
            "chromium and poppler-utils are required here"
        );
        eprintln!("skipped: chromium or poppler-utils is not installed");
        return;
    }
    // Without a CJK font Chromium draws boxes, yet the PDF's text still
    // extracts: check the font is there rather than trust the text alone.
    let fonts = Command::new("fc-list").arg(":lang=zh").output();
    assert!(
        fonts.is_ok_and(|o| !o.stdout.is_empty()),
        "no Chinese font installed (apt-get install fonts-wqy-zenhei)"
    );
    let dir = tempfile::tempdir().unwrap();
    let shots = std::env::var_os("TIAOSHU_SCREENSHOTS").map(PathBuf::from);
    let checks: [(&str, &[&str]); 2] = [
        (
            "zh",
            &[
                "公民个人信息条数认定报告",
                "刑法第二百五十三条之一",
                "情节严重",
                "按比例合计",
                "情节特别严重 (10)",
                "法释〔2017〕10号第五条第一款第六项",
                "其他公民个人信息",
            ],
        ),
        (
            "en",
            &[
                "Personal-information item count",
                "Verdict",
                "serious",
                "pro-rata sum",
                "especially serious (10)",
                "Fa Shi [2017] No. 10, Art. 5(1)(6)",
                "other personal information",
            ],
        ),
    ];
    for (lang, words) in checks {
        let html = dir.path().join(format!("report.{lang}.html"));
        let out = Command::new(env!("CARGO_BIN_EXE_tiaoshu"))
            .current_dir(root())
            .args([
                "scan",
                "fixtures/mixed/input",
                "-q",
                "--lang",
                lang,
                "--report",
            ])
            .arg(&html)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let prefix = dir.path().join(lang);
        let render = Command::new("bash")
            .arg(root().join("tests/render.sh"))
            .arg(&html)
            .arg(&prefix)
            .output()
            .unwrap();
        assert!(
            render.status.success(),
            "render.sh {lang}: {}",
            String::from_utf8_lossy(&render.stderr)
        );
        let with = |ext: &str| prefix.with_extension(ext);
        // A4: 595 x 842 points, as pdfinfo names it.
        let info = Command::new("pdfinfo").arg(with("pdf")).output().unwrap();
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(
            info.lines()
                .any(|l| l.starts_with("Page size:") && l.contains("(A4)")),
            "{lang}: not A4: {info}"
        );
        // The text of the printed pages: verdict, chart labels, legal terms.
        let text = std::fs::read_to_string(with("txt")).unwrap();
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for w in words {
            let w_flat: String = w.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(&w_flat), "{lang}: the PDF lacks {w:?}");
        }
        // The chart is drawn: the DOM after load holds both SVG charts.
        let dom = std::fs::read_to_string(with("dom.html")).unwrap();
        assert!(dom.contains("<svg id=\"chart-253-1\""), "{lang}: no chart");
        assert!(dom.contains("<svg id=\"chart-286-1\""), "{lang}: no chart");
        if let Some(shots) = &shots {
            std::fs::create_dir_all(shots).unwrap();
            std::fs::copy(with("png"), shots.join(format!("report-{lang}.png"))).unwrap();
            std::fs::copy(with("pdf"), shots.join(format!("report-{lang}.pdf"))).unwrap();
        }
    }
}
