//! Leak-style text: one record per line, fields split on any of the usual
//! separators (`----`, `|`, tabs, commas, semicolons, runs of spaces), mixed
//! freely inside one file.

use super::record::{Column, RecordBuf, RecordSink};
use crate::decode::FieldDecoding;

pub fn parse(decoding: FieldDecoding, usual: Option<u16>, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
    super::lines::for_each(chunk, |pos, line| {
        rec.clear();
        let (text, errors) = crate::decode::field(decoding, line);
        split(&text, usual, &mut rec);
        if rec.is_blank() {
            return;
        }
        if errors {
            sink.error(pos, super::record::RecordError::Undecodable(decoding));
        }
        sink.record(pos, &rec);
    });
}

/// Separators, strongest first. A line is split on the strongest group it
/// contains, so `13812345678----39.904211,116.407395----2023-01-01 10:00:00`
/// keeps its coordinate pair and its timestamp whole.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// `----`, `|`, tab: leak-dump separators.
    Strong,
    /// commas and semicolons, ASCII and full-width, and `、`.
    Punctuation,
    /// runs of white space.
    Space,
}

fn level_of(line: &str) -> Level {
    if line.contains("---") || line.contains('|') || line.contains('\t') {
        Level::Strong
    } else if line.contains([',', '，', ';', '；', '、']) {
        Level::Punctuation
    } else {
        Level::Space
    }
}

fn is_separator(c: char, level: Level) -> bool {
    match level {
        Level::Strong => matches!(c, '|' | '\t'),
        Level::Punctuation => matches!(c, ',' | '，' | ';' | '；' | '、'),
        Level::Space => c.is_whitespace(),
    }
}

/// Whether the white space at `i` stands between two digits: inside a
/// number written in groups (`+86 138 1234 5678`, `6222 0212 3456 7890`, a
/// time, a coordinate pair), not between two fields. Two whole numbers side
/// by side become one field, whose identifiers free-text detection still
/// finds one by one.
fn joins_digits(line: &str, i: usize) -> bool {
    let before = line[..i]
        .trim_end_matches(char::is_whitespace)
        .chars()
        .next_back();
    let after = line[i..].chars().find(|c| !c.is_whitespace());
    before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit())
}

/// The number of fields at least 90% of a sample's whole non-blank lines
/// split into, if there is one. [`split`] uses it to tell a `|` or `----`
/// inside an e-mail address from one between fields.
pub fn usual_fields(decoding: FieldDecoding, sample: &[u8], eof: bool) -> Option<u16> {
    let whole = super::lines::last_line_end(sample, eof).unwrap_or(0);
    let mut widths = Vec::new();
    let mut rec = RecordBuf::default();
    super::lines::for_each(sample.get(..whole).unwrap_or_default(), |_, line| {
        rec.clear();
        let (text, _) = crate::decode::field(decoding, line);
        split(&text, None, &mut rec);
        widths.push(rec.fields().count());
    });
    usual_width(widths.into_iter().filter(|&n| n > 0))
}

/// The width at least 90% of `widths` have, if there is one.
pub fn usual_width(widths: impl Iterator<Item = usize>) -> Option<u16> {
    let mut counts: std::collections::BTreeMap<usize, u64> = Default::default();
    for n in widths {
        *counts.entry(n).or_default() += 1;
    }
    let total: u64 = counts.values().sum();
    let (&n, &c) = counts.iter().max_by_key(|&(_, &c)| c)?;
    (c * 10 >= total * 9)
        .then(|| u16::try_from(n).ok())
        .flatten()
}

/// Splits a line into fields.
///
/// `usual` is the number of fields nearly all the file's lines have. A line
/// with more fields than that, where joining pieces of e-mail addresses
/// split by a `|` or a run of `-` (`lei|jie@qq.com`: RFC 5322 allows both in
/// a local part) gives it exactly the usual number, is joined there: a leak
/// separator does not split an address. Otherwise (no usual number, a line
/// of the usual length, or joins that do not reach it) every separator
/// splits.
pub fn split(line: &str, usual: Option<u16>, rec: &mut RecordBuf) {
    let mut n = 0;
    each_field(line, |s, e| {
        rec.push(Column::None, &line[s..e]);
        n += 1;
    });
    if let Some(usual) = usual.map(usize::from) {
        if n > usual && line.contains('@') {
            rejoin(line, usual, rec);
        }
    }
}

/// Splits `line` again, joining pieces of e-mail addresses (see [`split`]).
fn rejoin(line: &str, usual: usize, rec: &mut RecordBuf) {
    let mut spans = Vec::new();
    each_field(line, |s, e| spans.push((s, e)));
    let joined = super::address::join_down(&mut spans, usual, |&(a, b), &(c, d)| {
        super::address::joins_address(&line[a..b], &line[b..c], &line[c..d]).then_some((a, d))
    });
    if joined {
        rec.clear();
        for (s, e) in spans {
            rec.push(Column::None, &line[s..e]);
        }
    }
}

/// Calls `f` with the byte range of every field of `line` (trimmed,
/// non-empty), in order.
fn each_field(line: &str, mut f: impl FnMut(usize, usize)) {
    let level = level_of(line);
    let mut field_start = 0;
    let mut chars = line.char_indices().peekable();
    let mut emit = |s: usize, e: usize| {
        let piece = &line[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            f(s + lead, s + lead + trimmed.len());
        }
    };
    while let Some((i, c)) = chars.next() {
        let sep_len = if is_separator(c, level) && !(level == Level::Space && joins_digits(line, i))
        {
            line[i..]
                .chars()
                .take_while(|&c| c.is_whitespace())
                .map(char::len_utf8)
                .sum::<usize>()
                .max(c.len_utf8())
        } else if level == Level::Strong && c == '-' && line[i..].starts_with("---") {
            line[i..].bytes().take_while(|&b| b == b'-').count()
        } else {
            0
        };
        if sep_len > 0 {
            emit(field_start, i);
            field_start = i + sep_len;
            while chars.peek().is_some_and(|&(j, _)| j < field_start) {
                chars.next();
            }
        }
    }
    emit(field_start, line.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<String> {
        let mut rec = RecordBuf::default();
        split(line, None, &mut rec);
        rec.fields().map(|(_, v)| v.to_string()).collect()
    }

    fn fields_usual(line: &str, usual: u16) -> Vec<String> {
        let mut rec = RecordBuf::default();
        split(line, Some(usual), &mut rec);
        rec.fields().map(|(_, v)| v.to_string()).collect()
    }

    #[test]
    fn a_separator_inside_an_address_does_not_split_it() {
        // The file's lines have three fields: the fourth piece is an
        // address's local part.
        assert_eq!(
            fields_usual("user1|pass123|lei|jie@qq.com", 3),
            ["user1", "pass123", "lei|jie@qq.com"]
        );
        assert_eq!(
            fields_usual("张伟----a----b@163.com----13812345678", 3),
            ["张伟", "a----b@163.com", "13812345678"]
        );
        assert_eq!(fields_usual("u|a|b|c@x.cn", 2), ["u", "a|b|c@x.cn"]);
        // Lines of the usual length, and joins that do not reach it, split.
        assert_eq!(fields_usual("lei|jie@qq.com", 2), ["lei", "jie@qq.com"]);
        assert_eq!(
            fields_usual("a|b|张|d|e@qq.com", 2),
            ["a", "b", "张", "d", "e@qq.com"]
        );
        // White space, a piece that is not dot-atom text, no domain: split.
        assert_eq!(
            fields_usual("u|lei | jie@qq.com", 2),
            ["u", "lei", "jie@qq.com"]
        );
        assert_eq!(
            fields_usual("u|张伟|jie@qq.com", 2),
            ["u", "张伟", "jie@qq.com"]
        );
        assert_eq!(
            fields_usual("u|lei|jie@localhost", 2),
            ["u", "lei", "jie@localhost"]
        );
        assert_eq!(
            fields_usual("u\tlei\tjie@qq.com", 2),
            ["u", "lei", "jie@qq.com"]
        );
    }

    #[test]
    fn the_usual_field_count_needs_nine_lines_in_ten() {
        let dec = FieldDecoding::Utf8;
        let mut sample = "a|13812345678|x@qq.com\n".repeat(9);
        sample.push_str("b|13912345678\n");
        assert_eq!(usual_fields(dec, sample.as_bytes(), true), Some(3));
        sample.push_str("c|13912345678\n");
        assert_eq!(usual_fields(dec, sample.as_bytes(), true), None);
        // A line cut at the end of the sample is not counted.
        let cut = "a|b|c\n".repeat(9) + "d|e";
        assert_eq!(usual_fields(dec, cut.as_bytes(), false), Some(3));
        assert_eq!(usual_fields(dec, cut.as_bytes(), true), Some(3));
        assert_eq!(usual_fields(dec, b"\n\n", true), None);
    }

    #[test]
    fn splits_mixed_separators() {
        assert_eq!(
            fields("张三----13812345678----110101199003071234"),
            ["张三", "13812345678", "110101199003071234"]
        );
        assert_eq!(
            fields("张三|138 1234 5678|a,b\tc"),
            ["张三", "138 1234 5678", "a,b", "c"]
        );
        assert_eq!(
            fields("13812345678----39.904211,116.407395----2023-01-01 10:00:00"),
            ["13812345678", "39.904211,116.407395", "2023-01-01 10:00:00"]
        );
        assert_eq!(
            fields("张三,13812345678，北京市 朝阳区"),
            ["张三", "13812345678", "北京市 朝阳区"]
        );
        assert_eq!(fields("张三 13812345678"), ["张三", "13812345678"]);
        // White space between digits is inside a number, not between fields.
        assert_eq!(
            fields("（+86 138  1234 5678）已登记"),
            ["（+86 138  1234 5678）已登记"]
        );
        assert_eq!(
            fields("张三 13812345678 6222 0212 3456 7890"),
            ["张三", "13812345678 6222 0212 3456 7890"]
        );
        assert_eq!(fields("2020-01-01 ---x"), ["2020-01-01", "x"]);
        assert_eq!(fields("  "), Vec::<String>::new());
    }
}
