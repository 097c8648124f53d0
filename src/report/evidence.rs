//! The evidence table (`--evidence FILE.parquet|FILE.csv|FILE.jsonl`): one
//! row per PI record, in scan order, with where it is, its kind and tier,
//! and whether it was counted, found invalid or a duplicate (and of which
//! record). Identifiers are masked unless `--reveal`.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde::Serialize;

use super::words;
use super::words::Lang;
use crate::tally::found::{EvidenceRow, EvidenceSink};

/// The columns, in order; `u64` columns are null where they do not apply.
pub const COLUMNS: [(&str, bool); 17] = [
    ("path", false),
    ("position", false),
    ("line", true),
    ("byte", true),
    ("row", true),
    ("kind", false),
    ("tier", false),
    ("status", false),
    ("first_path", false),
    ("first_position", false),
    ("first_line", true),
    ("first_byte", true),
    ("first_row", true),
    ("reason", false),
    ("key", false),
    ("recipient", false),
    ("identifiers", false),
];

/// The file format, from the file name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceFormat {
    Parquet,
    Csv,
    Jsonl,
}

impl EvidenceFormat {
    pub fn from_path(path: &Path) -> Option<EvidenceFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "parquet" | "pq" => Some(EvidenceFormat::Parquet),
            "csv" => Some(EvidenceFormat::Csv),
            "jsonl" | "ndjson" => Some(EvidenceFormat::Jsonl),
            _ => None,
        }
    }
}

/// One row, flat, as every format writes it.
#[derive(Serialize)]
struct Flat<'a> {
    path: &'a str,
    position: String,
    line: Option<u64>,
    byte: Option<u64>,
    row: Option<u64>,
    kind: &'static str,
    tier: &'static str,
    status: &'static str,
    first_path: Option<&'a str>,
    first_position: Option<String>,
    first_line: Option<u64>,
    first_byte: Option<u64>,
    first_row: Option<u64>,
    reason: Option<Cow<'static, str>>,
    key: Option<String>,
    recipient: Option<&'a str>,
    identifiers: &'a str,
}

impl<'a> Flat<'a> {
    fn of(r: &'a EvidenceRow<'a>) -> Self {
        let first = r.first.as_ref();
        Flat {
            path: r.at.path,
            position: r.at.place.to_string(),
            line: r.at.place.line(),
            byte: r.at.place.byte(),
            row: r.at.place.row(),
            kind: r.kind.key(),
            tier: crate::assess::criminal_tier(r.kind).letter(),
            status: r.status.key(),
            first_path: first.map(|f| f.path),
            first_position: first.map(|f| f.place.to_string()),
            first_line: first.and_then(|f| f.place.line()),
            first_byte: first.and_then(|f| f.place.byte()),
            first_row: first.and_then(|f| f.place.row()),
            reason: r.reason.map(|r| words::reason(r, Lang::En)),
            key: r.key.map(|k| format!("{k:032x}")),
            recipient: r.recipient,
            identifiers: r.identifiers,
        }
    }
}

/// Writes the evidence table as it comes; `finish` completes the file.
pub enum EvidenceWriter {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Jsonl(BufWriter<File>),
    Parquet(Box<ParquetSink>),
}

impl EvidenceWriter {
    /// A table written to `file` (a new, empty file).
    pub fn new(file: File, format: EvidenceFormat) -> std::io::Result<EvidenceWriter> {
        Ok(match format {
            EvidenceFormat::Csv => {
                // The header is written here, so that a table without rows has one too.
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(BufWriter::new(file));
                w.write_record(COLUMNS.iter().map(|c| c.0))?;
                EvidenceWriter::Csv(Box::new(w))
            }
            EvidenceFormat::Jsonl => EvidenceWriter::Jsonl(BufWriter::new(file)),
            EvidenceFormat::Parquet => {
                EvidenceWriter::Parquet(Box::new(ParquetSink::new(file).map_err(other)?))
            }
        })
    }

    pub fn finish(self) -> std::io::Result<()> {
        match self {
            EvidenceWriter::Csv(mut w) => w.flush(),
            EvidenceWriter::Jsonl(mut w) => w.flush(),
            EvidenceWriter::Parquet(p) => p.finish(),
        }
    }
}

fn other(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// The evidence table as written without `--reveal`: the rows' file names
/// masked as the report's are (`mask::mask_names`), the last ones kept so
/// that a run of rows of one file is masked once.
pub struct MaskedNames<'w> {
    inner: &'w mut dyn EvidenceSink,
    at: (String, String),
    first: (String, String),
}

impl<'w> MaskedNames<'w> {
    pub fn new(inner: &'w mut dyn EvidenceSink) -> Self {
        MaskedNames {
            inner,
            at: Default::default(),
            first: Default::default(),
        }
    }
}

fn masked<'c>(cache: &'c mut (String, String), path: &str) -> &'c str {
    if cache.0 != path {
        cache.0 = path.to_string();
        cache.1 = crate::detect::mask::mask_names(path).into_owned();
    }
    &cache.1
}

/// The place with its sheet name masked, if that changes it.
fn masked_place(place: &crate::model::Place) -> Option<crate::model::Place> {
    let mut masked = place.clone();
    super::json::mask_place(&mut masked);
    (masked != *place).then_some(masked)
}

impl EvidenceSink for MaskedNames<'_> {
    fn row(&mut self, row: &EvidenceRow) -> std::io::Result<()> {
        let at = masked(&mut self.at, row.at.path);
        let first = row
            .first
            .as_ref()
            .map(|f| (masked(&mut self.first, f.path), f.place));
        // a sheet's name, in a row's place
        let place = masked_place(row.at.place);
        let first_place = first.as_ref().and_then(|(_, p)| masked_place(p));
        let rewritten = EvidenceRow {
            at: crate::tally::found::Located {
                path: at,
                place: place.as_ref().unwrap_or(row.at.place),
            },
            first: first.map(|(path, p)| crate::tally::found::Located {
                path,
                place: first_place.as_ref().unwrap_or(p),
            }),
            ..*row
        };
        self.inner.row(&rewritten)
    }
}

impl EvidenceSink for EvidenceWriter {
    fn row(&mut self, row: &EvidenceRow) -> std::io::Result<()> {
        let f = Flat::of(row);
        match self {
            EvidenceWriter::Csv(w) => w.serialize(&f).map_err(other),
            EvidenceWriter::Jsonl(w) => {
                serde_json::to_writer(&mut *w, &f)?;
                w.write_all(b"\n")
            }
            EvidenceWriter::Parquet(p) => p.push(&f),
        }
    }
}

/// Rows per Parquet row group batch.
const BATCH: usize = 64 * 1024;

pub struct ParquetSink {
    writer: ArrowWriter<File>,
    schema: Arc<Schema>,
    text: Vec<StringBuilder>,
    numbers: Vec<UInt64Builder>,
    rows: usize,
}

impl ParquetSink {
    fn new(file: File) -> Result<ParquetSink, parquet::errors::ParquetError> {
        let fields: Vec<Field> = COLUMNS
            .iter()
            .map(|&(name, number)| {
                let nullable = number
                    || name.starts_with("first_")
                    || matches!(name, "reason" | "key" | "recipient");
                Field::new(
                    name,
                    if number {
                        DataType::UInt64
                    } else {
                        DataType::Utf8
                    },
                    nullable,
                )
            })
            .collect();
        let schema = Arc::new(Schema::new(fields));
        // A row group per batch: the writer holds one batch encoded, not a
        // million rows (its default), so memory stays flat however long the table.
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(BATCH))
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))?;
        let texts = COLUMNS.iter().filter(|c| !c.1).count();
        let numbers = COLUMNS.len() - texts;
        Ok(ParquetSink {
            writer,
            schema,
            text: (0..texts).map(|_| StringBuilder::new()).collect(),
            numbers: (0..numbers).map(|_| UInt64Builder::new()).collect(),
            rows: 0,
        })
    }

    fn push(&mut self, f: &Flat) -> std::io::Result<()> {
        let texts: [Option<&str>; 11] = [
            Some(f.path),
            Some(&f.position),
            Some(f.kind),
            Some(f.tier),
            Some(f.status),
            f.first_path,
            f.first_position.as_deref(),
            f.reason.as_deref(),
            f.key.as_deref(),
            f.recipient,
            Some(f.identifiers),
        ];
        let numbers = [
            f.line,
            f.byte,
            f.row,
            f.first_line,
            f.first_byte,
            f.first_row,
        ];
        for (b, v) in self.text.iter_mut().zip(texts) {
            b.append_option(v);
        }
        for (b, v) in self.numbers.iter_mut().zip(numbers) {
            b.append_option(v);
        }
        self.rows += 1;
        if self.rows >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut text = self
            .text
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef);
        let mut numbers = self
            .numbers
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef);
        let columns: Vec<ArrayRef> = COLUMNS
            .iter()
            .filter_map(|c| if c.1 { numbers.next() } else { text.next() })
            .collect();
        let batch = RecordBatch::try_new(self.schema.clone(), columns).map_err(other)?;
        self.writer.write(&batch).map_err(other)?;
        self.rows = 0;
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.flush()?;
        self.writer.close().map_err(other)?;
        Ok(())
    }
}
