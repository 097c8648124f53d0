//! Text streams: encoding and format sniffed, the header found, the stream
//! cut into chunks at record boundaries.

use std::borrow::Cow;
use std::io::{self, Cursor, Read};
use std::sync::Arc;

use super::{fill, Leaf, Reader, Source, Step, SAMPLE_BYTES};
use crate::decode::{self, Encoding, FieldDecoding};
use crate::detect::schema::{HeaderSearch, HEADER_SEARCH_RECORDS, SAMPLE_RECORDS};
use crate::detect::{Engine, Role};
use crate::model::Place;
use crate::records::{self, ChunkSpec, Column, Format, Framer, Position, RecordBuf, RecordSink};
use crate::scan::options::ScanOptions;
use crate::scan::work::{Chunk, Work};

/// The error where UTF-16 text lost or gained a byte.
pub(super) const UTF16_REALIGNED: &str = "UTF-16 text out of step here (a byte lost or extra): realigned, the characters around it may be lost";

impl Reader<'_> {
    /// What a text stream is: encoding, format and how fields decode,
    /// decided from its first bytes.
    pub(super) fn text_setup(&self, src: &Source, head: &[u8], complete: bool) -> TextSetup {
        let opts = self.opts;
        let encoding = opts
            .encoding
            .unwrap_or_else(|| decode::sniff(head, complete));
        let bom = match encoding {
            Encoding::Utf8Bom if head.starts_with(&[0xef, 0xbb, 0xbf]) => 3,
            _ => 0,
        };
        // GBK is sniffed as text: its trail bytes include `|` and `\\`.
        let head_text: Cow<[u8]> = if encoding == Encoding::Gbk {
            let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(head);
            Cow::Owned(text.into_owned().into_bytes())
        } else {
            Cow::Borrowed(head.get(bom..).unwrap_or_default())
        };
        let format = sniff_format(opts, src, &head_text, complete);
        let transcode = encoding == Encoding::Gbk && format.needs_utf8_framing();
        TextSetup {
            encoding,
            bom,
            format,
            transcode,
            decoding: FieldDecoding::of(encoding, transcode),
            fields: None,
        }
    }

    /// Text: CSV, leak lines, JSON. Decoded if it must be (UTF-16 is sniffed
    /// again once it is readable), then framed into chunks at record
    /// boundaries by [`Reader::frame`], which reads the header.
    pub(super) fn text(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        complete: bool,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        let mut setup = self.text_setup(src, &head, complete);
        let input_stream = Cursor::new(head).chain(rest);
        let (stream, realigned) =
            match decode::reader(setup.encoding, setup.transcode, setup.bom, input_stream) {
                Ok(s) => s,
                Err(e) => {
                    self.error(None, &src.path, Place::Whole, format!("cannot read: {e}"))?;
                    return Ok(Leaf::Failed);
                }
            };
        let mut feed = StreamFeed {
            buf: Vec::with_capacity(self.opts.chunk_bytes * 2),
            stream,
            realigned,
            reported: 0,
        };
        let first = feed.more(self.opts.chunk_bytes.max(SAMPLE_BYTES));
        if setup.encoding.is_utf16() {
            // Only now is the text readable.
            setup.format = sniff_format(self.opts, src, &feed.buf, matches!(first, Ok(true)));
        }
        self.frame(src, &setup, &mut feed, first)
    }

    /// Cuts a text stream into chunks at record boundaries and sends them.
    pub(super) fn frame(
        &mut self,
        src: &Source,
        setup: &TextSetup,
        feed: &mut StreamFeed,
        first: io::Result<bool>,
    ) -> Step<Leaf> {
        let opts = self.opts;
        let engine = self.engine;
        let (encoding, bom, format, decoding) =
            (setup.encoding, setup.bom, setup.format, setup.decoding);
        let mut failure = None;
        let mut eof = match first {
            Ok(eof) => eof,
            Err(e) => {
                failure = Some(e);
                false
            }
        };
        let (schema, mut header_at) = header(engine, feed.buf(), eof, format, decoding);
        // The number of fields a record usually has, so that a `|` inside an
        // e-mail address is not taken for a separator.
        let sample = feed.buf().get(..SAMPLE_BYTES).unwrap_or(feed.buf());
        let whole = eof && sample.len() == feed.buf().len();
        let fields = match format {
            Format::Text => records::usual_fields(decoding, sample, whole),
            Format::Csv { delimiter: b'|' } if !schema.is_empty() => {
                u16::try_from(schema.len()).ok()
            }
            Format::Csv { delimiter: b'|' } => {
                let rows = records::first_records(format, decoding, sample, SAMPLE_RECORDS);
                records::usual_width(rows.iter().map(Vec::len))
            }
            _ => None,
        };
        let setup = &TextSetup { fields, ..*setup };
        let schema: Arc<Vec<Role>> = Arc::new(schema);
        let input = self.open_input(src, format.key(), encoding.key())?;

        let mut framer = Framer::new(format, opts.max_record_bytes, decoding);
        let mut offset = bom as u64;
        let mut cut_short = None;
        // Where the framer's places are in the file.
        let place = |line: u64, at: u64| Place::Text {
            line: line + 1,
            byte: decoding.keeps_offsets().then_some(bom as u64 + at),
        };
        loop {
            self.realigned(input, &src.path, feed)?;
            let sql = framer.sql_context();
            let buf = feed.buf();
            let ended = eof && failure.is_none();
            if ended {
                if let Some(why) = framer.unfinished(buf) {
                    cut_short = Some(why);
                }
            }
            let Some(mut cut) = framer.next(buf, ended) else {
                if ended || failure.is_some() {
                    // all read, or nothing more can be: an incomplete record
                    // left after a failed read is reported below
                    break;
                }
                let want = buf.len().max(opts.chunk_bytes);
                read_more(feed, want, &mut eof, &mut failure);
                continue;
            };
            for e in std::mem::take(&mut cut.errors) {
                self.report(input, &src.path, place(e.line, e.offset), e.message)?;
            }
            let len = cut.len;
            let data = feed.take(len);
            let header_at = header_at.take();
            self.send_cut(input, setup, header_at, sql, &schema, offset, cut, data)?;
            offset += len as u64;
            let left = feed.buf().len();
            if left == 0 && eof {
                break;
            }
            if left < opts.chunk_bytes && !eof && failure.is_none() {
                read_more(feed, opts.chunk_bytes - left, &mut eof, &mut failure);
            }
        }
        self.realigned(input, &src.path, feed)?;
        let left = feed.buf().len();
        self.end_of_stream(input, framer.lines(), offset, cut_short, failure, left)?;
        Ok(Leaf::Input {
            input,
            hashed: None,
        })
    }

    /// Sends a framed chunk to the workers, and a JSON wrapper's own fields
    /// after its records, at the wrapper's place.
    #[allow(clippy::too_many_arguments)]
    fn send_cut(
        &self,
        input: usize,
        setup: &TextSetup,
        header_at: Option<u32>,
        sql: Option<Arc<records::sql::SqlContext>>,
        schema: &Arc<Vec<Role>>,
        offset: u64,
        cut: records::Cut,
        data: Vec<u8>,
    ) -> Step<()> {
        let (format, decoding) = (setup.format, setup.decoding);
        self.send(Work::Chunk(Chunk {
            input,
            spec: ChunkSpec {
                format,
                decoding,
                header_at,
                sql,
                fields: setup.fields,
                items: cut.items,
            },
            schema: Arc::clone(schema),
            offset,
            line: cut.line,
            data,
        }))?;
        if let Some(w) = cut.wrapper {
            self.send(Work::Chunk(Chunk {
                input,
                spec: ChunkSpec {
                    format,
                    decoding,
                    header_at: None,
                    sql: None,
                    fields: None,
                    items: vec![records::json::Item::Fields {
                        text: w.text,
                        line: 0,
                        offset: 0,
                    }],
                },
                schema: Arc::clone(schema),
                offset: setup.bom as u64 + w.offset,
                line: w.line,
                data: Vec::new(),
            }))?;
        }
        Ok(())
    }

    /// After the last chunk: a record the input ends inside of, and a read
    /// that failed (with the incomplete record it left, `left` bytes).
    fn end_of_stream(
        &self,
        input: usize,
        line: u64,
        offset: u64,
        cut_short: Option<String>,
        failure: Option<io::Error>,
        left: usize,
    ) -> Step<()> {
        if let Some(message) = cut_short {
            self.send(Work::Failed {
                input,
                line,
                offset,
                message,
            })?;
        }
        if let Some(e) = failure {
            let tail = if left == 0 {
                String::new()
            } else {
                format!("; the incomplete record at the end ({left} bytes) was not counted")
            };
            self.send(Work::Failed {
                input,
                line,
                offset,
                message: format!("read failed: {e}{tail}"),
            })?;
        }
        Ok(())
    }

    /// Reports where UTF-16 text was realigned since the last call.
    fn realigned(&self, input: usize, path: &str, feed: &mut StreamFeed) -> Step<()> {
        for at in feed.realigned() {
            self.report(input, path, Place::Byte(at), UTF16_REALIGNED.into())?;
        }
        Ok(())
    }
}

/// How a text stream is read.
#[derive(Clone, Copy)]
pub(super) struct TextSetup {
    pub(super) encoding: Encoding,
    /// Bytes of byte-order mark to skip.
    pub(super) bom: usize,
    pub(super) format: Format,
    /// GBK transcoded to UTF-8 before framing.
    pub(super) transcode: bool,
    pub(super) decoding: FieldDecoding,
    /// Leak text: the number of fields its lines usually have, from the
    /// sample ([`records::usual_fields`]).
    pub(super) fields: Option<u16>,
}

/// The format of a text stream, decided on a fixed-size sample whatever the
/// chunk size, so that it cannot depend on `--chunk-bytes`.
pub(super) fn sniff_format(
    opts: &ScanOptions,
    src: &Source,
    text: &[u8],
    complete: bool,
) -> Format {
    let n = text.len().min(SAMPLE_BYTES);
    opts.format.unwrap_or_else(|| {
        records::sniff_format(
            &text[..n],
            complete && n == text.len(),
            src.extension().as_deref(),
        )
    })
}

/// A stream read into a buffer.
pub(super) struct StreamFeed<'r> {
    pub(super) buf: Vec<u8>,
    pub(super) stream: Box<dyn Read + 'r>,
    /// UTF-16: where the decoder's input was realigned, and how many of
    /// those places have been reported.
    pub(super) realigned: Option<decode::Realigned>,
    pub(super) reported: usize,
}

impl StreamFeed<'_> {
    /// What has been read and not yet taken.
    pub(super) fn buf(&self) -> &[u8] {
        &self.buf
    }

    /// Reads up to `want` more bytes; `Ok(true)` at end of input.
    pub(super) fn more(&mut self, want: usize) -> io::Result<bool> {
        fill(&mut self.stream, &mut self.buf, want)
    }

    /// Places where UTF-16 was realigned since the last call (byte offsets
    /// of the input).
    pub(super) fn realigned(&mut self) -> Vec<u64> {
        let Some(all) = &self.realigned else {
            return Vec::new();
        };
        let all = all.borrow();
        let new = all.get(self.reported..).unwrap_or_default().to_vec();
        self.reported = all.len();
        new
    }

    /// Takes the first `n` bytes as a chunk.
    pub(super) fn take(&mut self, n: usize) -> Vec<u8> {
        // A small chunk (a small file) is copied out: it must not hold a
        // buffer sized for large ones while it waits for the pool.
        if n < self.buf.capacity() / 8 {
            let data = self.buf[..n].to_vec();
            self.buf.drain(..n);
            return data;
        }
        // The chunk keeps the buffer; only the (short) rest is copied.
        let mut rest = Vec::with_capacity(self.buf.capacity());
        rest.extend_from_slice(self.buf.get(n..).unwrap_or_default());
        let mut data = std::mem::replace(&mut self.buf, rest);
        data.truncate(n);
        data
    }
}

/// The whole records in the first `SAMPLE_BYTES` of a stream (`eof`: the
/// buffer holds the rest of it), where the header is searched for and the
/// columns are typed: a fixed window, so that neither can depend on how much
/// of the stream the first read took (`--chunk-bytes`), and no record cut
/// at the window's end is taken for what it is not (fuzzing found a long
/// first line, cut by the first read, taken for a header).
pub(super) fn head_records(
    buf: &[u8],
    eof: bool,
    format: Format,
    decoding: FieldDecoding,
) -> &[u8] {
    let window = &buf[..buf.len().min(SAMPLE_BYTES)];
    let end = Framer::new(format, usize::MAX, decoding)
        .next(window, eof && window.len() == buf.len())
        .map_or(0, |cut| cut.len);
    &window[..end]
}

/// Reads up to `want` more bytes into the feed: at the end of the stream
/// `eof` is set, a failed read is kept in `failure`.
fn read_more(feed: &mut StreamFeed, want: usize, eof: &mut bool, failure: &mut Option<io::Error>) {
    match feed.more(want) {
        Ok(e) => *eof = e,
        Err(e) => *failure = Some(e),
    }
}

/// The schema of a text input with a header row, and which of its first
/// records the header is: the first that looks like one among the first
/// few (exports often open with a title or comment line), with its
/// unknown columns typed from a sample of the records below it.
fn header(
    engine: &Engine,
    buf: &[u8],
    eof: bool,
    format: Format,
    decoding: FieldDecoding,
) -> (Vec<Role>, Option<u32>) {
    if !format.has_header_row() {
        return (Vec::new(), None);
    }
    let buf = head_records(buf, eof, format, decoding);
    let first = records::first_records(format, decoding, buf, HEADER_SEARCH_RECORDS);
    let mut search = HeaderSearch::new(engine);
    for (i, header) in first.iter().enumerate() {
        let refs: Vec<&str> = header.iter().map(String::as_str).collect();
        if let Some(mut schema) = search.offer(&refs) {
            // title lines above the header that are records
            let above = first[..i]
                .iter()
                .filter(|r| !r.iter().all(|f| f.trim().is_empty()))
                .count();
            type_from_sample(
                &mut schema,
                format,
                decoding,
                buf,
                (i as u32, above),
                engine,
            );
            return (schema, Some(i as u32));
        }
    }
    (Vec::new(), None)
}

/// Types the unknown columns of a headed file from its first records (`buf`:
/// whole records, from `head_records`).
pub(super) fn type_from_sample(
    schema: &mut [Role],
    format: Format,
    decoding: FieldDecoding,
    buf: &[u8],
    (header_at, above): (u32, usize),
    engine: &Engine,
) {
    if !schema.contains(&Role::Unknown) {
        return;
    }
    struct Sample {
        columns: Vec<Vec<String>>,
        records: usize,
        /// Records above the header (a title line): not sampled.
        above: usize,
    }
    impl RecordSink for Sample {
        fn record(&mut self, _: Position, rec: &RecordBuf) {
            if self.above > 0 {
                self.above -= 1;
                return;
            }
            self.records += 1;
            if self.records > SAMPLE_RECORDS {
                return;
            }
            for (column, value) in rec.fields() {
                if let Column::Index(i) = column {
                    if let Some(values) = self.columns.get_mut(i as usize) {
                        values.push(value.to_string());
                    }
                }
            }
        }
        fn error(&mut self, _: Position, _: crate::records::RecordError) {}
    }
    let mut sample = Sample {
        columns: vec![Vec::new(); schema.len()],
        records: 0,
        above,
    };
    let spec = ChunkSpec {
        format,
        decoding,
        header_at: Some(header_at),
        sql: None,
        fields: None,
        items: Vec::new(),
    };
    records::parse_chunk(&spec, buf, &mut sample);
    engine.type_unknown(schema, |c| {
        sample.columns.get(c).map(|v| v.iter().map(String::as_str))
    });
}
