//! Containers (SPEC §3): compressed streams (`.gz`, `.zst`, `.bz2`, `.xz`)
//! and what the first bytes of a stream say it is.
//!
//! A compressed stream is read through its decoder, behind limits: a layer
//! may not expand more than `max_ratio` times what it consumed, and all the
//! layers under one input file together may not produce more than
//! `max_expanded` bytes. Hitting a limit is a read error like any other (an
//! error entry, the scan goes on), never an allocation that takes the machine
//! down.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// What a stream is, by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magic {
    Compressed(Compression),
    Zip,
    /// A tar archive (ustar, GNU, PAX, or a pre-POSIX header with a valid
    /// checksum).
    Tar,
    /// A SQLite database.
    Sqlite,
    /// A 7z archive.
    SevenZip,
    /// An OLE2 compound file: a legacy Excel workbook (`.xls`), or another
    /// Office document.
    Ole,
    Parquet,
    /// Arrow IPC file format (Feather v2).
    ArrowFile,
    /// Arrow IPC stream format.
    ArrowStream,
    /// Something that holds no records by nature (an image, an
    /// executable), with what it is: skipped.
    Unreadable(&'static str),
    /// An archive or database the tool knows but does not read: an error,
    /// so that nobody takes it for an empty one.
    Unopened(&'static str),
    /// Text, or at least not recognised as anything else.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

impl Compression {
    pub fn key(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
        }
    }

    /// The file-name extensions of this compression (stripped to find the
    /// name of the content).
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Compression::Gzip => &["gz", "gzip", "tgz"],
            Compression::Zstd => &["zst", "zstd"],
            Compression::Bzip2 => &["bz2", "bzip2"],
            Compression::Xz => &["xz", "txz"],
        }
    }

    /// The decoder. Concatenated members (`cat a.gz b.gz`) are read as one
    /// stream, as `zcat` does.
    pub fn decoder<'a, R: Read + 'a>(self, inner: R) -> io::Result<Box<dyn Read + 'a>> {
        Ok(match self {
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(inner)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(inner)?),
            Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(inner)),
            Compression::Xz => Box::new(liblzma::read::XzDecoder::new_multi_decoder(inner)),
        })
    }
}

/// The name of what a compressed file holds: `a.csv.gz` → `a.csv`.
pub fn strip_compression_ext(name: &str, c: Compression) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext)) if c.extensions().contains(&ext.to_ascii_lowercase().as_str()) => stem,
        _ => name,
    }
}

/// Decides what a stream is from its first bytes.
pub fn magic(head: &[u8]) -> Magic {
    const TABLE: &[(&[u8], Magic)] = &[
        (b"\x1f\x8b", Magic::Compressed(Compression::Gzip)),
        (b"\x28\xb5\x2f\xfd", Magic::Compressed(Compression::Zstd)),
        (b"BZh", Magic::Compressed(Compression::Bzip2)),
        (b"\xfd7zXZ\x00", Magic::Compressed(Compression::Xz)),
        (b"PK\x03\x04", Magic::Zip),
        // an empty archive is only its end-of-central-directory record
        (b"PK\x05\x06", Magic::Zip),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Magic::Ole),
        (b"PAR1", Magic::Parquet),
        (b"ARROW1", Magic::ArrowFile),
        (b"\xff\xff\xff\xff", Magic::ArrowStream),
        (
            b"FEA1",
            Magic::Unreadable("Feather v1 (not read; convert to Arrow IPC)"),
        ),
        (b"SQLite format 3\x00", Magic::Sqlite),
        (b"7z\xbc\xaf\x27\x1c", Magic::SevenZip),
        (b"Rar!\x1a\x07", Magic::Unopened(RAR)),
        (b"\x37\x7f\x06\x82", Magic::Unreadable(SQLITE_WAL)),
        (b"\x37\x7f\x06\x83", Magic::Unreadable(SQLITE_WAL)),
        (b"\x89PNG", Magic::Unreadable("image (PNG)")),
        (b"\xff\xd8\xff", Magic::Unreadable("image (JPEG)")),
        (b"GIF8", Magic::Unreadable("image (GIF)")),
        (b"%PDF", Magic::Unreadable("document (PDF)")),
        (b"\x7fELF", Magic::Unreadable("executable (ELF)")),
    ];
    for (prefix, m) in TABLE {
        if head.starts_with(prefix) {
            // BZh is followed by the block size digit; anything else is text.
            if *prefix == b"BZh" && !matches!(head.get(3), Some(b'1'..=b'9')) {
                continue;
            }
            return *m;
        }
    }
    // "BM" and "MZ" are also how some text starts: require binary bytes.
    if head.starts_with(b"BM") && is_binary(head) {
        return Magic::Unreadable("image (BMP)");
    }
    if head.starts_with(b"MZ") && is_binary(head) {
        return Magic::Unreadable("executable (PE)");
    }
    if is_tar_header(head) {
        return Magic::Tar;
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Magic::Unreadable("video or image (ISO media)");
    }
    Magic::Other
}

/// A SQLite write-ahead log read on its own.
const SQLITE_WAL: &str = "SQLite write-ahead log (no records of its own: its transactions are read with its database, when that is scanned from the same folder)";

/// Why a RAR archive is not read.
pub const RAR: &str = "archive (RAR): not read (no RAR reader fit for evidence under a licence compatible with this tool's: see the README; extract it with unrar and scan the folder)";

/// Whether `head` opens with a tar header: the `ustar` magic (POSIX and
/// GNU), or a pre-POSIX header whose checksum holds (the sum of its 512
/// bytes with the checksum field read as spaces, written in octal).
pub fn is_tar_header(head: &[u8]) -> bool {
    let Some(block) = head.get(..512) else {
        return false;
    };
    if block.get(257..262) == Some(b"ustar") {
        return true;
    }
    // A name, then the checksum field (offset 148, 8 bytes) in octal.
    let field = &block[148..156];
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ')
        .take_while(u8::is_ascii_digit)
        .collect();
    if block[0] == 0 || digits.is_empty() || digits.iter().any(|&d| d > b'7') {
        return false;
    }
    let stated = digits
        .iter()
        .fold(0u64, |n, &d| n * 8 + u64::from(d - b'0'));
    let sum: u64 = block
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(b)
            }
        })
        .sum();
    stated == sum
}

/// NUL bytes (outside UTF-16) or many control bytes mean binary.
pub fn is_binary(sample: &[u8]) -> bool {
    let head = &sample[..sample.len().min(8192)];
    if head.is_empty() {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b) && b != 0x1b)
        .count();
    control * 20 > head.len()
}

/// Limits against decompression bombs.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A compressed layer may produce at most this many bytes per byte it
    /// consumed (once past `RATIO_GRACE`).
    pub max_ratio: u64,
    /// All layers of one input file together may produce at most this many bytes.
    pub max_expanded: u64,
    /// Archives and compressed streams nested deeper than this are not opened.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_ratio: 1000,
            max_expanded: 1 << 40,
            max_depth: 16,
        }
    }
}

/// Output below this size is never a bomb, whatever the ratio (a small file
/// of one repeated line compresses far better than 1000:1).
pub const RATIO_GRACE: u64 = 16 << 20;

/// How the budget of a file is set, in the words of the error it gives.
pub const BUDGET_RULE: &str = "--max-ratio times its size past 16 MiB, at most --max-expanded";

/// The bytes still allowed to come out of decompression under one input file.
pub type Budget = Rc<Cell<u64>>;

/// Counts the bytes a decoder consumes.
pub struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counted<R> {
    pub fn new(inner: R) -> (Self, Rc<Cell<u64>>) {
        let count = Rc::new(Cell::new(0));
        (
            Counted {
                inner,
                count: Rc::clone(&count),
            },
            count,
        )
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Enforces the limits on what a decoder produces.
pub struct Limited<R> {
    inner: R,
    consumed: Rc<Cell<u64>>,
    produced: u64,
    max_ratio: u64,
    budget: Budget,
    what: &'static str,
}

impl<R> Limited<R> {
    /// `consumed` counts the compressed bytes the decoder has read.
    pub fn new(
        inner: R,
        consumed: Rc<Cell<u64>>,
        max_ratio: u64,
        budget: Budget,
        what: &'static str,
    ) -> Self {
        Limited {
            inner,
            consumed,
            produced: 0,
            max_ratio,
            budget,
            what,
        }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.produced += n as u64;
        let left = self.budget.get();
        if n as u64 > left {
            self.budget.set(0);
            return Err(io::Error::other(format!(
                "{} expands past what its file may expand to in all ({BUDGET_RULE}): not read further (possible decompression bomb)",
                self.what
            )));
        }
        self.budget.set(left - n as u64);
        let consumed = self.consumed.get().max(1);
        if self.produced > RATIO_GRACE && self.produced / consumed > self.max_ratio {
            return Err(io::Error::other(format!(
                "{} expands more than {}:1 (--max-ratio): not read further (possible decompression bomb)",
                self.what, self.max_ratio
            )));
        }
        Ok(n)
    }
}

/// A compressed stream behind its limits.
pub fn decompress<'a, R: Read + 'a>(
    c: Compression,
    inner: R,
    limits: &Limits,
    budget: &Budget,
) -> io::Result<Box<dyn Read + 'a>> {
    let (counted, consumed) = Counted::new(inner);
    let decoder = Blocks::new(c.decoder(counted)?);
    Ok(Box::new(Limited::new(
        decoder,
        consumed,
        limits.max_ratio,
        Rc::clone(budget),
        c.key(),
    )))
}

/// The size of every read asked of a decoder.
const BLOCK: usize = 64 << 10;

/// Reads a decoder in blocks of the same size whatever the caller asks for.
///
/// Some decoders drop the output of a `read` call that ends in an error (a
/// truncated xz stream): with fixed-size calls, what is lost is at most one
/// block, and the same block however the scan happens to read — so the count
/// of a damaged file does not depend on `--chunk-bytes`.
pub struct Blocks<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
}

impl<R: Read> Blocks<R> {
    pub fn new(inner: R) -> Self {
        Blocks {
            inner,
            buf: vec![0; BLOCK].into_boxed_slice(),
            start: 0,
            end: 0,
        }
    }
}

impl<R: Read> Read for Blocks<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.start == self.end {
            self.start = 0;
            self.end = loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
        }
        let n = out.len().min(self.end - self.start);
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// A pre-POSIX tar header (no `ustar` magic) is known by its checksum;
    /// text, and a header whose checksum is off by one, are not tar.
    #[test]
    fn tar_headers_by_checksum() {
        let mut b = tar::Header::new_old();
        b.set_path("users.csv").unwrap();
        b.set_size(10);
        b.set_cksum();
        let block = b.as_bytes().to_vec();
        assert_eq!(&block[257..262], b"\0\0\0\0\0");
        assert!(is_tar_header(&block));
        let mut off = block.clone();
        off[0] ^= 1;
        assert!(!is_tar_header(&off));
        assert!(!is_tar_header(&block[..511]));
        assert!(!is_tar_header(&[b'a'; 512]));
        assert!(!is_tar_header(&[0; 512]));
        let mut gnu = tar::Header::new_gnu();
        gnu.set_path("a.csv").unwrap();
        gnu.set_cksum();
        assert!(is_tar_header(gnu.as_bytes()));
    }

    #[test]
    fn magic_numbers() {
        assert_eq!(magic(&gzip(b"x")), Magic::Compressed(Compression::Gzip));
        assert_eq!(magic(b"BZh91AY&SY"), Magic::Compressed(Compression::Bzip2));
        assert_eq!(magic(b"BZhang,13800138000\n"), Magic::Other);
        assert_eq!(magic(b"PK\x03\x04...."), Magic::Zip);
        assert_eq!(magic(b"PAR1...."), Magic::Parquet);
        let mut tar = vec![0u8; 512];
        tar[..5].copy_from_slice(b"a.csv");
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(magic(&tar), Magic::Tar);
        assert_eq!(magic(b"Rar!\x1a\x07\x01\x00"), Magic::Unopened(RAR));
        assert_eq!(magic(b"ARROW1\0\0"), Magic::ArrowFile);
        assert_eq!(
            magic(b"\x89PNG\r\n\x1a\n"),
            Magic::Unreadable("image (PNG)")
        );
        assert_eq!(magic("MZ,name\n张三,1\n".as_bytes()), Magic::Other);
        assert_eq!(magic("姓名,手机号\n".as_bytes()), Magic::Other);
        assert!(is_binary(b"\x00\x01\x02\x03\x04\x05"));
    }

    #[test]
    fn compression_extension_is_stripped() {
        assert_eq!(
            strip_compression_ext("a.csv.gz", Compression::Gzip),
            "a.csv"
        );
        assert_eq!(
            strip_compression_ext("a.csv.GZ", Compression::Gzip),
            "a.csv"
        );
        assert_eq!(strip_compression_ext("a.csv", Compression::Gzip), "a.csv");
        assert_eq!(
            strip_compression_ext("dump.sql.zst", Compression::Zstd),
            "dump.sql"
        );
    }

    #[test]
    fn every_compression_round_trips() {
        let data = "张三,13800138000\n".repeat(1000);
        let mut zst = Vec::new();
        zstd::stream::copy_encode(data.as_bytes(), &mut zst, 3).unwrap();
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(data.as_bytes()).unwrap();
        let bz = bz.finish().unwrap();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 6);
        xz.write_all(data.as_bytes()).unwrap();
        let xz = xz.finish().unwrap();
        for packed in [gzip(data.as_bytes()), zst, bz, xz] {
            let Magic::Compressed(c) = magic(&packed) else {
                panic!("not recognised");
            };
            let budget = Rc::new(Cell::new(u64::MAX));
            let mut out = String::new();
            decompress(c, &packed[..], &Limits::default(), &budget)
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, data, "{c:?}");
        }
    }

    #[test]
    fn concatenated_gzip_members_are_one_stream() {
        let mut both = gzip(b"a\n");
        both.extend(gzip(b"b\n"));
        let mut out = String::new();
        Compression::Gzip
            .decoder(&both[..])
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "a\nb\n");
    }

    #[test]
    fn a_bomb_is_stopped_by_ratio_and_by_budget() {
        let bomb = gzip(&vec![0u8; 64 << 20]); // ~64 KiB: a 1000:1 ratio
        let limits = Limits {
            max_ratio: 100,
            ..Limits::default()
        };
        let budget = Rc::new(Cell::new(u64::MAX));
        let err = io::copy(
            &mut decompress(Compression::Gzip, &bomb[..], &limits, &budget).unwrap(),
            &mut io::sink(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("--max-ratio"), "{err}");

        let budget = Rc::new(Cell::new(1 << 20));
        let err = io::copy(
            &mut decompress(Compression::Gzip, &bomb[..], &Limits::default(), &budget).unwrap(),
            &mut io::sink(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("--max-expanded"), "{err}");
    }

    #[test]
    fn a_truncated_stream_is_an_error_after_its_data() {
        let data = "line\n".repeat(10_000);
        let packed = gzip(data.as_bytes());
        let cut = &packed[..packed.len() - 4];
        let mut out = Vec::new();
        let mut r = Compression::Gzip.decoder(cut).unwrap();
        let err = r.read_to_end(&mut out).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(out.len(), data.len());
    }

    #[test]
    fn what_a_damaged_stream_yields_does_not_depend_on_the_reads() {
        let data: String = (0..100_000).map(|i| format!("{i},13800138000\n")).collect();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 6);
        xz.write_all(data.as_bytes()).unwrap();
        let xz = xz.finish().unwrap();
        let cut = &xz[..xz.len() / 2];
        let mut outputs = Vec::new();
        for step in [7usize, 4096, 100_000, 4 << 20] {
            let budget = Rc::new(Cell::new(u64::MAX));
            let mut r = decompress(Compression::Xz, cut, &Limits::default(), &budget).unwrap();
            let mut out = Vec::new();
            let mut buf = vec![0u8; step];
            let err = loop {
                match r.read(&mut buf) {
                    Ok(0) => break None,
                    Ok(n) => out.extend_from_slice(&buf[..n]),
                    Err(e) => break Some(e),
                }
            };
            assert!(err.is_some(), "a truncated stream is an error");
            assert!(data.as_bytes().starts_with(&out));
            outputs.push(out.len());
        }
        assert!(outputs.windows(2).all(|w| w[0] == w[1]), "{outputs:?}");
        // and it is about what came before the cut (as `xz -dc` gives it)
        assert!(outputs[0] * 3 > data.len(), "{outputs:?} of {}", data.len());
    }
}
