//! The reader thread: every input in scan order, opened, unpacked, sniffed
//! and cut into work items for the pool.
//!
//! A *source* is a byte stream with a name: a file, or an entry of an
//! archive. Its bytes are hashed as they are read. What it holds is decided
//! by its first bytes: a compressed stream is decoded and looked at again
//! (`a.csv.gz` is read as CSV), a zip is opened and each entry becomes a
//! source of its own (`a.zip!dir/b.csv`), a workbook or a columnar file is
//! read as rows, and anything else is text, framed into chunks at record
//! boundaries.

use std::borrow::Cow;
use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek};
use std::rc::Rc;
use std::sync::mpsc::SyncSender;
use std::sync::Arc;

use super::Place;
use super::{fill, rows, type_from_sample, Chunk, Opened, ScanOptions, Work, SAMPLE_BYTES};
use crate::decode::{self, Encoding, FieldDecoding};
use crate::detect::{Engine, Role};
use crate::input::container::{self, Budget, Compression, Magic};
use crate::input::{chunks, zipwalk};
use crate::input::{HashingReader, InputError, InputFile, SeekHashing, Skipped};
use crate::records::{self, ChunkSpec, Format, Framer};

thread_local! {
    /// Inside [`Reader::guarded`]: a panic here is caught and reported.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs third-party parsing code, turning a panic inside it into its message.
pub(super) fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    result.map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

/// Installs a panic hook that keeps quiet about panics inside a guarded
/// third-party parser (they become error entries of the report, with their
/// message) and hands every other panic to the hook installed before.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !GUARDED.with(Cell::get) {
            previous(info);
        }
    }));
}

/// The error where UTF-16 text lost or gained a byte.
const UTF16_REALIGNED: &str = "UTF-16 text out of step here (a byte lost or extra): realigned, the characters around it may be lost";

/// Items bundled before they go to the driver, at most; a chunk at least
/// this large goes at once.
const BUNDLE_ITEMS: usize = 64;
const BUNDLE_CHUNK: usize = 64 << 10;

/// Records searched for a header row.
const HEADER_SEARCH_RECORDS: usize = 10;

/// The consumer has gone away: stop reading.
#[derive(Debug)]
pub(super) struct Stop;

type Step<T> = Result<T, Stop>;

/// What a source turned out to hold, once read.
enum Leaf {
    /// Records, counted under this input; `hashed`: the file's size and
    /// SHA-256, taken while its records were read (a file on disk read at
    /// random: Parquet, Arrow, a workbook).
    Input {
        input: usize,
        hashed: Option<rows::Hashed>,
    },
    /// An archive of `entries` sources; `hashed`: its size and SHA-256,
    /// taken while its entries were read (a zip on disk).
    Archive {
        format: &'static str,
        entries: u64,
        hashed: Option<(u64, String)>,
    },
    /// Not read, for this reason.
    Skipped(Cow<'static, str>),
    /// Nothing could be read; the error has been reported.
    Failed,
}

/// A file read at random, in memory or on disk.
trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// A byte stream with a name.
struct Source {
    /// The top-level input file it belongs to.
    file: usize,
    /// The path as reported: `dir/a.zip!inner/b.csv.gz`.
    path: String,
    /// The name of what the stream holds (`b.csv` for `b.csv.gz`), for its
    /// extension.
    name: String,
    /// Archive and compression layers above it.
    depth: usize,
    /// The file itself, when the stream is a plain file that can be reopened
    /// for random access.
    on_disk: Option<std::path::PathBuf>,
    /// Compression layers it was read through, outermost first.
    compression: Vec<Compression>,
    /// Bytes decompression may still produce under this top-level file.
    budget: Budget,
    /// A top-level file named through a symbolic link: where it leads.
    symlink_to: Option<String>,
}

impl Source {
    fn extension(&self) -> Option<String> {
        let name = self.name.rsplit('/').next().unwrap_or(&self.name);
        name.rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .filter(|e| !e.is_empty())
    }
}

/// An archive that was opened (the archive itself, not its entries).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ArchiveSummary {
    pub path: String,
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
    pub entries: u64,
}

pub(super) struct Reader<'a> {
    pub engine: &'a Engine,
    pub opts: &'a ScanOptions,
    /// Work goes to the driver in small bundles (see `send`).
    pub tx: SyncSender<Vec<Work>>,
    pub pending: std::cell::RefCell<Vec<Work>>,
    pub next_input: usize,
    /// Errors reported so far.
    pub errors_sent: Cell<u64>,
    pub groups: &'a crate::case::Groups,
    /// The dedup groups of each top-level file.
    pub file_groups: &'a [Vec<usize>],
    pub input_groups: &'a super::InputGroups,
    /// Bytes of input read so far, for the progress bar.
    pub progress: &'a std::sync::atomic::AtomicU64,
}

impl Reader<'_> {
    fn progress(&self, bytes: u64) {
        self.progress
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Sends work to the driver. Items are bundled, so that the many small
    /// items of many small files (an open, a chunk of a few lines, an end)
    /// do not each wake the driver; a chunk of some size goes at once.
    fn send(&self, w: Work) -> Step<()> {
        if matches!(w, Work::Error(..) | Work::Failed { .. }) {
            self.errors_sent.set(self.errors_sent.get() + 1);
        }
        let now = match &w {
            Work::Chunk(c) => c.data.len() >= BUNDLE_CHUNK,
            Work::Rows(_) => true,
            _ => false,
        };
        let mut pending = self.pending.borrow_mut();
        pending.push(w);
        if now || pending.len() >= BUNDLE_ITEMS {
            let bundle = std::mem::take(&mut *pending);
            drop(pending);
            return self.tx.send(bundle).map_err(|_| Stop);
        }
        Ok(())
    }

    /// Sends what is bundled (at the end).
    pub fn flush(&self) -> Step<()> {
        let bundle = std::mem::take(&mut *self.pending.borrow_mut());
        if bundle.is_empty() {
            return Ok(());
        }
        self.tx.send(bundle).map_err(|_| Stop)
    }

    fn error(
        &self,
        input: Option<usize>,
        path: &str,
        position: String,
        message: String,
    ) -> Step<()> {
        self.send(Work::Error(
            input,
            InputError {
                path: path.to_string(),
                position,
                message,
            },
        ))
    }

    /// What decompression may produce under one top-level file: at most
    /// `--max-ratio` times the file's own size (past the grace that every
    /// file has), and never more than `--max-expanded`. The budget covers the
    /// file as a whole — every layer and every entry, nested archives
    /// included — so a small file cannot expand for hours, however its
    /// entries are arranged. Standard input, whose size is not known, has
    /// `--max-expanded`.
    fn budget_of(&self, size: Option<u64>) -> u64 {
        let limits = self.opts.limits;
        size.map_or(limits.max_expanded, |size| {
            size.saturating_mul(limits.max_ratio)
                .saturating_add(container::RATIO_GRACE)
                .min(limits.max_expanded)
        })
    }

    /// Every file in order.
    pub fn read_all(&mut self, files: &[InputFile]) {
        for (i, f) in files.iter().enumerate() {
            // A file on disk: opened, and its size and time taken from the
            // open file (no second path lookup).
            let opened: io::Result<(Box<dyn Read + Send>, Option<Stamp>)> = match &f.path {
                Some(p) => File::open(p).map(|file| {
                    let stamp = file.metadata().ok().map(|m| Stamp::from(&m));
                    (Box::new(file) as Box<dyn Read + Send>, stamp)
                }),
                None => f.open().map(|r| (r, None)),
            };
            let (r, before) = match opened {
                Ok(o) => o,
                Err(e) => {
                    let message = format!("cannot read: {e}");
                    if self
                        .error(None, &f.display, String::new(), message)
                        .is_err()
                    {
                        return;
                    }
                    continue;
                }
            };
            let size = before
                .map(|b| b.len)
                .or(f.data.as_ref().map(|d| d.len() as u64));
            let src = Source {
                file: i,
                path: f.display.clone(),
                name: f.display.clone(),
                depth: 0,
                on_disk: f.path.clone(),
                compression: Vec::new(),
                budget: Rc::new(Cell::new(self.budget_of(size))),
                symlink_to: f.link.clone(),
            };
            let counted = Box::new(Counting {
                inner: r,
                progress: self.progress,
            });
            // A file that changes while it is read (truncated, appended to)
            // is read as it comes, and reported: its count and hash are of
            // what was read, not of the file as it is now.
            let step = self.source(src, counted).and_then(|read| {
                let (Some(before), Some(read)) = (before, read) else {
                    return Ok(());
                };
                let after = f.path.as_ref().and_then(|p| Stamp::of(p));
                if read == before.len && after == Some(before) {
                    return Ok(());
                }
                let now = after.map_or("unreadable".to_string(), |a| format!("{} bytes", a.len));
                self.error(
                    None,
                    &f.display,
                    String::new(),
                    format!(
                        "the file changed while it was read ({} bytes when opened, {read} read, now {now}): the count and the hash are of the bytes read",
                        before.len
                    ),
                )
            });
            if step.is_err() {
                return;
            }
        }
        let _ = self.flush();
    }

    /// Reads one source: hashes its bytes and reads what it holds.
    /// Returns the bytes hashed (`None` if the stream could not be read to
    /// its end).
    fn source<'r>(&mut self, src: Source, reader: Box<dyn Read + 'r>) -> Step<Option<u64>> {
        let mut raw = HashingReader::new(reader);
        let errors_before = self.errors_sent.get();
        let leaf = self.sample(&src, &mut raw, |e| {
            (String::new(), format!("cannot read: {e}"))
        })?;
        // Hash what reading did not need (a zip's central directory, bytes
        // after the end of a compressed stream). A stream that failed has no
        // hash, and its failure has been reported already.
        let read_before_finish = raw.bytes;
        let hashed = match &leaf {
            Leaf::Archive { hashed, .. } | Leaf::Input { hashed, .. } => hashed.clone(),
            _ => None,
        };
        let finished = match hashed {
            // Hashed in the read of its entries or records: not read again.
            Some(done) => {
                // A file on disk, read through its own handle: the progress
                // bar counts what that read took.
                self.progress(done.0.saturating_sub(read_before_finish));
                Ok(done)
            }
            None => raw.finish(),
        };
        let (bytes, sha256, whole) = match finished {
            Ok((bytes, sha256)) => (bytes, sha256, true),
            Err(_) if self.errors_sent.get() > errors_before => {
                (read_before_finish, String::new(), false)
            }
            Err(e) => {
                self.error(
                    None,
                    &src.path,
                    String::new(),
                    format!("cannot read to the end to hash it: {e}"),
                )?;
                (0, String::new(), false)
            }
        };
        match leaf {
            Leaf::Input { input, .. } => self.send(Work::End {
                input,
                bytes,
                sha256,
            }),
            Leaf::Archive {
                format, entries, ..
            } => self.send(Work::Archive(ArchiveSummary {
                path: src.path,
                format: format.to_string(),
                bytes,
                sha256,
                entries,
            })),
            Leaf::Skipped(reason) => self.send(Work::Skipped(Skipped {
                path: src.path,
                reason: reason.into_owned(),
                sha256,
            })),
            Leaf::Failed => Ok(()),
        }?;
        Ok(whole.then_some(bytes))
    }

    /// Reads the first bytes of a stream and what it holds. If the stream
    /// fails before any byte, `fail` gives the error's position and message;
    /// if it fails within its first bytes (a damaged zip entry, a short
    /// file), what came before is read and the failure is reported where it
    /// happened.
    fn sample(
        &mut self,
        src: &Source,
        stream: &mut dyn Read,
        fail: impl FnOnce(&io::Error) -> (String, String),
    ) -> Step<Leaf> {
        let mut head = Vec::new();
        match fill(stream, &mut head, SAMPLE_BYTES) {
            Ok(complete) => self.content(src, head, complete, stream),
            Err(e) if head.is_empty() => {
                let (position, message) = fail(&e);
                self.error(None, &src.path, position, message)?;
                Ok(Leaf::Failed)
            }
            Err(e) => self.content(src, head, false, &mut FailWith(Some(e))),
        }
    }

    /// Decides what a stream holds from its first bytes and reads it.
    fn content(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        complete: bool,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        let magic = container::magic(&head);
        let nested = matches!(magic, Magic::Compressed(_) | Magic::Zip);
        if nested && src.depth >= self.opts.limits.max_depth {
            self.error(
                None,
                &src.path,
                String::new(),
                format!(
                    "archives nested deeper than {} levels: not opened (possible archive bomb)",
                    self.opts.limits.max_depth
                ),
            )?;
            return Ok(Leaf::Failed);
        }
        match magic {
            Magic::Compressed(c) => self.decompressed(src, c, head, rest),
            Magic::Zip => self.zip(src, head, rest),
            Magic::Ole => self.workbook(src, head, rest, "xls"),
            Magic::Parquet => self.columnar(src, head, rest, rows::Columnar::Parquet),
            Magic::ArrowFile => self.columnar(src, head, rest, rows::Columnar::ArrowFile),
            Magic::ArrowStream => self.arrow_stream(src, head, rest),
            Magic::Unreadable(reason) if !decode::sniff(&head, complete).is_utf16() => {
                Ok(Leaf::Skipped(reason.into()))
            }
            _ if container::is_binary(&head) && !decode::sniff(&head, complete).is_utf16() => {
                Ok(Leaf::Skipped("unknown binary".into()))
            }
            _ if crate::input::own::may_be_report(&head) => {
                self.maybe_own_report(src, head, complete, rest)
            }
            _ => self.text(src, head, complete, rest),
        }
    }

    /// A stream that opens like the tool's own JSON report: read whole (up
    /// to `MAX_REPORT_BYTES`) and skipped if it is one, else read as text.
    fn maybe_own_report(
        &mut self,
        src: &Source,
        mut head: Vec<u8>,
        mut complete: bool,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        if !complete {
            match fill(rest, &mut head, crate::input::own::MAX_REPORT_BYTES) {
                Ok(c) => complete = c,
                Err(e) => return self.text(src, head, false, &mut FailWith(Some(e))),
            }
        }
        if complete && crate::input::own::is_report(&head) {
            return Ok(Leaf::Skipped(
                format!(
                    "a report written by tiaoshu (schema {}): the tool's own output, not data",
                    crate::input::own::REPORT_SCHEMA
                )
                .into(),
            ));
        }
        self.text(src, head, complete, rest)
    }

    /// A compressed stream: its content is read as if it were the file.
    fn decompressed(
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
                self.error(None, &src.path, String::new(), format!("{what}: {e}"))?;
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
            ("byte 0".into(), format!("{what}: {e}"))
        })
    }

    /// A stream as a seekable file: the file itself when it is a plain file,
    /// otherwise a copy in an anonymous temporary file (owner-only, removed
    /// when closed, also if the process is killed). `None` when that fails;
    /// the error is reported under `what`.
    fn seekable(
        &self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
        what: &str,
    ) -> Step<Option<File>> {
        let file = match &src.on_disk {
            Some(p) => File::open(p),
            None => tempfile::tempfile().and_then(|mut tmp| {
                io::copy(&mut Cursor::new(head).chain(rest), &mut tmp)?;
                tmp.rewind()?;
                Ok(tmp)
            }),
        };
        match file {
            Ok(f) => Ok(Some(f)),
            Err(e) => {
                self.error(None, &src.path, String::new(), format!("{what}: {e}"))?;
                Ok(None)
            }
        }
    }

    fn zip(&mut self, src: &Source, head: Vec<u8>, rest: &mut dyn Read) -> Step<Leaf> {
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
                self.error(
                    None,
                    &src.path,
                    String::new(),
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
        let has = |name: &str| archive.index_for_name(name).is_some();
        if has("xl/workbook.xml") || has("xl/workbook.bin") {
            let format = if has("xl/workbook.bin") {
                "xlsb"
            } else {
                "xlsx"
            };
            let file = archive.into_inner().into_inner().into_inner();
            return self.workbook_file(src, file, format);
        }
        if has("content.xml") && has("mimetype") {
            let mut mimetype = String::new();
            if let Ok(m) = archive.by_name("mimetype") {
                let _ = m.take(200).read_to_string(&mut mimetype);
            }
            if !mimetype.contains("spreadsheet") {
                return Ok(Leaf::Skipped("document (OpenDocument; not read)".into()));
            }
            let file = archive.into_inner().into_inner().into_inner();
            return self.workbook_file(src, file, "ods");
        }
        if has("word/document.xml") || has("ppt/presentation.xml") {
            return Ok(Leaf::Skipped("document (Office; not read)".into()));
        }
        // Two entries of one name are one entry to the zip crate (it indexes
        // by name): when the directory declares more entries than it lists,
        // walk the local headers instead, which holds every one of them.
        if declared.is_some_and(|d| d > archive.len() as u64) {
            let file = archive.into_inner().into_inner().into_inner();
            return self.zip_walk(src, file);
        }
        let overlapping = zipwalk::overlapping(&archive);
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
                    String::new(),
                    format!(
                        "zip entry overlaps the bytes of entry {} (possible zip bomb: entries that share their data): not read",
                        name(first)
                    ),
                )?;
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
                        format!("entry #{}", i + 1),
                        format!("zip entry not read: {e}"),
                    )?;
                }
            }
        }
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

    /// The entries of a zip from their local headers, front to back, until
    /// the data ends or stops making sense (see `input::zipwalk`).
    fn zip_walk(&mut self, src: &Source, mut file: File) -> Step<Leaf> {
        if file.rewind().is_err() {
            return Ok(Leaf::Failed);
        }
        // Read front to back: a zip on disk is hashed on the way.
        let mut r = BufReader::new(HashingReader::new(file));
        let mut entries = 0;
        let stop = |this: &Self, entries: u64, e: io::Error| {
            this.error(
                None,
                &src.path,
                format!("after entry #{entries}"),
                format!("zip not readable past here: {e}"),
            )
        };
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
                        String::new(),
                        "zip entry not read: encrypted".into(),
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

    /// One zip entry, behind the expansion limits, read as a source.
    fn entry<R: Read>(&mut self, src: &Source, entry: zip::read::ZipFile<'_, R>) -> Step<()> {
        let name = entry_name(entry.name_raw());
        let (size, packed) = (entry.size(), entry.compressed_size());
        self.entry_source(src, name, size, packed, Box::new(entry))
    }

    /// An archive entry (`size` and `packed` as declared; 0 if unknown),
    /// behind the expansion limits, read as a source.
    fn entry_source<'r>(
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
            return self.error(
                None,
                &path,
                String::new(),
                format!(
                    "entry of {size} bytes would pass what the archive may expand to in all ({}): not read (possible decompression bomb)",
                    container::BUDGET_RULE
                ),
            );
        }
        if size > container::RATIO_GRACE && size / packed.max(1) > limits.max_ratio {
            return self.error(
                None,
                &path,
                String::new(),
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

    /// Opens a new input: from here on its records are counted under it.
    fn open_input(&mut self, src: &Source, format: &str, encoding: &str) -> Step<usize> {
        let input = self.next_input;
        self.next_input += 1;
        // The file's groups, and those an archive entry's own path is in.
        let mut g = self.file_groups.get(src.file).cloned().unwrap_or_default();
        for extra in self.groups.of(&src.path) {
            if !g.contains(&extra) {
                g.push(extra);
            }
        }
        g.sort_unstable();
        self.input_groups.set(input, Arc::from(g));
        self.send(Work::Open(Opened {
            input,
            path: src.path.clone(),
            format: format.to_string(),
            encoding: encoding.to_string(),
            compression: (!src.compression.is_empty()).then(|| {
                src.compression
                    .iter()
                    .map(|c| c.key())
                    .collect::<Vec<_>>()
                    .join("+")
            }),
            symlink_to: src.symlink_to.clone(),
        }))?;
        Ok(input)
    }

    fn workbook(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
        format: &'static str,
    ) -> Step<Leaf> {
        match self.seekable(src, head, rest, format)? {
            Some(file) => self.workbook_file(src, file, format),
            None => Ok(Leaf::Failed),
        }
    }

    /// A workbook, read at random by its library: up to `chunks::WINDOW`
    /// bytes it is read whole into memory first, in one read that also takes
    /// its hash (a file on disk); a larger one is read from the file, and
    /// hashed after.
    fn workbook_file(&mut self, src: &Source, mut file: File, format: &'static str) -> Step<Leaf> {
        let whole = file.rewind().and_then(|()| {
            if file.metadata()?.len() > chunks::WINDOW {
                return Ok(None);
            }
            let mut hashing = HashingReader::new(&mut file);
            let mut data = Vec::new();
            hashing.read_to_end(&mut data)?;
            Ok(Some((data, hashing.finish()?)))
        });
        let (reader, hashed): (Box<dyn ReadSeek>, _) = match whole {
            Ok(Some((data, hashed))) => (
                Box::new(Cursor::new(data)),
                src.on_disk.is_some().then_some(hashed),
            ),
            Ok(None) => (Box::new(BufReader::new(file)), None),
            Err(e) => {
                self.error(None, &src.path, String::new(), format!("{format}: {e}"))?;
                return Ok(Leaf::Failed);
            }
        };
        let input = self.open_input(src, format, "utf-8")?;
        self.guarded(input, &src.path, format, |r| {
            rows::workbook(r, input, &src.path, reader, format)
        })?;
        Ok(Leaf::Input { input, hashed })
    }

    fn columnar(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        rest: &mut dyn Read,
        kind: rows::Columnar,
    ) -> Step<Leaf> {
        let Some(file) = self.seekable(src, head, rest, kind.key())? else {
            return Ok(Leaf::Failed);
        };
        let input = self.open_input(src, kind.key(), "binary")?;
        let hash = src.on_disk.is_some();
        let hashed = self.guarded(input, &src.path, kind.key(), |r| {
            rows::columnar(r, input, &src.path, file, kind, hash)
        })?;
        Ok(Leaf::Input { input, hashed })
    }

    /// An Arrow IPC stream: kept in a file (temporary unless it is one), so
    /// that its buffer sizes can be checked before arrow-ipc reads it.
    fn arrow_stream(&mut self, src: &Source, head: Vec<u8>, rest: &mut dyn Read) -> Step<Leaf> {
        let Some(file) = self.seekable(src, head, rest, "arrow")? else {
            return Ok(Leaf::Failed);
        };
        let input = self.open_input(src, "arrow", "binary")?;
        let hash = src.on_disk.is_some();
        let hashed = self.guarded(input, &src.path, "arrow", |r| {
            rows::arrow_stream(r, input, &src.path, file, hash)
        })?;
        Ok(Leaf::Input { input, hashed })
    }

    /// Runs a third-party parser so that a panic inside it (a bug it has on
    /// some malformed file) becomes an error entry for this input, not the
    /// end of the scan. Rows it sent before count; what it would have
    /// returned is then the default.
    fn guarded<T: Default>(
        &self,
        input: usize,
        path: &str,
        what: &str,
        parse: impl FnOnce(&Self) -> Step<T>,
    ) -> Step<T> {
        match guard(|| parse(self)) {
            Ok(step) => step,
            Err(why) => self
                .report(
                    input,
                    path,
                    String::new(),
                    format!("the {what} reader failed on this file ({why}): not read further"),
                )
                .map(|()| T::default()),
        }
    }

    pub(super) fn limits(&self) -> container::Limits {
        self.opts.limits
    }

    pub(super) fn send_rows(&self, rows: super::Rows) -> Step<()> {
        self.send(Work::Rows(rows))
    }

    pub(super) fn report(
        &self,
        input: usize,
        path: &str,
        position: String,
        message: String,
    ) -> Step<()> {
        self.error(Some(input), path, position, message)
    }

    /// Text: CSV, leak lines, JSON. Sniffs encoding and format, reads the
    /// header, and cuts the stream into chunks at record boundaries.
    /// What a text stream is: encoding, format and how fields decode,
    /// decided from its first bytes.
    fn text_setup(&self, src: &Source, head: &[u8], complete: bool) -> TextSetup {
        let opts = self.opts;
        let encoding = opts
            .encoding
            .unwrap_or_else(|| decode::sniff(head, complete));
        let bom = match encoding {
            Encoding::Utf8Bom if head.starts_with(&[0xef, 0xbb, 0xbf]) => 3,
            _ => 0,
        };
        // GBK is sniffed as text: its trail bytes include `|` and `\\`.
        let head_text: Cow<[u8]> = if encoding == Encoding::Gbk {
            let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(head);
            Cow::Owned(text.into_owned().into_bytes())
        } else {
            Cow::Borrowed(head.get(bom..).unwrap_or_default())
        };
        let format = sniff_format(opts, src, &head_text, complete);
        let transcode = encoding == Encoding::Gbk && format.needs_utf8_framing();
        TextSetup {
            encoding,
            bom,
            format,
            transcode,
            decoding: FieldDecoding::of(encoding, transcode),
        }
    }

    /// A text stream: decoded if it must be, then framed into chunks.
    fn text(
        &mut self,
        src: &Source,
        head: Vec<u8>,
        complete: bool,
        rest: &mut dyn Read,
    ) -> Step<Leaf> {
        let mut setup = self.text_setup(src, &head, complete);
        let input_stream = Cursor::new(head).chain(rest);
        let (stream, realigned) =
            match decode::reader(setup.encoding, setup.transcode, setup.bom, input_stream) {
                Ok(s) => s,
                Err(e) => {
                    self.error(None, &src.path, String::new(), format!("cannot read: {e}"))?;
                    return Ok(Leaf::Failed);
                }
            };
        let mut feed = StreamFeed {
            buf: Vec::with_capacity(self.opts.chunk_bytes * 2),
            stream,
            realigned,
            reported: 0,
        };
        let first = feed.more(self.opts.chunk_bytes.max(SAMPLE_BYTES));
        if setup.encoding.is_utf16() {
            // Only now is the text readable.
            setup.format = sniff_format(self.opts, src, &feed.buf, matches!(first, Ok(true)));
        }
        self.frame(src, &setup, &mut feed, first)
    }

    /// Cuts a text stream into chunks at record boundaries and sends them.
    fn frame(
        &mut self,
        src: &Source,
        setup: &TextSetup,
        feed: &mut StreamFeed,
        first: io::Result<bool>,
    ) -> Step<Leaf> {
        let opts = self.opts;
        let engine = self.engine;
        let TextSetup {
            encoding,
            bom,
            format,
            decoding,
            ..
        } = *setup;
        let mut failure = None;
        let mut eof = match first {
            Ok(eof) => eof,
            Err(e) => {
                failure = Some(e);
                false
            }
        };
        let mut schema = Vec::new();
        let mut header_at = None;
        if format.has_header_row() {
            // The header is the first record that looks like one among the
            // first few: exports often open with a title or comment line.
            let buf = feed.buf();
            let first = records::first_records(format, decoding, buf, HEADER_SEARCH_RECORDS);
            for (i, header) in first.iter().enumerate() {
                let refs: Vec<&str> = header.iter().map(String::as_str).collect();
                if engine.looks_like_header(&refs) {
                    schema = header.iter().map(|h| engine.role_for_header(h)).collect();
                    header_at = Some(i as u32);
                    // title lines above the header that are records
                    let above = first[..i]
                        .iter()
                        .filter(|r| !r.iter().all(|f| f.trim().is_empty()))
                        .count();
                    type_from_sample(
                        &mut schema,
                        format,
                        decoding,
                        buf,
                        (i as u32, above),
                        engine,
                    );
                    break;
                }
            }
        }
        let schema: Arc<Vec<Role>> = Arc::new(schema);
        let input = self.open_input(src, format.key(), encoding.key())?;

        let mut framer = Framer::new(format, opts.max_record_bytes, decoding);
        let mut offset = bom as u64;
        let mut cut_short = None;
        // Where the framer's places are in the file.
        let place = |line: u64, at: u64| Place::Text {
            line: line + 1,
            byte: decoding.keeps_offsets().then_some(bom as u64 + at),
        };
        loop {
            for at in feed.realigned() {
                self.report(
                    input,
                    &src.path,
                    format!("byte {at}"),
                    UTF16_REALIGNED.into(),
                )?;
            }
            let sql = framer.sql_context();
            let buf = feed.buf();
            let ended = eof && failure.is_none();
            if ended {
                if let Some(why) = framer.unfinished(buf) {
                    cut_short = Some(why);
                }
            }
            let Some(cut) = framer.next(buf, ended) else {
                if ended || failure.is_some() {
                    // all read, or nothing more can be: an incomplete record
                    // left after a failed read is reported below
                    break;
                }
                let want = buf.len().max(opts.chunk_bytes);
                match feed.more(want) {
                    Ok(e) => eof = e,
                    Err(e) => failure = Some(e),
                }
                continue;
            };
            for e in cut.errors {
                self.report(
                    input,
                    &src.path,
                    place(e.line, e.offset).to_string(),
                    e.message,
                )?;
            }
            let data = feed.take(cut.len);
            self.send(Work::Chunk(Chunk {
                input,
                spec: ChunkSpec {
                    format,
                    decoding,
                    header_at: header_at.take(),
                    sql,
                    items: cut.items,
                },
                schema: Arc::clone(&schema),
                offset,
                line: cut.line,
                data,
            }))?;
            if let Some(w) = cut.wrapper {
                // A wrapper's own fields, after its records, at its place.
                self.send(Work::Chunk(Chunk {
                    input,
                    spec: ChunkSpec {
                        format,
                        decoding,
                        header_at: None,
                        sql: None,
                        items: vec![records::json::Item::Fields {
                            text: w.text,
                            line: 0,
                            offset: 0,
                        }],
                    },
                    schema: Arc::clone(&schema),
                    offset: bom as u64 + w.offset,
                    line: w.line,
                    data: Vec::new(),
                }))?;
            }
            offset += cut.len as u64;
            let left = feed.buf().len();
            if left == 0 && eof {
                break;
            }
            if left < opts.chunk_bytes && !eof && failure.is_none() {
                match feed.more(opts.chunk_bytes - left) {
                    Ok(e) => eof = e,
                    Err(e) => failure = Some(e),
                }
            }
        }
        for at in feed.realigned() {
            self.report(
                input,
                &src.path,
                format!("byte {at}"),
                UTF16_REALIGNED.into(),
            )?;
        }
        let line = framer.lines();
        if let Some(message) = cut_short {
            self.send(Work::Failed {
                input,
                line,
                offset,
                message,
            })?;
        }
        if let Some(e) = failure {
            let left = feed.buf().len();
            let tail = if left == 0 {
                String::new()
            } else {
                format!("; the incomplete record at the end ({left} bytes) was not counted")
            };
            self.send(Work::Failed {
                input,
                line,
                offset,
                message: format!("read failed: {e}{tail}"),
            })?;
        }
        Ok(Leaf::Input {
            input,
            hashed: None,
        })
    }
}

/// What says a file on disk is still the file that was opened: its size and
/// modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &std::path::Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().map(|m| Stamp::from(&m))
    }

    fn from(m: &std::fs::Metadata) -> Stamp {
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
        }
    }
}

/// Counts the bytes read from a top-level file, for the progress bar.
struct Counting<'a, R> {
    inner: R,
    progress: &'a std::sync::atomic::AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// How a text stream is read.
#[derive(Clone, Copy)]
struct TextSetup {
    encoding: Encoding,
    /// Bytes of byte-order mark to skip.
    bom: usize,
    format: Format,
    /// GBK transcoded to UTF-8 before framing.
    transcode: bool,
    decoding: FieldDecoding,
}

/// The format of a text stream, decided on a fixed-size sample whatever the
/// chunk size, so that it cannot depend on `--chunk-bytes`.
fn sniff_format(opts: &ScanOptions, src: &Source, text: &[u8], complete: bool) -> Format {
    let n = text.len().min(SAMPLE_BYTES);
    opts.format.unwrap_or_else(|| {
        records::sniff_format(
            &text[..n],
            complete && n == text.len(),
            src.extension().as_deref(),
        )
    })
}

/// A stream read into a buffer.
struct StreamFeed<'r> {
    buf: Vec<u8>,
    stream: Box<dyn Read + 'r>,
    /// UTF-16: where the decoder's input was realigned, and how many of
    /// those places have been reported.
    realigned: Option<decode::Realigned>,
    reported: usize,
}

impl StreamFeed<'_> {
    /// What has been read and not yet taken.
    fn buf(&self) -> &[u8] {
        &self.buf
    }

    /// Reads up to `want` more bytes; `Ok(true)` at end of input.
    fn more(&mut self, want: usize) -> io::Result<bool> {
        fill(&mut self.stream, &mut self.buf, want)
    }

    /// Places where UTF-16 was realigned since the last call (byte offsets
    /// of the input).
    fn realigned(&mut self) -> Vec<u64> {
        let Some(all) = &self.realigned else {
            return Vec::new();
        };
        let all = all.borrow();
        let new = all.get(self.reported..).unwrap_or_default().to_vec();
        self.reported = all.len();
        new
    }

    /// Takes the first `n` bytes as a chunk.
    fn take(&mut self, n: usize) -> Vec<u8> {
        // A small chunk (a small file) is copied out: it must not hold a
        // buffer sized for large ones while it waits for the pool.
        if n < self.buf.capacity() / 8 {
            let data = self.buf[..n].to_vec();
            self.buf.drain(..n);
            return data;
        }
        // The chunk keeps the buffer; only the (short) rest is copied.
        let mut rest = Vec::with_capacity(self.buf.capacity());
        rest.extend_from_slice(self.buf.get(n..).unwrap_or_default());
        let mut data = std::mem::replace(&mut self.buf, rest);
        data.truncate(n);
        data
    }
}

/// A reader that fails with a stored error (to replay a decoder's error
/// after the data it produced).
struct FailWith(Option<io::Error>);

impl Read for FailWith {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// An entry name as the archiver meant it: UTF-8 when it is (the zip UTF-8
/// flag, or plain ASCII), otherwise GBK, which is what Chinese Windows
/// archivers write.
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}
