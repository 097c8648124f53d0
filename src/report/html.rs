//! The case-file report as one self-contained HTML page: inline CSS and
//! SVG, no script, no network resource, laid out for A4 paper.

use std::fmt::Write as _;

use super::blocks::Block;
use crate::model::Level;

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A chart under its caption.
pub fn figure(caption: &str, svg: &str) -> String {
    format!(
        "<figure><figcaption>{}</figcaption>{svg}</figure>",
        escape(caption)
    )
}

const CSS: &str = r#"
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
:root { --ink: #1b1b1b; --muted: #5c5c5c; --rule: #c8c8c8; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); font-size: 10.5pt; line-height: 1.5; max-width: 190mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 18pt; margin: 0 0 2pt; }
.subtitle { color: var(--muted); margin: 0 0 10pt; font-size: 9pt; }
h2 { font-size: 13pt; border-bottom: 1.5pt solid var(--ink); padding-bottom: 2pt; margin: 16pt 0 6pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
p, li { margin: 3pt 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid var(--rule); padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 7.5pt; word-break: break-all; }
.verdict { border: 1pt solid var(--rule); border-left: 5pt solid #8a8a8a; padding: 4pt 8pt; margin: 6pt 0 10pt; break-inside: avoid; }
.verdict.serious { border-left-color: #d9822b; }
.verdict.especially_serious { border-left-color: #c0392b; }
.verdict h3 { margin: 2pt 0 4pt; }
.verdict table { margin: 0; }
.verdict th { width: 28%; background: none; font-weight: 600; }
.level { font-weight: 700; font-size: 12pt; }
figure { margin: 4pt 0; break-inside: avoid; }
figcaption { font-weight: 600; font-size: 9.5pt; }
svg.chart { max-width: 180mm; height: auto; font-size: 11px; }
svg.chart .label, svg.chart .value, svg.chart .mark { fill: #1b1b1b; }
svg.chart .strong { font-weight: 700; }
svg.chart .mark { font-size: 10px; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
"#;

pub fn render(blocks: &[Block], lang_attr: &str) -> String {
    let mut o = String::new();
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title { title, .. } => Some(title.as_str()),
            _ => None,
        })
        .unwrap_or("tiaoshu");
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{lang_attr}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape(title)
    );
    for b in blocks {
        match b {
            Block::Title { title, subtitle } => {
                let _ = writeln!(
                    o,
                    "<h1>{}</h1>\n<p class=\"subtitle\">{}</p>",
                    escape(title),
                    escape(subtitle)
                );
            }
            Block::Heading(t) => {
                let _ = writeln!(o, "<h2>{}</h2>", escape(t));
            }
            Block::Subheading(t) => {
                let _ = writeln!(o, "<h3>{}</h3>", escape(t));
            }
            Block::Para(t) => {
                let _ = writeln!(o, "<p>{}</p>", escape(t));
            }
            Block::List(items) => {
                o.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(o, "<li>{}</li>", escape(i));
                }
                o.push_str("</ul>\n");
            }
            Block::Verdict { level, title, rows } => {
                let class = match level {
                    Level::None => "none",
                    Level::Serious => "serious",
                    Level::EspeciallySerious => "especially_serious",
                };
                let _ = writeln!(
                    o,
                    "<section class=\"verdict {class}\">\n<h3>{}</h3>\n<table>",
                    escape(title)
                );
                for (i, (k, v)) in rows.iter().enumerate() {
                    let value = if i == 0 {
                        format!("<span class=\"level\">{}</span>", escape(v))
                    } else {
                        escape(v)
                    };
                    let _ = writeln!(o, "<tr><th>{}</th><td>{value}</td></tr>", escape(k));
                }
                o.push_str("</table>\n</section>\n");
            }
            Block::Table {
                head,
                rows,
                numeric,
                mono,
            } => {
                o.push_str("<table>\n<thead><tr>");
                for h in head {
                    let _ = write!(o, "<th>{}</th>", escape(h));
                }
                o.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    o.push_str("<tr>");
                    for (i, cell) in r.iter().enumerate() {
                        let class = match (numeric.get(i), mono.get(i)) {
                            (Some(true), _) => " class=\"num\"",
                            (_, Some(true)) => " class=\"mono\"",
                            _ => "",
                        };
                        let _ = write!(o, "<td{class}>{}</td>", escape(cell));
                    }
                    o.push_str("</tr>\n");
                }
                o.push_str("</tbody>\n</table>\n");
            }
            Block::Chart { caption, svg } => {
                o.push_str(&figure(caption, svg));
                o.push('\n');
            }
        }
    }
    o.push_str("</body>\n</html>\n");
    o
}
