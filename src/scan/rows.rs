//! Inputs that arrive as rows rather than bytes: workbooks (XLSX, XLS, XLSB,
//! ODS) and columnar files (Parquet, Arrow IPC / Feather).
//!
//! One record = one row (of a sheet, after its header row; of a record
//! batch). Columns are typed once, from their name and a sample of their
//! values, like the columns of a CSV file with a header; nested (struct)
//! columns are flattened to dotted paths (`person.mobile`). The reader thread
//! decodes the file; the rows go to the pool in batches, where each value is
//! turned into text (as the cell shows it) and detected.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Read};
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Fields};
use calamine::{Data, Reader as _};

use super::read::{Reader, Stop};
use super::{RowData, Rows};
use crate::detect::{Engine, Role};
use crate::records::{Column, Position, RecordBuf, RecordSink};

/// Rows per work item.
const BATCH_ROWS: usize = 4096;
/// Rows searched for a sheet's header row.
const HEADER_SEARCH_ROWS: usize = 10;
/// Values sampled to type a column whose name is unknown.
const SAMPLE_VALUES: usize = 200;

#[derive(Clone, Copy, Debug)]
pub enum Columnar {
    Parquet,
    ArrowFile,
}

impl Columnar {
    pub fn key(self) -> &'static str {
        match self {
            Columnar::Parquet => "parquet",
            Columnar::ArrowFile => "arrow",
        }
    }
}

// ---------------------------------------------------------------------------
// Workbooks
// ---------------------------------------------------------------------------

/// Reads every sheet of a workbook (`format` as decided from its content:
/// xlsx, xlsb, ods or xls).
pub(super) fn workbook(
    r: &Reader,
    input: usize,
    path: &str,
    file: File,
    format: &str,
) -> Result<(), Stop> {
    fn each_sheet<W: calamine::Reader<BufReader<File>>>(
        r: &Reader,
        input: usize,
        path: &str,
        wb: Result<W, W::Error>,
    ) -> Result<(), Stop>
    where
        W::Error: std::fmt::Display,
    {
        let mut wb = match wb {
            Ok(wb) => wb,
            Err(e) => {
                return r.report(
                    input,
                    path,
                    String::new(),
                    format!("workbook not readable: {e}"),
                )
            }
        };
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).map_err(|e| e.to_string());
            sheet(r, input, path, &name, range)?;
        }
        Ok(())
    }
    let reader = BufReader::new(file);
    match format {
        "xls" => each_sheet(r, input, path, calamine::Xls::new(reader)),
        "xlsb" => each_sheet(r, input, path, calamine::Xlsb::new(reader)),
        "ods" => each_sheet(r, input, path, calamine::Ods::new(reader)),
        _ => each_sheet(r, input, path, calamine::Xlsx::new(reader)),
    }
}

/// Reads one sheet: its header row (if the first non-blank row is one), the
/// column types, and the rows in batches.
fn sheet(
    r: &Reader,
    input: usize,
    path: &str,
    name: &str,
    range: Result<calamine::Range<Data>, String>,
) -> Result<(), Stop> {
    let range = match range {
        Ok(range) => range,
        Err(e) => {
            return r.report(
                input,
                path,
                format!("sheet {name}"),
                format!("sheet not readable: {e}"),
            )
        }
    };
    let Some((first_row, _)) = range.start() else {
        return Ok(()); // an empty sheet
    };
    let mut rows = range.rows().enumerate().map(|(i, cells)| {
        (
            u64::from(first_row) + i as u64 + 1,
            cells.iter().map(cell_text).collect::<Vec<String>>(),
        )
    });
    let place: Arc<str> = Arc::from(format!("sheet {name}, "));
    // The header is the first row that looks like one among the first few
    // that are not blank: sheets often open with a title or a date line.
    // Rows above it are still records (so nothing is dropped), read without
    // column types; without a header every row is read that way.
    let mut head: Vec<(u64, Vec<String>)> = Vec::new();
    let mut schema = Vec::new();
    for (n, cells) in rows.by_ref() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        if r.engine.looks_like_header(&refs) {
            schema = cells.iter().map(|h| r.engine.role_for_header(h)).collect();
            break;
        }
        head.push((n, cells));
        if head.len() >= HEADER_SEARCH_ROWS {
            break;
        }
    }
    let send = |batch: &mut Vec<(u64, Vec<String>)>, schema: &Arc<Vec<Role>>| {
        if batch.is_empty() {
            return Ok(());
        }
        r.send_rows(Rows {
            input,
            schema: Arc::clone(schema),
            place: Arc::clone(&place),
            data: RowData::Cells(std::mem::take(batch)),
        })
    };
    let mut batch: Vec<(u64, Vec<String>)> = Vec::new();
    if schema.is_empty() {
        batch = head; // no header: these rows are data like the rest
    } else {
        send(&mut head, &Arc::new(Vec::new()))?;
    }
    let mut typed = schema.is_empty() || !schema.contains(&Role::Unknown);
    let mut schema = Arc::new(schema);
    for row in rows {
        batch.push(row);
        if batch.len() >= BATCH_ROWS {
            if !typed {
                schema = Arc::new(type_cells(r.engine, &schema, &batch));
                typed = true;
            }
            send(&mut batch, &schema)?;
        }
    }
    if !typed {
        schema = Arc::new(type_cells(r.engine, &schema, &batch));
    }
    send(&mut batch, &schema)
}

/// Types the columns with an unknown header from the first rows.
fn type_cells(engine: &Engine, schema: &[Role], rows: &[(u64, Vec<String>)]) -> Vec<Role> {
    schema
        .iter()
        .enumerate()
        .map(|(i, &role)| {
            if role != Role::Unknown {
                return role;
            }
            let values = rows
                .iter()
                .take(SAMPLE_VALUES)
                .filter_map(|(_, cells)| cells.get(i))
                .map(String::as_str);
            engine.role_from_sample(values)
        })
        .collect()
}

/// A cell as the spreadsheet shows it.
///
/// Whole numbers are written out in full while a double holds them exactly
/// (an old 15-digit ID stored as a number keeps every digit). Past 15
/// significant digits a spreadsheet has already lost digits and shows the
/// number in scientific notation (`1.10101199003071E+17`); so does this, and
/// such a value in an identifier column fails validation as mangled.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Float(f) => number_text(*f),
        Data::DateTime(d) => {
            if d.is_duration() {
                return number_text(d.as_f64());
            }
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            if d.as_f64().fract() == 0.0 {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
            }
        }
    }
}

/// A number as a spreadsheet's General format shows it.
fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    if f.abs() >= 1e15 {
        // 15 significant digits, as a spreadsheet keeps them.
        let s = format!("{f:.14E}"); // 1.10101199003071E17
        let (mantissa, exp) = s.split_once('E').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        let exp = exp.trim_start_matches('+');
        return if let Some(neg) = exp.strip_prefix('-') {
            format!("{mantissa}E-{neg}")
        } else {
            format!("{mantissa}E+{exp}")
        };
    }
    format!("{f}")
}

// ---------------------------------------------------------------------------
// Columnar files
// ---------------------------------------------------------------------------

/// A leaf column: its dotted path and the child indices that lead to it.
#[derive(Debug)]
pub struct Leaf {
    pub path: String,
    pub indices: Vec<usize>,
}

fn leaves(fields: &Fields, prefix: &str, indices: &mut Vec<usize>, out: &mut Vec<Leaf>) {
    for (i, field) in fields.iter().enumerate() {
        let path = if prefix.is_empty() {
            field.name().clone()
        } else {
            format!("{prefix}.{}", field.name())
        };
        indices.push(i);
        match field.data_type() {
            DataType::Struct(children) => leaves(children, &path, indices, out),
            _ => out.push(Leaf {
                path,
                indices: indices.clone(),
            }),
        }
        indices.pop();
    }
}

/// The arrays on the way to a leaf, outermost first.
fn leaf_arrays(batch: &RecordBatch, leaf: &Leaf) -> Vec<ArrayRef> {
    let mut chain: Vec<ArrayRef> = Vec::with_capacity(leaf.indices.len());
    for (depth, &i) in leaf.indices.iter().enumerate() {
        let next = if depth == 0 {
            batch.columns().get(i).cloned()
        } else {
            chain
                .last()
                .and_then(|a| a.as_any().downcast_ref::<StructArray>())
                .and_then(|s| s.columns().get(i).cloned())
        };
        match next {
            Some(a) => chain.push(a),
            None => break,
        }
    }
    chain
}

/// Reads a Parquet or Arrow IPC file, batch by batch.
pub(super) fn columnar(
    r: &Reader,
    input: usize,
    path: &str,
    file: File,
    kind: Columnar,
) -> Result<(), Stop> {
    let mut state = ColumnarState::new(r, input);
    match kind {
        Columnar::Parquet => {
            use parquet::arrow::arrow_reader::{
                ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
            };
            let meta = match ArrowReaderMetadata::load(&file, ArrowReaderOptions::default()) {
                Ok(m) => m,
                Err(e) => {
                    return r.report(
                        input,
                        path,
                        String::new(),
                        format!("not a readable Parquet file: {e}"),
                    )
                }
            };
            let groups = meta.metadata().num_row_groups();
            for g in 0..groups {
                let reader = file
                    .try_clone()
                    .map_err(parquet::errors::ParquetError::from)
                    .and_then(|f| {
                        ParquetRecordBatchReaderBuilder::new_with_metadata(f, meta.clone())
                            .with_row_groups(vec![g])
                            .with_batch_size(BATCH_ROWS)
                            .build()
                    });
                let place = format!("row group {g}, ");
                match reader {
                    Ok(batches) => {
                        for b in batches {
                            match b {
                                Ok(b) => state.batch(b)?,
                                Err(e) => {
                                    // The rest of this row group cannot be decoded; the next may.
                                    r.report(
                                        input,
                                        path,
                                        format!("{place}row {}", state.rows + 1),
                                        format!("Parquet row group not readable past here: {e}"),
                                    )?;
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => r.report(
                        input,
                        path,
                        format!("row group {g}"),
                        format!("Parquet row group not readable: {e}"),
                    )?,
                }
            }
            Ok(())
        }
        Columnar::ArrowFile => {
            match arrow_ipc::reader::FileReader::try_new(BufReader::new(file), None) {
                Ok(batches) => state.all(path, batches),
                Err(e) => r.report(
                    input,
                    path,
                    String::new(),
                    format!("not a readable Arrow IPC file: {e}"),
                ),
            }
        }
    }
}

/// Reads an Arrow IPC stream.
pub(super) fn arrow_stream(
    r: &Reader,
    input: usize,
    path: &str,
    stream: impl Read,
) -> Result<(), Stop> {
    let mut state = ColumnarState::new(r, input);
    match arrow_ipc::reader::StreamReader::try_new(BufReader::new(stream), None) {
        Ok(batches) => state.all(path, batches),
        Err(e) => r.report(
            input,
            path,
            String::new(),
            format!("not a readable Arrow IPC stream: {e}"),
        ),
    }
}

struct ColumnarState<'r, 'a> {
    r: &'r Reader<'a>,
    input: usize,
    /// Rows read so far (for positions).
    rows: u64,
    /// Leaves and their types, from the first batch of a schema.
    typed: Option<Typed>,
}

struct Typed {
    leaves: Arc<Vec<Leaf>>,
    roles: Arc<Vec<Role>>,
    schema: arrow_schema::SchemaRef,
}

impl<'r, 'a> ColumnarState<'r, 'a> {
    fn new(r: &'r Reader<'a>, input: usize) -> Self {
        ColumnarState {
            r,
            input,
            rows: 0,
            typed: None,
        }
    }

    fn all(
        &mut self,
        path: &str,
        batches: impl Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>>,
    ) -> Result<(), Stop> {
        for b in batches {
            match b {
                Ok(b) => self.batch(b)?,
                Err(e) => {
                    return self.r.report(
                        self.input,
                        path,
                        format!("row {}", self.rows + 1),
                        format!("Arrow IPC not readable past here: {e}"),
                    )
                }
            }
        }
        Ok(())
    }

    fn batch(&mut self, batch: RecordBatch) -> Result<(), Stop> {
        let same_schema = matches!(&self.typed, Some(t) if t.schema == batch.schema());
        if !same_schema {
            let mut out = Vec::new();
            leaves(batch.schema().fields(), "", &mut Vec::new(), &mut out);
            let roles = type_leaves(self.r.engine, &out, &batch);
            self.typed = Some(Typed {
                leaves: Arc::new(out),
                roles: Arc::new(roles),
                schema: batch.schema(),
            });
        }
        let Some(Typed { leaves, roles, .. }) = &self.typed else {
            return Ok(());
        };
        let first = self.rows;
        self.rows += batch.num_rows() as u64;
        self.r.send_rows(Rows {
            input: self.input,
            schema: Arc::clone(roles),
            place: Arc::from(""),
            data: RowData::Arrow {
                batch,
                leaves: Arc::clone(leaves),
                first_row: first + 1,
            },
        })
    }
}

/// Types the leaves from their names, and those with an unknown name from
/// the values of the first batch.
fn type_leaves(engine: &Engine, leaves: &[Leaf], batch: &RecordBatch) -> Vec<Role> {
    let options = FormatOptions::new().with_null("");
    leaves
        .iter()
        .map(|leaf| {
            let role = engine.role_for_header(&leaf.path);
            if role != Role::Unknown {
                return role;
            }
            let chain = leaf_arrays(batch, leaf);
            let Some(array) = chain.last() else {
                return role;
            };
            let Ok(fmt) = ArrayFormatter::try_new(array.as_ref(), &options) else {
                return role;
            };
            let n = array.len().min(SAMPLE_VALUES);
            let values: Vec<String> = (0..n)
                .filter(|&row| chain.iter().all(|a| a.is_valid(row)))
                .map(|row| fmt.value(row).to_string())
                .collect();
            engine.role_from_sample(values.iter().map(String::as_str))
        })
        .collect()
}

/// Hands every row of a work item to `sink` as a record.
pub(super) fn each_row(rows: &Rows, sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
    match &rows.data {
        RowData::Cells(cells) => {
            for (n, row) in cells {
                rec.clear();
                for (i, v) in row.iter().enumerate() {
                    if !v.is_empty() {
                        rec.push(Column::Index(i as u32), v);
                    }
                }
                if !rec.is_blank() {
                    sink.record(
                        Position {
                            line: *n,
                            offset: 0,
                        },
                        &rec,
                    );
                }
            }
        }
        RowData::Arrow {
            batch,
            leaves,
            first_row,
        } => {
            let options = FormatOptions::new().with_null("");
            let chains: Vec<Vec<ArrayRef>> = leaves.iter().map(|l| leaf_arrays(batch, l)).collect();
            let formatters: Vec<Option<ArrayFormatter>> = chains
                .iter()
                .map(|c| {
                    c.last()
                        .and_then(|a| ArrayFormatter::try_new(a.as_ref(), &options).ok())
                })
                .collect();
            let mut text = String::new();
            for row in 0..batch.num_rows() {
                rec.clear();
                for (i, (chain, fmt)) in chains.iter().zip(&formatters).enumerate() {
                    let Some(fmt) = fmt else { continue };
                    if !chain.iter().all(|a| a.is_valid(row)) {
                        continue;
                    }
                    text.clear();
                    if write!(text, "{}", fmt.value(row)).is_ok() && !text.is_empty() {
                        rec.push(Column::Index(i as u32), &text);
                    }
                }
                if !rec.is_blank() {
                    let line = first_row + row as u64;
                    sink.record(Position { line, offset: 0 }, &rec);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_as_a_spreadsheet_shows_them() {
        assert_eq!(number_text(110101900307123.0), "110101900307123");
        assert_eq!(number_text(13800138000.0), "13800138000");
        assert_eq!(number_text(110101199003071234.0), "1.10101199003071E+17");
        assert_eq!(number_text(1e15), "1E+15");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(-3.0), "-3");
    }
}
