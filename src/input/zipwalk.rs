//! Reading a zip archive from its local headers, front to back.
//!
//! The central directory at the end of a zip is its table of contents, and
//! the `zip` crate reads through it. Two kinds of archive need more: one that
//! was cut short (the directory is gone, the entries before the cut are
//! intact), and one that holds two entries of the same name (the crate
//! indexes by name and keeps one). Walking the local headers reads every
//! entry that is there, in order, including entries written by streaming
//! archivers whose sizes only follow the data (a data descriptor), as long as
//! their data is deflated (self-delimiting).

use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom};

use super::le::{u16_at, u32_at, u64_at};

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;

/// One entry's local header.
#[derive(Debug)]
pub struct LocalEntry {
    pub name: Vec<u8>,
    pub flags: u16,
    pub method: u16,
    /// `None` when the sizes follow the data (a data descriptor).
    pub packed: Option<u64>,
    pub size: Option<u64>,
    /// The CRC-32 of the data, when the header has it (not with a descriptor).
    crc: Option<u32>,
    zip64: bool,
}

impl LocalEntry {
    pub fn is_dir(&self) -> bool {
        self.name.ends_with(b"/")
    }

    pub fn encrypted(&self) -> bool {
        self.flags & 1 != 0
    }

    fn has_descriptor(&self) -> bool {
        self.flags & 8 != 0
    }
}

/// Reads the next local header; `None` at the central directory, the end
/// record, or a clean end of the data.
pub fn next_header(r: &mut impl BufRead) -> io::Result<Option<LocalEntry>> {
    let mut sig = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut sig[got..])? {
            0 if got == 0 => return Ok(None),
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => got += n,
        }
    }
    match u32::from_le_bytes(sig) {
        LOCAL => {}
        CENTRAL | END => return Ok(None),
        _ => return Err(io::Error::other("no zip entry header where one should be")),
    }
    let mut h = [0u8; 26];
    r.read_exact(&mut h)?;
    let (flags, method) = (u16_at(&h, 2), u16_at(&h, 4));
    let (packed32, size32) = (u32_at(&h, 14), u32_at(&h, 18));
    let (name_len, extra_len) = (u16_at(&h, 22) as usize, u16_at(&h, 24) as usize);
    let mut name = vec![0u8; name_len];
    r.read_exact(&mut name)?;
    let mut extra = vec![0u8; extra_len];
    r.read_exact(&mut extra)?;
    let (mut size, mut packed) = (u64::from(size32), u64::from(packed32));
    // Zip64: the sizes that do not fit are in the extra field 0x0001,
    // uncompressed first.
    let mut zip64 = false;
    let mut i = 0;
    while i + 4 <= extra.len() {
        let (id, len) = (u16_at(&extra, i), u16_at(&extra, i + 2) as usize);
        if id == 1 {
            zip64 = true;
            let mut at = i + 4;
            if size32 == u32::MAX {
                size = u64_at(&extra, at);
                at += 8;
            }
            if packed32 == u32::MAX {
                packed = u64_at(&extra, at);
            }
        }
        i += 4 + len;
    }
    let descriptor = flags & 8 != 0;
    Ok(Some(LocalEntry {
        name,
        flags,
        method,
        packed: (!descriptor || packed != 0).then_some(packed),
        size: (!descriptor || size != 0).then_some(size),
        crc: (!descriptor).then(|| u32_at(&h, 10)),
        zip64,
    }))
}

/// The entry's data, decompressed and checked against its CRC (when the
/// header has it). Read it to its end before the next header.
pub fn body<'a, R: BufRead + 'a>(r: &'a mut R, e: &LocalEntry) -> io::Result<Box<dyn Read + 'a>> {
    use crate::input::container::Compression;
    let packed = e.packed;
    let data: Box<dyn Read + 'a> = match (e.method, packed) {
        (0, Some(n)) => Box::new(Exact::new(r, n)),
        (8, Some(n)) => Box::new(flate2::bufread::DeflateDecoder::new(io::BufReader::new(
            Exact::new(r, n),
        ))),
        // deflate ends itself: the size is not needed
        (8, None) => Box::new(flate2::bufread::DeflateDecoder::new(r)),
        (12, Some(n)) => Compression::Bzip2.decoder(Exact::new(r, n))?,
        (93, Some(n)) => Compression::Zstd.decoder(Exact::new(r, n))?,
        (95, Some(n)) => Compression::Xz.decoder(Exact::new(r, n))?,
        (0, None) => {
            return Err(io::Error::other(
                "a stored entry whose size follows its data: the archive cannot be read past it without its directory",
            ))
        }
        (m, _) => return Err(io::Error::other(format!("compression method {m} is not supported"))),
    };
    Ok(Box::new(Checked {
        inner: data,
        hasher: crc32fast::Hasher::new(),
        expected: e.crc,
    }))
}

/// Exactly `n` bytes: an end of input before them is an error, not a short
/// entry.
struct Exact<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Exact<R> {
    fn new(inner: R, n: u64) -> Self {
        Exact { inner, left: n }
    }
}

impl<R: Read> Read for Exact<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the archive ends inside this entry",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Compares the CRC-32 of what was read with the header's at the end.
struct Checked<R> {
    inner: R,
    hasher: crc32fast::Hasher,
    expected: Option<u32>,
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        if n == 0 && !buf.is_empty() {
            if let Some(want) = self.expected.take() {
                let got = std::mem::take(&mut self.hasher).finalize();
                if got != want {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "CRC-32 mismatch: the entry's data is damaged",
                    ));
                }
            }
        }
        Ok(n)
    }
}

/// Skips what is left of an entry's data (when its size is known) and its
/// data descriptor.
pub fn skip_rest(r: &mut impl BufRead, e: &LocalEntry, consumed: u64) -> io::Result<()> {
    if let (Some(packed), false) = (e.packed, e.method == 8 && e.packed.is_none()) {
        let left = packed.saturating_sub(consumed);
        io::copy(&mut r.take(left), &mut io::sink())?;
    }
    if e.has_descriptor() {
        let mut first = [0u8; 4];
        r.read_exact(&mut first)?;
        let sizes = if e.zip64 { 16 } else { 8 };
        // the signature is optional: if it is not there, `first` was the CRC
        let rest = if u32::from_le_bytes(first) == DESCRIPTOR {
            4 + sizes
        } else {
            sizes
        };
        io::copy(&mut r.take(rest), &mut io::sink())?;
    }
    Ok(())
}

/// How many entries the archive's end record declares (the central
/// directory's count, duplicates of a name included), if it can be found.
pub fn declared_entries(file: &mut File) -> Option<u64> {
    let len = file.seek(SeekFrom::End(0)).ok()?;
    let tail_len = len.min(22 + 65_535);
    file.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    file.read_exact(&mut tail).ok()?;
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| u32_at(&tail, i) == END)?;
    let count = u16_at(&tail, at + 10);
    if count != u16::MAX {
        return Some(u64::from(count));
    }
    // Zip64: the locator just before the end record points at the zip64 end
    // record, which holds the full count.
    let locator = at.checked_sub(20)?;
    if u32_at(&tail, locator) != 0x0706_4b50 {
        return None;
    }
    let offset = u64_at(&tail, locator + 8);
    file.seek(SeekFrom::Start(offset)).ok()?;
    let mut rec = [0u8; 56];
    file.read_exact(&mut rec).ok()?;
    (u32_at(&rec, 0) == 0x0606_4b50).then(|| u64_at(&rec, 32))
}

/// Entries of a zip whose bytes (local header, name, data) overlap an
/// earlier entry's, by index, with the entry they overlap: several entries
/// pointing at one compressed stream make a small file expand without
/// limit (the overlapping-entries bomb). From the central directory alone:
/// an entry takes at least its 30-byte local header, its name and its
/// compressed data, so an overlap found this way is certain.
pub fn overlapping<R: std::io::Read + std::io::Seek>(
    archive: &zip::ZipArchive<R>,
) -> std::collections::HashMap<usize, usize> {
    let mut spans: Vec<(u64, u64, usize)> = (0..archive.len())
        .filter_map(|i| {
            let e = archive.by_index_data(i).ok()?;
            let start = e.header_start();
            let end = start
                .saturating_add(30 + e.name_raw().len() as u64)
                .saturating_add(e.compressed_size());
            Some((start, end, i))
        })
        .collect();
    spans.sort_unstable();
    let mut out = std::collections::HashMap::new();
    // the entry that reaches furthest so far, and where it ends
    let mut reach: Option<(u64, usize)> = None;
    for (start, end, i) in spans {
        match reach {
            Some((to, first)) if start < to => {
                out.insert(i, first);
                if end > to {
                    reach = Some((end, first));
                }
            }
            _ => reach = Some((end, i)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor, Write};

    fn names_and_bodies(data: &[u8]) -> (Vec<(String, String)>, Option<String>) {
        let mut r = BufReader::new(Cursor::new(data));
        let mut out = Vec::new();
        loop {
            let e = match next_header(&mut r) {
                Ok(Some(e)) => e,
                Ok(None) => return (out, None),
                Err(err) => return (out, Some(err.to_string())),
            };
            let mut text = String::new();
            let consumed;
            {
                let mut b = match body(&mut r, &e) {
                    Ok(b) => b,
                    Err(err) => return (out, Some(err.to_string())),
                };
                if let Err(err) = b.read_to_string(&mut text) {
                    return (out, Some(err.to_string()));
                }
                consumed = e.packed.unwrap_or(0);
            }
            if let Err(err) = skip_rest(&mut r, &e, consumed) {
                return (out, Some(err.to_string()));
            }
            out.push((String::from_utf8_lossy(&e.name).into_owned(), text));
        }
    }

    fn zip_with(entries: &[(&str, &str)], streamed: bool) -> Vec<u8> {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        if streamed {
            // a writer that cannot seek puts the sizes after the data
            let mut w = zip::ZipWriter::new_stream(Vec::new());
            for (n, t) in entries {
                w.start_file(*n, opts).unwrap();
                w.write_all(t.as_bytes()).unwrap();
            }
            w.finish().unwrap().into_inner()
        } else {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (n, t) in entries {
                w.start_file(*n, opts).unwrap();
                w.write_all(t.as_bytes()).unwrap();
            }
            w.finish().unwrap().into_inner()
        }
    }

    #[test]
    fn every_entry_is_read_with_or_without_data_descriptors() {
        let entries = [("a.csv", "x,1\n"), ("dir/b.csv", "y,2\n"), ("c.txt", "")];
        for streamed in [false, true] {
            let data = zip_with(&entries, streamed);
            let (got, err) = names_and_bodies(&data);
            assert_eq!(err, None, "streamed={streamed}");
            let want: Vec<(String, String)> = entries
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect();
            assert_eq!(got, want, "streamed={streamed}");
        }
    }

    #[test]
    fn a_cut_archive_yields_the_entries_before_the_cut() {
        let big: String = (0..20_000u64)
            .map(|i| format!("{i},{}\n", i * 7919 % 100_003))
            .collect();
        let entries = [
            ("a.csv", "x,1\n"),
            ("b.csv", big.as_str()),
            ("c.csv", "w,3\n"),
        ];
        let data = zip_with(&entries, true);
        let cut = &data[..data.len() / 2];
        let (got, err) = names_and_bodies(cut);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "a.csv");
        assert!(err.is_some());
    }

    #[test]
    fn the_declared_count_includes_duplicate_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.zip");
        let data = zip_with(&[("x.csv", "1\n"), ("y.csv", "2\n")], false);
        std::fs::write(&path, &data).unwrap();
        let mut f = File::open(&path).unwrap();
        assert_eq!(declared_entries(&mut f), Some(2));
        std::fs::write(&path, b"not a zip").unwrap();
        let mut f = File::open(&path).unwrap();
        assert_eq!(declared_entries(&mut f), None);
    }
}

#[cfg(test)]
mod damage {
    use super::*;
    use std::io::{BufReader, Cursor, Write};

    fn stored(text: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file("a.csv", opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    fn read_first(data: &[u8]) -> (String, io::Result<()>) {
        let mut r = BufReader::new(Cursor::new(data));
        let e = next_header(&mut r).unwrap().unwrap();
        let mut out = Vec::new();
        let result = body(&mut r, &e).unwrap().read_to_end(&mut out).map(|_| ());
        (String::from_utf8_lossy(&out).into_owned(), result)
    }

    #[test]
    fn a_cut_or_damaged_entry_is_an_error_after_its_data() {
        let text = "line one\nline two\nline three\n";
        let whole = stored(text);
        let (got, ok) = read_first(&whole);
        assert_eq!(got, text);
        assert!(ok.is_ok());
        // cut inside the entry's data: the bytes before, then an error
        let at = whole.windows(8).position(|w| w == b"line two").unwrap();
        let (got, err) = read_first(&whole[..at + 4]);
        assert!(text.starts_with(&got));
        assert_eq!(err.unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        // one byte changed: the CRC says so
        let mut bad = whole.clone();
        bad[at] = b'L';
        let (_, err) = read_first(&bad);
        assert_eq!(err.unwrap_err().kind(), io::ErrorKind::InvalidData);
    }
}
