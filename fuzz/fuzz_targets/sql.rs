//! The SQL framer and parser: no panic, no hang, and the rows do not depend
//! on where the stream was cut into chunks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiaoshu::decode::FieldDecoding;
use tiaoshu::records::sql::{parse, SqlFramer};
use tiaoshu::records::{Position, RecordBuf, RecordSink};

#[derive(Default)]
struct Rows {
    base: u64,
    rows: Vec<(u64, Vec<(String, String)>)>,
}

impl RecordSink for Rows {
    fn record(&mut self, pos: Position, rec: &RecordBuf) {
        let fields = rec
            .fields()
            .map(|(c, v)| (rec.key_text(c).to_string(), v.to_string()))
            .collect();
        self.rows.push((self.base + pos.offset, fields));
    }
    fn error(&mut self, _: Position, _: String) {}
}

/// Reads `data` as the scan's reader thread does, `step` bytes at a time.
fn read(data: &[u8], step: usize) -> Vec<(u64, Vec<(String, String)>)> {
    let mut framer = SqlFramer::new();
    let mut out = Rows::default();
    let (mut start, mut end) = (0usize, 0usize);
    loop {
        end = (end + step).min(data.len());
        let eof = end == data.len();
        let ctx = framer.context();
        let buf = &data[start..end];
        if let Some(n) = framer.boundary(buf, eof) {
            out.base = start as u64;
            parse(&ctx, FieldDecoding::Utf8, &buf[..n], &mut out);
            start += n;
        }
        if eof && start == data.len() {
            return out.rows;
        }
        if eof {
            // boundary() at end of input takes everything
            return out.rows;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&step, rest)) = data.split_first() else {
        return;
    };
    let whole = read(rest, rest.len().max(1));
    let split = read(rest, 1 + step as usize % 64);
    assert_eq!(whole, split);
});
