//! JSON Lines and JSON arrays / streams of objects. Nested objects are
//! flattened to dotted key paths (`user.contact.mobile`), array elements get
//! their index (`phones.0`).

use serde_json::Value;

use super::text::{for_each_line, split};
use super::{ChunkSpec, Column, Position, RecordBuf, RecordSink};

/// One JSON value per line. A line that is not JSON is reported and still read
/// as a text line, so its identifiers are not lost from the count.
pub fn parse_lines(spec: &ChunkSpec, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
    for_each_line(chunk, |pos, line| {
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let (text, errors) = crate::decode::field(spec.decoding, line);
        if errors {
            sink.error(pos, super::UNDECODABLE.into());
        }
        record_from_text(&text, pos, &mut rec, sink);
    });
}

fn record_from_text(text: &str, pos: Position, rec: &mut RecordBuf, sink: &mut dyn RecordSink) {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => record_from_value(&v, pos, rec, sink),
        Err(e) => {
            sink.error(pos, format!("invalid JSON ({e}); read as a text line"));
            // Keys and values of a broken object are still words: drop the
            // JSON punctuation so `"mobile":"139…"` yields `139…`.
            let words: String = text
                .chars()
                .map(|c| {
                    if matches!(c, '{' | '}' | '[' | ']' | '"' | ':' | ',') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            rec.clear();
            split(&words, rec);
            if !rec.is_blank() {
                sink.record(pos, rec);
            }
        }
    }
}

fn record_from_value(v: &Value, pos: Position, rec: &mut RecordBuf, sink: &mut dyn RecordSink) {
    rec.clear();
    flatten(v, &mut String::new(), rec);
    if !rec.is_blank() {
        sink.record(pos, rec);
    }
}

/// A top-level value of a JSON file. An export wrapper such as
/// `{"code": 0, "data": {"list": [{…}, {…}]}}` holds its records in arrays of
/// objects: each element is a record, and the wrapper's own scalars are one
/// more record, so nothing in the file goes unread.
fn records_from_value_text(
    text: &str,
    pos: Position,
    rec: &mut RecordBuf,
    sink: &mut dyn RecordSink,
) {
    match serde_json::from_str::<Value>(text) {
        Ok(v) if has_record_array(&v, 0) => {
            rec.clear();
            unwrap(&v, &mut String::new(), 0, pos, rec, sink);
        }
        Ok(v) => record_from_value(&v, pos, rec, sink),
        // the error path reads the text as words
        Err(_) => record_from_text(text, pos, rec, sink),
    }
}

const WRAPPER_DEPTH: usize = 3;

fn is_record_array(v: &Value) -> bool {
    matches!(v, Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object))
}

fn has_record_array(v: &Value, depth: usize) -> bool {
    match v {
        Value::Object(map) if depth < WRAPPER_DEPTH => map
            .values()
            .any(|c| is_record_array(c) || has_record_array(c, depth + 1)),
        _ => false,
    }
}

/// Emits the elements of record arrays as records and collects the rest of
/// the wrapper into `rec`, emitted last by the outermost call.
fn unwrap(
    v: &Value,
    path: &mut String,
    depth: usize,
    pos: Position,
    rec: &mut RecordBuf,
    sink: &mut dyn RecordSink,
) {
    let Value::Object(map) = v else { return };
    for (k, child) in map {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(k);
        if is_record_array(child) {
            let mut item_rec = RecordBuf::default();
            if let Value::Array(items) = child {
                for item in items {
                    item_rec.clear();
                    flatten(item, &mut String::new(), &mut item_rec);
                    if !item_rec.is_blank() {
                        sink.record(pos, &item_rec);
                    }
                }
            }
        } else if child.is_object()
            && depth + 1 < WRAPPER_DEPTH
            && has_record_array(child, depth + 1)
        {
            unwrap(child, path, depth + 1, pos, rec, sink);
        } else {
            flatten(child, path, rec);
        }
        path.truncate(len);
    }
    if depth == 0 && !rec.is_blank() {
        sink.record(pos, rec);
    }
}

/// A JSON array of values, or top-level values one after another (pretty
/// printed objects). One element = one record.
pub fn parse_values(spec: &ChunkSpec, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
    let mut in_array = spec.in_array;
    let mut i = 0;
    let mut line = 0u64;
    let mut counted_to = 0;
    while let Some(start) = next_value(chunk, i, &mut in_array) {
        line += memchr::memchr_iter(b'\n', &chunk[counted_to..start]).count() as u64;
        counted_to = start;
        let pos = Position {
            line,
            offset: start as u64,
        };
        let end = value_end(chunk, start).unwrap_or(chunk.len());
        let (text, errors) = crate::decode::field(spec.decoding, &chunk[start..end]);
        if errors {
            sink.error(pos, super::UNDECODABLE.into());
        }

        records_from_value_text(&text, pos, &mut rec, sink);
        i = end;
    }
}

/// Skips white space, commas and the brackets of a top-level array; returns
/// where the next value starts.
fn next_value(buf: &[u8], mut i: usize, in_array: &mut bool) -> Option<usize> {
    while i < buf.len() {
        match buf[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
            b'[' if !*in_array => {
                *in_array = true;
                i += 1;
            }
            b']' if *in_array => {
                *in_array = false;
                i += 1;
            }
            0xef if buf[i..].starts_with(&[0xef, 0xbb, 0xbf]) => i += 3,
            _ => return Some(i),
        }
    }
    None
}

/// End of the JSON value starting at `buf[start]`, or `None` if the buffer
/// ends first. Strings and escapes are respected; nothing is allocated.
pub fn value_end(buf: &[u8], start: usize) -> Option<usize> {
    let first = *buf.get(start)?;
    if first != b'{' && first != b'[' && first != b'"' {
        let len = buf[start..]
            .iter()
            .position(|&b| matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n'))?;
        return Some(start + len);
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = start;
    while i < buf.len() {
        let b = buf[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// End of the last complete top-level value in `buf`, and whether the stream
/// is inside a top-level array there.
pub fn last_boundary(buf: &[u8], mut in_array: bool) -> (Option<usize>, bool) {
    let mut last = None;
    let mut last_in_array = in_array;
    let mut i = 0;
    while let Some(start) = next_value(buf, i, &mut in_array) {
        match value_end(buf, start) {
            Some(end) if end < buf.len() => {
                last = Some(end);
                last_in_array = in_array;
                i = end;
            }
            _ => break,
        }
    }
    (last, last_in_array)
}

fn flatten(v: &Value, path: &mut String, rec: &mut RecordBuf) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                flatten(child, path, rec);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&i.to_string());
                flatten(child, path, rec);
                path.truncate(len);
            }
        }
        Value::Null => {}
        scalar => {
            let column = if path.is_empty() {
                Column::None
            } else {
                rec.key(path)
            };
            match scalar {
                Value::String(s) => rec.push(column, s),
                // arbitrary_precision keeps numbers as written: an 18-digit ID
                // stored as a number keeps every digit.
                other => rec.push(column, &other.to_string()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::FieldDecoding;
    use crate::records::Format;

    #[derive(Default)]
    struct Collect {
        records: Vec<(u64, Vec<(String, String)>)>,
        errors: Vec<(u64, String)>,
    }

    impl RecordSink for Collect {
        fn record(&mut self, pos: Position, r: &RecordBuf) {
            let fields = r
                .fields()
                .map(|(c, v)| (r.key_text(c).to_string(), v.to_string()))
                .collect();
            self.records.push((pos.line, fields));
        }
        fn error(&mut self, pos: Position, message: String) {
            self.errors.push((pos.line, message));
        }
    }

    fn spec(format: Format) -> ChunkSpec {
        ChunkSpec {
            format,
            decoding: FieldDecoding::Utf8,
            header_at: None,
            in_array: false,
            sql: None,
        }
    }

    #[test]
    fn lines_flatten_and_survive_bad_lines() {
        let input = "{\"user\":{\"name\":\"张三\",\"mobile\":13812345678},\"tags\":[\"a\"]}\n\nnot json 13912345678\n{\"id\":110105194912310029}\n";
        let mut c = Collect::default();
        parse_lines(&spec(Format::JsonLines), input.as_bytes(), &mut c);
        assert_eq!(c.records.len(), 3);
        assert_eq!(
            c.records[0].1,
            [
                ("user.name".into(), "张三".into()),
                ("user.mobile".into(), "13812345678".into()),
                ("tags.0".into(), "a".into())
            ]
        );
        assert_eq!(c.records[1].0, 2);
        assert_eq!(c.records[1].1[2].1, "13912345678");
        assert_eq!(
            c.records[2].1[0].1, "110105194912310029",
            "big integers keep their digits"
        );
        assert_eq!(c.errors.len(), 1);
        assert_eq!(c.errors[0].0, 2);
    }

    #[test]
    fn arrays_and_pretty_streams() {
        let input =
            "[\n  {\"name\": \"张三\", \"note\": \"a]b\\\"}\"},\n  {\"name\": \"李四\"}\n]\n";
        let mut c = Collect::default();
        parse_values(&spec(Format::Json), input.as_bytes(), &mut c);
        assert_eq!(c.records.len(), 2);
        assert_eq!(c.records[0].1[1].1, "a]b\"}");
        assert_eq!(c.records[1].0, 2);
        let stream = "{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n";
        let mut c = Collect::default();
        parse_values(&spec(Format::Json), stream.as_bytes(), &mut c);
        assert_eq!(c.records.len(), 2);
        assert_eq!(c.records[1].0, 3);
    }

    #[test]
    fn export_wrappers_yield_their_records() {
        let input = r#"{"code": 0, "msg": "ok", "data": {"total": 2, "list": [{"name": "张三", "user": {"mobile": "13812345678"}}, {"name": "李四"}]}}"#;
        let mut c = Collect::default();
        parse_values(&spec(Format::Json), input.as_bytes(), &mut c);
        assert_eq!(
            c.records.len(),
            3,
            "two list items and the wrapper's own fields"
        );
        assert_eq!(
            c.records[0].1,
            [
                ("name".into(), "张三".into()),
                ("user.mobile".into(), "13812345678".into())
            ]
        );
        assert_eq!(
            c.records[2].1,
            [
                ("code".into(), "0".into()),
                ("msg".into(), "ok".into()),
                ("data.total".into(), "2".into())
            ]
        );
        // a plain object with no array of objects is one record
        let mut c = Collect::default();
        parse_values(
            &spec(Format::Json),
            r#"{"name": "张三", "tags": ["a", "b"]}"#.as_bytes(),
            &mut c,
        );
        assert_eq!(c.records.len(), 1);
    }

    #[test]
    fn boundaries_between_elements() {
        let buf = b"[{\"a\":1},{\"a\":\"}\"},{\"a\"";
        let (end, in_array) = last_boundary(buf, false);
        assert_eq!(end, Some(18));
        assert!(in_array);
        assert_eq!(last_boundary(b"{\"a\":", false).0, None);
    }
}
