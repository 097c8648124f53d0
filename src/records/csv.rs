//! Delimited files: any single-byte delimiter, quoted fields with embedded
//! delimiters and newlines, CRLF. Parsing is the `csv` crate's; this module
//! only finds record boundaries for chunking and decodes fields.

use super::{ChunkSpec, Column, Position, RecordBuf, RecordSink};
use crate::decode::FieldDecoding;

pub fn parse(spec: &ChunkSpec, delimiter: u8, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(chunk);
    let mut raw = ::csv::ByteRecord::new();
    let mut rec = RecordBuf::default();
    let mut first = true;
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
                if std::mem::take(&mut first) && spec.skip_first {
                    continue;
                }
                rec.clear();
                for (i, f) in raw.iter().enumerate() {
                    rec.push_raw(spec.decoding, Column::Index(i as u32), f);
                }
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

/// The fields of the first record of a sample.
pub fn first_record(delimiter: u8, dec: FieldDecoding, sample: &[u8]) -> Vec<String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(sample);
    let mut raw = ::csv::ByteRecord::new();
    match reader.read_byte_record(&mut raw) {
        Ok(true) => raw
            .iter()
            .map(|f| crate::decode::field(dec, f).0.into_owned())
            .collect(),
        _ => Vec::new(),
    }
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
