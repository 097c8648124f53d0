//! Deciding the format of a file from its first bytes (content first, the
//! extension only to break ties).

use super::Format;

const CANDIDATES: [u8; 4] = [b'\t', b',', b'|', b';'];

/// Decides the format from a sample of the (UTF-8 or GBK) bytes.
pub fn sniff_format(sample: &[u8], complete: bool, ext: Option<&str>) -> Format {
    let trimmed = trim_start(sample);
    match trimmed.first() {
        Some(b'[') => return Format::Json,
        Some(b'{') => {
            let first_line = trimmed.split(|&b| b == b'\n').next().unwrap_or_default();
            let text = String::from_utf8_lossy(first_line);
            return if serde_json::from_str::<serde_json::Value>(text.trim()).is_ok() {
                Format::JsonLines
            } else {
                Format::Json
            };
        }
        _ => {}
    }
    let mut lines = records(sample);
    if !complete && lines.len() > 1 {
        lines.pop(); // cut by the sample's end
    }
    let lines: Vec<&[u8]> = lines
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(100)
        .collect();
    if lines.is_empty() {
        return Format::Text;
    }
    let dashes = lines
        .iter()
        .filter(|l| memchr::memmem::find(l, b"---").is_some())
        .count();
    if dashes * 2 >= lines.len() {
        return Format::Text;
    }
    let preferred = match ext {
        Some("tsv") | Some("tab") => b'\t',
        _ => b',',
    };
    let mut best: Option<(u8, usize)> = None;
    for d in CANDIDATES {
        let first = count_outside_quotes(lines[0], d);
        if first == 0 || lines.iter().any(|l| count_outside_quotes(l, d) != first) {
            continue;
        }
        let better = match best {
            None => true,
            Some((bd, bn)) => first > bn || (first == bn && d == preferred && bd != preferred),
        };
        if better {
            best = Some((d, first));
        }
    }
    if let Some((delimiter, _)) = best {
        return Format::Csv { delimiter };
    }
    // One value per line and no separator anywhere: a one-column table, which
    // may have a header row.
    let any_separator = lines.iter().any(|l| {
        l.iter().any(|&b| {
            CANDIDATES.contains(&b) || b == b' ' || b == b'-' && l.windows(3).any(|w| w == b"---")
        })
    });
    if !any_separator {
        return Format::Csv { delimiter: b',' };
    }
    Format::Text
}

/// Splits on newlines outside double quotes, so a quoted field that spans
/// lines stays in one record (as the CSV parser will read it).
fn records(sample: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, &b) in sample.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                out.push(&sample[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&sample[start..]);
    out
}

fn trim_start(s: &[u8]) -> &[u8] {
    let s = s.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(s);
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

/// Delimiters on one line, not counting those inside a quoted field.
fn count_outside_quotes(line: &[u8], d: u8) -> usize {
    let mut n = 0;
    let mut quoted = false;
    for (i, &b) in line.iter().enumerate() {
        if b == b'"' && (quoted || i == 0 || line[i - 1] == d) {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(s: &str) -> Format {
        sniff_format(s.as_bytes(), true, None)
    }

    #[test]
    fn by_content() {
        assert_eq!(sniff("a,b\n1,2\n"), Format::Csv { delimiter: b',' });
        assert_eq!(sniff("a\tb\n1\t2\n"), Format::Csv { delimiter: b'\t' });
        assert_eq!(sniff("a|b|c\n1|2|3\n"), Format::Csv { delimiter: b'|' });
        assert_eq!(
            sniff("a,\"x,y\",b\n1,2,3\n"),
            Format::Csv { delimiter: b',' }
        );
        assert_eq!(sniff("张三----138\n李四----139\n"), Format::Text);
        assert_eq!(sniff("13812345678\n张三,13912345678\n"), Format::Text);
        assert_eq!(sniff("张三 13812345678\n"), Format::Text);
        assert_eq!(
            sniff("手机号\n13812345678\n"),
            Format::Csv { delimiter: b',' }
        );
        assert_eq!(sniff("{\"a\":1}\n{\"a\":2}\n"), Format::JsonLines);
        assert_eq!(sniff("{\n \"a\": 1\n}\n"), Format::Json);
        assert_eq!(sniff("  [ {\"a\":1} ]"), Format::Json);
    }
}
