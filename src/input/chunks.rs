//! A Parquet file hashed in the read that parses it.
//!
//! Parquet is read at random: the footer at the end first, then, row group
//! by row group, the pages of all columns in turn (column 0's first page,
//! column 1's first page, …). `Chunks` reads each row group's bytes once, in
//! file order, into memory, hashing them on the way, and serves the reader
//! from them (`View`); the footer and whatever lies outside every row group
//! are read and hashed at the end (`finish`). Each byte is thus read from the
//! file once, apart from the footer, which is read twice.
//!
//! A row group larger than `WINDOW` is not held in memory: it is read from
//! the file as the reader asks, and hashed by `finish`, which then reads it
//! a second time.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Buf, Bytes};
use parquet::errors::ParquetError;
use parquet::file::reader::{ChunkReader, Length};
use sha2::{Digest, Sha256};

/// The most bytes of one row group held in memory.
pub const WINDOW: u64 = 256 << 20;

/// The file, shared by the views handed to the reader.
type Shared<F> = Arc<Mutex<F>>;

pub struct Chunks<F> {
    file: Shared<F>,
    len: u64,
    /// Bytes `..hashed` are in `hasher` (`None`: not hashing).
    hashed: u64,
    hasher: Option<Sha256>,
    /// The most bytes read ahead into memory (`WINDOW`).
    window: u64,
}

impl<F: Read + Seek + Send> Chunks<F> {
    /// `hash`: whether to take the file's SHA-256.
    pub fn new(mut file: F, hash: bool) -> io::Result<Self> {
        let len = file.seek(SeekFrom::End(0))?;
        Ok(Chunks {
            file: Arc::new(Mutex::new(file)),
            len,
            hashed: 0,
            hasher: hash.then(Sha256::new),
            window: WINDOW,
        })
    }

    /// The file without a window (for the footer).
    pub fn view(&self) -> View<F> {
        View {
            file: Arc::clone(&self.file),
            len: self.len,
            base: 0,
            bytes: Bytes::new(),
        }
    }

    /// The file with the bytes up to `end` (the end of a row group) read
    /// into memory from where hashing stands, if that is at most `WINDOW`
    /// bytes; otherwise without a window.
    pub fn through(&mut self, end: u64) -> io::Result<View<F>> {
        let end = end.min(self.len);
        if end <= self.hashed || end - self.hashed > self.window {
            return Ok(self.view());
        }
        let base = self.hashed;
        let mut buf = Vec::new();
        read_range(&self.file, base, end - base, &mut buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(&buf);
        }
        self.hashed += buf.len() as u64;
        Ok(View {
            file: Arc::clone(&self.file),
            len: self.len,
            base,
            bytes: Bytes::from(buf),
        })
    }

    /// Hashes the rest of the file and returns its size and hex SHA-256
    /// (`None` if not hashing).
    pub fn finish(mut self) -> io::Result<Option<(u64, String)>> {
        let Some(mut hasher) = self.hasher.take() else {
            return Ok(None);
        };
        let mut buf = Vec::new();
        while self.hashed < self.len {
            buf.clear();
            let n = read_range(
                &self.file,
                self.hashed,
                (self.len - self.hashed).min(1 << 20),
                &mut buf,
            )?;
            if n == 0 {
                break;
            }
            hasher.update(&buf);
            self.hashed += n as u64;
        }
        Ok(Some((self.hashed, super::hex(&hasher.finalize()))))
    }
}

/// Appends up to `n` bytes of the file from `at` to `buf` (fewer at its
/// end); how many.
fn read_range<F: Read + Seek>(
    file: &Mutex<F>,
    at: u64,
    n: u64,
    buf: &mut Vec<u8>,
) -> io::Result<usize> {
    let mut f = file.lock().unwrap_or_else(PoisonError::into_inner);
    f.seek(SeekFrom::Start(at))?;
    let before = buf.len();
    (&mut *f).take(n).read_to_end(buf)?;
    Ok(buf.len() - before)
}

/// The file as the Parquet reader sees it: `bytes` at `base` from memory,
/// the rest from the file.
pub struct View<F> {
    file: Shared<F>,
    len: u64,
    base: u64,
    bytes: Bytes,
}

impl<F> View<F> {
    /// `start..start + n` within the window, as an offset into it.
    fn inside(&self, start: u64, n: u64) -> Option<usize> {
        let off = start.checked_sub(self.base)?;
        let end = off.checked_add(n)?;
        (end <= self.bytes.len() as u64).then_some(off as usize)
    }
}

impl<F> Length for View<F> {
    fn len(&self) -> u64 {
        self.len
    }
}

impl<F: Read + Seek + Send + 'static> ChunkReader for View<F> {
    type T = Box<dyn Read + Send>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        let from_file = |at| {
            io::BufReader::new(FileRead {
                file: Arc::clone(&self.file),
                at,
            })
        };
        match self.inside(start, 0) {
            // From memory, then on in the file past the window's end.
            Some(off) => Ok(Box::new(
                self.bytes
                    .slice(off..)
                    .reader()
                    .chain(from_file(self.base + self.bytes.len() as u64)),
            )),
            None => Ok(Box::new(from_file(start))),
        }
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        if let Some(off) = self.inside(start, length as u64) {
            return Ok(self.bytes.slice(off..off + length));
        }
        let mut buf = Vec::new();
        let n = read_range(&self.file, start, length as u64, &mut buf)?;
        if n < length {
            return Err(ParquetError::EOF(format!(
                "expected {length} bytes at {start}, found {n}"
            )));
        }
        Ok(Bytes::from(buf))
    }
}

/// The file read on from `at`, sharing it with the other readers.
struct FileRead<F> {
    file: Shared<F>,
    at: u64,
}

impl<F: Read + Seek> Read for FileRead<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut f = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        f.seek(SeekFrom::Start(self.at))?;
        let n = f.read(buf)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// Where a row group's bytes end, from its columns' declared offsets and
/// sizes (0 when none is sane; a damaged footer can declare anything).
pub fn group_end(group: &parquet::file::metadata::RowGroupMetaData) -> u64 {
    group
        .columns()
        .iter()
        .filter_map(|c| {
            let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset());
            let start = u64::try_from(start).ok()?;
            start.checked_add(u64::try_from(c.compressed_size()).ok()?)
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    use parquet::arrow::arrow_reader::{
        ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
    };
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;

    /// Counts the bytes read from the inner reader.
    struct Counted<R> {
        inner: R,
        read: Arc<AtomicU64>,
    }

    impl<R: Read> Read for Counted<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.read.fetch_add(n as u64, Ordering::Relaxed);
            Ok(n)
        }
    }

    impl<R: Seek> Seek for Counted<R> {
        fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
            self.inner.seek(to)
        }
    }

    /// A Parquet file of `groups` row groups, three columns each, of
    /// incompressible text.
    fn parquet(groups: usize) -> Vec<u8> {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(20_000))
            .set_dictionary_enabled(false)
            .build();
        let mut out = Vec::new();
        let rows = 20_000 * groups;
        let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(
            (0..rows).map(|_| next() as i64),
        ));
        let a: ArrayRef = Arc::new(StringArray::from_iter_values(
            (0..rows).map(|_| format!("{:x}", next())),
        ));
        let b: ArrayRef = Arc::new(StringArray::from_iter_values(
            (0..rows).map(|_| format!("{:x}{:x}", next(), next())),
        ));
        let batch = RecordBatch::try_from_iter([("id", ids), ("a", a), ("b", b)]).unwrap();
        let mut w = ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        out
    }

    /// Reads every row group as the scan does; the rows read and the
    /// bytes read from the file.
    fn read_as_the_scan(data: &[u8]) -> (usize, u64, Option<(u64, String)>) {
        let read = Arc::new(AtomicU64::new(0));
        let file = Counted {
            inner: io::Cursor::new(data.to_vec()),
            read: Arc::clone(&read),
        };
        let mut chunks = Chunks::new(file, true).unwrap();
        let meta =
            ArrowReaderMetadata::load(&chunks.view(), ArrowReaderOptions::default()).unwrap();
        let mut rows = 0;
        for g in 0..meta.metadata().num_row_groups() {
            let view = chunks
                .through(group_end(meta.metadata().row_group(g)))
                .unwrap();
            let batches = ParquetRecordBatchReaderBuilder::new_with_metadata(view, meta.clone())
                .with_row_groups(vec![g])
                .build()
                .unwrap();
            for b in batches {
                rows += b.unwrap().num_rows();
            }
        }
        let hashed = chunks.finish().unwrap();
        (rows, read.load(Ordering::Relaxed), hashed)
    }

    #[test]
    fn a_parquet_file_is_hashed_in_the_read_that_parses_it() {
        let data = parquet(5);
        let size = data.len() as u64;
        assert!(size > 2_000_000, "{size}");
        let (rows, read, hashed) = read_as_the_scan(&data);
        assert_eq!(rows, 100_000);
        assert_eq!(
            hashed,
            Some((size, super::super::hex(&Sha256::digest(&data))))
        );
        // The footer is read twice (for the metadata, then for the hash);
        // every other byte once.
        let footer = u64::from(u32::from_le_bytes(
            data[data.len() - 8..data.len() - 4].try_into().unwrap(),
        )) + 8;
        assert!(
            read <= size + footer,
            "read {read} of {size} (footer {footer})"
        );
    }

    #[test]
    fn a_row_group_past_the_window_is_read_from_the_file_and_hashed_at_the_end() {
        let data = parquet(2);
        let read = Arc::new(AtomicU64::new(0));
        let file = Counted {
            inner: io::Cursor::new(data.clone()),
            read: Arc::clone(&read),
        };
        let mut chunks = Chunks::new(file, true).unwrap();
        // A window that cannot hold the group: as if it were huge.
        chunks.window = 1000;
        let view = chunks.through(u64::MAX).unwrap();
        assert!(view.bytes.is_empty());
        let meta = ArrowReaderMetadata::load(&view, ArrowReaderOptions::default()).unwrap();
        let batches = ParquetRecordBatchReaderBuilder::new_with_metadata(view, meta)
            .build()
            .unwrap();
        assert_eq!(
            batches.map(|b| b.unwrap().num_rows()).sum::<usize>(),
            40_000
        );
        let hashed = chunks.finish().unwrap();
        assert_eq!(
            hashed,
            Some((data.len() as u64, super::super::hex(&Sha256::digest(&data))))
        );
    }

    #[test]
    fn a_row_group_ends_where_its_last_column_ends_and_nonsense_is_ignored() {
        use parquet::file::metadata::{ColumnChunkMetaData, RowGroupMetaData};
        let data = parquet(1);
        let meta =
            ArrowReaderMetadata::load(&Bytes::from(data), ArrowReaderOptions::default()).unwrap();
        let schema = meta.metadata().file_metadata().schema_descr_ptr();
        let column = |i: usize, start: i64, dict: Option<i64>, size: i64| {
            ColumnChunkMetaData::builder(schema.column(i))
                .set_data_page_offset(start)
                .set_dictionary_page_offset(dict)
                .set_total_compressed_size(size)
                .build()
                .unwrap()
        };
        let group = |columns| {
            RowGroupMetaData::builder(schema.clone())
                .set_num_rows(1)
                .set_column_metadata(columns)
                .build()
                .unwrap()
        };
        let sane = group(vec![
            column(0, 4, None, 100),
            column(1, 200, Some(104), 96),
            column(2, 300, None, 50),
        ]);
        assert_eq!(group_end(&sane), 350);
        // Negative offsets and sizes (a damaged footer) are left out.
        let damaged = group(vec![
            column(0, -4, None, 100),
            column(1, 10, None, -1),
            column(2, 20, None, 5),
        ]);
        assert_eq!(group_end(&damaged), 25);
        let nonsense = group(vec![
            column(0, i64::MAX, None, i64::MAX),
            column(1, -1, None, -1),
            column(2, -1, None, 0),
        ]);
        assert_eq!(group_end(&nonsense), i64::MAX as u64 * 2);
        assert_eq!(
            group_end(&group(vec![
                column(0, -1, None, 1),
                column(1, -1, None, 1),
                column(2, -1, None, 1)
            ])),
            0
        );
    }
}
