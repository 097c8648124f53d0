//! Inputs (SPEC §3): which files a scan reads, in which order, and the bytes
//! of each with their SHA-256 computed on the way through.
//!
//! Order is the sorted display path, so the same set of inputs gives the same
//! first occurrences (and so the same report) whatever order the paths were
//! given in on the command line.

pub mod arrow_guard;
pub mod chunks;
pub mod container;
mod discover;
mod file;
pub mod name;
pub mod own;
pub mod sheet_area;
pub mod zipwalk;

pub use discover::{discover, Alias, Discovery};
pub use file::{InputError, InputFile, Skipped};

/// Little-endian integers at an offset of a byte slice (0 past its end):
/// zip headers, and the evidence table's temporary files.
pub mod le {
    pub fn u16_at(b: &[u8], at: usize) -> u16 {
        b.get(at..at + 2)
            .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
    }

    pub fn u32_at(b: &[u8], at: usize) -> u32 {
        b.get(at..at + 4)
            .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    pub fn u64_at(b: &[u8], at: usize) -> u64 {
        b.get(at..at + 8).map_or(0, |s| {
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            u64::from_le_bytes(a)
        })
    }
}

use std::io::{self, Read};

use sha2::{Digest, Sha256};

/// A file's size and hex SHA-256.
pub type Hashed = (u64, String);

/// Counts and hashes the raw bytes of a file as they are read, so the input
/// hash costs no second pass.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    pub bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Reads what is left (so the hash covers the whole file) and returns the
    /// byte count and hex digest.
    pub fn finish(mut self) -> io::Result<(u64, String)> {
        io::copy(&mut self, &mut io::sink())?;
        Ok((self.bytes, hex(&self.hasher.finalize())))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// The SHA-256 of a file read at random, taken in the same read: a zip's
/// directory is read at its end first, then its entries front to back. Bytes
/// read in order at the hashed front are hashed on the way; a short gap (an
/// entry only sampled) is read and hashed before the read that jumps it;
/// what was never read in order is read once at the end. Each byte of the
/// file is thus read from disk once, apart from the few read out of order.
pub struct SeekHashing<F> {
    inner: F,
    pos: u64,
    hashed: u64,
    hasher: Sha256,
    /// Reading has reached the front: from here on, short gaps are filled.
    /// (Before, the reads are the directory's or footer's, at the end.)
    in_order: bool,
    /// Gaps up to this size are filled (`GAP`; `START` for a 7z, whose
    /// front signature is read before the headers at its end, so that
    /// jump is not taken for a short gap).
    gap_limit: u64,
}

/// Gaps up to this size are hashed when a read jumps them; a longer jump
/// (to the directory at the end) is left for `finish`.
const GAP: u64 = 8 << 20;
/// A first read at most this far past the hashed front starts in-order
/// reading; the reads before it (a directory or footer at the end) do not.
const START: u64 = 64 << 10;

impl<F: Read + io::Seek> SeekHashing<F> {
    pub fn new(inner: F) -> Self {
        SeekHashing {
            inner,
            pos: 0,
            hashed: 0,
            hasher: Sha256::new(),
            in_order: false,
            gap_limit: GAP,
        }
    }

    /// For a format read at its front, then at its end, then in order from
    /// near its front (7z: signature header, headers, packed streams): only
    /// small gaps (between packed streams) are filled, the data are hashed
    /// as they are read in order, and what was skipped is read at the end.
    pub fn small_gaps_only(inner: F) -> Self {
        SeekHashing {
            gap_limit: START,
            ..SeekHashing::new(inner)
        }
    }

    /// The file, for a reader that needs it whole (a workbook): the hash is
    /// then left to the stream.
    pub fn into_inner(self) -> F {
        self.inner
    }

    /// Hashes `hashed..to`, reading it from the file, and comes back.
    fn catch_up(&mut self, to: u64) -> io::Result<()> {
        if to <= self.hashed {
            return Ok(());
        }
        self.inner.seek(io::SeekFrom::Start(self.hashed))?;
        let mut buf = vec![0u8; 256 << 10];
        while self.hashed < to {
            let want = usize::try_from(to - self.hashed).map_or(buf.len(), |w| w.min(buf.len()));
            let n = self.inner.read(&mut buf[..want])?;
            if n == 0 {
                break;
            }
            self.hasher.update(&buf[..n]);
            self.hashed += n as u64;
        }
        self.inner.seek(io::SeekFrom::Start(self.pos))?;
        Ok(())
    }

    /// Hashes the rest and returns the file's size and hex digest.
    pub fn finish(mut self) -> io::Result<(u64, String)> {
        let len = self.inner.seek(io::SeekFrom::End(0))?;
        self.pos = len;
        self.catch_up(len)?;
        Ok((self.hashed, hex(&self.hasher.finalize())))
    }
}

impl<F: Read + io::Seek> Read for SeekHashing<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.hashed {
            let gap = self.pos - self.hashed;
            // A read near the hashed front starts the reading in order (an
            // Arrow file's first block, a few bytes past its magic).
            self.in_order |= gap <= START;
            if self.in_order && gap > 0 && gap <= self.gap_limit {
                self.catch_up(self.pos)?;
            }
        }
        let n = self.inner.read(buf)?;
        let end = self.pos + n as u64;
        if self.pos <= self.hashed && end > self.hashed {
            let from = usize::try_from(self.hashed - self.pos).unwrap_or(0);
            self.hasher.update(&buf[from..n]);
            self.hashed = end;
        }
        self.pos = end;
        Ok(n)
    }
}

impl<F: io::Seek> io::Seek for SeekHashing<F> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts the bytes read from the inner reader.
    struct Counted<R> {
        inner: R,
        read: std::rc::Rc<std::cell::Cell<u64>>,
    }

    impl<R: Read> Read for Counted<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.read.set(self.read.get() + n as u64);
            Ok(n)
        }
    }

    impl<R: io::Seek> io::Seek for Counted<R> {
        fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
            self.inner.seek(to)
        }
    }

    #[test]
    fn a_zip_is_hashed_in_the_read_that_reads_its_entries() {
        // A zip of stored (incompressible) entries, read as the scan reads
        // one: directory first, then each entry; one entry only sampled.
        let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for i in 0..6 {
            zip.start_file(format!("e{i}.bin"), stored).unwrap();
            let data: Vec<u8> = (0..300_000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            io::Write::write_all(&mut zip, &data).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        let read = std::rc::Rc::new(std::cell::Cell::new(0));
        let file = Counted {
            inner: io::Cursor::new(bytes.clone()),
            read: read.clone(),
        };
        let mut archive = zip::ZipArchive::new(io::BufReader::new(SeekHashing::new(file))).unwrap();
        for i in 0..archive.len() {
            let mut e = archive.by_index(i).unwrap();
            let mut sink = Vec::new();
            if i == 2 {
                // sampled, not read to its end
                (&mut e).take(1000).read_to_end(&mut sink).unwrap();
            } else {
                e.read_to_end(&mut sink).unwrap();
            }
        }
        let (len, sha) = archive.into_inner().into_inner().finish().unwrap();
        assert_eq!(len, bytes.len() as u64);
        assert_eq!(sha, hex(&Sha256::digest(&bytes)));
        // Read once, plus the directory and buffer-sized overlaps read
        // out of order: far from twice.
        let extra = read.get() - len;
        assert!(extra < 64 << 10, "{extra} bytes read twice of {len}");
    }

    #[test]
    fn an_arrow_file_is_hashed_in_the_read_that_reads_its_batches() {
        use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
        use std::sync::Arc;
        // An Arrow IPC file of 8 batches (about 2 MB), read as the scan
        // reads one: footer first, then the blocks in file order.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let batches: Vec<RecordBatch> = (0..8)
            .map(|_| {
                let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(
                    (0..10_000).map(|_| next() as i64),
                ));
                let text: ArrayRef = Arc::new(StringArray::from_iter_values(
                    (0..10_000).map(|_| format!("{:x}{:x}", next(), next())),
                ));
                RecordBatch::try_from_iter([("id", ids), ("text", text)]).unwrap()
            })
            .collect();
        let mut out = Vec::new();
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &batches[0].schema()).unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        w.finish().unwrap();
        drop(w);
        let read = std::rc::Rc::new(std::cell::Cell::new(0));
        let mut hashing = SeekHashing::new(Counted {
            inner: io::Cursor::new(out.clone()),
            read: read.clone(),
        });
        let rows: usize =
            arrow_ipc::reader::FileReader::try_new(io::BufReader::new(&mut hashing), None)
                .unwrap()
                .map(|b| b.unwrap().num_rows())
                .sum();
        assert_eq!(rows, 80_000);
        let (len, sha) = hashing.finish().unwrap();
        assert_eq!(len, out.len() as u64);
        assert!(len > 2_000_000, "{len}");
        assert_eq!(sha, hex(&Sha256::digest(&out)));
        // Read once, plus the footer (read first, at the end) and what the
        // buffer read ahead past a block.
        let extra = read.get() - len;
        assert!(extra < 64 << 10, "{extra} bytes read twice of {len}");
    }

    #[test]
    fn hashes_while_reading() {
        let mut r = HashingReader::new(&b"abc"[..]);
        let mut first = [0u8; 1];
        r.read_exact(&mut first).unwrap();
        let (n, h) = r.finish().unwrap();
        assert_eq!(n, 3);
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
