//! A record: its fields, decoded to UTF-8 in one reusable buffer, where it
//! starts, and the sink that receives records.

use crate::decode::{self, FieldDecoding};

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
    pub(super) fn key(&mut self, path: &str) -> Column {
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

    /// A delimited row with more columns than `width`: joins adjacent
    /// columns that are pieces of one e-mail address split by `gap` (a `|`
    /// delimiter inside a local part, [`super::address::joins_address`]), when
    /// that gives it exactly `width` columns; otherwise leaves it as it is.
    pub fn join_addresses(&mut self, width: u32, gap: &str) {
        let columns = |f: &[(u32, String)]| f.last().map_or(0, |(c, _)| c + 1);
        let mut fields: Vec<(u32, String)> = Vec::new();
        for (column, value) in self.fields() {
            match column {
                Column::Index(c) => fields.push((c, value.to_string())),
                _ => return,
            }
        }
        if columns(&fields) <= width || !fields.iter().any(|(_, v)| v.contains('@')) {
            return;
        }
        let mut i = fields.len();
        while columns(&fields) > width && i >= 2 {
            i -= 1;
            let (left, right) = (&fields[i - 1], &fields[i]);
            if left.0 + 1 == right.0 && super::address::joins_address(&left.1, gap, &right.1) {
                let (_, right) = fields.remove(i);
                let joined = &mut fields[i - 1].1;
                joined.push_str(gap);
                joined.push_str(&right);
                for f in &mut fields[i..] {
                    f.0 -= 1;
                }
            }
        }
        if columns(&fields) != width {
            return;
        }
        let errors = self.decode_errors;
        self.clear();
        self.decode_errors = errors;
        for (c, v) in fields {
            self.push(Column::Index(c), &v);
        }
    }

    /// Whether every field is empty (a blank line is not a record).
    pub fn is_blank(&self) -> bool {
        self.fields().all(|(_, v)| v.trim().is_empty())
    }
}

/// Hands a decoded record to the sink: a blank one is no record; one whose
/// bytes had to be replaced is also reported as an error.
pub(crate) fn deliver(
    sink: &mut dyn RecordSink,
    at: Position,
    rec: &RecordBuf,
    dec: FieldDecoding,
) {
    if rec.is_blank() {
        return;
    }
    if rec.decode_errors {
        sink.error(at, RecordError::Undecodable(dec));
    }
    sink.record(at, rec);
}

/// Receives the records of a chunk.
pub trait RecordSink {
    fn record(&mut self, pos: Position, record: &RecordBuf);
    /// A problem with the input at `pos`; parsing goes on with the next record.
    fn error(&mut self, pos: Position, error: RecordError);
}

/// What was wrong with a record (or the input at it); the record, or what
/// could be read of it, is still delivered where the variant says so.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Bytes not valid in the encoding the record was read in were replaced.
    #[error("{}", decode::undecodable(*.0))]
    Undecodable(FieldDecoding),
    /// A CSV quote opens and never closes before the end of the input.
    #[error("a quoted field never closes: its lines are read one by one without quoting")]
    UnclosedQuote,
    #[error("CSV: {0}")]
    Csv(csv::Error),
    /// A JSON line that does not parse, read as a text line instead.
    #[error("invalid JSON ({0}); read as a text line")]
    InvalidJson(serde_json::Error),
    /// What the SQL parser says of a statement it could not read whole.
    #[error("{0}")]
    Sql(String),
    /// A BSON document whose elements stop making sense part-way: the
    /// elements before it are read.
    #[error("invalid BSON ({0}): the document's elements from there on were not read")]
    Bson(String),
    /// A batch of sheet or columnar rows whose values could not be read.
    #[error(
        "the values of these rows could not be read ({0}): the rest of the batch was not read"
    )]
    Rows(String),
}
