//! Leak-style text: one record per line, fields split on any of the usual
//! separators (`----`, `|`, tabs, commas, semicolons, runs of spaces), mixed
//! freely inside one file.

use super::record::{Column, RecordBuf, RecordSink};
use crate::decode::FieldDecoding;

pub fn parse(decoding: FieldDecoding, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
    super::lines::for_each(chunk, |pos, line| {
        rec.clear();
        let (text, errors) = crate::decode::field(decoding, line);
        split(&text, &mut rec);
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

/// Splits a line into fields.
pub fn split(line: &str, rec: &mut RecordBuf) {
    let level = level_of(line);
    let mut field_start = 0;
    let mut chars = line.char_indices().peekable();
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
            let field = line[field_start..i].trim();
            if !field.is_empty() {
                rec.push(Column::None, field);
            }
            field_start = i + sep_len;
            while chars.peek().is_some_and(|&(j, _)| j < field_start) {
                chars.next();
            }
        }
    }
    let field = line[field_start..].trim();
    if !field.is_empty() {
        rec.push(Column::None, field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<String> {
        let mut rec = RecordBuf::default();
        split(line, &mut rec);
        rec.fields().map(|(_, v)| v.to_string()).collect()
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
