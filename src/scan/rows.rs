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
use std::io::{BufReader, Read, Seek};
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Fields};
use calamine::{Data, Reader as _};

use super::read::{Reader, Stop};
use super::work::{RowData, Rows};
use crate::detect::{Engine, Role};
use crate::input::chunks::{self, Chunks};
use crate::input::{container, SeekHashing};
use crate::records::{Column, Position, RecordBuf, RecordSink};

/// A file's size and hex SHA-256.
pub(super) type Hashed = (u64, String);

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

/// Reads every sheet of a workbook whose cells calamine streams (XLSX and
/// XLSB, whose cell readers are distinct types with the same methods).
macro_rules! streamed {
    ($wb:ident, $r:ident, $input:ident, $path:ident) => {{
        for name in $wb.sheet_names() {
            match $wb.worksheet_cells_reader(&name) {
                Ok(mut cells) => {
                    let cells = std::iter::from_fn(|| cells.next_cell().transpose());
                    let rows = cell_rows($r, $input, $path, &name, cells);
                    sheet($r, $input, $path, &name, rows)?
                }
                Err(e) => sheet_error($r, $input, $path, &name, &e)?,
            }
        }
        Ok(())
    }};
}

/// Reads every sheet of a workbook (`format` as decided from its content:
/// xlsx, xlsb, ods or xls).
///
/// A sheet costs memory in proportion to its cells, not to the area it
/// declares: XLSX and XLSB sheets are read cell by cell, as calamine parses
/// them, into rows of the cells they have. XLS and ODS sheets only come
/// from calamine as dense ranges (every cell of the area between the first
/// and the last), so their area is measured first, from the file's own
/// records, and a workbook whose sheets would span more than
/// `MAX_DENSE_CELLS` cells is not read (an error, as a decompression bomb).
pub(super) fn workbook<RS: Read + Seek>(
    r: &Reader,
    input: usize,
    path: &str,
    mut reader: RS,
    format: &str,
) -> Result<(), Stop> {
    let not_readable = |e: &dyn std::fmt::Display| {
        r.report(
            input,
            path,
            String::new(),
            format!("workbook not readable: {e}"),
        )
    };
    match format {
        "xls" | "ods" => {
            let area = match format {
                "xls" => super::area::xls(&mut reader),
                _ => super::area::ods(&mut reader),
            };
            if let Err(e) = area.and_then(|_| reader.rewind().map_err(|e| e.to_string())) {
                return r.report(input, path, String::new(), e);
            }
            fn dense<RS: Read + Seek, W: calamine::Reader<RS>>(
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
                    match wb.worksheet_range(&name) {
                        Ok(range) => sheet(r, input, path, &name, range_rows(&range))?,
                        Err(e) => sheet_error(r, input, path, &name, &e)?,
                    }
                }
                Ok(())
            }
            if format == "xls" {
                dense(r, input, path, calamine::Xls::new(reader))
            } else {
                dense(r, input, path, calamine::Ods::new(reader))
            }
        }
        "xlsb" => {
            let mut wb = match calamine::Xlsb::new(reader) {
                Ok(wb) => wb,
                Err(e) => return not_readable(&e),
            };
            streamed!(wb, r, input, path)
        }
        _ => {
            let mut wb = match calamine::Xlsx::new(reader) {
                Ok(wb) => wb,
                Err(e) => return not_readable(&e),
            };
            streamed!(wb, r, input, path)
        }
    }
}

fn sheet_error(
    r: &Reader,
    input: usize,
    path: &str,
    name: &str,
    e: &dyn std::fmt::Display,
) -> Result<(), Stop> {
    r.report(
        input,
        path,
        format!("sheet {name}"),
        format!("sheet not readable: {e}"),
    )
}

/// A row of a sheet: its number (1-based) and its non-empty cells as text,
/// by column (0-based), in column order.
type SheetRow = (u64, Vec<(u32, String)>);

/// The most columns a sheet has (XFD in Excel).
const MAX_COLUMNS: u32 = 16_384;

/// The rows of a dense range, without their empty cells.
fn range_rows(
    range: &calamine::Range<Data>,
) -> impl Iterator<Item = Result<SheetRow, String>> + '_ {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    range.rows().enumerate().map(move |(i, cells)| {
        let cells = cells
            .iter()
            .enumerate()
            .filter_map(|(c, cell)| {
                let text = cell_text(cell);
                (!text.is_empty()).then(|| (first_col + c as u32, text))
            })
            .collect();
        Ok((u64::from(first_row) + i as u64 + 1, cells))
    })
}

/// Rows from the cells of a sheet as they are parsed (row by row, in
/// order, in a well-formed sheet). A cell past column XFD is not read; a
/// row whose text passes `--max-record` is cut there: both reported, once
/// per sheet.
fn cell_rows<'a, E: std::fmt::Display>(
    r: &'a Reader,
    input: usize,
    path: &'a str,
    name: &'a str,
    mut cells: impl Iterator<Item = Result<calamine::Cell<calamine::DataRef<'a>>, E>> + 'a,
) -> impl Iterator<Item = Result<SheetRow, String>> + 'a {
    let limit = r.opts.max_record_bytes;
    let mut pending: Option<(u32, (u32, String))> = None;
    let mut done = false;
    let (mut wide, mut long) = (false, false);
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let (row, first) = match pending.take() {
            Some(p) => p,
            None => loop {
                match cells.next()? {
                    Err(e) => {
                        done = true;
                        return Some(Err(e.to_string()));
                    }
                    Ok(c) => {
                        let (row, col) = c.get_position();
                        let text = cell_text(&Data::from(c.get_value().clone()));
                        if text.is_empty() {
                            continue;
                        }
                        if col >= MAX_COLUMNS {
                            if !wide {
                                wide = true;
                                let _ = r.report(
                                    input,
                                    path,
                                    format!("sheet {name}, row {}", row + 1),
                                    format!("cells past column XFD ({MAX_COLUMNS}) not read"),
                                );
                            }
                            continue;
                        }
                        break (row, (col, text));
                    }
                }
            },
        };
        let mut bytes = first.1.len();
        let mut out = vec![first];
        loop {
            match cells.next() {
                None => {
                    done = true;
                    break;
                }
                Some(Err(e)) => {
                    // the row so far counts; the error ends the sheet
                    pending = None;
                    done = true;
                    let _ = r.report(
                        input,
                        path,
                        format!("sheet {name}, row {}", row + 1),
                        format!("sheet not readable past here: {e}"),
                    );
                    break;
                }
                Some(Ok(c)) => {
                    let (at, col) = c.get_position();
                    let text = cell_text(&Data::from(c.get_value().clone()));
                    if text.is_empty() {
                        continue;
                    }
                    if col >= MAX_COLUMNS {
                        if !wide {
                            wide = true;
                            let _ = r.report(
                                input,
                                path,
                                format!("sheet {name}, row {}", row + 1),
                                format!("cells past column XFD ({MAX_COLUMNS}) not read"),
                            );
                        }
                        continue;
                    }
                    if at != row {
                        pending = Some((at, (col, text)));
                        break;
                    }
                    bytes += text.len();
                    if bytes > limit {
                        if !long {
                            long = true;
                            let _ = r.report(
                                input,
                                path,
                                format!("sheet {name}, row {}", row + 1),
                                format!("row longer than {limit} bytes (--max-record): the cells after it not read"),
                            );
                        }
                        continue;
                    }
                    out.push((col, text));
                }
            }
        }
        out.sort_by_key(|(col, _)| *col);
        Some(Ok((u64::from(row) + 1, out)))
    })
}

/// Rows of text per batch, at most: shared strings can make a small sheet
/// expand into much text.
const BATCH_BYTES: usize = 16 << 20;

/// Reads one sheet: its header row (if one of the first non-blank rows is
/// one), the column types, and the rows in batches.
fn sheet(
    r: &Reader,
    input: usize,
    path: &str,
    name: &str,
    rows: impl Iterator<Item = Result<SheetRow, String>>,
) -> Result<(), Stop> {
    let place: Arc<str> = Arc::from(format!("sheet {name}, "));
    let mut rows = rows.into_iter();
    // The header is the first row that looks like one among the first few
    // that are not blank: sheets often open with a title or a date line.
    // Rows above it are still records (so nothing is dropped), read without
    // column types; without a header every row is read that way.
    let mut head: Vec<SheetRow> = Vec::new();
    let mut schema = Vec::new();
    let mut failed = None;
    for row in rows.by_ref() {
        let (n, cells) = match row {
            Ok(row) => row,
            Err(e) => {
                failed = Some(e);
                break;
            }
        };
        if cells.iter().all(|(_, c)| c.trim().is_empty()) {
            continue;
        }
        // the row as a list of fields from its first cell to its last
        let from = cells.first().map_or(0, |c| c.0);
        let to = cells.last().map_or(0, |c| c.0);
        let mut fields = vec![""; (to - from + 1) as usize];
        for (c, text) in &cells {
            fields[(c - from) as usize] = text;
        }
        if r.engine.looks_like_header(&fields) {
            schema = vec![Role::Unknown; to as usize + 1];
            for (c, text) in &cells {
                schema[*c as usize] = r.engine.role_for_header(text);
            }
            break;
        }
        head.push((n, cells));
        if head.len() >= HEADER_SEARCH_ROWS {
            break;
        }
    }
    let send = |batch: &mut Vec<SheetRow>, schema: &Arc<Vec<Role>>| {
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
    let mut batch: Vec<SheetRow> = Vec::new();
    if schema.is_empty() {
        batch = head; // no header: these rows are data like the rest
    } else {
        send(&mut head, &Arc::new(Vec::new()))?;
    }
    let mut typed = schema.is_empty() || !schema.contains(&Role::Unknown);
    let mut schema = Arc::new(schema);
    let mut bytes = 0usize;
    if failed.is_none() {
        for row in rows {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            };
            bytes += row.1.iter().map(|(_, t)| t.len()).sum::<usize>();
            batch.push(row);
            if batch.len() >= BATCH_ROWS || bytes >= BATCH_BYTES {
                if !typed {
                    schema = Arc::new(type_cells(r.engine, &schema, &batch));
                    typed = true;
                }
                send(&mut batch, &schema)?;
                bytes = 0;
            }
        }
    }
    if !typed {
        schema = Arc::new(type_cells(r.engine, &schema, &batch));
    }
    send(&mut batch, &schema)?;
    match failed {
        Some(e) => sheet_error(r, input, path, name, &e),
        None => Ok(()),
    }
}

/// Types the columns with an unknown header from the first rows.
fn type_cells(engine: &Engine, schema: &[Role], rows: &[SheetRow]) -> Vec<Role> {
    schema
        .iter()
        .enumerate()
        .map(|(i, &role)| {
            if role != Role::Unknown {
                return role;
            }
            let values = rows.iter().take(SAMPLE_VALUES).filter_map(|(_, cells)| {
                cells
                    .binary_search_by_key(&(i as u32), |(c, _)| *c)
                    .ok()
                    .map(|k| cells[k].1.as_str())
            });
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

/// Reads a Parquet or Arrow IPC file, batch by batch; with `hash`, its size
/// and SHA-256 taken in the same read (`None` if it could not be read to
/// the end).
pub(super) fn columnar(
    r: &Reader,
    input: usize,
    path: &str,
    file: File,
    kind: Columnar,
    hash: bool,
) -> Result<Option<Hashed>, Stop> {
    let mut state = ColumnarState::new(r, input);
    match kind {
        Columnar::Parquet => {
            use parquet::arrow::arrow_reader::{
                ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
            };
            let mut chunks = match Chunks::new(file, hash) {
                Ok(c) => c,
                Err(e) => {
                    r.report(input, path, String::new(), format!("cannot read: {e}"))?;
                    return Ok(None);
                }
            };
            let meta =
                match ArrowReaderMetadata::load(&chunks.view(), ArrowReaderOptions::default()) {
                    Ok(m) => m,
                    Err(e) => {
                        r.report(
                            input,
                            path,
                            String::new(),
                            format!("not a readable Parquet file: {e}"),
                        )?;
                        return Ok(None);
                    }
                };
            let groups = meta.metadata().num_row_groups();
            let limits = r.limits();
            for g in 0..groups {
                // Pages are decompressed into buffers of their declared size:
                // a row group whose columns declare absurd sizes (a damaged
                // or hostile file) is not read, as a decompression bomb.
                let group = meta.metadata().row_group(g);
                let absurd = group.columns().iter().find(|c| {
                    let (packed, size) = (
                        c.compressed_size().max(1) as u64,
                        c.uncompressed_size().max(0) as u64,
                    );
                    size > limits.max_expanded
                        || size > container::RATIO_GRACE && size / packed > limits.max_ratio
                });
                if let Some(c) = absurd {
                    r.report(
                        input,
                        path,
                        format!("row group {g}"),
                        format!(
                            "column {} declares {} bytes from {} (past --max-ratio or --max-expanded): row group not read",
                            c.column_path(),
                            c.uncompressed_size(),
                            c.compressed_size()
                        ),
                    )?;
                    continue;
                }
                // The group's bytes, read once, in file order (see `Chunks`).
                let reader = chunks
                    .through(chunks::group_end(group))
                    .map_err(parquet::errors::ParquetError::from)
                    .and_then(|view| {
                        ParquetRecordBatchReaderBuilder::new_with_metadata(view, meta.clone())
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
            Ok(chunks.finish().ok().flatten())
        }
        Columnar::ArrowFile => read_ipc(&mut state, r, input, path, file, false, hash),
    }
}

/// Reads an Arrow IPC file (or stream), after checking what arrow-ipc would
/// allocate for it (`check_ipc_sizes`): the batches before a bad one count.
/// With `hash`, the file's size and SHA-256 are taken as arrow-ipc reads it
/// (its blocks are in file order; see `SeekHashing`).
fn read_ipc(
    state: &mut ColumnarState,
    r: &Reader,
    input: usize,
    path: &str,
    mut file: File,
    stream: bool,
    hash: bool,
) -> Result<Option<Hashed>, Stop> {
    type Batches<'f> = Box<dyn Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>> + 'f>;
    let limits = r.limits();
    let checked = check_ipc_sizes(&mut file, limits.max_ratio, limits.max_expanded);
    let mut hashing = SeekHashing::new(file);
    if let Err(e) = hashing.rewind() {
        r.report(input, path, String::new(), format!("cannot read: {e}"))?;
        return Ok(None);
    }
    if let Err((IN_DICTIONARY, why)) = &checked {
        // not opened (the hash is taken by `finish`)
        r.report(input, path, String::new(), why.clone())?;
    } else {
        let reader = BufReader::new(&mut hashing);
        let batches: Result<Batches, _> = if stream {
            arrow_ipc::reader::StreamReader::try_new(reader, None).map(|b| Box::new(b) as Batches)
        } else {
            arrow_ipc::reader::FileReader::try_new(reader, None).map(|b| Box::new(b) as Batches)
        };
        match batches {
            Ok(batches) => match checked {
                Ok(()) => state.all(path, batches)?,
                Err((good, why)) => {
                    state.all(path, batches.take(good))?;
                    r.report(input, path, format!("row {}", state.rows + 1), why)?;
                }
            },
            Err(e) => r.report(
                input,
                path,
                String::new(),
                format!(
                    "not a readable Arrow IPC {}: {e}",
                    if stream { "stream" } else { "file" }
                ),
            )?,
        }
    }
    Ok(if hash { hashing.finish().ok() } else { None })
}

/// Checks what arrow-ipc will allocate for an Arrow IPC file or stream
/// before it reads it.
///
/// arrow-ipc allocates the sizes a file declares up front: a message's body,
/// a footer block, and a compressed buffer's expanded length (the first 8
/// bytes of the buffer). A damaged or hostile file that declares petabytes
/// aborts the process, and an allocation failure is not a panic, so it
/// cannot be caught (fuzzing found all three). So every message arrow-ipc
/// will read is checked first: its header and body must lie within the file,
/// and each compressed buffer may expand at most `max_ratio` times (past
/// 16 MiB) and at most `budget` bytes. For the file format these are the
/// messages its footer points at; for the stream format, the messages in
/// order. On failure: how many record batches come before the bad one, and
/// why.
fn check_ipc_sizes(file: &mut File, max_ratio: u64, budget: u64) -> Result<(), (usize, String)> {
    use std::io::{Seek, SeekFrom};
    let io = |e: std::io::Error| (0, e.to_string());
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    let mut magic = [0u8; 6];
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let limits = (max_ratio, budget);
    if file.read_exact(&mut magic).is_ok() && &magic == b"ARROW1" {
        return check_ipc_footer(file, len, limits);
    }
    let mut at = 0u64;
    let mut batches = 0;
    while at + 8 <= len {
        match check_ipc_message(file, len, at, limits) {
            Ok(Some((next, is_batch))) => {
                at = next;
                batches += usize::from(is_batch);
            }
            Ok(None) => return Ok(()),
            Err(why) => return Err((batches, format!("record batch {}: {why}", batches + 1))),
        }
    }
    Ok(())
}

fn read_at(file: &mut File, at: u64, buf: &mut [u8]) -> Result<(), String> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
    file.read_exact(buf).map_err(|e| e.to_string())
}

/// Checks the message at `at` as arrow-ipc's stream reader reads it (its
/// own length prefix, then its body): `None` at the end-of-stream marker or
/// where no message can be read (arrow-ipc reports that itself, without a
/// large allocation); otherwise where it ends and whether it is a record
/// batch.
fn check_ipc_message(
    file: &mut File,
    len: u64,
    mut at: u64,
    limits: (u64, u64),
) -> Result<Option<(u64, bool)>, String> {
    let mut word = [0u8; 4];
    if read_at(file, at, &mut word).is_err() {
        return Ok(None);
    }
    let mut meta_len = i32::from_le_bytes(word);
    at += 4;
    if meta_len == -1 {
        // continuation marker, then the length
        if read_at(file, at, &mut word).is_err() {
            return Ok(None);
        }
        meta_len = i32::from_le_bytes(word);
        at += 4;
    }
    if meta_len <= 0 {
        return Ok(None);
    }
    let meta_len = meta_len as u64;
    if meta_len > len.saturating_sub(at) {
        return Err("its header is longer than the rest of the file: not read from here".into());
    }
    let mut meta = vec![0u8; meta_len as usize];
    read_at(file, at, &mut meta)?;
    at += meta_len;
    let Ok(message) = arrow_ipc::root_as_message(&meta) else {
        return Ok(None);
    };
    let body = u64::try_from(message.bodyLength()).unwrap_or(u64::MAX);
    if body > len - at {
        return Err("its body is longer than the rest of the file: not read from here".into());
    }
    check_ipc_buffers(file, &message, at, limits)?;
    Ok(Some((
        at + body,
        message.header_as_record_batch().is_some(),
    )))
}

/// Checks the declared expanded length of each compressed buffer of a
/// message whose body starts at `body_at`.
fn check_ipc_buffers(
    file: &mut File,
    message: &arrow_ipc::Message,
    body_at: u64,
    (max_ratio, budget): (u64, u64),
) -> Result<(), String> {
    let batch = message
        .header_as_record_batch()
        .or_else(|| message.header_as_dictionary_batch().and_then(|d| d.data()));
    let Some(batch) = batch.filter(|b| b.compression().is_some()) else {
        return Ok(());
    };
    for buffer in batch.buffers().into_iter().flatten() {
        let (offset, length) = (buffer.offset(), buffer.length());
        if length < 8 || offset < 0 {
            continue;
        }
        let mut declared = [0u8; 8];
        if read_at(file, body_at.saturating_add(offset as u64), &mut declared).is_err() {
            continue;
        }
        let declared = i64::from_le_bytes(declared);
        let allowed = (length as u64)
            .saturating_mul(max_ratio)
            .max(container::RATIO_GRACE)
            .min(budget);
        if declared > 0 && declared as u64 > allowed {
            return Err(format!(
                "a compressed buffer declares {declared} bytes from {length} (past --max-ratio or --max-expanded): not read from here"
            ));
        }
    }
    Ok(())
}

/// Checks a footer block as arrow-ipc's file reader reads it: the whole
/// block (metadata and body) must fit in the file, the message is parsed
/// from the block's bytes after its length prefix (which may run into the
/// body), and the body starts at the block's metadata length.
fn check_ipc_block(
    file: &mut File,
    len: u64,
    b: &arrow_ipc::Block,
    limits: (u64, u64),
) -> Result<(), String> {
    let (o, m, n) = (b.offset(), i64::from(b.metaDataLength()), b.bodyLength());
    let fits = o >= 0
        && m >= 8
        && n >= 0
        && (o as u64).saturating_add(m as u64).saturating_add(n as u64) <= len;
    if !fits {
        return Err("its block reaches past the end of the file: not read from here".into());
    }
    let (o, m, n) = (o as u64, m as u64, n as u64);
    let mut block = vec![0u8; m as usize];
    read_at(file, o, &mut block)?;
    let skip = if block.starts_with(&[0xff; 4]) { 8 } else { 4 };
    if arrow_ipc::root_as_message(&block[skip..]).is_err() {
        // arrow-ipc parses from the rest of the whole block: so do we
        block.resize((m + n) as usize, 0);
        read_at(file, o, &mut block)?;
    }
    match arrow_ipc::root_as_message(&block[skip..]) {
        Ok(message) => check_ipc_buffers(file, &message, o + m, limits),
        Err(_) => Ok(()), // arrow-ipc cannot parse it either and reports it
    }
}

/// The file format: the footer lists where each dictionary and record batch
/// is; each listed block must fit in the file, and so must its message.
fn check_ipc_footer(file: &mut File, len: u64, limits: (u64, u64)) -> Result<(), (usize, String)> {
    if len < 18 {
        return Ok(()); // too short for a footer: arrow-ipc reports it
    }
    let mut tail = [0u8; 4];
    if read_at(file, len - 10, &mut tail).is_err() {
        return Ok(());
    }
    let footer_len = i32::from_le_bytes(tail);
    if footer_len <= 0 || footer_len as u64 > len - 10 {
        return Ok(()); // arrow-ipc reports a bad footer without allocating it
    }
    let mut footer = vec![0u8; footer_len as usize];
    if read_at(file, len - 10 - footer_len as u64, &mut footer).is_err() {
        return Ok(());
    }
    let Ok(footer) = arrow_ipc::root_as_footer(&footer) else {
        return Ok(());
    };
    let mut check = |b: &arrow_ipc::Block| check_ipc_block(file, len, b, limits);
    for (i, b) in footer.dictionaries().into_iter().flatten().enumerate() {
        check(b).map_err(|why| (IN_DICTIONARY, format!("dictionary {}: {why}", i + 1)))?;
    }
    for (i, b) in footer.recordBatches().into_iter().flatten().enumerate() {
        check(b).map_err(|why| (i, format!("record batch {}: {why}", i + 1)))?;
    }
    Ok(())
}

/// `check_ipc_sizes` failed in a dictionary of the file format, which
/// arrow-ipc reads when it opens the file: it must not be opened at all
/// (fuzzing found a dictionary block declaring 3.4 PB that went past the
/// check this way).
const IN_DICTIONARY: usize = usize::MAX;

/// Reads an Arrow IPC stream (kept in a file for the size check).
pub(super) fn arrow_stream(
    r: &Reader,
    input: usize,
    path: &str,
    file: File,
    hash: bool,
) -> Result<Option<Hashed>, Stop> {
    let mut state = ColumnarState::new(r, input);
    read_ipc(&mut state, r, input, path, file, true, hash)
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
    leaves
        .iter()
        .map(|leaf| {
            let role = engine.role_for_header(&leaf.path);
            if role != Role::Unknown {
                return role;
            }
            let chain = leaf_arrays(batch, leaf);
            let Some(text) = LeafText::new(&chain) else {
                return role;
            };
            if text.nested() {
                return role; // typed per value, by the key path of each
            }
            let n = chain.last().map_or(0, |a| a.len()).min(SAMPLE_VALUES);
            let mut buf = String::new();
            let values: Vec<String> = (0..n)
                .filter(|&row| chain.iter().all(|a| a.is_valid(row)))
                .map(|row| {
                    buf.clear();
                    text.write(row, &mut buf);
                    buf.clone()
                })
                .collect();
            engine.role_from_sample(values.iter().map(String::as_str))
        })
        .collect()
}

/// How the values of one leaf column become text.
enum LeafText<'a> {
    /// As arrow-cast displays them.
    Display(ArrayFormatter<'a>),
    /// Display, without the zero fraction of a decimal (`110101….00` is an
    /// ID in a decimal column, not a fraction).
    Decimal(ArrayFormatter<'a>),
    /// Bytes: text when they are text (UTF-8, or cleanly GBK), hex otherwise.
    /// Older Hive/Spark files store strings as binary without the UTF-8 mark.
    Binary(&'a dyn Array),
    /// A list or map: every element is a field of its own, keyed by its
    /// path (`contacts.0.mobile`, `attrs.phone`).
    Nested(&'a dyn Array),
}

impl<'a> LeafText<'a> {
    fn new(chain: &'a [ArrayRef]) -> Option<Self> {
        let array = chain.last()?.as_ref();
        let options = FormatOptions::new().with_null("");
        Some(match array.data_type() {
            DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
            | DataType::FixedSizeBinary(_) => LeafText::Binary(array),
            DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(..)
            | DataType::ListView(_)
            | DataType::LargeListView(_)
            | DataType::Map(..) => LeafText::Nested(array),
            DataType::Decimal32(..)
            | DataType::Decimal64(..)
            | DataType::Decimal128(..)
            | DataType::Decimal256(..) => {
                LeafText::Decimal(ArrayFormatter::try_new(array, &options).ok()?)
            }
            _ => LeafText::Display(ArrayFormatter::try_new(array, &options).ok()?),
        })
    }

    fn nested(&self) -> bool {
        matches!(self, LeafText::Nested(_))
    }

    /// Writes the value of `row` (not for `Nested`).
    fn write(&self, row: usize, out: &mut String) {
        match self {
            LeafText::Display(f) => {
                let _ = write!(out, "{}", f.value(row));
            }
            LeafText::Decimal(f) => {
                let _ = write!(out, "{}", f.value(row));
                if let Some(dot) = out.rfind('.') {
                    if out[dot + 1..].bytes().all(|b| b == b'0') {
                        out.truncate(dot);
                    }
                }
            }
            LeafText::Binary(a) => binary_text(*a, row, out),
            LeafText::Nested(_) => {}
        }
    }
}

fn binary_value(array: &dyn Array, row: usize) -> Option<&[u8]> {
    use arrow_array::cast::AsArray;
    Some(match array.data_type() {
        DataType::Binary => array.as_binary::<i32>().value(row),
        DataType::LargeBinary => array.as_binary::<i64>().value(row),
        DataType::BinaryView => array.as_binary_view().value(row),
        DataType::FixedSizeBinary(_) => array.as_fixed_size_binary().value(row),
        _ => return None,
    })
}

fn binary_text(array: &dyn Array, row: usize, out: &mut String) {
    let Some(bytes) = binary_value(array, row) else {
        return;
    };
    if let Ok(s) = std::str::from_utf8(bytes) {
        if !s.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            out.push_str(s);
            return;
        }
    }
    let (text, errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if !errors && !text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        out.push_str(&text);
        return;
    }
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
}

/// Adds the elements of a list or map value as fields keyed by their path.
fn push_nested(rec: &mut RecordBuf, key: &mut String, array: &dyn Array, row: usize, depth: usize) {
    use arrow_array::cast::AsArray;
    if depth > 32 || !array.is_valid(row) {
        return;
    }
    let len = key.len();
    match array.data_type() {
        DataType::Struct(fields) => {
            let s = array.as_struct();
            for (field, child) in fields.iter().zip(s.columns()) {
                key.push('.');
                key.push_str(field.name());
                push_nested(rec, key, child.as_ref(), row, depth + 1);
                key.truncate(len);
            }
        }
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => {
            let (values, range) = match array.data_type() {
                DataType::List(_) => {
                    let l = array.as_list::<i32>();
                    let o = l.value_offsets();
                    (l.values(), o[row] as usize..o[row + 1] as usize)
                }
                DataType::LargeList(_) => {
                    let l = array.as_list::<i64>();
                    let o = l.value_offsets();
                    (l.values(), o[row] as usize..o[row + 1] as usize)
                }
                _ => {
                    let l = array.as_fixed_size_list();
                    let n = l.value_length() as usize;
                    (l.values(), row * n..row * n + n)
                }
            };
            for (i, j) in range.enumerate() {
                if j >= values.len() {
                    break;
                }
                let _ = write!(key, ".{i}");
                push_nested(rec, key, values.as_ref(), j, depth + 1);
                key.truncate(len);
            }
        }
        DataType::Map(..) => {
            let m = array.as_map();
            let o = m.value_offsets();
            let (keys, values) = (m.keys(), m.values());
            for j in o[row] as usize..o[row + 1] as usize {
                let name = arrow_cast::display::array_value_to_string(keys.as_ref(), j)
                    .unwrap_or_default();
                key.push('.');
                key.push_str(&name);
                push_nested(rec, key, values.as_ref(), j, depth + 1);
                key.truncate(len);
            }
        }
        _ => {
            let mut text = String::new();
            match binary_value(array, row) {
                Some(_) => binary_text(array, row, &mut text),
                None => {
                    text =
                        arrow_cast::display::array_value_to_string(array, row).unwrap_or_default()
                }
            }
            if !text.is_empty() {
                rec.push_keyed(key.trim_start_matches('.'), &text);
            }
        }
    }
}

/// Hands every row of a work item to `sink` as a record.
pub(super) fn each_row(rows: &Rows, sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
    match &rows.data {
        RowData::Cells(cells) => {
            for (n, row) in cells {
                rec.clear();
                for (i, v) in row {
                    rec.push(Column::Index(*i), v);
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
            let chains: Vec<Vec<ArrayRef>> = leaves.iter().map(|l| leaf_arrays(batch, l)).collect();
            let texts: Vec<Option<LeafText>> = chains.iter().map(|c| LeafText::new(c)).collect();
            let mut text = String::new();
            let mut key = String::new();
            for row in 0..batch.num_rows() {
                rec.clear();
                for (i, (chain, how)) in chains.iter().zip(&texts).enumerate() {
                    let Some(how) = how else { continue };
                    if !chain.iter().all(|a| a.is_valid(row)) {
                        continue;
                    }
                    if let LeafText::Nested(array) = how {
                        key.clear();
                        key.push_str(&leaves[i].path);
                        push_nested(&mut rec, &mut key, *array, row, 0);
                        continue;
                    }
                    text.clear();
                    how.write(row, &mut text);
                    if !text.is_empty() {
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

    /// The fields each row of a batch gives, as (key or column index, text).
    fn fields_of(batch: RecordBatch) -> Vec<Vec<(String, String)>> {
        struct Collect(Vec<Vec<(String, String)>>);
        impl RecordSink for Collect {
            fn record(&mut self, _: Position, rec: &RecordBuf) {
                self.0.push(
                    rec.fields()
                        .map(|(c, v)| {
                            let k = match c {
                                Column::Index(i) => format!("#{i}"),
                                _ => rec.key_text(c).to_string(),
                            };
                            (k, v.to_string())
                        })
                        .collect(),
                );
            }
            fn error(&mut self, _: Position, _: String) {}
        }
        let mut out = Vec::new();
        leaves(batch.schema().fields(), "", &mut Vec::new(), &mut out);
        let rows = Rows {
            input: 0,
            schema: Arc::new(Vec::new()),
            place: Arc::from(""),
            data: RowData::Arrow {
                batch,
                leaves: Arc::new(out),
                first_row: 1,
            },
        };
        let mut sink = Collect(Vec::new());
        each_row(&rows, &mut sink);
        sink.0
    }

    #[test]
    fn binary_decimal_list_and_map_values_are_read_as_text() {
        use arrow_array::builder::{MapBuilder, StringBuilder};
        use arrow_array::{BinaryArray, Decimal128Array, ListArray, StringArray};
        use arrow_schema::Field;

        let gbk = encoding_rs::GB18030.encode("王芳").0.into_owned();
        let binary = BinaryArray::from_vec(vec!["张伟".as_bytes(), &gbk, &[0x00, 0xff, 0x10]]);
        let decimal = Decimal128Array::from(vec![11010119800101000200i128, 1250, -5])
            .with_precision_and_scale(22, 2)
            .unwrap();
        let mobiles = StringArray::from(vec!["13800000001", "13800000002", "13800000003"]);
        let contact = StructArray::from(vec![(
            Arc::new(Field::new("mobile", DataType::Utf8, false)),
            Arc::new(mobiles) as ArrayRef,
        )]);
        let list = ListArray::try_new(
            Arc::new(Field::new("item", contact.data_type().clone(), false)),
            arrow_buffer::OffsetBuffer::new(vec![0, 2, 2, 3].into()),
            Arc::new(contact),
            None,
        )
        .unwrap();
        let mut map = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
        map.keys().append_value("phone");
        map.values().append_value("13900000009");
        map.append(true).unwrap();
        map.append(true).unwrap();
        map.append(false).unwrap();
        let map = map.finish();
        let batch = RecordBatch::try_from_iter(vec![
            ("name", Arc::new(binary) as ArrayRef),
            ("id", Arc::new(decimal) as ArrayRef),
            ("contacts", Arc::new(list) as ArrayRef),
            ("attrs", Arc::new(map) as ArrayRef),
        ])
        .unwrap();
        let rows = fields_of(batch);
        let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            rows[0],
            [
                kv("#0", "张伟"),
                kv("#1", "110101198001010002"),
                kv("contacts.0.mobile", "13800000001"),
                kv("contacts.1.mobile", "13800000002"),
                kv("attrs.phone", "13900000009"),
            ]
        );
        assert_eq!(rows[1], [kv("#0", "王芳"), kv("#1", "12.50")]);
        assert_eq!(
            rows[2],
            [
                kv("#0", "00ff10"),
                kv("#1", "-0.05"),
                kv("contacts.0.mobile", "13800000003")
            ]
        );
    }
}
