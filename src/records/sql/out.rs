//! What the walker reports to: the framer keeps boundaries, the parser
//! builds records.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use memchr::memchr;

use super::bytes::unquote_into;
use super::context::{Place, SqlContext, Target};
use super::dialect::Dialect;
use super::literals::{classify, hex_decode, hex_text, unescape_copy, Val};
use crate::decode::FieldDecoding;
use crate::records::record::{Column, Position, RecordBuf, RecordSink};

/// How a value of a row is named.
#[derive(Clone, Copy, Debug)]
pub(super) enum FieldKey {
    /// The n-th value of a tuple or COPY line (0-based).
    Index(usize),
    /// `INSERT … SET name = value`: the name as written in the input.
    Name(usize, usize),
}

/// What the walker reports as it goes: the framer keeps boundaries, the
/// parser builds records. The framer's methods do nothing, so a framing walk
/// does no per-field work.
pub(super) trait Out {
    /// A chunk may start at `at`, in the state `ctx` (`version` changes with it).
    fn boundary(&mut self, at: usize, ctx: &SqlContext, version: u64);
    /// CREATE TABLE defined `table`, taking effect at `at`.
    fn learned(&mut self, at: usize, table: &Arc<str>, columns: &Arc<[String]>);
    fn error(&mut self, buf: &[u8], at: usize, message: fmt::Arguments<'_>);
    /// A row of `target` begins.
    fn begin(&mut self, target: &Target);
    /// A value of the row, written at `buf[start..end]`.
    fn field(&mut self, buf: &[u8], start: usize, end: usize, key: FieldKey, dialect: Dialect);
    /// A field of a COPY line, as written.
    fn copy_field(&mut self, raw: &[u8], index: usize);
    /// The row that started at `at` is complete.
    fn end(&mut self, buf: &[u8], at: usize);
}

/// The part of the state kept at a boundary (tables are logged apart).
pub(super) struct Snap {
    pub(super) dialect: Dialect,
    pub(super) place: Place,
    pub(super) delimiter: Option<Arc<[u8]>>,
    pub(super) tsql: bool,
}

#[derive(Default)]
pub(super) struct Frames {
    /// The last boundary (0: none).
    pub(super) last: usize,
    /// The state there, if it changed since the walk began.
    pub(super) snap: Option<Snap>,
    pub(super) snap_version: u64,
    /// Tables defined during the walk, with where.
    pub(super) learned: Vec<(usize, Arc<str>, Arc<[String]>)>,
}

impl Out for Frames {
    fn boundary(&mut self, at: usize, ctx: &SqlContext, version: u64) {
        self.last = at;
        if version != self.snap_version {
            self.snap_version = version;
            self.snap = Some(Snap {
                dialect: ctx.dialect,
                place: ctx.place.clone(),
                delimiter: ctx.delimiter.clone(),
                tsql: ctx.tsql,
            });
        }
    }
    fn learned(&mut self, at: usize, table: &Arc<str>, columns: &Arc<[String]>) {
        self.learned
            .push((at, Arc::clone(table), Arc::clone(columns)));
    }
    fn error(&mut self, _: &[u8], _: usize, _: fmt::Arguments<'_>) {}
    fn begin(&mut self, _: &Target) {}
    fn field(&mut self, _: &[u8], _: usize, _: usize, _: FieldKey, _: Dialect) {}
    fn copy_field(&mut self, _: &[u8], _: usize) {}
    fn end(&mut self, _: &[u8], _: usize) {}
}

pub(super) struct Parser<'s> {
    pub(super) sink: &'s mut dyn RecordSink,
    pub(super) dec: FieldDecoding,
    pub(super) rec: RecordBuf,
    /// An unescaped or hex-decoded value.
    pub(super) value: Vec<u8>,
    /// `table.#N` and `INSERT … SET` keys.
    pub(super) key: String,
    /// `table.column` for the columns of `keyed`.
    pub(super) keys: Vec<String>,
    pub(super) keyed: Option<Target>,
    /// Lines before `counted_to`.
    pub(super) line: u64,
    pub(super) counted_to: usize,
}

impl<'s> Parser<'s> {
    pub(super) fn new(sink: &'s mut dyn RecordSink, dec: FieldDecoding) -> Self {
        Parser {
            sink,
            dec,
            rec: RecordBuf::default(),
            value: Vec::new(),
            key: String::new(),
            keys: Vec::new(),
            keyed: None,
            line: 0,
            counted_to: 0,
        }
    }

    pub(super) fn position(&mut self, buf: &[u8], at: usize) -> Position {
        let at = at.min(buf.len());
        let line = if at >= self.counted_to {
            self.line += count_lines(buf.get(self.counted_to..at));
            self.counted_to = at;
            self.line
        } else {
            // errors may point back at the start of what failed
            self.line
                .saturating_sub(count_lines(buf.get(at..self.counted_to)))
        };
        Position {
            line,
            offset: at as u64,
        }
    }

    pub(super) fn column(&mut self, buf: &[u8], key: FieldKey) -> Column {
        let table = self.keyed.as_ref().map_or("", |t| &*t.table);
        match key {
            FieldKey::Index(i) => {
                if let Some(k) = self.keys.get(i) {
                    return self.rec.key(k);
                }
                self.key.clear();
                let _ = write!(self.key, "{table}.#{}", i + 1);
            }
            FieldKey::Name(s, e) => {
                self.key.clear();
                self.key.push_str(table);
                self.key.push('.');
                unquote_into(buf.get(s..e).unwrap_or_default(), &mut self.key);
            }
        }
        self.rec.key(&self.key)
    }
}

impl Out for Parser<'_> {
    fn boundary(&mut self, _: usize, _: &SqlContext, _: u64) {}
    fn learned(&mut self, _: usize, _: &Arc<str>, _: &Arc<[String]>) {}

    fn error(&mut self, buf: &[u8], at: usize, message: fmt::Arguments<'_>) {
        let pos = self.position(buf, at);
        self.sink.error(
            pos,
            crate::records::record::RecordError::Sql(message.to_string()),
        );
    }

    fn begin(&mut self, target: &Target) {
        self.rec.clear();
        let same = self.keyed.as_ref().is_some_and(|k| {
            Arc::ptr_eq(&k.table, &target.table)
                && match (&k.columns, &target.columns) {
                    (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                    (None, None) => true,
                    _ => false,
                }
        });
        if !same {
            self.keys.clear();
            if let Some(columns) = &target.columns {
                let table = &target.table;
                self.keys
                    .extend(columns.iter().map(|c| format!("{table}.{c}")));
            }
            self.keyed = Some(target.clone());
        }
    }

    fn field(&mut self, buf: &[u8], start: usize, end: usize, key: FieldKey, dialect: Dialect) {
        let text = buf.get(start..end).unwrap_or_default();
        match classify(text, dialect, &mut self.value) {
            Val::Skip => {}
            Val::Raw(raw) => {
                let column = self.column(buf, key);
                self.rec.push_raw(self.dec, column, raw);
            }
            Val::Unescaped => {
                let column = self.column(buf, key);
                self.rec.push_raw(self.dec, column, &self.value);
            }
            Val::Hex(digits, written) => {
                let column = self.column(buf, key);
                let text = if hex_decode(digits, &mut self.value) {
                    hex_text(self.dec, &self.value)
                } else {
                    None
                };
                match text {
                    Some(text) => self.rec.push(column, &text),
                    // binary: the literal is still worth a look (it may hold digits)
                    None => self.rec.push_raw(self.dec, column, written),
                }
            }
        }
    }

    fn copy_field(&mut self, raw: &[u8], index: usize) {
        let column = self.column(&[], FieldKey::Index(index));
        if memchr(b'\\', raw).is_none() {
            self.rec.push_raw(self.dec, column, raw);
        } else {
            unescape_copy(raw, &mut self.value);
            self.rec.push_raw(self.dec, column, &self.value);
        }
    }

    fn end(&mut self, buf: &[u8], at: usize) {
        let pos = self.position(buf, at);
        if self.rec.decode_errors {
            self.sink.error(
                pos,
                crate::records::record::RecordError::Undecodable(self.dec),
            );
        }
        self.sink.record(pos, &self.rec);
    }
}

pub(super) fn count_lines(bytes: Option<&[u8]>) -> u64 {
    bytes.map_or(0, |b| memchr::memchr_iter(b'\n', b).count() as u64)
}
