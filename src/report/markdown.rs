//! The case-file report as Markdown: the same blocks as the HTML; the
//! chart is inline SVG (shown by renderers that allow HTML), and its
//! numbers are also in the tables.

use std::fmt::Write as _;

use super::blocks::Block;

/// Escapes text for a Markdown paragraph or table cell.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn render(blocks: &[Block]) -> String {
    let mut o = String::new();
    for b in blocks {
        match b {
            Block::Title { title, subtitle } => {
                let _ = writeln!(o, "# {}\n\n_{}_\n", escape(title), escape(subtitle));
            }
            Block::Heading(t) => {
                let _ = writeln!(o, "## {}\n", escape(t));
            }
            Block::Subheading(t) => {
                let _ = writeln!(o, "### {}\n", escape(t));
            }
            Block::Para(t) => {
                let _ = writeln!(o, "{}\n", escape(t));
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(o, "- {}", escape(i));
                }
                o.push('\n');
            }
            Block::Verdict { title, rows, .. } => {
                let _ = writeln!(o, "### {}\n", escape(title));
                for (i, (k, v)) in rows.iter().enumerate() {
                    if i == 0 {
                        let _ = writeln!(o, "- **{}: {}**", escape(k), escape(v));
                    } else {
                        let _ = writeln!(o, "- {}: {}", escape(k), escape(v));
                    }
                }
                o.push('\n');
            }
            Block::Table {
                head,
                rows,
                numeric,
                ..
            } => {
                let cells = |r: &[String]| {
                    let v: Vec<String> = r.iter().map(|c| escape(c)).collect();
                    format!("| {} |", v.join(" | "))
                };
                let _ = writeln!(o, "{}", cells(head));
                let rule: Vec<&str> = (0..head.len())
                    .map(|i| {
                        if numeric.get(i) == Some(&true) {
                            "---:"
                        } else {
                            "---"
                        }
                    })
                    .collect();
                let _ = writeln!(o, "|{}|", rule.join("|"));
                for r in rows {
                    let _ = writeln!(o, "{}", cells(r));
                }
                o.push('\n');
            }
            // Raw HTML: shown by renderers that allow it.
            Block::Chart { caption, svg } => {
                let _ = writeln!(o, "<div>\n{}\n</div>\n", super::html::figure(caption, svg));
            }
        }
    }
    o
}
