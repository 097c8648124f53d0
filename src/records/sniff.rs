//! Deciding the format of a file from its first bytes (content first, the
//! extension only to break ties).

use super::format::Format;

const CANDIDATES: [u8; 4] = [b'\t', b',', b'|', b';'];

/// Decides the format from a sample of the (UTF-8 or GBK) bytes.
pub fn sniff_format(sample: &[u8], complete: bool, ext: Option<&str>) -> Format {
    let trimmed = trim_start(sample);
    match trimmed.first() {
        Some(b'[') if json_array_starts(trimmed) => return Format::Json,
        Some(b'{') => {
            // JSON Lines if the extension says so, or if any of the first lines
            // is a complete value on its own (a truncated first line must not
            // turn the file into one endless JSON value).
            if matches!(ext, Some("jsonl") | Some("ndjson")) {
                return Format::JsonLines;
            }
            let mut lines: Vec<&[u8]> = split_lines(trimmed);
            if !complete && lines.len() > 1 {
                lines.pop(); // cut by the sample's end
            }
            return if lines.into_iter().take(5).any(is_json_line) {
                Format::JsonLines
            } else {
                Format::Json
            };
        }
        _ => {}
    }
    if looks_like_sql(trimmed) {
        return Format::Sql;
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
        // Nothing to go on (an empty file): the extension names the format.
        return ext.and_then(Format::parse).unwrap_or(Format::Text);
    }
    let dashes = lines
        .iter()
        .filter(|l| memchr::memmem::find(l, b"---").is_some())
        .count();
    if dashes * 2 >= lines.len() {
        return Format::Text;
    }
    // A delimiter is consistent when at least 90% of the records have the
    // same (non-zero) number of it: one ragged row does not make a CSV text.
    // Ties go to the extension's delimiter, then tab, comma, `|`, `;`.
    let preferred = match ext {
        Some("csv") => b',',
        _ => b'\t',
    };
    let mut best: Option<(usize, usize, bool, u8)> = None;
    for d in CANDIDATES {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let Some(mode) = mode_nonzero(&counts) else {
            continue;
        };
        let share = counts.iter().filter(|&&c| c == mode).count();
        // 90% of the records, or all but one of a short sample
        let strays = lines.len() - share;
        if share * 10 < lines.len() * 9 && !(strays <= 1 && lines.len() >= 3) {
            continue;
        }
        let score = (share, mode, d == preferred, d);
        let better = match best {
            None => true,
            Some((bs, bm, bp, _)) => (share, mode, d == preferred) > (bs, bm, bp),
        };
        if better {
            best = Some(score);
        }
    }
    if let Some((_, _, _, delimiter)) = best {
        return Format::Csv { delimiter };
    }
    // One value per line and no separator anywhere: a one-column table, which
    // may have a header row.
    // (`---` looked for once per line: per `-` it made a line of `-1-1…`
    // quadratic.)
    let any_separator = lines.iter().any(|l| {
        l.iter().any(|&b| CANDIDATES.contains(&b) || b == b' ')
            || memchr::memmem::find(l, b"---").is_some()
    });
    if !any_separator {
        return Format::Csv { delimiter: b',' };
    }
    Format::Text
}

/// An SQL dump: after comments, the first word is a statement keyword, and
/// the sample holds data statements (`INSERT INTO`, `REPLACE INTO`, `COPY`)
/// or table definitions. Leak lines that start with `--` separators do not
/// qualify: a comment is `--` followed by a space or the line's end.
fn looks_like_sql(sample: &[u8]) -> bool {
    const KEYWORDS: [&str; 18] = [
        "CREATE",
        "INSERT",
        "REPLACE",
        "SET",
        "DROP",
        "LOCK",
        "UNLOCK",
        "COPY",
        "USE",
        "BEGIN",
        "START",
        "ALTER",
        "SELECT",
        "COMMIT",
        "TRUNCATE",
        "DELETE",
        "UPDATE",
        "SAVEPOINT",
    ];
    let mut rest = sample;
    loop {
        rest = trim_start(rest);
        if let Some(after) = rest.strip_prefix(b";") {
            rest = after; // what is left of a `/*! … */;` line
        } else if rest.starts_with(b"/*") {
            match memchr::memmem::find(rest, b"*/") {
                Some(end) => rest = &rest[end + 2..],
                None => return false,
            }
        } else if rest.starts_with(b"#")
            || rest.starts_with(b"--")
                && matches!(rest.get(2), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
        {
            match memchr::memchr(b'\n', rest) {
                Some(end) => rest = &rest[end + 1..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let word: Vec<u8> = rest
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_uppercase)
        .collect();
    if !KEYWORDS.iter().any(|k| k.as_bytes() == word.as_slice())
        || !matches!(rest.get(word.len()), Some(b) if b.is_ascii_whitespace())
    {
        return false;
    }
    // and a data or table statement must begin a line somewhere in the
    // sample: `Copy of 客户资料` or a note that mentions INSERT INTO is text
    split_lines(sample).into_iter().any(starts_data_statement)
}

/// A line that begins (after indentation) an INSERT, REPLACE, CREATE TABLE
/// or `COPY … FROM stdin` statement.
fn starts_data_statement(line: &[u8]) -> bool {
    let upper: Vec<u8> = line
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(512)
        .map(u8::to_ascii_uppercase)
        .collect();
    let words: Vec<&[u8]> = upper
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [b"INSERT", next, ..] => {
            matches!(
                *next,
                b"INTO" | b"IGNORE" | b"LOW_PRIORITY" | b"DELAYED" | b"HIGH_PRIORITY"
            ) || next.starts_with(b"[")
                || next.starts_with(b"`")
        }
        [b"REPLACE", b"INTO", ..] | [b"CREATE", b"TABLE", ..] => true,
        [b"CREATE", b"TEMPORARY" | b"UNLOGGED", b"TABLE", ..] => true,
        [b"COPY", _, ..] => memchr::memmem::find(&upper, b" FROM STDIN").is_some(),
        _ => false,
    }
}

/// Splits on line ends outside double quotes, so a quoted field that spans
/// lines stays in one record (as the CSV parser will read it). Line ends are
/// `\n`, `\r\n` and a lone `\r` (see `lines`).
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
            b'\r' if !quoted && sample.get(i + 1) != Some(&b'\n') => {
                out.push(&sample[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&sample[start..]);
    if quoted {
        // A quote that never closes is a stray quote, not a field that spans
        // the rest of the sample: judge the lines as they are.
        return split_lines(sample);
    }
    out
}

/// The lines of a sample, whatever their line ends.
fn split_lines(sample: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    super::lines::for_each(sample, |_, line| out.push(line));
    if sample.ends_with(b"\n") || sample.ends_with(b"\r") {
        out.push(&sample[sample.len()..]);
    }
    out
}

fn is_json_line(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line);
    let t = text.trim();
    t.starts_with('{') && serde_json::from_str::<serde_json::Value>(t).is_ok()
}

/// The most common non-zero count (the larger on a tie).
fn mode_nonzero(counts: &[usize]) -> Option<usize> {
    let mut freq: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for &c in counts.iter().filter(|&&c| c > 0) {
        *freq.entry(c).or_default() += 1;
    }
    freq.into_iter()
        .max_by_key(|&(c, n)| (n, c))
        .map(|(c, _)| c)
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
    if quoted {
        // a quote that never closes on its line is taken literally
        return line.iter().filter(|&&b| b == d).count();
    }
    n
}

/// Whether a sample that opens with `[` is a JSON array: its first value
/// either runs past the sample, or ends its line; a first line that is not
/// JSON (`[1] 客户…`, `[INFO] …`: a numbered or tagged text line) is no
/// array. A syntax error after the first line leaves it JSON (a damaged
/// array is read as far as it goes, with an error).
fn json_array_starts(s: &[u8]) -> bool {
    let mut values = serde_json::Deserializer::from_slice(s).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => {
            let rest = s.get(values.byte_offset()..).unwrap_or_default();
            let line = rest.split(|&c| c == b'\n').next().unwrap_or_default();
            line.iter().all(u8::is_ascii_whitespace)
        }
        Some(Err(e)) => e.is_eof() || e.line() > 1,
        None => false,
    }
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
        // A text line that opens with a bracket is no JSON array.
        assert_eq!(
            sniff("[1] 客户张伟的留言：13812345678\n[2] 李娜\n"),
            Format::Text
        );
        assert_eq!(sniff("[INFO] user 13812345678 logged in\n"), Format::Text);
        // A JSON array cut by the sample, or damaged after its first line, is JSON.
        assert_eq!(
            sniff_format(b"[{\"a\": 1}, {\"a\"", false, None),
            Format::Json
        );
        assert_eq!(sniff("[\n{\"a\": 1},\n{\"a\" 2}\n]\n"), Format::Json);
        // review findings: one ragged row; tab beside commas; truncated first JSON line
        let ragged =
            "qq,card,pwd\n1,2,3\n4,5,6\n7,8,9,\n1,2,3\n4,5,6\n7,8,9\n1,2,3\n4,5,6\n7,8,9\n1,2,3\n";
        assert_eq!(sniff(ragged), Format::Csv { delimiter: b',' });
        assert_eq!(
            sniff("13812345678\t39.904211,116.407395\n13912345678\t39.9,116.4\n"),
            Format::Csv { delimiter: b'\t' }
        );
        assert_eq!(
            sniff("{\"a\": 1, \"b\n{\"a\": 2}\n{\"a\": 3}\n"),
            Format::JsonLines
        );
        assert_eq!(
            sniff_format(b"{\"a\": 1, \"b\n", true, Some("jsonl")),
            Format::JsonLines
        );
        // SQL dumps, whatever their extension; leak lines with `--` are not
        let mysql = "-- MySQL dump 10.13\n/*!40101 SET NAMES utf8 */;\nDROP TABLE IF EXISTS `t`;\nCREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1);\n";
        assert_eq!(sniff(mysql), Format::Sql);
        assert_eq!(sniff("insert into t (a) values (1);\n"), Format::Sql);
        assert_eq!(
            sniff("SET standard_conforming_strings = on;\nCOPY public.t (a) FROM stdin;\n1\n\\.\n"),
            Format::Sql
        );
        assert_eq!(
            sniff("--\n-- PostgreSQL database dump\n--\nCREATE TABLE x (a int);\n"),
            Format::Sql
        );
        assert_eq!(
            sniff("----张三----13812345678\n----李四----13912345678\n"),
            Format::Text
        );
        assert_eq!(sniff("set,name\n1,张三\n"), Format::Csv { delimiter: b',' });
        assert_eq!(sniff("SELECT is not a dump\nname,phone\n"), Format::Text);
        // review: SQL keywords that open ordinary text
        assert_eq!(
            sniff("Copy of 客户资料 2019\n张三----110101----13812345678\n李四----110102----13912345678\n"),
            Format::Text
        );
        assert_eq!(
            sniff("DELETE after use! do not INSERT INTO anything\n张三----13812345678\n"),
            Format::Text
        );
        assert_eq!(
            sniff("BEGIN,COPY ,x\n1,2,3\n4,5,6\n"),
            Format::Csv { delimiter: b',' }
        );
        assert_eq!(
            sniff("USE [db]\nGO\nINSERT [dbo].[u] ([id]) VALUES (1)\nGO\n"),
            Format::Sql
        );
    }
}
