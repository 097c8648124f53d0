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

mod address;
pub mod bson;
mod chunk;
pub mod columnar;
mod csv;
mod format;
pub mod json;
pub mod lines;
pub(crate) mod record;
pub mod rows;
mod sniff;
pub mod sql;
pub mod sqlite;
mod text;
pub mod workbook;

use crate::decode::FieldDecoding;

pub use address::is_dot_atom_byte;
pub use chunk::ChunkSpec;
pub use format::Format;
pub use record::{Column, Field, Position, RecordBuf, RecordError, RecordSink};
pub use sniff::sniff_format;
pub use text::{usual_fields, usual_width};

/// Parses one chunk, handing every record to `sink`.
pub fn parse_chunk(spec: &ChunkSpec, chunk: &[u8], sink: &mut dyn RecordSink) {
    match spec.format {
        Format::Csv { delimiter } => csv::parse(spec, delimiter, chunk, sink),
        Format::Text => text::parse(spec.decoding, spec.fields, chunk, sink),
        Format::Json | Format::JsonLines => {
            json::parse_values(&spec.items, spec.decoding, chunk, sink)
        }
        Format::Bson => bson::parse(chunk, sink),
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
            Format::Sql | Format::Json | Format::JsonLines | Format::Bson => None,
        };
        end.filter(|&e| e > 0)
    }
}
