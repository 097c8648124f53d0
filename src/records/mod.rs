//! Records (SPEC §3): turning decoded bytes into records of fields, each with
//! its position. One record = a CSV row, a JSON object, a text line.
//!
//! Input is cut into chunks at record boundaries ([`Framer`]) so that chunks
//! can be parsed on any thread; [`parse_chunk`] then walks one chunk and hands
//! every record to a [`RecordSink`]. Positions are relative to the chunk (line
//! 0 is the chunk's first line); the driver adds the chunk's base.
//!
//! A reader for another format (Parquet, SQL, XLSX…) plugs in as another
//! [`Format`] with its own framer and parser.

mod csv;
pub mod json;
pub mod lines;
mod sniff;
pub mod sql;
mod text;

use serde::Serialize;

use crate::decode::{self, FieldDecoding};

pub use sniff::sniff_format;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Delimited values with a single-byte delimiter (CSV, TSV, `|`, `;`).
    Csv { delimiter: u8 },
    /// Leak-style lines split on mixed separators (`----`, `|`, tabs, commas, spaces).
    Text,
    /// One JSON value per line.
    JsonLines,
    /// A JSON array of objects, or a stream of top-level JSON objects.
    Json,
    /// An SQL dump: INSERT tuples and COPY data lines.
    Sql,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Csv { delimiter: b'\t' } => "tsv",
            Format::Csv { .. } => "csv",
            Format::Text => "text",
            Format::JsonLines => "jsonl",
            Format::Json => "json",
            Format::Sql => "sql",
        }
    }

    /// `--format` values.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "csv" => Format::Csv { delimiter: b',' },
            "tsv" => Format::Csv { delimiter: b'\t' },
            "text" | "txt" => Format::Text,
            "jsonl" | "ndjson" => Format::JsonLines,
            "json" => Format::Json,
            "sql" => Format::Sql,
            _ => return None,
        })
    }

    /// Whether framing this format on GBK bytes could mistake a trail byte
    /// for structure (`\\ [ ] { } |` are GBK trail bytes; `, ; " \t \n` are
    /// not), so the stream must be transcoded first.
    pub fn needs_utf8_framing(self) -> bool {
        match self {
            Format::Json | Format::JsonLines | Format::Sql => true,
            Format::Csv { delimiter } => delimiter >= 0x40,
            Format::Text => false,
        }
    }

    /// Whether the format's first record may be a header row.
    pub fn has_header_row(self) -> bool {
        matches!(self, Format::Csv { .. })
    }
}

/// Where a record starts, relative to its chunk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// Lines before the record inside the chunk (0 = the chunk's first line).
    pub line: u64,
    /// Byte offset inside the chunk.
    pub offset: u64,
}

/// What a field is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The n-th column of a delimited file.
    Index(u32),
    /// A JSON key path, stored in the record's text at `start..end`.
    Key(u32, u32),
    /// A field of a free-text line.
    None,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub column: Column,
    start: u32,
    end: u32,
}

/// One record's fields, decoded to UTF-8 in one reusable buffer.
#[derive(Debug, Default)]
pub struct RecordBuf {
    text: String,
    fields: Vec<Field>,
    /// Some bytes could not be decoded and were replaced.
    pub decode_errors: bool,
}

impl RecordBuf {
    pub fn clear(&mut self) {
        self.text.clear();
        self.fields.clear();
        self.decode_errors = false;
    }

    pub fn push(&mut self, column: Column, value: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(value);
        self.fields.push(Field {
            column,
            start,
            end: self.text.len() as u32,
        });
    }

    /// Adds a field named by a key path (`contacts.0.mobile`).
    pub fn push_keyed(&mut self, key: &str, value: &str) {
        let column = self.key(key);
        self.push(column, value);
    }

    /// Decodes raw bytes of one field and adds it.
    pub fn push_raw(&mut self, dec: FieldDecoding, column: Column, raw: &[u8]) {
        let (text, errors) = decode::field(dec, raw);
        self.decode_errors |= errors;
        self.push(column, &text);
    }

    /// Stores a key path and returns its column.
    fn key(&mut self, path: &str) -> Column {
        let start = self.text.len() as u32;
        self.text.push_str(path);
        Column::Key(start, self.text.len() as u32)
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The fields: (column, value).
    pub fn fields(&self) -> impl Iterator<Item = (Column, &str)> {
        self.fields
            .iter()
            .map(|f| (f.column, &self.text[f.start as usize..f.end as usize]))
    }

    /// The text of a `Column::Key`.
    pub fn key_text(&self, column: Column) -> &str {
        match column {
            Column::Key(s, e) => &self.text[s as usize..e as usize],
            _ => "",
        }
    }

    /// Whether every field is empty (a blank line is not a record).
    pub fn is_blank(&self) -> bool {
        self.fields().all(|(_, v)| v.trim().is_empty())
    }
}

/// Hands a decoded record to the sink: a blank one is no record; one whose
/// bytes had to be replaced is also reported as an error.
fn deliver(sink: &mut dyn RecordSink, at: Position, rec: &RecordBuf, dec: FieldDecoding) {
    if rec.is_blank() {
        return;
    }
    if rec.decode_errors {
        sink.error(at, decode::undecodable(dec).into());
    }
    sink.record(at, rec);
}

/// Receives the records of a chunk.
pub trait RecordSink {
    fn record(&mut self, pos: Position, record: &RecordBuf);
    /// A problem with the input at `pos`; parsing goes on with the next record.
    fn error(&mut self, pos: Position, message: String);
}

/// How to parse one chunk.
#[derive(Clone, Debug)]
pub struct ChunkSpec {
    pub format: Format,
    pub decoding: FieldDecoding,
    /// The header row: the index of the record to skip in the file's first
    /// chunk (records above it, a title line, are read as records).
    pub header_at: Option<u32>,
    /// SQL: the state the chunk starts in (tables known, inside which
    /// statement).
    pub sql: Option<std::sync::Arc<sql::SqlContext>>,
    /// JSON: the records of the chunk, as its framer found them.
    pub items: Vec<json::Item>,
}

/// Parses one chunk, handing every record to `sink`.
pub fn parse_chunk(spec: &ChunkSpec, chunk: &[u8], sink: &mut dyn RecordSink) {
    match spec.format {
        Format::Csv { delimiter } => csv::parse(spec, delimiter, chunk, sink),
        Format::Text => text::parse(spec, chunk, sink),
        Format::Json | Format::JsonLines => json::parse_values(spec, chunk, sink),
        Format::Sql => {
            let start = sql::SqlContext::default();
            sql::parse(
                spec.sql.as_deref().unwrap_or(&start),
                spec.decoding,
                chunk,
                sink,
            )
        }
    }
}

/// Reads the fields of the first records (for header detection).
pub fn first_records(
    format: Format,
    dec: FieldDecoding,
    sample: &[u8],
    n: usize,
) -> Vec<Vec<String>> {
    match format {
        Format::Csv { delimiter } => csv::first_records(delimiter, dec, sample, n),
        _ => Vec::new(),
    }
}

/// A problem found while framing, where it is in the stream.
pub use json::FrameError;

/// The front of the stream that [`Framer::next`] cuts off as a chunk.
#[derive(Debug)]
pub struct Cut {
    /// Bytes in the chunk.
    pub len: usize,
    /// Line ends in the stream before the chunk.
    pub line: u64,
    /// JSON: the chunk's records.
    pub items: Vec<json::Item>,
    /// JSON: a wrapper's own fields, a record read right after the chunk.
    pub wrapper: Option<json::Wrapper>,
    /// Problems found while framing (a record cut at `--max-record`).
    pub errors: Vec<FrameError>,
}

/// Finds record boundaries in a stream, so chunks never split a record, and
/// bounds what one record may hold (`--max-record`).
#[derive(Debug)]
pub struct Framer {
    format: Format,
    /// `--max-record`.
    limit: usize,
    /// GBK bytes (a cut must not split a character).
    gbk: bool,
    sql: Option<sql::SqlFramer>,
    json: Option<json::JsonFramer>,
    /// Line ends and bytes in the chunks cut so far.
    line: u64,
}

impl Framer {
    pub fn new(format: Format, limit: usize, decoding: FieldDecoding) -> Framer {
        let limit = limit.max(1);
        Framer {
            format,
            limit,
            gbk: decoding == FieldDecoding::Gbk,
            sql: (format == Format::Sql).then(sql::SqlFramer::new),
            json: matches!(format, Format::Json | Format::JsonLines)
                .then(|| json::JsonFramer::new(limit, format == Format::JsonLines)),
            line: 0,
        }
    }

    /// SQL: the state at the start of what has not been framed yet.
    pub fn sql_context(&self) -> Option<std::sync::Arc<sql::SqlContext>> {
        self.sql.as_ref().map(sql::SqlFramer::context)
    }

    /// At end of input, with the last chunk: why the input looks cut short,
    /// if its format can tell (an SQL dump that stops inside its data).
    pub fn unfinished(&self, tail: &[u8]) -> Option<String> {
        self.sql.as_ref().and_then(|s| s.unfinished(tail))
    }

    /// Line ends in the chunks cut so far.
    pub fn lines(&self) -> u64 {
        self.line
    }

    /// The next chunk to cut off the front of `buf` (the bytes not yet cut,
    /// which grow between calls until a cut is made), or `None` when more
    /// bytes are needed — or, at the end of input, when nothing is left.
    ///
    /// A record that does not end within `--max-record` bytes is cut there
    /// (at a line end if it has one, never inside a character) and
    /// reported, and reading goes on after the cut; in JSON, a value that
    /// long is skipped (see `json`). Where the cut falls depends on the
    /// bytes only, not on how much happened to be read.
    pub fn next(&mut self, buf: &[u8], eof: bool) -> Option<Cut> {
        let line = self.line;
        if let Some(json) = &mut self.json {
            let cut = json.next(buf, eof)?;
            self.line += lines::count(&buf[..cut.len]);
            return Some(Cut {
                len: cut.len,
                line,
                items: cut.items,
                wrapper: cut.wrapper,
                errors: cut.errors,
            });
        }
        if buf.is_empty() {
            return None;
        }
        let limit = self.limit;
        let window = &buf[..buf.len().min(limit)];
        let mut errors = Vec::new();
        let len = match self.boundary(window, eof && buf.len() <= limit) {
            Some(end) => end,
            None if buf.len() < limit => return None,
            None => {
                errors.push(FrameError {
                    line,
                    offset: 0,
                    message: format!(
                        "record longer than {limit} bytes (--max-record): cut there and read on"
                    ),
                });
                lines::safe_cut(buf, limit, self.gbk)
            }
        };
        self.line += match self.format {
            // SQL numbers its lines by `\n` (dumps are written on Unix)
            Format::Sql => memchr::memchr_iter(b'\n', &buf[..len]).count() as u64,
            _ => lines::count(&buf[..len]),
        };
        Some(Cut {
            len,
            line,
            items: Vec::new(),
            wrapper: None,
            errors,
        })
    }

    /// The length of the longest prefix of `buf` that ends at a record
    /// boundary, or `None` if `buf` holds no complete record. At end of input
    /// everything is a record.
    fn boundary(&mut self, buf: &[u8], eof: bool) -> Option<usize> {
        if let Some(sql) = &mut self.sql {
            return sql.boundary(buf, eof);
        }
        if eof {
            return Some(buf.len());
        }
        let end = match self.format {
            Format::Csv { delimiter } => csv::last_boundary(buf, delimiter),
            Format::Text => lines::last_line_end(buf, false),
            Format::Sql | Format::Json | Format::JsonLines => None,
        };
        end.filter(|&e| e > 0)
    }
}
