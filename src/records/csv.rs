//! Delimited files: any single-byte delimiter, quoted fields with embedded
//! delimiters and newlines, CRLF. Parsing is the `csv` crate's; this module
//! only finds record boundaries for chunking and decodes fields.

use super::{ChunkSpec, Column, Position, RecordBuf, RecordSink};
use crate::decode::FieldDecoding;

/// A reader over bytes: no header handling (the driver decides), ragged
/// rows allowed.
fn reader(delimiter: u8, quoting: bool, bytes: &[u8]) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .quoting(quoting)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// Decodes the fields of a byte record into `rec`. Empty fields are left
/// out: they hold no value (wide exports are mostly empty cells).
fn fill(spec: &ChunkSpec, raw: &::csv::ByteRecord, rec: &mut RecordBuf) {
    rec.clear();
    for (i, f) in raw.iter().enumerate() {
        if !f.is_empty() {
            rec.push_raw(spec.decoding, Column::Index(i as u32), f);
        }
    }
}

pub fn parse(spec: &ChunkSpec, delimiter: u8, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut reader = reader(delimiter, true, chunk);
    let mut raw = ::csv::ByteRecord::new();
    let mut rec = RecordBuf::default();
    let mut record_index = 0u32;
    loop {
        let pos = reader.position().clone();
        let at = Position {
            line: pos.line().saturating_sub(1),
            offset: pos.byte(),
        };
        match reader.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {
                // The record starts where the reader stood, after blank lines it skipped.
                let at = raw.position().map_or(at, |p| Position {
                    line: p.line().saturating_sub(1),
                    offset: p.byte(),
                });
                let index = record_index;
                record_index += 1;
                if spec.header_at == Some(index) {
                    continue;
                }
                let end = reader.position().byte() as usize;
                let span = chunk.get(at.offset as usize..end).unwrap_or_default();
                if end == chunk.len() && unbalanced(span) {
                    sink.error(
                        at,
                        "a quoted field never closes: its lines are read one by one without quoting".into(),
                    );
                    unquoted_lines(spec, delimiter, span, at, sink);
                    continue;
                }
                fill(spec, &raw, &mut rec);
                if rec.is_blank() {
                    continue;
                }
                if rec.decode_errors {
                    sink.error(at, "bytes that are neither UTF-8 nor GBK (replaced)".into());
                }
                sink.record(at, &rec);
            }
            Err(e) => {
                // The byte-record reader has no UTF-8 or length errors; anything
                // here is I/O on an in-memory slice. Report and stop the chunk.
                sink.error(at, format!("CSV: {e}"));
                break;
            }
        }
    }
}

/// A record that ends with its chunk and has an odd number of quotes ran
/// into the end of input inside a quoted field.
fn unbalanced(span: &[u8]) -> bool {
    memchr::memchr_iter(b'"', span).count() % 2 == 1 && memchr::memchr(b'\n', span).is_some()
}

/// Reads each line of `span` as its own record, quotes taken literally.
fn unquoted_lines(
    spec: &ChunkSpec,
    delimiter: u8,
    span: &[u8],
    at: Position,
    sink: &mut dyn RecordSink,
) {
    let mut rec = RecordBuf::default();
    let mut raw = ::csv::ByteRecord::new();
    super::text::for_each_line(span, |pos, line| {
        if let Ok(true) = reader(delimiter, false, line).read_byte_record(&mut raw) {
            fill(spec, &raw, &mut rec);
            if !rec.is_blank() {
                let pos = Position {
                    line: at.line + pos.line,
                    offset: at.offset + pos.offset,
                };
                sink.record(pos, &rec);
            }
        }
    });
}

/// The fields of the first record of a sample.
/// The fields of the first `n` records (for header detection).
pub fn first_records(
    delimiter: u8,
    dec: FieldDecoding,
    sample: &[u8],
    n: usize,
) -> Vec<Vec<String>> {
    let mut raw = ::csv::ByteRecord::new();
    let mut reader = reader(delimiter, true, sample);
    let mut out = Vec::new();
    while out.len() < n {
        match reader.read_byte_record(&mut raw) {
            Ok(true) => out.push(
                raw.iter()
                    .map(|f| crate::decode::field(dec, f).0.into_owned())
                    .collect(),
            ),
            _ => break,
        }
    }
    out
}

/// End of the last complete record in `buf`, quote-aware: a newline inside a
/// quoted field does not end a record. A quote opens a quoted field only at
/// the start of a field, as in the csv crate, so `abc"def` stays one field.
pub fn last_boundary(buf: &[u8], delimiter: u8) -> Option<usize> {
    if memchr::memchr(b'"', buf).is_none() {
        return memchr::memrchr(b'\n', buf).map(|i| i + 1);
    }
    let mut last = None;
    let mut in_quotes = false;
    let mut i = 0;
    while i < buf.len() {
        if in_quotes {
            match memchr::memchr(b'"', &buf[i..]) {
                None => break,
                Some(j) => {
                    let q = i + j;
                    if buf.get(q + 1) == Some(&b'"') {
                        i = q + 2;
                    } else {
                        in_quotes = false;
                        i = q + 1;
                    }
                }
            }
        } else {
            match memchr::memchr2(b'"', b'\n', &buf[i..]) {
                None => break,
                Some(j) => {
                    let p = i + j;
                    if buf[p] == b'\n' {
                        last = Some(p + 1);
                    } else {
                        let field_start = p == 0 || {
                            let prev = buf[p - 1];
                            prev == delimiter || prev == b'\n' || prev == b'\r'
                        };
                        in_quotes = field_start;
                    }
                    i = p + 1;
                }
            }
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::decode::FieldDecoding;
    use crate::records::Format;

    #[derive(Default)]
    struct Lines(Vec<(u64, Vec<String>)>, usize);

    impl RecordSink for Lines {
        fn record(&mut self, pos: Position, r: &RecordBuf) {
            self.0
                .push((pos.line, r.fields().map(|(_, v)| v.to_string()).collect()));
        }
        fn error(&mut self, _: Position, _: String) {
            self.1 += 1;
        }
    }

    #[test]
    fn an_unclosed_quote_does_not_swallow_the_rest() {
        let spec = ChunkSpec {
            format: Format::Csv { delimiter: b',' },
            decoding: FieldDecoding::Utf8,
            header_at: None,
            in_array: false,
            sql: None,
        };
        let mut out = Lines::default();
        parse(&spec, b',', b"a,\"x\ny\",b\n\"open,1\nc,2\nd,3\n", &mut out);
        assert_eq!(out.1, 1, "one error");
        assert_eq!(out.0.len(), 4);
        assert_eq!(
            out.0[0].1,
            ["a", "x\ny", "b"],
            "a closed multi-line field stays one record"
        );
        assert_eq!(out.0[1], (2, vec!["\"open".to_string(), "1".to_string()]));
        assert_eq!(out.0[3], (4, vec!["d".to_string(), "3".to_string()]));
    }

    #[test]
    fn boundaries_skip_quoted_newlines() {
        let buf = b"a,\"x\ny\",b\nc,d\n\"open\nstill";
        assert_eq!(last_boundary(buf, b','), Some(14));
        let buf = b"a,b\"c\nd,e\n";
        assert_eq!(
            last_boundary(buf, b','),
            Some(buf.len()),
            "mid-field quote is data"
        );
        let buf = b"a,\"x\"\"\ny\"\n";
        assert_eq!(
            last_boundary(buf, b','),
            Some(buf.len()),
            "doubled quote stays quoted"
        );
        assert_eq!(last_boundary(b"no newline", b','), None);
    }
}
