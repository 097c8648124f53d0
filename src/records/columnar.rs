//! Columnar files (Parquet, Arrow IPC / Feather), read by arrow-rs batch by
//! batch: every record batch goes to the [`RowSink`]. Nested (struct)
//! columns are flattened to dotted paths (`person.mobile`), the *leaves*;
//! each value becomes text as arrow-cast displays it, with the exceptions
//! `LeafText` lists.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Seek};

use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Fields};

use super::rows::{RowSink, Stop, BATCH_ROWS};
use super::{Column, Position, RecordBuf, RecordSink};
use crate::input::chunks::{self, Chunks};
use crate::input::{arrow_guard, container, Hashed, SeekHashing};
use crate::model::Place;

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
pub fn read(
    sink: &dyn RowSink,
    file: File,
    kind: Columnar,
    hash: bool,
) -> Result<Option<Hashed>, Stop> {
    let mut state = Batches { sink, rows: 0 };
    match kind {
        Columnar::Parquet => {
            use parquet::arrow::arrow_reader::{
                ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
            };
            let mut chunks = match Chunks::new(file, hash) {
                Ok(c) => c,
                Err(e) => {
                    state
                        .sink
                        .error(Place::Whole, format!("cannot read: {e}"))?;
                    return Ok(None);
                }
            };
            let meta =
                match ArrowReaderMetadata::load(&chunks.view(), ArrowReaderOptions::default()) {
                    Ok(m) => m,
                    Err(e) => {
                        state
                            .sink
                            .error(Place::Whole, format!("not a readable Parquet file: {e}"))?;
                        return Ok(None);
                    }
                };
            let groups = meta.metadata().num_row_groups();
            let limits = state.sink.limits();
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
                    state.sink.error(Place::RowGroup(g as u64),
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
                let place = format!("row group {g}, row ");
                match reader {
                    Ok(batches) => {
                        for b in batches {
                            match b {
                                Ok(b) => state.batch(b)?,
                                Err(e) => {
                                    // The rest of this row group cannot be decoded; the next may.
                                    state.sink.error(
                                        Place::Row {
                                            prefix: place.as_str().into(),
                                            row: state.rows + 1,
                                        },
                                        format!("Parquet row group not readable past here: {e}"),
                                    )?;
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => state.sink.error(
                        Place::RowGroup(g as u64),
                        format!("Parquet row group not readable: {e}"),
                    )?,
                }
            }
            Ok(chunks.finish().ok().flatten())
        }
        Columnar::ArrowFile => read_ipc(&mut state, file, false, hash),
    }
}

/// Reads an Arrow IPC file (or stream), after checking what arrow-ipc would
/// allocate for it (`arrow_guard::check_ipc_sizes`): the batches before a bad one count.
/// With `hash`, the file's size and SHA-256 are taken as arrow-ipc reads it
/// (its blocks are in file order; see `SeekHashing`).
fn read_ipc(
    state: &mut Batches,
    mut file: File,
    stream: bool,
    hash: bool,
) -> Result<Option<Hashed>, Stop> {
    type Batches<'f> = Box<dyn Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>> + 'f>;
    let limits = state.sink.limits();
    let checked = arrow_guard::check_ipc_sizes(&mut file, limits.max_ratio, limits.max_expanded);
    let mut hashing = SeekHashing::new(file);
    if let Err(e) = hashing.rewind() {
        state
            .sink
            .error(Place::Whole, format!("cannot read: {e}"))?;
        return Ok(None);
    }
    if let Err((arrow_guard::IN_DICTIONARY, why)) = &checked {
        // not opened (the hash is taken by `finish`)
        state.sink.error(Place::Whole, why.clone())?;
    } else {
        let reader = BufReader::new(&mut hashing);
        let batches: Result<Batches, _> = if stream {
            arrow_ipc::reader::StreamReader::try_new(reader, None).map(|b| Box::new(b) as Batches)
        } else {
            arrow_ipc::reader::FileReader::try_new(reader, None).map(|b| Box::new(b) as Batches)
        };
        match batches {
            Ok(batches) => match checked {
                Ok(()) => state.all(batches)?,
                Err((good, why)) => {
                    state.all(batches.take(good))?;
                    state.sink.error(
                        Place::Row {
                            prefix: "row ".into(),
                            row: state.rows + 1,
                        },
                        why,
                    )?;
                }
            },
            Err(e) => state.sink.error(
                Place::Whole,
                format!(
                    "not a readable Arrow IPC {}: {e}",
                    if stream { "stream" } else { "file" }
                ),
            )?,
        }
    }
    Ok(if hash { hashing.finish().ok() } else { None })
}

/// Reads an Arrow IPC stream (kept in a file for the size check).
pub fn read_stream(sink: &dyn RowSink, file: File, hash: bool) -> Result<Option<Hashed>, Stop> {
    let mut state = Batches { sink, rows: 0 };
    read_ipc(&mut state, file, true, hash)
}

/// The batches of one file on their way to the sink.
struct Batches<'s> {
    sink: &'s dyn RowSink,
    /// Rows read so far (for positions).
    rows: u64,
}

impl Batches<'_> {
    fn all(
        &mut self,
        batches: impl Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>>,
    ) -> Result<(), Stop> {
        for b in batches {
            match b {
                Ok(b) => self.batch(b)?,
                Err(e) => {
                    return self.sink.error(
                        Place::Row {
                            prefix: "row ".into(),
                            row: self.rows + 1,
                        },
                        format!("Arrow IPC not readable past here: {e}"),
                    )
                }
            }
        }
        Ok(())
    }

    fn batch(&mut self, batch: RecordBatch) -> Result<(), Stop> {
        let first = self.rows + 1;
        self.rows += batch.num_rows() as u64;
        self.sink.batch(batch, first)
    }
}

/// The leaves of a schema, in order.
pub fn schema_leaves(fields: &Fields) -> Vec<Leaf> {
    let mut out = Vec::new();
    leaves(fields, "", &mut Vec::new(), &mut out);
    out
}

/// The text of a leaf's first `n` values that are not null, to type the
/// column by; `None` for a leaf whose values cannot be shown, or are lists
/// or maps (typed per element, by the key path of each).
pub fn leaf_sample(batch: &RecordBatch, leaf: &Leaf, n: usize) -> Option<Vec<String>> {
    let chain = leaf_arrays(batch, leaf);
    let text = LeafText::new(&chain)?;
    if text.nested() {
        return None;
    }
    let n = chain.last().map_or(0, |a| a.len()).min(n);
    let mut buf = String::new();
    Some(
        (0..n)
            .filter(|&row| chain.iter().all(|a| a.is_valid(row)))
            .map(|row| {
                buf.clear();
                text.write(row, &mut buf);
                buf.clone()
            })
            .collect(),
    )
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

/// Hands every row of a record batch to `sink` as a record; `first_row`:
/// the 1-based number of the batch's first row in the file.
pub fn each_row(batch: &RecordBatch, leaves: &[Leaf], first_row: u64, sink: &mut dyn RecordSink) {
    let mut rec = RecordBuf::default();
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

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
            fn error(&mut self, _: Position, _: super::super::RecordError) {}
        }
        let leaves = schema_leaves(batch.schema().fields());
        let mut sink = Collect(Vec::new());
        each_row(&batch, &leaves, 1, &mut sink);
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
