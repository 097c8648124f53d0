//! Compressed streams and zip archives: each layer and entry read as a
//! source of its own, behind the expansion limits.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek};
use std::rc::Rc;

use super::{Leaf, Reader, Source, Step};
use crate::input::container::{self, Compression};
use crate::input::{zipwalk, HashingReader, SeekHashing};
use crate::model::Place;

/// A zip read through its central directory, hashed as it is read.
type Zip = zip::ZipArchive<BufReader<SeekHashing<File>>>;

/// What an Office or OpenDocument zip is to the scan.
enum Office {
    /// A workbook (`xlsx`, `xlsb`, `ods`): read as sheets.
    Workbook(&'static str),
    /// A text document or a presentation: skipped, with why.
    Document(&'static str),
}

/// Whether a zip is an Office Open XML or OpenDocument file, and which.
fn office(archive: &mut Zip) -> Option<Office> {
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("xl/workbook.bin") {
        return Some(Office::Workbook("xlsb"));
    }
    if has("xl/workbook.xml") {
        return Some(Office::Workbook("xlsx"));
    }
    if has("content.xml") && has("mimetype") {
        let mut mimetype = String::new();
        if let Ok(m) = archive.by_name("mimetype") {
            let _ = m.take(200).read_to_string(&mut mimetype);
        }
        return Some(if mimetype.contains("spreadsheet") {
            Office::Workbook("ods")
        } else {
            Office::Document("document (OpenDocument; not read)")
        });
    }
    if has("word/document.xml") || has("ppt/presentation.xml") {
        return Some(Office::Document("document (Office; not read)"));
    }
    None
}

impl Reader<'_> {
    /// A compressed stream: its content is read as if it were the file.
    pub(super) fn decompressed(
        &mut self,
        src: &Source,
        c: Compression,
        head: Vec<u8>,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        let what = c.key();
        let mut stream = match container::decompress(
            c,
            Cursor::new(head).chain(rest),
            &self.opts.limits,
            &src.budget,
        ) {
            Ok(s) => s,
            Err(e) => {
                self.error(None, &src.path, Place::Whole, format!("{what}: {e}"))?;
                return Ok(Leaf::Failed);
            }
        };
        let mut compression = src.compression.clone();
        compression.push(c);
        let inner = Source {
            file: src.file,
            path: src.path.clone(),
            name: container::strip_compression_ext(&src.name, c).to_string(),
            depth: src.depth + 1,
            on_disk: None,
            compression,
            budget: Rc::clone(&src.budget),
            symlink_to: src.symlink_to.clone(),
        };
        self.sample(&inner, &mut stream, |e| {
            (Place::Byte(0), format!("{what}: {e}"))
        })
    }

    pub(super) fn zip(&mut self, src: &Source, head: Vec<u8>, rest: &mut dyn Read) -> Step<Leaf> {
        let Some(mut file) = self.seekable(src, head, rest, "zip")? else {
            return Ok(Leaf::Failed);
        };
        let declared = zipwalk::declared_entries(&mut file);
        let again = file.try_clone();
        // A zip on disk is hashed as its entries are read (see
        // `SeekHashing`); a stream was hashed on its way to the temporary copy.
        let file = SeekHashing::new(file);
        let mut archive = match zip::ZipArchive::new(BufReader::new(file)) {
            Ok(a) => a,
            Err(e) => {
                // A truncated or damaged zip has lost its central directory
                // (it is at the end): read the entries from their local
                // headers, up to where the damage starts.
                self.error(None, &src.path, Place::Whole,
                    format!(
                        "zip central directory not readable ({e}): entries read one by one from the start"
                    ),
                )?;
                return match again {
                    Ok(file) => self.zip_walk(src, file),
                    Err(_) => Ok(Leaf::Failed),
                };
            }
        };
        if let Some(office) = office(&mut archive) {
            return match office {
                Office::Workbook(format) => {
                    let file = archive.into_inner().into_inner().into_inner();
                    self.workbook_file(src, file, format)
                }
                Office::Document(why) => Ok(Leaf::Skipped(why.into())),
            };
        }
        // Two entries of one name are one entry to the zip crate (it indexes
        // by name): when the directory declares more entries than it lists,
        // walk the local headers instead, which holds every one of them.
        if declared.is_some_and(|d| d > archive.len() as u64) {
            let file = archive.into_inner().into_inner().into_inner();
            return self.zip_walk(src, file);
        }
        let entries = self.zip_entries(src, &mut archive)?;
        let hashed = match src.on_disk {
            // A failure here leaves the hash to the stream, which reports it.
            Some(_) => archive.into_inner().into_inner().finish().ok(),
            None => None,
        };
        Ok(Leaf::Archive {
            format: "zip",
            entries,
            hashed,
        })
    }

    /// Reads the entries a zip's central directory lists, in its order;
    /// returns how many there are (directories aside).
    fn zip_entries(&mut self, src: &Source, archive: &mut Zip) -> Step<u64> {
        let overlapping = zipwalk::overlapping(archive);
        let mut entries = 0;
        for i in 0..archive.len() {
            if let Some(&first) = overlapping.get(&i) {
                entries += 1;
                let name = |i| {
                    archive
                        .by_index_data(i)
                        .map(|e| entry_name(e.name_raw()))
                        .unwrap_or_default()
                };
                self.error(
                    None,
                    &format!("{}!{}", src.path, name(i)),
                    Place::Whole,
                    format!(
                        "zip entry overlaps the bytes of entry {} (possible zip bomb: entries that share their data): not read",
                        name(first)
                    ),
                )?;
                continue;
            }
            if archive
                .by_index_data(i)
                .is_ok_and(|e| e.encrypted() && !e.is_dir())
            {
                entries += 1;
                self.encrypted_zip_entry(src, archive, i)?;
                continue;
            }
            match archive.by_index(i) {
                Ok(entry) => {
                    if !entry.is_dir() {
                        entries += 1;
                        self.entry(src, entry)?;
                    }
                }
                Err(e) => {
                    entries += 1;
                    self.error(
                        None,
                        &src.path,
                        Place::Entry(i as u64 + 1),
                        format!("zip entry not read: {e}"),
                    )?;
                }
            }
        }
        Ok(entries)
    }

    /// An encrypted entry (ZipCrypto or AES), opened with the first of the
    /// passwords given that decrypts it whole: its CRC (and, for AES, its
    /// authentication code) is checked in a first read before it is scanned,
    /// since ZipCrypto's one-byte check lets one wrong password in 256 pass.
    /// Without a password that opens it, an error naming the entry.
    fn encrypted_zip_entry(&mut self, src: &Source, archive: &mut Zip, i: usize) -> Step<()> {
        let name = archive
            .by_index_data(i)
            .map(|e| entry_name(e.name_raw()))
            .unwrap_or_default();
        let passwords = self.opts.passwords.clone();
        let opens = |archive: &mut Zip, pw: &str| match archive.by_index_decrypt(i, pw.as_bytes()) {
            Ok(mut entry) => io::copy(&mut entry, &mut io::sink()).is_ok(),
            Err(_) => false,
        };
        let Some(pw) = passwords.iter().find(|pw| opens(archive, pw)) else {
            let why = if passwords.is_empty() {
                "zip entry encrypted: not read (give its password with --password or --password-file)".to_string()
            } else {
                format!(
                    "zip entry locked: none of the passwords given ({}) opens it",
                    passwords.len()
                )
            };
            return self.error(None, &format!("{}!{name}", src.path), Place::Whole, why);
        };
        match archive.by_index_decrypt(i, pw.as_bytes()) {
            Ok(entry) => self.entry(src, entry),
            Err(e) => self.error(
                None,
                &format!("{}!{name}", src.path),
                Place::Whole,
                format!("zip entry not read: {e}"),
            ),
        }
    }

    /// The entries of a zip from their local headers, front to back, until
    /// the data ends or stops making sense (see `input::zipwalk`).
    pub(super) fn zip_walk(&mut self, src: &Source, mut file: File) -> Step<Leaf> {
        if file.rewind().is_err() {
            return Ok(Leaf::Failed);
        }
        // Read front to back: a zip on disk is hashed on the way.
        let mut r = BufReader::new(HashingReader::new(file));
        let mut entries = 0;
        let stop =
            |this: &Self, entries: u64, e: io::Error| this.walk_ended(src, "zip", entries, e);
        loop {
            let e = match zipwalk::next_header(&mut r) {
                Ok(Some(e)) => e,
                Ok(None) => break,
                Err(e) => {
                    stop(self, entries, e)?;
                    break;
                }
            };
            // Bytes of the entry's data consumed (0: skipped by its size).
            let read = if e.is_dir() {
                Ok(0)
            } else {
                entries += 1;
                let name = entry_name(&e.name);
                if e.encrypted() {
                    self.error(
                        None,
                        &format!("{}!{name}", src.path),
                        Place::Whole,
                        "zip entry not read: encrypted, in a zip read from its local headers (its directory is lost), where passwords are not tried".into(),
                    )?;
                    Ok(0)
                } else {
                    match zipwalk::body(&mut r, &e) {
                        Ok(mut body) => {
                            let (size, packed) = (e.size.unwrap_or(0), e.packed.unwrap_or(0));
                            self.entry_source(src, name, size, packed, Box::new(&mut body))?;
                            // what the reader did not need, so the next header follows
                            io::copy(&mut body, &mut io::sink()).map(|_| packed)
                        }
                        Err(err) => Err(err),
                    }
                }
            };
            let consumed = match read {
                Ok(n) => n,
                Err(err) => {
                    stop(self, entries, err)?;
                    break;
                }
            };
            if let Err(err) = zipwalk::skip_rest(&mut r, &e, consumed) {
                stop(self, entries, err)?;
                break;
            }
        }
        let hashed = match src.on_disk {
            // What the walk did not reach is hashed now (read for the first time).
            Some(_) => r.into_inner().finish().ok(),
            None => None,
        };
        Ok(Leaf::Archive {
            format: "zip",
            entries,
            hashed,
        })
    }

    /// An archive whose walk cannot go on past its `entries`-th entry: an
    /// error of the archive there (`what`: zip, tar, 7z).
    pub(super) fn walk_ended(
        &self,
        src: &Source,
        what: &str,
        entries: u64,
        why: impl std::fmt::Display,
    ) -> Step<()> {
        self.error(
            None,
            &src.path,
            Place::AfterEntry(entries),
            format!("{what} not readable past here: {why}"),
        )
    }

    /// One zip entry, behind the expansion limits, read as a source.
    pub(super) fn entry<R: Read>(
        &mut self,
        src: &Source,
        entry: zip::read::ZipFile<'_, R>,
    ) -> Step<()> {
        let name = entry_name(entry.name_raw());
        let (size, packed) = (entry.size(), entry.compressed_size());
        self.entry_source(src, name, size, packed, Box::new(entry))
    }

    /// An archive entry (`size` and `packed` as declared; 0 if unknown),
    /// behind the expansion limits, read as a source.
    pub(super) fn entry_source<'r>(
        &mut self,
        src: &Source,
        name: String,
        size: u64,
        packed: u64,
        reader: Box<dyn Read + 'r>,
    ) -> Step<()> {
        let path = format!("{}!{name}", src.path);
        let limits = self.opts.limits;
        if size > src.budget.get() {
            return self.error(None, &path, Place::Whole,
                format!(
                    "entry of {size} bytes would pass what the archive may expand to in all ({}): not read (possible decompression bomb)",
                    container::BUDGET_RULE
                ),
            );
        }
        if size > container::RATIO_GRACE && size / packed.max(1) > limits.max_ratio {
            return self.error(None, &path, Place::Whole,
                format!(
                    "entry expands {size} bytes from {packed} (more than {}:1, --max-ratio): not read (possible decompression bomb)",
                    limits.max_ratio
                ),
            );
        }
        let child = Source {
            file: src.file,
            path,
            name,
            depth: src.depth + 1,
            on_disk: None,
            compression: Vec::new(),
            budget: Rc::clone(&src.budget),
            symlink_to: None,
        };
        // Headers can lie about sizes: the limits hold while reading too.
        // (A streamed entry's sizes may be unknown, 0: only the budget holds.)
        let consumed = if packed == 0 { u64::MAX } else { packed };
        let limited = container::Limited::new(
            reader,
            Rc::new(Cell::new(consumed)),
            limits.max_ratio,
            Rc::clone(&src.budget),
            "zip entry",
        );
        self.source(child, Box::new(limited)).map(|_| ())
    }
}

/// An entry name as the archiver meant it: UTF-8 when it is (the zip UTF-8
/// flag, or plain ASCII), otherwise GBK, which is what Chinese Windows
/// archivers write.
pub(super) fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}
