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
mod json;
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
            Format::Json | Format::Sql => true,
            Format::Csv { delimiter } => delimiter >= 0x40,
            Format::Text | Format::JsonLines => false,
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

/// The error for a record some of whose bytes had to be replaced.
pub(crate) const UNDECODABLE: &str = "bytes that are neither UTF-8 nor GBK (replaced)";

/// Hands a decoded record to the sink: a blank one is no record; one whose
/// bytes had to be replaced is also reported as an error.
fn deliver(sink: &mut dyn RecordSink, at: Position, rec: &RecordBuf) {
    if rec.is_blank() {
        return;
    }
    if rec.decode_errors {
        sink.error(at, UNDECODABLE.into());
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
    /// JSON: the chunk is inside a top-level array.
    pub in_array: bool,
    /// SQL: the state the chunk starts in (tables known, inside which
    /// statement).
    pub sql: Option<std::sync::Arc<sql::SqlContext>>,
}

/// Parses one chunk, handing every record to `sink`. Returns the chunk's
/// newlines when the parser counted them on the way.
pub fn parse_chunk(spec: &ChunkSpec, chunk: &[u8], sink: &mut dyn RecordSink) -> Option<u64> {
    match spec.format {
        Format::Csv { delimiter } => return csv::parse(spec, delimiter, chunk, sink),
        Format::Text => text::parse(spec, chunk, sink),
        Format::JsonLines => json::parse_lines(spec, chunk, sink),
        Format::Json => json::parse_values(spec, chunk, sink),
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
    None
}

/// Reads the fields of the first record (for header detection).
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

/// Finds record boundaries in a stream, so chunks never split a record.
#[derive(Debug)]
pub struct Framer {
    format: Format,
    /// JSON: a top-level `[` has been passed.
    pub in_array: bool,
    sql: Option<sql::SqlFramer>,
}

impl Framer {
    pub fn new(format: Format) -> Framer {
        Framer {
            format,
            in_array: false,
            sql: (format == Format::Sql).then(sql::SqlFramer::new),
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

    /// The length of the longest prefix of `buf` that ends at a record
    /// boundary, or `None` if `buf` holds no complete record. At end of input
    /// everything is a record.
    pub fn boundary(&mut self, buf: &[u8], eof: bool) -> Option<usize> {
        if let Some(sql) = &mut self.sql {
            return sql.boundary(buf, eof);
        }
        if eof {
            return Some(buf.len());
        }
        let end = match self.format {
            Format::Csv { delimiter } => csv::last_boundary(buf, delimiter),
            Format::Text | Format::JsonLines => memchr::memrchr(b'\n', buf).map(|i| i + 1),
            Format::Sql => None,
            Format::Json => {
                let (end, in_array) = json::last_boundary(buf, self.in_array);
                if end.is_some() {
                    self.in_array = in_array;
                }
                end
            }
        };
        end.filter(|&e| e > 0)
    }
}
