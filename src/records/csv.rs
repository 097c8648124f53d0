//! Delimited files: any single-byte delimiter, quoted fields with embedded
//! delimiters and newlines, CRLF. Parsing is the `csv` crate's; this module
//! only finds record boundaries for chunking and decodes fields.

use super::chunk::ChunkSpec;
use super::record::{deliver, Column, Position, RecordBuf, RecordSink};
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

/// Hands a row to the sink, first joining an e-mail address that a `|`
/// delimiter split (the row has more columns than the file's usual number).
fn deliver_row(
    spec: &ChunkSpec,
    delimiter: u8,
    sink: &mut dyn RecordSink,
    at: Position,
    rec: &mut RecordBuf,
) {
    if let Some(width) = spec.fields.filter(|_| delimiter == b'|') {
        rec.join_addresses(u32::from(width), "|");
    }
    deliver(sink, at, rec, spec.decoding);
}

/// Parses a chunk.
pub fn parse(spec: &ChunkSpec, delimiter: u8, chunk: &[u8], sink: &mut dyn RecordSink) {
    if is_plain(chunk, delimiter) {
        parse_plain(spec, delimiter, chunk, sink);
    } else if is_unquoted(chunk, delimiter) {
        parse_unquoted(spec, delimiter, chunk, sink);
    } else {
        parse_quoted(spec, delimiter, chunk, sink);
    }
}

/// Whether `chunk` has no quote: its lines (ended by `\n`, `\r\n` or a lone
/// `\r`, as the csv crate ends records) are its records.
fn is_unquoted(chunk: &[u8], delimiter: u8) -> bool {
    delimiter != b'"'
        && delimiter != b'\r'
        && delimiter != b'\n'
        && memchr::memchr(b'"', chunk).is_none()
}

/// The fields of a line (no line end in it) read without quoting: the line
/// split on the delimiter, as the csv crate splits it with quoting off.
fn split_line(delimiter: u8, line: &[u8], raw: &mut ::csv::ByteRecord) {
    raw.clear();
    for field in line.split(|&b| b == delimiter) {
        raw.push_field(field);
    }
}

/// A chunk without quotes (see [`is_unquoted`]) whose line ends are not all
/// `\n`: records, fields and positions are exactly what [`parse_quoted`]
/// gives, without building a csv reader for the chunk (that costs more than
/// parsing a short chunk).
fn parse_unquoted(spec: &ChunkSpec, delimiter: u8, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut raw = ::csv::ByteRecord::new();
    let mut rec = RecordBuf::default();
    let mut record_index = 0u32;
    super::lines::for_each(chunk, |at, line| {
        // the csv crate skips empty lines: they are not records
        if line.is_empty() {
            return;
        }
        let index = record_index;
        record_index += 1;
        if spec.header_at == Some(index) {
            return;
        }
        split_line(delimiter, line, &mut raw);
        fill(spec, &raw, &mut rec);
        deliver_row(spec, delimiter, sink, at, &mut rec);
    });
}

/// Whether the csv crate would read `chunk` as lines split on the delimiter:
/// no quote, and no carriage return except right before a newline (the csv
/// crate also ends a record at a lone `\r`). Most exports are like this.
fn is_plain(chunk: &[u8], delimiter: u8) -> bool {
    if delimiter == b'"' || delimiter == b'\r' || delimiter == b'\n' {
        return false;
    }
    let mut at = 0;
    while let Some(i) = memchr::memchr2(b'"', b'\r', &chunk[at..]) {
        let p = at + i;
        if chunk[p] == b'"' || chunk.get(p + 1) != Some(&b'\n') {
            return false;
        }
        at = p + 1;
    }
    true
}

/// The fast path for a plain chunk (see [`is_plain`]): each non-empty line is
/// a record, its fields split on the delimiter; records, fields and positions
/// are exactly what [`parse_quoted`] gives for the same bytes. The chunk is
/// checked as UTF-8 once, so fields need no decoding of their own.
fn parse_plain(spec: &ChunkSpec, delimiter: u8, chunk: &[u8], sink: &mut dyn RecordSink) -> u64 {
    let text = match spec.decoding {
        FieldDecoding::Utf8 => simdutf8::basic::from_utf8(chunk).ok(),
        _ => None,
    };
    let mut rec = RecordBuf::default();
    let mut record_index = 0u32;
    let mut line = 0u64;
    let mut start = 0usize;
    // Where the delimiters of the current line are.
    let mut seps: Vec<usize> = Vec::new();
    let mut scan = LineScan::new(chunk, delimiter);
    while start < chunk.len() {
        let end = scan.line(&mut seps);
        let mut stop = end;
        if stop > start && chunk[stop - 1] == b'\r' {
            stop -= 1;
        }
        let at = Position {
            line,
            offset: start as u64,
        };
        line += 1;
        let row = start..stop;
        start = end + 1;
        // The csv crate skips empty lines: they are not records.
        if row.is_empty() {
            continue;
        }
        let index = record_index;
        record_index += 1;
        if spec.header_at == Some(index) {
            continue;
        }
        rec.clear();
        let push = |from: usize, to: usize, column: u32, rec: &mut RecordBuf| {
            if to > from {
                match text.and_then(|t| t.get(from..to)) {
                    Some(v) => rec.push(Column::Index(column), v),
                    None => rec.push_raw(spec.decoding, Column::Index(column), &chunk[from..to]),
                }
            }
        };
        let mut field_start = row.start;
        let mut column = 0u32;
        for &p in &seps {
            push(field_start, p, column, &mut rec);
            field_start = p + 1;
            column += 1;
        }
        push(field_start, row.end, column, &mut rec);
        deliver_row(spec, delimiter, sink, at, &mut rec);
    }
    // every line but an unterminated last one ended with a newline
    if chunk.last().is_some_and(|&b| b != b'\n') {
        line - 1
    } else {
        line
    }
}

/// Finds line ends and delimiters eight bytes at a time (SWAR: a byte equal
/// to the one searched for sets the high bit of its lane). Delimiters are
/// dense in wide exports (most cells empty), so this beats both a byte loop
/// and a memchr call per field.
struct LineScan<'a> {
    chunk: &'a [u8],
    newline: u64,
    delimiter: u64,
    /// Start of the word being looked at, and its hits not yet taken.
    word: usize,
    hits: u64,
}

const LANES_LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const LANES_ONE: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte lane of `word` that equals the byte of `pattern`.
fn lanes_equal(word: u64, pattern: u64) -> u64 {
    let t = word ^ pattern;
    !(((t & LANES_LOW).wrapping_add(LANES_LOW)) | t | LANES_LOW)
}

impl<'a> LineScan<'a> {
    fn new(chunk: &'a [u8], delimiter: u8) -> Self {
        let mut s = LineScan {
            chunk,
            newline: LANES_ONE * u64::from(b'\n'),
            delimiter: LANES_ONE * u64::from(delimiter),
            word: 0,
            hits: 0,
        };
        s.hits = s.hits_at(0);
        s
    }

    fn hits_at(&self, at: usize) -> u64 {
        match self.chunk.get(at..at + 8) {
            Some(w) => {
                let mut b = [0u8; 8];
                b.copy_from_slice(w);
                let w = u64::from_le_bytes(b);
                lanes_equal(w, self.newline) | lanes_equal(w, self.delimiter)
            }
            // The last few bytes, one by one.
            None => {
                let mut hits = 0u64;
                for (i, &b) in self.chunk.get(at..).unwrap_or_default().iter().enumerate() {
                    if b == b'\n' || u64::from(b) == self.delimiter & 0xff {
                        hits |= 0x80 << (8 * i);
                    }
                }
                hits
            }
        }
    }

    /// The end of the next line (the position of its `\n`, or the chunk's
    /// end), with the positions of its delimiters in `seps`.
    fn line(&mut self, seps: &mut Vec<usize>) -> usize {
        seps.clear();
        loop {
            while self.hits != 0 {
                let at = self.word + (self.hits.trailing_zeros() / 8) as usize;
                self.hits &= self.hits - 1;
                if self.chunk.get(at) == Some(&b'\n') {
                    return at;
                }
                seps.push(at);
            }
            self.word += 8;
            if self.word >= self.chunk.len() {
                return self.chunk.len();
            }
            self.hits = self.hits_at(self.word);
        }
    }
}

/// Any chunk, with the csv crate: quoted fields with delimiters and newlines.
fn parse_quoted(spec: &ChunkSpec, delimiter: u8, chunk: &[u8], sink: &mut dyn RecordSink) {
    let mut reader = reader(delimiter, true, chunk);
    let mut raw = ::csv::ByteRecord::new();
    let mut rec = RecordBuf::default();
    let mut record_index = 0u32;
    let mut lines = LineCounter::default();
    loop {
        let before = reader.position().byte();
        match reader.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {
                let reported = raw.position().map_or(before, |p| p.byte());
                let at = lines.record_start(chunk, reported);
                let index = record_index;
                record_index += 1;
                if spec.header_at == Some(index) {
                    continue;
                }
                let end = reader.position().byte() as usize;
                let span = chunk.get(at.offset as usize..end).unwrap_or_default();
                if end == chunk.len() && unbalanced(span) {
                    sink.error(at, super::record::RecordError::UnclosedQuote);
                    unquoted_lines(spec, delimiter, span, at, sink);
                    continue;
                }
                fill(spec, &raw, &mut rec);
                deliver_row(spec, delimiter, sink, at, &mut rec);
            }
            Err(e) => {
                // The byte-record reader has no UTF-8 or length errors; anything
                // here is I/O on an in-memory slice. Report and stop the chunk.
                sink.error(
                    lines.record_start(chunk, before),
                    super::record::RecordError::Csv(e),
                );
                break;
            }
        }
    }
}

/// Where records start. The csv crate's own record position can point at
/// the `\n` of a `\r\n`, or before blank lines it skipped, and its line
/// count goes wrong after a `\r\n`: a record starts at its first byte that
/// is not a line break, and its line is the newlines before that byte.
#[derive(Default)]
struct LineCounter {
    counted_to: usize,
    line: u64,
}

impl LineCounter {
    /// The position of the record the csv crate says starts at `reported`
    /// (positions only move forward).
    fn record_start(&mut self, chunk: &[u8], reported: u64) -> Position {
        let mut start = (reported as usize).min(chunk.len());
        while matches!(chunk.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start >= self.counted_to {
            // line ends as `lines` counts them (a lone `\r` ends a line too,
            // as it ends a record for the csv crate)
            let slice = &chunk[self.counted_to..start];
            let lone_cr = memchr::memchr_iter(b'\r', slice)
                .filter(|&i| chunk.get(self.counted_to + i + 1) != Some(&b'\n'))
                .count() as u64;
            self.line += slice.iter().filter(|&&b| b == b'\n').count() as u64 + lone_cr;
            self.counted_to = start;
        }
        Position {
            line: self.line,
            offset: start as u64,
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
    super::lines::for_each(span, |pos, line| {
        // (one csv reader per line cost 15 µs a line: 15 s for a million
        // lines after a stray quote)
        split_line(delimiter, line, &mut raw);
        fill(spec, &raw, &mut rec);
        if !rec.is_blank() {
            let pos = Position {
                line: at.line + pos.line,
                offset: at.offset + pos.offset,
            };
            sink.record(pos, &rec);
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
    // Without quotes (most files) the fields are the lines split on the
    // delimiter, as the csv crate would give them: no reader to build.
    if is_plain(sample, delimiter) {
        let mut out = Vec::new();
        super::lines::for_each(sample, |_, line| {
            if out.len() < n && !line.is_empty() {
                out.push(
                    line.split(|&b| b == delimiter)
                        .map(|f| crate::decode::field(dec, f).0.into_owned())
                        .collect(),
                );
            }
        });
        return out;
    }
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

/// End of the last complete record in `buf`, quote-aware: a line end inside
/// a quoted field does not end a record. A quote opens a quoted field only at
/// the start of a field, as in the csv crate, so `abc"def` stays one field.
/// A record ends at `\n`, `\r\n` or a lone `\r` (see `lines`).
pub fn last_boundary(buf: &[u8], delimiter: u8) -> Option<usize> {
    if memchr::memchr(b'"', buf).is_none() {
        return super::lines::last_line_end(buf, false);
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
            match memchr::memchr3(b'"', b'\n', b'\r', &buf[i..]) {
                None => break,
                Some(j) => {
                    let p = i + j;
                    if buf[p] == b'\n' {
                        last = Some(p + 1);
                    } else if buf[p] == b'\r' {
                        // a lone `\r` ends a record; one at the end of the
                        // buffer may be the first half of `\r\n`
                        if matches!(buf.get(p + 1), Some(&b) if b != b'\n') {
                            last = Some(p + 1);
                        }
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
        fn error(&mut self, _: Position, _: crate::records::RecordError) {
            self.1 += 1;
        }
    }

    /// A record or an error: line, byte, and its fields or message.
    type Seen<T> = Vec<(u64, u64, T)>;

    #[derive(Default)]
    struct Full(Seen<Vec<(Column, String)>>, Seen<String>);

    impl RecordSink for Full {
        fn record(&mut self, pos: Position, r: &RecordBuf) {
            let fields = r.fields().map(|(c, v)| (c, v.to_string())).collect();
            self.0.push((pos.line, pos.offset, fields));
        }
        fn error(&mut self, pos: Position, e: crate::records::RecordError) {
            self.1.push((pos.line, pos.offset, e.to_string()));
        }
    }

    /// The fast path gives what the csv crate gives, on random plain chunks
    /// (empty lines, CRLF, empty and blank fields, Han text, invalid UTF-8,
    /// headers at several rows).
    #[test]
    fn plain_fast_path_equals_the_csv_crate() {
        let pieces: [&[u8]; 12] = [
            b"a",
            b"13812345678",
            b",",
            b",",
            b"\n",
            b"\r\n",
            b" ",
            b"\t",
            "张三".as_bytes(),
            b"\xff\xfe",
            b"\n\n",
            b";",
        ];
        let mut state = 0x1234_5678_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..3000 {
            let len = (next() % 40) as usize;
            let mut chunk = Vec::new();
            for _ in 0..len {
                chunk.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let delimiter = if round % 3 == 0 { b';' } else { b',' };
            if !is_plain(&chunk, delimiter) {
                continue;
            }
            for decoding in [FieldDecoding::Utf8, FieldDecoding::Gbk] {
                let spec = ChunkSpec {
                    format: Format::Csv { delimiter },
                    decoding,
                    header_at: [None, Some(0), Some(2)][round % 3],
                    sql: None,
                    fields: None,
                    items: Vec::new(),
                };
                let (mut fast, mut slow) = (Full::default(), Full::default());
                let newlines = parse_plain(&spec, delimiter, &chunk, &mut fast);
                assert_eq!(
                    newlines,
                    chunk.iter().filter(|&&b| b == b'\n').count() as u64
                );
                parse_quoted(&spec, delimiter, &chunk, &mut slow);
                assert_eq!(
                    fast.0,
                    slow.0,
                    "records of {:?}",
                    String::from_utf8_lossy(&chunk)
                );
                assert_eq!(
                    fast.1,
                    slow.1,
                    "errors of {:?}",
                    String::from_utf8_lossy(&chunk)
                );
            }
        }
    }

    /// The unquoted path gives what the csv crate gives, on random chunks
    /// without quotes (lone `\r`, CRLF, empty lines, headers at several rows).
    #[test]
    fn unquoted_path_equals_the_csv_crate() {
        let pieces: [&[u8]; 12] = [
            b"a",
            b"13812345678",
            b",",
            b"\r",
            b"\n",
            b"\r\n",
            b"\r\r",
            b" ",
            "张三".as_bytes(),
            b"\xff\xfe",
            b"\n\n",
            b";",
        ];
        let mut state = 0x9e37_79b9_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..3000 {
            let len = (next() % 40) as usize;
            let mut chunk = Vec::new();
            for _ in 0..len {
                chunk.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let delimiter = if round % 3 == 0 { b';' } else { b',' };
            assert!(is_unquoted(&chunk, delimiter));
            for decoding in [FieldDecoding::Utf8, FieldDecoding::Gbk] {
                let spec = ChunkSpec {
                    format: Format::Csv { delimiter },
                    decoding,
                    header_at: [None, Some(0), Some(2)][round % 3],
                    sql: None,
                    fields: None,
                    items: Vec::new(),
                };
                let (mut fast, mut slow) = (Full::default(), Full::default());
                parse_unquoted(&spec, delimiter, &chunk, &mut fast);
                parse_quoted(&spec, delimiter, &chunk, &mut slow);
                let shown = String::from_utf8_lossy(&chunk);
                assert_eq!(fast.0, slow.0, "records of {shown:?}");
                assert_eq!(fast.1, slow.1, "errors of {shown:?}");
            }
        }
    }

    /// A line read without quoting is the line split on the delimiter, as
    /// the csv crate reads it with quoting off.
    #[test]
    fn split_line_equals_the_csv_crate_without_quoting() {
        for line in [
            &b""[..],
            b"a",
            b",",
            b"a,,b",
            b",a,",
            "张三,\"x".as_bytes(),
            b"\xff,1",
        ] {
            let mut ours = ::csv::ByteRecord::new();
            split_line(b',', line, &mut ours);
            let mut theirs = ::csv::ByteRecord::new();
            let read = reader(b',', false, line).read_byte_record(&mut theirs);
            if line.is_empty() {
                assert!(matches!(read, Ok(false)));
                assert_eq!(ours.iter().collect::<Vec<_>>(), vec![&b""[..]]);
            } else {
                assert!(matches!(read, Ok(true)));
                assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(line));
            }
        }
    }

    /// A `|` delimiter inside an e-mail local part: the row with one column
    /// more than the file's is joined back, on every parsing path; other
    /// delimiters and rows of the usual width are left alone.
    #[test]
    fn a_pipe_inside_an_address_is_not_a_delimiter() {
        let spec = |delimiter, fields| ChunkSpec {
            format: Format::Csv { delimiter },
            decoding: FieldDecoding::Utf8,
            header_at: None,
            sql: None,
            fields,
            items: Vec::new(),
        };
        let rows = |spec: &ChunkSpec, chunk: &[u8]| {
            let mut seen = Full::default();
            let Format::Csv { delimiter } = spec.format else {
                unreachable!()
            };
            parse(spec, delimiter, chunk, &mut seen);
            seen.0
                .into_iter()
                .map(|(_, _, f)| f.into_iter().map(|(_, v)| v).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        let joined = vec![
            vec!["u1".to_string(), "p1".into(), "lei|jie@qq.com".into()],
            vec!["u2".to_string(), "p2".into(), "a@qq.com".into()],
        ];
        for chunk in [
            &b"u1|p1|lei|jie@qq.com\nu2|p2|a@qq.com\n"[..],
            b"u1|p1|lei|jie@qq.com\r\nu2|p2|a@qq.com\r",
            b"u1|p1|lei|jie@qq.com\nu2|\"p2\"|a@qq.com\n",
        ] {
            assert_eq!(rows(&spec(b'|', Some(3)), chunk), joined);
            assert_eq!(rows(&spec(b'|', None), chunk)[0].len(), 4);
            assert_eq!(rows(&spec(b'|', Some(4)), chunk)[0].len(), 4);
        }
        // an empty column between the pieces: no address
        assert_eq!(
            rows(&spec(b'|', Some(3)), b"u1|p1|lei||jie@qq.com\n")[0].len(),
            4
        );
        // a comma is never inside a dot-atom local part
        assert_eq!(
            rows(&spec(b',', Some(3)), b"u1,p1,lei,jie@qq.com\n")[0].len(),
            4
        );
    }

    #[test]
    fn plain_means_no_quote_and_no_lone_carriage_return() {
        assert!(is_plain(b"a,b\r\nc,d\n", b','));
        assert!(!is_plain(b"a,\"b\"\n", b','));
        assert!(!is_plain(b"a,b\rc,d\n", b','));
        assert!(!is_plain(b"a,b\r", b','));
    }

    #[test]
    fn an_unclosed_quote_does_not_swallow_the_rest() {
        let spec = ChunkSpec {
            format: Format::Csv { delimiter: b',' },
            decoding: FieldDecoding::Utf8,
            header_at: None,
            sql: None,
            fields: None,
            items: Vec::new(),
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
